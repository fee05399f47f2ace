use super::*;

const SAMPLE: &str = "改革項目\t1\t窓口サービスの見直し\t\t市民課\n現状\t・待ち時間が長い。\n\n数値目標\t目標名\t単位\n";

fn encode(text: &str, enc: &'static Encoding) -> Vec<u8> {
    if enc == UTF_16LE {
        return text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    }
    if enc == UTF_16BE {
        return text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    }
    let (bytes, _, had_errors) = enc.encode(text);
    assert!(!had_errors, "sample not encodable in {}", enc.name());
    bytes.into_owned()
}

/// Line numbers with their cells.
type Cells<'a> = Vec<(u32, Vec<&'a str>)>;

fn cells(doc: &SourceDoc) -> Cells<'_> {
    doc.lines
        .iter()
        .map(|l| (l.line, l.cells.iter().map(String::as_str).collect()))
        .collect()
}

fn sample_cells() -> Cells<'static> {
    vec![
        (
            1,
            vec!["改革項目", "1", "窓口サービスの見直し", "", "市民課"],
        ),
        (2, vec!["現状", "・待ち時間が長い。"]),
        (3, vec![""]),
        (4, vec!["数値目標", "目標名", "単位"]),
    ]
}

/// The error of a strict read (`--encoding-errors strict`).
fn err(bytes: &[u8], forced: Option<&str>) -> Error {
    match ingest_with(bytes, forced, EncodingErrors::Strict) {
        Ok(doc) => panic!("expected an error, got {:?}", doc.encoding),
        Err(e) => e,
    }
}

#[test]
fn detects_encodings() {
    let bom = |b: &[u8], body: Vec<u8>| [b.to_vec(), body].concat();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("utf-8", encode(SAMPLE, UTF_8), "UTF-8"),
        (
            "utf-8 bom",
            bom(&[0xEF, 0xBB, 0xBF], encode(SAMPLE, UTF_8)),
            "UTF-8",
        ),
        (
            "utf-16le bom",
            bom(&[0xFF, 0xFE], encode(SAMPLE, UTF_16LE)),
            "UTF-16LE",
        ),
        (
            "utf-16be bom",
            bom(&[0xFE, 0xFF], encode(SAMPLE, UTF_16BE)),
            "UTF-16BE",
        ),
        ("shift_jis", encode(SAMPLE, SHIFT_JIS), "Shift_JIS"),
        (
            "shift_jis crlf",
            encode(&SAMPLE.replace('\n', "\r\n"), SHIFT_JIS),
            "Shift_JIS",
        ),
        ("euc-jp", encode(SAMPLE, EUC_JP), "EUC-JP"),
        ("iso-2022-jp", encode(SAMPLE, ISO_2022_JP), "ISO-2022-JP"),
        (
            "utf-8 cr",
            encode(&SAMPLE.replace('\n', "\r"), UTF_8),
            "UTF-8",
        ),
        (
            "utf-16le crlf",
            bom(
                &[0xFF, 0xFE],
                encode(&SAMPLE.replace('\n', "\r\n"), UTF_16LE),
            ),
            "UTF-16LE",
        ),
    ];
    for (name, bytes, want_enc) in cases {
        let doc = ingest(&bytes, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.encoding.as_deref(), Some(want_enc), "{name}");
        assert_eq!(cells(&doc), sample_cells(), "{name}");
        assert_eq!(doc.media_type, "text/plain");
        assert_eq!(doc.pages, None);
        assert!(doc.lines.iter().all(|l| l.page.is_none()), "{name}");
        assert!(doc.diagnostics.is_empty(), "{name}");
    }
}

#[test]
fn committed_fixtures_decode_alike() {
    let expected = ingest(
        include_bytes!("../../fixtures/encodings/sample.utf8.txt"),
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(expected.lines.len(), 8);
    assert_eq!(
        expected.lines.first().map(|l| l.cells.clone()),
        Some(
            vec![
                "改革項目",
                "1",
                "窓口サービスの見直し\u{3000}新規",
                "",
                "市民課"
            ]
            .into_iter()
            .map(String::from)
            .collect()
        )
    );
    let cases: [(&[u8], &str); 5] = [
        (
            include_bytes!("../../fixtures/encodings/sample.utf8-bom-crlf.txt"),
            "UTF-8",
        ),
        (
            include_bytes!("../../fixtures/encodings/sample.utf16le-bom.txt"),
            "UTF-16LE",
        ),
        (
            include_bytes!("../../fixtures/encodings/sample.utf16be-bom-crlf.txt"),
            "UTF-16BE",
        ),
        (
            include_bytes!("../../fixtures/encodings/sample.sjis-crlf.txt"),
            "Shift_JIS",
        ),
        (
            include_bytes!("../../fixtures/encodings/sample.eucjp.txt"),
            "EUC-JP",
        ),
    ];
    for (bytes, want) in cases {
        let doc = ingest(bytes, None).unwrap_or_else(|e| panic!("{want}: {e}"));
        assert_eq!(doc.encoding.as_deref(), Some(want));
        assert_eq!(doc.lines, expected.lines, "{want}");
    }
    let e = err(
        include_bytes!("../../fixtures/encodings/invalid-line3.sjis.txt"),
        None,
    );
    assert_eq!(
        (e.kind, e.location.line),
        (ErrorKind::Encoding, Some(3)),
        "{}",
        e.message
    );
    let e = err(
        include_bytes!("../../fixtures/encodings/invalid-line3.sjis.txt"),
        Some("cp932"),
    );
    assert_eq!(
        (e.kind, e.location.line),
        (ErrorKind::Encoding, Some(3)),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("line 3 (byte offset 139: 0x81)"),
        "{}",
        e.message
    );
}

#[test]
fn cp932_extensions_decode_as_shift_jis() {
    // ① (NEC row 13), Ⅲ, ㎡ and the IBM extension kanji 髙 (0xFBFC) exist only in CP932.
    let text = "①会議\t100㎡\tプランⅢ\t髙橋\n";
    let bytes = encode(text, SHIFT_JIS);
    let doc = ingest(&bytes, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.encoding.as_deref(), Some("Shift_JIS"));
    assert_eq!(
        cells(&doc),
        vec![(1, vec!["①会議", "100㎡", "プランⅢ", "髙橋"])]
    );
    // The wave dash byte pair 0x8160 decodes to U+FF5E (normalisation turns it into U+301C).
    let doc = ingest(b"4\x8c\x8e\x81\x606\x8c\x8e", None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cells(&doc), vec![(1, vec!["4月\u{FF5E}6月"])]);
}

#[test]
fn forced_label_overrides_detection() {
    let sjis = encode(SAMPLE, SHIFT_JIS);
    let euc = encode(SAMPLE, EUC_JP);
    let cases: [(&[u8], &str, &str); 6] = [
        (&sjis, "shift_jis", "Shift_JIS"),
        (&sjis, "cp932", "Shift_JIS"),
        (&sjis, " Windows-31J ", "Shift_JIS"),
        (&euc, "euc-jp", "EUC-JP"),
        (&euc, "eucjp", "EUC-JP"),
        (SAMPLE.as_bytes(), "utf8", "UTF-8"),
    ];
    for (bytes, label, want) in cases {
        let doc = ingest(bytes, Some(label)).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(doc.encoding.as_deref(), Some(want), "{label}");
        assert_eq!(cells(&doc), sample_cells(), "{label}");
    }
    // Forcing a single-byte encoding on UTF-8 bytes is obeyed, mojibake and all.
    let doc = ingest("é\n".as_bytes(), Some("latin1")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc.encoding.as_deref(), Some("windows-1252"));
    assert_eq!(cells(&doc), vec![(1, vec!["Ã©"])]);
    // A BOM of the forced encoding is skipped; UTF-16 without BOM works when forced.
    let le = encode(SAMPLE, UTF_16LE);
    for (bytes, label) in [
        ([&[0xFF, 0xFE][..], &le].concat(), "utf-16le"),
        (le.clone(), "utf16le"),
    ] {
        let doc = ingest(&bytes, Some(label)).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert_eq!(cells(&doc), sample_cells(), "{label}");
    }
}

#[test]
fn unknown_label_is_an_encoding_error() {
    for label in ["klingon", "", "utf-9"] {
        let e = err(b"abc", Some(label));
        assert_eq!(e.kind, ErrorKind::Encoding, "{label}");
        assert!(
            e.message.starts_with("unknown encoding label"),
            "{label}: {}",
            e.message
        );
    }
    let e = err(b"abc", Some("iso-2022-kr"));
    assert_eq!(e.kind, ErrorKind::Encoding);
    assert!(e.message.contains("cannot be decoded"), "{}", e.message);
}

#[test]
fn invalid_bytes_under_forced_encoding_name_the_line() {
    // Line 3 holds a Shift_JIS lead byte followed by a byte that cannot trail it.
    let mut bytes = encode("一行目\n二行目\n", SHIFT_JIS);
    let offset = bytes.len() + 1;
    bytes.extend_from_slice(b"x\x81\x20y\n");
    let e = err(&bytes, Some("shift_jis"));
    assert_eq!(e.kind, ErrorKind::Encoding);
    assert_eq!(e.location.line, Some(3));
    assert!(
        e.message.contains("invalid Shift_JIS at line 3"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains(&format!("byte offset {offset}")),
        "{}",
        e.message
    );
    // UTF-8 forced on Shift_JIS bytes: line 1.
    let e = err(&encode("改革\n", SHIFT_JIS), Some("utf-8"));
    assert_eq!((e.kind, e.location.line), (ErrorKind::Encoding, Some(1)));
    assert!(
        e.message
            .contains("invalid UTF-8 at line 1 (byte offset 0: 0x89"),
        "{}",
        e.message
    );
    // UTF-16 with an unpaired surrogate on line 2.
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(encode("a\r\nb", UTF_16LE));
    bytes.extend([0x00, 0xD8, 0x41, 0x00]);
    let e = err(&bytes, None);
    assert_eq!((e.kind, e.location.line), (ErrorKind::Encoding, Some(2)));
    assert!(
        e.message.contains("invalid UTF-16LE at line 2"),
        "{}",
        e.message
    );
}

#[test]
fn damaged_utf8_is_reported_not_guessed() {
    let mut bytes = encode(
        "改革項目\t1\tサービスの見直し\n現状\t待ち時間が長い\n",
        UTF_8,
    );
    bytes.extend_from_slice(b"\xE6\x94\n");
    bytes.extend(encode("実施内容\t窓口の統合を図る\n", UTF_8));
    let e = err(&bytes, None);
    assert_eq!((e.kind, e.location.line), (ErrorKind::Encoding, Some(3)));
    assert!(
        e.message.contains("invalid UTF-8 at line 3"),
        "{}",
        e.message
    );
}

/// By default invalid bytes become U+FFFD, each line with one gets a diagnostic naming it,
/// The one encoding_rs loop in both modes: Replace puts U+FFFD in place of each invalid
/// sequence and notes line, offset and bytes; Strict stops at the first with the same place.
#[test]
fn decoding_loop_replaces_or_stops() {
    let mut two = encode("一行目\n二行目\n", SHIFT_JIS);
    let at = two.iter().position(|&b| b == b'\n').unwrap() + 1;
    two[at] = 0xFF; // the first byte of line 2
    let mut lead = encode("改革\n", EUC_JP);
    lead.push(0x8E); // EUC-JP lead byte with nothing after it
                     // (name, bytes, encoding, base, text in Replace mode, (line, offset, bytes) of each)
    type Case = (
        &'static str,
        Vec<u8>,
        &'static Encoding,
        usize,
        String,
        Vec<(u32, usize, Vec<u8>)>,
    );
    let cases: Vec<Case> = vec![
        (
            "clean",
            encode("改革\n項目", SHIFT_JIS),
            SHIFT_JIS,
            0,
            "改革\n項目".into(),
            vec![],
        ),
        (
            "0xFF in shift_jis on line 2 after a 3-byte mark",
            two.clone(),
            SHIFT_JIS,
            3,
            "一行目\n\u{FFFD}\u{FFFD}行目\n".into(),
            vec![(2, 3 + at, vec![0xFF])],
        ),
        (
            "cut euc-jp sequence at the end",
            lead.clone(),
            EUC_JP,
            0,
            "改革\n\u{FFFD}".into(),
            vec![(2, lead.len() - 1, vec![0x8E])],
        ),
    ];
    for (name, bytes, enc, base, text, want) in cases {
        let (got, replaced) = decode_encoding(&bytes, enc, base, EncodingErrors::Replace).unwrap();
        let places: Vec<(u32, usize, Vec<u8>)> = replaced
            .iter()
            .map(|r| (r.line, r.offset, r.bytes.clone()))
            .collect();
        // Shift_JIS reads 0xFF 0xE4-ish pairs as one bad byte and then the rest: compare the
        // first replacement only, and the text up to what the case states.
        assert_eq!(places.first(), want.first(), "{name}: first replacement");
        if want.is_empty() {
            assert_eq!(got, text, "{name}: text");
            assert!(replaced.is_empty(), "{name}");
        } else {
            assert!(
                got.starts_with(text.split('\u{FFFD}').next().unwrap()),
                "{name}: {got}"
            );
            assert!(got.contains('\u{FFFD}'), "{name}: {got}");
        }
        match decode_encoding(&bytes, enc, base, EncodingErrors::Strict) {
            Ok((strict, none)) => {
                assert!(want.is_empty(), "{name}: strict accepted invalid bytes");
                assert_eq!(strict, text, "{name}: strict text");
                assert!(none.is_empty());
            }
            Err(m) => {
                let (line, offset, bad) = want.first().cloned().unwrap();
                assert_eq!(
                    (m.line, m.offset, m.bad),
                    (line, offset, bad),
                    "{name}: strict stop"
                );
            }
        }
    }
}

/// A line's diagnostic names every replaced sequence by offset and bytes, up to a cap.
#[test]
fn each_replaced_sequence_is_named() {
    let seq = |offset: usize, bytes: &[u8]| Replaced {
        line: 4,
        offset,
        bytes: bytes.to_vec(),
    };
    let cases: Vec<(Vec<Replaced>, &str)> = vec![
        (vec![seq(7, &[0xFF])], "byte offset 7: 0xFF"),
        (
            vec![seq(7, &[0xFF]), seq(12, &[0x81, 0x20])],
            "byte offset 7: 0xFF; byte offset 12: 0x81 0x20",
        ),
    ];
    for (on_line, want) in cases {
        assert_eq!(each_replaced(&on_line), want);
    }
    let many: Vec<Replaced> = (0..20).map(|i| seq(i * 2, &[0xFF])).collect();
    let named = each_replaced(&many);
    assert!(
        named.starts_with("byte offset 0: 0xFF; byte offset 2: 0xFF"),
        "{named}"
    );
    assert!(named.ends_with("byte offset 30: 0xFF; 4 more"), "{named}");
    let diags = replacement_diagnostics(&many, SHIFT_JIS);
    assert_eq!(diags.len(), 1);
    assert!(
        diags[0].message.starts_with(
            "20 byte sequences not valid Shift_JIS replaced with U+FFFD: byte offset 0: 0xFF;"
        ),
        "{}",
        diags[0].message
    );
}

/// and the rest of the text is read as if nothing happened.
#[test]
fn invalid_bytes_are_replaced_and_reported_per_line() {
    let sjis = |t: &str| encode(t, SHIFT_JIS);
    let utf8 = |t: &str| encode(t, UTF_8);
    let body = "改革項目\t1\tサービスの見直し\n現状\t待ち時間が長い\n実施内容\t窓口の統合\n";
    let cat = |parts: &[&[u8]]| parts.concat();
    // (name, bytes, forced, encoding, lines with a diagnostic, line 2's first cell)
    type Case<'a> = (
        &'a str,
        Vec<u8>,
        Option<&'a str>,
        &'a str,
        Vec<u32>,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (
            "utf-8 cut lead byte on line 3",
            cat(&[
                &utf8("改革項目\t1\n現状\t長い\n"),
                b"\xE6\x94\n",
                &utf8("実施内容\t統合\n"),
            ]),
            None,
            "UTF-8",
            vec![3],
            "現状",
        ),
        (
            "shift_jis flip on line 2",
            {
                let mut b = sjis(body);
                let at = b.iter().position(|&x| x == b'\n').unwrap_or(0) + 1;
                b[at] = 0xFF;
                b
            },
            None,
            "Shift_JIS",
            vec![2],
            "\u{FFFD}",
        ),
        (
            "shift_jis cut mid-character at the end",
            {
                let mut b = sjis(body);
                b.extend_from_slice(&sjis("目標")[..3]);
                b
            },
            None,
            "Shift_JIS",
            vec![4],
            "現状",
        ),
        (
            "euc-jp with a stray byte on lines 1 and 3",
            {
                let mut b = encode(body, EUC_JP);
                b.insert(2, 0xFF);
                let third = b
                    .iter()
                    .enumerate()
                    .filter(|(_, &x)| x == b'\n')
                    .nth(1)
                    .map_or(0, |(i, _)| i + 1);
                b.insert(third + 2, 0x8E);
                b
            },
            None,
            "EUC-JP",
            vec![1, 3],
            "現状",
        ),
        (
            "forced cp932 with a bad pair",
            cat(&[&sjis("一行目\n現状\n"), b"x\x81\x20y\n"]),
            Some("cp932"),
            "Shift_JIS",
            vec![3],
            "現状",
        ),
    ];
    for (name, bytes, forced, want_enc, want_lines, line2) in cases {
        let doc = ingest(&bytes, forced).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc.encoding.as_deref(), Some(want_enc), "{name}");
        let diag_lines: Vec<u32> = doc
            .diagnostics
            .iter()
            .filter(|d| d.code == INVALID_BYTES)
            .filter_map(|d| d.line)
            .collect();
        assert_eq!(diag_lines, want_lines, "{name}: {:?}", doc.diagnostics);
        for d in &doc.diagnostics {
            assert!(
                d.message.contains("replaced with U+FFFD"),
                "{name}: {}",
                d.message
            );
            assert!(d.message.contains(want_enc), "{name}: {}", d.message);
        }
        assert!(
            doc.lines[1].cells[0].starts_with(line2),
            "{name}: {:?}",
            doc.lines[1]
        );
        let fffd = doc.to_text().matches('\u{FFFD}').count();
        assert!(fffd >= want_lines.len(), "{name}: {fffd}");
        // strict refuses the same bytes, at the first damaged line
        let e = err(&bytes, forced);
        assert_eq!(e.kind, ErrorKind::Encoding, "{name}");
        assert_eq!(e.location.line, want_lines.first().copied(), "{name}: {e}");
    }
}

/// Text mostly made of invalid bytes is not guessed at: still an error, naming the count.
#[test]
fn too_many_invalid_bytes_are_an_error() {
    let mut bytes = Vec::new();
    for i in 0..40u8 {
        bytes.extend_from_slice(b"ab\xFF");
        bytes.push(b'0' + i % 10);
        bytes.push(b'\n');
    }
    let e = ingest(&bytes, None)
        .err()
        .unwrap_or_else(|| panic!("must refuse"));
    assert_eq!((e.kind, e.location.line), (ErrorKind::Encoding, Some(1)));
    assert!(
        e.message.contains("40 invalid byte sequences"),
        "{}",
        e.message
    );
    assert!(e.message.contains("use --encoding"), "{}", e.message);
}

/// Past [`MAX_LINE_DIAGNOSTICS`] lines, one diagnostic counts the rest.
#[test]
fn line_diagnostics_are_capped() {
    let mut text = String::new();
    for i in 0..3000 {
        text.push_str(&format!(
            "第{i}項 改革項目の見直しと推進、行財政の効率化を進める\n"
        ));
    }
    let mut bytes = encode(&text, UTF_8);
    // 120 lines lose the last byte of their last character
    let mut cut = 0;
    let mut i = 0;
    while i < bytes.len() && cut < 120 {
        if bytes[i] == b'\n' && bytes[i - 1] > 0x7F {
            bytes.remove(i - 1);
            cut += 1;
        }
        i += 1;
    }
    let mut seen = 0;
    let mut lines_with = 0;
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if std::str::from_utf8(line).is_err() {
            lines_with += 1;
            seen = n;
        }
    }
    assert!(
        lines_with > MAX_LINE_DIAGNOSTICS && seen > 0,
        "{lines_with}"
    );
    let doc = ingest(&bytes, None).unwrap_or_else(|e| panic!("{e}"));
    let d: Vec<&Diagnostic> = doc
        .diagnostics
        .iter()
        .filter(|d| d.code == INVALID_BYTES)
        .collect();
    assert_eq!(d.len(), MAX_LINE_DIAGNOSTICS + 1);
    let last = d.last().map(|d| d.message.as_str()).unwrap_or_default();
    assert!(
        last.contains(&format!(
            "on {} more line(s)",
            lines_with - MAX_LINE_DIAGNOSTICS
        )),
        "{last}"
    );
}

#[test]
fn undecodable_text_names_what_was_tried() {
    // 0xFF is invalid in UTF-8, Shift_JIS and EUC-JP alike.
    let bytes = b"line one\nline two \xFF\xFE\xFD\xFF\n";
    let e = err(bytes, None);
    assert_eq!(e.kind, ErrorKind::Encoding);
    assert_eq!(e.location.line, Some(2));
    for name in [
        "UTF-8 (line 2)",
        "Shift_JIS (line 2)",
        "EUC-JP (line 2)",
        "--encoding",
    ] {
        assert!(e.message.contains(name), "{name}: {}", e.message);
    }
}

#[test]
fn binary_and_empty_inputs_are_not_reports() {
    // Deterministic pseudo-random bytes (xorshift).
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let utf16_no_bom = encode("plain ASCII text in UTF-16\n", UTF_16LE);
    let cases: [(&[u8], Option<&str>, &str); 9] = [
        (&random, None, "binary data, not text"),
        (&random, Some("shift_jis"), "binary data, not text"),
        (b"\x00\x00\x00\x00text", None, "binary data, not text"),
        (&utf16_no_bom, None, "try --encoding utf-16le"),
        (b"", None, "empty input"),
        (b" \n\t\r\n  ", None, "empty input"),
        ("\u{3000}\n\u{FEFF}".as_bytes(), None, "empty input"),
        (&[0xEF, 0xBB, 0xBF], None, "empty input"),
        (&[0xFF, 0xFE, 0x20, 0x00], None, "empty input"),
    ];
    for (bytes, forced, want) in cases {
        let e = err(bytes, forced);
        assert_eq!(e.kind, ErrorKind::NotAReport, "{want}: {}", e.message);
        assert!(e.message.contains(want), "{want}: {}", e.message);
    }
}

#[test]
fn line_endings_and_cells() {
    let cases: [(&str, Cells); 6] = [
        ("a\tb\n", vec![(1, vec!["a", "b"])]),
        ("a\r\nb\r\n", vec![(1, vec!["a"]), (2, vec!["b"])]),
        ("a\rb\r", vec![(1, vec!["a"]), (2, vec!["b"])]),
        (
            "a\n\n\tc\t\n",
            vec![(1, vec!["a"]), (2, vec![""]), (3, vec!["", "c", ""])],
        ),
        (
            "a\r\n\r\nb",
            vec![(1, vec!["a"]), (2, vec![""]), (3, vec!["b"])],
        ),
        (
            "a\r\rb\n\n",
            vec![(1, vec!["a"]), (2, vec![""]), (3, vec!["b"]), (4, vec![""])],
        ),
    ];
    for (input, want) in cases {
        let doc = ingest(input.as_bytes(), None).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert_eq!(cells(&doc), want, "{input:?}");
    }
}

#[test]
fn stray_control_characters_are_removed_with_a_diagnostic() {
    let mut text = String::from("見出し\n");
    text.push_str(&"本文の行です。\n".repeat(40));
    text.push_str("改革\u{1}項目\t\u{0}1\n");
    let doc = ingest(text.as_bytes(), None).unwrap_or_else(|e| panic!("{e}"));
    let last = doc.lines.last().map(|l| (l.line, l.cells.clone()));
    assert_eq!(
        last,
        Some((42, vec!["改革項目".to_string(), "1".to_string()]))
    );
    assert_eq!(doc.diagnostics.len(), 1);
    let d = &doc.diagnostics[0];
    assert_eq!(
        (d.code.as_str(), d.severity, d.line),
        ("control-characters", Severity::Warning, Some(42))
    );
    assert!(d.message.contains("removed 2 control"), "{}", d.message);
}

#[test]
fn label_aliases() {
    let cases = [
        ("shift_jis", "Shift_JIS"),
        ("SJIS", "Shift_JIS"),
        ("cp932", "Shift_JIS"),
        ("windows-31j", "Shift_JIS"),
        ("euc-jp", "EUC-JP"),
        ("utf-8", "UTF-8"),
        ("UTF8", "UTF-8"),
        ("utf-16", "UTF-16LE"),
        ("utf-16le", "UTF-16LE"),
        ("utf-16be", "UTF-16BE"),
        ("iso-2022-jp", "ISO-2022-JP"),
    ];
    for (label, want) in cases {
        assert_eq!(
            encoding_for_label(label).map(|e| e.name()),
            Ok(want),
            "{label}"
        );
    }
}

#[test]
fn line_of_counts_all_line_endings() {
    let cases: [(&[u8], u32); 6] = [
        (b"", 1),
        (b"abc", 1),
        (b"a\n", 2),
        (b"a\r\n", 2),
        (b"a\r\rb", 3),
        (b"a\n\r\nb\r", 4),
    ];
    for (prefix, want) in cases {
        assert_eq!(line_of(prefix), want, "{prefix:?}");
    }
}

#[test]
fn control_chars_counted_on_bytes() {
    let cases = [
        ("abc", 0),
        ("a\u{0}b\u{1F}\u{7F}", 3),
        ("\u{80}\u{9F}\u{A0}", 2),
        ("\t\n\r\u{C}\u{1B}", 1),
        ("改革", 0),
    ];
    for (text, want) in cases {
        assert_eq!(count_control_chars(text), want, "{text:?}");
        assert_eq!(
            text.chars().filter(|&c| is_control_char(c)).count(),
            want,
            "{text:?}"
        );
    }
}

#[test]
fn japanese_score_prefers_real_kana() {
    let euc = encode("行財政改革の進捗状況について", EUC_JP);
    let as_sjis = SHIFT_JIS.decode_without_bom_handling(&euc).0;
    let as_euc = EUC_JP.decode_without_bom_handling(&euc).0;
    assert!(
        japanese_score(&as_euc) > japanese_score(&as_sjis),
        "{as_sjis}"
    );
    assert_eq!(japanese_score("abc"), 0);
}

/// CPU seconds used by this thread so far (Linux), to measure throughput on a busy machine.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 of the file (utime, stime) are 12 and 13 after the command name.
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Run `f` over `bytes` of input repeatedly for about two seconds; MB/s by wall clock and by CPU time.
fn measure(label: &str, bytes: usize, mut f: impl FnMut() -> usize) {
    let (start, cpu0) = (std::time::Instant::now(), cpu_seconds());
    let (mut rounds, mut sink) = (0u32, 0usize);
    while start.elapsed().as_secs_f64() < 2.0 {
        sink = sink.wrapping_add(f());
        rounds += 1;
    }
    let wall = start.elapsed().as_secs_f64();
    let mb = bytes as f64 * f64::from(rounds) / 1e6;
    let cpu = match (cpu0, cpu_seconds()) {
        (Some(a), Some(b)) if b > a => format!("{:.0} MB/s per CPU-second", mb / (b - a)),
        _ => "CPU time unavailable".to_string(),
    };
    println!(
        "{label}: {bytes} bytes x {rounds} rounds: {:.0} MB/s wall, {cpu} (check {sink})",
        mb / wall
    );
}

/// Throughput of ingestion and normalisation on the sample corpus:
/// `cargo test --release --lib throughput_on_corpus -- --ignored --nocapture`.
#[test]
#[ignore]
fn throughput_on_corpus() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipped: {} is absent", dir.display());
        return;
    };
    let mut files: Vec<Vec<u8>> = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "txt") {
            files.push(std::fs::read(&path).unwrap_or_default());
        }
    }
    assert!(!files.is_empty(), "no corpus text in {}", dir.display());
    let texts: Vec<String> = files
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    // Characters Shift_JIS cannot hold (e.g. U+2014) become numeric references: fine for timing.
    let as_sjis: Vec<Vec<u8>> = texts
        .iter()
        .map(|t| SHIFT_JIS.encode(t).0.into_owned())
        .collect();
    let as_utf16: Vec<Vec<u8>> = texts
        .iter()
        .map(|t| [&[0xFF, 0xFE][..], &encode(t, UTF_16LE)].concat())
        .collect();
    for (label, set) in [
        ("ingest UTF-8", &files),
        ("ingest Shift_JIS (detected)", &as_sjis),
        ("ingest UTF-16LE", &as_utf16),
    ] {
        let bytes = set.iter().map(Vec::len).sum();
        measure(label, bytes, || {
            set.iter()
                .map(|f| ingest(std::hint::black_box(f), None).map_or(0, |d| d.lines.len()))
                .sum()
        });
    }
    // Cells as the segmenter hands them to normalisation: split on tabs and around HTML tags.
    let mut cells: Vec<String> = Vec::new();
    for cell in texts
        .iter()
        .flat_map(|t| t.lines())
        .flat_map(|l| l.split('\t'))
    {
        for piece in cell.split('<') {
            cells.push(
                piece
                    .split_once('>')
                    .map_or(piece, |(_, after)| after)
                    .to_string(),
            );
        }
    }
    let bytes = cells.iter().map(String::len).sum();
    let changed = cells
        .iter()
        .filter(|c| matches!(crate::normalize::normalize_cow(c), Cow::Owned(_)))
        .count();
    println!(
        "normalize input: {} cells, {changed} of them changed by normalisation",
        cells.len()
    );
    measure("normalize_cow", bytes, || {
        cells
            .iter()
            .map(|c| crate::normalize::normalize_cow(std::hint::black_box(c)).len())
            .sum()
    });
    measure("normalize", bytes, || {
        cells
            .iter()
            .map(|c| crate::normalize::normalize(std::hint::black_box(c)).len())
            .sum()
    });
}
