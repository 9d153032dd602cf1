//! Recognition: kudos tagged with company values, seen by the team or the whole
//! organization, each carrying points to its recipients; badges earned from one's record; a
//! reward menu HR keeps, redeemed with points and approved by HR, within each reward's stock.
//!
//! Points are spent when a redemption is asked for (held) and given back if HR rejects it, so
//! a balance never counts points already promised elsewhere.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::calendar::month_of;
use waymark_domain::recognition::{self as rules, Audience, Draft, Problem, Record, RedeemProblem};
use waymark_store::entities::{company_value, kudos, points_entry, redemption, reward};
use waymark_store::repo::{accounts, org as org_repo, recognition as repo};

use crate::audit::entry;
use crate::inbox::{Message, notify_each};
use crate::org::{Person, employee_names};
use crate::policy::{Action, Actor, Facts, Resource, allowed, could_about_others};
use crate::{App, AppError, AppResult};

pub struct RecognitionService<'a> {
    pub(crate) app: &'a App,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct KudosInput {
    /// 1–10 people, not the giver.
    pub recipient_ids: Vec<Uuid>,
    /// 1–3 active company values.
    pub value_ids: Vec<Uuid>,
    /// What they did (at most 1 000 characters).
    pub message: String,
    /// team (the giver's and recipients' units, their managers, HR) or organization.
    #[schema(pattern = "^(team|organization)$")]
    pub audience: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KudosView {
    pub id: Uuid,
    pub giver: Person,
    pub recipients: Vec<Person>,
    pub values: Vec<ValueView>,
    pub message: String,
    pub audience: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ValueView {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub active: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ValueInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WalletView {
    pub balance: i64,
    pub received: usize,
    pub given: usize,
    /// first_thanks, appreciated, generous, values_in_action, bridge.
    pub badges: Vec<String>,
    /// How many more people one may thank this month.
    pub allowance_left: usize,
    /// The latest changes to one's points (at most 20).
    pub history: Vec<PointsView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PointsView {
    pub delta: i64,
    /// kudos, redemption or refund.
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RewardInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Points it costs, 1 or more.
    pub cost: i64,
    /// How many are left; none for unlimited.
    #[serde(default)]
    pub stock: Option<i32>,
    #[serde(default = "yes")]
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RewardView {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub cost: i64,
    pub stock: Option<i32>,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RedemptionView {
    pub id: Uuid,
    pub employee: Person,
    pub reward: String,
    pub cost: i64,
    /// pending, approved or rejected.
    pub state: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RedemptionDecisionInput {
    pub approve: bool,
    /// Said to the person (required when rejecting).
    #[serde(default)]
    pub note: String,
}

const FEED_LIMIT: u64 = 50;

impl<'a> RecognitionService<'a> {
    fn c(&self) -> &waymark_store::sea_orm::DatabaseConnection {
        &self.app.db.conn
    }

    // ---- values ---------------------------------------------------------------------------

    pub async fn values(&self, actor: &Actor) -> AppResult<Vec<ValueView>> {
        if !allowed(actor, Action::Read, Resource::RecognitionSettings, Facts::default()) {
            return Err(AppError::Unauthenticated);
        }
        Ok(repo::values(self.c()).await?.into_iter().map(value_view).collect())
    }

    /// Adds a value (`id` none) or changes one: HR.
    pub async fn save_value(&self, actor: &Actor, id: Option<Uuid>, input: ValueInput) -> AppResult<ValueView> {
        if !allowed(actor, Action::Write, Resource::RecognitionSettings, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 40 {
            return Err(AppError::field("name", "required", "1 to 40 characters"));
        }
        if input.description.chars().count() > 200 {
            return Err(AppError::field("description", "too_long", "at most 200 characters"));
        }
        let c = self.c();
        let existing = repo::values(c).await?;
        if existing.iter().any(|v| v.name == name && Some(v.id) != id) {
            return Err(AppError::field("name", "value_exists", "a value with this name exists"));
        }
        let before = match id {
            Some(id) => Some(existing.iter().find(|v| v.id == id).cloned().ok_or(AppError::NotFound("company_value"))?),
            None => None,
        };
        let row = company_value::Model {
            id: id.unwrap_or_else(Uuid::now_v7),
            name: name.into(),
            description: input.description.trim().into(),
            position: before.as_ref().map(|b| b.position).unwrap_or(existing.len() as i32 + 1),
            active: input.active,
        };
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        repo::save_value(&*tx, row.clone(), before.is_none()).await?;
        let json = |v: &company_value::Model| {
            serde_json::json!({"name": v.name, "description": v.description, "active": v.active}).to_string()
        };
        let action = if before.is_some() { "update" } else { "create" };
        let a =
            entry(actor, now, "company_value", row.id, None, action, before.as_ref().map(json), Some(json(&row)), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(value_view(row))
    }

    // ---- kudos ----------------------------------------------------------------------------

    pub async fn give(&self, actor: &Actor, input: KudosInput) -> AppResult<KudosView> {
        let me = actor.employee_id.ok_or(AppError::Forbidden)?;
        if !allowed(actor, Action::Write, Resource::Kudos, Facts { is_self: true, ..Facts::default() }) {
            return Err(AppError::Forbidden);
        }
        let c = self.c();
        let audience = Audience::parse(&input.audience)
            .ok_or_else(|| AppError::field("audience", "invalid", "team or organization"))?;
        let recipients = distinct(&input.recipient_ids);
        let values = distinct(&input.value_ids);
        let now = self.app.clock.now();
        let (cal, _) = self.app.calendar().current().await?;
        let month = month_of(cal.local_date(now)).0;
        let given = repo::recipients_thanked_since(c, me, cal.instant(month, 0)).await? as usize;
        let draft = Draft {
            giver: me,
            recipients: &recipients,
            values: values.len(),
            message: &input.message,
            given_this_month: given,
        };
        rules::check(&draft).map_err(problem)?;
        let found = org_repo::employees_by_ids(c, &recipients).await?;
        if found.iter().filter(|e| e.is_current()).count() != recipients.len() {
            return Err(AppError::field("recipient_ids", "unknown_employee", "someone is not in the organization"));
        }
        let active: HashSet<Uuid> = repo::values(c).await?.into_iter().filter(|v| v.active).map(|v| v.id).collect();
        if !values.iter().all(|v| active.contains(v)) {
            return Err(AppError::field("value_ids", "unknown_value", "not one of the company's values"));
        }
        let row = kudos::Model {
            id: Uuid::now_v7(),
            giver_id: me,
            audience: audience.code().into(),
            message: input.message.trim().into(),
            created_at: now,
        };
        let users = accounts::users_of_employees(c, &recipients).await?;
        let giver_name = org_repo::employee(c, me).await?.map(|e| e.name).unwrap_or_default();
        let tx = self.app.db.begin_write().await?;
        repo::insert_kudos(&*tx, row.clone(), month, &recipients, &values).await?;
        for r in &recipients {
            let e = points_entry::Model {
                id: Uuid::now_v7(),
                employee_id: *r,
                delta: rules::POINTS_PER_KUDOS,
                reason: "kudos".into(),
                ref_id: row.id,
                created_at: now,
            };
            repo::add_points(&*tx, e).await?;
        }
        let after = serde_json::json!({"recipients": recipients, "values": values, "message": row.message, "audience": row.audience});
        let a = entry(actor, now, "kudos", row.id, None, "create", None, Some(after.to_string()), None);
        tx.audit(vec![a]);
        let messages = users
            .iter()
            .map(|(u, _)| {
                let m = Message {
                    kind: "kudos-received",
                    entity_type: "kudos",
                    entity_id: row.id,
                    subject: &giver_name,
                    body: Some(&row.message),
                };
                (*u, m)
            })
            .collect();
        notify_each(&tx, actor, now, messages);
        tx.commit().await?;
        Ok(self.views(vec![row]).await?.remove(0))
    }

    /// The newest kudos the actor may see, before `before` when paging (50 at a time).
    /// The kudos the actor received since `since`, newest first (at most 20).
    pub async fn received_since(&self, actor: &Actor, since: DateTime<Utc>) -> AppResult<Vec<KudosView>> {
        let Some(me) = actor.employee_id else { return Ok(vec![]) };
        let c = self.c();
        let rows = repo::received_kudos(c, me, since, self.app.clock.now() + chrono::Duration::seconds(1), 20).await?;
        let rows = self.visible(actor, rows).await?;
        self.views(rows).await
    }

    pub async fn feed(&self, actor: &Actor, before: Option<DateTime<Utc>>) -> AppResult<Vec<KudosView>> {
        if !could_about_others(actor, Action::Read, Resource::Kudos) {
            return Ok(vec![]);
        }
        let c = self.c();
        let mut out = Vec::new();
        let mut cursor = before;
        // Team kudos the actor may not see are skipped; read on until the page is full.
        for _ in 0..10 {
            let rows = repo::recent_kudos(c, cursor, FEED_LIMIT * 2).await?;
            let Some(last) = rows.last() else { break };
            cursor = Some(last.created_at);
            let full = rows.len() as u64 == FEED_LIMIT * 2;
            out.extend(self.visible(actor, rows).await?);
            if out.len() as u64 >= FEED_LIMIT || !full {
                break;
            }
        }
        out.truncate(FEED_LIMIT as usize);
        self.views(out).await
    }

    async fn visible(&self, actor: &Actor, rows: Vec<kudos::Model>) -> AppResult<Vec<kudos::Model>> {
        let c = self.c();
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let (recips, _) = repo::recipients_and_values(c, &ids).await?;
        let mut people: Vec<Uuid> = recips.iter().map(|(_, e)| *e).chain(rows.iter().map(|r| r.giver_id)).collect();
        people.sort();
        people.dedup();
        let units: HashMap<Uuid, Uuid> =
            org_repo::employees_by_ids(c, &people).await?.into_iter().map(|e| (e.id, e.unit_id)).collect();
        let my_unit = match actor.employee_id {
            Some(me) => org_repo::employee(c, me).await?.map(|e| e.unit_id),
            None => None,
        };
        let rel = self.app.org().relations(actor, &people).await?;
        Ok(rows
            .into_iter()
            .filter(|k| {
                let mut involved: Vec<Uuid> = recips.iter().filter(|(kid, _)| *kid == k.id).map(|(_, e)| *e).collect();
                involved.push(k.giver_id);
                let facts = Facts {
                    public: k.audience == Audience::Organization.code(),
                    is_self: involved.iter().any(|p| Some(*p) == actor.employee_id),
                    manages: involved.iter().any(|p| rel.manages(*p)),
                    in_hr_scope: involved.iter().any(|p| rel.in_hr_scope(actor, *p)),
                    // Same unit as someone involved: the kudos' team.
                    assigned: my_unit.is_some() && involved.iter().any(|p| units.get(p) == my_unit.as_ref()),
                    ..Facts::default()
                };
                allowed(actor, Action::Read, Resource::Kudos, facts)
            })
            .collect())
    }

    async fn views(&self, rows: Vec<kudos::Model>) -> AppResult<Vec<KudosView>> {
        let c = self.c();
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let (recips, vals) = repo::recipients_and_values(c, &ids).await?;
        let people: Vec<Uuid> = recips.iter().map(|(_, e)| *e).chain(rows.iter().map(|r| r.giver_id)).collect();
        let names = employee_names(c, &people).await?;
        let values: HashMap<Uuid, company_value::Model> =
            repo::values(c).await?.into_iter().map(|v| (v.id, v)).collect();
        let person = |id: Uuid| Person { id, name: names.get(&id).cloned().unwrap_or_default() };
        Ok(rows
            .into_iter()
            .map(|k| KudosView {
                id: k.id,
                giver: person(k.giver_id),
                recipients: recips.iter().filter(|(kid, _)| *kid == k.id).map(|(_, e)| person(*e)).collect(),
                values: vals
                    .iter()
                    .filter(|(kid, _)| *kid == k.id)
                    .filter_map(|(_, v)| values.get(v).cloned().map(value_view))
                    .collect(),
                message: k.message,
                audience: k.audience,
                created_at: k.created_at,
            })
            .collect())
    }

    /// One's points, badges, counts and allowance.
    pub async fn wallet(&self, actor: &Actor) -> AppResult<WalletView> {
        let me = actor.employee_id.ok_or(AppError::NotFound("employee"))?;
        let c = self.c();
        let (received, given) = repo::kudos_of(c, me).await?;
        let mut record = Record { received: received.len(), given: given.len(), ..Record::default() };
        let (_, vals) = repo::recipients_and_values(c, &received).await?;
        record.values_received = vals.into_iter().map(|(_, v)| v).collect();
        let (thanked, _) = repo::recipients_and_values(c, &given).await?;
        let thanked: Vec<Uuid> = thanked.into_iter().map(|(_, e)| e).collect();
        let my_unit = org_repo::employee(c, me).await?.map(|e| e.unit_id);
        record.other_units_thanked = org_repo::employees_by_ids(c, &thanked)
            .await?
            .into_iter()
            .map(|e| e.unit_id)
            .filter(|u| Some(*u) != my_unit)
            .collect();
        let this_month = repo::recipients_thanked_since(c, me, self.month_start().await?).await? as usize;
        Ok(WalletView {
            balance: repo::balance(c, me).await?,
            received: record.received,
            given: record.given,
            badges: rules::badges(&record).into_iter().map(|b| b.code().to_string()).collect(),
            allowance_left: rules::MONTHLY_RECIPIENTS.saturating_sub(this_month),
            history: repo::ledger(c, me, 20)
                .await?
                .into_iter()
                .map(|e| PointsView { delta: e.delta, reason: e.reason, created_at: e.created_at })
                .collect(),
        })
    }

    /// The first instant of this month in the organization's time zone.
    async fn month_start(&self) -> AppResult<DateTime<Utc>> {
        let today = self.app.today();
        let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("the first of a month exists");
        let (cal, _) = self.app.calendar().current().await?;
        Ok(cal.instant(first, 0))
    }

    // ---- rewards --------------------------------------------------------------------------

    /// The reward menu: active rewards for everyone, all of them for HR.
    pub async fn rewards(&self, actor: &Actor) -> AppResult<Vec<RewardView>> {
        let hr = allowed(actor, Action::Write, Resource::RecognitionSettings, Facts::default());
        if !allowed(actor, Action::Read, Resource::RecognitionSettings, Facts::default()) {
            return Err(AppError::Unauthenticated);
        }
        Ok(repo::rewards(self.c()).await?.into_iter().filter(|r| hr || r.active).map(reward_view).collect())
    }

    pub async fn save_reward(&self, actor: &Actor, id: Option<Uuid>, input: RewardInput) -> AppResult<RewardView> {
        if !allowed(actor, Action::Write, Resource::RecognitionSettings, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(AppError::field("name", "required", "1 to 80 characters"));
        }
        if input.description.chars().count() > 500 {
            return Err(AppError::field("description", "too_long", "at most 500 characters"));
        }
        if !(1..=1_000_000).contains(&input.cost) {
            return Err(AppError::field("cost", "out_of_range", "1 to 1 000 000 points"));
        }
        if input.stock.is_some_and(|s| !(0..=100_000).contains(&s)) {
            return Err(AppError::field("stock", "out_of_range", "0 to 100 000, or none for unlimited"));
        }
        let c = self.c();
        let before = match id {
            Some(id) => Some(repo::reward(c, id).await?.ok_or(AppError::NotFound("reward"))?),
            None => None,
        };
        let now = self.app.clock.now();
        let row = reward::Model {
            id: id.unwrap_or_else(Uuid::now_v7),
            name: name.into(),
            description: input.description.trim().into(),
            cost: input.cost,
            stock: input.stock,
            active: input.active,
            created_at: before.as_ref().map(|b| b.created_at).unwrap_or(now),
        };
        let tx = self.app.db.begin_write().await?;
        repo::save_reward(&*tx, row.clone(), before.is_none()).await?;
        let json = |r: &reward::Model| {
            serde_json::json!({"name": r.name, "cost": r.cost, "stock": r.stock, "active": r.active}).to_string()
        };
        let action = if before.is_some() { "update" } else { "create" };
        let a = entry(actor, now, "reward", row.id, None, action, before.as_ref().map(json), Some(json(&row)), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(reward_view(row))
    }

    /// Asks to redeem a reward: the points are held and one of the stock reserved at once, in
    /// one transaction; HR approves or rejects (which gives both back).
    pub async fn redeem(&self, actor: &Actor, reward_id: Uuid) -> AppResult<RedemptionView> {
        let me = actor.employee_id.ok_or(AppError::Forbidden)?;
        if !allowed(actor, Action::Write, Resource::Redemption, Facts { is_self: true, ..Facts::default() }) {
            return Err(AppError::Forbidden);
        }
        let c = self.c();
        let r = repo::reward(c, reward_id).await?.ok_or(AppError::NotFound("reward"))?;
        let balance = repo::balance(c, me).await?;
        rules::check_redeem(balance, r.cost, r.stock, r.active).map_err(redeem_problem)?;
        let now = self.app.clock.now();
        let row = redemption::Model {
            id: Uuid::now_v7(),
            employee_id: me,
            reward_id: r.id,
            cost: r.cost,
            state: repo::PENDING.into(),
            created_at: now,
            decided_by: None,
            decided_at: None,
            note: String::new(),
        };
        let tx = self.app.db.begin_write().await?;
        let hold = points_entry::Model {
            id: Uuid::now_v7(),
            employee_id: me,
            delta: -r.cost,
            reason: "redemption".into(),
            ref_id: row.id,
            created_at: now,
        };
        // Checked again under the guarded updates: two requests at once cannot both pass.
        if !repo::add_points(&*tx, hold).await? {
            return Err(redeem_problem(RedeemProblem::NotEnoughPoints {
                balance: repo::balance(&*tx, me).await?,
                cost: r.cost,
            }));
        }
        if !repo::move_stock(&*tx, r.id, -1).await? {
            return Err(redeem_problem(RedeemProblem::OutOfStock));
        }
        repo::insert_redemption(&*tx, row.clone()).await?;
        let after = serde_json::json!({"reward": r.name, "cost": r.cost});
        let a = entry(actor, now, "redemption", row.id, Some(me), "request", None, Some(after.to_string()), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(self.redemption_views(vec![row]).await?.remove(0))
    }

    /// One's own redemptions (`pending` false), or the requests waiting for HR (`pending`).
    pub async fn redemptions(&self, actor: &Actor, pending: bool) -> AppResult<Vec<RedemptionView>> {
        let c = self.c();
        let rows = if pending {
            if !allowed(actor, Action::Write, Resource::RecognitionSettings, Facts::default()) {
                return Err(AppError::Forbidden);
            }
            let rows = repo::pending_redemptions(c, 200).await?;
            let people: Vec<Uuid> = rows.iter().map(|r| r.employee_id).collect();
            let rel = self.app.org().relations(actor, &people).await?;
            rows.into_iter().filter(|r| rel.in_hr_scope(actor, r.employee_id)).collect()
        } else {
            match actor.employee_id {
                Some(me) => repo::redemptions_of(c, me, 50).await?,
                None => vec![],
            }
        };
        self.redemption_views(rows).await
    }

    /// HR of the person's unit approves or rejects; a rejection gives the points and the stock
    /// back. The person is told either way.
    pub async fn decide(&self, actor: &Actor, id: Uuid, input: RedemptionDecisionInput) -> AppResult<RedemptionView> {
        let c = self.c();
        let r = repo::redemption(c, id).await?.ok_or(AppError::NotFound("redemption"))?;
        let person = org_repo::employee(c, r.employee_id).await?.ok_or(AppError::NotFound("employee"))?;
        let facts = self.app.org().facts_for_employee(actor, &person).await?;
        // HR decides others' requests, never their own.
        if facts.is_self || !allowed(actor, Action::Write, Resource::Redemption, Facts { is_self: false, ..facts }) {
            return Err(AppError::NotFound("redemption"));
        }
        let note = input.note.trim();
        if !input.approve && note.is_empty() {
            return Err(AppError::field("note", "required", "say why it is rejected"));
        }
        if note.chars().count() > 500 {
            return Err(AppError::field("note", "too_long", "at most 500 characters"));
        }
        let by = actor.user_id.ok_or(AppError::Forbidden)?;
        let state = if input.approve { "approved" } else { "rejected" };
        let now = self.app.clock.now();
        let users = accounts::users_of_employees(c, &[r.employee_id]).await?;
        let reward_name = repo::reward(c, r.reward_id).await?.map(|w| w.name).unwrap_or_default();
        let tx = self.app.db.begin_write().await?;
        if !repo::decide(&*tx, id, state, by, note, now).await? {
            return Err(AppError::field("redemption", "decided", "this request is already decided"));
        }
        if !input.approve {
            let refund = points_entry::Model {
                id: Uuid::now_v7(),
                employee_id: r.employee_id,
                delta: r.cost,
                reason: "refund".into(),
                ref_id: r.id,
                created_at: now,
            };
            repo::add_points(&*tx, refund).await?;
            repo::move_stock(&*tx, r.reward_id, 1).await?;
        }
        let after = serde_json::json!({"state": state, "note": note});
        let a = entry(actor, now, "redemption", id, Some(r.employee_id), state, None, Some(after.to_string()), None);
        tx.audit(vec![a]);
        let kind = if input.approve { "redemption-approved" } else { "redemption-rejected" };
        let messages = users
            .iter()
            .map(|(u, _)| {
                (
                    *u,
                    Message {
                        kind,
                        entity_type: "redemption",
                        entity_id: id,
                        subject: &reward_name,
                        body: Some(note).filter(|n| !n.is_empty()),
                    },
                )
            })
            .collect();
        notify_each(&tx, actor, now, messages);
        tx.commit().await?;
        let row = repo::redemption(c, id).await?.ok_or(AppError::NotFound("redemption"))?;
        Ok(self.redemption_views(vec![row]).await?.remove(0))
    }

    async fn redemption_views(&self, rows: Vec<redemption::Model>) -> AppResult<Vec<RedemptionView>> {
        let c = self.c();
        let people: Vec<Uuid> = rows.iter().map(|r| r.employee_id).collect();
        let names = employee_names(c, &people).await?;
        let rewards: HashMap<Uuid, String> = repo::rewards(c).await?.into_iter().map(|r| (r.id, r.name)).collect();
        Ok(rows
            .into_iter()
            .map(|r| RedemptionView {
                id: r.id,
                employee: Person { id: r.employee_id, name: names.get(&r.employee_id).cloned().unwrap_or_default() },
                reward: rewards.get(&r.reward_id).cloned().unwrap_or_default(),
                cost: r.cost,
                state: r.state,
                note: r.note,
                created_at: r.created_at,
                decided_at: r.decided_at,
            })
            .collect())
    }
}

fn distinct(ids: &[Uuid]) -> Vec<Uuid> {
    let mut out: Vec<Uuid> = Vec::new();
    for i in ids {
        if !out.contains(i) {
            out.push(*i);
        }
    }
    out
}

fn value_view(v: company_value::Model) -> ValueView {
    ValueView { id: v.id, name: v.name, description: v.description, active: v.active }
}

fn reward_view(r: reward::Model) -> RewardView {
    RewardView { id: r.id, name: r.name, description: r.description, cost: r.cost, stock: r.stock, active: r.active }
}

fn problem(p: Problem) -> AppError {
    use rules::*;
    match p {
        Problem::NoRecipient => AppError::field("recipient_ids", "required", "thank someone"),
        Problem::TooManyRecipients => {
            AppError::field("recipient_ids", "too_many", format!("at most {MAX_RECIPIENTS} people"))
        }
        Problem::ToSelf => AppError::field("recipient_ids", "kudos_to_self", "thank someone else"),
        Problem::NoValue => AppError::field("value_ids", "required", "tag a company value"),
        Problem::TooManyValues => AppError::field("value_ids", "too_many", format!("at most {MAX_VALUES} values")),
        Problem::NoMessage => AppError::field("message", "required", "say what they did"),
        Problem::MessageTooLong => {
            AppError::field("message", "too_long", format!("at most {MAX_MESSAGE_CHARS} characters"))
        }
        Problem::MonthlyAllowance { left } => AppError::field(
            "recipient_ids",
            "monthly_allowance",
            format!("{MONTHLY_RECIPIENTS} people a month; {left} left this month"),
        ),
    }
}

fn redeem_problem(p: RedeemProblem) -> AppError {
    match p {
        RedeemProblem::NotEnoughPoints { balance, cost } => {
            AppError::field("points", "not_enough_points", format!("this costs {cost} points; you have {balance}"))
        }
        RedeemProblem::OutOfStock => AppError::field("reward", "out_of_stock", "none left"),
        RedeemProblem::Inactive => AppError::field("reward", "inactive", "this reward is no longer offered"),
    }
}
