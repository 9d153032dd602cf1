//! The words of a delivered notification in the recipient's language: the e-mail's subject,
//! plain text and HTML, and the IM message. The sentence itself is the inbox's (`inbox-<kind>`),
//! so every channel says the same thing.

use waymark_domain::notify::Notification;
use waymark_domain::notify::im::ImMessage;

use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub im: ImMessage,
}

/// Where a message leads in Waymark, as a path: approvals wait on the approvals page, weekly
/// reports on the report and digest pages, reminders where the work is, the rest is about a goal.
pub fn link_path(n_kind: &str, entity_type: &str, entity_id: uuid::Uuid) -> String {
    match (n_kind, entity_type) {
        ("goal-to-approve" | "goal-to-file" | "reminder-pending-approvals", _) => "/approvals".into(),
        ("weekly-blockers", _) => "/tracking/weekly/team".into(),
        ("weekly-acknowledged" | "reminder-weekly-report", _) => "/tracking/weekly".into(),
        ("reminder-monthly-check-in" | "reminder-stale-goals" | "risk-alerts-own", _) => "/goals".into(),
        ("risk-alerts-team", _) => "/goals/team".into(),
        (_, "goal") => format!("/goals/{entity_id}"),
        (_, "one_on_one") => format!("/one-on-ones/{entity_id}"),
        (_, "feedback") => format!("/feedback/{entity_id}"),
        (_, "feedback_request") => format!("/feedback/new?request={entity_id}"),
        ("journal-recorded", _) => "/journal".into(),
        ("feedback-todo", _) => "/feedback#todos".into(),
        (_, "kudos") => "/recognition".into(),
        (_, "redemption") => "/recognition#redemptions".into(),
        (_, "light360") => format!("/light360/{entity_id}"),
        ("review-cycle-launched" | "review-peer-asked" | "reminder-review-writing", _) => "/reviews".into(),
        ("review-peers-nominated", _) => format!("/reviews/participants/{entity_id}/peers"),
        ("review-self-submitted", _) => "/reviews".into(),
        (_, "probation") => format!("/people/{entity_id}/probation"),
        (_, "dev_plan") => format!("/development/{entity_id}"),
        // The report on a person is found by the person (one per cycle, the newest shown).
        ("dev-report-shared", _) => format!("/people/{entity_id}/development/report"),
        ("signal-raised" | "signal-replied", _) => "/signals".into(),
        ("signal-answered", _) => format!("/signals/{entity_id}"),
        (_, "review_appeal") => format!("/admin/reviews/appeals/{entity_id}"),
        (
            "review-released"
            | "review-acknowledged"
            | "review-appeal-decided"
            | "promotion-nominated"
            | "promotion-approved"
            | "promotion-declined"
            | "incentive-granted",
            _,
        ) => {
            format!("/reviews/participants/{entity_id}/result")
        }
        _ => "/inbox".into(),
    }
}

/// A notification as e-mail and IM text for `name`, with a link under `public_url`.
pub fn notification(lang: Lang, n: &Notification, name: &str, public_url: &str) -> Rendered {
    let sentence = lang.inbox_message(&n.kind, &n.actor_name, &n.subject);
    let link = format!("{}{}", public_url.trim_end_matches('/'), link_path(&n.kind, &n.entity_type, n.entity_id));
    let body = n.body.as_deref().map(|b| lang.inbox_body(&n.kind, b));
    compose(lang, name, &sentence, body.as_deref(), &link, "mail-footer")
}

/// A signed checkpoint of the audit chain for the mailboxes and the IM robot that keep copies
/// outside the server: what it says, why to keep it, and the line itself, quoted on its own so
/// that `waymark audit verify --checkpoints` reads it back from a saved message.
pub fn audit_checkpoint(lang: Lang, seq: &str, hash: &str, time: &str, line: &str, link: &str) -> Rendered {
    let args = [("seq", seq.to_string()), ("hash", hash.to_string()), ("time", time.to_string())];
    let sentence = format!("{}\n\n{}", lang.ta("audit-ship-sentence", &args), lang.t("audit-ship-keep"));
    let mut r = compose(lang, &lang.t("audit-ship-to"), &sentence, Some(line), link, "audit-ship-footer");
    r.subject = format!("{} {}", lang.t("mail-subject-prefix"), lang.ta("audit-ship-subject", &args));
    r.im.title = r.subject.clone();
    r
}

/// The test message a user sends themselves from their notification settings.
pub fn test_message(lang: Lang, name: &str, public_url: &str) -> Rendered {
    let link = format!("{}/account/notifications", public_url.trim_end_matches('/'));
    compose(lang, name, &lang.t("mail-test-sentence"), None, &link, "mail-footer")
}

/// The message in every channel's shape; `footer` names the line that says why it came.
fn compose(lang: Lang, name: &str, sentence: &str, body: Option<&str>, link: &str, footer: &str) -> Rendered {
    let greeting = lang.ta("mail-greeting", &[("name", name.to_string())]);
    let open = lang.t("mail-open");
    let footer = lang.t(footer);
    let subject = format!("{} {sentence}", lang.t("mail-subject-prefix"));
    let quoted = body.map(|b| format!("\n\n> {}", b.replace('\n', "\n> "))).unwrap_or_default();
    let text = format!("{greeting}\n\n{sentence}{quoted}\n\n{open}: {link}\n\n-- \n{footer}\n");
    let html_body = body.map(|b| format!("<blockquote>{}</blockquote>", escape(b))).unwrap_or_default();
    let html = format!(
        "<!doctype html><html lang=\"{lang_code}\"><meta charset=\"utf-8\"><body style=\"font-family:sans-serif\">\
         <p>{greeting}</p><p>{sentence}</p>{html_body}<p><a href=\"{link_attr}\">{open}</a></p>\
         <hr><p style=\"color:#666;font-size:small\">{footer}</p></body></html>",
        lang_code = lang.code(),
        greeting = escape(&greeting),
        sentence = escape(sentence),
        link_attr = escape(link),
        open = escape(&open),
        footer = escape(&footer),
    );
    let im = ImMessage {
        title: subject.clone(),
        text: body.unwrap_or_default().to_string(),
        link: link.to_string(),
        link_label: open,
    };
    Rendered { subject, text, html, im }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use uuid::Uuid;

    fn returned() -> Notification {
        Notification {
            id: Uuid::nil(),
            recipient_id: Uuid::nil(),
            kind: "goal-returned".into(),
            entity_type: "goal".into(),
            entity_id: Uuid::from_u128(7),
            actor_name: "王经理".into(),
            subject: "提升 <留存>".into(),
            body: Some("请补充关键结果".into()),
            read_at: None,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn t7_a_notification_reads_the_same_in_every_channel_in_both_languages() {
        let zh = notification(Lang::ZhCn, &returned(), "李雷", "https://pm.example.com/");
        assert_eq!(zh.subject, "[路标] 王经理 退回了你的目标「提升 <留存>」");
        assert!(zh.text.starts_with("李雷，你好：\n\n王经理 退回了你的目标「提升 <留存>」\n\n> 请补充关键结果"));
        assert!(zh.text.contains("https://pm.example.com/goals/00000000-0000-0000-0000-000000000007"));
        assert!(zh.html.contains("提升 &lt;留存&gt;") && !zh.html.contains("<留存>"));
        assert_eq!(zh.im.link, "https://pm.example.com/goals/00000000-0000-0000-0000-000000000007");
        let en = notification(Lang::En, &returned(), "Li Lei", "https://pm.example.com");
        assert_eq!(en.subject, "[Waymark] 王经理 returned your goal “提升 <留存>”");
        assert!(en.text.starts_with("Hello Li Lei,\n\n"));
    }

    #[test]
    fn approvals_lead_to_the_approvals_page() {
        assert_eq!(link_path("goal-to-approve", "goal", Uuid::nil()), "/approvals");
        assert_eq!(link_path("risk-alert", "goal", Uuid::nil()), format!("/goals/{}", Uuid::nil()));
        assert_eq!(link_path("something", "other", Uuid::nil()), "/inbox");
    }
}
