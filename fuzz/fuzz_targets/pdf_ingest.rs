//! PDF ingestion on arbitrary bytes (a `%PDF-` header is prepended when missing, so every
//! input reaches the PDF layer). Limits are lowered so one input costs milliseconds.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    let limits = common::limits();
    if gyokaku::pdf::is_pdf(data) {
        let _ = gyokaku::pdf::extract(data, &limits);
    } else {
        let mut v = b"%PDF-1.7\n".to_vec();
        v.extend_from_slice(data);
        let _ = gyokaku::pdf::extract(&v, &limits);
    }
});
