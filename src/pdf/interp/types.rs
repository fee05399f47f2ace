//! What interpreting a page gives: glyphs, ruling lines, image placements, and the caches kept across pages.

use super::*;

/// Affine matrix `[a b c d e f]` (PDF row-vector convention).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Matrix {
    pub a: f32,
    pub b: f32,
    pub c: f32,
    pub d: f32,
    pub e: f32,
    pub f: f32,
}

impl Matrix {
    pub const IDENTITY: Matrix = Matrix {
        a: 1.0,
        b: 0.0,
        c: 0.0,
        d: 1.0,
        e: 0.0,
        f: 0.0,
    };

    pub fn new(v: [f32; 6]) -> Self {
        Matrix {
            a: v[0],
            b: v[1],
            c: v[2],
            d: v[3],
            e: v[4],
            f: v[5],
        }
    }

    /// `self` applied first, then `m`.
    pub fn then(&self, m: &Matrix) -> Matrix {
        Matrix {
            a: self.a * m.a + self.b * m.c,
            b: self.a * m.b + self.b * m.d,
            c: self.c * m.a + self.d * m.c,
            d: self.c * m.b + self.d * m.d,
            e: self.e * m.a + self.f * m.c + m.e,
            f: self.e * m.b + self.f * m.d + m.f,
        }
    }

    pub fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        (
            x * self.a + y * self.c + self.e,
            x * self.b + y * self.d + self.f,
        )
    }

    /// Apply the linear part only.
    pub fn vec(&self, x: f32, y: f32) -> (f32, f32) {
        (x * self.a + y * self.c, x * self.b + y * self.d)
    }

    pub(super) fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix {
            e: tx,
            f: ty,
            ..Matrix::IDENTITY
        }
    }

    pub(super) fn is_finite(&self) -> bool {
        [self.a, self.b, self.c, self.d, self.e, self.f]
            .iter()
            .all(|v| v.is_finite())
    }
}

/// Most glyphs kept for one page (a page of text has a few thousand): memory stays bounded even
/// when a single string operand shows millions of codes.
pub(crate) const MAX_GLYPHS_PER_PAGE: usize = 1_000_000;

/// A glyph with its Unicode text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Glyph {
    /// Horizontal writing: left end of the baseline. Vertical: centre of the glyph's top.
    pub x: f32,
    pub y: f32,
    /// Advance along the writing direction (display units, ≥ 0).
    pub w: f32,
    /// Font size in display units.
    pub size: f32,
    pub vertical: bool,
    /// Byte range of the text in [`PageContent::text`].
    pub t0: u32,
    pub t1: u32,
    /// The text is whitespace only.
    pub space: bool,
    /// Marked-content id of the innermost tagged sequence the glyph is in (-1: none).
    pub mcid: i32,
    /// Vertical only: read bottom to top (horizontal text turned counter-clockwise).
    pub upward: bool,
}

impl Glyph {
    /// A horizontal glyph, whitespace-free and outside marked content, of text `t0..t1`.
    pub fn upright(x: f32, y: f32, w: f32, size: f32, t0: u32, t1: u32) -> Self {
        Glyph {
            x,
            y,
            w,
            size,
            vertical: false,
            t0,
            t1,
            space: false,
            mcid: -1,
            upward: false,
        }
    }
}

/// An axis-aligned ruling line (or thin filled rectangle) in display space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rule {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rule {
    pub fn horizontal(&self) -> bool {
        (self.x1 - self.x0) >= (self.y1 - self.y0)
    }
}

/// What one page shows.
#[derive(Debug, Default)]
pub(crate) struct PageContent {
    pub glyphs: Vec<Glyph>,
    pub text: String,
    pub rules: Vec<Rule>,
    /// Page size as displayed (points).
    pub width: f32,
    pub height: f32,
    /// Glyphs shown and glyphs that could not be mapped to Unicode.
    pub shown: u32,
    pub unmapped: u32,
    /// Form XObjects not drawn (cycle or nesting past the limit): diagnostic code and message.
    pub refused_forms: Vec<(&'static str, String)>,
    /// Glyphs past [`MAX_GLYPHS_PER_PAGE`], not kept.
    pub dropped_glyphs: u32,
    /// Fonts whose text on this page does not read like Japanese (mostly rare kanji, no kana):
    /// (font name, glyphs).
    pub implausible: Vec<(String, u32)>,
    /// Fonts with glyphs that could not be mapped to Unicode: (font name, glyphs), first seen first.
    pub unmapped_fonts: Vec<(String, u32)>,
    /// Fonts whose dictionary is missing or damaged beyond reading, with glyphs shown in them:
    /// (reference, glyphs), first seen first.
    pub lost_fonts: Vec<(String, u32)>,
    /// Image XObjects drawn on the page (at most [`MAX_IMAGES_PER_PAGE`]), for scanned pages.
    pub images: Vec<ImagePlacement>,
    /// The glyphs are the characters of a space-aligned text set on a virtual page (one column
    /// per character, no space drawn where the text had two or more): a gap is counted in spaces
    /// and only a wide one parts cells, so the narrow gaps a tab leaves in a printed page are not
    /// looked for ([`crate::pdf::layout`]).
    pub spaced_text: bool,
    /// On a page read by OCR: how wide the gaps between the words of one text line run there (×
    /// the font size, [`crate::ocr::OcrPage::word_gap`]). OCR words are boxed by their ink and
    /// no space is drawn between them, so a narrow gap parts the cells of a tab-typed table only
    /// when it is wider than these ([`crate::pdf::layout`]).
    pub ocr_word_gap: Option<f32>,
}

/// Most image placements kept for one page.
pub(crate) const MAX_IMAGES_PER_PAGE: usize = 64;

/// An image XObject drawn on the page: the image's unit square maps to display space by `ctm`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ImagePlacement {
    pub id: lopdf::ObjectId,
    pub ctm: Matrix,
}

impl PageContent {
    pub fn glyph_text(&self, g: &Glyph) -> &str {
        self.text
            .get(g.t0 as usize..g.t1 as usize)
            .unwrap_or_default()
    }
}

#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 =
                (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }
    fn write_u16(&mut self, v: u16) {
        self.write_u64(u64::from(v));
    }
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// Fonts shared across pages, keyed by object id (or dictionary address for inline fonts).
#[derive(Default)]
pub(crate) struct FontCache {
    fonts: FastMap<u64, Rc<Font>>,
    /// Time spent loading fonts.
    pub load_time: std::time::Duration,
}

impl FontCache {
    pub(super) fn get(&mut self, pdf: &Pdf, obj: &Object) -> Rc<Font> {
        let key = match obj {
            Object::Reference((n, g)) => (u64::from(*n) << 16) | u64::from(*g),
            o => (1u64 << 63) | (o as *const Object as u64),
        };
        if let Some(f) = self.fonts.get(&key) {
            return Rc::clone(f);
        }
        let started = std::time::Instant::now();
        let mut font = match (pdf.dict(obj), obj) {
            (Some(d), _) => Font::load(pdf, d),
            (None, Object::Reference((n, g))) => Font::lost(format!("{n} {g} R")),
            (None, _) => Font::missing(),
        };
        self.load_time += started.elapsed();
        font.index = self.fonts.len() + 1;
        let font = Rc::new(font);
        self.fonts.insert(key, Rc::clone(&font));
        font
    }

    /// Each font loaded, in the order it was loaded: its key, its name and its ToUnicode
    /// disagreement counts ([`Font::tounicode_disagreement`]).
    pub fn summaries(&self) -> Vec<(u64, String, u32, u32)> {
        let mut out: Vec<(usize, u64, String, u32, u32)> = self
            .fonts
            .iter()
            .map(|(k, f)| {
                let (checked, differ) = f.tounicode_disagreement();
                (f.index, *k, f.name.clone(), checked, differ)
            })
            .collect();
        out.sort_by_key(|f| f.0);
        out.into_iter()
            .map(|(_, k, name, checked, differ)| (k, name, checked, differ))
            .collect()
    }
}
