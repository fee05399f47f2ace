//! Small PDFs built with lopdf for the unit tests.

use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream};

/// A document under construction: pages share one resource dictionary.
pub(crate) struct Builder {
    pub doc: Document,
    pages_id: ObjectId,
    kids: Vec<Object>,
    pub resources: Dictionary,
}

impl Builder {
    pub fn new() -> Self {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        Builder {
            doc,
            pages_id,
            kids: Vec::new(),
            resources: Dictionary::new(),
        }
    }

    /// A Helvetica-like simple font with WinAnsi encoding and fixed 500-unit widths.
    pub fn latin_font(&mut self, name: &str) {
        let font = self.doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding", "FirstChar" => 32,
            "Widths" => (32..127).map(|_| Object::Integer(500)).collect::<Vec<_>>(),
        });
        self.add_font(name, font);
    }

    /// A Type0 Identity-H font. With `to_unicode`, a ToUnicode maps code n to the n-th char of
    /// the string (codes 1..); without, the font cannot be mapped (ordering Identity, no font
    /// program).
    pub fn cid_font(&mut self, name: &str, to_unicode: Option<&str>) {
        let desc = self.doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "Test",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("Identity"),
                "Supplement" => 0,
            },
            "DW" => 1000,
        });
        let mut font = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Test", "Encoding" => "Identity-H",
            "DescendantFonts" => vec![Object::Reference(desc)],
        };
        if let Some(chars) = to_unicode {
            let mut cmap = String::from("1 begincodespacerange <0000> <FFFF> endcodespacerange\n");
            let n = chars.chars().count();
            cmap.push_str(&format!("{n} beginbfchar\n"));
            for (i, c) in chars.chars().enumerate() {
                let mut units = [0u16; 2];
                let hex: String = c
                    .encode_utf16(&mut units)
                    .iter()
                    .map(|u| format!("{u:04X}"))
                    .collect();
                cmap.push_str(&format!("<{:04X}> <{hex}>\n", i + 1));
            }
            cmap.push_str("endbfchar\n");
            let tu = self
                .doc
                .add_object(Stream::new(dictionary! {}, cmap.into_bytes()));
            font.set("ToUnicode", Object::Reference(tu));
        }
        let id = self.doc.add_object(font);
        self.add_font(name, id);
    }

    fn add_font(&mut self, name: &str, id: ObjectId) {
        if !self.resources.has(b"Font") {
            self.resources.set("Font", Dictionary::new());
        }
        if let Ok(Object::Dictionary(fonts)) = self.resources.get_mut(b"Font") {
            fonts.set(name, Object::Reference(id));
        }
    }

    /// A Form XObject with its content, registered as `name`.
    pub fn form(&mut self, name: &str, content: &[u8]) -> ObjectId {
        let id = self.doc.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 600.into(), 800.into()] },
            content.to_vec(),
        ));
        if !self.resources.has(b"XObject") {
            self.resources.set("XObject", Dictionary::new());
        }
        if let Ok(Object::Dictionary(x)) = self.resources.get_mut(b"XObject") {
            x.set(name, Object::Reference(id));
        }
        id
    }

    pub fn page(&mut self, content: &[u8]) {
        let c = self
            .doc
            .add_object(Stream::new(dictionary! {}, content.to_vec()));
        let p = self.doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => Object::Reference(self.pages_id),
            "MediaBox" => vec![0.into(), 0.into(), 600.into(), 800.into()],
            "Contents" => Object::Reference(c),
        });
        self.kids.push(Object::Reference(p));
    }

    /// Finish the document (shared resources on the page tree root).
    pub fn finish(mut self) -> Document {
        let res = self.doc.add_object(self.resources.clone());
        let count = self.kids.len() as i64;
        self.doc.objects.insert(
            self.pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => self.kids.clone(), "Count" => count,
                "Resources" => Object::Reference(res),
            }),
        );
        let catalog = self.doc.add_object(
            dictionary! { "Type" => "Catalog", "Pages" => Object::Reference(self.pages_id) },
        );
        self.doc.trailer.set("Root", Object::Reference(catalog));
        self.doc
    }

    pub fn bytes(self) -> Vec<u8> {
        let mut doc = self.finish();
        save(&mut doc)
    }
}

pub(crate) fn save(doc: &mut Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save test PDF");
    out
}

/// Content that shows `text` (WinAnsi) with font `font` at (x, y).
pub(crate) fn show(font: &str, x: f32, y: f32, text: &str) -> String {
    format!("BT /{font} 10 Tf {x} {y} Td ({text}) Tj ET\n")
}

/// Content that shows CID codes 1..=n (two bytes each) with font `font` at (x, y).
pub(crate) fn show_cids(font: &str, x: f32, y: f32, n: usize) -> String {
    let hex: String = (1..=n).map(|i| format!("{i:04X}")).collect();
    format!("BT /{font} 10 Tf {x} {y} Td <{hex}> Tj ET\n")
}
