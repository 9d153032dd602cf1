//! Progress of long work sent from a page (SPEC Q-5): an import or a bulk assignment. The form
//! carries a token the page chose; while the request is worked on, the page asks
//! `/progress/{token}` how far it is and shows the step and a bar. A token is the sender's own:
//! nobody else can read it, and it is forgotten when the request ends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use uuid::Uuid;
use waymark_app::App;
use waymark_app::progress::{Latest, Progress};

use crate::AppState;
use crate::context::PageUser;

/// Requests being watched at most at once by one person: a page sends one at a time.
const MOST_PER_PERSON: usize = 4;

type Key = (Uuid, String);

/// The work in progress that pages are watching, by (user, token).
#[derive(Clone, Default)]
pub struct Watched(Arc<Mutex<HashMap<Key, Arc<Latest>>>>);

/// Forgets the work when the request ends, however it ends.
pub struct Forget {
    watched: Watched,
    key: Option<Key>,
}

impl Drop for Forget {
    fn drop(&mut self) {
        if let (Some(k), Ok(mut m)) = (self.key.take(), self.watched.0.lock()) {
            m.remove(&k);
        }
    }
}

/// A token a page may choose: 8 to 64 letters, digits and dashes.
fn valid(token: &str) -> bool {
    (8..=64).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl Watched {
    /// The services watched under the user's token, if the page sent a usable one; otherwise
    /// the same services, unwatched.
    pub fn watch(&self, app: &App, user: Option<Uuid>, token: &str) -> (App, Forget) {
        let none = || (app.clone(), Forget { watched: self.clone(), key: None });
        let (Some(user), true) = (user, valid(token)) else { return none() };
        let Ok(mut m) = self.0.lock() else { return none() };
        if m.keys().filter(|(u, _)| *u == user).count() >= MOST_PER_PERSON {
            return none();
        }
        let latest = Arc::new(Latest::default());
        let key = (user, token.to_string());
        m.insert(key.clone(), latest.clone());
        (app.watched(Progress::to(latest)), Forget { watched: self.clone(), key: Some(key) })
    }

    fn get(&self, user: Uuid, token: &str) -> Option<waymark_app::progress::Snapshot> {
        let m = self.0.lock().ok()?;
        m.get(&(user, token.to_string())).map(|l| l.get())
    }
}

/// How far the sender's work is: the step in their language, and the count when known.
pub async fn show(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(token): Path<String>) -> Response {
    let Some(s) = actor.user_id.and_then(|u| st.progress.get(u, &token)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let step = s.step.map(|code| ctx.lang.t(&waymark_app::progress::message_key(code))).unwrap_or_default();
    Json(serde_json::json!({ "step": step, "done": s.done, "total": s.total })).into_response()
}

#[cfg(test)]
mod tests {
    use waymark_app::clock::SystemClock;
    use waymark_app::progress::Step;

    use super::*;

    #[tokio::test]
    async fn q5_a_page_reads_its_own_work_while_it_runs_and_nobody_else_does() {
        let db = waymark_store::Db::connect("sqlite::memory:").await.unwrap();
        let app = App::new(db, Arc::new(SystemClock), waymark_app::AppConfig::default());
        let watched = Watched::default();
        let (me, other) = (Uuid::now_v7(), Uuid::now_v7());
        let token = "3f2a9c1e-0b7d-4c4e-9f1a-2b3c4d5e6f70";
        let (working, forget) = watched.watch(&app, Some(me), token);
        working.progress.step(Step::Checking, 40);
        working.progress.advance(15);
        let seen = watched.get(me, token).expect("watched");
        assert_eq!((seen.step, seen.done, seen.total), (Some("checking"), 15, 40));
        assert!(watched.get(other, token).is_none(), "another person cannot read it");
        drop(forget);
        assert!(watched.get(me, token).is_none(), "forgotten when the request ends");
        // A bad token or no user: the work runs unwatched.
        let (_, f) = watched.watch(&app, Some(me), "../x");
        assert!(f.key.is_none());
        let (_, f) = watched.watch(&app, None, token);
        assert!(f.key.is_none());
        // At most a few at once per person.
        let held: Vec<_> =
            (0..MOST_PER_PERSON).map(|i| watched.watch(&app, Some(me), &format!("{token}{i}")).1).collect();
        assert!(watched.watch(&app, Some(me), "another-token-1").1.key.is_none());
        drop(held);
    }

    #[test]
    fn q5_only_a_plain_token_is_watched() {
        assert!(valid("3f2a9c1e-0b7d-4c4e-9f1a-2b3c4d5e6f70"));
        assert!(!valid("short"));
        assert!(!valid("../../etc/passwd-and-more"));
        assert!(!valid(&"a".repeat(65)));
    }
}
