//! What the HTTP tests share: the demo behind the router on a real database, a browser's
//! sign-in with its session-bound CSRF token, and requests through the API.
#![allow(dead_code)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::TimeZone;
use http_body_util::BodyExt;
use tower::ServiceExt;
use waymark_app::clock::FixedClock;
use waymark_app::demo::{DEMO_PASSWORD, DemoOptions};
use waymark_app::{App, AppConfig};
use waymark_store::Db;
use waymark_web::{AppState, router};

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(str::to_string)
    }
}

pub async fn send(r: &Router, req: Request<Body>) -> Resp {
    let resp = r.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = String::from_utf8_lossy(&resp.into_body().collect().await.unwrap().to_bytes()).to_string();
    Resp { status, headers, body }
}

pub async fn setup(db: Db) -> (Router, App) {
    let (r, app, _) = setup_with_clock(db).await;
    (r, app)
}

/// The demo on Saturday 21 November 2026, with the clock to move.
pub async fn setup_with_clock(db: Db) -> (Router, App, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::at(chrono::Utc.with_ymd_and_hms(2026, 11, 21, 2, 0, 0).unwrap()));
    let app = App::new(db, clock.clone(), AppConfig::default());
    app.create_demo(&DemoOptions { employees: 60, seed: 11, ..Default::default() }).await.unwrap();
    (router(AppState::new(app.clone(), false)), app, clock)
}

/// A form post from a signed-in page (`body` without the CSRF token).
pub fn post_form(path: &str, cookie: &str, body: &str) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={}&{body}", csrf_of(cookie))))
        .unwrap()
}

/// The CSRF token a page carries (`<meta name="csrf-token">`), as its forms send it.
pub fn meta_csrf(body: &str) -> String {
    let at = body.find("name=\"csrf-token\" content=\"").expect("the page has a CSRF token") + 27;
    body[at..].split('"').next().unwrap().to_string()
}

/// The token this test keeps beside the cookies (`t_csrf`, a name the server ignores).
pub fn csrf_of(cookie: &str) -> String {
    cookie.split("; ").find_map(|c| c.strip_prefix("t_csrf=")).unwrap_or_default().to_string()
}

/// A browser that opened the sign-in page: its nonce cookie and the sign-in form's token.
pub async fn anonymous(r: &Router) -> (String, String) {
    let resp = send(r, Request::get("/login").body(Body::empty()).unwrap()).await;
    let nonce = resp.cookie("wm_csrf").expect("nonce cookie");
    (nonce.split(';').next().unwrap().to_string(), meta_csrf(&resp.body))
}

pub fn login_request(cookie: &str, token: &str, user: &str, password: &str) -> Request<Body> {
    Request::post("/login")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={token}&username={user}&password={password}&next=/org")))
        .unwrap()
}

/// Signs in through the form as a browser does; returns the Cookie header for later requests
/// (with the session's CSRF token kept beside it for `post_form`).
pub async fn sign_in(r: &Router, user: &str) -> String {
    let (nonce, token) = anonymous(r).await;
    let resp = send(r, login_request(&nonce, &token, user, DEMO_PASSWORD)).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let session = resp.cookie("wm_session").expect("session cookie");
    let cookie = format!("{}; {nonce}", session.split(';').next().unwrap());
    let page = send(r, get("/account", &cookie)).await;
    format!("{cookie}; t_csrf={}", meta_csrf(&page.body))
}

pub fn get(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap()
}

pub async fn token_for(app: &App, user: &str) -> String {
    let actor = app.accounts().login(user, DEMO_PASSWORD, "10.0.0.1").await.unwrap().1;
    app.accounts().create_token(&actor, "test").await.unwrap().1
}

pub fn api(method: &str, path: &str, token: &str, json: Option<serde_json::Value>) -> Request<Body> {
    let b = Request::builder().method(method).uri(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
    match json {
        Some(j) => b.header(header::CONTENT_TYPE, "application/json").body(Body::from(j.to_string())).unwrap(),
        None => b.body(Body::empty()).unwrap(),
    }
}
