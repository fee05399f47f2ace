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
    // Sized up front: a vector grown by pushing holds up to twice what it needs, and for a
    // large text the lines and their cells are the biggest thing held.
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    let mut first_control_line: Option<u32> = None;
    for (idx, raw) in split_lines(text).enumerate() {
        let line = u32::try_from(idx.saturating_add(1))
            .map_err(|_| Error::new(ErrorKind::Limit, "more than 4294967295 lines"))?;
        let mut cells: Vec<String> =
            Vec::with_capacity(memchr::memchr_iter(b'\t', raw.as_bytes()).count() + 1);
        if controls > 0 && raw.chars().any(is_control_char) {
            first_control_line.get_or_insert(line);
            cells.extend(
                raw.split('\t')
                    .map(|c| c.chars().filter(|&ch| !is_control_char(ch)).collect()),
            );
        } else {
            cells.extend(raw.split('\t').map(str::to_string));
        }
        lines.push(SourceLine {
            page: None,
            line,
            cells,
        });
    }
    let mut diagnostics = Vec::new();
    if let Some(first) = first_control_line {
        diagnostics.push(
            Diagnostic::new(
                Severity::Warning,
                "control-characters",
                format!("removed {controls} control character(s) that are not text, the first on line {first}"),
            )
            .at(Some(first), None),
        );
    }
    Ok(SourceDoc {
        media_type: "text/plain".into(),
        encoding: Some(encoding.to_string()),
        pages: None,
        lines,
        diagnostics,
        origins: Vec::new(),
        geometry: None,
        ocr_pages: Vec::new(),
    })
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
mod tests {
    use super::*;

    const SAMPLE: &str = "改革項目\t1\t窓口サービスの見直し\t\t市民課\n現状\t・待ち時間が長い。\n\n数値目標\t目標名\t単位\n";

    fn encode(text: &str, enc: &'static Encoding) -> Vec<u8> {
        if enc == UTF_16LE {
            return text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        }
        if enc == UTF_16BE {
            return text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        }
        let (bytes, _, had_errors) = enc.encode(text);
        assert!(!had_errors, "sample not encodable in {}", enc.name());
        bytes.into_owned()
    }

    /// Line numbers with their cells.
    type Cells<'a> = Vec<(u32, Vec<&'a str>)>;

    fn cells(doc: &SourceDoc) -> Cells<'_> {
        doc.lines
            .iter()
            .map(|l| (l.line, l.cells.iter().map(String::as_str).collect()))
            .collect()
    }

    fn sample_cells() -> Cells<'static> {
        vec![
            (
                1,
                vec!["改革項目", "1", "窓口サービスの見直し", "", "市民課"],
            ),
            (2, vec!["現状", "・待ち時間が長い。"]),
            (3, vec![""]),
            (4, vec!["数値目標", "目標名", "単位"]),
        ]
    }

    /// The error of a strict read (`--encoding-errors strict`).
    fn err(bytes: &[u8], forced: Option<&str>) -> Error {
        match ingest_with(bytes, forced, EncodingErrors::Strict) {
            Ok(doc) => panic!("expected an error, got {:?}", doc.encoding),
            Err(e) => e,
        }
    }

    #[test]
    fn detects_encodings() {
        let bom = |b: &[u8], body: Vec<u8>| [b.to_vec(), body].concat();
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("utf-8", encode(SAMPLE, UTF_8), "UTF-8"),
            (
                "utf-8 bom",
                bom(&[0xEF, 0xBB, 0xBF], encode(SAMPLE, UTF_8)),
                "UTF-8",
            ),
            (
                "utf-16le bom",
                bom(&[0xFF, 0xFE], encode(SAMPLE, UTF_16LE)),
                "UTF-16LE",
            ),
            (
                "utf-16be bom",
                bom(&[0xFE, 0xFF], encode(SAMPLE, UTF_16BE)),
                "UTF-16BE",
            ),
            ("shift_jis", encode(SAMPLE, SHIFT_JIS), "Shift_JIS"),
            (
                "shift_jis crlf",
                encode(&SAMPLE.replace('\n', "\r\n"), SHIFT_JIS),
                "Shift_JIS",
            ),
            ("euc-jp", encode(SAMPLE, EUC_JP), "EUC-JP"),
            ("iso-2022-jp", encode(SAMPLE, ISO_2022_JP), "ISO-2022-JP"),
            (
                "utf-8 cr",
                encode(&SAMPLE.replace('\n', "\r"), UTF_8),
                "UTF-8",
            ),
            (
                "utf-16le crlf",
                bom(
                    &[0xFF, 0xFE],
                    encode(&SAMPLE.replace('\n', "\r\n"), UTF_16LE),
                ),
                "UTF-16LE",
            ),
        ];
        for (name, bytes, want_enc) in cases {
            let doc = ingest(&bytes, None).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(doc.encoding.as_deref(), Some(want_enc), "{name}");
            assert_eq!(cells(&doc), sample_cells(), "{name}");
            assert_eq!(doc.media_type, "text/plain");
            assert_eq!(doc.pages, None);
            assert!(doc.lines.iter().all(|l| l.page.is_none()), "{name}");
            assert!(doc.diagnostics.is_empty(), "{name}");
        }
    }

    #[test]
    fn committed_fixtures_decode_alike() {
        let expected = ingest(
            include_bytes!("../fixtures/encodings/sample.utf8.txt"),
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(expected.lines.len(), 8);
        assert_eq!(
            expected.lines.first().map(|l| l.cells.clone()),
            Some(
                vec![
                    "改革項目",
                    "1",
                    "窓口サービスの見直し\u{3000}新規",
                    "",
                    "市民課"
                ]
                .into_iter()
                .map(String::from)
                .collect()
            )
        );
        let cases: [(&[u8], &str); 5] = [
            (
                include_bytes!("../fixtures/encodings/sample.utf8-bom-crlf.txt"),
                "UTF-8",
            ),
            (
                include_bytes!("../fixtures/encodings/sample.utf16le-bom.txt"),
                "UTF-16LE",
            ),
            (
                include_bytes!("../fixtures/encodings/sample.utf16be-bom-crlf.txt"),
                "UTF-16BE",
            ),
            (
                include_bytes!("../fixtures/encodings/sample.sjis-crlf.txt"),
                "Shift_JIS",
            ),
            (
                include_bytes!("../fixtures/encodings/sample.eucjp.txt"),
                "EUC-JP",
            ),
        ];
        for (bytes, want) in cases {
            let doc = ingest(bytes, None).unwrap_or_else(|e| panic!("{want}: {e}"));
            assert_eq!(doc.encoding.as_deref(), Some(want));
            assert_eq!(doc.lines, expected.lines, "{want}");
        }
        let e = err(
            include_bytes!("../fixtures/encodings/invalid-line3.sjis.txt"),
            None,
        );
        assert_eq!(
            (e.kind, e.location.line),
            (ErrorKind::Encoding, Some(3)),
            "{}",
            e.message
        );
        let e = err(
            include_bytes!("../fixtures/encodings/invalid-line3.sjis.txt"),
            Some("cp932"),
        );
        assert_eq!(
            (e.kind, e.location.line),
            (ErrorKind::Encoding, Some(3)),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("line 3 (byte offset 139: 0x81)"),
            "{}",
            e.message
        );
    }

    #[test]
    fn cp932_extensions_decode_as_shift_jis() {
        // ① (NEC row 13), Ⅲ, ㎡ and the IBM extension kanji 髙 (0xFBFC) exist only in CP932.
        let text = "①会議\t100㎡\tプランⅢ\t髙橋\n";
        let bytes = encode(text, SHIFT_JIS);
        let doc = ingest(&bytes, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.encoding.as_deref(), Some("Shift_JIS"));
        assert_eq!(
            cells(&doc),
            vec![(1, vec!["①会議", "100㎡", "プランⅢ", "髙橋"])]
        );
        // The wave dash byte pair 0x8160 decodes to U+FF5E (normalisation turns it into U+301C).
        let doc = ingest(b"4\x8c\x8e\x81\x606\x8c\x8e", None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(cells(&doc), vec![(1, vec!["4月\u{FF5E}6月"])]);
    }

    #[test]
    fn forced_label_overrides_detection() {
        let sjis = encode(SAMPLE, SHIFT_JIS);
        let euc = encode(SAMPLE, EUC_JP);
        let cases: [(&[u8], &str, &str); 6] = [
            (&sjis, "shift_jis", "Shift_JIS"),
            (&sjis, "cp932", "Shift_JIS"),
            (&sjis, " Windows-31J ", "Shift_JIS"),
            (&euc, "euc-jp", "EUC-JP"),
            (&euc, "eucjp", "EUC-JP"),
            (SAMPLE.as_bytes(), "utf8", "UTF-8"),
        ];
        for (bytes, label, want) in cases {
            let doc = ingest(bytes, Some(label)).unwrap_or_else(|e| panic!("{label}: {e}"));
            assert_eq!(doc.encoding.as_deref(), Some(want), "{label}");
            assert_eq!(cells(&doc), sample_cells(), "{label}");
        }
        // Forcing a single-byte encoding on UTF-8 bytes is obeyed, mojibake and all.
        let doc = ingest("é\n".as_bytes(), Some("latin1")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.encoding.as_deref(), Some("windows-1252"));
        assert_eq!(cells(&doc), vec![(1, vec!["Ã©"])]);
        // A BOM of the forced encoding is skipped; UTF-16 without BOM works when forced.
        let le = encode(SAMPLE, UTF_16LE);
        for (bytes, label) in [
            ([&[0xFF, 0xFE][..], &le].concat(), "utf-16le"),
            (le.clone(), "utf16le"),
        ] {
            let doc = ingest(&bytes, Some(label)).unwrap_or_else(|e| panic!("{label}: {e}"));
            assert_eq!(cells(&doc), sample_cells(), "{label}");
        }
    }

    #[test]
    fn unknown_label_is_an_encoding_error() {
        for label in ["klingon", "", "utf-9"] {
            let e = err(b"abc", Some(label));
            assert_eq!(e.kind, ErrorKind::Encoding, "{label}");
            assert!(
                e.message.starts_with("unknown encoding label"),
                "{label}: {}",
                e.message
            );
        }
        let e = err(b"abc", Some("iso-2022-kr"));
        assert_eq!(e.kind, ErrorKind::Encoding);
        assert!(e.message.contains("cannot be decoded"), "{}", e.message);
    }

    #[test]
    fn invalid_bytes_under_forced_encoding_name_the_line() {
        // Line 3 holds a Shift_JIS lead byte followed by a byte that cannot trail it.
        let mut bytes = encode("一行目\n二行目\n", SHIFT_JIS);
        let offset = bytes.len() + 1;
        bytes.extend_from_slice(b"x\x81\x20y\n");
        let e = err(&bytes, Some("shift_jis"));
        assert_eq!(e.kind, ErrorKind::Encoding);
        assert_eq!(e.location.line, Some(3));
        assert!(
            e.message.contains("invalid Shift_JIS at line 3"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains(&format!("byte offset {offset}")),
            "{}",
            e.message
        );
        // UTF-8 forced on Shift_JIS bytes: line 1.
        let e = err(&encode("改革\n", SHIFT_JIS), Some("utf-8"));
        assert_eq!((e.kind, e.location.line), (ErrorKind::Encoding, Some(1)));
        assert!(
            e.message
                .contains("invalid UTF-8 at line 1 (byte offset 0: 0x89"),
            "{}",
            e.message
        );
        // UTF-16 with an unpaired surrogate on line 2.
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(encode("a\r\nb", UTF_16LE));
        bytes.extend([0x00, 0xD8, 0x41, 0x00]);
        let e = err(&bytes, None);
        assert_eq!((e.kind, e.location.line), (ErrorKind::Encoding, Some(2)));
        assert!(
            e.message.contains("invalid UTF-16LE at line 2"),
            "{}",
            e.message
        );
    }

    #[test]
    fn damaged_utf8_is_reported_not_guessed() {
        let mut bytes = encode(
            "改革項目\t1\tサービスの見直し\n現状\t待ち時間が長い\n",
            UTF_8,
        );
        bytes.extend_from_slice(b"\xE6\x94\n");
        bytes.extend(encode("実施内容\t窓口の統合を図る\n", UTF_8));
        let e = err(&bytes, None);
        assert_eq!((e.kind, e.location.line), (ErrorKind::Encoding, Some(3)));
        assert!(
            e.message.contains("invalid UTF-8 at line 3"),
            "{}",
            e.message
        );
    }

    /// By default invalid bytes become U+FFFD, each line with one gets a diagnostic naming it,
    /// The one encoding_rs loop in both modes: Replace puts U+FFFD in place of each invalid
    /// sequence and notes line, offset and bytes; Strict stops at the first with the same place.
    #[test]
    fn decoding_loop_replaces_or_stops() {
        let mut two = encode("一行目\n二行目\n", SHIFT_JIS);
        let at = two.iter().position(|&b| b == b'\n').unwrap() + 1;
        two[at] = 0xFF; // the first byte of line 2
        let mut lead = encode("改革\n", EUC_JP);
        lead.push(0x8E); // EUC-JP lead byte with nothing after it
                         // (name, bytes, encoding, base, text in Replace mode, (line, offset, bytes) of each)
        type Case = (
            &'static str,
            Vec<u8>,
            &'static Encoding,
            usize,
            String,
            Vec<(u32, usize, Vec<u8>)>,
        );
        let cases: Vec<Case> = vec![
            (
                "clean",
                encode("改革\n項目", SHIFT_JIS),
                SHIFT_JIS,
                0,
                "改革\n項目".into(),
                vec![],
            ),
            (
                "0xFF in shift_jis on line 2 after a 3-byte mark",
                two.clone(),
                SHIFT_JIS,
                3,
                "一行目\n\u{FFFD}\u{FFFD}行目\n".into(),
                vec![(2, 3 + at, vec![0xFF])],
            ),
            (
                "cut euc-jp sequence at the end",
                lead.clone(),
                EUC_JP,
                0,
                "改革\n\u{FFFD}".into(),
                vec![(2, lead.len() - 1, vec![0x8E])],
            ),
        ];
        for (name, bytes, enc, base, text, want) in cases {
            let (got, replaced) =
                decode_encoding(&bytes, enc, base, EncodingErrors::Replace).unwrap();
            let places: Vec<(u32, usize, Vec<u8>)> = replaced
                .iter()
                .map(|r| (r.line, r.offset, r.bytes.clone()))
                .collect();
            // Shift_JIS reads 0xFF 0xE4-ish pairs as one bad byte and then the rest: compare the
            // first replacement only, and the text up to what the case states.
            assert_eq!(places.first(), want.first(), "{name}: first replacement");
            if want.is_empty() {
                assert_eq!(got, text, "{name}: text");
                assert!(replaced.is_empty(), "{name}");
            } else {
                assert!(
                    got.starts_with(text.split('\u{FFFD}').next().unwrap()),
                    "{name}: {got}"
                );
                assert!(got.contains('\u{FFFD}'), "{name}: {got}");
            }
            match decode_encoding(&bytes, enc, base, EncodingErrors::Strict) {
                Ok((strict, none)) => {
                    assert!(want.is_empty(), "{name}: strict accepted invalid bytes");
                    assert_eq!(strict, text, "{name}: strict text");
                    assert!(none.is_empty());
                }
                Err(m) => {
                    let (line, offset, bad) = want.first().cloned().unwrap();
                    assert_eq!(
                        (m.line, m.offset, m.bad),
                        (line, offset, bad),
                        "{name}: strict stop"
                    );
                }
            }
        }
    }

    /// A line's diagnostic names every replaced sequence by offset and bytes, up to a cap.
    #[test]
    fn each_replaced_sequence_is_named() {
        let seq = |offset: usize, bytes: &[u8]| Replaced {
            line: 4,
            offset,
            bytes: bytes.to_vec(),
        };
        let cases: Vec<(Vec<Replaced>, &str)> = vec![
            (vec![seq(7, &[0xFF])], "byte offset 7: 0xFF"),
            (
                vec![seq(7, &[0xFF]), seq(12, &[0x81, 0x20])],
                "byte offset 7: 0xFF; byte offset 12: 0x81 0x20",
            ),
        ];
        for (on_line, want) in cases {
            assert_eq!(each_replaced(&on_line), want);
        }
        let many: Vec<Replaced> = (0..20).map(|i| seq(i * 2, &[0xFF])).collect();
        let named = each_replaced(&many);
        assert!(
            named.starts_with("byte offset 0: 0xFF; byte offset 2: 0xFF"),
            "{named}"
        );
        assert!(named.ends_with("byte offset 30: 0xFF; 4 more"), "{named}");
        let diags = replacement_diagnostics(&many, SHIFT_JIS);
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].message.starts_with(
                "20 byte sequences not valid Shift_JIS replaced with U+FFFD: byte offset 0: 0xFF;"
            ),
            "{}",
            diags[0].message
        );
    }

    /// and the rest of the text is read as if nothing happened.
    #[test]
    fn invalid_bytes_are_replaced_and_reported_per_line() {
        let sjis = |t: &str| encode(t, SHIFT_JIS);
        let utf8 = |t: &str| encode(t, UTF_8);
        let body = "改革項目\t1\tサービスの見直し\n現状\t待ち時間が長い\n実施内容\t窓口の統合\n";
        let cat = |parts: &[&[u8]]| parts.concat();
        // (name, bytes, forced, encoding, lines with a diagnostic, line 2's first cell)
        type Case<'a> = (
            &'a str,
            Vec<u8>,
            Option<&'a str>,
            &'a str,
            Vec<u32>,
            &'a str,
        );
        let cases: Vec<Case> = vec![
            (
                "utf-8 cut lead byte on line 3",
                cat(&[
                    &utf8("改革項目\t1\n現状\t長い\n"),
                    b"\xE6\x94\n",
                    &utf8("実施内容\t統合\n"),
                ]),
                None,
                "UTF-8",
                vec![3],
                "現状",
            ),
            (
                "shift_jis flip on line 2",
                {
                    let mut b = sjis(body);
                    let at = b.iter().position(|&x| x == b'\n').unwrap_or(0) + 1;
                    b[at] = 0xFF;
                    b
                },
                None,
                "Shift_JIS",
                vec![2],
                "\u{FFFD}",
            ),
            (
                "shift_jis cut mid-character at the end",
                {
                    let mut b = sjis(body);
                    b.extend_from_slice(&sjis("目標")[..3]);
                    b
                },
                None,
                "Shift_JIS",
                vec![4],
                "現状",
            ),
            (
                "euc-jp with a stray byte on lines 1 and 3",
                {
                    let mut b = encode(body, EUC_JP);
                    b.insert(2, 0xFF);
                    let third = b
                        .iter()
                        .enumerate()
                        .filter(|(_, &x)| x == b'\n')
                        .nth(1)
                        .map_or(0, |(i, _)| i + 1);
                    b.insert(third + 2, 0x8E);
                    b
                },
                None,
                "EUC-JP",
                vec![1, 3],
                "現状",
            ),
            (
                "forced cp932 with a bad pair",
                cat(&[&sjis("一行目\n現状\n"), b"x\x81\x20y\n"]),
                Some("cp932"),
                "Shift_JIS",
                vec![3],
                "現状",
            ),
        ];
        for (name, bytes, forced, want_enc, want_lines, line2) in cases {
            let doc = ingest(&bytes, forced).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(doc.encoding.as_deref(), Some(want_enc), "{name}");
            let diag_lines: Vec<u32> = doc
                .diagnostics
                .iter()
                .filter(|d| d.code == INVALID_BYTES)
                .filter_map(|d| d.line)
                .collect();
            assert_eq!(diag_lines, want_lines, "{name}: {:?}", doc.diagnostics);
            for d in &doc.diagnostics {
                assert!(
                    d.message.contains("replaced with U+FFFD"),
                    "{name}: {}",
                    d.message
                );
                assert!(d.message.contains(want_enc), "{name}: {}", d.message);
            }
            assert!(
                doc.lines[1].cells[0].starts_with(line2),
                "{name}: {:?}",
                doc.lines[1]
            );
            let fffd = doc.to_text().matches('\u{FFFD}').count();
            assert!(fffd >= want_lines.len(), "{name}: {fffd}");
            // strict refuses the same bytes, at the first damaged line
            let e = err(&bytes, forced);
            assert_eq!(e.kind, ErrorKind::Encoding, "{name}");
            assert_eq!(e.location.line, want_lines.first().copied(), "{name}: {e}");
        }
    }

    /// Text mostly made of invalid bytes is not guessed at: still an error, naming the count.
    #[test]
    fn too_many_invalid_bytes_are_an_error() {
        let mut bytes = Vec::new();
        for i in 0..40u8 {
            bytes.extend_from_slice(b"ab\xFF");
            bytes.push(b'0' + i % 10);
            bytes.push(b'\n');
        }
        let e = ingest(&bytes, None)
            .err()
            .unwrap_or_else(|| panic!("must refuse"));
        assert_eq!((e.kind, e.location.line), (ErrorKind::Encoding, Some(1)));
        assert!(
            e.message.contains("40 invalid byte sequences"),
            "{}",
            e.message
        );
        assert!(e.message.contains("use --encoding"), "{}", e.message);
    }

    /// Past [`MAX_LINE_DIAGNOSTICS`] lines, one diagnostic counts the rest.
    #[test]
    fn line_diagnostics_are_capped() {
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(&format!(
                "第{i}項 改革項目の見直しと推進、行財政の効率化を進める\n"
            ));
        }
        let mut bytes = encode(&text, UTF_8);
        // 120 lines lose the last byte of their last character
        let mut cut = 0;
        let mut i = 0;
        while i < bytes.len() && cut < 120 {
            if bytes[i] == b'\n' && bytes[i - 1] > 0x7F {
                bytes.remove(i - 1);
                cut += 1;
            }
            i += 1;
        }
        let mut seen = 0;
        let mut lines_with = 0;
        for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
            if std::str::from_utf8(line).is_err() {
                lines_with += 1;
                seen = n;
            }
        }
        assert!(
            lines_with > MAX_LINE_DIAGNOSTICS && seen > 0,
            "{lines_with}"
        );
        let doc = ingest(&bytes, None).unwrap_or_else(|e| panic!("{e}"));
        let d: Vec<&Diagnostic> = doc
            .diagnostics
            .iter()
            .filter(|d| d.code == INVALID_BYTES)
            .collect();
        assert_eq!(d.len(), MAX_LINE_DIAGNOSTICS + 1);
        let last = d.last().map(|d| d.message.as_str()).unwrap_or_default();
        assert!(
            last.contains(&format!(
                "on {} more line(s)",
                lines_with - MAX_LINE_DIAGNOSTICS
            )),
            "{last}"
        );
    }

    #[test]
    fn undecodable_text_names_what_was_tried() {
        // 0xFF is invalid in UTF-8, Shift_JIS and EUC-JP alike.
        let bytes = b"line one\nline two \xFF\xFE\xFD\xFF\n";
        let e = err(bytes, None);
        assert_eq!(e.kind, ErrorKind::Encoding);
        assert_eq!(e.location.line, Some(2));
        for name in [
            "UTF-8 (line 2)",
            "Shift_JIS (line 2)",
            "EUC-JP (line 2)",
            "--encoding",
        ] {
            assert!(e.message.contains(name), "{name}: {}", e.message);
        }
    }

    #[test]
    fn binary_and_empty_inputs_are_not_reports() {
        // Deterministic pseudo-random bytes (xorshift).
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let random: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        let utf16_no_bom = encode("plain ASCII text in UTF-16\n", UTF_16LE);
        let cases: [(&[u8], Option<&str>, &str); 9] = [
            (&random, None, "binary data, not text"),
            (&random, Some("shift_jis"), "binary data, not text"),
            (b"\x00\x00\x00\x00text", None, "binary data, not text"),
            (&utf16_no_bom, None, "try --encoding utf-16le"),
            (b"", None, "empty input"),
            (b" \n\t\r\n  ", None, "empty input"),
            ("\u{3000}\n\u{FEFF}".as_bytes(), None, "empty input"),
            (&[0xEF, 0xBB, 0xBF], None, "empty input"),
            (&[0xFF, 0xFE, 0x20, 0x00], None, "empty input"),
        ];
        for (bytes, forced, want) in cases {
            let e = err(bytes, forced);
            assert_eq!(e.kind, ErrorKind::NotAReport, "{want}: {}", e.message);
            assert!(e.message.contains(want), "{want}: {}", e.message);
        }
    }

    #[test]
    fn line_endings_and_cells() {
        let cases: [(&str, Cells); 6] = [
            ("a\tb\n", vec![(1, vec!["a", "b"])]),
            ("a\r\nb\r\n", vec![(1, vec!["a"]), (2, vec!["b"])]),
            ("a\rb\r", vec![(1, vec!["a"]), (2, vec!["b"])]),
            (
                "a\n\n\tc\t\n",
                vec![(1, vec!["a"]), (2, vec![""]), (3, vec!["", "c", ""])],
            ),
            (
                "a\r\n\r\nb",
                vec![(1, vec!["a"]), (2, vec![""]), (3, vec!["b"])],
            ),
            (
                "a\r\rb\n\n",
                vec![(1, vec!["a"]), (2, vec![""]), (3, vec!["b"]), (4, vec![""])],
            ),
        ];
        for (input, want) in cases {
            let doc = ingest(input.as_bytes(), None).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(cells(&doc), want, "{input:?}");
        }
    }

    #[test]
    fn stray_control_characters_are_removed_with_a_diagnostic() {
        let mut text = String::from("見出し\n");
        text.push_str(&"本文の行です。\n".repeat(40));
        text.push_str("改革\u{1}項目\t\u{0}1\n");
        let doc = ingest(text.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
        let last = doc.lines.last().map(|l| (l.line, l.cells.clone()));
        assert_eq!(
            last,
            Some((42, vec!["改革項目".to_string(), "1".to_string()]))
        );
        assert_eq!(doc.diagnostics.len(), 1);
        let d = &doc.diagnostics[0];
        assert_eq!(
            (d.code.as_str(), d.severity, d.line),
            ("control-characters", Severity::Warning, Some(42))
        );
        assert!(d.message.contains("removed 2 control"), "{}", d.message);
    }

    #[test]
    fn label_aliases() {
        let cases = [
            ("shift_jis", "Shift_JIS"),
            ("SJIS", "Shift_JIS"),
            ("cp932", "Shift_JIS"),
            ("windows-31j", "Shift_JIS"),
            ("euc-jp", "EUC-JP"),
            ("utf-8", "UTF-8"),
            ("UTF8", "UTF-8"),
            ("utf-16", "UTF-16LE"),
            ("utf-16le", "UTF-16LE"),
            ("utf-16be", "UTF-16BE"),
            ("iso-2022-jp", "ISO-2022-JP"),
        ];
        for (label, want) in cases {
            assert_eq!(
                encoding_for_label(label).map(|e| e.name()),
                Ok(want),
                "{label}"
            );
        }
    }

    #[test]
    fn line_of_counts_all_line_endings() {
        let cases: [(&[u8], u32); 6] = [
            (b"", 1),
            (b"abc", 1),
            (b"a\n", 2),
            (b"a\r\n", 2),
            (b"a\r\rb", 3),
            (b"a\n\r\nb\r", 4),
        ];
        for (prefix, want) in cases {
            assert_eq!(line_of(prefix), want, "{prefix:?}");
        }
    }

    #[test]
    fn control_chars_counted_on_bytes() {
        let cases = [
            ("abc", 0),
            ("a\u{0}b\u{1F}\u{7F}", 3),
            ("\u{80}\u{9F}\u{A0}", 2),
            ("\t\n\r\u{C}\u{1B}", 1),
            ("改革", 0),
        ];
        for (text, want) in cases {
            assert_eq!(count_control_chars(text), want, "{text:?}");
            assert_eq!(
                text.chars().filter(|&c| is_control_char(c)).count(),
                want,
                "{text:?}"
            );
        }
    }

    #[test]
    fn japanese_score_prefers_real_kana() {
        let euc = encode("行財政改革の進捗状況について", EUC_JP);
        let as_sjis = SHIFT_JIS.decode_without_bom_handling(&euc).0;
        let as_euc = EUC_JP.decode_without_bom_handling(&euc).0;
        assert!(
            japanese_score(&as_euc) > japanese_score(&as_sjis),
            "{as_sjis}"
        );
        assert_eq!(japanese_score("abc"), 0);
    }

    /// CPU seconds used by this thread so far (Linux), to measure throughput on a busy machine.
    fn cpu_seconds() -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
        let after = stat.rsplit_once(')')?.1;
        let fields: Vec<&str> = after.split_whitespace().collect();
        // Fields 14 and 15 of the file (utime, stime) are 12 and 13 after the command name.
        let ticks: f64 =
            fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
        Some(ticks / 100.0)
    }

    /// Run `f` over `bytes` of input repeatedly for about two seconds; MB/s by wall clock and by CPU time.
    fn measure(label: &str, bytes: usize, mut f: impl FnMut() -> usize) {
        let (start, cpu0) = (std::time::Instant::now(), cpu_seconds());
        let (mut rounds, mut sink) = (0u32, 0usize);
        while start.elapsed().as_secs_f64() < 2.0 {
            sink = sink.wrapping_add(f());
            rounds += 1;
        }
        let wall = start.elapsed().as_secs_f64();
        let mb = bytes as f64 * f64::from(rounds) / 1e6;
        let cpu = match (cpu0, cpu_seconds()) {
            (Some(a), Some(b)) if b > a => format!("{:.0} MB/s per CPU-second", mb / (b - a)),
            _ => "CPU time unavailable".to_string(),
        };
        println!(
            "{label}: {bytes} bytes x {rounds} rounds: {:.0} MB/s wall, {cpu} (check {sink})",
            mb / wall
        );
    }

    /// Throughput of ingestion and normalisation on the sample corpus:
    /// `cargo test --release --lib throughput_on_corpus -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn throughput_on_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            println!("skipped: {} is absent", dir.display());
            return;
        };
        let mut files: Vec<Vec<u8>> = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "txt") {
                files.push(std::fs::read(&path).unwrap_or_default());
            }
        }
        assert!(!files.is_empty(), "no corpus text in {}", dir.display());
        let texts: Vec<String> = files
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        // Characters Shift_JIS cannot hold (e.g. U+2014) become numeric references: fine for timing.
        let as_sjis: Vec<Vec<u8>> = texts
            .iter()
            .map(|t| SHIFT_JIS.encode(t).0.into_owned())
            .collect();
        let as_utf16: Vec<Vec<u8>> = texts
            .iter()
            .map(|t| [&[0xFF, 0xFE][..], &encode(t, UTF_16LE)].concat())
            .collect();
        for (label, set) in [
            ("ingest UTF-8", &files),
            ("ingest Shift_JIS (detected)", &as_sjis),
            ("ingest UTF-16LE", &as_utf16),
        ] {
            let bytes = set.iter().map(Vec::len).sum();
            measure(label, bytes, || {
                set.iter()
                    .map(|f| ingest(std::hint::black_box(f), None).map_or(0, |d| d.lines.len()))
                    .sum()
            });
        }
        // Cells as the segmenter hands them to normalisation: split on tabs and around HTML tags.
        let mut cells: Vec<String> = Vec::new();
        for cell in texts
            .iter()
            .flat_map(|t| t.lines())
            .flat_map(|l| l.split('\t'))
        {
            for piece in cell.split('<') {
                cells.push(
                    piece
                        .split_once('>')
                        .map_or(piece, |(_, after)| after)
                        .to_string(),
                );
            }
        }
        let bytes = cells.iter().map(String::len).sum();
        let changed = cells
            .iter()
            .filter(|c| matches!(crate::normalize::normalize_cow(c), Cow::Owned(_)))
            .count();
        println!(
            "normalize input: {} cells, {changed} of them changed by normalisation",
            cells.len()
        );
        measure("normalize_cow", bytes, || {
            cells
                .iter()
                .map(|c| crate::normalize::normalize_cow(std::hint::black_box(c)).len())
                .sum()
        });
        measure("normalize", bytes, || {
            cells
                .iter()
                .map(|c| crate::normalize::normalize(std::hint::black_box(c)).len())
                .sum()
        });
    }
}
