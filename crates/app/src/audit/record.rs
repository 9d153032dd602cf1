//! What one change's audit record says, made by the service that changed it: who, when,
//! which thing, about whom, before and after. Apart from the audit service (which reads and
//! verifies the chain and schedules its checkpoints), so that writers of records — the job
//! worker among them — do not depend on the reader.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use uuid::Uuid;
use waymark_store::repo::audit::NewAudit;

use crate::policy::Actor;

/// Time as stored in the log: UTC, microseconds, so PostgreSQL and SQLite agree.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// A time as stored in the log ([`stamp`]), read back; the epoch for text that is not one.
pub fn instant(stamped: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(stamped).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

pub fn json<T: Serialize>(v: &T) -> Option<String> {
    serde_json::to_string(v).ok()
}

/// Every kind of record the audit log holds (`entity_type`); each has its name,
/// `audit-entity-<kind>`, in the language files, and [`entry`] refuses another in debug builds.
pub const AUDIT_ENTITIES: &[&str] = &[
    "ai_draft",
    "api_token",
    "audit",
    "audit_chain",
    "calendar_day",
    "calendar_feed",
    "calibration_session",
    "check_in",
    "coaching_prompt",
    "company_value",
    "dev_plan",
    "dev_report",
    "employee",
    "external_identity",
    "feedback",
    "feedback_request",
    "goal",
    "goal_approval_rule",
    "goal_commitment",
    "goal_period",
    "goal_template",
    "integration",
    "job",
    "journal_entry",
    "key_result",
    "kr_library_item",
    "kudos",
    "light360",
    "ninebox_names",
    "notification_pref",
    "one_on_one",
    "one_on_one_action",
    "one_on_one_agenda",
    "one_on_one_private_note",
    "one_on_one_series",
    "org_calendar",
    "probation",
    "redemption",
    "review",
    "review_cycle",
    "review_participant",
    "review_task",
    "review_template",
    "reward",
    "risk_alert",
    "flight_model",
    "risk_signal",
    "signal_answer",
    "signal_setting",
    "tracking_settings",
    "unit",
    "user",
    "weekly_report",
    "work_week",
];

/// Every action the audit log records; each has its name, `hist-<action>`, in the language
/// files (the audit page and the goal history read them), and [`entry`] refuses another in
/// debug builds, so a new action cannot reach the page as its code.
pub const AUDIT_ACTIONS: &[&str] = &[
    "acknowledge",
    "action",
    "align",
    "appeal",
    "approve",
    "approved",
    "archive",
    "assess_potential",
    "assign",
    "assign_appeal",
    "attach",
    "calibrate",
    "cancel",
    "check_in",
    "checkpoint",
    "close",
    "compute",
    "conversation",
    "conversation_update",
    "create",
    "decide",
    "decide_appeal",
    "decide_nomination",
    "decide_peers",
    "decline",
    "decline_alignment",
    "delete",
    "dismiss",
    "done",
    "end",
    "fit",
    "file",
    "grant_incentive",
    "held",
    "import_create",
    "import_update",
    "job.retry",
    "launch",
    "link_goal",
    "lock",
    "map",
    "nominate",
    "nominate_peers",
    "notes",
    "open",
    "progress",
    "promote",
    "receive",
    "record",
    "rekey",
    "rejected",
    "release",
    "remove",
    "renew",
    "renew_secret",
    "reply",
    "reopen",
    "request",
    "request_alignment",
    "reschedule",
    "restore",
    "return",
    "review",
    "revoke",
    "reweight",
    "save",
    "send",
    "set",
    "set_password",
    "set_role",
    "share",
    "sign_in_failed",
    "start",
    "status",
    "submit",
    "unalign",
    "unlink_goal",
    "unlock",
    "unmap",
    "update",
    "view",
    "withdraw_alignment",
];

/// One audit entry for a change made by `actor`.
#[allow(clippy::too_many_arguments)]
pub fn entry(
    actor: &Actor,
    now: DateTime<Utc>,
    entity_type: &str,
    entity_id: Uuid,
    subject_employee_id: Option<Uuid>,
    action: &str,
    before: Option<String>,
    after: Option<String>,
    reason: Option<String>,
) -> NewAudit {
    debug_assert!(
        AUDIT_ENTITIES.contains(&entity_type),
        "audit entity {entity_type:?} has no name: add it to AUDIT_ENTITIES"
    );
    debug_assert!(AUDIT_ACTIONS.contains(&action), "audit action {action:?} has no name: add it to AUDIT_ACTIONS");
    NewAudit {
        id: Uuid::now_v7(),
        occurred_at: stamp(now),
        actor: actor.label.clone(),
        actor_user_id: actor.user_id,
        entity_type: entity_type.into(),
        entity_id: entity_id.to_string(),
        subject_employee_id,
        action: action.into(),
        before,
        after,
        reason,
    }
}
