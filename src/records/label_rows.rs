//! A row of labels over a row of their values inside a record (a two-column box:
//! `見直し前 | 見直し後` over `１時間５００円 | 平日…、休日…`): each label takes the cell under it.

use crate::fields::lexicon::Lexicon;

/// Whether `cell` reads as a heading word: short, no digits, no sentence punctuation or brackets,
/// no spaces.
fn heading_word(cell: &str) -> bool {
    let t = cell.trim();
    let n = t.chars().count();
    (2..=10).contains(&n)
        && !t.chars().any(|c| {
            c.is_ascii_digit()
                || ('０'..='９').contains(&c)
                || c.is_whitespace()
                || "。、，,.()（）「」【】:：%％".contains(c)
        })
}

/// The labels of `row` when it is a row of two or more heading words, none a label the lexicon
/// knows or a department, over `below`, a row filling the same columns that is no such row
/// itself: the (label, value) pairs, in column order.
pub(super) fn labels_over_values(
    lex: &Lexicon,
    row: &[(usize, &str)],
    below: &[(usize, &str)],
) -> Option<Vec<(String, String)>> {
    if row.len() < 2 || row.len() != below.len() {
        return None;
    }
    let same_columns = row.iter().zip(below).all(|((a, _), (b, _))| a == b);
    let labels = row.iter().all(|(_, c)| {
        heading_word(c)
            && !lex.classify(c).is_some_and(|m| m.exact)
            && !lex.looks_like_department(c.trim())
    });
    let values_are_labels = below.iter().all(|(_, c)| heading_word(c));
    (same_columns && labels && !values_are_labels).then(|| {
        row.iter()
            .zip(below)
            .map(|((_, l), (_, v))| (l.trim().to_string(), v.trim().to_string()))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_rows_over_value_rows() {
        let lex = Lexicon::builtin();
        type Want<'a> = Option<Vec<(&'a str, &'a str)>>;
        type Row<'a> = &'a [(usize, &'a str)];
        let cases: [(Row, Row, Want); 6] = [
            (
                &[(0, "見直し前"), (1, "見直し後")],
                &[(0, "毎月2回発行"), (1, "毎月1回発行とし、随時お知らせ")],
                Some(vec![
                    ("見直し前", "毎月2回発行"),
                    ("見直し後", "毎月1回発行とし、随時お知らせ"),
                ]),
            ),
            // A label and its value (a known label, a department) are no label row.
            (
                &[(0, "担当課"), (1, "総務課")],
                &[(0, "評価"), (1, "A")],
                None,
            ),
            (
                &[(0, "旧制度"), (1, "市民課")],
                &[(0, "毎月2回"), (1, "毎月1回")],
                None,
            ),
            // Cells in other columns, a single cell, words over words.
            (
                &[(0, "見直し前"), (1, "見直し後")],
                &[(0, "毎月2回"), (2, "毎月1回")],
                None,
            ),
            (&[(0, "見直し前")], &[(0, "毎月2回")], None),
            (
                &[(0, "見直し前"), (1, "見直し後")],
                &[(0, "窓口"), (1, "電子申請")],
                None,
            ),
        ];
        for (row, below, want) in cases {
            let got = labels_over_values(lex, row, below);
            let got: Option<Vec<(&str, &str)>> = got
                .as_ref()
                .map(|v| v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect());
            assert_eq!(got, want, "{row:?}");
        }
    }
}
