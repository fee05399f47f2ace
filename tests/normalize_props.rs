//! Property tests for text normalisation: idempotent, never panics, never loses a kept mark or a
//! kana/kanji character.

use gyokaku::normalize::{normalize, normalize_chars, normalize_chars_cow, normalize_cow};
use proptest::prelude::*;

/// Characters that exercise every rule: spaces of all kinds, marks, brackets, full-width and
/// half-width forms, voicing marks, variation selectors, radicals, compatibility ideographs,
/// capital letters for acronyms, digits, hyphens and the range marks.
const TRICKY: &[char] = &[
    ' ',
    ' ',
    ' ',
    '\t',
    '\n',
    '\r',
    '\u{3000}',
    '\u{A0}',
    '\u{200B}',
    '\u{FEFF}',
    'A',
    'I',
    'B',
    'x',
    'Q',
    '&',
    '1',
    '-',
    '－',
    '(',
    ')',
    '（',
    '）',
    '[',
    '」',
    '「',
    '【',
    '】',
    '○',
    '◎',
    '●',
    '▲',
    '△',
    '■',
    '□',
    '・',
    '※',
    '→',
    '･',
    '￭',
    '￮',
    '￫',
    'あ',
    'か',
    'は',
    'ア',
    'カ',
    'ハ',
    'ウ',
    'ワ',
    'ー',
    '々',
    '、',
    '。',
    '漢',
    '字',
    'ｶ',
    'ﾊ',
    'ｳ',
    'ﾜ',
    'ｰ',
    'ﾞ',
    'ﾟ',
    '\u{3099}',
    '\u{309A}',
    '゛',
    '\u{FE00}',
    '\u{E0100}',
    '\u{2F47}',
    '\u{2ED1}',
    '\u{F91D}',
    '\u{FA11}',
    '〜',
    '～',
    '~',
    'Ａ',
    '１',
    '①',
    '㎡',
    'Ⅲ',
    '—',
    '\u{301}',
    'e',
    '\u{1161}',
];

fn tricky_string() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TRICKY), 0..48).prop_map(|v| v.into_iter().collect())
}

/// Any string: mostly the tricky alphabet, sometimes arbitrary Unicode scalar values.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => tricky_string(),
        1 => any::<String>(),
        1 => prop::collection::vec(any::<char>(), 0..64).prop_map(|v| v.into_iter().collect()),
    ]
}

/// Marks that must survive, with the variant forms that normalisation folds into them.
const KEPT_MARKS: &[(char, &[char])] = &[
    ('○', &['￮']),
    ('◎', &[]),
    ('●', &[]),
    ('▲', &[]),
    ('△', &[]),
    ('■', &['￭']),
    ('□', &[]),
    ('・', &['･']),
    ('※', &[]),
    ('→', &['￫']),
    ('【', &[]),
    ('】', &[]),
    ('「', &['｢']),
    ('」', &['｣']),
    ('〜', &['～']),
];

fn count(s: &str, c: char) -> usize {
    s.chars().filter(|&x| x == c).count()
}

/// Kana and kanji as they appear in the output (ordinary forms).
fn is_kana_or_kanji(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}' | '\u{30A1}'..='\u{30FA}' | 'ー' | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{3FFFF}')
}

/// Input characters that normalisation turns into one kana or kanji each: the ordinary forms, the
/// half-width katakana letters and prolonged sound mark, Kangxi radicals and compatibility ideographs.
/// (Voicing marks are not counted: they merge into the kana before them.)
fn becomes_kana_or_kanji(c: char) -> bool {
    is_kana_or_kanji(c)
        || matches!(c, '\u{FF66}'..='\u{FF6F}' | '\u{FF70}'..='\u{FF9D}' | '\u{2F00}'..='\u{2FD5}'
            | '\u{2F800}'..='\u{2FA1D}' | '\u{2E9F}' | '\u{2EA0}' | '\u{2EC4}' | '\u{2EC6}' | '\u{2ED1}'
            | '\u{2ED8}' | '\u{2EDD}' | '\u{2EE4}' | '\u{2EE9}' | '\u{2EF2}' | '\u{2EF3}')
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn idempotent(s in any_text()) {
        let once = normalize(&s);
        let twice = normalize(&once);
        prop_assert_eq!(&twice, &once, "input {:?}", s);
        // The borrowed fast path agrees.
        prop_assert!(matches!(normalize_cow(&once), std::borrow::Cow::Borrowed(_)), "not borrowed: {:?}", once);
        let chars_once = normalize_chars(&s);
        prop_assert_eq!(&normalize_chars(&chars_once), &chars_once, "input {:?}", s);
        prop_assert!(matches!(normalize_chars_cow(&chars_once), std::borrow::Cow::Borrowed(_)), "not borrowed: {:?}", chars_once);
        // The full rules only ever remove spaces from what the character rules produce.
        prop_assert_eq!(normalize(&chars_once), once.clone(), "input {:?}", s);
        prop_assert_eq!(chars_once.replace(' ', "").chars().count(), once.replace(' ', "").chars().count());
    }

    #[test]
    fn no_edge_or_double_spaces(s in any_text()) {
        let n = normalize(&s);
        prop_assert!(!n.starts_with(' ') && !n.ends_with(' '), "{:?}", n);
        prop_assert!(!n.contains("  "), "{:?}", n);
        prop_assert!(!n.chars().any(|c| c != ' ' && gyokaku::normalize::is_space(c)), "{:?}", n);
    }

    #[test]
    fn kept_marks_are_never_lost(s in any_text()) {
        for n in [normalize(&s), normalize_chars(&s)] {
            for (mark, variants) in KEPT_MARKS {
                let want = count(&s, *mark) + variants.iter().map(|&v| count(&s, v)).sum::<usize>();
                prop_assert_eq!(count(&n, *mark), want, "mark {:?} in {:?} → {:?}", mark, s, n);
            }
        }
    }

    #[test]
    fn kana_and_kanji_are_never_lost(s in any_text()) {
        let n = normalize(&s);
        let want = s.chars().filter(|&c| becomes_kana_or_kanji(c)).count();
        let got = n.chars().filter(|&c| is_kana_or_kanji(c)).count();
        prop_assert_eq!(got, want, "{:?} → {:?}", s, n);
        // Ordinary kanji are never changed, so they come out in the same order.
        let kanji = |t: &str| t.chars().filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)).collect::<String>();
        let input_kanji = kanji(&s);
        let output_kanji = kanji(&n);
        prop_assert!(is_subsequence(&input_kanji, &output_kanji), "{:?} → {:?}", s, n);
    }

    #[test]
    fn only_whitespace_and_ignorables_disappear(s in any_text()) {
        // Every non-space, non-ignorable character of the input maps to at most one output character
        // and only voicing marks merge; so the output is never longer in characters than the input
        // without spaces plus the spaces kept.
        let n = normalize(&s);
        let input_solid = s.chars().filter(|&c| !gyokaku::normalize::is_space(c)
            && !gyokaku::normalize::is_dropped(c)).count();
        let voicing = s.chars().filter(|c| matches!(c, '\u{3099}' | '\u{309A}' | '\u{FF9E}' | '\u{FF9F}')).count();
        let output_solid = n.chars().filter(|&c| c != ' ').count();
        prop_assert!(output_solid <= input_solid && output_solid + voicing >= input_solid,
            "{:?} → {:?}", s, n);
    }
}

/// Is `needle` a subsequence (in order, not necessarily contiguous) of `hay`?
fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut it = hay.chars();
    needle.chars().all(|c| it.any(|h| h == c))
}

#[test]
fn subsequence_helper() {
    assert!(is_subsequence("ace", "abcde"));
    assert!(!is_subsequence("aec", "abcde"));
    assert!(is_subsequence("", "x"));
}
