//! The feedback coach (F-3): reads a piece of feedback as it is written, in Chinese or English,
//! and says what would make it useful — a concrete situation and behaviour, its impact, and no
//! absolute or harsh words or labels on the person — with a rewrite frame built from the
//! writer's own words. No model and no network: a reader per language finds the signals, and
//! one set of rules here turns signals into hints, so both languages flag the same things.
//!
//! The lexicons are the project's own (written for Waymark, under its licence); Chinese is
//! segmented with jieba's MIT-licensed dictionary so a label like 懒 is not found inside 懒加载.

mod en;
mod zh;

use std::ops::Range;

/// What the coach can point out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flag {
    /// An evaluation with no concrete situation, behaviour or example.
    Vague,
    /// Absolute (always, 总是) or overly negative (terrible, 一塌糊涂) wording.
    Harsh,
    /// A label on the person (lazy, 不靠谱) instead of what they did.
    Label,
    /// A concrete behaviour with nothing said about its effect.
    NoImpact,
}

impl Flag {
    pub const ALL: [Flag; 4] = [Flag::Vague, Flag::Harsh, Flag::Label, Flag::NoImpact];

    pub fn code(self) -> &'static str {
        match self {
            Flag::Vague => "vague",
            Flag::Harsh => "harsh",
            Flag::Label => "label",
            Flag::NoImpact => "no_impact",
        }
    }

    pub fn parse(s: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.code() == s)
    }
}

/// The language a text is read in: Chinese when at least a fifth of its letters are Han.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn of(text: &str) -> Lang {
        let (mut han, mut letters) = (0usize, 0usize);
        for c in text.chars() {
            if is_han(c) {
                han += 1;
                letters += 1;
            } else if c.is_alphabetic() {
                letters += 1;
            }
        }
        if han > 0 && han * 5 >= letters { Lang::Zh } else { Lang::En }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// What a language's reader found in a text. Spans are byte ranges of the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Reading {
    /// Praise, criticism or advice: the text judges something.
    pub evaluative: bool,
    /// A time, an occasion, a number or a quotation: the S of SBI, and a sign of an example.
    pub situation: bool,
    /// Someone did something (a person and a verb): the B.
    pub behaviour: bool,
    /// What it led to: the I.
    pub impact: bool,
    /// Every sentence is a question: asking, not giving feedback.
    pub ask: bool,
    pub harsh: Vec<Range<usize>>,
    pub labels: Vec<Range<usize>>,
}

/// One thing the coach points out, with the words it is about (none for a missing part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub flag: Flag,
    pub words: Vec<String>,
}

/// A piece of the suggested rewrite: the writer's own text, or a slot for them to fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    /// When and where it happened, put before the text.
    Situation,
    /// What the person actually did or said, in place of the word shown.
    Instead(String),
    /// What it led to, put after the text.
    Impact,
}

/// The coach's reading of one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    pub lang: Lang,
    pub hints: Vec<Hint>,
    /// Which parts of SBI the text has.
    pub situation: bool,
    pub behaviour: bool,
    pub impact: bool,
    /// A rewrite frame, when there is something to improve.
    pub rewrite: Vec<Piece>,
    /// Nothing written yet (blank).
    pub empty: bool,
}

/// What the coach can say about a text as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing written yet: nothing to praise or fault (issue 22, item 10: an empty form was
    /// praised as specific and balanced).
    Empty,
    /// Something to point out.
    Hints,
    /// Situation, behaviour and impact, and nothing to point out.
    Complete,
    /// Nothing to point out, but not all of situation, behaviour and impact either (a note,
    /// a question, a plain statement of fact).
    Unflagged,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Empty => "empty",
            Verdict::Hints => "hints",
            Verdict::Complete => "complete",
            Verdict::Unflagged => "unflagged",
        }
    }
}

impl Advice {
    pub fn has(&self, flag: Flag) -> bool {
        self.hints.iter().any(|h| h.flag == flag)
    }

    pub fn verdict(&self) -> Verdict {
        if self.empty {
            Verdict::Empty
        } else if !self.hints.is_empty() {
            Verdict::Hints
        } else if self.situation && self.behaviour && self.impact {
            Verdict::Complete
        } else {
            Verdict::Unflagged
        }
    }
}

/// Loads the Chinese dictionary now (a fraction of a second), so the first writer does not wait.
pub fn warm_up() {
    zh::warm_up();
}

/// Longest text the coach reads; longer feedback is refused before it gets here.
pub const MAX_CHARS: usize = 5_000;

/// Reads `text` and advises. Empty text gets no hints.
pub fn advise(text: &str) -> Advice {
    advise_parts(&[("text", text)])
}

/// Reads feedback written in a template's parts (`(code, text)` in order: situation,
/// behaviour, impact for SBI; situation, task, action, result for STAR). Where the template has
/// a part for the situation, the behaviour (or action) or the impact (or result), whether the
/// writer filled it decides that part — not words found elsewhere: 你让客户等了半小时 in the
/// behaviour box is no impact, and an empty impact box is never ticked (issue 22, item 10).
pub fn advise_parts(parts: &[(&str, &str)]) -> Advice {
    let text = parts.iter().map(|(_, t)| *t).collect::<Vec<_>>().join("\n");
    let lang = Lang::of(&text);
    let trimmed = text.trim();
    let mut r = if trimmed.is_empty() {
        Reading::default()
    } else {
        match lang {
            Lang::Zh => zh::read(&text),
            Lang::En => en::read(&text),
        }
    };
    let filled = |codes: &[&str]| {
        let mine: Vec<&&str> = parts.iter().filter(|(c, _)| codes.contains(c)).map(|(_, t)| t).collect();
        (!mine.is_empty()).then(|| mine.iter().any(|t| !t.trim().is_empty()))
    };
    if let Some(f) = filled(&["situation"]) {
        r.situation = f;
    }
    if let Some(f) = filled(&["behaviour", "action"]) {
        r.behaviour = f;
    }
    if let Some(f) = filled(&["impact", "result"]) {
        r.impact = f;
    }
    let hints = hints(&text, &r);
    let rewrite = if hints.is_empty() { vec![] } else { rewrite(&text, &r) };
    let empty = trimmed.is_empty();
    Advice { lang, hints, situation: r.situation, behaviour: r.behaviour, impact: r.impact, rewrite, empty }
}

/// The rules, the same for both languages.
fn hints(text: &str, r: &Reading) -> Vec<Hint> {
    let mut out = Vec::new();
    // Vague is a judgement with nothing under it. A harsh word or a label is a problem of its
    // own, with its own advice (say what happened instead): flagging such a sentence vague as
    // well said the same thing twice (issue 22, item 10: vague fired on nearly every harsh or
    // labelling sentence).
    let pointed = !r.harsh.is_empty() || !r.labels.is_empty();
    if r.evaluative && !pointed && !r.situation && !r.ask {
        out.push(Hint { flag: Flag::Vague, words: vec![] });
    }
    // Words that are a label are that label's, not also a harsh word (脾气太差: one problem).
    let harsh: Vec<Range<usize>> =
        r.harsh.iter().filter(|h| !r.labels.iter().any(|l| l.start < h.end && h.start < l.end)).cloned().collect();
    if !harsh.is_empty() {
        out.push(Hint { flag: Flag::Harsh, words: words(text, &harsh) });
    }
    if !r.labels.is_empty() {
        // 愚蠢 and its 蠢: the whole word, once.
        out.push(Hint { flag: Flag::Label, words: words(text, &without_overlaps(r.labels.clone())) });
    }
    if r.situation && r.behaviour && !r.impact && !r.ask {
        out.push(Hint { flag: Flag::NoImpact, words: vec![] });
    }
    out
}

fn words(text: &str, spans: &[Range<usize>]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in spans {
        let w = text[s.clone()].to_string();
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// The writer's text with each harsh word and label replaced by a slot for what was really
/// done, a slot for the situation in front when there is none, and one for the impact at the
/// end when there is none.
fn rewrite(text: &str, r: &Reading) -> Vec<Piece> {
    let spans = without_overlaps(r.harsh.iter().chain(&r.labels).cloned().collect());
    let mut out = Vec::new();
    if !r.situation {
        out.push(Piece::Situation);
    }
    let body = text.trim_end().trim_end_matches(['.', '。', '!', '！']);
    let mut at = 0;
    for s in spans {
        if s.end > body.len() {
            continue; // in the trailing punctuation
        }
        if s.start > at {
            out.push(Piece::Text(body[at..s.start].to_string()));
        }
        out.push(Piece::Instead(body[s.clone()].to_string()));
        at = s.end;
    }
    if at < body.len() {
        out.push(Piece::Text(body[at..].to_string()));
    }
    if !r.impact {
        out.push(Piece::Impact);
    }
    out
}

/// The spans in text order, the longest of overlapping ones kept (从来不 over 从不).
pub(crate) fn without_overlaps(mut found: Vec<Range<usize>>) -> Vec<Range<usize>> {
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut end = 0;
    found.retain(|f| {
        let keep = f.start >= end;
        if keep {
            end = f.end;
        }
        keep
    });
    found
}

/// Byte spans of every occurrence of each of `needles` in `hay` (non-overlapping per needle).
pub(crate) fn find_all(hay: &str, needles: &[&str], out: &mut Vec<Range<usize>>) {
    for n in needles {
        let mut from = 0;
        while let Some(i) = hay[from..].find(n) {
            let start = from + i;
            out.push(start..start + n.len());
            from = start + n.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(text: &str) -> Vec<&'static str> {
        advise(text).hints.iter().map(|h| h.flag.code()).collect()
    }

    #[test]
    fn f3_language_is_chinese_from_a_fifth_han() {
        assert_eq!(Lang::of("周二的演示"), Lang::Zh);
        assert_eq!(Lang::of("In Tuesday's demo"), Lang::En);
        // 2 Han letters of 10: exactly a fifth.
        assert_eq!(Lang::of("PR review 很好"), Lang::Zh);
        assert_eq!(Lang::of(""), Lang::En);
    }

    #[test]
    fn f3_english_vague_harsh_label_and_missing_impact() {
        assert_eq!(flags("Good job."), ["vague"]);
        assert_eq!(flags("You always miss deadlines."), ["harsh"]);
        assert_eq!(flags("You are so lazy."), ["label"]);
        assert_eq!(flags("Yesterday you reviewed my pull request and pointed out the missing index."), ["no_impact"]);
        assert!(
            flags("In Tuesday's demo you walked the client through the dashboard, which got us their sign-off.")
                .is_empty()
        );
        assert!(flags("Can we move our 1:1 to Wednesday?").is_empty());
        // A positive "always" is not harsh; "never" before a negative word is praise.
        assert_eq!(flags("Well done, as always."), ["vague"]);
        assert!(!advise("In the March release you never missed a review, so we shipped on time.").has(Flag::Harsh));
    }

    #[test]
    fn f3_chinese_vague_harsh_label_and_missing_impact() {
        assert_eq!(flags("做得不错，继续加油！"), ["vague"]);
        assert_eq!(flags("你总是拖延交付。"), ["harsh"]);
        assert_eq!(flags("他这个人很自私。"), ["label"]);
        assert_eq!(flags("周五你留下来写完了测试计划。"), ["no_impact"]);
        assert!(flags("周五你留下来写完了测试计划，测试组周一一早就能开始工作。").is_empty());
        assert!(flags("你觉得这个方案怎么样？").is_empty());
        // 太懒 after a comma is a judgement, not a consequence: the frame still asks for impact.
        assert!(!advise("你总是拖延交付，太懒了。").impact);
        // Segmentation: 懒 in 懒加载 (lazy loading) is not a label.
        assert!(!advise("今天上午的设计评审中，你问到弱网用户如何加载页面，我们因此加上了懒加载。").has(Flag::Label));
        // 根本原因 (root cause) is not an absolute.
        assert!(!advise("周一的复盘里你找到了故障的根本原因，因此下周不会再出现。").has(Flag::Harsh));
    }

    #[test]
    fn f3_hints_carry_the_words_they_are_about() {
        let a = advise("You never listen and you're careless.");
        let harsh = a.hints.iter().find(|h| h.flag == Flag::Harsh).unwrap();
        assert_eq!(harsh.words, ["never"]);
        let label = a.hints.iter().find(|h| h.flag == Flag::Label).unwrap();
        assert_eq!(label.words, ["careless"]);
        let z = advise("你从来不听别人的意见，太马虎了。");
        assert_eq!(z.hints.iter().find(|h| h.flag == Flag::Harsh).unwrap().words, ["从来不"]);
        assert_eq!(z.hints.iter().find(|h| h.flag == Flag::Label).unwrap().words, ["马虎"]);
    }

    #[test]
    fn f3_the_rewrite_frame_keeps_the_writers_words_and_slots_the_rest() {
        let a = advise("你总是拖延交付。");
        assert_eq!(
            a.rewrite,
            [
                Piece::Situation,
                Piece::Text("你".into()),
                Piece::Instead("总是".into()),
                Piece::Text("拖延交付".into()),
                Piece::Impact
            ]
        );
        // Good feedback needs no frame.
        assert!(advise("On Friday you fixed the login bug, so support closed 30 tickets.").rewrite.is_empty());
        // A concrete behaviour without impact keeps the text and asks for the effect only.
        let b = advise("Yesterday you reviewed my pull request.");
        assert_eq!(b.rewrite, [Piece::Text("Yesterday you reviewed my pull request".into()), Piece::Impact]);
    }

    #[test]
    fn f3_a_label_is_marked_and_replaced_as_a_whole_word() {
        // Issue 22, item 10: the frame split 愚蠢 into 愚[…"蠢"].
        let a = advise("他这个人真是愚蠢。");
        assert_eq!(a.hints.iter().find(|h| h.flag == Flag::Label).unwrap().words, ["愚蠢"]);
        assert!(a.rewrite.contains(&Piece::Instead("愚蠢".into())), "{:?}", a.rewrite);
        assert!(!a.rewrite.iter().any(|p| matches!(p, Piece::Text(t) if t.ends_with('愚'))), "{:?}", a.rewrite);
        // Temper and personality are labels too, in either language; 脾气太差 is one problem.
        assert_eq!(flags("你太急躁了。"), ["label"]);
        assert_eq!(flags("你脾气太差了。"), ["label"]);
        assert_eq!(flags("She is a bit thin-skinned."), ["label"]);
        assert_eq!(flags("You are hard to work with."), ["label"]);
    }

    #[test]
    fn f3_in_a_template_the_parts_decide_what_is_there() {
        // 让 in the behaviour box is what was done, not its effect: with the impact box empty
        // the impact is missing, and says so.
        let a = advise_parts(&[("situation", "昨天的客户会上"), ("behaviour", "你让客户等了半小时"), ("impact", "")]);
        assert!(!a.impact && a.situation && a.behaviour);
        assert!(a.has(Flag::NoImpact));
        // Filled in, it is complete; an empty form is empty.
        let b = advise_parts(&[
            ("situation", "昨天的客户会上"),
            ("behaviour", "你让客户等了半小时"),
            ("impact", "客户临时取消了续约讨论"),
        ]);
        assert_eq!(b.verdict(), Verdict::Complete);
        assert_eq!(advise_parts(&[("situation", ""), ("behaviour", " "), ("impact", "")]).verdict(), Verdict::Empty);
        // A free text is read as before.
        assert_eq!(advise_parts(&[("text", "Good job.")]).hints, advise("Good job.").hints);
    }

    #[test]
    fn f3_empty_text_has_no_hints_and_no_praise() {
        let blank = advise("   ");
        assert!(blank.hints.is_empty() && blank.rewrite.is_empty());
        assert_eq!(blank.verdict(), Verdict::Empty);
        assert!(!blank.situation && !blank.behaviour && !blank.impact);
        assert_eq!(
            advise("In Tuesday's demo you walked the client through the dashboard, which got us their sign-off.")
                .verdict(),
            Verdict::Complete
        );
        assert_eq!(advise("Can we move our 1:1 to Wednesday?").verdict(), Verdict::Unflagged);
        assert_eq!(advise("Good job.").verdict(), Verdict::Hints);
    }
}
