//! Vertical writing: columns read right to left, blocks (段) top to bottom.
//!
//! Vertical glyphs come from vertical fonts (Identity-V and the like) and from text turned by a
//! quarter turn. Vertical writing set with a horizontal font, as browsers print `writing-mode:
//! vertical-rl`, shows upright glyphs placed one below the other at a common x: such stacks are
//! found here ([`upright_columns`]) and read like the rest of the vertical text.
//!
//! Columns are grouped into blocks that do not overlap vertically (a page of several 段 printed
//! one above the other); each block is read right to left before the block below it. A column
//! that runs the whole length of its block and is followed by a column that starts at the top of
//! the block (no indent, no list mark) is a wrapped line of the same paragraph and is joined.

use super::interp::{Glyph, PageContent};
use super::layout::{is_cjk, starts_entry, Row};

/// A column of vertical writing (or of text rotated by a quarter turn).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Column {
    pub text: String,
    /// Where the column starts and ends along the reading direction (display y; for text read
    /// upwards, measured from the bottom so that "further" is still larger).
    pub start: f32,
    pub end: f32,
    pub size: f32,
    /// Extent in display space.
    pub top: f32,
    pub bottom: f32,
    pub x: f32,
}

/// Vertical glyphs as columns: right to left, each read top to bottom (bottom to top for text
/// rotated counter-clockwise); a column is split where a gap of more than 1.5 characters opens.
pub(super) fn columns(pc: &PageContent, idx: &[usize]) -> Vec<Column> {
    let mut sorted: Vec<&Glyph> = idx.iter().filter_map(|&i| pc.glyphs.get(i)).collect();
    if sorted.is_empty() {
        return Vec::new();
    }
    sorted.sort_by(|a, b| b.x.total_cmp(&a.x).then(a.y.total_cmp(&b.y)));
    let mut cols: Vec<Vec<&Glyph>> = Vec::new();
    for g in sorted {
        let joined = cols.last_mut().filter(|c| {
            c.first()
                .is_some_and(|f| (f.x - g.x).abs() <= 0.4 * f.size.max(g.size))
        });
        match joined {
            Some(c) => c.push(g),
            None => cols.push(vec![g]),
        }
    }
    let mut out = Vec::new();
    for mut col in cols {
        let upward = col.iter().filter(|g| g.upward).count() * 2 > col.len();
        // Reading position along the column.
        let pos = |g: &Glyph| if upward { -g.y } else { g.y };
        col.sort_by(|a, b| pos(a).total_cmp(&pos(b)));
        let mut cur: Option<Column> = None;
        for g in &col {
            let p = pos(g);
            if let Some(c) = cur.as_mut() {
                if p - c.end > c.size.max(g.size) * 1.5 && !c.text.is_empty() {
                    out.extend(cur.take());
                }
            }
            let (top, bottom) = if upward {
                (g.y - g.w, g.y)
            } else {
                (g.y, g.y + g.w)
            };
            let c = cur.get_or_insert_with(|| Column {
                text: String::new(),
                start: p,
                end: p,
                size: 1.0,
                top,
                bottom,
                x: g.x,
            });
            if g.space {
                if !c.text.is_empty() && !c.text.ends_with(' ') {
                    c.text.push(' ');
                }
            } else {
                c.text.push_str(pc.glyph_text(g));
                c.size = c.size.max(g.size);
            }
            c.end = p + g.w;
            c.top = c.top.min(top);
            c.bottom = c.bottom.max(bottom);
        }
        out.extend(cur);
    }
    for c in &mut out {
        let kept = c.text.trim_end().len();
        c.text.truncate(kept);
    }
    out.retain(|c| !c.text.is_empty());
    out
}

/// Rows of free vertical text: blocks top to bottom, columns right to left within a block, one
/// row per paragraph (wrapped columns joined).
pub(super) fn vertical_rows(pc: &PageContent, idx: &[usize]) -> Vec<Row> {
    let cols = columns(pc, idx);
    let mut rows = Vec::new();
    for block in blocks(&cols) {
        let (top, bottom) = block.iter().fold((f32::MAX, f32::MIN), |(t, b), c| {
            (t.min(c.top), b.max(c.bottom))
        });
        // Every row of a block gets the block's top, so that sorting rows by top keeps the
        // columns' order.
        for text in paragraphs(&block) {
            rows.push(Row {
                top,
                bottom,
                cells: vec![text],
                in_table: false,
                key: None,
            });
        }
    }
    rows
}

/// Columns grouped into blocks that do not overlap vertically, top to bottom, each block's
/// columns in their right-to-left order. Columns much longer than most (a heading running
/// beside several blocks) do not join blocks; they go to the block where they start.
fn blocks(cols: &[Column]) -> Vec<Vec<&Column>> {
    if cols.is_empty() {
        return Vec::new();
    }
    let mut heights: Vec<f32> = cols.iter().map(|c| c.bottom - c.top).collect();
    heights.sort_by(f32::total_cmp);
    let median = heights.get(heights.len() / 2).copied().unwrap_or(0.0);
    let tall = |c: &Column| c.bottom - c.top > 1.6 * median + 2.0 * c.size;
    let mut order: Vec<&Column> = cols.iter().filter(|c| !tall(c)).collect();
    order.sort_by(|a, b| a.top.total_cmp(&b.top));
    let mut bands: Vec<(f32, f32)> = Vec::new();
    for c in order {
        match bands.last_mut() {
            Some(b) if c.top < b.1 - 0.3 * c.size => b.1 = b.1.max(c.bottom),
            _ => bands.push((c.top, c.bottom)),
        }
    }
    let mut out: Vec<Vec<&Column>> = vec![Vec::new(); bands.len().max(1)];
    for c in cols {
        let band = bands
            .iter()
            .rposition(|b| b.0 <= c.top + 0.3 * c.size)
            .unwrap_or(0);
        if let Some(slot) = out.get_mut(band) {
            slot.push(c);
        }
    }
    out.retain(|b| !b.is_empty());
    out
}

/// A block's columns as paragraphs: a column that reaches the block's end continues in the next
/// column when that one is beside it, of the same size, starts at the block's start and does not
/// open a list entry; every other column starts a paragraph. Blocks shorter than eight
/// characters (headings, short lines side by side) are not joined.
fn paragraphs(block: &[&Column]) -> Vec<String> {
    let start = block.iter().map(|c| c.start).fold(f32::MAX, f32::min);
    let end = block.iter().map(|c| c.end).fold(f32::MIN, f32::max);
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<&Column> = None;
    for &c in block {
        let size = c.size.max(1.0);
        // Short columns (headings, labels) are never taken for wrapped lines.
        let continues = prev.is_some_and(|p| {
            end - start >= 8.0 * size
                && p.end >= end - 1.5 * size
                && c.start <= start + 0.5 * size
                && (p.size - c.size).abs() <= 0.15 * p.size.max(c.size)
                && (p.x - c.x).abs() <= 2.5 * size
                && !starts_entry(&c.text)
        });
        match out.last_mut() {
            Some(last) if continues => {
                let a = last.chars().next_back().unwrap_or(' ');
                let b = c.text.chars().next().unwrap_or(' ');
                if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
                    last.push(' ');
                }
                last.push_str(&c.text);
            }
            _ => out.push(c.text.clone()),
        }
        prev = Some(c);
    }
    out
}

/// Upright glyphs of a horizontal font stacked in columns: runs of at least three glyphs, mostly
/// kana and kanji, one below the other at a common centre, none of them with a neighbour on its
/// own baseline (which horizontal text always has). Once a page has such columns, lone upright
/// glyphs among them (a column of one or two characters) are read with them.
///
/// Returns a copy of the page in which those glyphs are vertical glyphs (x at the centre of the
/// column, y at the glyph's top, advance one character), and their indices; None when there are
/// none.
pub(super) fn upright_columns(
    pc: &PageContent,
    idx: &[usize],
) -> Option<(PageContent, Vec<usize>)> {
    let horiz: Vec<usize> = idx
        .iter()
        .copied()
        .filter(|&i| pc.glyphs.get(i).is_some_and(|g| !g.vertical))
        .collect();
    if horiz.len() < 3 {
        return None;
    }
    let joined = joined_on_baseline(pc, &horiz);
    // Lone glyphs: (index, centre x, y, size).
    let mut lone: Vec<(usize, f32, f32, f32)> = horiz
        .iter()
        .zip(&joined)
        .filter(|(_, j)| !**j)
        .filter_map(|(&i, _)| {
            let g = pc.glyphs.get(i)?;
            if g.space {
                return None;
            }
            let w = if g.w > 0.0 { g.w } else { g.size / 2.0 };
            Some((i, g.x + w / 2.0, g.y, g.size.max(1.0)))
        })
        .collect();
    if lone.len() < 3 {
        return None;
    }
    // Baselines of horizontal text: a run whose every glyph sits on one of them is a column of
    // row labels (`Ａ　計画を上回った` over `Ｂ　計画どおり`), not vertical writing.
    let mut baselines: Vec<f32> = horiz
        .iter()
        .zip(&joined)
        .filter(|(_, j)| **j)
        .filter_map(|(&i, _)| pc.glyphs.get(i).map(|g| g.y))
        .collect();
    baselines.sort_by(f32::total_cmp);
    let on_baseline = |y: f32, size: f32| {
        let k = baselines.partition_point(|&b| b < y - 0.1 * size);
        baselines.get(k).is_some_and(|&b| b <= y + 0.1 * size)
    };
    lone.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.2.total_cmp(&b.2)));
    // Stacks by centre x, then runs by pitch.
    let mut stacks: Vec<Vec<(usize, f32, f32, f32)>> = Vec::new();
    for g in lone.iter().copied() {
        match stacks.last_mut() {
            Some(s) if s.first().is_some_and(|f| g.1 - f.1 <= 0.3 * f.3.max(g.3)) => s.push(g),
            _ => stacks.push(vec![g]),
        }
    }
    let mut taken: Vec<usize> = Vec::new();
    let mut area: Option<(f32, f32, f32, f32)> = None;
    for mut s in stacks {
        s.sort_by(|a, b| a.2.total_cmp(&b.2));
        let mut run: Vec<(usize, f32, f32, f32)> = Vec::new();
        let mut flush = |run: &mut Vec<(usize, f32, f32, f32)>| {
            let cjk = run
                .iter()
                .filter(|g| {
                    pc.glyphs
                        .get(g.0)
                        .and_then(|gl| pc.glyph_text(gl).chars().next())
                        .is_some_and(is_cjk)
                })
                .count();
            let rows = run.iter().all(|g| on_baseline(g.2, g.3));
            if run.len() >= 3 && cjk * 3 >= run.len() * 2 && !rows {
                for g in run.iter() {
                    let a = area.get_or_insert((g.1, g.2, g.1, g.2));
                    // Beside the columns, room for a neighbouring column of one or two glyphs.
                    *a = (
                        a.0.min(g.1 - 2.5 * g.3),
                        a.1.min(g.2 - 2.0 * g.3),
                        a.2.max(g.1 + 2.5 * g.3),
                        a.3.max(g.2 + g.3),
                    );
                    taken.push(g.0);
                }
            }
            run.clear();
        };
        for g in s {
            if let Some(p) = run.last() {
                let pitch = g.2 - p.2;
                let same_size = (g.3 - p.3).abs() <= 0.15 * g.3.max(p.3);
                if !(same_size && pitch >= 0.4 * p.3 && pitch <= 1.6 * p.3) {
                    flush(&mut run);
                }
            }
            run.push(g);
        }
        flush(&mut run);
    }
    let (x0, y0, x1, y1) = area?;
    for g in &lone {
        if (x0..=x1).contains(&g.1) && (y0..=y1).contains(&g.2) {
            taken.push(g.0);
        }
    }
    // Spaces inside the columns (an ideographic space after a number) are kept as spaces.
    for &i in &horiz {
        if let Some(g) = pc.glyphs.get(i).filter(|g| g.space) {
            let cx = g.x + g.w / 2.0;
            if (x0..=x1).contains(&cx) && (y0..=y1).contains(&g.y) {
                taken.push(i);
            }
        }
    }
    taken.sort_unstable();
    taken.dedup();
    let mut glyphs = pc.glyphs.clone();
    for &i in &taken {
        if let Some(g) = glyphs.get_mut(i) {
            let w = if g.w > 0.0 { g.w } else { g.size / 2.0 };
            g.x += w / 2.0;
            g.y -= 0.88 * g.size;
            g.w = g.size;
            g.vertical = true;
            g.upward = false;
        }
    }
    let turned = PageContent {
        glyphs,
        text: pc.text.clone(),
        height: pc.height,
        spaced_text: pc.spaced_text,
        ocr_word_gap: pc.ocr_word_gap,
        ..PageContent::default()
    };
    Some((turned, taken))
}

/// For each glyph, whether another glyph stands right beside it on its baseline (less than a
/// third of a character between them), as in horizontal text. Glyphs are grouped by baseline and
/// only neighbours in x order are compared, so the cost stays O(n log n).
fn joined_on_baseline(pc: &PageContent, idx: &[usize]) -> Vec<bool> {
    let glyph = |k: usize| idx.get(k).and_then(|&i| pc.glyphs.get(i));
    let mut order: Vec<usize> = (0..idx.len()).collect();
    order.sort_by(|&a, &b| {
        let ya = glyph(a).map_or(0.0, |g| g.y);
        let yb = glyph(b).map_or(0.0, |g| g.y);
        ya.total_cmp(&yb)
    });
    let mut joined = vec![false; idx.len()];
    let mut mark = |k: usize| {
        if let Some(slot) = joined.get_mut(k) {
            *slot = true;
        }
    };
    let mut line: Vec<usize> = Vec::new();
    let mut flush = |line: &mut Vec<usize>| {
        line.sort_by(|&a, &b| {
            let xa = glyph(a).map_or(0.0, |g| g.x);
            let xb = glyph(b).map_or(0.0, |g| g.x);
            xa.total_cmp(&xb)
        });
        let mut prev: Option<usize> = None;
        for &b in line.iter() {
            let Some(gb) = glyph(b) else { continue };
            if let Some(ga) = prev.and_then(glyph) {
                let size = ga.size.max(gb.size).max(1.0);
                // Overprinted duplicates (fake bold) are not neighbours.
                if (gb.x - ga.x).abs() < 0.1 * size && pc.glyph_text(ga) == pc.glyph_text(gb) {
                    continue;
                }
                let gap = gb.x - (ga.x + ga.w);
                if gap < 0.3 * size && gap > -0.5 * size {
                    mark(b);
                    if let Some(a) = prev {
                        mark(a);
                    }
                }
            }
            prev = Some(b);
        }
        line.clear();
    };
    let mut base: Option<(f32, f32)> = None;
    for &k in &order {
        let Some(g) = glyph(k) else { continue };
        if let Some((y, size)) = base {
            if g.y - y > 0.3 * size.max(g.size).max(1.0) {
                flush(&mut line);
                base = None;
            }
        }
        base.get_or_insert((g.y, g.size));
        line.push(k);
    }
    flush(&mut line);
    joined
}

#[cfg(test)]
mod tests {
    use super::super::layout::layout_page;
    use super::*;

    /// A page of columns: (text, x, y of the first glyph, size, vertical font). Vertical-font
    /// glyphs have x at the column's centre and y at the glyph's top; upright glyphs of a
    /// horizontal font have x at their left edge and y at their baseline. Each glyph advances by
    /// its size down the column.
    fn page(cols: &[(&str, f32, f32, f32, bool)]) -> PageContent {
        let mut pc = PageContent {
            height: 800.0,
            ..PageContent::default()
        };
        for &(text, x, y0, size, vertical) in cols {
            let mut y = y0;
            for ch in text.chars() {
                let t0 = pc.text.len() as u32;
                pc.text.push(ch);
                pc.glyphs.push(Glyph {
                    x,
                    y,
                    w: size,
                    size,
                    vertical,
                    t0,
                    t1: pc.text.len() as u32,
                    space: ch == ' ' || ch == '\u{3000}',
                    mcid: -1,
                    upward: false,
                });
                y += size;
            }
        }
        pc
    }

    fn text(pc: &PageContent) -> Vec<String> {
        layout_page(pc, &|_| None)
            .into_iter()
            .map(|r| r.cells.join("\t"))
            .collect()
    }

    #[test]
    fn columns_and_blocks_in_reading_order() {
        type Case<'a> = (&'a str, Vec<(&'a str, f32, f32, f32, bool)>, Vec<&'a str>);
        let cases: Vec<Case> = vec![
            (
                "vertical font, right to left",
                vec![
                    ("右列", 300.0, 50.0, 10.0, true),
                    ("左列", 200.0, 50.0, 10.0, true),
                ],
                vec!["右列", "左列"],
            ),
            (
                // Two blocks whose columns stand at the same x: the upper block first.
                "vertical font, two blocks",
                vec![
                    ("上段の一", 300.0, 50.0, 10.0, true),
                    ("上段の二列", 280.0, 50.0, 10.0, true),
                    ("下段の一", 300.0, 200.0, 10.0, true),
                    ("下段の二列", 280.0, 200.0, 10.0, true),
                ],
                vec!["上段の一", "上段の二列", "下段の一", "下段の二列"],
            ),
            (
                // Upright glyphs of a horizontal font (browser vertical-rl): columns 16 apart,
                // each glyph 10 wide, so neighbours on a baseline stand 6 apart. The heading is
                // set larger, so the column after it is not its continuation.
                "upright glyphs, two blocks",
                vec![
                    ("第一段の見出し", 300.0, 60.0, 12.0, false),
                    ("一の一行目。", 284.0, 60.0, 10.0, false),
                    ("一の二行目。", 268.0, 60.0, 10.0, false),
                    ("二の一行目。", 300.0, 260.0, 10.0, false),
                    ("二の二行目。", 284.0, 260.0, 10.0, false),
                ],
                vec![
                    "第一段の見出し",
                    "一の一行目。",
                    "一の二行目。",
                    "二の一行目。",
                    "二の二行目。",
                ],
            ),
            (
                // A paragraph wrapped over two full columns and ended in a third, then an
                // indented paragraph: the wrap is joined, the indent starts a new row.
                "wrapped columns joined",
                vec![
                    ("一二三四五六七八九十", 300.0, 60.0, 10.0, false),
                    ("十一十二十三十四十五", 284.0, 60.0, 10.0, false),
                    ("終わり", 268.0, 60.0, 10.0, false),
                    ("次の段落", 252.0, 70.0, 10.0, false),
                ],
                vec!["一二三四五六七八九十十一十二十三十四十五終わり", "次の段落"],
            ),
            (
                // A lone column of one character beside upright columns is read with them.
                "short column among upright columns",
                vec![
                    ("序", 316.0, 60.0, 10.0, false),
                    ("本文の一行目", 300.0, 60.0, 10.0, false),
                    ("二行目です", 284.0, 70.0, 10.0, false),
                ],
                vec!["序", "本文の一行目", "二行目です"],
            ),
        ];
        for (name, cols, want) in cases {
            assert_eq!(text(&page(&cols)), want, "{name}");
        }
    }

    #[test]
    fn horizontal_text_is_not_turned() {
        // Lines of horizontal text (glyphs side by side) starting at the same x, and a column of
        // single marks: none of them is a vertical column.
        let mut pc = PageContent {
            height: 800.0,
            ..PageContent::default()
        };
        let lines = [
            ("一行目の文", 100.0, 50.0),
            ("二行目の文", 100.0, 62.0),
            ("三行目の文", 100.0, 74.0),
            ("○", 300.0, 50.0),
            ("○", 300.0, 62.0),
            ("○", 300.0, 74.0),
        ];
        for (text, x0, y) in lines {
            let mut x = x0;
            for ch in text.chars() {
                let t0 = pc.text.len() as u32;
                pc.text.push(ch);
                pc.glyphs.push(Glyph {
                    x,
                    y,
                    w: 10.0,
                    size: 10.0,
                    vertical: false,
                    t0,
                    t1: pc.text.len() as u32,
                    space: false,
                    mcid: -1,
                    upward: false,
                });
                x += 10.0;
            }
        }
        let idx: Vec<usize> = (0..pc.glyphs.len()).collect();
        assert!(upright_columns(&pc, &idx).is_none());
    }
}
