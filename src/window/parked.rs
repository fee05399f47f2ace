//! A decoded text set aside while it is not needed.

use crate::error::{Error, ErrorKind, Result};
use std::io::{Seek, Write};

/// A decoded text set aside in a temp file while it is not needed (its memory freed).
pub(super) struct Parked(std::fs::File);

impl Parked {
    fn io(e: std::io::Error) -> Error {
        Error::new(ErrorKind::Output, format!("text spill file: {e}"))
    }

    /// Write `text` out and free it. When no temp file can be written (a read-only or full temp
    /// folder), the text stays where it is and `None` says so: holding it costs memory, not the run.
    pub(super) fn park(text: &mut String) -> Option<Parked> {
        let mut file = tempfile::tempfile().ok()?;
        file.write_all(text.as_bytes()).ok()?;
        *text = String::new();
        Some(Parked(file))
    }

    /// The text back.
    pub(super) fn take(mut self) -> Result<String> {
        use std::io::Read;
        self.0.rewind().map_err(Self::io)?;
        let mut text = String::new();
        self.0.read_to_string(&mut text).map_err(Self::io)?;
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parked_text_is_freed_and_comes_back_the_same() {
        for text in [
            "",
            "plain",
            "一　行財政改革\n\x0c  二  改ページの後\r\n",
            "\u{FFFD}x",
        ] {
            let mut held = text.to_string();
            let parked = Parked::park(&mut held).expect("a temp file can be written here");
            assert_eq!(held, "");
            assert_eq!(held.capacity(), 0, "{text:?}: freed");
            assert_eq!(parked.take().expect("take"), text);
        }
    }
}
