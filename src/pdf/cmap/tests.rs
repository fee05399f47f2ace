use super::predefined::*;
use super::*;

fn unicode(cmap: &CMap, code: u32) -> Option<String> {
    cmap.lookup_unicode(code)
}

/// (CMap, shown bytes, code, length, CID, Unicode)
type PredefinedCase = (
    &'static str,
    &'static [u8],
    u32,
    usize,
    Option<u32>,
    Option<&'static str>,
);

#[rustfmt::skip]
const PREDEFINED_CASES: &[PredefinedCase] = &[
    ("90ms-RKSJ-H", &[0x82, 0xA0], 0x82A0, 2, Some(843), Some("あ")),
    ("90ms-RKSJ-H", &[0x88, 0x9F], 0x889F, 2, Some(1125), Some("亜")),
    ("90ms-RKSJ-H", &[0x81, 0x41], 0x8141, 2, Some(634), Some("、")),
    ("90ms-RKSJ-H", &[0x41], 0x41, 1, Some(264), Some("A")),
    ("90ms-RKSJ-H", &[0x5C], 0x5C, 1, Some(291), Some("¥")),
    ("90ms-RKSJ-H", &[0xB1], 0xB1, 1, Some(343), Some("ｱ")),
    ("90ms-RKSJ-H", &[0x8D, 0x73], 0x8D73, 2, Some(2022), Some("行")),
    ("90ms-RKSJ-V", &[0x81, 0x41], 0x8141, 2, Some(7887), Some("、")),
    ("90ms-RKSJ-V", &[0x82, 0xA0], 0x82A0, 2, Some(843), Some("あ")),
    ("90msp-RKSJ-H", &[0x82, 0xA0], 0x82A0, 2, Some(843), Some("あ")),
    ("90msp-RKSJ-V", &[0x81, 0x41], 0x8141, 2, Some(7887), Some("、")),
    ("EUC-H", &[0xA4, 0xA2], 0xA4A2, 2, Some(843), Some("あ")),
    ("EUC-H", &[0xB0, 0xA1], 0xB0A1, 2, Some(1125), Some("亜")),
    ("EUC-H", &[0x8E, 0xB1], 0x8EB1, 2, Some(343), Some("ｱ")),
    ("EUC-V", &[0xA1, 0xA2], 0xA1A2, 2, Some(7887), Some("、")),
    ("H", &[0x24, 0x22], 0x2422, 2, Some(843), Some("あ")),
    ("H", &[0x30, 0x21], 0x3021, 2, Some(1125), Some("亜")),
    ("V", &[0x21, 0x22], 0x2122, 2, Some(7887), Some("、")),
    ("UniJIS-UCS2-H", &[0x30, 0x42], 0x3042, 2, Some(843), Some("あ")),
    ("UniJIS-UCS2-H", &[0x4E, 0x9C], 0x4E9C, 2, Some(1125), Some("亜")),
    ("UniJIS-UCS2-V", &[0x30, 0x01], 0x3001, 2, Some(7887), Some("、")),
    ("UniJIS-UTF16-H", &[0xD8, 0x42, 0xDF, 0x9F], 0xD842DF9F, 4, Some(13803), Some("𠮟")),
    ("UniJIS-UTF16-H", &[0x30, 0x42], 0x3042, 2, Some(843), Some("あ")),
    ("UniJIS-UTF16-V", &[0x30, 0x01], 0x3001, 2, Some(7887), Some("、")),
    ("Identity-H", &[0x03, 0x4B], 0x034B, 2, Some(843), None),
    ("Identity-V", &[0x1E, 0xCF], 0x1ECF, 2, Some(7887), None),
];

#[test]
fn predefined_cmaps() {
    for &(name, bytes, code, len, cid, text) in PREDEFINED_CASES {
        let cmap = predefined(name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(cmap.next_code(bytes), (code, len), "{name} {bytes:02X?}");
        assert_eq!(cmap.lookup_cid(code, len), cid, "{name} {code:X}");
        assert_eq!(unicode(cmap, code).as_deref(), text, "{name} {code:X}");
        assert_eq!(cmap.is_vertical(), name.ends_with('V'), "{name}");
        assert_eq!(cmap.name(), name);
    }
    assert!(predefined("Nonexistent-H").is_none());
    assert!(predefined("Identity-H").is_some_and(CMap::is_identity));
    // Cached: the same object each time.
    assert!(std::ptr::eq(
        predefined("H").unwrap(),
        predefined("H").unwrap()
    ));
    // Every listed name builds.
    for name in predefined_names() {
        assert!(predefined(name).is_some(), "{name}");
    }
}

#[test]
fn cid_to_unicode_adobe_japan1() {
    let cases: &[(u32, Option<&str>)] = &[
        (0, None),
        (1, Some(" ")),
        (34, Some("A")),
        (843, Some("あ")),
        (1125, Some("亜")),
        (2022, Some("行")),
        (13803, Some("𠮟")),
        (7887, Some("、")),
        (7888, Some("。")),
        (1133, Some("逢")), // Adobe's map adds an ideographic variation selector
        (23059, Some("㋿")),
        (23060, None),
        (u32::MAX, None),
    ];
    for &(cid, want) in cases {
        assert_eq!(
            cid_to_unicode("Adobe", "Japan1", cid).as_deref(),
            want,
            "CID {cid}"
        );
    }
    assert_eq!(cid_to_unicode("Adobe", "Identity", 843), None);
    assert_eq!(cid_to_unicode("Foo", "Japan1", 843), None);
    assert!(has_cid_to_unicode("Adobe", "GB1"));
    assert_eq!(cid_to_unicode("Adobe", "GB1", 4559).as_deref(), Some("中"));
    assert_eq!(
        cid_to_unicode("Adobe", "Korea1", 1086).as_deref(),
        Some("가")
    );
}

const TO_UNICODE: &str = "/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
% a comment <0001> <0041>
4 beginbfchar
<0003> <0020>
<0010> <30A2>
<0011> <D842DF9F>
<0012> <00660069>
endbfchar
3 beginbfrange
<0020> <0022> <0041>
<0030> <0032> [<3042> <D867DE3D> <00660066>]
<0040> <0041> <00660069>
endbfrange
1 beginbfchar
<0050> /uni5E74
endbfchar
1 beginbfchar
<0051> <0000>
endbfchar
endcmap
CMapName currentdict /CMap defineresource pop
end
end";

#[test]
fn to_unicode_parsing() {
    let cmap = CMap::parse(TO_UNICODE.as_bytes()).expect("parses");
    assert_eq!(cmap.name(), "Adobe-Identity-UCS");
    assert_eq!(
        cmap.collection()
            .map(|c| (c.registry.as_str(), c.ordering.as_str())),
        Some(("Adobe", "UCS"))
    );
    assert!(!cmap.is_vertical());
    let cases: &[(u32, Option<&str>)] = &[
        (0x0001, None),
        (0x0003, Some(" ")),
        (0x0010, Some("ア")),
        (0x0011, Some("𠮟")),
        (0x0012, Some("fi")),
        (0x0020, Some("A")),
        (0x0021, Some("B")),
        (0x0022, Some("C")),
        (0x0023, None),
        (0x0030, Some("あ")),
        (0x0031, Some("𩸽")),
        (0x0032, Some("ff")),
        (0x0040, Some("fi")),
        (0x0041, Some("fj")),
        (0x0050, Some("年")),
        (0x0051, None),
    ];
    for &(code, want) in cases {
        assert_eq!(unicode(&cmap, code).as_deref(), want, "code {code:04X}");
    }
    assert_eq!(cmap.next_code(&[0x00, 0x10, 0x00]), (0x0010, 2));
    let codes: Vec<_> = cmap.codes(&[0x00, 0x10, 0x00, 0x11, 0x05]).collect();
    assert_eq!(codes, vec![(0x0010, 2), (0x0011, 2), (0x05, 1)]);
}

#[test]
fn one_byte_to_unicode_without_codespace() {
    // Producers sometimes omit the codespace and use single-byte codes and values.
    let data =
        b"2 beginbfchar <41> <0391> <42> <42> endbfchar 1 beginbfrange <61> <63> <03B1> endbfrange";
    let cmap = CMap::parse(data).expect("parses");
    assert_eq!(cmap.next_code(b"AB"), (0x41, 1));
    assert_eq!(unicode(&cmap, 0x41).as_deref(), Some("Α"));
    assert_eq!(unicode(&cmap, 0x42).as_deref(), Some("B"));
    assert_eq!(unicode(&cmap, 0x62).as_deref(), Some("β"));
}

#[test]
fn overlapping_definitions_later_wins() {
    let data = b"1 begincodespacerange <0000> <FFFF> endcodespacerange
        1 beginbfrange <0000> <00FF> <0100> endbfrange
        2 beginbfchar <0010> <0041> <0010> <0042> endbfchar
        1 beginbfrange <0020> <0030> <3042> endbfrange";
    let cmap = CMap::parse(data).expect("parses");
    let cases: &[(u32, &str)] = &[
        (0x00, "\u{100}"),
        (0x0F, "\u{10F}"),
        (0x10, "B"),
        (0x11, "\u{111}"),
        (0x1F, "\u{11F}"),
        (0x20, "あ"),
        (0x21, "ぃ"),
        (0x30, "げ"),
        (0x31, "\u{131}"),
        (0xFF, "\u{1FF}"),
    ];
    for &(code, want) in cases {
        assert_eq!(
            unicode(&cmap, code).as_deref(),
            Some(want),
            "code {code:04X}"
        );
    }
    assert_eq!(unicode(&cmap, 0x100), None);
}

#[test]
fn overlapping_string_ranges_split() {
    let data = b"1 begincodespacerange <00> <FF> endcodespacerange
        1 beginbfrange <10> <14> <00660061> endbfrange
        1 beginbfchar <11> <0058> endbfchar";
    let cmap = CMap::parse(data).expect("parses");
    let got: Vec<_> = (0x10..=0x14)
        .map(|c| unicode(&cmap, c).unwrap_or_default())
        .collect();
    assert_eq!(got, ["fa", "X", "fc", "fd", "fe"]);
}

const ENCODING_CMAP: &str = "%!PS-Adobe-3.0 Resource-CMap
/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo 3 dict dup begin
  /Registry (Adobe) def
  /Ordering (Japan1) def
  /Supplement 2 def
end def
/CMapName /Test-Mixed-V def
/WMode 1 def
3 begincodespacerange
<00> <7F>
<8140> <9FFC>
<E04040> <E0FFFF>
endcodespacerange
2 begincidrange
<20> <7E> 1
<8140> <817E> 633
endcidrange
2 begincidchar
<82A0> 843
<E04142> 9000
endcidchar
1 beginnotdefrange
<00> <1F> 0
endnotdefrange
endcmap";

#[test]
fn embedded_encoding_cmap() {
    let cmap = CMap::parse(ENCODING_CMAP.as_bytes()).expect("parses");
    assert_eq!(cmap.name(), "Test-Mixed-V");
    assert!(cmap.is_vertical());
    assert!(!cmap.is_predefined());
    let coll = cmap.collection().expect("collection");
    assert_eq!(
        (
            coll.registry.as_str(),
            coll.ordering.as_str(),
            coll.supplement
        ),
        ("Adobe", "Japan1", 2)
    );
    // (bytes, code, len, cid)
    let cases: &[(&[u8], u32, usize, Option<u32>)] = &[
        (b"A", 0x41, 1, Some(34)),
        (&[0x81, 0x41, 0x41], 0x8141, 2, Some(634)),
        (&[0x82, 0xA0], 0x82A0, 2, Some(843)),
        (&[0xE0, 0x41, 0x42], 0xE04142, 3, Some(9000)),
        (&[0x05], 0x05, 1, Some(0)),
        (&[0x90, 0x41], 0x9041, 2, None),
        // Second byte out of range: the partially matching 2-byte range decides.
        (&[0x81, 0x20, 0x41], 0x8120, 2, None),
        // Truncated code at the end of a string.
        (&[0x81], 0x81, 1, None),
        // No range starts with 0xF0: the shortest length.
        (&[0xF0, 0x41], 0xF0, 1, None),
    ];
    for &(bytes, code, len, cid) in cases {
        assert_eq!(cmap.next_code(bytes), (code, len), "{bytes:02X?}");
        assert_eq!(cmap.lookup_cid(code, len), cid, "{code:X}");
    }
    assert_eq!(cmap.next_code(&[]), (0, 0));
    // Through the collection: the CID maps to Unicode only with cid_to_unicode.
    assert_eq!(unicode(&cmap, 0x82A0), None);
    let cid = cmap.lookup_cid(0x82A0, 2).unwrap_or(0);
    assert_eq!(
        cid_to_unicode(&coll.registry, &coll.ordering, cid).as_deref(),
        Some("あ")
    );
}

#[test]
fn usecmap_predefined_and_owned_parent() {
    let data = b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 6 >> def
        /CMapName /Custom-RKSJ def /90ms-RKSJ-H usecmap
        1 begincidchar <82A0> 9999 endcidchar";
    let cmap = CMap::parse(data).expect("parses");
    assert!(cmap.unresolved_parent().is_none());
    assert_eq!(cmap.next_code(&[0x88, 0x9F]), (0x889F, 2));
    assert_eq!(cmap.next_code(&[0xB1, 0x88]), (0xB1, 1));
    assert_eq!(cmap.lookup_cid(0x82A0, 2), Some(9999));
    assert_eq!(cmap.lookup_cid(0x889F, 2), Some(1125));
    assert!(!cmap.is_vertical());

    let child = b"/CMapName /Child def /Parent-Stream usecmap 1 begincidchar <41> 5 endcidchar";
    let mut child = CMap::parse(child).expect("parses");
    assert_eq!(child.unresolved_parent(), Some("Parent-Stream"));
    let parent = CMap::parse(b"/WMode 1 def 1 begincodespacerange <00> <FF> endcodespacerange 1 begincidrange <00> <FF> 100 endcidrange")
        .expect("parses");
    child.set_parent(parent);
    assert!(child.unresolved_parent().is_none());
    assert!(child.is_vertical());
    assert_eq!(child.lookup_cid(0x41, 1), Some(5));
    assert_eq!(child.lookup_cid(0x42, 1), Some(166));
}

#[test]
fn malformed_streams_do_not_panic() {
    let inputs: &[&[u8]] = &[
        b"",
        b"garbage without structure",
        b"1 beginbfchar <0001>",
        b"1 beginbfchar <0001> <0041> 1 beginbfrange <0002> <0003> <0042> endbfrange",
        b"1 beginbfrange <0002> <0003> [<0042> <0043> <0044> endbfrange 1 beginbfchar <0009> <0058> endbfchar",
        b"1 beginbfrange <0005> <0001> <0041> endbfrange",
        b"1 beginbfrange <0000> <FFFFFFFF> <0041> endbfrange",
        b"1 beginbfchar <0102030405> <0041> <01> <D800> <02> <DC00DC00> endbfchar",
        b"1 begincidrange <00> <FF> -5 <00> <FF> 99999999999999999999 endcidrange",
        b"1 begincodespacerange <00> <FFFF> <> <> <0000000000> <FF> endcodespacerange",
        b"(unterminated \\",
        b"<unterminated",
        b"% only a comment",
        b"/WMode",
    ];
    for input in inputs {
        if let Some(cmap) = CMap::parse(input) {
            for bytes in [&b""[..], b"\x00", b"\xFF\xFF\xFF\xFF\xFF", b"\x01\x02\x03"] {
                let total: usize = cmap.codes(bytes).map(|(_, n)| n).sum();
                assert_eq!(total, bytes.len());
            }
            for code in [0, 1, 2, 0x41, 0xFFFF, u32::MAX] {
                let _ = cmap.lookup_unicode(code);
                let _ = cmap.lookup_cid(code, 2);
            }
        }
    }
    // The partial stream still yields what it could read.
    let partial =
        CMap::parse(b"1 beginbfchar <0001> <0041> 1 beginbfrange <0002> <0003> <0042> endbfrange")
            .expect("parses");
    assert_eq!(unicode(&partial, 1).as_deref(), Some("A"));
    assert_eq!(unicode(&partial, 3).as_deref(), Some("C"));
    let array = CMap::parse(b"1 beginbfrange <0002> <0003> [<0042> <0043> <0044> endbfrange 1 beginbfchar <0009> <0058> endbfchar")
        .expect("parses");
    assert_eq!(unicode(&array, 3).as_deref(), Some("C"));
    assert_eq!(unicode(&array, 4), None);
    assert_eq!(unicode(&array, 9).as_deref(), Some("X"));
    let bad_surrogates =
        CMap::parse(b"1 beginbfchar <01> <D800> <02> <DC00DC00> <03> <0041> endbfchar")
            .expect("parses");
    assert_eq!(unicode(&bad_surrogates, 1), None);
    assert_eq!(unicode(&bad_surrogates, 2), None);
    assert_eq!(unicode(&bad_surrogates, 3).as_deref(), Some("A"));
    let huge = CMap::parse(b"1 beginbfrange <0000> <FFFFFFFF> <0041> endbfrange").expect("parses");
    assert_eq!(unicode(&huge, 1).as_deref(), Some("B"));
    assert_eq!(unicode(&huge, 0x0010_FFFF), None);
}

#[test]
fn literal_string_codes() {
    let data = b"1 begincodespacerange (\\000) (\\377) endcodespacerange
        2 beginbfchar (A) <0391> (\\101\\102) <0392> endbfchar";
    let cmap = CMap::parse(data).expect("parses");
    assert_eq!(cmap.next_code(b"A"), (0x41, 1));
    assert_eq!(unicode(&cmap, 0x41).as_deref(), Some("Α"));
    assert_eq!(unicode(&cmap, 0x4142).as_deref(), Some("Β"));
}

proptest::proptest! {
    #[test]
    fn parse_and_split_never_panic(
        parts in proptest::collection::vec(proptest::prop_oneof![
            proptest::strategy::Just("begincodespacerange ".to_string()),
            proptest::strategy::Just("endcodespacerange ".to_string()),
            proptest::strategy::Just("beginbfchar ".to_string()),
            proptest::strategy::Just("beginbfrange ".to_string()),
            proptest::strategy::Just("endbfrange ".to_string()),
            proptest::strategy::Just("begincidrange ".to_string()),
            proptest::strategy::Just("[ ".to_string()),
            proptest::strategy::Just("] ".to_string()),
            proptest::strategy::Just("/90ms-RKSJ-H usecmap ".to_string()),
            "<[0-9A-F]{0,10}> ",
            "[0-9]{1,6} ",
            "\\([a-z\\\\]{0,3}\\)? ",
        ], 0..40),
        shown in proptest::collection::vec(proptest::num::u8::ANY, 0..16),
    ) {
        let data = parts.concat();
        if let Some(cmap) = CMap::parse(data.as_bytes()) {
            let total: usize = cmap.codes(&shown).map(|(_, n)| n).sum();
            proptest::prop_assert_eq!(total, shown.len());
            for (code, len) in cmap.codes(&shown) {
                let _ = cmap.lookup_cid(code, len);
                let _ = cmap.lookup_unicode(code);
            }
        }
    }
}

/// Cross-check against the text CMaps and CID → Unicode table of poppler-data when it is
/// installed (Debian `poppler-data`): the text CMaps, parsed here, must give the same CIDs
/// as the predefined maps for every code in their codespace.
#[test]
fn agrees_with_installed_cmap_resources() {
    let dir = std::path::Path::new("/usr/share/poppler/cMap/Adobe-Japan1");
    if !dir.is_dir() {
        eprintln!(
            "skipped: {} not present (install poppler-data to run)",
            dir.display()
        );
        return;
    }
    for name in [
        "90ms-RKSJ-H",
        "90ms-RKSJ-V",
        "90msp-RKSJ-H",
        "EUC-H",
        "EUC-V",
        "H",
        "V",
        "UniJIS-UCS2-H",
        "UniJIS-UCS2-V",
        "UniJIS-UTF16-H",
    ] {
        let Ok(data) = std::fs::read(dir.join(name)) else {
            eprintln!("skipped {name}: not readable");
            continue;
        };
        let parsed = CMap::parse(&data).expect(name);
        let ours = predefined(name).expect(name);
        assert_eq!(parsed.is_vertical(), ours.is_vertical(), "{name}");
        let (mut same, mut differ) = (0u32, 0u32);
        let valid = |code: u32, n: usize| {
            parsed
                .codespace()
                .iter()
                .any(|r| usize::from(r.len) == n && r.contains(code))
        };
        let all = (0..=0xFFu32)
            .map(|c| (c, 1))
            .chain((0..=0xFFFFu32).map(|c| (c, 2)));
        for (code, n) in all.filter(|&(c, n)| valid(c, n)) {
            let bytes: Vec<u8> = code.to_be_bytes()[4 - n..].to_vec();
            assert_eq!(parsed.next_code(&bytes), (code, n), "{name} {code:X}");
            assert_eq!(ours.next_code(&bytes), (code, n), "{name} {code:X}");
            let (theirs, mine) = (parsed.lookup_cid(code, n), ours.lookup_cid(code, n));
            // `.notdef` ranges (control codes → CID 1) are not in the predefined data;
            // an unmapped code falls back to CID 0 there, which renders the same way.
            if mine.is_none() && (theirs.is_none() || parsed.notdefs.get(code).is_some()) {
                continue;
            }
            if theirs == mine {
                same += 1;
            } else {
                if differ < 5 {
                    eprintln!("{name} {code:04X}: installed {theirs:?}, predefined {mine:?}");
                }
                differ += 1;
            }
        }
        eprintln!("{name}: {same} codes agree, {differ} differ");
        assert!(same > 6000, "{name}: only {same} codes compared");
        assert_eq!(differ, 0, "{name}");
    }
}

/// poppler-data's Adobe-Japan1 CID → Unicode table (one hex code point per line, line =
/// CID) against ours: count agreement where both map a CID; differences are expected only
/// where the installed table uses vertical presentation forms or compatibility characters.
#[test]
fn cid_to_unicode_agrees_with_installed_table() {
    let path = std::path::Path::new("/usr/share/poppler/cidToUnicode/Adobe-Japan1");
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!(
            "skipped: {} not present (install poppler-data to run)",
            path.display()
        );
        return;
    };
    let (mut same, mut differ, mut only_theirs, mut only_ours) = (0u32, 0u32, 0u32, 0u32);
    for (cid, line) in text.lines().enumerate() {
        let theirs = u32::from_str_radix(line.trim(), 16)
            .ok()
            .filter(|&v| v != 0)
            .and_then(char::from_u32);
        let ours = cid_to_unicode("Adobe", "Japan1", cid as u32);
        match (theirs, ours) {
            (Some(t), Some(o)) if o.chars().eq([t]) => same += 1,
            (Some(t), Some(o)) => {
                let nfkc_same =
                    unicode_normalization::UnicodeNormalization::nfkc(t.to_string().as_str()).eq(
                        unicode_normalization::UnicodeNormalization::nfkc(o.as_str()),
                    );
                if !nfkc_same && differ < 5 {
                    eprintln!("CID {cid}: installed {t:?}, ours {o:?}");
                }
                if !nfkc_same {
                    differ += 1;
                } else {
                    same += 1;
                }
            }
            (Some(_), None) => only_theirs += 1,
            (None, Some(_)) => only_ours += 1,
            (None, None) => {}
        }
    }
    eprintln!("Adobe-Japan1 CID → Unicode: {same} agree (NFKC), {differ} differ, {only_theirs} only installed, {only_ours} only ours");
    assert!(same > 16_000, "{same}");
    assert!(
        f64::from(differ) < 0.01 * f64::from(same),
        "{differ} of {same} differ"
    );
    assert_eq!(only_theirs, 0);
}

/// Every ToUnicode stream of the sample PDFs in `../shared/pdf-cjk` parses (skipped when
/// absent); the non-BMP kanji of issue5202 survive as surrogate pairs.
#[test]
fn sample_to_unicode_streams() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/pdf-cjk");
    if !dir.is_dir() {
        eprintln!("skipped: {} not present", dir.display());
        return;
    }
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    let (mut streams, mut entries, mut empty) = (0usize, 0usize, 0usize);
    let mut issue5202 = String::new();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
    {
        let Ok(doc) = lopdf::Document::load(path) else {
            continue;
        };
        for obj in doc.objects.values() {
            let Ok(dict) = obj.as_dict() else { continue };
            let Ok(r) = dict.get(b"ToUnicode").and_then(|o| o.as_reference()) else {
                continue;
            };
            let Ok(stream) = doc.get_object(r).and_then(|o| o.as_stream()) else {
                continue;
            };
            let Ok(data) = stream.decompressed_content() else {
                continue;
            };
            let t = std::time::Instant::now();
            let cmap = CMap::parse(&data)
                .unwrap_or_else(|| panic!("{}: ToUnicode {r:?} unreadable", path.display()));
            let elapsed = t.elapsed();
            streams += 1;
            entries += cmap.unicode_entries();
            if cmap.unicode_entries() == 0 {
                // issue2884_reduced.pdf has one: a codespace and nothing else.
                empty += 1;
            }
            if path.ends_with("issue5202.pdf") {
                cmap.for_each_unicode(1 << 16, |_, s| issue5202.push_str(s));
            }
            if data.len() > 20_000 {
                eprintln!(
                    "{}: {} bytes parsed in {elapsed:?}",
                    path.display(),
                    data.len()
                );
            }
        }
    }
    eprintln!("{streams} ToUnicode streams ({empty} without mappings), {entries} entries");
    assert!(streams >= 20, "{streams}");
    assert!(empty * 10 < streams, "{empty} of {streams} empty");
    for c in ['𠮟', '𩸽', '𠀋'] {
        assert!(issue5202.contains(c), "issue5202 lacks {c}");
    }
}
