//! Item numbers as printed: which numbering scheme a token belongs to and its place in a run.
//!
//! | scheme | examples | ordinal |
//! |---|---|---|
//! | `number` | `1`, `12` | the number |
//! | `hyphen` | `1-1`, `2-3-1`, `5-2` | the last part; the parts before it are the parent key |
//! | `prefixed` | `R2-1`, `A-3`, `総-01` | the last number; the letters (or one or two kanji of a department code) and parts before it are the parent key |
//! | `paren` | `(1)`, `（12）`, `1)` | the number |
//! | `circled` | `①`…`㊿` | the number |
//! | `kana` | `ア`…`ン`, `(ア)`, `ア)` | position in the アイウエオ order |
//! | `roman` | `Ⅰ`…`Ⅻ` | the value |
//! | `kanji` | `一`, `十一`, `二十三`, `（一）`, `(十二)` | the value (up to 99) |
//! | `compound` | `1-(1)-①` | the last part |
//!
//! A token is an id only when it stands alone in a cell or is followed by a space or the text it
//! numbers (`(1) 業務の…`, `ア 公共施設…`, `①電子決裁`); a number followed by a unit or a
//! counter (`3件`, `1,064件`, `12月`) is not.

use regex::Regex;
use std::sync::OnceLock;

/// A numbering scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    Number,
    Hyphen,
    Prefixed,
    Paren,
    Circled,
    Kana,
    Roman,
    Compound,
    /// Kanji numerals (`一`, `十一`), as older reports number their items.
    Kanji,
    /// Ids matched by a profile's regular expression (`pattern = '[A-Z]-\d+'`), by the level's
    /// index in the profile.
    Pattern(u8),
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Number => "number",
            Scheme::Hyphen => "hyphen",
            Scheme::Prefixed => "prefixed",
            Scheme::Paren => "paren",
            Scheme::Circled => "circled",
            Scheme::Kana => "kana",
            Scheme::Roman => "roman",
            Scheme::Compound => "compound",
            Scheme::Kanji => "kanji",
            Scheme::Pattern(_) => "pattern",
        }
    }
    pub fn from_key(s: &str) -> Option<Scheme> {
        ALL.iter().copied().find(|x| x.as_str() == s)
    }
}

/// Every scheme, for listing in messages and profiles.
pub const ALL: [Scheme; 9] = [
    Scheme::Number,
    Scheme::Hyphen,
    Scheme::Prefixed,
    Scheme::Paren,
    Scheme::Circled,
    Scheme::Kana,
    Scheme::Roman,
    Scheme::Compound,
    Scheme::Kanji,
];

/// An id token found at the start of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct IdToken {
    pub scheme: Scheme,
    /// The id as printed (trimmed).
    pub text: String,
    /// Position in its run (1 = first).
    pub ordinal: u32,
    /// What numbers the enclosing run (`1` for `1-2`, `R2` for `R2-1`); empty when none.
    pub parent_key: String,
    /// The text after the id (the title when the id prefixes it).
    pub rest: String,
}

const KANA: &str =
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン";
const ROMAN: [&str; 12] = ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "Ⅶ", "Ⅷ", "Ⅸ", "Ⅹ", "Ⅺ", "Ⅻ"];

/// The id pattern. `\d` is any Unicode decimal digit.
const ID_PATTERN: &str = r"(?x)^(?:
              (?P<compound>(?:\d{1,3}|[A-ZＡ-Ｚ]|[Ⅰ-Ⅻ])-(?:\d{1,3}-)?(?:[(（]\d{1,3}[)）]|[①-⑳])(?:-[①-⑳])?)
            | (?P<prefixed>(?:[A-ZＡ-Ｚ]{1,3}|\p{Han}{1,2})\d{0,2}[-－](?:\d{1,3}(?:-\d{1,3})*|[①-⑳]))
            | (?P<hyphen>\d{1,3}(?:[-－‐ー―—]\d{1,3})+|\d{1,2}(?:\.\d{1,2})+(?:\s|$))
            | (?P<paren>[(（]\d{1,3}[)）]|[⑴-⒇]|\d{1,3}[)）])
            | (?P<circled>[①-⑳㉑-㉟㊱-㊿])
            | (?P<kanaparen>[(（]?[ア-ン][)）])
            | (?P<kana>[ア-ン])
            | (?P<roman>[Ⅰ-Ⅻ])
            | (?P<kanjiparen>[(（](?:[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])[)）])
            | (?P<kanji>[一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])
            | (?P<number>\d{1,4})
            )";

/// The id pattern for `text`: compiled with `\d` as ASCII and full-width digits when `text` has no
/// other decimal digit (the same matches on such text, and much cheaper to build than Unicode
/// `\d`), else as written.
pub(super) fn re(text: &str) -> Option<&'static Regex> {
    static FULL: OnceLock<Option<Regex>> = OnceLock::new();
    static COMMON: OnceLock<Option<Regex>> = OnceLock::new();
    if super::has_rare_digits(within_id_reach(text)) {
        FULL.get_or_init(|| Regex::new(ID_PATTERN).ok()).as_ref()
    } else {
        COMMON
            .get_or_init(|| Regex::new(&super::common_digits(ID_PATTERN)).ok())
            .as_ref()
    }
}

/// The value of a circled number: `①`–`⑳`, `㉑`–`㉟`, `㊱`–`㊿`.
fn circled_value(c: char) -> Option<u32> {
    let n = c as u32;
    match c {
        '①'..='⑳' => Some(n - '①' as u32 + 1),
        '㉑'..='㉟' => Some(n - '㉑' as u32 + 21),
        '㊱'..='㊿' => Some(n - '㊱' as u32 + 36),
        _ => None,
    }
}

/// The value of a kanji numeral up to 99 (`七`, `十一`, `二十三`).
fn kanji_value(s: &str) -> Option<u32> {
    const DIGITS: &str = "一二三四五六七八九";
    let digit = |c: char| DIGITS.chars().position(|d| d == c).map(|p| p as u32 + 1);
    let chars: Vec<char> = s.chars().collect();
    match chars.iter().position(|&c| c == '十') {
        None => match chars.as_slice() {
            [c] => digit(*c),
            _ => None,
        },
        Some(at) => {
            let tens = match chars.get(..at)? {
                [] => 1,
                [c] => digit(*c)?,
                _ => return None,
            };
            let ones = match chars.get(at + 1..)? {
                [] => 0,
                [c] => digit(*c)?,
                _ => return None,
            };
            Some(tens * 10 + ones)
        }
    }
}

/// The start of `text` an id match can read: up to its first hiragana, or its first CJK ideograph
/// past the two a department code may take (`企画-12`), after which no digit of [`ID_PATTERN`]
/// can stand. Whether the rest has uncommon digits cannot change the match, and a long cell is
/// not scanned to its end for them.
fn within_id_reach(text: &str) -> &str {
    let end = text
        .char_indices()
        .enumerate()
        .find(|&(k, (_, c))| {
            matches!(c, '\u{3040}'..='\u{309F}') || (k >= 2 && matches!(c, '\u{4E00}'..='\u{9FFF}'))
        })
        .map_or(text.len(), |(_, (i, _))| i);
    text.get(..end).unwrap_or(text)
}

fn last_number(s: &str) -> Option<(u32, usize)> {
    let bytes: Vec<(usize, char)> = s.char_indices().collect();
    let mut end = bytes.len();
    while end > 0 && !bytes.get(end - 1).is_some_and(|(_, c)| c.is_ascii_digit()) {
        end -= 1;
    }
    let mut start = end;
    while start > 0
        && bytes
            .get(start - 1)
            .is_some_and(|(_, c)| c.is_ascii_digit())
    {
        start -= 1;
    }
    let from = bytes.get(start)?.0;
    let to = bytes.get(end).map_or(s.len(), |(i, _)| *i);
    Some((s.get(from..to)?.parse().ok()?, from))
}

/// Is `c` a character that may follow an id directly (the start of its title) rather than make it
/// a quantity (`3件`, `12月`, `1,000`)?
fn may_follow(scheme: Scheme, rest: &str) -> bool {
    let Some(c) = rest.chars().next() else {
        return true;
    };
    if c.is_whitespace() || matches!(c, '.' | '．' | '、' | ':' | '：' | '　') {
        // `1.` is an id, `1.5` is not.
        if matches!(c, '.' | '．') {
            return !rest.chars().nth(1).is_some_and(|d| d.is_ascii_digit());
        }
        return true;
    }
    match scheme {
        // A bare number glued to text is a quantity (`3件`), never an id; a kanji numeral glued
        // to text is a word (`一部`, `三筆`); a quoted title may follow (`１「題」`).
        Scheme::Number | Scheme::Hyphen | Scheme::Prefixed | Scheme::Kanji => {
            matches!(c, '「' | '『')
        }
        // Bracketed and symbolic ids can be glued to their title (`①電子決裁`, `(1)業務`).
        Scheme::Paren | Scheme::Circled | Scheme::Compound | Scheme::Roman | Scheme::Pattern(_) => {
            !c.is_ascii_digit() && c != ',' && c != '%'
        }
        // A katakana letter glued to a kanji starts its title once spaces between Japanese
        // characters are gone (`ア公共施設`); glued to more katakana it is a word (`アプリ`).
        Scheme::Kana => ('\u{4E00}'..='\u{9FFF}').contains(&c),
    }
}

/// The id a profile's pattern (`^(?:…)`) matches at the start of `text`: its ordinal is the
/// last number in it (1 when it has none), the text before that number its parent key.
pub fn pattern_at_start(re: &Regex, level: u8, text: &str) -> Option<IdToken> {
    let t = text.trim_start();
    let m = re.find(t)?;
    let id = m.as_str().trim_end();
    if id.is_empty() {
        return None;
    }
    let (ordinal, parent_key) = match last_number(id) {
        Some((n, at)) => (
            n,
            id.get(..at)
                .unwrap_or("")
                .trim_end_matches(['-', '－', '‐', 'ー', '―', '—', ' ', '.'])
                .to_string(),
        ),
        None => (1, String::new()),
    };
    Some(IdToken {
        scheme: Scheme::Pattern(level),
        text: id.to_string(),
        ordinal,
        parent_key,
        rest: t.get(m.end()..).unwrap_or("").trim().to_string(),
    })
}

/// An id written inside the ordinal counter `第…号` (`第1-2号`, `第3号`): the number or hyphened
/// number inside it, followed by what may follow an id.
fn counter_wrapped(t: &str) -> Option<IdToken> {
    let inner = t.strip_prefix('第')?;
    let end = inner.find('号')?;
    let id = inner.get(..end)?;
    let tok = id_at_start(id).filter(|tok| {
        matches!(tok.scheme, Scheme::Number | Scheme::Hyphen) && tok.rest.is_empty()
    })?;
    let rest = inner.get(end + '号'.len_utf8()..).unwrap_or("");
    may_follow(tok.scheme, rest).then(|| IdToken {
        rest: rest.trim().to_string(),
        ..tok
    })
}

/// The id at the start of `text`, if there is one.
pub fn id_at_start(text: &str) -> Option<IdToken> {
    let t = text.trim_start();
    if let Some(tok) = counter_wrapped(t) {
        return Some(tok);
    }
    let caps = re(t)?.captures(t)?;
    let (scheme, m) = [
        ("compound", Scheme::Compound),
        ("prefixed", Scheme::Prefixed),
        ("hyphen", Scheme::Hyphen),
        ("paren", Scheme::Paren),
        ("circled", Scheme::Circled),
        ("kanaparen", Scheme::Kana),
        ("kana", Scheme::Kana),
        ("roman", Scheme::Roman),
        ("kanjiparen", Scheme::Kanji),
        ("kanji", Scheme::Kanji),
        ("number", Scheme::Number),
    ]
    .iter()
    .find_map(|(name, s)| caps.name(name).map(|m| (*s, m)))?;
    // A dotted id (`1.2 `) is matched with the space after it, which is not part of it.
    let id = m.as_str().trim_end();
    let rest = t.get(m.start() + id.len()..).unwrap_or("");
    // A kanji numeral in brackets (`（一）`) may be glued to its title, as `（1）` may.
    let bracketed = scheme == Scheme::Kanji && id.starts_with(['(', '（']);
    if !may_follow(if bracketed { Scheme::Paren } else { scheme }, rest) {
        return None;
    }
    let (ordinal, parent_key) = match scheme {
        Scheme::Circled => (circled_value(id.chars().next()?)?, String::new()),
        Scheme::Kanji => (
            kanji_value(id.trim_matches(['(', '（', ')', '）']))?,
            String::new(),
        ),
        Scheme::Kana => {
            let c = id.chars().find(|c| KANA.contains(*c))?;
            let pos = KANA.chars().position(|k| k == c)?;
            (pos as u32 + 1, String::new())
        }
        Scheme::Roman => {
            let pos = ROMAN.iter().position(|r| *r == id)?;
            (pos as u32 + 1, String::new())
        }
        Scheme::Compound => {
            let parts: Vec<&str> = id.split('-').collect();
            let last = parts.last()?;
            let ord = if let Some(c) = last.chars().next().filter(|c| ('①'..='⑳').contains(c)) {
                c as u32 - '①' as u32 + 1
            } else {
                last_number(last)?.0
            };
            let key = parts
                .get(..parts.len().saturating_sub(1))
                .unwrap_or_default()
                .join("-");
            (ord, key)
        }
        // `⑴`–`⒇` are bracketed numbers written as one character.
        Scheme::Paren => match id.chars().next().filter(|c| ('⑴'..='⒇').contains(c)) {
            Some(c) => (c as u32 - '⑴' as u32 + 1, String::new()),
            None => (last_number(id)?.0, String::new()),
        },
        Scheme::Number => (last_number(id)?.0, String::new()),
        // `重点1-①`: a circled number after the prefix and its number.
        Scheme::Prefixed if id.ends_with(|c: char| ('①'..='⑳').contains(&c)) => {
            let c = id.chars().last()?;
            let key = id
                .get(..id.len() - c.len_utf8())
                .unwrap_or("")
                .trim_end_matches(['-', '－'])
                .to_string();
            (c as u32 - '①' as u32 + 1, key)
        }
        Scheme::Hyphen | Scheme::Prefixed | Scheme::Pattern(_) => {
            let (n, at) = last_number(id)?;
            let key = id
                .get(..at)
                .unwrap_or("")
                .trim_end_matches(['-', '－', '‐', 'ー', '―', '—', ' ', '.'])
                .to_string();
            (n, key)
        }
    };
    if ordinal == 0 {
        return None;
    }
    Some(IdToken {
        scheme,
        text: id.to_string(),
        ordinal,
        parent_key,
        rest: rest
            .trim_start_matches(['.', '．', '、', ':', '：'])
            .trim()
            .to_string(),
    })
}

/// The id when `text` is nothing but an id.
pub fn whole_id(text: &str) -> Option<IdToken> {
    id_at_start(text).filter(|t| t.rest.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_reach_ends_at_kana_or_kanji() {
        let cases = [
            ("1 題", "1 "),
            ("(1)業務の見直し", "(1)"),
            // the first two characters may be a department code's kanji (`総-01`)
            ("ア公共施設", "ア公"),
            ("総-01 題", "総-01 "),
            ("R2-1-3", "R2-1-3"),
            ("ひらがな", ""),
            ("", ""),
        ];
        for (text, want) in cases {
            assert_eq!(within_id_reach(text), want, "{text}");
        }
        // An uncommon digit in reach decides the pattern; one past a kanji cannot.
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            ("1-\u{663} 題", Some(("1-\u{663}", "題"))),
            ("1 題\u{663}", Some(("1", "題\u{663}"))),
            // read as a number, which it is not in Rust's reading: no id
            ("\u{663} 題", None),
        ];
        for (text, want) in cases {
            let got = id_at_start(text).map(|t| (t.text, t.rest));
            let got = got.as_ref().map(|(a, b)| (a.as_str(), b.as_str()));
            assert_eq!(got, *want, "{text}");
        }
    }

    #[test]
    fn ids_at_start() {
        type Want<'a> = Option<(Scheme, &'a str, u32, &'a str, &'a str)>;
        let cases: &[(&str, Want)] = &[
            ("1", Some((Scheme::Number, "1", 1, "", ""))),
            ("12", Some((Scheme::Number, "12", 12, "", ""))),
            // Long reports number past 999.
            ("1000", Some((Scheme::Number, "1000", 1000, "", ""))),
            (
                "2001 手続きの見直し",
                Some((Scheme::Number, "2001", 2001, "", "手続きの見直し")),
            ),
            ("2021年度", None),
            ("12345", None),
            (
                "1 事務事業の再構築",
                Some((Scheme::Number, "1", 1, "", "事務事業の再構築")),
            ),
            ("1-1", Some((Scheme::Hyphen, "1-1", 1, "1", ""))),
            ("2-3-1", Some((Scheme::Hyphen, "2-3-1", 1, "2-3", ""))),
            ("R2-1", Some((Scheme::Prefixed, "R2-1", 1, "R2", ""))),
            ("A-3 題", Some((Scheme::Prefixed, "A-3", 3, "A", "題"))),
            // A department code before the number (`総-01`: 総務).
            ("総-01", Some((Scheme::Prefixed, "総-01", 1, "総", ""))),
            (
                "企画-12 題",
                Some((Scheme::Prefixed, "企画-12", 12, "企画", "題")),
            ),
            ("㉑ 題", Some((Scheme::Circled, "㉑", 21, "", "題"))),
            // A number or kana closed by a bracket alone (`1)`, `ア)`).
            ("1) 題", Some((Scheme::Paren, "1)", 1, "", "題"))),
            ("12)題", Some((Scheme::Paren, "12)", 12, "", "題"))),
            ("ウ)題", Some((Scheme::Kana, "ウ)", 3, "", "題"))),
            ("㊿", Some((Scheme::Circled, "㊿", 50, "", ""))),
            ("一 題", Some((Scheme::Kanji, "一", 1, "", "題"))),
            (
                "十一\u{3000}題",
                Some((Scheme::Kanji, "十一", 11, "", "題")),
            ),
            ("二十三、題", Some((Scheme::Kanji, "二十三", 23, "", "題"))),
            // A kanji numeral in brackets, spaced from its title or glued to it.
            (
                "（一）\u{3000}題",
                Some((Scheme::Kanji, "（一）", 1, "", "題")),
            ),
            ("(十二)題", Some((Scheme::Kanji, "(十二)", 12, "", "題"))),
            (
                "（二十）題",
                Some((Scheme::Kanji, "（二十）", 20, "", "題")),
            ),
            // Not a numeral in brackets: a word or a figure after it.
            ("（一部）題", None),
            ("（三）5件", None),
            // Kanji numerals glued to text are words.
            ("一部実施", None),
            ("三筆全てが売却", None),
            ("十分な検討", None),
            (
                "(1) 業務の標準化",
                Some((Scheme::Paren, "(1)", 1, "", "業務の標準化")),
            ),
            ("（2）組織", Some((Scheme::Paren, "（2）", 2, "", "組織"))),
            (
                "⑴ 業務の効率化",
                Some((Scheme::Paren, "⑴", 1, "", "業務の効率化")),
            ),
            ("⒇題", Some((Scheme::Paren, "⒇", 20, "", "題"))),
            (
                "①電子決裁の導入",
                Some((Scheme::Circled, "①", 1, "", "電子決裁の導入")),
            ),
            ("ア 公共施設", Some((Scheme::Kana, "ア", 1, "", "公共施設"))),
            ("ウ", Some((Scheme::Kana, "ウ", 3, "", ""))),
            ("(イ) 題", Some((Scheme::Kana, "(イ)", 2, "", "題"))),
            ("Ⅱ 方針", Some((Scheme::Roman, "Ⅱ", 2, "", "方針"))),
            (
                "1-(1)-①",
                Some((Scheme::Compound, "1-(1)-①", 1, "1-(1)", "")),
            ),
            ("1-(2)", Some((Scheme::Compound, "1-(2)", 2, "1", ""))),
            ("A-1-①", Some((Scheme::Compound, "A-1-①", 1, "A-1", ""))),
            (
                "Ⅰ-1-(1) 題",
                Some((Scheme::Compound, "Ⅰ-1-(1)", 1, "Ⅰ-1", "題")),
            ),
            ("1.2 題", Some((Scheme::Hyphen, "1.2", 2, "1", "題"))),
            (
                "重点1-① 題",
                Some((Scheme::Prefixed, "重点1-①", 1, "重点1", "題")),
            ),
            (
                "重点2-③",
                Some((Scheme::Prefixed, "重点2-③", 3, "重点2", "")),
            ),
            ("3件", None),
            ("H29", None),
            ("No.4", None),
            ("1,064件", None),
            ("12月", None),
            // A dotted number alone is read as an id (`1.5` = item 5 under 1).
            ("1.5", Some((Scheme::Hyphen, "1.5", 5, "1", ""))),
            ("1.5%", None),
            ("アプリの導入", None),
            ("ア公共施設", Some((Scheme::Kana, "ア", 1, "", "公共施設"))),
            ("事務", None),
            ("0", None),
        ];
        for (text, want) in cases {
            let got =
                id_at_start(text).map(|t| (t.scheme, t.text, t.ordinal, t.parent_key, t.rest));
            let want =
                want.map(|(s, i, o, p, r)| (s, i.to_string(), o, p.to_string(), r.to_string()));
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn whole_ids_only() {
        assert!(whole_id("1-1").is_some());
        assert!(whole_id("1 題").is_none());
        assert!(whole_id("").is_none());
    }

    /// The id pattern built with narrowed digits matches as the one with Unicode `\d` on every
    /// text without rare digits; texts with them are read with the Unicode pattern.
    #[test]
    fn narrowed_digits_match_as_unicode_digits() {
        use proptest::prelude::*;
        const ALPHABET: &[char] = &[
            ' ', '1', '2', '0', '９', '１', '-', '－', '.', '(', ')', '（', '）', 'A', 'Ｂ', 'ア',
            'イ', '①', '⑳', 'Ⅲ', '題', '件', '٣', '७', '𝟐', '\u{3000}',
        ];
        let full = Regex::new(ID_PATTERN).unwrap();
        let common = Regex::new(&crate::records::common_digits(ID_PATTERN)).unwrap();
        let names = [
            "compound",
            "prefixed",
            "hyphen",
            "paren",
            "circled",
            "kanaparen",
            "kana",
            "roman",
            "number",
        ];
        let spans = |re: &Regex, t: &str| -> Vec<Option<(usize, usize)>> {
            match re.captures(t) {
                None => vec![],
                Some(c) => names
                    .iter()
                    .map(|n| c.name(n).map(|m| (m.start(), m.end())))
                    .collect(),
            }
        };
        let strategy = prop::collection::vec(prop::sample::select(ALPHABET), 0..10);
        proptest!(ProptestConfig::with_cases(4000), |(v in strategy)| {
            let t: String = v.into_iter().collect();
            prop_assert!(std::ptr::eq(re(&t).unwrap(), re(&t).unwrap()));
            if !crate::records::has_rare_digits(&t) {
                prop_assert_eq!(spans(&common, &t), spans(&full, &t), "{:?}", t);
            } else {
                prop_assert_eq!(spans(re(&t).unwrap(), &t), spans(&full, &t), "{:?}", t);
            }
        });
        // Table: which texts count as holding rare digits.
        for (t, rare) in [
            ("12 題", false),
            ("１２ 題", false),
            ("① 題", false),
            ("Ⅳ 題", false),
            ("٣ 題", true),
            ("𝟐 題", true),
            ("७", true),
            ("", false),
        ] {
            assert_eq!(crate::records::has_rare_digits(t), rare, "{t:?}");
        }
        assert_eq!(spans(&common, "٣-1 題"), vec![]);
        assert!(!spans(&full, "٣-1 題").is_empty());
        assert_eq!(
            id_at_start("12 題").map(|i| (i.scheme, i.ordinal)),
            Some((Scheme::Number, 12))
        );
    }

    #[test]
    fn ids_inside_the_ordinal_counter() {
        type Want<'a> = Option<(&'a str, u32, &'a str, &'a str)>;
        let cases: [(&str, Want); 6] = [
            ("第1-2号", Some(("1-2", 2, "1", ""))),
            ("第3号", Some(("3", 3, "", ""))),
            (
                "第2-4号 返礼品の拡充",
                Some(("2-4", 4, "2", "返礼品の拡充")),
            ),
            ("第2号被保険者", None),
            ("第3条", None),
            ("第R2-1号", None),
        ];
        for (text, want) in cases {
            let got = id_at_start(text).map(|t| {
                (
                    t.text.clone(),
                    t.ordinal,
                    t.parent_key.clone(),
                    t.rest.clone(),
                )
            });
            let want = want.map(|(a, b, c, d)| (a.to_string(), b, c.to_string(), d.to_string()));
            assert_eq!(got, want, "{text}");
        }
    }
}
