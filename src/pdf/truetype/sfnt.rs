//! TrueType / OpenType (sfnt) font programs: cmap subtables, post names, GSUB.

use super::*;

pub(super) fn parse_sfnt(data: &[u8]) -> Option<FontProgram> {
    let face = ttf_parser::Face::parse(data, 0).ok()?;
    let num_glyphs = face.number_of_glyphs();
    let tables = face.tables();
    let mut b = Builder::new(num_glyphs);
    let mut simple: Option<(Box<[u16; 256]>, SimpleCmap)> = None;
    let mut mac_codes: Option<Box<[u16; 256]>> = None;

    let raw_cmap = face.raw_face().table(ttf_parser::Tag::from_bytes(b"cmap"));
    if let Some(cmap) = tables.cmap {
        for st in cmap.subtables {
            let unicode = st.is_unicode();
            let symbol = st.platform_id == PlatformId::Windows && st.encoding_id == 0;
            let mac_roman = st.platform_id == PlatformId::Macintosh && st.encoding_id == 0;
            if !(unicode || symbol || mac_roman) {
                continue;
            }
            let mut codes = [0u16; 256];
            for_each_mapping(&st, raw_cmap, |cp, gid| {
                if unicode {
                    b.offer_cp(gid, cp);
                }
                let code = if symbol && (0xF000..=0xF0FF).contains(&cp) {
                    Some(cp & 0xFF)
                } else {
                    (cp <= 0xFF).then_some(cp)
                };
                if let Some(slot) = code.and_then(|c| codes.get_mut(c as usize)) {
                    // Symbol fonts: the U+F0xx entry wins over a plain one.
                    if *slot == 0 || cp >= 0xF000 {
                        *slot = gid;
                    }
                }
            });
            let kind = if symbol {
                SimpleCmap::Symbol
            } else if mac_roman {
                SimpleCmap::Mac
            } else {
                SimpleCmap::Unicode
            };
            if mac_roman {
                mac_codes = Some(Box::new(codes));
            }
            let rank = |k: SimpleCmap| match k {
                SimpleCmap::Symbol => 0,
                SimpleCmap::Mac => 1,
                SimpleCmap::Unicode | SimpleCmap::Builtin => 2,
            };
            let better = match &simple {
                None => true,
                Some((_, current)) => rank(kind) < rank(*current),
            };
            if better && codes.iter().any(|&g| g != 0) {
                simple = Some((Box::new(codes), kind));
            }
        }
    }

    // Glyph names: the `post` table (read once; ttf-parser's per-glyph lookup is linear).
    if let Some(post) = face.raw_face().table(ttf_parser::Tag::from_bytes(b"post")) {
        for_each_post_name(post, tables.post.as_ref(), num_glyphs, |gid, name| {
            fill_from_name(&mut b, gid, name);
        });
    }
    if let Some(cff) = tables.cff.as_ref() {
        fill_from_cff_names(&mut b, cff, num_glyphs);
    }
    if let Some(gsub) = tables.gsub {
        fill_from_gsub(&mut b, &gsub);
    }
    // Macintosh (1,0) codes as Mac OS Roman for glyphs still unmapped.
    if let Some(codes) = mac_codes {
        let mut buf = [0u8; 4];
        for (code, &gid) in codes.iter().enumerate() {
            if let Some(c) = mac_os_roman().get(code).copied().flatten() {
                if gid != 0 && code >= 0x20 {
                    b.fill(gid, c.encode_utf8(&mut buf));
                }
            }
        }
    }

    let kind = if tables.cff.is_some() {
        ProgramKind::OpenTypeCff
    } else {
        ProgramKind::TrueType
    };
    let (cid_to_gid, ros) = match tables.cff.as_ref() {
        Some(cff) => cff_cid_data(
            cff,
            face.raw_face().table(ttf_parser::Tag::from_bytes(b"CFF ")),
        ),
        None => (None, None),
    };
    Some(FontProgram {
        kind,
        num_glyphs,
        vals: b.vals,
        multi: b.multi,
        cid_to_gid,
        ros,
        simple,
        builtin: None,
    })
}

/// Call `f(code point, glyph id)` for each mapping of a subtable. Format 12/13 subtables are
/// walked from the raw `cmap` bytes with each group clamped to the Unicode code space (their
/// groups can claim billions of codes); the others through ttf-parser.
pub(super) fn for_each_mapping(
    st: &ttf_parser::cmap::Subtable<'_>,
    raw_cmap: Option<&[u8]>,
    mut f: impl FnMut(u32, u16),
) {
    match st.format {
        Format::SegmentedCoverage(_) | Format::ManyToOneRangeMappings(_) => {
            let platform = match st.platform_id {
                PlatformId::Unicode => 0,
                PlatformId::Macintosh => 1,
                PlatformId::Iso => 2,
                PlatformId::Windows => 3,
                PlatformId::Custom => 4,
            };
            if let Some(raw) = raw_cmap {
                for_each_group_mapping(raw, platform, st.encoding_id, &mut f);
            }
        }
        _ => st.codepoints(|cp| {
            if let Some(g) = st.glyph_index(cp) {
                f(cp, g.0);
            }
        }),
    }
}

/// Format 12 (sequential) and 13 (many-to-one) groups of the first such subtable for a
/// platform/encoding pair.
pub(super) fn for_each_group_mapping(
    raw: &[u8],
    platform: u16,
    encoding: u16,
    f: &mut impl FnMut(u32, u16),
) {
    let be16 =
        |at: usize| -> Option<u16> { Some(u16::from_be_bytes([*raw.get(at)?, *raw.get(at + 1)?])) };
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes([
            *raw.get(at)?,
            *raw.get(at + 1)?,
            *raw.get(at + 2)?,
            *raw.get(at + 3)?,
        ]))
    };
    let Some(count) = be16(2) else { return };
    for i in 0..usize::from(count) {
        let rec = 4 + 8 * i;
        if be16(rec) != Some(platform) || be16(rec + 2) != Some(encoding) {
            continue;
        }
        let Some(offset) = be32(rec + 4).map(|o| o as usize) else {
            return;
        };
        let format = be16(offset);
        if format != Some(12) && format != Some(13) {
            continue;
        }
        let Some(groups) = be32(offset + 12) else {
            return;
        };
        let mut budget = MAX_CMAP_CODEPOINTS;
        for g in 0..groups as usize {
            let at = offset + 16 + 12 * g;
            let (Some(start), Some(end), Some(glyph)) = (be32(at), be32(at + 4), be32(at + 8))
            else {
                return;
            };
            let end = end.min(MAX_CMAP_CODEPOINTS - 1);
            let mut cp = start;
            while cp <= end && budget > 0 {
                let gid = if format == Some(12) {
                    glyph.checked_add(cp - start)
                } else {
                    Some(glyph)
                };
                if let Some(gid) = gid.and_then(|g| u16::try_from(g).ok()) {
                    f(cp, gid);
                }
                budget -= 1;
                cp += 1;
            }
            if budget == 0 {
                return;
            }
        }
        return;
    }
}

pub(super) fn fill_from_name(b: &mut Builder, gid: u16, name: &str) {
    if b.is_mapped(gid) || name == ".notdef" {
        return;
    }
    let mut s = String::new();
    if glyph_name_to_unicode_into(name, &mut s) {
        b.fill(gid, &s);
    }
}

/// Walk a version 2 `post` table: for each glyph, its name (standard Macintosh names through
/// ttf-parser, custom names from one pass over the string data).
pub(super) fn for_each_post_name(
    raw: &[u8],
    post: Option<&ttf_parser::post::Table<'_>>,
    num_glyphs: u16,
    mut f: impl FnMut(u16, &str),
) {
    const MAC_NAMES: u16 = 258;
    let be16 =
        |at: usize| -> Option<u16> { Some(u16::from_be_bytes([*raw.get(at)?, *raw.get(at + 1)?])) };
    if raw.get(..4) != Some(&[0, 2, 0, 0]) {
        return;
    }
    let Some(count) = be16(32) else { return };
    let names_start = 34 + 2 * usize::from(count);
    // Custom names, in order.
    let mut custom: Vec<&str> = Vec::new();
    let mut at = names_start;
    while let Some(&len) = raw.get(at) {
        let Some(bytes) = raw.get(at + 1..at + 1 + usize::from(len)) else {
            break;
        };
        custom.push(std::str::from_utf8(bytes).unwrap_or(""));
        at += 1 + usize::from(len);
    }
    for gid in 0..count.min(num_glyphs) {
        let Some(index) = be16(34 + 2 * usize::from(gid)) else {
            break;
        };
        if index < MAC_NAMES {
            if let Some(name) = post.and_then(|p| p.glyph_name(GlyphId(gid))) {
                f(gid, name);
            }
        } else if let Some(name) = custom.get(usize::from(index - MAC_NAMES)) {
            f(gid, name);
        }
    }
}

pub(super) fn fill_from_cff_names(
    b: &mut Builder,
    cff: &ttf_parser::cff::Table<'_>,
    num_glyphs: u16,
) {
    for gid in 1..num_glyphs {
        if b.is_mapped(gid) {
            continue;
        }
        if let Some(name) = cff.glyph_name(GlyphId(gid)) {
            fill_from_name(b, gid, name);
        }
    }
}

/// Unmapped glyphs reached by GSUB substitutions take their source's text: single and
/// alternate substitutions (vertical forms, variants), ligatures (the components' text).
/// Two passes, so chains of substitutions resolve.
pub(super) fn fill_from_gsub(b: &mut Builder, gsub: &ttf_parser::opentype_layout::LayoutTable<'_>) {
    let mut steps = 0usize;
    for _pass in 0..2 {
        for lookup in gsub.lookups {
            for sub in lookup.subtables.into_iter::<SubstitutionSubtable<'_>>() {
                let coverage = sub.coverage();
                for_each_covered(&coverage, &mut steps, |gid, index| match &sub {
                    SubstitutionSubtable::Single(single) => {
                        let to = match single {
                            ttf_parser::gsub::SingleSubstitution::Format1 { delta, .. } => {
                                Some(GlyphId((i32::from(gid) + i32::from(*delta)) as u16))
                            }
                            ttf_parser::gsub::SingleSubstitution::Format2 {
                                substitutes, ..
                            } => substitutes.get(index),
                        };
                        if let (Some(to), Some(text)) = (to, b.text(gid)) {
                            b.fill(to.0, &text);
                        }
                    }
                    SubstitutionSubtable::Alternate(alt) => {
                        if let (Some(set), Some(text)) =
                            (alt.alternate_sets.get(index), b.text(gid))
                        {
                            for to in set.alternates {
                                b.fill(to.0, &text);
                            }
                        }
                    }
                    SubstitutionSubtable::Ligature(lig) => {
                        let Some(set) = lig.ligature_sets.get(index) else {
                            return;
                        };
                        for l in set {
                            if b.is_mapped(l.glyph.0) {
                                continue;
                            }
                            let mut text = match b.text(gid) {
                                Some(t) => t,
                                None => continue,
                            };
                            let complete = l.components.into_iter().all(|c| match b.text(c.0) {
                                Some(t) => {
                                    text.push_str(&t);
                                    true
                                }
                                None => false,
                            });
                            if complete {
                                b.fill(l.glyph.0, &text);
                            }
                        }
                    }
                    _ => {}
                });
                if steps > MAX_GSUB_STEPS {
                    return;
                }
            }
        }
    }
}

/// Call `f(glyph, coverage index)` for each glyph a coverage table lists, counting steps.
pub(super) fn for_each_covered(
    coverage: &ttf_parser::opentype_layout::Coverage<'_>,
    steps: &mut usize,
    mut f: impl FnMut(u16, u16),
) {
    match coverage {
        ttf_parser::opentype_layout::Coverage::Format1 { glyphs } => {
            for (i, g) in (*glyphs).into_iter().enumerate() {
                *steps += 1;
                if *steps > MAX_GSUB_STEPS {
                    return;
                }
                f(g.0, i as u16);
            }
        }
        ttf_parser::opentype_layout::Coverage::Format2 { records } => {
            for r in *records {
                for g in r.start.0..=r.end.0 {
                    *steps += 1;
                    if *steps > MAX_GSUB_STEPS {
                        return;
                    }
                    f(g, r.value.wrapping_add(g - r.start.0));
                }
            }
        }
    }
}
