//! Text ingestion: encoding detection and decoding, line and cell splitting.
//!
//! # Encodings
//!
//! With a forced encoding (`--encoding LABEL`, any label encoding_rs knows plus `cp932`,
//! `windows-932`, `eucjp`, `utf16le`, `utf16be`, …) the bytes are decoded with it; a byte-order
//! mark of that same encoding is skipped. Otherwise, in this order:
//!
//! 1. A byte-order mark decides: UTF-8, UTF-16LE or UTF-16BE.
//! 2. Binary data (more than 1% control bytes such as NUL) is rejected as not a report.
//! 3. Valid UTF-8 is UTF-8 (7-bit text with `ESC $ B` sequences is tried as ISO-2022-JP first).
//! 4. Text that is mostly valid UTF-8 with a few bad sequences is reported as broken UTF-8,
//!    at the line of the first bad byte, rather than guessed as something else.
//! 5. Shift_JIS (encoding_rs's Shift_JIS is CP932 / Windows-31J, with the NEC and IBM extensions)
//!    and EUC-JP are both tried; when both decode, the one that reads as more plausible Japanese
//!    (kana and kanji, versus half-width katakana and private-use characters) wins.
//!
//! Bytes that are invalid in the chosen encoding are replaced by U+FFFD, and every line that
//! holds one gets an `invalid-bytes` diagnostic (severity error: a partial result) naming the line, the byte offset and the
//! bytes ([`EncodingErrors::Replace`], the default). When nothing decodes cleanly, the encoding
//! that needs the fewest replacements wins. A text in which more than one character in
//! [`MAX_REPLACED_SHARE`] would be replaced is not guessed at: it is an [`ErrorKind::Encoding`]
//! error, as is any invalid byte under [`EncodingErrors::Strict`] (`--encoding-errors strict`).
//!
//! # Lines and cells
//!
//! Lines end at LF, CRLF or a lone CR; line numbers are 1-based and count every line, blank ones
//! included. Cells are split on tabs; empty cells are kept because they carry column positions.
//! Stray control characters (other than tab, line breaks and form feed) are removed from the cells
//! and reported in one `control-characters` diagnostic.

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Diagnostic, Severity};
use crate::source::{SourceDoc, SourceLine};
use encoding_rs::{
    DecoderResult, Encoding, EUC_JP, ISO_2022_JP, REPLACEMENT, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8,
};
use std::borrow::Cow;

/// What to do with bytes that are not valid in the input's encoding (`--encoding-errors`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EncodingErrors {
    /// Replace them with U+FFFD and report each line in an `invalid-bytes` diagnostic.
    #[default]
    Replace,
    /// Refuse the input with an [`ErrorKind::Encoding`] error naming the first one.
    Strict,
}

/// At most one character in this many may be a replacement; more means the wrong encoding (or
/// not text at all), which is an error rather than a guess.
pub const MAX_REPLACED_SHARE: usize = 50;

/// Lines with replaced bytes that get a diagnostic of their own; the rest are counted in one more.
pub const MAX_LINE_DIAGNOSTICS: usize = 100;

/// Decode text bytes (or use the forced encoding) and split into lines of tab-separated cells;
/// invalid bytes are replaced and reported ([`EncodingErrors::Replace`]).
pub fn ingest(bytes: &[u8], forced: Option<&str>) -> Result<SourceDoc> {
    ingest_with(bytes, forced, EncodingErrors::Replace)
}

/// [`ingest`] with a choice of what invalid bytes do.
pub fn ingest_with(bytes: &[u8], forced: Option<&str>, mode: EncodingErrors) -> Result<SourceDoc> {
    let decoded = decode_any(bytes, forced, mode)?;
    let mut doc = build_doc(&decoded.text, decoded.encoding.name())?;
    let mut diags = replacement_diagnostics(&decoded.replaced, decoded.encoding);
    diags.append(&mut doc.diagnostics);
    doc.diagnostics = diags;
    Ok(doc)
}

/// Decoded text, its encoding and where bytes were replaced.
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: &'static Encoding,
    /// Invalid byte sequences replaced by U+FFFD, in input order.
    pub replaced: Vec<Replaced>,
}

/// One invalid byte sequence replaced by U+FFFD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// 1-based line.
    pub line: u32,
    /// Byte offset in the whole input.
    pub offset: usize,
    /// The bytes (at most 4 kept).
    pub bytes: Vec<u8>,
}

fn decode_any<'a>(
    bytes: &'a [u8],
    forced: Option<&str>,
    mode: EncodingErrors,
) -> Result<Decoded<'a>> {
    if bytes.is_empty() {
        return Err(Error::new(ErrorKind::NotAReport, "empty input"));
    }
    let decoded = match (forced, mode) {
        (Some(label), EncodingErrors::Strict) => {
            let enc = encoding_for_label(label)?;
            Decoded {
                text: decode_forced(bytes, enc)?,
                encoding: enc,
                replaced: Vec::new(),
            }
        }
        (Some(label), EncodingErrors::Replace) => {
            let enc = encoding_for_label(label)?;
            decode_forced_lossy(bytes, enc)?
        }
        (None, EncodingErrors::Strict) => {
            let (text, encoding) = decode_detected(bytes)?;
            Decoded {
                text,
                encoding,
                replaced: Vec::new(),
            }
        }
        (None, EncodingErrors::Replace) => decode_detected_lossy(bytes)?,
    };
    check_replaced_share(&decoded, forced.is_some())?;
    Ok(decoded)
}

/// Too many replacements: the encoding is wrong, or the input is not text.
fn check_replaced_share(d: &Decoded, forced: bool) -> Result<()> {
    let n = d.replaced.len();
    if n == 0 {
        return Ok(());
    }
    // Characters, counted cheaply: bytes that do not continue a UTF-8 sequence.
    let chars = d
        .text
        .as_bytes()
        .iter()
        .filter(|&&b| (b as i8) >= -0x40)
        .count();
    if n <= 8 || n.saturating_mul(MAX_REPLACED_SHARE) <= chars {
        return Ok(());
    }
    let first = d.replaced.first().map_or(1, |r| r.line);
    let hint = if forced {
        " (with the encoding that was asked for)"
    } else {
        "; use --encoding to choose one"
    };
    Err(Error::new(
        ErrorKind::Encoding,
        format!(
            "{n} invalid byte sequences in {} text of {chars} characters, the first at line {first}: too many to replace{hint}",
            d.encoding.name()
        ),
    )
    .at_line(first))
}

/// One `invalid-bytes` diagnostic per line with replaced bytes (the first
/// [`MAX_LINE_DIAGNOSTICS`] lines), and one counting the lines beyond.
fn replacement_diagnostics(replaced: &[Replaced], enc: &'static Encoding) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut lines = 0usize;
    let mut rest_lines = 0usize;
    let mut rest_bytes = 0usize;
    let mut i = 0usize;
    while let Some(first) = replaced.get(i) {
        let run = replaced
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take_while(|r| r.line == first.line)
            .count();
        i += run.max(1);
        lines += 1;
        if lines > MAX_LINE_DIAGNOSTICS {
            rest_lines += 1;
            rest_bytes += run;
            continue;
        }
        let on_line = replaced.get(i - run.max(1)..i).unwrap_or_default();
        let what = if run == 1 {
            "1 byte sequence".to_string()
        } else {
            format!("{run} byte sequences")
        };
        out.push(
            Diagnostic::new(
                Severity::Error,
                INVALID_BYTES,
                format!(
                    "{what} not valid {} replaced with U+FFFD: {}",
                    enc.name(),
                    each_replaced(on_line)
                ),
            )
            .at(Some(first.line), None),
        );
    }
    if rest_lines > 0 {
        out.push(Diagnostic::new(
            Severity::Error,
            INVALID_BYTES,
            format!(
                "{rest_bytes} more byte sequence(s) not valid {} replaced with U+FFFD on {rest_lines} more line(s)",
                enc.name()
            ),
        ));
    }
    out
}

/// Every replaced sequence of one line, by byte offset and bytes (`byte offset 12: 0x82 0x20`),
/// the first [`MAX_SEQUENCES_NAMED`] of them, then how many more.
fn each_replaced(on_line: &[Replaced]) -> String {
    let mut parts: Vec<String> = on_line
        .iter()
        .take(MAX_SEQUENCES_NAMED)
        .map(|r| {
            let hex: Vec<String> = r.bytes.iter().map(|b| format!("0x{b:02X}")).collect();
            format!("byte offset {}: {}", r.offset, hex.join(" "))
        })
        .collect();
    if on_line.len() > MAX_SEQUENCES_NAMED {
        parts.push(format!("{} more", on_line.len() - MAX_SEQUENCES_NAMED));
    }
    parts.join("; ")
}

/// Replaced sequences named one by one in a line's `invalid-bytes` diagnostic.
const MAX_SEQUENCES_NAMED: usize = 16;

/// Diagnostics whose line is a line of the file rather than of the document's lines (HTML, CSV):
/// the line goes into the message.
pub fn as_file_lines(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags
        .into_iter()
        .map(|mut d| {
            if let Some(l) = d.line.take() {
                d.message = format!("file line {l}: {}", d.message);
            }
            d
        })
        .collect()
}

/// The diagnostic code of replaced bytes.
pub const INVALID_BYTES: &str = "invalid-bytes";

/// The encoding for a user-given label: encoding_rs (WHATWG) labels plus common aliases.
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding> {
    let l = label.trim().to_ascii_lowercase();
    let enc = match l.as_str() {
        "cp932" | "ms-932" | "windows-932" | "win932" | "ibm-943" | "sjis-win" | "shiftjis" => {
            Some(SHIFT_JIS)
        }
        "eucjp" | "euc_jp" | "eucjp-win" | "eucjp-ms" => Some(EUC_JP),
        "utf16le" | "utf-16-le" | "utf_16le" => Some(UTF_16LE),
        "utf16be" | "utf-16-be" | "utf_16be" => Some(UTF_16BE),
        "utf16" => Some(UTF_16LE),
        "utf_8" | "utf-8-sig" | "utf8-bom" => Some(UTF_8),
        "jis" | "iso2022jp" | "iso-2022-jp-ms" => Some(ISO_2022_JP),
        _ => Encoding::for_label(l.as_bytes()),
    };
    match enc {
        Some(e) if e != REPLACEMENT => Ok(e),
        Some(_) => Err(Error::new(
            ErrorKind::Encoding,
            format!(
                "encoding label '{}' names an encoding that cannot be decoded",
                label.trim()
            ),
        )),
        None => Err(Error::new(
            ErrorKind::Encoding,
            format!("unknown encoding label '{}'", label.trim()),
        )),
    }
}

/// Where decoding failed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Malformed {
    encoding: &'static Encoding,
    /// Byte offset of the first bad byte in the whole input.
    offset: usize,
    /// 1-based line of the first bad byte.
    line: u32,
    bad: Vec<u8>,
}

impl Malformed {
    fn describe(&self) -> String {
        let hex: Vec<String> = self
            .bad
            .iter()
            .take(4)
            .map(|b| format!("0x{b:02X}"))
            .collect();
        format!(
            "invalid {} at line {} (byte offset {}: {})",
            self.encoding.name(),
            self.line,
            self.offset,
            hex.join(" ")
        )
    }

    fn into_error(self, note: &str) -> Error {
        let line = self.line;
        Error::new(ErrorKind::Encoding, format!("{}{note}", self.describe())).at_line(line)
    }
}

fn decode_forced<'a>(bytes: &'a [u8], enc: &'static Encoding) -> Result<Cow<'a, str>> {
    let body = match Encoding::for_bom(bytes) {
        Some((bom_enc, len)) if bom_enc == enc => bytes.get(len..).unwrap_or_default(),
        _ => bytes,
    };
    if !is_utf16(enc) {
        reject_binary_bytes(body)?;
    }
    let bom_len = bytes.len() - body.len();
    decode_strict(body, enc, bom_len)
        .map_err(|m| m.into_error(" (with the encoding that was asked for)"))
}

fn decode_detected(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static Encoding)> {
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(len..).unwrap_or_default();
        let text =
            decode_strict(body, enc, len).map_err(|m| m.into_error(" after a byte-order mark"))?;
        return Ok((text, enc));
    }
    reject_binary_bytes(bytes)?;
    let utf8_err = match std::str::from_utf8(bytes) {
        Ok(s) => {
            if bytes.contains(&0x1B) && bytes.is_ascii() {
                if let Ok(t) = decode_strict(bytes, ISO_2022_JP, 0) {
                    if t != s {
                        return Ok((t, ISO_2022_JP));
                    }
                }
            }
            return Ok((Cow::Borrowed(s), UTF_8));
        }
        Err(e) => e,
    };
    let utf8_bad = utf8_malformed(bytes, &utf8_err, 0);
    if mostly_utf8(bytes) {
        return Err(utf8_bad.into_error(" (the rest of the file is UTF-8)"));
    }
    let sjis = decode_strict(bytes, SHIFT_JIS, 0);
    let euc = decode_strict(bytes, EUC_JP, 0);
    match (sjis, euc) {
        (Ok(s), Ok(e)) => {
            if japanese_score(&e) > japanese_score(&s) {
                Ok((e, EUC_JP))
            } else {
                Ok((s, SHIFT_JIS))
            }
        }
        (Ok(s), Err(_)) => Ok((s, SHIFT_JIS)),
        (Err(_), Ok(e)) => Ok((e, EUC_JP)),
        (Err(s), Err(e)) => {
            let tried = [utf8_bad, s, e];
            let furthest = tried.iter().map(|m| m.line).max().unwrap_or(1);
            let parts: Vec<String> = tried
                .iter()
                .map(|m| format!("{} (line {})", m.encoding.name(), m.line))
                .collect();
            Err(Error::new(
                ErrorKind::Encoding,
                format!(
                    "not valid text in any encoding tried: {}; use --encoding to choose one",
                    parts.join(", ")
                ),
            )
            .at_line(furthest))
        }
    }
}

fn decode_forced_lossy<'a>(bytes: &'a [u8], enc: &'static Encoding) -> Result<Decoded<'a>> {
    let body = match Encoding::for_bom(bytes) {
        Some((bom_enc, len)) if bom_enc == enc => bytes.get(len..).unwrap_or_default(),
        _ => bytes,
    };
    if !is_utf16(enc) {
        reject_binary_bytes(body)?;
    }
    let bom_len = bytes.len() - body.len();
    Ok(decode_lossy(body, enc, bom_len))
}

/// Detection as in [`decode_detected`], replacing invalid bytes: broken UTF-8 stays UTF-8, and
/// when neither Shift_JIS nor EUC-JP decodes cleanly, the one with fewer replacements wins.
fn decode_detected_lossy(bytes: &[u8]) -> Result<Decoded<'_>> {
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(len..).unwrap_or_default();
        return Ok(decode_lossy(body, enc, len));
    }
    match decode_detected(bytes) {
        Ok((text, encoding)) => {
            return Ok(Decoded {
                text,
                encoding,
                replaced: Vec::new(),
            })
        }
        Err(e) if e.kind != ErrorKind::Encoding => return Err(e),
        Err(_) => {}
    }
    if mostly_utf8(bytes) {
        return Ok(decode_lossy(bytes, UTF_8, 0));
    }
    let sjis = decode_lossy(bytes, SHIFT_JIS, 0);
    let euc = decode_lossy(bytes, EUC_JP, 0);
    let cost = |d: &Decoded| (d.replaced.len(), std::cmp::Reverse(japanese_score(&d.text)));
    Ok(if cost(&euc) < cost(&sjis) { euc } else { sjis })
}

/// Decode, replacing each invalid sequence by U+FFFD and noting where it was. `base` is the
/// number of bytes before `bytes` in the input (a byte-order mark), for offsets.
fn decode_lossy<'a>(bytes: &'a [u8], enc: &'static Encoding, base: usize) -> Decoded<'a> {
    let mut replaced = Vec::new();
    let mut lines = LineCounter::default();
    if enc == UTF_8 {
        if let Ok(s) = std::str::from_utf8(bytes) {
            return Decoded {
                text: Cow::Borrowed(s),
                encoding: enc,
                replaced,
            };
        }
        let mut out = String::with_capacity(bytes.len() + 16);
        let mut offset = 0usize;
        for chunk in bytes.utf8_chunks() {
            out.push_str(chunk.valid());
            lines.feed(chunk.valid().as_bytes());
            offset += chunk.valid().len();
            let bad = chunk.invalid();
            if !bad.is_empty() {
                replaced.push(Replaced {
                    line: lines.line(),
                    offset: base.saturating_add(offset),
                    bytes: bad.iter().take(4).copied().collect(),
                });
                out.push('\u{FFFD}');
                offset += bad.len();
            }
        }
        return Decoded {
            text: Cow::Owned(out),
            encoding: enc,
            replaced,
        };
    }
    match decode_encoding(bytes, enc, base, EncodingErrors::Replace) {
        Ok((out, replaced)) => Decoded {
            text: Cow::Owned(out),
            encoding: enc,
            replaced,
        },
        // Replace mode never stops at a malformed sequence.
        Err(_) => Decoded {
            text: Cow::Owned(String::new()),
            encoding: enc,
            replaced,
        },
    }
}

/// The encoding_rs decoding loop shared by both modes (every encoding but UTF-8, whose callers
/// take the faster std paths). [`EncodingErrors::Replace`] puts U+FFFD in place of each invalid
/// sequence and notes where it was; [`EncodingErrors::Strict`] stops at the first one. `base` is
/// the number of bytes before `bytes` in the input (a byte-order mark), for offsets.
fn decode_encoding(
    bytes: &[u8],
    enc: &'static Encoding,
    base: usize,
    mode: EncodingErrors,
) -> Result<(String, Vec<Replaced>), Malformed> {
    let mut replaced = Vec::new();
    let mut lines = LineCounter::default();
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len());
    let mut out = String::with_capacity(cap);
    let mut read_total = 0usize;
    let mut counted = 0usize;
    loop {
        let rest = bytes.get(read_total..).unwrap_or_default();
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
        read_total = read_total.saturating_add(read);
        match result {
            DecoderResult::InputEmpty => return Ok((out, replaced)),
            DecoderResult::OutputFull => {
                let more = decoder.max_utf8_buffer_length_without_replacement(
                    bytes.len() - read_total.min(bytes.len()),
                );
                out.reserve(more.unwrap_or(16).max(16));
            }
            DecoderResult::Malformed(bad_len, extra) => {
                let end = read_total.saturating_sub(usize::from(extra));
                let start = end.saturating_sub(usize::from(bad_len));
                let bad = bytes.get(start..end).unwrap_or_default();
                lines.feed(out.as_bytes().get(counted..).unwrap_or_default());
                counted = out.len();
                if mode == EncodingErrors::Strict {
                    return Err(Malformed {
                        encoding: enc,
                        offset: base.saturating_add(start),
                        line: lines.line(),
                        bad: bad.to_vec(),
                    });
                }
                replaced.push(Replaced {
                    line: lines.line(),
                    offset: base.saturating_add(start),
                    bytes: bad.iter().take(4).copied().collect(),
                });
                out.push('\u{FFFD}');
                out.reserve(16);
            }
        }
    }
}

/// Counts line breaks (LF, CRLF, lone CR) over text fed in pieces.
#[derive(Default)]
struct LineCounter {
    breaks: usize,
    prev_cr: bool,
}

impl LineCounter {
    fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match b {
                b'\n' if self.prev_cr => self.prev_cr = false,
                b'\n' => self.breaks += 1,
                b'\r' => {
                    self.breaks += 1;
                    self.prev_cr = true;
                }
                _ => self.prev_cr = false,
            }
        }
    }
    /// The 1-based line being fed.
    fn line(&self) -> u32 {
        u32::try_from(self.breaks.saturating_add(1)).unwrap_or(u32::MAX)
    }
}

fn is_utf16(enc: &'static Encoding) -> bool {
    enc == UTF_16LE || enc == UTF_16BE
}

/// Decode without replacement characters. `base` is the number of bytes before `bytes` in the
/// input (a byte-order mark), for offsets in messages.
fn decode_strict<'a>(
    bytes: &'a [u8],
    enc: &'static Encoding,
    base: usize,
) -> Result<Cow<'a, str>, Malformed> {
    if enc == UTF_8 {
        return std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .map_err(|e| utf8_malformed(bytes, &e, base));
    }
    decode_encoding(bytes, enc, base, EncodingErrors::Strict).map(|(out, _)| Cow::Owned(out))
}

fn utf8_malformed(bytes: &[u8], e: &std::str::Utf8Error, base: usize) -> Malformed {
    let start = e.valid_up_to();
    let len = e.error_len().unwrap_or(bytes.len().saturating_sub(start));
    Malformed {
        encoding: UTF_8,
        offset: base.saturating_add(start),
        line: line_of(bytes.get(..start).unwrap_or_default()),
        bad: bytes
            .get(start..start.saturating_add(len))
            .unwrap_or_default()
            .to_vec(),
    }
}

/// 1-based number of the line that follows `prefix` (LF, CRLF and lone CR end lines).
fn line_of(prefix: &[u8]) -> u32 {
    let mut breaks = 0usize;
    let mut prev_cr = false;
    for &b in prefix {
        match b {
            b'\n' if prev_cr => prev_cr = false,
            b'\n' => breaks += 1,
            b'\r' => {
                breaks += 1;
                prev_cr = true;
            }
            _ => prev_cr = false,
        }
    }
    u32::try_from(breaks.saturating_add(1)).unwrap_or(u32::MAX)
}

/// Is the input UTF-8 with a few damaged sequences (as opposed to another encoding)?
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut good = 0usize;
    let mut bad = 0usize;
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            bad += 1;
            // Enough evidence that this is another encoding: stop early.
            if bad >= 64 && good < bad.saturating_mul(8) {
                return false;
            }
        }
    }
    good >= 8 && good >= bad.saturating_mul(8)
}

/// How much a decoded text looks like Japanese: kana and kanji count for it; half-width katakana,
/// private-use characters and C1 controls (what the wrong one of Shift_JIS/EUC-JP produces) against.
fn japanese_score(text: &str) -> i64 {
    let mut score = 0i64;
    for c in text.chars() {
        match c {
            '\u{3040}'..='\u{309F}' => score += 2,
            '\u{3000}'..='\u{303F}'
            | '\u{30A0}'..='\u{30FF}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{FF01}'..='\u{FF5E}' => score += 1,
            '\u{FF61}'..='\u{FF9F}' | '\u{E000}'..='\u{F8FF}' | '\u{80}'..='\u{9F}' => score -= 4,
            _ => {}
        }
    }
    score
}

/// Control bytes that do not occur in text (tab, line breaks, form feed and ESC excluded).
const fn is_control_byte(b: u8) -> bool {
    matches!(b, 0x00..=0x08 | 0x0E..=0x1A | 0x1C..=0x1F | 0x7F)
}

/// Control characters removed from decoded cells.
fn is_control_char(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{E}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
}

/// The number of [`is_control_char`] characters, counted on the UTF-8 bytes: C0 controls and DEL
/// are single bytes, C1 controls are 0xC2 followed by 0x80–0x9F.
fn count_control_chars(text: &str) -> usize {
    let mut n = 0usize;
    let mut prev = 0u8;
    for &b in text.as_bytes() {
        if matches!(b, 0x00..=0x08 | 0x0E..=0x1F | 0x7F)
            || (prev == 0xC2 && (0x80..=0x9F).contains(&b))
        {
            n += 1;
        }
        prev = b;
    }
    n
}

/// More than 1% control units: binary data.
fn too_many(controls: usize, total: usize) -> bool {
    controls > 0 && controls.saturating_mul(100) > total
}

/// [`is_control_byte`] as a table, for a branch-free count. (The builder's index is its own loop
/// counter, below 256.)
#[allow(clippy::indexing_slicing)]
const CONTROL_BYTES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = is_control_byte(i as u8) as u8;
        i += 1;
    }
    t
};

fn reject_binary_bytes(bytes: &[u8]) -> Result<()> {
    let controls: usize = bytes
        .iter()
        .map(|&b| usize::from(CONTROL_BYTES.get(usize::from(b)).copied().unwrap_or(0)))
        .sum();
    if !too_many(controls, bytes.len()) {
        return Ok(());
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    let nuls = even + odd;
    let hint = if nuls.saturating_mul(4) >= bytes.len()
        && (even.saturating_mul(10) < nuls || odd.saturating_mul(10) < nuls)
    {
        let label = if odd > even { "utf-16le" } else { "utf-16be" };
        format!(" (looks like UTF-16 without a byte-order mark: try --encoding {label})")
    } else {
        String::new()
    };
    Err(Error::new(
        ErrorKind::NotAReport,
        format!("binary data, not text{hint}"),
    ))
}

/// Split decoded text into lines (LF, CRLF, lone CR); a final line break does not start a line.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut pieces = text.split('\n').peekable();
    std::iter::from_fn(move || {
        let piece = pieces.next()?;
        if piece.is_empty() && pieces.peek().is_none() {
            return None;
        }
        Some(piece)
    })
    .flat_map(|piece| piece.strip_suffix('\r').unwrap_or(piece).split('\r'))
}

fn build_doc(text: &str, encoding: &str) -> Result<SourceDoc> {
    let controls = check_text(text)?;
    // Sized up front: a vector grown by pushing holds up to twice what it needs, and for a
    // large text the lines and their cells are the biggest thing held.
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    for (idx, raw) in split_lines(text).enumerate() {
        lines.push(source_line(raw, idx, controls > 0)?);
    }
    Ok(SourceDoc {
        media_type: "text/plain".into(),
        encoding: Some(encoding.to_string()),
        pages: None,
        lines,
        diagnostics: control_diagnostic(text, controls).into_iter().collect(),
        origins: Vec::new(),
        geometry: None,
        ocr_pages: Vec::new(),
    })
}

/// Refuse an empty text or binary data; the number of stray control characters.
fn check_text(text: &str) -> Result<usize> {
    if text
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '\u{FEFF}' | '\u{200B}'))
    {
        return Err(Error::new(ErrorKind::NotAReport, "empty input"));
    }
    let controls = count_control_chars(text);
    if controls > 0 && too_many(controls, text.chars().count()) {
        return Err(Error::new(ErrorKind::NotAReport, "binary data, not text"));
    }
    Ok(controls)
}

/// The line at index `idx` (0-based) split into cells; `controls` says whether the text holds
/// stray control characters to remove.
fn source_line(raw: &str, idx: usize, controls: bool) -> Result<SourceLine> {
    let line = u32::try_from(idx.saturating_add(1))
        .map_err(|_| Error::new(ErrorKind::Limit, "more than 4294967295 lines"))?;
    let mut cells: Vec<String> =
        Vec::with_capacity(memchr::memchr_iter(b'\t', raw.as_bytes()).count() + 1);
    if controls && raw.chars().any(is_control_char) {
        cells.extend(
            raw.split('\t')
                .map(|c| c.chars().filter(|&ch| !is_control_char(ch)).collect()),
        );
    } else {
        cells.extend(raw.split('\t').map(str::to_string));
    }
    Ok(SourceLine {
        page: None,
        line,
        cells,
    })
}

/// The one `control-characters` diagnostic of a text holding `controls` of them.
fn control_diagnostic(text: &str, controls: usize) -> Option<Diagnostic> {
    if controls == 0 {
        return None;
    }
    let first = split_lines(text)
        .position(|raw| raw.chars().any(is_control_char))
        .and_then(|k| u32::try_from(k + 1).ok())?;
    Some(
        Diagnostic::new(
            Severity::Warning,
            "control-characters",
            format!("removed {controls} control character(s) that are not text, the first on line {first}"),
        )
        .at(Some(first), None),
    )
}

/// A text decoded whole into one buffer, to be split into lines a window at a time
/// ([`WindowedText::lines`]) instead of all at once: for large texts, whose lines and cells
/// would take several times the input.
pub struct WindowedText {
    /// The decoded text (the input's own allocation when it was UTF-8 without a byte-order mark).
    pub text: String,
    /// The encoding's name (`UTF-8`, `Shift_JIS`, …).
    pub encoding: &'static str,
    /// `invalid-bytes` and `control-characters` diagnostics of the whole text.
    pub diagnostics: Vec<Diagnostic>,
    controls: bool,
}

impl WindowedText {
    /// Decode as [`ingest_with`] does, with the same errors and diagnostics, taking the bytes.
    pub fn decode(bytes: Vec<u8>, forced: Option<&str>, mode: EncodingErrors) -> Result<Self> {
        let decoded = decode_any(&bytes, forced, mode)?;
        let mut diagnostics = replacement_diagnostics(&decoded.replaced, decoded.encoding);
        let encoding = decoded.encoding.name();
        let whole = matches!(&decoded.text, Cow::Borrowed(t) if t.len() == bytes.len());
        let text = match decoded.text {
            Cow::Owned(t) => t,
            Cow::Borrowed(_) if whole => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            },
            Cow::Borrowed(t) => t.to_string(),
        };
        let controls = check_text(&text)?;
        diagnostics.extend(control_diagnostic(&text, controls));
        Ok(WindowedText {
            text,
            encoding,
            diagnostics,
            controls: controls > 0,
        })
    }

    /// The text's lines, split into cells one at a time, numbered as [`ingest`] numbers them.
    pub fn lines(&self) -> impl Iterator<Item = Result<SourceLine>> + '_ {
        split_lines(&self.text)
            .enumerate()
            .map(|(idx, raw)| source_line(raw, idx, self.controls))
    }

    /// The whole document, as [`ingest_with`] gives it.
    pub fn into_doc(self) -> Result<SourceDoc> {
        let mut doc = build_doc(&self.text, self.encoding)?;
        doc.diagnostics = self.diagnostics;
        Ok(doc)
    }
}

/// Decode text bytes with the forced encoding or the detected one (as [`ingest`] does), for the
/// other text-based formats (HTML, CSV/TSV), with their `invalid-bytes` diagnostics.
pub fn decode_with(
    bytes: &[u8],
    forced: Option<&str>,
    mode: EncodingErrors,
) -> Result<(String, &'static Encoding, Vec<Diagnostic>)> {
    let d = decode_any(bytes, forced, mode)?;
    let diags = replacement_diagnostics(&d.replaced, d.encoding);
    Ok((d.text.into_owned(), d.encoding, diags))
}

/// Decode text bytes with the forced encoding or the detected one, refusing invalid bytes.
pub fn decode(bytes: &[u8], forced: Option<&str>) -> Result<(String, &'static Encoding)> {
    if bytes.is_empty() {
        return Err(Error::new(ErrorKind::NotAReport, "empty input"));
    }
    match forced {
        Some(label) => {
            let enc = encoding_for_label(label)?;
            Ok((decode_forced(bytes, enc)?.into_owned(), enc))
        }
        None => decode_detected(bytes).map(|(t, e)| (t.into_owned(), e)),
    }
}

#[cfg(test)]
mod tests;
