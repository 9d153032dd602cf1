//! The working rhythm (T-2, T-6): weekly reports and their acknowledgement, check-ins marked
//! as reviewed by a manager (the follow-up rate), the organization's calendar with its time
//! zone, holidays and reminder schedule, and the record of reminders sent.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0008Rhythm;

impl MigrationName for M0008Rhythm {
    fn name(&self) -> &str {
        "m0008_rhythm"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0008Rhythm {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One report per person per week (`week_start` is its Monday). A draft until submitted;
        // a manager in the person's line acknowledges it, with a comment if they like.
        m.create_table(
            Table::create()
                .table("weekly_report")
                .col(pk_uuid("id"))
                .col(uuid("employee_id"))
                .col(date("week_start"))
                .col(text("done"))
                .col(text("blockers"))
                .col(text("next_week"))
                .col(string("state"))
                .col(timestamp_with_time_zone_null("submitted_at"))
                .col(uuid_null("acknowledged_by"))
                .col(string_null("acknowledged_name"))
                .col(timestamp_with_time_zone_null("acknowledged_at"))
                .col(text_null("comment"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    &mut fk("weekly_report", "employee_id", "employee").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("weekly_report", "ux_weekly_report_week", &["employee_id", "week_start"], true)).await?;
        m.create_index(index("weekly_report", "ix_weekly_report_week", &["week_start"], false)).await?;
        // A manager's "seen" on a check-in (SQLite adds one column per statement).
        m.alter_table(Table::alter().table("check_in").add_column(uuid_null("reviewed_by")).take()).await?;
        m.alter_table(Table::alter().table("check_in").add_column(timestamp_with_time_zone_null("reviewed_at")).take())
            .await?;
        m.create_index(index("check_in", "ix_check_in_on_date", &["on_date"], false)).await?;
        // One row (id 1): time zone and reminder schedule. Absent: UTC+8 and the defaults.
        m.create_table(
            Table::create()
                .table("org_calendar")
                .col(integer("id").primary_key())
                .col(integer("utc_offset_minutes"))
                .col(boolean("weekly_report"))
                .col(integer("weekly_weekday"))
                .col(integer("weekly_hour"))
                .col(boolean("monthly_check_in"))
                .col(boolean("stale_goals"))
                .col(boolean("pending_approvals"))
                .col(integer("reminder_hour"))
                .col(uuid_null("updated_by"))
                .col(timestamp_with_time_zone("updated_at"))
                .take(),
        )
        .await?;
        // Days that differ from Monday–Friday: holidays (working = false) and make-up days.
        m.create_table(
            Table::create()
                .table("calendar_day")
                .col(date("day").primary_key())
                .col(boolean("working"))
                .col(string("name"))
                .take(),
        )
        .await?;
        // A reminder run once (its job's dedupe key), written with its messages in one
        // transaction: a worker that dies after the commit cannot send the reminder twice.
        m.create_table(
            Table::create()
                .table("reminder_run")
                .col(string("key").primary_key())
                .col(integer("recipients"))
                .col(timestamp_with_time_zone("sent_at"))
                .take(),
        )
        .await?;
        Ok(())
    }
}
