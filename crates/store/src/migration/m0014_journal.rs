//! The key-event journal (F-5): dated contributions and problems about one person with their
//! evidence, and the goals each is linked to.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0014Journal;

impl MigrationName for M0014Journal {
    fn name(&self) -> &str {
        "m0014_journal"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0014Journal {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("journal_entry")
                .col(pk_uuid("id"))
                // Whom the event is about, and who wrote it down (they or one of their managers).
                .col(uuid("employee_id"))
                .col(uuid("author_id"))
                .col(string("kind"))
                .col(date("occurred_on"))
                .col(text("title"))
                .col(text("evidence"))
                // Links to the evidence, a JSON array of http(s) addresses.
                .col(text("links"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("journal_entry", "employee_id", "employee"))
                .foreign_key(&mut fk("journal_entry", "author_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("journal_entry", "ix_journal_employee", &["employee_id", "occurred_on"], false)).await?;
        m.create_table(
            Table::create()
                .table("journal_goal")
                .col(uuid("entry_id"))
                .col(uuid("goal_id"))
                .primary_key(Index::create().col("entry_id").col("goal_id"))
                .foreign_key(
                    &mut fk("journal_goal", "entry_id", "journal_entry").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .foreign_key(&mut fk("journal_goal", "goal_id", "goal").on_delete(ForeignKeyAction::Cascade).take())
                .take(),
        )
        .await?;
        m.create_index(index("journal_goal", "ix_journal_goal_goal", &["goal_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["journal_goal", "journal_entry"] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
