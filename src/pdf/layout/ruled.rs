//! Ruled tables: a connected grid of ruling lines gives cells directly, merged cells included
//! (each grid row one output row with one cell per grid column, a cell spanning several columns
//! or rows followed by empty cells, like a rendered HTML table).

use super::{block_text, center, Row, MIN_RULE_LEN, RULE_JOIN};
use crate::pdf::interp::{PageContent, Rule};

#[derive(Debug, Clone, Copy, PartialEq)]
struct Seg {
    /// Position across the segment (y for horizontal, x for vertical).
    at: f32,
    from: f32,
    to: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Table {
    xs: Vec<f32>,
    ys: Vec<f32>,
    /// Cell id of each band (row-major), and each cell's band rectangle (r0, c0, r1, c1).
    band_cell: Vec<usize>,
    cells: Vec<(usize, usize, usize, usize)>,
}

impl Table {
    pub(super) fn contains(&self, x: f32, y: f32) -> bool {
        match (
            self.xs.first(),
            self.xs.last(),
            self.ys.first(),
            self.ys.last(),
        ) {
            (Some(x0), Some(x1), Some(y0), Some(y1)) => {
                *x0 <= x && x <= *x1 && *y0 <= y && y <= *y1
            }
            _ => false,
        }
    }

    fn ncols(&self) -> usize {
        self.xs.len().saturating_sub(1)
    }

    fn band_of(edges: &[f32], v: f32) -> usize {
        edges
            .partition_point(|e| *e <= v)
            .saturating_sub(1)
            .min(edges.len().saturating_sub(2))
    }

    pub(super) fn rows(&self, pc: &PageContent, glyphs: &[usize]) -> Vec<Row> {
        let ncols = self.ncols();
        let mut per_cell: Vec<Vec<usize>> = vec![Vec::new(); self.cells.len()];
        for &i in glyphs {
            let Some(g) = pc.glyphs.get(i) else { continue };
            let (cx, cy) = center(g);
            let (r, c) = (Self::band_of(&self.ys, cy), Self::band_of(&self.xs, cx));
            if let Some(cell) = self
                .band_cell
                .get(r * ncols + c)
                .and_then(|&id| per_cell.get_mut(id))
            {
                cell.push(i);
            }
        }
        let texts: Vec<String> = per_cell.iter().map(|g| block_text(pc, g)).collect();
        let mut rows = Vec::new();
        for r in 0..self.ys.len().saturating_sub(1) {
            let mut cells = Vec::with_capacity(ncols);
            let mut bottom = self.ys.get(r + 1).copied().unwrap_or(0.0);
            for c in 0..ncols {
                let id = self
                    .band_cell
                    .get(r * ncols + c)
                    .copied()
                    .unwrap_or(usize::MAX);
                match self.cells.get(id) {
                    Some(&(r0, c0, r1, _)) if r0 == r && c0 == c => {
                        let t = texts.get(id).cloned().unwrap_or_default();
                        if !t.is_empty() {
                            bottom = bottom.max(self.ys.get(r1 + 1).copied().unwrap_or(bottom));
                        }
                        cells.push(t);
                    }
                    _ => cells.push(String::new()),
                }
            }
            rows.push(Row {
                top: self.ys.get(r).copied().unwrap_or(0.0),
                bottom,
                cells,
                in_table: true,
                key: None,
            });
        }
        rows
    }
}

/// Split rules into merged horizontal and vertical segments.
fn segments(rules: &[Rule]) -> (Vec<Seg>, Vec<Seg>) {
    let mut h = Vec::new();
    let mut v = Vec::new();
    for r in rules {
        let (w, ht) = (r.x1 - r.x0, r.y1 - r.y0);
        if r.horizontal() {
            if w >= MIN_RULE_LEN {
                h.push(Seg {
                    at: (r.y0 + r.y1) / 2.0,
                    from: r.x0,
                    to: r.x1,
                });
            }
        } else if ht >= MIN_RULE_LEN {
            v.push(Seg {
                at: (r.x0 + r.x1) / 2.0,
                from: r.y0,
                to: r.y1,
            });
        }
    }
    (merge_segs(h), merge_segs(v))
}

fn merge_segs(mut segs: Vec<Seg>) -> Vec<Seg> {
    segs.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    // Group by position first (within tolerance), then merge overlapping spans within a group.
    let mut out: Vec<Seg> = Vec::new();
    let mut i = 0;
    while i < segs.len() {
        let mut j = i;
        let at0 = segs.get(i).map(|s| s.at).unwrap_or(0.0);
        while segs.get(j).is_some_and(|s| s.at - at0 <= 1.0) {
            j += 1;
        }
        let mut group: Vec<Seg> = segs.get(i..j).map(<[Seg]>::to_vec).unwrap_or_default();
        group.sort_by(|a, b| a.from.total_cmp(&b.from));
        let at = group.iter().map(|s| s.at).sum::<f32>() / group.len().max(1) as f32;
        let mut cur: Option<Seg> = None;
        for s in group {
            cur = match cur {
                Some(c) if s.from <= c.to + RULE_JOIN => Some(Seg {
                    at,
                    from: c.from,
                    to: c.to.max(s.to),
                }),
                Some(c) => {
                    out.push(c);
                    Some(Seg { at, ..s })
                }
                None => Some(Seg { at, ..s }),
            };
        }
        out.extend(cur);
        i = j;
    }
    out
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while let Some(&p) = parent.get(i) {
        if p == i {
            break;
        }
        let gp = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(i) {
            *slot = gp;
        }
        i = p;
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        if let Some(slot) = parent.get_mut(ra.max(rb)) {
            *slot = ra.min(rb);
        }
    }
}

/// Cluster sorted values closer than `tol`, returning the cluster means.
fn cluster(mut vals: Vec<f32>, tol: f32) -> Vec<f32> {
    vals.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    let mut group: Vec<f32> = Vec::new();
    for v in vals {
        if let Some(&last) = group.last() {
            if v - last > tol {
                out.push(group.iter().sum::<f32>() / group.len() as f32);
                group.clear();
            }
        }
        group.push(v);
    }
    if !group.is_empty() {
        out.push(group.iter().sum::<f32>() / group.len() as f32);
    }
    out
}

pub(super) fn find_tables(rules: &[Rule]) -> Vec<Table> {
    let (h, v) = segments(rules);
    // A page of thousands of hairlines is a drawing, not a table: keep the work bounded.
    if h.len() < 2 || v.len() < 2 || h.len().saturating_mul(v.len()) > 4_000_000 {
        return Vec::new();
    }
    // Connected components of crossing / touching segments.
    let n = h.len() + v.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (hi, hs) in h.iter().enumerate() {
        for (vi, vs) in v.iter().enumerate() {
            let touch = vs.at >= hs.from - RULE_JOIN
                && vs.at <= hs.to + RULE_JOIN
                && hs.at >= vs.from - RULE_JOIN
                && hs.at <= vs.to + RULE_JOIN;
            if touch {
                union(&mut parent, hi, h.len() + vi);
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Seg>, Vec<Seg>)> =
        std::collections::BTreeMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        let e = groups.entry(root).or_default();
        if i < h.len() {
            e.0.extend(h.get(i).copied());
        } else {
            e.1.extend(v.get(i - h.len()).copied());
        }
    }
    groups
        .into_values()
        .filter_map(|(hs, vs)| build_table(&hs, &vs))
        .collect()
}

fn build_table(hs: &[Seg], vs: &[Seg]) -> Option<Table> {
    if hs.len() < 2 || vs.len() < 2 {
        return None;
    }
    let xs = cluster(vs.iter().map(|s| s.at).collect(), RULE_JOIN);
    let ys = cluster(hs.iter().map(|s| s.at).collect(), RULE_JOIN);
    if xs.len() < 2 || ys.len() < 2 || xs.len() > 400 || ys.len() > 2000 {
        return None;
    }
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    // Segments bucketed by the grid line they lie on.
    let bucket = |edges: &[f32], segs: &[Seg]| -> Vec<Vec<(f32, f32)>> {
        let mut out = vec![Vec::new(); edges.len()];
        for s in segs {
            let k = edges.partition_point(|e| *e < s.at - RULE_JOIN);
            for j in k..edges.len() {
                match (edges.get(j), out.get_mut(j)) {
                    (Some(e), Some(slot)) if (*e - s.at).abs() <= RULE_JOIN => {
                        slot.push((s.from, s.to))
                    }
                    _ => break,
                }
            }
        }
        out
    };
    let v_at = bucket(&xs, vs);
    let h_at = bucket(&ys, hs);
    let covers = |segs: Option<&Vec<(f32, f32)>>, p: f32| {
        segs.is_some_and(|v| {
            v.iter()
                .any(|(a, b)| a - RULE_JOIN <= p && p <= b + RULE_JOIN)
        })
    };
    let mut parent: Vec<usize> = (0..nr * nc).collect();
    for r in 0..nr {
        let ymid = (*ys.get(r)? + *ys.get(r + 1)?) / 2.0;
        for c in 0..nc {
            let xmid = (*xs.get(c)? + *xs.get(c + 1)?) / 2.0;
            if c + 1 < nc && !covers(v_at.get(c + 1), ymid) {
                union(&mut parent, r * nc + c, r * nc + c + 1);
            }
            if r + 1 < nr && !covers(h_at.get(r + 1), xmid) {
                union(&mut parent, r * nc + c, (r + 1) * nc + c);
            }
        }
    }
    let mut ids: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut cells: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut band_cell = vec![0usize; nr * nc];
    for r in 0..nr {
        for c in 0..nc {
            let root = find(&mut parent, r * nc + c);
            let next = cells.len();
            let id = *ids.entry(root).or_insert(next);
            if id == next {
                cells.push((r, c, r, c));
            }
            if let Some(cell) = cells.get_mut(id) {
                cell.0 = cell.0.min(r);
                cell.1 = cell.1.min(c);
                cell.2 = cell.2.max(r);
                cell.3 = cell.3.max(c);
            }
            if let Some(slot) = band_cell.get_mut(r * nc + c) {
                *slot = id;
            }
        }
    }
    Some(Table {
        xs,
        ys,
        band_cell,
        cells,
    })
}
