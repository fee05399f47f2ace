//! Zip containers of the office formats: which kind, bounded reading of their parts.

use super::{bad, Format};
use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;
use std::io::{Cursor, Read};

pub(crate) type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The office format of a zip container, if it is one.
pub(crate) fn zip_kind(bytes: &[u8]) -> Option<Format> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let has = |z: &Archive<'_>, n: &str| z.file_names_raw().any(|f| f == n.as_bytes());
    if has(&z, "[Content_Types].xml") {
        if has(&z, "xl/workbook.xml") || has(&z, "xl/workbook.bin") {
            return Some(Format::Xlsx);
        }
        if has(&z, "word/document.xml") {
            return Some(Format::Docx);
        }
        // Parts may live elsewhere; the content types say what the main part is.
        let types = read_part(&mut z, "[Content_Types].xml", 1 << 20).ok()??;
        let types = String::from_utf8_lossy(&types);
        if types.contains("spreadsheetml.sheet.main")
            || types.contains("ms-excel.sheet.macroEnabled.main")
        {
            return Some(Format::Xlsx);
        }
        if types.contains("wordprocessingml.document.main") {
            return Some(Format::Docx);
        }
    }
    if has(&z, "mimetype") {
        let m = read_part(&mut z, "mimetype", 4096).ok()??;
        if m.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") {
            return Some(Format::Ods);
        }
    }
    None
}

/// Open a zip container, refusing one whose declared unpacked sizes exceed the limits.
pub(crate) fn open<'a>(bytes: &'a [u8], what: &str, limits: &Limits) -> Result<Archive<'a>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(what, e))?;
    let mut total: u64 = 0;
    for i in 0..z.len() {
        let f = z.by_index_raw(i).map_err(|e| bad(what, e))?;
        let size = f.size();
        if size > limits.max_stream_bytes {
            return Err(Error::new(
                ErrorKind::Limit,
                format!(
                    "{what}: part {} unpacks to {size} bytes, more than the limit of {} bytes",
                    String::from_utf8_lossy(f.name_raw()),
                    limits.max_stream_bytes
                ),
            ));
        }
        total = total.saturating_add(size);
    }
    if total > limits.max_document_bytes {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "{what}: unpacks to {total} bytes, more than the limit of {} bytes",
                limits.max_document_bytes
            ),
        ));
    }
    Ok(z)
}

/// A part of the container, at most `max` bytes; None when absent.
pub(crate) fn read_part(z: &mut Archive<'_>, name: &str, max: u64) -> Result<Option<Vec<u8>>> {
    let f = match z.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(bad(name, e)),
    };
    let mut buf = Vec::new();
    f.take(max.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| bad(name, e))?;
    if buf.len() as u64 > max {
        return Err(Error::new(
            ErrorKind::Limit,
            format!("{name} unpacks to more than {max} bytes"),
        ));
    }
    Ok(Some(buf))
}

/// The local name of an XML element or attribute (without its prefix).
pub(crate) fn local(name: &str) -> &str {
    match name.rfind(':') {
        Some(i) => name.get(i + 1..).unwrap_or(name),
        None => name,
    }
}

/// The unescaped value of the attribute with this local name.
pub(crate) fn attr(e: &quick_xml::events::BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (local(a.key.as_ref()) == name).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        })
    })
}

/// The text of a character or entity reference (`&amp;`, `&#x2460;`).
pub(crate) fn entity(r: &quick_xml::events::BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    match r.xml10_content().as_ref() {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    }
    .to_string()
}

/// The part path a relationship target points to, relative to the folder of `base`.
pub(crate) fn resolve(base: &str, target: &str) -> String {
    if let Some(abs) = target.strip_prefix('/') {
        return abs.to_string();
    }
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_targets() {
        assert_eq!(
            resolve("xl/workbook.xml", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve("xl/workbook.xml", "/xl/worksheets/s.xml"),
            "xl/worksheets/s.xml"
        );
        assert_eq!(resolve("xl/workbook.xml", "../x.xml"), "x.xml");
        assert_eq!(local("w:p"), "p");
    }
}
