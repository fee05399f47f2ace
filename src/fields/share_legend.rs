//! A legend of grades by the share of the work done: each grade after the range of percentages it
//! covers (`80%以上：A　60%以上80%未満：B　40%未満：D`), for reports that print each item's
//! progress as a percentage (often behind a bar of `■□`) and leave the grade to the reader.

use super::legend::{clean_heading, Legend, LegendEntry, MAX_HEADING_CHARS};

/// The percentages a range covers: a lower bound (inclusive or not) and an upper bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShareRange {
    /// The lower bound and whether it is included (`以上`) or not (`超`).
    pub low: Option<(f64, bool)>,
    /// The upper bound and whether it is included (`以下`) or not (`未満`).
    pub high: Option<(f64, bool)>,
}

impl ShareRange {
    /// Whether a percentage falls in the range.
    pub fn contains(&self, p: f64) -> bool {
        self.low
            .is_none_or(|(lo, inc)| if inc { p >= lo } else { p > lo })
            && self
                .high
                .is_none_or(|(hi, inc)| if inc { p <= hi } else { p < hi })
    }
}

/// The longest word before a range's first figure (`進捗率80%以上`, `達成率100%`).
const MAX_RANGE_PREFIX_CHARS: usize = 6;

/// A range of percentages as written: `80%以上`, `60%以上80%未満`, `40%未満`, `100%超`,
/// `進捗率50%以下`; None for anything else (a grade's meaning in words, a bare `80%`).
pub fn share_range(text: &str) -> Option<ShareRange> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.replace('％', "%");
    let start = t.find(|c: char| c.is_ascii_digit())?;
    let prefix = t.get(..start)?;
    if prefix.chars().count() > MAX_RANGE_PREFIX_CHARS
        || prefix.chars().any(|c| c.is_ascii_digit() || c == '%')
    {
        return None;
    }
    let mut rest = t.get(start..)?;
    let mut range = ShareRange {
        low: None,
        high: None,
    };
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let value: f64 = rest.get(..digits)?.parse().ok()?;
        rest = rest.get(digits..)?.strip_prefix('%')?;
        let (bound, len) = [
            ("以上", (true, true)),
            ("超", (true, false)),
            ("未満", (false, false)),
            ("以下", (false, true)),
        ]
        .into_iter()
        .find_map(|(w, b)| rest.starts_with(w).then_some((b, w.len())))?;
        let slot = if bound.0 {
            &mut range.low
        } else {
            &mut range.high
        };
        if slot.is_some() {
            return None;
        }
        *slot = Some((value, bound.1));
        rest = rest.get(len..)?;
        // `60%以上80%未満`, `60%以上～80%未満`: one more bound may follow.
        rest = rest.trim_start_matches(['～', '~', '〜', '・', '、']);
    }
    Some(range)
}

/// Whether a grade is short and plain: up to three letters, digits or marks (`A`, `Ⅱ`, `◎`).
fn is_grade(text: &str) -> bool {
    let n = text.chars().count();
    (1..=3).contains(&n)
        && text
            .chars()
            .all(|c| c.is_alphanumeric() && !is_kana_or_kanji(c) || "◎○◯●△▲×★☆".contains(c))
}

fn is_kana_or_kanji(c: char) -> bool {
    ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// A legend line of ranges and grades (`80%以上:A 60%以上80%未満:B 40%未満:C`), already
/// character-normalised: each grade's meaning is its range as written. Words before the first
/// entry are the heading; two entries at least, every word after the heading an entry.
pub fn share_legend(line: &str) -> Option<Legend> {
    // Every entry's range holds a percent sign.
    if !line.contains(['%', '％']) {
        return None;
    }
    let mut heading: Vec<&str> = vec![];
    let mut entries: Vec<LegendEntry> = vec![];
    for word in line.split_whitespace() {
        let entry = word
            .rsplit_once([':', '：', '=', '＝'])
            .filter(|(range, grade)| is_grade(grade) && share_range(range).is_some());
        match entry {
            Some((range, grade)) => entries.push(LegendEntry {
                text: grade.to_string(),
                meaning: range.to_string(),
            }),
            None if entries.is_empty() => heading.push(word),
            None => return None,
        }
    }
    let heading = heading.join(" ");
    if entries.len() < 2 || heading.chars().count() > MAX_HEADING_CHARS {
        return None;
    }
    Some(Legend {
        heading: clean_heading(&heading),
        entries,
    })
}

/// A percentage standing for an item's progress: the figure alone or after a bar of filled and
/// empty squares (`■■■■■■□□□□　60%`, `75％`); None for a sentence or other text.
pub fn progress_share(text: &str) -> Option<f64> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_start_matches(['■', '□', '▮', '▯', '◼', '◻', '█', '░']);
    let num = t.strip_suffix(['%', '％'])?;
    if num.is_empty() || !num.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    num.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bound as compared in tests: the figure and whether it is included.
    type Bound = Option<(f64, bool)>;

    #[test]
    fn ranges_of_percentages() {
        let cases: [(&str, Option<(Bound, Bound)>); 9] = [
            ("80%以上", Some((Some((80.0, true)), None))),
            (
                "60%以上80%未満",
                Some((Some((60.0, true)), Some((80.0, false)))),
            ),
            ("40％未満", Some((None, Some((40.0, false))))),
            ("100%超", Some((Some((100.0, false)), None))),
            ("進捗率50%以下", Some((None, Some((50.0, true))))),
            (
                "60%以上～80%未満",
                Some((Some((60.0, true)), Some((80.0, false)))),
            ),
            ("80%", None),
            ("計画どおり", None),
            ("80%以上90%以上", None),
        ];
        for (text, want) in cases {
            assert_eq!(share_range(text).map(|r| (r.low, r.high)), want, "{text}");
        }
        let r = share_range("60%以上80%未満").expect("range");
        assert!(r.contains(60.0) && r.contains(79.9) && !r.contains(80.0) && !r.contains(59.0));
    }

    #[test]
    fn legends_of_ranges() {
        type Want<'a> = Option<(Option<&'a str>, &'a [(&'a str, &'a str)])>;
        let cases: [(&str, Want); 5] = [
            (
                "80%以上:A 60%以上80%未満:B 40%以上60%未満:C 40%未満:D",
                Some((
                    None,
                    &[
                        ("A", "80%以上"),
                        ("B", "60%以上80%未満"),
                        ("C", "40%以上60%未満"),
                        ("D", "40%未満"),
                    ],
                )),
            ),
            (
                "評価の区分 100%以上:◎ 50%以上100%未満:○ 50%未満:△",
                Some((
                    Some("評価の区分"),
                    &[
                        ("◎", "100%以上"),
                        ("○", "50%以上100%未満"),
                        ("△", "50%未満"),
                    ],
                )),
            ),
            // Grades in words with their meaning are another legend's shape.
            ("A:計画どおり B:遅れ", None),
            // One entry is no legend.
            ("80%以上:A", None),
            // A sentence after the entries.
            ("80%以上:A 40%未満:B とする。", None),
        ];
        for (line, want) in cases {
            let got = share_legend(line);
            let got = got.as_ref().map(|l| {
                (
                    l.heading.as_deref(),
                    l.entries
                        .iter()
                        .map(|e| (e.text.as_str(), e.meaning.as_str()))
                        .collect::<Vec<_>>(),
                )
            });
            assert_eq!(got, want.map(|(h, e)| (h, e.to_vec())), "{line}");
        }
    }

    #[test]
    fn progress_as_a_share() {
        for (text, want) in [
            ("■■■■■■□□□□　60%", Some(60.0)),
            ("■■■■■■■■■■ 100％", Some(100.0)),
            ("75%", Some(75.0)),
            ("進捗は75%", None),
            ("■■■□□", None),
            ("%", None),
        ] {
            assert_eq!(progress_share(text), want, "{text}");
        }
    }
}
