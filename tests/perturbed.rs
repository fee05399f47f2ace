//! Reports written differently read the same. Every report text with its expected content
//! (`fixtures/heldout*/`, `fixtures/layouts/`, and `../shared/layouts/` when present) is rewritten
//! the ways the same report reaches users from other sources — a Windows export (a byte order mark
//! and CRLF), Shift_JIS, digits and Latin letters half-width or full-width, ASCII punctuation,
//! other label brackets, a page number and the running title at page breaks, spaces at line ends,
//! cells set apart by full-width spaces or expanded tabs, no or doubled blank lines — and each
//! rewriting is read with no profile and compared with the same `NAME.expected.json` as the text.
//! Each rewriting of each text must agree in as many checks as the text as written (a few known
//! exceptions are counted per way), so a change that makes the reader depend on one way of writing
//! fails; each way prints its count.

mod agreement;
mod common;

use agreement::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// One way of rewriting a report: its name and the bytes it writes, or None when the text cannot
/// be written that way (a character Shift_JIS lacks).
type Rewrite = fn(&str) -> Option<Vec<u8>>;

fn windows_export(text: &str) -> Option<Vec<u8>> {
    Some(format!("\u{feff}{}", text.replace('\n', "\r\n")).into_bytes())
}

fn shift_jis(text: &str) -> Option<Vec<u8>> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    (!unmappable).then(|| bytes.into_owned())
}

/// A table drawn with box characters keeps its columns only while every character keeps its
/// width: the rewritings that change widths are not applied to it.
fn box_drawn(text: &str) -> bool {
    text.contains(|c| ('\u{2500}'..='\u{257f}').contains(&c))
}

/// Full-width digits and Latin letters (`０`–`９`, `Ａ`–`Ｚ`, `ａ`–`ｚ`) written half-width.
fn half_width(text: &str) -> Option<Vec<u8>> {
    if box_drawn(text) {
        return None;
    }
    let out: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            _ => c,
        })
        .collect();
    Some(out.into_bytes())
}

/// Half-width digits written full-width.
fn full_width(text: &str) -> Option<Vec<u8>> {
    if box_drawn(text) {
        return None;
    }
    let out: String = text
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    Some(out.into_bytes())
}

/// A page break every 40 lines, where a blank line falls: the page number centred on a line of
/// its own, a blank line, and the report's title again.
fn page_breaks(text: &str) -> Option<Vec<u8>> {
    let title = text.lines().find(|l| !l.trim().is_empty())?.trim();
    let mut out = String::new();
    let mut page = 1;
    let mut since = 0;
    for line in text.lines() {
        out.push_str(line);
        out.push('\n');
        since += 1;
        if since >= 40 && line.trim().is_empty() {
            out.push_str(&format!("　　　　　　　　　　― {page} ―\n\n{title}\n\n"));
            page += 1;
            since = 0;
        }
    }
    Some(out.into_bytes())
}

/// Spaces left at the ends of lines (a half-width space, and a full-width one every other line).
fn trailing_spaces(text: &str) -> Option<Vec<u8>> {
    let out: String = text
        .lines()
        .enumerate()
        .map(|(k, l)| {
            if l.is_empty() {
                "\n".to_string()
            } else if k % 2 == 0 {
                format!("{l} \n")
            } else {
                format!("{l}\u{3000}\n")
            }
        })
        .collect();
    Some(out.into_bytes())
}

/// Tabs written as the spaces that reach the next tab stop (every 8 columns, a full-width
/// character counting two), as `expand` or a terminal copy writes them.
fn expanded_tabs(text: &str) -> Option<Vec<u8>> {
    if !text.contains('\t') {
        return None;
    }
    Some(common::expand_tabs(text).into_bytes())
}

/// Tabs written as two full-width spaces.
fn full_width_gaps(text: &str) -> Option<Vec<u8>> {
    text.contains('\t')
        .then(|| text.replace('\t', "\u{3000}\u{3000}").into_bytes())
}

/// A page break every 30 lines wherever it falls, inside a record too.
fn page_breaks_anywhere(text: &str) -> Option<Vec<u8>> {
    let title = text.lines().find(|l| !l.trim().is_empty())?.trim();
    let mut out = String::new();
    for (k, line) in text.lines().enumerate() {
        out.push_str(line);
        out.push('\n');
        if k % 30 == 29 {
            out.push_str(&format!("\n- {} -\n\n{title}\n\n", k / 30 + 1));
        }
    }
    Some(out.into_bytes())
}

/// No blank lines.
fn no_blank_lines(text: &str) -> Option<Vec<u8>> {
    let out: String = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    Some(out.into_bytes())
}

/// A blank line after every line.
fn double_spaced(text: &str) -> Option<Vec<u8>> {
    let out: String = text.lines().map(|l| format!("{l}\n\n")).collect();
    Some(out.into_bytes())
}

/// Full-width brackets, colons, parentheses, slashes and percent signs written in ASCII
/// (`（１）` stays as its digit rewriting leaves it; `：` → `:`, `（` → `(`, `％` → `%`).
fn ascii_punctuation(text: &str) -> Option<Vec<u8>> {
    if box_drawn(text) {
        return None;
    }
    let out: String = text
        .chars()
        .map(|c| match c {
            '：' => ':',
            '（' => '(',
            '）' => ')',
            '／' => '/',
            '％' => '%',
            '，' => ',',
            _ => c,
        })
        .collect();
    Some(out.into_bytes())
}

/// `【…】` written `〔…〕`.
fn tortoise_brackets(text: &str) -> Option<Vec<u8>> {
    text.contains('【')
        .then(|| swap_chars(text, TORTOISE).into_bytes())
}

/// `【…】` written `［…］`.
fn square_brackets(text: &str) -> Option<Vec<u8>> {
    text.contains('【')
        .then(|| swap_chars(text, SQUARE).into_bytes())
}

const TORTOISE: &[(char, char)] = &[('【', '〔'), ('】', '〕')];
const SQUARE: &[(char, char)] = &[('【', '［'), ('】', '］')];

/// `text` with each character of `swaps` replaced by its partner.
fn swap_chars(text: &str, swaps: &[(char, char)]) -> String {
    text.chars()
        .map(|c| swaps.iter().find(|(a, _)| *a == c).map_or(c, |(_, b)| *b))
        .collect()
}

/// A way of writing: its name, the rewriting, the characters it swaps in what a correct reader
/// extracts too (a heading keeps its brackets), and how many texts may read worse than written:
/// none, or the number measured for a way not read fully yet.
type Variant = (&'static str, Rewrite, &'static [(char, char)], usize);

const VARIANTS: &[Variant] = &[
    ("windows-export", windows_export, &[], 0),
    ("shift-jis", shift_jis, &[], 0),
    ("half-width", half_width, &[], 0),
    ("full-width", full_width, &[], 0),
    ("page-breaks", page_breaks, &[], 0),
    ("trailing-spaces", trailing_spaces, &[], 0),
    ("ascii-punctuation", ascii_punctuation, &[], 0),
    ("tortoise-brackets", tortoise_brackets, TORTOISE, 0),
    ("square-brackets", square_brackets, SQUARE, 0),
    ("page-breaks-anywhere", page_breaks_anywhere, &[], 0),
    ("no-blank-lines", no_blank_lines, &[], 0),
    ("double-spaced", double_spaced, &[], 0),
    // Cells set apart by two full-width spaces: read as tab-separated cells (src/ingest/gaps.rs).
    ("full-width-gaps", full_width_gaps, &[], 0),
    // Not read fully yet: tabs expanded to tab stops (a tab written as one space, after a cell
    // ending a column before a stop, is told only where the rows around have more cells and no
    // space between words inside the row also reaches a stop).
    ("expanded-tabs", expanded_tabs, &[], 2),
];

/// Every report text with its expected content: its name, its text and that content.
fn report_texts() -> Vec<(String, String, Value)> {
    let fixtures = common::root().join("fixtures");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .expect("fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("heldout") || n == "layouts")
        })
        .collect();
    dirs.sort();
    // The development reports of `../shared/layouts` too, when present.
    match common::root().join("../shared/layouts") {
        d if d.is_dir() => dirs.push(d),
        _ => note("perturbed: ../shared/layouts is not present; its six texts are not rewritten"),
    }
    let mut out = vec![];
    for dir in dirs {
        for (name, expected) in reports(&dir) {
            let Ok(text) = std::fs::read_to_string(dir.join(format!("{name}.txt"))) else {
                continue;
            };
            let want: Value =
                serde_json::from_str(&std::fs::read_to_string(&expected).expect("expected file"))
                    .expect("expected json");
            out.push((name, text, want));
        }
    }
    out
}

/// Checks agreeing with the expected content when `bytes` are read (None when refused), with
/// the first difference.
fn checks(file: &Path, bytes: &[u8], want: &Value) -> (Option<usize>, String) {
    std::fs::write(file, bytes).expect("write variant");
    match parse(file, &[]) {
        Ok(got) => {
            let (ok, _, bad) = agreement(want, &got, false);
            (Some(ok), bad.into_iter().next().unwrap_or_default())
        }
        Err(e) => (None, format!("refused: {}", e.trim())),
    }
}

/// Each rewriting of each report text agrees with the expected content in as many checks as
/// the text as written.
#[test]
fn report_texts_read_the_same_written_differently() {
    let dir = tempfile::tempdir().expect("temp dir");
    let texts = report_texts();
    assert!(texts.len() >= 50, "only {} report texts", texts.len());
    let as_written: Vec<Option<usize>> = texts
        .iter()
        .map(|(name, text, want)| {
            checks(
                &dir.path().join(format!("{name}.txt")),
                text.as_bytes(),
                want,
            )
            .0
        })
        .collect();
    let mut failures = vec![];
    for &(variant, rewrite, swaps, allowed) in VARIANTS {
        let (mut files, mut same, mut worse) = (0, 0, vec![]);
        for ((name, text, want), base) in texts.iter().zip(&as_written) {
            let Some(bytes) = rewrite(text) else {
                continue;
            };
            files += 1;
            let file = dir.path().join(format!("{name}.{variant}.txt"));
            let want = if swaps.is_empty() {
                want.clone()
            } else {
                serde_json::from_str(&swap_chars(&want.to_string(), swaps)).expect("expected json")
            };
            let (got, first) = checks(&file, &bytes, &want);
            if got >= *base {
                same += 1;
            } else {
                worse.push(format!(
                    "{variant}: {name}: {got:?} checks agree, {base:?} as written; {first}"
                ));
            }
        }
        note(&format!(
            "{variant}: {same} of {files} texts read as well as written"
        ));
        for w in worse.iter().take(3) {
            note(&format!("  {}", w.chars().take(200).collect::<String>()));
        }
        if worse.len() > allowed {
            failures.push(format!(
                "{variant}: {} of {files} read worse than written, {allowed} allowed",
                worse.len()
            ));
            failures.extend(worse);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
