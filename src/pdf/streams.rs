//! Stream decoding under the per-stream and per-document decompressed-size limits, and the check
//! that Flate data runs to its proper end (a stream cut short by damage is reported, not read in
//! part).

use lopdf::{ObjectId, Stream};

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;

/// Decodes streams under the per-stream and per-document decompressed-size limits.
#[derive(Debug, Clone)]
pub struct StreamBudget {
    per_stream: u64,
    per_document: u64,
    /// Shared by the clones of a budget (the threads reading one document's pages).
    used: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl StreamBudget {
    pub fn new(limits: &Limits) -> Self {
        StreamBudget {
            per_stream: limits.max_stream_bytes,
            per_document: limits.max_document_bytes,
            used: std::sync::Arc::default(),
        }
    }

    /// Decompressed bytes used so far.
    pub fn used(&self) -> u64 {
        self.used.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn spend(&self, bytes: u64) {
        self.used
            .fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
    }

    /// Spend `bytes`, as decoding a stream of that many bytes would, when decoding it would stay
    /// within the limits (of this stream and of the document, as [`StreamBudget::decode_checked`]
    /// bounds it): whether it did.
    pub fn take(&self, bytes: u64) -> bool {
        let left = self.per_document.saturating_sub(self.used());
        let fits = bytes <= self.per_stream.min(left);
        if fits {
            self.spend(bytes);
        }
        fits
    }

    /// Decode a stream's filters. Fails with [`ErrorKind::Limit`] when this stream would inflate
    /// past the per-stream limit or the document's streams together past the per-document limit
    /// (without inflating more than that), and with [`ErrorKind::Pdf`] when the data is corrupt
    /// or uses an unsupported filter. `id` only names the stream in the message.
    pub fn decode(&mut self, stream: &Stream, id: Option<ObjectId>) -> Result<Vec<u8>> {
        self.decode_checked(stream, id).map(|(out, _)| out)
    }

    /// [`StreamBudget::decode`], and whether the data decoded to its proper end
    /// ([`flate_complete`]). A stream of plain Flate data (the common case: no predictor, no
    /// other filter) is inflated once for both; anything else, and Flate data that does not
    /// inflate cleanly to its end, is decoded by lopdf and checked apart, as before.
    pub fn decode_checked(
        &mut self,
        stream: &Stream,
        id: Option<ObjectId>,
    ) -> Result<(Vec<u8>, bool)> {
        let left = self.per_document.saturating_sub(self.used());
        let cap = self.per_stream.min(left);
        match inflate_plain(stream, cap) {
            Inflated::Whole(out) => {
                self.spend(out.len() as u64);
                return Ok((out, true));
            }
            Inflated::OverCap => {
                let what = match id {
                    Some((n, g)) => format!("stream {n} {g} R"),
                    None => "a stream".to_string(),
                };
                return Err(self.limit_error(&what, cap));
            }
            Inflated::Other => {}
        }
        let out = self.decode_slow(stream, id, cap)?;
        Ok((out, flate_complete(stream)))
    }

    fn decode_slow(&mut self, stream: &Stream, id: Option<ObjectId>, cap: u64) -> Result<Vec<u8>> {
        let what = match id {
            Some((n, g)) => format!("stream {n} {g} R"),
            None => "a stream".to_string(),
        };
        let out = match stream
            .decompressed_content_with_limit(usize::try_from(cap).unwrap_or(usize::MAX))
        {
            Ok(out) => out,
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => {
                return Err(self.limit_error(&what, cap));
            }
            Err(e) => {
                return Err(Error::new(
                    ErrorKind::Pdf,
                    format!("{what} cannot be decoded: {e}"),
                ))
            }
        };
        let len = out.len() as u64;
        if len > cap {
            return Err(self.limit_error(&what, cap));
        }
        self.spend(len);
        Ok(out)
    }

    fn limit_error(&self, what: &str, cap: u64) -> Error {
        if cap >= self.per_stream {
            Error::new(
                ErrorKind::Limit,
                format!(
                    "{what} inflates to more than {} bytes (--max-stream-bytes)",
                    self.per_stream
                ),
            )
        } else {
            Error::new(
                ErrorKind::Limit,
                format!("the PDF's streams inflate to more than {} bytes in total (--max-document-bytes)", self.per_document),
            )
        }
    }
}

/// The data of a stream whose only filter is Flate, without decode parameters, inflated in one
/// go when it is whole zlib data (checksum included) that inflates to at most `cap` bytes;
/// `None` for anything else (other filters, a predictor, damaged or oversized data), which is
/// left to lopdf's decoder. For whole data both give the same bytes.
enum Inflated {
    /// The whole data.
    Whole(Vec<u8>),
    /// More than the cap (lopdf's decoder would stop there too, with the same error).
    OverCap,
    /// Not plain Flate data, or damaged: for lopdf's decoder.
    Other,
}

/// Is the stream's only filter Flate, without decode parameters, and its data not empty? Two
/// such streams of the same bytes decode to the same data.
pub(crate) fn plain_flate(stream: &Stream) -> bool {
    let flate_only = match stream.dict.get(b"Filter") {
        Ok(lopdf::Object::Name(n)) => n == b"FlateDecode",
        Ok(lopdf::Object::Array(a)) => {
            matches!(a.as_slice(), [lopdf::Object::Name(n)] if n == b"FlateDecode")
        }
        _ => false,
    };
    flate_only
        && matches!(
            stream.dict.get(b"DecodeParms"),
            Err(_) | Ok(lopdf::Object::Null)
        )
        && !stream.content.is_empty()
}

fn inflate_plain(stream: &Stream, cap: u64) -> Inflated {
    if !plain_flate(stream) {
        return Inflated::Other;
    }
    let cap = usize::try_from(cap).unwrap_or(usize::MAX);
    let input = stream.content.as_slice();
    let mut d = flate2::Decompress::new(true);
    let mut out: Vec<u8> = Vec::with_capacity(input.len().saturating_mul(4).min(cap).max(64));
    loop {
        if out.len() == out.capacity() {
            if out.len() >= cap {
                // Full at the cap: over it if there is more to come.
                let mut probe = [0u8; 1];
                let rest = input
                    .get(usize::try_from(d.total_in()).unwrap_or(usize::MAX)..)
                    .unwrap_or_default();
                return match d.decompress(rest, &mut probe, flate2::FlushDecompress::None) {
                    Ok(flate2::Status::StreamEnd) if d.total_out() as usize == out.len() => {
                        Inflated::Whole(out)
                    }
                    Ok(_) if d.total_out() as usize > out.len() => Inflated::OverCap,
                    _ => Inflated::Other,
                };
            }
            let more = out.capacity().max(4096).min(cap - out.len());
            out.reserve_exact(more);
        }
        let (before_in, before_out) = (d.total_in(), d.total_out());
        let Some(rest) = usize::try_from(before_in).ok().and_then(|i| input.get(i..)) else {
            return Inflated::Other;
        };
        match d.decompress_vec(rest, &mut out, flate2::FlushDecompress::None) {
            Ok(flate2::Status::StreamEnd) => return Inflated::Whole(out),
            Ok(_) if d.total_in() == before_in && d.total_out() == before_out => {
                return Inflated::Other
            }
            Ok(_) => {}
            Err(_) => return Inflated::Other,
        }
    }
}

/// Whether a Flate stream's data runs to its proper end. lopdf keeps what inflates before a
/// damaged spot and drops the rest without a word; this inflates again (as raw deflate, so a
/// missing or wrong checksum alone does not count) into a scratch buffer and says whether the
/// data ended where deflate says it ends. Streams with other filters count as complete.
pub fn flate_complete(stream: &Stream) -> bool {
    let first_flate = match stream.dict.get(b"Filter") {
        Ok(lopdf::Object::Name(n)) => n == b"FlateDecode" || n == b"Fl",
        Ok(lopdf::Object::Array(a)) => {
            matches!(a.first(), Some(lopdf::Object::Name(n)) if n == b"FlateDecode" || n == b"Fl")
        }
        _ => false,
    };
    if !first_flate {
        return true;
    }
    // With its zlib checksum, when the data carries one: a flipped byte that still inflates
    // shows only there.
    if inflates_to_end(&stream.content, true).0 {
        return true;
    }
    let Some(input) = stream.content.get(2..) else {
        return stream.content.is_empty();
    };
    // Producers that leave the checksum out: the deflate data ends with fewer than four bytes
    // after it.
    let (ends, used) = inflates_to_end(input, false);
    ends && input.len().saturating_sub(used) < 4
}

/// Whether `input` inflates to the end of its deflate (or zlib) data, and the input bytes used.
fn inflates_to_end(input: &[u8], zlib: bool) -> (bool, usize) {
    let mut d = flate2::Decompress::new(zlib);
    let mut scratch = vec![0u8; 64 * 1024];
    let used = |d: &flate2::Decompress| usize::try_from(d.total_in()).unwrap_or(usize::MAX);
    loop {
        let (before_in, before_out) = (d.total_in(), d.total_out());
        let rest = input
            .get(usize::try_from(before_in).unwrap_or(usize::MAX)..)
            .unwrap_or_default();
        match d.decompress(rest, &mut scratch, flate2::FlushDecompress::None) {
            Ok(flate2::Status::StreamEnd) => return (true, used(&d)),
            Ok(_) if d.total_in() == before_in && d.total_out() == before_out => {
                return (false, used(&d))
            }
            Ok(_) => {}
            Err(_) => return (false, used(&d)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flate(data: &[u8]) -> Vec<u8> {
        // a stored (uncompressed) zlib stream: header, one final stored block, adler32
        let mut out = vec![0x78, 0x01];
        let len = u16::try_from(data.len()).expect("small test data");
        out.push(1);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(data);
        let (mut a, mut b) = (1u32, 0u32);
        for &x in data {
            a = (a + u32::from(x)) % 65521;
            b = (b + a) % 65521;
        }
        out.extend_from_slice(&((b << 16) | a).to_be_bytes());
        out
    }

    #[test]
    fn stream_budget_per_stream_and_per_document() {
        let mut dict = lopdf::Dictionary::new();
        dict.set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
        let s = Stream::new(dict, flate(&[b'x'; 100]));
        let limits = Limits {
            max_stream_bytes: 150,
            max_document_bytes: 250,
            ..Limits::default()
        };
        let mut b = StreamBudget::new(&limits);
        assert_eq!(b.decode(&s, Some((4, 0))).expect("first"), vec![b'x'; 100]);
        assert_eq!(b.decode(&s, Some((4, 0))).expect("second").len(), 100);
        assert_eq!(b.used(), 200);
        let e = b.decode(&s, Some((4, 0))).expect_err("third");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert_eq!(
            e.message,
            "the PDF's streams inflate to more than 250 bytes in total (--max-document-bytes)"
        );

        let small = Limits {
            max_stream_bytes: 99,
            ..Limits::default()
        };
        let e = StreamBudget::new(&small)
            .decode(&s, Some((4, 0)))
            .expect_err("stream");
        assert_eq!(
            e.message,
            "stream 4 0 R inflates to more than 99 bytes (--max-stream-bytes)"
        );

        let plain = Stream::new(lopdf::Dictionary::new(), vec![b'y'; 120]);
        let e = StreamBudget::new(&small)
            .decode(&plain, None)
            .expect_err("plain too");
        assert_eq!(
            e.message,
            "a stream inflates to more than 99 bytes (--max-stream-bytes)"
        );
    }
}
