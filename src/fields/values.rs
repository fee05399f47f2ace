//! Quantities in cell text: `2,450億円以下` → 2450, `億円`, `以下`.
//!
//! A value cell holds one number, optionally signed, with its unit and a qualifier after it. The
//! unit is kept as printed and never multiplied out (`300百万円` is 300 `百万円`): the caller
//! decides what a unit means. Anything else (a word before the number, two numbers, a range) is
//! not a single quantity, and the number is None.
//!
//! # Rules ([`parse_quantity`])
//!
//! | rule | function | examples |
//! |---|---|---|
//! | parenthesised remarks are ignored | [`strip_remarks`] | `1,000 (R3.4.1現在)` → 1000 |
//! | a dash alone means "no value" | [`is_dash`] | `―`, `ー`, `-`, `—`, `－`, `‐` → None |
//! | a sign before the number: `-`, `−`, `－`, `+`; with `minus_marks` also `▲`/`△` directly before it | [`sign_prefix`] | `▲2,300` → -2300, `▲38.3%` → -38.3 `%`, `−5` → -5 |
//! | digits (full-width too), thousands separators dropped, one decimal point | [`number_prefix`] | `12,000` → 12000, `１２０` → 120, `87.1` → 87.1 |
//! | a trailing qualifier | [`qualifier_suffix`] | `20分以内` → `以内`; `以下 以内 以上 未満 程度 超 前後 強 弱` |
//! | the unit: a known unit (lexicon `units`) or any run of kana/kanji | [`unit_word`] | `120手続` → `手続`, `8.0％` → `％`, `5講座` → `講座` |
//! | anything else → not a single quantity | [`parse_quantity`] | `寄附額8,000万円`, `24台→19台`, `3～5件`, `5%増加` → None |
//!
//! # Units in labels ([`unit_in_label`])
//!
//! | rule | examples |
//! |---|---|
//! | a trailing bracketed known unit | `効果額（千円）` → `千円`, `職員数削減（人）` → `人`, `件数[件]` → `件` |
//! | `単位` followed by `：`, `:` or a space, bracketed or not | `単位：千円` → `千円`, `（単位：百万円）` → `百万円` |
//! | other bracketed text is not a unit | `目標（最終）`, `実績(R3)` → None |

use crate::fields::lexicon::Lexicon;

/// One quantity read from a cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Quantity {
    /// The number, or None for a dash, an empty cell or text that is not a single quantity.
    pub number: Option<f64>,
    /// The unit as printed (`千円`, `％`, `手続`); None when there is none or no number.
    pub unit: Option<String>,
    /// `以下`, `以内`, `以上`, `未満`, `程度`, `超` … after the value.
    pub qualifier: Option<String>,
}

/// Qualifiers after a value, longest first.
pub const QUALIFIERS: &[&str] = &[
    "以下", "以内", "以上", "未満", "程度", "前後", "超", "強", "弱",
];

/// Read the single quantity in a cell with the built-in units (see the module documentation).
/// With `minus_marks`, `▲`/`△` directly before the number is a minus sign.
pub fn parse_quantity(text: &str, minus_marks: bool) -> Quantity {
    parse_quantity_with(text, minus_marks, Lexicon::builtin().units())
}

/// [`parse_quantity`] with the units of a given lexicon.
pub fn parse_quantity_with(text: &str, minus_marks: bool, units: &[String]) -> Quantity {
    let kept = strip_remarks_cow(text);
    let s = kept.trim_matches(is_blank);
    if s.is_empty() || is_dash(s) {
        return Quantity::default();
    }
    let (negative, s) = sign_prefix(s, minus_marks);
    let Some((number, rest)) = number_prefix(s) else {
        return Quantity::default();
    };
    let rest = rest.trim_matches(is_blank);
    let (qualifier, rest) = qualifier_suffix(rest);
    let rest = rest.trim_matches(is_blank);
    let unit = if rest.is_empty() {
        None
    } else {
        match unit_word(rest, units) {
            Some(u) => Some(u.to_string()),
            None => return Quantity::default(),
        }
    };
    Quantity {
        number: Some(if negative { -number } else { number }),
        unit,
        qualifier: qualifier.map(str::to_string),
    }
}

fn is_blank(c: char) -> bool {
    c.is_whitespace()
}

/// The text outside parentheses (`(…)`, `（…）`, nested too): remarks are not part of the value.
pub fn strip_remarks(text: &str) -> String {
    strip_remarks_cow(text).into_owned()
}

/// [`strip_remarks`], borrowing a text without brackets (most are).
fn strip_remarks_cow(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['(', '（', ')', '）']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    std::borrow::Cow::Owned(out)
}

/// True when the (trimmed) text is only dashes: `―`, `ー`, `-`, `—`, `－`, `‐`, `–`, `─`, `ｰ`.
pub fn is_dash(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| "―ー-—－‐‑–‒─━ｰ−".contains(c) || c.is_whitespace())
}

/// A sign before the number: `-`, `−`, `－`, `‐`, `+`, `＋`; with `minus_marks` also `▲`, `△`.
/// Returns whether it is negative and the text after the sign. Only directly before a digit.
pub fn sign_prefix(s: &str, minus_marks: bool) -> (bool, &str) {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return (false, s);
    };
    let rest = chars.as_str();
    if !rest.starts_with(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c)) {
        return (false, s);
    }
    match first {
        '-' | '−' | '－' | '‐' => (true, rest),
        '▲' | '△' if minus_marks => (true, rest),
        '+' | '＋' => (false, rest),
        _ => (false, s),
    }
}

/// The number at the start of `s` (ASCII or full-width digits; a `,`/`，` followed by exactly three
/// digits is a thousands separator and dropped; one `.`/`．` before a digit) and the text after it.
/// None when `s` does not start with a digit.
pub fn number_prefix(s: &str) -> Option<(f64, &str)> {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let digit_at = |k: usize| chars.get(k).and_then(|(_, c)| ascii_digit(*c));
    let mut num = String::new();
    let mut seen_point = false;
    let mut k = 0;
    while let Some(&(_, c)) = chars.get(k) {
        if let Some(d) = ascii_digit(c) {
            num.push(d);
        } else if matches!(c, ',' | '，')
            && !num.is_empty()
            && !seen_point
            && (1..=3).all(|n| digit_at(k + n).is_some())
            && digit_at(k + 4).is_none()
        {
        } else if matches!(c, '.' | '．')
            && !num.is_empty()
            && !seen_point
            && digit_at(k + 1).is_some()
        {
            seen_point = true;
            num.push('.');
        } else {
            break;
        }
        k += 1;
    }
    if num.is_empty() {
        return None;
    }
    let value: f64 = num.parse().ok()?;
    let end = chars.get(k).map_or(s.len(), |(i, _)| *i);
    Some((value, s.get(end..).unwrap_or("")))
}

/// An ASCII or full-width digit as an ASCII digit.
fn ascii_digit(c: char) -> Option<char> {
    if c.is_ascii_digit() {
        Some(c)
    } else if ('０'..='９').contains(&c) {
        char::from_u32(c as u32 - '０' as u32 + '0' as u32)
    } else {
        None
    }
}

/// A qualifier at the end of `s` (`以下`, `以内`, …) and the text before it.
pub fn qualifier_suffix(s: &str) -> (Option<&'static str>, &str) {
    QUALIFIERS
        .iter()
        .find_map(|q| s.strip_suffix(q).map(|rest| (Some(*q), rest)))
        .unwrap_or((None, s))
}

/// `s` as a unit: a known unit, or a run of kana/kanji (`施設`, `手続`, `講座`, `か所`).
pub fn unit_word<'a>(s: &'a str, units: &[String]) -> Option<&'a str> {
    if units.iter().any(|u| u == s) || s.chars().all(is_kana_or_kanji) {
        Some(s)
    } else {
        None
    }
}

/// Hiragana, katakana (with `ー`, `ヶ`, `ヵ`), kanji, `々`.
fn is_kana_or_kanji(c: char) -> bool {
    matches!(c,
        '\u{3041}'..='\u{309F}'
        | '\u{30A0}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '々')
}

/// The unit printed in a label (see the module documentation), with the built-in units.
pub fn unit_in_label(label: &str) -> Option<String> {
    unit_in_label_with(label, Lexicon::builtin().units())
}

/// [`unit_in_label`] with the units of a given lexicon.
pub fn unit_in_label_with(label: &str, units: &[String]) -> Option<String> {
    let label = label.trim();
    if let Some((inner, _)) = trailing_bracket(label) {
        let inner = inner.trim();
        if let Some(u) = after_unit_word(inner) {
            return Some(u.to_string());
        }
        return units.iter().any(|u| u == inner).then(|| inner.to_string());
    }
    let pos = label.find("単位")?;
    after_unit_word(label.get(pos..)?).map(str::to_string)
}

/// `単位：千円` → `千円` (also `単位:`, `単位 `); the unit runs to the next space or bracket.
fn after_unit_word(s: &str) -> Option<&str> {
    let rest = s.strip_prefix("単位")?;
    let rest = rest.strip_prefix([':', '：', ' ', '\u{3000}'])?;
    let rest = rest.trim_start();
    let end = rest
        .find(|c: char| c.is_whitespace() || "()（）[]［］【】、,".contains(c))
        .unwrap_or(rest.len());
    let unit = rest.get(..end)?;
    (!unit.is_empty() && !unit.chars().any(|c| c.is_ascii_digit())).then_some(unit)
}

/// The content of a bracketed group closing `s` (`(…)`, `（…）`, `[…]`, `［…］`, `【…】`, `〔…〕`)
/// and the text before it.
fn trailing_bracket(s: &str) -> Option<(&str, &str)> {
    const PAIRS: &[(char, char)] = &[
        ('(', ')'),
        ('（', '）'),
        ('[', ']'),
        ('［', '］'),
        ('【', '】'),
        ('〔', '〕'),
        ('<', '>'),
        ('＜', '＞'),
    ];
    let last = s.chars().next_back()?;
    let (open, close) = PAIRS.iter().find(|(_, c)| *c == last)?;
    let body = s.strip_suffix(*close)?;
    let start = body.rfind(*open)?;
    let inner = body.get(start + open.len_utf8()..)?;
    Some((inner, body.get(..start)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(number: Option<f64>, unit: Option<&str>, qualifier: Option<&str>) -> Quantity {
        Quantity {
            number,
            unit: unit.map(str::to_string),
            qualifier: qualifier.map(str::to_string),
        }
    }

    #[test]
    fn quantities() {
        let cases: &[(&str, bool, Quantity)] = &[
            ("120手続", false, q(Some(120.0), Some("手続"), None)),
            ("20分以内", false, q(Some(20.0), Some("分"), Some("以内"))),
            (
                "2,450億円以下",
                false,
                q(Some(2450.0), Some("億円"), Some("以下")),
            ),
            ("8.0％以下", false, q(Some(8.0), Some("％"), Some("以下"))),
            ("300百万円", false, q(Some(300.0), Some("百万円"), None)),
            ("87.1%", false, q(Some(87.1), Some("%"), None)),
            ("12,000", false, q(Some(12000.0), None, None)),
            ("60万人", false, q(Some(60.0), Some("万人"), None)),
            ("1,000 (R3.4.1現在)", false, q(Some(1000.0), None, None)),
            (
                "1,000件（R3.4.1現在）",
                false,
                q(Some(1000.0), Some("件"), None),
            ),
            ("１２０件", false, q(Some(120.0), Some("件"), None)),
            (
                "１，２３４．５千円",
                false,
                q(Some(1234.5), Some("千円"), None),
            ),
            ("2,558 件", false, q(Some(2558.0), Some("件"), None)),
            (
                "50施設以上",
                false,
                q(Some(50.0), Some("施設"), Some("以上")),
            ),
            ("3団体", false, q(Some(3.0), Some("団体"), None)),
            ("10箇所", false, q(Some(10.0), Some("箇所"), None)),
            ("5ポイント", false, q(Some(5.0), Some("ポイント"), None)),
            ("24時間", false, q(Some(24.0), Some("時間"), None)),
            ("100㎡", false, q(Some(100.0), Some("㎡"), None)),
            ("1.5億円", false, q(Some(1.5), Some("億円"), None)),
            ("5講座程度", false, q(Some(5.0), Some("講座"), Some("程度"))),
            ("10未満", false, q(Some(10.0), None, Some("未満"))),
            ("100件超", false, q(Some(100.0), Some("件"), Some("超"))),
            ("12 件 以上", false, q(Some(12.0), Some("件"), Some("以上"))),
            // Signs.
            ("▲2,300", true, q(Some(-2300.0), None, None)),
            ("▲38.3%", true, q(Some(-38.3), Some("%"), None)),
            ("△15千円", true, q(Some(-15.0), Some("千円"), None)),
            ("▲2,300", false, q(None, None, None)),
            ("-3", false, q(Some(-3.0), None, None)),
            ("−3.5%", false, q(Some(-3.5), Some("%"), None)),
            ("－１０人", false, q(Some(-10.0), Some("人"), None)),
            ("+5", false, q(Some(5.0), None, None)),
            ("▲ 2,300", true, q(None, None, None)),
            // Dashes and empties.
            ("―", false, q(None, None, None)),
            ("ー", false, q(None, None, None)),
            ("-", false, q(None, None, None)),
            ("—", false, q(None, None, None)),
            ("－", false, q(None, None, None)),
            ("‐", false, q(None, None, None)),
            (" ― ", false, q(None, None, None)),
            ("", false, q(None, None, None)),
            ("(R3.4.1現在)", false, q(None, None, None)),
            // Not a single quantity.
            ("寄附額8,000万円", false, q(None, None, None)),
            ("24台→19台", false, q(None, None, None)),
            ("3～5件", false, q(None, None, None)),
            ("3〜5件", false, q(None, None, None)),
            ("5%増加", false, q(None, None, None)),
            ("検討", false, q(None, None, None)),
            ("約100件", false, q(None, None, None)),
            ("件数 7,004 人数 163,295", false, q(None, None, None)),
            ("1,2,3", false, q(None, None, None)),
            ("1.2.3", false, q(None, None, None)),
        ];
        for (text, minus, want) in cases {
            assert_eq!(
                &parse_quantity(text, *minus),
                want,
                "{text:?} minus={minus}"
            );
        }
    }

    #[test]
    fn rule_strip_remarks() {
        let cases = [
            ("1,000 (R3.4.1現在)", "1,000 "),
            ("50（職員の約10%）人", "50人"),
            ("1(a(b)c)2", "12"),
            ("abc", "abc"),
        ];
        for (s, want) in cases {
            assert_eq!(strip_remarks(s), want, "{s}");
        }
    }

    #[test]
    fn rule_is_dash() {
        let cases = [
            ("―", true),
            ("ー", true),
            ("--", true),
            ("— —", true),
            ("", false),
            ("-1", false),
            ("ーー件", false),
        ];
        for (s, want) in cases {
            assert_eq!(is_dash(s), want, "{s}");
        }
    }

    #[test]
    fn rule_sign_prefix() {
        let cases = [
            ("▲5", true, (true, "5")),
            ("△5", true, (true, "5")),
            ("▲5", false, (false, "▲5")),
            ("-5", false, (true, "5")),
            ("－５", false, (true, "５")),
            ("+5", false, (false, "5")),
            ("▲ 5", true, (false, "▲ 5")),
            ("▲課題", true, (false, "▲課題")),
            ("5", true, (false, "5")),
            ("", true, (false, "")),
        ];
        for (s, minus, want) in cases {
            assert_eq!(sign_prefix(s, minus), want, "{s}");
        }
    }

    #[test]
    fn rule_number_prefix() {
        let cases = [
            ("12,000円", Some((12000.0, "円"))),
            ("87.1%", Some((87.1, "%"))),
            ("１２０件", Some((120.0, "件"))),
            ("3.", Some((3.0, "."))),
            ("3,", Some((3.0, ","))),
            ("1.2.3", Some((1.2, ".3"))),
            ("1,2,3", Some((1.0, ",2,3"))),
            ("1,234,567", Some((1234567.0, ""))),
            ("1,2345", Some((1.0, ",2345"))),
            ("1,234.5", Some((1234.5, ""))),
            (",5", None),
            ("件", None),
        ];
        for (s, want) in cases {
            assert_eq!(number_prefix(s), want, "{s}");
        }
    }

    #[test]
    fn rule_qualifier_suffix() {
        let cases = [
            ("分以内", (Some("以内"), "分")),
            ("億円以下", (Some("以下"), "億円")),
            ("件以上", (Some("以上"), "件")),
            ("人未満", (Some("未満"), "人")),
            ("件程度", (Some("程度"), "件")),
            ("件超", (Some("超"), "件")),
            ("件", (None, "件")),
        ];
        for (s, want) in cases {
            assert_eq!(qualifier_suffix(s), want, "{s}");
        }
    }

    #[test]
    fn rule_unit_word() {
        let units = Lexicon::builtin().units();
        let cases = [
            ("千円", Some("千円")),
            ("%", Some("%")),
            ("㎡", Some("㎡")),
            ("km", Some("km")),
            ("講座", Some("講座")),
            ("か所", Some("か所")),
            ("%増加", None),
            ("台→19台", None),
            ("GB", None),
        ];
        for (s, want) in cases {
            assert_eq!(unit_word(s, units), want, "{s}");
        }
    }

    #[test]
    fn units_in_labels() {
        let cases = [
            ("効果額（千円）", Some("千円")),
            ("効果額(千円)", Some("千円")),
            ("職員数削減（人）", Some("人")),
            ("単位：千円", Some("千円")),
            ("単位:百万円", Some("百万円")),
            ("（単位：百万円）", Some("百万円")),
            ("財政効果額 (単位：千円)", Some("千円")),
            ("件数[件]", Some("件")),
            ("削減率（％）", Some("％")),
            ("単位 件", Some("件")),
            ("目標（最終）", None),
            ("実績(R3)", None),
            ("効果額", None),
            ("単位", None),
            ("単位：", None),
            ("", None),
        ];
        for (label, want) in cases {
            assert_eq!(unit_in_label(label).as_deref(), want, "{label}");
        }
    }
}
