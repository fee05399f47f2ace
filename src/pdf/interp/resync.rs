//! Reading a content stream on past an operation that cannot be parsed.

use super::*;

/// The operations of a content stream, reading on after one that cannot be parsed (the
/// tokenizer stops at the first): the stream is read again from the end of the damaged operation, which is
/// skipped. Skipped operations are counted, those that show text apart.
pub(super) struct Resync<'a> {
    pub(super) data: &'a [u8],
    pub(super) inner: Tokens<'a>,
    /// Operations before the current run of `inner`.
    pub(super) base: usize,
    /// Operations the current run gave.
    pub(super) got: usize,
    pub(super) ends: Option<Vec<usize>>,
    pub(super) skipped: usize,
    pub(super) skipped_text: usize,
}

impl<'a> Resync<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
        Resync {
            data,
            inner: Tokens::new(data),
            base: 0,
            got: 0,
            ends: None,
            skipped: 0,
            skipped_text: 0,
        }
    }

    /// The next operation's operator and operands.
    pub(super) fn next(&mut self) -> Option<(&'a str, &[Object])> {
        loop {
            if let Some(op) = self.inner.advance() {
                self.got += 1;
                return Some((op, self.inner.operands()));
            }
            // The run ended: at the end of the data, or at an operation it cannot parse.
            let ends = self
                .ends
                .get_or_insert_with(|| guard::operation_ends(self.data));
            let bad = self.base + self.got;
            let end = *ends.get(bad)?;
            let start = bad
                .checked_sub(1)
                .and_then(|i| ends.get(i))
                .copied()
                .unwrap_or(0);
            let op = self
                .data
                .get(start..end)
                .unwrap_or_default()
                .trim_ascii_end();
            self.skipped += 1;
            if [&b"Tj"[..], b"TJ", b"'", b"\""]
                .iter()
                .any(|t| op.ends_with(t))
            {
                self.skipped_text += 1;
            }
            self.base = bad + 1;
            self.got = 0;
            self.inner = Tokens::new(self.data.get(end..).unwrap_or_default());
        }
    }
}
