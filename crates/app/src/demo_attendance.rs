//! The demo's working hours and leave (issue 26, item 1): half a year of complete weeks for
//! everyone, as an attendance system would export them. Most people work 38–46 hours and take
//! a few days off now and then; about three in a hundred have worked long and rising hours for
//! the last three months without a day of leave, which the signal rules read as sustained
//! overtime and no leave taken.

use chrono::{DateTime, Duration, Utc};
use waymark_domain::attendance::WorkWeek;
use waymark_domain::signals::Windows;
use waymark_store::repo::{attendance as repo, org as org_repo};

use crate::demo::Rng;
use crate::{App, AppResult};

impl App {
    pub(crate) async fn create_demo_attendance(&self, seed: u64) -> AppResult<usize> {
        let c = &self.db.conn;
        let people = org_repo::all_employees(c).await?;
        let mut rng = Rng(seed ^ 0xA77E);
        let w = Windows::new(self.today());
        let (first, until) = (w.leave_from(), w.work_until());
        let overworked_from = w.work_recent_from();
        let mut weeks = Vec::new();
        for p in people.iter().filter(|p| p.is_current()) {
            let overworked = rng.below(100) < 3;
            let mut week = first;
            while week < until {
                // Weeks the person was employed in.
                if week + Duration::days(6) >= p.hire_date {
                    let (hours, leave) = if overworked {
                        // Long weeks, longer in the last three months: 44–52 before, 50–58 since.
                        let base = if week >= overworked_from { 500 } else { 440 };
                        (base + 10 * rng.below(9) as u32, 0)
                    } else if rng.below(100) < 8 {
                        // A few days off: 8 hours fewer for each.
                        let days = 1 + rng.below(5) as u32;
                        (400 - 80 * days + 10 * rng.below(5) as u32, 10 * days)
                    } else {
                        (380 + 10 * rng.below(9) as u32, 0)
                    };
                    weeks.push(WorkWeek { person: p.id, week, hours_tenths: hours, leave_tenths: Some(leave) });
                }
                week += Duration::days(7);
            }
        }
        drop(people);
        let now: DateTime<Utc> = self.clock.now();
        let tx = self.db.begin_bulk_write().await?;
        repo::insert_new(&*tx, &weeks, "import", now, None).await?;
        tx.commit().await?;
        Ok(weeks.len())
    }
}
