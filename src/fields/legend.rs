//! Rating legends printed in a report: `達成度 ◎：達成 ○：概ね達成 △：一部未達成 ×：未達成`.
//!
//! A legend lists the rating texts a report uses (a mark, a letter or a short word) with what each
//! means. The caller ranks entries by their order (1 = best) and maps meanings to codes with
//! [`Lexicon::rating_code`].
//!
//! # Rules
//!
//! | rule | function | examples |
//! |---|---|---|
//! | the line is character-normalised first (full-width ASCII, ideographic spaces) | [`crate::normalize::normalize_chars`] | `Ｓ：計画以上` → `S:計画以上` |
//! | separators between an entry and its meaning: `:` `：` `=` `＝` `…` `‥` `...` `・・・` (outside brackets) | [`separator_len`] | `◎：達成`, `A=順調`, `A…順調`, `A...順調` |
//! | quoted entries `「X」…meaning` (one or more, a separator after `」`) | [`quoted_legend`] | `「順調に達成」…令和3年度の目標を達成したもの`, `「A」…xのもの「B」…yのもの` |
//! | unquoted entries `X：meaning`: the entry text is the word before the separator (back to a space), at most 8 characters; its meaning runs to the next entry | [`colon_legend`] | `S：計画以上に進んでいる A：計画どおり` |
//! | run-on entries: a mark or a capital letter glued to the previous meaning is an entry of its own | [`colon_legend`] | `◎：達成○：概ね達成` |
//! | text before the first entry is the heading (`凡例：` too) | [`clean_heading`] | `達成度`, `凡例`, `自己評価の区分` |
//! | an unquoted legend needs two entries or more, each rating-like: a mark, a short letter/number code, or a text or meaning with a rating code | [`is_rating_like`] | `担当：総務課` and `目的：経費削減 方法：委託化` are not legends |
//! | a table: an optional header row (`評価` \| `評価の基準`), then two or more rows `text` \| `meaning` | [`legend_in_rows`] | `A` \| `大きな成果あり` |

use serde::Serialize;

use crate::fields::lexicon::{self, Lexicon};
use crate::normalize::normalize_chars;

/// One legend entry: the rating as printed and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegendEntry {
    /// The rating text as printed (normalised): `◎`, `A`, `一部実施`, `→`.
    pub text: String,
    /// Its meaning: `概ね達成`, `計画どおり実施`.
    pub meaning: String,
}

/// A rating legend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Legend {
    /// The words before the entries (`達成度`, `凡例`), if any.
    pub heading: Option<String>,
    /// The entries in printed order (the caller ranks them: first = best).
    pub entries: Vec<LegendEntry>,
}

/// The longest entry text, in characters.
pub const MAX_TEXT_CHARS: usize = 8;
/// The longest meaning, in characters.
pub const MAX_MEANING_CHARS: usize = 60;
/// Words that name a legend in its heading (`凡例`, `進捗状況の区分`, `評価基準`, `評価の目安`,
/// `評価の記号`).
pub const HEADING_WORDS: [&str; 5] = ["凡例", "区分", "基準", "目安", "記号"];
/// The longest heading, in characters.
pub const MAX_HEADING_CHARS: usize = 20;

/// The legend in one line, or None (see the module documentation), with the built-in lexicon.
pub fn legend_in_line(line: &str) -> Option<Legend> {
    legend_in_line_with(line, Lexicon::builtin())
}

/// [`legend_in_line`] with a given lexicon (its rating words decide what is rating-like).
pub fn legend_in_line_with(line: &str, lex: &Lexicon) -> Option<Legend> {
    let norm = crate::normalize::normalize_chars_cow(line);
    if let Some(lg) = super::share_legend::share_legend(&norm) {
        return Some(lg);
    }
    let chars: Vec<char> = norm.chars().collect();
    quoted_legend(&chars)
        .or_else(|| colon_legend(&chars, lex))
        .or_else(|| marked_legend_in(&norm, lex))
}

/// Longest meaning of an entry written without a separator (`○達成`).
pub const MAX_MARKED_MEANING_CHARS: usize = 24;

/// Entries written without a separator, each a mark or a bracketed word followed by its meaning,
/// separated by spaces: `達成状況:○達成 △一部達成 ×未達成`, `【順調】計画どおり 【遅れ】計画より遅れ`
/// (or `〔順調〕…`, `［順調］…`: any of [`lexicon::FRAME_BRACKETS`]).
/// Text before the first entry (up to a colon) is the heading. Two entries at least.
pub fn marked_legend(chars: &[char], lex: &Lexicon) -> Option<Legend> {
    marked_legend_in(&chars.iter().collect::<String>(), lex)
}

/// [`marked_legend`] of a text.
fn marked_legend_in(text: &str, lex: &Lexicon) -> Option<Legend> {
    let (heading, body) = match text.split_once([':', '：']) {
        Some((h, b))
            if h.chars().count() <= MAX_HEADING_CHARS
                && !h.contains(['○', '◎'])
                && !h.contains(|c| lexicon::frame_close(c).is_some()) =>
        {
            (clean_heading(h), b)
        }
        _ => (None, text),
    };
    let mut entries = Vec::new();
    let mut heading = heading;
    for token in body.split_whitespace() {
        let mut cs = token.chars();
        let first = cs.next()?;
        let (t, meaning) = if let Some(close) = lexicon::frame_close(first) {
            let rest: String = cs.collect();
            let (t, m) = rest.split_once(close)?;
            (t.trim().to_string(), m.trim().to_string())
        } else if is_mark(first) {
            // `○(順調)`: the meaning in brackets.
            let m = cs.collect::<String>();
            let m = m.trim();
            let m = m
                .strip_prefix(['(', '（'])
                .and_then(|x| x.strip_suffix([')', '）']))
                .unwrap_or(m);
            (first.to_string(), m.trim().to_string())
        } else if let Some((t, m)) = graded_token(token) {
            // `A(順調)`: a grade of letters or digits, its meaning in brackets.
            (t, m)
        } else if entries.is_empty()
            && heading.is_none()
            && token.chars().count() <= MAX_HEADING_CHARS
            && (HEADING_WORDS.iter().any(|w| token.contains(w))
                || lex
                    .classify(token)
                    .is_some_and(|m| m.roles.contains(&crate::fields::lexicon::Role::Rating)))
        {
            // Words before the first entry, with no colon after them: the heading.
            heading = clean_heading(token);
            continue;
        } else {
            return None;
        };
        // A legend's meaning is a short phrase; a sentence (`○…を開始した。`) is a finding.
        if t.is_empty()
            || meaning.is_empty()
            || t.chars().count() > MAX_QUOTED_CHARS
            || meaning.chars().count() > MAX_MARKED_MEANING_CHARS
            || meaning.ends_with(['。', '.'])
            || entries.iter().any(|e: &LegendEntry| e.text == t)
        {
            return None;
        }
        entries.push(LegendEntry { text: t, meaning });
    }
    (entries.len() >= 2).then_some(Legend { heading, entries })
}

/// A grade of one to three letters or digits with its meaning in brackets after it (`A(順調)`,
/// `Ⅱ（一部実施）`): the grade and the meaning.
fn graded_token(token: &str) -> Option<(String, String)> {
    let open = token.find(['(', '（'])?;
    let (grade, rest) = token.split_at(open);
    let meaning = rest
        .get(rest.chars().next()?.len_utf8()..)?
        .strip_suffix([')', '）'])?
        .trim();
    let n = grade.chars().count();
    ((1..=3).contains(&n)
        && grade
            .chars()
            .all(|c| c.is_alphanumeric() && !is_cjk_ideograph(c))
        && !meaning.is_empty())
    .then(|| (grade.to_string(), meaning.to_string()))
}

/// A CJK ideograph (a word's character, not a grade's).
fn is_cjk_ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// The legend in a small table, or None, with the built-in lexicon.
pub fn legend_in_rows(rows: &[Vec<String>]) -> Option<Legend> {
    legend_in_rows_with(rows, Lexicon::builtin())
}

/// [`legend_in_rows`] with a given lexicon. Each row's first non-empty cell is the entry text and
/// its second and last non-empty cell the meaning; a first row that is no entry is the header, whose first
/// cell is the heading. Every other row must be an entry, and there must be two or more.
pub fn legend_in_rows_with(rows: &[Vec<String>], lex: &Lexicon) -> Option<Legend> {
    let pairs: Vec<Option<LegendEntry>> = rows
        .iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .map(|r| row_entry(r, lex))
        .collect();
    let (first, rest) = pairs.split_first()?;
    let (heading, body) = match first {
        Some(_) => (None, pairs.as_slice()),
        None => {
            let header = rows
                .iter()
                .find(|r| r.iter().any(|c| !c.trim().is_empty()))?;
            let h = header
                .iter()
                .map(|c| normalize_chars(c))
                .find(|c| !c.is_empty());
            (h.and_then(|h| clean_heading(&h)), rest)
        }
    };
    let entries: Vec<LegendEntry> = body.iter().cloned().collect::<Option<Vec<_>>>()?;
    (entries.len() >= 2).then_some(Legend { heading, entries })
}

/// A table row as a legend entry, when it is one.
fn row_entry(row: &[String], lex: &Lexicon) -> Option<LegendEntry> {
    let mut cells = row
        .iter()
        .map(|c| normalize_chars(c))
        .filter(|c| !c.is_empty());
    let text = cells.next()?;
    let meaning = cells.next()?;
    if cells.next().is_some() {
        // A legend row is a text and its meaning; more cells make an ordinary table row.
        return None;
    }
    let e = LegendEntry { text, meaning };
    (entry_shape_ok(&e) && is_rating_like(&e, lex)).then_some(e)
}

// ---------------------------------------------------------------------------------------------
// Line rules
// ---------------------------------------------------------------------------------------------

/// The length in characters of a separator starting at `chars[k]`, or 0: `:` `：` `=` `＝`, a run
/// of `…` or `‥`, a run of two or more `.`, a run of three or more `・`.
pub fn separator_len(chars: &[char], k: usize) -> usize {
    let run = |c: char| chars.iter().skip(k).take_while(|x| **x == c).count();
    match chars.get(k) {
        Some(':' | '：' | '=' | '＝') => 1,
        Some(c @ ('…' | '‥')) => run(*c),
        Some('.') => Some(run('.')).filter(|n| *n >= 2).unwrap_or(0),
        Some('・') => Some(run('・')).filter(|n| *n >= 3).unwrap_or(0),
        _ => 0,
    }
}

/// Longest quoted rating text (a phrase such as 「目標達成に向けて着実に推移」).
pub const MAX_QUOTED_CHARS: usize = 24;

/// Quoted entries: `「X」` + separator + meaning, one or more; text before the first is the heading.
pub fn quoted_legend(chars: &[char]) -> Option<Legend> {
    // (start of 「, text, start of meaning)
    let mut found: Vec<(usize, String, usize)> = Vec::new();
    let mut k = 0;
    while let Some(a) = chars.iter().skip(k).position(|c| *c == '「').map(|p| p + k) {
        let Some(b) = chars.iter().skip(a).position(|c| *c == '」').map(|p| p + a) else {
            break;
        };
        let text: String = chars.get(a + 1..b).unwrap_or_default().iter().collect();
        let text = text.trim().to_string();
        let mut m = b + 1;
        while chars.get(m).is_some_and(|c| c.is_whitespace()) {
            m += 1;
        }
        let sep = separator_len(chars, m);
        let n = text.chars().count();
        // A quoted rating may be a phrase (「目標達成に向けて着実に推移」).
        if sep > 0 && (1..=MAX_QUOTED_CHARS).contains(&n) {
            found.push((a, text, m + sep));
        }
        k = b + 1;
    }
    let (first_start, _, _) = found.first()?;
    let heading = clean_heading(&collect(chars, 0, *first_start));
    if collect(chars, 0, *first_start).chars().count() > MAX_HEADING_CHARS {
        return None;
    }
    let mut entries = Vec::new();
    for (i, (_, text, m)) in found.iter().enumerate() {
        let end = found.get(i + 1).map_or(chars.len(), |(a, _, _)| *a);
        let meaning = collect(chars, *m, end);
        if meaning.is_empty() || meaning.chars().count() > MAX_MEANING_CHARS {
            return None;
        }
        entries.push(LegendEntry {
            text: text.clone(),
            meaning,
        });
    }
    Some(Legend { heading, entries })
}

/// Unquoted entries `X：meaning` (see the module documentation).
pub fn colon_legend(chars: &[char], lex: &Lexicon) -> Option<Legend> {
    // (start of the entry text, text, start of meaning)
    let mut found: Vec<(usize, String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut prev_end = 0;
    let mut k = 0;
    while let Some(&c) = chars.get(k) {
        match c {
            '(' | '（' | '「' | '[' | '【' => depth += 1,
            ')' | '）' | '」' | ']' | '】' => depth = depth.saturating_sub(1),
            _ => {}
        }
        let sep = if depth == 0 {
            separator_len(chars, k)
        } else {
            0
        };
        if sep == 0 {
            k += 1;
            continue;
        }
        let (start, text) = entry_text_before(chars, prev_end, k)?;
        found.push((start, text, k + sep));
        prev_end = k + sep;
        k += sep;
    }
    let mut heading_end = found.first()?.0;
    let mut entries = Vec::new();
    for (i, (_, text, m)) in found.iter().enumerate() {
        let end = found.get(i + 1).map_or(chars.len(), |(s, _, _)| *s);
        let meaning = collect(chars, *m, end);
        if i == 0 && meaning.is_empty() && found.len() > 2 {
            // `凡例：◎：達成 …`: the first "entry" is the heading.
            heading_end = end;
            continue;
        }
        entries.push(LegendEntry {
            text: text.clone(),
            meaning,
        });
    }
    let raw_heading = collect(chars, 0, heading_end);
    if raw_heading.chars().count() > MAX_HEADING_CHARS || entries.len() < 2 {
        return None;
    }
    if !entries
        .iter()
        .all(|e| entry_shape_ok(e) && is_rating_like(e, lex))
    {
        return None;
    }
    Some(Legend {
        heading: clean_heading(&raw_heading),
        entries,
    })
}

/// The entry text ending before the separator at `sep`: the word back to a space (or to
/// `prev_end`), else a mark or capital letter glued to the previous meaning. Its start and text.
fn entry_text_before(chars: &[char], prev_end: usize, sep: usize) -> Option<(usize, String)> {
    let mut end = sep;
    while end > prev_end && chars.get(end - 1).is_some_and(|c| c.is_whitespace()) {
        end -= 1;
    }
    let mut start = end;
    while start > prev_end && chars.get(start - 1).is_some_and(|c| !c.is_whitespace()) {
        start -= 1;
    }
    if start == end {
        return None;
    }
    if let Some(glued) = glued_entry(chars, start, end) {
        start = glued;
    } else if end - start > MAX_TEXT_CHARS {
        return None;
    }
    Some((start, collect(chars, start, end)))
}

/// In a word `chars[start..end]` before a separator, a mark or a capital letter at its end glued
/// to the text before it (`達成○`, `計画以上に進んでいるA`, `【凡例】◎`) is the entry on its own:
/// its index. None when the whole word is the entry.
fn glued_entry(chars: &[char], start: usize, end: usize) -> Option<usize> {
    let last_at = end.checked_sub(1)?;
    if last_at <= start {
        return None;
    }
    let last = *chars.get(last_at)?;
    let before = *chars.get(last_at - 1)?;
    let glued = (is_mark(last) && !is_mark(before))
        || (last.is_ascii_uppercase() && !before.is_ascii_alphanumeric())
        || (('Ⅰ'..='Ⅻ').contains(&last) && !('Ⅰ'..='Ⅻ').contains(&before));
    glued.then_some(last_at)
}

/// Marks used as ratings or legend entries.
fn is_mark(c: char) -> bool {
    "◎○◯●△▲▽▼×✕✖□■◇◆☆★→↑↓↗↘➡⇒－-ー/／".contains(c)
}

/// The size limits of an entry: text 1–8 characters, meaning 1–60.
fn entry_shape_ok(e: &LegendEntry) -> bool {
    (1..=MAX_TEXT_CHARS).contains(&e.text.chars().count())
        && (1..=MAX_MEANING_CHARS).contains(&e.meaning.chars().count())
}

/// A rating-like entry: its text is marks only, a letter/number code of at most 3 characters, or
/// its text or meaning holds a rating word of the lexicon.
pub fn is_rating_like(e: &LegendEntry, lex: &Lexicon) -> bool {
    let n = e.text.chars().count();
    e.text.chars().all(is_mark)
        || (n <= 3 && e.text.chars().all(|c| c.is_ascii_alphanumeric()))
        // Roman numerals (Ⅰ Ⅱ Ⅲ) grade like letters.
        || (n <= 2 && e.text.chars().all(|c| ('Ⅰ'..='Ⅻ').contains(&c)))
        || lex.rating_code(&e.text, Some(&e.meaning)).is_some()
}

/// A heading without framing brackets and trailing separators; None when nothing is left.
pub fn clean_heading(s: &str) -> Option<String> {
    let t: String = s
        .chars()
        .filter(|c| !"【】[]［］〈〉<>＜＞()（）《》".contains(*c))
        .collect();
    let t = t
        .trim()
        .trim_end_matches([':', '：', '=', '＝', '…', '‥', '.'])
        .trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// `chars[from..to]` as a trimmed string.
fn collect(chars: &[char], from: usize, to: usize) -> String {
    let s: String = chars.get(from..to).unwrap_or_default().iter().collect();
    s.trim().to_string()
}

#[cfg(test)]
mod marked_tests {
    use super::*;

    #[test]
    fn marked_legends_after_a_rating_heading() {
        type Want<'a> = Option<(&'a str, &'a [(&'a str, &'a str)])>;
        let cases: [(&str, Want); 6] = [
            (
                "進捗状況の区分\u{3000}Ａ（順調）\u{3000}Ｂ（おおむね順調）\u{3000}Ｃ（遅れ）",
                Some((
                    "進捗状況の区分",
                    &[("A", "順調"), ("B", "おおむね順調"), ("C", "遅れ")],
                )),
            ),
            // Bracketed words are no grades: `市民課(窓口)` is a department with a note.
            ("担当 市民課(窓口) 総務課(庶務)", None),
            (
                "取組の評価\u{3000}○（順調）\u{3000}△（やや遅れ）\u{3000}×（遅れ）",
                Some((
                    "取組の評価",
                    &[("○", "順調"), ("△", "やや遅れ"), ("×", "遅れ")],
                )),
            ),
            (
                "凡例 ◎完了 ○実施中",
                Some(("凡例", &[("◎", "完了"), ("○", "実施中")])),
            ),
            // A word that is no rating label before marked text: no legend.
            ("成果 ○窓口を一本化 ▲周知不足", None),
            ("評価 ○順調に進んだ。 ▲遅れた。", None),
        ];
        for (line, want) in cases {
            let got = marked_legend(
                &normalize_chars(line).chars().collect::<Vec<_>>(),
                Lexicon::builtin(),
            );
            let got = got.as_ref().map(|lg| {
                (
                    lg.heading.clone().unwrap_or_default(),
                    lg.entries
                        .iter()
                        .map(|e| (e.text.clone(), e.meaning.clone()))
                        .collect::<Vec<_>>(),
                )
            });
            let want = want.map(|(h, es)| {
                (
                    h.to_string(),
                    es.iter()
                        .map(|(t, m)| (t.to_string(), m.to_string()))
                        .collect::<Vec<_>>(),
                )
            });
            assert_eq!(got, want, "{line}");
        }
    }

    #[test]
    fn marked_legends() {
        let lg = legend_in_line("達成状況:○達成 △一部達成 ×未達成").expect("legend");
        assert_eq!(lg.heading.as_deref(), Some("達成状況"));
        let got: Vec<(&str, &str)> = lg
            .entries
            .iter()
            .map(|e| (e.text.as_str(), e.meaning.as_str()))
            .collect();
        assert_eq!(got, [("○", "達成"), ("△", "一部達成"), ("×", "未達成")]);
        // Any bracket that frames a word of its own.
        for text in [
            "【順調】計画どおり進んでいる 【遅れ】計画より遅れている",
            "〔順調〕計画どおり進んでいる 〔遅れ〕計画より遅れている",
            "［順調］計画どおり進んでいる ［遅れ］計画より遅れている",
        ] {
            let lg = legend_in_line(text).expect("legend");
            assert_eq!(lg.entries.len(), 2, "{text}");
            assert_eq!(lg.entries[1].text, "遅れ", "{text}");
            assert_eq!(lg.entries[1].meaning, "計画より遅れている", "{text}");
        }
        assert!(legend_in_line("○本庁舎で受付を開始した。").is_none());
        assert!(legend_in_line("【取組内容】 本文").is_none());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(text: &str, meaning: &str) -> LegendEntry {
        LegendEntry {
            text: text.to_string(),
            meaning: meaning.to_string(),
        }
    }

    fn legend(heading: Option<&str>, entries: &[(&str, &str)]) -> Legend {
        Legend {
            heading: heading.map(str::to_string),
            entries: entries.iter().map(|(t, m)| e(t, m)).collect(),
        }
    }

    #[test]
    fn lines() {
        let cases: &[(&str, Legend)] = &[
            (
                "達成度 ◎：達成 ○：概ね達成 △：一部未達成 ×：未達成",
                legend(
                    Some("達成度"),
                    &[("◎", "達成"), ("○", "概ね達成"), ("△", "一部未達成"), ("×", "未達成")],
                ),
            ),
            (
                "凡例 実施：計画どおり実施 一部実施：計画の一部を実施 未実施：計画どおり実施できなかった 完了：取組を終了 検討：実施に向けて検討 →：前年度の取組を継続",
                legend(
                    Some("凡例"),
                    &[
                        ("実施", "計画どおり実施"),
                        ("一部実施", "計画の一部を実施"),
                        ("未実施", "計画どおり実施できなかった"),
                        ("完了", "取組を終了"),
                        ("検討", "実施に向けて検討"),
                        ("→", "前年度の取組を継続"),
                    ],
                ),
            ),
            (
                "自己評価の区分 達成：数値目標を達成したもの 未達成：数値目標を達成できなかったもの",
                legend(
                    Some("自己評価の区分"),
                    &[("達成", "数値目標を達成したもの"), ("未達成", "数値目標を達成できなかったもの")],
                ),
            ),
            (
                "S：計画以上に進んでいる A：計画どおり B：やや遅れ C：遅れ",
                legend(
                    None,
                    &[("S", "計画以上に進んでいる"), ("A", "計画どおり"), ("B", "やや遅れ"), ("C", "遅れ")],
                ),
            ),
            (
                "Ｓ：計画以上に進んでいる　Ａ：計画どおり　Ｂ：やや遅れ　Ｃ：遅れ",
                legend(
                    None,
                    &[("S", "計画以上に進んでいる"), ("A", "計画どおり"), ("B", "やや遅れ"), ("C", "遅れ")],
                ),
            ),
            (
                "「順調に達成」…令和3年度の目標を達成したもの",
                legend(None, &[("順調に達成", "令和3年度の目標を達成したもの")]),
            ),
            (
                "「A」…xのもの「B」…yのもの",
                legend(None, &[("A", "xのもの"), ("B", "yのもの")]),
            ),
            (
                "評価区分 「A」：計画どおり 「B」：遅れ",
                legend(Some("評価区分"), &[("A", "計画どおり"), ("B", "遅れ")]),
            ),
            (
                "◎=達成 ○=概ね達成",
                legend(None, &[("◎", "達成"), ("○", "概ね達成")]),
            ),
            (
                "A:順調 B:遅れ",
                legend(None, &[("A", "順調"), ("B", "遅れ")]),
            ),
            (
                "A…順調 B…遅れ",
                legend(None, &[("A", "順調"), ("B", "遅れ")]),
            ),
            (
                "A...順調 B...遅れ",
                legend(None, &[("A", "順調"), ("B", "遅れ")]),
            ),
            (
                "A‥順調 B‥遅れ",
                legend(None, &[("A", "順調"), ("B", "遅れ")]),
            ),
            (
                "A・・・順調 B・・・遅れ",
                legend(None, &[("A", "順調"), ("B", "遅れ")]),
            ),
            (
                "◎：達成　○：概ね達成　△：一部未達成",
                legend(None, &[("◎", "達成"), ("○", "概ね達成"), ("△", "一部未達成")]),
            ),
            (
                "◎：達成○：概ね達成△：一部未達成",
                legend(None, &[("◎", "達成"), ("○", "概ね達成"), ("△", "一部未達成")]),
            ),
            (
                "【凡例】◎：達成 ○：概ね達成",
                legend(Some("凡例"), &[("◎", "達成"), ("○", "概ね達成")]),
            ),
            (
                "凡例： ◎：達成 ○：概ね達成",
                legend(Some("凡例"), &[("◎", "達成"), ("○", "概ね達成")]),
            ),
            (
                "A：計画どおり（達成率：100%） B：遅れ",
                legend(None, &[("A", "計画どおり(達成率:100%)"), ("B", "遅れ")]),
            ),
            (
                "A ： 計画どおり B ： 遅れ",
                legend(None, &[("A", "計画どおり"), ("B", "遅れ")]),
            ),
            (
                "【評価基準】 Ａ：計画どおり進んでいる　Ｂ：概ね計画どおり進んでいる　Ｃ：遅れている",
                legend(
                    Some("評価基準"),
                    &[("A", "計画どおり進んでいる"), ("B", "概ね計画どおり進んでいる"), ("C", "遅れている")],
                ),
            ),
            (
                "（凡例）◎…目標を達成 ○…概ね達成 ▲…未達成",
                legend(Some("凡例"), &[("◎", "目標を達成"), ("○", "概ね達成"), ("▲", "未達成")]),
            ),
            (
                "1：順調 2：やや遅れ 3：遅れ",
                legend(None, &[("1", "順調"), ("2", "やや遅れ"), ("3", "遅れ")]),
            ),
        ];
        for (line, want) in cases {
            assert_eq!(legend_in_line(line).as_ref(), Some(want), "{line}");
        }
    }

    #[test]
    fn not_legends() {
        let lines = [
            "担当：総務課",
            "担当課：総務課 連絡先：03-1234-5678",
            "目的：経費削減 方法：委託化",
            "A：計画どおり",
            "本市では行財政改革を推進し、各取組の進捗状況を次のとおり評価した。",
            "「行政改革大綱」に基づき取組を進めた。",
            "",
            "取組の進捗状況について、評価基準に従い各課が評価を行った結果は次のとおり A：計画どおり B：遅れ",
            "令和3年度：実施 令和4年度：拡充",
            "10:00 開始",
        ];
        for line in lines {
            assert_eq!(legend_in_line(line), None, "{line}");
        }
    }

    #[test]
    fn rule_separator_len() {
        let cases = [
            (":", 1),
            ("：", 1),
            ("=", 1),
            ("＝", 1),
            ("…", 1),
            ("……", 2),
            ("‥", 1),
            ("...", 3),
            ("..", 2),
            (".", 0),
            ("・・・", 3),
            ("・", 0),
            ("a", 0),
        ];
        for (s, want) in cases {
            let chars: Vec<char> = s.chars().collect();
            assert_eq!(separator_len(&chars, 0), want, "{s}");
        }
    }

    #[test]
    fn rule_clean_heading() {
        let cases = [
            ("【凡例】", Some("凡例")),
            ("凡例：", Some("凡例")),
            ("(達成度)", Some("達成度")),
            ("達成度", Some("達成度")),
            ("", None),
            ("【】", None),
        ];
        for (s, want) in cases {
            assert_eq!(clean_heading(s).as_deref(), want, "{s}");
        }
    }

    #[test]
    fn rule_is_rating_like() {
        let lex = Lexicon::builtin();
        let cases = [
            (e("◎", "x"), true),
            (e("→", "x"), true),
            (e("A", "x"), true),
            (e("AA", "x"), true),
            (e("1", "x"), true),
            (e("実施", "計画どおり実施"), true),
            (e("ランク外", "遅れ"), true),
            // The directions of an 事務事業評価 (拡充・継続・改善・縮小・廃止).
            (e("廃止", "事業を廃止する"), true),
            (e("縮小", "規模を縮小して実施する"), true),
            (e("担当", "総務課"), false),
            (e("ABCD", "x"), false),
        ];
        for (entry, want) in cases {
            assert_eq!(is_rating_like(&entry, lex), want, "{entry:?}");
        }
    }

    fn rows(r: &[&[&str]]) -> Vec<Vec<String>> {
        r.iter()
            .map(|row| row.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn tables() {
        let cases: &[(Vec<Vec<String>>, Option<Legend>)] = &[
            (
                rows(&[
                    &["評価", "評価の基準"],
                    &["A", "大きな成果あり"],
                    &["B", "成果あり"],
                    &["C", "成果なし"],
                ]),
                Some(legend(
                    Some("評価"),
                    &[
                        ("A", "大きな成果あり"),
                        ("B", "成果あり"),
                        ("C", "成果なし"),
                    ],
                )),
            ),
            (
                rows(&[&["◎", "達成"], &["", ""], &["○", "概ね達成"]]),
                Some(legend(None, &[("◎", "達成"), ("○", "概ね達成")])),
            ),
            (
                rows(&[
                    &["", "区分", "", "内容"],
                    &["", "実施", "", "計画どおり実施"],
                    &["", "未実施", "", "実施できなかった"],
                ]),
                Some(legend(
                    Some("区分"),
                    &[("実施", "計画どおり実施"), ("未実施", "実施できなかった")],
                )),
            ),
            // Only a header and one row.
            (
                rows(&[&["評価", "評価の基準"], &["A", "大きな成果あり"]]),
                None,
            ),
            // A row that is no entry.
            (
                rows(&[&["評価", "基準"], &["A", "順調"], &["担当課", "総務課"]]),
                None,
            ),
            // An ordinary table.
            (
                rows(&[
                    &["番号", "取組項目", "担当課"],
                    &["1", "窓口の見直し", "市民課"],
                    &["2", "公共施設の再編", "財政課"],
                ]),
                None,
            ),
            (rows(&[]), None),
        ];
        for (r, want) in cases {
            assert_eq!(legend_in_rows(r), *want, "{r:?}");
        }
    }
}
