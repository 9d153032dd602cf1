//! The Chinese reader: jieba segments and tags the words (so 懒 is found in 你太懒了 and not in
//! 懒加载), then the coach's signals come from small lexicons over words and, for fixed
//! multi-character expressions, over the text.

use std::ops::Range;
use std::sync::OnceLock;

use jieba_rs::{Jieba, Tag};

use super::{Reading, find_all, is_han, without_overlaps};

const EVALUATIVE: &[&str] = &[
    "不错",
    "很好",
    "挺好",
    "真好",
    "做得好",
    "棒",
    "优秀",
    "出色",
    "满意",
    "表扬",
    "感谢",
    "谢谢",
    "辛苦",
    "加油",
    "保持",
    "进步",
    "提高",
    "提升",
    "改进",
    "加强",
    "需要",
    "应该",
    "要多",
    "要更",
    "要有",
    "要注意",
    "要提高",
    "希望你",
    "建议你",
    "不够",
    "有待",
    "空间",
    "还可以",
    "还行",
    "顺利",
    "努力",
    "态度",
    "能力",
    "表现",
    "积极",
    "主动",
    "给力",
    "重要",
    "学习",
    "注意",
    "细心",
    "发展",
    "不足",
    "失望",
    "更好",
    // Added with the second evaluation set (issue 22, item 10).
    "漂亮",
    "不太好",
    "愉快",
    "成功",
    "很强",
    "一般",
    "不理想",
    "贡献",
    "状态",
];
/// Words that make 总是 or 一直 critical.
const NEGATIVE: &[&str] = &[
    "拖延",
    "出错",
    "错误",
    "抱怨",
    "推卸",
    "打断",
    "失误",
    "迟到",
    "延误",
    "遗漏",
    "马虎",
    "粗心",
    "不礼貌",
    "难看",
    "搞砸",
    "失败",
    "缺席",
    "没用",
    "不听",
    "不回",
    "不按时",
    "敷衍",
    "乱",
    "冲",
    "差",
    "最后一个",
    "出问题",
    "看不懂",
    "造成",
    "漏洞",
    "急躁",
    "固执",
    "情绪化",
    "懒散",
];
/// Negation words: 总是不…, 一直没…
const NEGATION: &[&str] = &["不", "没", "没有", "别"];
/// Harsh whatever the context.
const STRONG: &[&str] = &[
    "糟糕",
    "差劲",
    "垃圾",
    "无能",
    "废物",
    "一塌糊涂",
    "一无是处",
    "不可救药",
    "丢人",
    "太差",
    "乱七八糟",
    "失望透顶",
    "无法接受",
    "不可接受",
    "可笑",
    "搞砸",
    "半途而废",
    "受不了",
    "烂透",
    "荒唐",
    "离谱",
    "灾难",
    "一团糟",
    "漏洞百出",
    "毫无价值",
    "白痴",
];
/// Absolutes critical by themselves (从不回复, 老是打断).
const ABSOLUTE_NEGATIVE: &[&str] = &[
    "从来都不",
    "从来没有",
    "从来不",
    "从来没",
    "从不",
    "从没",
    "毫无",
    "没人",
    "没有人",
    "没有一个",
    "老是",
    "永远不",
    "一点也不",
    "一点都不",
    "什么事都",
    "对谁都",
    "谁都不",
    "根本",
];
/// …except the "never" ones before a negative word, which are praise (从不抱怨, 从没出错).
const NEVER: &[&str] = &["从来都不", "从来没有", "从来不", "从来没", "从不", "从没", "永远不"];
/// Absolutes harsh in a critical sentence (总是拖延) and not in praise (总是第一个到).
const ABSOLUTE: &[&str] = &["总是", "每次", "一直", "永远", "完全", "彻底", "所有", "全都", "从来都是"];
/// Labels of one character, matched as whole words only.
const LABEL_WORDS: &[&str] = &["懒", "笨", "蠢"];
/// Labels of several characters, matched in the text with intensifiers taken out (太不专业 → 不专业).
const LABEL_TEXTS: &[&str] = &[
    "懒惰",
    "懒散",
    "马虎",
    "粗心",
    "傲慢",
    "自私",
    "不靠谱",
    "没责任心",
    "没有责任心",
    "不负责任",
    "不专业",
    "情商低",
    "玻璃心",
    "无能",
    "废物",
    "混日子",
    "不上进",
    "难相处",
    "不合格",
    "没用",
    "没脑子",
    // Temper, personality and disposition (issue 22, item 10: most of these were missed).
    "急躁",
    "暴躁",
    "脾气差",
    "脾气坏",
    "急性子",
    "固执",
    "死板",
    "偏执",
    "情绪化",
    "敏感",
    "强势",
    "难沟通",
    "不好沟通",
    "内向",
    "孤僻",
    "不合群",
    "冷漠",
    "高冷",
    "自负",
    "自大",
    "狂妄",
    "爱抱怨",
    "爱出风头",
    "拖拉",
    "磨蹭",
    "浮躁",
    "冲动",
    "斤斤计较",
    "小心眼",
    "心眼小",
    "老好人",
    "墙头草",
    "刺头",
    "消极",
    "悲观",
    "没主见",
    "没有主见",
    "优柔寡断",
    "懦弱",
    "软弱",
    "圆滑",
    "势利",
    "虚伪",
    "较真",
    "完美主义者",
    "幼稚",
    "不成熟",
    "白痴",
    "愚蠢",
    "马大哈",
    "性格不适合",
];
const INTENSIFIERS: &[&str] = &["真是", "就是", "非常", "特别", "有点", "十分", "实在", "太", "很", "真"];
const PERSONS: &[&str] = &["你", "您", "他", "她", "他们", "她们", "你们", "这个人", "此人", "人"];
const TIMES: &[&str] = &[
    "昨天",
    "前天",
    "今天",
    "今早",
    "今晚",
    "当天",
    "当晚",
    "当周",
    "上午",
    "下午",
    "晚上",
    "早上",
    "中午",
    "上周",
    "上周末",
    "本周",
    "这周",
    "上个月",
    "上月",
    "本月",
    "月初",
    "月底",
    "上次",
    "上个迭代",
    "那周",
    "周末",
    "双十一",
    "国庆",
    "春节",
    "期间",
];
const WEEKDAY_HEADS: &[&str] = &["周", "星期", "礼拜"];
const WEEKDAYS: &str = "一二三四五六日天";
const NUMERALS: &str = "一二两三四五六七八九十百千半几";
/// Measure words after a numeral: 两次, 三个, 十五分钟.
const MEASURES: &[&str] = &[
    "次", "个", "份", "天", "周", "家", "项", "条", "页", "位", "名", "件", "张", "封", "轮", "处", "倍", "小时",
    "分钟", "月", "号", "日",
];
/// Occasions, concrete when followed by where in them: 评审中, 研讨会上, 故障期间.
const EVENTS: &[&str] = &[
    "会议",
    "站会",
    "例会",
    "周会",
    "复盘会",
    "复盘",
    "评审",
    "演示",
    "面试",
    "培训",
    "启动会",
    "规划会",
    "研讨会",
    "故障",
    "事故",
    "迁移",
    "审计",
    "交接",
    "电话",
    "一对一",
    "活动",
    "材料",
    "开会",
    "发布会",
    "汇报会",
];
const IN_EVENT: &[&str] = &["上", "中", "里", "时", "期间", "后", "前"];
const IMPACT: &[&str] = &[
    "降到",
    "降至",
    "升到",
    "提前",
    "导致",
    "使得",
    "使",
    "让",
    "因此",
    "从而",
    "所以",
    "结果",
    "于是",
    "最终",
    "最后",
    "帮助",
    "帮我们",
    "节省",
    "避免",
    "减少",
    "降低",
    "提高了",
    "提升了",
    "增加了",
    "缩短",
    "加快",
    "促成",
    "赢得",
    "影响",
    "造成",
    "以至于",
    "只好",
    "不得不",
    "分散",
    "耽误",
    "延期",
    "就能",
    "当天就",
    "当场",
    "很快就",
    "随后",
    "之后",
    "没有再",
    "按时",
    "顺利",
    "提前",
    "多亏",
];
/// A later clause starting with one of these, or a causative, states the effect.
const CAUSATIVES: &[&str] = &["给", "让", "使", "帮"];
/// A question, even without its question mark.
const ASK_TAILS: &[&str] = &["吗", "呢"];
const CLAUSE_ENDS: &str = "，,；;：:";
const SENTENCE_ENDS: &str = "。！？!?\n";

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        let mut j = Jieba::new();
        // Our words as words, so segmentation keeps them whole.
        for w in STRONG.iter().chain(ABSOLUTE_NEGATIVE).chain(LABEL_TEXTS).chain(IMPACT).chain(NEGATIVE) {
            if w.chars().count() > 1 && !j.has_word(w) {
                j.add_word(w, None, None);
            }
        }
        j
    })
}

/// Loads the dictionary now (about a third of a second) rather than on the first keystroke.
pub fn warm_up() {
    let _ = jieba();
}

fn is_punct(t: &Tag) -> bool {
    !t.word.chars().any(|c| c.is_alphanumeric())
}

pub(super) fn read(text: &str) -> Reading {
    let tags = jieba().tag(text, true);
    let mut r = Reading { ask: true, ..Reading::default() };
    let mut start = 0;
    for (i, t) in tags.iter().enumerate() {
        if t.word.chars().all(|c| SENTENCE_ENDS.contains(c)) || i + 1 == tags.len() {
            read_sentence(text, &tags[start..=i], &mut r);
            start = i + 1;
        }
    }
    if tags.is_empty() {
        r.ask = false;
    }
    r
}

fn read_sentence(text: &str, s: &[Tag], r: &mut Reading) {
    let words: Vec<&Tag> = s.iter().filter(|t| !is_punct(t)).collect();
    let Some(last) = words.last() else { return };
    let span = s[0].byte_start..s[s.len() - 1].byte_end;
    let sentence = &text[span.clone()];
    let question = sentence.trim_end().ends_with(['？', '?']);
    if !(question || ASK_TAILS.contains(&last.word)) {
        r.ask = false;
    }
    let has = |list: &[&str]| list.iter().any(|w| sentence.contains(w));
    if has(EVALUATIVE) || has(STRONG) {
        r.evaluative = true;
    }
    if sentence.contains(['“', '「', '"']) || situation(s) {
        r.situation = true;
    }
    harsh(text, span.clone(), s, r);
    labels(s, r);
    if behaviour(s) {
        r.behaviour = true;
    }
    if impact(s) {
        r.impact = true;
    }
}

fn situation(s: &[Tag]) -> bool {
    s.iter().enumerate().any(|(i, t)| {
        let w = t.word;
        let next = s.get(i + 1).map(|n| n.word).unwrap_or("");
        let after: String = w.chars().skip_while(|c| NUMERALS.contains(*c)).collect();
        let numeral = w.starts_with(|c| NUMERALS.contains(c)) && after.len() < w.len();
        let measured = numeral
            && (MEASURES.iter().any(|m| after.starts_with(m))
                || (after.is_empty() && MEASURES.iter().any(|m| next.starts_with(m))))
            && !(i > 0 && matches!(s[i - 1].word, "没有" | "每"));
        let weekday = WEEKDAY_HEADS
            .iter()
            .any(|h| w.strip_prefix(h).is_some_and(|d| d.chars().count() == 1 && WEEKDAYS.contains(d)))
            || (WEEKDAY_HEADS.contains(&w) && next.chars().count() == 1 && WEEKDAYS.contains(next));
        let quarter = w.starts_with('第') && (w.contains("季度") || next == "季度");
        let event = EVENTS.contains(&w) && IN_EVENT.contains(&next);
        // jieba joins a time to what follows it (今天上午, 上周四): the time still leads.
        let joined_time = TIMES.iter().any(|t| w.starts_with(t))
            || ["上", "下", "本", "这"].iter().any(|p| {
                w.strip_prefix(p).is_some_and(|rest| {
                    WEEKDAY_HEADS
                        .iter()
                        .any(|h| rest.strip_prefix(h).is_some_and(|d| d.chars().count() == 1 && WEEKDAYS.contains(d)))
                })
            });
        w.chars().any(|c| c.is_ascii_digit())
            || measured
            || weekday
            || quarter
            || event
            || joined_time
            || TIMES.contains(&w)
    }) || in_an_event(s)
}

/// …or the words, whatever their cut, name a place in an occasion (周会上, 电话会上).
fn in_an_event(s: &[Tag]) -> bool {
    let text: String = s.iter().map(|t| t.word).collect();
    text.contains("会上") || EVENTS.iter().any(|e| IN_EVENT.iter().any(|i| text.contains(&format!("{e}{i}"))))
}

fn harsh(text: &str, span: Range<usize>, s: &[Tag], r: &mut Reading) {
    let sentence = &text[span.clone()];
    let mut found = Vec::new();
    find_all(sentence, STRONG, &mut found);
    find_all(sentence, &["蠢"], &mut found);
    found.retain(|f| !sentence[f.start..].starts_with("蠢蠢欲动"));
    let mut absolute = Vec::new();
    find_all(sentence, ABSOLUTE_NEGATIVE, &mut absolute);
    absolute.retain(|a| {
        let rest = &sentence[a.end..];
        let root = &sentence[a.clone()] == "根本" && ["原因", "问题", "上"].iter().any(|w| rest.starts_with(w));
        let never = NEVER.contains(&&sentence[a.clone()]);
        let praise = never && NEGATIVE.iter().any(|n| rest.chars().take(3).collect::<String>().contains(n));
        !root && !praise
    });
    found.extend(absolute);
    // 一点…都没有: "not the least …"
    if let Some(i) = sentence.find("一点") {
        let rest: String = sentence[i..].chars().take(8).collect();
        if ["都没", "也没", "都不", "也不"].iter().any(|n| rest.contains(n)) {
            found.push(i..i + "一点".len());
        }
    }
    let critical = !found.is_empty()
        || NEGATIVE.iter().any(|n| sentence.contains(n) && n.chars().count() > 1)
        || s.iter().any(|t| NEGATION.contains(&t.word) || t.word == "冲" || t.word == "差" || t.word == "乱");
    if critical {
        find_all(sentence, ABSOLUTE, &mut found);
    }
    r.harsh.extend(without_overlaps(found).into_iter().map(|f| span.start + f.start..span.start + f.end));
}

fn labels(s: &[Tag], r: &mut Reading) {
    if !s.iter().any(|t| PERSONS.contains(&t.word) || starts_with_person(t.word)) {
        return;
    }
    let words = without_intensifiers(s);
    for (i, w) in words.iter().enumerate() {
        // 懒 about a person: the nearest noun or pronoun before it is the person.
        if LABEL_WORDS.contains(&w.word) {
            let before =
                words[..i].iter().rev().find(|b| b.tag.starts_with('n') || b.tag == "r" || PERSONS.contains(&b.word));
            if before.is_none_or(|b| PERSONS.contains(&b.word) || starts_with_person(b.word) || b.word == "这么") {
                r.labels.push(w.at..w.at + w.word.len());
            }
        }
    }
    // Several characters, whole words of the sentence with intensifiers taken out: 情商(太)低.
    let plain: String = words.iter().map(|w| w.word).collect();
    let mut starts = vec![0];
    for w in &words {
        starts.push(starts.last().unwrap() + w.word.len());
    }
    let mut found = Vec::new();
    find_all(&plain, LABEL_TEXTS, &mut found);
    found.retain(|f| starts.contains(&f.start) && starts.contains(&f.end));
    for f in without_overlaps(found) {
        let first = starts.iter().position(|x| *x == f.start).unwrap();
        let last = starts.iter().position(|x| *x == f.end).unwrap() - 1;
        r.labels.push(words[first].at..words[last].at + words[last].word.len());
    }
}

fn starts_with_person(w: &str) -> bool {
    w.starts_with(['你', '您', '他', '她'])
}

/// A word of the sentence with its intensifiers taken off (太低 → 低, 真是太 → nothing), and
/// where what is left starts in the text.
struct Plain<'a> {
    word: &'a str,
    tag: &'a str,
    at: usize,
}

fn without_intensifiers<'a>(s: &[Tag<'a>]) -> Vec<Plain<'a>> {
    s.iter()
        .filter_map(|t| {
            let mut w = t.word;
            while let Some(rest) = INTENSIFIERS.iter().find_map(|i| w.strip_prefix(i)) {
                w = rest;
            }
            (!w.is_empty()).then(|| Plain { word: w, tag: t.tag, at: t.byte_end - w.len() })
        })
        .collect()
}

/// A person followed, within five words of the same clause, by a verb: 你…发出, 你把…总结.
/// jieba sometimes joins the person to the verb (你加/v): that is a behaviour too. A word right
/// before 了 or 过 acts as a verb (你缺席/n 了).
fn behaviour(s: &[Tag]) -> bool {
    let verb_at = |k: usize| {
        let n = &s[k];
        let done = s.get(k + 1).is_some_and(|a| matches!(a.word, "了" | "过"));
        n.tag.starts_with('v') || n.word == "把" || done || (n.tag == "x" && n.word.chars().any(is_han))
    };
    s.iter().enumerate().any(|(i, t)| {
        let person = matches!(t.word, "你" | "您" | "他" | "她" | "他们" | "她们");
        let joined = !person && starts_with_person(t.word) && t.tag.starts_with('v');
        let possessive = s.get(i + 1).is_some_and(|n| n.word == "的");
        joined || (person && !possessive && (i + 1..s.len().min(i + 6)).take_while(|&k| !is_punct(&s[k])).any(verb_at))
    })
}

/// An effect word, or a later clause whose subject is someone other than "you" (客户当天就签字了).
fn impact(s: &[Tag]) -> bool {
    if s.iter().any(|t| IMPACT.contains(&t.word)) {
        return true;
    }
    s.windows(2).any(|w| {
        let (comma, next) = (&w[0], &w[1]);
        let clause_start = comma.word.chars().all(|c| CLAUSE_ENDS.contains(c));
        // jieba tags an intensified word like 太懒 as a noun: that is a judgement, not someone.
        let intensified = INTENSIFIERS.iter().any(|i| next.word.starts_with(i));
        // A place or a time opening the clause is about what followed (后面的人…, 第二天…).
        let other = (next.tag.starts_with('n') || matches!(next.tag, "r" | "vn" | "f" | "t"))
            && !matches!(next.word, "你" | "您" | "这" | "那")
            && !intensified;
        clause_start && (other || CAUSATIVES.contains(&next.word))
    })
}
