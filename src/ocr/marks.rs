//! Evaluation marks (○ ◎ △ ▲) read from their outline in the image.
//!
//! Tesseract's Japanese model reads these marks as letters and signs of similar outline (`O`,
//! `〇`, `©`, `(⑳)`, `A`, `ム` …), and a rating column of them comes out as noise. A glyph of a
//! word that is about as wide as tall and as tall as the text is looked at in the image:
//!
//! - a ring (paper in its four corners and in its middle, the middle row and column crossing ink
//!   twice) is ○, two rings one in the other (four crossings) ◎;
//! - a shape narrow at the top and closed by a full-width line at the bottom is △ when the middle
//!   row crosses ink twice, ▲ when it is filled.
//!
//! A word of one such glyph becomes the mark; in a longer word the character in the glyph's slot
//! is replaced when it is not a kana or kanji (a mark is never read as those by mistake here:
//! their outlines do not pass these tests).

use super::cells::Skew;
use super::rules::Gray;
use super::Word;

/// The mark a glyph's ink shows, if any. `ink(x, y)` for x in 0..w, y in 0..h is the glyph's
/// box (tight around its ink).
pub fn classify(w: usize, h: usize, ink: impl Fn(usize, usize) -> bool) -> Option<char> {
    if w < 10 || h < 10 {
        return None;
    }
    let aspect = w as f32 / h as f32;
    if !(0.75..=1.33).contains(&aspect) {
        return None;
    }
    let crossings = |n: usize, at: &dyn Fn(usize) -> bool| -> usize {
        // runs of ink, gaps of one pixel bridged
        let mut count = 0;
        let mut i = 0;
        while i < n {
            if at(i) {
                count += 1;
                while i < n && (at(i) || (i + 1 < n && at(i + 1))) {
                    i += 1;
                }
            }
            i += 1;
        }
        count
    };
    let row = |y: usize| crossings(w, &|x| ink(x, y));
    let col = |x: usize| crossings(h, &|y| ink(x, y));
    let extent = |y: usize| -> usize {
        let xs: Vec<usize> = (0..w).filter(|&x| ink(x, y)).collect();
        match (xs.first(), xs.last()) {
            (Some(a), Some(b)) => b - a + 1,
            _ => 0,
        }
    };
    let area_ink = |x0: usize, y0: usize, x1: usize, y1: usize| -> f32 {
        let total = ((x1 - x0) * (y1 - y0)).max(1);
        let n = (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .filter(|&(x, y)| ink(x, y))
            .count();
        n as f32 / total as f32
    };
    let (cw, ch) = ((w / 5).max(2), (h / 5).max(2));
    let corners_paper = [(0, 0), (w - cw, 0), (0, h - ch), (w - cw, h - ch)]
        .iter()
        .all(|&(x, y)| area_ink(x, y, x + cw, y + ch) < 0.15);
    let (mx, my) = (w / 2, h / 2);
    // The middle row and column: the most common count over the three central lines.
    let mid = |f: &dyn Fn(usize) -> usize, m: usize| -> usize {
        let mut v = [f(m.saturating_sub(1)), f(m), f(m + 1)];
        v.sort_unstable();
        v[1]
    };
    let (mid_row, mid_col) = (mid(&row, my), mid(&col, mx));
    // A triangle: narrow near the top, a full-width line at the bottom.
    let top_narrow = (h / 10..h / 4).all(|y| extent(y) as f32 <= 0.5 * w as f32);
    let bottom_full = (h - h / 8..h).any(|y| row(y) == 1 && extent(y) as f32 >= 0.8 * w as f32);
    if top_narrow && bottom_full {
        // a hollow triangle has paper inside, below its middle: the 王 under the roof of 全
        // (also narrow at the top, with a full-width base) has strokes there
        let inside = (
            mx.saturating_sub(w / 8),
            h / 2,
            (mx + w / 8 + 1).min(w),
            h * 4 / 5,
        );
        let hollow = inside.0 < inside.2 && area_ink(inside.0, inside.1, inside.2, inside.3) < 0.1;
        return match mid_row {
            2 if hollow => Some('△'),
            1 if extent(my) as f32 >= 0.35 * w as f32 && area_ink(0, 0, w, h) >= 0.35 => Some('▲'),
            _ => None,
        };
    }
    if !corners_paper || top_narrow {
        return None;
    }
    match (mid_row, mid_col) {
        (2, 2) if !ink(mx, my) => Some('○'),
        (4, 4) => Some('◎'),
        _ => None,
    }
}

/// Glyphs of a word: runs of image columns with ink inside the word's box, each with the rows
/// its ink spans: (x0, x1, y0, y1), ends exclusive.
fn glyphs(w: &Word, g: &Gray) -> Vec<(i64, i64, i64, i64)> {
    let (x0, y0) = (w.left.floor() as i64 - 2, w.top.floor() as i64 - 2);
    let (x1, y1) = (
        (w.left + w.width).ceil() as i64 + 2,
        (w.top + w.height).ceil() as i64 + 2,
    );
    // a column or row counts when it has two dark pixels (single specks are scan noise)
    let col_ink = |x: i64| (y0..y1).filter(|&y| g.dark(x, y)).count() >= 2;
    let mut out = Vec::new();
    let mut x = x0;
    while x < x1 {
        if !col_ink(x) {
            x += 1;
            continue;
        }
        let start = x;
        while x < x1 && col_ink(x) {
            x += 1;
        }
        let rows: Vec<i64> = (y0..y1)
            .filter(|&y| (start..x).filter(|&xx| g.dark(xx, y)).count() >= 2)
            .collect();
        if let (Some(&a), Some(&b)) = (rows.first(), rows.last()) {
            out.push((start, x, a, b + 1));
        }
    }
    out
}

/// The mark shown by the largest piece of connected ink (8 neighbours) that has pixels in the
/// word's box, when that piece is about the text's height, no larger than a character (a piece
/// reaching further is a ruling line or characters run together) and makes up most of the word.
/// The piece's box is classified with all its ink, so the inner ring of ◎ counts.
fn connected_mark(w: &Word, g: &Gray, text_height: f32) -> Option<char> {
    let (x0, y0) = (w.left.floor() as i64, w.top.floor() as i64);
    let (x1, y1) = (
        (w.left + w.width).ceil() as i64,
        (w.top + w.height).ceil() as i64,
    );
    if x1 <= x0 || y1 <= y0 || text_height < 8.0 {
        return None;
    }
    let max_side = (1.6 * text_height).ceil() as i64;
    // the window the flood may reach: the box widened by the largest side a mark may have
    let (wx0, wy0, wx1, wy1) = (x0 - max_side, y0 - max_side, x1 + max_side, y1 + max_side);
    let ww = (wx1 - wx0) as usize;
    let mut seen = vec![false; ww * (wy1 - wy0) as usize];
    let idx = |x: i64, y: i64| (y - wy0) as usize * ww + (x - wx0) as usize;
    // (pixels, box) of the largest piece
    let mut best: Option<(usize, (i64, i64, i64, i64))> = None;
    for sy in y0..y1 {
        for sx in x0..x1 {
            if !g.dark(sx, sy) || seen.get(idx(sx, sy)).copied().unwrap_or(true) {
                continue;
            }
            let mut stack = vec![(sx, sy)];
            if let Some(s) = seen.get_mut(idx(sx, sy)) {
                *s = true;
            }
            let (mut bx0, mut by0, mut bx1, mut by1) = (sx, sy, sx, sy);
            let mut count = 0usize;
            let mut too_big = false;
            while let Some((x, y)) = stack.pop() {
                count += 1;
                bx0 = bx0.min(x);
                by0 = by0.min(y);
                bx1 = bx1.max(x);
                by1 = by1.max(y);
                if bx1 - bx0 >= max_side || by1 - by0 >= max_side {
                    too_big = true;
                }
                for (dx, dy) in [
                    (-1, -1),
                    (0, -1),
                    (1, -1),
                    (-1, 0),
                    (1, 0),
                    (-1, 1),
                    (0, 1),
                    (1, 1),
                ] {
                    let (nx, ny) = (x + dx, y + dy);
                    if nx < wx0 || ny < wy0 || nx >= wx1 || ny >= wy1 || !g.dark(nx, ny) {
                        continue;
                    }
                    if let Some(s) = seen.get_mut(idx(nx, ny)) {
                        if !*s {
                            *s = true;
                            stack.push((nx, ny));
                        }
                    }
                }
            }
            if !too_big && best.is_none_or(|(n, _)| count > n) {
                best = Some((count, (bx0, by0, bx1 + 1, by1 + 1)));
            }
        }
    }
    let (_, (bx0, by0, bx1, by1)) = best?;
    let (bw, bh) = (bx1 - bx0, by1 - by0);
    if (bh as f32) < 0.75 * text_height || (w.width) > 2.0 * bw as f32 {
        return None;
    }
    classify(bw as usize, bh as usize, |x, y| {
        g.dark(bx0 + x as i64, by0 + y as i64)
    })
}

/// Whether a reading gives way to the mark `m` the ink shows. A kana or kanji does only to a
/// triangle (`内` read for △): a small round kana (`や`, `と`) can pass the ring tests, but no
/// kana or kanji has a triangle's full-width base under a narrow top.
fn gives_way(text: &str, m: char) -> bool {
    text.chars().all(may_be_a_mark) || matches!(m, '△' | '▲')
}

/// Is `c` a character OCR gives for a mark: anything but kana and kanji (the long-vowel bar `ー`,
/// a piece of a ring read as a stroke, is no letter here).
fn may_be_a_mark(c: char) -> bool {
    !matches!(c, '\u{3041}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}') || matches!(c, '〇' | 'ー')
}

/// Put marks in place of what OCR read for them (see the module's description). `text_height`
/// is the height of the page's text in pixels: a glyph smaller than three quarters of it is no
/// mark (a lower-case `o` is round too).
pub fn mark_symbols(words: &mut [Word], g: &Gray, text_height: f32) {
    for w in words.iter_mut() {
        let n = w.text.chars().count();
        if n == 0 || n > 24 {
            continue;
        }
        let found: Vec<((i64, i64, i64, i64), char)> = glyphs(w, g)
            .into_iter()
            .filter(|&(_, _, y0, y1)| (y1 - y0) as f32 >= 0.75 * text_height)
            .filter_map(|b| {
                let (x0, x1, y0, y1) = b;
                let (bw, bh) = ((x1 - x0) as usize, (y1 - y0) as usize);
                classify(bw, bh, |x, y| g.dark(x0 + x as i64, y0 + y as i64)).map(|m| (b, m))
            })
            .collect();
        if found.is_empty() {
            // A short word whose glyphs did not show a mark: the mark may reach past the box
            // Tesseract drew (part of it read as `ー` or `I`), or be split by a pale column
            // into two glyphs. The ink connected to what lies in the box is looked at whole.
            if n <= 3 && (n == 1 || w.text.chars().all(may_be_a_mark)) {
                if let Some(m) = connected_mark(w, g, text_height) {
                    if gives_way(&w.text, m) {
                        w.text = m.to_string();
                    }
                }
            }
            continue;
        }
        if glyphs(w, g).len() == 1 {
            if let Some((_, m)) = found.first() {
                if (n == 1 && gives_way(&w.text, *m)) || w.text.chars().all(may_be_a_mark) {
                    w.text = m.to_string();
                }
            }
            continue;
        }
        let cw = w.width / n as f32;
        let mut chars: Vec<char> = w.text.chars().collect();
        for ((x0, x1, _, _), m) in found {
            let centre = (x0 + x1) as f32 / 2.0;
            let idx = ((centre - w.left) / cw).floor().max(0.0) as usize;
            // a letter beside another letter is part of a Latin word (`No.`)
            let latin = |i: Option<usize>| {
                i.and_then(|i| chars.get(i))
                    .is_some_and(|c| c.is_ascii_alphabetic())
            };
            let in_word = latin(idx.checked_sub(1)) || latin(idx.checked_add(1));
            if let Some(c) = chars.get_mut(idx) {
                if may_be_a_mark(*c) && !c.is_ascii_digit() && !(c.is_ascii_alphabetic() && in_word)
                {
                    *c = m;
                }
            }
        }
        w.text = chars.into_iter().collect();
    }
}

/// Line keys of marks found in cells OCR left empty start here.
const CELL_MARK_LINE: u32 = 2_000_000;

/// A mark standing alone in a ruled cell that OCR left empty (Tesseract gives no word at all
/// for some rings): the ink of `region` (deskewed pixels, see [`Skew`]) is cut out along the
/// skew, trimmed to its box and classified; when it is one mark about the text's height, a word
/// of that mark is made there (`index` keeps its line apart from the others).
pub fn mark_in_cell(
    g: &Gray,
    region: (f32, f32, f32, f32),
    skew: Skew,
    text_height: f32,
    index: usize,
) -> Option<Word> {
    let (x0, y0, x1, y1) = region;
    let (w, h) = ((x1 - x0).floor() as usize, (y1 - y0).floor() as usize);
    if w == 0 || h == 0 || text_height < 8.0 || w * h > 4_000_000 {
        return None;
    }
    let ink: Vec<bool> = (0..h)
        .flat_map(|y| (0..w).map(move |x| (x, y)))
        .map(|(x, y)| {
            let (ix, iy) = skew.to_image(x0 + x as f32, y0 + y as f32);
            g.dark(ix.round() as i64, iy.round() as i64)
        })
        .collect();
    let at = |x: usize, y: usize| ink.get(y * w + x).copied().unwrap_or(false);
    // rows and columns with two or more dark pixels (a lone speck is scan noise)
    let rows: Vec<usize> = (0..h)
        .filter(|&y| (0..w).filter(|&x| at(x, y)).count() >= 2)
        .collect();
    let cols: Vec<usize> = (0..w)
        .filter(|&x| (0..h).filter(|&y| at(x, y)).count() >= 2)
        .collect();
    let (&ty0, &ty1, &tx0, &tx1) = (rows.first()?, rows.last()?, cols.first()?, cols.last()?);
    let (bw, bh) = (tx1 + 1 - tx0, ty1 + 1 - ty0);
    let side = bw.max(bh) as f32;
    if side < 0.75 * text_height || side > 1.6 * text_height {
        return None;
    }
    let m = classify(bw, bh, |x, y| at(tx0 + x, ty0 + y))?;
    let (left, top) = skew.to_image(x0 + tx0 as f32, y0 + ty0 as f32);
    Some(Word {
        line: (CELL_MARK_LINE + index as u32, 1, 1),
        left,
        top,
        width: bw as f32,
        height: bh as f32,
        // no reading to be sure of: the outline alone
        conf: 50.0,
        text: m.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows of pixels, true for ink.
    type Glyph = Vec<Vec<bool>>;

    /// A glyph drawn by a predicate on (x, y) in a `size`×`size` box.
    fn draw(size: usize, f: impl Fn(f32, f32) -> bool) -> Glyph {
        (0..size)
            .map(|y| (0..size).map(|x| f(x as f32, y as f32)).collect())
            .collect()
    }

    fn ring(cx: f32, cy: f32, r: f32, t: f32) -> impl Fn(f32, f32) -> bool {
        move |x, y| {
            let d = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt();
            (d - r).abs() <= t
        }
    }

    /// A white page `w`×`h` with a ring of radius 14 drawn at `centre`.
    fn ring_page(w: usize, h: usize, centre: (f32, f32)) -> Gray {
        let f = ring(centre.0, centre.1, 14.0, 1.2);
        let mut g = Gray {
            width: w,
            height: h,
            pixels: vec![255; w * h],
        };
        for y in 0..h {
            for x in 0..w {
                if f(x as f32, y as f32) {
                    g.pixels[y * w + x] = 0;
                }
            }
        }
        g
    }

    fn class(glyph: &[Vec<bool>]) -> Option<char> {
        let h = glyph.len();
        let w = glyph[0].len();
        classify(w, h, |x, y| glyph[y][x])
    }

    #[test]
    fn marks_by_outline_table() {
        let n = 31usize;
        let c = 15.0;
        let outer = ring(c, c, 14.0, 1.2);
        let inner = ring(c, c, 7.0, 1.2);
        // a triangle, apex at the top, base at the bottom: half-width grows with y
        let in_tri = |x: f32, y: f32, pad: f32| {
            let half = (y / 30.0) * 15.0 - pad;
            (x - c).abs() <= half && y <= 30.0 - pad && y >= 2.0 * pad
        };
        let cases: Vec<(&str, Glyph, Option<char>)> = vec![
            ("ring", draw(n, &outer), Some('○')),
            (
                "double ring",
                draw(n, |x, y| outer(x, y) || inner(x, y)),
                Some('◎'),
            ),
            (
                "hollow triangle",
                draw(n, |x, y| in_tri(x, y, 0.0) && !in_tri(x, y, 2.5)),
                Some('△'),
            ),
            (
                "filled triangle",
                draw(n, |x, y| in_tri(x, y, 0.0)),
                Some('▲'),
            ),
            // 全: a roof over 王, strokes inside the shape
            (
                "roof over strokes",
                draw(n, |x, y| {
                    let roof = y <= 15.0 && ((x - c).abs() - y).abs() <= 1.5;
                    let bars = [17.0, 23.0, 29.0]
                        .iter()
                        .any(|&b| (y - b).abs() <= 1.0 && (x - c).abs() <= 14.0);
                    let stem = y >= 17.0 && (x - c).abs() <= 1.0;
                    roof || bars || stem
                }),
                None,
            ),
            // a square outline (口): its corners are ink
            (
                "square",
                draw(n, |x, y| x <= 2.0 || y <= 2.0 || x >= 28.0 || y >= 28.0),
                None,
            ),
            // a filled disc crosses once
            (
                "disc",
                draw(n, |x, y| ((x - c).powi(2) + (y - c).powi(2)).sqrt() <= 14.0),
                None,
            ),
            // the letter A: two feet, no base line
            (
                "letter A",
                draw(n, |x, y| {
                    let half = (y / 30.0) * 15.0;
                    ((x - c).abs() - half).abs() <= 1.5
                        || (y - 20.0).abs() <= 1.0 && (x - c).abs() <= half
                }),
                None,
            ),
            // a narrow ring (the digit 0) is not a mark
            (
                "narrow",
                draw(n, |x, y| {
                    let d = (((x - c) / 0.55).powi(2) + (y - c).powi(2)).sqrt();
                    (d - 14.0).abs() <= 1.5
                }),
                None,
            ),
        ];
        for (name, glyph, want) in cases {
            // trim to the ink's box, as the page's glyphs are
            let rows: Vec<usize> = (0..glyph.len())
                .filter(|&y| glyph[y].iter().any(|&b| b))
                .collect();
            let cols: Vec<usize> = (0..glyph[0].len())
                .filter(|&x| glyph.iter().any(|r| r[x]))
                .collect();
            let (y0, y1, x0, x1) = (
                rows[0],
                *rows.last().unwrap(),
                cols[0],
                *cols.last().unwrap(),
            );
            let tight: Vec<Vec<bool>> =
                glyph[y0..=y1].iter().map(|r| r[x0..=x1].to_vec()).collect();
            assert_eq!(class(&tight), want, "{name}");
        }
    }

    #[test]
    fn a_mark_alone_in_an_empty_cell_becomes_a_word() {
        // a ring 29 px across centred at (55, 35) on a page of 120×70
        let g = ring_page(120, 70, (55.0, 35.0));
        let straight = Skew {
            slope: 0.0,
            centre: (60.0, 35.0),
        };
        // (cell, text height) → the word's text and box (left, top, width, height)
        // (cell, text height, the mark's text and box)
        type Case<'a> = ((f32, f32, f32, f32), f32, Option<(&'a str, [i32; 4])>);
        let cases: [Case; 4] = [
            (
                (30.0, 10.0, 90.0, 62.0),
                30.0,
                Some(("○", [40, 20, 31, 31])),
            ),
            // the ring is a small letter beside text twice as tall
            ((30.0, 10.0, 90.0, 62.0), 60.0, None),
            // a cell with no ink
            ((90.0, 10.0, 118.0, 62.0), 30.0, None),
            // half a ring is no mark
            ((30.0, 10.0, 55.0, 62.0), 30.0, None),
        ];
        for (cell, text_h, want) in cases {
            let got = mark_in_cell(&g, cell, straight, text_h, 3).map(|m| {
                let b = [m.left, m.top, m.width, m.height].map(|v| v.round() as i32);
                (m.text, b, m.line.0)
            });
            let want = want.map(|(t, b)| (t.to_string(), b, CELL_MARK_LINE + 3));
            assert_eq!(got, want, "{cell:?} {text_h}");
        }
    }

    #[test]
    fn a_word_read_for_a_mark_becomes_the_mark() {
        // a ring 30 px wide at x 20..51, y 10..41 on a page; the word read there is "(⑳)"
        let mut g = ring_page(120, 60, (35.0, 25.0));
        let word = |text: &str| Word {
            line: (1, 1, 1),
            left: 19.0,
            top: 9.0,
            width: 34.0,
            height: 33.0,
            conf: 40.0,
            text: text.into(),
        };
        let mut words = vec![word("(⑳)"), word("回"), word("や")];
        mark_symbols(&mut words, &g, 30.0);
        assert_eq!(words[0].text, "○");
        // a kana or kanji reading gives way to a triangle only
        assert_eq!(words[1].text, "回");
        assert_eq!(words[2].text, "や");
        let cases = [
            ("内", '△', true),
            ("内", '○', false),
            ("O", '○', true),
            ("ム", '▲', true),
        ];
        for (text, m, want) in cases {
            assert_eq!(gives_way(text, m), want, "{text} {m}");
        }
        // a box over only part of the ring (read as `ー`): the connected ink is looked at
        let mut words = vec![
            Word {
                width: 12.0,
                ..word("ー")
            },
            Word {
                left: 60.0,
                width: 12.0,
                ..word("ー")
            },
        ];
        mark_symbols(&mut words, &g, 30.0);
        assert_eq!(words[0].text, "○");
        // no ink there: left as read
        assert_eq!(words[1].text, "ー");
        // a ring half as tall as the text is a letter
        let mut words = vec![word("o")];
        mark_symbols(&mut words, &g, 60.0);
        assert_eq!(words[0].text, "o");
        // the ring as the second letter of a Latin word stays a letter
        let mut words = vec![Word {
            left: 0.0,
            width: 70.0,
            ..word("No.")
        }];
        for y in 12..40 {
            for x in [2usize, 3, 14, 15] {
                g.pixels[y * g.width + x] = 0;
            }
        }
        mark_symbols(&mut words, &g, 30.0);
        assert_eq!(words[0].text, "No.");
    }
}
