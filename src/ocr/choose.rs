//! The choice between two readings of a ruled page, cell by cell.
//!
//! A ruled page is read twice: as scanned, and with its rules painted out. Neither is better
//! everywhere: with the rules in place Tesseract's page segmentation runs the words of
//! neighbouring cells together; without them a lone short text (an item number) is sometimes
//! read as a letter. So each cell of the ruled grid takes the reading that scores better there,
//! where the score is not the confidence alone:
//!
//! - a word that reaches over the cell's ruling lines into the next cell is text run together
//!   across the grid, and costs its characters;
//! - a character OCR is known to produce from scan noise and lines (`|`, `[`, `^`, `©` …) costs
//!   as much;
//! - where the other cells of the same grid column agree on the shape of their text (digits,
//!   letters, `A-1` …), a reading that has that shape wins over one that has not.
//!
//! Words whose centre lies in no cell (titles, notes above and below the table) are kept from the
//! reading as scanned.

use super::cells::{Region, Skew};
use super::coverage::{unread_chars, with_unread};
use super::rules::{Gray, PixelRule};
use super::Word;

/// Line keys of the second reading's words start here.
const SECOND_LINE: u32 = 500_000;

/// Characters that in a Japanese report come from scan noise, ruling lines or a misread mark
/// rather than from the text.
pub fn is_noise_char(c: char) -> bool {
    matches!(
        c,
        '|' | '¦'
            | '['
            | ']'
            | '{'
            | '}'
            | '【'
            | '】'
            | '^'
            | '~'
            | '_'
            | '`'
            | '\\'
            | '«'
            | '»'
            | '©'
            | '®'
            | '™'
            | '§'
            | '¢'
            | '£'
            | '¥'
            | '$'
            | '@'
            | '#'
            | '&'
            | '%'
            | '*'
            | '<'
            | '>'
            | '='
            | '+'
    ) || ('①'..='⑳').contains(&c)
}

/// The cells of the ruled grid: rectangles between neighbouring horizontal rules and the
/// vertical rules that span them (deskewed pixels), the lines themselves excluded.
pub fn grid_cells(rules: &[PixelRule]) -> Vec<Region> {
    const TOL: f32 = 4.0;
    let hs: Vec<&PixelRule> = rules.iter().filter(|r| r.y0 == r.y1).collect();
    let vs: Vec<&PixelRule> = rules.iter().filter(|r| r.x0 == r.x1).collect();
    let mut ys: Vec<f32> = hs.iter().map(|r| r.y0).collect();
    ys.sort_by(f32::total_cmp);
    ys.dedup_by(|b, a| *b - *a <= TOL);
    let mut out = Vec::new();
    for (&ya, &yb) in ys.iter().zip(ys.iter().skip(1)) {
        if yb - ya < 2.0 * TOL {
            continue;
        }
        let mut xs: Vec<f32> = vs
            .iter()
            .filter(|r| r.y0 <= ya + TOL && r.y1 >= yb - TOL)
            .map(|r| r.x0)
            .collect();
        xs.sort_by(f32::total_cmp);
        xs.dedup_by(|b, a| *b - *a <= TOL);
        for (&xa, &xb) in xs.iter().zip(xs.iter().skip(1)) {
            // a cell is closed above and below by a horizontal rule over its width
            let closed = |y: f32| {
                hs.iter()
                    .any(|r| (r.y0 - y).abs() <= TOL && r.x0 <= xa + TOL && r.x1 >= xb - TOL)
            };
            if xb - xa >= 2.0 * TOL && closed(ya) && closed(yb) {
                out.push((xa, ya, xb, yb));
            }
        }
    }
    out
}

/// The shape of a short text: digits → `9`, Latin letters → `a`, other characters as they are
/// when ASCII punctuation, else `*`; runs of one kind written once. Texts longer than eight
/// characters have no shape (None): only short codes are compared.
pub fn shape(text: &str) -> Option<String> {
    let n = text.chars().count();
    if n == 0 || n > 8 {
        return None;
    }
    let mut out = String::new();
    for c in text.chars() {
        let k = match c {
            '0'..='9' | '０'..='９' => '9',
            'a'..='z' | 'A'..='Z' | 'ａ'..='ｚ' | 'Ａ'..='Ｚ' => 'a',
            c if c.is_ascii_punctuation() => c,
            _ => '*',
        };
        if !out.ends_with(k) || k != '9' && k != 'a' && k != '*' {
            out.push(k);
        }
    }
    Some(out)
}

/// How much a cell's reading is worth: its mean confidence over characters, less 100 points
/// for each character that is noise or that belongs to a word reaching past the cell's sides.
pub fn score(words: &[&Word], cell: Region, skew: Skew) -> f32 {
    let (mut sum, mut n) = (0.0f32, 0usize);
    let reach = |w: &Word| {
        let (x0, _) = skew.to_straight(w.left, w.top + w.height / 2.0);
        let (x1, _) = skew.to_straight(w.left + w.width, w.top + w.height / 2.0);
        let slack = 0.5 * w.height;
        x0 < cell.0 - slack || x1 > cell.2 + slack
    };
    for w in words {
        let over = reach(w);
        for c in w.text.chars() {
            let bad = over || is_noise_char(c);
            sum += w.conf.max(0.0) - if bad { 100.0 } else { 0.0 };
            n += 1;
        }
    }
    if n == 0 {
        -1000.0
    } else {
        sum / n as f32
    }
}

/// A word of several characters that runs from one cell of the grid over its right side into
/// the next, cut at that side: the characters whose estimated centre lies left of it stay, the
/// rest become a word of their own (and are cut again at the next side). Characters are placed
/// along the box by their printed widths (see [`super::coverage::widest`]). The parts keep the
/// word's line and confidence. Tesseract runs a line on across a ruling line; cut apart, the
/// parts are each one cell's reading.
pub fn cut_at_cell_sides(words: Vec<Word>, cells: &[Region], skew: Skew) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    let mut todo: Vec<Word> = words;
    todo.reverse();
    while let Some(w) = todo.pop() {
        let n = w.text.chars().count();
        let mid_y = w.top + w.height / 2.0;
        let (x0, y) = skew.to_straight(w.left, mid_y);
        let (x1, _) = skew.to_straight(w.left + w.width, mid_y);
        let slack = 0.5 * w.height;
        let weights: Vec<f32> = w
            .text
            .chars()
            .map(|c| super::coverage::widest(&c.to_string(), 1.0) - 0.2)
            .collect();
        let total: f32 = weights.iter().sum::<f32>().max(f32::EPSILON);
        let scale = (x1 - x0) / total;
        // the cell of the word's first character (its centre)
        let start = x0 + 0.5 * weights.first().copied().unwrap_or(0.0) * scale;
        let side = cells
            .iter()
            .find(|c| start >= c.0 && start < c.2 && y >= c.1 && y <= c.3)
            .map(|c| c.2)
            .filter(|&side| x1 > side + slack);
        let Some(side) = side.filter(|_| n >= 2) else {
            out.push(w);
            continue;
        };
        let mut at = x0;
        let mut keep = 0;
        for wt in &weights {
            if at + 0.5 * wt * scale >= side {
                break;
            }
            at += wt * scale;
            keep += 1;
        }
        if keep == 0 || keep >= n {
            out.push(w);
            continue;
        }
        let (head, tail): (String, String) = {
            let mut it = w.text.chars();
            let head: String = it.by_ref().take(keep).collect();
            (head, it.collect())
        };
        let cut = (at - x0) / (x1 - x0).max(f32::EPSILON) * w.width;
        let rest = Word {
            left: w.left + cut,
            width: (w.width - cut).max(1.0),
            text: tail,
            ..w.clone()
        };
        out.push(Word {
            width: cut.max(1.0),
            text: head,
            ..w
        });
        todo.push(rest);
    }
    out
}

/// `r` shrunk by `by` on every side.
pub fn inset(r: Region, by: f32) -> Region {
    (r.0 + by, r.1 + by, r.2 - by, r.3 - by)
}

fn joined(ws: &[&Word]) -> String {
    ws.iter().map(|w| w.text.as_str()).collect()
}

/// The words of two readings of one page, `first` (as scanned) and `second` (rules painted
/// out), put together cell by cell (see the module's description).
///
/// With `ink` (the page image and the text's height), a reading that leaves ink in the cell
/// unread is worth less (see [`super::coverage`]): a sure reading that skips characters loses
/// to a complete one.
pub fn per_cell(
    first: &[Word],
    second: &[Word],
    cells: &[Region],
    skew: Skew,
    ink: Option<(&Gray, f32)>,
) -> Vec<Word> {
    let cell_of = |w: &Word| -> Option<usize> {
        let (x, y) = skew.to_straight(w.left + w.width / 2.0, w.top + w.height / 2.0);
        cells
            .iter()
            .position(|c| x >= c.0 && x <= c.2 && y >= c.1 && y <= c.3)
    };
    let (first, second) = if super::rules::measure_knob("cutsides") {
        (
            cut_at_cell_sides(first.to_vec(), cells, skew),
            cut_at_cell_sides(second.to_vec(), cells, skew),
        )
    } else {
        (first.to_vec(), second.to_vec())
    };
    let mut a: Vec<Vec<&Word>> = vec![Vec::new(); cells.len()];
    let mut b: Vec<Vec<&Word>> = vec![Vec::new(); cells.len()];
    let mut out: Vec<Word> = Vec::new();
    for w in &first {
        match cell_of(w).and_then(|i| a.get_mut(i)) {
            Some(v) => v.push(w),
            None => out.push(w.clone()),
        }
    }
    // The second reading's lines are kept apart from the first's.
    let second: Vec<Word> = second
        .iter()
        .map(|w| Word {
            line: (w.line.0 + SECOND_LINE, w.line.1, w.line.2),
            ..w.clone()
        })
        .collect();
    for w in &second {
        if let Some(v) = cell_of(w).and_then(|i| b.get_mut(i)) {
            v.push(w);
        }
    }
    // First pass: the better score.
    let mut take_second: Vec<bool> = a
        .iter()
        .zip(&b)
        .zip(cells)
        .map(|((a, b), &c)| {
            if b.is_empty() {
                return false;
            }
            let (sa, sb) = (score(a, c, skew), score(b, c, skew));
            match ink {
                Some((g, text_h)) if joined(a) != joined(b) => {
                    let inner = inset(c, 0.2 * text_h);
                    let worth = |ws: &[&Word], s: f32| {
                        let n = ws.iter().map(|w| w.text.chars().count()).sum();
                        with_unread(s, n, unread_chars(g, inner, ws, skew, text_h))
                    };
                    worth(b, sb) > worth(a, sa)
                }
                _ => sb > sa,
            }
        })
        .collect();
    // Second pass: columns whose other cells agree on a shape.
    let chosen_shape = |i: usize, take: &[bool]| -> Option<String> {
        let ws = if take.get(i).copied().unwrap_or(false) {
            b.get(i)
        } else {
            a.get(i)
        };
        ws.and_then(|ws| shape(&joined(ws)))
    };
    let same_column = |i: usize, j: usize| match (cells.get(i), cells.get(j)) {
        (Some(ci), Some(cj)) => (ci.0 - cj.0).abs() <= 8.0 && (ci.2 - cj.2).abs() <= 8.0,
        _ => false,
    };
    let snapshot = take_second.clone();
    let empty: Vec<&Word> = Vec::new();
    for i in 0..cells.len() {
        let (ai, bi) = (a.get(i).unwrap_or(&empty), b.get(i).unwrap_or(&empty));
        let (sa, sb) = (shape(&joined(ai)), shape(&joined(bi)));
        if sa == sb || sa.is_none() && sb.is_none() {
            continue;
        }
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        let mut others = 0;
        for j in (0..cells.len()).filter(|&j| j != i && same_column(i, j)) {
            others += 1;
            if let Some(s) = chosen_shape(j, &snapshot) {
                *counts.entry(s).or_default() += 1;
            }
        }
        let Some((common, k)) = counts.into_iter().max_by_key(|(_, k)| *k) else {
            continue;
        };
        if k < 2 || 2 * k <= others {
            continue;
        }
        if let Some(t) = take_second.get_mut(i) {
            if sa.as_deref() == Some(common.as_str()) {
                *t = false;
            } else if sb.as_deref() == Some(common.as_str()) {
                *t = true;
            }
        }
    }
    for ((second, ai), bi) in take_second.into_iter().zip(&a).zip(&b) {
        let ws = if second { bi } else { ai };
        out.extend(ws.iter().map(|w| (*w).clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str, left: f32, top: f32, width: f32, conf: f32) -> Word {
        Word {
            line: (1, 1, 1),
            left,
            top,
            width,
            height: 20.0,
            conf,
            text: text.into(),
        }
    }

    fn r(x0: f32, y0: f32, x1: f32, y1: f32) -> PixelRule {
        PixelRule { x0, y0, x1, y1 }
    }

    const FLAT: Skew = Skew {
        slope: 0.0,
        centre: (0.0, 0.0),
    };

    #[test]
    fn noise_characters_table() {
        let cases = [
            ('|', true),
            ('【', true),
            ('©', true),
            ('⑳', true),
            ('行', false),
            ('3', false),
            ('■', false),
            ('(', false),
        ];
        for (c, want) in cases {
            assert_eq!(is_noise_char(c), want, "{c}");
        }
    }

    #[test]
    fn shapes_table() {
        let cases = [
            ("12", Some("9")),
            ("A-1", Some("a-9")),
            ("B-12", Some("a-9")),
            ("A", Some("a")),
            ("(ア)", Some("(*)")),
            ("３", Some("9")),
            ("", None),
            ("とても長い取組の名前です", None),
        ];
        for (t, want) in cases {
            assert_eq!(shape(t).as_deref(), want, "{t}");
        }
    }

    #[test]
    fn the_grid_gives_closed_cells() {
        // two rows of two cells; the second row's middle rule is missing
        let rules = vec![
            r(0.0, 0.0, 200.0, 0.0),
            r(0.0, 50.0, 200.0, 50.0),
            r(0.0, 100.0, 200.0, 100.0),
            r(0.0, 0.0, 0.0, 100.0),
            r(100.0, 0.0, 100.0, 50.0),
            r(200.0, 0.0, 200.0, 100.0),
        ];
        let got = grid_cells(&rules);
        assert_eq!(
            got,
            vec![
                (0.0, 0.0, 100.0, 50.0),
                (100.0, 0.0, 200.0, 50.0),
                (0.0, 50.0, 200.0, 100.0)
            ]
        );
    }

    #[test]
    fn scores_table() {
        let cell = (100.0, 0.0, 300.0, 50.0);
        let cases: [(&str, Vec<Word>, f32); 4] = [
            ("clean", vec![w("行政", 120.0, 10.0, 40.0, 90.0)], 90.0),
            // one of two characters is noise
            ("noise", vec![w("行|", 120.0, 10.0, 40.0, 90.0)], 40.0),
            // the word runs on into the next cell
            ("over", vec![w("行政", 120.0, 10.0, 260.0, 95.0)], -5.0),
            ("empty", vec![], -1000.0),
        ];
        for (name, words, want) in cases {
            let refs: Vec<&Word> = words.iter().collect();
            let got = score(&refs, cell, FLAT);
            assert!((got - want).abs() < 0.01, "{name}: {got}");
        }
    }

    #[test]
    fn each_cell_takes_the_better_reading() {
        let cells = vec![(0.0, 0.0, 100.0, 50.0), (100.0, 0.0, 300.0, 50.0)];
        // first reading: the title runs over into the next cell; second: clean but less sure
        let first = vec![
            w("1", 40.0, 10.0, 10.0, 95.0),
            w("窓口改革新規", 120.0, 10.0, 240.0, 93.0),
            w("表題", 10.0, -40.0, 40.0, 90.0),
        ];
        let second = vec![
            w("l", 40.0, 10.0, 10.0, 60.0),
            w("窓口改革", 120.0, 10.0, 80.0, 85.0),
            w("表題ちがい", 10.0, -40.0, 40.0, 99.0),
        ];
        let got: Vec<(String, f32)> = per_cell(&first, &second, &cells, FLAT, None)
            .into_iter()
            .map(|w| (w.text, w.conf))
            .collect();
        // The run-on word is cut at the cell's side: its part in the cell is the surer reading
        // there, and the part past the grid's edge stays as read, like the title above it.
        let want = [
            ("新規", 93.0),
            ("表題", 90.0),
            ("1", 95.0),
            ("窓口改革", 93.0),
        ];
        let want: Vec<(String, f32)> = want.iter().map(|(t, c)| (t.to_string(), *c)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn words_are_cut_at_the_cell_sides_they_run_over() {
        let cells = vec![
            (0.0, 0.0, 100.0, 50.0),
            (100.0, 0.0, 200.0, 50.0),
            (200.0, 0.0, 300.0, 50.0),
        ];
        let cut = |words: Vec<Word>| -> Vec<(String, f32, f32)> {
            cut_at_cell_sides(words, &cells, FLAT)
                .into_iter()
                .map(|w| (w.text, w.left.round(), w.width.round()))
                .collect()
        };
        let owned = |v: &[(&str, f32, f32)]| -> Vec<(String, f32, f32)> {
            v.iter().map(|(t, l, w)| (t.to_string(), *l, *w)).collect()
        };
        // four kanji of 40 pixels from 20: two in the first cell, two in the second
        assert_eq!(
            cut(vec![w("窓口改革", 20.0, 10.0, 160.0, 90.0)]),
            owned(&[("窓口", 20.0, 80.0), ("改革", 100.0, 80.0)])
        );
        // over two sides: three parts
        assert_eq!(
            cut(vec![w("一二三四五六", 40.0, 10.0, 240.0, 90.0)]),
            owned(&[
                ("一", 40.0, 40.0),
                ("二三四", 80.0, 120.0),
                ("五六", 200.0, 80.0)
            ])
        );
        // Latin letters are narrower: `AB` (0.6 each) and a kanji (1.0) over 88 pixels from 40
        // take 24, 24 and 40 pixels, so the kanji (centre 108) is past the side at 100 and the
        // cut comes after the letters
        assert_eq!(
            cut(vec![w("AB課", 40.0, 10.0, 88.0, 90.0)]),
            owned(&[("AB", 40.0, 48.0), ("課", 88.0, 40.0)])
        );
        // within its cell, or over the side by less than half its height: left whole
        assert_eq!(
            cut(vec![w("窓口", 120.0, 10.0, 60.0, 90.0)]),
            owned(&[("窓口", 120.0, 60.0)])
        );
        assert_eq!(
            cut(vec![w("窓口", 150.0, 10.0, 58.0, 90.0)]),
            owned(&[("窓口", 150.0, 58.0)])
        );
        // one character is never cut
        assert_eq!(
            cut(vec![w("窓", 80.0, 10.0, 40.0, 90.0)]),
            owned(&[("窓", 80.0, 40.0)])
        );
    }

    #[test]
    fn a_column_of_numbers_settles_a_misread_number() {
        // a column of four id cells: the second reading reads the third one as a letter with
        // more confidence, but the column's other cells are numbers
        let cells: Vec<Region> = (0..4)
            .map(|i| (0.0, 50.0 * i as f32, 60.0, 50.0 * (i + 1) as f32))
            .collect();
        let top = |i: usize| 50.0 * i as f32 + 15.0;
        let first: Vec<Word> = ["1", "2", "4", "5"]
            .iter()
            .enumerate()
            .map(|(i, t)| w(t, 20.0, top(i), 10.0, if i == 2 { 50.0 } else { 90.0 }))
            .collect();
        let second: Vec<Word> = ["1", "2", "A", "5"]
            .iter()
            .enumerate()
            .map(|(i, t)| w(t, 20.0, top(i), 10.0, 80.0))
            .collect();
        let got: Vec<String> = per_cell(&first, &second, &cells, FLAT, None)
            .into_iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(got, vec!["1", "2", "4", "5"]);
    }
}
