//! Dashes in OCR words.
//!
//! - A word of dashes is far flatter than the text: it says nothing of its line's height or
//!   baseline ([`is_dash_word`]), so a line such as the footer `- 1 -` keeps the size of its
//!   digit, not of its dashes, and its words the spacing of that size.
//! - The Japanese model reads a printed hyphen or dash as the long-vowel mark `ー`. That mark only
//!   ever follows kana; a `ー` that starts a word or follows anything else is a dash and becomes
//!   `-` ([`hyphens`]), so that `- 1 -` reads as a page number.

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
