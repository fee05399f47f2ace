//! A byte-level lexer over raw PDF bytes and decoded content streams: nesting depth, object and
//! operator counts, where operations end, and over-deep values blanked out in place. It skips
//! comments, strings, stream data and inline image data, and never builds objects, so it is cheap
//! to run before lopdf sees a file.

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

/// `bytes` with every array or dictionary that opens deeper than `max_depth` replaced by `null`
/// (or `0` where it is shorter than four bytes) padded with spaces, so that every byte offset
/// stays where it was (cross-reference tables, `/Length`s); and the spans replaced. In
/// [`Mode::File`] nesting restarts at every `obj`, `endobj` and `stream` keyword, so an
/// unbalanced bracket in one object cannot make the objects after it look deep.
pub fn flatten_deep(bytes: &[u8], mode: Mode, max_depth: usize) -> (Vec<u8>, Vec<(usize, usize)>) {
    let mut lx = Lexer::new(bytes, mode, usize::MAX, usize::MAX);
    lx.flatten_at = Some(max_depth);
    let spans = lx.run_spans();
    let mut out = bytes.to_vec();
    for &(start, end) in &spans {
        if let Some(span) = out.get_mut(start..end) {
            span.fill(b' ');
            let word: &[u8] = if span.len() >= 4 { b"null" } else { b"0" };
            if let Some(head) = span.get_mut(..word.len()) {
                head.copy_from_slice(word);
            }
        }
    }
    (out, spans)
}

/// Scan raw PDF bytes: nesting depth (counting stops once past `max_depth`) and `obj`
/// keywords (counting stops once past `max_objects`), skipping comments, strings and stream data.
pub fn scan(bytes: &[u8], max_depth: usize, max_objects: usize) -> Scan {
    Lexer::new(bytes, Mode::File, max_depth, max_objects).run()
}

/// Where each operation of a decoded content stream ends (just after its operator; an inline
/// image `BI … ID … EI` is one operation), for reading on after an operation that cannot be
/// parsed.
pub fn operation_ends(bytes: &[u8]) -> Vec<usize> {
    let mut lx = Lexer::new(bytes, Mode::Content, usize::MAX, usize::MAX);
    lx.ends = Some(Vec::new());
    lx.run_inner();
    lx.ends.unwrap_or_default()
}

/// Scan a decoded content stream: nesting depth and operators (counting stops once past the
/// limits given), skipping comments, strings and inline image data.
pub fn scan_content(bytes: &[u8], max_depth: usize, max_operators: usize) -> Scan {
    Lexer::new(bytes, Mode::Content, max_depth, max_operators).run()
}

/// What [`scan`] and [`flatten_deep`] read: a whole file or a decoded content stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
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
    /// Record the spans of values opening deeper than this ([`flatten_deep`]).
    flatten_at: Option<usize>,
    /// Start of the over-deep value being read.
    over: Option<usize>,
    spans: Vec<(usize, usize)>,
    /// Record where operations end ([`operation_ends`]).
    ends: Option<Vec<usize>>,
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
            flatten_at: None,
            over: None,
            spans: Vec::new(),
            ends: None,
        }
    }

    fn run_spans(mut self) -> Vec<(usize, usize)> {
        self.run_inner();
        if let Some(start) = self.over.take() {
            self.spans.push((start, self.bytes.len()));
        }
        self.spans
    }

    /// An object boundary: nesting starts again from nothing.
    fn boundary(&mut self, at: usize) {
        if let Some(start) = self.over.take() {
            self.spans.push((start, at));
        }
        self.depth = 0;
    }

    fn close(&mut self, width: usize) {
        self.depth = self.depth.saturating_sub(1);
        self.pos += width;
        if let (Some(start), Some(max)) = (self.over, self.flatten_at) {
            if self.depth <= max {
                self.spans.push((start, self.pos));
                self.over = None;
            }
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
        self.run_inner();
        self.out
    }

    fn run_inner(&mut self) {
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
                b'>' if self.at(self.pos + 1) == Some(b'>') => self.close(2),
                b'[' => {
                    self.open();
                    self.pos += 1;
                }
                b']' => self.close(1),
                b'/' => {
                    self.pos += 1;
                    self.skip_regular();
                }
                _ if is_white(b) || is_delim(b) => self.pos += 1,
                _ => self.token(),
            }
        }
    }

    fn open(&mut self) {
        self.depth += 1;
        self.out.depth = self.out.depth.max(self.depth);
        if let Some(max) = self.flatten_at {
            if self.depth > max && self.over.is_none() {
                self.over = Some(self.pos);
            }
        }
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
                b"obj" => {
                    self.out.objects += 1;
                    // the object's header `N G obj` is not part of what came before
                    let mut start = self.pos.saturating_sub(tok.len());
                    while start > 0
                        && self
                            .at(start - 1)
                            .is_some_and(|b| b.is_ascii_digit() || is_white(b))
                    {
                        start -= 1;
                    }
                    self.boundary(start);
                }
                b"endobj" => self.boundary(self.pos.saturating_sub(tok.len())),
                b"stream" => {
                    self.boundary(self.pos.saturating_sub(tok.len()));
                    self.skip_stream_data(b"endstream");
                }
                _ => {}
            },
            Mode::Content => {
                if is_number || matches!(tok, b"true" | b"false" | b"null") {
                    return;
                }
                self.out.operators += 1;
                if tok != b"BI" && tok != b"ID" {
                    if let Some(ends) = self.ends.as_mut() {
                        ends.push(self.pos);
                    }
                }
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
                .is_none_or(is_white);
            let after = self.at(p + 2).is_none_or(|b| is_white(b) || is_delim(b));
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

    /// Over-deep values become `null` (or `0` when shorter than four bytes) in place: every
    /// byte offset stays, and nesting restarts at each object.
    #[test]
    fn flatten_deep_table() {
        // (input, mode, max depth, output, spans)
        type Case<'a> = (&'a [u8], Mode, usize, &'a [u8], &'a [(usize, usize)]);
        let cases: &[Case] = &[
            (
                b"1 0 obj [[1]] endobj",
                Mode::File,
                2,
                b"1 0 obj [[1]] endobj",
                &[],
            ),
            (
                b"1 0 obj [[[1]]] endobj",
                Mode::File,
                2,
                b"1 0 obj [[0  ]] endobj",
                &[(10, 13)],
            ),
            (
                b"1 0 obj [[[12]]] endobj",
                Mode::File,
                2,
                b"1 0 obj [[null]] endobj",
                &[(10, 14)],
            ),
            (
                b"1 0 obj [[[]]] endobj",
                Mode::File,
                2,
                b"1 0 obj [[0 ]] endobj",
                &[(10, 12)],
            ),
            (
                b"1 0 obj <</A <</B <</C 1>> >> /D 2>> endobj",
                Mode::File,
                2,
                b"1 0 obj <</A <</B null     >> /D 2>> endobj",
                &[(18, 26)],
            ),
            // an unbalanced bracket ends at the object's end, not the file's
            (
                b"1 0 obj [[[ endobj 2 0 obj [[1]] endobj",
                Mode::File,
                2,
                b"1 0 obj [[0 endobj 2 0 obj [[1]] endobj",
                &[(10, 12)],
            ),
            (
                b"1 0 obj [[[1 2 0 obj [[1]] endobj",
                Mode::File,
                2,
                b"1 0 obj [[01 2 0 obj [[1]] endobj",
                &[(10, 11)],
            ),
            (
                b"[[[(a)]]] TJ [1] TJ",
                Mode::Content,
                1,
                b"[null   ] TJ [1] TJ",
                &[(1, 8)],
            ),
        ];
        for (input, mode, max, want, want_spans) in cases {
            let (out, spans) = flatten_deep(input, *mode, *max);
            assert_eq!(
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(want),
                "{}",
                String::from_utf8_lossy(input)
            );
            assert_eq!(&spans, want_spans, "{}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn operation_ends_table() {
        let cases: &[(&[u8], &[usize])] = &[
            (b"BT /F1 12 Tf (a) Tj ET", &[2, 12, 19, 22]),
            (b"q BI /W 1 /H 1 ID \x00EI Q", &[1, 21, 23]),
            (b"[(a) 1 (b)] TJ", &[14]),
            (b"1 0 0 1 0 0 cm", &[14]),
        ];
        for (input, want) in cases {
            assert_eq!(
                &operation_ends(input),
                want,
                "{}",
                String::from_utf8_lossy(input)
            );
        }
    }
}
