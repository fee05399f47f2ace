//! Text normalisation: one rule per function, each tested on its own, composed by [`normalize`].
//!
//! Normalisation runs on every cell of every document, so it works in one pass over the characters
//! (plus one pass over the whitespace decisions), uses no regular expressions, and returns the input
//! unchanged without allocating when it is already normal ([`normalize_cow`]).
//!
//! Plain NFKC on whole strings is not used: it would turn `①` into `1`, `㎡` into `m2` and `Ⅲ` into
//! `III`. The compatibility mappings are applied only to the ranges where they are right.
//!
//! # Character rules
//!
//! | rule | function | examples |
//! |---|---|---|
//! | full-width ASCII → ASCII | [`fold_fullwidth`] | `Ａ１（：％／＆－` → `A1(:%/&-`, `￥` → `¥` |
//! | half-width katakana and marks → full-width | [`fold_halfwidth`], [`compose_voiced`] | `ｶﾞｲﾄﾞ` → `ガイド`, `ﾊﾟ` → `パ`, `･` → `・`, `￭` → `■` |
//! | wave dash / full-width tilde → `〜` (U+301C) | [`unify_wave_dash`] | `4月～6月` → `4月〜6月` |
//! | horizontal bar → em dash `—` (U+2014) | [`unify_dash`] | `―` (U+2015) → `—` |
//! | Kangxi radicals, radical look-alikes, CJK compatibility ideographs → ordinary kanji | [`fold_cjk_variant`] | `⽇` (U+2F47) → `日`, `⻑` → `長`, `欄` (U+F91D) → `欄` |
//! | variation selectors dropped | [`is_dropped`] | `葛\u{E0100}` → `葛` |
//! | any whitespace (incl. U+3000, NBSP, tab, zero-width space) → one ASCII space, then the spacing rules | [`is_space`] | `項目　1` → `項目 1` |
//!
//! Kept as written: the marks `○ ◎ ● ▲ △ ■ □ ・ ※ →`, the brackets `【】「」`, circled numbers (`①`),
//! units (`㎡`), Roman numerals (`Ⅲ`), the em dash `—` and all other characters.
//! The range mark is always `〜` (U+301C WAVE DASH): converters turn the same Shift_JIS byte pair
//! 0x8160 into U+301C or U+FF5E (encoding_rs and CP932 tools give U+FF5E), and both mean "from … to".
//! The dash is always `—` (U+2014 EM DASH) for the same reason: the Shift_JIS pair 0x815C is U+2014
//! in JIS X 0208's mapping and U+2015 HORIZONTAL BAR in CP932's, so a text decoded one way and the
//! PDF printed from it (whose font maps the glyph the other way) write one dash two ways.
//!
//! # Spacing rules
//!
//! Runs of whitespace become one space; leading and trailing whitespace is removed. A space between
//! two non-space characters `L` and `R` is then dropped when the first matching rule says so:
//!
//! 1. `L` is a bullet mark (`○◎●▲△■□・※◆◇▼▽★☆`): dropped (`・ イベント` → `・イベント`).
//! 2. `R` is a bullet mark: kept, because it separates list entries (`検討 ・実施` stays).
//! 3. The space is inside a letter-spaced acronym next to Japanese, or between such an acronym and
//!    the Japanese text or hyphen next to it: dropped (`A I を活用` → `AIを活用`,
//!    `A I -OCR` → `AI-OCR`, `入所 A I 選考` → `入所AI選考`). A letter-spaced acronym is two or
//!    more single capital letters separated by spaces; it is "next to Japanese" when the nearest
//!    character before it is Japanese or a bullet mark, or the nearest after it is Japanese or `-`.
//!    Without Japanese around it is left alone (`Plan A B` stays).
//! 4. Both `L` and `R` are Japanese (kana, kanji, `々`, `ー`, Japanese punctuation and brackets):
//!    dropped (`拡充や 共通投票所` → `拡充や共通投票所`, `毎 年 度` → `毎年度`). Spaces on either
//!    side of the range mark `〜` are dropped too (`4月 〜 6月` → `4月〜6月`, `R3 ～ R5` → `R3〜R5`).
//! 5. Brackets: after an opening or before a closing bracket, between Japanese and an opening
//!    bracket, and between a closing bracket and Japanese: dropped (`実績 (R2)` → `実績(R2)`,
//!    `( 随時 )` → `(随時)`).
//! 6. Otherwise kept: between Latin words (`Q&A 総数`, `LINE 公式`), between digits and Japanese
//!    (`重点項目1 経営`, `2,558 件`), around arrows (`→ → →`).
//!
//! [`normalize_chars`] applies the character rules and only collapses and trims whitespace, for
//! text where a space may separate values.
//!
//! Every rule only maps characters one to one, composes a voicing mark into the kana before it, drops
//! ignorable characters, or removes whitespace; the decisions depend only on non-space characters, so
//! [`normalize`] is idempotent.

use std::borrow::Cow;
use std::cell::RefCell;

/// Normalise one cell or line of report text (see the module documentation for the rules).
pub fn normalize(s: &str) -> String {
    normalize_cow(s).into_owned()
}

/// Normalise, borrowing the input when it is already normal.
pub fn normalize_cow(s: &str) -> Cow<'_, str> {
    run(s, Spacing::Rules)
}

/// The character rules only: whitespace runs still become one space and the ends are trimmed, but
/// no space is dropped between words. For text where a space may separate values, e.g. a target
/// cell `5%増加 件数 7,354` that [`normalize`] would turn into `5%増加件数 7,354`.
pub fn normalize_chars(s: &str) -> String {
    normalize_chars_cow(s).into_owned()
}

/// [`normalize_chars`], borrowing the input when it is already normal.
pub fn normalize_chars_cow(s: &str) -> Cow<'_, str> {
    run(s, Spacing::Collapse)
}

/// Which spacing rules apply after the character rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spacing {
    /// All spacing rules (see the module documentation).
    Rules,
    /// Only collapse whitespace runs to one space and trim.
    Collapse,
}

fn run(s: &str, spacing: Spacing) -> Cow<'_, str> {
    if is_trivially_normal(s, spacing) {
        return Cow::Borrowed(s);
    }
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => normalize_with(s, &mut scratch, spacing),
        // Only reachable on re-entrance, which normalisation never does; stay correct anyway.
        Err(_) => normalize_with(s, &mut Scratch::default(), spacing),
    })
}

/// Normalise every cell in place; returns how many cells changed.
pub fn normalize_cells(cells: &mut [String]) -> usize {
    let mut changed = 0;
    for cell in cells.iter_mut() {
        if let Cow::Owned(n) = normalize_cow(cell) {
            *cell = n;
            changed += 1;
        }
    }
    changed
}

// ---------------------------------------------------------------------------------------------
// Character rules
// ---------------------------------------------------------------------------------------------

/// Full-width ASCII letters, digits and symbols (U+FF01–U+FF5D) → ASCII; full-width currency and
/// sign symbols (U+FFE0–U+FFE6, except the macron U+FFE3) → their ordinary forms.
/// U+FF5E (full-width tilde) is the range mark and handled by [`unify_wave_dash`].
pub fn fold_fullwidth(c: char) -> Option<char> {
    let u = c as u32;
    match u {
        0xFF01..=0xFF5D => char::from_u32(u - 0xFEE0),
        0xFFE0 => Some('\u{A2}'),
        0xFFE1 => Some('\u{A3}'),
        0xFFE2 => Some('\u{AC}'),
        0xFFE4 => Some('\u{A6}'),
        0xFFE5 => Some('\u{A5}'),
        0xFFE6 => Some('\u{20A9}'),
        _ => None,
    }
}

/// Half-width katakana U+FF66–U+FF9D, the half-width Japanese punctuation U+FF61–U+FF65 and the
/// half-width marks U+FFE8–U+FFEE → their full-width forms. A lone half-width voicing mark becomes
/// the spacing mark (`ﾞ` → `゛`, `ﾟ` → `゜`); after a kana it is composed by [`compose_voiced`].
pub fn fold_halfwidth(c: char) -> Option<char> {
    // Full-width counterparts of U+FF61..=U+FF9F, in order.
    const KANA: [char; 63] = [
        '。', '「', '」', '、', '・', 'ヲ', 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ャ', 'ュ', 'ョ', 'ッ',
        'ー', 'ア', 'イ', 'ウ', 'エ', 'オ', 'カ', 'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ',
        'ソ', 'タ', 'チ', 'ツ', 'テ', 'ト', 'ナ', 'ニ', 'ヌ', 'ネ', 'ノ', 'ハ', 'ヒ', 'フ', 'ヘ',
        'ホ', 'マ', 'ミ', 'ム', 'メ', 'モ', 'ヤ', 'ユ', 'ヨ', 'ラ', 'リ', 'ル', 'レ', 'ロ', 'ワ',
        'ン', '゛', '゜',
    ];
    let u = c as u32;
    match u {
        0xFF61..=0xFF9F => KANA.get((u - 0xFF61) as usize).copied(),
        0xFFE8 => Some('│'),
        0xFFE9 => Some('←'),
        0xFFEA => Some('↑'),
        0xFFEB => Some('→'),
        0xFFEC => Some('↓'),
        0xFFED => Some('■'),
        0xFFEE => Some('○'),
        _ => None,
    }
}

/// Is `c` a voicing mark that composes with the kana before it: combining (U+3099, U+309A) or
/// half-width (U+FF9E, U+FF9F)? `Some(true)` for the semi-voiced (handakuten) marks.
fn voicing_mark(c: char) -> Option<bool> {
    match c {
        '\u{3099}' | '\u{FF9E}' => Some(false),
        '\u{309A}' | '\u{FF9F}' => Some(true),
        _ => None,
    }
}

/// Compose a kana and a following voicing mark (combining U+3099/U+309A or half-width ﾞ/ﾟ) into one
/// character: `カ`+`ﾞ` → `ガ`, `ハ`+`ﾟ` → `パ`, `ウ`+`ﾞ` → `ヴ`, `か`+U+3099 → `が`.
/// Returns None when the pair does not compose (the mark is then kept on its own).
pub fn compose_voiced(base: char, mark: char) -> Option<char> {
    let semi = voicing_mark(mark)?;
    let b = base as u32;
    let composed = if semi {
        // は ひ ふ へ ほ / ハ ヒ フ ヘ ホ: base + 2
        match b {
            0x306F | 0x3072 | 0x3075 | 0x3078 | 0x307B | 0x30CF | 0x30D2 | 0x30D5 | 0x30D8
            | 0x30DB => b + 2,
            _ => return None,
        }
    } else {
        match b {
            // か〜ち (even offsets), つ て と, は行 — hiragana and katakana: base + 1
            0x304B..=0x3062 | 0x30AB..=0x30C2 if b % 2 == 1 => b + 1,
            0x3064 | 0x3066 | 0x3068 | 0x30C4 | 0x30C6 | 0x30C8 => b + 1,
            0x306F | 0x3072 | 0x3075 | 0x3078 | 0x307B | 0x30CF | 0x30D2 | 0x30D5 | 0x30D8
            | 0x30DB => b + 1,
            0x3046 => 0x3094,            // う → ゔ
            0x30A6 => 0x30F4,            // ウ → ヴ
            0x309D => 0x309E,            // ゝ → ゞ
            0x30FD => 0x30FE,            // ヽ → ヾ
            0x30EF..=0x30F2 => b + 0x08, // ワ ヰ ヱ ヲ → ヷ ヸ ヹ ヺ
            _ => return None,
        }
    };
    char::from_u32(composed)
}

/// The wave dash U+301C and the full-width tilde U+FF5E both mean a range; both become `〜` (U+301C).
pub fn unify_wave_dash(c: char) -> Option<char> {
    (c == '\u{FF5E}').then_some('\u{301C}')
}

/// The horizontal bar U+2015 and the em dash U+2014 are one JIS character (a dash, or "no value" in
/// a table cell); both become `—` (U+2014).
pub fn unify_dash(c: char) -> Option<char> {
    (c == '\u{2015}').then_some('\u{2014}')
}

/// Kangxi radicals (U+2F00–U+2FD5), the CJK radical supplement characters that stand for a whole
/// kanji, and CJK compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F) → the ordinary kanji.
/// The compatibility ideographs that are unified ideographs themselves (e.g. `﨑` U+FA11) stay.
pub fn fold_cjk_variant(c: char) -> Option<char> {
    let u = c as u32;
    match u {
        // Radical-supplement look-alikes that PDF text extraction commonly yields for whole kanji.
        0x2EA0 => Some('民'),
        0x2EC4 => Some('西'),
        0x2EC6 => Some('角'),
        0x2ED1 => Some('長'),
        0x2ED8 => Some('青'),
        0x2EDD => Some('食'),
        0x2EE4 => Some('鬼'),
        0x2EE9 => Some('黄'),
        0x2EF2 => Some('亀'),
        0x2E80..=0x2FDF => single_decomposition(c, true),
        0xF900..=0xFAFF | 0x2F800..=0x2FA1F => single_decomposition(c, false),
        _ => None,
    }
}

/// The decomposition of `c` when it is exactly one other character.
fn single_decomposition(c: char, compatible: bool) -> Option<char> {
    let mut out: Option<char> = None;
    let mut count = 0usize;
    let mut emit = |d: char| {
        count += 1;
        out = Some(d);
    };
    if compatible {
        unicode_normalization::char::decompose_compatible(c, &mut emit);
    } else {
        unicode_normalization::char::decompose_canonical(c, &mut emit);
    }
    match out {
        Some(d) if count == 1 && d != c => Some(d),
        _ => None,
    }
}

/// Characters that are dropped: variation selectors (U+FE00–U+FE0F, U+E0100–U+E01EF) and the
/// zero-width no-break space / stray byte-order mark U+FEFF.
pub fn is_dropped(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' | '\u{FEFF}')
}

/// Whitespace for the spacing rules: Unicode whitespace (incl. U+3000 ideographic space, NBSP, tab,
/// line breaks) and the zero-width space U+200B.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200B}'
}

/// All one-character rules composed. `None`: unchanged.
pub fn map_char(c: char) -> Option<char> {
    // Only U+2015, U+2E80–U+2FDF, U+F900–U+FAFF, U+FF01–U+FFEE and U+2F800–U+2FA1F have mappings.
    if !matches!(
        c as u32,
        0x2015 | 0x2E80..=0x2FDF | 0xF900..=0xFAFF | 0xFF01..=0xFFEE | 0x2F800..=0x2FA1F
    ) {
        return None;
    }
    fold_fullwidth(c)
        .or_else(|| unify_wave_dash(c))
        .or_else(|| unify_dash(c))
        .or_else(|| fold_halfwidth(c))
        .or_else(|| fold_cjk_variant(c))
}

// ---------------------------------------------------------------------------------------------
// Character classes for the spacing rules
// ---------------------------------------------------------------------------------------------

/// Marks that start a list entry. A space after one is dropped; a space before one is kept.
pub fn is_bullet_mark(c: char) -> bool {
    matches!(
        c,
        '○' | '◎'
            | '●'
            | '▲'
            | '△'
            | '■'
            | '□'
            | '・'
            | '※'
            | '◆'
            | '◇'
            | '▼'
            | '▽'
            | '★'
            | '☆'
    )
}

/// Japanese for the spacing rules: kana, kanji, `々` `ー` and the other CJK symbols and
/// punctuation (`、。「」【】〜` …). Bullet marks and combining voicing marks are not.
pub fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3001}'..='\u{3029}'
        | '\u{3030}'..='\u{303F}'
        | '\u{3041}'..='\u{3096}'
        | '\u{309B}'..='\u{30FA}'
        | '\u{30FC}'..='\u{30FF}'
        | '\u{31F0}'..='\u{31FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3FFFF}')
}

fn is_open_bracket(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '「' | '『' | '【' | '〔' | '〈' | '《' | '〖' | '〘'
    )
}

fn is_close_bracket(c: char) -> bool {
    matches!(
        c,
        ')' | ']' | '}' | '」' | '』' | '】' | '〕' | '〉' | '》' | '〗' | '〙'
    )
}

/// A capital letter standing alone (no ASCII letter or digit directly on either side).
fn is_single_capital(v: &[char], i: usize) -> bool {
    let alnum = |j: Option<usize>| {
        j.and_then(|j| v.get(j))
            .is_some_and(|c| c.is_ascii_alphanumeric())
    };
    v.get(i).is_some_and(|c| c.is_ascii_uppercase())
        && !alnum(i.checked_sub(1))
        && !alnum(i.checked_add(1))
}

// Per-character flags computed for letter-spaced acronyms that are joined.
const IN_ACRONYM: u8 = 1;
const ACRONYM_START: u8 = 2;
const ACRONYM_END: u8 = 4;

/// Mark the letter-spaced acronyms next to Japanese in `v` (see rule 3). Linear in `v.len()`.
pub(crate) fn mark_acronyms(v: &[char], flags: &mut Vec<u8>) {
    flags.clear();
    flags.resize(v.len(), 0);
    let mut i = 0;
    while i < v.len() {
        if !is_single_capital(v, i) {
            i += 1;
            continue;
        }
        // Extend the run: single capitals separated by whitespace only.
        let start = i;
        let mut end = i;
        let mut members = 1usize;
        loop {
            let mut k = end + 1;
            while v.get(k).is_some_and(|&c| is_space(c)) {
                k += 1;
            }
            if k > end + 1 && is_single_capital(v, k) {
                end = k;
                members += 1;
            } else {
                break;
            }
        }
        if members >= 2 {
            let before = v
                .get(..start)
                .and_then(|p| p.iter().rev().find(|&&c| !is_space(c)).copied());
            let after = v
                .get(end + 1..)
                .and_then(|p| p.iter().find(|&&c| !is_space(c)).copied());
            let joinable = before.is_some_and(|c| is_japanese(c) || is_bullet_mark(c))
                || after.is_some_and(|c| is_japanese(c) || c == '-');
            if joinable {
                for (j, f) in flags.iter_mut().enumerate().take(end + 1).skip(start) {
                    if v.get(j).is_some_and(|c| c.is_ascii_uppercase()) {
                        *f |= IN_ACRONYM;
                    }
                }
                if let Some(f) = flags.get_mut(start) {
                    *f |= ACRONYM_START;
                }
                if let Some(f) = flags.get_mut(end) {
                    *f |= ACRONYM_END;
                }
            }
        }
        i = end + 1;
    }
}

/// Is the whitespace between the non-space characters `v[l]` and `v[r]` kept (as one space)?
/// `flags` come from [`mark_acronyms`]. See the module documentation for the rules.
pub(crate) fn space_kept(v: &[char], flags: &[u8], l: usize, r: usize) -> bool {
    let (Some(&lc), Some(&rc)) = (v.get(l), v.get(r)) else {
        return false;
    };
    space_kept_between(
        lc,
        rc,
        flags.get(l).copied().unwrap_or(0),
        flags.get(r).copied().unwrap_or(0),
    )
}

/// The spacing rules for the characters `lc` and `rc` around a space, with their acronym flags.
fn space_kept_between(lc: char, rc: char, lf: u8, rf: u8) -> bool {
    // 1, 2: bullet marks.
    if is_bullet_mark(lc) {
        return false;
    }
    if is_bullet_mark(rc) {
        return true;
    }
    // 3: letter-spaced acronyms next to Japanese.
    if lf & IN_ACRONYM != 0 && rf & IN_ACRONYM != 0 && lf & ACRONYM_END == 0 {
        return false;
    }
    if rf & ACRONYM_START != 0 && is_japanese(lc) {
        return false;
    }
    if lf & ACRONYM_END != 0 && (is_japanese(rc) || rc == '-') {
        return false;
    }
    // 4: inside Japanese runs, and around the range mark.
    if (is_japanese(lc) && is_japanese(rc)) || lc == '〜' || rc == '〜' {
        return false;
    }
    // 5: brackets.
    if is_open_bracket(lc) || is_close_bracket(rc) {
        return false;
    }
    if (is_japanese(lc) && is_open_bracket(rc)) || (is_close_bracket(lc) && is_japanese(rc)) {
        return false;
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Composition
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct Scratch {
    chars: Vec<char>,
    flags: Vec<u8>,
    out: String,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Cheap check for the common case, without allocating: no character any rule touches, and every
/// space single, inside the text, not next to a capital letter (which might belong to an acronym)
/// and kept by the spacing rules.
/// U+3001–U+9FFF without the combining voicing marks: characters no character rule changes.
fn is_plain_cjk(c: char) -> bool {
    matches!(c, '\u{3001}'..='\u{3098}' | '\u{309B}'..='\u{9FFF}')
}

fn is_trivially_normal(s: &str, spacing: Spacing) -> bool {
    let mut prev: Option<char> = None;
    let mut space_after: Option<char> = None;
    for c in s.chars() {
        if c == ' ' {
            match prev {
                Some(p)
                    if p != ' ' && (spacing == Spacing::Collapse || !p.is_ascii_uppercase()) =>
                {
                    space_after = Some(p)
                }
                _ => return false,
            }
            prev = Some(c);
            continue;
        }
        if let Some(l) = space_after.take() {
            if is_space(c)
                || (spacing == Spacing::Rules
                    && (c.is_ascii_uppercase() || !space_kept_between(l, c, 0, 0)))
            {
                return false;
            }
        }
        if c.is_ascii() {
            if c.is_ascii_whitespace() || c == '\u{B}' {
                return false;
            }
        } else if is_plain_cjk(c) {
            // Kana, kanji and CJK punctuation: untouched by every rule except voicing marks.
        } else {
            if is_space(c) || is_dropped(c) || map_char(c).is_some() {
                return false;
            }
            if voicing_mark(c).is_some()
                && prev.is_some_and(|p| ('\u{3040}'..='\u{30FF}').contains(&p))
            {
                return false;
            }
        }
        prev = Some(c);
    }
    prev != Some(' ')
}

fn normalize_with<'a>(s: &'a str, scratch: &mut Scratch, spacing: Spacing) -> Cow<'a, str> {
    let Scratch { chars, flags, out } = scratch;
    // Pass 1: character rules (map, compose, drop).
    chars.clear();
    for c in s.chars() {
        if c.is_ascii() || is_plain_cjk(c) {
            chars.push(c);
            continue;
        }
        if is_dropped(c) {
            continue;
        }
        if voicing_mark(c).is_some() {
            if let Some(last) = chars.last_mut() {
                if let Some(composed) = compose_voiced(*last, c) {
                    *last = composed;
                    continue;
                }
            }
        }
        chars.push(map_char(c).unwrap_or(c));
    }
    // Pass 2: whitespace.
    if spacing == Spacing::Rules {
        mark_acronyms(chars, flags);
    }
    out.clear();
    out.reserve(s.len());
    let mut last_non_space: Option<usize> = None;
    let mut pending_space = false;
    for (i, &c) in chars.iter().enumerate() {
        if is_space(c) {
            pending_space = true;
            continue;
        }
        if pending_space {
            if let Some(l) = last_non_space {
                if spacing == Spacing::Collapse || space_kept(chars, flags, l, i) {
                    out.push(' ');
                }
            }
            pending_space = false;
        }
        out.push(c);
        last_non_space = Some(i);
    }
    if out.as_str() == s {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(out.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_str(f: fn(char) -> Option<char>, s: &str) -> String {
        s.chars().map(|c| f(c).unwrap_or(c)).collect()
    }

    #[test]
    fn fold_fullwidth_table() {
        let cases = [
            ("ＡＢＣｘｙｚ", "ABCxyz"),
            ("０１２３４５６７８９", "0123456789"),
            ("（）：％／＆－＋＝＃＠！？", "():%/&-+=#@!?"),
            ("［］｛｝＜＞", "[]{}<>"),
            ("￥１，０００", "¥1,000"),
            ("￠￡￢￤￦", "¢£¬¦₩"),
            // Not full-width ASCII: unchanged.
            ("～〜①㎡Ⅲ—￣", "～〜①㎡Ⅲ—￣"),
            ("あいう漢字", "あいう漢字"),
        ];
        for (input, want) in cases {
            assert_eq!(map_str(fold_fullwidth, input), want, "input {input:?}");
        }
    }

    #[test]
    fn fold_halfwidth_table() {
        let cases = [
            ("ｱｲｳｴｵ", "アイウエオ"),
            ("ｦｧｨｩｪｫｬｭｮｯｰﾝ", "ヲァィゥェォャュョッーン"),
            ("｡｢｣､･", "。「」、・"),
            ("ﾞﾟ", "゛゜"),
            ("￭￮￫￩￪￬￨", "■○→←↑↓│"),
            ("アABC1", "アABC1"),
        ];
        for (input, want) in cases {
            assert_eq!(map_str(fold_halfwidth, input), want, "input {input:?}");
        }
    }

    #[test]
    fn compose_voiced_table() {
        let cases = [
            ('カ', 'ﾞ', Some('ガ')),
            ('ト', 'ﾞ', Some('ド')),
            ('ツ', 'ﾞ', Some('ヅ')),
            ('ハ', 'ﾟ', Some('パ')),
            ('ホ', 'ﾟ', Some('ポ')),
            ('ウ', 'ﾞ', Some('ヴ')),
            ('ワ', 'ﾞ', Some('ヷ')),
            ('ヲ', 'ﾞ', Some('ヺ')),
            ('か', '\u{3099}', Some('が')),
            ('し', '\u{3099}', Some('じ')),
            ('は', '\u{309A}', Some('ぱ')),
            ('ゝ', '\u{3099}', Some('ゞ')),
            ('ア', 'ﾞ', None),
            ('カ', 'ﾟ', None),
            ('ガ', 'ﾞ', None),
            ('ッ', 'ﾞ', None),
            ('a', 'ﾞ', None),
            ('カ', 'x', None),
        ];
        for (base, mark, want) in cases {
            assert_eq!(compose_voiced(base, mark), want, "{base:?} + {mark:?}");
        }
    }

    #[test]
    fn unify_wave_dash_table() {
        let cases = [('～', Some('〜')), ('〜', None), ('~', None), ('ー', None)];
        for (c, want) in cases {
            assert_eq!(unify_wave_dash(c), want, "{c:?}");
        }
    }

    #[test]
    fn unify_dash_table() {
        let cases = [
            ('\u{2015}', Some('\u{2014}')),
            ('\u{2014}', None),
            ('-', None),
            ('ー', None),
            ('－', None),
        ];
        for (c, want) in cases {
            assert_eq!(unify_dash(c), want, "{c:?}");
        }
    }

    #[test]
    fn fold_cjk_variant_table() {
        let cases = [
            ('\u{2F00}', Some('一')),
            ('\u{2F47}', Some('日')),
            ('\u{2F8F}', Some('行')),
            ('\u{2FD5}', Some('龠')),
            ('\u{2E9F}', Some('母')),
            ('\u{2ED1}', Some('長')),
            ('\u{2ED8}', Some('青')),
            ('\u{F91D}', Some('欄')),
            ('\u{F929}', Some('朗')),
            ('\u{2F800}', Some('丽')),
            // Unified ideographs inside the compatibility block stay.
            ('\u{FA11}', None),
            ('\u{FA0E}', None),
            ('日', None),
            ('①', None),
        ];
        for (c, want) in cases {
            assert_eq!(fold_cjk_variant(c), want, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn map_char_gate_keeps_every_mapping() {
        for u in 0..=0x3FFFFu32 {
            let Some(c) = char::from_u32(u) else { continue };
            let full = fold_fullwidth(c)
                .or_else(|| unify_wave_dash(c))
                .or_else(|| unify_dash(c))
                .or_else(|| fold_halfwidth(c))
                .or_else(|| fold_cjk_variant(c));
            assert_eq!(map_char(c), full, "U+{u:04X}");
            if is_plain_cjk(c) {
                assert!(
                    full.is_none() && !is_space(c) && !is_dropped(c),
                    "U+{u:04X}"
                );
            }
        }
    }

    #[test]
    fn dropped_and_space_classes() {
        let dropped = ['\u{FE00}', '\u{FE0F}', '\u{E0100}', '\u{E01EF}', '\u{FEFF}'];
        for c in dropped {
            assert!(is_dropped(c), "U+{:04X}", c as u32);
        }
        for c in ['葛', ' ', '\u{200D}', '\u{3099}'] {
            assert!(!is_dropped(c), "U+{:04X}", c as u32);
        }
        for c in [
            ' ', '\t', '\n', '\r', '\u{3000}', '\u{A0}', '\u{2003}', '\u{200B}', '\u{C}',
        ] {
            assert!(is_space(c), "U+{:04X}", c as u32);
        }
        for c in ['a', '・', '\u{FEFF}', '\u{200D}'] {
            assert!(!is_space(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn japanese_and_mark_classes() {
        for c in [
            'あ', 'ア', 'ー', '々', '漢', '、', '。', '「', '】', '〜', '゛', '𠮷',
        ] {
            assert!(is_japanese(c), "{c:?} should be Japanese");
        }
        for c in ['・', '○', 'A', '1', '(', '→', '①', '㎡', '\u{3099}', ' '] {
            assert!(!is_japanese(c), "{c:?} should not be Japanese");
        }
        for c in ['○', '◎', '●', '▲', '△', '■', '□', '・', '※'] {
            assert!(is_bullet_mark(c), "{c:?} should be a bullet mark");
        }
        for c in ['→', '【', '「', '-', '—'] {
            assert!(!is_bullet_mark(c), "{c:?} should not be a bullet mark");
        }
    }

    #[test]
    fn mark_acronyms_table() {
        // (input, indices flagged IN_ACRONYM)
        let cases: [(&str, &[usize]); 7] = [
            ("A I を", &[0, 2]),
            ("A I -OCR", &[0, 2]),
            ("入所 A I 選考", &[3, 5]),
            ("Plan A B", &[]),
            ("AI を", &[]),
            ("A を", &[]),
            ("・A B C", &[1, 3, 5]),
        ];
        let mut flags = Vec::new();
        for (input, want) in cases {
            let v: Vec<char> = input.chars().collect();
            mark_acronyms(&v, &mut flags);
            let got: Vec<usize> = (0..v.len())
                .filter(|&i| flags[i] & IN_ACRONYM != 0)
                .collect();
            assert_eq!(got, want, "input {input:?}");
        }
    }

    #[test]
    fn space_rules_table() {
        let cases = [
            // Rule 1: after a bullet mark.
            ("・ イベント", "・イベント"),
            ("■ 課題整理・準備等 ■ 導入", "■課題整理・準備等 ■導入"),
            ("※ 検討結果", "※検討結果"),
            // Rule 2: before a bullet mark (separates entries).
            ("不足している。 ・一部の職員", "不足している。 ・一部の職員"),
            ("導入検討 ・会計年度", "導入検討 ・会計年度"),
            ("実施 ○達成", "実施 ○達成"),
            // Rule 3: letter-spaced acronyms next to Japanese.
            ("A I を活用", "AIを活用"),
            ("A I -OCR", "AI-OCR"),
            ("保育所入所 A I 選考", "保育所入所AI選考"),
            ("■ A I 総合案内", "■AI総合案内"),
            ("x A I 総合", "x AI総合"),
            ("Plan A B", "Plan A B"),
            ("A I", "A I"),
            // Rule 4: inside Japanese runs.
            ("拡充や 共通投票所", "拡充や共通投票所"),
            ("(毎 年 度)", "(毎年度)"),
            ("項目\u{3000}名", "項目名"),
            ("4月 〜 6月", "4月〜6月"),
            ("R3 ～ R5", "R3〜R5"),
            ("1 〜 3", "1〜3"),
            // Rule 5: brackets.
            ("実績 (R2)", "実績(R2)"),
            ("全庁 (市民課)", "全庁(市民課)"),
            ("( 随時 )", "(随時)"),
            ("(R2) 実績", "(R2)実績"),
            ("「 Q&A 」", "「Q&A」"),
            // Rule 6: kept.
            ("Q&A 総数", "Q&A 総数"),
            ("LINE 公式", "LINE 公式"),
            ("重点項目1 経営", "重点項目1 経営"),
            ("2,558 件", "2,558 件"),
            ("→ → →", "→ → →"),
            ("→ (検討結果反映) →", "→ (検討結果反映) →"),
            ("hello   world", "hello world"),
            ("a\t\tb\nc", "a b c"),
            ("  前後  ", "前後"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "input {input:?}");
        }
    }

    #[test]
    fn normalize_composed_examples() {
        let cases = [
            ("ＡＩを活用した総合案内", "AIを活用した総合案内"),
            ("実績（R2）", "実績(R2)"),
            ("実績 (R2)", "実績(R2)"),
            ("ｶﾞｲﾄﾞﾌﾞｯｸ", "ガイドブック"),
            ("ﾊﾟｿｺﾝ ｿﾌﾄ", "パソコンソフト"),
            ("ﾞ単独", "゛単独"),
            ("カ\u{FE00}ﾞ", "ガ"),
            ("が\u{3099}", "が\u{3099}"),
            ("令和3年4月～6月", "令和3年4月〜6月"),
            ("①会議 100㎡ プランⅢ", "①会議 100㎡ プランⅢ"),
            ("⽇本の⾏政", "日本の行政"),
            ("葛\u{E0100}飾区", "葛飾区"),
            ("廃止：7種類", "廃止:7種類"),
            ("対前年同月比＋11.9ポイント", "対前年同月比+11.9ポイント"),
            ("—", "—"),
            ("－", "-"),
            ("\u{FEFF}改革項目", "改革項目"),
            ("", ""),
            ("   ", ""),
        ];
        for (input, want) in cases {
            assert_eq!(normalize(input), want, "input {input:?}");
            assert_eq!(normalize(want), want, "idempotent on {want:?}");
        }
    }

    #[test]
    fn borrows_when_already_normal() {
        for s in [
            "改革項目",
            "重点項目1 経営の視点",
            "AIを活用",
            "→ → →",
            "",
            "a b",
        ] {
            assert!(
                matches!(normalize_cow(s), Cow::Borrowed(_)),
                "{s:?} should be borrowed"
            );
        }
        for s in [" 改革項目", "Ａ", "a  b", "拡充や 共通投票所"] {
            assert!(
                matches!(normalize_cow(s), Cow::Owned(_)),
                "{s:?} should change"
            );
        }
    }

    #[test]
    fn fast_path_agrees_with_full_rules() {
        use proptest::prelude::*;
        const ALPHABET: &[char] = &[
            ' ', ' ', '\t', 'A', 'I', 'a', '1', '-', '(', ')', 'あ', 'ア', '漢', '・', '○', '→',
            '〜', '」', 'ｶ', 'ﾞ', '\u{3099}',
        ];
        let strategy = prop::collection::vec(prop::sample::select(ALPHABET), 0..24);
        proptest!(ProptestConfig::with_cases(3000), |(v in strategy)| {
            let s: String = v.into_iter().collect();
            for spacing in [Spacing::Rules, Spacing::Collapse] {
                if is_trivially_normal(&s, spacing) {
                    let full = normalize_with(&s, &mut Scratch::default(), spacing).into_owned();
                    prop_assert_eq!(&full, &s);
                }
            }
        });
    }

    #[test]
    fn normalize_chars_keeps_word_spaces() {
        let cases = [
            ("5%増加 件数 7,354", "5%増加 件数 7,354"),
            ("拡充や 共通投票所", "拡充や 共通投票所"),
            ("・ Ａ Ｉ  を活用", "・ A I を活用"),
            ("  実績（R2）\t ", "実績(R2)"),
            ("ｶﾞｲﾄﾞ\u{3000}～", "ガイド 〜"),
            ("改革項目", "改革項目"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_chars(input), want, "input {input:?}");
            assert!(
                matches!(normalize_chars_cow(want), Cow::Borrowed(_)),
                "{want:?} should be normal"
            );
        }
    }

    #[test]
    fn normalize_cells_counts_changes() {
        let mut cells = vec![
            "実績（R2）".to_string(),
            "目標".to_string(),
            " ".to_string(),
        ];
        assert_eq!(normalize_cells(&mut cells), 2);
        assert_eq!(cells, ["実績(R2)", "目標", ""]);
    }
}
