//! The home page (issue 23, item 1; SPEC Q-1): each person's work for today and the week, first
//! things first — to-dos, then their goals with their lights, then what changed — and, by role,
//! the team's lights and who has gone quiet (managers), the running review cycles' health (HR),
//! and the strategy board's summary (executives). Every part is read through the service that
//! owns it, so the home page shows what the module's own page shows, under the same policy.

mod roles;
mod todos;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::goals::GoalSummary;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppResult};

pub use crate::tracking::StrategyBrief;
pub use roles::{CycleLine, QuietPerson, TeamPulse};

pub struct HomeService<'a> {
    pub(crate) app: &'a App,
}

/// One piece of work waiting on the person, linking to where it is done.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Todo {
    /// result, appeal, signal, signal-reply, review, peers, approval, alignment, one-on-one, probation,
    /// feedback-request, light360, check-in or weekly-report.
    pub kind: String,
    /// What it is about: a person's name, a goal's title, a cycle's name.
    pub subject: String,
    /// Whose it is, where the subject alone may not tell (two reports' goals of one title).
    pub person: Option<String>,
    /// The kind in more detail where the page words it differently: a review's source (self,
    /// manager, peers, upward; with `-many` when several are one to-do), an appeal waiting to be
    /// assigned (unassigned), a probation checkpoint's focus.
    pub variant: Option<String>,
    /// How many, where several of a kind are one to-do (e.g. nine manager reviews).
    pub count: Option<usize>,
    /// For a 1:1 today: when it starts and how many agenda items it has.
    pub starts_at: Option<DateTime<Utc>>,
    pub agenda_items: Option<usize>,
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
    /// Where it is done in Waymark (a path).
    pub link: String,
}

/// Something that happened to the person lately.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Change {
    /// result (released), feedback or kudos (received).
    pub kind: String,
    /// The cycle's name, or who gave it.
    pub subject: String,
    pub at: DateTime<Utc>,
    pub link: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HomeView {
    pub today: NaiveDate,
    /// Overdue first, then by due day, then the undated.
    pub todos: Vec<Todo>,
    /// The person's goals of the periods running today, with their lights.
    pub goals: Vec<GoalSummary>,
    /// The last two weeks, newest first.
    pub changes: Vec<Change>,
    /// For a manager: the direct reports' goals of the current period.
    pub team: Option<TeamPulse>,
    /// For HR: the launched review cycles they oversee.
    pub cycles: Vec<CycleLine>,
    /// For an executive: the company goals of the strategy board's period.
    pub strategy: Option<StrategyBrief>,
}

/// How far back "what changed" looks.
const CHANGES_DAYS: i64 = 14;
/// At most this many changes are listed.
const CHANGES_MAX: usize = 10;

impl HomeService<'_> {
    /// The actor's home: each part asks its own service, which decides what the actor may read.
    /// The parts are independent reads, so they run at once: on PostgreSQL each of the page's
    /// reads is a round trip, and one after another they were most of the page's time. The
    /// parts ask some of the same questions (the periods, a cycle's stages, the reader's
    /// manager); a GET request runs inside the store's read memo (`crate::reading`), where each
    /// is asked once for the whole page.
    pub async fn today(&self, actor: &Actor) -> AppResult<HomeView> {
        let today = self.app.today();
        let goals = timed("goals", async {
            match actor.employee_id {
                Some(me) => self.app.goals().running_goals_of(actor, me).await,
                None => Ok(vec![]),
            }
        })
        .await?;
        // Each part on the heap (see `todos`).
        let (todos, changes, team, cycles, strategy) = tokio::try_join!(
            Box::pin(self.todos(actor, &goals, today)),
            Box::pin(timed("changes", self.changes(actor))),
            Box::pin(timed("team", async { if actor.is_manager { self.team(actor, today).await } else { Ok(None) } })),
            Box::pin(timed("cycles", async {
                if allowed(actor, Action::Read, Resource::ReviewCycles, Facts::default()) {
                    self.cycles(actor).await
                } else {
                    Ok(vec![])
                }
            })),
            Box::pin(timed("strategy", async {
                if actor.executive.is_some() { self.strategy(actor).await } else { Ok(None) }
            })),
        )?;
        Ok(HomeView { today, todos, goals, changes, team, cycles, strategy })
    }

    /// Results released to the person, feedback and kudos they received, in the last two weeks.
    /// A result not yet acknowledged is a to-do instead, not listed twice.
    async fn changes(&self, actor: &Actor) -> AppResult<Vec<Change>> {
        if actor.employee_id.is_none() {
            return Ok(vec![]);
        }
        let since = self.app.clock.now() - chrono::Duration::days(CHANGES_DAYS);
        let mut out = Vec::new();
        for r in self.app.reviews().my_results(actor).await? {
            if r.released_at >= since && r.acknowledged {
                let link = format!("/reviews/participants/{}/result", r.participant_id);
                out.push(Change { kind: "result".into(), subject: r.cycle_name, at: r.released_at, link });
            }
        }
        for f in self.app.feedback().list(actor, crate::feedback::Which::Received).await? {
            if f.created_at >= since {
                let link = format!("/feedback/{}", f.id);
                out.push(Change { kind: "feedback".into(), subject: f.giver.name, at: f.created_at, link });
            }
        }
        for k in self.app.recognition().received_since(actor, since).await? {
            out.push(Change {
                kind: "kudos".into(),
                subject: k.giver.name,
                at: k.created_at,
                link: "/recognition".into(),
            });
        }
        out.sort_by_key(|c| std::cmp::Reverse(c.at));
        out.truncate(CHANGES_MAX);
        Ok(out)
    }
}

/// Runs one part of the home page and logs how long it took at debug level
/// (`WAYMARK_LOG=waymark_app::home=debug`): the page calls a dozen services and the slow one
/// should be easy to name. Parts run at once, so a part's time includes waiting for the
/// database while its siblings use it.
pub(crate) async fn timed<T>(part: &'static str, f: impl std::future::Future<Output = AppResult<T>>) -> AppResult<T> {
    let start = std::time::Instant::now();
    let out = f.await;
    tracing::debug!(part, micros = start.elapsed().as_micros() as u64, "home page part");
    out
}
