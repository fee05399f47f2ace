//! Which lines between records may be a legend of grades, told by their characters alone.
//!
//! A legend line between two records counts only when two of its entries or more are each a bare
//! grade: one capital letter or grade mark (`A`, `◎`), or a short word holding one of the
//! lexicon's rating words. Every entry's text is a piece of the line as character-normalised, so
//! a line none of whose characters can be (or normalise to) a capital letter, a mark or the first
//! character of a rating word holds no such entry, and the legend readers are not run on it.
//! The characters known to be plain are few and simple (ASCII other than capitals, kana,
//! ideographs, common Japanese punctuation and full-width ASCII), each one normalising to a
//! character of the same kind; anything else makes the line a candidate.

use crate::fields::lexicon::Lexicon;
use crate::records::line::Line;
use crate::source::SourceLine;

/// The first characters of a lexicon's rating words, to tell plain characters from the rest.
#[derive(Debug, Clone)]
pub(super) struct GradeChars {
    /// Sorted, without repeats.
    first: Vec<char>,
}

impl GradeChars {
    pub(super) fn new(lex: &Lexicon) -> Self {
        let mut first: Vec<char> = lex
            .rating_words()
            .filter_map(|w| w.chars().next())
            .collect();
        first.sort_unstable();
        first.dedup();
        GradeChars { first }
    }

    /// A character that neither is nor normalises to a capital letter, a grade mark or the
    /// first character of a rating word.
    fn plain(&self, c: char) -> bool {
        // Full-width ASCII (up to `｝`: `～` is a wave dash) normalises to ASCII.
        let c = match c {
            '\u{FF01}'..='\u{FF5D}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        let kind = (c.is_ascii() && !c.is_ascii_uppercase())
            || matches!(c,
                '\u{3000}'..='\u{3002}'
                | '\u{300C}'..='\u{300F}'
                | '\u{3041}'..='\u{3096}'
                | '\u{30A1}'..='\u{30FA}'
                | '\u{30FC}'
                | '\u{4E00}'..='\u{9FFF}');
        kind && self.first.binary_search(&c).is_err()
    }

    /// Whether `text` has a character that is not plain.
    fn holds_other(&self, text: &str) -> bool {
        text.chars().any(|c| !self.plain(c))
    }

    /// Whether the line may be a legend of two bare grades or more: it has a character that is
    /// not plain, and two characters that may separate an entry or open one (see [`is_key`]).
    /// Each cell is looked at as cleaned and as read (the legend readers read the latter when
    /// there is one).
    pub(super) fn may_be_legend(&self, line: &Line, raw: Option<&SourceLine>) -> bool {
        let raw_cells = raw.map_or(&[][..], |r| r.cells.as_slice());
        let n = line.cells.len().max(raw_cells.len());
        let cell = |j: usize| {
            (
                line.cells.get(j).map_or("", String::as_str),
                raw_cells.get(j).map_or("", String::as_str),
            )
        };
        let mut keys = 0usize;
        for j in 0..n {
            let (a, b) = cell(j);
            keys += key_count(a, 2).max(key_count(b, 2));
            if keys >= 2 {
                break;
            }
        }
        keys >= 2
            && (0..n).any(|j| {
                let (a, b) = cell(j);
                self.holds_other(a) || self.holds_other(b)
            })
    }
}

/// Characters that normalise to a legend's separator (`:` `=` `…` `‥` `.` `・`), an entry's mark
/// (as `legend::marked_legend` reads one: `◎` `ー` `-` `/` …), a frame bracket or an opening
/// parenthesis; and every other character outside the few whose normalised form is known (ASCII,
/// kana, ideographs, common Japanese punctuation, full-width ASCII), the marks among them. An
/// entry of a legend read from one line holds one of them at least, each its own.
fn is_key(c: char) -> bool {
    let c = match c {
        '\u{FF01}'..='\u{FF5D}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    if c.is_ascii() {
        return matches!(c, ':' | '=' | '.' | '-' | '/' | '(' | '[' | '<');
    }
    !matches!(c,
        '\u{3000}'..='\u{3002}'
        | '\u{300C}'..='\u{300F}'
        | '\u{3041}'..='\u{3096}'
        | '\u{30A1}'..='\u{30FA}'
        | '\u{4E00}'..='\u{9FFF}')
}

/// The key characters of `text`, counted up to `cap`.
fn key_count(text: &str, cap: usize) -> usize {
    text.chars().filter(|&c| is_key(c)).take(cap).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize_chars;

    #[test]
    fn plain_characters_normalise_to_plain_characters() {
        let g = GradeChars::new(Lexicon::builtin());
        for c in (0u32..0x1_0000).filter_map(char::from_u32) {
            if !g.plain(c) {
                continue;
            }
            let n = normalize_chars(&c.to_string());
            let mut cs = n.chars();
            match (cs.next(), cs.next()) {
                (None, _) => {}
                (Some(d), None) => assert!(g.plain(d), "{c:?} normalises to {d:?}"),
                _ => panic!("{c:?} normalises to {n:?}"),
            }
        }
    }

    #[test]
    fn other_characters_normalise_to_no_key() {
        // Every character that is not a key normalises to characters that are none.
        for c in (0u32..0x1_0000).filter_map(char::from_u32) {
            if is_key(c) {
                continue;
            }
            let n = normalize_chars(&c.to_string());
            assert!(n.chars().all(|d| !is_key(d)), "{c:?} normalises to {n:?}");
        }
        for c in "：＝．･（［－／ｰ:=….‥・◎○◯●△▲▽▼×✕✖□■◇◆☆★→↑↓↗↘➡⇒-ー/(【〔[〈<《≪＜".chars()
        {
            assert!(is_key(c), "{c:?}");
        }
        for (open, _) in crate::fields::lexicon::FRAME_BRACKETS {
            assert!(is_key(open), "{open:?}");
        }
    }

    #[test]
    fn lines_that_may_be_a_legend() {
        let g = GradeChars::new(Lexicon::builtin());
        let cases: [(&[&str], bool); 8] = [
            (&["市民課の窓口を一本化する"], false),
            (&["実施内容", "窓口を一本化した"], false),
            (&["評価 A：順調 B：遅れ"], true),
            (&["評価", "A：順調", "B：遅れ"], true),
            (&["◎完了 ○実施中"], true),
            (&["Ａ（順調）", "Ｂ（遅れ）"], true),
            // One separator: one entry at most.
            (&["目標：窓口の一本化"], false),
            // Separators but nothing a grade can be.
            (&["これは：あれ：それ"], false),
        ];
        for (cells, want) in cases {
            let line = Line {
                line: 1,
                page: None,
                cells: cells.iter().map(|c| c.to_string()).collect(),
            };
            assert_eq!(g.may_be_legend(&line, None), want, "{cells:?}");
            let raw = SourceLine {
                page: None,
                line: 1,
                cells: line.cells.clone(),
            };
            let blank = Line {
                line: 1,
                page: None,
                cells: vec![],
            };
            assert_eq!(
                g.may_be_legend(&blank, Some(&raw)),
                want,
                "{cells:?} as read"
            );
        }
    }

    #[test]
    fn lines_that_may_hold_a_grade() {
        let lex = Lexicon::builtin();
        let g = GradeChars::new(lex);
        let first = lex
            .rating_words()
            .filter_map(|w| w.chars().next())
            .next()
            .expect("a rating word");
        let with_word = format!("これは{first}です");
        let cases: [(&str, bool); 10] = [
            ("市民課の窓口を統合する", false),
            ("令和３年度（２０２１年度）に", false),
            ("カードの交付 12,345件", false),
            ("評価 A：順調 B：遅れ", true),
            ("Ａ　計画どおり", true),
            ("◎ 達成", true),
            ("〇 実施", true),
            ("▲ 課題", true),
            ("ｶﾞｲﾄﾞ", true),
            (with_word.as_str(), true),
        ];
        for (text, want) in cases {
            assert_eq!(g.holds_other(text), want, "{text}");
        }
    }
}
