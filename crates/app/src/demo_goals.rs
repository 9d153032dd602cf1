//! Goals for the demo organization: a year and the current quarter; three company goals rolled
//! up from two year goals of every business unit, which are measured directly (as finance and
//! the survey measure them); two quarter priorities of every department and a goal per team,
//! rolled up from below; and each active individual contributor's OKR of their job family
//! (results with a behaviour, process, quality or safety indicator beside them) aligned to
//! their team's goal, often with a KPI beside it — some left unaligned so break points show.
//! Most goals are on pace, some behind, a few far behind; most are agreed, some wait in the
//! workflow. Progress is rolled up through the whole graph before anything is written, with
//! the same rule the services use.

use std::collections::HashMap;
use waymark_domain::goals::period::{Period, PeriodKind};

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;
use waymark_domain::org::{Employee, Unit};
use waymark_store::entities::{goal, goal_approval, goal_link};
use waymark_store::repo::goals::{self as repo, GoalRecord};
use waymark_store::repo::{org as org_repo, workflow as wf_repo};

use crate::audit::entry;
use crate::demo::{DemoOptions, Rng};
use crate::demo_content::{self, COMPANY, GoalText, Kr};
use crate::goals::convert::{blank_key_result, to_e4};
use crate::goals::evaluate::{Fixed, evaluate};
use crate::policy::Actor;
use crate::{App, AppError, AppResult};

#[derive(Debug, Clone, Default)]
pub struct DemoGoalsSummary {
    pub goals: usize,
    pub key_results: usize,
    pub links: usize,
    pub check_ins: usize,
}

struct Builder<'a> {
    rng: Rng,
    english: bool,
    /// The share of each period gone by today: where a goal on pace stands.
    elapsed: HashMap<Uuid, f64>,
    now: chrono::DateTime<chrono::Utc>,
    records: Vec<GoalRecord>,
    links: Vec<goal_link::Model>,
    pending: Vec<goal_approval::Model>,
    managers: &'a HashMap<Uuid, Option<Uuid>>,
    /// A finished period (last quarter): its goals were agreed and filed at its start.
    finished: Option<(Uuid, chrono::DateTime<chrono::Utc>)>,
}

impl Builder<'_> {
    /// How far a goal has come by today against its period's pace, as a real company's goals
    /// spread: most on pace or ahead, some behind, a few far behind.
    fn reached(&mut self, period: Uuid) -> f64 {
        let pace = self.elapsed.get(&period).copied().unwrap_or(0.5);
        let spread = |rng: &mut Rng, from: f64, to: f64| from + (to - from) * rng.below(1000) as f64 / 1000.0;
        let at = match self.rng.below(100) {
            0..=75 => pace + spread(&mut self.rng, -0.06, 0.15),
            76..=89 => pace - spread(&mut self.rng, 0.11, 0.22),
            _ => pace - spread(&mut self.rng, 0.27, 0.40),
        };
        at.clamp(0.0, 1.05)
    }

    #[allow(clippy::too_many_arguments)]
    fn goal(
        &mut self,
        period: Uuid,
        title: String,
        framework: &str,
        level: &str,
        unit_id: Option<Uuid>,
        owners: Vec<Uuid>,
        krs_of: &[Kr],
        parent: Option<Uuid>,
    ) -> Uuid {
        let from_children = krs_of.is_empty();
        let id = self.rng.uuid();
        let finished = self.finished.filter(|(p, _)| *p == period).map(|(_, at)| at);
        let set_at = finished.unwrap_or(self.now);
        // Shared goals are agreed; a person's goals are mostly agreed, some still in the workflow.
        let status = if level != "individual" || finished.is_some() {
            "filed"
        } else {
            match self.rng.below(20) {
                0 | 1 => "draft",
                2 | 3 => "submitted",
                4..=9 => "approved",
                _ => "filed",
            }
        };
        if status == "submitted" {
            let approver = owners.first().and_then(|o| self.managers.get(o).copied().flatten());
            self.pending.push(goal_approval::Model {
                goal_id: id,
                step: "manager".into(),
                path: "manager,hr_filing".into(),
                approver_id: approver,
                unit_id,
                submitted_by: None,
                submitted_at: self.now,
                reason: None,
            });
        }
        let reached = self.reached(period);
        let mut krs = Vec::new();
        for (i, spec) in krs_of.iter().enumerate() {
            let (name, unit_label) = if self.english { spec.en } else { spec.zh };
            let mut k = blank_key_result(id, i as i32, set_at);
            k.id = self.rng.uuid();
            k.title = name.to_string();
            k.unit_label = Some(unit_label.to_string());
            // Each key result near the goal's own pace, not all in step.
            let share = (reached + (self.rng.below(200) as f64 - 100.0) / 1000.0).clamp(0.0, 1.05);
            let current = spec.start + share * (spec.target - spec.start);
            let current = demo_content::as_entered(current, spec.start, spec.target);
            k.kind = if framework == "kpi" { "kpi".into() } else { "numeric".into() };
            let lower = spec.target < spec.start;
            k.direction = Some(if lower { "lower_is_better" } else { "higher_is_better" }.into());
            k.formula = (framework == "kpi").then(|| "ratio".into());
            k.start_e4 = Some(to_e4(spec.start));
            k.target_e4 = Some(to_e4(spec.target));
            k.current_e4 = Some(to_e4(current));
            krs.push(k);
        }
        if let Some(p) = parent {
            self.links.push(goal_link::Model {
                id: self.rng.uuid(),
                child_goal_id: id,
                child_kr_id: None,
                parent_goal_id: p,
                parent_kr_id: None,
                weight_bp: None,
                created_at: set_at,
            });
        }
        self.records.push(GoalRecord {
            goal: goal::Model {
                id,
                period_id: period,
                title,
                description: None,
                framework: framework.into(),
                level: level.into(),
                unit_id,
                visibility: if self.rng.below(25) == 0 && level == "individual" { "private" } else { "public" }.into(),
                status: status.into(),
                progress_source: if from_children { "children" } else { "key_results" }.into(),
                is_key: true,
                weight_bp: None,
                due_on: None,
                template_id: None,
                progress_bp: 0,
                created_by: None,
                created_at: set_at,
                updated_at: set_at,
            },
            owners,
            key_results: krs,
        });
        id
    }
}

/// The head of a unit: a member whose manager works elsewhere (or who has none).
fn heads(units: &[Unit], people: &[Employee]) -> HashMap<Uuid, Uuid> {
    let unit_of: HashMap<Uuid, Uuid> = people.iter().map(|p| (p.id, p.unit_id)).collect();
    let mut out = HashMap::new();
    for p in people.iter().filter(|p| p.is_current()) {
        let boss_here = p.manager_id.and_then(|m| unit_of.get(&m)).is_some_and(|u| *u == p.unit_id);
        if !boss_here {
            out.entry(p.unit_id).or_insert(p.id);
        }
    }
    // Units without such a member: their first member, found in one pass.
    let mut first: HashMap<Uuid, Uuid> = HashMap::with_capacity(units.len());
    for p in people {
        first.entry(p.unit_id).or_insert(p.id);
    }
    for u in units {
        if let (std::collections::hash_map::Entry::Vacant(e), Some(p)) = (out.entry(u.id), first.get(&u.id)) {
            e.insert(*p);
        }
    }
    out
}

impl App {
    /// Adds demo goals unless goal periods already exist. Returns what it wrote.
    pub async fn create_demo_goals(&self, opts: &DemoOptions) -> AppResult<Option<DemoGoalsSummary>> {
        let (seed, english) = (opts.seed, opts.english);
        let started = std::time::Instant::now();
        let c = &self.db.conn;
        if !repo::periods(c).await?.is_empty() {
            return Ok(None);
        }
        let units = org_repo::all_units(c).await?;
        let people = org_repo::all_employees(c).await?;
        if people.is_empty() {
            return Ok(None);
        }
        self.progress.step(crate::progress::Step::Goals, 0);
        let today = self.today();
        let now = self.clock.now();
        let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let year_end = NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today);
        let q = today.month0() / 3;
        let q_start = NaiveDate::from_ymd_opt(today.year(), q * 3 + 1, 1).unwrap_or(today);
        let q_end = q_start.checked_add_months(chrono::Months::new(3)).and_then(|d| d.pred_opt()).unwrap_or(today);
        let mut rng = Rng(seed ^ 0x60A1);
        let year = Period {
            id: rng.uuid(),
            name: format!("{}", today.year()),
            kind: PeriodKind::Year,
            starts_on: year_start,
            ends_on: year_end,
            setting_due_on: None,
            created_at: now,
        };
        let quarter = Period {
            id: rng.uuid(),
            name: format!("{} Q{}", today.year(), q + 1),
            kind: PeriodKind::Quarter,
            starts_on: q_start,
            ends_on: q_end,
            // Goals agreed in the quarter's first two weeks.
            setting_due_on: q_start.checked_add_days(chrono::Days::new(14)),
            created_at: now,
        };
        let managers: HashMap<Uuid, Option<Uuid>> = people.iter().map(|p| (p.id, p.manager_id)).collect();
        let head = heads(&units, &people);
        let gone = |p: &Period| {
            let days = (p.ends_on - p.starts_on).num_days().max(1) as f64;
            ((today - p.starts_on).num_days() as f64 + 1.0).clamp(0.0, days) / days
        };
        let mut elapsed = HashMap::from([(year.id, gone(&year)), (quarter.id, gone(&quarter))]);
        // Last quarter, finished (its own random stream, so this quarter's goals are the same
        // with or without it).
        let mut last_rng = Rng(seed ^ 0x1A57);
        let last = (opts.last_quarter && people.len() <= crate::demo_reviews::MOST_PEOPLE).then(|| {
            let starts_on = q_start.checked_sub_months(chrono::Months::new(3)).unwrap_or(q_start);
            let (y, n) = (starts_on.year(), starts_on.month0() / 3 + 1);
            Period {
                id: last_rng.uuid(),
                name: format!("{y} Q{n}"),
                kind: PeriodKind::Quarter,
                starts_on,
                ends_on: q_start.pred_opt().unwrap_or(q_start),
                setting_due_on: starts_on.checked_add_days(chrono::Days::new(14)),
                created_at: now,
            }
        });
        if let Some(l) = &last {
            elapsed.insert(l.id, 1.0);
        }
        let mut b = Builder {
            rng,
            english,
            elapsed,
            now,
            records: vec![],
            links: vec![],
            pending: vec![],
            managers: &managers,
            finished: None,
        };
        let ceo = people.iter().find(|p| p.manager_id.is_none()).map(|p| p.id);
        let text = |g: &GoalText| if english { g.en } else { g.zh };
        let said = |(zh, en): (&'static str, &'static str)| if english { en } else { zh };
        // A unit's goal is named after the unit: "华东销售部：新行业客户突破".
        let of_unit = |unit: &str, what: &str| format!("{unit}{}{what}", if english { ": " } else { "：" });
        let company: Vec<Uuid> = COMPANY
            .iter()
            .map(|t| b.goal(year.id, said(*t).into(), "okr", "company", None, ceo.into_iter().collect(), &[], None))
            .collect();
        // A unit's family is its head's (the demo's divisions are one family each).
        let family_of: HashMap<Uuid, Option<String>> = people.iter().map(|p| (p.id, p.job_family.clone())).collect();
        let unit_family =
            |u: &Uuid| demo_content::family(head.get(u).and_then(|h| family_of.get(h)).and_then(|f| f.as_deref()));
        // Each unit's goals, parents before children (units come top-down).
        let mut unit_goals: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        let mut team_goal: HashMap<Uuid, Uuid> = HashMap::new();
        for u in &units {
            let owners: Vec<Uuid> = head.get(&u.id).copied().into_iter().collect();
            let parents = u.parent_id.and_then(|p| unit_goals.get(&p)).cloned().unwrap_or_else(|| company.clone());
            let f = unit_family(&u.id);
            match u.kind.as_str() {
                "business_unit" => {
                    // Measured directly over the year, as a company measures its divisions.
                    let mut mine = Vec::new();
                    for (g, supports) in f.division.iter().zip(f.supports) {
                        let parent = parents.get(supports).copied().unwrap_or(parents[0]);
                        let title = of_unit(&u.name, text(g));
                        mine.push(b.goal(
                            year.id,
                            title,
                            "okr",
                            "unit",
                            Some(u.id),
                            owners.clone(),
                            g.krs,
                            Some(parent),
                        ));
                    }
                    unit_goals.insert(u.id, mine);
                }
                "department" => {
                    // Two of the family's quarter priorities, rolled up from the teams below.
                    let first = b.rng.below(f.department.len());
                    let mut mine = Vec::new();
                    for i in 0..2 {
                        let priority = f.department[(first + i) % f.department.len()];
                        let parent = parents[(i + b.rng.below(parents.len())) % parents.len()];
                        let title = of_unit(&u.name, said(priority));
                        mine.push(b.goal(
                            quarter.id,
                            title,
                            "okr",
                            "unit",
                            Some(u.id),
                            owners.clone(),
                            &[],
                            Some(parent),
                        ));
                    }
                    unit_goals.insert(u.id, mine);
                }
                "team" => {
                    let parent = *b.rng.pick(&parents);
                    let title = of_unit(&u.name, said(f.team));
                    let id = b.goal(quarter.id, title, "okr", "team", Some(u.id), owners, &[], Some(parent));
                    team_goal.insert(u.id, id);
                }
                _ => {}
            }
        }
        let is_lead = |p: &Employee| p.level.as_deref().is_some_and(|l| l.starts_with('M'));
        for p in people.iter().filter(|p| p.is_active() && !is_lead(p)) {
            let parent = team_goal.get(&p.unit_id).copied();
            let aligned = if b.rng.below(10) == 0 { None } else { parent };
            let f = demo_content::family(p.job_family.as_deref());
            let okr = &f.okrs[b.rng.below(f.okrs.len())];
            b.goal(quarter.id, text(okr).into(), "okr", "individual", None, vec![p.id], okr.krs, aligned);
            let more = match opts.personal_goals {
                None => usize::from(b.rng.below(2) == 0),
                Some(n) => n.saturating_sub(1),
            };
            for i in 1..=more {
                if i % 2 == 1 {
                    b.goal(quarter.id, text(&f.kpi).into(), "kpi", "individual", None, vec![p.id], f.kpi.krs, None);
                } else {
                    // A second OKR from the family's others (the benchmark organization's many goals).
                    let other = &f.okrs[(i / 2 + b.rng.below(f.okrs.len())) % f.okrs.len()];
                    b.goal(quarter.id, text(other).into(), "okr", "individual", None, vec![p.id], other.krs, aligned);
                }
            }
        }
        if let Some(l) = &last {
            // Each unit's goal for last quarter, owned by its head and supporting the goal of
            // the unit above (units come top-down), each person's OKR under their team's: the
            // quarter rolls up to the company's goal for it, and this year's goals are as they
            // were.
            let this_quarter = std::mem::replace(&mut b.rng, last_rng);
            let set_at = l.starts_on.and_hms_opt(2, 0, 0).unwrap_or_default().and_utc();
            b.finished = Some((l.id, set_at));
            let mut last_of_unit: HashMap<Uuid, Uuid> = HashMap::new();
            for u in &units {
                let f = unit_family(&u.id);
                let parent = u.parent_id.and_then(|p| last_of_unit.get(&p)).copied();
                let title = of_unit(&u.name, said(*b.rng.pick(&f.department[..])));
                let owners: Vec<Uuid> = head.get(&u.id).copied().into_iter().collect();
                let (level, unit) = match u.kind.as_str() {
                    "company" => ("company", None),
                    "team" => ("team", Some(u.id)),
                    _ => ("unit", Some(u.id)),
                };
                let id = b.goal(l.id, title, "okr", level, unit, owners, &[], parent);
                last_of_unit.insert(u.id, id);
            }
            for p in people.iter().filter(|p| p.is_current() && !is_lead(p) && p.hire_date < l.ends_on) {
                let f = demo_content::family(p.job_family.as_deref());
                let okr = &f.okrs[b.rng.below(f.okrs.len())];
                let parent = last_of_unit.get(&p.unit_id).copied();
                b.goal(l.id, text(okr).into(), "okr", "individual", None, vec![p.id], okr.krs, parent);
            }
            b.finished = None;
            b.rng = this_quarter;
        }
        let people_names: HashMap<Uuid, String> = people.iter().map(|p| (p.id, p.name.clone())).collect();
        let headcount = people.iter().filter(|p| p.is_current()).count();
        drop(people);
        drop(units);
        // The whole organization rolls up in one pass.
        let empty = HashMap::new();
        let ev =
            evaluate(&b.records, &b.links, Fixed { goals: &empty, key_results: &empty, agreed: &Default::default() })
                .map_err(|_| AppError::Internal("demo goals made a cycle".into()))?;
        crate::goals::evaluate::fill_progress(&mut b.records, &ev);
        drop(ev);
        let summary = DemoGoalsSummary {
            goals: b.records.len(),
            key_results: b.records.iter().map(|r| r.key_results.len()).sum(),
            links: b.links.len(),
            check_ins: 0,
        };
        let tracked = crate::demo_tracking::DemoTracked::pick(&b.records, quarter.id);
        let last_tracked = last.as_ref().map(|l| crate::demo_tracking::DemoTracked::pick(&b.records, l.id));
        let names: HashMap<Uuid, String> = people_names;
        let actor = Actor::system("demo");
        let tx = self.db.begin_bulk_write().await?;
        repo::insert_period(&*tx, year).await?;
        let quarter_id = quarter.id;
        repo::insert_period(&*tx, quarter.clone()).await?;
        if let Some(l) = &last {
            repo::insert_period(&*tx, l.clone()).await?;
        }
        // In slices, so the rows being written and their audit records never all sit in memory
        // at once beside the generated ones.
        let mut rest = b.records;
        while !rest.is_empty() {
            let tail = rest.split_off(rest.len().min(5000));
            let audits = rest
                .iter()
                .map(|r| {
                    let after = crate::goals::goal_audit_json(r);
                    let why = crate::demo::demo_reason(english);
                    entry(&actor, now, "goal", r.goal.id, r.owners.first().copied(), "create", None, after, why)
                })
                .collect();
            repo::insert_goals_bulk(&*tx, rest).await?;
            tx.audit(audits);
            rest = tail;
        }
        repo::insert_links_bulk(&*tx, b.links).await?;
        wf_repo::insert_approvals(&*tx, b.pending).await?;
        waymark_store::repo::boards::rebuild_all(&*tx).await?;
        tx.commit().await?;
        tracing::info!(ms = started.elapsed().as_millis() as u64, "demo goals written");
        self.create_demo_library(english, quarter_id).await?;
        let mut quarters = Vec::new();
        if let (Some(l), Some(goals)) = (&last, last_tracked) {
            quarters.push((seed ^ 0x1A57, l, goals));
        }
        quarters.push((seed, &quarter, tracked));
        let check_ins = self.create_demo_check_ins(english, quarters, &names).await?;
        let sweep = self.tracking().sweep(&actor).await?;
        tracing::info!(ms = sweep.elapsed_ms, alerts = sweep.alerts_raised, "demo: the sweep");
        self.progress.step(crate::progress::Step::History, 0);
        self.create_demo_one_on_ones(seed, english).await?;
        self.create_demo_recognition(seed, english).await?;
        self.create_demo_activity(english).await?;
        self.create_demo_reviews(english, &quarter, last.as_ref(), headcount).await?;
        let weeks = self.create_demo_attendance(seed).await?;
        tracing::info!(weeks, "demo: working hours and leave");
        // The signals as the nightly sweep would leave them, read from everything above.
        let signals = self.signals().compute(&actor).await?;
        tracing::info!(ms = signals.elapsed_ms, raised = signals.raised, "demo: the signals");
        self.db.analyze().await?;
        Ok(Some(DemoGoalsSummary { check_ins, ..summary }))
    }
}
