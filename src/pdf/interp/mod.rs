//! Content-stream interpreter: graphics and text state, Form XObjects, producing positioned glyphs
//! and ruling lines in display space (origin top-left of the page as shown, y downwards).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use lopdf::{Dictionary, Object};

use super::doc::{num, Pdf};
use super::font::{Class, Font};
use super::guard;
use crate::error::{Error, ErrorKind, Result};

mod path;
mod resync;
mod tokens;
mod types;

use path::*;
use resync::*;
use tokens::Tokens;
pub(crate) use types::*;

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    hscale: f32,
    leading: f32,
    rise: f32,
    line_width: f32,
    stroke_visible: bool,
    fill_visible: bool,
}

pub(crate) struct Interp<'a, 'p> {
    pdf: &'a Pdf<'p>,
    fonts: &'a mut FontCache,
    out: PageContent,
    ops: usize,
    page: u32,
    forms: guard::FormStack,
    /// Per font index: glyph counts by [`Class`].
    stats: Vec<[u32; 4]>,
    stat_fonts: Vec<Option<Rc<Font>>>,
    /// Marked-content stack: the MCID of each open sequence (-1 when it has none).
    marked: Vec<i32>,
    mcid: i32,
}

fn is_white(ops: &[Object], op: &str) -> bool {
    let v: Vec<f32> = ops.iter().filter_map(num).collect();
    match (op, v.as_slice()) {
        ("G" | "g", [g]) => *g >= 0.99,
        ("RG" | "rg", [r, g, b]) => *r >= 0.99 && *g >= 0.99 && *b >= 0.99,
        ("K" | "k", [c, m, y, k]) => *c <= 0.01 && *m <= 0.01 && *y <= 0.01 && *k <= 0.01,
        _ => false,
    }
}

/// Interpret a page's content streams.
pub(crate) fn run_page(
    pdf: &Pdf,
    fonts: &mut FontCache,
    page_no: u32,
    page: &Dictionary,
    contents: &[u8],
) -> Result<PageContent> {
    let (base, width, height) = page_matrix(pdf, page);
    let resources = pdf.inherited(page, b"Resources").and_then(|r| match r {
        Object::Dictionary(d) => Some(d),
        _ => None,
    });
    let mut it = Interp {
        pdf,
        fonts,
        out: PageContent {
            width,
            height,
            ..PageContent::default()
        },
        ops: 0,
        page: page_no,
        forms: guard::FormStack::new(pdf.limits),
        stats: Vec::new(),
        stat_fonts: Vec::new(),
        marked: Vec::new(),
        mcid: -1,
    };
    let gs = GState {
        ctm: base,
        font: None,
        size: 0.0,
        char_spacing: 0.0,
        word_spacing: 0.0,
        hscale: 1.0,
        leading: 0.0,
        rise: 0.0,
        line_width: 1.0,
        stroke_visible: true,
        fill_visible: true,
    };
    it.run(contents, resources, gs, 0)?;
    let Interp {
        mut out,
        stats,
        stat_fonts,
        ..
    } = it;
    for (st, f) in stats.iter().zip(&stat_fonts) {
        let count = |c: Class| st.get(c as usize).copied().unwrap_or(0);
        let (kana, common, rare) = (
            count(Class::Kana),
            count(Class::KanjiCommon),
            count(Class::KanjiRare),
        );
        let kanji = common + rare;
        // Real Japanese: most kanji are JIS level 1 and kana are common. Random CIDs read
        // through the wrong table give mostly rare kanji.
        if kanji >= 8
            && (common as f32) < 0.6 * kanji as f32
            && (kana as f32) < 0.2 * (kanji + kana) as f32
        {
            if let Some(f) = f {
                out.implausible
                    .push((f.name.clone(), kanji + kana + count(Class::Other)));
            }
        }
    }
    Ok(out)
}

/// Matrix from user space to display space (page rotation and box origin), and the display size.
fn page_matrix(pdf: &Pdf, page: &Dictionary) -> (Matrix, f32, f32) {
    let boxv = |key: &[u8]| -> Option<[f32; 4]> {
        let arr = match pdf.inherited(page, key)? {
            Object::Array(a) => a,
            _ => return None,
        };
        let v: Vec<f32> = arr.iter().filter_map(|o| pdf.num(o)).collect();
        match v.as_slice() {
            [a, b, c, d] => Some([a.min(*c), b.min(*d), a.max(*c), b.max(*d)]),
            _ => None,
        }
    };
    let [x0, y0, x1, y1] = boxv(b"CropBox")
        .or_else(|| boxv(b"MediaBox"))
        .unwrap_or([0.0, 0.0, 612.0, 792.0]);
    let rotate = pdf
        .inherited(page, b"Rotate")
        .and_then(num)
        .map(|r| (r as i64).rem_euclid(360))
        .unwrap_or(0);
    let (w, h) = (x1 - x0, y1 - y0);
    match rotate {
        90 => (
            Matrix {
                a: 0.0,
                b: 1.0,
                c: 1.0,
                d: 0.0,
                e: -y0,
                f: -x0,
            },
            h,
            w,
        ),
        180 => (
            Matrix {
                a: -1.0,
                b: 0.0,
                c: 0.0,
                d: 1.0,
                e: x1,
                f: -y0,
            },
            w,
            h,
        ),
        270 => (
            Matrix {
                a: 0.0,
                b: -1.0,
                c: -1.0,
                d: 0.0,
                e: y1,
                f: x1,
            },
            h,
            w,
        ),
        _ => (
            Matrix {
                a: 1.0,
                b: 0.0,
                c: 0.0,
                d: -1.0,
                e: -x0,
                f: y1,
            },
            w,
            h,
        ),
    }
}

fn operand_nums<const N: usize>(ops: &[Object]) -> Option<[f32; N]> {
    if ops.len() < N {
        return None;
    }
    let mut out = [0.0f32; N];
    let start = ops.len() - N;
    for (slot, o) in out.iter_mut().zip(ops.iter().skip(start)) {
        *slot = num(o)?;
    }
    Some(out)
}

impl<'a, 'p> Interp<'a, 'p> {
    fn run(
        &mut self,
        data: &[u8],
        resources: Option<&'p Dictionary>,
        mut gs: GState,
        depth: usize,
    ) -> Result<()> {
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = Matrix::IDENTITY;
        let mut tlm = Matrix::IDENTITY;
        let mut path = Path::default();
        let mut font_names: FastMap<u64, (Vec<u8>, Rc<Font>)> = FastMap::default();
        let max_ops = self.pdf.limits.max_operators_per_page;
        // Nesting and operator count are checked on the bytes before lopdf parses them; arrays
        // and dictionaries nested too deeply are read as null.
        let flat;
        let mut data = data;
        if let Err(e) =
            guard::check_content(data, max_ops.saturating_sub(self.ops), self.pdf.limits)
        {
            let max_depth = self.pdf.limits.max_depth;
            if guard::scan_content(data, max_depth, usize::MAX).depth <= max_depth {
                return Err(e.at_page(self.page));
            }
            let spans;
            (flat, spans) = guard::flatten_deep(data, guard::Mode::Content, max_depth);
            data = &flat;
            self.pdf.note(
                crate::model::Diagnostic::new(
                    crate::model::Severity::Warning,
                    "pdf-deep-object",
                    format!(
                        "{} operand(s) nested more than {max_depth} levels deep (--max-depth) are read as null",
                        spans.len()
                    ),
                )
                .at(None, Some(self.page)),
            );
            guard::check_content(data, max_ops.saturating_sub(self.ops), self.pdf.limits)
                .map_err(|e| e.at_page(self.page))?;
        }
        let mut ops = Resync::new(data);
        while let Some((operator, o)) = ops.next() {
            self.ops += 1;
            if self.ops > max_ops {
                return Err(Error::new(
                    ErrorKind::Limit,
                    format!("more than {max_ops} content operators on one page (--max-operators)"),
                )
                .at_page(self.page));
            }
            match operator {
                "q" if stack.len() < 4096 => stack.push(gs.clone()),
                "Q" => {
                    if let Some(g) = stack.pop() {
                        gs = g;
                    }
                }
                "cm" => {
                    if let Some(v) = operand_nums::<6>(o) {
                        let m = Matrix::new(v).then(&gs.ctm);
                        if m.is_finite() {
                            gs.ctm = m;
                        }
                    }
                }
                "w" => {
                    if let Some([w]) = operand_nums::<1>(o) {
                        gs.line_width = w.abs();
                    }
                }
                "G" | "RG" | "K" => gs.stroke_visible = !is_white(o, operator),
                "g" | "rg" | "k" => gs.fill_visible = !is_white(o, operator),
                "BT" => {
                    tm = Matrix::IDENTITY;
                    tlm = Matrix::IDENTITY;
                }
                "ET" => {}
                "Tf" => {
                    if let (Some(Object::Name(name)), Some(size)) =
                        (o.first(), o.get(1).and_then(num))
                    {
                        gs.size = size;
                        gs.font = Some(self.font(resources, name, &mut font_names));
                    }
                }
                "Tc" => {
                    if let Some([v]) = operand_nums::<1>(o) {
                        gs.char_spacing = v;
                    }
                }
                "Tw" => {
                    if let Some([v]) = operand_nums::<1>(o) {
                        gs.word_spacing = v;
                    }
                }
                "Tz" => {
                    if let Some([v]) = operand_nums::<1>(o) {
                        gs.hscale = v / 100.0;
                    }
                }
                "TL" => {
                    if let Some([v]) = operand_nums::<1>(o) {
                        gs.leading = v;
                    }
                }
                "Ts" => {
                    if let Some([v]) = operand_nums::<1>(o) {
                        gs.rise = v;
                    }
                }
                "Td" => {
                    if let Some([tx, ty]) = operand_nums::<2>(o) {
                        tlm = Matrix::translate(tx, ty).then(&tlm);
                        tm = tlm;
                    }
                }
                "TD" => {
                    if let Some([tx, ty]) = operand_nums::<2>(o) {
                        gs.leading = -ty;
                        tlm = Matrix::translate(tx, ty).then(&tlm);
                        tm = tlm;
                    }
                }
                "Tm" => {
                    if let Some(v) = operand_nums::<6>(o) {
                        let m = Matrix::new(v);
                        if m.is_finite() {
                            tlm = m;
                            tm = m;
                        }
                    }
                }
                "T*" => {
                    tlm = Matrix::translate(0.0, -gs.leading).then(&tlm);
                    tm = tlm;
                }
                "Tj" => {
                    if let Some(Object::String(s, _)) = o.first() {
                        self.show(&gs, &mut tm, s);
                    }
                }
                "'" => {
                    tlm = Matrix::translate(0.0, -gs.leading).then(&tlm);
                    tm = tlm;
                    if let Some(Object::String(s, _)) = o.first() {
                        self.show(&gs, &mut tm, s);
                    }
                }
                "\"" => {
                    if let (Some(aw), Some(ac)) = (o.first().and_then(num), o.get(1).and_then(num))
                    {
                        gs.word_spacing = aw;
                        gs.char_spacing = ac;
                    }
                    tlm = Matrix::translate(0.0, -gs.leading).then(&tlm);
                    tm = tlm;
                    if let Some(Object::String(s, _)) = o.get(2) {
                        self.show(&gs, &mut tm, s);
                    }
                }
                "TJ" => {
                    if let Some(Object::Array(items)) = o.first() {
                        for item in items {
                            match item {
                                Object::String(s, _) => self.show(&gs, &mut tm, s),
                                other => {
                                    if let Some(n) = num(other) {
                                        let adj = -n / 1000.0 * gs.size;
                                        let vertical = gs.font.as_ref().is_some_and(|f| f.vertical);
                                        tm = if vertical {
                                            Matrix::translate(0.0, adj).then(&tm)
                                        } else {
                                            Matrix::translate(adj * gs.hscale, 0.0).then(&tm)
                                        };
                                    }
                                }
                            }
                        }
                    }
                }
                "BMC" => self.begin_marked(-1),
                "BDC" => {
                    let props = match o.get(1) {
                        Some(Object::Dictionary(d)) => Some(d),
                        Some(Object::Name(n)) => resources
                            .and_then(|r| self.pdf.get_dict(r, b"Properties"))
                            .and_then(|p| self.pdf.get_dict(p, n)),
                        _ => None,
                    };
                    let mcid = props
                        .and_then(|d| self.pdf.get_num(d, b"MCID"))
                        .map_or(-1, |m| m as i32);
                    self.begin_marked(mcid);
                }
                "EMC" => {
                    self.marked.pop();
                    self.mcid = self
                        .marked
                        .iter()
                        .rev()
                        .find(|m| **m >= 0)
                        .copied()
                        .unwrap_or(-1);
                }
                "Do" => {
                    if let Some(Object::Name(name)) = o.first() {
                        self.do_xobject(resources, name, &gs, depth)?;
                    }
                }
                // Paths.
                "m" => {
                    if let Some([x, y]) = operand_nums::<2>(o) {
                        path.move_to(gs.ctm.apply(x, y));
                    }
                }
                "l" => {
                    if let Some([x, y]) = operand_nums::<2>(o) {
                        path.line_to(gs.ctm.apply(x, y));
                    }
                }
                "c" | "v" | "y" => {
                    if let Some([x, y]) = operand_nums::<2>(o) {
                        path.curve_to(gs.ctm.apply(x, y));
                    }
                }
                "h" => path.close(),
                "re" => {
                    if let Some([x, y, w, h]) = operand_nums::<4>(o) {
                        let (ax, ay) = gs.ctm.apply(x, y);
                        let (bx, by) = gs.ctm.apply(x + w, y + h);
                        path.rect(ax, ay, bx, by);
                        let p = Point { x: ax, y: ay };
                        path.start = p;
                        path.cur = p;
                    }
                }
                "S" | "s" => {
                    if operator == "s" {
                        path.close();
                    }
                    if gs.stroke_visible {
                        self.stroke(&path, &gs);
                    }
                    path = Path::default();
                }
                "f" | "F" | "f*" => {
                    path.finish_sub();
                    if gs.fill_visible {
                        self.fill(&path);
                    }
                    path = Path::default();
                }
                "B" | "B*" | "b" | "b*" => {
                    path.finish_sub();
                    if gs.fill_visible {
                        self.fill(&path);
                    }
                    if gs.stroke_visible {
                        self.stroke(&path, &gs);
                    }
                    path = Path::default();
                }
                "n" => path = Path::default(),
                _ => {}
            }
        }
        if ops.skipped > 0 {
            let (severity, cost) = if ops.skipped_text > 0 {
                (
                    crate::model::Severity::Error,
                    format!("{} of them show text, which is lost", ops.skipped_text),
                )
            } else {
                (
                    crate::model::Severity::Warning,
                    "none of them shows text".to_string(),
                )
            };
            self.pdf.note(
                crate::model::Diagnostic::new(
                    severity,
                    "pdf-damaged-content",
                    format!(
                        "{} content operation(s) cannot be read and are skipped ({cost}); the rest of the page is read",
                        ops.skipped
                    ),
                )
                .at(None, Some(self.page)),
            );
        }
        Ok(())
    }

    fn begin_marked(&mut self, mcid: i32) {
        if self.marked.len() < 1024 {
            self.marked.push(mcid);
        }
        if mcid >= 0 {
            self.mcid = mcid;
        }
    }

    fn font(
        &mut self,
        resources: Option<&'p Dictionary>,
        name: &[u8],
        names: &mut FastMap<u64, (Vec<u8>, Rc<Font>)>,
    ) -> Rc<Font> {
        let mut h = IdHasher::default();
        h.write(name);
        let key = h.finish();
        if let Some((n, f)) = names.get(&key) {
            if n.as_slice() == name {
                return Rc::clone(f);
            }
        }
        let obj = resources
            .and_then(|r| self.pdf.get_dict(r, b"Font"))
            .and_then(|fonts| fonts.get(name).ok());
        let font = match obj {
            Some(obj) => self.fonts.get(self.pdf, obj),
            None => Rc::new(Font::missing()),
        };
        names.insert(key, (name.to_vec(), Rc::clone(&font)));
        font
    }

    fn do_xobject(
        &mut self,
        resources: Option<&'p Dictionary>,
        name: &[u8],
        gs: &GState,
        depth: usize,
    ) -> Result<()> {
        let Some(xobjs) = resources.and_then(|r| self.pdf.get_dict(r, b"XObject")) else {
            return Ok(());
        };
        let Ok(obj) = xobjs.get(name) else {
            return Ok(());
        };
        let id = Pdf::ref_id(obj);
        let Some(Object::Stream(stream)) = self.pdf.resolve(obj) else {
            return Ok(());
        };
        if self.pdf.get_name(&stream.dict, b"Subtype") == Some(b"Image") {
            if let Some(id) = id {
                if self.out.images.len() < MAX_IMAGES_PER_PAGE && gs.ctm.is_finite() {
                    self.out.images.push(ImagePlacement { id, ctm: gs.ctm });
                }
            }
            return Ok(());
        }
        if self.pdf.get_name(&stream.dict, b"Subtype") != Some(b"Form") {
            return Ok(());
        }
        // Forms are known by object id; a direct stream (not allowed by the spec) gets a stand-in
        // id that cannot collide with real objects.
        let key = id.unwrap_or((u32::MAX, u16::try_from(depth).unwrap_or(u16::MAX)));
        if let Err(refusal) = self.forms.enter(key) {
            if self.out.refused_forms.len() < 16 {
                self.out
                    .refused_forms
                    .push((refusal.code(), refusal.message(key, self.pdf.limits)));
            }
            return Ok(());
        }
        let data = match self.pdf.content_bytes(stream, id, self.page) {
            Ok(d) => d,
            Err(e) => {
                self.forms.leave();
                return Err(e);
            }
        };
        let mut inner = gs.clone();
        if let Some(m) = self.pdf.get_array(&stream.dict, b"Matrix") {
            let v: Vec<f32> = m.iter().filter_map(|o| self.pdf.num(o)).collect();
            if let [a, b, c, d, e, f] = v.as_slice() {
                let m = Matrix::new([*a, *b, *c, *d, *e, *f]).then(&gs.ctm);
                if m.is_finite() {
                    inner.ctm = m;
                }
            }
        }
        let form_res = match self.pdf.get(&stream.dict, b"Resources") {
            Some(Object::Dictionary(d)) => Some(d),
            _ => resources,
        };
        let r = self.run(&data, form_res, inner, depth + 1);
        self.forms.leave();
        r
    }

    /// Show a string: one glyph per code, advancing the text matrix.
    fn show(&mut self, gs: &GState, tm: &mut Matrix, bytes: &[u8]) {
        let Some(font) = gs.font.as_ref().map(Rc::clone) else {
            return;
        };
        let trm_base = tm.then(&gs.ctm);
        // Font size in display space: the length of the text-space "up" vector.
        let (ux, uy) = trm_base.vec(0.0, gs.size);
        let size = (ux * ux + uy * uy).sqrt() * font.height;
        let mut pos = 0usize;
        let mut guard = 0usize;
        while let Some((code, len)) = bytes.get(pos..).and_then(|rest| font.next_code(rest)) {
            guard += 1;
            if len == 0 || guard > bytes.len() {
                break;
            }
            pos += len;
            let t0 = self.out.text.len();
            let d = font.decode(code, len, &mut self.out.text);
            let t1 = self.out.text.len();
            if d.mapped {
                if self.stats.len() <= font.index {
                    self.stats.resize(font.index + 1, [0; 4]);
                    self.stat_fonts.resize(font.index + 1, None);
                }
                if let (Some(st), Some(slot)) = (
                    self.stats.get_mut(font.index),
                    self.stat_fonts.get_mut(font.index),
                ) {
                    if let Some(n) = st.get_mut(d.class as usize) {
                        *n += 1;
                    }
                    if slot.is_none() {
                        *slot = Some(Rc::clone(&font));
                    }
                }
            } else {
                if let Some(r) = &font.lost {
                    count_font(&mut self.out.lost_fonts, r);
                }
                count_font(&mut self.out.unmapped_fonts, &font.name);
            }
            let spacing = gs.char_spacing + if d.word_space { gs.word_spacing } else { 0.0 };
            let trm = tm.then(&gs.ctm);
            if font.vertical {
                let (x, y) = trm.apply(0.0, gs.rise);
                let ty = d.vadvance * gs.size + spacing;
                let (dx, dy) = trm.vec(0.0, ty);
                let w = (dx * dx + dy * dy).sqrt();
                self.emit(d.mapped, x, y, w, size, (true, false), t0, t1);
                *tm = Matrix::translate(0.0, ty).then(tm);
            } else {
                let (x, y) = trm.apply(0.0, gs.rise);
                let tx = (d.width * gs.size + spacing) * gs.hscale;
                let (dx, dy) = trm.vec(tx, 0.0);
                let (ux, uy) = trm.vec(1.0, 0.0);
                if uy.abs() > 2.0 * ux.abs() {
                    // Text turned by a quarter turn: a column read downwards (clockwise) or
                    // upwards; its glyphs stand beside the baseline.
                    let upward = uy < 0.0;
                    let cx = if upward {
                        x - 0.35 * size
                    } else {
                        x + 0.35 * size
                    };
                    let w = (dx * dx + dy * dy).sqrt();
                    self.emit(d.mapped, cx, y, w, size, (true, upward), t0, t1);
                } else {
                    self.emit(d.mapped, x, y, dx.max(0.0), size, (false, false), t0, t1);
                }
                *tm = Matrix::translate(tx, 0.0).then(tm);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        mapped: bool,
        x: f32,
        y: f32,
        w: f32,
        size: f32,
        (vertical, upward): (bool, bool),
        t0: usize,
        t1: usize,
    ) {
        self.out.shown += 1;
        if !mapped {
            self.out.unmapped += 1;
            return;
        }
        if !(x.is_finite() && y.is_finite() && w.is_finite() && size.is_finite()) {
            self.out.text.truncate(t0);
            return;
        }
        if self.out.glyphs.len() >= MAX_GLYPHS_PER_PAGE {
            self.out.text.truncate(t0);
            self.out.dropped_glyphs = self.out.dropped_glyphs.saturating_add(1);
            return;
        }
        let space = self
            .out
            .text
            .get(t0..t1)
            .is_some_and(|t| t.chars().all(char::is_whitespace));
        self.out.glyphs.push(Glyph {
            x,
            y,
            w,
            size,
            vertical,
            t0: t0 as u32,
            t1: t1 as u32,
            space,
            mcid: self.mcid,
            upward,
        });
    }

    fn stroke(&mut self, path: &Path, gs: &GState) {
        let (lx, ly) = gs.ctm.vec(gs.line_width, 0.0);
        let lw = (lx * lx + ly * ly).sqrt().max(0.1);
        let half = lw / 2.0;
        let mut push = |a: Point, b: Point| {
            let (dx, dy) = ((b.x - a.x).abs(), (b.y - a.y).abs());
            if dy <= 1.0 && dx > dy {
                let y = (a.y + b.y) / 2.0;
                self.out.rules.push(Rule {
                    x0: a.x.min(b.x),
                    y0: y - half,
                    x1: a.x.max(b.x),
                    y1: y + half,
                });
            } else if dx <= 1.0 && dy > dx {
                let x = (a.x + b.x) / 2.0;
                self.out.rules.push(Rule {
                    x0: x - half,
                    y0: a.y.min(b.y),
                    x1: x + half,
                    y1: a.y.max(b.y),
                });
            }
        };
        for (a, b) in &path.segs {
            push(*a, *b);
        }
        for r in &path.rects {
            let (tl, tr, bl, br) = (
                Point { x: r.x0, y: r.y0 },
                Point { x: r.x1, y: r.y0 },
                Point { x: r.x0, y: r.y1 },
                Point { x: r.x1, y: r.y1 },
            );
            push(tl, tr);
            push(bl, br);
            push(tl, bl);
            push(tr, br);
        }
        self.cap_rules();
    }

    fn fill(&mut self, path: &Path) {
        for r in path.rects.iter().chain(&path.closed_rects) {
            let (w, h) = (r.x1 - r.x0, r.y1 - r.y0);
            // Thin filled rectangles are rules; larger ones are backgrounds, not lines.
            if (w <= 3.0 && h > w * 2.0) || (h <= 3.0 && w > h * 2.0) {
                self.out.rules.push(*r);
            }
        }
        self.cap_rules();
    }

    fn cap_rules(&mut self) {
        // A page of millions of hairlines is not a table: keep memory bounded.
        if self.out.rules.len() > 200_000 {
            self.out.rules.truncate(200_000);
        }
    }
}

/// One more glyph of the font named `name` (at most 64 fonts are counted).
fn count_font(fonts: &mut Vec<(String, u32)>, name: &str) {
    match fonts.iter().position(|(n, _)| n == name) {
        Some(i) => {
            if let Some((_, c)) = fonts.get_mut(i) {
                *c = c.saturating_add(1);
            }
        }
        None if fonts.len() < 64 => fonts.push((name.to_string(), 1)),
        None => {}
    }
}
