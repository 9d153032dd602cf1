//! What a development report (D-2) reads — ratings received in released reviews, learning
//! recorded as completed development actions, the courses and projects colleagues' plans name —
//! and the reports themselves.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
    Value,
};
use uuid::Uuid;
use waymark_domain::development_report::{DimensionRating, LearningRecord, RatingSum, Report, ReportState, ReportText};
use waymark_domain::org::EmployeeStatus;
use waymark_domain::reviews::scale::{RatingScale, ScalePoint};
use waymark_domain::reviews::scoring::{RATED_SECTIONS, Source};

use crate::closure::raw;
use crate::entities::dev_report::{self, Column};
use crate::{StoreError, StoreResult};

#[derive(Debug, FromQueryResult)]
struct RatingRow {
    employee_id: Uuid,
    cycle_id: Uuid,
    released_at: DateTime<Utc>,
    source: String,
    title: String,
    value: i32,
    scale: String,
}

/// `WHERE` of the ratings a report reads: submitted reviews of released results, rated items of
/// the rated sections, with a value.
fn rated_sql(extra: &str) -> String {
    let sections = RATED_SECTIONS.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(",");
    format!(
        "SELECT p.employee_id, p.cycle_id, p.released_at, r.source, i.title, rr.value, t.scale
         FROM review_rating rr
         JOIN review r ON r.id = rr.review_id
         JOIN review_participant p ON p.id = r.participant_id
         JOIN review_item i ON i.id = rr.item_id
         JOIN review_template t ON t.id = p.template_id
         JOIN employee e ON e.id = p.employee_id
         WHERE r.state = 'submitted' AND p.released_at IS NOT NULL AND rr.value IS NOT NULL
           AND i.section IN ({sections}) AND {extra}"
    )
}

fn to_ratings(rows: Vec<RatingRow>) -> StoreResult<Vec<(Uuid, DimensionRating)>> {
    let mut scales: std::collections::HashMap<String, RatingScale> = Default::default();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let scale = match scales.get(&row.scale) {
            Some(s) => s,
            None => {
                let points: Vec<ScalePoint> =
                    serde_json::from_str(&row.scale).map_err(|_| StoreError::Corrupt("review template scale"))?;
                scales.entry(row.scale.clone()).or_insert(RatingScale { points })
            }
        };
        let source = Source::parse(&row.source).ok_or(StoreError::Corrupt("review source"))?;
        out.push((
            row.employee_id,
            DimensionRating {
                dimension: row.title,
                cycle: row.cycle_id,
                released_on: row.released_at.date_naive(),
                source,
                percent: scale.to_percent(row.value),
            },
        ));
    }
    Ok(out)
}

/// Every rating `employee` received for a rated dimension in a released review.
pub async fn ratings_of<C: ConnectionTrait>(c: &C, employee: Uuid) -> StoreResult<Vec<DimensionRating>> {
    let sql = rated_sql("p.employee_id = $1");
    let rows = RatingRow::find_by_statement(raw(c.get_database_backend(), &sql, vec![employee.into()])).all(c).await?;
    Ok(to_ratings(rows)?.into_iter().map(|(_, r)| r).collect())
}

/// The names of the rated dimensions every template has had.
pub async fn dimension_names<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<String>> {
    use crate::entities::review_item;
    Ok(review_item::Entity::find()
        .select_only()
        .column(review_item::Column::Title)
        .distinct()
        .filter(review_item::Column::Section.is_in(RATED_SECTIONS))
        .into_tuple()
        .all(c)
        .await?)
}

#[derive(Debug, FromQueryResult)]
struct SumRow {
    employee_id: Uuid,
    title: String,
    n: i64,
    total: f64,
    low: f64,
    high: f64,
}

/// Colleagues' ratings (not self-ratings) received in released reviews in the dimensions named
/// exactly `titles`, summed per person still employed and dimension — only where the mean
/// reaches `min_mean`: where mentors are found. Each rating is placed on 0–100 by its
/// template's scale inside the query (a `CASE` over the templates), so an organization's
/// ratings are summed where they are and only the strong cross the border (at 5 000 people,
/// 104 000 ratings read one by one took a second a report).
pub async fn sums_in<C: ConnectionTrait>(
    c: &C,
    titles: &[String],
    min_mean: f64,
) -> StoreResult<Vec<(Uuid, String, RatingSum)>> {
    use crate::entities::review_template;
    if titles.is_empty() {
        return Ok(vec![]);
    }
    let templates: Vec<(Uuid, String)> = review_template::Entity::find()
        .select_only()
        .columns([review_template::Column::Id, review_template::Column::Scale])
        .into_tuple()
        .all(c)
        .await?;
    let mut values: Vec<Value> = Vec::new();
    let mut whens = String::new();
    for (id, scale) in &templates {
        let points: Vec<ScalePoint> =
            serde_json::from_str(scale).map_err(|_| StoreError::Corrupt("review template scale"))?;
        let scale = RatingScale { points };
        let (lo, span) = (scale.min(), scale.max() - scale.min());
        values.push((*id).into());
        let pct = if span > 0 {
            format!("(CAST(rr.value AS DOUBLE PRECISION) - {lo}) * 100.0 / {span}")
        } else {
            "CAST(0 AS DOUBLE PRECISION)".to_string()
        };
        whens.push_str(&format!(" WHEN ${} THEN {pct}", values.len()));
    }
    let first_title = values.len() + 1;
    let marks: Vec<String> = (first_title..first_title + titles.len()).map(|i| format!("${i}")).collect();
    values.extend(titles.iter().map(|t| Value::from(t.clone())));
    let sections = RATED_SECTIONS.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(",");
    let (me, left) = (Source::SelfReview.code(), EmployeeStatus::Left.as_str());
    let sql = format!(
        "SELECT employee_id, title, COUNT(*) AS n, SUM(pct) AS total, MIN(pct) AS low, MAX(pct) AS high FROM (
           SELECT p.employee_id AS employee_id, i.title AS title, CASE p.template_id{whens} END AS pct
           FROM review_rating rr
           JOIN review r ON r.id = rr.review_id
           JOIN review_participant p ON p.id = r.participant_id
           JOIN review_item i ON i.id = rr.item_id
           JOIN employee e ON e.id = p.employee_id
           WHERE r.state = 'submitted' AND p.released_at IS NOT NULL AND rr.value IS NOT NULL
             AND r.source <> '{me}' AND e.status <> '{left}'
             AND i.section IN ({sections}) AND i.title IN ({})
         ) x
         WHERE pct IS NOT NULL
         GROUP BY employee_id, title
         HAVING SUM(pct) >= {min_mean:.1} * COUNT(*)",
        marks.join(",")
    );
    let rows = SumRow::find_by_statement(raw(c.get_database_backend(), &sql, values)).all(c).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let sum = RatingSum { count: r.n.max(0) as usize, total: r.total, low: r.low, high: r.high };
            (r.employee_id, r.title, sum)
        })
        .collect())
}

#[derive(Debug, FromQueryResult)]
struct ActionRow {
    employee_id: Uuid,
    kind: String,
    title: String,
    capability: String,
    done_at: Option<DateTime<Utc>>,
}

/// A development action naming a capability, in anyone's plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionNamed {
    pub employee: Uuid,
    pub kind: String,
    pub title: String,
    pub capability: String,
    pub done_at: Option<DateTime<Utc>>,
}

fn actions_sql(extra: &str) -> String {
    format!(
        "SELECT p.employee_id, a.kind, a.title, a.capability, a.done_at
         FROM dev_action a JOIN dev_plan p ON p.id = a.plan_id
         WHERE a.capability IS NOT NULL AND {extra}"
    )
}

fn to_actions(rows: Vec<ActionRow>) -> Vec<ActionNamed> {
    rows.into_iter()
        .map(|r| ActionNamed {
            employee: r.employee_id,
            kind: r.kind,
            title: r.title,
            capability: r.capability,
            done_at: r.done_at,
        })
        .collect()
}

/// What `employee` completed naming a capability: their learning.
pub async fn learning_of<C: ConnectionTrait>(c: &C, employee: Uuid) -> StoreResult<Vec<LearningRecord>> {
    let sql = actions_sql("p.employee_id = $1 AND a.done_at IS NOT NULL");
    let rows = ActionRow::find_by_statement(raw(c.get_database_backend(), &sql, vec![employee.into()])).all(c).await?;
    let mut out: Vec<LearningRecord> = to_actions(rows)
        .into_iter()
        .filter_map(|a| {
            a.done_at.map(|at| LearningRecord { dimension: a.capability, title: a.title, done_on: at.date_naive() })
        })
        .collect();
    out.sort_by(|a, b| a.done_on.cmp(&b.done_on).then_with(|| a.title.cmp(&b.title)));
    Ok(out)
}

/// The capabilities plans name, as written.
pub async fn capability_names<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<String>> {
    use crate::entities::dev_action;
    Ok(dev_action::Entity::find()
        .select_only()
        .column(dev_action::Column::Capability)
        .distinct()
        .filter(dev_action::Column::Capability.is_not_null())
        .into_tuple::<Option<String>>()
        .all(c)
        .await?
        .into_iter()
        .flatten()
        .collect())
}

/// Actions of `kinds` in anyone's plan naming one of `capabilities` exactly.
pub async fn actions_naming<C: ConnectionTrait>(
    c: &C,
    kinds: &[&str],
    capabilities: &[String],
) -> StoreResult<Vec<ActionNamed>> {
    if capabilities.is_empty() || kinds.is_empty() {
        return Ok(vec![]);
    }
    let n = capabilities.len();
    let caps: Vec<String> = (1..=n).map(|i| format!("${i}")).collect();
    let ks: Vec<String> = (n + 1..=n + kinds.len()).map(|i| format!("${i}")).collect();
    let sql = actions_sql(&format!("a.capability IN ({}) AND a.kind IN ({})", caps.join(","), ks.join(",")));
    let mut values: Vec<Value> = capabilities.iter().map(|t| Value::from(t.clone())).collect();
    values.extend(kinds.iter().map(|k| Value::from(k.to_string())));
    let rows = ActionRow::find_by_statement(raw(c.get_database_backend(), &sql, values)).all(c).await?;
    Ok(to_actions(rows))
}

/// The latest cycle whose result was released to `employee`: its id, name and release.
pub async fn latest_released<C: ConnectionTrait>(
    c: &C,
    employee: Uuid,
) -> StoreResult<Option<(Uuid, String, DateTime<Utc>)>> {
    #[derive(Debug, FromQueryResult)]
    struct Row {
        id: Uuid,
        name: String,
        released_at: DateTime<Utc>,
    }
    let sql = "SELECT y.id, y.name, p.released_at FROM review_participant p JOIN review_cycle y ON y.id = p.cycle_id
               WHERE p.employee_id = $1 AND p.released_at IS NOT NULL ORDER BY p.released_at DESC, y.id LIMIT 1";
    let row = Row::find_by_statement(raw(c.get_database_backend(), sql, vec![employee.into()])).one(c).await?;
    Ok(row.map(|r| (r.id, r.name, r.released_at)))
}

fn to_report(m: dev_report::Model) -> StoreResult<Report> {
    Ok(Report {
        id: m.id,
        employee: m.employee_id,
        cycle: m.cycle_id,
        text: ReportText { strengths: m.strengths, areas: m.areas, actions: m.actions, support: m.support },
        analysis: serde_json::from_str(&m.analysis).map_err(|_| StoreError::Corrupt("development report analysis"))?,
        state: ReportState::parse(&m.state).ok_or(StoreError::Corrupt("development report state"))?,
        written_by: m.written_by_name,
        created_at: m.created_at,
        updated_at: m.updated_at,
        shared_at: m.shared_at,
        plan: m.plan_id,
    })
}

fn to_row(r: &Report) -> dev_report::Model {
    dev_report::Model {
        id: r.id,
        employee_id: r.employee,
        cycle_id: r.cycle,
        strengths: r.text.strengths.clone(),
        areas: r.text.areas.clone(),
        actions: r.text.actions.clone(),
        support: r.text.support.clone(),
        analysis: serde_json::to_string(&r.analysis).expect("plain data serializes"),
        state: r.state.code().into(),
        written_by_name: r.written_by.clone(),
        created_at: r.created_at,
        updated_at: r.updated_at,
        shared_at: r.shared_at,
        plan_id: r.plan,
    }
}

/// The report on `employee` after `cycle`.
pub async fn report<C: ConnectionTrait>(c: &C, employee: Uuid, cycle: Uuid) -> StoreResult<Option<Report>> {
    dev_report::Entity::find()
        .filter(Column::EmployeeId.eq(employee))
        .filter(Column::CycleId.eq(cycle))
        .one(c)
        .await?
        .map(to_report)
        .transpose()
}

/// Every report on `employee`, newest first.
pub async fn reports_of<C: ConnectionTrait>(c: &C, employee: Uuid) -> StoreResult<Vec<Report>> {
    dev_report::Entity::find()
        .filter(Column::EmployeeId.eq(employee))
        .order_by_desc(Column::CreatedAt)
        .all(c)
        .await?
        .into_iter()
        .map(to_report)
        .collect()
}

/// Saves a report: a new one, or the same person and cycle's replaced in place.
pub async fn save<C: ConnectionTrait>(c: &C, r: &Report) -> StoreResult<()> {
    dev_report::Entity::insert(to_row(r).into_active_model())
        .on_conflict(
            OnConflict::columns([Column::EmployeeId, Column::CycleId])
                .update_columns([
                    Column::Strengths,
                    Column::Areas,
                    Column::Actions,
                    Column::Support,
                    Column::Analysis,
                    Column::State,
                    Column::WrittenByName,
                    Column::UpdatedAt,
                    Column::SharedAt,
                    Column::PlanId,
                ])
                .to_owned(),
        )
        .exec_without_returning(c)
        .await?;
    Ok(())
}

/// Links the plan made from a report, unless one already is: whether it was linked now.
pub async fn link_plan<C: ConnectionTrait>(c: &C, report: Uuid, plan: Uuid) -> StoreResult<bool> {
    let done = dev_report::Entity::update_many()
        .col_expr(Column::PlanId, sea_orm::sea_query::Expr::value(plan))
        .filter(Column::Id.eq(report))
        .filter(Column::PlanId.is_null())
        .exec(c)
        .await?;
    Ok(done.rows_affected == 1)
}
