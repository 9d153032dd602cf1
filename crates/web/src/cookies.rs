//! Waymark's cookies: their names, reading one from a request and the attributes every one is
//! set with. Apart from the request context, so that the security layer reads the session
//! cookie without depending on the context that depends on it.

use axum::http::{HeaderMap, HeaderValue, header};

pub const SESSION_COOKIE: &str = "wm_session";
pub const CSRF_COOKIE: &str = "wm_csrf";
pub const LANG_COOKIE: &str = "wm_lang";
/// A browser's proof that it signed in to an account before: a guarded account still signs
/// in from it at once (issue 21, item 3).
pub const DEVICE_COOKIE: &str = "wm_device";

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with the attributes every Waymark cookie gets.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, http_only: bool, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; SameSite=Lax; Max-Age={max_age_secs}");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}
