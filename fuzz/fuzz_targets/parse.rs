//! The whole pipeline on arbitrary bytes (text or PDF by content), as `gyokaku parse` runs it,
//! including serialisation of the report.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let opts = gyokaku::Options {
        limits: common::limits(),
        ..gyokaku::Options::default()
    };
    if let Ok(report) = gyokaku::parse_bytes(data, "fuzz-input", &opts) {
        let _ = gyokaku::emit::to_json(&report);
    }
});
