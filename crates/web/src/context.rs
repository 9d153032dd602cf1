//! Per-request context: who is acting (session cookie or `Authorization: Bearer` token),
//! which language to speak, and the CSRF guard for state-changing browser requests: the
//! form's `_csrf` field, the `X-CSRF-Token` header (or, for a page's multipart upload, the
//! `_csrf` query parameter) must be the token signed for this session (`security::csrf_token`),
//! and the Origin or Referer, when sent, must be our own. The `wm_csrf` cookie is only a
//! nonce that binds the sign-in form's token before there is a session.

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use waymark_app::policy::Actor;

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::Lang;

pub use crate::cookies::{CSRF_COOKIE, DEVICE_COOKIE, LANG_COOKIE, SESSION_COOKIE, cookie, set_cookie};

#[derive(Clone)]
pub struct RequestContext {
    pub actor: Option<Actor>,
    pub lang: Lang,
    pub csrf: String,
    pub secure: bool,
    pub session_token: Option<String>,
    /// For login throttling: the peer, or what a trusted proxy says the client is.
    pub client_ip: String,
    /// The organization's time zone, for the dates and times pages show.
    pub zone: waymark_app::clock::Zone,
}

fn new_csrf() -> Option<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).ok()?;
    Some(b.iter().map(|x| format!("{x:02x}")).collect())
}

fn is_unsafe(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn query_param(uri: &axum::http::Uri, name: &str) -> Option<String> {
    uri.query()?.split('&').filter_map(|p| p.split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
}

/// The token of an `Authorization: Bearer …` header.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|s| s.strip_prefix("Bearer "))
}

pub async fn request_context(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, mut body) = req.into_parts();
    let headers = &parts.headers;
    let bearer = bearer_token(headers).map(str::to_string);
    let session_token = cookie(headers, SESSION_COOKIE).map(str::to_string);
    let accounts = st.app.accounts();
    let actor = match (&bearer, &session_token) {
        (Some(t), _) => accounts.actor_for_api_token(t).await,
        (None, Some(s)) => accounts.actor_for_session(s).await,
        (None, None) => Ok(None),
    };
    let actor = match actor {
        Ok(a) => a,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let lang = actor
        .as_ref()
        .and_then(|a| a.locale.as_deref())
        .and_then(Lang::parse)
        .or_else(|| cookie(headers, LANG_COOKIE).and_then(Lang::parse))
        .or_else(|| {
            headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language)
        })
        .unwrap_or_default();
    let existing_nonce = cookie(headers, CSRF_COOKIE)
        .filter(|c| c.len() == 32 && c.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string);
    let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
    let secure = st.web.is_secure(peer, headers);
    let client_ip = st.web.client_ip(peer, headers);
    // A token-authenticated call has no forms: no nonce, no cookie, no CSRF token to sign.
    let nonce = if bearer.is_some() {
        None
    } else {
        let Some(n) = existing_nonce.clone().or_else(new_csrf) else {
            tracing::error!("the operating system gave no randomness for a CSRF nonce");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        };
        Some(n)
    };
    let csrf = nonce
        .as_deref()
        .map(|n| crate::security::csrf_token(&st.csrf_key, session_token.as_deref(), n))
        .unwrap_or_default();
    // Browser requests that change state must prove they come from our own pages. An API
    // call without any credentials has nothing to forge: it is answered 401 further on.
    let is_api = parts.uri.path().starts_with("/api/");
    if is_unsafe(&parts.method) && bearer.is_none() && (session_token.is_some() || !is_api) {
        let supplied = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string).or_else(|| {
            // A page's multipart upload carries it in its action's query; never an API call.
            if is_api { None } else { query_param(&parts.uri, "_csrf") }
        });
        let supplied = match supplied {
            Some(s) => Some(s),
            None if headers
                .get(header::CONTENT_TYPE)
                .is_some_and(|v| v.as_bytes().starts_with(b"application/x-www-form-urlencoded")) =>
            {
                let bytes = match to_bytes(body, 1024 * 1024).await {
                    Ok(b) => b,
                    Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response(),
                };
                let field = form_urlencoded_field(&bytes, "_csrf");
                body = Body::from(bytes);
                field
            }
            None => None,
        };
        let token_ok = existing_nonce.is_some() || session_token.is_some();
        let ok = token_ok
            && supplied.as_deref().is_some_and(|s| crate::security::same_secret(s, &csrf))
            && crate::security::same_origin(&st.web, headers);
        if !ok {
            return if is_api {
                ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf",
                    "missing or wrong CSRF token: send X-CSRF-Token or use an API token",
                )
                .into_response()
            } else {
                (StatusCode::FORBIDDEN, axum::response::Html(lang.t("error-csrf"))).into_response()
            };
        }
    }
    let zone = st.app.zone();
    let is_get = parts.method == Method::GET;
    parts.extensions.insert(RequestContext { actor, lang, csrf, secure, session_token, client_ip, zone });
    let mut resp = next.run(Request::from_parts(parts, body)).await;
    // An extractor's refusal (a page URL whose id is not an id, a form that is not one) is
    // axum's plain English text naming the parser: a page answers in the reader's language.
    let plain = resp.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/plain"));
    if !is_api && plain && resp.status().is_client_error() {
        let e = if is_get && resp.status() == StatusCode::BAD_REQUEST {
            waymark_app::AppError::NotFound("page")
        } else {
            waymark_app::AppError::Invalid(Vec::new())
        };
        resp = crate::error::page_error(lang, e);
    }
    if let (None, Some(n)) = (&existing_nonce, &nonce) {
        resp.headers_mut().append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, n, 60 * 60 * 24 * 30, true, secure));
    }
    resp
}

fn form_urlencoded_field(bytes: &[u8], name: &str) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    text.split('&').filter_map(|p| p.split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
}

impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .ok_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

/// A signed-in actor for pages; anyone else is sent to the sign-in page.
pub struct PageUser(pub Actor, pub RequestContext);

impl<S: Send + Sync> FromRequestParts<S> for PageUser {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, s: &S) -> Result<Self, Self::Rejection> {
        let ctx = RequestContext::from_request_parts(parts, s).await?;
        match ctx.actor.clone() {
            Some(a) => Ok(PageUser(a, ctx)),
            None => {
                let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                let next: String = next
                    .bytes()
                    .map(|b| {
                        if b.is_ascii_alphanumeric() || b"/-_.".contains(&b) {
                            (b as char).to_string()
                        } else {
                            format!("%{b:02X}")
                        }
                    })
                    .collect();
                Err(Redirect::to(&format!("/login?next={next}")).into_response())
            }
        }
    }
}

/// A signed-in actor for the API; anyone else gets 401 with a JSON body.
pub struct ApiUser(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for ApiUser {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<RequestContext>().and_then(|c| c.actor.clone()).map(ApiUser).ok_or_else(|| {
            ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "sign in or send Authorization: Bearer <token>")
        })
    }
}
