//! The key-event journal (F-5, 关键事件 / 绩效日志): a dated, notable contribution or problem
//! with its evidence, written down when it happens so a review is written from facts, not
//! memory. What makes an entry acceptable is decided here.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// A contribution (what went notably well) or a problem (what went notably wrong).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Contribution,
    Problem,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Contribution, Kind::Problem];
    pub fn code(self) -> &'static str {
        match self {
            Kind::Contribution => "contribution",
            Kind::Problem => "problem",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// One entry as kept: about a person, by its author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub author_id: Uuid,
    pub kind: Kind,
    pub occurred_on: NaiveDate,
    pub title: String,
    pub evidence: String,
    /// http(s) addresses of the evidence.
    pub links: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_EVIDENCE_CHARS: usize = 5_000;
pub const MAX_LINKS: usize = 5;
pub const MAX_LINK_CHARS: usize = 2_000;
pub const MAX_GOALS: usize = 5;
/// How far back an event may be dated: a journal is kept as things happen; older events
/// belong in the review itself.
pub const MAX_AGE_DAYS: i64 = 400;

/// An entry as written, before it is checked.
#[derive(Debug, Clone)]
pub struct Draft<'a> {
    pub occurred_on: NaiveDate,
    pub title: &'a str,
    pub evidence: &'a str,
    pub links: &'a [String],
    pub goals: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NoTitle,
    TitleTooLong,
    /// An entry is evidence: what happened, with facts, is required.
    NoEvidence,
    EvidenceTooLong,
    InFuture,
    TooOld,
    TooManyLinks,
    /// The link at this position is not an http(s) address.
    BadLink(usize),
    TooManyGoals,
}

/// Checks a draft against the rules, on `today` in the organization's time zone.
pub fn check(d: &Draft<'_>, today: NaiveDate) -> Result<(), Problem> {
    let title = d.title.trim();
    if title.is_empty() {
        return Err(Problem::NoTitle);
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(Problem::TitleTooLong);
    }
    let evidence = d.evidence.trim();
    if evidence.is_empty() {
        return Err(Problem::NoEvidence);
    }
    if evidence.chars().count() > MAX_EVIDENCE_CHARS {
        return Err(Problem::EvidenceTooLong);
    }
    if d.occurred_on > today {
        return Err(Problem::InFuture);
    }
    if (today - d.occurred_on).num_days() > MAX_AGE_DAYS {
        return Err(Problem::TooOld);
    }
    if d.links.len() > MAX_LINKS {
        return Err(Problem::TooManyLinks);
    }
    if let Some(i) = d.links.iter().position(|l| !is_web_link(l.trim())) {
        return Err(Problem::BadLink(i));
    }
    if d.goals > MAX_GOALS {
        return Err(Problem::TooManyGoals);
    }
    Ok(())
}

/// An http(s) address with a host and no spaces: evidence others can open. Anything else
/// (javascript:, file:, a bare word) is refused so a link on the page is always safe to follow.
pub fn is_web_link(s: &str) -> bool {
    if s.chars().count() > MAX_LINK_CHARS || s.chars().any(char::is_whitespace) {
        return false;
    }
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    matches!(rest, Some(r) if r.split(['/', '?', '#']).next().is_some_and(|host| !host.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn draft<'a>(on: NaiveDate, title: &'a str, evidence: &'a str, links: &'a [String]) -> Draft<'a> {
        Draft { occurred_on: on, title, evidence, links, goals: 0 }
    }

    #[test]
    fn f5_an_entry_needs_a_title_and_evidence() {
        let today = day(11, 30);
        assert_eq!(check(&draft(today, "  ", "x", &[]), today), Err(Problem::NoTitle));
        assert_eq!(check(&draft(today, "上线", " \n", &[]), today), Err(Problem::NoEvidence));
        assert_eq!(check(&draft(today, "双十一扩容零故障", "峰值 12 万 QPS，无告警", &[]), today), Ok(()));
        let long = "字".repeat(MAX_TITLE_CHARS + 1);
        assert_eq!(check(&draft(today, &long, "x", &[]), today), Err(Problem::TitleTooLong));
        let exactly = "字".repeat(MAX_TITLE_CHARS);
        assert_eq!(check(&draft(today, &exactly, "x", &[]), today), Ok(()));
    }

    #[test]
    fn f5_dated_today_or_within_400_days_never_ahead() {
        let today = day(11, 30);
        assert_eq!(check(&draft(day(12, 1), "t", "e", &[]), today), Err(Problem::InFuture));
        // 2025-10-26 is 400 days before 2026-11-30 (35 to 2025-11-30, then 365); one more is too old.
        let oldest = NaiveDate::from_ymd_opt(2025, 10, 26).unwrap();
        assert_eq!((today - oldest).num_days(), 400);
        assert_eq!(check(&draft(oldest, "t", "e", &[]), today), Ok(()));
        assert_eq!(check(&draft(oldest.pred_opt().unwrap(), "t", "e", &[]), today), Err(Problem::TooOld));
    }

    #[test]
    fn f5_links_are_web_addresses_only() {
        let today = day(11, 30);
        let ok = vec!["https://git.example.cn/pr/42".to_string(), "http://wiki/x".into()];
        assert_eq!(check(&draft(today, "t", "e", &ok), today), Ok(()));
        let bad = vec!["https://ok.cn".to_string(), "javascript:alert(1)".into()];
        assert_eq!(check(&draft(today, "t", "e", &bad), today), Err(Problem::BadLink(1)));
        assert!(!is_web_link("https://"));
        assert!(!is_web_link("https://a b"));
        assert!(!is_web_link("ftp://x"));
        let six: Vec<String> = (0..6).map(|i| format!("https://x/{i}")).collect();
        assert_eq!(check(&draft(today, "t", "e", &six), today), Err(Problem::TooManyLinks));
    }

    #[test]
    fn f5_at_most_five_goals() {
        let today = day(11, 30);
        let d = Draft { goals: 6, ..draft(today, "t", "e", &[]) };
        assert_eq!(check(&d, today), Err(Problem::TooManyGoals));
    }
}
