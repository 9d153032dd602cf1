//! Goal periods (G-3): the stretch of time goals are set and measured over — a year, a half, a
//! quarter, a month or a custom span — with an optional goal-setting deadline (T-6).

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodKind {
    Year,
    Half,
    Quarter,
    Month,
    Custom,
}

impl PeriodKind {
    pub const ALL: [PeriodKind; 5] = [Self::Year, Self::Half, Self::Quarter, Self::Month, Self::Custom];

    /// The code the API and the store use.
    pub fn code(self) -> &'static str {
        match self {
            Self::Year => "year",
            Self::Half => "half",
            Self::Quarter => "quarter",
            Self::Month => "month",
            Self::Custom => "custom",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// Every code, in the order a form offers them.
    pub fn codes() -> [&'static str; 5] {
        Self::ALL.map(Self::code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub id: Uuid,
    pub name: String,
    pub kind: PeriodKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The goal-setting deadline: reminders go out in the working days before it.
    pub setting_due_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

impl Period {
    /// Whether the day falls within the period, both ends included.
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && day <= self.ends_on
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g3_every_kind_reads_back_from_its_code_and_nothing_else_does() {
        for k in PeriodKind::ALL {
            assert_eq!(PeriodKind::parse(k.code()), Some(k));
        }
        assert_eq!(PeriodKind::codes(), ["year", "half", "quarter", "month", "custom"]);
        assert_eq!(PeriodKind::parse("weekly"), None);
        assert_eq!(PeriodKind::parse("Quarter"), None);
    }

    #[test]
    fn g3_a_period_contains_its_first_and_last_day() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let q = Period {
            id: Uuid::nil(),
            name: "2026 Q4".into(),
            kind: PeriodKind::Quarter,
            starts_on: d(10, 1),
            ends_on: d(12, 31),
            setting_due_on: None,
            created_at: DateTime::<Utc>::MIN_UTC,
        };
        assert!(q.contains(d(10, 1)) && q.contains(d(12, 31)));
        assert!(!q.contains(d(9, 30)));
    }
}
