//! The whole pipeline on arbitrary bytes (text or PDF by content), as `gyokaku parse` runs it,
//! including serialisation of the report.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = gyokaku::Options {
        limits: gyokaku::Limits {
            max_stream_bytes: 1 << 20,
            max_document_bytes: 4 << 20,
            max_operators_per_page: 100_000,
            max_pages: 100,
            max_objects: 10_000,
            ..gyokaku::Limits::default()
        },
        ..gyokaku::Options::default()
    };
    if let Ok(report) = gyokaku::parse_bytes(data, "fuzz-input", &opts) {
        let _ = gyokaku::emit::to_json(&report);
    }
});
