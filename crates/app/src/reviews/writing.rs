//! Writing reviews (V-1): one's review tasks; peers nominated by the person and approved by
//! their manager; the review form with the evidence beside it — goals with their check-ins,
//! journal events, feedback received in the period — so a review is written from facts, not
//! memory; saving a draft and submitting, which scores the person again.

use std::collections::HashMap;
use waymark_store::WriteTxn;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::reviews::cycle::{Lock, ReviewCycle, Stage, StageDates, lock, writing_stage};
use waymark_domain::reviews::review::{Review, ReviewState};
use waymark_domain::reviews::scale::ScalePoint;
use waymark_domain::reviews::scoring::Source;
use waymark_store::entities::{review_participant, review_rating};
use waymark_store::repo::{accounts, goals as goal_repo, org as org_repo, reviews as repo, tracking as tracking_repo};

use super::ReviewService;
use super::templates::{ItemView, item_view, scale_of};
use crate::audit::entry;
use crate::feedback::{FeedbackView, Which};
use crate::inbox::{Message, notify_each};
use crate::journal::JournalEntryView;
use crate::org::Person;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{AppError, AppResult};

pub const MAX_COMMENT_CHARS: usize = 2_000;
pub const MAX_SUMMARY_CHARS: usize = 5_000;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskView {
    pub review_id: Uuid,
    pub cycle_id: Uuid,
    pub cycle_name: String,
    /// Whom the review is about.
    pub person: Person,
    /// self, manager, peers or upward.
    pub source: String,
    /// not_open, not_started, draft, submitted or late.
    pub state: String,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NominationView {
    pub participant_id: Uuid,
    pub cycle_name: String,
    pub person: Person,
    pub peers_min: u32,
    pub peers_max: u32,
    /// The peers named, with their state: nominated (awaiting the manager), rejected, open,
    /// draft or submitted.
    pub peers: Vec<PeerView>,
    /// The person may (re)name peers now.
    pub can_nominate: bool,
    /// The reader may approve or reject them (the person's manager, HR).
    pub can_decide: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeerView {
    pub person: Person,
    pub state: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PeersInput {
    pub peer_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PeerDecisionInput {
    #[serde(default)]
    pub approve: Vec<Uuid>,
    #[serde(default)]
    pub reject: Vec<Uuid>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FormItem {
    #[serde(flatten)]
    pub item: ItemView,
    pub value: Option<i32>,
    pub comment: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckInLine {
    pub on_date: NaiveDate,
    /// The goal's progress after it, in percent.
    pub progress: f64,
    pub confidence: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoalEvidence {
    pub id: Uuid,
    pub title: String,
    pub weight: Option<f64>,
    /// Progress (G-14) in percent.
    pub progress: f64,
    pub status: String,
    /// The latest check-ins, newest first (at most 5).
    pub check_ins: Vec<CheckInLine>,
}

/// The facts beside the form: for the person's own and their manager's review.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Evidence {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub goals: Vec<GoalEvidence>,
    pub journal: Vec<JournalEntryView>,
    pub feedback: Vec<FeedbackView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewForm {
    pub review_id: Uuid,
    pub participant_id: Uuid,
    pub source: String,
    /// open, draft or submitted.
    pub state: String,
    /// The reviewer may change it now.
    pub editable: bool,
    /// Why not, when not: submitted, not_open or closed.
    pub locked: Option<String>,
    pub cycle_id: Uuid,
    pub cycle_name: String,
    pub person: Person,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
    #[schema(value_type = Vec<Object>)]
    pub scale: Vec<ScalePoint>,
    pub items: Vec<FormItem>,
    pub summary: String,
    pub evidence: Option<Evidence>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RatingInput {
    pub item_id: Uuid,
    /// A point of the template's scale; none for a text item.
    #[serde(default)]
    pub value: Option<i32>,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReviewInput {
    #[serde(default)]
    pub ratings: Vec<RatingInput>,
    #[serde(default)]
    pub summary: String,
    /// Submit (final) rather than keep as a draft.
    #[serde(default)]
    pub submit: bool,
}

impl ReviewService<'_> {
    /// The reviews the actor is asked to write, the open ones first.
    pub async fn my_tasks(&self, actor: &Actor) -> AppResult<Vec<TaskView>> {
        let me = actor.employee_id.ok_or(AppError::Forbidden)?;
        let c = self.c();
        let reviews = repo::reviews_by(c, me).await?;
        let pids: Vec<Uuid> = reviews.iter().map(|r| r.participant_id).collect();
        let participants: HashMap<Uuid, review_participant::Model> =
            repo::participants_by_ids(c, &pids).await?.into_iter().map(|p| (p.id, p)).collect();
        let mut cycle_ids: Vec<Uuid> = participants.values().map(|p| p.cycle_id).collect();
        cycle_ids.sort();
        cycle_ids.dedup();
        let stages = repo::stages_of(c, &cycle_ids).await?;
        // An organization has a few cycles a year: one read of them all, not one per cycle.
        let cycles: HashMap<Uuid, ReviewCycle> =
            repo::cycles(c).await?.into_iter().filter(|cy| cycle_ids.contains(&cy.id)).map(|cy| (cy.id, cy)).collect();
        let people: Vec<Uuid> = participants.values().map(|p| p.employee_id).collect();
        let names = crate::org::employee_names(c, &people).await?;
        let today = self.app.today();
        let mut out = Vec::new();
        for r in reviews {
            let Some(p) = participants.get(&r.participant_id) else { continue };
            let Some(cy) = cycles.get(&p.cycle_id) else { continue };
            let dates = stages.get(&p.cycle_id).map(Vec::as_slice).unwrap_or_default();
            let d = dates.iter().find(|d| d.stage == writing_stage(r.source)).copied();
            let state = r.task_state(d.as_ref(), today);
            out.push(TaskView {
                review_id: r.id,
                cycle_id: cy.id,
                cycle_name: cy.name.clone(),
                person: Person { id: p.employee_id, name: names.get(&p.employee_id).cloned().unwrap_or_default() },
                source: r.source.code().into(),
                state: serde_json::to_value(state).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default(),
                opens_on: d.map(|d| d.opens_on),
                closes_on: d.map(|d| d.closes_on),
            });
        }
        out.sort_by_key(|t| (t.state == ReviewState::Submitted.code(), t.closes_on));
        Ok(out)
    }

    /// The cycles the actor takes part in, newest first, with their peers.
    pub async fn my_nominations(&self, actor: &Actor) -> AppResult<Vec<NominationView>> {
        let me = actor.employee_id.ok_or(AppError::Forbidden)?;
        let mut out = Vec::new();
        for p in repo::participations_of(self.c(), me).await? {
            out.push(self.nomination_view(actor, p).await?);
        }
        Ok(out)
    }

    pub async fn nominations(&self, actor: &Actor, participant: Uuid) -> AppResult<NominationView> {
        let p = repo::participant(self.c(), participant).await?.ok_or(AppError::NotFound("participant"))?;
        let facts = self.facts_about(actor, p.employee_id).await?;
        if !(facts.is_self || facts.manages || facts.in_hr_scope) {
            return Err(AppError::NotFound("participant"));
        }
        self.nomination_view(actor, p).await
    }

    /// The person names the peers who should review them (V-1), within the template's numbers,
    /// during the nomination stage; their manager then approves or rejects each.
    pub async fn nominate(&self, actor: &Actor, participant: Uuid, input: PeersInput) -> AppResult<NominationView> {
        let c = self.c();
        let p = repo::participant(c, participant).await?.ok_or(AppError::NotFound("participant"))?;
        if actor.employee_id != Some(p.employee_id) {
            return Err(AppError::Forbidden);
        }
        let t = repo::template(c, p.template_id).await?.ok_or(AppError::NotFound("review template"))?;
        let dates = repo::stage_dates(c, p.cycle_id).await?;
        if !open_on(&dates, Stage::PeerNomination, self.app.today()) {
            return Err(AppError::field("peer_ids", "stage_not_open", "peers are named during the nomination stage"));
        }
        let mut peers: Vec<Uuid> = Vec::new();
        for id in input.peer_ids {
            if !peers.contains(&id) {
                peers.push(id);
            }
        }
        if peers.contains(&p.employee_id) {
            return Err(AppError::field("peer_ids", "self", "you cannot review yourself as a peer"));
        }
        if peers.len() < t.peers_min as usize || peers.len() > t.peers_max as usize {
            return Err(AppError::field(
                "peer_ids",
                "peer_count",
                format!("name {} to {} peers", t.peers_min, t.peers_max),
            ));
        }
        let found = org_repo::employees_by_ids(c, &peers).await?;
        if found.iter().filter(|e| e.is_current()).count() != peers.len() {
            return Err(AppError::field("peer_ids", "unknown_employee", "someone is not in the organization"));
        }
        let existing: Vec<Review> =
            repo::reviews_of(c, &[p.id]).await?.into_iter().filter(|r| r.source == Source::Peers).collect();
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        // Names no longer on the list leave unless already approved; new ones await the manager.
        for r in &existing {
            if !peers.contains(&r.reviewer_id) && matches!(r.state, ReviewState::Nominated | ReviewState::Rejected) {
                repo::delete_review(&*tx, r.id).await?;
            }
        }
        let new: Vec<Review> = peers
            .iter()
            .filter(|id| !existing.iter().any(|r| r.reviewer_id == **id))
            .map(|id| Review {
                id: Uuid::now_v7(),
                participant_id: p.id,
                cycle_id: p.cycle_id,
                reviewer_id: *id,
                source: Source::Peers,
                state: ReviewState::Nominated,
                summary: String::new(),
                created_at: now,
                updated_at: now,
                submitted_at: None,
            })
            .collect();
        repo::insert_reviews(&*tx, new).await?;
        let after = serde_json::json!({ "peer_ids": peers });
        let a = entry(
            actor,
            now,
            "review_participant",
            p.id,
            Some(p.employee_id),
            "nominate_peers",
            None,
            Some(after.to_string()),
            None,
        );
        tx.audit(vec![a]);
        if let Some(m) = p.manager_id {
            tell(&tx, actor, now, &[m], "review-peers-nominated", &p, None).await?;
        }
        tx.commit().await?;
        self.nomination_view(actor, p).await
    }

    /// The manager (or HR) approves or rejects nominated peers; approved peers are asked to
    /// review. Possible until the peer reviews close.
    pub async fn decide_peers(
        &self,
        actor: &Actor,
        participant: Uuid,
        input: PeerDecisionInput,
    ) -> AppResult<NominationView> {
        let c = self.c();
        let p = repo::participant(c, participant).await?.ok_or(AppError::NotFound("participant"))?;
        let facts = self.facts_about(actor, p.employee_id).await?;
        if facts.is_self || !(facts.manages || facts.in_hr_scope) {
            return Err(AppError::Forbidden);
        }
        let dates = repo::stage_dates(c, p.cycle_id).await?;
        let today = self.app.today();
        let last = dates.iter().find(|d| d.stage == Stage::PeerReview).map(|d| d.closes_on);
        if last.is_none_or(|l| today > l) {
            return Err(AppError::field("approve", "reviews_closed", "peer reviews are closed"));
        }
        let reviews: Vec<Review> =
            repo::reviews_of(c, &[p.id]).await?.into_iter().filter(|r| r.source == Source::Peers).collect();
        for id in input.approve.iter().chain(&input.reject) {
            if !reviews.iter().any(|r| {
                r.reviewer_id == *id
                    && matches!(r.state, ReviewState::Nominated | ReviewState::Rejected | ReviewState::Open)
            }) {
                return Err(AppError::field("approve", "not_nominated", "only nominated peers who have not started"));
            }
        }
        if input.approve.iter().any(|id| input.reject.contains(id)) {
            return Err(AppError::field("reject", "both", "approve or reject, not both"));
        }
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        let mut approved = Vec::new();
        for r in reviews {
            let state = if input.approve.contains(&r.reviewer_id) {
                ReviewState::Open
            } else if input.reject.contains(&r.reviewer_id) {
                ReviewState::Rejected
            } else {
                continue;
            };
            if state == ReviewState::Open && r.state != ReviewState::Open {
                approved.push(r.reviewer_id);
            }
            repo::update_review(&*tx, Review { state, updated_at: now, ..r }).await?;
        }
        let after = serde_json::json!({ "approve": input.approve, "reject": input.reject });
        let a = entry(
            actor,
            now,
            "review_participant",
            p.id,
            Some(p.employee_id),
            "decide_peers",
            None,
            Some(after.to_string()),
            None,
        );
        tx.audit(vec![a]);
        tell(&tx, actor, now, &approved, "review-peer-asked", &p, None).await?;
        tx.commit().await?;
        self.nomination_view(actor, p).await
    }

    /// The form of one review, for its reviewer, with the evidence for self and manager reviews.
    pub async fn form(&self, actor: &Actor, review_id: Uuid) -> AppResult<ReviewForm> {
        let c = self.c();
        let r = repo::review(c, review_id).await?.ok_or(AppError::NotFound("review"))?;
        let p = repo::participant(c, r.participant_id).await?.ok_or(AppError::NotFound("review"))?;
        let mut facts = self.facts_about(actor, p.employee_id).await?;
        facts.assigned = actor.employee_id == Some(r.reviewer_id);
        if !allowed(actor, Action::Read, Resource::Review, facts) || !r.state.is_asked() {
            return Err(AppError::NotFound("review"));
        }
        let cy = repo::cycle(c, p.cycle_id).await?.ok_or(AppError::NotFound("review cycle"))?;
        let t = repo::template(c, p.template_id).await?.ok_or(AppError::NotFound("review template"))?;
        let items = repo::items(c, &[t.id]).await?;
        let ratings: HashMap<Uuid, review_rating::Model> =
            repo::ratings(c, &[r.id]).await?.into_iter().map(|x| (x.item_id, x)).collect();
        let dates = repo::stage_dates(c, cy.id).await?;
        let d = dates.iter().find(|d| d.stage == writing_stage(r.source)).copied();
        let locked = lock(r.is_submitted(), r.source, &dates, self.app.today()).map(Lock::code);
        let person = org_repo::employee(c, p.employee_id).await?.ok_or(AppError::NotFound("employee"))?;
        let evidence = if matches!(r.source, Source::SelfReview | Source::Manager) {
            Some(self.evidence(actor, &p, cy.period_id, r.source == Source::SelfReview).await?)
        } else {
            None
        };
        Ok(ReviewForm {
            review_id: r.id,
            participant_id: p.id,
            source: r.source.code().into(),
            state: r.state.code().into(),
            editable: facts.assigned && locked.is_none(),
            locked: locked.map(String::from),
            cycle_id: cy.id,
            cycle_name: cy.name,
            person: Person { id: person.id, name: person.name },
            opens_on: d.map(|d| d.opens_on),
            closes_on: d.map(|d| d.closes_on),
            scale: scale_of(&t).points,
            items: items
                .into_iter()
                .map(|i| {
                    let rating = ratings.get(&i.id);
                    FormItem {
                        value: rating.and_then(|x| x.value),
                        comment: rating.map(|x| x.comment.clone()).unwrap_or_default(),
                        item: item_view(i),
                    }
                })
                .collect(),
            summary: r.summary,
            evidence,
        })
    }

    /// Saves the reviewer's ratings as a draft, or submits them: then the review is final and
    /// the person's score is computed again.
    pub async fn save_review(&self, actor: &Actor, review_id: Uuid, input: ReviewInput) -> AppResult<ReviewForm> {
        let c = self.c();
        let r = repo::review(c, review_id).await?.ok_or(AppError::NotFound("review"))?;
        let p = repo::participant(c, r.participant_id).await?.ok_or(AppError::NotFound("review"))?;
        let facts = Facts { assigned: actor.employee_id == Some(r.reviewer_id), ..Facts::default() };
        if !allowed(actor, Action::Write, Resource::Review, facts) {
            return Err(AppError::NotFound("review"));
        }
        let dates = repo::stage_dates(c, p.cycle_id).await?;
        if let Some(why) = lock(r.is_submitted(), r.source, &dates, self.app.today()) {
            let (code, msg) = match why {
                Lock::Submitted => ("already_submitted", "this review has been submitted"),
                Lock::NotOpen => ("stage_not_open", "this review's stage has not opened yet"),
                Lock::Closed => ("reviews_closed", "reviews are closed: calibration has begun"),
            };
            return Err(AppError::field("state", code, msg));
        }
        let t = repo::template(c, p.template_id).await?.ok_or(AppError::NotFound("review template"))?;
        let scale = scale_of(&t);
        let items = repo::items(c, &[t.id]).await?;
        let mut rows: Vec<review_rating::Model> = Vec::new();
        for (i, x) in input.ratings.iter().enumerate() {
            let f = |n: &str| format!("ratings[{i}].{n}");
            let Some(item) = items.iter().find(|it| it.id == x.item_id && it.section != "goals") else {
                return Err(AppError::field(&f("item_id"), "unknown_item", "not an item of this review"));
            };
            if rows.iter().any(|r| r.item_id == x.item_id) {
                return Err(AppError::field(&f("item_id"), "repeated", "each item once"));
            }
            match (item.section.as_str(), x.value) {
                ("text", Some(_)) => {
                    return Err(AppError::field(&f("value"), "not_rated", "a text item takes words, not a rating"));
                }
                (_, Some(v)) if !scale.contains(v) => {
                    let points: Vec<String> = scale.points.iter().map(|p| p.value.to_string()).collect();
                    return Err(AppError::field(&f("value"), "not_on_scale", format!("one of {}", points.join(", "))));
                }
                _ => {}
            }
            if x.comment.chars().count() > MAX_COMMENT_CHARS {
                return Err(AppError::field(
                    &f("comment"),
                    "too_long",
                    format!("at most {MAX_COMMENT_CHARS} characters"),
                ));
            }
            rows.push(review_rating::Model {
                review_id: r.id,
                item_id: x.item_id,
                value: x.value,
                comment: x.comment.trim().into(),
            });
        }
        if input.summary.chars().count() > MAX_SUMMARY_CHARS {
            return Err(AppError::field("summary", "too_long", format!("at most {MAX_SUMMARY_CHARS} characters")));
        }
        if input.submit {
            for (n, it) in items.iter().enumerate().filter(|(_, it)| it.required && it.section != "goals") {
                let given = rows.iter().find(|x| x.item_id == it.id);
                let done = if it.section == "text" {
                    given.is_some_and(|x| !x.comment.is_empty())
                } else {
                    given.is_some_and(|x| x.value.is_some())
                };
                if !done {
                    return Err(AppError::field(
                        &format!("items[{n}]"),
                        "required",
                        format!("「{}」 is required", it.title),
                    ));
                }
            }
            if r.source == Source::Manager && input.summary.trim().is_empty() {
                return Err(AppError::field("summary", "required", "write your conclusion"));
            }
        }
        let now = self.app.clock.now();
        let submitted = input.submit;
        let updated = Review {
            state: if submitted { ReviewState::Submitted } else { ReviewState::Draft },
            summary: input.summary.trim().into(),
            updated_at: now,
            submitted_at: submitted.then_some(now),
            ..r.clone()
        };
        let tx = self.app.db.begin_write().await?;
        repo::replace_ratings(&*tx, r.id, rows.clone()).await?;
        repo::update_review(&*tx, updated).await?;
        let after = review_audit_json(r.source, &rows, input.summary.trim());
        let action = if submitted { "submit" } else { "save" };
        let a = entry(actor, now, "review", r.id, Some(p.employee_id), action, None, Some(after), None);
        tx.audit(vec![a]);
        if submitted {
            let cy = repo::cycle(&*tx, p.cycle_id).await?.ok_or(AppError::NotFound("review cycle"))?;
            super::scoring::rescore(&*tx, &p, cy.period_id, now, self.app.zone()).await?;
            if r.source == Source::SelfReview
                && let Some(m) = p.manager_id
            {
                tell(&tx, actor, now, &[m], "review-self-submitted", &p, Some(&cy.name)).await?;
            }
        }
        tx.commit().await?;
        self.form(actor, review_id).await
    }

    /// The evidence of the period for a person: their goals with progress and latest check-ins,
    /// the journal events and the feedback the reader may read.
    async fn evidence(
        &self,
        actor: &Actor,
        p: &review_participant::Model,
        period: Uuid,
        own: bool,
    ) -> AppResult<Evidence> {
        let c = self.c();
        let period = goal_repo::period(c, period).await?.ok_or(AppError::NotFound("goal period"))?;
        let ids = goal_repo::goal_ids_owned_by(c, p.employee_id, period.id).await?;
        let mut goals = Vec::new();
        for g in goal_repo::goals(c, &ids).await?.into_iter().filter(|g| g.goal.status != "archived") {
            let check_ins = tracking_repo::newest_check_ins(c, g.goal.id, None, 5).await?;
            goals.push(GoalEvidence {
                id: g.goal.id,
                title: g.goal.title.clone(),
                weight: g.goal.weight_bp.map(|w| w as f64 / 100.0),
                progress: g.goal.progress_bp as f64 / 100.0,
                status: g.goal.status.clone(),
                check_ins: check_ins
                    .into_iter()
                    .map(|ci| CheckInLine {
                        on_date: ci.on_date,
                        progress: ci.goal_progress_bp as f64 / 100.0,
                        confidence: ci.confidence,
                        note: ci.note,
                    })
                    .collect(),
            });
        }
        let to = period.ends_on.min(self.app.today());
        // The reviewer named at launch may no longer manage the person: then the journal and
        // the feedback are theirs no more to read, and the form shows the goals alone.
        let journal = match self.app.journal().list(actor, Some(p.employee_id), Some(period.starts_on), Some(to)).await
        {
            Err(AppError::Forbidden | AppError::NotFound(_)) => Vec::new(),
            other => other?,
        };
        let which = if own { Which::Received } else { Which::About(p.employee_id) };
        let (cal, _) = self.app.calendar().current().await?;
        let feedback = match self.app.feedback().list(actor, which).await {
            Err(AppError::Forbidden | AppError::NotFound(_)) => Vec::new(),
            other => other?,
        };
        let feedback = feedback
            .into_iter()
            .filter(|f| {
                let d = cal.local_date(f.created_at);
                f.recipient.id == p.employee_id && d >= period.starts_on && d <= period.ends_on
            })
            .collect();
        Ok(Evidence { from: period.starts_on, to: period.ends_on, goals, journal, feedback })
    }

    async fn nomination_view(&self, actor: &Actor, p: review_participant::Model) -> AppResult<NominationView> {
        let c = self.c();
        let cy = repo::cycle(c, p.cycle_id).await?.ok_or(AppError::NotFound("review cycle"))?;
        let t = repo::template(c, p.template_id).await?.ok_or(AppError::NotFound("review template"))?;
        let peers: Vec<Review> =
            repo::reviews_of(c, &[p.id]).await?.into_iter().filter(|r| r.source == Source::Peers).collect();
        let ids: Vec<Uuid> = peers.iter().map(|r| r.reviewer_id).chain([p.employee_id]).collect();
        let names = crate::org::employee_names(c, &ids).await?;
        let name = |id: Uuid| Person { id, name: names.get(&id).cloned().unwrap_or_default() };
        let dates = repo::stage_dates(c, cy.id).await?;
        let today = self.app.today();
        let facts = self.facts_about(actor, p.employee_id).await?;
        let peer_review_open = dates.iter().any(|d| d.stage == Stage::PeerReview && today <= d.closes_on);
        Ok(NominationView {
            participant_id: p.id,
            cycle_name: cy.name,
            person: name(p.employee_id),
            peers_min: t.peers_min as u32,
            peers_max: t.peers_max as u32,
            peers: peers
                .iter()
                .map(|r| PeerView { person: name(r.reviewer_id), state: r.state.code().into() })
                .collect(),
            can_nominate: facts.is_self && t.peers_max > 0 && open_on(&dates, Stage::PeerNomination, today),
            can_decide: !facts.is_self && (facts.manages || facts.in_hr_scope) && peer_review_open,
        })
    }

    pub(crate) async fn facts_about(&self, actor: &Actor, employee: Uuid) -> AppResult<Facts> {
        let e = org_repo::employee(self.c(), employee).await?.ok_or(AppError::NotFound("employee"))?;
        self.app.org().facts_for_employee(actor, &e).await
    }
}

/// Tells `people` (those with an account) something about a participant, named as the subject,
/// inside the caller's transaction.
pub(super) async fn tell(
    tx: &WriteTxn,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    people: &[Uuid],
    kind: &str,
    p: &review_participant::Model,
    body: Option<&str>,
) -> AppResult<()> {
    let c = &**tx;
    let users: Vec<Uuid> = accounts::users_of_employees(c, people).await?.into_iter().map(|(u, _)| u).collect();
    let name = org_repo::employee(c, p.employee_id).await?.map(|e| e.name).unwrap_or_default();
    tell_users(tx, actor, now, &users, kind, p.id, &name, body).await
}

/// Tells users (by user id) something about participant `participant`, with `subject` as the
/// message's subject, inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub(super) async fn tell_users(
    tx: &WriteTxn,
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    users: &[Uuid],
    kind: &str,
    participant: Uuid,
    subject: &str,
    body: Option<&str>,
) -> AppResult<()> {
    let messages = users
        .iter()
        .map(|u| (*u, Message { kind, entity_type: "review_participant", entity_id: participant, subject, body }))
        .collect();
    notify_each(tx, actor, now, messages);
    Ok(())
}

fn open_on(dates: &[StageDates], stage: Stage, today: NaiveDate) -> bool {
    dates.iter().any(|d| d.stage == stage && d.opens_on <= today && today <= d.closes_on)
}

/// What the audit log keeps of a review saved or submitted: its source, every rating and
/// comment, and the summary.
pub(crate) fn review_audit_json(source: Source, ratings: &[review_rating::Model], summary: &str) -> String {
    serde_json::json!({
        "source": source.code(),
        "ratings": ratings
            .iter()
            .map(|x| serde_json::json!({"item_id": x.item_id, "value": x.value, "comment": x.comment}))
            .collect::<Vec<_>>(),
        "summary": summary,
    })
    .to_string()
}
