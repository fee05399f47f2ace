//! Blank lines that carry no meaning: a text exported double-spaced (a blank line after every
//! line) holds its paragraph breaks as runs of blank lines, and its single blank lines separate
//! nothing. Such lines are dropped before records are read, so that blocks (cards, legends, page
//! headers) are the runs of lines the report meant.

use super::line::Line;
use crate::source::SourceLine;
use std::borrow::Cow;

/// Fewest single blank lines between two lines for a text to be taken as double-spaced.
const MIN_GAPS: usize = 8;

/// Whether each line is kept: all of them, unless the lines are double-spaced — nearly every
/// line followed by exactly one blank line (at most one line in twenty set directly under
/// another) — when single blank lines are dropped and a run of blank lines becomes one.
pub fn kept(lines: &[Line]) -> Option<Vec<bool>> {
    kept_of(&lines.iter().map(Line::is_blank).collect::<Vec<_>>())
}

/// A text's lines with the blank lines of a double-spaced text dropped (see [`kept`]); run before a
/// space-aligned text's columns are rebuilt, so that its tables are not cut at every line.
pub fn fold_doc(mut doc: crate::source::SourceDoc) -> crate::source::SourceDoc {
    let blank: Vec<bool> = doc.lines.iter().map(SourceLine::is_blank).collect();
    if let Some(keep) = kept_of(&blank) {
        let mut k = keep.iter();
        doc.lines.retain(|_| k.next().copied().unwrap_or(true));
    }
    doc
}

/// [`kept`] by which lines are blank.
fn kept_of(blank: &[bool]) -> Option<Vec<bool>> {
    let (mut single, mut direct) = (0usize, 0usize);
    let mut k = 0;
    while k < blank.len() {
        if blank.get(k) == Some(&false) {
            match (blank.get(k + 1), blank.get(k + 2)) {
                (Some(false), _) => direct += 1,
                (Some(true), Some(false)) => single += 1,
                _ => {}
            }
        }
        k += 1;
    }
    if single < MIN_GAPS || direct * 20 > single {
        return None;
    }
    let mut keep = vec![true; blank.len()];
    let mut k = 0;
    while k < blank.len() {
        if blank.get(k) == Some(&true) {
            let run = blank.iter().skip(k).take_while(|b| **b).count();
            // A run of one separates nothing; a longer run is one paragraph break.
            let drop_from = if run == 1 { k } else { k + 1 };
            for d in keep.iter_mut().take(k + run).skip(drop_from) {
                *d = false;
            }
            k += run;
        } else {
            k += 1;
        }
    }
    Some(keep)
}

/// [`kept`] applied to the raw and cleaned lines alike (they stay index for index).
pub fn fold<'a>(
    raw: Cow<'a, [SourceLine]>,
    lines: Vec<Line>,
) -> (Cow<'a, [SourceLine]>, Vec<Line>) {
    let Some(keep) = kept(&lines) else {
        return (raw, lines);
    };
    let raw: Vec<SourceLine> = raw
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(l, _)| l.clone())
        .collect();
    let lines: Vec<Line> = lines
        .into_iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(l, _)| l)
        .collect();
    (Cow::Owned(raw), lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.split('\n')
            .enumerate()
            .map(|(i, l)| Line {
                line: i as u32 + 1,
                page: None,
                cells: vec![l.to_string()],
            })
            .collect()
    }

    #[test]
    fn double_spaced_lines_lose_their_single_blank_lines() {
        let double = (1..=10)
            .map(|k| format!("行{k}"))
            .collect::<Vec<_>>()
            .join("\n\n");
        // A paragraph break written double-spaced: three blank lines.
        let with_break = format!("{double}\n\n\n\n次の段落\n\n終わり");
        let normal = "題\n\n1\t窓口\n内容\n\n2\t事務\n内容\n\n3\t削減\n内容";
        // (text, lines kept, or None when all are)
        let ten = vec![
            "行1", "行2", "行3", "行4", "行5", "行6", "行7", "行8", "行9", "行10",
        ];
        let mut ten_then_break = ten.clone();
        ten_then_break.extend(["", "次の段落", "終わり"]);
        // (text, lines kept, or None when all are)
        let cases: [(&str, Option<Vec<&str>>); 3] = [
            (&double, Some(ten)),
            (&with_break, Some(ten_then_break)),
            (normal, None),
        ];
        for (text, want) in cases {
            let ls = lines(text);
            let got = kept(&ls).map(|keep| {
                ls.iter()
                    .zip(&keep)
                    .filter(|(_, k)| **k)
                    .map(|(l, _)| l.cells[0].as_str())
                    .collect::<Vec<_>>()
            });
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn a_double_spaced_document_loses_its_single_blank_lines() {
        let text = (1..=10)
            .map(|k| format!("行{k}　　値{k}"))
            .collect::<Vec<_>>()
            .join("\n\n");
        let doc =
            crate::text::ingest_with(text.as_bytes(), None, crate::text::EncodingErrors::Replace)
                .expect("text");
        let folded = fold_doc(doc);
        let numbers: Vec<u32> = folded.lines.iter().map(|l| l.line).collect();
        // Every other line, each keeping its line number in the file.
        assert_eq!(numbers, (0..10).map(|k| 2 * k + 1).collect::<Vec<u32>>());
    }
}
