//! Progress tracking (SPEC §3): check-ins and their attachments (T-1), each goal's current
//! red/yellow/green status with its reason and the record of its changes (T-3), the
//! organization's thresholds, risk alerts with their evidence and review tasks (T-4).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0006Tracking;

impl MigrationName for M0006Tracking {
    fn name(&self) -> &str {
        "m0006_tracking"
    }
}

fn cascade(from: &'static str, col: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    fk(from, col, to).on_delete(ForeignKeyAction::Cascade).take()
}

#[async_trait::async_trait]
impl MigrationTrait for M0006Tracking {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One row (id 1): the organization's thresholds and risk rules. Absent: the defaults.
        m.create_table(
            Table::create()
                .table("tracking_settings")
                .col(integer("id").primary_key())
                .col(integer("yellow_behind_bp"))
                .col(integer("red_behind_bp"))
                .col(integer("stale_days"))
                .col(integer("stall_weeks"))
                .col(integer("pace_window_days"))
                .col(uuid_null("updated_by"))
                .col(timestamp_with_time_zone("updated_at"))
                .take(),
        )
        .await?;
        // A check-in on a goal, or on one of its key results with the new value. The goal's
        // progress after it is kept, so the timeline and its chart are one read.
        m.create_table(
            Table::create()
                .table("check_in")
                .col(pk_uuid("id"))
                .col(uuid("goal_id"))
                .col(uuid_null("key_result_id"))
                .col(uuid_null("author_id"))
                .col(string("author_name"))
                .col(string("source"))
                .col(string_null("external_id"))
                .col(big_integer_null("value_e4"))
                .col(boolean_null("done"))
                .col(integer_null("kr_progress_bp"))
                .col(integer("goal_progress_bp"))
                .col(string_null("confidence"))
                .col(text_null("note"))
                .col(date("on_date"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut cascade("check_in", "goal_id", "goal"))
                .foreign_key(&mut cascade("check_in", "key_result_id", "key_result"))
                .foreign_key(&mut fk("check_in", "author_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("check_in", "ix_check_in_goal", &["goal_id", "created_at"], false)).await?;
        m.create_index(index("check_in", "ix_check_in_author", &["author_id", "created_at"], false)).await?;
        // A system pushing KPI actuals may resend one: its id makes the push idempotent.
        m.create_index(index("check_in", "ux_check_in_external", &["key_result_id", "external_id"], true)).await?;
        // The file itself lives in the data directory under the attachment's id.
        m.create_table(
            Table::create()
                .table("check_in_attachment")
                .col(pk_uuid("id"))
                .col(uuid("check_in_id"))
                .col(uuid("goal_id"))
                .col(string("file_name"))
                .col(string("content_type"))
                .col(big_integer("size_bytes"))
                .col(string("sha256"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut cascade("check_in_attachment", "check_in_id", "check_in"))
                .take(),
        )
        .await?;
        m.create_index(index("check_in_attachment", "ix_attachment_check_in", &["check_in_id"], false)).await?;
        // Each tracked goal's current status, why, since when, and its last update.
        m.create_table(
            Table::create()
                .table("goal_tracking")
                .col(uuid("goal_id").primary_key())
                .col(string("status"))
                .col(text("reason"))
                .col(timestamp_with_time_zone("status_since"))
                .col(timestamp_with_time_zone_null("last_update_at"))
                .col(string_null("confidence"))
                .col(date("evaluated_on"))
                .foreign_key(&mut cascade("goal_tracking", "goal_id", "goal"))
                .take(),
        )
        .await?;
        m.create_index(index("goal_tracking", "ix_goal_tracking_status", &["status"], false)).await?;
        m.create_table(
            Table::create()
                .table("goal_status_change")
                .col(pk_uuid("id"))
                .col(uuid("goal_id"))
                .col(string_null("from_status"))
                .col(string("to_status"))
                .col(text("reason"))
                .col(timestamp_with_time_zone("changed_at"))
                .foreign_key(&mut cascade("goal_status_change", "goal_id", "goal"))
                .take(),
        )
        .await?;
        m.create_index(index("goal_status_change", "ix_status_change_goal", &["goal_id", "changed_at"], false)).await?;
        // A risk found on a goal's timeline, with the numbers it came from (JSON).
        m.create_table(
            Table::create()
                .table("risk_alert")
                .col(pk_uuid("id"))
                .col(uuid("goal_id"))
                .col(string("kind"))
                .col(text("evidence"))
                .col(string("state"))
                .col(timestamp_with_time_zone("raised_at"))
                .col(timestamp_with_time_zone_null("closed_at"))
                .col(uuid_null("closed_by"))
                .col(text_null("close_note"))
                .foreign_key(&mut cascade("risk_alert", "goal_id", "goal"))
                .take(),
        )
        .await?;
        m.create_index(index("risk_alert", "ix_risk_alert_goal", &["goal_id", "state"], false)).await?;
        m.create_index(index("risk_alert", "ix_risk_alert_state", &["state", "raised_at"], false)).await?;
        // 专项复盘: a review of a goal in trouble, with an owner and a due date.
        m.create_table(
            Table::create()
                .table("review_task")
                .col(pk_uuid("id"))
                .col(uuid("goal_id"))
                .col(uuid_null("alert_id"))
                .col(string("title"))
                .col(uuid("owner_id"))
                .col(date("due_on"))
                .col(string("state"))
                .col(text_null("outcome"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("done_at"))
                .foreign_key(&mut cascade("review_task", "goal_id", "goal"))
                .foreign_key(
                    &mut fk("review_task", "alert_id", "risk_alert").on_delete(ForeignKeyAction::SetNull).take(),
                )
                .foreign_key(&mut fk("review_task", "owner_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("review_task", "ix_review_task_goal", &["goal_id"], false)).await?;
        m.create_index(index("review_task", "ix_review_task_owner", &["owner_id", "state"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "review_task",
            "risk_alert",
            "goal_status_change",
            "goal_tracking",
            "check_in_attachment",
            "check_in",
            "tracking_settings",
        ] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
