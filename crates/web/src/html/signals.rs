//! The signals pages (SPEC I-4): one's own signals with their evidence in sentences and the
//! answer form; a manager's line in counts; HR's list of people, each signal opened only with a
//! reason; HR's setting and the computation on demand.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::policy::Actor;
use waymark_app::signals::{ListedPerson, Overview, SignalView};
use waymark_domain::flight_risk::history;
use waymark_domain::signals::{Evidence, Factor, SignalState, Stance};

use super::{DoneQuery, Page, Pairs, field_messages, pair, render_form, settle};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

/// One fact of a signal, in words.
struct EvidenceLine {
    text: String,
    credibility: String,
    credibility_code: &'static str,
    points: u32,
    span: String,
}

struct AnswerLine {
    id: Uuid,
    stance: String,
    body: String,
    author: String,
    at: String,
    reply: Option<(String, String, String)>,
}

/// A signal as a card: what it hints at, on what, and what could be done.
struct Card {
    id: Uuid,
    kind: String,
    kind_code: &'static str,
    state: String,
    open: bool,
    person: String,
    points: u32,
    raised: String,
    as_of: String,
    evidence: Vec<EvidenceLine>,
    suggestions: Vec<String>,
    answers: Vec<AnswerLine>,
    can_answer: bool,
    can_reply: bool,
}

struct ListedRow {
    id: Uuid,
    name: String,
    unit: String,
    signals: Vec<(Uuid, String, u32)>,
    unanswered: usize,
}

#[derive(Template)]
#[template(path = "signals.html")]
struct SignalsPage {
    page: Page,
    has_record: bool,
    mine: Vec<Card>,
    /// The person's recorded weeks, newest first: week, hours, days of leave (worded).
    my_weeks: Vec<(String, String, String)>,
    notify_first: bool,
    line_people: Option<usize>,
    line_counts: Option<Vec<(String, usize)>>,
    listed: Vec<ListedRow>,
    listed_total: usize,
    managers_see_names: bool,
    can_compute: bool,
    can_see_model: bool,
    /// HR and managers read team signals (their units, their line).
    can_see_teams: bool,
    stances: Vec<(&'static str, String)>,
    notice: Option<String>,
    errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "signal_look.html")]
struct LookPage {
    page: Page,
    stances: Vec<(&'static str, String)>,
    id: Uuid,
    card: Option<Card>,
    reason: String,
    errors: Vec<String>,
}

fn evidence_text(page: &Page, e: &Evidence) -> String {
    let lang = page.lang;
    // Scores are kept in hundredths (0–10 000); people read them out of 100.
    let points = |bp: i32| page.num(f64::from(bp) / 100.0);
    let s = |v: &dyn ToString| v.to_string();
    let args: Vec<(&'static str, String)> = match &e.factor {
        Factor::ResultsDeclining { earlier_cycle, earlier_bp, latest_cycle, latest_bp } => vec![
            ("earlier_cycle", earlier_cycle.clone()),
            ("earlier", points(*earlier_bp)),
            ("latest_cycle", latest_cycle.clone()),
            ("latest", points(*latest_bp)),
            ("drop", points(earlier_bp - latest_bp)),
        ],
        Factor::FewerCheckIns { earlier, recent, weeks } => {
            vec![("earlier", s(earlier)), ("recent", s(recent)), ("weeks", s(weeks))]
        }
        Factor::OneOnOnesCancelled { cancelled, held } => vec![("cancelled", s(cancelled)), ("held", s(held))],
        Factor::FeedbackTurningCritical { recent_critical, recent_total, earlier_critical, earlier_total } => vec![
            ("recent_critical", s(recent_critical)),
            ("recent_total", s(recent_total)),
            ("earlier_critical", s(earlier_critical)),
            ("earlier_total", s(earlier_total)),
        ],
        Factor::SustainedOvertime { weeks_over, weeks, average_tenths, earlier_average_tenths } => {
            let hours = |t: u32| page.num(f64::from(t) / 10.0);
            let mut args = vec![("over", s(weeks_over)), ("weeks", s(weeks)), ("average", hours(*average_tenths))];
            args.push(("earlier", earlier_average_tenths.map(hours).unwrap_or_default()));
            args.push(("compared", if earlier_average_tenths.is_some() { "yes" } else { "no" }.into()));
            args
        }
        Factor::NoLeaveTaken { weeks } => vec![("weeks", s(weeks))],
        Factor::ManagerChanged { days } => {
            vec![("days", s(days)), ("today", if *days == 0 { "yes" } else { "no" }.into())]
        }
        Factor::LongAtLevel { level, months, peer_median_months, peers } => vec![
            ("level", level.clone()),
            ("months", s(months)),
            ("median", s(peer_median_months)),
            ("peers", s(peers)),
        ],
        Factor::SustainedHighResults { cycles, scores_bp } => {
            let each: Vec<String> =
                cycles.iter().zip(scores_bp).map(|(c, bp)| format!("{c} {}", points(*bp))).collect();
            vec![("scores", each.join(lang.t("signal-sep").as_str()))]
        }
        Factor::MostlyRecognition { recognition, total } => vec![("recognition", s(recognition)), ("total", s(total))],
        Factor::HighPotentialAssessed => vec![],
        Factor::LearningCompleted { actions_done } => vec![("done", s(actions_done))],
        Factor::ModelEstimate(m) => {
            let parts: Vec<String> = m
                .raising
                .iter()
                .map(|p| super::flight_model::feature_value_words(page, &p.feature, &p.value))
                .collect();
            vec![
                ("percent", s(&m.percent)),
                ("base", s(&m.base_percent)),
                ("people", s(&m.people)),
                ("leavers", s(&m.leavers)),
                ("months", s(&history::HORIZON_MONTHS)),
                ("parts", parts.join(lang.t("signal-sep").as_str())),
            ]
        }
    };
    lang.ta(&format!("signal-f-{}", e.factor.code().replace('_', "-")), &args)
}

fn card(page: &Page, v: SignalView) -> Card {
    let s = v.signal;
    let evidence = s
        .evidence
        .iter()
        .map(|e| EvidenceLine {
            text: evidence_text(page, e),
            credibility: page.label("signal-cred", e.credibility().code()),
            credibility_code: e.credibility().code(),
            points: e.points,
            span: if e.from == e.to {
                page.on_year(&e.from)
            } else {
                format!("{} – {}", page.on_year(&e.from), page.on_year(&e.to))
            },
        })
        .collect();
    let answers = v
        .answers
        .into_iter()
        .map(|a| AnswerLine {
            id: a.answer.id,
            stance: page.label("signal-stance", a.answer.stance.code()),
            body: a.answer.body,
            author: a.author,
            at: page.date(&a.answer.created_at),
            reply: a.answer.reply.map(|r| (r.body, r.by_name, page.date(&r.at))),
        })
        .collect();
    Card {
        id: s.id,
        kind: page.label("signal-kind", s.kind.code()),
        kind_code: s.kind.code(),
        state: page.label("signal-state", s.state.code()),
        open: s.state == SignalState::Open,
        person: v.person.name,
        points: s.points,
        raised: page.on_instant(&s.raised_at),
        as_of: page.date(&s.cleared_at.unwrap_or(s.computed_at)),
        evidence,
        suggestions: v.suggestions.iter().map(|c| page.label("signal-do", c)).collect(),
        answers,
        can_answer: v.can_answer,
        can_reply: v.can_reply,
    }
}

fn listed_row(page: &Page, p: ListedPerson) -> ListedRow {
    ListedRow {
        id: p.person.id,
        name: p.person.name,
        unit: p.unit,
        signals: p.signals.into_iter().map(|(id, k, pts)| (id, page.label("signal-kind", k.code()), pts)).collect(),
        unanswered: p.unanswered,
    }
}

async fn signals_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let service = st.app.signals();
    let loaded = async {
        let (mine, weeks) = match actor.employee_id {
            Some(me) => (Some(service.mine(actor).await?), st.app.attendance().recent_weeks(actor, me).await?),
            None => (None, Vec::new()),
        };
        let overview: Overview = service.overview(actor).await?;
        Ok::<_, AppError>((mine, weeks, overview))
    }
    .await;
    match loaded {
        Ok((mine, weeks, o)) => {
            let page = Page::for_user(actor, ctx, ctx.lang.t("signals-title"), "insights", "/signals");
            let tenths = |t: u32| page.num(f64::from(t) / 10.0);
            let my_weeks = weeks
                .iter()
                .rev()
                .map(|w| {
                    let leave = w.leave_tenths.map(tenths).unwrap_or_else(|| page.t("attendance-leave-unknown"));
                    (page.on_year(&w.week), tenths(w.hours_tenths), leave)
                })
                .collect();
            let has_record = mine.is_some();
            let (cards, notify_first) = match mine {
                Some(m) => (m.signals.into_iter().map(|v| card(&page, v)).collect(), m.notify_first),
                None => (Vec::new(), false),
            };
            let line_people = o.line.as_ref().map(|l| l.people);
            let line_counts = o
                .line
                .and_then(|l| l.counts)
                .map(|c| c.into_iter().map(|(k, n)| (page.label("signal-kind", k.code()), n)).collect::<Vec<_>>());
            let listed = o.listed.into_iter().map(|p| listed_row(&page, p)).collect();
            let stances = Stance::ALL.iter().map(|s| (s.code(), page.label("signal-stance", s.code()))).collect();
            let p = SignalsPage {
                page,
                has_record,
                mine: cards,
                my_weeks,
                notify_first,
                line_people,
                line_counts,
                listed,
                listed_total: o.listed_total,
                managers_see_names: o.managers_see_names,
                can_compute: o.can_compute,
                can_see_model: st.app.flight_model().can_read(actor),
                can_see_teams: actor.is_hr() || actor.is_manager,
                stances,
                notice,
                errors,
            };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn signals(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("signals-done-{d}")));
    signals_page(&st, &actor, &ctx, notice, vec![]).await
}

pub async fn answer(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let answered = st.app.signals().answer(&actor, id, pair(&pairs, "stance"), pair(&pairs, "answer")).await;
    settle(ctx.lang, answered, format!("/signals?done=answered#signal-{id}"), |errors| {
        signals_page(&st, &actor, &ctx, None, errors)
    })
    .await
}

pub async fn preference(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(pairs): Form<Pairs>,
) -> Response {
    let on = pair(&pairs, "notify_first") == "1";
    settle(ctx.lang, st.app.signals().set_notify_first(&actor, on).await, "/signals?done=preference".into(), |errors| {
        signals_page(&st, &actor, &ctx, None, errors)
    })
    .await
}

pub async fn settings(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(pairs): Form<Pairs>,
) -> Response {
    let on = pair(&pairs, "managers_see_names") == "1";
    let set = st.app.signals().set_managers_see_names(&actor, on).await;
    settle(ctx.lang, set, "/signals?done=settings#settings".into(), |errors| {
        signals_page(&st, &actor, &ctx, None, errors)
    })
    .await
}

pub async fn compute(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    match st.app.signals().compute(&actor).await {
        Ok(r) => {
            let notice = ctx.lang.ta(
                "signals-computed",
                &[
                    ("people", r.people.to_string()),
                    ("raised", r.raised.to_string()),
                    ("updated", r.updated.to_string()),
                    ("cleared", r.cleared.to_string()),
                ],
            );
            signals_page(&st, &actor, &ctx, Some(notice), vec![]).await
        }
        Err(e @ AppError::Invalid(_)) => signals_page(&st, &actor, &ctx, None, field_messages(ctx.lang, &e)).await,
        Err(e) => page_error(ctx.lang, e),
    }
}

/// Someone else's signal: first the reason, then its evidence. One's own is on /signals.
pub async fn look_form(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    match st.app.signals().look(&actor, id, None).await {
        // Only one's own opens without a reason: it is shown on one's own page.
        Ok(_) => Redirect::to(&format!("/signals#signal-{id}")).into_response(),
        Err(AppError::Invalid(_)) => look_page(&actor, &ctx, id, None, String::new(), vec![]),
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn look(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let reason = pair(&pairs, "look_reason").to_string();
    match st.app.signals().look(&actor, id, Some(&reason)).await {
        Ok(v) => look_page(&actor, &ctx, id, Some(v), reason, vec![]),
        Err(e @ AppError::Invalid(_)) => look_page(&actor, &ctx, id, None, reason, field_messages(ctx.lang, &e)),
        Err(e) => page_error(ctx.lang, e),
    }
}

fn look_page(
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    seen: Option<SignalView>,
    reason: String,
    errors: Vec<String>,
) -> Response {
    let mut page = Page::for_user(actor, ctx, ctx.lang.t("signals-look-title"), "insights", &format!("/signals/{id}"));
    let card = seen.map(|v| card(&page, v));
    if let Some(c) = &card {
        page.title = format!("{} · {}", c.kind, c.person);
    }
    let p = LookPage { page, id, card, reason, errors, stances: Vec::new() };
    render_form(&p, &p.errors)
}

pub async fn reply(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(answer): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    match st.app.signals().reply(&actor, answer, pair(&pairs, "reply")).await {
        Ok(()) => Redirect::to("/signals?done=replied").into_response(),
        Err(e @ AppError::Invalid(_)) => signals_page(&st, &actor, &ctx, None, field_messages(ctx.lang, &e)).await,
        Err(e) => page_error(ctx.lang, e),
    }
}
