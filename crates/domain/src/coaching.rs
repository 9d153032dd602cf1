//! The coaching question bank (F-8): questions a manager can ask in a 1:1 or when giving
//! feedback, by what they are about. The words are in the language files (`prompt-<code>`);
//! HR adds their own beside these.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// What a question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// How the person is doing.
    Wellbeing,
    /// Goals and progress.
    Progress,
    /// What is in the way and what help is needed.
    Obstacles,
    /// Growth and career.
    Growth,
    /// Feedback both ways.
    Feedback,
}

/// A question HR added to the bank (the built-in ones live in `BANK`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub id: Uuid,
    pub topic: Topic,
    pub text_zh: String,
    /// Shown to English readers when given.
    pub text_en: Option<String>,
    /// Retired questions are kept, to bring back.
    pub active: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl Topic {
    pub const ALL: [Topic; 5] = [Topic::Wellbeing, Topic::Progress, Topic::Obstacles, Topic::Growth, Topic::Feedback];

    pub fn code(self) -> &'static str {
        match self {
            Topic::Wellbeing => "wellbeing",
            Topic::Progress => "progress",
            Topic::Obstacles => "obstacles",
            Topic::Growth => "growth",
            Topic::Feedback => "feedback",
        }
    }

    pub fn parse(s: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.code() == s)
    }
}

/// The built-in questions: (topic, code of the words).
pub const BANK: [(Topic, &str); 20] = [
    (Topic::Wellbeing, "wellbeing-1"),
    (Topic::Wellbeing, "wellbeing-2"),
    (Topic::Wellbeing, "wellbeing-3"),
    (Topic::Wellbeing, "wellbeing-4"),
    (Topic::Progress, "progress-1"),
    (Topic::Progress, "progress-2"),
    (Topic::Progress, "progress-3"),
    (Topic::Progress, "progress-4"),
    (Topic::Obstacles, "obstacles-1"),
    (Topic::Obstacles, "obstacles-2"),
    (Topic::Obstacles, "obstacles-3"),
    (Topic::Obstacles, "obstacles-4"),
    (Topic::Growth, "growth-1"),
    (Topic::Growth, "growth-2"),
    (Topic::Growth, "growth-3"),
    (Topic::Growth, "growth-4"),
    (Topic::Feedback, "feedback-1"),
    (Topic::Feedback, "feedback-2"),
    (Topic::Feedback, "feedback-3"),
    (Topic::Feedback, "feedback-4"),
];

/// `n` questions of `total` to suggest today, one per topic in turn, changing with `seed` (the
/// meeting) so two meetings rarely suggest the same ones and one meeting always shows the same.
pub fn pick(total: usize, n: usize, seed: u64) -> Vec<usize> {
    if total == 0 {
        return vec![];
    }
    let step = 7; // coprime with 20 and most small banks: walks through every question
    let mut out = Vec::new();
    let mut i = (seed % total as u64) as usize;
    while out.len() < n.min(total) {
        if !out.contains(&i) {
            out.push(i);
        }
        i = (i + step) % total;
        if out.len() < n.min(total) && out.contains(&i) {
            i = (i + 1) % total;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f8_the_bank_covers_every_topic() {
        for t in Topic::ALL {
            assert_eq!(BANK.iter().filter(|(topic, _)| *topic == t).count(), 4, "{t:?}");
            assert_eq!(Topic::parse(t.code()), Some(t));
        }
    }

    #[test]
    fn f8_suggestions_are_distinct_and_stable() {
        // Seed 3 in a bank of 20: 3, then 10, 17, 4 (7 steps, wrapping).
        assert_eq!(pick(20, 4, 3), vec![3, 10, 17, 4]);
        assert_eq!(pick(20, 4, 3), pick(20, 4, 3));
        assert_eq!(pick(2, 4, 9), vec![1, 0]);
        assert!(pick(0, 3, 1).is_empty());
        let many = pick(21, 21, 5);
        let mut sorted = many.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 21, "every question once");
    }
}
