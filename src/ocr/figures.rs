//! Figures in ruled cells read again, each cell cut out alone.
//!
//! The Japanese model alone reads a `0` of small print as `6` or `9` and is sure of it; the
//! languages for cut-out cells (`jpn+eng`) read it right. A cell's new reading replaces the
//! page's when it is a figure with as many digits (a rule read as a `1` never lengthens a
//! figure), or when it mends the page's digit groups: the page's reading has a group after a
//! comma that is not three digits (`12, 90`), the new one is a well-formed figure (`12,000`)
//! with as many groups; or, the digits the same, when it reads a comma where the page read a
//! decimal point (`1.234` → `1,234`).

use super::cells;
use super::rules;
use super::{cell_langs, read_regions, Word};

/// Figures in ruled cells read again, each cell cut out alone, in the languages for cut-out
/// cells: a new reading replaces a cell's words when it is figures too, with as many digits (a
/// misread digit is replaced, never a figure lengthened or cut by a rule read as a `1`).
pub(super) fn reread_figures(
    words: Vec<Word>,
    gray: &rules::Gray,
    rules: &[rules::PixelRule],
    skew: cells::Skew,
    dpi: u32,
) -> Vec<Word> {
    let found = cells::figure_cells(&words, gray, rules, skew, dpi);
    if found.is_empty() {
        return words;
    }
    let regions: Vec<cells::Region> = found.iter().map(|(r, _)| *r).collect();
    let Some(again) = read_regions(gray, &regions, skew, dpi, cell_langs()) else {
        return words;
    };
    let digits = |ws: &[&Word]| -> String {
        ws.iter()
            .flat_map(|w| w.text.chars().filter(char::is_ascii_digit))
            .collect()
    };
    let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for ((_, old), new) in found.iter().zip(cells::by_region(&again, found.len())) {
        let old_words: Vec<&Word> = old.iter().filter_map(|&i| words.get(i)).collect();
        let new_words: Vec<&Word> = new.iter().filter_map(|&i| again.get(i)).collect();
        let (a, b) = (digits(&old_words), digits(&new_words));
        let joined: String = new_words.iter().map(|w| w.text.as_str()).collect();
        let mended = if a == b {
            mends_separator(&old_words, &joined)
        } else {
            a.len() == b.len() || mends_groups(&old_words, &joined)
        };
        if cells::is_figure(&joined) && mended {
            groups.push((old.clone(), new));
        }
    }
    // The cell's own reading is trusted over the page's for figures whatever the confidences:
    // the Japanese model is sure of its misread digits.
    cells::replace_words(words, &again, &groups)
}

/// Whether a text is a figure whose digit groups are well formed: an optional sign (`▲`, `△`,
/// `-`), one to three digits, then groups of a comma and three digits, an optional decimal part
/// and an optional `%`; or digits alone.
pub fn well_formed(text: &str) -> bool {
    let t = text.trim_start_matches(['▲', '△', '-']);
    let t = t.strip_suffix('%').unwrap_or(t);
    let (int, frac) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };
    if frac.is_some_and(|f| f.is_empty() || !f.chars().all(|c| c.is_ascii_digit())) {
        return false;
    }
    let groups: Vec<&str> = int.split(',').collect();
    let digits = |g: &str| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit());
    match groups.split_first() {
        Some((first, [])) => digits(first),
        Some((first, rest)) => {
            digits(first) && first.len() <= 3 && rest.iter().all(|g| g.len() == 3 && digits(g))
        }
        None => false,
    }
}

/// Whether a new reading of a cell mends the digit groups of the page's: the page's words,
/// joined, are not a well-formed figure, and the new text is one with as many comma groups.
fn mends_groups(old: &[&Word], new: &str) -> bool {
    let old: String = old.iter().map(|w| w.text.as_str()).collect();
    let groups = |t: &str| t.matches(',').count();
    !well_formed(&old) && well_formed(new) && groups(&old) == groups(new) && groups(new) > 0
}

/// Whether a new reading of a cell mends a thousands separator: the page read a decimal point
/// where the cell's reading has a comma (`1.234` for `1,234`), the digits the same and the new
/// text a well-formed figure with comma groups.
fn mends_separator(old: &[&Word], new: &str) -> bool {
    let old: String = old.iter().map(|w| w.text.as_str()).collect();
    old != new && new.contains(',') && well_formed(new) && old.replace('.', ",") == new
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word of `t` with a box and confidence that do not matter here.
    fn w(t: &str) -> Word {
        Word {
            line: (1, 1, 1),
            left: 0.0,
            top: 0.0,
            width: 10.0,
            height: 10.0,
            conf: 50.0,
            text: t.into(),
        }
    }

    #[test]
    fn a_new_reading_mends_a_separator_table() {
        let cases: [(&str, &str, bool); 5] = [
            ("1.234", "1,234", true),
            ("2.000", "2,000", true),
            ("1,234", "1,234", false),
            ("12.5", "12,5", false),
            ("1.234", "1.234", false),
        ];
        for (old, new, want) in cases {
            let words = [w(old)];
            let refs: Vec<&Word> = words.iter().collect();
            assert_eq!(mends_separator(&refs, new), want, "{old} {new}");
        }
    }

    #[test]
    fn well_formed_figures_table() {
        let cases = [
            ("12,000", true),
            ("▲4,600", true),
            ("3,000.5", true),
            ("850", true),
            ("12.5%", true),
            ("12,90", false),
            ("12,0000", false),
            ("1234,000", false),
            ("4.660", true),
            ("3,", false),
            ("", false),
        ];
        for (t, want) in cases {
            assert_eq!(well_formed(t), want, "{t}");
        }
    }

    #[test]
    fn a_new_reading_mends_groups_table() {
        let cases: [(&[&str], &str, bool); 5] = [
            (&["12,", "90"], "12,000", true),
            (&["12,", "000"], "12,000", false),
            (&["200"], "1,200", false),
            (&["12,", "90"], "12000", false),
            (&["12,", "90"], "12,00", false),
        ];
        for (old, new, want) in cases {
            let words: Vec<Word> = old.iter().map(|t| w(t)).collect();
            let refs: Vec<&Word> = words.iter().collect();
            assert_eq!(mends_groups(&refs, new), want, "{old:?} {new}");
        }
    }
}
