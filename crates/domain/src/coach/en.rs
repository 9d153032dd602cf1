//! The English reader: words and punctuation, then the coach's signals from small lexicons.

use std::ops::Range;

use super::Reading;

/// Praise, criticism and advice.
const EVALUATIVE: &[&str] = &[
    "good",
    "great",
    "nice",
    "well",
    "excellent",
    "awesome",
    "amazing",
    "impressive",
    "fine",
    "solid",
    "outstanding",
    "fantastic",
    "brilliant",
    "superb",
    "thanks",
    "thank",
    "appreciate",
    "happy",
    "proud",
    "bad",
    "poor",
    "better",
    "improve",
    "improvement",
    "improving",
    "need",
    "needs",
    "should",
    "could",
    "must",
    "harder",
    "careful",
    "attitude",
    "effort",
    "performance",
    "expectations",
    "proactive",
    "ownership",
    "development",
    "helpful",
    "work",
    "job",
    "disappointed",
    "disappointing",
    "unhappy",
    "quality",
    "focus",
    // Added with the second evaluation set (issue 22, item 10).
    "strong",
    "valuable",
    "mediocre",
    "contributed",
    "improved",
    "grow",
    "grown",
    "reliable",
    "lacking",
    "initiative",
    "average",
    "best",
    "learn",
];
const EVALUATIVE_PHRASES: &[&[&str]] = &[&["have", "to"], &["step", "up"], &["do", "better"]];
/// Words that make an "always" or "everyone" critical.
const NEGATIVE: &[&str] = &[
    "miss",
    "missed",
    "misses",
    "missing",
    "late",
    "mistake",
    "mistakes",
    "error",
    "errors",
    "wrong",
    "mess",
    "messy",
    "sloppy",
    "careless",
    "interrupt",
    "interrupts",
    "interrupted",
    "ignore",
    "ignores",
    "ignored",
    "fail",
    "fails",
    "failed",
    "complain",
    "complains",
    "blame",
    "blames",
    "problem",
    "problems",
    "forget",
    "forgets",
    "forgot",
    "rude",
    "ugly",
    "delay",
    "delays",
    "delayed",
    "lazy",
    "slow",
    "bad",
    "poor",
    "not",
    "no",
    "don't",
    "didn't",
    "doesn't",
    "won't",
    "can't",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "never",
    "nothing",
    "complaint",
    "complaints",
    "problematic",
    "typos",
    "bugs",
    "last",
    "blaming",
    "breaks",
    "stubborn",
    "moody",
    "emotional",
];
/// Harsh whatever the context.
const STRONG: &[&str] = &[
    "terrible",
    "awful",
    "horrible",
    "horrendous",
    "useless",
    "pathetic",
    "disaster",
    "disgrace",
    "disgraceful",
    "ridiculous",
    "hopeless",
    "incompetent",
    "worst",
    "unacceptable",
    "stupid",
    "idiotic",
    "garbage",
    "trash",
    "ruin",
    "ruins",
    "ruined",
    "shameful",
    "embarrassing",
    "dumb",
    "laughable",
    "worthless",
    "trainwreck",
    "botched",
    "idiot",
];
const STRONG_PHRASES: &[&[&str]] = &[
    &["total", "mess"],
    &["complete", "mess"],
    &["absolute", "mess"],
    &["total", "failure"],
    &["waste", "of", "time"],
];
/// Absolutes that are critical by themselves ("never replies"), unless a negative word follows
/// ("never missed one").
const ABSOLUTE_NEGATIVE: &[&[&str]] = &[&["never"], &["nobody"], &["no", "one"], &["nothing"], &["not", "once"]];
/// Absolutes that are harsh in a critical sentence ("always late") but not in praise.
const ABSOLUTE: &[&[&str]] = &[
    &["always"],
    &["constantly"],
    &["every", "time"],
    &["every", "single"],
    &["all", "the", "time"],
    &["everyone"],
    &["everybody"],
    &["completely"],
    &["totally"],
    &["utterly"],
    &["entirely"],
    &["ever"],
];
/// Labels on a person, found after "you are", "he's", "they seem so" …
const LABELS: &[&str] = &[
    "lazy",
    "careless",
    "sloppy",
    "arrogant",
    "selfish",
    "rude",
    "incompetent",
    "unreliable",
    "stupid",
    "dumb",
    "toxic",
    "unprofessional",
    "immature",
    "disorganized",
    "disorganised",
    "clueless",
    "hopeless",
    "useless",
    "slacker",
    "bossy",
    "irresponsible",
    "untrustworthy",
    "ignorant",
    "negative",
    "difficult",
    "weak",
    "idiot",
    "loser",
    "lazybones",
    // Temper, personality and disposition (issue 22, item 10: most of these were missed).
    "impatient",
    "stubborn",
    "thin-skinned",
    "emotional",
    "short-tempered",
    "hot-headed",
    "moody",
    "complainer",
    "procrastinator",
    "rigid",
    "impulsive",
    "petty",
    "oversensitive",
    "pushover",
    "pessimistic",
    "troublemaker",
    "spineless",
    "indecisive",
    "aloof",
    "cold",
    "abrasive",
    "cocky",
    "loner",
    "two-faced",
    "show-off",
    "know-it-all",
    "passive-aggressive",
    "perfectionist",
    "insecure",
    "introverted",
    "withdrawn",
    "whiny",
    "domineering",
    "pushy",
    "childish",
    "naive",
    "grumpy",
    "defensive",
];
const SUBJECTS: &[&str] = &["you", "he", "she", "they"];
const SUBJECT_IS: &[&str] = &["you're", "he's", "she's", "they're", "youre"];
const COPULAS: &[&str] = &["are", "is", "seem", "seems", "look", "looks", "sound", "sounds", "act", "acts"];
const INTENSIFIERS: &[&str] = &[
    "so",
    "very",
    "too",
    "really",
    "quite",
    "a",
    "an",
    "such",
    "completely",
    "totally",
    "just",
    "being",
    "extremely",
    "pretty",
    "always",
    "absolutely",
    "utterly",
    "incredibly",
    "bit",
    "little",
];
const NUMBER_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "fifteen", "twenty",
    "thirty", "forty", "fifty", "hundred", "twice", "dozen",
];
const DAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "tonight",
    "tomorrow",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "weekend",
];
const RELATIVE: &[&str] = &["this", "last", "next"];
const RELATIVE_UNITS: &[&str] = &["morning", "afternoon", "evening", "night", "week", "weekend", "month", "sprint"];
/// Occasions, concrete when "the", "this", "last" or a day's name points at one.
const EVENTS: &[&str] = &[
    "meeting",
    "demo",
    "review",
    "standup",
    "stand-up",
    "call",
    "retro",
    "retrospective",
    "interview",
    "session",
    "workshop",
    "offsite",
    "kickoff",
    "planning",
    "presentation",
    "audit",
    "outage",
    "incident",
    "launch",
    "release",
    "migration",
    "campaign",
    "training",
    "handover",
    "escalation",
    "sprint",
    "deck",
    "onboarding",
    "all-hands",
    "1:1",
];
const DETERMINERS: &[&str] = &["the", "this", "last", "yesterday", "today", "our", "your", "my"];
const IRREGULAR_PAST: &[&str] = &[
    "did",
    "made",
    "took",
    "gave",
    "came",
    "went",
    "kept",
    "wrote",
    "spoke",
    "found",
    "led",
    "ran",
    "sent",
    "got",
    "brought",
    "told",
    "said",
    "put",
    "set",
    "left",
    "met",
    "paid",
    "held",
    "built",
    "taught",
    "thought",
    "caught",
    "stood",
    "won",
    "lost",
    "saw",
    "chose",
    "drove",
    "broke",
    "began",
    "knew",
    "felt",
    "sat",
    "spent",
    "read",
    "shut",
    "cut",
    "let",
    "fought",
    "sold",
    "bought",
    "drew",
    "forgot",
    "hid",
    "rang",
    "rose",
    "shook",
    "showed",
    "stuck",
    "swore",
    "threw",
    "understood",
    "woke",
    "withdrew",
    "grew",
    "flew",
    "fell",
    "hit",
    "hurt",
    "meant",
    "heard",
    "lent",
    "dealt",
    "struck",
    "swept",
    "slept",
    "fed",
];
const NOT_PAST: &[&str] =
    &["need", "needed", "speed", "feed", "seed", "indeed", "red", "bed", "shed", "embed", "proud"];
/// Words and phrases that state an effect.
const IMPACT_PHRASES: &[&[&str]] = &[
    &["so", "that"],
    &["as", "a", "result"],
    &["resulted", "in"],
    &["led", "to"],
    &["led", "us"],
    &["leading", "to"],
    &["because", "of", "this"],
    &["thanks", "to"],
    &["which", "meant"],
    &["this", "meant"],
    &["that", "meant"],
    &["had", "to"],
    &["got", "us"],
    &["helped"],
    &["helps"],
    &["saved"],
    &["enabled"],
    &["allowed"],
    &["unblocked"],
    &["prevented"],
    &["avoided"],
    &["caused"],
    &["cost"],
    &["reduced"],
    &["increased"],
    &["dropped"],
    &["distracted"],
    &["impact"],
    &["impacted"],
    &["affected"],
    &["meaning"],
    &["after", "that"],
    &["the", "next", "day"],
    &["right", "away"],
    &["became"],
];
/// A later clause that starts with someone other than "you" doing something is the effect:
/// "…, and the team decided in twenty minutes".
const OTHERS: &[&str] = &[
    "we",
    "they",
    "she",
    "he",
    "the",
    "our",
    "both",
    "no",
    "nobody",
    "everyone",
    "attendees",
    "leadership",
    "support",
    "finance",
    "qa",
    "customers",
    "it",
    "this",
    "that",
    "i",
    "me",
    "another",
    "product",
    "others",
];

#[derive(Debug, Clone)]
struct Tok {
    /// Lower case, apostrophes normalized, a trailing "'s" removed.
    w: String,
    span: Range<usize>,
    punct: bool,
}

fn tokenize(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() {
            let mut end = i + c.len_utf8();
            let mut w = String::new();
            w.extend(c.to_lowercase());
            while let Some(&(j, d)) = chars.peek() {
                let inner_mark = matches!(d, '\'' | '’' | '-') || (d == '.' && w.chars().all(|x| x.is_ascii_digit()));
                let continues = d.is_alphanumeric()
                    || (inner_mark && text[j + d.len_utf8()..].chars().next().is_some_and(char::is_alphanumeric));
                if !continues {
                    break;
                }
                if d == '’' {
                    w.push('\'')
                } else {
                    w.extend(d.to_lowercase())
                }
                end = j + d.len_utf8();
                chars.next();
            }
            let w = match w.strip_suffix("'s") {
                Some(base) if !matches!(base, "he" | "she" | "it" | "that" | "let" | "what" | "who") => {
                    base.to_string()
                }
                _ => w,
            };
            out.push(Tok { w, span: i..end, punct: false });
        } else if !c.is_whitespace() {
            out.push(Tok { w: c.to_string(), span: i..i + c.len_utf8(), punct: true });
        }
    }
    out
}

fn phrase_at(toks: &[Tok], i: usize, phrase: &[&str]) -> bool {
    phrase.iter().enumerate().all(|(k, p)| toks.get(i + k).is_some_and(|t| t.w == *p))
}

fn is_past(w: &str) -> bool {
    IRREGULAR_PAST.contains(&w) || (w.len() >= 4 && w.ends_with("ed") && !NOT_PAST.contains(&w))
}

fn ends_sentence(t: &Tok) -> bool {
    t.punct && matches!(t.w.as_str(), "." | "!" | "?" | ";")
}

pub(super) fn read(text: &str) -> Reading {
    let toks = tokenize(text);
    let mut r = Reading { ask: true, ..Reading::default() };
    for sentence in toks.split_inclusive(ends_sentence) {
        read_sentence(text, sentence, &mut r);
    }
    if toks.is_empty() {
        r.ask = false;
    }
    r
}

fn read_sentence(text: &str, s: &[Tok], r: &mut Reading) {
    let words: Vec<&str> = s.iter().filter(|t| !t.punct).map(|t| t.w.as_str()).collect();
    if words.is_empty() {
        return;
    }
    // Questions are not feedback; requests ("please be more careful") may be.
    if s.last().is_none_or(|t| t.w != "?") {
        r.ask = false;
    }
    if text[s[0].span.start..s[s.len() - 1].span.end].contains(['"', '“', '「']) {
        r.situation = true;
    }
    let negative = words.iter().any(|w| NEGATIVE.contains(w) || STRONG.contains(w) || LABELS.contains(w));
    for (i, t) in s.iter().enumerate() {
        if t.punct {
            continue;
        }
        let w = t.w.as_str();
        let advice = EVALUATIVE_PHRASES.iter().any(|p| phrase_at(s, i, p)) && !(i > 0 && s[i - 1].w == "had");
        if advice || EVALUATIVE.contains(&w) || NEGATIVE.contains(&w) || STRONG.contains(&w) {
            r.evaluative = true;
        }
        situation_at(s, i, r);
        if STRONG.contains(&w) {
            r.harsh.push(t.span.clone());
        }
        if let Some(p) = STRONG_PHRASES.iter().find(|p| phrase_at(s, i, p)) {
            r.harsh.push(t.span.start..s[i + p.len() - 1].span.end);
        }
        if let Some(p) = ABSOLUTE_NEGATIVE.iter().find(|p| phrase_at(s, i, p)) {
            let after = &s[(i + p.len()).min(s.len())..(i + p.len() + 2).min(s.len())];
            let praise = after.iter().any(|a| NEGATIVE.contains(&a.w.as_str()));
            if !praise {
                r.harsh.push(t.span.start..s[i + p.len() - 1].span.end);
            }
        }
        if negative && let Some(p) = ABSOLUTE.iter().find(|p| phrase_at(s, i, p)) {
            r.harsh.push(t.span.start..s[i + p.len() - 1].span.end);
        }
        if let Some(label) = label_at(s, i) {
            r.labels.push(label);
        }
        let person = |t: &Tok| SUBJECTS.contains(&t.w.as_str()) || SUBJECT_IS.contains(&t.w.as_str()) || t.w == "your";
        if let Some(p) = LABEL_PHRASES.iter().find(|p| phrase_at(s, i, p))
            && s.iter().any(person)
        {
            r.labels.push(t.span.start..s[i + p.len() - 1].span.end);
        }
        if (SUBJECTS.contains(&w) || w == "your") && past_verb_within(s, i + 1, 6) {
            r.behaviour = true;
        }
        if IMPACT_PHRASES.iter().any(|p| phrase_at(s, i, p)) {
            r.impact = true;
        }
        if clause_of_others(s, i) {
            r.impact = true;
        }
    }
}

/// Times, dates, numbers and occasions pointed at.
fn situation_at(s: &[Tok], i: usize, r: &mut Reading) {
    let w = s[i].w.as_str();
    let next = s.get(i + 1).map(|t| t.w.as_str()).unwrap_or("");
    let digit = w.chars().any(|c| c.is_ascii_digit());
    let relative = RELATIVE.contains(&w) && (RELATIVE_UNITS.contains(&next) || DAYS.contains(&next));
    let last_quarter = w == "last" && matches!(next, "quarter" | "year" | "time");
    let event = EVENTS.contains(&w)
        && s[i.saturating_sub(3)..i]
            .iter()
            .any(|t| DETERMINERS.contains(&t.w.as_str()) || DAYS.contains(&t.w.as_str()));
    if digit || NUMBER_WORDS.contains(&w) || DAYS.contains(&w) || relative || last_quarter || event || w == "during" {
        r.situation = true;
    }
}

fn past_verb_within(s: &[Tok], from: usize, n: usize) -> bool {
    s.iter().skip(from).take(n).take_while(|t| !t.punct).any(|t| is_past(&t.w))
}

/// Labels of several words, about a person named in the same sentence.
const LABEL_PHRASES: &[&[&str]] = &[
    &["hard", "to", "work", "with"],
    &["difficult", "to", "work", "with"],
    &["doesn't", "fit", "in"],
    &["does", "not", "fit", "in"],
    &["personality", "is", "wrong"],
    &["bad", "attitude"],
];

/// "you are (so) lazy", "he's arrogant", "you're a slacker".
fn label_at(s: &[Tok], i: usize) -> Option<Range<usize>> {
    let w = s[i].w.as_str();
    let mut j = if SUBJECT_IS.contains(&w) {
        i + 1
    } else if SUBJECTS.contains(&w) && s.get(i + 1).is_some_and(|t| COPULAS.contains(&t.w.as_str())) {
        i + 2
    } else {
        return None;
    };
    let mut skipped = 0;
    while let Some(t) = s.get(j) {
        if LABELS.contains(&t.w.as_str()) {
            return Some(t.span.clone());
        }
        if !INTENSIFIERS.contains(&t.w.as_str()) || skipped == 3 {
            return None;
        }
        skipped += 1;
        j += 1;
    }
    None
}

/// After a comma, ", which", ", so" or "and": someone other than "you" did something.
fn clause_of_others(s: &[Tok], i: usize) -> bool {
    let w = s[i].w.as_str();
    let after_comma = i > 0 && s[i - 1].w == ",";
    if after_comma && (w == "which" || w == "so") {
        return true;
    }
    let starts_clause = after_comma || (w == "and" && i > 0);
    if !starts_clause {
        return false;
    }
    let subject = if w == "and" { i + 1 } else { i };
    s.get(subject).is_some_and(|t| OTHERS.contains(&t.w.as_str())) && past_verb_within(s, subject + 1, 4)
}
