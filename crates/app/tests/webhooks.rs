//! Inbound webhooks (F-7) over real databases: GitHub's own example payloads (npm
//! `@octokit/webhooks-examples`, installed by the browser tests' `npm ci`) signed as GitHub
//! signs them; GitLab, Jira, generic and learning events; participants matched by e-mail or a
//! mapped id, the unmatched reported; bad signatures, stale times, replays and malformed
//! bodies refused with nothing written; to-dos settled by giving the feedback.

mod common;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use uuid::Uuid;
use waymark_app::feedback::FeedbackInput;
use waymark_app::jobs::Worker;
use waymark_app::policy::Actor;
use waymark_app::webhooks::{IdentityInput, Ingested, IntegrationInput, IntegrationView};
use waymark_app::{App, AppError};
use waymark_domain::webhooks::sign_generic;
use waymark_store::entities::{job, webhook_event};
use waymark_store::sea_orm::{EntityTrait, PaginatorTrait};
use waymark_store::{Db, dual_test};

use common::{Demo, fields, monday_demo};

/// GitHub's example payloads, if the npm package is installed.
fn github_examples() -> Option<serde_json::Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/e2e/node_modules/@octokit/webhooks-examples/api.github.com/index.json");
    match std::fs::read(&path) {
        Ok(b) => Some(serde_json::from_slice(&b).unwrap()),
        Err(_) => {
            assert!(
                std::env::var("WAYMARK_REQUIRE_PEERS").as_deref() != Ok("1"),
                "npm @octokit/webhooks-examples is required (cd tests/e2e && npm ci)"
            );
            eprintln!("SKIPPED: GitHub's example payloads are not installed (cd tests/e2e && npm ci)");
            None
        }
    }
}

/// One example of `event` with `action`: GitHub's own, as it sends it.
fn example(all: &serde_json::Value, event: &str, action: &str) -> Vec<u8> {
    let e = all.as_array().unwrap().iter().find(|e| e["name"] == event).unwrap();
    let x = e["examples"].as_array().unwrap().iter().find(|x| x["action"] == action).unwrap();
    serde_json::to_vec(x).unwrap()
}

/// `sha256=` and the hex HMAC-SHA256 of the body, as GitHub signs.
fn github_signature(secret: &str, body: &[u8]) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    m.update(body);
    format!("sha256={}", hex::encode(m.finalize().into_bytes()))
}

async fn counts(app: &App) -> (u64, u64) {
    let jobs = job::Entity::find().count(&app.db.conn).await.unwrap();
    let events = webhook_event::Entity::find().count(&app.db.conn).await.unwrap();
    (jobs, events)
}

async fn todos_about(app: &App, who: &Actor) -> Vec<(Uuid, String)> {
    app.webhooks().todos(who).await.unwrap().into_iter().map(|t| (t.about.id, t.ask)).collect()
}

async fn integration(app: &App, admin: &Actor, kind: &str, team: Vec<Uuid>) -> IntegrationView {
    let input = IntegrationInput { kind: kind.into(), name: format!("{kind} 集成"), team };
    app.webhooks().create(admin, input).await.unwrap()
}

dual_test!(f7_webhooks_turn_events_into_feedback_todos, |db: Db| async move {
    // Monday 30 November 2026, 09:00 in Shanghai.
    let Demo { app, clock, manager, employee, hr, admin, .. } = monday_demo(db).await;
    let now = clock.0.lock().unwrap().to_owned();
    let (me, boss) = (employee.employee_id.unwrap(), manager.employee_id.unwrap());
    let w = app.webhooks();
    let worker = Worker::new(app.clone());

    // Only the administrator keeps integrations.
    let denied = w.create(&hr, IntegrationInput { kind: "github".into(), name: "x".into(), team: vec![] }).await;
    assert!(matches!(denied, Err(AppError::Forbidden)));
    let gh = integration(&app, &admin, "github", vec![]).await;
    let secret = gh.secret.clone().expect("shown once at creation");
    assert_eq!(gh.endpoint, format!("/api/v1/hooks/{}", gh.id));
    assert!(w.get(&admin, gh.id).await.unwrap().secret.is_none(), "never shown again");
    // GitHub's example users: Codertocat is the employee, octocat their manager.
    for (login_name, who) in [("Codertocat", me), ("octocat", boss)] {
        let m = IdentityInput { system: "github".into(), external_id: login_name.into(), employee_id: who };
        w.put_identity(&admin, m).await.unwrap();
    }

    if let Some(all) = github_examples() {
        // A pull request closed: its author and reviewer are asked about each other.
        let body = example(&all, "pull_request", "closed");
        let sig = github_signature(&secret, &body);
        let h = [
            ("X-GitHub-Event", "pull_request"),
            ("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"),
            ("X-Hub-Signature-256", sig.as_str()),
        ];
        assert_eq!(w.ingest(gh.id, &h, &body).await.unwrap(), Ingested::Queued);
        while worker.run_once().await.unwrap() > 0 {}
        assert_eq!(todos_about(&app, &employee).await, vec![(boss, "project".to_string())]);
        assert_eq!(todos_about(&app, &manager).await, vec![(me, "project".to_string())]);
        assert!(app.inbox().list(&employee).await.unwrap().items.iter().any(|n| n.kind == "feedback-todo"));

        // The same delivery again, or its signed body under a new delivery id: refused.
        let before = counts(&app).await;
        let again = w.ingest(gh.id, &h, &body).await.unwrap_err();
        assert_eq!(fields(again), vec![("event_id".into(), "duplicate_event".into())]);
        let new_id = [
            ("X-GitHub-Event", "pull_request"),
            ("X-GitHub-Delivery", "fresh-id"),
            ("X-Hub-Signature-256", sig.as_str()),
        ];
        let again = w.ingest(gh.id, &new_id, &body).await.unwrap_err();
        assert_eq!(fields(again), vec![("event_id".into(), "duplicate_event".into())]);
        // A body changed after signing, a signature under another secret, none at all: 401.
        let mut tampered = body.clone();
        tampered.extend_from_slice(b" ");
        let h2 =
            [("X-GitHub-Event", "pull_request"), ("X-GitHub-Delivery", "d-2"), ("X-Hub-Signature-256", sig.as_str())];
        assert!(matches!(w.ingest(gh.id, &h2, &tampered).await, Err(AppError::Unauthenticated)));
        let other = github_signature("not-the-secret", &body);
        let h3 =
            [("X-GitHub-Event", "pull_request"), ("X-GitHub-Delivery", "d-3"), ("X-Hub-Signature-256", other.as_str())];
        assert!(matches!(w.ingest(gh.id, &h3, &body).await, Err(AppError::Unauthenticated)));
        assert!(matches!(w.ingest(gh.id, &h2[..2], &body).await, Err(AppError::Unauthenticated)));
        assert_eq!(counts(&app).await, before, "no job, no event for a refused delivery");

        // A milestone created is no trigger; closed, it names only Codertocat: their manager is asked.
        let created = example(&all, "milestone", "created");
        let sig = github_signature(&secret, &created);
        let h = [("X-GitHub-Event", "milestone"), ("X-GitHub-Delivery", "m-1"), ("X-Hub-Signature-256", sig.as_str())];
        assert_eq!(w.ingest(gh.id, &h, &created).await.unwrap(), Ingested::Ignored);
        assert_eq!(counts(&app).await, before);
        let closed = example(&all, "milestone", "closed");
        let sig = github_signature(&secret, &closed);
        let h = [("X-GitHub-Event", "milestone"), ("X-GitHub-Delivery", "m-2"), ("X-Hub-Signature-256", sig.as_str())];
        assert_eq!(w.ingest(gh.id, &h, &closed).await.unwrap(), Ingested::Queued);
        while worker.run_once().await.unwrap() > 0 {}
        assert!(w.todos(&manager).await.unwrap().iter().any(|t| t.about.id == me && t.title == "v1.0"));

        // Giving the employee feedback settles the manager's to-dos about them.
        let give = FeedbackInput {
            recipient_id: me,
            kind: "recognition".into(),
            visibility: "recipient".into(),
            template: "free".into(),
            parts: vec!["v1.0 的发布说明写得很清楚，评审一次就过了。".into()],
            goal_id: None,
            request_id: None,
        };
        app.feedback().give(&manager, give).await.unwrap();
        assert!(todos_about(&app, &manager).await.is_empty());
        // The employee puts theirs aside instead; twice is refused; someone else's does not exist.
        let t = w.todos(&employee).await.unwrap()[0].id;
        assert!(matches!(w.dismiss(&manager, t).await, Err(AppError::NotFound(_))));
        w.dismiss(&employee, t).await.unwrap();
        assert_eq!(fields(w.dismiss(&employee, t).await.unwrap_err()), vec![("todo".into(), "not_open".into())]);
    }

    // Generic events, signed with a time: stale refused; participants by e-mail, one unknown.
    let generic = integration(&app, &admin, "generic", vec![]).await;
    let gs = generic.secret.clone().unwrap();
    let email = |id: Uuid| {
        let app = app.clone();
        async move { waymark_store::repo::org::employee(&app.db.conn, id).await.unwrap().unwrap().email.unwrap() }
    };
    let body = serde_json::json!({"id": "collab-7", "type": "collaboration.ended", "title": "支付 × 风控联合攻关",
        "url": "https://wiki.example.cn/p/7",
        "participants": [{"email": email(me).await.to_uppercase()}, {"email": email(boss).await}, {"email": "stranger@elsewhere.example"}]});
    let body = serde_json::to_vec(&body).unwrap();
    let stale = sign_generic(&gs, now.timestamp() - 301, &body);
    let before = counts(&app).await;
    assert_eq!(
        fields(w.ingest(generic.id, &[("X-Waymark-Signature", stale.as_str())], &body).await.unwrap_err()),
        vec![("signature".into(), "stale".into())]
    );
    assert_eq!(counts(&app).await, before);
    let fresh = sign_generic(&gs, now.timestamp() - 10, &body);
    assert_eq!(
        w.ingest(generic.id, &[("X-Waymark-Signature", fresh.as_str())], &body).await.unwrap(),
        Ingested::Queued
    );
    while worker.run_once().await.unwrap() > 0 {}
    assert!(todos_about(&app, &employee).await.contains(&(boss, "collaboration".to_string())));
    let seen = w.get(&admin, generic.id).await.unwrap();
    assert_eq!(
        (seen.recent[0].todos, seen.recent[0].unknown.clone()),
        (2, vec!["stranger@elsewhere.example".to_string()])
    );
    // Malformed: not JSON, or a trigger without its participants — 422 naming what, nothing written.
    for (bad, field) in
        [(&b"{not json"[..], "body"), (br#"{"id":"x","type":"milestone.completed","title":"t"}"#, "participants")]
    {
        let sig = sign_generic(&gs, now.timestamp(), bad);
        let e = w.ingest(generic.id, &[("X-Waymark-Signature", sig.as_str())], bad).await.unwrap_err();
        assert_eq!(fields(e), vec![(field.into(), "malformed".into())]);
    }

    // A learning platform: a certification earned asks the person's manager.
    let learning = integration(&app, &admin, "learning", vec![]).await;
    let body = serde_json::to_vec(&serde_json::json!({"id": "cert-1", "type": "certification.earned",
        "title": "PMP 认证", "person": {"email": email(me).await}}))
    .unwrap();
    let sig = sign_generic(learning.secret.as_deref().unwrap(), now.timestamp(), &body);
    w.ingest(learning.id, &[("X-Waymark-Signature", sig.as_str())], &body).await.unwrap();
    while worker.run_once().await.unwrap() > 0 {}
    assert!(todos_about(&app, &manager).await.contains(&(me, "learning".to_string())));

    // GitLab sends its secret token; a milestone names no one, so the integration's team is asked.
    let gitlab = integration(&app, &admin, "gitlab", vec![me, boss]).await;
    let body = br#"{"object_kind":"milestone","action":"close","object_attributes":{"title":"v2.0","web_url":"https://gitlab.example.cn/m/2"}}"#;
    let token = gitlab.secret.clone().unwrap();
    assert!(matches!(
        w.ingest(gitlab.id, &[("X-Gitlab-Token", "wrong"), ("Idempotency-Key", "g-1")], body).await,
        Err(AppError::Unauthenticated)
    ));
    w.ingest(gitlab.id, &[("X-Gitlab-Token", token.as_str()), ("Idempotency-Key", "g-1")], body).await.unwrap();
    // Jira: a version released names no one and this integration has no team: reported.
    let jira = integration(&app, &admin, "jira", vec![]).await;
    let body = br#"{"timestamp":1764464400000,"webhookEvent":"jira:version_released","version":{"id":"10001","name":"3.0","released":true}}"#;
    let sig = github_signature(jira.secret.as_deref().unwrap(), body);
    w.ingest(jira.id, &[("X-Hub-Signature", sig.as_str()), ("X-Atlassian-Webhook-Identifier", "j-1")], body)
        .await
        .unwrap();
    while worker.run_once().await.unwrap() > 0 {}
    assert!(w.todos(&employee).await.unwrap().iter().any(|t| t.title == "v2.0" && t.about.id == boss));
    let j = w.get(&admin, jira.id).await.unwrap();
    assert_eq!((j.recent[0].todos, j.recent[0].unknown.clone()), (0, vec!["(no one named)".to_string()]));

    // Turned off, an integration answers as if it did not exist; a new secret replaces the old.
    let update = waymark_app::webhooks::IntegrationUpdate { team: None, active: Some(false) };
    w.update(&admin, jira.id, update).await.unwrap();
    let h = [("X-Hub-Signature", sig.as_str()), ("X-Atlassian-Webhook-Identifier", "j-2")];
    assert!(matches!(w.ingest(jira.id, &h, body).await, Err(AppError::NotFound(_))));
    let renewed = w.renew_secret(&admin, learning.id).await.unwrap();
    assert_ne!(renewed.secret, learning.secret);
    let body = serde_json::to_vec(&serde_json::json!({"id": "cert-2", "type": "course.completed", "title": "Rust", "person": {"email": email(me).await}})).unwrap();
    let old = sign_generic(learning.secret.as_deref().unwrap(), now.timestamp(), &body);
    assert!(matches!(
        w.ingest(learning.id, &[("X-Waymark-Signature", old.as_str())], &body).await,
        Err(AppError::Unauthenticated)
    ));

    // Audited without the secret.
    let filter = waymark_store::repo::audit::AuditFilter {
        entity_type: Some("integration".into()),
        limit: 50,
        ..Default::default()
    };
    let hr_all = Actor { hr: Some(waymark_app::policy::Scope::Organization), ..hr.clone() };
    let log = app.audit().list(&hr_all, filter).await.unwrap();
    assert!(log.len() >= 6);
    for a in &log {
        let text = format!("{:?}{:?}", a.before, a.after);
        for s in [&secret, &gs, &token] {
            assert!(!text.contains(s.as_str()), "a secret in the audit log");
        }
    }
});
