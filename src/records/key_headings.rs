//! Headings printed as the enclosing part of the ids under them: `重点１　持続可能な財政運営` over
//! `重点１－①`, `重点１－②`. The heading's own id is the part its children's ids share (their
//! `parent_key`), a word and a number, followed by its title.

use super::ids::{IdToken, Scheme};
use super::line::Line;
use super::{Candidate, Form, LineRole};
use std::collections::BTreeSet;

/// `key` is a word and a number (`重点1`, `A2`): the word and the number.
fn word_and_number(key: &str) -> Option<(&str, u32)> {
    let at = key.find(|c: char| c.is_ascii_digit())?;
    let (word, digits) = key.split_at(at);
    if word.is_empty()
        || word
            .chars()
            .any(|c| c.is_ascii_digit() || c.is_whitespace())
    {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    (n > 0).then_some((word, n))
}

/// The heading `text` opens with `key` and a space before its title: the title.
fn titled_by(text: &str, key: &str) -> Option<String> {
    let rest = text.strip_prefix(key)?;
    let first = rest.chars().next()?;
    let title = rest.trim();
    (first.is_whitespace() && !title.is_empty()).then(|| title.to_string())
}

/// Candidates for the headings whose id is the shared part of prefixed ids found in `cands`; each
/// a line of one cell that starts with that part and a space (the title after it).
pub(super) fn key_headings(
    lines: &[Line],
    roles: &[LineRole],
    cands: &[Candidate],
) -> Vec<Candidate> {
    let keys: BTreeSet<&str> = cands
        .iter()
        .filter(|c| c.tok.scheme == Scheme::Prefixed && c.form == Form::Prefix)
        .map(|c| c.tok.parent_key.as_str())
        .filter(|k| word_and_number(k).is_some())
        .collect();
    let taken: BTreeSet<usize> = cands.iter().map(|c| c.line).collect();
    let mut out = vec![];
    for (i, l) in lines.iter().enumerate() {
        if roles.get(i) != Some(&LineRole::Other) || taken.contains(&i) {
            continue;
        }
        let [(0, one)] = l.filled().collect::<Vec<_>>()[..] else {
            continue;
        };
        let text = crate::normalize::normalize(one);
        let found = keys
            .iter()
            .find_map(|k| titled_by(text.trim(), k).map(|title| (*k, title)));
        let Some((key, title)) = found else {
            continue;
        };
        let Some((word, n)) = word_and_number(key) else {
            continue;
        };
        out.push(Candidate {
            line: i,
            form: Form::LabelPrefix,
            label: Some(word.to_string()),
            cell: 0,
            tok: IdToken {
                scheme: Scheme::Prefixed,
                text: key.to_string(),
                ordinal: n,
                parent_key: String::new(),
                rest: title,
            },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_named_by_their_childrens_shared_key() {
        let text =
            "重点１　財政運営\n\t方針\n重点１－①　市税の納付\t税務課\n重点１－②　補助金\t財政課\n\
                    重点２　市民サービス\n重点２－①　窓口\t市民課\n重点３は設けない\n";
        let (raw, lines) = crate::records::tab_doc(text);
        let roles = vec![LineRole::Other; lines.len()];
        let cands: Vec<Candidate> = lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let tok =
                    super::super::ids::id_at_start(&crate::normalize::normalize(l.cells.first()?))?;
                Some(Candidate {
                    line: i,
                    form: Form::Prefix,
                    label: None,
                    cell: 0,
                    tok,
                })
            })
            .filter(|c| c.tok.scheme == Scheme::Prefixed)
            .collect();
        let _ = raw;
        let got: Vec<(usize, String, u32, String)> = key_headings(&lines, &roles, &cands)
            .into_iter()
            .map(|c| (c.line, c.tok.text, c.tok.ordinal, c.tok.rest))
            .collect();
        assert_eq!(
            got,
            vec![
                (0, "重点1".to_string(), 1, "財政運営".to_string()),
                (4, "重点2".to_string(), 2, "市民サービス".to_string()),
            ]
        );
        let cases = [
            ("重点1", Some(("重点", 1))),
            ("A2", Some(("A", 2))),
            ("12", None),
            ("重点", None),
            ("重点0", None),
        ];
        for (key, want) in cases {
            assert_eq!(word_and_number(key), want, "{key}");
        }
    }
}
