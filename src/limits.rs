//! Resource limits applied while reading input. Every limit has a documented default and a CLI flag.

use std::time::Duration;

/// Bounds on what one input may cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Largest input file accepted (text or PDF), in bytes.
    pub max_input_bytes: u64,
    /// Largest decompressed size of one PDF stream, in bytes.
    pub max_stream_bytes: u64,
    /// Largest total decompressed size of all streams of one document, in bytes.
    pub max_document_bytes: u64,
    /// Most indirect objects in one PDF.
    pub max_objects: usize,
    /// Most pages in one PDF.
    pub max_pages: usize,
    /// Most content-stream operators interpreted on one page.
    pub max_operators_per_page: usize,
    /// Deepest nesting of arrays/dictionaries, Form XObjects, and reference chains.
    pub max_depth: usize,
    /// Time budget for one file in batch runs (None: unlimited).
    pub time_budget: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_bytes: 256 * 1024 * 1024,
            max_stream_bytes: 64 * 1024 * 1024,
            max_document_bytes: 512 * 1024 * 1024,
            max_objects: 1_000_000,
            max_pages: 10_000,
            max_operators_per_page: 500_000,
            max_depth: 64,
            time_budget: Some(Duration::from_secs(60)),
        }
    }
}
