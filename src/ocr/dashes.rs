//! Dashes in OCR words.
//!
//! - A word of dashes is far flatter than the text: it says nothing of its line's height or
//!   baseline ([`is_dash_word`]), so a line such as the footer `- 1 -` keeps the size of its
//!   digit, not of its dashes, and its words the spacing of that size.
//! - The Japanese model reads a printed hyphen or dash as the long-vowel mark `ー`. That mark only
//!   ever follows kana; a `ー` that starts a word or follows anything else is a dash and becomes
//!   `-` ([`hyphens`]), so that `- 1 -` reads as a page number.
//! - A word of dashes with no stroke inside its box is a ruling line along its edge or speckle
//!   ([`drop_inkless`]).

use super::rules::Gray;
use super::Word;

/// Whether a word is dashes only (`ー`, `-`, `一`, `—` …).
pub fn is_dash_word(text: &str) -> bool {
    !text.is_empty()
        && text.chars().all(|c| {
            matches!(
                c,
                'ー' | '-' | '一' | '—' | '―' | '‐' | '－' | '_' | '=' | '~' | '〜'
            )
        })
}

/// Words of dashes with no stroke of their own: inside their box, a fifth of its height in from
/// each side, less ink than a tenth of that inner box's width (a dash drawn across it leaves
/// about its width), or no ink at all in a box too small to have an inside. Tesseract reads a
/// ruling line along a box's edge (`--` boxed 38 by 20 with the rule on its top edge) or speckle
/// as dashes; a printed dash has its stroke in the middle of its box.
pub fn drop_inkless(words: Vec<Word>, g: &Gray) -> Vec<Word> {
    words
        .into_iter()
        .filter(|w| {
            if !is_dash_word(&w.text) {
                return true;
            }
            let i = 0.2 * w.height;
            let inner_w = w.width - 2.0 * i;
            let (x1, y1) = (w.left + w.width, w.top + w.height);
            if inner_w < 1.0 || w.height - 2.0 * i < 1.0 {
                return g.ink_in(w.left, w.top, x1, y1) > 0;
            }
            let inner = g.ink_in(w.left + i, w.top + i, x1 - i, y1 - i);
            10 * inner >= inner_w as usize
        })
        .collect()
}

fn is_kana(c: char) -> bool {
    matches!(c, 'ぁ'..='ゖ' | 'ァ'..='ヺ' | 'ｦ'..='ﾝ')
}

/// A word's text with each `ー` that does not follow kana (or another such `ー`) made `-`.
pub fn hyphens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut after_kana = false;
    for c in text.chars() {
        if c == 'ー' && !after_kana {
            out.push('-');
            continue;
        }
        after_kana = is_kana(c) || c == 'ー' && after_kana;
        out.push(c);
    }
    out
}

/// [`hyphens`] over a page's words.
pub fn fix_hyphens(words: &mut [Word]) {
    for w in words.iter_mut() {
        if w.text.contains('ー') {
            w.text = hyphens(&w.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphens_table() {
        let cases = [
            ("ー", "-"),
            ("ーー", "--"),
            ("データ", "データ"),
            ("コーヒー", "コーヒー"),
            ("フォーム", "フォーム"),
            ("ー時", "-時"),
            ("R4ー", "R4-"),
            ("ゴーー", "ゴーー"),
            ("一時", "一時"),
        ];
        for (text, want) in cases {
            assert_eq!(hyphens(text), want, "{text}");
        }
    }

    #[test]
    fn dashes_with_no_stroke_inside_their_box_are_dropped() {
        // a 100 × 60 page: a ruling line across row 20 (2 pixels thick), a dash stroke across
        // rows 48–49 from x 10 to 30
        let (w, h) = (100usize, 60usize);
        let mut pixels = vec![255u8; w * h];
        for x in 0..w {
            pixels[20 * w + x] = 0;
            pixels[21 * w + x] = 0;
        }
        for x in 10..30 {
            pixels[48 * w + x] = 0;
            pixels[49 * w + x] = 0;
        }
        let g = Gray {
            width: w,
            height: h,
            pixels,
        };
        let word = |text: &str, left: f32, top: f32, width: f32, height: f32| Word {
            line: (1, 1, 1),
            left,
            top,
            width,
            height,
            conf: 80.0,
            text: text.to_string(),
        };
        let words = vec![
            // the rule along the top edge of a box as tall as text: dropped
            word("--", 40.0, 20.0, 38.0, 20.0),
            // the printed dash in the middle of its box: kept
            word("ー", 8.0, 40.0, 24.0, 18.0),
            // a flat box on no ink: dropped
            word("-", 60.0, 5.0, 6.0, 2.0),
            // text is never looked at
            word("予約", 40.0, 35.0, 40.0, 20.0),
        ];
        let kept: Vec<String> = drop_inkless(words, &g)
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(kept, ["ー", "予約"]);
    }

    #[test]
    fn dash_words_table() {
        let cases = [
            ("ー", true),
            ("--", true),
            ("一", true),
            ("ー1", false),
            ("", false),
        ];
        for (text, want) in cases {
            assert_eq!(is_dash_word(text), want, "{text}");
        }
    }
}
