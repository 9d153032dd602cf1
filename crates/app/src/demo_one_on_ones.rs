//! The demo's 1:1s (F-1): most manager–report pairs meet weekly or every two weeks since six
//! weeks ago — most past meetings held, a few cancelled — with the coming eight weeks on their
//! calendars; the demo manager and employee's latest 1:1 has an agenda, notes and action items,
//! and their next one a topic already, so the pages and the follow-up rates have something true
//! to show. Large benchmark organizations (over 5 000 people) get none.

use chrono::{Datelike, Duration, NaiveTime, Weekday};
use uuid::Uuid;
use waymark_domain::one_on_one::{ActionItem, AgendaItem, Cadence, Meeting, MeetingState, Series, occurrences};
use waymark_domain::org::Employee;
use waymark_store::repo::{accounts as accounts_repo, one_on_ones as repo, org as org_repo};

use crate::demo::Rng;
use crate::{App, AppResult};

const MOST_PEOPLE: usize = 5_000;

impl App {
    pub(crate) async fn create_demo_one_on_ones(&self, seed: u64, english: bool) -> AppResult<usize> {
        let c = &self.db.conn;
        let people = org_repo::all_employees(c).await?;
        if people.len() > MOST_PEOPLE || !repo::active_series(c).await?.is_empty() {
            return Ok(0);
        }
        let mut rng = Rng(seed ^ 0x1011);
        let now = self.clock.now();
        let zone = self.zone();
        let (cal, _) = self.calendar().current().await?;
        let today = zone.date(now);
        // The demo's own pair gets the richest history.
        let demo_pair = self.demo_pair().await?;
        let active: std::collections::HashSet<Uuid> = people.iter().filter(|p| p.is_current()).map(|p| p.id).collect();
        let pairs: Vec<&Employee> =
            people.iter().filter(|p| p.is_active() && p.manager_id.is_some_and(|m| active.contains(&m))).collect();
        let (mut series, mut meetings) = (Vec::new(), Vec::new());
        // The demo pair's series, latest held meeting and manager.
        let mut detailed: Option<(Uuid, Uuid, Uuid)> = None;
        for p in pairs {
            let manager = p.manager_id.expect("filtered");
            let is_demo = demo_pair == Some((manager, p.id));
            if !is_demo && rng.below(10) >= 7 {
                continue;
            }
            let cadence = if is_demo || rng.below(10) < 6 { Cadence::Weekly } else { Cadence::Biweekly };
            // Six weeks ago, on a weekday at a round hour.
            let weekday = Weekday::try_from(rng.below(5) as u8).unwrap_or(Weekday::Tue);
            let mut day = today - Duration::days(42);
            while day.weekday() != weekday {
                day += Duration::days(1);
            }
            let hour = [10, 11, 14, 15, 16][rng.below(5)];
            let first = day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("an hour"));
            let s = Series {
                id: Uuid::now_v7(),
                manager_id: manager,
                report_id: p.id,
                cadence,
                first_at: zone.at(first),
                first_occurrence: 0,
                duration_min: if is_demo { 30 } else { [30, 30, 45, 60][rng.below(4)] },
                location: Some(if english { "Meeting room 3F" } else { "3F 小会议室" }.into()),
                active: true,
                created_by: None,
                created_at: zone.at(first) - Duration::days(2),
                updated_at: zone.at(first) - Duration::days(2),
            };
            let past = occurrences(first, cadence, first, zone.time(now), &cal);
            let mut last_held = None;
            for o in &past {
                let starts_at = zone.at(o.starts);
                let state = match rng.below(100) {
                    _ if is_demo => MeetingState::Held,
                    0..=84 => MeetingState::Held,
                    85..=92 => MeetingState::Cancelled,
                    // Not marked either way: still shows as scheduled, as it happens.
                    _ => MeetingState::Scheduled,
                };
                let id = Uuid::now_v7();
                if state == MeetingState::Held {
                    last_held = Some(id);
                }
                let mut m = Meeting::of(id, &s, o.index as i32, starts_at, s.created_at);
                m.state = state;
                m.held_at = (state == MeetingState::Held).then(|| m.ends_at());
                m.sequence = i32::from(state == MeetingState::Cancelled);
                m.updated_at = starts_at;
                meetings.push(m);
            }
            if is_demo && let Some(held) = last_held {
                detailed = Some((s.id, held, manager));
            }
            series.push(s);
        }
        let tx = self.db.begin_bulk_write().await?;
        for s in &series {
            repo::insert_series(&*tx, s.clone()).await?;
        }
        repo::insert_meetings(&*tx, meetings).await?;
        for s in &series {
            crate::one_on_ones::top_up_series(self, &*tx, s, &cal, now).await?;
        }
        if let Some((series_id, held, manager)) = detailed {
            self.demo_conversation(&*tx, series_id, held, manager, english, now).await?;
        }
        tx.commit().await?;
        Ok(series.len())
    }

    /// The demo manager and the demo employee (their report), if both are there.
    pub(crate) async fn demo_pair(&self) -> AppResult<Option<(Uuid, Uuid)>> {
        let c = &self.db.conn;
        let who = |u: Option<waymark_store::entities::user_account::Model>| u.and_then(|u| u.employee_id);
        let manager = who(accounts_repo::user_by_username(c, "manager").await?);
        let employee = who(accounts_repo::user_by_username(c, "employee").await?);
        Ok(manager.zip(employee))
    }

    /// The demo pair's latest 1:1: an agenda worked through, shared notes, three action items
    /// (one done); and a topic the employee added to the next one.
    async fn demo_conversation<C: waymark_store::sea_orm::ConnectionTrait>(
        &self,
        c: &C,
        series: Uuid,
        held: Uuid,
        manager: Uuid,
        english: bool,
        now: chrono::DateTime<chrono::Utc>,
    ) -> AppResult<()> {
        let Some(mut m) = repo::meeting(c, held).await? else { return Ok(()) };
        let report = m.report_id;
        let (agenda, notes, actions, next_topic) = if english {
            (
                ["Q4 key account plan", "Help with the legal review of the contract template", "Training budget"],
                "Agreed: focus the last month on the two largest renewals; legal review escalated by the manager.",
                [
                    "Send the renewal proposal to both accounts",
                    "Ask legal for a date on the template",
                    "Pick a negotiation course",
                ],
                "Feedback on my first customer workshop",
            )
        } else {
            (
                ["四季度重点客户计划", "合同模板法务审核需要支持", "培训预算"],
                "结论：最后一个月集中推进两家最大的续约客户；法务审核由主管出面协调。",
                ["给两家客户发送续约方案", "请法务给出模板审核时间", "选一门谈判技巧课程"],
                "想听听对我第一次客户工作坊的反馈",
            )
        };
        for (i, text) in agenda.iter().enumerate() {
            let author = if i == 1 { report } else { manager };
            let item = AgendaItem {
                id: Uuid::now_v7(),
                meeting_id: held,
                author_id: author,
                text: text.to_string(),
                position: i as i32,
                discussed: true,
                created_at: m.starts_at - Duration::days(1),
            };
            repo::insert_agenda_item(c, item).await?;
        }
        m.shared_notes = notes.into();
        m.notes_by = Some(manager);
        m.notes_at = Some(m.starts_at + Duration::minutes(35));
        repo::update_meeting(c, m.clone()).await?;
        for (i, text) in actions.iter().enumerate() {
            let owner = if i == 1 { manager } else { report };
            let a = ActionItem {
                id: Uuid::now_v7(),
                series_id: series,
                meeting_id: held,
                owner_id: owner,
                text: text.to_string(),
                due_on: Some(self.zone().date(m.starts_at) + Duration::days(7)),
                done_at: (i == 2).then(|| m.starts_at + Duration::days(2)),
                done_by: (i == 2).then_some(report),
                created_by: Some(manager),
                created_at: m.starts_at + Duration::minutes(30),
            };
            repo::insert_action(c, a).await?;
        }
        let next = repo::meetings_of_series_from(c, series, now).await?.into_iter().find(Meeting::is_scheduled);
        if let Some(n) = next {
            let item = AgendaItem {
                id: Uuid::now_v7(),
                meeting_id: n.id,
                author_id: report,
                text: next_topic.into(),
                position: 0,
                discussed: false,
                created_at: now,
            };
            repo::insert_agenda_item(c, item).await?;
        }
        Ok(())
    }
}
