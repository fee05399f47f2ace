//! Text ingestion on arbitrary bytes: encoding detection, or a forced encoding chosen by the
//! first byte, then line and cell splitting.
#![no_main]

use libfuzzer_sys::fuzz_target;

const FORCED: [Option<&str>; 5] = [
    None,
    Some("utf-8"),
    Some("shift_jis"),
    Some("euc-jp"),
    Some("utf-16le"),
];

fuzz_target!(|data: &[u8]| {
    let (forced, body) = match data.split_first() {
        Some((&b, rest)) if b >= 0xf0 => {
            (FORCED.get(usize::from(b - 0xf0)).copied().flatten(), rest)
        }
        _ => (None, data),
    };
    if let Ok(doc) = gyokaku::text::ingest(body, forced) {
        // what ingestion hands on must be well-formed: 1-based, increasing line numbers
        let mut last = 0;
        for l in &doc.lines {
            assert!(l.line > last, "line numbers must increase");
            last = l.line;
        }
        let _ = doc.to_text();
    }
});
