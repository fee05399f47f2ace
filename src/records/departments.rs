//! A department cell naming each department by its part in the work (`主：総務課　副：財政課`,
//! `主管:企画課 関係:財政課`, also with the spaces between the parts lost: `主:総務課副:財政課`):
//! parts of the shape `label：department`. The first part is the lead, and the item's department.

use crate::fields::lexicon::Lexicon;

/// The longest part label (`主`, `副`, `主管`, `関係課`), in characters.
const MAX_PART_LABEL_CHARS: usize = 4;

/// The departments of a cell of labelled parts, in printed order: (label, department). None unless
/// every part is `label：department` with a short label and a department (a name ending as the
/// lexicon's departments do) after it.
pub(super) fn labelled_parts(lex: &Lexicon, cell: &str) -> Option<Vec<(String, String)>> {
    let pieces: Vec<&str> = cell.split([':', '：']).map(str::trim).collect();
    if pieces.len() < 2 {
        return None;
    }
    let label_ok = |l: &str| {
        let n = l.chars().count();
        (1..=MAX_PART_LABEL_CHARS).contains(&n) && !l.chars().any(|c| c.is_ascii_digit())
    };
    let mut label = pieces.first()?.to_string();
    let mut parts = vec![];
    for (k, piece) in pieces.iter().enumerate().skip(1) {
        let (dept, next) = if k + 1 == pieces.len() {
            (piece.to_string(), None)
        } else {
            let (d, l) = split_dept_label(lex, piece)?;
            (d, Some(l))
        };
        if !label_ok(&label) || !lex.looks_like_department(&dept) {
            return None;
        }
        parts.push((label, dept));
        label = next.unwrap_or_default();
    }
    Some(parts)
}

/// A department followed by the next part's label (`総務課　副`, `総務課副`): split at the space,
/// else after the shortest label that leaves a department before it.
fn split_dept_label(lex: &Lexicon, piece: &str) -> Option<(String, String)> {
    if let Some((d, l)) = piece.rsplit_once(char::is_whitespace) {
        return Some((d.trim().to_string(), l.trim().to_string()));
    }
    let chars: Vec<char> = piece.chars().collect();
    (1..=MAX_PART_LABEL_CHARS.min(chars.len().saturating_sub(1))).find_map(|n| {
        let d: String = chars.get(..chars.len() - n)?.iter().collect();
        let l: String = chars.get(chars.len() - n..)?.iter().collect();
        lex.looks_like_department(&d).then_some((d, l))
    })
}

/// The lead department of a cell of labelled parts (its first part), or None.
#[cfg(test)]
fn lead_of_parts(lex: &Lexicon, cell: &str) -> Option<String> {
    labelled_parts(lex, cell)?
        .into_iter()
        .next()
        .map(|(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_of_labelled_parts() {
        let lex = Lexicon::builtin();
        let cases = [
            ("主：総務課\u{3000}副：財政課", Some("総務課")),
            ("主:総務課副:財政課", Some("総務課")),
            ("主：総務課", Some("総務課")),
            ("主管:企画課 関係:財政課 関係:税務課", Some("企画課")),
            ("主管:企画課関係:財政課", Some("企画課")),
            ("総務課", None),
            ("総務課　財政課", None),
            ("令和5年:総務課", None),
            ("担当部署名：", None),
            ("目標：職員数を減らす", None),
        ];
        for (cell, want) in cases {
            assert_eq!(lead_of_parts(lex, cell).as_deref(), want, "{cell}");
        }
        assert_eq!(
            labelled_parts(lex, "主：総務課\u{3000}副：財政課"),
            Some(vec![
                ("主".to_string(), "総務課".to_string()),
                ("副".to_string(), "財政課".to_string())
            ])
        );
    }
}
