//! Optional AI drafting (issue 26, item 5) over real databases, against a peer on a local port
//! that speaks the OpenAI chat-completions protocol and can be made slow, refusing, broken or
//! gone. What is sent names no one, every call is audited before and after, each failure falls
//! back to the rules' draft, and an AI draft no one edited is never shared with the person.
//! (The browser test drives the same pages against mockllm, a third-party OpenAI mock.)

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use waymark_app::ai::{AiConfig, Fallback};
use waymark_app::clock::FixedClock;
use waymark_app::demo::DemoOptions;
use waymark_app::development_report::ReportInput;
use waymark_app::i18n::Lang;
use waymark_app::{App, AppConfig, AppError};
use waymark_domain::development_report::ReportText;
use waymark_store::repo::{audit, org as org_repo};
use waymark_store::{Db, dual_test};

use common::{fields, login, sign_up};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Mode {
    Answer,
    Slow,
    Refuse,
    Garbage,
}

/// The peer: answers each chat completion as `mode` says and keeps the requests it read.
#[derive(Clone)]
struct Peer {
    port: u16,
    mode: Arc<Mutex<Mode>>,
    seen: Arc<Mutex<Vec<(String, serde_json::Value)>>>,
}

const REPORT: &str = r#"{"strengths":"- 该员工执行稳定","areas":"- 协作沟通有起伏","actions":"- 参加一次跨团队项目","support":"- 每两周一次 1:1 回顾协作"}"#;

impl Peer {
    async fn start() -> Peer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let peer = Peer {
            port: listener.local_addr().unwrap().port(),
            mode: Arc::new(Mutex::new(Mode::Answer)),
            seen: Arc::new(Mutex::new(Vec::new())),
        };
        let p = peer.clone();
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let p = p.clone();
                tokio::spawn(async move {
                    let (head, body) = read_request(&mut sock).await;
                    let auth = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase().starts_with("authorization:").then(|| l[14..].trim().to_string())
                        })
                        .unwrap_or_default();
                    let json: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                    p.seen.lock().unwrap().push((auth, json.clone()));
                    let mode = *p.mode.lock().unwrap();
                    let (status, reply) = match mode {
                        Mode::Answer => ("200 OK", completion(&json)),
                        Mode::Slow => {
                            tokio::time::sleep(Duration::from_secs(3)).await;
                            ("200 OK", completion(&json))
                        }
                        Mode::Refuse => ("500 Internal Server Error", r#"{"error":{"message":"overloaded"}}"#.into()),
                        Mode::Garbage => {
                            ("200 OK", r#"{"choices":[{"message":{"content":"Sorry, I can't."}}]}"#.into())
                        }
                    };
                    let resp = format!(
                        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
                        reply.len()
                    );
                    let _ = sock.write_all(resp.as_bytes()).await;
                });
            }
        });
        peer
    }

    fn set(&self, m: Mode) {
        *self.mode.lock().unwrap() = m;
    }

    fn last(&self) -> (String, serde_json::Value) {
        self.seen.lock().unwrap().last().cloned().expect("the peer was called")
    }

    fn calls(&self) -> usize {
        self.seen.lock().unwrap().len()
    }
}

/// An OpenAI chat completion whose content is what the system message asks for.
fn completion(req: &serde_json::Value) -> String {
    let system = req.pointer("/messages/0/content").and_then(|c| c.as_str()).unwrap_or_default();
    let content = if system.contains("development report") {
        REPORT.to_string()
    } else {
        r#"{"parts":["上周三的站会上，[colleague]晚到了十分钟","[colleague]进来时我们已经讨论到第二个议题","我需要重复一遍前面的结论，会议延长了一刻钟"]}"#.to_string()
    };
    serde_json::json!({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": req["model"],
        "choices": [{ "index": 0, "message": { "role": "assistant", "content": content }, "finish_reason": "stop" }],
        "usage": { "prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2 }
    })
    .to_string()
}

async fn read_request(sock: &mut tokio::net::TcpStream) -> (String, Vec<u8>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = sock.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return (String::from_utf8_lossy(&buf).into(), vec![]);
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let len = head
                .lines()
                .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap()))
                .unwrap_or(0usize);
            while buf.len() < end + 4 + len {
                let n = sock.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return (head, buf[end + 4..].to_vec());
        }
    }
}

fn endpoint(port: u16) -> AiConfig {
    AiConfig::new(&format!("http://127.0.0.1:{port}/v1"), "test-model", Some("sk-test".into()), 1).unwrap()
}

async fn demo(db: Db, ai: Option<AiConfig>) -> App {
    let clock = Arc::new(FixedClock::at(Utc.with_ymd_and_hms(2026, 12, 6, 2, 0, 0).unwrap()));
    let app = App::new(db, clock, AppConfig { ai, ..AppConfig::default() });
    let opts = DemoOptions { employees: 120, seed: 42, last_quarter: true, ..Default::default() };
    app.create_demo(&opts).await.unwrap();
    // The goals step writes last quarter's reviews and releases them.
    app.create_demo_goals(&opts).await.unwrap().expect("the demo's goals");
    app
}

fn edited(t: &ReportText) -> ReportText {
    ReportText { support: format!("{}\n- 我会每月和 TA 一起看一次进展", t.support), ..t.clone() }
}

dual_test!(d2_ai_drafts_a_report_naming_no_one_audited_and_never_shared_unedited, |db: Db| async move {
    let peer = Peer::start().await;
    let mut app = demo(db, Some(endpoint(peer.port))).await;
    let manager = login(&app, "manager").await;
    let c = &app.db.conn;
    // One of the manager's people with a result released last quarter, given an account.
    let mut person = None;
    for e in org_repo::all_employees(c).await.unwrap() {
        if e.manager_id == manager.employee_id
            && app.development_reports().report(&manager, Lang::ZhCn, e.id).await.unwrap().cycle.is_some()
        {
            person = Some(e);
            break;
        }
    }
    let person = person.expect("a report of the manager's with a released result");
    let me = person.id;
    let demo_employee = login(&app, "employee").await;
    let employee = if demo_employee.employee_id == Some(me) {
        demo_employee
    } else {
        sign_up(&app, &person.employee_no, "ai-report-reader").await
    };
    let boss = org_repo::employee(c, manager.employee_id.unwrap()).await.unwrap().unwrap();
    let reports = app.development_reports();

    // The AI's draft comes back into the form; nothing is saved.
    let d = reports.ai_draft(&manager, Lang::ZhCn, me).await.unwrap();
    assert!(d.by_ai() && d.fallback.is_none());
    assert_eq!(d.text.strengths, "- 该员工执行稳定");
    assert!(reports.report(&manager, Lang::ZhCn, me).await.unwrap().saved.is_none());

    // What was sent: the model, the key as a bearer token, the rules' findings; no name, no id.
    let (auth, sent) = peer.last();
    assert_eq!(auth, "Bearer sk-test");
    assert_eq!(sent["model"], "test-model");
    let text = sent.to_string();
    let findings = reports.report(&manager, Lang::ZhCn, me).await.unwrap().analysis.findings;
    assert!(!findings.is_empty() && text.contains(&findings[0].dimension), "{text}");
    for secret in [person.name.as_str(), boss.name.as_str(), &me.to_string(), &person.employee_no] {
        assert!(!text.contains(secret), "{secret} was sent: {text}");
    }

    // Audited before sending (what, by whom, about whom) and after (the outcome).
    let rows = audit::ai_outcomes(c, me).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].contains("\"ai_outcome\":\"drafted\"") && rows[0].contains("fingerprint"), "{}", rows[0]);
    let filter = audit::AuditFilter {
        entity_type: Some("ai_draft".into()),
        entity_id: None,
        subject_employee_id: Some(me),
        actor_user_id: None,
        before_seq: None,
        limit: 10,
        within_units: None,
        excluding_subject: None,
    };
    let log = audit::list(c, &filter).await.unwrap();
    let send = log.iter().find(|r| r.action == "send").unwrap();
    assert_eq!((send.actor_user_id, send.subject_employee_id), (manager.user_id, Some(me)));
    assert!(
        send.after.as_deref().unwrap().contains("该员工") || send.after.as_deref().unwrap().contains("the employee")
    );

    // The AI's words as they came are not shared with the person; once edited, they are.
    let unedited = reports.save(&manager, me, ReportInput { text: d.text.clone(), share: true }).await.unwrap_err();
    assert_eq!(fields(unedited), vec![("report".into(), "ai_unedited".into())]);
    assert!(reports.report(&employee, Lang::ZhCn, me).await.unwrap().saved.is_none());
    // Saved unedited as a draft (the person sees nothing), it still cannot be shared as it is.
    reports.save(&manager, me, ReportInput { text: d.text.clone(), share: false }).await.unwrap();
    let again = reports.save(&manager, me, ReportInput { text: d.text.clone(), share: true }).await.unwrap_err();
    assert_eq!(fields(again), vec![("report".into(), "ai_unedited".into())]);
    reports.save(&manager, me, ReportInput { text: edited(&d.text), share: true }).await.unwrap();
    let seen = reports.report(&employee, Lang::ZhCn, me).await.unwrap().saved.unwrap();
    assert!(seen.text.support.contains("我会每月"));

    // Slow, refusing, broken and gone endpoints: the rules' draft, the reason, and an audit.
    let rules = reports.report(&manager, Lang::ZhCn, me).await.unwrap().draft;
    for (mode, why) in
        [(Mode::Slow, Fallback::Timeout), (Mode::Refuse, Fallback::Refused), (Mode::Garbage, Fallback::BadReply)]
    {
        peer.set(mode);
        let d = reports.ai_draft(&manager, Lang::ZhCn, me).await.unwrap();
        assert_eq!((d.by_ai(), d.fallback), (false, Some(why)), "{mode:?}");
        assert_eq!(d.text, rules, "{mode:?}");
    }
    let outcomes = audit::ai_outcomes(c, me).await.unwrap();
    for code in ["timeout", "refused", "bad_reply"] {
        assert!(outcomes.iter().any(|o| o.contains(&format!("\"ai_outcome\":\"{code}\""))), "{code}: {outcomes:?}");
    }
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    app.config.ai = Some(endpoint(closed));
    let reports = app.development_reports();
    let d = reports.ai_draft(&manager, Lang::ZhCn, me).await.unwrap();
    assert_eq!(d.fallback, Some(Fallback::Unreachable));

    // The administrator's connection test: a question about no one, audited without a subject.
    let admin = login(&app, "admin").await;
    app.config.ai = Some(endpoint(peer.port));
    peer.set(Mode::Answer);
    let t = app.ai_test(&admin).await.unwrap();
    assert!(t.ok() && t.fallback.is_none(), "{t:?}");
    assert!(!peer.last().1.to_string().contains(&person.name));
    peer.set(Mode::Refuse);
    assert_eq!(app.ai_test(&admin).await.unwrap().fallback, Some(Fallback::Refused));
    assert!(matches!(app.ai_test(&manager).await, Err(AppError::Forbidden)));
    peer.set(Mode::Answer);
    let reports = app.development_reports();

    // Only the report's editors may ask; the person about themselves may not.
    let calls = peer.calls();
    assert!(reports.ai_draft(&employee, Lang::ZhCn, me).await.is_err());
    assert_eq!(peer.calls(), calls);

    // Off: the rules' draft, nothing sent, nothing logged.
    app.config.ai = None;
    let before = audit::ai_outcomes(&app.db.conn, me).await.unwrap().len();
    let d = app.development_reports().ai_draft(&manager, Lang::ZhCn, me).await.unwrap();
    assert_eq!((d.by_ai(), d.fallback), (false, Some(Fallback::Off)));
    assert_eq!(audit::ai_outcomes(&app.db.conn, me).await.unwrap().len(), before);
});

dual_test!(f3_ai_rewrites_flagged_feedback_with_names_as_roles, |db: Db| async move {
    let peer = Peer::start().await;
    let app = demo(db, Some(endpoint(peer.port))).await;
    let employee = login(&app, "employee").await;
    let c = &app.db.conn;
    let me = org_repo::employee(c, employee.employee_id.unwrap()).await.unwrap().unwrap();
    let colleague = org_repo::all_employees(c)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.manager_id == me.manager_id && e.id != me.id)
        .unwrap();
    let f = app.feedback();
    let harsh = vec![
        String::new(),
        format!("{}总是迟到，太不靠谱了。{}已经提醒过很多次。", colleague.name, me.name),
        String::new(),
    ];
    let o = f.ai_rewrite(&employee, Lang::ZhCn, colleague.id, "sbi", &harsh).await.unwrap();
    let parts = o.parts.expect("the AI's rewrite");
    assert_eq!(parts.len(), 3);
    // The names left as roles and came back as names.
    assert!(parts[0].contains(&colleague.name) && !parts[0].contains("[colleague]"), "{parts:?}");
    let (_, sent) = peer.last();
    let text = sent.to_string();
    assert!(!text.contains(&colleague.name) && !text.contains(&me.name), "{text}");
    assert!(text.contains("[colleague]总是迟到") && text.contains("[me]已经提醒"), "{text}");
    // The coach's own frame is always there; the call is audited about the recipient.
    assert!(!o.coach.hints.is_empty());
    assert_eq!(audit::ai_outcomes(c, colleague.id).await.unwrap().len(), 1);

    // Nothing flagged: nothing to rewrite, nothing sent.
    let calls = peer.calls();
    let fine = vec!["周一评审会上".into(), "你把三个方案的取舍讲得很清楚".into(), "大家十分钟就定了方向".into()];
    let e = f.ai_rewrite(&employee, Lang::ZhCn, colleague.id, "sbi", &fine).await.unwrap_err();
    assert_eq!(fields(e), vec![("parts".into(), "nothing_to_rewrite".into())]);
    // A wrong number of parts, or a recipient who does not exist.
    let e = f.ai_rewrite(&employee, Lang::ZhCn, colleague.id, "sbi", &harsh[..2]).await.unwrap_err();
    assert_eq!(fields(e), vec![("parts".into(), "parts_count".into())]);
    let ghost = f.ai_rewrite(&employee, Lang::ZhCn, uuid::Uuid::now_v7(), "sbi", &harsh).await;
    assert!(matches!(ghost, Err(AppError::NotFound(_))), "{ghost:?}");
    assert_eq!(peer.calls(), calls);

    // A broken endpoint: no AI wording, the reason, the coach's frame still.
    peer.set(Mode::Garbage);
    let o = f.ai_rewrite(&employee, Lang::ZhCn, colleague.id, "sbi", &harsh).await.unwrap();
    assert_eq!((o.parts, o.fallback), (None, Some(Fallback::BadReply)));
    assert!(!o.coach.rewrite.is_empty());
});
