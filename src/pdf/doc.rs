//! Loading a document with lopdf (decryption, damaged-file recovery) and bounded access to its
//! objects and streams.

use std::cell::Cell;

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, Stream};

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;

/// Load a document. Owner-password-only files are decrypted (lopdf tries the empty user
/// password); a file that needs a user password is an error.
pub(crate) fn load(bytes: &[u8], limits: &Limits) -> Result<Document> {
    let max = usize::try_from(limits.max_stream_bytes).unwrap_or(usize::MAX);
    let options = LoadOptions {
        max_decompressed_size: Some(max),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| {
        Error::new(
            ErrorKind::Pdf,
            format!("cannot read the PDF structure: {e}"),
        )
    })?;
    if doc.trailer.has(b"Encrypt") && doc.encryption_state.is_none() {
        return Err(Error::new(
            ErrorKind::Pdf,
            "the PDF is encrypted with a user password; decrypt it first (e.g. `qpdf --decrypt --password=… in.pdf out.pdf`)",
        ));
    }
    if doc.objects.len() > limits.max_objects {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "the PDF has {} objects, more than the limit of {} (--max-objects)",
                doc.objects.len(),
                limits.max_objects
            ),
        ));
    }
    Ok(doc)
}

/// A document with the limits that bound access to it.
pub(crate) struct Pdf<'a> {
    pub doc: &'a Document,
    pub limits: &'a Limits,
    decoded_total: Cell<u64>,
}

impl<'a> Pdf<'a> {
    pub fn new(doc: &'a Document, limits: &'a Limits) -> Self {
        Pdf {
            doc,
            limits,
            decoded_total: Cell::new(0),
        }
    }

    /// Follow references (bounded) to a direct object.
    pub fn resolve(&self, mut obj: &'a Object) -> Option<&'a Object> {
        for _ in 0..self.limits.max_depth.max(1) {
            match obj {
                Object::Reference(id) => obj = self.doc.objects.get(id)?,
                o => return Some(o),
            }
        }
        None
    }

    /// The object id a value refers to, if it is a reference.
    pub fn ref_id(obj: &Object) -> Option<ObjectId> {
        match obj {
            Object::Reference(id) => Some(*id),
            _ => None,
        }
    }

    pub fn get(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        dict.get(key).ok().and_then(|o| self.resolve(o))
    }

    /// A dictionary value (a stream's dictionary counts).
    pub fn dict(&self, obj: &'a Object) -> Option<&'a Dictionary> {
        match self.resolve(obj)? {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    pub fn get_dict(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Dictionary> {
        dict.get(key).ok().and_then(|o| self.dict(o))
    }

    pub fn get_stream(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Stream> {
        match self.get(dict, key)? {
            Object::Stream(s) => Some(s),
            _ => None,
        }
    }

    pub fn get_name(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
        match self.get(dict, key)? {
            Object::Name(n) => Some(n),
            _ => None,
        }
    }

    pub fn get_array(&self, dict: &'a Dictionary, key: &[u8]) -> Option<&'a [Object]> {
        match self.get(dict, key)? {
            Object::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn get_num(&self, dict: &'a Dictionary, key: &[u8]) -> Option<f32> {
        self.get(dict, key).and_then(|o| self.num(o))
    }

    pub fn num(&self, obj: &'a Object) -> Option<f32> {
        num(self.resolve(obj)?)
    }

    /// Decoded stream content, bounded by `max_stream_bytes` and the document budget.
    pub fn stream_bytes(&self, stream: &Stream) -> Result<Vec<u8>> {
        let per_stream = usize::try_from(self.limits.max_stream_bytes).unwrap_or(usize::MAX);
        let data = match stream.decompressed_content_with_limit(per_stream) {
            Ok(d) => d,
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => {
                return Err(Error::new(
                    ErrorKind::Limit,
                    format!(
                        "a stream decompresses to more than {} bytes (--max-stream-bytes)",
                        self.limits.max_stream_bytes
                    ),
                ));
            }
            // Undecodable (unknown filter, damaged data): use what is there, as viewers do.
            Err(_) if stream.content.len() <= per_stream => stream.content.clone(),
            Err(_) => Vec::new(),
        };
        let total = self.decoded_total.get().saturating_add(data.len() as u64);
        self.decoded_total.set(total);
        if total > self.limits.max_document_bytes {
            return Err(Error::new(
                ErrorKind::Limit,
                format!(
                    "the document's streams decompress to more than {} bytes (--max-document-bytes)",
                    self.limits.max_document_bytes
                ),
            ));
        }
        Ok(data)
    }

    /// Pages in order (bounded walk of the page tree), each with its dictionary.
    pub fn pages(&self) -> Vec<(ObjectId, &'a Dictionary)> {
        let mut out = Vec::new();
        let Some(root) = self
            .doc
            .trailer
            .get(b"Root")
            .ok()
            .and_then(|o| self.dict(o))
        else {
            return self.scan_pages();
        };
        let Some(pages) = root.get(b"Pages").ok() else {
            return self.scan_pages();
        };
        let mut seen = std::collections::HashSet::new();
        self.walk(pages, 0, &mut seen, &mut out);
        if out.is_empty() {
            return self.scan_pages();
        }
        out
    }

    fn walk(
        &self,
        node: &'a Object,
        depth: usize,
        seen: &mut std::collections::HashSet<ObjectId>,
        out: &mut Vec<(ObjectId, &'a Dictionary)>,
    ) {
        if depth > self.limits.max_depth || out.len() > self.limits.max_pages {
            return;
        }
        let id = Self::ref_id(node).unwrap_or((0, 0));
        if id != (0, 0) && !seen.insert(id) {
            return;
        }
        let Some(d) = self.dict(node) else { return };
        let is_pages = d.get(b"Kids").is_ok()
            && !matches!(d.get(b"Type"), Ok(Object::Name(n)) if n == b"Page");
        if is_pages {
            if let Some(kids) = self.get_array(d, b"Kids") {
                for k in kids {
                    self.walk(k, depth + 1, seen, out);
                }
            }
        } else {
            out.push((id, d));
        }
    }

    /// Fallback for a broken page tree: every `/Type /Page` object, in object order.
    fn scan_pages(&self) -> Vec<(ObjectId, &'a Dictionary)> {
        self.doc
            .objects
            .iter()
            .filter_map(|(id, o)| match o {
                Object::Dictionary(d) if matches!(d.get(b"Type"), Ok(Object::Name(n)) if n == b"Page") => Some((*id, d)),
                _ => None,
            })
            .collect()
    }

    /// A page attribute, inherited through /Parent.
    pub fn inherited(&self, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
        let mut node = page;
        for _ in 0..self.limits.max_depth.max(1) {
            if let Some(v) = self.get(node, key) {
                return Some(v);
            }
            node = self.get_dict(node, b"Parent")?;
        }
        None
    }
}

pub(crate) fn num(obj: &Object) -> Option<f32> {
    match obj {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}
