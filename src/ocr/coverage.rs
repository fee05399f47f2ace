//! How much of a cell's ink a reading accounts for.
//!
//! Confidence alone says how sure Tesseract is of what it read, not whether it read everything:
//! a reading that skips the last two characters of a cell, or the second line of a wrapped
//! remark, can be surer than one that has them all. Ink inside a cell that no word's box covers
//! is text left unread; it is counted in characters (runs of ink about the text's height wide)
//! and weighs on the choice between readings like characters read with no confidence.
//!
//! - [`unread_chars`]: the characters' worth of ink in a region that no word box covers.
//! - [`reread_partly_read`]: ruled cells whose reading leaves ink unread (the second line of a
//!   wrapped remark, the end of a text) are cut out and read again as a block; the new reading
//!   is kept where, unread ink counted, it is worth more.
//! - [`drop_flat_words`]: a word whose box is far flatter than its characters can be (`実施` in a
//!   box two pixels tall) is not text Tesseract saw there, and is dropped.

use super::cells::{self, Region, Skew};
use super::choose::score;
use super::rules::{measure_knob, Gray, PixelRule};
use super::{read_regions, Word, LANG};

/// Characters that can be printed much flatter than the text: dashes.
fn may_be_flat(c: char) -> bool {
    matches!(
        c,
        'ー' | '-' | '一' | '—' | '―' | '‐' | '－' | '_' | '=' | '~' | '〜'
    )
}

/// Small punctuation: as small as a quarter of the text's height, but about as wide as tall.
fn is_small_mark(c: char) -> bool {
    matches!(c, '.' | ',' | '・' | '。' | '、' | '･' | '．' | '，')
}

/// Words whose box is less than a quarter of the text's height tall and that hold a character
/// that cannot be that flat (a dash can; a small mark such as `。` can be that small but not
/// much wider than tall): Tesseract sometimes places a word on a sliver of a ruling line
/// (`実施` in a box two pixels tall, `。` in one 120 by 4).
pub fn drop_flat_words(words: Vec<Word>, text_height: f32) -> Vec<Word> {
    if text_height <= 0.0 {
        return words;
    }
    words
        .into_iter()
        .filter(|w| {
            w.height >= 0.25 * text_height
                || w.text.chars().all(may_be_flat)
                || w.text.chars().all(is_small_mark) && w.width <= 2.5 * w.height
        })
        .collect()
}

/// Marks that close or part text (`。`, `、`, `.`, `,`): they always follow a character. A
/// bullet (`・`) leads its text and is not one of them.
pub(super) fn is_closing_mark(c: char) -> bool {
    matches!(c, '.' | ',' | '。' | '、' | '．' | '，')
}

/// Words that are only closing marks ([`is_closing_mark`]) with no other word's text ending
/// right before them on their row: a mark that follows nothing (a speck in an empty cell read as
/// `。`) is noise. "Right before" is within 1.5 text heights to the left, on a box that overlaps
/// the mark's row.
pub fn drop_lone_marks(words: Vec<Word>, text_height: f32) -> Vec<Word> {
    if text_height <= 0.0 {
        return words;
    }
    let reach = 1.5 * text_height;
    let lone: Vec<bool> = words
        .iter()
        .map(|m| {
            !m.text.is_empty()
                && m.text.chars().all(is_closing_mark)
                && !words.iter().any(|w| {
                    !std::ptr::eq(w, m)
                        && !w.text.chars().all(is_closing_mark)
                        && w.left < m.left
                        && w.left + w.width >= m.left - reach
                        && w.top < m.top + m.height.max(0.5 * text_height)
                        && w.top + w.height > m.top + m.height - text_height
                })
        })
        .collect();
    words
        .into_iter()
        .zip(lone)
        .filter_map(|(w, lone)| (!lone).then_some(w))
        .collect()
}

/// The characters' worth of ink in `region` (deskewed) that none of `words`' boxes (image
/// pixels) covers. Ink is a dark pixel with at least two dark neighbours (scan speckle is not);
/// a word covers only ink of its own text row (see [`text_rows`]). The uncovered ink is split
/// into rows (gaps of a third of `text_height`) and each row into runs (gaps of half of it); a
/// run at least 0.4 of a character wide and with more ink than a speck counts as its width in
/// character pitches (1.15 text heights), at least one. A narrower run is a sliver of a
/// character Tesseract boxed too narrowly.
pub fn unread_chars(
    g: &Gray,
    region: Region,
    words: &[&Word],
    skew: Skew,
    text_height: f32,
) -> usize {
    let h = text_height.max(4.0);
    let pad = 0.15 * h;
    let (x0, y0, x1, y1) = region;
    if x1 <= x0 || y1 <= y0 {
        return 0;
    }
    let (w, hgt) = ((x1 - x0).ceil() as usize, (y1 - y0).ceil() as usize);
    // A word covers ink of its own text row only: Tesseract's box of a character sometimes
    // reaches over the row below, whose text it did not read.
    let rows = text_rows(g, region, skew, text_height);
    let row_of = |y: f32| rows.iter().position(|r| y >= r.1 && y < r.3);
    let word_rows: Vec<Option<usize>> = words
        .iter()
        .map(|wd| {
            let (_, cy) = skew.to_straight(wd.left + wd.width / 2.0, wd.top + wd.height / 2.0);
            row_of(cy)
        })
        .collect();
    let covered = |ix: f32, iy: f32, row: Option<usize>| {
        words.iter().zip(&word_rows).any(|(wd, wr)| {
            (rows.len() <= 1 || *wr == row)
                && ix >= wd.left - pad
                && ix <= wd.left + wd.width.min(widest(&wd.text, h)) + pad
                && iy >= wd.top - pad
                && iy <= wd.top + wd.height + pad
        })
    };
    let at = |x: f32, y: f32| {
        let (ix, iy) = skew.to_image(x, y);
        g.dark(ix.round() as i64, iy.round() as i64)
    };
    // uncovered ink, as a grid over the region
    let mut ink = vec![false; w * hgt];
    for dy in 0..hgt {
        for dx in 0..w {
            let (x, y) = (x0 + dx as f32, y0 + dy as f32);
            if !at(x, y) {
                continue;
            }
            let neighbours = [(-1.0, 0.0), (1.0, 0.0), (0.0, -1.0), (0.0, 1.0)]
                .iter()
                .filter(|(ddx, ddy)| at(x + ddx, y + ddy))
                .count();
            if neighbours < 2 {
                continue;
            }
            let (ix, iy) = skew.to_image(x, y);
            if !covered(ix, iy, row_of(y)) {
                if let Some(p) = ink.get_mut(dy * w + dx) {
                    *p = true;
                }
            }
        }
    }
    let row_ink: Vec<usize> = (0..hgt)
        .map(|dy| {
            (0..w)
                .filter(|&dx| ink.get(dy * w + dx) == Some(&true))
                .count()
        })
        .collect();
    let min_run_ink = (h * h / 30.0).max(12.0) as usize;
    let mut chars = 0;
    for (ra, rb) in spans(&row_ink, (h / 3.0) as usize) {
        let col_ink: Vec<usize> = (0..w)
            .map(|dx| {
                (ra..rb)
                    .filter(|&dy| ink.get(dy * w + dx) == Some(&true))
                    .count()
            })
            .collect();
        for (ca, cb) in spans(&col_ink, (h / 2.0) as usize) {
            let n: usize = col_ink.get(ca..cb).map_or(0, |c| c.iter().sum());
            // a sliver between two boxes is a character Tesseract boxed too narrowly; 0.4 of the
            // text's height still takes in a kanji a box over its neighbour leaves uncovered
            if n >= min_run_ink && (cb - ca) as f32 >= 0.4 * h {
                chars += ((cb - ca) as f32 / (1.15 * h)).round().max(1.0) as usize;
            }
        }
    }
    chars
}

/// [`unread_chars`] where a word Tesseract read with no confidence (under 1 of 100) covers no
/// ink: its box often spans a character it did not read as well as the one it guessed (`寄附の`
/// read as `寄` and a `の` of no confidence whose box holds half of `附`), so the cell is worth
/// reading again. Used to find cells to read again and to score the two readings of such a
/// cell; the choice between the page's first two readings keeps [`unread_chars`].
pub fn unread_chars_unsure(
    g: &Gray,
    region: Region,
    words: &[&Word],
    skew: Skew,
    text_height: f32,
) -> usize {
    let sure: Vec<&Word> = if measure_knob("noconf") {
        words.iter().copied().filter(|w| w.conf >= 1.0).collect()
    } else {
        words.to_vec()
    };
    unread_chars(g, region, &sure, skew, text_height)
}

/// Ruled cells whose words leave at least one character's worth of ink unread, cut out,
/// enlarged to about 300 dpi, stacked into one strip and read again (`jpn`, one block per
/// cell); each cell takes the new reading when it is worth more, unread ink counted.
pub fn reread_partly_read(
    words: Vec<Word>,
    g: &Gray,
    rules: &[PixelRule],
    skew: Skew,
    dpi: u32,
    text_height: f32,
) -> Vec<Word> {
    let cells = cells::grid_cells_where(&words, g, rules, skew, dpi, |inside| !inside.is_empty());
    reread_unread(words, g, cells, skew, dpi, text_height)
}

/// The blocks of a page with no ruled grid (see [`super::blocks`]) whose words leave ink unread,
/// read again as [`reread_partly_read`] reads ruled cells; a block nothing was read in is read
/// too (a lone item number Tesseract skipped beside a column of text).
pub fn reread_blocks(
    words: Vec<Word>,
    g: &Gray,
    skew: Skew,
    dpi: u32,
    text_height: f32,
) -> Vec<Word> {
    let cells: Vec<(Region, Vec<usize>)> = super::blocks::blocks(g, skew, text_height)
        .into_iter()
        .map(|r| (r, cells::words_in(&words, r, skew)))
        .collect();
    reread_unread(words, g, cells, skew, dpi, text_height)
}

/// Of `cells` (regions with the indices of the words read in each), those whose words leave at
/// least one character's worth of ink unread, each text row cut out and read again; a cell takes
/// the new reading when it is worth more, unread ink counted.
fn reread_unread(
    words: Vec<Word>,
    g: &Gray,
    cells: Vec<(Region, Vec<usize>)>,
    skew: Skew,
    dpi: u32,
    text_height: f32,
) -> Vec<Word> {
    let found: Vec<(Region, Vec<usize>, usize)> = cells
        .into_iter()
        .filter_map(|(r, inside)| {
            let here: Vec<&Word> = inside.iter().filter_map(|&i| words.get(i)).collect();
            let unread = unread_chars_unsure(g, r, &here, skew, text_height);
            // a region with ink and no word at all (ruled cells come here with words only)
            (unread > 0 || inside.is_empty()).then_some((r, inside, unread))
        })
        .collect();
    if found.is_empty() {
        return words;
    }
    // Each text row of a cell is cut out on its own: rows of a wrapped text set close together
    // are read as one garbled row when cut out together.
    let mut regions: Vec<Region> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (k, (r, _, _)) in found.iter().enumerate() {
        for row in text_rows(g, *r, skew, text_height) {
            regions.push(row);
            owner.push(k);
        }
    }
    let Some(read) = read_regions(g, &regions, skew, dpi, LANG) else {
        return words;
    };
    let again = drop_edge_dashes(
        drop_flat_words(read, text_height),
        &regions,
        skew,
        text_height,
    );
    let mut by_cell: Vec<Vec<usize>> = vec![Vec::new(); found.len()];
    for (row, new) in cells::by_region(&again, regions.len())
        .into_iter()
        .enumerate()
    {
        if let Some(v) = owner.get(row).and_then(|&k| by_cell.get_mut(k)) {
            v.extend(new);
        }
    }
    let mut groups: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for ((r, old, unread_old), new) in found.iter().zip(by_cell) {
        let old_words: Vec<&Word> = old.iter().filter_map(|&i| words.get(i)).collect();
        let new_words: Vec<&Word> = new.iter().filter_map(|&i| again.get(i)).collect();
        if new_words.is_empty() {
            continue;
        }
        let n = |ws: &[&Word]| ws.iter().map(|w| w.text.chars().count()).sum::<usize>();
        let before = with_unread(score(&old_words, *r, skew), n(&old_words), *unread_old);
        let unread_new = unread_chars_unsure(g, *r, &new_words, skew, text_height);
        let after = with_unread(score(&new_words, *r, skew), n(&new_words), unread_new);
        if after > before {
            groups.push((old.clone(), new));
        }
    }
    cells::replace_words(words, &again, &groups)
}

/// Words read in cut-out rows that are a flat dash lying along the top or bottom edge of their
/// row (within a fifth of the text's height): what is left of a painted-out ruling line, not a
/// printed dash, which stands in the row's middle. A word's row is its line key less
/// [`cells::REREAD_LINE`].
fn drop_edge_dashes(words: Vec<Word>, rows: &[Region], skew: Skew, text_height: f32) -> Vec<Word> {
    words
        .into_iter()
        .filter(|w| {
            if w.height >= 0.25 * text_height || !w.text.chars().all(may_be_flat) {
                return true;
            }
            let Some(r) = w
                .line
                .0
                .checked_sub(cells::REREAD_LINE)
                .and_then(|i| rows.get(i as usize))
            else {
                return true;
            };
            let (_, y) = skew.to_straight(w.left + w.width / 2.0, w.top + w.height / 2.0);
            let edge = 0.2 * text_height;
            y > r.1 + edge && y < r.3 - edge
        })
        .collect()
}

/// The text rows of a region (deskewed): it is split where a pixel row holds no ink (pixels
/// with two dark neighbours, so a speck does not join two rows); a row less than 0.4 of the
/// text's height tall (a stroke below the text, an underline) joins the row above it, or the one
/// below when it is the first.
pub fn text_rows(g: &Gray, r: Region, skew: Skew, text_height: f32) -> Vec<Region> {
    let (x0, y0, x1, y1) = r;
    if x1 <= x0 || y1 <= y0 {
        return Vec::new();
    }
    let at = |x: f32, y: f32| {
        let (ix, iy) = skew.to_image(x, y);
        g.dark(ix.round() as i64, iy.round() as i64)
    };
    let (w, h) = ((x1 - x0).ceil() as usize, (y1 - y0).ceil() as usize);
    let ink: Vec<usize> = (0..h)
        .map(|dy| {
            let y = y0 + dy as f32;
            (0..w)
                .filter(|&dx| {
                    let x = x0 + dx as f32;
                    at(x, y)
                        && [(-1.0, 0.0), (1.0, 0.0), (0.0, -1.0), (0.0, 1.0)]
                            .iter()
                            .filter(|(ddx, ddy)| at(x + ddx, y + ddy))
                            .count()
                            >= 2
                })
                .count()
        })
        .collect();
    // Rows of ink between paper rows; a block taller than one and a half rows of text is also
    // split where a pixel row holds next to no ink (a speck of noise, or the skew left over
    // across a wide cell, can join two rows).
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    for (a, b) in spans(&ink, 0) {
        let part = ink.get(a..b).unwrap_or_default();
        let peak = part.iter().copied().max().unwrap_or(0);
        if ((b - a) as f32) < 1.5 * text_height {
            blocks.push((a, b));
            continue;
        }
        let thin: Vec<usize> = part
            .iter()
            .map(|&n| if n * 25 <= peak { 0 } else { n })
            .collect();
        blocks.extend(spans(&thin, 0).into_iter().map(|(c, d)| (a + c, a + d)));
    }
    let mut rows: Vec<(usize, usize)> = Vec::new();
    for (a, b) in blocks {
        let short = ((b - a) as f32) < 0.4 * text_height;
        match rows.last_mut() {
            Some(last) if short => last.1 = b,
            Some(last) if ((last.1 - last.0) as f32) < 0.4 * text_height => last.1 = b,
            _ => rows.push((a, b)),
        }
    }
    if rows.len() <= 1 {
        return vec![r];
    }
    // each row with half of the paper between it and its neighbours
    let n = rows.len();
    (0..n)
        .filter_map(|i| {
            let (a, b) = rows.get(i).copied()?;
            let top = match i.checked_sub(1).and_then(|j| rows.get(j)) {
                Some(p) => (p.1 + a) as f32 / 2.0,
                None => 0.0,
            };
            let bottom = match rows.get(i + 1) {
                Some(nx) => (b + nx.0) as f32 / 2.0,
                None => h as f32,
            };
            Some((x0, y0 + top, x1, y0 + bottom))
        })
        .collect()
}

/// The widest a word's characters can print at text height `h` (the height of a kanji's box):
/// narrow Latin characters and punctuation 0.3 of it, other Latin letters and digits 0.6 of it,
/// others (kana, kanji) one, and a fifth of `h` of slack. Tesseract's box of a word sometimes
/// spans characters it did not read (`R4` boxed over `R4進捗`, `目` over `目標`): beyond this
/// width the box covers no ink.
pub fn widest(text: &str, h: f32) -> f32 {
    let w: f32 = text
        .chars()
        .map(|c| match c {
            '|' | '¦' | 'l' | 'i' | 'I' | '1' | '!' | '.' | ',' | ':' | ';' | '\'' => 0.3,
            c if c.is_ascii() => 0.6,
            _ => 1.0,
        })
        .sum();
    (w + 0.2) * h
}

/// Runs of non-zero entries, joined across gaps of at most `gap` zeros: (start, end) indices.
fn spans(v: &[usize], gap: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, &n) in v.iter().enumerate() {
        if n == 0 {
            continue;
        }
        match out.last_mut() {
            Some((_, end)) if i <= *end + gap => *end = i + 1,
            _ => out.push((i, i + 1)),
        }
    }
    out
}

/// A reading's worth in a cell: its mean character confidence, each unread character counting
/// as one read with no confidence; `score` is the reading's mean as the grid choice scores it
/// and `chars` its number of characters.
pub fn with_unread(score: f32, chars: usize, unread: usize) -> f32 {
    if chars == 0 {
        return score;
    }
    score * chars as f32 / (chars + unread) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAT: Skew = Skew {
        slope: 0.0,
        centre: (0.0, 0.0),
    };

    fn word(text: &str, left: f32, top: f32, width: f32, height: f32) -> Word {
        Word {
            line: (1, 1, 1),
            left,
            top,
            width,
            height,
            conf: 90.0,
            text: text.into(),
        }
    }

    /// A black rectangle (x, y, w, h).
    type Block = (usize, usize, usize, usize);

    /// A white page with black rectangles.
    fn page(w: usize, h: usize, blocks: &[Block]) -> Gray {
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
    fn flat_words_table() {
        // (text, width, height, kept) with text 30 pixels tall
        let cases = [
            ("実施", 40.0, 2.0, false),
            ("実施", 40.0, 28.0, true),
            ("ー", 40.0, 3.0, true),
            ("--", 40.0, 2.0, true),
            ("一時", 40.0, 3.0, false),
            ("。", 120.0, 4.0, false),
            ("。", 6.0, 6.0, true),
        ];
        for (text, width, height, kept) in cases {
            let got = drop_flat_words(vec![word(text, 0.0, 0.0, width, height)], 30.0);
            assert_eq!(got.len(), usize::from(kept), "{text} {height}");
        }
    }

    #[test]
    fn unread_ink_is_counted_in_characters() {
        // a row of four 30-pixel "characters" 4 pixels apart, and a second row with one
        let g = page(
            300,
            120,
            &[
                (10, 10, 30, 30),
                (44, 10, 30, 30),
                (78, 10, 30, 30),
                (112, 10, 30, 30),
                (10, 60, 30, 30),
            ],
        );
        let region = (0.0, 0.0, 300.0, 120.0);
        let all_first_row = word("一二三四", 10.0, 10.0, 132.0, 30.0);
        let two = word("一二", 10.0, 10.0, 64.0, 30.0);
        let second_row = word("五", 10.0, 60.0, 30.0, 30.0);
        let off = word("x", 200.0, 100.0, 30.0, 5.0);
        // boxes a little narrower than their characters leave slivers, not characters
        let narrow: Vec<Word> = (0..4)
            .map(|i| word("字", 10.0 + 34.0 * i as f32 + 6.0, 10.0, 18.0, 30.0))
            .collect();
        let narrow_row: Vec<&Word> = narrow.iter().chain([&second_row]).collect();
        // one box over both rows, centred in the first: the second row is unread
        let over_two = word("一二三四", 10.0, 10.0, 132.0, 75.0);
        let cases: [(&str, Vec<&Word>, usize); 7] = [
            ("narrow boxes", narrow_row, 0),
            ("a box over two rows", vec![&over_two], 1),
            ("nothing read", vec![], 5),
            ("first row", vec![&all_first_row], 1),
            ("all", vec![&all_first_row, &second_row], 0),
            ("two of the first row", vec![&two, &second_row], 2),
            ("a box on no ink", vec![&off], 5),
        ];
        for (name, words, want) in cases {
            assert_eq!(unread_chars(&g, region, &words, FLAT, 30.0), want, "{name}");
        }
    }

    #[test]
    fn text_rows_table() {
        let region = (0.0, 0.0, 200.0, 100.0);
        let cases: [(&str, Vec<Block>, Vec<Region>); 5] = [
            ("one row", vec![(10, 10, 100, 30)], vec![region]),
            (
                "two rows 4 pixels apart",
                vec![(10, 10, 150, 30), (10, 44, 30, 30)],
                vec![(0.0, 0.0, 200.0, 42.0), (0.0, 42.0, 200.0, 100.0)],
            ),
            (
                "an underline joins its row",
                vec![(10, 10, 150, 30), (10, 44, 150, 3)],
                vec![region],
            ),
            ("nothing", vec![], vec![region]),
            (
                "two rows joined by a speck of ink",
                vec![(10, 10, 150, 30), (10, 44, 150, 30), (100, 40, 1, 4)],
                vec![(0.0, 0.0, 200.0, 42.0), (0.0, 42.0, 200.0, 100.0)],
            ),
        ];
        for (name, blocks, want) in cases {
            let g = page(200, 100, &blocks);
            assert_eq!(text_rows(&g, region, FLAT, 30.0), want, "{name}");
        }
    }

    #[test]
    fn widest_table() {
        let cases = [
            ("R4", 30.0, 42.0),
            ("|R", 30.0, 33.0),
            ("進捗", 30.0, 66.0),
            ("", 30.0, 6.0),
        ];
        for (text, h, want) in cases {
            let got = widest(text, h);
            assert!((got - want).abs() < 0.01, "{text}: {got}");
        }
    }

    #[test]
    fn a_box_wider_than_its_text_leaves_ink_unread() {
        // `R4` boxed over four characters' ink: two of them are unread
        let g = page(
            300,
            60,
            &[
                (10, 10, 20, 30),
                (32, 10, 20, 30),
                (60, 10, 30, 30),
                (100, 10, 30, 30),
            ],
        );
        let wide = word("R4", 10.0, 10.0, 125.0, 30.0);
        assert_eq!(
            unread_chars(&g, (0.0, 0.0, 300.0, 60.0), &[&wide], FLAT, 30.0),
            2
        );
    }

    #[test]
    fn a_word_read_with_no_confidence_covers_no_ink_when_finding_cells_to_read_again() {
        // `寄附の` read as `寄` (box over 寄 and half of 附) and a `の` of no confidence whose
        // box holds the rest of 附 and the の
        let g = page(
            300,
            60,
            &[(10, 10, 30, 30), (45, 10, 30, 30), (80, 10, 30, 30)],
        );
        let region = (0.0, 0.0, 300.0, 60.0);
        // (confidence of the second word, unread as the page's readings are chosen, unread
        // when finding cells to read again)
        let cases = [(0.0, 0, 2), (0.5, 0, 2), (1.0, 0, 0), (90.0, 0, 0)];
        for (conf, chosen, again) in cases {
            let first = word("寄", 10.0, 10.0, 52.0, 30.0);
            let second = Word {
                conf,
                ..word("の", 62.0, 10.0, 48.0, 30.0)
            };
            let ws = [&first, &second];
            assert_eq!(unread_chars(&g, region, &ws, FLAT, 30.0), chosen, "{conf}");
            assert_eq!(
                unread_chars_unsure(&g, region, &ws, FLAT, 30.0),
                again,
                "{conf}"
            );
        }
    }

    #[test]
    fn dashes_on_a_cut_out_edge_table() {
        let rows = [(0.0, 100.0, 400.0, 150.0)];
        let at = |text: &str, top: f32, height: f32| Word {
            line: (cells::REREAD_LINE, 1, 1),
            ..word(text, 100.0, top, 60.0, height)
        };
        // (word, kept)
        let cases = [
            (at("ーー", 146.0, 1.0), false),
            (at("ー", 101.0, 2.0), false),
            (at("ー", 124.0, 3.0), true),
            (at("実施", 146.0, 1.0), true),
            (
                Word {
                    line: (1, 1, 1),
                    ..at("ーー", 146.0, 1.0)
                },
                true,
            ),
        ];
        for (w, kept) in cases {
            let text = w.text.clone();
            let got = drop_edge_dashes(vec![w], &rows, FLAT, 30.0);
            assert_eq!(got.len(), usize::from(kept), "{text}");
        }
    }

    #[test]
    fn specks_are_not_text() {
        let g = page(200, 60, &[(20, 20, 2, 2), (100, 30, 1, 1), (150, 10, 3, 3)]);
        assert_eq!(
            unread_chars(&g, (0.0, 0.0, 200.0, 60.0), &[], FLAT, 30.0),
            0
        );
    }

    #[test]
    fn unread_characters_weigh_like_unsure_ones() {
        let cases = [
            (90.0, 9, 0, 90.0),
            (90.0, 7, 2, 70.0),
            (-10.0, 1, 1, -5.0),
            (50.0, 0, 3, 50.0),
        ];
        for (score, chars, unread, want) in cases {
            let got = with_unread(score, chars, unread);
            assert!((got - want).abs() < 0.01, "{score} {chars} {unread}: {got}");
        }
    }
}
