//! The light 360 (F-6): after a project ends, collaborators rate one person on a few
//! questions (1–5, with an optional comment), anonymously. What a survey and an answer must
//! be, the key that stops double answers without naming anyone, and the results, which exist
//! only from three answers on and say nothing about who answered when.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// A survey as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    pub id: Uuid,
    /// The person rated.
    pub subject_id: Uuid,
    pub creator_id: Uuid,
    pub project: String,
    pub ended_on: NaiveDate,
    /// The last day to answer.
    pub closes_on: NaiveDate,
    pub questions: Vec<String>,
    /// The survey's random key for the answered marks ([`answered_mark`]).
    pub mark_key: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl Survey {
    /// Still taking answers on `today`: not closed by hand and not past its last day.
    pub fn is_open(&self, today: NaiveDate) -> bool {
        self.closed_at.is_none() && today <= self.closes_on
    }
}

/// Results are shown from this many answers on: fewer could be traced back to a person.
pub const MIN_RESPONSES: usize = 3;
pub const MIN_INVITEES: usize = MIN_RESPONSES;
pub const MAX_INVITEES: usize = 30;
pub const MAX_QUESTIONS: usize = 8;
pub const MAX_QUESTION_CHARS: usize = 60;
pub const MAX_PROJECT_CHARS: usize = 200;
pub const MAX_COMMENT_CHARS: usize = 1_000;
/// The longest a survey stays open.
pub const MAX_OPEN_DAYS: i64 = 30;
/// A survey is about a project that has ended, not one long gone.
pub const MAX_PROJECT_AGE_DAYS: i64 = 90;
pub const SCALE: std::ops::RangeInclusive<u8> = 1..=5;

/// The questions offered when the creator names none.
pub fn default_questions(lang: &str) -> Vec<String> {
    let q: &[&str] = if lang.starts_with("zh") {
        &["沟通效率", "专业支持", "协作态度", "交付质量"]
    } else {
        &["Communication", "Expert support", "Collaboration", "Quality of delivery"]
    };
    q.iter().map(|s| s.to_string()).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NoProject,
    ProjectTooLong,
    /// The project has not ended yet, or ended too long ago.
    ProjectNotEnded,
    ProjectTooOld,
    QuestionCount,
    QuestionEmpty(usize),
    QuestionTooLong(usize),
    QuestionRepeated(usize),
    /// Fewer than three people could never produce results.
    InviteeCount,
    InviteeIsSubject,
    InviteeIsRequester,
    /// The last day to answer is not after today, or too far ahead.
    ClosesOn,
    /// An answer does not rate every question once.
    AnswerCount,
    RatingOutOfScale(usize),
    CommentTooLong(usize),
}

/// A survey as its creator sets it up, before it is checked.
pub struct Setup<'a> {
    pub project: &'a str,
    pub ended_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub questions: &'a [String],
    /// The people invited, already without duplicates.
    pub invitees: &'a [uuid::Uuid],
    pub subject: uuid::Uuid,
    /// Who asks for it: never an invitee, or their own answer would be one of the few and the
    /// others' could be worked out from the results.
    pub requester: uuid::Uuid,
}

/// What anyone may know of the answers while a survey is open: whether enough have come for
/// results, not how many. A count that ticks 1 → 2 → 3 tells its watcher who answered when.
pub fn threshold_reached(responses: u64) -> bool {
    responses >= MIN_RESPONSES as u64
}

pub fn check_setup(s: &Setup<'_>, today: NaiveDate) -> Result<(), Problem> {
    let project = s.project.trim();
    if project.is_empty() {
        return Err(Problem::NoProject);
    }
    if project.chars().count() > MAX_PROJECT_CHARS {
        return Err(Problem::ProjectTooLong);
    }
    if s.ended_on > today {
        return Err(Problem::ProjectNotEnded);
    }
    if (today - s.ended_on).num_days() > MAX_PROJECT_AGE_DAYS {
        return Err(Problem::ProjectTooOld);
    }
    if s.questions.is_empty() || s.questions.len() > MAX_QUESTIONS {
        return Err(Problem::QuestionCount);
    }
    for (i, q) in s.questions.iter().enumerate() {
        let q = q.trim();
        if q.is_empty() {
            return Err(Problem::QuestionEmpty(i));
        }
        if q.chars().count() > MAX_QUESTION_CHARS {
            return Err(Problem::QuestionTooLong(i));
        }
        if s.questions[..i].iter().any(|p| p.trim() == q) {
            return Err(Problem::QuestionRepeated(i));
        }
    }
    if s.invitees.contains(&s.subject) {
        return Err(Problem::InviteeIsSubject);
    }
    if s.invitees.contains(&s.requester) {
        return Err(Problem::InviteeIsRequester);
    }
    if s.invitees.len() < MIN_INVITEES || s.invitees.len() > MAX_INVITEES {
        return Err(Problem::InviteeCount);
    }
    if s.closes_on <= today || (s.closes_on - today).num_days() > MAX_OPEN_DAYS {
        return Err(Problem::ClosesOn);
    }
    Ok(())
}

/// One question's answer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Answer {
    pub rating: u8,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

pub fn check_answers(questions: usize, answers: &[Answer]) -> Result<(), Problem> {
    if answers.len() != questions {
        return Err(Problem::AnswerCount);
    }
    for (i, a) in answers.iter().enumerate() {
        if !SCALE.contains(&a.rating) {
            return Err(Problem::RatingOutOfScale(i));
        }
        if a.comment.trim().chars().count() > MAX_COMMENT_CHARS {
            return Err(Problem::CommentTooLong(i));
        }
    }
    Ok(())
}

/// The mark left by someone who answered: a keyed hash of the survey and the person, under
/// the survey's own random key. It tells "this person has answered" to whoever holds the key
/// and asks about that person; it is stored apart from the answers and with nothing that
/// orders or dates it, so it never tells which answer was theirs.
pub fn answered_mark(key: &[u8], survey: uuid::Uuid, person: uuid::Uuid) -> String {
    crate::secrets::keyed_hex(key, &[survey.as_bytes(), person.as_bytes()])
}

/// One question's results.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionResult {
    pub count: usize,
    /// The mean rating, to one decimal.
    pub mean: f64,
    /// How many gave 1, 2, 3, 4 and 5.
    pub distribution: [usize; 5],
    /// The comments written, sorted by their text: their order says nothing about who wrote
    /// them or when.
    pub comments: Vec<String>,
}

/// The results of a survey's answers, or none below three answers.
pub fn results(questions: usize, answers: &[Vec<Answer>]) -> Option<Vec<QuestionResult>> {
    if answers.len() < MIN_RESPONSES {
        return None;
    }
    Some(
        (0..questions)
            .map(|q| {
                let mut distribution = [0usize; 5];
                let mut sum = 0u32;
                let mut comments = Vec::new();
                for a in answers.iter().filter_map(|r| r.get(q)) {
                    distribution[usize::from(a.rating.clamp(1, 5)) - 1] += 1;
                    sum += u32::from(a.rating);
                    let c = a.comment.trim();
                    if !c.is_empty() {
                        comments.push(c.to_string());
                    }
                }
                comments.sort();
                let count = distribution.iter().sum::<usize>();
                let mean = if count == 0 { 0.0 } else { (f64::from(sum) / count as f64 * 10.0).round() / 10.0 };
                QuestionResult { count, mean, distribution, comments }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }
    fn a(rating: u8, comment: &str) -> Answer {
        Answer { rating, comment: comment.into() }
    }

    #[test]
    fn f6_no_results_below_three_answers() {
        assert_eq!(results(1, &[vec![a(5, "")], vec![a(4, "")]]), None);
        assert!(results(1, &[vec![a(5, "")], vec![a(4, "")], vec![a(1, "")]]).is_some());
    }

    #[test]
    fn f6_means_distribution_and_sorted_comments() {
        // Ratings 5, 4, 4, 2 on the first question: mean 15 / 4 = 3.75 → 3.8; 3, 3, 3, 4 on
        // the second: 13 / 4 = 3.25 → 3.3 (half away from zero).
        let answers = vec![
            vec![a(5, "支持到位"), a(3, "")],
            vec![a(4, ""), a(3, "  ")],
            vec![a(4, "按时交付"), a(3, "")],
            vec![a(2, "响应慢"), a(4, "")],
        ];
        let r = results(2, &answers).unwrap();
        assert_eq!(r[0].count, 4);
        assert_eq!(r[0].mean, 3.8);
        assert_eq!(r[0].distribution, [0, 1, 0, 2, 1]);
        // Sorted by text (code point of the first character), not in the order given: 响应慢
        // (U+54CD), 按时交付 (U+6309), 支持到位 (U+652F).
        assert_eq!(r[0].comments, ["响应慢", "按时交付", "支持到位"]);
        assert_eq!(r[1].mean, 3.3);
        assert!(r[1].comments.is_empty(), "blank comments are not comments");
    }

    #[test]
    fn f6_answers_rate_every_question_on_the_scale() {
        assert_eq!(check_answers(2, &[a(3, "")]), Err(Problem::AnswerCount));
        assert_eq!(check_answers(2, &[a(3, ""), a(6, "")]), Err(Problem::RatingOutOfScale(1)));
        assert_eq!(check_answers(1, &[a(0, "")]), Err(Problem::RatingOutOfScale(0)));
        let long = "好".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(check_answers(1, &[a(3, &long)]), Err(Problem::CommentTooLong(0)));
        assert_eq!(check_answers(2, &[a(1, ""), a(5, "很好")]), Ok(()));
    }

    #[test]
    fn f6_while_open_only_the_threshold_is_told() {
        let told: Vec<bool> = (0..5).map(threshold_reached).collect();
        assert_eq!(told, vec![false, false, false, true, true]);
    }

    #[test]
    fn f6_a_survey_needs_three_people_an_ended_project_and_a_close_date_ahead() {
        let today = day(11, 30);
        let subject = Uuid::from_u128(1);
        let three = [Uuid::from_u128(2), Uuid::from_u128(3), Uuid::from_u128(4)];
        let q = default_questions("zh-CN");
        let ok = Setup {
            project: "支付重构",
            ended_on: day(11, 27),
            closes_on: day(12, 7),
            questions: &q,
            invitees: &three,
            subject,
            requester: Uuid::from_u128(9),
        };
        assert_eq!(check_setup(&ok, today), Ok(()));
        assert_eq!(check_setup(&Setup { invitees: &three[..2], ..ok }, today), Err(Problem::InviteeCount));
        let with_subject = [three[0], three[1], subject];
        assert_eq!(check_setup(&Setup { invitees: &with_subject, ..ok }, today), Err(Problem::InviteeIsSubject));
        // A manager asking about a report invites themselves: refused (issue 22, item 6).
        let with_requester = [three[0], three[1], three[2], Uuid::from_u128(9)];
        let asked = Setup { invitees: &with_requester, ..ok };
        assert_eq!(check_setup(&asked, today), Err(Problem::InviteeIsRequester));
        assert_eq!(check_setup(&Setup { ended_on: day(12, 1), ..ok }, today), Err(Problem::ProjectNotEnded));
        // 2026-09-01 is 90 days before 2026-11-30 (29 + 31 + 30); a day earlier is too old.
        assert_eq!(check_setup(&Setup { ended_on: day(9, 1), ..ok }, today), Ok(()));
        assert_eq!(check_setup(&Setup { ended_on: day(8, 31), ..ok }, today), Err(Problem::ProjectTooOld));
        assert_eq!(check_setup(&Setup { closes_on: today, ..ok }, today), Err(Problem::ClosesOn));
        assert_eq!(check_setup(&Setup { closes_on: day(12, 31), ..ok }, today), Err(Problem::ClosesOn));
        assert_eq!(check_setup(&Setup { closes_on: day(12, 30), ..ok }, today), Ok(()));
        let repeated = vec!["沟通效率".to_string(), " 沟通效率 ".into()];
        assert_eq!(check_setup(&Setup { questions: &repeated, ..ok }, today), Err(Problem::QuestionRepeated(1)));
        assert_eq!(check_setup(&Setup { questions: &[], ..ok }, today), Err(Problem::QuestionCount));
    }

    #[test]
    fn f6_the_mark_depends_on_key_survey_and_person() {
        let (s, p) = (Uuid::from_u128(7), Uuid::from_u128(8));
        let m = answered_mark(b"k1", s, p);
        assert_eq!(m.len(), 64);
        assert_eq!(m, answered_mark(b"k1", s, p));
        assert_ne!(m, answered_mark(b"k2", s, p));
        assert_ne!(m, answered_mark(b"k1", s, Uuid::from_u128(9)));
        assert!(!m.contains(&p.simple().to_string()));
    }
}
