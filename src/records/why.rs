//! Why a layout reads no report from a document: one line per layout tried, with line numbers
//! (the header row it found, how many rows, which ids the id column holds and why they are not
//! ids, or the lines that came nearest to an item).
//!
//! The lines are joined with `; ` into the `not-a-report` error (see [`join`]); no reason holds
//! `; ` itself, so a reader can split them again (`--error-format json` lists them).

use super::ids::Scheme;
use super::line::Line;
use super::profile_keys::Pins;
use super::{candidates, classify, furniture, LineRole};
use crate::fields::lexicon::{Lexicon, Role};
use crate::source::SourceLine;

/// Up to this many example values or lines in a reason.
const EXAMPLES: usize = 3;

/// A profile's anchored pattern as written in it (`^(?:No\.?|番号)$` → `No\.?|番号`).
fn shown(re: &regex::Regex) -> &str {
    let s = re.as_str();
    let s = s.strip_prefix("^(?:").unwrap_or(s);
    s.strip_suffix(")$")
        .or_else(|| s.strip_suffix(')'))
        .unwrap_or(s)
}

/// The reasons of the layouts tried, in one message.
pub fn join(reasons: &[String]) -> String {
    format!("no layout reads it as a report: {}", reasons.join("; "))
}

/// The reasons of a message made by [`join`], as (layout, reason) pairs.
pub fn split(message: &str) -> Vec<(String, String)> {
    let Some(rest) = message.strip_prefix("no layout reads it as a report: ") else {
        return vec![];
    };
    rest.split("; ")
        .map(|r| match r.split_once(": ") {
            Some((layout, why)) => (layout.to_string(), why.to_string()),
            None => (String::new(), r.to_string()),
        })
        .collect()
}

/// A text for a reason: one line, no `; `, at most 24 characters.
fn short(s: &str) -> String {
    let s = s.replace("; ", ", ").replace(['\n', '\t'], " ");
    let mut out: String = s.chars().take(24).collect();
    if s.chars().count() > 24 {
        out.push('…');
    }
    out
}

/// `G01, G02, G03 …`
fn examples<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<&str> = values.collect();
    let mut out: Vec<String> = all.iter().take(EXAMPLES).map(|v| short(v)).collect();
    if all.len() > EXAMPLES {
        out.push("…".into());
    }
    out.join(", ")
}

/// `lines 4–7` or `line 4`, or `lines 4, 9, 12 …`
fn line_list(lines: &[u32]) -> String {
    match lines {
        [] => String::new(),
        [one] => format!("line {one}"),
        [first, .., last] if lines.windows(2).all(|w| matches!(w, [a, b] if *b == a + 1)) => {
            format!("lines {first}–{last}")
        }
        _ => {
            let mut s: Vec<String> = lines.iter().take(EXAMPLES).map(u32::to_string).collect();
            if lines.len() > EXAMPLES {
                s.push("…".into());
            }
            format!("lines {}", s.join(", "))
        }
    }
}

/// The schemes inference reads, for messages.
const SCHEMES: &str = "1, 1-1, R2-1, (1), ①, ア, Ⅰ";

/// Why inference (or a profile of kind `inferred`, `pins`) finds no items.
pub fn inferred_reason(
    layout: &str,
    lex: &Lexicon,
    raw: &[SourceLine],
    lines: &[Line],
    pins: Option<&Pins>,
) -> String {
    let furn = furniture(lines);
    let roles = classify(lex, lines, &furn);
    let raw = &super::RawLines::new(raw);
    let mut cands = candidates(lex, lines, raw, &roles);
    if let Some(p) = pins {
        super::profile_keys::pattern_candidates(&p.patterns, lines, raw, &roles, &mut cands);
        cands.retain(|c| {
            p.levels
                .iter()
                .any(|(k, _)| k.scheme == c.tok.scheme && k.form == c.form)
        });
        super::profile_keys::label_candidates(&p.level_labels, lines, &roles, &mut cands);
        if let Some(r) = label_reason(layout, p, lines, &roles, &cands) {
            return r;
        }
    }
    let what = match pins {
        Some(p) if !p.patterns.is_empty() => {
            // The item levels' patterns (a section's pattern is not what an id column holds).
            let item = |s: &Scheme| {
                p.levels
                    .iter()
                    .any(|(k, kind)| k.scheme == *s && *kind == super::LevelKind::Item)
            };
            let mut pats: Vec<String> = p
                .patterns
                .iter()
                .filter(|(s, _, _)| item(s))
                .map(|(_, _, re)| format!("'{}'", shown(re)))
                .collect();
            if pats.is_empty() {
                pats = p
                    .patterns
                    .iter()
                    .map(|(_, _, re)| format!("'{}'", shown(re)))
                    .collect();
            }
            format!("the pattern {}", pats.join(" or "))
        }
        Some(p) => {
            let keys: Vec<&str> = p.levels.iter().map(|(k, _)| k.scheme.as_str()).collect();
            format!("the profile's levels ({})", keys.join(", "))
        }
        None => format!("no numbering scheme ({SCHEMES})"),
    };
    let header = roles.iter().position(|r| *r == LineRole::Header);
    if let Some(at) = header {
        let Some(h) = lines.get(at) else {
            return format!("{layout}: no item found");
        };
        let rows: Vec<(usize, &Line)> = lines
            .iter()
            .enumerate()
            .skip(at + 1)
            .take_while(|(k, _)| roles.get(*k) != Some(&LineRole::Header))
            .filter(|(k, l)| roles.get(*k) == Some(&LineRole::Other) && l.filled().count() >= 2)
            .collect();
        let id_col = h.cells.iter().position(|c| {
            lex.classify(c)
                .is_some_and(|m| m.exact && m.roles.first() == Some(&Role::Id))
        });
        let head = format!(
            "{layout}: header row on line {} ({}) and {} rows",
            h.line,
            examples(h.filled().map(|(_, c)| c)),
            rows.len()
        );
        let col = id_col.unwrap_or(0);
        let ided: Vec<&(usize, &Line)> = rows
            .iter()
            .filter(|(k, _)| cands.iter().any(|c| c.line == *k))
            .collect();
        if ided.is_empty() {
            let held: Vec<(u32, &str)> = rows
                .iter()
                .filter_map(|(_, l)| {
                    l.cells
                        .get(col)
                        .filter(|c| !c.is_empty())
                        .map(|c| (l.line, c.as_str()))
                })
                .collect();
            let name = h.cells.get(col).map_or("first".to_string(), |c| short(c));
            if held.is_empty() {
                return format!("{head}, but its {name} column is empty");
            }
            let verdict = if pins.is_some() {
                format!("{what} does not match")
            } else {
                format!("{what} matches")
            };
            return format!(
                "{head}, but the {name} column holds {} ({}), which {verdict}",
                examples(held.iter().map(|(_, c)| *c)),
                line_list(&held.iter().map(|(n, _)| *n).collect::<Vec<_>>()),
            );
        }
        return format!(
            "{head}, with ids on {} ({}), but they do not make a run of items with content",
            line_list(&ided.iter().map(|(_, l)| l.line).collect::<Vec<_>>()),
            examples(
                ided.iter()
                    .filter_map(|(k, _)| cands.iter().find(|c| c.line == *k))
                    .map(|c| c.tok.text.as_str())
            ),
        );
    }
    if cands.is_empty() {
        // Lines that start like an id but are none: a letter or digit glued to text, a counter.
        let near: Vec<&Line> = lines
            .iter()
            .enumerate()
            .filter(|(k, l)| {
                roles.get(*k) == Some(&LineRole::Other)
                    && l.filled().next().is_some_and(|(_, c)| {
                        c.chars().next().is_some_and(|ch| {
                            ch.is_ascii_alphanumeric()
                                || matches!(ch, '(' | '（' | '①'..='⑳' | 'Ⅰ'..='Ⅻ' | '０'..='９')
                        })
                    })
            })
            .map(|(_, l)| l)
            .collect();
        let match_word = if pins.is_some() {
            format!("matches {what}")
        } else {
            format!("starts with an item number ({SCHEMES})")
        };
        if near.is_empty() {
            return format!("{layout}: no line {match_word}");
        }
        return format!(
            "{layout}: no line {match_word}: nearest candidates on {} ({})",
            line_list(&near.iter().map(|l| l.line).collect::<Vec<_>>()),
            examples(
                near.iter()
                    .map(|l| l.filled().next().map_or("", |(_, c)| c))
            ),
        );
    }
    let at: Vec<u32> = cands
        .iter()
        .filter_map(|c| lines.get(c.line).map(|l| l.line))
        .collect();
    let texts = examples(cands.iter().map(|c| c.tok.text.as_str()));
    let scheme_note = match cands.first().map(|c| c.tok.scheme) {
        Some(Scheme::Pattern(_)) | None => String::new(),
        Some(s) => format!(" ({} ids)", s.as_str()),
    };
    format!(
        "{layout}: numbered lines on {} ({texts}){scheme_note}, but no run of them has content \
         of its own (cells beside the number or text under it before the next number)",
        line_list(&at)
    )
}

/// Why a profile whose item level is tied to a label (`改革項目`, a `No.` column) finds no ids
/// there: no line carries the label, or the ids after it are of another numbering. None when ids
/// follow the label (the reason lies elsewhere).
fn label_reason(
    layout: &str,
    pins: &Pins,
    lines: &[Line],
    roles: &[LineRole],
    cands: &[super::Candidate],
) -> Option<String> {
    let (key, re) = pins.level_labels.iter().find(|(k, _)| {
        pins.levels
            .iter()
            .any(|(l, kind)| l == k && *kind == super::LevelKind::Item)
    })?;
    if cands
        .iter()
        .any(|c| c.tok.scheme == key.scheme && c.form == key.form)
    {
        return None;
    }
    let fits = |form, cell: &str| {
        let cell = cell.trim_start_matches(super::HEADING_MARKS);
        super::profile_keys::label_fits(re, form, cell)
    };
    if key.form == super::Form::Cell {
        let headers: Vec<&Line> = lines
            .iter()
            .enumerate()
            .filter(|(k, _)| roles.get(*k) == Some(&LineRole::Header))
            .map(|(_, l)| l)
            .collect();
        if headers
            .iter()
            .any(|h| h.filled().any(|(_, c)| fits(key.form, c)))
        {
            return None;
        }
        return Some(match headers.first() {
            Some(h) => format!(
                "{layout}: line {} names columns ({}) but its first cell {:?} is not a number \
                 column /{}/",
                h.line,
                examples(h.filled().map(|(_, c)| c)),
                short(h.first()),
                shown(re)
            ),
            None => format!(
                "{layout}: no header row (a number column /{}/ above the rows)",
                shown(re)
            ),
        });
    }
    let marked: Vec<&Line> = lines
        .iter()
        .filter(|l| l.filled().next().is_some_and(|(_, c)| fits(key.form, c)))
        .collect();
    if marked.is_empty() {
        return Some(format!(
            "{layout}: no line starts with the record marker /{}/",
            shown(re)
        ));
    }
    let ids = if key.scheme == Scheme::Number {
        "a record number".to_string()
    } else {
        format!("an id of the {} numbering", key.scheme.as_str())
    };
    fn held(form: super::Form, l: &Line) -> &str {
        match form {
            super::Form::AfterLabel => l.filled().nth(1).map_or("nothing", |(_, c)| c),
            _ => l.first(),
        }
    }
    Some(format!(
        "{layout}: record marker on {}, but {} {}, not {ids}",
        line_list(&marked.iter().map(|l| l.line).collect::<Vec<_>>()),
        if key.form == super::Form::AfterLabel {
            "the cell after it holds"
        } else {
            "the line reads"
        },
        examples(marked.iter().map(|l| held(key.form, l))),
    ))
}

/// Lines of the items a reading found, for messages (`lines 5–16`).
pub fn item_lines(items: &[crate::model::Item]) -> String {
    let at: Vec<u32> = items.iter().map(|i| i.source.line).collect();
    match at.as_slice() {
        [] => String::new(),
        [one] => format!("line {one}"),
        [first, .., last] => format!("lines {first}–{last}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_split_back_into_layouts() {
        let m = join(&[
            "card: no line starts with the record marker /改革項目/".into(),
            "inferred: numbered lines on lines 4–6 (1, 2, 3)".into(),
        ]);
        assert_eq!(
            split(&m),
            [
                (
                    "card".to_string(),
                    "no line starts with the record marker /改革項目/".to_string()
                ),
                (
                    "inferred".to_string(),
                    "numbered lines on lines 4–6 (1, 2, 3)".to_string()
                )
            ]
        );
        assert!(split("other message").is_empty());
    }

    #[test]
    fn line_lists() {
        let cases: [(&[u32], &str); 4] = [
            (&[], ""),
            (&[4], "line 4"),
            (&[4, 5, 6, 7], "lines 4–7"),
            (&[4, 9, 12, 30], "lines 4, 9, 12, …"),
        ];
        for (lines, want) in cases {
            assert_eq!(line_list(lines), want);
        }
    }

    #[test]
    fn examples_are_short_and_safe() {
        assert_eq!(examples(["G01", "G02"].into_iter()), "G01, G02");
        assert_eq!(examples(["a", "b", "c", "d"].into_iter()), "a, b, c, …");
        assert_eq!(short("x; y"), "x, y");
    }

    #[test]
    fn built_in_profiles_say_what_they_saw() {
        let lex = Lexicon::builtin();
        let spec = |id: &str| {
            super::super::builtin::specs()
                .iter()
                .find(|s| s.id == id)
                .expect(id)
        };
        let cases = [
            (
                "table",
                "題\n\nNo.\t項目名\t担当課\nR2-1\t題一\t総務課\nR2-2\t題二\t財政課",
                "table: header row on line 3 (No., 項目名, 担当課) and 2 rows, but the No. column \
                 holds R2-1, R2-2 (lines 4–5), which the profile's levels (number) does not match",
            ),
            (
                "table",
                "題\n整理番号\t項目名\t担当課\n1\t題一\t総務課",
                "table: line 2 names columns (整理番号, 項目名, 担当課) but its first cell \"整理番号\" \
                 is not a number column /No\\.?|番号/",
            ),
            (
                "card",
                "題\n改革項目\tア\t題一\n改革項目\tイ\t題二",
                "card: record marker on lines 2–3, but the cell after it holds ア, イ, not a record \
                 number",
            ),
            (
                "card",
                "題\n本文",
                "card: no line starts with the record marker /改革項目/",
            ),
        ];
        for (id, text, want) in cases {
            let raw: Vec<SourceLine> = crate::records::tab_lines(text);
            let lines: Vec<Line> = raw.iter().map(super::super::line::clean_line).collect();
            let s = spec(id);
            let pins = s.pins(id).expect("pins");
            let lex = s.lexicon(lex).expect("lexicon");
            assert_eq!(
                inferred_reason(id, &lex, &raw, &lines, Some(&pins)),
                want,
                "{text}"
            );
        }
    }
}
