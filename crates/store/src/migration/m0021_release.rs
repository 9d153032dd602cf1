//! Release, acknowledgement and appeals (V-6): when a participant's result was released and by
//! whom, when they acknowledged reading it (with their words), the grade an appeal ended with;
//! and the appeal itself, from the person's reasons to the handler's answer.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0021Release;

impl MigrationName for M0021Release {
    fn name(&self) -> &str {
        "m0021_release"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0021Release {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one column at a time.
        for col in [
            timestamp_with_time_zone_null("released_at"),
            string_null("released_by_name"),
            timestamp_with_time_zone_null("acknowledged_at"),
            text_null("ack_comment"),
            // The grade a decided appeal changed the result to (V-6); it overrides calibration.
            string_null("appeal_grade"),
        ] {
            m.alter_table(Table::alter().table("review_participant").add_column(col).take()).await?;
        }
        m.create_table(
            Table::create()
                .table("review_appeal")
                .col(pk_uuid("id"))
                .col(uuid("participant_id"))
                .col(text("reasons"))
                // submitted, assigned or decided.
                .col(string("state"))
                // The grade appealed against.
                .col(string("grade_before"))
                // The HR user handling it, named as they were when assigned.
                .col(uuid_null("assignee_id"))
                .col(string_null("assignee_name"))
                .col(timestamp_with_time_zone_null("assigned_at"))
                // upheld or changed, the grade it ended with, and the answer to the person.
                .col(string_null("outcome"))
                .col(string_null("grade_after"))
                .col(text_null("answer"))
                .col(string_null("decided_by_name"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    &mut fk("review_appeal", "participant_id", "review_participant")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        // One appeal per result.
        m.create_index(index("review_appeal", "ux_review_appeal_participant", &["participant_id"], true)).await?;
        m.create_index(index("review_appeal", "ix_review_appeal_assignee", &["assignee_id", "state"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("review_appeal").to_owned()).await?;
        for col in ["appeal_grade", "ack_comment", "acknowledged_at", "released_by_name", "released_at"] {
            m.alter_table(Table::alter().table("review_participant").drop_column(col).take()).await?;
        }
        Ok(())
    }
}
