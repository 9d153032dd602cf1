//! Sign-in, sign-out and the language switch.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use waymark_app::AppError;
use waymark_app::accounts::DEVICE_DAYS;

use super::{Page, render, safe_next};
use crate::AppState;
use crate::context::{DEVICE_COOKIE, LANG_COOKIE, RequestContext, SESSION_COOKIE, set_cookie};
use crate::i18n::Lang;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    error: Option<String>,
    next: String,
    username: String,
    other_lang: &'static str,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn other(lang: Lang) -> &'static str {
    if lang == Lang::ZhCn { "en" } else { "zh-CN" }
}

pub async fn login_page(ctx: RequestContext, Query(q): Query<NextQuery>) -> Response {
    if ctx.actor.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    let page = Page::anonymous(&ctx, ctx.lang.t("login-title"));
    render(&LoginPage {
        other_lang: other(ctx.lang),
        page,
        error: None,
        next: safe_next(q.next.as_deref()),
        username: String::new(),
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(st): State<AppState>,
    ctx: RequestContext,
    headers: axum::http::HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let device = crate::context::cookie(&headers, DEVICE_COOKIE);
    match st.app.accounts().sign_in(&f.username, &f.password, &ctx.client_ip, device).await {
        Ok(s) => {
            let secure = ctx.secure;
            let cookie = set_cookie(SESSION_COOKIE, &s.session, st.app.config.session_hours * 3600, true, secure);
            let device = set_cookie(DEVICE_COOKIE, &s.device, DEVICE_DAYS * 86_400, true, secure);
            let mut resp = Redirect::to(&safe_next(f.next.as_deref())).into_response();
            resp.headers_mut().append(header::SET_COOKIE, cookie);
            resp.headers_mut().append(header::SET_COOKIE, device);
            resp
        }
        Err(e) => {
            let key = match e {
                AppError::Throttled { .. } => "login-throttled",
                AppError::Unauthenticated => "login-failed",
                _ => "error-internal",
            };
            let page = Page::anonymous(&ctx, ctx.lang.t("login-title"));
            let mut resp = render(&LoginPage {
                other_lang: other(ctx.lang),
                page,
                error: Some(ctx.lang.t(key)),
                next: safe_next(f.next.as_deref()),
                username: f.username,
            });
            *resp.status_mut() = match e {
                AppError::Throttled { .. } => axum::http::StatusCode::TOO_MANY_REQUESTS,
                _ => axum::http::StatusCode::UNAUTHORIZED,
            };
            resp
        }
    }
}

pub async fn logout(State(st): State<AppState>, ctx: RequestContext) -> Response {
    if let Some(t) = &ctx.session_token {
        let _ = st.app.accounts().logout(t).await;
    }
    ([(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0, true, ctx.secure))], Redirect::to("/login"))
        .into_response()
}

/// Switches the language: remembered in a cookie, and in the account when signed in.
pub async fn switch_lang(
    State(st): State<AppState>,
    ctx: RequestContext,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Response {
    let Some(lang) = Lang::parse(&code) else {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    };
    if let Some(actor) = &ctx.actor {
        let _ = st.app.accounts().set_locale(actor, Some(lang.code())).await;
    }
    (
        [(header::SET_COOKIE, set_cookie(LANG_COOKIE, lang.code(), 60 * 60 * 24 * 365, false, ctx.secure))],
        Redirect::to(&safe_next(q.next.as_deref())),
    )
        .into_response()
}
