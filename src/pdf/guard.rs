//! Byte-level guards that keep a hostile PDF from costing unbounded memory, time or stack.
//!
//! lopdf parses the whole file eagerly. It bounds some things itself (nesting of parsed objects
//! at 100 levels, reference chains at 128, the streams it inflates while loading at the size
//! given in its load options), but not by our [`Limits`], and a content array nested too deeply
//! only makes its content parser stop without saying why. So:
//!
//! - [`precheck`] scans the raw file before lopdf sees it: array/dictionary nesting outside
//!   stream data (`--max-depth`) and the number of objects written in the clear (`--max-objects`).
//! - [`check_content_depth`] does the same for a decoded content stream before it is interpreted.
//! - [`load_error`] turns lopdf's loading errors into ours, a stream bomb met while loading
//!   (object or cross-reference stream) into a limit error.
//!
//! The other limits are enforced where the work happens: stream sizes in `doc`, operators and
//! Form XObject nesting/cycles in `interp`, pages in `extract`. Every limit error names its flag.

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;

/// What [`scan`] found in raw PDF bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scan {
    /// Deepest nesting of arrays and dictionaries seen (stopped counting past the limit given).
    pub depth: usize,
    /// `obj` keywords seen outside stream data: the indirect objects written in the clear
    /// (objects inside object streams are not counted).
    pub objects: usize,
    /// Content operators seen (only counted by [`scan_content`]).
    pub operators: usize,
}

/// Check the raw bytes of a PDF against the nesting and object limits before parsing them.
pub fn precheck(bytes: &[u8], limits: &Limits) -> Result<()> {
    let s = scan(bytes, limits.max_depth, limits.max_objects);
    check_depth(s.depth, limits)?;
    check_objects(s.objects, limits)
}

/// A lopdf loading error as ours.
pub fn load_error(e: &lopdf::Error, limits: &Limits) -> Error {
    match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }) => Error::new(
            ErrorKind::Limit,
            format!(
                "a stream read while loading decompresses to more than {} bytes (--max-stream-bytes)",
                limits.max_stream_bytes
            ),
        ),
        lopdf::Error::Decompress(inner) => Error::new(
            ErrorKind::Pdf,
            format!("cannot read the PDF structure: {inner}"),
        ),
        lopdf::Error::Parse(inner) => Error::new(
            ErrorKind::Pdf,
            format!("cannot read the PDF structure: {inner}"),
        ),
        other => Error::new(
            ErrorKind::Pdf,
            format!("cannot read the PDF structure: {other}"),
        ),
    }
}

/// Too many indirect objects.
pub fn check_objects(objects: usize, limits: &Limits) -> Result<()> {
    if objects > limits.max_objects {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "more than {} objects in the PDF (--max-objects)",
                limits.max_objects
            ),
        ));
    }
    Ok(())
}

/// Arrays/dictionaries nested too deeply.
pub fn check_depth(depth: usize, limits: &Limits) -> Result<()> {
    if depth > limits.max_depth {
        return Err(Error::new(
            ErrorKind::Limit,
            format!(
                "arrays or dictionaries nested more than {} levels deep (--max-depth)",
                limits.max_depth
            ),
        ));
    }
    Ok(())
}

/// Check the nesting depth of a decoded content stream (page or Form XObject) before it is
/// interpreted: lopdf's content parser gives up silently on arrays nested past its own bound.
pub fn check_content_depth(content: &[u8], limits: &Limits) -> Result<()> {
    check_depth(
        scan_content(content, limits.max_depth, usize::MAX).depth,
        limits,
    )
}

/// Scan raw PDF bytes: nesting depth (counting stops once past `max_depth`) and `obj`
/// keywords (counting stops once past `max_objects`), skipping comments, strings and stream data.
pub fn scan(bytes: &[u8], max_depth: usize, max_objects: usize) -> Scan {
    Lexer::new(bytes, Mode::File, max_depth, max_objects).run()
}

/// Scan a decoded content stream: nesting depth and operators (counting stops once past the
/// limits given), skipping comments, strings and inline image data.
pub fn scan_content(bytes: &[u8], max_depth: usize, max_operators: usize) -> Scan {
    Lexer::new(bytes, Mode::Content, max_depth, max_operators).run()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    File,
    Content,
}

struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    mode: Mode,
    depth: usize,
    max_depth: usize,
    max_count: usize,
    out: Scan,
}

fn is_white(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

impl<'a> Lexer<'a> {
    fn new(bytes: &'a [u8], mode: Mode, max_depth: usize, max_count: usize) -> Self {
        Lexer {
            bytes,
            pos: 0,
            mode,
            depth: 0,
            max_depth,
            max_count,
            out: Scan::default(),
        }
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn count(&self) -> usize {
        match self.mode {
            Mode::File => self.out.objects,
            Mode::Content => self.out.operators,
        }
    }

    fn run(mut self) -> Scan {
        while let Some(b) = self.at(self.pos) {
            if self.out.depth > self.max_depth || self.count() > self.max_count {
                break;
            }
            match b {
                b'%' => self.skip_comment(),
                b'(' => self.skip_literal_string(),
                b'<' if self.at(self.pos + 1) == Some(b'<') => {
                    self.open();
                    self.pos += 2;
                }
                b'<' => self.skip_hex_string(),
                b'>' if self.at(self.pos + 1) == Some(b'>') => {
                    self.depth = self.depth.saturating_sub(1);
                    self.pos += 2;
                }
                b'[' => {
                    self.open();
                    self.pos += 1;
                }
                b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    self.pos += 1;
                }
                b'/' => {
                    self.pos += 1;
                    self.skip_regular();
                }
                _ if is_white(b) || is_delim(b) => self.pos += 1,
                _ => self.token(),
            }
        }
        self.out
    }

    fn open(&mut self) {
        self.depth += 1;
        self.out.depth = self.out.depth.max(self.depth);
    }

    fn skip_comment(&mut self) {
        while let Some(b) = self.at(self.pos) {
            if b == b'\n' || b == b'\r' {
                break;
            }
            self.pos += 1;
        }
    }

    /// `( ... )` with balanced parentheses and backslash escapes.
    fn skip_literal_string(&mut self) {
        let mut nest = 0usize;
        while let Some(b) = self.at(self.pos) {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'(' => nest += 1,
                b')' => {
                    nest = nest.saturating_sub(1);
                    if nest == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    fn skip_hex_string(&mut self) {
        while let Some(b) = self.at(self.pos) {
            self.pos += 1;
            if b == b'>' {
                return;
            }
        }
    }

    fn skip_regular(&mut self) -> &'a [u8] {
        let start = self.pos;
        while let Some(b) = self.at(self.pos) {
            if is_white(b) || is_delim(b) {
                break;
            }
            self.pos += 1;
        }
        self.bytes.get(start..self.pos).unwrap_or_default()
    }

    fn token(&mut self) {
        let tok = self.skip_regular();
        let first = tok.first().copied().unwrap_or(b'0');
        let is_number = first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.');
        match self.mode {
            Mode::File => match tok {
                b"obj" => self.out.objects += 1,
                b"stream" => self.skip_stream_data(b"endstream"),
                _ => {}
            },
            Mode::Content => {
                if is_number || matches!(tok, b"true" | b"false" | b"null") {
                    return;
                }
                self.out.operators += 1;
                if tok == b"ID" {
                    // inline image data runs to the next `EI` between white space
                    self.skip_inline_image();
                }
            }
        }
    }

    fn skip_stream_data(&mut self, end: &[u8]) {
        self.pos = find(self.bytes, self.pos, end).map_or(self.bytes.len(), |p| p + end.len());
    }

    fn skip_inline_image(&mut self) {
        let mut from = self.pos;
        while let Some(p) = find(self.bytes, from, b"EI") {
            let before = p
                .checked_sub(1)
                .and_then(|i| self.at(i))
                .map_or(true, is_white);
            let after = self.at(p + 2).map_or(true, |b| is_white(b) || is_delim(b));
            if before && after {
                self.pos = p; // the `EI` operator itself is counted as the next token
                return;
            }
            from = p + 2;
        }
        self.pos = self.bytes.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lim(max_depth: usize) -> Limits {
        Limits {
            max_depth,
            ..Limits::default()
        }
    }

    #[test]
    fn scan_file_table() {
        // (bytes, depth, objects)
        let cases: &[(&[u8], usize, usize)] = &[
            (b"", 0, 0),
            (b"%PDF-1.7\n1 0 obj << /A [1 2 [3]] >> endobj", 3, 1),
            (
                b"1 0 obj (a [[[ string ( with ) nesting \\) ]]]) endobj 2 0 obj [] endobj",
                1,
                2,
            ),
            (b"1 0 obj <5b5b5b> endobj", 0, 1),
            (b"% [[[[ comment\n1 0 obj [ ] endobj", 1, 1),
            (
                b"1 0 obj << /Length 6 >>\nstream\n[[[[[[\nendstream endobj 2 0 obj [[ ]] endobj",
                2,
                2,
            ),
            (b"1 0 obj << /Length 6 >>\nstream\n[[[[[[ truncated", 1, 1),
            (b"]]]]>> [ ]", 1, 0),
            (b"/Name[ /obj obj", 1, 1),
        ];
        for (bytes, depth, objects) in cases {
            let s = scan(bytes, 100, 100);
            assert_eq!(
                (s.depth, s.objects),
                (*depth, *objects),
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    #[test]
    fn scan_stops_past_the_limits() {
        let deep = [b"[".repeat(10_000), b"]".repeat(10_000)].concat();
        assert_eq!(scan(&deep, 64, 10).depth, 65);
        let objs = b"1 0 obj null endobj ".repeat(50);
        assert_eq!(scan(&objs, 64, 10).objects, 11);
    }

    #[test]
    fn scan_content_table() {
        // (content, depth, operators)
        let cases: &[(&[u8], usize, usize)] = &[
            (b"BT /F1 12 Tf 72 770 Td (Tj Tj) Tj ET", 0, 5),
            (b"[(a) -120 (b)] TJ", 1, 1),
            (b"q 1 0 0 1 0 0 cm /X1 Do Q", 0, 4),
            (b"BI /W 2 /H 1 /BPC 8 /CS /G ID [[(\xff EI Q", 0, 4),
            (b"BI /W 1 ID\nabcEIdef EI\n n", 0, 4),
            (b"true false null 1 -2 .5 n", 0, 1),
            (b"/P <</MCID 0>> BDC EMC", 1, 2),
        ];
        for (bytes, depth, ops) in cases {
            let s = scan_content(bytes, 100, 100);
            assert_eq!(
                (s.depth, s.operators),
                (*depth, *ops),
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    #[test]
    fn precheck_and_content_errors_name_the_flag() {
        let deep = [
            b"1 0 obj ".to_vec(),
            b"[".repeat(10_000),
            b"]".repeat(10_000),
        ]
        .concat();
        let e = precheck(&deep, &lim(64)).expect_err("deep");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert_eq!(
            e.message,
            "arrays or dictionaries nested more than 64 levels deep (--max-depth)"
        );
        assert!(precheck(b"1 0 obj [[1]] endobj", &lim(2)).is_ok());
        assert!(precheck(b"1 0 obj [[[1]]] endobj", &lim(2)).is_err());

        let many = b"1 0 obj null endobj ".repeat(11);
        let e = precheck(
            &many,
            &Limits {
                max_objects: 10,
                ..Limits::default()
            },
        )
        .expect_err("objects");
        assert_eq!(e.message, "more than 10 objects in the PDF (--max-objects)");

        assert!(check_content_depth(b"[[[1]]] pop", &lim(3)).is_ok());
        let e = check_content_depth(b"[[[[1]]]] pop", &lim(3)).expect_err("deep content");
        assert_eq!(
            e.message,
            "arrays or dictionaries nested more than 3 levels deep (--max-depth)"
        );
        // the same brackets inside a string or inline image data do not count
        assert!(check_content_depth(b"([[[[) Tj BI /W 1 ID [[[[ EI", &lim(3)).is_ok());
    }

    #[test]
    fn load_errors_table() {
        let limits = Limits {
            max_stream_bytes: 1000,
            ..Limits::default()
        };
        let bomb =
            lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { limit: 1000 });
        let cases = [
            (bomb, ErrorKind::Limit, "a stream read while loading decompresses to more than 1000 bytes (--max-stream-bytes)"),
            (lopdf::Error::Parse(lopdf::ParseError::InvalidXref), ErrorKind::Pdf, "cannot read the PDF structure: "),
            (lopdf::Error::ReferenceLimit, ErrorKind::Pdf, "cannot read the PDF structure: "),
        ];
        for (e, kind, msg) in cases {
            let got = load_error(&e, &limits);
            assert_eq!(got.kind, kind, "{e:?}");
            assert!(got.message.starts_with(msg), "{e:?}: {}", got.message);
        }
    }
}
