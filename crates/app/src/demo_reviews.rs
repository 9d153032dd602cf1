//! The demo's review cycle (V-1 … V-3): HR's starter template and a cycle over the whole
//! organization for the quarter, launched, with every writing stage open today — so the demo
//! employee has a self review to write beside their evidence and can name peers, and the demo
//! manager can review their reports; before it, last quarter's cycle finished
//! (`demo_review_history`). Large benchmark organizations (over 5 000 people) get none: the
//! launch benchmark makes its own.

use chrono::{Duration, NaiveDate};
use waymark_domain::goals::period::Period;
use waymark_store::repo::reviews as repo;

use crate::policy::Actor;
use crate::reviews::{CycleInput, StageInput, starter_template};
use crate::{App, AppResult};

pub(crate) const MOST_PEOPLE: usize = 5_000;

impl App {
    pub(crate) async fn create_demo_reviews(
        &self,
        english: bool,
        quarter: &Period,
        last_quarter: Option<&Period>,
        people: usize,
    ) -> AppResult<()> {
        if people > MOST_PEOPLE || !repo::templates(&self.db.conn).await?.is_empty() {
            return Ok(());
        }
        let hr = Actor::system("demo");
        let lang = if english { "en" } else { "zh-CN" };
        let t = self.reviews().save_template(&hr, None, starter_template(lang)).await?;
        if let Some(last) = last_quarter {
            self.create_demo_past_cycle(english, t.id, last).await?;
        }
        let today = self.today();
        // Not before the quarter began (a demo made on its first day).
        let d = |days: i64| (today + Duration::days(days)).max(quarter.starts_on);
        let s = |stage: &str, opens_on: NaiveDate, closes_on: NaiveDate| StageInput {
            stage: stage.into(),
            opens_on,
            closes_on,
        };
        let input = CycleInput {
            name: format!("{} {}", quarter.name, if english { "quarterly review" } else { "季度绩效考核" }),
            period_id: quarter.id,
            template_id: t.id,
            unit_ids: vec![],
            job_families: vec![],
            levels: vec![],
            hired_by: None,
            stages: vec![
                s("self_review", d(-1), d(6)),
                s("peer_nomination", d(-1), d(1)),
                s("peer_review", d(-1), d(8)),
                s("manager_review", d(-1), d(10)),
                s("calibration", d(11), d(13)),
                s("release", d(15), d(15)),
                s("acknowledgement", d(15), d(19)),
                s("appeals", d(15), d(22)),
            ],
        };
        let cycle = self.reviews().create_cycle(&hr, input).await?;
        // Launched without notifications: a demo e-mails nobody.
        self.reviews().launch_and_tell(&hr, cycle.id, false).await?;
        Ok(())
    }
}
