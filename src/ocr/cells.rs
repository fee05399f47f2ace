//! What the page image shows and Tesseract's first reading missed or misread.
//!
//! - Solid squares (the list mark ■) are read by Tesseract's Japanese model as a kanji of similar
//!   outline (画, 田, 男 …). A character slot whose ink is one filled square of about the text's
//!   height becomes ■.
//! - A short text alone in a ruled cell (an item number such as `3`) is often skipped by page
//!   segmentation. Cells of the ruled grid that hold ink but no word are cut out, deskewed, stacked
//!   into one strip and read again as a block; the words found go back to where they were cut.

use super::rules::{Gray, PixelRule};
use super::Word;

fn dark(g: &Gray, x: i64, y: i64) -> bool {
    g.dark(x, y)
}

/// Replace a character whose slot holds one solid square by `■`.
pub fn mark_solid_squares(words: &mut [Word], g: &Gray) {
    for w in words.iter_mut() {
        let n = w.text.chars().count();
        if n == 0 || w.height < 8.0 {
            continue;
        }
        let (x0, y0) = (w.left.floor() as i64, w.top.floor() as i64);
        let (x1, y1) = (
            (w.left + w.width).ceil() as i64,
            (w.top + w.height).ceil() as i64,
        );
        let h = (y1 - y0) as f32;
        let counts: Vec<usize> = (x0..x1)
            .map(|x| (y0..y1).filter(|&y| dark(g, x, y)).count())
            .collect();
        let mut squares: Vec<(f32, f32)> = Vec::new(); // (left, right) in pixels
        let mut i = 0;
        let tall = |i: usize| counts.get(i).is_some_and(|&c| c as f32 >= 0.5 * h);
        while i < counts.len() {
            if !tall(i) {
                i += 1;
                continue;
            }
            let start = i;
            while tall(i) {
                i += 1;
            }
            let run = i - start;
            if (run as f32) < 0.4 * h || (run as f32) > 1.2 * h {
                continue;
            }
            let (sx0, sx1) = (x0 + start as i64, x0 + i as i64);
            // rows of the run that are mostly ink
            let rows: Vec<i64> = (y0..y1)
                .filter(|&y| (sx0..sx1).filter(|&x| dark(g, x, y)).count() * 2 >= run)
                .collect();
            let (Some(&ry0), Some(&ry1)) = (rows.first(), rows.last()) else {
                continue;
            };
            let sh = (ry1 - ry0 + 1) as f32;
            let aspect = run as f32 / sh;
            if !(0.7..=1.4).contains(&aspect) {
                continue;
            }
            let ink = (ry0..=ry1)
                .flat_map(|y| (sx0..sx1).map(move |x| (x, y)))
                .filter(|&(x, y)| dark(g, x, y))
                .count();
            // A dense kanji (績, 備, 番) in a bold or thresholded scan can be as dark overall;
            // a printed square has no paper inside it: every inner row is nearly all ink.
            let (ix0, ix1) = (sx0 + run as i64 / 6, sx1 - run as i64 / 6);
            let inset = (ry1 - ry0) / 6;
            let solid_rows = ((ry0 + inset)..=(ry1 - inset)).all(|y| {
                let n = (ix0..ix1).filter(|&x| dark(g, x, y)).count();
                n as f32 >= 0.9 * (ix1 - ix0) as f32
            });
            if solid_rows && ink as f32 >= 0.82 * sh * run as f32 {
                squares.push((sx0 as f32, sx1 as f32));
            }
        }
        if squares.is_empty() {
            continue;
        }
        let cw = w.width / n as f32;
        let mut chars: Vec<char> = w.text.chars().collect();
        for (a, b) in squares {
            let centre = (a + b) / 2.0;
            let idx = ((centre - w.left) / cw).floor().max(0.0) as usize;
            if may_be_list_mark(&chars, idx) {
                if let Some(c) = chars.get_mut(idx) {
                    *c = '■';
                }
            }
        }
        w.text = chars.into_iter().collect();
    }
}

/// Whether the character at `idx` of a word may be the list mark ■: a mark opens a text, so it
/// is the word's first character or follows one that is not a letter of the text (kana, kanji,
/// Latin letter or digit). A bold kanji of a heading (the 績 of 実績) can fill its slot as
/// solidly as a square, but it follows another kanji.
fn may_be_list_mark(chars: &[char], idx: usize) -> bool {
    let Some(c) = chars.get(idx) else {
        return false;
    };
    if c.is_ascii_alphanumeric() {
        return false;
    }
    match idx.checked_sub(1).and_then(|i| chars.get(i)) {
        None => true,
        Some(p) => !(p.is_alphanumeric()),
    }
}

/// A deskewed rectangle of the page image (x0, y0, x1, y1), in deskewed pixels.
pub type Region = (f32, f32, f32, f32);

/// The skew of the page: deskewed point → image point.
#[derive(Debug, Clone, Copy)]
pub struct Skew {
    pub slope: f32,
    pub centre: (f32, f32),
}

impl Skew {
    pub(super) fn to_image(self, x: f32, y: f32) -> (f32, f32) {
        let (cx, cy) = self.centre;
        (x - self.slope * (y - cy), y + self.slope * (x - cx))
    }
    pub(super) fn to_straight(self, x: f32, y: f32) -> (f32, f32) {
        let (cx, cy) = self.centre;
        (x + self.slope * (y - cy), y - self.slope * (x - cx))
    }
}

/// Positions within `tol` of each other as one, sorted.
fn levels(mut v: Vec<f32>, tol: f32) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for x in v {
        match out.last() {
            Some(&l) if x - l <= tol => {}
            _ => out.push(x),
        }
    }
    out
}

/// Cells of the ruled grid (interiors, deskewed) that hold ink and no word, or only a word or two
/// of at most two characters (a lone number is often misread on a whole page): where to read
/// again, with the indices of the words read there so far.
pub fn cells_to_reread(
    words: &[Word],
    g: &Gray,
    rules: &[PixelRule],
    slope: f32,
    centre: (f32, f32),
    dpi: u32,
) -> Vec<(Region, Vec<usize>)> {
    grid_cells_where(words, g, rules, Skew { slope, centre }, dpi, |inside| {
        inside.iter().map(|w| w.text.chars().count()).sum::<usize>() <= 2
    })
}

/// Whether a word reads as a figure: digits with their separators and signs (`3,000`, `▲300`,
/// `8.5`), at least two digits.
pub fn is_figure(text: &str) -> bool {
    text.chars().filter(char::is_ascii_digit).count() >= 2
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.' | '▲' | '△' | '-' | '%'))
}

/// Cells of the ruled grid whose words make one figure (`12,` `000` read as two words): where a figure is read again in the
/// cell alone, in the languages for cut-out cells (the Japanese model alone reads a `0` as `6`
/// or `9` in small print, `3,000` as `3,690`).
pub fn figure_cells(
    words: &[Word],
    g: &Gray,
    rules: &[PixelRule],
    skew: Skew,
    dpi: u32,
) -> Vec<(Region, Vec<usize>)> {
    grid_cells_where(words, g, rules, skew, dpi, |inside| {
        let joined: String = inside.iter().map(|w| w.text.as_str()).collect();
        is_figure(&joined)
    })
}

/// The interiors of the ruled grid's cells that hold ink and whose words pass `keep`.
pub(super) fn grid_cells_where(
    words: &[Word],
    g: &Gray,
    rules: &[PixelRule],
    skew: Skew,
    dpi: u32,
    keep: impl Fn(&[&Word]) -> bool,
) -> Vec<(Region, Vec<usize>)> {
    const MAX_CELLS: usize = 80;
    let tol = 4.0;
    let hs: Vec<&PixelRule> = rules.iter().filter(|r| r.y0 == r.y1).collect();
    let vs: Vec<&PixelRule> = rules.iter().filter(|r| r.x0 == r.x1).collect();
    let ys = levels(hs.iter().map(|r| r.y0).collect(), tol);
    let margin = (dpi as f32 / 40.0).max(3.0);
    let min_side = 2.5 * margin;
    let word_centres: Vec<(f32, f32)> = words
        .iter()
        .map(|w| skew.to_straight(w.left + w.width / 2.0, w.top + w.height / 2.0))
        .collect();
    let covered = |y: f32, a: f32, b: f32| {
        hs.iter()
            .any(|r| (r.y0 - y).abs() <= tol && r.x0 <= a + tol && r.x1 >= b - tol)
    };
    let mut out = Vec::new();
    for (&ya, &yb) in ys.iter().zip(ys.iter().skip(1)) {
        if yb - ya < min_side {
            continue;
        }
        let xs = levels(
            vs.iter()
                .filter(|r| r.y0 <= ya + tol && r.y1 >= yb - tol)
                .map(|r| r.x0)
                .collect(),
            tol,
        );
        for (&xa, &xb) in xs.iter().zip(xs.iter().skip(1)) {
            if xb - xa < min_side || !covered(ya, xa, xb) || !covered(yb, xa, xb) {
                continue;
            }
            let inside: Vec<usize> = word_centres
                .iter()
                .enumerate()
                .filter(|(_, &(x, y))| x > xa && x < xb && y > ya && y < yb)
                .map(|(i, _)| i)
                .collect();
            let here: Vec<&Word> = inside.iter().filter_map(|&i| words.get(i)).collect();
            if !keep(&here) {
                continue;
            }
            if let Some(r) = ink_box(
                g,
                skew,
                (xa + margin, ya + margin, xb - margin, yb - margin),
            ) {
                out.push((r, inside));
                if out.len() >= MAX_CELLS {
                    return out;
                }
            }
        }
    }
    out
}

/// The box of the ink inside `r` (deskewed), padded a little, when there is enough of it:
/// pixels with at least two dark neighbours, so that scan speckle does not count.
fn ink_box(g: &Gray, skew: Skew, r: Region) -> Option<Region> {
    let (x0, y0, x1, y1) = r;
    let at = |x: f32, y: f32| {
        let (ix, iy) = skew.to_image(x, y);
        dark(g, ix.round() as i64, iy.round() as i64)
    };
    let (mut bx0, mut by0, mut bx1, mut by1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    let mut n = 0usize;
    let mut y = y0.ceil();
    while y < y1 {
        let mut x = x0.ceil();
        while x < x1 {
            if at(x, y) {
                let neighbours = [(-1.0, 0.0), (1.0, 0.0), (0.0, -1.0), (0.0, 1.0)]
                    .iter()
                    .filter(|(dx, dy)| at(x + dx, y + dy))
                    .count();
                if neighbours >= 2 {
                    n += 1;
                    bx0 = bx0.min(x);
                    by0 = by0.min(y);
                    bx1 = bx1.max(x);
                    by1 = by1.max(y);
                }
            }
            x += 1.0;
        }
        y += 1.0;
    }
    if n < 25 || bx1 - bx0 < 3.0 || by1 - by0 < 6.0 {
        return None;
    }
    let pad = 6.0;
    Some((
        (bx0 - pad).max(x0),
        (by0 - pad).max(y0),
        (bx1 + pad).min(x1),
        (by1 + pad).min(y1),
    ))
}

/// Where a cut-out region sits in the strip: its top in the strip, its height, and its
/// deskewed origin on the page (strip pixels are `scale` page pixels apart).
#[derive(Debug, Clone, Copy)]
pub struct Place {
    top: f32,
    height: f32,
    origin: (f32, f32),
    skew: Skew,
    scale: f32,
}

const STRIP_LEFT: usize = 16;
const STRIP_GAP: usize = 24;

/// The regions, deskewed, enlarged `scale` times and stacked one under another on white, as a
/// PGM image.
pub fn stack_regions(
    g: &Gray,
    regions: &[Region],
    skew: Skew,
    scale: usize,
) -> (Vec<u8>, Vec<Place>) {
    let scale = scale.max(1);
    let k = scale as f32;
    let width = regions
        .iter()
        .map(|r| (r.2 - r.0).ceil() as usize * scale)
        .max()
        .unwrap_or(0)
        + 2 * STRIP_LEFT;
    let mut rows: Vec<Vec<u8>> = vec![vec![255; width]; STRIP_GAP];
    let mut places = Vec::new();
    for &(x0, y0, x1, y1) in regions {
        let (w, h) = (
            (x1 - x0).ceil() as usize * scale,
            (y1 - y0).ceil() as usize * scale,
        );
        places.push(Place {
            top: rows.len() as f32,
            height: h as f32,
            origin: (x0, y0),
            skew,
            scale: k,
        });
        for dy in 0..h {
            let mut row = vec![255u8; width];
            for dx in 0..w {
                let (ix, iy) = skew.to_image(x0 + dx as f32 / k, y0 + dy as f32 / k);
                let (ix, iy) = (ix.round() as i64, iy.round() as i64);
                if ix >= 0 && iy >= 0 && (ix as usize) < g.width && (iy as usize) < g.height {
                    if let (Some(v), Some(out)) = (
                        g.pixels.get(iy as usize * g.width + ix as usize),
                        row.get_mut(STRIP_LEFT + dx),
                    ) {
                        *out = *v;
                    }
                }
            }
            rows.push(row);
        }
        rows.extend(std::iter::repeat_n(vec![255u8; width], STRIP_GAP));
    }
    let mut pgm = format!("P5\n{width} {}\n255\n", rows.len()).into_bytes();
    for r in rows {
        pgm.extend_from_slice(&r);
    }
    (pgm, places)
}

/// Words read in the strip, moved back to the page image where their region was cut; each
/// region's words get a line of their own.
pub fn place_words(words: Vec<Word>, places: &[Place]) -> Vec<Word> {
    let mut out = Vec::new();
    for mut w in words {
        let mid = w.top + w.height / 2.0;
        let Some((i, p)) = places
            .iter()
            .enumerate()
            .find(|(_, p)| mid >= p.top && mid < p.top + p.height)
        else {
            continue;
        };
        // A word read in a cut-out lies within it: Tesseract's box of a character sometimes
        // reaches into the paper above or below.
        let top = w.top.max(p.top);
        let bottom = (w.top + w.height).min(p.top + p.height);
        if bottom > top {
            w.top = top;
            w.height = bottom - top;
        }
        let (sx, sy) = (
            p.origin.0 + (w.left - STRIP_LEFT as f32) / p.scale,
            p.origin.1 + (w.top - p.top) / p.scale,
        );
        let (ix, iy) = p.skew.to_image(sx, sy);
        w.left = ix;
        w.top = iy;
        w.width /= p.scale;
        w.height /= p.scale;
        w.line = (REREAD_LINE + i as u32, w.line.1, w.line.2);
        out.push(w);
    }
    out
}

/// The page's words with other readings put in place of some: for each group, (indices into
/// `words`, indices into `other`), the other reading replaces the first where it found something
/// at least as confident.
pub fn take_better(
    words: Vec<Word>,
    other: &[Word],
    groups: &[(Vec<usize>, Vec<usize>)],
) -> Vec<Word> {
    let mean_conf = |ws: &[&Word]| -> f32 {
        if ws.is_empty() {
            return -1.0;
        }
        ws.iter().map(|w| w.conf).sum::<f32>() / ws.len() as f32
    };
    let better: Vec<(Vec<usize>, Vec<usize>)> = groups
        .iter()
        .filter(|(old, new)| {
            let old_words: Vec<&Word> = old.iter().filter_map(|&i| words.get(i)).collect();
            let new_words: Vec<&Word> = new.iter().filter_map(|&i| other.get(i)).collect();
            !new_words.is_empty() && mean_conf(&new_words) >= mean_conf(&old_words)
        })
        .cloned()
        .collect();
    replace_words(words, other, &better)
}

/// The page's words with, for each group (indices into `words`, indices into `other`), the
/// first replaced by the second.
pub fn replace_words(
    words: Vec<Word>,
    other: &[Word],
    groups: &[(Vec<usize>, Vec<usize>)],
) -> Vec<Word> {
    let mut drop = vec![false; words.len()];
    let mut added: Vec<Word> = Vec::new();
    for (old, new) in groups {
        for &i in old {
            if let Some(d) = drop.get_mut(i) {
                *d = true;
            }
        }
        added.extend(new.iter().filter_map(|&i| other.get(i)).cloned());
    }
    let mut out: Vec<Word> = words
        .into_iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(w, _)| w)
        .collect();
    out.extend(added);
    out
}

/// Indices of the words whose centre lies in `r` (deskewed).
pub fn words_in(words: &[Word], r: Region, skew: Skew) -> Vec<usize> {
    (0..words.len())
        .filter(|&i| {
            words.get(i).is_some_and(|w| {
                let (x, y) = skew.to_straight(w.left + w.width / 2.0, w.top + w.height / 2.0);
                x >= r.0 && x <= r.2 && y >= r.1 && y <= r.3
            })
        })
        .collect()
}

/// For each region, the indices of the re-read words that came back from it.
pub fn by_region(again: &[Word], regions: usize) -> Vec<Vec<usize>> {
    (0..regions)
        .map(|cell| {
            let key = REREAD_LINE + cell as u32;
            (0..again.len())
                .filter(|&i| again.get(i).is_some_and(|w| w.line.0 == key))
                .collect()
        })
        .collect()
}

/// Line keys of re-read words start here (one block per cell).
pub(super) const REREAD_LINE: u32 = 1_000_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(w: usize, h: usize) -> Gray {
        Gray {
            width: w,
            height: h,
            pixels: vec![255; w * h],
        }
    }

    fn fill(g: &mut Gray, x0: usize, y0: usize, x1: usize, y1: usize) {
        for y in y0..y1 {
            for x in x0..x1 {
                g.pixels[y * g.width + x] = 0;
            }
        }
    }

    fn word(text: &str, left: f32, width: f32) -> Word {
        Word {
            line: (1, 1, 1),
            left,
            top: 10.0,
            width,
            height: 24.0,
            conf: 90.0,
            text: text.into(),
        }
    }

    #[test]
    fn a_solid_square_becomes_the_mark_and_strokes_do_not() {
        let mut g = blank(200, 50);
        // a filled square in the first slot (x 12..30), thin strokes in the second (x 40..60)
        fill(&mut g, 12, 14, 30, 32);
        fill(&mut g, 40, 12, 42, 33);
        fill(&mut g, 58, 12, 60, 33);
        fill(&mut g, 40, 12, 60, 14);
        fill(&mut g, 40, 31, 60, 33);
        let mut words = vec![word("画田", 10.0, 52.0)];
        mark_solid_squares(&mut words, &g);
        assert_eq!(words[0].text, "■田");
        // a word without a square is left as it is
        let mut g2 = blank(200, 50);
        fill(&mut g2, 12, 12, 14, 33);
        let mut words = vec![word("田", 10.0, 24.0)];
        mark_solid_squares(&mut words, &g2);
        assert_eq!(words[0].text, "田");
        // a dense character: as dark overall, but with rows of paper through it
        let mut g3 = blank(200, 50);
        fill(&mut g3, 12, 14, 30, 32);
        for y in [18, 23, 27] {
            for x in 14..28 {
                g3.pixels[y * 200 + x] = 255;
            }
        }
        let mut words = vec![word("績", 10.0, 24.0)];
        mark_solid_squares(&mut words, &g3);
        assert_eq!(words[0].text, "績");
    }

    #[test]
    fn a_list_mark_opens_a_text() {
        let cases = [
            ("画取組", 0, true),
            ("・画", 1, true),
            ("(画", 1, true),
            ("実績", 1, false),
            ("計画", 1, false),
            ("3画", 1, false),
            ("A", 0, false),
            ("画", 3, false),
        ];
        for (text, idx, want) in cases {
            let chars: Vec<char> = text.chars().collect();
            assert_eq!(may_be_list_mark(&chars, idx), want, "{text} {idx}");
        }
    }

    fn rule(x0: f32, y0: f32, x1: f32, y1: f32) -> PixelRule {
        PixelRule { x0, y0, x1, y1 }
    }

    #[test]
    fn a_cell_with_one_short_word_is_read_again_and_a_long_one_is_not() {
        let mut g = blank(240, 80);
        fill(&mut g, 150, 30, 162, 52);
        fill(&mut g, 40, 30, 90, 52);
        let rules = vec![
            rule(10.0, 10.0, 210.0, 10.0),
            rule(10.0, 70.0, 210.0, 70.0),
            rule(10.0, 10.0, 10.0, 70.0),
            rule(110.0, 10.0, 110.0, 70.0),
            rule(210.0, 10.0, 210.0, 70.0),
        ];
        let at = |left: f32, text: &str| Word {
            line: (1, 1, 1),
            left,
            top: 30.0,
            width: 12.0,
            height: 22.0,
            conf: 60.0,
            text: text.into(),
        };
        let words = vec![at(40.0, "三文字"), at(150.0, "A")];
        let found = cells_to_reread(&words, &g, &rules, 0.0, (120.0, 40.0), 200);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, vec![1]);
    }

    #[test]
    fn an_inked_cell_without_words_is_found_and_cut_out() {
        // a 2×1 grid: cell A (10..110) holds a word, cell B (110..210) ink only
        let mut g = blank(240, 80);
        fill(&mut g, 150, 30, 162, 52);
        // speckle in cell A's neighbour row does not count
        g.pixels[15 * 240 + 180] = 0;
        let rules = vec![
            rule(10.0, 10.0, 210.0, 10.0),
            rule(10.0, 70.0, 210.0, 70.0),
            rule(10.0, 10.0, 10.0, 70.0),
            rule(110.0, 10.0, 110.0, 70.0),
            rule(210.0, 10.0, 210.0, 70.0),
        ];
        let words = vec![Word {
            line: (1, 1, 1),
            left: 30.0,
            top: 30.0,
            width: 40.0,
            height: 20.0,
            conf: 90.0,
            text: "A".into(),
        }];
        let found = cells_to_reread(&words, &g, &rules, 0.0, (120.0, 40.0), 200);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.is_empty(), "{found:?}");
        let cells: Vec<Region> = found.iter().map(|f| f.0).collect();
        let (x0, y0, x1, y1) = cells[0];
        assert!(
            x0 <= 150.0 && x1 >= 161.0 && y0 <= 30.0 && y1 >= 51.0,
            "{cells:?}"
        );
        assert!(x0 >= 110.0 && x1 <= 210.0, "{cells:?}");

        // cut out and put back: a word read at the strip's region comes back onto the cell
        let skew = Skew {
            slope: 0.0,
            centre: (120.0, 40.0),
        };
        let (pgm, places) = stack_regions(&g, &cells, skew, 2);
        assert!(pgm.starts_with(b"P5\n"));
        let strip_word = Word {
            line: (1, 1, 1),
            left: STRIP_LEFT as f32 + 2.0 * (150.0 - x0),
            top: places[0].top + 2.0 * (30.0 - y0),
            width: 24.0,
            height: 44.0,
            conf: 80.0,
            text: "3".into(),
        };
        let back = place_words(vec![strip_word], &places);
        assert_eq!(back.len(), 1);
        assert!((back[0].left - 150.0).abs() < 0.5, "{:?}", back[0]);
        assert!((back[0].top - 30.0).abs() < 0.5, "{:?}", back[0]);
        assert_eq!(back[0].line.0, 1_000_000);
        assert!((back[0].height - 22.0).abs() < 0.5, "{:?}", back[0]);

        // a box reaching above and below its cut-out is cut to it
        let p = places[0];
        let tall = Word {
            top: p.top - 10.0,
            height: p.height + 30.0,
            ..back[0].clone()
        };
        let cut = place_words(vec![tall], &places);
        assert_eq!(cut.len(), 1);
        assert!((cut[0].top - y0).abs() < 0.5, "{:?}", cut[0]);
        assert!((cut[0].height - (y1 - y0)).abs() < 1.0, "{:?}", cut[0]);
    }
}
