//! Risk and potential signals (SPEC I-4): what the rules read, organization-wide, and the
//! signals, answers, setting and preferences they keep.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;
use waymark_domain::feedback::Kind;
use waymark_domain::one_on_one::MeetingState;
use waymark_domain::org::EmployeeStatus;
use waymark_domain::reviews::application::NominationState;
use waymark_domain::signals::{
    Answer, Evidence, Inputs, Released, Reply, Signal, SignalKind, SignalState, Stance, Windows,
};

use crate::entities::{
    check_in, dev_action, dev_plan, employee, feedback, manager_change, one_on_one, potential_assessment,
    promotion_nomination, review_cycle, review_participant, risk_signal, signal_answer, signal_pref, signal_setting,
};
use crate::{StoreError, StoreResult};

/// A released participation: person, cycle, when released, score.
type ReleasedRow = (Uuid, Uuid, Option<DateTime<Utc>>, Option<i32>);

fn start_of(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(NaiveTime::MIN).and_utc()
}

/// Whose facts are read: today's people, or those employed on a past day (the flight-risk
/// model's history).
#[derive(Debug, Clone, Copy)]
pub enum Population {
    Current,
    EmployedOn(NaiveDate),
}

/// Everything the rules read, for the people of `population`, over the windows ending
/// `w.today` (`now`: nothing later than it counts — 1:1s still to come, or, for a past day,
/// everything recorded since).
pub async fn inputs<C: ConnectionTrait>(
    c: &C,
    w: &Windows,
    now: DateTime<Utc>,
    population: Population,
) -> StoreResult<Inputs> {
    let people = people_of(c, population).await?;
    let promotions: Vec<(Uuid, Option<DateTime<Utc>>)> = promotion_nomination::Entity::find()
        .select_only()
        .columns([promotion_nomination::Column::EmployeeId, promotion_nomination::Column::DecidedAt])
        .filter(promotion_nomination::Column::State.eq(NominationState::Approved.code()))
        .filter(promotion_nomination::Column::DecidedAt.lte(now))
        .into_tuple()
        .all(c)
        .await?;
    let released = released_until(c, now).await?;
    let recent_from = w.check_ins_recent_from();
    let check_ins = counts_by(
        c,
        check_in::Entity::find()
            .filter(check_in::Column::AuthorId.is_not_null())
            .filter(check_in::Column::OnDate.gte(w.check_ins_earlier_from()))
            .filter(check_in::Column::OnDate.lte(w.today)),
        check_in::Column::AuthorId,
        Condition::all().add(check_in::Column::OnDate.gte(recent_from)),
    )
    .await?;
    let one_on_ones = counts_by(
        c,
        one_on_one::Entity::find()
            .filter(one_on_one::Column::StartsAt.gte(start_of(w.one_on_ones_from())))
            .filter(one_on_one::Column::StartsAt.lte(now))
            .filter(one_on_one::Column::State.is_in([MeetingState::Held.code(), MeetingState::Cancelled.code()])),
        one_on_one::Column::ReportId,
        Condition::all().add(one_on_one::Column::State.eq(MeetingState::Held.code())),
    )
    .await?;
    let feedback: Vec<(Uuid, String, String, DateTime<Utc>)> = feedback::Entity::find()
        .select_only()
        .columns([feedback::Column::RecipientId, feedback::Column::Kind, feedback::Column::Body])
        .column(feedback::Column::CreatedAt)
        .filter(feedback::Column::CreatedAt.gte(start_of(w.feedback_earlier_from())))
        .filter(feedback::Column::CreatedAt.lte(now))
        .into_tuple()
        .all(c)
        .await?;
    let assessed: Vec<(Uuid, i32, DateTime<Utc>)> = potential_assessment::Entity::find()
        .select_only()
        .columns([
            potential_assessment::Column::ParticipantId,
            potential_assessment::Column::Level,
            potential_assessment::Column::AssessedAt,
        ])
        .filter(potential_assessment::Column::AssessedAt.lte(now))
        .into_tuple()
        .all(c)
        .await?;
    // Whole tables of two ids each: an IN list of every assessed participant could pass the
    // databases' limits on parameters at a large organization.
    let participants: HashMap<Uuid, Uuid> = review_participant::Entity::find()
        .select_only()
        .columns([review_participant::Column::Id, review_participant::Column::EmployeeId])
        .into_tuple()
        .all(c)
        .await?
        .into_iter()
        .collect();
    let done_by_plan: Vec<(Uuid, i64)> = dev_action::Entity::find()
        .select_only()
        .column(dev_action::Column::PlanId)
        .column_as(Expr::expr(Func::count(Expr::col(dev_action::Column::Id))), "n")
        .filter(dev_action::Column::DoneAt.gte(start_of(w.learning_from())))
        .filter(dev_action::Column::DoneAt.lte(now))
        .group_by(dev_action::Column::PlanId)
        .into_tuple()
        .all(c)
        .await?;
    let plans: HashMap<Uuid, Uuid> = dev_plan::Entity::find()
        .select_only()
        .columns([dev_plan::Column::Id, dev_plan::Column::EmployeeId])
        .into_tuple()
        .all(c)
        .await?
        .into_iter()
        .collect();
    let mut learning: HashMap<Uuid, i64> = HashMap::new();
    for (plan, n) in done_by_plan {
        if let Some(person) = plans.get(&plan) {
            *learning.entry(*person).or_default() += n;
        }
    }
    Ok(Inputs {
        people,
        promotions: promotions.into_iter().filter_map(|(id, at)| Some((id, at?.date_naive()))).collect(),
        released,
        check_ins,
        // Held, and the others: cancelled (only those two were read).
        one_on_ones,
        feedback: feedback
            .into_iter()
            .map(|(id, kind, body, at)| {
                let kind = Kind::parse(&kind).ok_or(StoreError::Corrupt("feedback kind"))?;
                Ok((id, kind, body, at.date_naive()))
            })
            .collect::<StoreResult<_>>()?,
        potential: assessed
            .into_iter()
            .filter_map(|(participant, level, at)| Some((*participants.get(&participant)?, level, at.date_naive())))
            .collect(),
        learning: learning.into_iter().map(|(id, n)| (id, n.clamp(0, i64::from(u32::MAX)) as u32)).collect(),
        work: crate::repo::attendance::tallies(c, w).await?,
        manager_changes: manager_change::Entity::find()
            .select_only()
            .columns([manager_change::Column::EmployeeId, manager_change::Column::ChangedOn])
            .filter(manager_change::Column::ChangedOn.gte(w.manager_change_from()))
            .filter(manager_change::Column::ChangedOn.lte(w.today))
            .into_tuple()
            .all(c)
            .await?,
    })
}

/// What team signals read (issue 26, item 1): today's people, their released results and their
/// attendance — not the feedback, check-ins and the rest a person's signals read, whose reading
/// (feedback's text above all) made the team page cost a second at 10 000 people.
pub async fn team_inputs<C: ConnectionTrait>(c: &C, w: &Windows, now: DateTime<Utc>) -> StoreResult<Inputs> {
    Ok(Inputs {
        people: people_of(c, Population::Current).await?,
        released: released_until(c, now).await?,
        work: crate::repo::attendance::tallies(c, w).await?,
        ..Inputs::default()
    })
}

/// The people of `population`: id, level (on the day, for a past day) and hiring date.
async fn people_of<C: ConnectionTrait>(
    c: &C,
    population: Population,
) -> StoreResult<Vec<(Uuid, Option<String>, NaiveDate)>> {
    let who = match population {
        Population::Current => Condition::all().add(employee::Column::Status.ne(EmployeeStatus::Left.as_str())),
        // Hired by then and not yet gone: a leaver's status dates from their leaving day.
        Population::EmployedOn(day) => Condition::all().add(employee::Column::HireDate.lte(day)).add(
            Condition::any()
                .add(employee::Column::Status.ne(EmployeeStatus::Left.as_str()))
                .add(employee::Column::StatusSince.gt(day)),
        ),
    };
    let mut people: Vec<(Uuid, Option<String>, NaiveDate)> = employee::Entity::find()
        .select_only()
        .columns([employee::Column::Id, employee::Column::Level, employee::Column::HireDate])
        .filter(who)
        .into_tuple()
        .all(c)
        .await?;
    if let Population::EmployedOn(day) = population {
        levels_on(c, day, &mut people).await?;
    }
    Ok(people)
}

/// Every result released by `now`, with its cycle's name.
async fn released_until<C: ConnectionTrait>(c: &C, now: DateTime<Utc>) -> StoreResult<Vec<(Uuid, Released)>> {
    let released: Vec<ReleasedRow> = review_participant::Entity::find()
        .select_only()
        .columns([
            review_participant::Column::EmployeeId,
            review_participant::Column::CycleId,
            review_participant::Column::ReleasedAt,
            review_participant::Column::ScoreBp,
        ])
        .filter(review_participant::Column::ReleasedAt.lte(now))
        .filter(review_participant::Column::ScoreBp.is_not_null())
        .into_tuple()
        .all(c)
        .await?;
    let cycles: HashMap<Uuid, String> = review_cycle::Entity::find()
        .select_only()
        .columns([review_cycle::Column::Id, review_cycle::Column::Name])
        .into_tuple()
        .all(c)
        .await?
        .into_iter()
        .collect();
    Ok(released
        .into_iter()
        .filter_map(|(id, cycle, at, score_bp)| {
            let cycle = cycles.get(&cycle)?.clone();
            Some((id, Released { cycle, on: at?.date_naive(), score_bp: score_bp? }))
        })
        .collect())
}

/// The level each person held on `day`: where a promotion was approved after it, the level
/// it promoted from (the earliest such), else today's.
async fn levels_on<C: ConnectionTrait>(
    c: &C,
    day: NaiveDate,
    people: &mut [(Uuid, Option<String>, NaiveDate)],
) -> StoreResult<()> {
    let later: Vec<(Uuid, Option<String>, Option<DateTime<Utc>>)> = promotion_nomination::Entity::find()
        .select_only()
        .columns([
            promotion_nomination::Column::EmployeeId,
            promotion_nomination::Column::FromLevel,
            promotion_nomination::Column::DecidedAt,
        ])
        .filter(promotion_nomination::Column::State.eq(NominationState::Approved.code()))
        .filter(promotion_nomination::Column::DecidedAt.gte(start_of(day + chrono::Duration::days(1))))
        .into_tuple()
        .all(c)
        .await?;
    let mut earliest: HashMap<Uuid, (DateTime<Utc>, Option<String>)> = HashMap::new();
    for (id, from, at) in later {
        let Some(at) = at else { continue };
        if earliest.get(&id).is_none_or(|(first, _)| at < *first) {
            earliest.insert(id, (at, from));
        }
    }
    for (id, level, _) in people.iter_mut() {
        if let Some((_, Some(from))) = earliest.remove(id) {
            *level = Some(from);
        }
    }
    Ok(())
}

/// Who left after `after` and on or before `until` (their leaving day is their status's).
pub async fn left_between<C: ConnectionTrait>(c: &C, after: NaiveDate, until: NaiveDate) -> StoreResult<HashSet<Uuid>> {
    let ids: Vec<Uuid> = employee::Entity::find()
        .select_only()
        .column(employee::Column::Id)
        .filter(employee::Column::Status.eq(EmployeeStatus::Left.as_str()))
        .filter(employee::Column::StatusSince.gt(after))
        .filter(employee::Column::StatusSince.lte(until))
        .into_tuple()
        .all(c)
        .await?;
    Ok(ids.into_iter().collect())
}

/// Rows of `query` counted per `by`: those where `yes` holds, and the others.
async fn counts_by<C: ConnectionTrait, E: EntityTrait>(
    c: &C,
    query: sea_orm::Select<E>,
    by: E::Column,
    yes: Condition,
) -> StoreResult<Vec<(Uuid, u32, u32)>> {
    let one = Expr::expr(Func::sum(Expr::case(yes.clone(), 1).finally(0)));
    let other = Expr::expr(Func::sum(Expr::case(yes, 0).finally(1)));
    let rows: Vec<(Uuid, i64, i64)> = query
        .select_only()
        .column(by)
        .column_as(one, "yes")
        .column_as(other, "other")
        .group_by(by)
        .into_tuple()
        .all(c)
        .await?;
    let n = |v: i64| v.clamp(0, i64::from(u32::MAX)) as u32;
    Ok(rows.into_iter().map(|(id, a, b)| (id, n(a), n(b))).collect())
}

fn to_signal(m: risk_signal::Model) -> StoreResult<Signal> {
    Ok(Signal {
        id: m.id,
        employee_id: m.employee_id,
        kind: SignalKind::parse(&m.kind).ok_or(StoreError::Corrupt("signal kind"))?,
        state: SignalState::parse(&m.state).ok_or(StoreError::Corrupt("signal state"))?,
        points: m.points.max(0) as u32,
        evidence: serde_json::from_str::<Vec<Evidence>>(&m.evidence)
            .map_err(|_| StoreError::Corrupt("signal evidence"))?,
        raised_at: m.raised_at,
        computed_at: m.computed_at,
        cleared_at: m.cleared_at,
    })
}

fn signal_row(s: &Signal) -> risk_signal::Model {
    risk_signal::Model {
        id: s.id,
        employee_id: s.employee_id,
        kind: s.kind.code().into(),
        state: s.state.code().into(),
        points: i32::try_from(s.points).unwrap_or(i32::MAX),
        evidence: serde_json::to_string(&s.evidence).unwrap_or_else(|_| "[]".into()),
        raised_at: s.raised_at,
        computed_at: s.computed_at,
        cleared_at: s.cleared_at,
    }
}

/// Every open signal of the organization.
pub async fn open_signals<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<Signal>> {
    risk_signal::Entity::find()
        .filter(risk_signal::Column::State.eq(SignalState::Open.code()))
        .all(c)
        .await?
        .into_iter()
        .map(to_signal)
        .collect()
}

/// A person's signals, open and cleared, newest first (at most `limit`).
pub async fn signals_of<C: ConnectionTrait>(c: &C, employee: Uuid, limit: u64) -> StoreResult<Vec<Signal>> {
    risk_signal::Entity::find()
        .filter(risk_signal::Column::EmployeeId.eq(employee))
        .order_by_desc(risk_signal::Column::RaisedAt)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(to_signal)
        .collect()
}

pub async fn signal<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<Signal>> {
    risk_signal::Entity::find_by_id(id).one(c).await?.map(to_signal).transpose()
}

/// What one computation changes: new signals, open ones with new evidence, open ones cleared.
pub struct Changes {
    pub raised: Vec<Signal>,
    pub updated: Vec<Signal>,
    pub cleared: Vec<Uuid>,
    /// When the computation ran: every open signal it found again was found at this time.
    pub at: DateTime<Utc>,
}

pub async fn apply<C: ConnectionTrait>(c: &C, ch: &Changes) -> StoreResult<()> {
    let open = SignalState::Open.code();
    // Found again: one statement for all, then each whose evidence changed.
    risk_signal::Entity::update_many()
        .col_expr(risk_signal::Column::ComputedAt, Expr::value(ch.at))
        .filter(risk_signal::Column::State.eq(open))
        .exec(c)
        .await?;
    for s in &ch.updated {
        risk_signal::ActiveModel {
            id: Set(s.id),
            points: Set(i32::try_from(s.points).unwrap_or(i32::MAX)),
            evidence: Set(serde_json::to_string(&s.evidence).unwrap_or_else(|_| "[]".into())),
            ..Default::default()
        }
        .update(c)
        .await?;
    }
    for chunk in ch.cleared.chunks(500) {
        risk_signal::Entity::update_many()
            .col_expr(risk_signal::Column::State, Expr::value(SignalState::Cleared.code()))
            .col_expr(risk_signal::Column::ClearedAt, Expr::value(ch.at))
            .filter(risk_signal::Column::Id.is_in(chunk.iter().copied()))
            .filter(risk_signal::Column::State.eq(open))
            .exec(c)
            .await?;
    }
    for chunk in ch.raised.chunks(500) {
        risk_signal::Entity::insert_many(chunk.iter().map(|s| signal_row(s).into_active_model()))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

fn to_answer(m: signal_answer::Model) -> StoreResult<Answer> {
    let reply = match (m.reply, m.replied_at) {
        (Some(body), Some(at)) => {
            Some(Reply { body, by: m.replied_by, by_name: m.replied_by_name.unwrap_or_default(), at })
        }
        _ => None,
    };
    Ok(Answer {
        id: m.id,
        signal_id: m.signal_id,
        author_id: m.author_id,
        stance: Stance::parse(&m.stance).ok_or(StoreError::Corrupt("signal answer stance"))?,
        body: m.body,
        created_at: m.created_at,
        reply,
    })
}

/// The answers to these signals, oldest first.
pub async fn answers_to<C: ConnectionTrait>(c: &C, signals: &[Uuid]) -> StoreResult<Vec<Answer>> {
    if signals.is_empty() {
        return Ok(Vec::new());
    }
    signal_answer::Entity::find()
        .filter(signal_answer::Column::SignalId.is_in(signals.iter().copied()))
        .order_by_asc(signal_answer::Column::CreatedAt)
        .all(c)
        .await?
        .into_iter()
        .map(to_answer)
        .collect()
}

/// Every answer still waiting for a reply, oldest first.
pub async fn answers_waiting<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<Answer>> {
    signal_answer::Entity::find()
        .filter(signal_answer::Column::RepliedAt.is_null())
        .order_by_asc(signal_answer::Column::CreatedAt)
        .all(c)
        .await?
        .into_iter()
        .map(to_answer)
        .collect()
}

pub async fn answer<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<Answer>> {
    signal_answer::Entity::find_by_id(id).one(c).await?.map(to_answer).transpose()
}

pub async fn insert_answer<C: ConnectionTrait>(c: &C, a: &Answer) -> StoreResult<()> {
    signal_answer::Entity::insert(
        signal_answer::Model {
            id: a.id,
            signal_id: a.signal_id,
            author_id: a.author_id,
            stance: a.stance.code().into(),
            body: a.body.clone(),
            created_at: a.created_at,
            reply: None,
            replied_by: None,
            replied_by_name: None,
            replied_at: None,
        }
        .into_active_model(),
    )
    .exec_without_returning(c)
    .await?;
    Ok(())
}

/// Sets an answer's reply unless it has one; whether it was set.
pub async fn set_reply<C: ConnectionTrait>(c: &C, answer: Uuid, r: &Reply) -> StoreResult<bool> {
    let done = signal_answer::Entity::update_many()
        .col_expr(signal_answer::Column::Reply, Expr::value(r.body.clone()))
        .col_expr(signal_answer::Column::RepliedBy, Expr::value(r.by))
        .col_expr(signal_answer::Column::RepliedByName, Expr::value(r.by_name.clone()))
        .col_expr(signal_answer::Column::RepliedAt, Expr::value(r.at))
        .filter(signal_answer::Column::Id.eq(answer))
        .filter(signal_answer::Column::RepliedAt.is_null())
        .exec(c)
        .await?;
    Ok(done.rows_affected == 1)
}

/// Whether managers see the names of their line's signals (off unless HR turned it on).
pub async fn managers_see_names<C: ConnectionTrait>(c: &C) -> StoreResult<bool> {
    Ok(signal_setting::Entity::find_by_id(1).one(c).await?.is_some_and(|s| s.managers_see_names))
}

pub async fn set_managers_see_names<C: ConnectionTrait>(c: &C, on: bool, now: DateTime<Utc>) -> StoreResult<()> {
    signal_setting::Entity::delete_by_id(1).exec(c).await?;
    signal_setting::Entity::insert(
        signal_setting::Model { id: 1, managers_see_names: on, updated_at: now }.into_active_model(),
    )
    .exec_without_returning(c)
    .await?;
    Ok(())
}

pub async fn notify_first<C: ConnectionTrait>(c: &C, employee: Uuid) -> StoreResult<bool> {
    Ok(signal_pref::Entity::find_by_id(employee).one(c).await?.is_some_and(|p| p.notify_first))
}

/// Of these people, those who asked to be told first.
pub async fn notify_first_of<C: ConnectionTrait>(c: &C, people: &[Uuid]) -> StoreResult<HashSet<Uuid>> {
    let mut out = HashSet::new();
    for chunk in people.chunks(500) {
        let ids: Vec<Uuid> = signal_pref::Entity::find()
            .select_only()
            .column(signal_pref::Column::EmployeeId)
            .filter(signal_pref::Column::EmployeeId.is_in(chunk.iter().copied()))
            .filter(signal_pref::Column::NotifyFirst.eq(true))
            .into_tuple()
            .all(c)
            .await?;
        out.extend(ids);
    }
    Ok(out)
}

pub async fn set_notify_first<C: ConnectionTrait>(c: &C, employee: Uuid, on: bool) -> StoreResult<()> {
    signal_pref::Entity::delete_by_id(employee).exec(c).await?;
    signal_pref::Entity::insert(signal_pref::Model { employee_id: employee, notify_first: on }.into_active_model())
        .exec_without_returning(c)
        .await?;
    Ok(())
}

/// Where each current person sits: (person, unit, manager) — the teams' members.
pub async fn placements<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<(Uuid, Uuid, Option<Uuid>)>> {
    Ok(employee::Entity::find()
        .select_only()
        .columns([employee::Column::Id, employee::Column::UnitId, employee::Column::ManagerId])
        .filter(employee::Column::Status.ne(EmployeeStatus::Left.as_str()))
        .into_tuple()
        .all(c)
        .await?)
}

/// Who left after `after` and on or before `until`, with the unit and manager they left from
/// (a leaver's record keeps both): the teams' leavers.
pub async fn leavers_placed<C: ConnectionTrait>(
    c: &C,
    after: NaiveDate,
    until: NaiveDate,
) -> StoreResult<Vec<(Uuid, Uuid, Option<Uuid>)>> {
    Ok(employee::Entity::find()
        .select_only()
        .columns([employee::Column::Id, employee::Column::UnitId, employee::Column::ManagerId])
        .filter(employee::Column::Status.eq(EmployeeStatus::Left.as_str()))
        .filter(employee::Column::StatusSince.gt(after))
        .filter(employee::Column::StatusSince.lte(until))
        .into_tuple()
        .all(c)
        .await?)
}
