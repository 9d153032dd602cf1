//! Server-rendered pages, one module per screen, askama templates in `templates/`.

/// One part of a page read from a service. What the actor may not be shown (refused, or no
/// longer there) is left out as `None`; any other failure is the page's, shown as an error page
/// that says so. A part never goes silently empty because the database failed (issue 24).
macro_rules! part {
    ($lang:expr, $read:expr) => {
        match $crate::html::optional($read) {
            Ok(v) => v,
            Err(e) => return $crate::error::page_error($lang, e),
        }
    };
}

mod account;
mod admin;
mod approvals;
mod auth;
mod calendar;
mod development;
mod development_report;
mod feedback;
mod flight_model;
mod goal_map;
mod goals;
mod help;
mod history;
mod home;
mod integrations;
mod journal;
mod library;
mod light360;
mod notify;
mod one_on_ones;
mod org;
mod periods;
mod probation;
mod recognition;
mod result_application;
mod review_release;
mod reviews;
mod security;
mod signals;
mod talent;
mod team_signals;
mod tracking;
mod weekly;

use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use uuid::Uuid;
use waymark_app::policy::Actor;
use waymark_domain::goals::measure::NativeScore;
use waymark_domain::org::EmployeeStatus;

use crate::AppState;
use crate::context::RequestContext;
use crate::i18n::Lang;

/// What every page's layout needs.
pub struct Page {
    pub lang: Lang,
    pub csrf: String,
    pub title: String,
    pub nav: &'static str,
    pub narrow: bool,
    pub path: String,
    pub user: Option<NavUser>,
    pub zone: waymark_app::clock::Zone,
}

pub struct NavUser {
    pub name: String,
    pub employee_id: Option<Uuid>,
    pub is_hr: bool,
    pub is_manager: bool,
    pub is_executive: bool,
    pub is_admin: bool,
    /// The modules the navigation offers: each opens for this user.
    pub links: Vec<waymark_app::menu::MenuLink>,
}

impl Page {
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }
    pub fn ta(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.lang.ta(key, &[(name, value.to_string())])
    }
    pub fn ta2(&self, key: &str, a: &'static str, av: impl ToString, b: &'static str, bv: impl ToString) -> String {
        self.lang.ta(key, &[(a, av.to_string()), (b, bv.to_string())])
    }
    /// Whether the user's navigation offers this page (a link elsewhere shows only then).
    pub fn offers(&self, href: &str) -> bool {
        self.user.as_ref().is_some_and(|u| u.links.iter().any(|l| l.href == href))
    }
    pub fn other_lang_code(&self) -> &'static str {
        if self.lang == Lang::ZhCn { "en" } else { "zh-CN" }
    }
    pub fn other_lang_name(&self) -> &'static str {
        if self.lang == Lang::ZhCn { "English" } else { "中文" }
    }
    pub fn status<S: std::borrow::Borrow<EmployeeStatus>>(&self, s: S) -> String {
        self.lang.t(&format!("status-{}", s.borrow().as_str()))
    }
    pub fn kind(&self, k: &str) -> String {
        self.lang.try_t(&format!("kind-{k}")).unwrap_or_else(|| k.to_string())
    }
    /// The translated name of a stored code (`<prefix>-<code>`), or the code itself.
    pub fn label(&self, prefix: &str, code: &str) -> String {
        self.lang.try_t(&format!("{prefix}-{}", code.replace(['_', '.'], "-"))).unwrap_or_else(|| code.to_string())
    }
    /// A progress bar coloured like an OKR score (G-14): green from 70 %, yellow from 40 %.
    /// A progress bar: how much is done, in one neutral colour. Red, yellow and green mean one
    /// thing on every page — the status light (pace and staleness, T-3) — so a bar is not
    /// coloured by its own percentage (issue 22, item 3: a green 97 % bar stood next to a red
    /// light). See [`Page::bar_lit`] for a goal whose light is known.
    pub fn bar(&self, percent: impl Number) -> String {
        bar_html(percent.value(), None)
    }
    /// A goal's progress bar in the colour of its status light (none while untracked).
    pub fn bar_lit(&self, percent: impl Number, light: &Option<String>) -> String {
        bar_html(percent.value(), light.as_deref().filter(|l| matches!(*l, "green" | "yellow" | "red")))
    }
    /// An inbox message in the page's language (`inbox-<kind>` with actor and subject).
    pub fn message(&self, n: &waymark_app::inbox::NotificationView) -> String {
        self.lang.inbox_message(&n.kind, &n.actor_name, &n.subject)
    }
    /// The text quoted under an inbox message, in the page's language.
    pub fn message_body(&self, n: &waymark_app::inbox::NotificationView) -> Option<String> {
        n.body.as_deref().map(|b| self.lang.inbox_body(&n.kind, b))
    }
    /// A key result's own score (G-14): OKR 0.0–1.0, KPI achievement %, done.
    pub fn native(&self, n: &NativeScore) -> String {
        match n {
            NativeScore::Fraction { value } => format!("{:.2}", value + 0.0),
            NativeScore::Achievement { percent } => format!("{:.1}%", percent + 0.0),
            NativeScore::Done { done: true } => "✓".into(),
            NativeScore::Done { done: false } => "—".into(),
            NativeScore::Rollup => String::new(),
        }
    }
    /// Why a goal has its status light (T-3), with the numbers.
    pub fn status_reason(&self, r: &waymark_app::tracking::ReasonView) -> String {
        use waymark_app::tracking::ReasonView as R;
        match r {
            R::Done => self.t("reason-done"),
            R::NotStarted => self.t("reason-not-started"),
            R::Stale { days, expected: Some(expected), actual: Some(actual) } => self.lang.ta(
                "reason-stale-pace",
                &[("days", days.to_string()), ("expected", self.num(*expected)), ("actual", self.num(*actual))],
            ),
            R::Stale { days, .. } => self.ta("reason-stale", "days", days),
            R::Pace { expected, actual } => {
                self.lang.ta("reason-pace", &[("expected", self.num(*expected)), ("actual", self.num(*actual))])
            }
        }
    }
    /// A pending alignment request in a sentence: which goal, to which, the weight asked, who.
    pub fn request_line(&self, r: &waymark_app::goals::requests::AlignmentRequestView) -> String {
        let kr = |t: &Option<String>| t.as_ref().map(|t| self.ta("align-request-kr", "title", t)).unwrap_or_default();
        let weight = r.weight.map(|w| format!("{}%", self.num(w))).unwrap_or_else(|| self.t("align-request-equal"));
        self.lang.ta(
            "align-request-line",
            &[
                ("child", r.child_title.clone()),
                ("kr", kr(&r.child_kr_title)),
                ("parent", r.parent_title.clone()),
                ("pkr", kr(&r.parent_kr_title)),
                ("weight", weight),
                ("who", r.requested_by_name.clone()),
                ("when", self.date(&r.requested_at)),
            ],
        )
    }
    /// What an alert found (T-4), with its numbers.
    pub fn alert_text(&self, a: &waymark_app::tracking::AlertView) -> String {
        let Some(e) = &a.evidence else { return self.label("alert", &a.kind) };
        let args: Vec<(&'static str, String)> = vec![
            ("weeks", e.weeks.unwrap_or(0).to_string()),
            ("per_week", self.num(e.per_week.unwrap_or(0.0))),
            ("projected", self.num(e.projected.unwrap_or(0.0))),
            ("from", self.label("confidence", e.from.as_deref().unwrap_or(""))),
            ("to", self.label("confidence", e.to.as_deref().unwrap_or(""))),
            ("days", e.days.unwrap_or(0).to_string()),
            ("expected", self.num(e.expected.unwrap_or(0.0))),
            ("actual", self.num(e.actual.unwrap_or(0.0))),
        ];
        self.lang.ta(&format!("alert-{}-text", a.kind.replace('_', "-")), &args)
    }
    /// Who acted, as the audit log names them: the system by what it was doing (the command
    /// line, the demo, the nightly sweep), anyone else by the sign-in name recorded.
    pub fn actor(&self, actor: &str) -> String {
        match actor.strip_prefix("system:") {
            Some(what) => self.lang.try_t(&format!("audit-system-{what}")).unwrap_or_else(|| self.t("audit-system")),
            None => actor.to_string(),
        }
    }
    /// An instant as a date and time on the organization's clock, as people write it:
    /// 2026 年 12 月 7 日 15:53, December 7, 2026, 15:53.
    pub fn date(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        let local = self.zone.time(*t);
        let time = local.format("%H:%M").to_string();
        self.lang.ta("date-and-time", &[("date", self.on_year(&local.date())), ("time", time)])
    }
    /// A calendar month as people write it: 2026 年 11 月, November 2026.
    pub fn month(&self, d: &chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let name = self.t(&format!("month-{}", d.month()));
        self.lang.ta("month-of-year", &[("year", d.year().to_string()), ("month", name)])
    }
    /// A calendar day as people say it: 12 月 11 日, December 11.
    pub fn on(&self, d: &chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let month = self.t(&format!("month-{}", d.month()));
        self.lang.ta("day-of-month", &[("month", month), ("day", d.day().to_string())])
    }
    /// A period's days in words, as short as a picker's option can be: 7 月 1 日 – 9 月 30 日
    /// within one year (the period's name carries it), with the years when it spans two.
    pub fn date_range(&self, from: &chrono::NaiveDate, to: &chrono::NaiveDate) -> String {
        use chrono::Datelike;
        if from.year() == to.year() {
            format!("{} – {}", self.on(from), self.on(to))
        } else {
            format!("{} – {}", self.on_year(from), self.on_year(to))
        }
    }
    /// A calendar day with its year: 2026 年 9 月 14 日, September 14, 2026.
    pub fn on_year(&self, d: &chrono::NaiveDate) -> String {
        use chrono::Datelike;
        let month = self.t(&format!("month-{}", d.month()));
        self.lang.ta("date-of-year", &[("year", d.year().to_string()), ("month", month), ("day", d.day().to_string())])
    }
    /// An instant's calendar day on the organization's clock, as people say it.
    pub fn on_instant(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        self.on(&self.zone.date(*t))
    }
    /// An instant's calendar day on the organization's clock, with its year, in words.
    pub fn day(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        self.on_year(&self.zone.date(*t))
    }
    /// A number as people write it: no trailing zeros.
    pub fn num(&self, v: impl Number) -> String {
        let v = v.value() + 0.0;
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }

    /// A page for a signed-in user.
    pub fn for_user(actor: &Actor, ctx: &RequestContext, title: String, nav: &'static str, path: &str) -> Page {
        let name = actor.display_name.clone();
        Page {
            lang: ctx.lang,
            csrf: ctx.csrf.clone(),
            title,
            nav,
            narrow: false,
            path: path.to_string(),
            user: Some(NavUser {
                name,
                employee_id: actor.employee_id,
                is_hr: actor.is_hr(),
                is_manager: actor.is_manager,
                is_executive: actor.executive.is_some(),
                is_admin: actor.admin,
                links: waymark_app::menu::menu(actor),
            }),
            zone: ctx.zone,
        }
    }

    pub fn anonymous(ctx: &RequestContext, title: String) -> Page {
        Page {
            lang: ctx.lang,
            csrf: ctx.csrf.clone(),
            title,
            nav: "",
            narrow: true,
            path: "/login".into(),
            user: None,
            zone: ctx.zone,
        }
    }
}

/// A number however deeply a template borrows it.
pub trait Number {
    fn value(&self) -> f64;
}
impl Number for f64 {
    fn value(&self) -> f64 {
        *self
    }
}
impl<T: Number + ?Sized> Number for &T {
    fn value(&self) -> f64 {
        (**self).value()
    }
}

fn bar_html(percent: f64, light: Option<&str>) -> String {
    let percent = percent + 0.0; // no "-0%"
    let class = light.map(|l| format!("bar lit-{l}")).unwrap_or_else(|| "bar".into());
    let width = percent.clamp(0.0, 100.0);
    format!(
        "<span class=\"{class}\" role=\"img\" aria-label=\"{percent:.1}%\"><span style=\"width:{width:.1}%\"></span></span><span class=\"pct\">{percent:.0}%</span>"
    )
}

pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A form page: 422 when it comes back with the errors that refused it.
pub fn render_form<T: Template>(t: &T, errors: &[String]) -> Response {
    let mut r = render(t);
    if !errors.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

/// A number as typed in a form (thousands separators allowed); blank or not a number: `None`.
pub fn form_number(s: &str) -> Option<f64> {
    s.trim().replace(',', "").parse().ok()
}

/// A form's text, trimmed; blank: `None`.
/// `?done=…` after a form's redirect: the page says it was saved.
#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    pub done: Option<String>,
}

/// A form with repeated fields (a template's parts, the people picked), read in order as
/// name–value pairs; serde_urlencoded supports it, so no extra crate.
pub type Pairs = Vec<(String, String)>;

/// After a form post: on success to `done`; refused, the form again with the reasons (and a
/// 422); any other error as its page.
pub async fn settle<T, Fut>(
    lang: Lang,
    result: waymark_app::AppResult<T>,
    done: String,
    again: impl FnOnce(Vec<String>) -> Fut,
) -> Response
where
    Fut: std::future::Future<Output = Response>,
{
    match result {
        Ok(_) => axum::response::Redirect::to(&done).into_response(),
        Err(e @ waymark_app::AppError::Invalid(_)) => again(field_messages(lang, &e)).await,
        Err(e) => crate::error::page_error(lang, e),
    }
}

/// The first value of `key`, or "".
pub fn pair<'a>(pairs: &'a Pairs, key: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// Every value of `key`, in order.
pub fn pairs_of(pairs: &Pairs, key: &str) -> Vec<String> {
    pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect()
}

/// Every value of `key` that is an id (a picked person, a checked goal); others are skipped.
pub fn pair_ids(pairs: &Pairs, key: &str) -> Vec<uuid::Uuid> {
    pairs.iter().filter(|(k, _)| k == key).filter_map(|(_, v)| v.parse().ok()).collect()
}

pub fn form_text(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The key-result kinds a form offers (a roll-up key result is made by alignment, not typed).
pub const FORM_KR_KINDS: [&str; 5] = ["numeric", "kpi", "score", "done", "rating"];

/// Only same-site paths are followed after sign-in or a language switch: a path that starts
/// with one `/`, with no scheme, no authority, no backslash and no control character or
/// space (browsers drop a tab or newline, so `/\t/evil.example` would become
/// `//evil.example`, another site; a newline would not even fit in a header). Anything else
/// goes home. Non-ASCII letters are percent-encoded so the `Location` header is plain ASCII.
pub fn safe_next(next: Option<&str>) -> String {
    let Some(n) = next else { return "/".into() };
    let plain = n.starts_with('/')
        && !n.starts_with("//")
        && !n.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if !plain {
        return "/".into();
    }
    let mut out = String::with_capacity(n.len());
    for c in n.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// JSON to embed in a `<script type="application/json">` element. `<`, `>` and `&` are
/// written as `\u003c`, `\u003e` and `\u0026`, which JSON reads back as the same characters,
/// so nothing inside (a goal titled `<!--<script>` or `</script>`) can end or change the
/// element: the HTML parser sees no tag at all.
pub fn script_json(v: &serde_json::Value) -> String {
    v.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

const CSS: &str = include_str!("../../static/app.css");
const HTMX: &str = include_str!("../../static/htmx.min.js");
const TRACKING_JS: &str = include_str!("../../static/tracking.js");
const GOAL_MAP_JS: &str = include_str!("../../static/goal_map.js");
/// Behaviour every page shares (a picker that submits its form when changed), kept out of the
/// markup so the Content-Security-Policy can forbid inline script.
const APP_JS: &str = include_str!("../../static/app.js");
/// Apache ECharts 6.1.0, the full build from npm's `echarts` package (the goal map's tree is not
/// in the "common" build; see echarts.LICENSE).
const ECHARTS: &str = include_str!("../../static/echarts-6.1.0.min.js");

/// A vendored file named by its version: cached for a year.
fn immutable(body: &'static str, mime: &'static str) -> Response {
    ([(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")], body)
        .into_response()
}

fn asset(body: &'static str, mime: &'static str) -> Response {
    ([(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, "public, max-age=86400")], body).into_response()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(|| async { asset(CSS, "text/css; charset=utf-8") }))
        .route("/static/htmx.min.js", get(|| async { asset(HTMX, "text/javascript; charset=utf-8") }))
        .route("/static/app.js", get(|| async { asset(APP_JS, "text/javascript; charset=utf-8") }))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang/{code}", get(auth::switch_lang))
        .route("/", get(home::home))
        .route("/help", get(help::page))
        .route("/help/shots/{lang}/{file}", get(help::shot))
        .route("/org", get(org::chart))
        .route("/org/search", get(org::search))
        .route("/org/units/{id}/children", get(org::children))
        .route("/units", post(org::create_unit))
        .route("/units/{id}", get(org::unit_page).post(org::update_unit))
        .route("/people", post(org::create_person))
        .route("/people/new", get(org::new_person))
        .route("/people/{id}", get(org::person_page).post(org::update_person))
        .route("/people/{id}/edit", get(org::edit_person))
        .route("/people/{id}/status", post(org::change_status))
        .route("/goals", get(goals::my_goals).post(goals::create_goal))
        .route("/goals/new", get(goals::new_goal))
        .route("/goals/reuse", post(goals::reuse))
        .route("/goals/team", get(goals::team_goals))
        .route("/goals/break-points", get(goals::break_points))
        .route("/goals/library", get(library::page))
        .route("/goals/library/templates", post(library::create_template))
        .route("/goals/library/templates/new", get(library::new_template))
        .route("/goals/library/templates/{id}", post(library::update_template))
        .route("/goals/library/templates/{id}/edit", get(library::edit_template))
        .route("/goals/library/templates/{id}/archive", post(library::archive_template))
        .route("/goals/library/templates/{id}/use", post(library::use_template))
        .route("/goals/library/templates/{id}/assign", get(library::assign_page).post(library::assign))
        .route("/goals/library/items", post(library::create_item))
        .route("/goals/library/standard", post(library::add_standard))
        .route("/goals/library/items/new", get(library::new_item))
        .route("/goals/library/items/{id}", post(library::update_item))
        .route("/goals/library/items/{id}/edit", get(library::edit_item))
        .route("/goals/library/items/{id}/archive", post(library::archive_item))
        .route("/goals/{id}", get(goals::goal_page))
        .route("/goals/{id}/submit", post(goals::submit))
        .route("/goals/{id}/decide", post(goals::decide))
        .route("/goals/{id}/edit", post(goals::edit))
        .route("/goals/{id}/archive", post(goals::archive))
        .route("/goals/{id}/align", post(goals::align))
        .route("/goals/{id}/key-results", post(goals::add_key_result))
        .route("/goals/{id}/commitments", post(goals::add_commitment))
        .route("/goals/{id}/map", get(goal_map::page))
        .route("/goals/{id}/map/children", get(goal_map::children))
        .route("/key-results/{id}/progress", post(goals::progress))
        .route("/goals/{id}/check-ins", post(tracking::check_in))
        .route("/goals/{id}/review-tasks", post(tracking::open_task))
        .route("/alerts/{id}/dismiss", post(tracking::dismiss))
        .route("/review-tasks/{id}/done", post(tracking::task_done))
        .route("/tracking/hr", get(tracking::hr_board))
        .route("/tracking/hr/export", get(tracking::hr_board_export))
        .route("/tracking/executive", get(tracking::executive_board))
        .route("/admin/tracking", get(tracking::settings).post(tracking::save_settings))
        .route("/admin/jobs", get(notify::jobs))
        .route("/admin/accounts", get(security::page))
        .route("/admin/accounts/{username}/lock", post(security::set_locked))
        .route("/admin/integrations", get(integrations::page).post(integrations::create))
        .route("/admin/integrations/{id}/secret", post(integrations::renew))
        .route("/admin/integrations/{id}/active", post(integrations::set_active))
        .route("/admin/integrations/ai-test", post(integrations::ai_test))
        .route("/admin/integrations/identities", post(integrations::map))
        .route("/admin/integrations/identities/remove", post(integrations::unmap))
        .route("/feedback/todos/{id}/dismiss", post(integrations::dismiss_todo))
        .route("/recognition", get(recognition::page).post(recognition::give))
        .route("/recognition/rewards/{id}/redeem", post(recognition::redeem))
        .route("/recognition/network", get(recognition::network))
        .route("/recognition/stars", get(recognition::stars))
        .route("/admin/recognition", get(recognition::admin))
        .route("/admin/recognition/values", post(recognition::save_value))
        .route("/admin/recognition/rewards", post(recognition::save_reward))
        .route("/admin/recognition/redemptions/{id}", post(recognition::decide))
        .route("/admin/jobs/{id}/retry", post(notify::retry))
        .route("/account/notifications", get(notify::settings).post(notify::save))
        .route("/account/notifications/test", post(notify::test))
        .route("/admin/tracking/sweep", post(tracking::sweep))
        .route("/one-on-ones", get(one_on_ones::overview))
        .route("/one-on-ones/series", post(one_on_ones::create_series))
        .route("/one-on-ones/series/{id}", get(one_on_ones::series).post(one_on_ones::update_series))
        .route("/feedback", get(feedback::overview).post(feedback::give))
        .route("/feedback/new", get(feedback::new_form))
        .route("/feedback/coach", post(feedback::coach))
        .route("/feedback/new/ai-rewrite", post(feedback::ai_rewrite))
        .route("/feedback/pick", get(feedback::pick))
        .route("/feedback/request", get(feedback::request_form).post(feedback::request))
        .route("/feedback/requests/{id}/decline", post(feedback::decline))
        .route("/feedback/{id}", get(feedback::item))
        .route("/journal", get(journal::mine))
        .route("/light360", get(light360::overview).post(light360::create))
        .route("/light360/new", get(light360::new_form))
        .route("/light360/{id}", get(light360::item))
        .route("/light360/{id}/answer", post(light360::answer))
        .route("/light360/{id}/close", post(light360::close))
        .route("/reviews", get(reviews::mine))
        .route("/reviews/{id}", get(reviews::form).post(reviews::save))
        .route("/reviews/participants/{id}/peers", get(reviews::peers).post(reviews::nominate))
        .route("/reviews/participants/{id}/peers/decision", post(reviews::decide))
        .route("/reviews/participants/{id}/result", get(review_release::result))
        .route("/reviews/participants/{id}/acknowledge", post(review_release::acknowledge))
        .route("/reviews/participants/{id}/appeal", post(review_release::appeal))
        .route("/admin/reviews/cycles/{id}/release", post(review_release::release))
        .route("/admin/reviews/appeals/{id}", get(review_release::appeal_view))
        .route("/admin/reviews/cycles/{id}/ninebox", get(talent::ninebox))
        .route("/admin/reviews/cycles/{id}/ninebox.xlsx", get(talent::ninebox_xlsx))
        .route("/admin/reviews/cycles/{id}/ninebox/names", post(talent::set_names))
        .route("/reviews/participants/{id}/potential", post(talent::assess))
        .route("/reviews/participants/{id}/promotion", post(result_application::nominate))
        .route("/reviews/participants/{id}/promotion/{nomination}/decide", post(result_application::decide))
        .route("/admin/reviews/cycles/{id}/participants/{participant}/incentive", post(result_application::grant_one))
        .route("/admin/reviews/cycles/{id}/application", get(result_application::application))
        .route("/admin/reviews/cycles/{id}/incentives", post(result_application::grant_by_grade))
        .route("/probation", get(probation::list))
        .route("/people/{id}/probation", get(probation::person).post(probation::start))
        .route("/people/{id}/probation/checkpoints/{checkpoint}", post(probation::hold))
        .route("/people/{id}/probation/{probation}/decision", post(probation::decide))
        .route(
            "/reviews/participants/{id}/conversation",
            get(development::conversation).post(development::save_conversation),
        )
        .route("/development", get(development::mine))
        .route("/development/{id}", get(development::plan))
        .route("/development/{id}/actions/{action}", post(development::action))
        .route("/development/{id}/checkpoints/{checkpoint}", post(development::checkpoint))
        .route("/people/{id}/development", get(development::plans).post(development::create_plan))
        .route("/people/{id}/development/report", get(development_report::report).post(development_report::save))
        .route("/people/{id}/development/report/plan", post(development_report::make_plan))
        .route("/people/{id}/development/report/ai-draft", post(development_report::ai_draft))
        .route("/signals", get(signals::signals))
        .route("/signals/preference", post(signals::preference))
        .route("/signals/settings", post(signals::settings))
        .route("/signals/compute", post(signals::compute))
        .route("/signals/teams", get(team_signals::teams))
        .route("/signals/model", get(flight_model::model))
        .route("/signals/model/fit", post(flight_model::fit))
        .route("/signals/{id}", get(signals::look_form).post(signals::look))
        .route("/signals/{id}/answers", post(signals::answer))
        .route("/signals/answers/{id}/reply", post(signals::reply))
        .route("/admin/reviews/appeals/{id}/assign", post(review_release::assign))
        .route("/admin/reviews/appeals/{id}/decide", post(review_release::decide))
        .route("/admin/reviews", get(reviews::admin))
        .route("/admin/reviews/cycles", post(reviews::create_cycle))
        .route("/admin/reviews/cycles/{id}", get(reviews::cycle))
        .route("/admin/reviews/cycles/{id}/launch", post(reviews::launch))
        .route("/admin/reviews/cycles/{id}/stages", post(reviews::reschedule))
        .route("/admin/reviews/cycles/{id}/results.xlsx", get(reviews::results_xlsx))
        .route("/admin/reviews/cycles/{id}/calibration", post(reviews::create_session))
        .route("/admin/reviews/calibration/{id}", get(reviews::session))
        .route("/admin/reviews/calibration/{id}/move", post(reviews::move_grade))
        .route("/admin/reviews/calibration/{id}/lock", post(reviews::lock))
        .route("/admin/reviews/calibration/{id}/unlock", post(reviews::unlock))
        .route("/admin/reviews/templates", post(reviews::create_template))
        .route("/admin/reviews/templates/new", get(reviews::new_template))
        .route("/admin/reviews/templates/{id}", get(reviews::edit_template).post(reviews::update_template))
        .route("/people/{id}/journal", get(journal::page).post(journal::save))
        .route("/people/{id}/journal/{entry}/delete", post(journal::delete))
        .route("/one-on-ones/feed", post(one_on_ones::renew_feed))
        .route("/one-on-ones/feed/revoke", post(one_on_ones::revoke_feed))
        .route("/one-on-ones/{id}", get(one_on_ones::meeting))
        .route("/one-on-ones/{id}/calendar.ics", get(one_on_ones::meeting_ics))
        .route("/one-on-ones/{id}/agenda", post(one_on_ones::add_agenda))
        .route("/one-on-ones/agenda/{item}/discussed", post(one_on_ones::set_discussed))
        .route("/one-on-ones/agenda/{item}/remove", post(one_on_ones::remove_agenda))
        .route("/one-on-ones/{id}/notes", post(one_on_ones::shared_notes))
        .route("/one-on-ones/{id}/private-note", post(one_on_ones::private_note))
        .route("/one-on-ones/{id}/actions", post(one_on_ones::add_action))
        .route("/one-on-ones/actions/{action}/done", post(one_on_ones::set_action_done))
        .route("/one-on-ones/{id}/goals", post(one_on_ones::link_goal))
        .route("/one-on-ones/{id}/goals/{goal}/remove", post(one_on_ones::unlink_goal))
        .route("/one-on-ones/{id}/reschedule", post(one_on_ones::reschedule))
        .route("/one-on-ones/{id}/cancel", post(one_on_ones::cancel))
        .route("/one-on-ones/{id}/held", post(one_on_ones::held))
        .route("/calendar/{file}", get(one_on_ones::feed))
        .route("/admin/prompts", get(one_on_ones::prompts).post(one_on_ones::add_prompt))
        .route("/admin/prompts/{id}", post(one_on_ones::set_prompt))
        .route("/admin/periods", get(periods::page).post(periods::create))
        .route("/admin/periods/{id}", post(periods::update))
        .route("/admin/calendar", get(calendar::page).post(calendar::save))
        .route("/admin/calendar/days", post(calendar::put_day))
        .route("/admin/calendar/days/{day}/remove", post(calendar::delete_day))
        .route("/tracking/weekly", get(weekly::my_week))
        .route("/tracking/weekly/{week}", post(weekly::save_week))
        .route("/tracking/weekly/team", get(weekly::team))
        .route("/tracking/weekly/reports/{id}/acknowledge", post(weekly::acknowledge))
        .route("/tracking/follow-up", get(weekly::follow_up))
        .route("/goals/{goal}/check-ins/{id}/review", post(weekly::review_check_in))
        .route("/static/tracking.js", get(|| async { asset(TRACKING_JS, "text/javascript; charset=utf-8") }))
        .route("/static/goal_map.js", get(|| async { asset(GOAL_MAP_JS, "text/javascript; charset=utf-8") }))
        .route("/static/echarts-6.1.0.min.js", get(|| async { immutable(ECHARTS, "text/javascript; charset=utf-8") }))
        .route("/key-results/{id}/archive", post(goals::archive_key_result))
        .route("/alignments/{id}/remove", post(goals::unalign))
        .route("/alignments/{id}/weight", post(goals::reweight))
        .route("/alignment-requests/{id}/{what}", post(goals::decide_request))
        .route("/commitments/{id}/done", post(goals::commitment_done))
        .route("/people/{id}/goals", get(goals::person_goals))
        .route("/approvals", get(approvals::queue))
        .route("/progress/{token}", get(crate::progress::show))
        .route("/inbox", get(approvals::inbox))
        .route("/inbox/read", post(approvals::mark_read))
        .route("/inbox/badge", get(approvals::badge))
        .route("/admin", get(admin::page))
        .route("/admin/import", post(admin::import))
        .route("/admin/export", get(admin::export))
        .route("/admin/audit", get(admin::audit))
        .route("/account", get(account::page))
        .route("/account/locale", post(account::locale))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
}

/// The page text for a service's error code (`error-<code>` in the Fluent files), or the
/// service's own English message when the code has no translation.
pub fn error_text(lang: Lang, code: &str, fallback: &str) -> String {
    lang.try_t(&format!("error-{}", code.replace('_', "-"))).unwrap_or_else(|| fallback.to_string())
}

/// A field's name in the page's language; `key_results[2].target` reads "Key result 3 · target".
fn field_label(lang: Lang, field: &str) -> String {
    // A part is a field's name, or a review stage's code (`stages.peer_nomination`).
    let name = |f: &str| {
        let key = f.replace('_', "-");
        lang.try_t(&format!("field-{key}"))
            .or_else(|| lang.try_t(&format!("reviews-stage-{key}")))
            .unwrap_or_else(|| f.to_string())
    };
    field
        .split('.')
        .map(|part| match part.split_once('[') {
            Some((base, rest)) => {
                let n = rest.trim_end_matches(']').parse::<usize>().map(|i| i + 1).unwrap_or(0);
                format!("{} {n}", name(base))
            }
            None => name(part),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Field errors of a service, in the page's language. A cycle keeps the goals it names.
pub fn field_messages(lang: Lang, e: &waymark_app::AppError) -> Vec<String> {
    match e {
        waymark_app::AppError::Invalid(fields) => fields
            .iter()
            .map(|f| {
                let field = field_label(lang, &f.field);
                let mut msg =
                    lang.try_t(&format!("error-{}", f.code.replace('_', "-"))).unwrap_or_else(|| f.message.clone());
                if f.code == "alignment_cycle"
                    && let Some((_, chain)) = f.message.split_once(": ")
                {
                    msg = format!("{msg}: {chain}");
                }
                // A refused formula: say where (evalexpr's words, the variable, the inputs).
                if f.field == "formula" && msg != f.message {
                    msg = format!("{msg} — {}", f.message);
                }
                // A refused attachment: say which file.
                if f.field == "file"
                    && let Some((name, _)) = f.message.split_once(": ")
                {
                    msg = format!("{name} — {msg}");
                }
                format!("{field}: {msg}")
            })
            .collect(),
        other => vec![lang.t(match other {
            waymark_app::AppError::Forbidden => "error-forbidden",
            waymark_app::AppError::NotFound(_) => "error-not-found",
            _ => "error-internal",
        })],
    }
}

/// A service's answer for one part of a page: refused or not found is "nothing to show",
/// anything else stays an error (see `part!`).
pub(crate) fn optional<T>(r: Result<T, waymark_app::AppError>) -> Result<Option<T>, waymark_app::AppError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(waymark_app::AppError::Forbidden | waymark_app::AppError::NotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 23, item 2: a form's error named "items 7" and "阶段 · peer_nomination".
    #[test]
    fn q2_errors_name_the_field_as_the_form_shows_it() {
        assert_eq!(field_label(Lang::ZhCn, "items[6]"), "评分项 7");
        assert_eq!(field_label(Lang::ZhCn, "stages.peer_nomination"), "阶段 · 提名同事");
        assert_eq!(field_label(Lang::En, "items[0]"), "Rated item 1");
    }

    /// Issue 24: a part of a page the actor may not see is left out; a failure is not.
    #[test]
    fn a_failed_part_is_an_error_not_an_empty_part() {
        use waymark_app::AppError;
        assert_eq!(optional(Ok::<_, AppError>(3)).unwrap(), Some(3));
        assert_eq!(optional::<i32>(Err(AppError::Forbidden)).unwrap(), None);
        assert_eq!(optional::<i32>(Err(AppError::NotFound("goal"))).unwrap(), None);
        assert!(matches!(optional::<i32>(Err(AppError::Internal("db gone".into()))), Err(AppError::Internal(_))));
    }
}
