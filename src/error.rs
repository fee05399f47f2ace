//! The library's one error type: a kind, a location and a one-line message.

use std::fmt;

/// What went wrong, as a category callers can match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The input could not be read (I/O).
    Io,
    /// The bytes could not be decoded as text in the detected or requested encoding.
    Encoding,
    /// The input is readable but is not a reform progress report.
    NotAReport,
    /// The PDF structure is broken beyond recovery, or encrypted with a user password.
    Pdf,
    /// The PDF holds no readable text (e.g. fonts that cannot be mapped to Unicode).
    Unreadable,
    /// A resource limit was exceeded.
    Limit,
    /// A layout profile is invalid.
    Profile,
    /// A lexicon file (label vocabulary, rating words, marks) is invalid.
    Lexicon,
    /// The output could not be written or encoded.
    Output,
    /// A bug: a panic caught at the batch boundary.
    Internal,
    /// The command asks for something unsafe or contradictory (e.g. an output that would replace
    /// an input); the CLI exits with status 2.
    Usage,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Encoding => "encoding",
            ErrorKind::NotAReport => "not-a-report",
            ErrorKind::Pdf => "pdf",
            ErrorKind::Unreadable => "unreadable",
            ErrorKind::Limit => "limit",
            ErrorKind::Profile => "profile",
            ErrorKind::Lexicon => "lexicon",
            ErrorKind::Output => "output",
            ErrorKind::Internal => "internal",
            ErrorKind::Usage => "usage",
        }
    }
}

/// Where an error happened. Every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub file: Option<String>,
    pub page: Option<u32>,
    pub line: Option<u32>,
}

/// The library error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub location: Location,
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            location: Location::default(),
            message: message.into(),
        }
    }
    /// Attach the file name (kept if already set).
    pub fn in_file(mut self, file: &str) -> Self {
        if self.location.file.is_none() {
            self.location.file = Some(file.to_string());
        }
        self
    }
    pub fn at_page(mut self, page: u32) -> Self {
        self.location.page = Some(page);
        self
    }
    pub fn at_line(mut self, line: u32) -> Self {
        self.location.line = Some(line);
        self
    }
}

impl fmt::Display for Error {
    /// `FILE[:page P][:line L]: KIND: message` on one line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.location.file {
            write!(f, "{}", escape_controls(file))?;
            if let Some(p) = self.location.page {
                write!(f, ": page {p}")?;
            }
            if let Some(l) = self.location.line {
                write!(f, ": line {l}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}: {}", self.kind.as_str(), one_line(&self.message))
    }
}

/// A message on one line: line breaks become spaces, other control characters are escaped.
pub fn one_line(message: &str) -> String {
    escape_controls(&message.replace(['\n', '\r'], " "))
}

/// `s` with control characters escaped, so a file name holding a line break, a tab or a terminal
/// escape cannot break a one-line message: `\n`, `\r`, `\t`, `\xHH` for other ASCII controls
/// and `\u{HHHH}` for C1 controls and the Unicode line and paragraph separators. Paths made by
/// [`crate::input::path_text`] already double every backslash, so the escaped form stays
/// distinct for distinct names.
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{{{:04X}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_one_line_with_location() {
        let cases = [
            (
                Error::new(ErrorKind::NotAReport, "no 改革項目 found").in_file("a.txt"),
                "a.txt: not-a-report: no 改革項目 found",
            ),
            (
                Error::new(ErrorKind::Pdf, "bad\nxref")
                    .in_file("b.pdf")
                    .at_page(3),
                "b.pdf: page 3: pdf: bad xref",
            ),
            (
                Error::new(ErrorKind::Encoding, "x").in_file("c").at_line(7),
                "c: line 7: encoding: x",
            ),
            (Error::new(ErrorKind::Io, "gone"), "io: gone"),
            (
                Error::new(ErrorKind::Io, "a\tb\x1b[2J").in_file("odd\nname\r.txt"),
                "odd\\nname\\r.txt: io: a\\tb\\x1B[2J",
            ),
            (
                Error::new(ErrorKind::Usage, "x").in_file("c1\u{85}ls\u{2028}.txt"),
                "c1\\u{0085}ls\\u{2028}.txt: usage: x",
            ),
        ];
        for (e, want) in cases {
            assert_eq!(e.to_string(), want);
        }
    }
}
