//! A digit `1` that the image shows as a plain bar beside capital letters is the letter `I`.
//!
//! Tesseract's Japanese model reads the capital `I` of an acronym (`AI`, `IT`, `ICT`) as the
//! digit `1` when it stands alone in its box. In the sans-serif faces of reports a `1` has a flag
//! at its top (and often a foot): its ink is at least a third as wide as tall. A capital `I` is a
//! plain bar, a fifth as wide as tall or less. So a word `1` next to a word ending or starting in
//! a capital (on the same line, no wider gap than half the text's height) whose ink is such a bar
//! is `I`. A bar `1` among digits or kanji (`第1回`) is left as it is: nothing says it is a letter.

use super::rules::Gray;
use super::Word;

/// The bar's width at most this share of its height.
const BAR_SHARE: f32 = 0.2;

/// The widest run of inked columns in a word's box between rows `y0..y1` (its neighbour's text
/// row: the box of a lone `1` often reaches over a rule), as (width, ink height) in pixels: the
/// glyph itself, not the edge of a neighbour the box reaches over.
fn glyph_shape(w: &Word, (y0, y1): (i64, i64), g: &Gray) -> Option<(usize, usize)> {
    let (x0, x1) = (w.left.floor() as i64, (w.left + w.width).ceil() as i64);
    let ink_in = |x: i64| (y0..y1).filter(|&y| g.dark(x, y)).count();
    let mut best: Option<(i64, i64, usize)> = None;
    let mut run: Option<(i64, usize)> = None;
    for x in x0..=x1 {
        let n = if x < x1 { ink_in(x) } else { 0 };
        match (n > 0, run) {
            (true, None) => run = Some((x, n)),
            (true, Some((s, t))) => run = Some((s, t + n)),
            (false, Some((s, t))) => {
                if best.is_none_or(|(_, _, bt)| t > bt) {
                    best = Some((s, x, t));
                }
                run = None;
            }
            (false, None) => {}
        }
    }
    let (s, e, _) = best?;
    let rows: Vec<i64> = (y0..y1).filter(|&y| (s..e).any(|x| g.dark(x, y))).collect();
    let height = match (rows.first(), rows.last()) {
        (Some(a), Some(b)) => (b - a + 1) as usize,
        _ => 0,
    };
    Some(((e - s) as usize, height))
}

/// Whether a glyph of this (width, height) is a plain bar.
fn is_bar((width, height): (usize, usize)) -> bool {
    height >= 6 && width as f32 <= BAR_SHARE * height as f32
}

/// Words `1` that stand beside a capital letter and are a plain bar in the image become `I`.
pub fn bars_beside_capitals(words: &mut [Word], g: &Gray) {
    let capital_beside = |w: &Word| {
        let gap = 0.5 * w.height.max(1.0);
        words.iter().find(|o| {
            if o.line != w.line || std::ptr::eq(*o, w) {
                return false;
            }
            let before = (w.left - (o.left + o.width)).abs() <= gap
                && o.text
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_uppercase());
            let after = (o.left - (w.left + w.width)).abs() <= gap
                && o.text
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_uppercase());
            before || after
        })
    };
    let found: Vec<usize> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.text == "1")
        .filter(|(_, w)| {
            capital_beside(w).is_some_and(|o| {
                let rows = (o.top.floor() as i64, (o.top + o.height).ceil() as i64);
                glyph_shape(w, rows, g).is_some_and(is_bar)
            })
        })
        .map(|(i, _)| i)
        .collect();
    for i in found {
        if let Some(w) = words.get_mut(i) {
            w.text = "I".into();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, left: f32, width: f32) -> Word {
        Word {
            line: (1, 1, 1),
            left,
            top: 12.0,
            width,
            height: 17.0,
            conf: 50.0,
            text: text.into(),
        }
    }

    /// A black rectangle (x, y, w, h).
    type Block = (usize, usize, usize, usize);

    /// A page with black rectangles.
    fn page(blocks: &[Block]) -> Gray {
        let (w, h) = (200, 40);
        let mut pixels = vec![255u8; w * h];
        for &(bx, by, bw, bh) in blocks {
            for y in by..by + bh {
                for x in bx..bx + bw {
                    pixels[y * w + x] = 0;
                }
            }
        }
        Gray {
            width: w,
            height: h,
            pixels,
        }
    }

    #[test]
    fn bars_beside_capitals_table() {
        // an `A` at 10..24 (a block), the glyph read `1` boxed at 30..44
        let a = (10, 12, 14, 17);
        let bar = (33, 12, 2, 17);
        // a `1` with its flag to the left at the top and a foot
        let flag = (29, 12, 4, 3);
        let foot = (29, 27, 10, 2);
        // a neighbour's edge inside the box
        let edge = (43, 15, 2, 10);
        let cases: [(&str, Vec<Block>, &str, &str); 7] = [
            ("a bar after a capital", vec![a, bar], "A", "I"),
            ("a bar and a neighbour's edge", vec![a, bar, edge], "A", "I"),
            // a rule across the box above the text row
            ("a bar under a rule", vec![a, bar, (0, 7, 200, 1)], "A", "I"),
            ("a flagged one", vec![a, bar, flag, foot], "A", "1"),
            ("a bar after a kanji", vec![a, bar], "第", "1"),
            ("a bar after a digit", vec![a, bar], "R4", "1"),
            ("a bar after a small letter", vec![a, bar], "No", "1"),
        ];
        for (name, blocks, before, want) in cases {
            let g = page(&blocks);
            let mut words = vec![word(before, 10.0, 14.0), word("1", 30.0, 14.0)];
            // the box of the `1` reaches over the text row, as Tesseract's often does
            words[1].top = 5.0;
            words[1].height = 30.0;
            bars_beside_capitals(&mut words, &g);
            assert_eq!(words[1].text, want, "{name}");
        }
    }

    #[test]
    fn a_bar_before_a_capital_is_a_letter() {
        let g = page(&[(13, 12, 2, 17), (30, 12, 14, 17)]);
        let mut words = vec![word("1", 10.0, 14.0), word("T", 30.0, 14.0)];
        words[0].top = 5.0;
        words[0].height = 30.0;
        bars_beside_capitals(&mut words, &g);
        assert_eq!(words[0].text, "I");
    }
}
