//! Probation 1-3-6 (V-8): a new hire's probation with its contract (checked against PRC Labour
//! Contract Law art. 19), the month 1, 3 and 6 checkpoints and the conversion decision.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0024Probation;

impl MigrationName for M0024Probation {
    fn name(&self) -> &str {
        "m0024_probation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0024Probation {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("probation")
                .col(pk_uuid("id"))
                .col(uuid("employee_id"))
                // fixed (with its months), open_ended or task.
                .col(string("contract"))
                .col(integer_null("contract_months"))
                .col(integer("months"))
                .col(date("starts_on"))
                .col(date("ends_on"))
                // in_progress, converted or not_converted; extended once at most, within the cap.
                .col(string("state"))
                .col(boolean("extended"))
                .col(text_null("decision_note"))
                .col(string_null("decided_by_name"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(string("created_by_name"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("probation", "employee_id", "employee"))
                .take(),
        )
        .await?;
        // One probation per employer and employee (art. 19).
        m.create_index(index("probation", "ux_probation_employee", &["employee_id"], true)).await?;
        m.create_index(index("probation", "ix_probation_state", &["state", "ends_on"], false)).await?;
        m.create_table(
            Table::create()
                .table("probation_checkpoint")
                .col(pk_uuid("id"))
                .col(uuid("probation_id"))
                .col(integer("month"))
                // adaptation, delivery, potential or conversion.
                .col(string("focus"))
                .col(date("due_on"))
                .col(text_null("note"))
                .col(string_null("held_by_name"))
                .col(timestamp_with_time_zone_null("held_at"))
                .foreign_key(
                    &mut fk("probation_checkpoint", "probation_id", "probation")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("probation_checkpoint", "ix_probation_checkpoint", &["probation_id", "due_on"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("probation_checkpoint").to_owned()).await?;
        m.drop_table(Table::drop().table("probation").to_owned()).await
    }
}
