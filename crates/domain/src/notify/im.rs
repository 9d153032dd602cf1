//! Outgoing IM messages in each platform's documented webhook format, with its signing where the
//! platform has one:
//! - Feishu/Lark custom bot: `post` rich text; with a secret, `timestamp` (seconds) and
//!   `sign` = base64(HMAC-SHA256(key = "{timestamp}\n{secret}", message = "")) in the body.
//! - DingTalk custom robot: `markdown`; with a secret, `timestamp` (milliseconds) and
//!   `sign` = urlencode(base64(HMAC-SHA256(key = secret, message = "{timestamp}\n{secret}")))
//!   appended to the URL's query.
//! - WeCom (企业微信) group robot: `markdown`; no signing (the key is in the URL).
//! - Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat …): `text` with Slack's
//!   `<url|label>` links; no signing (the URL is the secret).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Feishu,
    DingTalk,
    WeCom,
    Slack,
}

impl Platform {
    pub const ALL: [Platform; 4] = [Platform::Feishu, Platform::DingTalk, Platform::WeCom, Platform::Slack];

    pub fn code(self) -> &'static str {
        match self {
            Platform::Feishu => "feishu",
            Platform::DingTalk => "dingtalk",
            Platform::WeCom => "wecom",
            Platform::Slack => "slack",
        }
    }

    pub fn parse(s: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.code() == s)
    }

    /// Whether the platform signs its webhooks with a secret (Feishu and DingTalk do).
    pub fn signs(self) -> bool {
        matches!(self, Platform::Feishu | Platform::DingTalk)
    }

    /// The official webhook host, allowed without further configuration.
    pub fn official_hosts(self) -> &'static [&'static str] {
        match self {
            Platform::Feishu => &["open.feishu.cn", "open.larksuite.com"],
            Platform::DingTalk => &["oapi.dingtalk.com"],
            Platform::WeCom => &["qyapi.weixin.qq.com"],
            Platform::Slack => &["hooks.slack.com"],
        }
    }
}

/// What to say: a title line, the text under it, and a link to the item in Waymark.
#[derive(Debug, Clone, PartialEq)]
pub struct ImMessage {
    pub title: String,
    pub text: String,
    pub link: String,
    pub link_label: String,
}

/// One request to send: where (the webhook URL with any signing query added) and what (JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct ImRequest {
    pub url: String,
    pub body: Value,
}

/// The request for `platform`, signed with `secret` at `now_ms` (Unix milliseconds) where the
/// platform signs.
pub fn request(platform: Platform, url: &str, secret: Option<&str>, now_ms: i64, m: &ImMessage) -> ImRequest {
    let secret = secret.filter(|s| !s.is_empty());
    match platform {
        Platform::Feishu => {
            let mut body = json!({
                "msg_type": "post",
                "content": {"post": {"zh_cn": {"title": m.title, "content": [
                    [{"tag": "text", "text": m.text}],
                    [{"tag": "a", "text": m.link_label, "href": m.link}],
                ]}}},
            });
            if let Some(secret) = secret {
                let ts = now_ms.div_euclid(1000);
                body["timestamp"] = json!(ts.to_string());
                body["sign"] = json!(feishu_sign(ts, secret));
            }
            ImRequest { url: url.to_string(), body }
        }
        Platform::DingTalk => {
            let body = json!({
                "msgtype": "markdown",
                "markdown": {"title": m.title, "text": format!(
                    "#### {}\n\n{}\n\n[{}]({})", markdown(&m.title), markdown(&m.text), markdown(&m.link_label), m.link
                )},
            });
            let url = match secret {
                Some(secret) => {
                    let sep = if url.contains('?') { '&' } else { '?' };
                    format!("{url}{sep}timestamp={now_ms}&sign={}", dingtalk_sign(now_ms, secret))
                }
                None => url.to_string(),
            };
            ImRequest { url, body }
        }
        Platform::WeCom => ImRequest {
            url: url.to_string(),
            body: json!({
                "msgtype": "markdown",
                "markdown": {"content": format!(
                    "**{}**\n{}\n[{}]({})", markdown(&m.title), markdown(&m.text), markdown(&m.link_label), m.link
                )},
            }),
        },
        Platform::Slack => ImRequest {
            url: url.to_string(),
            body: json!({"text": format!(
                "*{}*\n{}\n<{}|{}>", slack(&m.title), slack(&m.text), m.link, slack(&m.link_label)
            )}),
        },
    }
}

/// Feishu's signature: the key is "{timestamp}\n{secret}" and the message is empty.
pub fn feishu_sign(timestamp_s: i64, secret: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(format!("{timestamp_s}\n{secret}").as_bytes()).expect("HMAC takes any key");
    mac.update(b"");
    BASE64.encode(mac.finalize().into_bytes())
}

/// DingTalk's signature, already URL-encoded for the query string.
pub fn dingtalk_sign(timestamp_ms: i64, secret: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    url_encode(&BASE64.encode(mac.finalize().into_bytes()))
}

/// Whether the platform's answer says the message was taken. Feishu answers `{"code":0}` (older
/// bots `{"StatusCode":0}`), DingTalk and WeCom `{"errcode":0}`, Slack the text `ok`; all with
/// HTTP 200 even when they refuse (a bad signature, a wrong key), so the body decides.
pub fn accepted(platform: Platform, body: &str) -> Result<(), String> {
    let short = || body.chars().take(300).collect::<String>();
    if platform == Platform::Slack {
        return if body.trim() == "ok" || body.trim().is_empty() { Ok(()) } else { Err(short()) };
    }
    let v: Value = serde_json::from_str(body).map_err(|_| short())?;
    let code = match platform {
        Platform::Feishu => v.get("code").or_else(|| v.get("StatusCode")),
        _ => v.get("errcode"),
    };
    match code.and_then(Value::as_i64) {
        Some(0) => Ok(()),
        _ => Err(short()),
    }
}

/// Markdown's link and emphasis characters in user text would change the message's shape.
fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '[' | ']' | '(' | ')' | '*' | '_' | '`' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Slack asks for exactly these three to be escaped in message text.
fn slack(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> ImMessage {
        ImMessage {
            title: "目标「提升留存」出现风险预警".into(),
            text: "按时间进度应完成 57.6%，实际完成 15%".into(),
            link: "https://waymark.example.com/goals/1".into(),
            link_label: "查看".into(),
        }
    }

    // Expected signatures computed with the platforms' own Python samples (hmac, hashlib.sha256,
    // base64, urllib.parse.quote_plus) for these inputs.
    #[test]
    fn t7_feishu_signature_follows_the_documented_algorithm() {
        assert_eq!(feishu_sign(1599360473, "demo-secret"), "3/MaVZ8JLIy4TUG+7KSFJqvUkTKd+HWY8g+56DZWq8s=");
    }

    #[test]
    fn t7_dingtalk_signature_follows_the_documented_algorithm() {
        assert_eq!(dingtalk_sign(1599360473000, "SECdemo"), "tGWkA5eQOQNCNPDgphtxIoNLO%2B%2FgD8Lcb705KQoRzeY%3D");
    }

    #[test]
    fn t7_feishu_body_is_a_signed_post() {
        let r = request(
            Platform::Feishu,
            "https://open.feishu.cn/open-apis/bot/v2/hook/x",
            Some("demo-secret"),
            1599360473999,
            &message(),
        );
        assert_eq!(r.url, "https://open.feishu.cn/open-apis/bot/v2/hook/x");
        assert_eq!(r.body["msg_type"], "post");
        assert_eq!(r.body["timestamp"], "1599360473");
        assert_eq!(r.body["sign"], feishu_sign(1599360473, "demo-secret"));
        let post = &r.body["content"]["post"]["zh_cn"];
        assert_eq!(post["title"], "目标「提升留存」出现风险预警");
        assert_eq!(post["content"][1][0]["href"], "https://waymark.example.com/goals/1");
        // Without a secret nothing is added.
        let r = request(Platform::Feishu, "https://x", None, 1, &message());
        assert!(r.body.get("sign").is_none() && r.body.get("timestamp").is_none());
    }

    #[test]
    fn t7_dingtalk_signs_in_the_query_and_escapes_markdown() {
        let mut m = message();
        m.title = "Q4 [draft] *goal*".into();
        let r = request(
            Platform::DingTalk,
            "https://oapi.dingtalk.com/robot/send?access_token=t",
            Some("SECdemo"),
            1599360473000,
            &m,
        );
        assert_eq!(
            r.url,
            format!(
                "https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1599360473000&sign={}",
                dingtalk_sign(1599360473000, "SECdemo")
            )
        );
        assert_eq!(r.body["msgtype"], "markdown");
        assert_eq!(r.body["markdown"]["title"], "Q4 [draft] *goal*");
        assert!(r.body["markdown"]["text"].as_str().unwrap().starts_with("#### Q4 \\[draft\\] \\*goal\\*\n\n"));
    }

    #[test]
    fn t7_wecom_and_slack_bodies() {
        let r = request(
            Platform::WeCom,
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            Some("ignored"),
            1,
            &message(),
        );
        assert_eq!(r.url, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k");
        assert_eq!(r.body["msgtype"], "markdown");
        assert!(
            r.body["markdown"]["content"].as_str().unwrap().ends_with("[查看](https://waymark.example.com/goals/1)")
        );
        let mut m = message();
        m.text = "a < b & c".into();
        let r = request(Platform::Slack, "https://hooks.slack.com/services/T/B/X", None, 1, &m);
        assert_eq!(
            r.body["text"],
            "*目标「提升留存」出现风险预警*\na &lt; b &amp; c\n<https://waymark.example.com/goals/1|查看>"
        );
    }

    #[test]
    fn t7_platform_answers_are_read_from_the_body() {
        assert!(accepted(Platform::Feishu, r#"{"code":0,"msg":"success","data":{}}"#).is_ok());
        assert!(accepted(Platform::Feishu, r#"{"StatusCode":0,"StatusMessage":"success"}"#).is_ok());
        assert_eq!(
            accepted(Platform::Feishu, r#"{"code":19021,"msg":"sign match fail"}"#),
            Err(r#"{"code":19021,"msg":"sign match fail"}"#.to_string())
        );
        assert!(accepted(Platform::DingTalk, r#"{"errcode":0,"errmsg":"ok"}"#).is_ok());
        assert!(accepted(Platform::DingTalk, r#"{"errcode":310000,"errmsg":"sign not match"}"#).is_err());
        assert!(accepted(Platform::WeCom, r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#).is_err());
        assert!(accepted(Platform::Slack, "ok").is_ok());
        assert!(accepted(Platform::Slack, "invalid_payload").is_err());
        assert!(accepted(Platform::DingTalk, "<html>").is_err());
    }
}
