//! Japanese era years (和暦) → Western years, and quantities in cell text.

/// Western year of the first year of an era, by the era's names and letters.
const ERAS: &[(&[&str], i32)] = &[
    (&["令和", "R", "r"], 2019),
    (&["平成", "H", "h"], 1989),
    (&["昭和", "S", "s"], 1926),
];

/// Western year for an era name/letter and a year within it (`元` = 1). None when unknown.
pub fn western_year(era: &str, year: &str) -> Option<i32> {
    let base = ERAS
        .iter()
        .find(|(names, _)| names.contains(&era.trim()))?
        .1;
    let n: i32 = match year.trim() {
        "元" => 1,
        y => y.parse().ok()?,
    };
    if !(1..=99).contains(&n) {
        return None;
    }
    Some(base + n - 1)
}

/// The first era year written in a label, e.g. `実績（R2）` → 2020, `令和3年度` → 2021,
/// `平成元年度` → 1989. Bare era years and 年度 labels are fiscal years (the same number).
pub fn year_in_label(label: &str) -> Option<i32> {
    let chars: Vec<char> = label.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let (era, len) = match chars.get(i..).unwrap_or_default() {
            ['令', '和', ..] => ("令和", 2),
            ['平', '成', ..] => ("平成", 2),
            ['昭', '和', ..] => ("昭和", 2),
            [c @ ('R' | 'H' | 'S' | 'Ｒ' | 'Ｈ' | 'Ｓ'), ..]
                if i == 0 || !chars.get(i - 1).is_some_and(char::is_ascii_alphabetic) =>
            {
                let e = match c {
                    'R' | 'Ｒ' => "R",
                    'H' | 'Ｈ' => "H",
                    _ => "S",
                };
                (e, 1)
            }
            _ => {
                i += 1;
                continue;
            }
        };
        let mut j = i + len;
        while chars.get(j) == Some(&' ') {
            j += 1;
        }
        if chars.get(j) == Some(&'元') {
            return western_year(era, "元");
        }
        if let Some(n) = kanji_year(chars.get(j..).unwrap_or_default()) {
            return western_year(era, &n.to_string());
        }
        let digits: String = chars
            .get(j..)
            .unwrap_or_default()
            .iter()
            .map_while(|c| digit_value(*c))
            .filter_map(|d| char::from_digit(d, 10))
            .collect();
        if !digits.is_empty() && digits.len() <= 2 {
            // A following digit-dot-digit is a date (R2.6.1); still the year R2.
            return western_year(era, &digits);
        }
        i += len;
    }
    None
}

/// A year within an era written in kanji numerals and followed by 年 (`二十九年度` → 29,
/// `十年` → 10, `三年` → 3); 1–99 only.
fn kanji_year(chars: &[char]) -> Option<u32> {
    let digit = |c: &char| {
        "一二三四五六七八九"
            .chars()
            .position(|d| d == *c)
            .map(|p| p as u32 + 1)
    };
    let len = chars
        .iter()
        .take_while(|c| digit(c).is_some() || **c == '十')
        .count();
    if len == 0 || chars.get(len) != Some(&'年') {
        return None;
    }
    let run = chars.get(..len)?;
    let n = match run {
        ['十'] => 10,
        [d] => digit(d)?,
        ['十', u] => 10 + digit(u)?,
        [t, '十'] => 10 * digit(t)?,
        [t, '十', u] => 10 * digit(t)? + digit(u)?,
        _ => return None,
    };
    Some(n)
}

/// The first Western year written as a year (`2024年度`, `2024年`), for a title that names no era
/// year; 1900–2099 only, so that counts (`1200件`) are never taken for years.
pub fn western_year_in(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let run: Vec<u32> = chars
            .get(i..)
            .unwrap_or_default()
            .iter()
            .map_while(|c| digit_value(*c))
            .collect();
        if run.is_empty() {
            i += 1;
            continue;
        }
        // a run is read whole, so four digits here are the whole number
        if run.len() == 4 && chars.get(i + 4) == Some(&'年') {
            let y = run.iter().fold(0, |a, d| a * 10 + *d as i32);
            if (1900..2100).contains(&y) {
                return Some(y);
            }
        }
        i += run.len();
    }
    None
}

/// The value of an ASCII or full-width decimal digit.
fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// The single quantity a cell holds, or None when it holds none or several.
///
/// Parenthesised remarks (`(R2.6.1現在)`, `(職員の約10%)`) are not counted; `万`/`億` after a number
/// multiply it (`60万人` → 600000); thousands separators are dropped.
pub fn single_quantity(text: &str) -> Option<f64> {
    let mut outside = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    let chars: Vec<char> = outside.chars().collect();
    let mut found: Option<f64> = None;
    let mut i = 0;
    while i < chars.len() {
        let Some(&c) = chars.get(i) else { break };
        if !c.is_ascii_digit() {
            i += 1;
            continue;
        }
        let negative = i > 0
            && matches!(chars.get(i - 1), Some('-' | '▲' | '△' | '−'))
            && !(i > 1 && chars.get(i - 2).is_some_and(char::is_ascii_digit));
        let mut s = String::new();
        let mut j = i;
        while j < chars.len() {
            let Some(&d) = chars.get(j) else { break };
            if d.is_ascii_digit() {
                s.push(d);
            } else if d == ',' && chars.get(j + 1).is_some_and(|n| n.is_ascii_digit()) {
            } else if d == '.'
                && chars.get(j + 1).is_some_and(|n| n.is_ascii_digit())
                && !s.contains('.')
            {
                s.push('.');
            } else {
                break;
            }
            j += 1;
        }
        let mut v: f64 = s.parse().ok()?;
        match chars.get(j) {
            Some('万') => {
                v *= 1e4;
                j += 1;
            }
            Some('億') => {
                v *= 1e8;
                j += 1;
            }
            _ => {}
        }
        if negative {
            v = -v;
        }
        if found.is_some() {
            return None;
        }
        found = Some(v);
        i = j;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn era_years() {
        let cases = [
            ("令和", "2", Some(2020)),
            ("R", "3", Some(2021)),
            ("令和", "元", Some(2019)),
            ("平成", "31", Some(2019)),
            ("H", "元", Some(1989)),
            ("昭和", "64", Some(1989)),
            ("大正", "3", None),
            ("R", "x", None),
            ("R", "0", None),
        ];
        for (era, y, want) in cases {
            assert_eq!(western_year(era, y), want, "{era}{y}");
        }
    }

    #[test]
    fn years_in_labels() {
        let cases = [
            ("実績（R2）", Some(2020)),
            ("実績 (R2)", Some(2020)),
            ("目標（R5）", Some(2023)),
            ("令和3年度", Some(2021)),
            ("平成元年度", Some(1989)),
            ("H30", Some(2018)),
            ("目標（最終）", None),
            ("目標", None),
            ("R3期末報告書", Some(2021)),
            ("RPA", None),
            ("QR3", None),
            ("平成二十九年度実施状況報告書", Some(2017)),
            ("令和三年度", Some(2021)),
            ("平成十年度", Some(1998)),
            ("平成十二年度", Some(2000)),
            ("平成三十年度", Some(2018)),
            ("令和五年", Some(2023)),
            ("平成二十九", None),
            ("平成十十年度", None),
            ("昭和一二年度", None),
        ];
        for (label, want) in cases {
            assert_eq!(year_in_label(label), want, "{label}");
        }
    }

    #[test]
    fn quantities() {
        let cases = [
            ("20", Some(20.0)),
            ("949,451,676 (R2.6.1現在)", Some(949451676.0)),
            ("854,506,508 (10%縮減)", Some(854506508.0)),
            ("60万人", Some(600000.0)),
            ("18.0%", Some(18.0)),
            ("50 (職員の約10%)", Some(50.0)),
            ("件数 7,004 人数 163,295", None),
            ("5%増 63万人", None),
            ("7～8月実施", None),
            ("—", None),
            ("検討", None),
            ("R7までに1 R9までに2", None),
            ("-3", Some(-3.0)),
            ("1.5億円", Some(150000000.0)),
        ];
        for (text, want) in cases {
            assert_eq!(single_quantity(text), want, "{text}");
        }
    }
}
