//! Blocks of text on a page with no ruled grid, found from the paper between them.
//!
//! An unruled table's columns stand apart only by white space. Tesseract's page segmentation runs
//! a text line on across such a column gap when the rows of the cells beside it sit half a line
//! lower (a department's two lines centred beside a three-line title), and then misses
//! characters on both sides, or a lone item number. The page is cut into blocks the way a reader
//! sees them (recursive cuts along white space, deskewed):
//!
//! - a block two or more text lines tall is parted at its widest vertical gutter through all of
//!   its height, when at least [`GUTTER`] text heights wide (a column gap: within one line, word
//!   spacing is left alone);
//! - otherwise at every horizontal band of paper (between rows);
//! - until neither cuts.
//!
//! Only blocks in a column (parted from a neighbour by a column gap, or cut from such a block)
//! are kept: text running across the page is what Tesseract's own segmentation reads well.
//!
//! The blocks then take the place of ruled cells in [`super::coverage::reread_blocks`]: a block
//! whose reading leaves ink unread, or that holds ink and no word, is cut out, read on its own,
//! and the new reading kept where it is worth more.

use super::cells::{Region, Skew};
use super::rules::Gray;

/// The narrowest vertical gutter (× the text height) that parts a block of several lines.
pub const GUTTER: f32 = 0.4;

/// The most blocks a page is cut into: a page past it (a dense chart, noise) gets none, and its
/// reading stays as Tesseract gave it.
const MAX_BLOCKS: usize = 2_000;

/// Ink of the page along its skew: a pixel of `g` darker than mid-gray with at least two dark
/// neighbours (speckle is not ink), sampled at each deskewed pixel.
struct Ink {
    width: usize,
    height: usize,
    bits: Vec<bool>,
}

impl Ink {
    fn of(g: &Gray, skew: Skew) -> Ink {
        let (width, height) = (g.width, g.height);
        let solid: Vec<bool> = (0..height * width)
            .map(|i| g.is_ink((i % width) as i64, (i / width) as i64))
            .collect();
        let bits = (0..height * width)
            .map(|i| {
                let (x, y) = ((i % width) as f32, (i / width) as f32);
                let (ix, iy) = skew.to_image(x, y);
                let (ix, iy) = (ix.round(), iy.round());
                ix >= 0.0
                    && iy >= 0.0
                    && (ix as usize) < width
                    && solid
                        .get(iy as usize * width + ix as usize)
                        .copied()
                        .unwrap_or(false)
            })
            .collect();
        Ink {
            width,
            height,
            bits,
        }
    }

    fn at(&self, x: usize, y: usize) -> bool {
        x < self.width && self.bits.get(y * self.width + x).copied().unwrap_or(false)
    }
}

/// Runs of paper in a profile (counts of ink per pixel row or column): a count of at most two
/// pixels is paper (a speck left by the filter, a stroke's tip). Each run as (start, end), at
/// least `min` long and with ink on both sides.
fn paper_runs(profile: &[usize], min: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut seen_ink = false;
    for (i, &n) in profile.iter().enumerate() {
        if n <= 2 {
            if seen_ink && start.is_none() {
                start = Some(i);
            }
        } else {
            if let Some(s) = start.take() {
                if i - s >= min.max(1) {
                    out.push((s, i));
                }
            }
            seen_ink = true;
        }
    }
    out
}

/// The first and last places of a profile holding ink (more than the two pixels
/// [`paper_runs`] takes for paper), or None when it is all paper.
fn inked(profile: &[usize]) -> Option<(usize, usize)> {
    Some((
        profile.iter().position(|&n| n > 2)?,
        profile.iter().rposition(|&n| n > 2)?,
    ))
}

/// The blocks of the page (deskewed), for text `text_height` pixels tall.
pub fn blocks(g: &Gray, skew: Skew, text_height: f32) -> Vec<Region> {
    if text_height < 4.0 || g.width == 0 || g.height == 0 {
        return Vec::new();
    }
    let ink = Ink::of(g, skew);
    let found = cut(&ink, text_height);
    widen(&found, 0.5 * text_height, (ink.width, ink.height))
}

/// A block's ink box in deskewed pixels (x0, y0, x1, y1), ends exclusive.
type InkBox = (usize, usize, usize, usize);

/// The recursive cuts over an ink map: the ink box of each block that lies in a column (a column
/// gap parted it, or the block it was cut from, from a neighbour). Text running across the page
/// with no column beside it is left to the page's own reading, which reads it well.
fn cut(ink: &Ink, h: f32) -> Vec<InkBox> {
    let gutter = (GUTTER * h).round().max(2.0) as usize;
    let band = (0.07 * h).round().max(2.0) as usize;
    let mut out: Vec<InkBox> = Vec::new();
    // (box, whether a column gap parted it from a neighbour)
    let mut todo: Vec<(InkBox, bool)> = vec![((0, 0, ink.width, ink.height), false)];
    while let Some(((x0, y0, x1, y1), in_column)) = todo.pop() {
        if out.len() + todo.len() >= MAX_BLOCKS {
            return Vec::new();
        }
        let rows: Vec<usize> = (y0..y1)
            .map(|y| (x0..x1).filter(|&x| ink.at(x, y)).count())
            .collect();
        let Some((top, bottom)) = inked(&rows) else {
            continue;
        };
        let (y0, y1) = (y0 + top, y0 + bottom + 1);
        let cols: Vec<usize> = (x0..x1)
            .map(|x| (y0..y1).filter(|&y| ink.at(x, y)).count())
            .collect();
        let Some((left, right)) = inked(&cols) else {
            continue;
        };
        let (x0, x1) = (x0 + left, x0 + right + 1);
        let total: usize = cols.iter().sum();
        if total < 25 {
            continue;
        }
        let cols = cols.get(left..=right).unwrap_or_default();
        if (y1 - y0) as f32 >= 1.8 * h {
            // The widest gutter only: the two sides are trimmed and looked at again, so a word
            // space of a one-line side that the other side's lines happen to leave open is not
            // taken for a column gap.
            let widest = paper_runs(cols, gutter)
                .into_iter()
                .rev()
                .max_by_key(|(a, b)| b - a);
            if let Some((a, b)) = widest {
                let mid = x0 + (a + b) / 2;
                todo.push(((x0, y0, mid, y1), true));
                todo.push(((mid, y0, x1, y1), true));
                continue;
            }
        }
        let rows = rows.get(top..=bottom).unwrap_or_default();
        let gaps = paper_runs(rows, band);
        if !gaps.is_empty() {
            let mut edges = vec![y0];
            edges.extend(gaps.iter().map(|(a, b)| y0 + (a + b) / 2));
            edges.push(y1);
            todo.extend(edges.windows(2).filter_map(|w| match w {
                [a, b] => Some(((x0, *a, x1, *b), in_column)),
                _ => None,
            }));
            continue;
        }
        if in_column {
            out.push((x0, y0, x1, y1));
        }
    }
    out
}

/// Each block widened into the paper around it by up to `pad`, and no further than halfway to
/// its nearest neighbour on that side; sorted top to bottom, left to right.
fn widen(found: &[InkBox], pad: f32, (width, height): (usize, usize)) -> Vec<Region> {
    let out: Vec<Region> = found
        .iter()
        .map(|&(x0, y0, x1, y1)| (x0 as f32, y0 as f32, x1 as f32, y1 as f32))
        .collect();
    let pad = pad.max(2.0);
    let mut widened: Vec<Region> = out
        .iter()
        .map(|&(x0, y0, x1, y1)| {
            let room = |dir: usize| -> f32 {
                out.iter()
                    .filter_map(|&(a0, b0, a1, b1)| {
                        let across = a0 < x1 && a1 > x0;
                        let beside = b0 < y1 && b1 > y0;
                        match dir {
                            0 if beside && a1 <= x0 => Some(x0 - a1),
                            1 if across && b1 <= y0 => Some(y0 - b1),
                            2 if beside && a0 >= x1 => Some(a0 - x1),
                            3 if across && b0 >= y1 => Some(b0 - y1),
                            _ => None,
                        }
                    })
                    .fold(2.0 * pad, f32::min)
                    / 2.0
            };
            (
                (x0 - room(0).min(pad)).max(0.0),
                (y0 - room(1).min(pad)).max(0.0),
                (x1 + room(2).min(pad)).min(width as f32),
                (y1 + room(3).min(pad)).min(height as f32),
            )
        })
        .collect();
    widened.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.total_cmp(&b.0)));
    widened
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ink map from rows of text: `#` ink, anything else paper; each character is a
    /// `scale`×`scale` square.
    fn ink(rows: &[&str], scale: usize) -> Ink {
        let width = rows.iter().map(|r| r.chars().count()).max().unwrap_or(0) * scale;
        let height = rows.len() * scale;
        let mut bits = vec![false; width * height];
        for (ry, r) in rows.iter().enumerate() {
            for (rx, c) in r.chars().enumerate() {
                if c != '#' {
                    continue;
                }
                for dy in 0..scale {
                    for dx in 0..scale {
                        if let Some(b) = bits.get_mut((ry * scale + dy) * width + rx * scale + dx) {
                            *b = true;
                        }
                    }
                }
            }
        }
        Ink {
            width,
            height,
            bits,
        }
    }

    /// Blocks as (x0, y0, x1, y1) in characters of the pictures below.
    fn boxes(rows: &[&str]) -> Vec<InkBox> {
        let scale = 4;
        // text two characters tall: a gutter is one character (4 px ≥ 0.4 × 8)
        let mut out: Vec<InkBox> = cut(&ink(rows, scale), 2.0 * scale as f32)
            .into_iter()
            .map(|(x0, y0, x1, y1)| (x0 / scale, y0 / scale, x1 / scale, y1 / scale))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn paper_runs_need_ink_on_both_sides() {
        type Case<'a> = (&'a [usize], usize, &'a [(usize, usize)]);
        let cases: &[Case] = &[
            (&[0, 5, 5, 0, 0, 5], 2, &[(3, 5)]),
            (&[0, 5, 5, 0, 0, 5], 3, &[]),
            (&[5, 0, 5, 1, 2, 0, 5, 0, 0], 1, &[(1, 2), (3, 6)]),
            (&[0, 0, 0], 1, &[]),
        ];
        for (profile, min, want) in cases {
            assert_eq!(paper_runs(profile, *min), *want, "{profile:?} min {min}");
        }
    }

    #[test]
    fn an_unruled_table_parts_at_its_column_gaps() {
        // a number, a three-line title, a two-line department set half a line lower: no band
        // of paper runs across the row, so its columns are parted first, then their lines
        let rows = [
            "    ######      ",
            "    ######      ",
            "            ####",
            "##  ######  ####",
            "##  ######      ",
            "            ####",
            "    ######  ####",
            "    ######      ",
        ];
        assert_eq!(
            boxes(&rows),
            vec![
                (0, 3, 2, 5),
                (4, 0, 10, 2),
                (4, 3, 10, 5),
                (4, 6, 10, 8),
                (12, 2, 16, 4),
                (12, 5, 16, 7),
            ]
        );
    }

    #[test]
    fn blocks_widen_into_the_paper_halfway_to_their_neighbours() {
        let got = widen(&[(10, 10, 20, 20), (24, 10, 30, 20)], 5.0, (40, 40));
        assert_eq!(got, vec![(5.0, 5.0, 22.0, 25.0), (22.0, 5.0, 35.0, 25.0)]);
    }

    #[test]
    fn word_spacing_in_one_line_is_not_cut() {
        // one line (2 characters tall) with a space: not tall enough to be parted into columns,
        // and text across the page is no block
        assert_eq!(boxes(&["#### ####", "#### ####"]), vec![]);
        // the same line beside a column of two lines: a block of its own, in one piece
        let got = boxes(&[
            "##  #### ####",
            "##  #### ####",
            "##           ",
            "##           ",
        ]);
        assert_eq!(got, vec![(0, 0, 2, 4), (4, 0, 13, 2)]);
    }

    #[test]
    fn lines_of_a_paragraph_in_a_column_part_at_their_leading() {
        let got = boxes(&[
            "##  ########",
            "##  ########",
            "##          ",
            "##  #####   ",
            "##  #####   ",
        ]);
        assert_eq!(got, vec![(0, 0, 2, 5), (4, 0, 12, 2), (4, 3, 9, 5)]);
    }

    #[test]
    fn a_blank_page_has_no_blocks() {
        assert!(boxes(&["        ", "        "]).is_empty());
    }
}
