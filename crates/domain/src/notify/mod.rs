//! Notifications (T-7): which preference a message falls under, how an outgoing message looks
//! on each IM platform, and how long a failed delivery waits before it is tried again.

pub mod im;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

/// One message in a user's in-app inbox. `kind` selects the translated text; `subject` is what
/// it is about (e.g. a goal's title) as it was when the message was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: Uuid,
    /// The user it is for.
    pub recipient_id: Uuid,
    pub kind: String,
    pub entity_type: String,
    pub entity_id: Uuid,
    /// Who acted, by name as it was.
    pub actor_name: String,
    pub subject: String,
    /// A comment that came with it, e.g. why a goal was returned.
    pub body: Option<String>,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// What a message is about, for the per-user preferences: each category can be switched off per
/// channel (e-mail, IM). The in-app inbox always gets everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Goal setting: submitted, approved, returned, filed, assigned, commitments.
    Workflow,
    /// Progress tracking: risk alerts, review tasks.
    Tracking,
    /// Reminders on the organization's cadence (T-6).
    Reminders,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::Workflow, Category::Tracking, Category::Reminders];

    pub fn code(self) -> &'static str {
        match self {
            Category::Workflow => "workflow",
            Category::Tracking => "tracking",
            Category::Reminders => "reminders",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == s)
    }

    /// The category of a message kind (`goal-approved`, `risk-alert`, `reminder-weekly-report` …).
    pub fn of_kind(kind: &str) -> Category {
        if kind.starts_with("reminder-") {
            Category::Reminders
        } else if kind.starts_with("goal-") {
            Category::Workflow
        } else {
            Category::Tracking
        }
    }
}

/// Attempts a job gets before it is given up and kept as failed (see [`retry_delay`]).
pub const MAX_ATTEMPTS: i32 = 8;

/// How long a job waits after its `attempt`-th failure (1-based): 30 s, doubling each time,
/// at most 6 hours. With the default 8 attempts a delivery is given up after about 2 hours of
/// retries (30 s + 1 + 2 + 4 + 8 + 16 + 32 + 64 min), long enough to outlast a mail server's
/// restart or an IM platform's short outage, short enough that an admin hears of it the same day.
pub fn retry_delay(attempt: u32) -> Duration {
    let seconds = 30i64.saturating_mul(1i64 << attempt.saturating_sub(1).min(20));
    Duration::seconds(seconds.min(6 * 3600))
}

/// A user's notification channels beyond the in-app inbox, with the categories switched off
/// on each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefs {
    pub user_id: Uuid,
    pub email_enabled: bool,
    /// Categories not sent by e-mail, each once, in order.
    pub email_off: Vec<Category>,
    pub im_enabled: bool,
    pub im_platform: Option<im::Platform>,
    pub im_url: Option<String>,
    /// The signing secret of a platform that signs its webhooks.
    pub im_secret: Option<String>,
    /// Categories not sent by IM, each once, in order.
    pub im_off: Vec<Category>,
    pub updated_at: DateTime<Utc>,
}

impl Prefs {
    /// What applies to someone who never set any: e-mail on for every category, no IM.
    pub fn default_for(user_id: Uuid) -> Self {
        Prefs {
            user_id,
            email_enabled: true,
            email_off: Vec::new(),
            im_enabled: false,
            im_platform: None,
            im_url: None,
            im_secret: None,
            im_off: Vec::new(),
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    /// Whether a message of `category` goes by e-mail (given an address to send it to).
    pub fn wants_email(&self, category: Category) -> bool {
        self.email_enabled && !self.email_off.contains(&category)
    }

    /// Whether a message of `category` goes to the IM webhook: on, set up and not switched off.
    pub fn wants_im(&self, category: Category) -> bool {
        self.im_enabled && self.im_platform.is_some() && self.im_url.is_some() && !self.im_off.contains(&category)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t7_retry_delay_doubles_from_thirty_seconds_up_to_six_hours() {
        assert_eq!(retry_delay(1), Duration::seconds(30));
        assert_eq!(retry_delay(2), Duration::seconds(60));
        assert_eq!(retry_delay(4), Duration::seconds(240));
        assert_eq!(retry_delay(8), Duration::seconds(3840));
        // 30 s × 2^10 = 30 720 s is beyond the cap of 21 600 s.
        assert_eq!(retry_delay(11), Duration::hours(6));
        assert_eq!(retry_delay(60), Duration::hours(6));
        assert_eq!(retry_delay(0), Duration::seconds(30));
    }

    #[test]
    fn t7_message_kinds_fall_into_their_categories() {
        assert_eq!(Category::of_kind("goal-to-approve"), Category::Workflow);
        assert_eq!(Category::of_kind("risk-alert"), Category::Tracking);
        assert_eq!(Category::of_kind("review-task"), Category::Tracking);
        assert_eq!(Category::of_kind("reminder-weekly-report"), Category::Reminders);
        assert_eq!(Category::parse("tracking"), Some(Category::Tracking));
        assert_eq!(Category::parse("nope"), None);
    }

    #[test]
    fn t7_someone_without_preferences_gets_email_and_no_im() {
        let p = super::Prefs::default_for(uuid::Uuid::nil());
        assert!(super::Category::ALL.iter().all(|c| p.wants_email(*c) && !p.wants_im(*c)));
    }

    #[test]
    fn t7_a_category_switched_off_stays_off_on_that_channel_only() {
        let mut p = super::Prefs::default_for(uuid::Uuid::nil());
        p.email_off = vec![super::Category::Reminders];
        p.im_enabled = true;
        p.im_platform = Some(super::im::Platform::Slack);
        p.im_url = Some("https://hooks.slack.com/services/x".into());
        assert!(!p.wants_email(super::Category::Reminders) && p.wants_email(super::Category::Tracking));
        assert!(p.wants_im(super::Category::Reminders));
        p.im_url = None;
        assert!(!p.wants_im(super::Category::Tracking), "IM without a webhook sends nothing");
    }
}
