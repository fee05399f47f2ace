//! `・label：value` lines: a bullet before a label the lexicon knows and its colon is the list's
//! mark, not part of the label (`・担当課：住民課` is `担当課` and `住民課`).

use crate::fields::lexicon::Lexicon;

/// Marks that open a bullet line.
const BULLETS: &[char] = &['・', '･', '•', '‧', '◦', '-', '‐'];

/// The text after a bullet mark when what follows is a `label：value` pair whose label the
/// lexicon knows exactly; `None` otherwise (the line is left as written).
pub(super) fn after_bullet<'a>(lex: &Lexicon, text: &'a str) -> Option<&'a str> {
    let t = text.trim_start();
    let first = t.chars().next()?;
    if !BULLETS.contains(&first) {
        return None;
    }
    let rest = t.get(first.len_utf8()..)?.trim_start();
    let (label, value) = rest.split_once([':', '：'])?;
    let label = label.trim();
    let known = (1..=12).contains(&label.chars().count())
        && lex.classify(label).is_some_and(|m| m.exact)
        && !value.trim().is_empty();
    known.then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_before_known_labels() {
        let lex = Lexicon::builtin();
        let cases = [
            ("・担当課：住民課", Some("担当課：住民課")),
            ("・進捗：○", Some("進捗：○")),
            (
                "　・実績：１２０件を受け付けた。",
                Some("実績：１２０件を受け付けた。"),
            ),
            ("- 担当課: 総務課", Some("担当課: 総務課")),
            // no bullet, an unknown label, no colon, or no value: left as written
            ("担当課：住民課", None),
            ("・窓口の混雑：解消した", None),
            ("・窓口を一つにまとめた。", None),
            ("・担当課：", None),
        ];
        for (text, want) in cases {
            assert_eq!(after_bullet(lex, text), want, "{text}");
        }
    }
}
