//! Helpers shared by integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the crate, or None with a printed note (tests using it then skip).
pub fn shared(test: &str) -> Option<PathBuf> {
    let dir = root().join("..").join("shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        skip(&format!(
            "{test}: ../shared (the real sample reports) is not present"
        ));
        None
    }
}

/// Parse a file with default options.
pub fn parse_file(path: &std::path::Path) -> gyokaku::Report {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    gyokaku::parse_bytes(
        &bytes,
        &path.display().to_string(),
        &gyokaku::Options::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Say that a test is skipped, and why. The line goes to the process's stderr directly, so it
/// shows in `cargo test` output beside the test's `ok` (the test harness would hide an
/// `eprintln!` of a passing test).
pub fn skip(reason: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "skipped: {reason}");
}

/// Tabs written as the spaces that reach the next tab stop (every 8 columns; a character counts
/// one column when ASCII or half-width katakana, two otherwise), as `expand` or a terminal copy
/// writes them.
pub fn expand_tabs(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut col = 0;
        for c in line.chars() {
            if c == '\t' {
                let next = (col / 8 + 1) * 8;
                out.extend(std::iter::repeat_n(' ', next - col));
                col = next;
            } else {
                out.push(c);
                col += if c.is_ascii() || ('\u{ff61}'..='\u{ff9f}').contains(&c) {
                    1
                } else {
                    2
                };
            }
        }
        out.push('\n');
    }
    out
}
