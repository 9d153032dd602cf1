//! Feedback (F-2): items given by one person to another with their template parts and
//! visibility, and requests for feedback with the people asked and whether each answered.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0013Feedback;

impl MigrationName for M0013Feedback {
    fn name(&self) -> &str {
        "m0013_feedback"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0013Feedback {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("feedback_request")
                .col(pk_uuid("id"))
                .col(uuid("requester_id"))
                // Whom the feedback is about: the requester, or one of their reports.
                .col(uuid("subject_id"))
                .col(text("message"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("feedback_request", "requester_id", "employee"))
                .foreign_key(&mut fk("feedback_request", "subject_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index(
            "feedback_request",
            "ix_feedback_request_requester",
            &["requester_id", "created_at"],
            false,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("feedback")
                .col(pk_uuid("id"))
                .col(uuid("giver_id"))
                .col(uuid("recipient_id"))
                .col(string("kind"))
                .col(string("visibility"))
                .col(string("template"))
                // The template's parts as a JSON array of strings; `body` is them joined.
                .col(text("parts"))
                .col(text("body"))
                .col(uuid_null("goal_id"))
                .col(uuid_null("request_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("feedback", "giver_id", "employee"))
                .foreign_key(&mut fk("feedback", "recipient_id", "employee"))
                .foreign_key(&mut fk("feedback", "goal_id", "goal"))
                .foreign_key(&mut fk("feedback", "request_id", "feedback_request"))
                .take(),
        )
        .await?;
        m.create_index(index("feedback", "ix_feedback_recipient", &["recipient_id", "created_at"], false)).await?;
        m.create_index(index("feedback", "ix_feedback_giver", &["giver_id", "created_at"], false)).await?;
        m.create_index(index("feedback", "ix_feedback_public", &["visibility", "created_at"], false)).await?;
        m.create_table(
            Table::create()
                .table("feedback_request_ask")
                .col(uuid("request_id"))
                .col(uuid("responder_id"))
                .col(string("state"))
                .col(uuid_null("feedback_id"))
                .col(timestamp_with_time_zone_null("answered_at"))
                .primary_key(Index::create().col("request_id").col("responder_id"))
                .foreign_key(
                    &mut fk("feedback_request_ask", "request_id", "feedback_request")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .foreign_key(&mut fk("feedback_request_ask", "responder_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("feedback_request_ask", "ix_feedback_ask_responder", &["responder_id", "state"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["feedback_request_ask", "feedback", "feedback_request"] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
