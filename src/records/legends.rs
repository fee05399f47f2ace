//! Rating legends found in a report (one line, one entry per line, a small table, or two rows
//! across), and each item's rating matched against them.

use super::strip_ws;
use crate::fields::legend::{self, Legend};
use crate::fields::lexicon::{Lexicon, Role};
use crate::model::*;
use crate::records::line::Line;
use crate::records::LineRole;

/// A line with the spaces before its first colon taken out (`順調 :計画どおり` → `順調:計画どおり`).
fn close_colon(line: &str) -> String {
    match line.find([':', '：']) {
        Some(at) => {
            let (head, tail) = line.split_at(at);
            format!("{}{tail}", head.trim_end())
        }
        None => line.to_string(),
    }
}

/// An entry written meaning first and its grade at the end of the line, after leader dots that
/// cut the line into two cells (`達成率100％以上 | Ａ` from `達成率100％以上……Ａ`): the entry grade
/// first (`Ａ：達成率100％以上`). The grade is short (three characters at most) and holds no kana or
/// ideograph; the meaning is longer, holds no colon and opens with no item number (`①　題 | Ａ` is
/// an item graded in a list).
fn grade_last(cells: &[&str]) -> Option<String> {
    let [head, tail] = cells else {
        return None;
    };
    let (head, tail) = (head.trim(), tail.trim());
    let grade = (1..=3).contains(&tail.chars().count())
        && tail.chars().all(|c| {
            !c.is_whitespace()
                && !matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
        });
    (grade
        && head.chars().count() > 3
        && !head.contains([':', '：'])
        && super::ids::id_at_start(head).is_none())
    .then(|| format!("{tail}：{head}"))
}

/// A short line naming a legend (`※進捗状況の区分`, `凡例`, `評価基準`, `評価の目安`).
fn is_legend_heading(t: &str) -> bool {
    t.chars().count() <= 20
        && (t.starts_with('※') || legend::HEADING_WORDS.iter().any(|w| t.contains(w)))
}

/// A legend entry set off by a space (`◎　計画以上に進んでいる`, `Ａ 計画どおり`, `５　計画を上回る`)
/// written with a colon (`◎：計画以上に進んでいる`): a grade or mark of at most four characters,
/// then a short phrase. Returns the entry and whether its grade is a number (a run of entries is
/// all numbers or none: `１　行政評価制度の導入` after marks is an item, not one more grade).
fn spaced_entry(line: &str) -> Option<(String, bool)> {
    let t = line.trim();
    if t.contains([':', '：']) {
        return None;
    }
    let (head, meaning) = t.split_once(char::is_whitespace)?;
    let meaning = meaning.trim();
    // `第一　事務事業の見直し` after a legend is a heading, not one more entry.
    // Five characters for a grade of five stars (`★★★★☆`).
    let short_head = (1..=5).contains(&head.chars().count()) && !head.starts_with('第');
    let number = head.chars().all(|c| c.is_numeric());
    let ok = short_head
        && (number || !head.chars().any(|c| c.is_numeric()))
        && !meaning.is_empty()
        && !meaning.contains(char::is_whitespace)
        && meaning.chars().count() <= legend::MAX_MARKED_MEANING_CHARS
        && !meaning.ends_with(['。', '.']);
    ok.then(|| (format!("{head}：{meaning}"), number))
}

/// Legends among the given lines (indices in order): one line with several entries, a run of
/// lines with one entry each, a `「A」…` line continued by more such lines, or a small table of two
/// cells per row. Returns the legends and, per index, whether a legend took the line.
pub(super) fn scan_legends(
    lex: &Lexicon,
    lines: &[Line],
    raw: &super::RawLines,
    idxs: &[usize],
) -> (Vec<Legend>, Vec<bool>) {
    let mut legends: Vec<Legend> = vec![];
    let mut used = vec![false; idxs.len()];
    let spaced_line = |x: usize| -> String {
        let Some(l) = lines.get(x) else {
            return String::new();
        };
        let mut out = String::new();
        for (j, c) in l.cells.iter().enumerate() {
            let spaced = super::spaced_cell_cow(raw, x, j, c);
            if spaced.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(spaced);
        }
        out
    };
    let single = |x: usize| lines.get(x).is_some_and(|r| r.filled().count() == 1);
    // `順調　　　：計画どおり`: an entry whose colon is aligned with the others', after a gap.
    let colon_after_gap = |x: usize| {
        lines.get(x).is_some_and(|r| {
            let f: Vec<&str> = r.filled().map(|(_, c)| c).collect();
            matches!(f[..], [a, b] if a.chars().count() <= 8 && b.starts_with([':', '：']))
        })
    };
    // `達成率100％以上……Ａ`: the leader dots cut the line into cells; as printed it is one entry.
    let graded = |x: usize| {
        lines
            .get(x)
            .and_then(|l| grade_last(&l.filled().map(|(_, c)| c).collect::<Vec<_>>()))
    };
    let mark = |from: usize, to: usize, used: &mut Vec<bool>| {
        for u in used.iter_mut().take(to).skip(from) {
            *u = true;
        }
    };
    let mut k = 0usize;
    let mut last_legend_line = usize::MAX - 1;
    while k < idxs.len() {
        let Some(&li) = idxs.get(k) else { break };
        let spaced_li = spaced_line(li);
        if let Some(lg) = legend::legend_in_line_with(&spaced_li, lex) {
            // One legend written over several lines (`「A」…` on each line) is one scale.
            match legends.last_mut() {
                Some(prev) if lg.heading.is_none() && last_legend_line + 1 == k => {
                    prev.entries.extend(lg.entries)
                }
                _ => legends.push(lg),
            }
            last_legend_line = k;
            mark(k, k + 1, &mut used);
            k += 1;
            continue;
        }
        // A legend written one entry per line (`4：計画を上回って進んだ` …): the longest run.
        let mut best: Option<(usize, Legend)> = None;
        let mut run: Vec<String> = vec![];
        let mut m = k;
        // A run is two lines at least: with one line left (a line read alone), none.
        let left = idxs.len() - k;
        while let Some(&x) = idxs.get(m).filter(|_| left >= 2) {
            let entry = graded(x);
            if !(single(x) || colon_after_gap(x) || entry.is_some()) || m - k >= 12 {
                break;
            }
            run.push(entry.unwrap_or_else(|| {
                // The first line of the run is the line just read (not spaced again).
                let other;
                close_colon(if m == k {
                    &spaced_li
                } else {
                    other = spaced_line(x);
                    &other
                })
            }));
            m += 1;
            if run.len() < 2 {
                continue;
            }
            match legend::legend_in_line_with(&run.join(" "), lex) {
                Some(lg) if lg.entries.len() == run.len() && lg.heading.is_none() => {
                    best = Some((run.len(), lg));
                }
                _ if best.is_some() => break,
                _ => {}
            }
        }
        // A heading line just before (`※進捗状況の区分`, `凡例`) belongs to the legend.
        let heading_before = k.checked_sub(1).filter(|&prev| {
            idxs.get(prev)
                .and_then(|&x| lines.get(x))
                .filter(|l| l.filled().count() == 1)
                .map(|l| l.joined())
                .is_some_and(|t| is_legend_heading(&t))
        });
        // Under such a heading, entries may be set off by a space alone (`◎　計画以上に進んでいる`).
        if best.is_none() && heading_before.is_some() && left >= 2 {
            let entries: Vec<(String, bool)> = idxs
                .get(k..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&x| single(x))
                .take(12)
                .map_while(|&x| spaced_entry(&spaced_line(x)))
                .collect();
            let numbers = entries.first().is_some_and(|e| e.1);
            let run: Vec<String> = entries
                .into_iter()
                .take_while(|e| e.1 == numbers)
                .map(|e| e.0)
                .collect();
            if run.len() >= 2 {
                if let Some(lg) = legend::legend_in_line_with(&run.join(" "), lex)
                    .filter(|lg| lg.entries.len() == run.len() && lg.heading.is_none())
                {
                    best = Some((run.len(), lg));
                }
            }
        }
        if let Some((n, lg)) = best {
            legends.push(lg);
            mark(k, k + n, &mut used);
            if let Some(prev) = heading_before {
                mark(prev, k, &mut used);
            }
            k += n;
            continue;
        }
        // A legend laid across two rows: `評価 | A | B | C` over `内容 | m1 | m2 | m3`.
        if let (Some(r1), Some(r2)) = (lines.get(li), idxs.get(k + 1).and_then(|&x| lines.get(x))) {
            let a: Vec<&str> = r1.filled().map(|(_, c)| c).collect();
            let b: Vec<&str> = r2.filled().map(|(_, c)| c).collect();
            let head_is_rating = a.first().is_some_and(|h| {
                lex.classify(h)
                    .is_some_and(|m| m.roles.first() == Some(&Role::Rating))
                    || h.contains("凡例")
            });
            if head_is_rating
                && a.len() >= 3
                && a.len() == b.len()
                && a.iter().skip(1).all(|t| t.chars().count() <= 4)
                && b.iter().skip(1).all(|m| !m.is_empty())
                // A count table (`件数 | 2 | 3 | 2 | 1`) is no legend.
                && !b.iter().skip(1).all(|m| m.chars().all(|c| c.is_ascii_digit()))
            {
                legends.push(Legend {
                    heading: a.first().map(|h| h.to_string()),
                    entries: a
                        .iter()
                        .zip(&b)
                        .skip(1)
                        .map(|(t, m)| legend::LegendEntry {
                            text: t.to_string(),
                            meaning: m.to_string(),
                        })
                        .collect(),
                });
                mark(k, k + 2, &mut used);
                k += 2;
                continue;
            }
        }
        // A legend table: consecutive rows of two cells (a grade and its meaning), or of more
        // when the cells after those two count the items of each grade (`Ａ | 計画どおり | 3 |
        // 50.0％`, a summary that is the legend too); its `合計` row is part of it.
        let mut rows: Vec<Vec<String>> = vec![];
        let mut m = k;
        let mut counted = false;
        // Three rows at least: with fewer lines left, none is read.
        while let Some(r) = idxs
            .get(m)
            .filter(|_| left >= 3)
            .and_then(|&x| lines.get(x))
        {
            let cells: Vec<String> = r.filled().map(|(_, c)| c.to_string()).collect();
            match legend_table_row(lex, cells, rows.is_empty()) {
                TableRow::Entry(cells, counts) => {
                    counted |= counts;
                    rows.push(cells);
                }
                TableRow::Sum if counted => {
                    m += 1;
                    break;
                }
                _ => break,
            }
            m += 1;
        }
        if rows.len() >= 3 {
            // A header row naming the rating column (`達成状況 | 区分の考え方`) is no entry.
            let header_is_label = rows.first().and_then(|r| r.first()).is_some_and(|c| {
                lex.classify(c)
                    .is_some_and(|m| m.roles.first() == Some(&Role::Rating))
            });
            let body: Vec<Vec<String>> = if header_is_label {
                rows.iter().skip(1).cloned().collect()
            } else {
                rows.clone()
            };
            let counts = body.iter().all(|r| {
                r.last()
                    .is_some_and(|c| c.chars().all(|ch| ch.is_ascii_digit()))
            });
            // Labelled rows (`所管部署 | 市民課`, `進捗状況 | 遅れ`: the last record's own lines)
            // are fields, not a legend, even when their values hold rating words.
            let labelled = body
                .iter()
                .filter(|r| {
                    r.first()
                        .is_some_and(|c| lex.classify(c).is_some_and(|m| m.exact))
                })
                .count();
            if let Some(lg) =
                legend::legend_in_rows_with(&body, lex).filter(|_| !counts && labelled < 2)
            {
                legends.push(lg);
                mark(k, m, &mut used);
                k = m;
                continue;
            }
        }
        k += 1;
    }
    (legends, used)
}

/// A row of a legend table, as [`legend_table_row`] reads it.
#[derive(Debug, PartialEq)]
enum TableRow {
    /// The grade and its meaning (or the header naming them), and whether counts followed.
    Entry(Vec<String>, bool),
    /// A `合計` row of counts.
    Sum,
    Other,
}

/// Is a cell a count or a share (`3`, `12件`, `50.0％`)?
fn is_count(cell: &str) -> bool {
    let t = cell.trim().trim_end_matches(['件', '％', '%']);
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// A row of a legend table: two cells, or a grade and a meaning followed by counts (a table of
/// items per grade); as the first row, the header naming the rating column (`評価 | 評価の内容 |
/// 件数 | 割合`) is read as its first two cells.
fn legend_table_row(lex: &Lexicon, cells: Vec<String>, first: bool) -> TableRow {
    if cells.len() == 2 {
        return TableRow::Entry(cells, false);
    }
    if cells.len() < 2 {
        return TableRow::Other;
    }
    let is_sum = cells
        .first()
        .is_some_and(|c| matches!(strip_ws(c).as_str(), "合計" | "計" | "総計"));
    if is_sum && cells.iter().skip(1).all(|c| is_count(c)) {
        return TableRow::Sum;
    }
    let rating_header = first
        && cells.first().is_some_and(|c| {
            lex.classify(c)
                .is_some_and(|m| m.roles.first() == Some(&Role::Rating))
        });
    if rating_header || cells.iter().skip(2).all(|c| is_count(c)) {
        let counts = !rating_header;
        return TableRow::Entry(cells.into_iter().take(2).collect(), counts);
    }
    TableRow::Other
}

/// Legends printed after the last record (`last_start`, a footnote explaining the ratings) among
/// the lines of no other role: added to `legends`, their lines marked as legend lines. Returns
/// the line after the last of them, where the report's back matter begins (the date and the
/// issuing office), if any.
pub(super) fn tail_legends(
    lex: &Lexicon,
    lines: &[Line],
    raw: &super::RawLines,
    roles: &mut [LineRole],
    last_start: usize,
    legends: &mut Vec<Legend>,
) -> Option<usize> {
    let tail: Vec<usize> = (last_start + 1..lines.len())
        .filter(|&k| matches!(roles.get(k), Some(LineRole::Other)))
        .collect();
    let (found, used) = scan_legends(lex, lines, raw, &tail);
    let mut back_from = None;
    for (&k, u) in tail.iter().zip(&used) {
        if *u {
            if let Some(r) = roles.get_mut(k) {
                *r = LineRole::Legend;
            }
            back_from = Some(k + 1);
        }
    }
    legends.extend(found);
    back_from
}

/// Legends under a heading of their own anywhere among the lines (`【評価の区分】` over
/// `５　計画を大きく上回る` …, `評価区分` over rows `Ⅰ | 計画どおり実施した` after the last record),
/// found before records are chosen, for a grade can read like an item's number (`５`, `Ⅳ`). The
/// heading and the entries under it become legend lines.
pub(super) fn headed_legends(
    lex: &Lexicon,
    lines: &[Line],
    raw: &super::RawLines,
    roles: &mut [LineRole],
) -> Vec<Legend> {
    let mut out = vec![];
    let mut i = 0usize;
    while i < lines.len() {
        let heading = roles.get(i) == Some(&LineRole::Other)
            && lines.get(i).is_some_and(|l| {
                l.filled().count() == 1
                    && is_legend_heading(&l.joined())
                    && legend::legend_in_line_with(&l.joined(), lex).is_none()
            });
        if !heading {
            i += 1;
            continue;
        }
        let idxs: Vec<usize> = (i..lines.len())
            .take_while(|&x| x == i || roles.get(x) == Some(&LineRole::Other))
            .take(14)
            .collect();
        let (found, used) = scan_legends(lex, lines, raw, &idxs);
        let n = used.iter().skip(1).take_while(|u| **u).count();
        match found.into_iter().next() {
            Some(lg) if n >= 1 && lg.entries.len() >= 2 => {
                for &x in idxs.iter().take(n + 1) {
                    if let Some(r) = roles.get_mut(x) {
                        *r = LineRole::Legend;
                    }
                }
                out.push(lg);
                i += n + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// A rating's code: from its own words when they say one (`概ね達成`, `やや遅れ`), else from the
/// legend's meaning (`◎` → `達成`); a meaning like `8割以上を達成した` must not make `概ね達成`
/// an achievement.
pub fn rating_code(lex: &Lexicon, text: &str, meaning: Option<&str>) -> Option<String> {
    lex.rating_code(text, None)
        .or_else(|| meaning.and_then(|m| lex.rating_code(text, Some(m))))
}

/// Each item's rating with its meaning and rank from the scale, and its code.
pub fn rate(lex: &Lexicon, items: &mut [Item], scale: &[RatingLevel]) {
    super::share_grades::grade_by_share(items, scale);
    for it in items {
        if let Some(r) = it.rating.as_mut() {
            let mut level = scale
                .iter()
                .find(|x| strip_ws(&x.text) == strip_ws(&r.text));
            // `A（順調）`: the grade with its meaning repeated in brackets.
            if level.is_none() {
                if let Some(head) = rating_head(&r.text) {
                    level = scale.iter().find(|x| strip_ws(&x.text) == head);
                    if level.is_some() {
                        r.text = head;
                    }
                }
            }
            r.meaning = level.map(|x| x.meaning.clone());
            r.rank = level.map(|x| x.rank);
            // `A（計画どおり）` with no legend listing `A`: the grade, its meaning printed beside it.
            if level.is_none() {
                if let Some((head, meaning)) = grade_with_meaning(&r.text) {
                    r.text = head;
                    r.meaning = Some(meaning);
                }
            }
            r.code = rating_code(lex, &r.text, r.meaning.as_deref());
        }
    }
}

/// The grade before a bracketed remark (`A（順調）` → `A`), or None.
pub(super) fn rating_head(text: &str) -> Option<String> {
    let t = strip_ws(text);
    let k = t.find(['(', '（'])?;
    let head = t.get(..k)?;
    (!head.is_empty() && t.ends_with([')', '）'])).then(|| head.to_string())
}

/// A grade of one or two letters, digits or marks with its meaning in brackets after it
/// (`A（計画どおり）` → `A`, `計画どおり`); None for words (`順調（一部遅れ）`) and bare grades.
fn grade_with_meaning(text: &str) -> Option<(String, String)> {
    let head = rating_head(text)?;
    let t = strip_ws(text);
    let grade = head.chars().count() <= 2
        && head
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "◎○〇△▲×●□■☆★◇◆".contains(c));
    let meaning = t
        .get(head.len()..)?
        .trim_start_matches(['(', '（'])
        .trim_end_matches([')', '）']);
    (grade && !meaning.is_empty()).then(|| (head, meaning.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_set_off_by_a_space() {
        let cases = [
            (
                "◎\u{3000}計画以上に進んでいる",
                Some("◎：計画以上に進んでいる"),
            ),
            ("Ａ 計画どおり", Some("Ａ：計画どおり")),
            ("★★★★☆\u{3000}前進した", Some("★★★★☆：前進した")),
            (
                "やや遅れ　計画よりやや遅れている",
                Some("やや遅れ：計画よりやや遅れている"),
            ),
            // A numbered grade (a run takes numbers only when its first entry is one).
            (
                "５\u{3000}計画を大きく上回る",
                Some("５：計画を大きく上回る"),
            ),
            // A section heading, a sentence, a colon legend: no such entry.
            ("第一　事務事業の見直し", None),
            ("○ 受講者の満足度が上がった。", None),
            ("Ａ：計画どおり", None),
        ];
        for (line, want) in cases {
            assert_eq!(spaced_entry(line).map(|e| e.0).as_deref(), want, "{line}");
        }
        assert_eq!(close_colon("順調 :計画どおり"), "順調:計画どおり");
        assert_eq!(close_colon("計画どおり"), "計画どおり");
    }

    /// A legend under its heading with entries set off by spaces, and one whose colons are
    /// aligned after a gap: every entry read, the heading with them.
    #[test]
    fn legends_without_colons_under_a_heading() {
        let lex = Lexicon::builtin();
        for text in [
            "評価の区分\n\u{3000}◎\u{3000}計画以上\n\u{3000}○\u{3000}計画どおり\n\u{3000}△\u{3000}遅れ",
            "評価の区分\n順調\t：計画どおり\nやや遅れ ：やや遅れ\n遅れ\t：大幅に遅れ",
        ] {
            let (raw, lines) = crate::records::tab_doc(text);
            let idxs: Vec<usize> = (0..lines.len()).collect();
            let (legends, used) = scan_legends(lex, &lines, &crate::records::RawLines::new(&raw), &idxs);
            assert_eq!(legends.len(), 1, "{text}");
            assert_eq!(legends[0].entries.len(), 3, "{text}");
            assert!(used.iter().all(|u| *u), "{text}");
        }
    }

    #[test]
    fn grades_with_their_meaning_beside_them() {
        let cases = [
            ("A(計画どおり)", Some(("A", "計画どおり"))),
            ("B（概ね計画どおり）", Some(("B", "概ね計画どおり"))),
            ("◎ (達成)", Some(("◎", "達成"))),
            ("A+(上回る)", None),
            ("順調(一部遅れ)", None),
            ("A", None),
            ("A()", None),
        ];
        for (text, want) in cases {
            assert_eq!(
                grade_with_meaning(text),
                want.map(|(h, m)| (h.to_string(), m.to_string())),
                "{text}"
            );
        }
    }

    #[test]
    fn rating_codes_prefer_the_rating_words() {
        let lex = Lexicon::builtin();
        // 概ね達成's own words say mostly achieved, whatever the legend adds.
        assert_eq!(
            rating_code(lex, "概ね達成", Some("8割以上を達成した")).as_deref(),
            Some("mostly_achieved")
        );
        // A mark has no words of its own: its meaning decides.
        assert_eq!(
            rating_code(lex, "◎", Some("達成")).as_deref(),
            Some("achieved")
        );
        assert_eq!(rating_code(lex, "A", None), None);
    }
}

#[cfg(test)]
mod table_row_tests {
    use super::*;

    #[test]
    fn entries_with_the_grade_after_leader_dots() {
        // (cells, as read)
        let cases: [(&[&str], Option<&str>); 8] = [
            (&["達成率100％以上", "Ａ"], Some("Ａ：達成率100％以上")),
            (
                &["達成率80％以上100％未満", "Ｂ"],
                Some("Ｂ：達成率80％以上100％未満"),
            ),
            (&["計画を上回った", "◎"], Some("◎：計画を上回った")),
            (&["目標の8割以上", "4"], Some("4：目標の8割以上")),
            // The grade first, a word at the end, an item graded in a list: no such entry.
            (&["Ａ", "計画どおり進んでいる"], None),
            (&["評価の区分", "遅れ"], None),
            (&["①　窓口受付時間の延長（市民課）", "Ａ"], None),
            (&["達成率100％以上"], None),
        ];
        for (cells, want) in cases {
            assert_eq!(grade_last(cells).as_deref(), want, "{cells:?}");
        }
    }

    #[test]
    fn rows_of_a_legend_table_with_counts() {
        let lex = Lexicon::builtin();
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let entry = |cells: &[&str], counts| TableRow::Entry(row(cells), counts);
        // (cells, first row, reading)
        let cases: Vec<(Vec<String>, bool, TableRow)> = vec![
            (row(&["Ａ", "順調"]), false, entry(&["Ａ", "順調"], false)),
            (
                row(&["Ａ", "計画どおり実施した", "3", "50.0％"]),
                false,
                entry(&["Ａ", "計画どおり実施した"], true),
            ),
            (
                row(&["Ｂ", "一部実施", "12件"]),
                false,
                entry(&["Ｂ", "一部実施"], true),
            ),
            (
                row(&["評価", "評価の内容", "件数", "割合"]),
                true,
                entry(&["評価", "評価の内容"], false),
            ),
            // Only the first row may be the header.
            (
                row(&["評価", "評価の内容", "件数", "割合"]),
                false,
                TableRow::Other,
            ),
            (row(&["合計", "6", "100.0％"]), false, TableRow::Sum),
            // A record's row is no legend row.
            (
                row(&["1", "窓口の延長", "市民課", "Ａ"]),
                false,
                TableRow::Other,
            ),
            (row(&["Ａ"]), false, TableRow::Other),
        ];
        for (cells, first, want) in cases {
            assert_eq!(
                legend_table_row(lex, cells.clone(), first),
                want,
                "{cells:?}"
            );
        }
    }
}
