//! Inbound webhooks (F-7): integrations with their secrets, the ids people have in other
//! systems, the events received (their id is the key, so a second delivery adds nothing), and
//! the feedback to-dos they turn into.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0016Webhooks;

impl MigrationName for M0016Webhooks {
    fn name(&self) -> &str {
        "m0016_webhooks"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0016Webhooks {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("integration")
                .col(pk_uuid("id"))
                // github, gitlab, jira, generic or learning.
                .col(string("kind"))
                .col(string("name"))
                // Needed in clear to check each delivery's HMAC.
                .col(string("secret"))
                // The employees asked when an event names no one (a Jira version), a JSON array.
                .col(text("team"))
                .col(boolean("active"))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("external_identity")
                // github, gitlab, jira, generic or learning: whose ids these are.
                .col(string("system"))
                // As the system sends it, lower-cased (a login, a username, an id).
                .col(string("external_id"))
                .col(uuid("employee_id"))
                .primary_key(Index::create().col("system").col("external_id"))
                .foreign_key(
                    &mut fk("external_identity", "employee_id", "employee").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("webhook_event")
                .col(uuid("integration_id"))
                .col(string("event_id"))
                .col(timestamp_with_time_zone("received_at"))
                // SHA-256 of the signed body: GitHub and Jira sign the body but not the header
                // carrying the event id, so the same body under a new id is a replay too.
                .col(string("digest"))
                .col(text("payload"))
                // queued, done or failed.
                .col(string("state"))
                .col(integer("todos"))
                // Who the event named and no employee matched, a JSON array.
                .col(text("unknown"))
                .primary_key(Index::create().col("integration_id").col("event_id"))
                .foreign_key(
                    &mut fk("webhook_event", "integration_id", "integration")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("webhook_event", "ix_webhook_event_received", &["integration_id", "received_at"], false))
            .await?;
        m.create_index(index("webhook_event", "ux_webhook_event_digest", &["integration_id", "digest"], true)).await?;
        m.create_table(
            Table::create()
                .table("feedback_todo")
                .col(pk_uuid("id"))
                // Who is asked to write, and about whom.
                .col(uuid("owner_id"))
                .col(uuid("about_id"))
                // project, collaboration or learning.
                .col(string("ask"))
                .col(text("title"))
                .col(text_null("url"))
                .col(uuid("integration_id"))
                .col(string("event_id"))
                // open, done or dismissed.
                .col(string("state"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .foreign_key(&mut fk("feedback_todo", "owner_id", "employee"))
                .foreign_key(&mut fk("feedback_todo", "about_id", "employee"))
                .foreign_key(
                    &mut fk("feedback_todo", "integration_id", "integration")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("feedback_todo", "ix_feedback_todo_owner", &["owner_id", "state"], false)).await?;
        // A retried job makes no second to-do.
        m.create_index(index(
            "feedback_todo",
            "ux_feedback_todo_event",
            &["integration_id", "event_id", "owner_id", "about_id"],
            true,
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["feedback_todo", "webhook_event", "external_identity", "integration"] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
