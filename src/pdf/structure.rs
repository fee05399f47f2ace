//! Tagged PDF tables: the logical structure tree's Table / TR / TH / TD elements, with their
//! row and column spans, and which marked-content ids of which page belong to which cell.
//!
//! When a producer tags its tables (browsers, office suites), this is exact where geometry can
//! only guess: borderless tables with vertically centred, wrapped cells.

use std::collections::{HashMap, HashSet};

use lopdf::{Dictionary, Object, ObjectId};

use super::doc::Pdf;

/// A table cell's place in its table's grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CellPos {
    /// Index of the table among the document's tables.
    pub table: usize,
    /// Row index (in document order of the table's rows), and the cell's index in its row.
    pub row: usize,
    pub cell: usize,
    /// First grid column as the structure states it (declared spans, header references).
    pub col: usize,
    /// Columns spanned.
    pub colspan: usize,
    /// Grid columns of the whole table.
    pub width: usize,
    /// The row's cells fill the grid by themselves (no spans from rows above, no shift): their
    /// columns are certain and show where the table's columns are.
    pub complete: bool,
}

/// The tables of a tagged document.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    /// (page object id, MCID) → cell.
    cells: HashMap<(ObjectId, i64), CellPos>,
    /// Keys in insertion order.
    order: Vec<(ObjectId, i64)>,
}

impl Tables {
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    pub fn cell(&self, page: ObjectId, mcid: i32) -> Option<CellPos> {
        if mcid < 0 {
            return None;
        }
        self.cells.get(&(page, i64::from(mcid))).copied()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Table,
    Row,
    Cell,
    Other,
}

struct Elem {
    role: Role,
    parent: Option<usize>,
    children: Vec<usize>,
    /// Marked content directly in this element: (page, MCID).
    content: Vec<(ObjectId, i64)>,
    colspan: usize,
    rowspan: usize,
    /// `/ID` and the `/Headers` attribute (ids of the header cells of a data cell).
    id: Option<Vec<u8>>,
    headers: Vec<Vec<u8>>,
}

/// Read the structure tree's tables. Bounded by `max_objects` elements and `max_depth` nesting.
pub(crate) fn read(pdf: &Pdf) -> Tables {
    let Some(root) = pdf
        .doc
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|o| pdf.dict(o))
        .and_then(|cat| pdf.get_dict(cat, b"StructTreeRoot"))
    else {
        return Tables::default();
    };
    let role_map = pdf.get_dict(root, b"RoleMap");
    let mut elems: Vec<Elem> = Vec::new();
    let mut seen: HashSet<ObjectId> = HashSet::new();
    // element objects → their index
    let mut by_id: HashMap<ObjectId, usize> = HashMap::new();
    // (object, parent element, inherited page, depth)
    let mut stack: Vec<(&Object, Option<usize>, Option<ObjectId>, usize)> = Vec::new();
    if let Ok(k) = root.get(b"K") {
        stack.push((k, None, None, 0));
    }
    let max_elems = pdf.limits.max_objects.min(2_000_000);
    while let Some((obj, parent, page, depth)) = stack.pop() {
        if depth > pdf.limits.max_depth.max(8) * 4 || elems.len() >= max_elems {
            continue;
        }
        let obj_id = Pdf::ref_id(obj);
        if let Some(id) = obj_id {
            if !seen.insert(id) {
                continue;
            }
        }
        let Some(o) = pdf.resolve(obj) else { continue };
        match o {
            Object::Array(items) => {
                // Reverse so that popping visits kids in order.
                for item in items.iter().rev() {
                    stack.push((item, parent, page, depth + 1));
                }
            }
            Object::Integer(mcid) => {
                if let (Some(p), Some(pg)) = (parent, page) {
                    if let Some(e) = elems.get_mut(p) {
                        e.content.push((pg, *mcid));
                    }
                }
            }
            Object::Dictionary(d) => {
                let pg = d.get(b"Pg").ok().and_then(Pdf::ref_id).or(page);
                match pdf.get_name(d, b"Type") {
                    Some(b"MCR") => {
                        if let (Some(p), Some(pg), Some(m)) = (parent, pg, pdf.get_num(d, b"MCID"))
                        {
                            if let Some(e) = elems.get_mut(p) {
                                e.content.push((pg, m as i64));
                            }
                        }
                    }
                    Some(b"OBJR") => {}
                    _ if d.has(b"S") => {
                        let idx = elems.len();
                        if let Some(id) = obj_id {
                            by_id.insert(id, idx);
                        }
                        elems.push(element(pdf, d, role_map, parent));
                        if let Some(p) = parent.and_then(|p| elems.get_mut(p)) {
                            p.children.push(idx);
                        }
                        if let Ok(k) = d.get(b"K") {
                            stack.push((k, Some(idx), pg, depth + 1));
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    restore_from_parent_tree(pdf, root, &by_id, &mut elems);
    // Children were pushed in visiting order, which is document order (stack pops in order).
    let mut tables = Tables::default();
    let mut n_tables = 0;
    for t in 0..elems.len() {
        if elems.get(t).map(|e| e.role) != Some(Role::Table) {
            continue;
        }
        let table_index = n_tables;
        n_tables += 1;
        let mut rows = Vec::new();
        collect(&elems, t, Role::Row, &mut rows);
        // Lay the rows out as a grid: rowspans occupy columns of later rows. Producers do not
        // always declare the row spans that leave a row short (a cell spanning rows), but they
        // name each data cell's column headers: a row whose cells sit left of their headers'
        // columns is shifted right.
        let mut occupied: Vec<usize> = Vec::new();
        let mut width = 0usize;
        let mut id_col: HashMap<Vec<u8>, (usize, usize)> = HashMap::new();
        let first_key = tables.order.len();
        let mut totals: Vec<usize> = Vec::new();
        for (r, &row) in rows.iter().enumerate() {
            let mut cells = Vec::new();
            collect(&elems, row, Role::Cell, &mut cells);
            let mut placed: Vec<(usize, usize, usize, usize)> = Vec::new(); // (elem, col, cs, rs)
            let mut col = 0usize;
            for &cell in &cells {
                while occupied.get(col).is_some_and(|n| *n > 0) {
                    col += 1;
                }
                let Some(e) = elems.get(cell) else { continue };
                let (cs, rs) = (e.colspan.clamp(1, 1000), e.rowspan.clamp(1, 100_000));
                placed.push((cell, col, cs, rs));
                col += cs;
            }
            let shift = placed
                .iter()
                .filter_map(|&(cell, col, _, _)| {
                    let e = elems.get(cell)?;
                    let hcol = e
                        .headers
                        .iter()
                        .filter_map(|h| id_col.get(h))
                        .filter(|(hr, _)| *hr != r)
                        .map(|(_, c)| *c)
                        .min()?;
                    Some(hcol.saturating_sub(col))
                })
                .max()
                .unwrap_or(0)
                .min(64);
            let row_free = occupied.iter().all(|n| *n == 0);
            let row_total = placed.iter().map(|p| p.2).sum::<usize>();
            let mut next_occ = occupied
                .iter()
                .map(|n| n.saturating_sub(1))
                .collect::<Vec<_>>();
            for (k, (cell, col, cs, rs)) in placed.into_iter().enumerate() {
                let col = col + shift;
                width = width.max(col + cs);
                let pos = CellPos {
                    table: table_index,
                    row: r,
                    cell: k,
                    col,
                    colspan: cs,
                    width: 0,
                    complete: shift == 0 && row_free,
                };
                let mut content = Vec::new();
                gather_content(&elems, cell, &mut content, 0);
                for key in content {
                    if let std::collections::hash_map::Entry::Vacant(slot) = tables.cells.entry(key)
                    {
                        slot.insert(pos);
                        tables.order.push(key);
                        totals.push(row_total);
                    }
                }
                if let Some(id) = elems.get(cell).and_then(|e| e.id.clone()) {
                    id_col.insert(id, (r, col));
                }
                if next_occ.len() < col + cs {
                    next_occ.resize(col + cs, 0);
                }
                for slot in next_occ.iter_mut().skip(col).take(cs) {
                    *slot = rs - 1;
                }
            }
            occupied = next_occ;
        }
        let keys = tables.order.get(first_key..).unwrap_or_default().to_vec();
        for (key, total) in keys.into_iter().zip(std::mem::take(&mut totals)) {
            if let Some(p) = tables.cells.get_mut(&key) {
                p.width = width;
                p.complete &= total == width;
            }
        }
    }
    tables
}

/// Marked content that no element claims while the parent tree names the element it belongs to
/// (an element's `/K` lost to a damaged byte): given back to that element. The parent tree maps
/// each page's `/StructParents` to an array, indexed by MCID, of the elements holding them.
fn restore_from_parent_tree(
    pdf: &Pdf,
    root: &Dictionary,
    by_id: &HashMap<ObjectId, usize>,
    elems: &mut [Elem],
) {
    let Some(tree) = pdf.get_dict(root, b"ParentTree") else {
        return;
    };
    let mut entries: HashMap<i64, &Object> = HashMap::new();
    number_tree(pdf, tree, &mut entries, 0);
    if entries.is_empty() {
        return;
    }
    let claimed: HashSet<(ObjectId, i64)> = elems
        .iter()
        .flat_map(|e| e.content.iter().copied())
        .collect();
    for (page, dict) in pdf.pages() {
        let Some(key) = pdf.get_num(dict, b"StructParents") else {
            continue;
        };
        let Some(list) = entries.get(&(key as i64)).and_then(|o| pdf.resolve(o)) else {
            continue;
        };
        let Object::Array(list) = list else { continue };
        for (mcid, e) in list.iter().enumerate().take(100_000) {
            let mcid = mcid as i64;
            if claimed.contains(&(page, mcid)) {
                continue;
            }
            if let Some(el) = Pdf::ref_id(e)
                .and_then(|id| by_id.get(&id))
                .and_then(|&i| elems.get_mut(i))
            {
                el.content.push((page, mcid));
            }
        }
    }
}

/// The entries of a number tree (`/Nums` pairs, `/Kids` below), bounded in depth and size.
fn number_tree<'a>(
    pdf: &Pdf<'a>,
    node: &'a Dictionary,
    out: &mut HashMap<i64, &'a Object>,
    depth: usize,
) {
    if depth > 32 || out.len() > 1_000_000 {
        return;
    }
    if let Some(nums) = pdf.get_array(node, b"Nums") {
        for pair in nums.chunks(2) {
            if let [k, v] = pair {
                if let Some(k) = pdf.num(k) {
                    out.insert(k as i64, v);
                }
            }
        }
    }
    for kid in pdf.get_array(node, b"Kids").unwrap_or_default() {
        if let Some(d) = pdf.dict(kid) {
            number_tree(pdf, d, out, depth + 1);
        }
    }
}

fn element(
    pdf: &Pdf,
    d: &Dictionary,
    role_map: Option<&Dictionary>,
    parent: Option<usize>,
) -> Elem {
    let mut name: Vec<u8> = pdf.get_name(d, b"S").unwrap_or_default().to_vec();
    for _ in 0..4 {
        match role_map.and_then(|m| pdf.get_name(m, &name)) {
            Some(mapped) if mapped != name.as_slice() => name = mapped.to_vec(),
            _ => break,
        }
    }
    let role = match name.as_slice() {
        b"Table" => Role::Table,
        b"TR" => Role::Row,
        b"TD" | b"TH" => Role::Cell,
        _ => Role::Other,
    };
    let (mut colspan, mut rowspan) = (1usize, 1usize);
    let mut headers = Vec::new();
    let id = match pdf.get(d, b"ID") {
        Some(Object::String(s, _)) => Some(s.clone()),
        _ => None,
    };
    if role == Role::Cell {
        let mut attrs: Vec<&Dictionary> = Vec::new();
        match d.get(b"A").ok().and_then(|a| pdf.resolve(a)) {
            Some(Object::Dictionary(a)) => attrs.push(a),
            Some(Object::Array(list)) => {
                attrs.extend(list.iter().filter_map(|a| match pdf.resolve(a) {
                    Some(Object::Dictionary(a)) => Some(a),
                    _ => None,
                }))
            }
            _ => {}
        }
        for a in attrs {
            if let Some(c) = pdf.get_num(a, b"ColSpan") {
                colspan = c.max(1.0) as usize;
            }
            if let Some(r) = pdf.get_num(a, b"RowSpan") {
                rowspan = r.max(1.0) as usize;
            }
            if let Some(hs) = pdf.get_array(a, b"Headers") {
                headers.extend(hs.iter().filter_map(|h| match pdf.resolve(h) {
                    Some(Object::String(s, _)) => Some(s.clone()),
                    _ => None,
                }));
            }
        }
    }
    Elem {
        role,
        parent,
        children: Vec::new(),
        content: Vec::new(),
        colspan,
        rowspan,
        id,
        headers,
    }
}

/// Descendants of `e` with the given role, not descending into them or into nested tables.
fn collect(elems: &[Elem], e: usize, role: Role, out: &mut Vec<usize>) {
    let mut stack: Vec<usize> = elems
        .get(e)
        .map(|x| x.children.iter().rev().copied().collect())
        .unwrap_or_default();
    while let Some(c) = stack.pop() {
        let Some(x) = elems.get(c) else { continue };
        if x.role == role {
            out.push(c);
        } else if x.role != Role::Table {
            stack.extend(x.children.iter().rev().copied());
        }
    }
}

/// All marked content of `e` and its descendants.
fn gather_content(elems: &[Elem], e: usize, out: &mut Vec<(ObjectId, i64)>, depth: usize) {
    let Some(x) = elems.get(e) else { return };
    if depth > 256 {
        return;
    }
    out.extend(x.content.iter().copied());
    for &c in &x.children {
        gather_content(elems, c, out, depth + 1);
    }
    let _ = x.parent;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use lopdf::{dictionary, Document};

    /// A two-row table: row 0 has a cell spanning two rows and a cell spanning two columns;
    /// row 1's first cell lands in column 1.
    #[test]
    fn spans_place_cells_in_grid_columns() {
        let mut doc = Document::with_version("1.7");
        let page = doc.add_object(dictionary! { "Type" => "Page" });
        let td = |mcid: i64, colspan: i64, rowspan: i64| {
            dictionary! {
                "Type" => "StructElem", "S" => "TD", "Pg" => Object::Reference(page), "K" => mcid,
                "A" => dictionary! { "O" => "Table", "ColSpan" => colspan, "RowSpan" => rowspan },
            }
        };
        let tr0 = dictionary! { "S" => "TR", "K" => vec![Object::Dictionary(td(0, 1, 2)), Object::Dictionary(td(1, 2, 1))] };
        let tr1 = dictionary! { "S" => "TR", "K" => vec![Object::Dictionary(td(2, 1, 1)), Object::Dictionary(td(3, 1, 1))] };
        let table = dictionary! { "S" => "Tbl", "K" => vec![Object::Dictionary(tr0), Object::Dictionary(tr1)] };
        let root = doc.add_object(dictionary! {
            "Type" => "StructTreeRoot", "K" => vec![Object::Dictionary(table)],
            "RoleMap" => dictionary! { "Tbl" => "Table" },
        });
        let catalog = doc.add_object(
            dictionary! { "Type" => "Catalog", "StructTreeRoot" => Object::Reference(root) },
        );
        doc.trailer.set("Root", Object::Reference(catalog));
        let limits = Limits::default();
        let pdf = Pdf::new(&doc, &limits);
        let tables = read(&pdf);
        let pos = |m: i32| tables.cell(page, m).map(|c| (c.row, c.col, c.colspan));
        assert_eq!(tables.cell(page, 0).map(|c| c.width), Some(3));
        assert_eq!(pos(0), Some((0, 0, 1)));
        assert_eq!(pos(1), Some((0, 1, 2)));
        assert_eq!(pos(2), Some((1, 1, 1)));
        assert_eq!(pos(3), Some((1, 2, 1)));
        assert_eq!(pos(4), None);
        assert_eq!(tables.cell(page, -1), None);
    }

    /// A cell whose `/K` a damaged byte took gets its marked content back from the parent tree
    /// (written flat or under `/Kids`); without a parent tree it stays out of the table.
    #[test]
    fn parent_tree_gives_back_content_an_element_lost() {
        // (parent tree: flat /Nums, under /Kids, none; cell of MCID 1)
        type Case = (Option<bool>, Option<(usize, usize)>);
        let cases: &[Case] = &[
            (Some(false), Some((0, 1))),
            (Some(true), Some((0, 1))),
            (None, None),
        ];
        for &(kids, want) in cases {
            let mut doc = Document::with_version("1.7");
            let pages = doc.new_object_id();
            let page = doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => Object::Reference(pages), "StructParents" => 0,
            });
            doc.objects.insert(
                pages,
                Object::Dictionary(dictionary! {
                    "Type" => "Pages", "Kids" => vec![Object::Reference(page)], "Count" => 1,
                }),
            );
            let td0 = doc.add_object(dictionary! {
                "Type" => "StructElem", "S" => "TD", "Pg" => Object::Reference(page), "K" => 0,
            });
            // its `/K 1` damaged into another key
            let td1 = doc.add_object(dictionary! {
                "Type" => "StructElem", "S" => "TD", "Pg" => Object::Reference(page), "X" => 1,
            });
            let tr = dictionary! { "S" => "TR", "K" => vec![Object::Reference(td0), Object::Reference(td1)] };
            let table = dictionary! { "S" => "Table", "K" => vec![Object::Dictionary(tr)] };
            let nums = vec![
                Object::Integer(0),
                Object::Array(vec![Object::Reference(td0), Object::Reference(td1)]),
            ];
            let mut root =
                dictionary! { "Type" => "StructTreeRoot", "K" => vec![Object::Dictionary(table)] };
            match kids {
                Some(false) => root.set("ParentTree", dictionary! { "Nums" => nums }),
                Some(true) => root.set(
                    "ParentTree",
                    dictionary! { "Kids" => vec![Object::Dictionary(dictionary! { "Nums" => nums })] },
                ),
                None => {}
            }
            let root = doc.add_object(root);
            let catalog = doc.add_object(dictionary! {
                "Type" => "Catalog", "Pages" => Object::Reference(pages),
                "StructTreeRoot" => Object::Reference(root),
            });
            doc.trailer.set("Root", Object::Reference(catalog));
            let limits = Limits::default();
            let tables = read(&Pdf::new(&doc, &limits));
            assert_eq!(tables.cell(page, 0).map(|c| (c.row, c.col)), Some((0, 0)));
            assert_eq!(
                tables.cell(page, 1).map(|c| (c.row, c.col)),
                want,
                "{kids:?}"
            );
        }
    }

    #[test]
    fn untagged_document_has_no_tables() {
        let doc = Document::with_version("1.7");
        let limits = Limits::default();
        assert!(read(&Pdf::new(&doc, &limits)).is_empty());
    }
}
