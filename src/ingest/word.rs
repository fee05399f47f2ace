//! Word documents (`.docx`): the body's headings, paragraphs, numbered lists and tables.
//!
//! Each body paragraph is a line of one cell (a tab inside it starts a new cell); a numbered or
//! bulleted paragraph starts with its label as Word shows it (`(1)`, `①`, `ア`, `・`), computed
//! from `numbering.xml`. Each table row is a line with one cell per grid column: a cell spanning
//! columns (`gridSpan`) is followed by empty cells, a cell continuing a vertical merge (`vMerge`)
//! is empty unless its rows are rows of their own (a department merged down over its items:
//! repeated, see [`super::repeat_group_merges`]), the paragraphs of a cell are joined with `\n`. Line breaks (`<w:br/>`) are `\n`.
//! Hidden text (`vanish`), deleted text, field codes, text boxes, headers and footers are left
//! out. Pages follow Word's last rendered page breaks when the file has them, else explicit page
//! breaks. Provenance: `p12` (12th body paragraph), `t2.r3` (table 2, row 3), cells `t2.r3.c1`.

use super::{bad, clean_cell, doc, xml, Row};
use crate::error::Result;
use crate::limits::Limits;
use crate::source::SourceDoc;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;

const WHAT: &str = "docx document";

/// Read a Word document.
pub fn ingest(bytes: &[u8], limits: &Limits) -> Result<SourceDoc> {
    let mut z = xml::open(bytes, WHAT, limits)?;
    let max = limits.max_stream_bytes;
    let main = main_part(&mut z, max);
    let body = xml::read_part(&mut z, &main, max)?
        .ok_or_else(|| bad(WHAT, format!("no {main} in the archive")))?;
    let numbering = xml::read_part(&mut z, "word/numbering.xml", max)
        .ok()
        .flatten()
        .map(|b| Numbering::parse(&b))
        .unwrap_or_default();
    let styles = xml::read_part(&mut z, "word/styles.xml", max)
        .ok()
        .flatten()
        .map(|b| style_numbering(&b))
        .unwrap_or_default();
    let blocks = parse_body(&body, limits, &numbering, &styles).map_err(|e| bad(WHAT, e))?;
    let rendered = blocks.iter().any(|b| b.rendered_page > 0);
    let mut pages: Vec<(Option<u32>, Vec<Row>)> = Vec::new();
    let (mut p_idx, mut t_idx) = (0usize, 0usize);
    for b in blocks {
        let page = 1 + if rendered {
            b.rendered_page
        } else {
            b.explicit_page
        };
        let row = match b.kind {
            Kind::Para(p) => {
                p_idx += 1;
                let cells: Vec<String> = p.text.split('\t').map(clean_cell).collect();
                vec![Row {
                    cell_origins: Vec::new(),
                    cells,
                    origin: Some(format!("p{p_idx}")),
                }]
            }
            Kind::Table(rows) => {
                t_idx += 1;
                rows.into_iter()
                    .enumerate()
                    .map(|(r, cells)| Row {
                        cell_origins: (1..=cells.len())
                            .map(|c| format!("t{t_idx}.r{}.c{c}", r + 1))
                            .collect(),
                        cells: cells.iter().map(|c| clean_cell(c)).collect(),
                        origin: Some(format!("t{t_idx}.r{}", r + 1)),
                    })
                    .collect()
            }
        };
        let page = Some(u32::try_from(page).unwrap_or(u32::MAX));
        match pages.last_mut() {
            Some((p, rows)) if *p == page => rows.extend(row),
            _ => pages.push((page, row)),
        }
    }
    let n = pages.last().and_then(|(p, _)| *p);
    doc(super::DOCX, n, pages).map_err(|e| bad(WHAT, e.message))
}

/// The main document part named by the package relationships (normally `word/document.xml`).
fn main_part(z: &mut xml::Archive<'_>, max: u64) -> String {
    let fallback = "word/document.xml".to_string();
    let Ok(Some(rels)) = xml::read_part(z, "_rels/.rels", max) else {
        return fallback;
    };
    let mut rd = quick_xml::Reader::from_reader(rels.as_slice());
    let mut buf = Vec::new();
    loop {
        match rd.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e))
                if xml::local(e.name().as_ref()) == "Relationship" =>
            {
                let ty = xml::attr(&e, "Type").unwrap_or_default();
                if ty.ends_with("/officeDocument") {
                    if let Some(t) = xml::attr(&e, "Target") {
                        return xml::resolve("_rels/.rels", &t)
                            .trim_start_matches("_rels/")
                            .to_string();
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    fallback
}

/// A paragraph as read.
#[derive(Debug, Default)]
struct Para {
    text: String,
    style: Option<String>,
    /// (numId, ilvl)
    num: Option<(String, usize)>,
}

#[derive(Debug)]
enum Kind {
    Para(Para),
    /// Rows of cells, one per grid column.
    Table(Vec<Vec<String>>),
}

#[derive(Debug)]
struct Block {
    kind: Kind,
    rendered_page: usize,
    explicit_page: usize,
}

/// A table being read.
#[derive(Debug, Default)]
struct Table {
    rows: Vec<Vec<String>>,
    row: Option<Vec<String>>,
    /// Per row and grid column: the cell continues a vertical merge.
    covered: Vec<Vec<bool>>,
    row_covered: Vec<bool>,
    cell: Option<Cell>,
}

#[derive(Debug, Default)]
struct Cell {
    paras: Vec<String>,
    span: usize,
    continues: bool,
}

fn val(e: &BytesStart<'_>) -> Option<String> {
    xml::attr(e, "val")
}

fn is_on(e: &BytesStart<'_>) -> bool {
    !matches!(val(e).as_deref(), Some("0" | "false" | "off"))
}

/// Read the body into blocks.
fn parse_body(
    x: &[u8],
    limits: &Limits,
    numbering: &Numbering,
    styles: &HashMap<String, (String, usize)>,
) -> std::result::Result<Vec<Block>, String> {
    let mut counters = Counters::default();
    let mut rd = quick_xml::Reader::from_reader(x);
    let mut buf = Vec::new();
    let mut blocks = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut para: Option<Para> = None;
    let (mut rendered, mut explicit) = (0usize, 0usize);
    let mut in_t = false;
    let mut in_run_props = false;
    let mut run_hidden = false;
    let mut in_ppr = false;
    let mut in_numpr = false;
    let mut skip_depth = 0usize; // inside an element whose content is left out
    let mut depth = 0usize;
    loop {
        let ev = rd.read_event_into(&mut buf).map_err(|e| e.to_string())?;
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) => {
                if !empty {
                    depth += 1;
                    if depth > limits.max_depth.saturating_mul(8) {
                        return Err("elements nested too deeply".into());
                    }
                }
                let name = xml::local(e.name().as_ref()).to_string();
                if skip_depth > 0 {
                    if !empty {
                        skip_depth += 1;
                    }
                    buf.clear();
                    continue;
                }
                match name.as_str() {
                    "Fallback" | "txbxContent" | "del" | "moveFrom" | "instrText"
                    | "footnoteReference"
                        if !empty =>
                    {
                        skip_depth = 1;
                    }
                    "tbl" => tables.push(Table::default()),
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            t.row = Some(Vec::new());
                            t.row_covered.clear();
                        }
                    }
                    "tc" => {
                        if let Some(t) = tables.last_mut() {
                            t.cell = Some(Cell {
                                span: 1,
                                ..Cell::default()
                            });
                        }
                    }
                    "gridSpan" => {
                        if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            c.span = val(e)
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(1)
                                .clamp(1, 64);
                        }
                    }
                    "vMerge" => {
                        if let Some(c) = tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            c.continues = val(e).as_deref() != Some("restart");
                        }
                    }
                    "p" => para = Some(Para::default()),
                    "pPr" => in_ppr = true,
                    "numPr" => in_numpr = true,
                    "pStyle" if in_ppr => {
                        if let Some(p) = para.as_mut() {
                            p.style = val(e);
                        }
                    }
                    "numId" if in_numpr => {
                        if let (Some(p), Some(v)) = (para.as_mut(), val(e)) {
                            let lvl = p.num.as_ref().map_or(0, |n| n.1);
                            p.num = Some((v, lvl));
                        }
                    }
                    "ilvl" if in_numpr => {
                        if let Some(p) = para.as_mut() {
                            let lvl = val(e).and_then(|v| v.parse().ok()).unwrap_or(0).min(8);
                            let id = p.num.as_ref().map(|n| n.0.clone()).unwrap_or_default();
                            p.num = Some((id, lvl));
                        }
                    }
                    "pageBreakBefore" if in_ppr && is_on(e) => explicit += 1,
                    "r" => run_hidden = false,
                    "rPr" if !in_ppr => in_run_props = true,
                    "vanish" | "specVanish" if in_run_props => run_hidden = is_on(e),
                    "t" => in_t = !empty,
                    "tab" if !in_ppr => push(&mut para, "\t", run_hidden),
                    "br" => {
                        if xml::attr(e, "type").as_deref() == Some("page") {
                            explicit += 1;
                        }
                        push(&mut para, "\n", run_hidden);
                    }
                    "cr" => push(&mut para, "\n", run_hidden),
                    "noBreakHyphen" => push(&mut para, "-", run_hidden),
                    "lastRenderedPageBreak" => rendered += 1,
                    _ => {}
                }
            }
            Event::End(ref e) => {
                depth = depth.saturating_sub(1);
                if skip_depth > 0 {
                    skip_depth -= 1;
                    buf.clear();
                    continue;
                }
                match xml::local(e.name().as_ref()) {
                    "t" => in_t = false,
                    "rPr" => in_run_props = false,
                    "pPr" => in_ppr = false,
                    "numPr" => in_numpr = false,
                    "p" => {
                        let mut p = para.take().unwrap_or_default();
                        let numpr = p
                            .num
                            .clone()
                            .or_else(|| p.style.as_ref().and_then(|s| styles.get(s).cloned()));
                        let label = numpr.and_then(|(id, lvl)| counters.next(numbering, &id, lvl));
                        if let Some(l) = label.filter(|l| !l.is_empty()) {
                            p.text = format!("{l} {}", p.text.trim_start());
                        }
                        let top_level = tables.is_empty();
                        match tables.last_mut().and_then(|t| t.cell.as_mut()) {
                            Some(c) => c.paras.push(p.text.replace('\t', " ")),
                            None if top_level => blocks.push(Block {
                                kind: Kind::Para(p),
                                rendered_page: rendered,
                                explicit_page: explicit,
                            }),
                            None => {}
                        }
                    }
                    "tc" => {
                        if let Some(t) = tables.last_mut() {
                            if let (Some(c), Some(row)) = (t.cell.take(), t.row.as_mut()) {
                                let text = if c.continues {
                                    String::new()
                                } else {
                                    c.paras.join("\n")
                                };
                                row.push(text);
                                t.row_covered.push(c.continues);
                                for _ in 1..c.span {
                                    row.push(String::new());
                                    t.row_covered.push(c.continues);
                                }
                            }
                        }
                    }
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            if let Some(r) = t.row.take() {
                                t.rows.push(r);
                                t.covered.push(std::mem::take(&mut t.row_covered));
                            }
                        }
                    }
                    "tbl" => {
                        if let Some(mut t) = tables.pop() {
                            super::repeat_group_merges(&mut t.rows, &t.covered);
                            match tables.last_mut().and_then(|o| o.cell.as_mut()) {
                                // a nested table: its rows become paragraphs of the outer cell
                                Some(c) => c.paras.extend(t.rows.iter().map(|r| {
                                    r.iter()
                                        .filter(|s| !s.is_empty())
                                        .cloned()
                                        .collect::<Vec<_>>()
                                        .join(" ")
                                })),
                                None => blocks.push(Block {
                                    kind: Kind::Table(t.rows),
                                    rendered_page: rendered,
                                    explicit_page: explicit,
                                }),
                            }
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(ref t) if in_t && skip_depth == 0 => {
                push(&mut para, &t.xml10_content(), run_hidden)
            }
            Event::GeneralRef(ref r) if in_t && skip_depth == 0 => {
                push(&mut para, &xml::entity(r), run_hidden)
            }
            Event::CData(ref t) if in_t && skip_depth == 0 => {
                push(&mut para, t.as_ref(), run_hidden)
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(blocks)
}

fn push(para: &mut Option<Para>, s: &str, hidden: bool) {
    if hidden {
        return;
    }
    if let Some(p) = para.as_mut() {
        p.text.push_str(s);
    }
}

/// One level of a list definition.
#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    fmt: String,
    text: String,
    suffix_none: bool,
    /// `lvlRestart`: the number restarts only after a level at or above this one-based level is
    /// used (`0`: never; absent: after any level above it).
    restart: Option<usize>,
}

/// The list definitions of `numbering.xml`.
#[derive(Debug, Default)]
struct Numbering {
    /// abstractNumId → levels
    abstracts: HashMap<String, Vec<Level>>,
    /// numId → (abstractNumId, start overrides by level)
    nums: HashMap<String, (String, HashMap<usize, u32>)>,
}

impl Numbering {
    fn parse(x: &[u8]) -> Numbering {
        let mut n = Numbering::default();
        let mut rd = quick_xml::Reader::from_reader(x);
        let mut buf = Vec::new();
        let mut abs: Option<String> = None;
        let mut num: Option<String> = None;
        let mut lvl: Option<usize> = None;
        loop {
            match rd.read_event_into(&mut buf) {
                Ok(Event::Start(ref e) | Event::Empty(ref e)) => {
                    match xml::local(e.name().as_ref()) {
                        "abstractNum" => {
                            abs = xml::attr(e, "abstractNumId");
                            if let Some(a) = &abs {
                                n.abstracts.insert(a.clone(), vec![Level::default(); 9]);
                            }
                        }
                        "num" => {
                            num = xml::attr(e, "numId");
                            if let Some(id) = &num {
                                n.nums.insert(id.clone(), (String::new(), HashMap::new()));
                            }
                        }
                        "abstractNumId" => {
                            if let (Some(id), Some(v)) = (&num, val(e)) {
                                if let Some(entry) = n.nums.get_mut(id) {
                                    entry.0 = v;
                                }
                            }
                        }
                        "lvl" | "lvlOverride" => {
                            lvl = xml::attr(e, "ilvl")
                                .and_then(|v| v.parse().ok())
                                .filter(|&l| l < 9);
                        }
                        "startOverride" => {
                            if let (Some(id), Some(l), Some(v)) =
                                (&num, lvl, val(e).and_then(|v| v.parse().ok()))
                            {
                                if let Some(entry) = n.nums.get_mut(id) {
                                    entry.1.insert(l, v);
                                }
                            }
                        }
                        name @ ("start" | "numFmt" | "lvlText" | "suff" | "lvlRestart")
                            if num.is_none() =>
                        {
                            let level = abs.as_ref().zip(lvl).and_then(|(a, l)| {
                                n.abstracts.get_mut(a).and_then(|v| v.get_mut(l))
                            });
                            if let (Some(level), Some(v)) = (level, val(e)) {
                                match name {
                                    "start" => level.start = v.parse().unwrap_or(1),
                                    "numFmt" => level.fmt = v,
                                    "lvlText" => level.text = v,
                                    "lvlRestart" => level.restart = v.parse().ok(),
                                    _ => level.suffix_none = v == "nothing",
                                }
                            }
                        }
                        _ => {}
                    }
                }
                Ok(Event::End(ref e)) => match xml::local(e.name().as_ref()) {
                    "abstractNum" => abs = None,
                    "num" => num = None,
                    "lvl" | "lvlOverride" => lvl = None,
                    _ => {}
                },
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
            buf.clear();
        }
        n
    }
}

/// Numbering of paragraph styles: styleId → (numId, ilvl), following `basedOn`.
fn style_numbering(x: &[u8]) -> HashMap<String, (String, usize)> {
    let mut direct: HashMap<String, (Option<String>, Option<usize>)> = HashMap::new();
    let mut based: HashMap<String, String> = HashMap::new();
    let mut rd = quick_xml::Reader::from_reader(x);
    let mut buf = Vec::new();
    let mut style: Option<String> = None;
    loop {
        match rd.read_event_into(&mut buf) {
            Ok(Event::Start(ref e) | Event::Empty(ref e)) => match xml::local(e.name().as_ref()) {
                "style" => style = xml::attr(e, "styleId"),
                "basedOn" => {
                    if let (Some(s), Some(v)) = (&style, val(e)) {
                        based.insert(s.clone(), v);
                    }
                }
                "numId" => {
                    if let Some(s) = &style {
                        direct.entry(s.clone()).or_default().0 = val(e);
                    }
                }
                "ilvl" => {
                    if let Some(s) = &style {
                        direct.entry(s.clone()).or_default().1 =
                            val(e).and_then(|v| v.parse().ok());
                    }
                }
                _ => {}
            },
            Ok(Event::End(ref e)) if xml::local(e.name().as_ref()) == "style" => style = None,
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    let mut out = HashMap::new();
    for s in direct.keys().chain(based.keys()) {
        let mut cur = s.clone();
        for _ in 0..16 {
            if let Some((Some(id), l)) = direct.get(&cur) {
                if id != "0" {
                    out.insert(s.clone(), (id.clone(), l.unwrap_or(0).min(8)));
                }
                break;
            }
            match based.get(&cur) {
                Some(b) => cur = b.clone(),
                None => break,
            }
        }
    }
    out
}

/// List counters per numId.
#[derive(Debug, Default)]
struct Counters {
    by_num: HashMap<String, [u32; 9]>,
}

impl Counters {
    /// The label of the next paragraph in list `id` at level `lvl`.
    fn next(&mut self, n: &Numbering, id: &str, lvl: usize) -> Option<String> {
        if id == "0" {
            return None;
        }
        let (abs, overrides) = n.nums.get(id)?;
        let levels = n.abstracts.get(abs)?;
        let start = |l: usize| -> u32 {
            overrides
                .get(&l)
                .copied()
                .or_else(|| levels.get(l).map(|x| x.start))
                .unwrap_or(1)
        };
        let counters = self.by_num.entry(id.to_string()).or_insert([0; 9]);
        let cur = counters.get_mut(lvl)?;
        *cur = if *cur == 0 { start(lvl) } else { *cur + 1 };
        for (d, deeper) in counters.iter_mut().enumerate().skip(lvl + 1) {
            let restarts = match levels.get(d).and_then(|x| x.restart) {
                None => true,
                Some(r) => r > 0 && lvl < r,
            };
            if restarts {
                *deeper = 0;
            }
        }
        let level = levels.get(lvl)?;
        if level.fmt == "none" {
            return Some(String::new());
        }
        if level.fmt == "bullet" {
            return Some(bullet(&level.text));
        }
        let mut label = level.text.clone();
        for k in (0..=lvl).rev() {
            let pat = format!("%{}", k + 1);
            if label.contains(&pat) {
                let c = counters
                    .get(k)
                    .copied()
                    .filter(|&c| c > 0)
                    .unwrap_or_else(|| start(k));
                let f = levels.get(k).map(|l| l.fmt.as_str()).unwrap_or("decimal");
                label = label.replace(&pat, &number(c, f));
            }
        }
        let _ = level.suffix_none;
        Some(label)
    }
}

/// A bullet character as shown (Symbol/Wingdings private-use bullets become `・`).
fn bullet(text: &str) -> String {
    if text.chars().any(|c| ('\u{E000}'..='\u{F8FF}').contains(&c)) || text.is_empty() {
        "・".into()
    } else {
        text.to_string()
    }
}

/// A counter in a Word number format.
fn number(n: u32, fmt: &str) -> String {
    const AIUEO: &str = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン";
    const IROHA: &str = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセスン";
    let nth = |s: &str| {
        let len = s.chars().count() as u32;
        s.chars()
            .nth(((n.max(1) - 1) % len.max(1)) as usize)
            .map(String::from)
            .unwrap_or_default()
    };
    match fmt {
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" if (1..=20).contains(&n) => {
            char::from_u32(0x2460 + n - 1)
                .map(String::from)
                .unwrap_or_default()
        }
        "decimalZero" if n < 10 => format!("0{n}"),
        "upperLetter" | "lowerLetter" => {
            let c = char::from(b'A' + ((n.max(1) - 1) % 26) as u8);
            let s = c.to_string().repeat(((n.max(1) - 1) / 26 + 1) as usize);
            if fmt == "lowerLetter" {
                s.to_lowercase()
            } else {
                s
            }
        }
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "aiueo" | "aiueoFullWidth" => nth(AIUEO),
        "iroha" | "irohaFullWidth" => nth(IROHA),
        "japaneseCounting"
        | "ideographTraditional"
        | "japaneseDigitalTenThousand"
        | "ideographDigital" => kanji(n),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    const T: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in T {
        while n >= v && s.len() < 64 {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

fn kanji(n: u32) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n >= 100 {
        return n.to_string();
    }
    let (t, o) = (n / 10, n % 10);
    let mut s = String::new();
    if t > 1 {
        s.push_str(D.get(t as usize).copied().unwrap_or(""));
    }
    if t >= 1 {
        s.push('十');
    }
    if o > 0 || n == 0 {
        s.push_str(D.get(o as usize).copied().unwrap_or(""));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        assert_eq!(number(3, "decimal"), "3");
        assert_eq!(number(12, "decimalFullWidth"), "１２");
        assert_eq!(number(2, "decimalEnclosedCircle"), "②");
        assert_eq!(number(3, "aiueoFullWidth"), "ウ");
        assert_eq!(number(4, "upperRoman"), "IV");
        assert_eq!(number(27, "lowerLetter"), "aa");
        assert_eq!(number(21, "japaneseCounting"), "二十一");
        assert_eq!(number(10, "japaneseCounting"), "十");
    }

    /// A table of rows given as (text, vMerge) cells, read back as rows of cell text.
    fn table_rows(rows: &[Vec<(&str, Option<&str>)>]) -> Vec<Vec<String>> {
        let mut x = String::from("<w:body><w:tbl>");
        for r in rows {
            x.push_str("<w:tr>");
            for (text, merge) in r.iter() {
                x.push_str("<w:tc>");
                if let Some(v) = merge {
                    x.push_str(&format!("<w:tcPr><w:vMerge w:val=\"{v}\"/></w:tcPr>"));
                }
                x.push_str(&format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"));
            }
            x.push_str("</w:tr>");
        }
        x.push_str("</w:tbl></w:body>");
        let blocks = parse_body(
            x.as_bytes(),
            &Limits::default(),
            &Numbering::default(),
            &HashMap::new(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        match blocks.into_iter().next().map(|b| b.kind) {
            Some(Kind::Table(rows)) => rows,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn vertical_merges() {
        let (restart, cont) = (Some("restart"), Some("continue"));
        // (rows, expected rows)
        type Case<'a> = (Vec<Vec<(&'a str, Option<&'a str>)>>, Vec<Vec<&'a str>>);
        let cases: Vec<Case> = vec![
            // a department merged down over items with numbers of their own: repeated
            (
                vec![
                    vec![("課", None), ("番号", None), ("取組", None)],
                    vec![("総務課", restart), ("1", None), ("甲", None)],
                    vec![("", cont), ("2", None), ("乙", None)],
                ],
                vec![
                    vec!["課", "番号", "取組"],
                    vec!["総務課", "1", "甲"],
                    vec!["総務課", "2", "乙"],
                ],
            ),
            // a number merged over a row continuing the item: given once
            (
                vec![
                    vec![("1", restart), ("題", restart), ("一", None)],
                    vec![("", cont), ("", cont), ("二", None)],
                ],
                vec![vec!["1", "題", "一"], vec!["", "", "二"]],
            ),
        ];
        for (rows, want) in cases {
            assert_eq!(table_rows(&rows), want);
        }
    }

    #[test]
    fn levels_restart_as_defined() {
        let x = |restart: &str| {
            format!(
                "<w:numbering><w:abstractNum w:abstractNumId=\"1\">\
                 <w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"第%1\"/></w:lvl>\
                 <w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/>{restart}<w:lvlText w:val=\"%2\"/></w:lvl>\
                 </w:abstractNum><w:num w:numId=\"5\"><w:abstractNumId w:val=\"1\"/></w:num></w:numbering>"
            )
        };
        // (lvlRestart of the second level, labels of paragraphs at levels 0 1 1 0 1)
        let cases = [
            ("", ["第1", "1", "2", "第2", "1"]),
            ("<w:lvlRestart w:val=\"0\"/>", ["第1", "1", "2", "第2", "3"]),
            ("<w:lvlRestart w:val=\"1\"/>", ["第1", "1", "2", "第2", "1"]),
        ];
        for (restart, want) in cases {
            let n = Numbering::parse(x(restart).as_bytes());
            let mut c = Counters::default();
            let got: Vec<String> = [0, 1, 1, 0, 1]
                .iter()
                .map(|&l| c.next(&n, "5", l).unwrap_or_default())
                .collect();
            assert_eq!(got, want, "{restart}");
        }
    }
}
