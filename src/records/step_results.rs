//! Steps of an item's work, each with its own result: a labelled field whose lines are steps
//! marked `(a)` `(b)` `(c)`, each step followed by a labelled result line (`実績：…`). Read line by
//! line, each result line opens a field of its own and carries the next step with it; gathered,
//! the steps stay in the field they are listed under and the results make one field under their
//! label, each result after its step's mark.

use crate::model::{FieldText, Item};
use crate::normalize::normalize_chars;

/// The mark opening a step line as printed (normalised): a Latin letter in brackets (`(a)`,
/// `（ｂ）`), closed by a bracket or a full stop (`a)`, `b.`), or alone before a space (`ａ　…`);
/// None for any other line.
fn step_mark(line: &str) -> Option<String> {
    let t = normalize_chars(line.trim_start());
    let chars: Vec<char> = t.chars().take(4).collect();
    let mark = match chars.as_slice() {
        ['(', c, ')', ..] if c.is_ascii_alphabetic() => format!("({c})"),
        [c, close @ (')' | '.'), next, ..]
            if c.is_ascii_alphabetic() && !next.is_ascii_alphanumeric() =>
        {
            format!("{c}{close}")
        }
        [c, ' ', next, ..] if c.is_ascii_alphabetic() && !next.is_ascii() => format!("{c} "),
        _ => return None,
    };
    Some(mark)
}

/// A field's lines before its first step line, and the step lines from there on.
fn split_at_step(text: &str) -> (Vec<&str>, Vec<&str>) {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| step_mark(l).is_some())
        .unwrap_or(lines.len());
    let (a, b) = lines.split_at(at);
    (a.to_vec(), b.to_vec())
}

/// Gathers each run of step results in an item's fields (see the module documentation): a field
/// ending in step lines, then two or more fields of one label, each but the last ending in the
/// next step's line.
pub(super) fn gather_step_results(it: &mut Item) {
    let mut k = 0;
    while k + 2 < it.fields.len() {
        if let Some((steps, results)) = step_run(&it.fields, k) {
            let label = it
                .fields
                .get(k + 1)
                .map(|f| f.label.clone())
                .unwrap_or_default();
            let (role, source) = it
                .fields
                .get(k + 1)
                .map(|f| (f.role.clone(), f.source.clone()))
                .unwrap_or_default();
            if let Some(head) = it.fields.get_mut(k) {
                head.text = steps
                    .iter()
                    .map(|(_, s)| s.as_str())
                    .collect::<Vec<_>>()
                    .join("\n");
            }
            let text = steps
                .iter()
                .zip(&results)
                .map(|((mark, _), r)| format!("{mark}{r}"))
                .collect::<Vec<_>>()
                .join("\n");
            it.fields.splice(
                k + 1..k + 1 + results.len(),
                [FieldText {
                    label,
                    text,
                    role,
                    source,
                }],
            );
            k += 2;
        } else {
            k += 1;
        }
    }
}

/// Steps (mark, text) and their results, in order.
type StepRun = (Vec<(String, String)>, Vec<String>);

/// The run starting at field `k`: its steps (mark, the step's lines with any text before the
/// first step kept at its head) and each step's result; None unless there are two steps or more,
/// one result for each.
fn step_run(fields: &[FieldText], k: usize) -> Option<StepRun> {
    let head = fields.get(k)?;
    let (intro, first) = split_at_step(&head.text);
    let mut steps: Vec<(String, Vec<String>)> = vec![];
    let open = |lines: Vec<&str>, steps: &mut Vec<(String, Vec<String>)>| -> Option<()> {
        for l in lines {
            match step_mark(l) {
                Some(m) => steps.push((m, vec![l.trim().to_string()])),
                None => steps.last_mut()?.1.push(l.trim().to_string()),
            }
        }
        Some(())
    };
    open(first, &mut steps)?;
    if steps.len() != 1 {
        return None;
    }
    let label = &fields.get(k + 1)?.label;
    let mut results: Vec<String> = vec![];
    for f in fields.iter().skip(k + 1) {
        if f.label != *label || results.len() == steps.len() {
            break;
        }
        let (result, next) = split_at_step(&f.text);
        results.push(result.join("\n"));
        let more = !next.is_empty();
        open(next, &mut steps)?;
        if !more {
            break;
        }
    }
    if steps.len() < 2 || results.len() != steps.len() || label == &head.label {
        return None;
    }
    let mut out: Vec<(String, String)> = steps
        .into_iter()
        .map(|(m, lines)| (m, lines.join("\n")))
        .collect();
    if !intro.is_empty() {
        if let Some((_, s)) = out.first_mut() {
            *s = format!("{}\n{s}", intro.join("\n"));
        }
    }
    Some((out, results))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(label: &str, text: &str) -> FieldText {
        FieldText {
            label: label.into(),
            text: text.into(),
            role: None,
            source: Default::default(),
        }
    }

    #[test]
    fn step_marks() {
        for (line, want) in [
            ("(a)調べる。", Some("(a)")),
            ("（ｂ）決める。", Some("(b)")),
            ("(C) 開く。", Some("(C)")),
            ("a)調べる。", Some("a)")),
            ("b.決める。", Some("b.")),
            ("ａ　調べる。", Some("a ")),
            ("A 評価", Some("A ")),
            // Words and numbers are no step marks.
            ("AI を使う。", None),
            ("No.3 題", None),
            ("(1)調べる。", None),
            ("(ア)調べる。", None),
            ("a", None),
        ] {
            assert_eq!(step_mark(line).as_deref(), want, "{line}");
        }
    }

    #[test]
    fn steps_with_a_result_each() {
        type Case<'a> = (&'a [(&'a str, &'a str)], &'a [(&'a str, &'a str)]);
        let cases: [Case; 5] = [
            (
                &[
                    ("取組内容", "(a)調べる。"),
                    ("実績", "調べた。\n(b)決める。"),
                    ("実績", "決めた。\n(c)開く。"),
                    ("実績", "開いた。"),
                    ("達成度", "○"),
                ],
                &[
                    ("取組内容", "(a)調べる。\n(b)決める。\n(c)開く。"),
                    ("実績", "(a)調べた。\n(b)決めた。\n(c)開いた。"),
                    ("達成度", "○"),
                ],
            ),
            // Full-width marks, text before the first step kept, a step over two lines.
            (
                &[
                    ("内容", "次の順に進める。\n（ａ）調べる。"),
                    ("結果", "調べた。\n（ｂ）決める。\n案を作る。"),
                    ("結果", "決めた。"),
                ],
                &[
                    (
                        "内容",
                        "次の順に進める。\n（ａ）調べる。\n（ｂ）決める。\n案を作る。",
                    ),
                    ("結果", "(a)調べた。\n(b)決めた。"),
                ],
            ),
            // One step only: nothing to gather.
            (
                &[
                    ("取組内容", "(a)調べる。"),
                    ("実績", "調べた。"),
                    ("評価", "A"),
                ],
                &[
                    ("取組内容", "(a)調べる。"),
                    ("実績", "調べた。"),
                    ("評価", "A"),
                ],
            ),
            // No step marks.
            (
                &[
                    ("取組内容", "調べる。"),
                    ("実績", "調べた。"),
                    ("実績", "決めた。"),
                ],
                &[
                    ("取組内容", "調べる。"),
                    ("実績", "調べた。"),
                    ("実績", "決めた。"),
                ],
            ),
            // A step with no result after it.
            (
                &[
                    ("取組内容", "(a)調べる。"),
                    ("実績", "調べた。\n(b)決める。"),
                    ("評価", "A"),
                ],
                &[
                    ("取組内容", "(a)調べる。"),
                    ("実績", "調べた。\n(b)決める。"),
                    ("評価", "A"),
                ],
            ),
        ];
        for (fields, want) in cases {
            let mut it = crate::records::scheduled_item(&[]);
            it.fields = fields.iter().map(|(l, t)| field(l, t)).collect();
            gather_step_results(&mut it);
            let got: Vec<(&str, &str)> = it
                .fields
                .iter()
                .map(|f| (f.label.as_str(), f.text.as_str()))
                .collect();
            assert_eq!(got, want.to_vec(), "{fields:?}");
        }
    }
}
