//! Kanji that share their shape with a katakana.
//!
//! Several kanji are drawn exactly like a katakana: 口 and ロ, 工 and エ, 力 and カ, 二 and ニ,
//! 八 and ハ, 夕 and タ, 一 and ー. Tesseract's Japanese model reads them by shape and often
//! gives the katakana (`窓口` comes back `窓ロ`, `協力` `協カ`). Which one a line holds is told
//! by the script around it: katakana is written in runs (loanwords, names), so one of these
//! characters standing right after a kanji, with no katakana on either side, belongs to the
//! kanji run it stands in; so does one that ends a common word (`窓口`, `協力`) even before a
//! katakana word. A character at the start of a run (`エ` as a list marker, `ロ` after an
//! opening bracket) or after a digit (`3カ所`, `12カ月`: a counter) is left as read, and so
//! is `カ` after a numeral or a word asking for a count (`数カ所`, `何カ月`).

use super::OcrChar;

/// The kanji a katakana of the same shape stands for.
fn kanji_for(c: char) -> Option<char> {
    Some(match c {
        'ロ' => '口',
        'エ' => '工',
        'カ' => '力',
        'ニ' => '二',
        'ハ' => '八',
        'タ' => '夕',
        'ー' => '一',
        _ => return None,
    })
}

fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー' | 'ヽ' | 'ヾ' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}')
}

pub(super) fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々' | '\u{F900}'..='\u{FAFF}')
}

/// Common words whose last kanji is drawn like a katakana: before a katakana word they are still
/// read as the word (a katakana word rarely starts with that letter right after these kanji).
const COMPOUNDS: [&str; 24] = [
    "窓口", "人口", "出口", "入口", "河口", "蛇口", "間口", "糸口", "港口", "協力", "努力", "能力",
    "電力", "魅力", "活力", "労力", "加工", "人工", "施工", "着工", "竣工", "商工", "統一", "第二",
];

/// True when `word` ends with the two characters `a` and `b`.
fn ends_pair(word: &str, a: char, b: char) -> bool {
    let mut rev = word.chars().rev();
    rev.next() == Some(b) && rev.next() == Some(a)
}

/// Words that a counter written `カ` follows: numerals and the words asking for a number.
fn takes_counter(c: char) -> bool {
    c.is_numeric() || "一二三四五六七八九十百千万数何各幾".contains(c)
}

/// The reading of `c` given the characters right before and after it in its run of text
/// (`None` at a run's edge): the kanji when `c` is a katakana drawn like one and its
/// neighbours are not katakana, the character itself otherwise.
pub fn in_context(before: Option<char>, c: char, after: Option<char>) -> char {
    let Some(k) = kanji_for(c) else {
        return c;
    };
    let Some(b) = before else {
        return c;
    };
    if !is_kanji(b) {
        return c;
    }
    // A common word ending in the kanji stays that word before a katakana one
    // (`窓ロキャッシュレス` is `窓口` and `キャッシュレス`).
    if after.is_some_and(is_katakana) && !COMPOUNDS.iter().any(|w| ends_pair(w, b, k)) {
        return c;
    }
    if c == 'カ' && takes_counter(b) {
        return c;
    }
    k
}

/// Sets right the characters of one text line, in reading order: two characters are neighbours
/// when the gap between them is less than half the larger one's size (farther apart they are in
/// different runs or cells).
pub fn set_line(chars: &mut [OcrChar]) {
    let single = |s: &str| {
        let mut it = s.chars();
        match (it.next(), it.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        }
    };
    // decided from the characters as read, so that a change never feeds the next one
    let read: Vec<(Option<char>, f32, f32, f32)> = chars
        .iter()
        .map(|c| (single(&c.text), c.x, c.w, c.size))
        .collect();
    let near = |a: &(Option<char>, f32, f32, f32), b: &(Option<char>, f32, f32, f32)| {
        b.1 - (a.1 + a.2) < 0.5 * a.3.max(b.3)
    };
    for (i, ch) in chars.iter_mut().enumerate() {
        let Some(me) = read.get(i) else { continue };
        let Some(c) = me.0 else { continue };
        if kanji_for(c).is_none() {
            continue;
        }
        let before = i
            .checked_sub(1)
            .and_then(|j| read.get(j))
            .filter(|p| near(p, me))
            .and_then(|p| p.0);
        let after = read.get(i + 1).filter(|n| near(me, n)).and_then(|n| n.0);
        let r = in_context(before, c, after);
        if r != c {
            ch.text = r.to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_context_table() {
        let cases = [
            // after a kanji, no katakana beside: the kanji
            (Some('窓'), 'ロ', Some('受'), '口'),
            (Some('窓'), 'ロ', Some('の'), '口'),
            (Some('窓'), 'ロ', None, '口'),
            (Some('協'), 'カ', Some('し'), '力'),
            (Some('加'), 'エ', None, '工'),
            (Some('統'), 'ー', Some('的'), '一'),
            (Some('第'), 'ニ', Some('期'), '二'),
            (Some('七'), 'タ', None, '夕'),
            (Some('尺'), 'ハ', Some('寸'), '八'),
            // katakana beside it: a katakana word, unless the kanji before makes a common word
            (Some('新'), 'ロ', Some('ボ'), 'ロ'),
            (Some('窓'), 'ロ', Some('キ'), '口'),
            (Some('電'), 'カ', Some('メ'), '力'),
            (Some('窓'), 'ー', Some('ル'), 'ー'),
            // at a run's start, or after kana, a bracket, a digit or Latin: as read
            (None, 'エ', Some('情'), 'エ'),
            (Some('('), 'エ', Some(')'), 'エ'),
            (Some('の'), 'ロ', Some('座'), 'ロ'),
            (Some('3'), 'カ', Some('所'), 'カ'),
            (Some('A'), 'ー', Some('1'), 'ー'),
            // a counter after a numeral or a word asking for a number
            (Some('数'), 'カ', Some('所'), 'カ'),
            (Some('十'), 'カ', Some('月'), 'カ'),
            (Some('何'), 'カ', Some('年'), 'カ'),
            // other characters are never changed
            (Some('窓'), 'ア', None, 'ア'),
            (Some('窓'), '口', None, '口'),
        ];
        for (before, c, after, want) in cases {
            assert_eq!(
                in_context(before, c, after),
                want,
                "{before:?} {c} {after:?}"
            );
        }
    }

    #[test]
    fn set_line_table() {
        // (text, gap before each character in sizes of 10) -> text after
        let cases: [(&[(&str, f32)], &str); 5] = [
            (&[("窓", 0.0), ("ロ", 0.0), ("受", 0.0)], "窓口受"),
            // the katakana is a cell of its own: far from the kanji
            (&[("課", 0.0), ("エ", 20.0), ("事", 0.0)], "課エ事"),
            // a katakana word right after a kanji
            (
                &[
                    ("新", 0.0),
                    ("ロ", 0.0),
                    ("ボ", 0.0),
                    ("ッ", 0.0),
                    ("ト", 0.0),
                ],
                "新ロボット",
            ),
            // decided from the characters as read: `ーー` after a kanji is not one run of kanji
            (&[("表", 0.0), ("ー", 0.0), ("ー", 0.0)], "表ーー"),
            // a word of several characters is no neighbour
            (&[("AB", 0.0), ("ロ", 0.0)], "ABロ"),
        ];
        for (line, want) in cases {
            let mut x = 0.0;
            let mut chars: Vec<OcrChar> = line
                .iter()
                .map(|(t, gap)| {
                    x += gap;
                    let c = OcrChar {
                        text: t.to_string(),
                        x,
                        w: 10.0,
                        y: 0.0,
                        size: 10.0,
                    };
                    x += 10.0;
                    c
                })
                .collect();
            set_line(&mut chars);
            let got: String = chars.iter().map(|c| c.text.as_str()).collect();
            assert_eq!(got, want);
        }
    }
}
