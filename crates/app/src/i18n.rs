//! Every visible string comes from the Fluent files in `locales/` (zh-CN and en, complete).
//! They live with the services because e-mail and IM messages are written in the recipient's
//! language by the delivery jobs, away from any request; the web layer picks the language of a
//! page (the user's choice, else the `wm_lang` cookie, else the browser's).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "zh-CN",
        // Unicode isolation marks would show up inside HTML attributes and text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static ZH: LazyLock<LanguageIdentifier> = LazyLock::new(|| "zh-CN".parse().expect("valid language id"));
static EN: LazyLock<LanguageIdentifier> = LazyLock::new(|| "en".parse().expect("valid language id"));

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_lowercase();
        if s.starts_with("zh") {
            Some(Lang::ZhCn)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The first supported language of an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut langs: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let lang = Lang::parse(it.next()?)?;
                let q = it.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse().ok()).unwrap_or(1.0);
                Some((q, lang))
            })
            .collect();
        langs.sort_by(|a, b| b.0.total_cmp(&a.0));
        langs.first().map(|l| l.1)
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::ZhCn => &ZH,
            Lang::En => &EN,
        }
    }

    pub fn t(self, key: &str) -> String {
        LOCALES.lookup(self.id(), key)
    }

    pub fn ta(self, key: &str, args: &[(&'static str, String)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), FluentValue::from(v.clone()))).collect();
        LOCALES.lookup_with_args(self.id(), key, &map)
    }

    /// An inbox message (`inbox-<kind>` with who acted and what about), as the inbox, e-mail and
    /// IM all word it.
    pub fn inbox_message(self, kind: &str, actor: &str, subject: &str) -> String {
        self.ta(&format!("inbox-{kind}"), &[("actor", actor.to_string()), ("subject", subject.to_string())])
    }

    /// The text quoted under an inbox message: what its sender wrote, or, for a risk alert, the
    /// name of the risk (the message stores the risk's code so each reader gets their language).
    pub fn inbox_body(self, kind: &str, body: &str) -> String {
        match kind {
            "risk-alert" => {
                self.try_t(&format!("alert-{}", body.replace('_', "-"))).unwrap_or_else(|| body.to_string())
            }
            _ => body.to_string(),
        }
    }

    /// A message if the key exists (for codes coming from the services).
    pub fn try_t(self, key: &str) -> Option<String> {
        LOCALES.try_lookup(self.id(), key)
    }
}
