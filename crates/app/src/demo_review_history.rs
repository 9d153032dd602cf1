//! Last quarter's review cycle, finished (SPEC V-1 … V-7): written, calibrated, released,
//! acknowledged and appealed, so that results, the nine-box, appeals and development plans
//! have content on the first visit, and this quarter's nine-box can show who moved.
//!
//! The self and manager reviews of the whole organization are written in one transaction,
//! dated when they were submitted, each with its audit record and scored with the rule the
//! review form uses (`rescore`): through the form one by one, a few hundred reviews would take
//! seconds of the demo's one-second start. Managers rate as real managers do — most in line,
//! some lenient, a few severe — so calibration has something to find. Everything after
//! (calibration, release, acknowledgement, appeals, development plans) goes through the
//! services as of the day it happened, with their own rules, audit and inbox messages.

use std::collections::HashMap;
use waymark_domain::goals::period::Period;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;
use waymark_domain::org::Employee;
use waymark_domain::reviews::calibration::Verdict;
use waymark_domain::reviews::review::{Review, ReviewState};
use waymark_domain::reviews::scoring::{RATED_SECTIONS, Source};
use waymark_store::entities::{potential_assessment, review_rating};
use waymark_store::repo::{
    accounts as accounts_repo, goals as goal_repo, org as org_repo, reviews as repo, talent as talent_repo,
};

use crate::audit::entry;
use crate::demo::Rng;
use crate::demo_activity::person;
use crate::development::{PlanActionInput, PlanInput};
use crate::policy::Actor;
use crate::reviews::{
    AppealDecisionInput, AppealInput, AssignAppealInput, CycleInput, MoveInput, ReleaseInput, ResultAcknowledgeInput,
    SessionInput, StageInput, final_grade, rescore_all, review_audit_json,
};
use crate::{App, AppResult};

/// How a manager rates against the organization: most in line, some lenient, a few severe.
fn lean_of(rng: &mut Rng) -> f64 {
    match rng.below(12) {
        0 => 1.6,
        1 => -1.2,
        _ => 0.0,
    }
}

/// A rating on the 1–5 scale around `base`.
fn rating(rng: &mut Rng, base: f64) -> i32 {
    (base + (rng.below(100) as f64 - 50.0) / 100.0).round().clamp(1.0, 5.0) as i32
}

struct Words {
    english: bool,
}

impl Words {
    fn t(&self, zh: &str, en: &str) -> String {
        if self.english { en } else { zh }.to_string()
    }
    /// What a reviewer writes for "what to strengthen next", by how the person did.
    fn next(&self, base: f64) -> String {
        if base >= 3.6 {
            self.t("承担更大范围的项目，带一位新同事。", "Take on a wider project and coach a new colleague.")
        } else if base >= 2.8 {
            self.t("提前暴露风险，把进展同步得更及时。", "Raise risks earlier and share progress sooner.")
        } else {
            self.t("按承诺交付，遇到阻碍当天求助。", "Deliver as promised; ask for help the day a blocker appears.")
        }
    }
    fn summary(&self, base: f64) -> String {
        if base >= 3.6 {
            self.t(
                "本季度超出期望：关键目标提前完成，并带动了团队。",
                "Above expectations this quarter: key goals done early, and lifted the team.",
            )
        } else if base >= 2.8 {
            self.t("本季度稳定达到期望，目标基本完成。", "Met expectations this quarter; goals mostly reached.")
        } else {
            self.t(
                "本季度部分目标未达成，下季度需要重点跟进。",
                "Some goals were missed this quarter; to follow closely next quarter.",
            )
        }
    }
}

impl App {
    pub(crate) async fn create_demo_past_cycle(
        &self,
        english: bool,
        template: Uuid,
        last_quarter: &Period,
    ) -> AppResult<()> {
        let c = &self.db.conn;
        let Some(hr_user) = accounts_repo::user_by_username(c, "hr").await? else { return Ok(()) };
        let period = last_quarter.id;
        let hr = self.accounts().actor_for_user(&hr_user).await?;
        let w = Words { english };
        let d = Days { today: self.today(), zone: self.zone() };
        let (on, at) = (|days| d.on(days), |days, hour| d.at(days, hour));
        let zone = d.zone;
        let s =
            |stage: &str, from: i64, to: i64| StageInput { stage: stage.into(), opens_on: on(from), closes_on: on(to) };
        let launched = at(71, 10);
        let started = std::time::Instant::now();
        let ms = |t: std::time::Instant| t.elapsed().as_millis() as u64;
        let input = CycleInput {
            name: format!("{} {}", last_quarter.name, w.t("季度绩效考核", "quarterly review")),
            period_id: period,
            template_id: template,
            unit_ids: vec![],
            job_families: vec![],
            levels: vec![],
            hired_by: Some(on(71)),
            stages: vec![
                s("self_review", 70, 60),
                s("peer_nomination", 70, 68),
                s("peer_review", 70, 58),
                s("manager_review", 70, 56),
                s("calibration", 55, 52),
                s("release", 50, 50),
                s("acknowledgement", 50, 43),
                s("appeals", 50, 36),
            ],
        };
        let cycle = self.as_of(launched).reviews().create_cycle(&hr, input).await?;
        self.as_of(launched).reviews().launch_and_tell(&hr, cycle.id, false).await?;

        let launch_ms = ms(started);
        let people: HashMap<Uuid, Employee> =
            org_repo::all_employees(c).await?.into_iter().map(|e| (e.id, e)).collect();
        let leads: std::collections::HashSet<Uuid> = people.values().filter_map(|e| e.manager_id).collect();
        // In the order the launch wrote them (time-ordered ids), whatever order a database returns
        // rows in: the generator draws its numbers person by person, so the same seed must meet
        // the same people in the same order on SQLite and PostgreSQL.
        let mut participants = repo::participants(c, cycle.id).await?;
        participants.sort_by_key(|p| p.id);
        let mut rng = Rng(0x7E57 ^ period.as_u128() as u64);
        // Each person's standing this quarter (their goals' achievement and a spread of their
        // own), each manager's lean.
        let goal_ids = goal_repo::goal_ids_at_levels(c, period, &["individual"]).await?;
        let mut achieved: HashMap<Uuid, f64> = HashMap::new();
        for g in goal_repo::goals_without_key_results(c, &goal_ids).await? {
            for o in &g.owners {
                achieved.insert(*o, g.goal.progress_bp as f64 / 10_000.0);
            }
        }
        let mut lean: HashMap<Uuid, f64> = HashMap::new();
        let mut base: HashMap<Uuid, f64> = HashMap::new();
        for p in &participants {
            let goals = achieved.get(&p.employee_id).copied().unwrap_or(0.85);
            let own = (rng.below(100) as f64 - 50.0) / 45.0;
            base.insert(p.id, (3.0 + (goals - 0.85) * 4.0 + own).clamp(1.5, 4.9));
            if let Some(m) = p.manager_id {
                lean.entry(m).or_insert_with(|| lean_of(&mut rng));
            }
        }
        let items = repo::items(c, &[template]).await?;
        let mut reviews = repo::reviews_of(c, &participants.iter().map(|p| p.id).collect::<Vec<_>>()).await?;
        reviews.sort_by_key(|r| r.id);
        let by_id: HashMap<Uuid, &waymark_store::entities::review_participant::Model> =
            participants.iter().map(|p| (p.id, p)).collect();
        let actor_of = |id: Uuid| people.get(&id).map(|e| person(e, leads.contains(&e.id)));
        // Each person's relative strengths: an offset per dimension that every colleague rating
        // it sees (drawn from a generator of its own, so the draws above and below stay put).
        let mut flair_rng = Rng(0xF1A1 ^ period.as_u128() as u64);
        let mut flair: HashMap<(Uuid, Uuid), f64> = HashMap::new();
        for p in &participants {
            for it in &items {
                flair.insert((p.id, it.id), (flair_rng.below(13) as f64 - 6.0) / 10.0);
            }
        }
        let flair_of = |p: Uuid, it: Uuid| flair.get(&(p, it)).copied().unwrap_or(0.0);
        let tx = self.db.begin_write().await?;
        let mut audits = Vec::new();
        let mut all_ratings = Vec::new();
        let mut submitted_reviews = Vec::new();
        for r in reviews.iter().filter(|r| r.source == Source::SelfReview || r.source == Source::Manager) {
            let (Some(p), Some(reviewer)) = (by_id.get(&r.participant_id), actor_of(r.reviewer_id)) else { continue };
            let own = base[&p.id];
            // People see themselves a little better; their manager as the manager leans.
            let b = if r.source == Source::SelfReview {
                own + 0.4
            } else {
                own + lean.get(&r.reviewer_id).copied().unwrap_or(0.0)
            };
            let submitted = if r.source == Source::SelfReview { at(62, 17) } else { at(57, 15) };
            let rows: Vec<review_rating::Model> = items
                .iter()
                .filter(|it| it.section != "goals")
                .map(|it| review_rating::Model {
                    review_id: r.id,
                    item_id: it.id,
                    value: (it.section != "text").then(|| {
                        let flair = if r.source == Source::Manager { flair_of(p.id, it.id) } else { 0.0 };
                        rating(&mut rng, b + flair)
                    }),
                    comment: if it.section == "text" { w.next(own) } else { String::new() },
                })
                .collect();
            let summary = if r.source == Source::Manager { w.summary(own) } else { String::new() };
            let after = review_audit_json(r.source, &rows, &summary);
            all_ratings.extend(rows);
            let done = Review {
                state: ReviewState::Submitted,
                summary,
                updated_at: submitted,
                submitted_at: Some(submitted),
                ..r.clone()
            };
            submitted_reviews.push(done);
            let a = entry(&reviewer, submitted, "review", r.id, Some(p.employee_id), "submit", None, Some(after), None);
            audits.push(a);
        }
        repo::save_reviews(&*tx, submitted_reviews).await?;
        // Two teammates (the same manager) review each person, rating as they see them (no
        // manager's lean): what a development report needs to tell a stable strength from a
        // manager's impression, and a volatile area from a steady one.
        let mut peer_rng = Rng(0x9EE5 ^ period.as_u128() as u64);
        let mut peer_reviews = Vec::new();
        let peer_done = at(59, 16);
        for p in &participants {
            let team: Vec<&waymark_store::entities::review_participant::Model> =
                participants.iter().filter(|q| q.manager_id.is_some() && q.manager_id == p.manager_id).collect();
            let Some(me) = team.iter().position(|q| q.id == p.id) else { continue };
            for k in 1..=2.min(team.len().saturating_sub(1)) {
                let q = team[(me + k) % team.len()];
                let Some(reviewer) = actor_of(q.employee_id) else { continue };
                let review = Review {
                    id: Uuid::now_v7(),
                    participant_id: p.id,
                    cycle_id: cycle.id,
                    reviewer_id: q.employee_id,
                    source: Source::Peers,
                    state: ReviewState::Submitted,
                    summary: String::new(),
                    created_at: launched,
                    updated_at: peer_done,
                    submitted_at: Some(peer_done),
                };
                let rows: Vec<review_rating::Model> = items
                    .iter()
                    .filter(|it| RATED_SECTIONS.contains(&it.section.as_str()))
                    .map(|it| review_rating::Model {
                        review_id: review.id,
                        item_id: it.id,
                        value: Some(rating(&mut peer_rng, base[&p.id] + flair_of(p.id, it.id))),
                        comment: String::new(),
                    })
                    .collect();
                let after = review_audit_json(Source::Peers, &rows, "");
                let a = entry(
                    &reviewer,
                    peer_done,
                    "review",
                    review.id,
                    Some(p.employee_id),
                    "submit",
                    None,
                    Some(after),
                    None,
                );
                audits.push(a);
                all_ratings.extend(rows);
                peer_reviews.push(review);
            }
        }
        repo::insert_reviews(&*tx, peer_reviews).await?;
        repo::insert_ratings(&*tx, all_ratings).await?;
        let scored = at(56, 18);
        rescore_all(&*tx, &participants, period, scored, zone).await?;
        // Potential, assessed by each manager before calibration (the nine-box's other axis).
        let assessed = at(54, 11);
        let mut potentials = Vec::new();
        for p in &participants {
            let Some(m) = p.manager_id.and_then(actor_of) else { continue };
            let b = base[&p.id];
            let level = if b >= 3.7 && rng.below(3) > 0 {
                2
            } else if b < 2.5 && rng.below(2) == 0 {
                0
            } else {
                1
            };
            let rationale = match level {
                2 => w.t("学习快，能独立承担更复杂的问题。", "Learns fast and takes on harder problems alone."),
                0 => w.t("在当前岗位仍需巩固基本功。", "Still building the basics of the current role."),
                _ => w.t("在当前岗位稳步成长。", "Growing steadily in the current role."),
            };
            let row = potential_assessment::Model {
                participant_id: p.id,
                level,
                rationale,
                assessed_by_name: m.display_name.clone(),
                assessed_at: assessed,
            };
            let after = crate::reviews::potential_json(&row);
            potentials.push(row);
            let a = entry(
                &m,
                assessed,
                "review_participant",
                p.id,
                Some(p.employee_id),
                "assess_potential",
                None,
                Some(after),
                None,
            );
            audits.push(a);
        }
        talent_repo::insert_potentials(&*tx, potentials).await?;
        tx.audit(audits);
        tx.commit().await?;
        let written_ms = ms(started);

        let grades = self.calibrate_demo_cycle(&hr, cycle.id, &w, at(54, 14), at(52, 17)).await?;
        let calibrated_ms = ms(started);
        self.as_of(at(50, 9)).reviews().release(&hr, cycle.id, ReleaseInput::default()).await?;
        let released_ms = ms(started);
        self.demo_after_release(&hr, cycle.id, &grades, &people, &w, &d).await?;
        tracing::info!(
            launch_ms,
            written_ms,
            calibrated_ms,
            released_ms,
            total_ms = ms(started),
            "demo: last quarter's review cycle"
        );
        Ok(())
    }

    /// HR's calibration meeting: the top grades of the managers the session's statistics find
    /// lenient are brought down one step and one person just under the line brought up, each
    /// with its reason; then locked. Returns the cycle's grades, best first.
    async fn calibrate_demo_cycle(
        &self,
        hr: &Actor,
        cycle: Uuid,
        w: &Words,
        held: DateTime<Utc>,
        locked: DateTime<Utc>,
    ) -> AppResult<Vec<String>> {
        let r = self.as_of(held);
        let name = w.t("全公司校准会", "Company-wide calibration");
        let session = r.reviews().create_session(hr, cycle, SessionInput { name, unit_id: None, level: None }).await?;
        let lenient: Vec<Uuid> =
            session.managers.iter().filter(|m| m.stat.verdict == Verdict::Lenient).map(|m| m.manager.id).collect();
        let top = &session.grades[..2.min(session.grades.len())];
        let down = session.people.iter().filter(|p| {
            p.manager.as_ref().is_some_and(|m| lenient.contains(&m.id))
                && p.final_grade.as_ref().is_some_and(|g| top.contains(g))
        });
        let mut moves: Vec<(Uuid, String, String)> = down
            .take(3)
            .filter_map(|p| {
                let grade = step(&session.grades, p.final_grade.as_deref()?, 1)?;
                let reason = w.t(
                    "与同级横向比较后下调：该团队评分整体偏宽松，目标达成与评分不匹配。",
                    "Moved down after comparing peers: this team's ratings run lenient and do not match its goal results.",
                );
                Some((p.participant_id, grade, reason))
            })
            .collect();
        // The people come best score first: the first of the middle grade is nearest the line.
        let middle = session.grades.get(session.grades.len() / 2);
        if let Some(p) = session.people.iter().find(|p| p.final_grade.as_ref() == middle && !p.moved) {
            let reason = w.t(
                "上调：承担了季度中途新增的关键项目，评分未反映。",
                "Moved up: took on a key project added mid-quarter that the ratings did not reflect.",
            );
            if let Some(grade) = step(&session.grades, p.final_grade.as_deref().unwrap_or_default(), -1) {
                moves.push((p.participant_id, grade, reason));
            }
        }
        for (participant_id, grade, reason) in moves {
            r.reviews().move_grade(hr, session.id, MoveInput { participant_id, grade, reason }).await?;
        }
        self.as_of(locked).reviews().lock_session(hr, session.id).await?;
        Ok(session.grades)
    }

    /// After release: the demo employee acknowledges their result; the demo team mostly does
    /// too; one colleague's appeal is decided in their favour and another's waits for HR; the
    /// manager turns the employee's review into a development plan, one action done since.
    async fn demo_after_release(
        &self,
        hr: &Actor,
        cycle: Uuid,
        grades: &[String],
        people: &HashMap<Uuid, Employee>,
        w: &Words,
        d: &Days,
    ) -> AppResult<()> {
        let (on, at) = (|days| d.on(days), |days, hour| d.at(days, hour));
        let c = &self.db.conn;
        let (Some(hr_user), Some((manager_id, employee_id))) = (hr.user_id, self.demo_pair().await?) else {
            return Ok(());
        };
        let user = |name: &'static str| async move { accounts_repo::user_by_username(c, name).await };
        let (Some(mu), Some(eu)) = (user("manager").await?, user("employee").await?) else { return Ok(()) };
        let manager = self.accounts().actor_for_user(&mu).await?;
        let employee = self.accounts().actor_for_user(&eu).await?;
        let participants = repo::participants(c, cycle).await?;
        let released = |e: Uuid| participants.iter().find(|p| p.employee_id == e && p.released_at.is_some()).cloned();
        let Some(mine) = released(employee_id) else { return Ok(()) };
        let comment = w.t(
            "认同结果。下季度会把风险更早同步给团队。",
            "I agree. Next quarter I will share risks with the team earlier.",
        );
        let ack = ResultAcknowledgeInput { comment: Some(comment) };
        self.as_of(at(49, 11)).reviews().acknowledge(&employee, mine.id, ack).await?;
        let team: Vec<&Employee> = {
            let mut t: Vec<_> = people
                .values()
                .filter(|e| e.manager_id == Some(manager_id) && e.id != employee_id && e.is_active())
                .filter(|e| released(e.id).is_some())
                .collect();
            t.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
            t
        };
        if team.len() < 3 {
            return Ok(());
        }
        // The first two appeal; the rest acknowledge.
        for e in team.iter().skip(2) {
            let p = released(e.id).expect("released above");
            let ack = ResultAcknowledgeInput { comment: None };
            self.as_of(at(48, 10)).reviews().acknowledge(&person(e, false), p.id, ack).await?;
        }
        let first = released(team[0].id).expect("released above");
        let reasons = w.t(
            "季度中途接手了客户续约项目并按期完成，自评和主管评价都没有计入这部分工作。",
            "Mid-quarter I took over the client renewal project and finished it on time; neither review counted it.",
        );
        let appeal =
            self.as_of(at(47, 15)).reviews().appeal(&person(team[0], false), first.id, AppealInput { reasons }).await?;
        self.as_of(at(46, 10))
            .reviews()
            .assign_appeal(hr, appeal.id, AssignAppealInput { assignee_id: hr_user })
            .await?;
        let now_graded = final_grade(&first).unwrap_or_default();
        let up = step(grades, &now_graded, -1).unwrap_or(now_graded);
        let answer = w.t(
            "经与主管核实，续约项目确为本季度的重要成果，结果调整。",
            "Confirmed with the manager: the renewal was a key result of the quarter. The result is changed.",
        );
        let decision = AppealDecisionInput {
            outcome: waymark_domain::reviews::release::Outcome::Changed,
            grade: Some(up),
            answer,
        };
        self.as_of(at(40, 16)).reviews().decide_appeal(hr, appeal.id, decision).await?;
        let second = released(team[1].id).expect("released above");
        let reasons = w.t(
            "我的目标达成率和同组同事相近，但等级低了一级，希望复核评分依据。",
            "My goals reached about what my teammates' did, but my grade is a step lower; please review how it was rated.",
        );
        let waiting = self
            .as_of(at(38, 11))
            .reviews()
            .appeal(&person(team[1], false), second.id, AppealInput { reasons })
            .await?;
        self.as_of(at(37, 10))
            .reviews()
            .assign_appeal(hr, waiting.id, AssignAppealInput { assignee_id: hr_user })
            .await?;

        // The employee's development plan from this review, one action done since.
        // Each action names the capability it builds, so the development report can later see
        // whether the learning showed up in the ratings.
        let action = |kind: &str, title: String, due_days_ago: i64| PlanActionInput {
            kind: kind.into(),
            title,
            capability: Some(w.t("协作沟通", "Collaboration")),
            due_on: Some(on(due_days_ago)),
        };
        let plan = PlanInput {
            employee_id,
            participant_id: Some(mine.id),
            title: w.t("提前暴露风险，把进展同步得更及时", "Raise risks earlier and share progress sooner"),
            capabilities: vec![w.t("协作沟通", "Collaboration")],
            actions: vec![
                action("course", w.t("完成《项目风险管理》线上课程", "Finish the online course on project risk"), 15),
                action(
                    "project",
                    w.t(
                        "负责一次跨部门需求评审并主持复盘",
                        "Run one cross-team requirements review and its retrospective",
                    ),
                    -20,
                ),
                action("mentor", w.t("每两周与导师交流一次", "Meet a mentor every two weeks"), -40),
            ],
            checkpoints: vec![on(-14)],
        };
        let plan = self.as_of(at(45, 10)).development().create_plan(&manager, plan).await?;
        if let Some(first) = plan.actions.first() {
            self.as_of(at(20, 18)).development().set_action_done(&employee, first.id, true).await?;
        }
        Ok(())
    }
}

/// Days counted back from today, on the organization's clock.
struct Days {
    today: chrono::NaiveDate,
    zone: crate::clock::Zone,
}

impl Days {
    /// The date `days` ago (ahead, if negative).
    fn on(&self, days: i64) -> chrono::NaiveDate {
        self.today - Duration::days(days)
    }
    /// That day at `hour`.
    fn at(&self, days: i64, hour: u32) -> DateTime<Utc> {
        self.zone.instant(self.on(days), hour)
    }
}

/// The grade `by` steps from `grade` in the cycle's grades (best first): 1 is one lower, -1
/// one higher; None past either end.
fn step(grades: &[String], grade: &str, by: isize) -> Option<String> {
    let at = grades.iter().position(|g| g == grade)?;
    grades.get(at.checked_add_signed(by)?).cloned()
}
