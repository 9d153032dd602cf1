//! Inbound webhooks (F-7): how each sender signs its deliveries, which deliveries are
//! triggers, who took part, and who is asked for feedback on whom. No IO here: the service
//! reads the headers and the body and hands them over.
//!
//! Signatures, each as its sender makes it:
//! - GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`; the delivery id
//!   `X-GitHub-Delivery` is the event id. GitHub signs no time, so a replay is caught by the
//!   event id alone.
//! - Jira: `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, body)>` (WebSub style); the event
//!   id is `X-Atlassian-Webhook-Identifier`.
//! - GitLab: GitLab sends the secret itself in `X-Gitlab-Token` (compared in constant time);
//!   the event id is `Idempotency-Key`, or `X-Gitlab-Event-UUID` on older servers.
//! - Generic and learning events (our own scheme, for anything else):
//!   `X-Waymark-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`, and
//!   the time must be within [`REPLAY_WINDOW_SECS`] of ours; the event id is the body's `id`.

mod records;

pub use records::{Event, EventState, EventSummary, ExternalIdentity, Integration, Todo, TodoState};

use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;

/// How far a generic event's signed time may be from ours.
pub const REPLAY_WINDOW_SECS: i64 = 300;
/// The most people one event may name: beyond this it is not a team's milestone.
pub const MAX_PARTICIPANTS: usize = 20;
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
pub const MAX_TITLE_CHARS: usize = 200;

/// The kinds of integration, each with its own signature and payloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Github,
    Gitlab,
    Jira,
    Generic,
    Learning,
}

impl Source {
    pub const ALL: [Source; 5] = [Source::Github, Source::Gitlab, Source::Jira, Source::Generic, Source::Learning];
    pub fn code(self) -> &'static str {
        match self {
            Source::Github => "github",
            Source::Gitlab => "gitlab",
            Source::Jira => "jira",
            Source::Generic => "generic",
            Source::Learning => "learning",
        }
    }
    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// Why a delivery is refused before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No signature, or one that does not match: 401.
    BadSignature,
    /// A signed time outside the replay window: 401.
    Stale,
    /// No event id where the sender always sends one: 400.
    NoEventId,
    /// Not JSON, or a trigger without the fields it needs: 400.
    Malformed(&'static str),
}

/// A header's value, by name in any case.
fn header<'a>(headers: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| *v)
}

fn mac(secret: &str) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key")
}

/// `sha256=<hex>` over the body, checked in constant time.
fn check_hub(secret: &str, body: &[u8], header: Option<&str>) -> Result<(), Refusal> {
    let hex_sig = header.and_then(|h| h.trim().strip_prefix("sha256=")).ok_or(Refusal::BadSignature)?;
    let sig = hex::decode(hex_sig).map_err(|_| Refusal::BadSignature)?;
    let mut m = mac(secret);
    m.update(body);
    m.verify_slice(&sig).map_err(|_| Refusal::BadSignature)
}

/// Our own scheme, for generic and learning events: `t=<unix>,v1=<hex>`.
pub fn sign_generic(secret: &str, t: i64, body: &[u8]) -> String {
    let mut m = mac(secret);
    m.update(format!("{t}.").as_bytes());
    m.update(body);
    format!("t={t},v1={}", hex::encode(m.finalize().into_bytes()))
}

fn check_generic(secret: &str, body: &[u8], header: Option<&str>, now: i64) -> Result<(), Refusal> {
    let header = header.ok_or(Refusal::BadSignature)?;
    let (mut t, mut v1) = (None, None);
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => v1 = hex::decode(v).ok(),
            _ => {}
        }
    }
    let (t, sig) = (t.ok_or(Refusal::BadSignature)?, v1.ok_or(Refusal::BadSignature)?);
    let mut m = mac(secret);
    m.update(format!("{t}.").as_bytes());
    m.update(body);
    m.verify_slice(&sig).map_err(|_| Refusal::BadSignature)?;
    // Checked after the signature, so an unsigned time tells an attacker nothing.
    if (now - t).abs() > REPLAY_WINDOW_SECS {
        return Err(Refusal::Stale);
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks a delivery's signature as its sender makes it; `now` in unix seconds.
pub fn verify(source: Source, secret: &str, headers: &[(&str, &str)], body: &[u8], now: i64) -> Result<(), Refusal> {
    match source {
        Source::Github => check_hub(secret, body, header(headers, "x-hub-signature-256")),
        Source::Jira => check_hub(secret, body, header(headers, "x-hub-signature")),
        Source::Gitlab => match header(headers, "x-gitlab-token") {
            Some(t) if constant_time_eq(t.as_bytes(), secret.as_bytes()) => Ok(()),
            _ => Err(Refusal::BadSignature),
        },
        Source::Generic | Source::Learning => check_generic(secret, body, header(headers, "x-waymark-signature"), now),
    }
}

/// Someone named by an event: by e-mail, or by their id in the sending system (a GitHub
/// login, a GitLab username, the id a learning platform uses).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ident {
    Email(String),
    External(String),
}

impl Ident {
    pub fn label(&self) -> &str {
        match self {
            Ident::Email(s) | Ident::External(s) => s,
        }
    }
}

/// What an event asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ask {
    /// A project milestone done (GitHub/GitLab milestone closed, a merged or closed pull
    /// request, an issue closed, a Jira version released, a generic milestone): the people who
    /// took part give each other short feedback.
    Project,
    /// A cross-team collaboration ended: both sides rate it, each about the others.
    Collaboration,
    /// A course completed or a certification earned: the person's manager comments.
    Learning,
}

impl Ask {
    pub fn code(self) -> &'static str {
        match self {
            Ask::Project => "project",
            Ask::Collaboration => "collaboration",
            Ask::Learning => "learning",
        }
    }

    pub fn parse(s: &str) -> Option<Ask> {
        [Ask::Project, Ask::Collaboration, Ask::Learning].into_iter().find(|a| a.code() == s)
    }
}

/// A delivery that is a trigger; stored as JSON for the job that turns it into to-dos.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Trigger {
    pub event_id: String,
    pub ask: Ask,
    pub title: String,
    pub url: Option<String>,
    /// The people it names, without duplicates, in the order first named.
    pub people: Vec<Ident>,
}

fn s<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(*k)).and_then(Value::as_str)
}

fn push(people: &mut Vec<Ident>, i: Option<Ident>) {
    if let Some(i) = i
        && !i.label().trim().is_empty()
        && !people.contains(&i)
    {
        people.push(i);
    }
}

fn login(v: &Value) -> Option<Ident> {
    v.get("login").and_then(Value::as_str).map(|l| Ident::External(l.to_lowercase()))
}

/// A GitLab user: by e-mail when the server includes it, else by username.
fn gitlab_user(v: &Value) -> Option<Ident> {
    match (v.get("email").and_then(Value::as_str), v.get("username").and_then(Value::as_str)) {
        (Some(e), _) if e.contains('@') && !e.eq_ignore_ascii_case("[redacted]") => {
            Some(Ident::Email(e.to_lowercase()))
        }
        (_, Some(u)) => Some(Ident::External(u.to_lowercase())),
        _ => None,
    }
}

fn person(v: &Value) -> Option<Ident> {
    match (v.get("email").and_then(Value::as_str), v.get("external_id").and_then(Value::as_str)) {
        (Some(e), _) => Some(Ident::Email(e.trim().to_lowercase())),
        (None, Some(x)) => Some(Ident::External(x.trim().to_lowercase())),
        _ => None,
    }
}

fn title(t: &str) -> String {
    t.trim().chars().take(MAX_TITLE_CHARS).collect()
}

/// Reads a verified delivery: `Ok(None)` when it is no trigger (another event, or an action
/// other than closing), so it is acknowledged and forgotten.
pub fn read(source: Source, headers: &[(&str, &str)], body: &[u8]) -> Result<Option<Trigger>, Refusal> {
    let v: Value = serde_json::from_slice(body).map_err(|_| Refusal::Malformed("body"))?;
    if !v.is_object() {
        return Err(Refusal::Malformed("body"));
    }
    let header_id = |names: &[&str]| -> Result<String, Refusal> {
        names
            .iter()
            .find_map(|n| header(headers, n).map(str::trim).filter(|s| !s.is_empty() && s.len() <= 200))
            .map(str::to_string)
            .ok_or(Refusal::NoEventId)
    };
    let mut people = Vec::new();
    let trigger = match source {
        Source::Github => {
            let event = header(headers, "x-github-event").unwrap_or("");
            let action = s(&v, &["action"]);
            let item = match (event, action) {
                ("milestone", Some("closed")) => v.get("milestone"),
                ("pull_request", Some("closed")) => v.get("pull_request"),
                _ => return Ok(None),
            };
            let item =
                item.ok_or(Refusal::Malformed(if event == "milestone" { "milestone" } else { "pull_request" }))?;
            push(&mut people, item.get("creator").and_then(login));
            push(&mut people, item.get("user").and_then(login));
            for list in ["assignees", "requested_reviewers"] {
                for p in item.get(list).and_then(Value::as_array).into_iter().flatten() {
                    push(&mut people, login(p));
                }
            }
            push(&mut people, item.get("merged_by").and_then(login));
            push(&mut people, v.get("sender").and_then(login));
            Trigger {
                event_id: header_id(&["x-github-delivery"])?,
                ask: Ask::Project,
                title: title(item.get("title").and_then(Value::as_str).ok_or(Refusal::Malformed("title"))?),
                url: item.get("html_url").and_then(Value::as_str).map(str::to_string),
                people,
            }
        }
        Source::Gitlab => {
            let kind = s(&v, &["object_kind"]).unwrap_or("");
            let attrs = v.get("object_attributes").ok_or(Refusal::Malformed("object_attributes"))?;
            let closing = match kind {
                "milestone" => s(&v, &["action"]) == Some("close"),
                "issue" => s(attrs, &["action"]) == Some("close"),
                _ => false,
            };
            if !closing {
                return Ok(None);
            }
            push(&mut people, v.get("user").and_then(gitlab_user));
            for p in v.get("assignees").and_then(Value::as_array).into_iter().flatten() {
                push(&mut people, gitlab_user(p));
            }
            Trigger {
                event_id: header_id(&["idempotency-key", "x-gitlab-event-uuid"])?,
                ask: Ask::Project,
                title: title(s(attrs, &["title"]).ok_or(Refusal::Malformed("object_attributes.title"))?),
                url: s(attrs, &["url"]).or_else(|| s(attrs, &["web_url"])).map(str::to_string),
                people,
            }
        }
        Source::Jira => {
            if s(&v, &["webhookEvent"]) != Some("jira:version_released") {
                return Ok(None);
            }
            let version = v.get("version").ok_or(Refusal::Malformed("version"))?;
            push(
                &mut people,
                v.get("user")
                    .and_then(|u| u.get("emailAddress"))
                    .and_then(Value::as_str)
                    .map(|e| Ident::Email(e.to_lowercase())),
            );
            Trigger {
                event_id: header_id(&["x-atlassian-webhook-identifier"])?,
                ask: Ask::Project,
                title: title(s(version, &["name"]).ok_or(Refusal::Malformed("version.name"))?),
                url: s(version, &["self"]).map(str::to_string),
                people,
            }
        }
        Source::Generic | Source::Learning => {
            let id =
                s(&v, &["id"]).map(str::trim).filter(|s| !s.is_empty() && s.len() <= 200).ok_or(Refusal::NoEventId)?;
            let ask = match (source, s(&v, &["type"])) {
                (Source::Generic, Some("milestone.completed")) => Ask::Project,
                (Source::Generic, Some("collaboration.ended")) => Ask::Collaboration,
                (Source::Learning, Some("course.completed" | "certification.earned")) => Ask::Learning,
                _ => return Ok(None),
            };
            if ask == Ask::Learning {
                push(&mut people, v.get("person").and_then(person));
                if people.is_empty() {
                    return Err(Refusal::Malformed("person"));
                }
            } else {
                let list = v.get("participants").and_then(Value::as_array).ok_or(Refusal::Malformed("participants"))?;
                for p in list {
                    push(&mut people, person(p));
                }
            }
            Trigger {
                event_id: id.to_string(),
                ask,
                title: title(s(&v, &["title"]).ok_or(Refusal::Malformed("title"))?),
                url: s(&v, &["url"])
                    .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                    .map(str::to_string),
                people,
            }
        }
    };
    if trigger.title.is_empty() {
        return Err(Refusal::Malformed("title"));
    }
    if trigger.people.len() > MAX_PARTICIPANTS {
        return Err(Refusal::Malformed("participants"));
    }
    Ok(Some(trigger))
}

/// Who is asked to write about whom, from the people found: each about each other, or, when
/// only one person took part (or for learning), that person's manager about them.
/// `manager_of` gives a person's manager, if any.
pub fn asks<T: Copy + PartialEq>(ask: Ask, people: &[T], manager_of: impl Fn(T) -> Option<T>) -> Vec<(T, T)> {
    let mut out = Vec::new();
    if ask == Ask::Learning || people.len() == 1 {
        for p in people {
            if let Some(m) = manager_of(*p)
                && m != *p
                && !out.contains(&(m, *p))
            {
                out.push((m, *p));
            }
        }
        return out;
    }
    for giver in people {
        for about in people {
            if giver != about {
                out.push((*giver, *about));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "It's a Secret to Everybody";

    #[test]
    fn f7_github_signature_matches_githubs_documented_example() {
        // GitHub's documentation ("Validating webhook deliveries"): secret "It's a Secret to
        // Everybody" and payload "Hello, World!" give this signature.
        let sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        let body = b"Hello, World!";
        assert_eq!(verify(Source::Github, SECRET, &[("X-Hub-Signature-256", sig)], body, 0), Ok(()));
        assert_eq!(
            verify(Source::Github, SECRET, &[("X-Hub-Signature-256", sig)], b"Hello, World?", 0),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            verify(Source::Github, "other", &[("X-Hub-Signature-256", sig)], body, 0),
            Err(Refusal::BadSignature)
        );
        assert_eq!(verify(Source::Github, SECRET, &[], body, 0), Err(Refusal::BadSignature));
        assert_eq!(
            verify(Source::Github, SECRET, &[("X-Hub-Signature-256", "sha256=zz")], body, 0),
            Err(Refusal::BadSignature)
        );
        // Jira signs the same way under another header.
        assert_eq!(verify(Source::Jira, SECRET, &[("X-Hub-Signature", sig)], body, 0), Ok(()));
    }

    #[test]
    fn f7_generic_signature_with_its_replay_window() {
        let body = br#"{"id":"e1"}"#;
        let now = 1_764_460_800; // 2025-11-30 00:00:00 UTC
        let h = sign_generic("s3cret", now - 300, body);
        assert_eq!(verify(Source::Generic, "s3cret", &[("x-waymark-signature", &h)], body, now), Ok(()));
        let old = sign_generic("s3cret", now - 301, body);
        assert_eq!(verify(Source::Generic, "s3cret", &[("x-waymark-signature", &old)], body, now), Err(Refusal::Stale));
        // A time changed after signing breaks the signature rather than passing as fresh.
        let moved = old.replace(&format!("t={}", now - 301), &format!("t={now}"));
        assert_eq!(
            verify(Source::Generic, "s3cret", &[("x-waymark-signature", &moved)], body, now),
            Err(Refusal::BadSignature)
        );
        assert_eq!(
            verify(Source::Learning, "s3cret", &[("x-waymark-signature", "t=1")], body, now),
            Err(Refusal::BadSignature)
        );
    }

    #[test]
    fn f7_gitlab_token_compared_whole() {
        assert_eq!(verify(Source::Gitlab, "tok", &[("X-Gitlab-Token", "tok")], b"{}", 0), Ok(()));
        assert_eq!(verify(Source::Gitlab, "tok", &[("X-Gitlab-Token", "to")], b"{}", 0), Err(Refusal::BadSignature));
        assert_eq!(verify(Source::Gitlab, "tok", &[], b"{}", 0), Err(Refusal::BadSignature));
    }

    #[test]
    fn f7_github_pull_request_closed_names_author_reviewers_and_sender() {
        let body = br#"{"action":"closed","pull_request":{"title":"Update the README","html_url":"https://github.com/o/r/pull/2",
            "user":{"login":"Codertocat"},"assignees":[{"login":"Codertocat"}],"requested_reviewers":[{"login":"octocat"}],
            "merged_by":null},"sender":{"login":"Codertocat"}}"#;
        let h = [("X-GitHub-Event", "pull_request"), ("X-GitHub-Delivery", "d-1")];
        let t = read(Source::Github, &h, body).unwrap().unwrap();
        assert_eq!(t.event_id, "d-1");
        assert_eq!(t.people, vec![Ident::External("codertocat".into()), Ident::External("octocat".into())]);
        assert_eq!(t.url.as_deref(), Some("https://github.com/o/r/pull/2"));
        // Opened, or another event: no trigger.
        let opened = br#"{"action":"opened","pull_request":{"title":"x"}}"#;
        assert_eq!(read(Source::Github, &h, opened), Ok(None));
        let push_event = [("X-GitHub-Event", "push"), ("X-GitHub-Delivery", "d-2")];
        assert_eq!(read(Source::Github, &push_event, body), Ok(None));
        // A trigger with no delivery id, or not JSON: refused.
        assert_eq!(read(Source::Github, &h[..1], body), Err(Refusal::NoEventId));
        assert_eq!(read(Source::Github, &h, b"not json"), Err(Refusal::Malformed("body")));
    }

    #[test]
    fn f7_gitlab_issue_closed_by_email_or_username() {
        let body = br#"{"object_kind":"issue","user":{"username":"root","email":"Admin@Example.com"},
            "object_attributes":{"title":"New API","url":"http://gitlab/issues/23","action":"close"},
            "assignees":[{"username":"user1","email":"[REDACTED]"}]}"#;
        let t = read(Source::Gitlab, &[("Idempotency-Key", "k1")], body).unwrap().unwrap();
        assert_eq!(t.people, vec![Ident::Email("admin@example.com".into()), Ident::External("user1".into())]);
        let milestone = br#"{"object_kind":"milestone","action":"close","object_attributes":{"title":"v1.0"}}"#;
        let t = read(Source::Gitlab, &[("X-Gitlab-Event-UUID", "u1")], milestone).unwrap().unwrap();
        assert!(t.people.is_empty(), "a milestone names no one: the integration's team is asked");
        let reopened = br#"{"object_kind":"milestone","action":"reopen","object_attributes":{"title":"v1.0"}}"#;
        assert_eq!(read(Source::Gitlab, &[("X-Gitlab-Event-UUID", "u2")], reopened), Ok(None));
    }

    #[test]
    fn f7_jira_version_released_and_generic_events() {
        let jira = br#"{"timestamp":1590000000000,"webhookEvent":"jira:version_released","version":{"self":"https://x.atlassian.net/rest/api/2/version/10000","id":"10000","name":"2.1","released":true}}"#;
        let t = read(Source::Jira, &[("X-Atlassian-Webhook-Identifier", "j-1")], jira).unwrap().unwrap();
        assert_eq!((t.title.as_str(), t.people.len()), ("2.1", 0));
        let g = br#"{"id":"g-1","type":"collaboration.ended","title":"Joint launch","participants":[{"email":"A@x.cn"},{"external_id":"E7"},{"email":"a@x.cn"}]}"#;
        let t = read(Source::Generic, &[], g).unwrap().unwrap();
        assert_eq!(t.ask, Ask::Collaboration);
        assert_eq!(t.people, vec![Ident::Email("a@x.cn".into()), Ident::External("e7".into())]);
        let l = br#"{"id":"l-1","type":"certification.earned","title":"PMP","person":{"email":"b@x.cn"}}"#;
        assert_eq!(read(Source::Learning, &[], l).unwrap().unwrap().ask, Ask::Learning);
        let no_person = br#"{"id":"l-2","type":"course.completed","title":"Go"}"#;
        assert_eq!(read(Source::Learning, &[], no_person), Err(Refusal::Malformed("person")));
        let no_id = br#"{"type":"milestone.completed","title":"x","participants":[]}"#;
        assert_eq!(read(Source::Generic, &[], no_id), Err(Refusal::NoEventId));
        let crowd: Vec<String> = (0..21).map(|i| format!(r#"{{"email":"p{i}@x.cn"}}"#)).collect();
        let big =
            format!(r#"{{"id":"g-2","type":"milestone.completed","title":"x","participants":[{}]}}"#, crowd.join(","));
        assert_eq!(read(Source::Generic, &[], big.as_bytes()), Err(Refusal::Malformed("participants")));
    }

    #[test]
    fn f7_who_asks_whom() {
        let manager = |p: u8| if p == 9 { None } else { Some(10 + p) };
        // Three people: each about each other, 3 × 2 = 6.
        assert_eq!(asks(Ask::Project, &[1u8, 2, 3], manager), vec![(1, 2), (1, 3), (2, 1), (2, 3), (3, 1), (3, 2)]);
        // One person: their manager about them; nobody when they have no manager.
        assert_eq!(asks(Ask::Project, &[1u8], manager), vec![(11, 1)]);
        assert_eq!(asks(Ask::Project, &[9u8], manager), vec![]);
        // Learning: the manager, however many.
        assert_eq!(asks(Ask::Learning, &[1u8], manager), vec![(11, 1)]);
    }
}
