//! Line-level text rules of the records stage, one function each: a department written inside a
//! title, a bracketed paragraph label, a target's name and unit, a unit note, a lead department,
//! a date line, an ordinal heading, subtotal and total rows.

use super::strip_ws;
use crate::fields::lexicon::{Lexicon, Role};
use crate::fields::values::unit_in_label;
use regex::Regex;
use std::sync::OnceLock;

/// Split a department written inside a title (`題【担当：総務課】`, `題（所管課：財政課）`).
pub(super) fn department_in_title(lex: &Lexicon, title: &str) -> (String, Option<String>) {
    for (open, close) in [
        ('【', '】'),
        ('(', ')'),
        ('（', '）'),
        ('[', ']'),
        ('〔', '〕'),
    ] {
        let Some(a) = title.rfind(open) else { continue };
        let Some(inner) = title.get(a + open.len_utf8()..) else {
            continue;
        };
        let Some(b) = inner.find(close) else { continue };
        let Some(body) = inner.get(..b) else { continue };
        let Some((label, value)) = body.split_once(['：', ':']) else {
            // `題（総務課）`: a bracket closing the title and holding only a department's name.
            let closes = inner
                .get(b + close.len_utf8()..)
                .is_some_and(|r| r.trim().is_empty());
            let head = title.get(..a).unwrap_or("").trim();
            if closes && !head.is_empty() && lex.looks_like_department(body) {
                return (head.to_string(), Some(body.trim().to_string()));
            }
            continue;
        };
        let is_dept = lex
            .classify(label)
            .is_some_and(|m| m.roles.contains(&Role::Department));
        if is_dept && !value.trim().is_empty() {
            let mut t = title.get(..a).unwrap_or("").to_string();
            t.push_str(inner.get(b + close.len_utf8()..).unwrap_or(""));
            return (t.trim().to_string(), Some(value.trim().to_string()));
        }
    }
    (title.trim().to_string(), None)
}

/// Brackets that set off a paragraph label.
pub(super) const LABEL_BRACKETS: [(char, char); 6] = [
    ('【', '】'),
    ('<', '>'),
    ('〈', '〉'),
    ('《', '》'),
    ('[', ']'),
    ('〔', '〕'),
];

/// A `【label】 value` or `【label】` line (also `<label>`, `〈label〉`, `[label]` …).
pub(super) fn bracket_label(text: &str) -> Option<(String, String)> {
    let t = text.trim_start();
    let (open, close) = LABEL_BRACKETS
        .iter()
        .copied()
        .find(|(o, _)| t.starts_with(*o))?;
    let rest = t.get(open.len_utf8()..)?;
    let end = rest.find(close)?;
    let label = rest.get(..end)?.trim().to_string();
    if label.chars().count() > 20 {
        return None;
    }
    let value = rest.get(end + close.len_utf8()..)?.trim().to_string();
    if label.is_empty() || label.contains(['：', ':']) {
        return None;
    }
    Some((label, value))
}

/// A `（label）value` line: a label the lexicon knows exactly, in round brackets (`（担当）総務課`).
/// Round brackets hold ids (`(1)`) and notes as well, so only a known label counts.
pub(super) fn paren_label(lex: &Lexicon, text: &str) -> Option<(String, String)> {
    let t = text.trim_start();
    let (open, close) = [('（', '）'), ('(', ')')]
        .into_iter()
        .find(|(o, _)| t.starts_with(*o))?;
    let rest = t.get(open.len_utf8()..)?;
    let end = rest.find(close)?;
    let label = rest.get(..end)?.trim();
    let known = label.chars().count() <= 12 && lex.classify(label).is_some_and(|m| m.exact);
    if !known {
        return None;
    }
    let value = rest.get(end + close.len_utf8()..)?.trim();
    Some((label.to_string(), value.to_string()))
}

/// Several `label：value` pairs on one line (`目標：寄附件数 3,000件　実績：3,412件　評価：Ａ`), each
/// label one the lexicon knows exactly and set off from the value before it by a space. `None`
/// unless the line starts with such a label and holds two pairs or more.
pub(super) fn label_pairs(lex: &Lexicon, spaced: &str) -> Option<Vec<(String, String)>> {
    let t = spaced.trim();
    // Byte ranges of the labels: (label start, colon start, value start).
    let mut marks: Vec<(usize, usize, usize)> = vec![];
    for (at, c) in t.char_indices().filter(|(_, c)| matches!(c, ':' | '：')) {
        let head = t.get(..at).unwrap_or("");
        let start = head.rfind(char::is_whitespace).map_or(0, |k| {
            k + head
                .get(k..)
                .and_then(|r| r.chars().next())
                .map_or(1, char::len_utf8)
        });
        let label = head.get(start..).unwrap_or("");
        let known = (1..=12).contains(&label.chars().count())
            && lex.classify(label).is_some_and(|m| m.exact);
        if known {
            marks.push((start, at, at + c.len_utf8()));
        }
    }
    if marks.is_empty() {
        return gapped_pairs(lex, t);
    }
    if marks.len() < 2 || marks.first().map(|m| m.0) != Some(0) {
        return None;
    }
    let mut out = vec![];
    for (k, &(start, colon, value)) in marks.iter().enumerate() {
        let end = marks.get(k + 1).map_or(t.len(), |m| m.0);
        let label = t.get(start..colon)?.trim().to_string();
        let text = t.get(value..end)?.trim().to_string();
        if text.is_empty() {
            return None;
        }
        out.push((label, text));
    }
    Some(out)
}

/// Pairs with no colon, a label and its value one space apart and the pairs a wider gap apart
/// (`所管課　市民課　　　進捗　順調`), or a slash or bar standing between spaces
/// (`自己評価　Ａ　／　委員会評価　Ｂ`): each label one the lexicon knows exactly. Two pairs or more.
fn gapped_pairs(lex: &Lexicon, t: &str) -> Option<Vec<(String, String)>> {
    let joined = pair_separators_as_gaps(t);
    let t = joined.as_str();
    let mut segments: Vec<&str> = vec![];
    let mut start = 0usize;
    let mut run: Option<(usize, usize)> = None;
    for (at, c) in t.char_indices() {
        if c.is_whitespace() {
            let (from, n) = run.unwrap_or((at, 0));
            run = Some((from, n + if c == '\u{3000}' { 2 } else { 1 }));
            continue;
        }
        if let Some((from, n)) = run.take() {
            if n >= 3 {
                segments.push(t.get(start..from)?);
                start = at;
            }
        }
    }
    segments.push(t.get(start..)?);
    if segments.len() < 2 {
        return None;
    }
    segments
        .iter()
        .map(|seg| {
            let (label, value) = seg.trim().split_once(char::is_whitespace)?;
            let known = (1..=12).contains(&label.chars().count())
                && lex.classify(label).is_some_and(|m| m.exact);
            let value = value.trim();
            (known && !value.is_empty()).then(|| (label.to_string(), value.to_string()))
        })
        .collect()
}

/// A slash or bar standing alone between spaces (`Ａ　／　委員会評価`), as pairs printed side by
/// side are set apart, written as a wide gap; other text unchanged.
fn pair_separators_as_gaps(t: &str) -> String {
    let chars: Vec<char> = t.chars().collect();
    let mut out = String::with_capacity(t.len());
    for (k, &c) in chars.iter().enumerate() {
        let spaced = k
            .checked_sub(1)
            .and_then(|p| chars.get(p))
            .is_some_and(|p| p.is_whitespace())
            && chars.get(k + 1).is_some_and(|n| n.is_whitespace());
        if spaced && matches!(c, '／' | '/' | '｜' | '|') {
            out.push_str("\u{3000}\u{3000}");
        } else {
            out.push(c);
        }
    }
    out
}

/// The title after its own label and a space or colon (`取組名　題` → `題`), or None.
pub(super) fn after_title_label(lex: &Lexicon, spaced: &str) -> Option<String> {
    let (head, tail) = spaced
        .trim()
        .split_once(|c: char| c.is_whitespace() || matches!(c, ':' | '：'))?;
    let title_label = lex
        .classify(head)
        .is_some_and(|m| m.exact && m.roles.first() == Some(&Role::Title));
    let tail = crate::normalize::normalize(tail).trim().to_string();
    (title_label && !tail.is_empty()).then_some(tail)
}

/// A title written whole in quotes (`「役場窓口の混雑緩和」`): the words inside.
pub(super) fn unquote(title: &str) -> String {
    let t = title.trim();
    match t.strip_prefix('「').and_then(|x| x.strip_suffix('」')) {
        Some(inner) if !inner.contains(['「', '」']) => inner.trim().to_string(),
        _ => t.to_string(),
    }
}

/// A label set off by brackets of any kind: [`bracket_label`], then [`paren_label`], then a line
/// that is one `label：value` pair in brackets (`（担当：市民課）`, `【所管：財政課】`).
pub(super) fn any_bracket_label(lex: &Lexicon, text: &str) -> Option<(String, String)> {
    bracket_label(text)
        .or_else(|| paren_label(lex, text))
        .or_else(|| bracketed_pair(lex, text))
}

/// `（担当：市民課）`: a whole line in brackets holding a label the lexicon knows and its value.
fn bracketed_pair(lex: &Lexicon, text: &str) -> Option<(String, String)> {
    let t = text.trim();
    let (open, close) = [
        ('（', '）'),
        ('(', ')'),
        ('【', '】'),
        ('〔', '〕'),
        ('[', ']'),
    ]
    .into_iter()
    .find(|(o, c)| t.starts_with(*o) && t.ends_with(*c))?;
    let inner = t.get(open.len_utf8()..t.len() - close.len_utf8())?;
    let (label, value) = inner.split_once([':', '：'])?;
    let (label, value) = (label.trim(), value.trim());
    let known = label.chars().count() <= 12 && lex.classify(label).is_some_and(|m| m.exact);
    (known && !value.is_empty() && !value.contains([close, open]))
        .then(|| (label.to_string(), value.to_string()))
}

pub(super) fn target_name(raw: &str) -> (String, Option<String>) {
    let unit = unit_in_label(raw);
    let mut name = raw.trim().to_string();
    if let Some(u) = &unit {
        for (o, c) in [('（', '）'), ('(', ')')] {
            if let Some(a) = name.rfind(o) {
                if name
                    .get(a..)
                    .is_some_and(|t| t.contains(u.as_str()) && t.ends_with(c))
                {
                    name = name.get(..a).unwrap_or("").trim().to_string();
                }
            }
        }
    }
    (name, unit)
}

/// Steps of a schedule written on one line, each a fiscal year and what it brings, joined by
/// arrows (`R5 対象手続の選定 → R6 システム導入 → R7 本格運用`): (year, year as written, text)
/// per step. None unless there are two steps at least, each opening with a year, the years rising.
pub(super) fn year_steps(value: &str) -> Option<Vec<(i32, String, String)>> {
    let mut steps: Vec<(i32, String, String)> = vec![];
    for seg in value.split(['→', '⇒', '➡', '▶']) {
        let seg = seg.trim();
        let chars: Vec<(usize, char)> = seg.char_indices().collect();
        // The longest opening of at most eight characters that is a year label (`令和5年度`).
        let (year, at) = (1..=chars.len().min(8)).rev().find_map(|n| {
            let end = chars.get(n).map_or(seg.len(), |(b, _)| *b);
            let head = seg.get(..end)?;
            Some((super::year_label(head)?, end))
        })?;
        let text = seg.get(at..)?.trim().trim_start_matches([':', '：']).trim();
        if text.is_empty() || steps.last().is_some_and(|(y, _, _)| *y >= year) {
            return None;
        }
        let label = seg.get(..at)?.trim().to_string();
        steps.push((year, label, text.to_string()));
    }
    (steps.len() >= 2).then_some(steps)
}

/// The word every unit note holds.
const UNIT_WORD: &str = "単位";

/// A character of a unit note's name (`[^\s、。,は・:：()（）]`).
fn note_name_char(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(
            c,
            '、' | '。' | ',' | 'は' | '・' | ':' | '：' | '(' | ')' | '（' | '）'
        )
}

/// A unit note in brackets, as the pattern
/// `(?:(?P<name>[^\s、。,は・:：()（）]{1,12}))?[（(]\s*単位\s*[:：]\s*(?P<unit>[^）)\s]{1,6})\s*[）)]`
/// finds it (its leftmost match): (name, unit). Read by hand: compiling the pattern cost about
/// 0.3 ms a process, most of a short report's records stage; a unit test compares the two.
fn bracketed_unit(text: &str) -> Option<(Option<&str>, &str)> {
    // The unit after an opening bracket: `\s*単位\s*[:：]\s*`, then 1–6 characters up to the
    // closing bracket (spaces allowed before it).
    fn unit_after(rest: &str) -> Option<&str> {
        let r = rest.trim_start().strip_prefix(UNIT_WORD)?.trim_start();
        let r = r.strip_prefix([':', '：'])?.trim_start();
        let len = r.find(|c: char| c.is_whitespace() || c == ')' || c == '）')?;
        let unit = r.get(..len)?;
        let closed = r.get(len..)?.trim_start().starts_with([')', '）']);
        ((1..=6).contains(&unit.chars().count()) && closed).then_some(unit)
    }
    // The first bracket followed by a unit starts the leftmost match (a name cannot hold a
    // bracket, so a later bracket's match starts after this one).
    text.char_indices()
        .filter(|(_, c)| matches!(c, '(' | '（'))
        .find_map(|(b, c)| {
            let unit = unit_after(text.get(b + c.len_utf8()..)?)?;
            // The name: the up to 12 name characters right before the bracket.
            let head = text.get(..b)?;
            let start = head
                .char_indices()
                .rev()
                .take(12)
                .take_while(|(_, c)| note_name_char(*c))
                .last()
                .map_or(b, |(i, _)| i);
            Some(((start < b).then(|| head.get(start..)).flatten(), unit))
        })
}

/// A note giving a unit (`（単位：千円）`) and the quantity it measures (`効果額（単位：千円）`).
pub(super) fn unit_note(text: &str) -> Option<(Option<String>, String)> {
    // Both readings need `単位`: a text without it is no note.
    if !text.contains(UNIT_WORD) {
        return None;
    }
    // A line of its own naming the unit (`効果額の単位　千円`, `単位：千円`): built only for a
    // text with no note in brackets that starts with `単位` or holds `の単位`, as every match does.
    static LINE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let line_note = || {
        let may = text.trim_start().starts_with(UNIT_WORD) || text.contains("の単位");
        if !may {
            return None;
        }
        let line = LINE
            .get_or_init(|| {
                regex::Regex::new(r"^\s*(?:(?P<name>[^\s、。,は・:：()（）]{1,12})の)?単位(?:\s*[:：]\s*|\s*)(?P<unit>[^\s、。:：()（）\d]{1,6})\s*$").ok()
            })
            .as_ref()?;
        let c = line.captures(text)?;
        Some((c.name("name").map(|m| m.as_str()), c.name("unit")?.as_str()))
    };
    let (name, unit) = bracketed_unit(text).or_else(line_note)?;
    // `単位` alone is followed by a separator (`単位なし` is no note).
    let bare = text
        .trim_start()
        .strip_prefix("単位")
        .is_some_and(|t| !t.starts_with(|c: char| c.is_whitespace() || c == ':' || c == '：'));
    if bare {
        return None;
    }
    // A unit holds no particle or verb ending (`単位を見直した` gives none).
    if unit.contains(['を', 'は', 'が', 'に', 'で', 'と', 'た', 'る', 'す']) {
        return None;
    }
    Some((name.map(str::to_string), unit.to_string()))
}

/// `全庁（市民課）` → (`全庁`, `市民課`); a text without a closing bracket stays whole.
pub(super) fn split_lead(d: &str) -> (String, Option<String>) {
    let t = d.trim();
    if let Some(k) = t.find(['(', '（']) {
        if t.ends_with([')', '）']) && k > 0 {
            let head = t.get(..k).unwrap_or(t).trim();
            let inner = t
                .get(k..)
                .unwrap_or("")
                .trim_start_matches(['(', '（'])
                .trim_end_matches([')', '）'])
                .trim();
            if !inner.is_empty() && !head.is_empty() {
                return (head.to_string(), Some(inner.to_string()));
            }
        }
    }
    (t.to_string(), None)
}

/// A date at the start of a line (see [`starts_with_date`]).
const DATE_PATTERN: &str =
    r"^\s*(?:(?:令和|平成|R|H)\s*(?:\d{1,2}|元)|(?:19|20)\d\d)\s*年\s*\d{1,2}\s*月";

/// An ordinal heading (see [`ordinal_heading`]).
const ORDINAL_PATTERN: &str =
    r"^第\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?:章|節|部|編)?\s+\S";

/// `令和4年6月 …`, `2022年6月 …`: a date line (of publication, not a title).
pub(super) fn starts_with_date(t: &str) -> bool {
    static FULL: OnceLock<Option<Regex>> = OnceLock::new();
    static COMMON: OnceLock<Option<Regex>> = OnceLock::new();
    // The pattern holds `月`: a text without it is no date, and no pattern is built for it.
    t.contains('月')
        && super::digits_pattern(t, DATE_PATTERN, &FULL, &COMMON).is_some_and(|re| re.is_match(t))
}

/// `第1 題`, `第2章 題`, `第三節 題`: an ordinal heading (no sentence).
pub(super) fn ordinal_heading(t: &str) -> bool {
    static FULL: OnceLock<Option<Regex>> = OnceLock::new();
    static COMMON: OnceLock<Option<Regex>> = OnceLock::new();
    // The pattern starts with `第`: no pattern is built for a text that does not.
    t.starts_with('第')
        && super::digits_pattern(t, ORDINAL_PATTERN, &FULL, &COMMON)
            .is_some_and(|re| re.is_match(t))
        && !t.ends_with(['。', '.'])
        && t.chars().count() <= 40
}

/// `小計`: a subtotal row.
pub(super) fn is_subtotal_label(cell: &str) -> bool {
    matches!(strip_ws(cell).as_str(), "小計" | "計(小計)" | "小計額")
}

/// `合計`, `総計`, `計` alone: a totals row.
pub(super) fn is_total_label(cell: &str) -> bool {
    matches!(
        strip_ws(cell).as_str(),
        "合計" | "総計" | "計" | "総合計" | "合計額"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_after_their_own_label() {
        let lex = Lexicon::builtin();
        let cases = [
            (
                "取組名\u{3000}ごみ収集業務の委託",
                Some("ごみ収集業務の委託"),
            ),
            ("取組名：窓口の改善", Some("窓口の改善")),
            // A title that starts with a label's words, with no space after them, is whole.
            ("取組事項の見直し", None),
            ("担当　総務課", None),
        ];
        for (t, want) in cases {
            assert_eq!(after_title_label(lex, t).as_deref(), want, "{t}");
        }
    }

    #[test]
    fn schedules_on_one_line() {
        type Want<'a> = Option<Vec<(i32, &'a str, &'a str)>>;
        let cases: [(&str, Want); 5] = [
            (
                "R5 対象手続の選定 → R6 システム導入 → R7 本格運用",
                Some(vec![
                    (2023, "R5", "対象手続の選定"),
                    (2024, "R6", "システム導入"),
                    (2025, "R7", "本格運用"),
                ]),
            ),
            (
                "令和4年度：検討⇒令和5年度：試行",
                Some(vec![
                    (2022, "令和4年度", "検討"),
                    (2023, "令和5年度", "試行"),
                ]),
            ),
            // One step, a step with no year, years going back: no schedule.
            ("R5 検討", None),
            ("R5 検討 → 試行", None),
            ("R6 検討 → R5 試行", None),
        ];
        for (t, want) in cases {
            let got = year_steps(t);
            let got: Want = got.as_ref().map(|v| {
                v.iter()
                    .map(|(y, l, x)| (*y, l.as_str(), x.as_str()))
                    .collect()
            });
            assert_eq!(got, want, "{t}");
        }
    }

    #[test]
    fn departments_in_titles() {
        let lex = Lexicon::builtin();
        let cases = [
            (
                "業務の見直し【担当：総務課】",
                "業務の見直し",
                Some("総務課"),
            ),
            ("窓口の改善（所管課：市民課）", "窓口の改善", Some("市民課")),
            ("題(参考)", "題(参考)", None),
            ("題", "題", None),
            (
                "電子申請の拡充（情報政策課）",
                "電子申請の拡充",
                Some("情報政策課"),
            ),
            (
                "電子申請の拡充(情報政策課・総務課)",
                "電子申請の拡充",
                Some("情報政策課・総務課"),
            ),
            // Not at the end, or not a department's name: part of the title.
            ("（市民課）窓口の改善", "（市民課）窓口の改善", None),
            (
                "下水道使用料の見直し（下水道）",
                "下水道使用料の見直し（下水道）",
                None,
            ),
        ];
        for (t, title, dept) in cases {
            let (g, d) = department_in_title(lex, t);
            assert_eq!((g.as_str(), d.as_deref()), (title, dept), "{t}");
        }
    }

    #[test]
    fn bracket_labels() {
        let cases = [
            ("【取組内容】", Some(("取組内容", ""))),
            ("【進捗状況】 順調", Some(("進捗状況", "順調"))),
            ("<現状>", Some(("現状", ""))),
            ("〔評価〕A", Some(("評価", "A"))),
            ("【担当:総務課】", None),
            ("本文【注】", None),
        ];
        for (t, want) in cases {
            let got = bracket_label(t);
            assert_eq!(
                got.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
                want,
                "{t}"
            );
        }
    }

    #[test]
    fn pairs_on_one_line() {
        let lex = Lexicon::builtin();
        type Want<'a> = Option<Vec<(&'a str, &'a str)>>;
        let cases: [(&str, Want); 10] = [
            (
                "目標:寄附件数 3,000件\u{3000}\u{3000}実績:3,412件\u{3000}評価:A",
                Some(vec![
                    ("目標", "寄附件数 3,000件"),
                    ("実績", "3,412件"),
                    ("評価", "A"),
                ]),
            ),
            (
                "所管:企画課 評価:B",
                Some(vec![("所管", "企画課"), ("評価", "B")]),
            ),
            // One pair, or a colon inside the value only: not several pairs.
            ("取組:会議を開いた。時刻:午後", None),
            ("担当:総務課", None),
            (
                "所管課\u{3000}市民課\u{3000}\u{3000}\u{3000}進捗\u{3000}順調",
                Some(vec![("所管課", "市民課"), ("進捗", "順調")]),
            ),
            // A sentence with wide gaps is no pairs.
            ("窓口の　　受付を　　延長した", None),
            // Pairs set side by side with a slash between spaces.
            (
                "自己評価\u{3000}Ａ\u{3000}／\u{3000}委員会評価\u{3000}Ｂ",
                Some(vec![("自己評価", "Ａ"), ("委員会評価", "Ｂ")]),
            ),
            (
                "自己評価 A / 委員会評価 B",
                Some(vec![("自己評価", "A"), ("委員会評価", "B")]),
            ),
            // A slash inside a value, or one not standing between spaces, joins nothing.
            ("所管課\u{3000}市民課／財政課", None),
            ("実施時期 4月 / 10月", None),
        ];
        for (t, want) in cases {
            let got = label_pairs(lex, t);
            let got: Option<Vec<(&str, &str)>> = got
                .as_ref()
                .map(|v| v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect());
            assert_eq!(got, want, "{t}");
        }
    }

    #[test]
    fn paren_labels() {
        let lex = Lexicon::builtin();
        let cases = [
            ("（担当）総務課", Some(("担当", "総務課"))),
            ("(評価)○", Some(("評価", "○"))),
            (
                "（実施内容）交付基準を定めた。",
                Some(("実施内容", "交付基準を定めた。")),
            ),
            // Ids and notes in round brackets are not labels.
            ("(1) 窓口の見直し", None),
            ("（仮称）市民会館の建設", None),
        ];
        for (t, want) in [
            ("（担当：市民課）", Some(("担当", "市民課"))),
            ("【所管：財政課】", Some(("所管", "財政課"))),
            ("（例：申請書の様式）", None),
        ] {
            let got = any_bracket_label(lex, t);
            assert_eq!(
                got.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
                want,
                "{t}"
            );
        }
        for (t, want) in cases {
            let got = paren_label(lex, t);
            assert_eq!(
                got.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
                want,
                "{t}"
            );
        }
    }

    #[test]
    fn lead_departments() {
        let cases = [
            ("住民課(情報政策係)", "住民課", Some("情報政策係")),
            ("全庁（市民課）", "全庁", Some("市民課")),
            ("財政課", "財政課", None),
            ("(市民課)", "(市民課)", None),
        ];
        for (d, head, lead) in cases {
            let (h, l) = split_lead(d);
            assert_eq!((h.as_str(), l.as_deref()), (head, lead), "{d}");
        }
    }

    /// The words looked for before a pattern is built or run (`単位`, `月`, `第`), and the digits
    /// it is built for, change no answer: each function against its pattern as written.
    #[test]
    fn prefilters_agree_with_the_patterns() {
        let date = Regex::new(DATE_PATTERN).unwrap();
        let ordinal = Regex::new(ORDINAL_PATTERN).unwrap();
        for t in [
            "令和4年6月 総務課",
            "令和４年６月",
            "令和٤年6月",
            "R 4 年 12 月",
            "2022年6月",
            "２０２２年６月",
            "令和4年度 報告",
            "令和4年",
            "第1 効率的な行政運営",
            "第１章 財政",
            "第٣章 財政",
            "第 三 節 題",
            "第三者評価を行った。",
            "第1回会議",
            " 第1 題",
            "",
            "月",
        ] {
            assert_eq!(starts_with_date(t), date.is_match(t), "{t}");
            let long_or_sentence = t.ends_with(['。', '.']) || t.chars().count() > 40;
            assert_eq!(
                ordinal_heading(t),
                ordinal.is_match(t) && !long_or_sentence,
                "{t}"
            );
        }
        for t in ["(千円)", "効果額（千円）", "単 位：千円", ""] {
            assert_eq!(unit_note(t), None, "{t}");
        }
    }

    /// The note in brackets read by hand is the pattern's leftmost match (name and unit): on
    /// written cases and on every text of up to five pieces from an alphabet of the characters
    /// the pattern tells apart (`単位` one piece).
    #[test]
    fn bracketed_units_are_the_patterns() {
        let re = regex::Regex::new(r"(?:(?P<name>[^\s、。,は・:：()（）]{1,12}))?[（(]\s*単位\s*[:：]\s*(?P<unit>[^）)\s]{1,6})\s*[）)]").unwrap();
        let check = |t: &str| {
            let want = re.captures(t).map(|c| {
                (
                    c.name("name").map(|m| m.as_str()),
                    c.name("unit").map_or("", |m| m.as_str()),
                )
            });
            assert_eq!(bracketed_unit(t), want, "{t:?}");
        };
        for t in [
            "",
            "（単位：千円）",
            "(単位:百万円)",
            "※計画・実績は効果額（単位：千円）。",
            "効果額（ 単位 ： 千円 ）",
            "一二三四五六七八九十一二三四（単位：千円）",
            "（単位：千円",
            "（単位：一二三四五六七）",
            "（単位：一二三四五六）",
            "（単位：千 円）",
            "額(単位)（単位：円）",
            "額 (単位:円)と額（単位：千円）",
            "\u{3000}（\u{3000}単位\u{3000}:\t円\u{3000}）",
        ] {
            check(t);
        }
        let alphabet = ["（", ")", "単位", ":", "円", " ", "、", "は", "額", "位"];
        crate::records::each_short_text(&alphabet, 5, &check);
        // Long names and units around a note that matches.
        for pre in 0..15 {
            for unit in 0..8 {
                let t = format!("{}（単位：{}）", "額".repeat(pre), "円".repeat(unit));
                check(&t);
            }
        }
    }

    /// `\s` of the patterns is Rust's white space, character for character.
    #[test]
    fn white_space_is_the_patterns() {
        let re = regex::Regex::new(r"^\s$").unwrap();
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(
                c.is_whitespace(),
                re.is_match(c.encode_utf8(&mut buf)),
                "{c:?}"
            );
        }
    }

    #[test]
    fn unit_notes_dates_headings_and_totals() {
        assert_eq!(
            unit_note("※計画・実績は効果額(単位:千円)。"),
            Some((Some("効果額".to_string()), "千円".to_string()))
        );
        assert_eq!(
            unit_note("(単位:百万円)"),
            Some((None, "百万円".to_string()))
        );
        assert_eq!(unit_note("単位なし"), None);
        // A line of its own naming the unit.
        for (t, want) in [
            ("効果額の単位\t千円", Some((Some("効果額"), "千円"))),
            ("効果額の単位　千円", Some((Some("効果額"), "千円"))),
            ("効果額の単位千円", Some((Some("効果額"), "千円"))),
            ("単位：千円", Some((None, "千円"))),
            ("単位は千円とする。", None),
            ("効果額の単位を見直した", None),
        ] {
            let got = unit_note(t);
            assert_eq!(
                got.as_ref().map(|(n, u)| (n.as_deref(), u.as_str())),
                want,
                "{t}"
            );
        }
        for (t, want) in [
            ("令和4年6月 総務課", true),
            ("2022年6月", true),
            ("令和4年度 報告", false),
        ] {
            assert_eq!(starts_with_date(t), want, "{t}");
        }
        for (t, want) in [
            ("第1 効率的な行政運営", true),
            ("第2章 財政", true),
            ("第三者評価を行った。", false),
            ("第1回会議", false),
        ] {
            assert_eq!(ordinal_heading(t), want, "{t}");
        }
        for (t, total, sub) in [
            ("合計", true, false),
            ("小計", false, true),
            ("計画", false, false),
        ] {
            assert_eq!(
                (is_total_label(t), is_subtotal_label(t)),
                (total, sub),
                "{t}"
            );
        }
    }
}
