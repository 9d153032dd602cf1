//! The pages' language: the Fluent files and [`Lang`] are the services' (notifications are
//! written in them too); the tests here check the templates use only keys that exist.

pub use waymark_app::i18n::Lang;

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(path: &str) -> std::collections::BTreeSet<String> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.contains(" ="))
            .map(|l| l.split(" =").next().unwrap().trim().to_string())
            .collect()
    }

    #[test]
    fn both_languages_are_complete() {
        let zh = keys("../app/locales/zh-CN/main.ftl");
        let en = keys("../app/locales/en/main.ftl");
        let only_zh: Vec<_> = zh.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&zh).collect();
        assert!(only_zh.is_empty() && only_en.is_empty(), "missing in en: {only_zh:?}; missing in zh-CN: {only_en:?}");
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let zh = keys("../app/locales/zh-CN/main.ftl");
        let mut missing = Vec::new();
        for dir in ["templates", "src/html", "../app/src/notify", "../app/src/one_on_ones"] {
            for f in std::fs::read_dir(dir).unwrap() {
                let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
                for (i, m) in text.match_indices(".t(\"").chain(text.match_indices(".ta(\"")) {
                    let rest = &text[i + m.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    if !zh.contains(key) {
                        missing.push(key.to_string());
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
    }

    /// Issue 23, item 2: the jobs page named "one-on-one-reminder" where it had no label.
    #[test]
    fn every_job_kind_has_a_name_in_both_languages() {
        for kind in waymark_app::jobs::Job::KINDS {
            for lang in [Lang::ZhCn, Lang::En] {
                assert!(lang.try_t(&format!("jobs-kind-{kind}")).is_some(), "{kind} in {}", lang.code());
            }
        }
    }

    #[test]
    fn accept_language_picks_by_quality() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9,zh-CN;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr;q=1.0, zh-TW;q=0.5, en;q=0.4"), Some(Lang::ZhCn));
        assert_eq!(Lang::from_accept_language("de"), None);
        assert_eq!(Lang::En.t("nav-org"), "Organization");
        assert_eq!(Lang::ZhCn.t("nav-org"), "组织");
    }
}
