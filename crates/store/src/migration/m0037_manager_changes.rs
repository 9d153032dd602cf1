//! When a person's manager changed (issue 26, item 1; SPEC I-4): a new manager is one of the
//! facts a flight/burnout hint may stand on. Written where every change of a reporting line is
//! written (`repo::org::update_employee`), so no path can move a person without it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0037ManagerChanges;

impl MigrationName for M0037ManagerChanges {
    fn name(&self) -> &str {
        "m0037_manager_changes"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0037ManagerChanges {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("manager_change")
                .col(pk_uuid("id"))
                .col(uuid("employee_id"))
                .col(uuid_null("from_manager_id"))
                .col(uuid_null("to_manager_id"))
                .col(date("changed_on"))
                .foreign_key(&mut fk("manager_change", "employee_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("manager_change", "ix_manager_change_on", &["changed_on"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("manager_change").to_owned()).await
    }
}
