//! Where the text of each cell is on its page: glyph boxes, and the box of each laid-out cell,
//! found again among the glyphs of the cell's row band. Kept beside the layout so that the
//! layout itself stays a text transformation.

use rustc_hash::FxHashMap;

use super::interp::{Glyph, PageContent};
use super::layout::Row;
use crate::source::{union_box, Geometry, LineBoxes, PageGeometry, PlacedGlyph, SourceLine};

/// Rows whose band a glyph's centre lies in, give or take this much (points).
const BAND_SLACK: f32 = 2.0;

/// The box of a glyph as displayed: ascent 0.88 and descent 0.12 of the font size for horizontal
/// text; the advance along the column for vertical text.
fn glyph_box(g: &Glyph) -> [f32; 4] {
    match (g.vertical, g.upward) {
        (false, _) => [g.x, g.y - g.size * 0.88, g.x + g.w, g.y + g.size * 0.12],
        (true, false) => [g.x - g.size / 2.0, g.y, g.x + g.size / 2.0, g.y + g.w],
        (true, true) => [g.x - g.size / 2.0, g.y - g.w, g.x + g.size / 2.0, g.y],
    }
}

/// The glyphs (with visible text) and ruling lines of one page.
pub(crate) fn page(pc: &PageContent, page: u32) -> PageGeometry {
    let glyphs = pc
        .glyphs
        .iter()
        .filter(|g| !g.space)
        .map(|g| PlacedGlyph {
            text: pc.glyph_text(g).to_string(),
            bbox: glyph_box(g),
            size: g.size,
            vertical: g.vertical,
        })
        .filter(|g| !g.text.trim().is_empty())
        .collect();
    PageGeometry {
        page,
        width: pc.width,
        height: pc.height,
        glyphs,
        rules: pc.rules.iter().map(|r| [r.x0, r.y0, r.x1, r.y1]).collect(),
    }
}

/// Cell boxes of every row, pages in order (pages without rows give nothing, as in the line
/// numbering).
pub(crate) fn row_boxes(pages: &[PageGeometry], rows: &[Vec<Row>]) -> Vec<Vec<Option<[f32; 4]>>> {
    let mut out = Vec::new();
    for (geo, rows) in pages.iter().zip(rows) {
        let by_centre = ByCentre::new(&geo.glyphs);
        for r in rows {
            out.push(cell_boxes_in(&geo.glyphs, &by_centre, r));
        }
    }
    out
}

/// The glyphs of a page ordered by the height of their centre, so that a row's band is found
/// by two binary searches instead of a look at every glyph of the page. Glyphs whose centre is
/// not a number are in no band and left out.
struct ByCentre {
    /// (centre, index of the glyph), by centre.
    centres: Vec<(f32, usize)>,
}

impl ByCentre {
    fn new(glyphs: &[PlacedGlyph]) -> Self {
        let mut centres: Vec<(f32, usize)> = glyphs
            .iter()
            .enumerate()
            .map(|(i, g)| ((g.bbox[1] + g.bbox[3]) / 2.0, i))
            .filter(|(cy, _)| !cy.is_nan())
            .collect();
        centres.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        ByCentre { centres }
    }

    /// Indices of the glyphs whose centre lies in `top..=bottom`, in the glyphs' order.
    fn band(&self, top: f32, bottom: f32) -> Vec<usize> {
        if top.is_nan() || bottom.is_nan() {
            return Vec::new();
        }
        let from = self.centres.partition_point(|(cy, _)| *cy < top);
        let to = self.centres.partition_point(|(cy, _)| *cy <= bottom);
        let mut band: Vec<usize> = self
            .centres
            .get(from..to.max(from))
            .unwrap_or_default()
            .iter()
            .map(|(_, i)| *i)
            .collect();
        band.sort_unstable();
        band
    }
}

/// Pair the row boxes with the numbered lines.
pub(crate) fn lines(
    pages: Vec<PageGeometry>,
    lines: &[SourceLine],
    boxes: Vec<Vec<Option<[f32; 4]>>>,
) -> Geometry {
    Geometry {
        pages,
        lines: lines
            .iter()
            .zip(boxes)
            .map(|(l, cells)| LineBoxes {
                line: l.line,
                cells,
            })
            .collect(),
    }
}

/// The box of each cell of a row: the glyphs whose centre lies in the row's band are taken left
/// to right, and each goes to the first cell, from the current one on, whose text still needs
/// its character.
#[cfg(test)]
pub(crate) fn cell_boxes(glyphs: &[PlacedGlyph], row: &Row) -> Vec<Option<[f32; 4]>> {
    cell_boxes_in(glyphs, &ByCentre::new(glyphs), row)
}

/// As [`cell_boxes`], with the page's glyphs ordered by centre.
fn cell_boxes_in(glyphs: &[PlacedGlyph], by_centre: &ByCentre, row: &Row) -> Vec<Option<[f32; 4]>> {
    let mut need: Vec<FxHashMap<char, u32>> = row
        .cells
        .iter()
        .map(|c| {
            let mut m = FxHashMap::default();
            for ch in c.chars().filter(|c| !c.is_whitespace()) {
                *m.entry(ch).or_insert(0) += 1;
            }
            m
        })
        .collect();
    let mut band: Vec<&PlacedGlyph> = by_centre
        .band(row.top - BAND_SLACK, row.bottom + BAND_SLACK)
        .into_iter()
        .filter_map(|i| glyphs.get(i))
        .collect();
    band.sort_by(|a, b| {
        a.bbox[0]
            .total_cmp(&b.bbox[0])
            .then(a.bbox[1].total_cmp(&b.bbox[1]))
    });
    let mut boxes: Vec<Option<[f32; 4]>> = vec![None; row.cells.len()];
    let mut at = 0usize;
    for g in band {
        let Some(ch) = g.text.chars().find(|c| !c.is_whitespace()) else {
            continue;
        };
        let found = (at..need.len())
            .find(|&j| need.get(j).and_then(|m| m.get(&ch)).is_some_and(|&n| n > 0));
        let Some(j) = found else { continue };
        if let Some(n) = need.get_mut(j).and_then(|m| m.get_mut(&ch)) {
            *n -= 1;
        }
        if let Some(b) = boxes.get_mut(j) {
            *b = Some(union_box(*b, g.bbox));
        }
        // Move on once the current cell has all its characters.
        if j > at || need.get(at).is_some_and(|m| m.values().all(|&n| n == 0)) {
            at = j;
            while need.get(at).is_some_and(|m| m.values().all(|&n| n == 0)) && at + 1 < need.len() {
                at += 1;
            }
        }
    }
    boxes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str], top: f32, bottom: f32) -> Row {
        Row {
            top,
            bottom,
            cells: cells.iter().map(|s| s.to_string()).collect(),
            in_table: false,
            key: None,
        }
    }

    #[test]
    fn cells_get_the_boxes_of_their_glyphs() {
        // Two cells side by side, the second on two visual lines; a glyph of another row below.
        let glyphs = vec![
            PlacedGlyph::at("目", 10.0, 20.0),
            PlacedGlyph::at("標", 20.0, 20.0),
            PlacedGlyph::at("1", 100.0, 20.0),
            PlacedGlyph::at("0", 110.0, 20.0),
            PlacedGlyph::at("人", 100.0, 32.0),
            PlacedGlyph::at("外", 10.0, 80.0),
        ];
        let cases: Vec<(Row, Vec<Option<[f32; 4]>>)> = vec![
            (
                row(&["目標", "10\n人"], 10.0, 34.0),
                vec![
                    Some([10.0, 11.2, 30.0, 21.2]),
                    Some([100.0, 11.2, 120.0, 33.2]),
                ],
            ),
            (
                row(&["", "目標"], 10.0, 22.0),
                vec![None, Some([10.0, 11.2, 30.0, 21.2])],
            ),
            (row(&["無い"], 10.0, 22.0), vec![None]),
        ];
        for (r, want) in cases {
            assert_eq!(cell_boxes(&glyphs, &r), want, "{:?}", r.cells);
        }
    }

    #[test]
    fn a_band_holds_the_glyphs_a_look_at_each_would_find() {
        // Centres (`PlacedGlyph::at` puts them 3.8 above y): 16.2, 4.2, 16.2, 28.2, none (NaN),
        // 0 (a negative zero) and 10.2.
        let mut glyphs: Vec<PlacedGlyph> = [20.0, 8.0, 20.0, 32.0, 0.0, 0.0, 14.0]
            .iter()
            .enumerate()
            .map(|(i, y)| PlacedGlyph::at("字", i as f32, *y))
            .collect();
        glyphs[4].bbox = [0.0, f32::NAN, 1.0, 1.0];
        glyphs[5].bbox = [0.0, -0.0, 1.0, 0.0];
        let by_centre = ByCentre::new(&glyphs);
        let centre = |g: &PlacedGlyph| (g.bbox[1] + g.bbox[3]) / 2.0;
        let cases: Vec<(f32, f32, Vec<usize>)> = vec![
            (0.0, 100.0, vec![0, 1, 2, 3, 5, 6]),
            (-1.0, 0.0, vec![5]),
            (15.0, 17.0, vec![0, 2]),
            (centre(&glyphs[1]), centre(&glyphs[6]), vec![1, 6]),
            (f32::NAN, 30.0, vec![]),
            (30.0, 10.0, vec![]),
            (f32::NEG_INFINITY, f32::INFINITY, vec![0, 1, 2, 3, 5, 6]),
        ];
        for (top, bottom, want) in cases {
            // As a look at every glyph finds them.
            let each: Vec<usize> = (0..glyphs.len())
                .filter(|&i| centre(&glyphs[i]) >= top && centre(&glyphs[i]) <= bottom)
                .collect();
            assert_eq!(each, want, "{top}..={bottom}");
            assert_eq!(by_centre.band(top, bottom), want, "{top}..={bottom}");
        }
    }

    #[test]
    fn repeated_characters_go_to_the_cell_in_turn() {
        let glyphs = vec![
            PlacedGlyph::at("1", 10.0, 20.0),
            PlacedGlyph::at("1", 50.0, 20.0),
            PlacedGlyph::at("2", 60.0, 20.0),
        ];
        let boxes = cell_boxes(&glyphs, &row(&["1", "12"], 10.0, 22.0));
        assert_eq!(
            boxes,
            vec![
                Some([10.0, 11.2, 20.0, 21.2]),
                Some([50.0, 11.2, 70.0, 21.2])
            ]
        );
    }
}
