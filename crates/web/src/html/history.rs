//! A goal's history in sentences (issue 23, item 2): each changed field by the name the form
//! gives it, its values in words — labels for codes, percentages for weights, names for people
//! and goals — never the snapshot's keys or JSON.

use waymark_app::goals::changes::FieldChange;

use super::Page;

impl Page {
    /// "目标值：1 000 000 → 600 000"; a field the page has no name for is left out (the audit
    /// log's details keep it).
    pub fn change_line(&self, c: &FieldChange) -> Option<String> {
        // A goal's own name for the field, else the form's (the audit log shows every entity).
        let key = c.field.replace('_', "-");
        let label =
            self.lang.try_t(&format!("hist-field-{key}")).or_else(|| self.lang.try_t(&format!("field-{key}")))?;
        let value = |v: &Option<String>| v.as_deref().map(|v| self.change_value(&c.field, v));
        Some(match (value(&c.before), value(&c.after)) {
            (Some(b), Some(a)) => self.lang.ta("hist-line-change", &[("field", label), ("before", b), ("after", a)]),
            (None, Some(a)) => self.lang.ta("hist-line-set", &[("field", label), ("value", a)]),
            (Some(b), None) => self.lang.ta("hist-line-cleared", &[("field", label), ("value", b)]),
            (None, None) => return None,
        })
    }

    fn change_value(&self, field: &str, v: &str) -> String {
        let list = || serde_json::from_str::<Vec<String>>(v).ok().map(|l| l.join(&self.t("list-separator")));
        match field {
            "framework" => self.label("fw", v),
            "level" => self.label("level", v),
            "status" => self.label("gstatus", v),
            "kind" => self.lang.try_t(&format!("krkind-{v}")).unwrap_or_else(|| self.label("ckind", v)),
            "visibility" if v == "private" => self.t("goal-private"),
            "visibility" => self.t("goal-public"),
            "step" => self.label("step", v),
            "path" => v.split(',').map(|s| self.label("step", s)).collect::<Vec<_>>().join(" → "),
            "is_key" | "done" | "archived" => self.t(if v == "true" { "hist-yes" } else { "hist-no" }),
            "weight_bp" => v.parse::<f64>().map(|bp| format!("{}%", self.num(bp / 100.0))).unwrap_or_default(),
            "weight" => v.parse::<f64>().map(|p| format!("{}%", self.num(p))).unwrap_or_else(|_| v.to_string()),
            "current" | "target" | "start" => v.parse::<f64>().map(grouped).unwrap_or_else(|_| v.to_string()),
            "due_on" => chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").map(|d| self.on(&d)).unwrap_or_default(),
            "key_results" | "supports" | "parent" | "attachments" => list().unwrap_or_default(),
            "report_state" => self.label("devreport-state", v),
            "ai_purpose" | "ai_outcome" => self.label(&field.replace('_', "-"), v),
            "ai_ms" => v
                .parse::<f64>()
                .map(|ms| self.lang.ta("ai-seconds", &[("secs", self.num(ms / 1000.0))]))
                .unwrap_or_default(),
            _ => v.to_string(),
        }
    }
}

impl Page {
    /// A review formula as people read it: its variables by name, × for times
    /// (`0.6*goals + 0.4*competencies` → 0.6 × 目标 + 0.4 × 能力素质).
    pub fn formula(&self, f: &str) -> String {
        let mut out = String::new();
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String| {
            if !word.is_empty() {
                out.push_str(&self.label("reviews-var", word));
                word.clear();
            }
        };
        for ch in f.chars() {
            if ch.is_ascii_alphabetic() || ch == '_' {
                word.push(ch);
                continue;
            }
            flush(&mut word, &mut out);
            match ch {
                '*' => out.push_str(" × "),
                '/' => out.push_str(" ÷ "),
                ' ' if out.ends_with(' ') => {}
                c => out.push(c),
            }
        }
        flush(&mut word, &mut out);
        out.trim().to_string()
    }
}

/// A number with its thousands apart, as people read large targets: 1 000 000, 0.25.
fn grouped(v: f64) -> String {
    let s = format!("{}", (v * 10_000.0).round() / 10_000.0);
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{2009}');
        }
        out.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn large_numbers_are_grouped_by_thousands() {
        assert_eq!(super::grouped(1_000_000.0), "1\u{2009}000\u{2009}000");
        assert_eq!(super::grouped(600_000.0), "600\u{2009}000");
        assert_eq!(super::grouped(-1234.5), "-1\u{2009}234.5");
        assert_eq!(super::grouped(0.25), "0.25");
        assert_eq!(super::grouped(999.0), "999");
    }
}
