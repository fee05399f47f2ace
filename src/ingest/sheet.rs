//! Spreadsheets (`.xlsx`, `.xlsm`, `.xls`, `.ods`) read with calamine.
//!
//! Each visible worksheet is a page (`SourceLine::page` = the sheet's 1-based position in the
//! workbook); each visible row with text is a line; its cells run from the first column that holds
//! text anywhere on the sheet, one per visible column, empty cells kept. A merged range gives its
//! text once, in its top-left cell, unless it runs down over rows of their own (a department over
//! its items: repeated, see [`super::repeat_group_merges`]); `.ods` spans are read from
//! `content.xml` (`number-rows-spanned`, `number-columns-spanned`). Hidden sheets are skipped, and so are hidden rows and columns
//! (`.xlsx`/`.xlsm`: read from the sheet XML; `.ods`: from `content.xml`; `.xls`: from the BIFF
//! records, [`super::biff`]).
//! Numbers are shown as displayed: `.ods` stores the displayed text, which is used; `.xlsx` goes
//! through the cell's number format (`#,##0;"▲"#,##0` → `▲1,200`, `0.0%` → `8.5%`), and so does
//! `.xls`, whose formats are read from its BIFF records; dates as `2022/4/1` (or in the format's 和暦 era
//! when it asks for one). Provenance: `報告!A5` per line, `A5`, `B5`, … per cell.

use super::{bad, clean_cell, doc, xml, Format, Row};
use crate::error::Result;
use crate::limits::Limits;
use crate::source::SourceDoc;
use calamine::{Data, Dimensions, Range, Reader, SheetType, SheetVisible, StyleRange};
use std::collections::{HashMap, HashSet};
use std::io::Cursor;

/// Hidden rows and columns of one sheet (0-based).
#[derive(Debug, Default, Clone)]
struct Hidden {
    rows: HashSet<u32>,
    cols: HashSet<u32>,
}

/// One worksheet's content as calamine gives it.
struct SheetData {
    name: String,
    range: Range<Data>,
    merges: Vec<Dimensions>,
    styles: Option<StyleRange>,
    hidden: Hidden,
    /// Text as displayed of non-text cells, where the file stores it (`.ods`).
    shown: HashMap<(u32, u32), String>,
}

/// Read a workbook.
pub fn ingest(bytes: &[u8], format: Format, limits: &Limits) -> Result<SourceDoc> {
    let (what, media) = match format {
        Format::Xls => ("xls workbook", super::XLS),
        Format::Ods => ("ods workbook", super::ODS),
        _ => ("xlsx workbook", super::XLSX),
    };
    if format != Format::Xls {
        // bounds the unpacked size before calamine unpacks anything
        xml::open(bytes, what, limits)?;
    }
    let sheets = match format {
        Format::Xls => read_xls(bytes).map_err(|e| bad(what, e))?,
        Format::Ods => read_ods(bytes, limits).map_err(|e| bad(what, e))?,
        _ => read_xlsx(bytes, limits).map_err(|e| bad(what, e))?,
    };
    let n = u32::try_from(sheets.len().max(1)).unwrap_or(u32::MAX);
    let pages: Vec<(Option<u32>, Vec<Row>)> = sheets
        .into_iter()
        .map(|(page, s)| (Some(page), sheet_rows(&s)))
        .collect();
    let mut d = doc(media, Some(n), pages).map_err(|e| bad(what, e.message))?;
    d.media_type = media.to_string();
    Ok(d)
}

type Sheets = Vec<(u32, SheetData)>;

fn visible(meta: &calamine::Sheet) -> bool {
    meta.visible == SheetVisible::Visible && meta.typ == SheetType::WorkSheet
}

fn read_xlsx(bytes: &[u8], limits: &Limits) -> std::result::Result<Sheets, String> {
    let hidden = xlsx_hidden(bytes, limits).unwrap_or_default();
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| e.to_string())?;
    let metas: Vec<calamine::Sheet> = wb.sheets_metadata().to_vec();
    let mut out = Vec::new();
    for (i, meta) in metas.iter().enumerate() {
        if !visible(meta) {
            continue;
        }
        let range = wb.worksheet_range(&meta.name).map_err(|e| e.to_string())?;
        let merges = wb.merge_cells_by_sheet_name(&meta.name).unwrap_or_default();
        let styles = wb.worksheet_style(&meta.name).ok();
        out.push((
            page_of(i),
            SheetData {
                name: meta.name.clone(),
                range,
                merges,
                styles,
                hidden: hidden.get(&meta.name).cloned().unwrap_or_default(),
                shown: HashMap::new(),
            },
        ));
    }
    Ok(out)
}

fn read_xls(bytes: &[u8]) -> std::result::Result<Sheets, String> {
    let mut extras = super::biff::read(bytes)
        .ok_or_else(|| "not a readable compound file with a workbook stream".to_string())?;
    // calamine asserts on some damaged files: a panic there is this file's error.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_xls_sheets(bytes, &mut extras)
    }))
    .unwrap_or_else(|_| Err("damaged workbook".to_string()))
}

fn read_xls_sheets(
    bytes: &[u8],
    extras: &mut HashMap<String, super::biff::SheetExtra>,
) -> std::result::Result<Sheets, String> {
    let mut wb: calamine::Xls<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsError| e.to_string())?;
    let metas: Vec<calamine::Sheet> = wb.sheets_metadata().to_vec();
    let mut out = Vec::new();
    for (i, meta) in metas.iter().enumerate() {
        if !visible(meta) {
            continue;
        }
        let range = wb.worksheet_range(&meta.name).map_err(|e| e.to_string())?;
        let merges = wb.merge_cells_by_sheet_name(&meta.name).unwrap_or_default();
        let extra = extras.remove(&meta.name).unwrap_or_default();
        // Numbers and dates as displayed, through each cell's number format.
        let shown: HashMap<(u32, u32), String> = extra
            .formats
            .iter()
            .filter_map(|(&pos, code)| {
                let v = range.get_value(pos)?;
                matches!(v, Data::Int(_) | Data::Float(_) | Data::DateTime(_))
                    .then(|| (pos, display(v, Some(code))))
            })
            .collect();
        out.push((
            page_of(i),
            SheetData {
                name: meta.name.clone(),
                range,
                merges,
                styles: None,
                hidden: Hidden {
                    rows: extra.hidden_rows,
                    cols: extra.hidden_cols,
                },
                shown,
            },
        ));
    }
    Ok(out)
}

fn read_ods(bytes: &[u8], limits: &Limits) -> std::result::Result<Sheets, String> {
    let mut layout = ods_layout(bytes, limits).unwrap_or_default();
    let mut wb: calamine::Ods<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::OdsError| e.to_string())?;
    let metas: Vec<calamine::Sheet> = wb.sheets_metadata().to_vec();
    let mut out = Vec::new();
    for (i, meta) in metas.iter().enumerate() {
        if !visible(meta) {
            continue;
        }
        let l = layout.remove(&meta.name).unwrap_or_default();
        if l.hidden_sheet {
            continue;
        }
        let range = wb.worksheet_range(&meta.name).map_err(|e| e.to_string())?;
        out.push((
            page_of(i),
            SheetData {
                name: meta.name.clone(),
                range,
                merges: l.merges,
                styles: None,
                hidden: l.hidden,
                shown: l.shown,
            },
        ));
    }
    Ok(out)
}

fn page_of(i: usize) -> u32 {
    u32::try_from(i.saturating_add(1)).unwrap_or(u32::MAX)
}

/// The rows of one sheet.
fn sheet_rows(s: &SheetData) -> Vec<Row> {
    let Some((r0, c0)) = s.range.start() else {
        return Vec::new();
    };
    let Some((r1, c1)) = s.range.end() else {
        return Vec::new();
    };
    // Cells covered by a merge (not its top-left cell) are shown empty.
    let mut covered: HashSet<(u32, u32)> = HashSet::new();
    // ... and those of them under the merge's first row
    let mut below: HashSet<(u32, u32)> = HashSet::new();
    for m in &s.merges {
        let cells = u64::from(m.end.0.saturating_sub(m.start.0) + 1)
            * u64::from(m.end.1.saturating_sub(m.start.1) + 1);
        if cells > 1_000_000 {
            continue;
        }
        for r in m.start.0..=m.end.0 {
            for c in m.start.1..=m.end.1 {
                if (r, c) != m.start {
                    covered.insert((r, c));
                }
                if r != m.start.0 {
                    below.insert((r, c));
                }
            }
        }
    }
    let text = |r: u32, c: u32| -> String {
        if covered.contains(&(r, c)) {
            return String::new();
        }
        let Some(v) = s.range.get_value((r, c)) else {
            return String::new();
        };
        if !matches!(v, Data::String(_) | Data::Empty) {
            if let Some(t) = s.shown.get(&(r, c)) {
                return clean_cell(t);
            }
        }
        let fmt = s
            .styles
            .as_ref()
            .and_then(|st| st.get((r, c)))
            .and_then(|st| st.number_format.as_ref())
            .map(|f| f.format_code.as_str());
        clean_cell(&display(v, fmt))
    };
    let cols: Vec<u32> = (c0..=c1).filter(|c| !s.hidden.cols.contains(c)).collect();
    let mut grid: Vec<(u32, Vec<String>)> = Vec::new();
    for r in r0..=r1 {
        if s.hidden.rows.contains(&r) {
            continue;
        }
        let cells: Vec<String> = cols.iter().map(|&c| text(r, c)).collect();
        if cells.iter().any(|c| !c.trim().is_empty()) {
            grid.push((r, cells));
        }
    }
    // A cell merged down over rows of their own is repeated in each (a department over its items).
    let flags: Vec<Vec<bool>> = grid
        .iter()
        .map(|(r, _)| cols.iter().map(|&c| below.contains(&(*r, c))).collect())
        .collect();
    let mut texts: Vec<Vec<String>> = grid.iter_mut().map(|(_, c)| std::mem::take(c)).collect();
    super::repeat_group_merges(&mut texts, &flags);
    for ((_, cells), t) in grid.iter_mut().zip(texts) {
        *cells = t;
    }
    // Leading columns empty on the whole sheet are dropped.
    let skip = (0..cols.len())
        .find(|&i| {
            grid.iter()
                .any(|(_, cells)| cells.get(i).is_some_and(|c| !c.is_empty()))
        })
        .unwrap_or(0);
    let sheet = quote_sheet(&s.name);
    grid.into_iter()
        .map(|(r, cells)| {
            let cells: Vec<String> = cells.into_iter().skip(skip).collect();
            let addrs: Vec<String> = cols
                .iter()
                .skip(skip)
                .map(|&c| format!("{}{}", col_name(c), r.saturating_add(1)))
                .collect();
            let first = cells
                .iter()
                .position(|c| !c.is_empty())
                .and_then(|i| addrs.get(i))
                .cloned()
                .unwrap_or_default();
            Row {
                cells,
                origin: Some(format!("{sheet}!{first}")),
                cell_origins: addrs,
            }
        })
        .collect()
}

/// A sheet name as Excel writes it in a reference.
fn quote_sheet(name: &str) -> String {
    let plain = !name.is_empty()
        && name.chars().all(|c| {
            c.is_alphanumeric() || c == '_' || c == '.' || !c.is_ascii() && !c.is_whitespace()
        })
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// Excel column letters of a 0-based column.
pub(crate) fn col_name(c: u32) -> String {
    let mut n = u64::from(c) + 1;
    let mut s = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        s.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    s.iter().rev().collect()
}

/// A cell value as displayed.
fn display(v: &Data, fmt: Option<&str>) -> String {
    match v {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => match fmt {
            Some(f) => super::numfmt::format_number(*i as f64, f),
            None => i.to_string(),
        },
        Data::Float(x) => match fmt {
            Some(f) => super::numfmt::format_number(*x, f),
            None => super::numfmt::general(*x),
        },
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => {
            if dt.is_duration() {
                super::numfmt::general(dt.as_f64())
            } else {
                super::numfmt::format_date(dt.as_f64(), fmt.unwrap_or(""))
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// Hidden rows and columns of each sheet of an `.xlsx`, by sheet name.
fn xlsx_hidden(bytes: &[u8], limits: &Limits) -> Option<HashMap<String, Hidden>> {
    use quick_xml::events::Event;
    let mut z = xml::open(bytes, "xlsx workbook", limits).ok()?;
    let max = limits.max_stream_bytes;
    let wb = xml::read_part(&mut z, "xl/workbook.xml", max).ok()??;
    let rels = xml::read_part(&mut z, "xl/_rels/workbook.xml.rels", max).ok()??;
    // relationship id → target
    let mut targets: HashMap<String, String> = HashMap::new();
    let mut rd = quick_xml::Reader::from_reader(rels.as_slice());
    let mut buf = Vec::new();
    loop {
        match rd.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e))
                if xml::local(e.name().as_ref()) == "Relationship" =>
            {
                if let (Some(id), Some(t)) = (xml::attr(&e, "Id"), xml::attr(&e, "Target")) {
                    targets.insert(id, xml::resolve("xl/workbook.xml", &t));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    let mut sheets: Vec<(String, String)> = Vec::new();
    let mut rd = quick_xml::Reader::from_reader(wb.as_slice());
    loop {
        match rd.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if xml::local(e.name().as_ref()) == "sheet" => {
                if let (Some(name), Some(id)) = (xml::attr(&e, "name"), xml::attr(&e, "id")) {
                    if let Some(t) = targets.get(&id) {
                        sheets.push((name, t.clone()));
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    let mut out = HashMap::new();
    for (name, path) in sheets {
        let Ok(Some(x)) = xml::read_part(&mut z, &path, max) else {
            continue;
        };
        let mut h = Hidden::default();
        let mut rd = quick_xml::Reader::from_reader(x.as_slice());
        loop {
            match rd.read_event_into(&mut buf) {
                Ok(Event::Start(e) | Event::Empty(e)) => {
                    let is_hidden =
                        || xml::attr(&e, "hidden").is_some_and(|v| v == "1" || v == "true");
                    match xml::local(e.name().as_ref()) {
                        "row" if is_hidden() => {
                            if let Some(r) = xml::attr(&e, "r").and_then(|r| r.parse::<u32>().ok())
                            {
                                h.rows.insert(r.saturating_sub(1));
                            }
                        }
                        "col" if is_hidden() => {
                            let min = xml::attr(&e, "min").and_then(|v| v.parse::<u32>().ok());
                            let max = xml::attr(&e, "max").and_then(|v| v.parse::<u32>().ok());
                            if let (Some(a), Some(b)) = (min, max) {
                                for c in a..=b.min(a.saturating_add(16_384)) {
                                    h.cols.insert(c.saturating_sub(1));
                                }
                            }
                        }
                        "sheetData" | "c" => {}
                        _ => {}
                    }
                }
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
        out.insert(name, h);
    }
    Some(out)
}

/// What an `.ods` sheet's XML says beyond calamine's values.
#[derive(Debug, Default)]
struct OdsSheet {
    hidden_sheet: bool,
    hidden: Hidden,
    shown: HashMap<(u32, u32), String>,
    /// Cells spanning rows or columns (`number-rows-spanned`, `number-columns-spanned`).
    merges: Vec<Dimensions>,
}

/// Hidden sheets, rows and columns, merged (spanned) cells and the displayed text of non-text
/// cells of an `.ods`.
fn ods_layout(bytes: &[u8], limits: &Limits) -> Option<HashMap<String, OdsSheet>> {
    use quick_xml::events::Event;
    const MAX_REPEAT: u32 = 1024;
    let mut z = xml::open(bytes, "ods workbook", limits).ok()?;
    let x = xml::read_part(&mut z, "content.xml", limits.max_stream_bytes).ok()??;
    let mut rd = quick_xml::Reader::from_reader(x.as_slice());
    let mut buf = Vec::new();
    let mut hidden_styles: HashSet<String> = HashSet::new();
    let mut style: Option<String> = None;
    let mut out: HashMap<String, OdsSheet> = HashMap::new();
    let mut cur: Option<(String, OdsSheet)> = None;
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_repeat = 1u32;
    // the cell being read: (repeat, shown text, is a non-text value)
    let mut cell: Option<(u32, String, bool)> = None;
    let mut paras = 0usize;
    loop {
        let ev = rd.read_event_into(&mut buf).ok()?;
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let num = |a: &str| {
                    xml::attr(e, a)
                        .and_then(|v| v.parse::<u32>().ok())
                        .unwrap_or(1)
                        .max(1)
                };
                match xml::local(e.name().as_ref()) {
                    "style" => style = xml::attr(e, "name"),
                    "table-properties" => {
                        if let (Some(s), Some("false")) =
                            (&style, xml::attr(e, "display").as_deref())
                        {
                            hidden_styles.insert(s.clone());
                        }
                    }
                    "table" => {
                        let name = xml::attr(e, "name").unwrap_or_default();
                        let hidden =
                            xml::attr(e, "style-name").is_some_and(|s| hidden_styles.contains(&s));
                        cur = Some((
                            name,
                            OdsSheet {
                                hidden_sheet: hidden,
                                ..OdsSheet::default()
                            },
                        ));
                        row = 0;
                        col = 0;
                    }
                    "table-column" => {
                        let n = num("number-columns-repeated");
                        if let Some((_, sh)) = cur.as_mut() {
                            if xml::attr(e, "visibility").is_some_and(|v| v != "visible") {
                                for c in col..col.saturating_add(n.min(MAX_REPEAT)) {
                                    sh.hidden.cols.insert(c);
                                }
                            }
                        }
                        col = col.saturating_add(n);
                    }
                    "table-row" => {
                        col = 0;
                        row_repeat = num("number-rows-repeated");
                        let row_hidden = xml::attr(e, "visibility").is_some_and(|v| v != "visible");
                        if row_hidden {
                            if let Some((_, sh)) = cur.as_mut() {
                                for r in row..row.saturating_add(row_repeat.min(MAX_REPEAT)) {
                                    sh.hidden.rows.insert(r);
                                }
                            }
                        }
                        if empty {
                            row = row.saturating_add(row_repeat);
                        }
                    }
                    "table-cell" | "covered-table-cell" => {
                        let n = num("number-columns-repeated");
                        let (rows, cols) =
                            (num("number-rows-spanned"), num("number-columns-spanned"));
                        if (rows > 1 || cols > 1) && xml::local(e.name().as_ref()) == "table-cell" {
                            if let Some((_, sh)) = cur.as_mut() {
                                sh.merges.push(Dimensions {
                                    start: (row, col),
                                    end: (
                                        row.saturating_add(rows - 1),
                                        col.saturating_add(cols - 1),
                                    ),
                                });
                            }
                        }
                        let typed = xml::attr(e, "value-type").is_some_and(|t| t != "string");
                        if empty {
                            col = col.saturating_add(n);
                        } else {
                            cell = Some((n, String::new(), typed));
                            paras = 0;
                        }
                    }
                    "p" => {
                        if let Some((_, t, _)) = cell.as_mut() {
                            if paras > 0 {
                                t.push('\n');
                            }
                            paras += 1;
                        }
                    }
                    "s" => {
                        if let Some((_, t, _)) = cell.as_mut() {
                            t.push_str(&" ".repeat(num("c").min(64) as usize));
                        }
                    }
                    "line-break" => {
                        if let Some((_, t, _)) = cell.as_mut() {
                            t.push('\n');
                        }
                    }
                    "tab" => {
                        if let Some((_, t, _)) = cell.as_mut() {
                            t.push(' ');
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(ref t) => {
                if let Some((_, s, _)) = cell.as_mut() {
                    s.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(ref r) => {
                if let Some((_, s, _)) = cell.as_mut() {
                    s.push_str(&xml::entity(r));
                }
            }
            Event::End(ref e) => match xml::local(e.name().as_ref()) {
                "style" => style = None,
                "table-cell" | "covered-table-cell" => {
                    if let Some((n, text, typed)) = cell.take() {
                        if typed && !text.is_empty() {
                            if let Some((_, sh)) = cur.as_mut() {
                                for r in row..row.saturating_add(row_repeat.min(MAX_REPEAT)) {
                                    for c in col..col.saturating_add(n.min(MAX_REPEAT)) {
                                        sh.shown.insert((r, c), text.clone());
                                    }
                                }
                            }
                        }
                        col = col.saturating_add(n);
                    }
                }
                "table-row" => row = row.saturating_add(row_repeat),
                "table" => {
                    if let Some((name, sh)) = cur.take() {
                        out.insert(name, sh);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names() {
        assert_eq!(col_name(0), "A");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(701), "ZZ");
        assert_eq!(col_name(702), "AAA");
    }

    #[test]
    fn sheet_names_quoted() {
        assert_eq!(quote_sheet("報告"), "報告");
        assert_eq!(quote_sheet("Sheet1"), "Sheet1");
        assert_eq!(quote_sheet("My Sheet"), "'My Sheet'");
        assert_eq!(quote_sheet("it's"), "'it''s'");
    }

    /// A merged range: its first and last cell, (row, col).
    type Merge = ((u32, u32), (u32, u32));

    /// A sheet of string cells with these merges, read as rows of text.
    fn read(cells: &[&[&str]], merges: &[Merge]) -> Vec<Vec<String>> {
        let h = u32::try_from(cells.len()).unwrap_or(1);
        let w = u32::try_from(cells.iter().map(|r| r.len()).max().unwrap_or(1)).unwrap_or(1);
        let mut range = Range::new((0, 0), (h - 1, w - 1));
        for (r, row) in cells.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    range.set_value((r as u32, c as u32), Data::String(v.to_string()));
                }
            }
        }
        let s = SheetData {
            name: "s".into(),
            range,
            merges: merges
                .iter()
                .map(|&(start, end)| Dimensions { start, end })
                .collect(),
            styles: None,
            hidden: Hidden::default(),
            shown: HashMap::new(),
        };
        sheet_rows(&s).into_iter().map(|r| r.cells).collect()
    }

    #[test]
    fn merged_ranges() {
        // (cells, merges, rows read)
        type Case = (
            Vec<&'static [&'static str]>,
            Vec<Merge>,
            Vec<Vec<&'static str>>,
        );
        let cases: Vec<Case> = vec![
            // a department merged down over its items: repeated in each
            (
                vec![
                    &["課", "番号", "取組"],
                    &["総務課", "1", "甲"],
                    &["", "2", "乙"],
                ],
                vec![((1, 0), (2, 0))],
                vec![
                    vec!["課", "番号", "取組"],
                    vec!["総務課", "1", "甲"],
                    vec!["総務課", "2", "乙"],
                ],
            ),
            // a number and title merged over the item's second row: given once
            (
                vec![
                    &["番号", "取組", "内容"],
                    &["1", "題", "一"],
                    &["", "", "二"],
                ],
                vec![((1, 0), (2, 0)), ((1, 1), (2, 1))],
                vec![
                    vec!["番号", "取組", "内容"],
                    vec!["1", "題", "一"],
                    vec!["", "", "二"],
                ],
            ),
            // two header rows: the upper headers merged down, a year over its two columns
            (
                vec![&["表"], &["番号", "令和6年度", ""], &["", "目標", "実績"]],
                vec![((1, 0), (2, 0)), ((1, 1), (1, 2))],
                vec![
                    vec!["表", "", ""],
                    vec!["番号", "令和6年度", ""],
                    vec!["", "目標", "実績"],
                ],
            ),
        ];
        for (cells, merges, want) in cases {
            assert_eq!(read(&cells, &merges), want, "{cells:?}");
        }
    }

    /// An `.ods` of one sheet whose `content.xml` table holds these rows.
    fn ods(rows: &str) -> Vec<u8> {
        use std::io::Write as _;
        let content = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
             xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
             xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
             <office:body><office:spreadsheet><table:table table:name=\"表\">{rows}</table:table>\
             </office:spreadsheet></office:body></office:document-content>"
        );
        let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">\
             <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
             <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
             </manifest:manifest>";
        let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, body) in [
            ("mimetype", ODS_MIME),
            ("META-INF/manifest.xml", manifest),
            ("content.xml", content.as_str()),
        ] {
            z.start_file(name, stored).unwrap_or_else(|e| panic!("{e}"));
            z.write_all(body.as_bytes())
                .unwrap_or_else(|e| panic!("{e}"));
        }
        z.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
    }

    const ODS_MIME: &str = "application/vnd.oasis.opendocument.spreadsheet";

    #[test]
    fn ods_spanned_cells() {
        let cell = |t: &str| {
            format!("<table:table-cell office:value-type=\"string\"><text:p>{t}</text:p></table:table-cell>")
        };
        let row =
            |cells: &[String]| format!("<table:table-row>{}</table:table-row>", cells.concat());
        let covered = "<table:covered-table-cell/>".to_string();
        // (rows, text read)
        let cases = [
            // a department spanning two rows of items with numbers of their own: repeated
            (
                [
                    row(&[cell("課"), cell("番号")]),
                    row(&[
                        cell("総務課").replace(
                            "<table:table-cell ",
                            "<table:table-cell table:number-rows-spanned=\"2\" ",
                        ),
                        cell("1"),
                    ]),
                    row(&[covered.clone(), cell("2")]),
                ]
                .concat(),
                "課\t番号\n総務課\t1\n総務課\t2\n",
            ),
            // a band spanning two columns: given once
            (
                [
                    row(&[cell("題"), cell("値")]),
                    row(&[
                        cell("区分").replace(
                            "<table:table-cell ",
                            "<table:table-cell table:number-columns-spanned=\"2\" ",
                        ),
                        covered.clone(),
                    ]),
                ]
                .concat(),
                "題\t値\n区分\n",
            ),
        ];
        for (rows, want) in cases {
            let d = ingest(&ods(&rows), Format::Ods, &Limits::default())
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(d.to_text(), want, "{rows}");
        }
    }
}
