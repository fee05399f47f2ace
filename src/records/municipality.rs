//! The municipality a report speaks of: named in its title, else the name its text repeats most.

use super::line::Line;
use std::collections::HashMap;

/// Unicode's Han script (`\p{Han}`), as ranges in order: what the name pattern
/// `\p{Han}{1,4}?[市町村]` was written with. Looked up by hand, since compiling that pattern cost
/// more than half a millisecond a process; a unit test keeps the table equal to the regex crate's.
const HAN: [(char, char); 22] = [
    ('\u{2E80}', '\u{2E99}'),
    ('\u{2E9B}', '\u{2EF3}'),
    ('\u{2F00}', '\u{2FD5}'),
    ('\u{3005}', '\u{3005}'),
    ('\u{3007}', '\u{3007}'),
    ('\u{3021}', '\u{3029}'),
    ('\u{3038}', '\u{303B}'),
    ('\u{3400}', '\u{4DBF}'),
    ('\u{4E00}', '\u{9FFF}'),
    ('\u{F900}', '\u{FA6D}'),
    ('\u{FA70}', '\u{FAD9}'),
    ('\u{16FE2}', '\u{16FE3}'),
    ('\u{16FF0}', '\u{16FF1}'),
    ('\u{20000}', '\u{2A6DF}'),
    ('\u{2A700}', '\u{2B739}'),
    ('\u{2B740}', '\u{2B81D}'),
    ('\u{2B820}', '\u{2CEA1}'),
    ('\u{2CEB0}', '\u{2EBE0}'),
    ('\u{2EBF0}', '\u{2EE5D}'),
    ('\u{2F800}', '\u{2FA1D}'),
    ('\u{30000}', '\u{3134A}'),
    ('\u{31350}', '\u{323AF}'),
];

fn is_han(c: char) -> bool {
    // The common ideographs first; the rest by a binary search.
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
        || (c >= '\u{2E80}'
            && HAN
                .binary_search_by(|(lo, hi)| {
                    if *hi < c {
                        std::cmp::Ordering::Less
                    } else if *lo > c {
                        std::cmp::Ordering::Greater
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .is_ok())
}

/// The matches of `\p{Han}{1,4}?[市町村]` in `text`, as the regex crate finds them: each the
/// leftmost from where the last ended, the fewest kanji before the suffix: (start, match).
fn name_matches(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut from = 0;
    std::iter::from_fn(move || {
        let rest = text.get(from..)?;
        for (s, c) in rest.char_indices() {
            if !is_han(c) {
                continue;
            }
            // Up to four kanji from `s`, each followed by a suffix or not.
            for (run, (i, ch)) in rest.get(s..)?.char_indices().enumerate() {
                if run > 0 && SUFFIXES.contains(&ch) {
                    let start = from + s;
                    let end = start + i + ch.len_utf8();
                    from = end;
                    return text.get(start..end).map(|m| (start, m));
                }
                if run == 4 || !is_han(ch) {
                    break;
                }
            }
        }
        from = text.len();
        None
    })
}

const SUFFIXES: [char; 3] = ['市', '町', '村'];

/// Words ending in 市/町/村 that name no municipality (`他市`, `県内`, `政令市` …).
const NOT_NAMES: &[&str] = &[
    "他", "各", "本", "当", "全", "同", "近隣", "県内", "市", "他市", "都", "区", "町", "村",
    "中核", "政令", "指定", "県", "府",
];

/// Municipality names in `text`, skipping a match right after a kanji (the tail of a longer word).
pub fn names(text: &str) -> impl Iterator<Item = &str> {
    // Every name ends with a suffix: a text without one is not searched.
    text.contains(SUFFIXES)
        .then(|| name_matches(text))
        .into_iter()
        .flatten()
        .filter_map(move |(at, m)| {
            let before = text.get(..at).and_then(|t| t.chars().next_back());
            if before.is_some_and(|b| ('\u{4E00}'..='\u{9FFF}').contains(&b)) {
                return None;
            }
            // `令和5年度雁金市`: the 年度 of a year before the name is not part of it.
            let mut name = m;
            if before.is_some_and(|b| b.is_ascii_digit() || ('０'..='９').contains(&b)) {
                name = name
                    .strip_prefix("年度")
                    .or_else(|| name.strip_prefix('年'))
                    .unwrap_or(name);
            }
            (name.chars().count() >= 2).then_some(name)
        })
}

/// Is a match of [`names`] a municipality's name, not a word like `他市`, `県内市` or `政令市`?
pub fn is_name(name: &str) -> bool {
    let stem = name.trim_end_matches(SUFFIXES);
    !stem.is_empty() && !NOT_NAMES.iter().any(|n| stem.ends_with(n) || stem == *n)
}

/// Endings of the bodies that issue a report besides offices: a committee or council
/// (`花水木市行政改革推進委員会`).
const BODIES: [&str; 4] = ["委員会", "審議会", "協議会", "懇談会"];

/// A line that is the issuing office (`椎名町総務部企画課`) or body (`…行政改革推進委員会`), or the
/// municipality's name alone: the name it gives.
pub fn office_name(line: &str) -> Option<&str> {
    let t = line.trim();
    let name = names(t).find(|n| is_name(n))?;
    let rest = t.get(t.find(name)? + name.len()..)?.trim();
    let office = rest.is_empty()
        || rest.ends_with(['課', '部', '室', '局', '係'])
        || BODIES.iter().any(|b| rest.ends_with(b));
    (office && rest.chars().count() <= 20).then_some(name)
}

/// The most frequent municipality name of the lines, if it clearly dominates (named at least
/// twice, and at least twice as often as the next).
pub fn dominant(lines: &[Line]) -> Option<String> {
    // One search over all candidate cells (a line break between cells) costs far less than a
    // search per cell.
    let mut all = String::new();
    for c in lines
        .iter()
        .flat_map(|l| l.cells.iter())
        .filter(|c| c.contains(SUFFIXES))
    {
        all.push_str(c);
        all.push('\n');
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for name in names(&all) {
        if !is_name(name) {
            continue;
        }
        let e = counts.entry(name).or_insert(0);
        if *e == 0 {
            order.push(name);
        }
        *e += 1;
    }
    let mut ranked: Vec<(&str, usize)> = order
        .iter()
        .map(|n| (*n, counts.get(n).copied().unwrap_or(0)))
        .collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
    match ranked.as_slice() {
        [(n, c), rest @ ..] if *c >= 2 && rest.first().is_none_or(|(_, r)| *c >= 2 * r) => {
            Some((*n).to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// The table is the regex crate's `\p{Han}`, character for character.
    #[test]
    fn han_is_the_regex_crates_han() {
        let re = Regex::new(r"^\p{Han}$").unwrap();
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_han(c), re.is_match(c.encode_utf8(&mut buf)), "{c:?}");
        }
    }

    /// The matches found by hand are the pattern's: on written cases and on every text of up to
    /// five characters from a small alphabet of kanji, suffixes, kana, digits and spaces.
    #[test]
    fn name_matches_are_the_patterns() {
        let re = Regex::new(r"\p{Han}{1,4}?[市町村]").unwrap();
        let check = |t: &str| {
            let want: Vec<(usize, &str)> =
                re.find_iter(t).map(|m| (m.start(), m.as_str())).collect();
            assert_eq!(name_matches(t).collect::<Vec<_>>(), want, "{t}");
        };
        for t in [
            "",
            "市",
            "市町村",
            "関市と岐阜市",
            "政令指定都市",
            "県内市町村",
            "令和5年度雁金市行財政改革",
            "あいう市",
            "一二三四五市",
            "一二三四市市",
            "々市〇町",
            "𠀀市",
            "豈村",
        ] {
            check(t);
        }
        let alphabet = ["市", "町", "村", "関", "岐", "々", "の", "1", " ", "𠀀"];
        crate::records::each_short_text(&alphabet, 5, check);
    }

    /// Only a text holding 市, 町 or 村 is searched: the names of any other are none, as the
    /// pattern finds none in it.
    #[test]
    fn texts_without_a_suffix_have_no_names() {
        let re = Regex::new(r"(?P<name>\p{Han}{1,4}?[市町村])").unwrap();
        for (t, want) in [
            ("磐野市行政改革推進計画", vec!["磐野市"]),
            ("椎名町と雁金村", vec!["椎名町", "雁金村"]),
            ("行政改革推進計画", vec![]),
            ("県内", vec![]),
            ("", vec![]),
        ] {
            assert_eq!(names(t).collect::<Vec<_>>(), want, "{t}");
            if !t.contains(SUFFIXES) {
                assert!(!re.is_match(t), "{t}");
            }
        }
    }

    fn lines(cells: &[&str]) -> Vec<Line> {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| Line {
                line: i as u32 + 1,
                page: None,
                cells: vec![c.to_string()],
            })
            .collect()
    }

    #[test]
    fn issuing_offices_and_bodies() {
        let cases = [
            ("椎名町総務部企画課", Some("椎名町")),
            ("花水木市行政改革推進委員会", Some("花水木市")),
            ("桜淵市行財政改革審議会", Some("桜淵市")),
            ("桜淵市", Some("桜淵市")),
            ("桜淵市行財政改革推進計画", None),
            (
                "桜淵市行政改革推進委員会の意見を踏まえ、計画を見直した",
                None,
            ),
        ];
        for (line, want) in cases {
            assert_eq!(office_name(line), want, "{line}");
        }
    }

    #[test]
    fn names_skip_the_tail_of_longer_words() {
        let cases: [(&str, &[&str]); 6] = [
            ("桜淵市行政改革", &["桜淵市"]),
            ("令和5年度雁金市行財政改革", &["雁金市"]),
            ("2024年鳩崎村", &["鳩崎村"]),
            ("関市と岐阜市", &["関市", "岐阜市"]),
            ("政令指定都市", &[]),
            ("", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(names(text).collect::<Vec<_>>(), want, "{text}");
        }
    }

    #[test]
    fn words_ending_in_a_suffix_are_not_all_names() {
        for (name, want) in [
            ("桜淵市", true),
            ("他市", false),
            ("県内市", false),
            ("市", false),
        ] {
            assert_eq!(is_name(name), want, "{name}");
        }
    }

    #[test]
    fn the_dominant_name_must_be_repeated_and_clearly_ahead() {
        let cases: [(&[&str], Option<&str>); 4] = [
            (&["霞野市の計画", "霞野市役所", "他市の例"], Some("霞野市")),
            (&["霞野市の計画"], None),
            (&["霞野市", "霞野市", "桜淵市", "桜淵市"], None),
            (&["県内市町村", "近隣市"], None),
        ];
        for (cells, want) in cases {
            assert_eq!(dominant(&lines(cells)).as_deref(), want, "{cells:?}");
        }
    }
}
