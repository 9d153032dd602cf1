//! The light 360 (F-6): a survey about one person after a project, the people invited, and —
//! kept apart so nothing joins them — the marks of those who answered and the answers.
//!
//! Neither of the last two has a time column or a foreign key to a person. On SQLite both
//! are WITHOUT ROWID tables keyed by random values, so their physical order is that of the
//! random keys, not of arrival: the nth mark cannot be paired with the nth answer.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{create_unordered, fk, index};

pub struct M0015Light360;

impl MigrationName for M0015Light360 {
    fn name(&self) -> &str {
        "m0015_light360"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0015Light360 {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("light360")
                .col(pk_uuid("id"))
                .col(uuid("subject_id"))
                .col(uuid("creator_id"))
                .col(text("project"))
                .col(date("ended_on"))
                // The last day to answer.
                .col(date("closes_on"))
                // The questions, a JSON array of strings.
                .col(text("questions"))
                // The survey's own random key for the answered marks, hex.
                .col(string("mark_key"))
                .col(timestamp_with_time_zone("created_at"))
                // Set when closed early or by the closing job.
                .col(timestamp_with_time_zone_null("closed_at"))
                .foreign_key(&mut fk("light360", "subject_id", "employee"))
                .foreign_key(&mut fk("light360", "creator_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("light360", "ix_light360_subject", &["subject_id", "created_at"], false)).await?;
        m.create_table(
            Table::create()
                .table("light360_invitee")
                .col(uuid("survey_id"))
                .col(uuid("employee_id"))
                .primary_key(Index::create().col("survey_id").col("employee_id"))
                .foreign_key(
                    &mut fk("light360_invitee", "survey_id", "light360").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .foreign_key(&mut fk("light360_invitee", "employee_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("light360_invitee", "ix_light360_invitee_employee", &["employee_id"], false)).await?;
        create_unordered(
            m,
            Table::create()
                .table("light360_answered")
                .col(uuid("survey_id"))
                .col(string("mark"))
                .primary_key(Index::create().col("survey_id").col("mark"))
                .foreign_key(
                    &mut fk("light360_answered", "survey_id", "light360").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .take(),
        )
        .await?;
        create_unordered(
            m,
            Table::create()
                .table("light360_response")
                .col(uuid("survey_id"))
                // A random (v4) id: sorts as nothing but itself.
                .col(uuid("id"))
                // The answers, a JSON array of {rating, comment} in question order.
                .col(text("answers"))
                .primary_key(Index::create().col("survey_id").col("id"))
                .foreign_key(
                    &mut fk("light360_response", "survey_id", "light360").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["light360_response", "light360_answered", "light360_invitee", "light360"] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
