use super::*;

fn be16(v: u16) -> [u8; 2] {
    v.to_be_bytes()
}

/// An sfnt from tables (tags sorted, checksums zero: ttf-parser does not check them).
fn sfnt(mut tables: Vec<(&[u8; 4], Vec<u8>)>) -> Vec<u8> {
    tables.sort_by_key(|t| *t.0);
    let mut out = vec![0, 1, 0, 0];
    out.extend(be16(tables.len() as u16));
    out.extend([0; 6]);
    let mut offset = 12 + 16 * tables.len();
    let mut body = Vec::new();
    for (tag, data) in &tables {
        out.extend(*tag);
        out.extend([0; 4]);
        out.extend((offset as u32).to_be_bytes());
        out.extend((data.len() as u32).to_be_bytes());
        let mut d = data.clone();
        d.resize(data.len().next_multiple_of(4), 0);
        offset += d.len();
        body.extend(d);
    }
    out.extend(body);
    out
}

fn head() -> Vec<u8> {
    let mut h = vec![0u8; 54];
    h[18..20].copy_from_slice(&be16(1000));
    h
}

fn hhea() -> Vec<u8> {
    vec![0u8; 36]
}

fn maxp(glyphs: u16) -> Vec<u8> {
    let mut m = vec![0, 0, 0x50, 0];
    m.extend(be16(glyphs));
    m
}

/// A format 4 subtable with one segment per mapping.
fn format4(map: &[(u16, u16)]) -> Vec<u8> {
    let mut map = map.to_vec();
    map.sort();
    let seg = map.len() + 1;
    let mut ends = Vec::new();
    let mut starts = Vec::new();
    let mut deltas = Vec::new();
    for &(code, gid) in &map {
        ends.extend(be16(code));
        starts.extend(be16(code));
        deltas.extend(be16(gid.wrapping_sub(code)));
    }
    ends.extend(be16(0xFFFF));
    starts.extend(be16(0xFFFF));
    deltas.extend(be16(1));
    let mut t = Vec::new();
    t.extend(be16(4));
    t.extend(be16((16 + 8 * seg) as u16));
    t.extend(be16(0));
    t.extend(be16((2 * seg) as u16));
    t.extend([0; 6]);
    t.extend(ends);
    t.extend(be16(0));
    t.extend(starts);
    t.extend(deltas);
    t.extend(vec![0u8; 2 * seg]);
    t
}

fn format12(groups: &[(u32, u32, u32)]) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend(be16(12));
    t.extend(be16(0));
    t.extend(((16 + 12 * groups.len()) as u32).to_be_bytes());
    t.extend(0u32.to_be_bytes());
    t.extend((groups.len() as u32).to_be_bytes());
    for &(s, e, g) in groups {
        t.extend(s.to_be_bytes());
        t.extend(e.to_be_bytes());
        t.extend(g.to_be_bytes());
    }
    t
}

fn cmap(subtables: &[(u16, u16, Vec<u8>)]) -> Vec<u8> {
    let mut t = Vec::new();
    t.extend(be16(0));
    t.extend(be16(subtables.len() as u16));
    let mut offset = 4 + 8 * subtables.len();
    let mut body: Vec<u8> = Vec::new();
    for (p, e, data) in subtables {
        t.extend(be16(*p));
        t.extend(be16(*e));
        t.extend((offset as u32).to_be_bytes());
        offset += data.len();
        body.extend(data);
    }
    t.extend(body);
    t
}

/// `post` version 2: per glyph either a Macintosh standard index or a custom name.
fn post(names: &[Result<u16, &str>]) -> Vec<u8> {
    let mut t = vec![0, 2, 0, 0];
    t.extend([0u8; 28]);
    t.extend(be16(names.len() as u16));
    let mut custom = Vec::new();
    for n in names {
        match n {
            Ok(i) => t.extend(be16(*i)),
            Err(name) => {
                t.extend(be16(258 + custom.len() as u16));
                custom.push(*name);
            }
        }
    }
    for name in custom {
        t.push(name.len() as u8);
        t.extend(name.as_bytes());
    }
    t
}

/// GSUB with one lookup: a format 2 single substitution `from → to`.
fn gsub_single(from: u16, to: u16) -> Vec<u8> {
    let mut t = vec![0, 1, 0, 0];
    t.extend(be16(10)); // script list
    t.extend(be16(12)); // feature list
    t.extend(be16(14)); // lookup list
    t.extend(be16(0)); // scripts: none
    t.extend(be16(0)); // features: none
    t.extend(be16(1)); // lookup count
    t.extend(be16(4)); // lookup offset (from lookup list)
                       // Lookup at 18: type 1, flags 0, 1 subtable at +8.
    t.extend(be16(1));
    t.extend(be16(0));
    t.extend(be16(1));
    t.extend(be16(8));
    // Single substitution format 2 at 26: coverage at +8.
    t.extend(be16(2));
    t.extend(be16(8));
    t.extend(be16(1));
    t.extend(be16(to));
    // Coverage format 1.
    t.extend(be16(1));
    t.extend(be16(1));
    t.extend(be16(from));
    t
}

pub(crate) fn test_font() -> Vec<u8> {
    let unicode4 = format4(&[
        (0x20, 4),
        (0x41, 1),
        (0x42, 2),
        (0xA0, 4),
        (0x2F08, 3),
        (0x4EBA, 3),
    ]);
    // 𠮟 → 5, and a hostile group claiming every code from U+10FFF0 up.
    let unicode12 = format12(&[(0x20B9F, 0x20B9F, 5), (0x10FFF0, 0xFFFF_FFFF, 0)]);
    let names = [
        Ok(0),
        Ok(36),
        Ok(37),
        Err("g3"),
        Ok(3),
        Err("g5"),
        Err("uni30A2"),
        Err("f_i"),
        Ok(3),
        Err("g9"),
    ];
    sfnt(vec![
        (b"head", head()),
        (b"hhea", hhea()),
        (b"maxp", maxp(10)),
        (b"cmap", cmap(&[(3, 1, unicode4), (3, 10, unicode12)])),
        (b"post", post(&names)),
        (b"GSUB", gsub_single(3, 9)),
    ])
}

#[test]
fn synthetic_truetype_glyph_to_unicode() {
    let font = FontProgram::parse(&test_font()).expect("parses");
    assert_eq!(font.kind(), ProgramKind::TrueType);
    assert_eq!(font.num_glyphs(), 10);
    let cases: &[(u16, Option<&str>)] = &[
        (0, None),
        (1, Some("A")),
        (2, Some("B")),
        (3, Some("人")), // shared with the Kangxi radical U+2F08: the ideograph wins
        (4, Some(" ")),  // shared with U+00A0: the space wins
        (5, Some("𠮟")), // format 12
        (6, Some("ア")), // post name uni30A2
        (7, Some("fi")), // post name f_i
        (8, Some(" ")),  // standard Macintosh name index 3 = space
        (9, Some("人")), // reached only through GSUB from glyph 3
        (10, None),
        (u16::MAX, None),
    ];
    for &(gid, want) in cases {
        assert_eq!(font.gid_to_unicode(gid).as_deref(), want, "gid {gid}");
    }
    assert_eq!(font.mapped_glyphs(), 9);
    assert!(!font.is_cid_keyed());
    assert_eq!(font.cid_to_gid(3), None);
    // Simple-font use of the Unicode subtable.
    assert_eq!(font.simple_code_to_gid(0x41), Some(1));
    let mut s = String::new();
    assert_eq!(
        font.simple_code_to_unicode_into(0x42, &mut s),
        Some(Confidence::Font)
    );
    assert_eq!(s, "B");
    assert_eq!(font.simple_code_to_unicode_into(0x43, &mut s), None);
    let enc = font.builtin_encoding().expect("encoding from the cmap");
    assert_eq!(enc.lookup(0x41), Some('A'));
    assert_eq!(enc.lookup(0xA0), Some(' '));
    assert_eq!(enc.lookup(0x43), None);
}

#[test]
fn symbol_and_mac_subtables() {
    let symbol = sfnt(vec![
        (b"head", head()),
        (b"hhea", hhea()),
        (b"maxp", maxp(3)),
        (
            b"cmap",
            cmap(&[(3, 0, format4(&[(0xF041, 1), (0xF0E9, 2)]))]),
        ),
    ]);
    let font = FontProgram::parse(&symbol).expect("parses");
    assert_eq!(font.mapped_glyphs(), 0);
    assert_eq!(font.simple_code_to_gid(0x41), Some(1));
    let mut s = String::new();
    assert_eq!(
        font.simple_code_to_unicode_into(0xE9, &mut s),
        Some(Confidence::Guess)
    );
    assert_eq!(font.simple_code_to_unicode_into(0x42, &mut s), None);
    assert_eq!(s, "é");
    assert!(font.builtin_encoding().is_none());

    let mut mac0 = vec![0, 0, 0x01, 0x06, 0, 0];
    let mut glyphs = [0u8; 256];
    glyphs[0x41] = 1;
    glyphs[0x8A] = 2; // ä in Mac OS Roman
    mac0.extend(glyphs);
    let mac = sfnt(vec![
        (b"head", head()),
        (b"hhea", hhea()),
        (b"maxp", maxp(3)),
        (b"cmap", cmap(&[(1, 0, mac0)])),
    ]);
    let font = FontProgram::parse(&mac).expect("parses");
    assert_eq!(font.gid_to_unicode(1).as_deref(), Some("A"));
    assert_eq!(font.gid_to_unicode(2).as_deref(), Some("ä"));
    s.clear();
    assert_eq!(
        font.simple_code_to_unicode_into(0x8A, &mut s),
        Some(Confidence::Font)
    );
    assert_eq!(s, "ä");
}

#[test]
fn cid_to_gid_map_stream() {
    let map = [0u8, 0, 0, 5, 1, 0, 0xFF];
    let cases: &[(u32, Option<u16>)] = &[
        (0, Some(0)),
        (1, Some(5)),
        (2, Some(256)),
        (3, None),
        (u32::MAX, None),
    ];
    for &(cid, want) in cases {
        assert_eq!(cid_to_gid(&map, cid), want, "CID {cid}");
    }
}

#[test]
fn type1_builtin_encoding() {
    let pfa = b"%!PS-AdobeFont-1.0: Test 001\n/FontName /Test def\n/Encoding 256 array\n0 1 255 {1 index exch /.notdef put} for\ndup 65 /A put\ndup 97 /uni30A2 put\ndup 300 /B put\nreadonly def\ncurrentfile eexec\n\xde\xad\xbe\xef";
    let font = FontProgram::parse(pfa).expect("parses");
    assert_eq!(font.kind(), ProgramKind::Type1);
    let enc = font.builtin_encoding().expect("encoding");
    assert_eq!(enc.lookup(65), Some('A'));
    assert_eq!(enc.lookup(97), Some('ア'));
    assert_eq!(enc.lookup(66), None);
    let mut pfb = vec![0x80, 0x01];
    let clear = b"%!FontType1-1.0: Std\n/Encoding StandardEncoding def\ncurrentfile eexec\n";
    pfb.extend((clear.len() as u32).to_le_bytes());
    pfb.extend(clear);
    pfb.extend([0x80, 0x02, 4, 0, 0, 0, 1, 2, 3, 4]);
    let enc = FontProgram::parse(&pfb)
        .and_then(|f| f.builtin_encoding())
        .expect("encoding");
    assert_eq!(enc.lookup(0x27), Some('’'));
}

#[test]
fn garbage_and_truncated_fonts() {
    let font = test_font();
    assert!(FontProgram::parse(b"").is_none());
    assert!(FontProgram::parse(b"\x00\x01\x00\x00").is_none());
    assert!(FontProgram::parse(b"not a font at all").is_none());
    // Every truncation either fails or yields a usable, non-panicking program.
    for len in (0..font.len()).step_by(7) {
        if let Some(p) = FontProgram::parse(&font[..len]) {
            for gid in 0..12 {
                let _ = p.gid_to_unicode(gid);
            }
        }
    }
    // Corrupt bytes: same.
    let mut bad = font.clone();
    for i in (12..bad.len()).step_by(5) {
        bad[i] ^= 0xA5;
    }
    if let Some(p) = FontProgram::parse(&bad) {
        let _ = p.mapped_glyphs();
    }
    assert!(FontProgram::parse(&[1, 0, 4, 1, 0, 0]).is_none());
}

/// A system TrueType font, when present: every Unicode → glyph mapping of the font reverses
/// to a code point that maps to the same glyph.
#[test]
fn system_font_round_trip() {
    let path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    let Ok(data) = std::fs::read(path) else {
        eprintln!("skipped: {path} not present");
        return;
    };
    let t = std::time::Instant::now();
    let font = FontProgram::parse(&data).expect("parses");
    let elapsed = t.elapsed();
    let face = ttf_parser::Face::parse(&data, 0).expect("face");
    let (mut checked, mut mismatched) = (0, 0);
    for c in ('\u{20}'..='\u{FFFF}').filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c)) {
        let Some(gid) = face.glyph_index(c).filter(|g| g.0 != 0) else {
            continue;
        };
        let text = font
            .gid_to_unicode(gid.0)
            .unwrap_or_else(|| panic!("{c:?} → {gid:?} unmapped"));
        let back = text.chars().next().and_then(|r| face.glyph_index(r));
        checked += 1;
        if back != Some(gid) {
            mismatched += 1;
        }
    }
    eprintln!(
        "{path}: {} glyphs, {} mapped, {checked} code points checked, built in {elapsed:?}",
        font.num_glyphs(),
        font.mapped_glyphs()
    );
    assert!(checked > 3000, "{checked}");
    assert_eq!(mismatched, 0);
    assert_eq!(
        font.gid_to_unicode(face.glyph_index('é').expect("é").0)
            .as_deref(),
        Some("é")
    );
}
