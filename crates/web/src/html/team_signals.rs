//! The team signals page (SPEC I-4; issue 26, item 1): HR's units and a manager's line, each
//! hint with its figures in sentences; no person named.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use waymark_app::team_signals::TeamSignals;
use waymark_domain::signals::team::{
    LEAVER_SHARE, PERFORMANCE_MARGIN, PRESSURE_HOURS, SWING_POINTS, SWING_SHARE, TeamFinding, TeamKind,
};

use super::{Page, render};
use crate::AppState;
use crate::context::PageUser;
use crate::error::page_error;

#[derive(Template)]
#[template(path = "signals_teams.html")]
struct TeamsPage {
    page: Page,
    t: TeamSignals,
}

impl TeamsPage {
    fn finding(&self, f: &TeamFinding) -> String {
        let n = |v: f64| self.page.num(v);
        let (key, args): (&str, Vec<(&'static str, String)>) = match *f {
            TeamFinding::Leavers { count, of, share } => (
                "team-finding-leavers",
                vec![
                    ("count", count.to_string()),
                    ("of", of.to_string()),
                    ("share", n(share)),
                    ("threshold", n(LEAVER_SHARE)),
                ],
            ),
            TeamFinding::Swings { count, of, share } => (
                "team-finding-swings",
                vec![
                    ("count", count.to_string()),
                    ("of", of.to_string()),
                    ("share", n(share)),
                    ("points", n(SWING_POINTS)),
                    ("threshold", n(SWING_SHARE)),
                ],
            ),
            TeamFinding::Hours { of, hours } => (
                "team-finding-hours",
                vec![("of", of.to_string()), ("hours", n(hours)), ("threshold", n(PRESSURE_HOURS))],
            ),
            TeamFinding::Results { of, score, organization } => (
                "team-finding-results",
                vec![
                    ("of", of.to_string()),
                    ("score", n(score)),
                    ("organization", n(organization)),
                    ("margin", n(PERFORMANCE_MARGIN)),
                ],
            ),
        };
        self.page.lang.ta(key, &args)
    }

    fn badge(&self, k: &TeamKind) -> &'static str {
        match k {
            TeamKind::Unstable => "badge alert",
            TeamKind::PressurePerformance => "badge key",
        }
    }
}

pub async fn teams(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    match st.app.signals().teams(&actor).await {
        Ok(t) => {
            let page = Page::for_user(&actor, &ctx, ctx.lang.t("team-signals-title"), "insights", "/signals/teams");
            render(&TeamsPage { page, t })
        }
        Err(e) => page_error(ctx.lang, e),
    }
}
