//! Durable jobs and notification delivery (T-7): the job queue every instance claims from, and
//! each user's notification preferences.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0007Jobs;

impl MigrationName for M0007Jobs {
    fn name(&self) -> &str {
        "m0007_jobs"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0007Jobs {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // A unit of background work. Claimed by one worker at a time (a lease: `locked_by` until
        // `locked_until`); a lease that runs out (the worker died) makes the job claimable again.
        // `dedupe_key` makes scheduled work (tonight's sweep, this Friday's reminder) enqueued
        // once however many instances try. `recipient_id` lets a user see their own deliveries.
        m.create_table(
            Table::create()
                .table("job")
                .col(pk_uuid("id"))
                .col(string("kind"))
                .col(text("payload"))
                .col(string("state"))
                .col(integer("attempts"))
                .col(integer("max_attempts"))
                .col(timestamp_with_time_zone("run_at"))
                .col(string_null("locked_by"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(text_null("last_error"))
                .col(string_null("dedupe_key"))
                .col(uuid_null("recipient_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("finished_at"))
                .take(),
        )
        .await?;
        m.create_index(index("job", "ix_job_due", &["state", "run_at"], false)).await?;
        m.create_index(index("job", "ux_job_dedupe", &["dedupe_key"], true)).await?;
        m.create_index(index("job", "ix_job_recipient", &["recipient_id", "created_at"], false)).await?;
        // A user's channels beyond the inbox. No row: e-mail on for everything, no IM.
        m.create_table(
            Table::create()
                .table("notification_pref")
                .col(uuid("user_id").primary_key())
                .col(boolean("email_enabled"))
                .col(string("email_off"))
                .col(boolean("im_enabled"))
                .col(string_null("im_platform"))
                .col(text_null("im_url"))
                .col(string_null("im_secret"))
                .col(string("im_off"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    &mut fk("notification_pref", "user_id", "user_account").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .take(),
        )
        .await?;
        Ok(())
    }
}
