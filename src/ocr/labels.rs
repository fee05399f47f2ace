//! Labels misread by OCR, set right from the label lexicon.
//!
//! A label cell of a scanned form holds a few characters and nothing else, and Tesseract gets
//! one of them wrong often enough to lose the field: `担当部署` comes back `担当部閉`, `胆当部署`
//! or `担当部署。` (a speck after it read as a full stop), and the record reader then takes it
//! for text of the cell before. A cell of a page read by OCR whose whole text is one character
//! away from exactly one label of the lexicon (a label of four characters or more, so that three
//! of them agree in order), or is a label with specks read as marks around it, is read as that
//! label. Cells of several lines, with digits or Latin letters, or longer than any label are
//! left as read.

use super::choose::is_noise_char;
use super::coverage::is_closing_mark;
use super::homoglyphs::is_kanji;
use crate::fields::lexicon::Lexicon;

/// Labels shorter than this are not guessed at from one character off: two characters of three
/// agreeing say too little.
const LEAST_GUESSED: usize = 4;

/// The longest cell text taken for a misread label.
const LONGEST: usize = 12;

/// The label a cell's text stands for, when it is a label misread ([`module documentation`]);
/// None when the text is already a label as printed, or is not one.
///
/// [`module documentation`]: self
pub fn mended(text: &str, lex: &Lexicon) -> Option<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.contains('\n') {
        return None;
    }
    let bare: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    // specks read as marks around the label, and a colon after it
    let core = bare
        .trim_matches(|c: char| is_noise_char(c) || is_closing_mark(c) || matches!(c, ':' | '：'));
    let n = core.chars().count();
    if !(1..=LONGEST).contains(&n) {
        return None;
    }
    let exact = |s: &str| lex.classify(s).is_some_and(|m| m.exact);
    if !core.chars().all(is_japanese) {
        return latin_mended(trimmed, lex);
    }
    if exact(core) {
        return (core != trimmed).then(|| core.to_string());
    }
    if n + 1 < LEAST_GUESSED {
        return None;
    }
    // The first (longest) label one character off, when every such label means the same.
    let mut found: Option<(&str, &[_])> = None;
    for (label, roles) in lex.labels() {
        let m = label.chars().count();
        if m < LEAST_GUESSED || m.abs_diff(n) > 1 || !one_edit_apart(core, label) {
            continue;
        }
        match found {
            Some((_, r)) if r != roles => return None,
            Some(_) => {}
            None => found = Some((label, roles)),
        }
    }
    found.map(|(label, _)| label.to_string())
}

/// Latin letters and digits OCR takes for one another by their shape.
const LOOKALIKES: [&str; 6] = ["oecO0QD", "l1Ii|!", "S5s", "B8", "Z2z", "g9q"];

/// A short Latin label with one letter misread as a look-alike ([`LOOKALIKES`]: `Ne.` for
/// `No.`): `text` with that letter replaced, when exactly one replacement makes a label. Only
/// look-alikes are tried, since any letter for any other would make short labels of random text.
fn latin_mended(text: &str, lex: &Lexicon) -> Option<String> {
    if text.chars().count() > 6 || !text.chars().any(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    if lex.classify(text).is_some_and(|m| m.exact) {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut found: Option<String> = None;
    for (i, &c) in chars.iter().enumerate() {
        let Some(group) = LOOKALIKES.iter().find(|g| g.contains(c)) else {
            continue;
        };
        for alt in group.chars().filter(|&a| a != c) {
            let mut t = chars.clone();
            if let Some(slot) = t.get_mut(i) {
                *slot = alt;
            }
            let t: String = t.into_iter().collect();
            if !lex.classify(&t).is_some_and(|m| m.exact) {
                continue;
            }
            // `No.` and `NO.` are one label: keep the first spelling.
            match &found {
                Some(f)
                    if lex.classify(f).map(|m| m.roles) != lex.classify(&t).map(|m| m.roles) =>
                {
                    return None
                }
                Some(_) => {}
                None => found = Some(t),
            }
        }
    }
    found
}

/// Kanji, kana and the long vowel mark: what Japanese labels are written in.
fn is_japanese(c: char) -> bool {
    is_kanji(c) || matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}')
}

/// True when `a` and `b` differ by exactly one character changed, added or dropped.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let head = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    let tail_of = |s: &[char], from: usize| s.get(from..).unwrap_or(&[]).to_vec();
    match long.len() - short.len() {
        0 => head < short.len() && tail_of(short, head + 1) == tail_of(long, head + 1),
        1 => tail_of(short, head) == tail_of(long, head + 1),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_apart_table() {
        let cases = [
            ("担当部署", "担当部閉", true),
            ("担当部署", "担当部", true),
            ("担当部署", "胆当部署", true),
            ("担当部署", "担当部署", false),
            ("担当部署", "当部署胆", false),
            ("担当部署", "担当課", false),
            ("実施内容", "実施内容等", true),
            ("abc", "abd", true),
        ];
        for (a, b, want) in cases {
            assert_eq!(one_edit_apart(a, b), want, "{a} {b}");
            assert_eq!(one_edit_apart(b, a), want, "{b} {a}");
        }
    }

    #[test]
    fn misread_labels_are_set_right() {
        let lex = Lexicon::builtin();
        let cases = [
            // one character misread, dropped, or a speck after it
            ("担当部閉", Some("担当部署")),
            ("胆当部署", Some("担当部署")),
            ("担当部。", Some("担当部")),
            ("担当部署。", Some("担当部署")),
            (" [担当部署 ", Some("担当部署")),
            ("担 当 部 署", Some("担当部署")),
            // a Latin label with a look-alike letter
            ("Ne.", Some("No.")),
            ("N0", Some("No")),
            // already right, or not a label at all
            ("No.", None),
            ("Na.", None),
            ("R4", None),
            // item numbers, grades and marks are values, never taken for labels
            ("1", None),
            ("2", None),
            ("5", None),
            ("8", None),
            ("0", None),
            ("A", None),
            ("B", None),
            ("S", None),
            ("e", None),
            ("◎", None),
            ("○", None),
            ("△", None),
            ("-", None),
            ("担当部署", None),
            ("住民生活課", None),
            ("窓口予約システムの導入", None),
            ("令和4年度", None),
            ("当部署胆", None),
            ("担当\n部署", None),
            // a short text: two characters agreeing say too little
            ("担当", None),
        ];
        // A label with the same roles as the one wanted will do (`担当部局` for `担当部署`).
        let roles = |label: &str| lex.classify(label).map(|m| m.roles);
        for (text, want) in cases {
            let got = mended(text, lex);
            assert_eq!(got.is_some(), want.is_some(), "{text}: {got:?}");
            if let (Some(got), Some(want)) = (got, want) {
                assert_eq!(roles(&got), roles(want), "{text}: {got}");
                assert!(lex.classify(&got).is_some_and(|m| m.exact), "{text}: {got}");
            }
        }
    }
}
