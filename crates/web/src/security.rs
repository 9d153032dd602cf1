//! What every response and every state-changing request owes the user (issue 21, items 3, 7,
//! 8): security headers on every response, `no-store` on anything answered to a signed-in
//! user, CSRF tokens bound to the session with a server key, Origin checks, and the client's
//! address read from forwarding headers only when a configured proxy sent them.

use std::net::IpAddr;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use waymark_domain::secrets::keyed_hex;

use crate::AppState;

/// The web edge's own settings.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (the public URL is https, or configured so).
    pub secure_cookies: bool,
    /// Reverse proxies whose forwarding headers are believed: (network, prefix length).
    pub trusted_proxies: Vec<(IpAddr, u8)>,
    /// The bearer token `/metrics` asks for on the main address; none: not served there.
    pub metrics_token: Option<String>,
    /// Origins besides the request's own host that forms may come from (the public URL's).
    pub origins: Vec<String>,
    /// Reads worked on at once (`reads_at_once`); none: four per core.
    pub reads_at_once: Option<usize>,
}

impl WebConfig {
    /// Parses `10.0.0.0/8`, `127.0.0.1` or `::1` entries; names the first bad one.
    pub fn parse_proxies(list: &[String]) -> Result<Vec<(IpAddr, u8)>, String> {
        list.iter()
            .map(|s| {
                let (ip, bits) = match s.trim().split_once('/') {
                    Some((ip, bits)) => (ip, Some(bits)),
                    None => (s.trim(), None),
                };
                let ip: IpAddr =
                    ip.parse().map_err(|_| format!("trusted_proxies: {s:?} is not an address or range"))?;
                let max = if ip.is_ipv4() { 32 } else { 128 };
                let bits = match bits {
                    Some(b) => b.parse::<u8>().ok().filter(|b| *b <= max),
                    None => Some(max),
                }
                .ok_or_else(|| format!("trusted_proxies: {s:?} has a bad prefix length"))?;
                Ok((ip, bits))
            })
            .collect()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|(net, bits)| in_network(ip, *net, *bits))
    }

    /// The client's address: the peer, unless the peer is a trusted proxy, in which case the
    /// nearest X-Forwarded-For hop that is not itself a trusted proxy.
    pub fn client_ip(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> String {
        let Some(peer) = peer else { return "unknown".into() };
        if !self.trusts(peer) {
            return peer.to_string();
        }
        let hops: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|h| h.trim().parse().ok())
            .collect();
        hops.into_iter().rev().find(|ip| !self.trusts(*ip)).unwrap_or(peer).to_string()
    }

    /// Whether the request arrived over https: the configuration, or a trusted proxy says so.
    pub fn is_secure(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> bool {
        self.secure_cookies
            || (peer.is_some_and(|p| self.trusts(p))
                && headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes() == b"https"))
    }
}

fn in_network(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - u32::from(bits)) };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if bits == 0 { 0 } else { u128::MAX << (128 - u32::from(bits)) };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// The CSRF token of a browser: bound to its session when it has one (an attacker who plants
/// a cookie cannot know the victim's session token), before sign-in to its `wm_csrf` nonce;
/// either way signed with the server's CSRF key, so no token can be made up.
pub fn csrf_token(key: &[u8; 32], session: Option<&str>, nonce: &str) -> String {
    match session {
        Some(s) => keyed_hex(key, &[b"session\0", s.as_bytes()]),
        None => keyed_hex(key, &[b"nonce\0", nonce.as_bytes()]),
    }
}

pub use waymark_domain::secrets::same_secret;

/// A state-changing browser request must come from one of our own pages: its Origin (or,
/// without one, its Referer) must be this host or a configured origin. Requests that carry
/// neither (not a browser) are left to the CSRF token.
pub fn same_origin(cfg: &WebConfig, headers: &HeaderMap) -> bool {
    let source = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| headers.get(header::REFERER).and_then(|v| v.to_str().ok()).map(origin_of));
    let Some(source) = source else { return true };
    if source == "null" {
        return false;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let authority = source.split_once("://").map(|(_, rest)| rest).unwrap_or("");
    (!host.is_empty() && authority.eq_ignore_ascii_case(host))
        || cfg.origins.iter().any(|o| o.eq_ignore_ascii_case(&source))
}

/// `https://host:port` of a URL.
pub fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
            format!("{scheme}://{authority}")
        }
        None => String::new(),
    }
}

/// No script but our own files (no inline script, no eval); styles may be inline (the
/// progress bars' widths, the charts' own); nothing may frame a page.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the security headers to every response, and `no-store` to what a signed-in user gets
/// (a shared computer's back button or cache must not show someone's ratings).
pub async fn headers(State(st): State<AppState>, req: Request, next: Next) -> Response {
    // This layer runs outside the request context: what the request carries says it.
    let signed_in = req.headers().contains_key(header::AUTHORIZATION)
        || crate::cookies::cookie(req.headers(), crate::cookies::SESSION_COOKIE).is_some();
    let secure = st.web.secure_cookies;
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if secure {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    if signed_in && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(proxies: &[&str]) -> WebConfig {
        let list: Vec<String> = proxies.iter().map(|s| s.to_string()).collect();
        WebConfig { trusted_proxies: WebConfig::parse_proxies(&list).unwrap(), ..WebConfig::default() }
    }

    fn xff(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let none = cfg(&[]);
        let peer = Some("203.0.113.9".parse().unwrap());
        // Anyone may send X-Forwarded-For; it means nothing unless a proxy we trust sent it.
        assert_eq!(none.client_ip(peer, &xff("1.2.3.4")), "203.0.113.9");
        let proxied = cfg(&["10.0.0.0/8", "::1"]);
        let proxy = Some("10.1.2.3".parse().unwrap());
        // The client put its own "1.2.3.4" first; the proxy appended what it saw.
        assert_eq!(proxied.client_ip(proxy, &xff("1.2.3.4, 198.51.100.7")), "198.51.100.7");
        // A chain of our own proxies is skipped.
        assert_eq!(proxied.client_ip(proxy, &xff("198.51.100.7, 10.9.9.9")), "198.51.100.7");
        assert_eq!(proxied.client_ip(peer, &xff("1.2.3.4")), "203.0.113.9");
        assert!(WebConfig::parse_proxies(&["10.0.0.0/33".into()]).is_err());
        assert!(WebConfig::parse_proxies(&["proxy".into()]).is_err());
    }

    #[test]
    fn csrf_tokens_are_bound_to_the_session_and_the_key() {
        let k = [3u8; 32];
        let a = csrf_token(&k, Some("session-a"), "n");
        assert_eq!(a, csrf_token(&k, Some("session-a"), "other nonce"));
        assert_ne!(a, csrf_token(&k, Some("session-b"), "n"));
        assert_ne!(a, csrf_token(&[4u8; 32], Some("session-a"), "n"));
        assert_ne!(csrf_token(&k, None, "n1"), csrf_token(&k, None, "n2"));
        assert!(same_secret(&a, &a.clone()) && !same_secret(&a, "x"));
    }

    #[test]
    fn origins_must_be_our_own() {
        let c = WebConfig { origins: vec!["https://pm.example.com".into()], ..WebConfig::default() };
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&c, &h), "no Origin, no Referer: left to the token");
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&c, &h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&c, &h));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&c, &h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://pm.example.com"));
        assert!(same_origin(&c, &h));
        h.remove(header::ORIGIN);
        h.insert(header::REFERER, HeaderValue::from_static("https://evil.example/x?y"));
        assert!(!same_origin(&c, &h));
        h.insert(header::REFERER, HeaderValue::from_static("http://127.0.0.1:8080/goals/1"));
        assert!(same_origin(&c, &h));
    }
}
