//! Feedback (F-2, F-4): the writing templates and their parts, who may see an item, what
//! makes one acceptable, and the balance of a manager's recognition and improvement feedback.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One piece of feedback as written: from a giver to a recipient, with a template's parts, seen
/// by whom its visibility says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub id: Uuid,
    pub giver_id: Uuid,
    pub recipient_id: Uuid,
    pub kind: Kind,
    pub visibility: Visibility,
    pub template: Template,
    /// The template's parts in its order, each trimmed (empty where left out).
    pub parts: Vec<String>,
    /// The parts joined, one per line.
    pub body: String,
    pub goal_id: Option<Uuid>,
    /// The request it answers.
    pub request_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// A request for feedback about the requester or one of their reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackRequest {
    pub id: Uuid,
    pub requester_id: Uuid,
    /// Whom the feedback is to be about.
    pub subject_id: Uuid,
    pub message: String,
    pub created_at: DateTime<Utc>,
}

/// One person asked by a request, and where their answer stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    pub request_id: Uuid,
    pub responder_id: Uuid,
    pub state: AskState,
    /// The feedback that answered it.
    pub feedback_id: Option<Uuid>,
    pub answered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AskState {
    Open,
    Answered,
    Declined,
}

impl AskState {
    pub const ALL: [AskState; 3] = [AskState::Open, AskState::Answered, AskState::Declined];
    pub fn code(self) -> &'static str {
        match self {
            AskState::Open => "open",
            AskState::Answered => "answered",
            AskState::Declined => "declined",
        }
    }
    pub fn parse(s: &str) -> Option<AskState> {
        AskState::ALL.into_iter().find(|a| a.code() == s)
    }
}

/// Recognition (what went well) or improvement (what to change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Recognition,
    Improvement,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Recognition, Kind::Improvement];
    pub fn code(self) -> &'static str {
        match self {
            Kind::Recognition => "recognition",
            Kind::Improvement => "improvement",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// Who sees an item besides its giver (F-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// The recipient's managers (and HR of their unit), not the recipient.
    Manager,
    /// The recipient, and their managers.
    Recipient,
    /// Everyone in the organization: public praise, recognition only.
    Public,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [Visibility::Manager, Visibility::Recipient, Visibility::Public];
    pub fn code(self) -> &'static str {
        match self {
            Visibility::Manager => "manager",
            Visibility::Recipient => "recipient",
            Visibility::Public => "public",
        }
    }
    pub fn parse(s: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|v| v.code() == s)
    }
}

/// A writing guide: the parts it asks for, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// Situation – behaviour – impact.
    Sbi,
    /// Situation – task – action – result.
    Star,
    /// 肯定—改进—鼓励: what works, what to change, encouragement.
    Sandwich,
    /// One free text.
    Free,
}

impl Template {
    pub const ALL: [Template; 4] = [Template::Sbi, Template::Star, Template::Sandwich, Template::Free];
    pub fn code(self) -> &'static str {
        match self {
            Template::Sbi => "sbi",
            Template::Star => "star",
            Template::Sandwich => "sandwich",
            Template::Free => "free",
        }
    }
    pub fn parse(s: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.code() == s)
    }
    /// The parts' codes (their labels and hints are in the locale files).
    pub fn parts(self) -> &'static [&'static str] {
        match self {
            Template::Sbi => &["situation", "behaviour", "impact"],
            Template::Star => &["situation", "task", "action", "result"],
            Template::Sandwich => &["affirm", "improve", "encourage"],
            Template::Free => &["text"],
        }
    }
}

/// Longest part, and longest item (all parts together).
pub const MAX_PART_CHARS: usize = 2_000;
pub const MAX_CHARS: usize = crate::coach::MAX_CHARS;

/// Why an item cannot be given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// `parts` does not match the template's number of parts.
    Parts {
        expected: usize,
    },
    Empty,
    PartTooLong {
        part: &'static str,
    },
    TooLong,
    /// Public is for praise: improvement feedback is never shown to everyone.
    PublicImprovement,
    /// The sandwich is a way to bring up something to improve.
    SandwichIsImprovement,
}

/// Checks an item's parts (trimmed) and returns its text: the non-empty parts, one per line.
pub fn compose(template: Template, kind: Kind, visibility: Visibility, parts: &[String]) -> Result<String, Problem> {
    if parts.len() != template.parts().len() {
        return Err(Problem::Parts { expected: template.parts().len() });
    }
    if visibility == Visibility::Public && kind == Kind::Improvement {
        return Err(Problem::PublicImprovement);
    }
    if template == Template::Sandwich && kind != Kind::Improvement {
        return Err(Problem::SandwichIsImprovement);
    }
    for (p, code) in parts.iter().zip(template.parts()) {
        if p.trim().chars().count() > MAX_PART_CHARS {
            return Err(Problem::PartTooLong { part: code });
        }
    }
    let body: Vec<&str> = parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect();
    if body.is_empty() {
        return Err(Problem::Empty);
    }
    let body = body.join("\n");
    if body.chars().count() > MAX_CHARS {
        return Err(Problem::TooLong);
    }
    Ok(body)
}

/// How one-sided a manager's own feedback is (F-4).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Balance {
    pub recognition: u32,
    pub improvement: u32,
    /// Recognition's share of all, none without feedback.
    pub recognition_share: Option<f64>,
    pub nudge: Option<Nudge>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nudge {
    /// Under a third recognition: people hear only what is wrong.
    MostlyImprovement,
    /// Over nine in ten recognition: nobody is told what to grow in.
    OnlyRecognition,
}

impl Nudge {
    pub fn code(self) -> &'static str {
        match self {
            Nudge::MostlyImprovement => "mostly_improvement",
            Nudge::OnlyRecognition => "only_recognition",
        }
    }
}

/// Days of feedback the balance looks back over.
pub const BALANCE_DAYS: i64 = 90;
/// Fewer items than this say nothing about a habit: no nudge.
pub const BALANCE_MIN_ITEMS: u32 = 4;

pub fn balance(recognition: u32, improvement: u32) -> Balance {
    let total = recognition + improvement;
    let share = (total > 0).then(|| f64::from(recognition) / f64::from(total));
    // In whole numbers, so a share of exactly a third or nine tenths is not one-sided.
    let nudge = if total < BALANCE_MIN_ITEMS {
        None
    } else if recognition * 3 < total {
        Some(Nudge::MostlyImprovement)
    } else if recognition * 10 > total * 9 {
        Some(Nudge::OnlyRecognition)
    } else {
        None
    };
    Balance { recognition, improvement, recognition_share: share, nudge }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn f2_parts_are_joined_and_checked() {
        let body = compose(
            Template::Sbi,
            Kind::Recognition,
            Visibility::Recipient,
            &s(&[" 周二的演示中 ", "", "客户当天签字"]),
        );
        assert_eq!(body.unwrap(), "周二的演示中\n客户当天签字");
        assert_eq!(
            compose(Template::Sbi, Kind::Recognition, Visibility::Recipient, &s(&["a"])),
            Err(Problem::Parts { expected: 3 })
        );
        assert_eq!(compose(Template::Free, Kind::Recognition, Visibility::Recipient, &s(&["  "])), Err(Problem::Empty));
        let long = "字".repeat(MAX_PART_CHARS + 1);
        assert_eq!(
            compose(Template::Free, Kind::Recognition, Visibility::Recipient, &[long]),
            Err(Problem::PartTooLong { part: "text" })
        );
        // Three parts of 1 700 characters: each allowed, 5 102 together is not.
        let part = "字".repeat(1_700);
        assert_eq!(
            compose(Template::Sandwich, Kind::Improvement, Visibility::Manager, &[part.clone(), part.clone(), part]),
            Err(Problem::TooLong)
        );
    }

    #[test]
    fn f2_public_is_for_praise_and_the_sandwich_for_improvement() {
        let one = s(&["x"]);
        assert_eq!(
            compose(Template::Free, Kind::Improvement, Visibility::Public, &one),
            Err(Problem::PublicImprovement)
        );
        assert!(compose(Template::Free, Kind::Recognition, Visibility::Public, &one).is_ok());
        assert_eq!(
            compose(Template::Sandwich, Kind::Recognition, Visibility::Recipient, &s(&["a", "b", "c"])),
            Err(Problem::SandwichIsImprovement)
        );
    }

    #[test]
    fn f4_balance_nudges_only_a_one_sided_habit() {
        // 1 of 5 is recognition: 20 % < 33 %.
        let b = balance(1, 4);
        assert_eq!(b.recognition_share, Some(0.2));
        assert_eq!(b.nudge, Some(Nudge::MostlyImprovement));
        // 1 of 3 is exactly a third: not under it.
        assert_eq!(balance(2, 4).nudge, None);
        // 10 of 11 = 90.9 % > 90 %.
        assert_eq!(balance(10, 1).nudge, Some(Nudge::OnlyRecognition));
        // 9 of 10 = 90 %: not over it.
        assert_eq!(balance(9, 1).nudge, None);
        // Three items say nothing yet; none at all has no share.
        assert_eq!(balance(0, 3).nudge, None);
        assert_eq!(balance(0, 0).recognition_share, None);
    }
}
