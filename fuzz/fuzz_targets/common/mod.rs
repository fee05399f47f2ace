//! Shared by the fuzz targets.

/// Limits lowered so that one input costs milliseconds.
pub fn limits() -> gyokaku::Limits {
    gyokaku::Limits {
        max_stream_bytes: 1 << 20,
        max_document_bytes: 4 << 20,
        max_operators_per_page: 100_000,
        max_pages: 100,
        max_objects: 10_000,
        ..gyokaku::Limits::default()
    }
}
