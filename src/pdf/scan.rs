//! Scanned pages: a page with no usable text layer but a page-covering image is read by OCR.
//!
//! The image stream is handed to Tesseract in a form it reads: DCTDecode (JPEG) and JPXDecode
//! (JPEG 2000) data as they are, CCITTFaxDecode data wrapped in a minimal TIFF, and Flate/LZW/raw
//! samples as PNM. The recognised characters become glyphs of the page, placed where the image
//! shows them, and the page is laid out like any other.

use lopdf::Object;

use super::doc::Pdf;
use super::interp::{Glyph, ImagePlacement, PageContent, Rule};
use crate::model::{Diagnostic, OcrPageInfo, Severity};
use crate::ocr::{self, Engine, OcrMode, PageImage};

/// A page with fewer non-space glyphs than this has no usable text layer.
const MIN_TEXT_GLYPHS: usize = 10;
/// Share of the page an image must cover to be the page's scan.
const MIN_COVER: f32 = 0.5;

/// What happened to the scanned pages of a document, for the error of a document without text.
#[derive(Debug, Default)]
pub(crate) struct ScanNotes {
    /// Pages that are scans and were not read, with the reason.
    pub unread: Vec<(u32, String)>,
}

/// Read the page by OCR when it is a scan (see [`OcrMode`]); its glyphs are replaced by the
/// recognised characters. Returns what OCR read, for the report's `source.ocr_pages`.
pub(crate) fn read_scanned_page(
    pdf: &Pdf,
    pc: &mut PageContent,
    page_no: u32,
    mode: OcrMode,
    diagnostics: &mut Vec<Diagnostic>,
    notes: &mut ScanNotes,
) -> Option<OcrPageInfo> {
    let text_glyphs = pc.glyphs.iter().filter(|g| !g.space).count();
    if text_glyphs >= MIN_TEXT_GLYPHS && mode != OcrMode::Always {
        return None;
    }
    let image = covering_image(pc)?;
    let mut note = |code: &str, severity: Severity, why: String| {
        diagnostics.push(Diagnostic::new(severity, code, why.clone()).at(None, Some(page_no)));
        notes.unread.push((page_no, why));
    };
    if mode == OcrMode::Never {
        note(
            "scanned-page",
            Severity::Warning,
            "the page is an image with no text layer; not read (--ocr never)".into(),
        );
        return None;
    }
    if let Engine::Missing(why) = ocr::engine() {
        note(
            "ocr-unavailable",
            Severity::Warning,
            format!("the page is an image with no text layer and cannot be read: {why}"),
        );
        return None;
    }
    let file = match page_image(pdf, &image) {
        Ok(f) => f,
        Err(why) => {
            note(
                "image-format-unsupported",
                Severity::Warning,
                format!("the page is an image with no text layer that cannot be read: {why}"),
            );
            return None;
        }
    };
    let read = match ocr::recognize(&file) {
        Ok(r) => r,
        Err(e) => {
            note("ocr-failed", Severity::Warning, e.message);
            return None;
        }
    };
    place_chars(pc, &image, &file, &read);
    let confidence = (read.confidence * 10.0).round() / 10.0;
    diagnostics.push(
        Diagnostic::new(
            Severity::Info,
            "scanned-page",
            format!(
                "the page is an image{}; read by OCR: {} words, mean confidence {confidence:.1} %, {}×{} pixels at {} dpi, skew {:.2}°",
                if text_glyphs == 0 { " with no text layer" } else { " (its text layer is replaced: --ocr always)" },
                read.words, file.width, file.height, file.dpi, read.skew_degrees
            ),
        )
        .at(None, Some(page_no)),
    );
    if read.words > 0 && read.confidence < ocr::LOW_CONFIDENCE {
        diagnostics.push(
            Diagnostic::new(
                Severity::Warning,
                "ocr-low-confidence",
                format!(
                    "OCR read the page with a mean confidence of {confidence:.1} % (below {} %): check its text against the scan",
                    ocr::LOW_CONFIDENCE
                ),
            )
            .at(None, Some(page_no)),
        );
    }
    Some(OcrPageInfo {
        page: page_no,
        words: read.words,
        mean_confidence: confidence,
    })
}

/// The display-space bounding box of an image placement: (x0, y0, x1, y1).
fn bbox(p: &ImagePlacement) -> (f32, f32, f32, f32) {
    let pts = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)].map(|(u, v)| p.ctm.apply(u, v));
    let xs = pts.map(|p| p.0);
    let ys = pts.map(|p| p.1);
    (
        xs.iter().copied().fold(f32::MAX, f32::min),
        ys.iter().copied().fold(f32::MAX, f32::min),
        xs.iter().copied().fold(f32::MIN, f32::max),
        ys.iter().copied().fold(f32::MIN, f32::max),
    )
}

/// The largest image drawn on the page when it covers at least half of it.
fn covering_image(pc: &PageContent) -> Option<ImagePlacement> {
    let page_area = (pc.width * pc.height).max(1.0);
    let area = |p: &ImagePlacement| {
        let (x0, y0, x1, y1) = bbox(p);
        // Only the part on the page counts.
        let w = x1.min(pc.width) - x0.max(0.0);
        let h = y1.min(pc.height) - y0.max(0.0);
        w.max(0.0) * h.max(0.0)
    };
    pc.images
        .iter()
        .map(|p| (area(p), *p))
        .filter(|(a, _)| *a >= MIN_COVER * page_area)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, p)| p)
}

/// Put the recognised characters on the page as glyphs, replacing its text layer.
fn place_chars(pc: &mut PageContent, at: &ImagePlacement, file: &PageImage, read: &ocr::OcrPage) {
    pc.glyphs.clear();
    pc.text.clear();
    pc.ocr_word_gap = Some(read.word_gap);
    let (w, h) = (file.width.max(1) as f32, file.height.max(1) as f32);
    let to_page = |x: f32, y: f32| at.ctm.apply(x / w, 1.0 - y / h);
    let (sx, sy) = at.ctm.vec(1.0 / w, 0.0);
    let x_scale = (sx * sx + sy * sy).sqrt();
    let (ux, uy) = at.ctm.vec(0.0, 1.0 / h);
    let y_scale = (ux * ux + uy * uy).sqrt();
    pc.rules.clear();
    for r in &read.rules {
        let (ax, ay) = to_page(r.x0, r.y0);
        let (bx, by) = to_page(r.x1, r.y1);
        pc.rules.push(Rule {
            x0: ax.min(bx),
            y0: ay.min(by),
            x1: ax.max(bx),
            y1: ay.max(by),
        });
    }
    for c in &read.chars {
        let (x, y) = to_page(c.x, c.y);
        let t0 = u32::try_from(pc.text.len()).unwrap_or(u32::MAX);
        pc.text.push_str(&c.text);
        let t1 = u32::try_from(pc.text.len()).unwrap_or(u32::MAX);
        pc.glyphs.push(Glyph::upright(
            x,
            y,
            c.w * x_scale,
            c.size * y_scale,
            t0,
            t1,
        ));
    }
}

/// The image of a placement as a file Tesseract reads, or why it cannot be (naming the filter
/// or colour space).
fn page_image(pdf: &Pdf, at: &ImagePlacement) -> Result<PageImage, String> {
    let Ok(Object::Stream(stream)) = pdf.doc.get_object(at.id) else {
        return Err(format!("image {} {} R is not a stream", at.id.0, at.id.1));
    };
    let dict = &stream.dict;
    let width = pdf.get_num(dict, b"Width").unwrap_or(0.0) as u32;
    let height = pdf.get_num(dict, b"Height").unwrap_or(0.0) as u32;
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > 200_000_000 {
        return Err(format!("image size {width}×{height} is not usable"));
    }
    let (x0, _, x1, _) = bbox(at);
    let inches = ((x1 - x0).abs() / 72.0).max(0.1);
    let dpi = (width as f32 / inches).round() as u32;
    let filters: Vec<String> = match pdf.get(dict, b"Filter") {
        Some(Object::Name(n)) => vec![String::from_utf8_lossy(n).into_owned()],
        Some(Object::Array(a)) => a
            .iter()
            .filter_map(|o| match pdf.resolve(o) {
                Some(Object::Name(n)) => Some(String::from_utf8_lossy(n).into_owned()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let image = |ext: &'static str, bytes: Vec<u8>| PageImage {
        ext,
        bytes,
        width,
        height,
        dpi,
    };
    let raw = || -> Result<Vec<u8>, String> {
        let max = usize::try_from(pdf.limits.max_stream_bytes).unwrap_or(usize::MAX);
        if stream.content.len() > max {
            return Err(format!(
                "the image stream is larger than {max} bytes (--max-stream-bytes)"
            ));
        }
        Ok(stream.content.clone())
    };
    match filters.as_slice() {
        [f] if f == "DCTDecode" || f == "DCT" => Ok(image("jpg", raw()?)),
        [f] if f == "JPXDecode" => Ok(image("jp2", raw()?)),
        [f] if f == "CCITTFaxDecode" || f == "CCF" => {
            let parms = decode_parms(pdf, dict);
            let k = parms.and_then(|p| pdf.get_num(p, b"K")).unwrap_or(0.0) as i32;
            let black_is_1 = matches!(
                parms.and_then(|p| pdf.get(p, b"BlackIs1")),
                Some(Object::Boolean(true))
            );
            let columns = parms
                .and_then(|p| pdf.get_num(p, b"Columns"))
                .map_or(width, |c| c as u32);
            let data = raw()?;
            // Group 4 is decoded here, so that the page's ruling lines can be found in it;
            // other fax codings go to Tesseract as TIFF.
            if k < 0 {
                if let Some(pbm) = g4_pbm(&data, columns, height) {
                    return Ok(image("pbm", pbm));
                }
            }
            Ok(image(
                "tif",
                ccitt_tiff(&data, columns, height, k, black_is_1, dpi),
            ))
        }
        fs if fs.iter().all(|f| decodable(f)) => {
            let data = pdf.stream_bytes(stream).map_err(|e| e.message)?;
            let bpc = pdf.get_num(dict, b"BitsPerComponent").unwrap_or(8.0) as u32;
            let mask = matches!(pdf.get(dict, b"ImageMask"), Some(Object::Boolean(true)));
            let components = if mask {
                1
            } else {
                colour_components(pdf, dict)?
            };
            let (ext, bytes) = pnm(&data, width, height, bpc, components, mask)?;
            Ok(image(ext, bytes))
        }
        fs => {
            let unsupported: Vec<&str> = fs
                .iter()
                .map(String::as_str)
                .filter(|f| !decodable(f))
                .collect();
            Err(format!(
                "its image is compressed with {}, which gyokaku cannot decode for OCR (DCTDecode, JPXDecode, CCITTFaxDecode, FlateDecode and LZWDecode can be)",
                if unsupported.is_empty() { fs.join(" + ") } else { unsupported.join(", ") }
            ))
        }
    }
}

/// A CCITT Group 4 image decoded to PBM (P4: rows of bits, 1 black), or None when the data does
/// not decode to at least half of its rows.
fn g4_pbm(data: &[u8], width: u32, height: u32) -> Option<Vec<u8>> {
    let row_bytes = usize::try_from(width.div_ceil(8)).ok()?;
    let mut out = format!("P4\n{width} {height}\n").into_bytes();
    let head = out.len();
    out.reserve(row_bytes * height as usize);
    let mut rows = 0u32;
    fax::decoder::decode_g4(data.iter().copied(), width, Some(height), |changes| {
        let mut row = vec![0u8; row_bytes];
        // changes alternate white → black → white …, starting with white at 0
        let mut at = 0u32;
        for (i, &to) in changes.iter().chain(std::iter::once(&width)).enumerate() {
            let to = to.min(width);
            if i % 2 == 1 {
                for x in at..to {
                    if let Some(b) = row.get_mut((x / 8) as usize) {
                        *b |= 0x80 >> (x % 8);
                    }
                }
            }
            at = at.max(to);
        }
        out.extend_from_slice(&row);
        rows += 1;
    });
    if rows * 2 < height || out.len() != head + row_bytes * height as usize {
        return None;
    }
    // A page is mostly paper: an image that decodes mostly black was coded the other way round
    // (BlackIs1, a Decode array), so it is turned over.
    let body = out.get_mut(head..)?;
    let black: u64 = body.iter().map(|b| u64::from(b.count_ones())).sum();
    if black * 2 > u64::from(width) * u64::from(height) {
        body.iter_mut().for_each(|b| *b = !*b);
    }
    Some(out)
}

/// Filters whose output is raw samples.
fn decodable(f: &str) -> bool {
    matches!(
        f,
        "FlateDecode"
            | "Fl"
            | "LZWDecode"
            | "LZW"
            | "ASCII85Decode"
            | "A85"
            | "ASCIIHexDecode"
            | "AHx"
            | "RunLengthDecode"
            | "RL"
    )
}

fn decode_parms<'a>(pdf: &Pdf<'a>, dict: &'a lopdf::Dictionary) -> Option<&'a lopdf::Dictionary> {
    match pdf.get(dict, b"DecodeParms")? {
        Object::Dictionary(d) => Some(d),
        Object::Array(a) => a.iter().rev().find_map(|o| match pdf.resolve(o) {
            Some(Object::Dictionary(d)) => Some(d),
            _ => None,
        }),
        _ => None,
    }
}

/// Components per pixel of the image's colour space: 1 (gray), 3 (RGB) or 4 (CMYK).
fn colour_components(pdf: &Pdf, dict: &lopdf::Dictionary) -> Result<u32, String> {
    let cs = pdf.get(dict, b"ColorSpace");
    let name = |o: Option<&Object>| -> Option<String> {
        match o {
            Some(Object::Name(n)) => Some(String::from_utf8_lossy(n).into_owned()),
            _ => None,
        }
    };
    match cs {
        Some(Object::Array(a)) => {
            let family = name(a.first().and_then(|o| pdf.resolve(o)));
            match family.as_deref() {
                Some("ICCBased") => {
                    let n = a
                        .get(1)
                        .and_then(|o| pdf.resolve(o))
                        .and_then(|o| match o {
                            Object::Stream(s) => pdf.get_num(&s.dict, b"N"),
                            _ => None,
                        })
                        .unwrap_or(3.0);
                    Ok(n as u32)
                }
                Some("CalGray") => Ok(1),
                Some("CalRGB") => Ok(3),
                other => Err(format!(
                    "its image uses the colour space {}, which gyokaku cannot convert for OCR",
                    other.unwrap_or("?")
                )),
            }
        }
        other => match name(other).as_deref() {
            Some("DeviceGray" | "G" | "CalGray") | None => Ok(1),
            Some("DeviceRGB" | "RGB") => Ok(3),
            Some("DeviceCMYK" | "CMYK") => Ok(4),
            Some(n) => Err(format!(
                "its image uses the colour space {n}, which gyokaku cannot convert for OCR"
            )),
        },
    }
}

/// Raw samples as a PNM file: 1-bit gray as PBM, 8-bit gray as PGM, RGB and CMYK as PPM.
fn pnm(
    data: &[u8],
    width: u32,
    height: u32,
    bpc: u32,
    components: u32,
    mask: bool,
) -> Result<(&'static str, Vec<u8>), String> {
    let (w, h) = (width as usize, height as usize);
    match (bpc, components) {
        (1, 1) => {
            let row = w.div_ceil(8);
            let need = row * h;
            let body = data.get(..need).ok_or("the image data is truncated")?;
            let mut out = format!("P4\n{width} {height}\n").into_bytes();
            // PBM: 1 is black. PDF gray: 1 is white; an image mask paints its 0 samples.
            out.extend(body.iter().map(|b| if mask { *b } else { !b }));
            Ok(("pbm", out))
        }
        (8, 1) => {
            let body = data.get(..w * h).ok_or("the image data is truncated")?;
            let mut out = format!("P5\n{width} {height}\n255\n").into_bytes();
            out.extend_from_slice(body);
            Ok(("pgm", out))
        }
        (8, 3) => {
            let body = data.get(..w * h * 3).ok_or("the image data is truncated")?;
            let mut out = format!("P6\n{width} {height}\n255\n").into_bytes();
            out.extend_from_slice(body);
            Ok(("ppm", out))
        }
        (8, 4) => {
            let body = data.get(..w * h * 4).ok_or("the image data is truncated")?;
            let mut out = format!("P6\n{width} {height}\n255\n").into_bytes();
            for px in body.chunks_exact(4) {
                let k = u32::from(px.get(3).copied().unwrap_or(0));
                for c in px.iter().take(3) {
                    let v = 255 - (u32::from(*c) + k).min(255);
                    out.push(u8::try_from(v).unwrap_or(0));
                }
            }
            Ok(("ppm", out))
        }
        _ => Err(format!(
            "its image has {bpc} bits per component and {components} components, which gyokaku cannot convert for OCR"
        )),
    }
}

/// CCITT fax data in a one-strip TIFF (Group 4 when K < 0, Group 3 otherwise), which Tesseract's
/// image library decodes.
fn ccitt_tiff(data: &[u8], width: u32, height: u32, k: i32, black_is_1: bool, dpi: u32) -> Vec<u8> {
    let (compression, options_tag) = if k < 0 { (4u32, 293u16) } else { (3, 292) };
    let options = if k > 0 { 1u32 } else { 0 };
    // Entries: (tag, type, count, value); type 3 SHORT, 4 LONG, 5 RATIONAL.
    let n_entries = 12u16;
    let ifd_len = 2 + 12 * u32::from(n_entries) + 4;
    let rational_at = 8 + ifd_len;
    let data_at = rational_at + 16;
    let mut entries: Vec<(u16, u16, u32, u32)> = vec![
        (256, 4, 1, width),
        (257, 4, 1, height),
        (258, 3, 1, 1),
        (259, 3, 1, compression),
        // WhiteIsZero is the fax convention; BlackIs1 data is stored inverted.
        (262, 3, 1, u32::from(black_is_1)),
        (273, 4, 1, data_at),
        (277, 3, 1, 1),
        (278, 4, 1, height),
        (279, 4, 1, u32::try_from(data.len()).unwrap_or(u32::MAX)),
        (282, 5, 1, rational_at),
        (283, 5, 1, rational_at + 8),
        (options_tag, 4, 1, options),
    ];
    entries.sort_by_key(|e| e.0);
    let mut out = Vec::with_capacity(data.len() + 256);
    out.extend_from_slice(b"II*\0");
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&n_entries.to_le_bytes());
    for (tag, ty, count, value) in entries {
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&ty.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        if ty == 3 {
            out.extend_from_slice(&u16::try_from(value).unwrap_or(0).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    for _ in 0..2 {
        out.extend_from_slice(&dpi.max(1).to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
    }
    out.extend_from_slice(data);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pnm_forms() {
        type Case<'a> = (&'a [u8], u32, u32, bool, &'a str, &'a [u8]);
        let cases: [Case; 4] = [
            // 1-bit gray: PDF 1 = white, PBM 1 = black
            (&[0b1010_0000], 1, 1, false, "pbm", b"P4\n4 1\n\x5f"),
            // an image mask keeps its bits
            (&[0b1010_0000], 1, 1, true, "pbm", b"P4\n4 1\n\xa0"),
            (
                &[1, 2, 3, 4],
                8,
                1,
                false,
                "pgm",
                b"P5\n4 1\n255\n\x01\x02\x03\x04",
            ),
            (
                &[0, 0, 0, 255, 10, 20, 30, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                8,
                4,
                false,
                "ppm",
                b"P6\n4 1\n255\n\x00\x00\x00\xf5\xeb\xe1\xff\xff\xff\xff\xff\xff",
            ),
        ];
        for (data, bpc, comps, mask, ext, want) in cases {
            let (e, bytes) = pnm(data, 4, 1, bpc, comps, mask).expect("pnm");
            assert_eq!((e, bytes.as_slice()), (ext, want), "{bpc} {comps}");
        }
        assert!(pnm(&[1, 2], 4, 1, 8, 1, false).is_err(), "truncated");
        assert!(pnm(&[0; 16], 4, 1, 16, 1, false)
            .expect_err("16-bit")
            .contains("16 bits"));
    }

    #[test]
    fn ccitt_tiff_header() {
        let t = ccitt_tiff(b"DATA", 1700, 2200, -1, false, 200);
        assert_eq!(&t[..4], b"II*\0");
        let entries = u16::from_le_bytes([t[8], t[9]]);
        assert_eq!(entries, 12);
        let entry = |tag: u16| -> (u16, u32) {
            (0..usize::from(entries))
                .map(|i| 10 + 12 * i)
                .find(|&o| u16::from_le_bytes([t[o], t[o + 1]]) == tag)
                .map(|o| {
                    let ty = u16::from_le_bytes([t[o + 2], t[o + 3]]);
                    let v = if ty == 3 {
                        u32::from(u16::from_le_bytes([t[o + 8], t[o + 9]]))
                    } else {
                        u32::from_le_bytes([t[o + 8], t[o + 9], t[o + 10], t[o + 11]])
                    };
                    (ty, v)
                })
                .expect("tag")
        };
        assert_eq!(entry(256), (4, 1700));
        assert_eq!(entry(257), (4, 2200));
        assert_eq!(entry(259), (3, 4), "Group 4");
        assert_eq!(entry(262), (3, 0), "WhiteIsZero");
        assert_eq!(entry(293), (4, 0));
        let at = entry(273).1 as usize;
        assert_eq!(&t[at..], b"DATA");
        assert_eq!(entry(279), (4, 4));
        let res = entry(282).1 as usize;
        assert_eq!(
            u32::from_le_bytes([t[res], t[res + 1], t[res + 2], t[res + 3]]),
            200
        );
        // Group 3 with 2-D coding
        let g3 = ccitt_tiff(b"", 8, 8, 1, true, 200);
        assert_eq!(
            u16::from_le_bytes([g3[10 + 12 * 3], g3[10 + 12 * 3 + 1]]),
            259
        );
    }
}
