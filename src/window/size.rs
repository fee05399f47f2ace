//! How much of a text each window takes, and which texts are read in windows.

use crate::source::SourceLine;

/// Texts larger than this are read in windows.
pub const THRESHOLD_BYTES: usize = 512 << 10;

/// New lines read into each window, at most.
pub const DEFAULT_WINDOW_LINES: usize = 600;

/// Bytes of text read into each window, at most (the line that reaches it is the window's last
/// new one): what a window's reading holds grows with its text, so lines longer than 160 bytes
/// on average make a window of fewer lines.
pub const DEFAULT_WINDOW_BYTES: usize = 96 << 10;

/// How much new text each window takes: lines, and bytes of text (the cells' UTF-8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub lines: usize,
    pub bytes: usize,
}

impl Size {
    /// Windows of `n` lines, whatever their bytes.
    pub fn lines(n: usize) -> Self {
        Size {
            lines: n,
            bytes: usize::MAX,
        }
    }

    /// Grown to at least what `window` holds (so that a growing window doubles).
    pub(super) fn at_least(self, window: &[SourceLine]) -> Self {
        Size {
            lines: self.lines.max(window.len()),
            bytes: self.bytes.max(window.iter().map(line_bytes).sum()),
        }
    }
}

pub(super) fn line_bytes(l: &SourceLine) -> usize {
    l.cells.iter().map(String::len).sum::<usize>() + 1
}

/// Environment variable that sets the lines of a window and reads every text in windows, whatever
/// its size, or with `0` every text whole (for testing that windows give the same output as a
/// whole reading).
pub const WINDOW_LINES_ENV: &str = "GYOKAKU_WINDOW_LINES";

/// How much new text each window of a `len`-byte input takes, or None when it is read whole.
pub fn window_size(len: usize) -> Option<Size> {
    let forced = std::env::var(WINDOW_LINES_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok());
    sized(len, forced)
}

/// [`window_size`] with the variable's value.
pub(super) fn sized(len: usize, forced: Option<usize>) -> Option<Size> {
    match forced {
        Some(0) => None,
        Some(n) => Some(Size::lines(n)),
        None => (len > THRESHOLD_BYTES).then_some(Size {
            lines: DEFAULT_WINDOW_LINES,
            bytes: DEFAULT_WINDOW_BYTES,
        }),
    }
}
