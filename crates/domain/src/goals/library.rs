//! Whom a goal template or a key-result library item suits (G-8): a job family, a level and a
//! period, each blank for "any". HR types families and levels by hand, so they match without
//! regard to case or surrounding spaces.

/// Whom an entry of the library names; `None` (or blank) matches anyone.
#[derive(Debug, Clone, Copy, Default)]
pub struct Suits<'a> {
    pub job_family: Option<&'a str>,
    pub level: Option<&'a str>,
}

fn same(tag: Option<&str>, value: Option<&str>) -> bool {
    match tag.map(str::trim).filter(|t| !t.is_empty()) {
        None => true,
        Some(t) => value.map(str::trim).is_some_and(|v| v.to_lowercase() == t.to_lowercase()),
    }
}

impl Suits<'_> {
    /// Whether a person of this job family and level is someone the entry is meant for.
    pub fn person(&self, job_family: Option<&str>, level: Option<&str>) -> bool {
        same(self.job_family, job_family) && same(self.level, level)
    }

    /// Whether the entry shows under a library filter: a blank filter field shows everything, a
    /// filled one shows the entries for that value and those for anyone.
    pub fn filter(&self, job_family: Option<&str>, level: Option<&str>) -> bool {
        let shown = |tag: Option<&str>, f: Option<&str>| match f.map(str::trim).filter(|f| !f.is_empty()) {
            None => true,
            Some(_) => same(tag, f),
        };
        shown(self.job_family, job_family) && shown(self.level, level)
    }
}

#[cfg(test)]
mod tests {
    //! G-8 templates and the key-result library by job family and level.
    use super::*;

    const SALES_P5: Suits = Suits { job_family: Some("Sales"), level: Some("P5") };

    #[test]
    fn g8_a_template_suits_its_family_and_level_only() {
        assert!(SALES_P5.person(Some("sales"), Some(" p5 ")), "case and spaces do not matter");
        assert!(!SALES_P5.person(Some("Sales"), Some("P6")));
        assert!(!SALES_P5.person(None, Some("P5")), "a person without a family is not in a family");
        assert!(!SALES_P5.person(Some("R&D"), Some("P5")));
    }

    #[test]
    fn g8_blank_tags_suit_everyone() {
        let any = Suits::default();
        assert!(any.person(None, None));
        assert!(any.person(Some("Sales"), Some("M2")));
        let blank = Suits { job_family: Some(" "), level: None };
        assert!(blank.person(Some("R&D"), None));
        let sales_any_level = Suits { job_family: Some("销售"), level: None };
        assert!(sales_any_level.person(Some("销售"), Some("P3")));
        assert!(!sales_any_level.person(Some("研发"), Some("P3")));
    }

    #[test]
    fn g8_library_filter_shows_matches_and_entries_for_anyone() {
        let any = Suits::default();
        assert!(SALES_P5.filter(None, None), "no filter shows everything");
        assert!(SALES_P5.filter(Some("SALES"), None));
        assert!(!SALES_P5.filter(Some("R&D"), None));
        assert!(any.filter(Some("R&D"), Some("P9")), "an entry for anyone shows under every filter");
        assert!(!SALES_P5.filter(Some("Sales"), Some("P6")));
    }
}
