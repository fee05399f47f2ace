//! Simple-font encodings: the four base encodings of the PDF specification (Standard, WinAnsi,
//! MacRoman, PDFDoc) as code → character tables, glyph names → Unicode (the Latin character set,
//! a working subset of the Adobe Glyph List and the `uniXXXX` / `uXXXX` forms), and
//! [`SimpleEncoding`] for a font's `/Encoding` with `/Differences`.
//!
//! Everything here is pure: bytes, names and numbers in, characters out.

use std::collections::HashMap;
use std::sync::OnceLock;

/// One row of the Latin character set (PDF 32000-1, Annex D.2): glyph name, Unicode, and its
/// code in StandardEncoding, MacRomanEncoding, WinAnsiEncoding and PDFDocEncoding (0 = absent;
/// code 0 is not used for any of these glyphs).
struct Latin {
    name: &'static str,
    uni: char,
    codes: [u8; 4],
}

const STD: usize = 0;
const MAC: usize = 1;
const WIN: usize = 2;
const PDF: usize = 3;

const fn g(name: &'static str, uni: char, std: u8, mac: u8, win: u8, pdf: u8) -> Latin {
    Latin {
        name,
        uni,
        codes: [std, mac, win, pdf],
    }
}

/// ASCII glyph: same code in all four encodings.
const fn a(name: &'static str, uni: char) -> Latin {
    let c = uni as u32 as u8;
    Latin {
        name,
        uni,
        codes: [c, c, c, c],
    }
}

#[rustfmt::skip]
static LATIN: &[Latin] = &[
    a("A", 'A'), g("AE", 'Æ', 0xE1, 0xAE, 0xC6, 0xC6), g("Aacute", 'Á', 0, 0xE7, 0xC1, 0xC1),
    g("Acircumflex", 'Â', 0, 0xE5, 0xC2, 0xC2), g("Adieresis", 'Ä', 0, 0x80, 0xC4, 0xC4),
    g("Agrave", 'À', 0, 0xCB, 0xC0, 0xC0), g("Aring", 'Å', 0, 0x81, 0xC5, 0xC5),
    g("Atilde", 'Ã', 0, 0xCC, 0xC3, 0xC3), a("B", 'B'), a("C", 'C'),
    g("Ccedilla", 'Ç', 0, 0x82, 0xC7, 0xC7), a("D", 'D'), a("E", 'E'),
    g("Eacute", 'É', 0, 0x83, 0xC9, 0xC9), g("Ecircumflex", 'Ê', 0, 0xE6, 0xCA, 0xCA),
    g("Edieresis", 'Ë', 0, 0xE8, 0xCB, 0xCB), g("Egrave", 'È', 0, 0xE9, 0xC8, 0xC8),
    g("Eth", 'Ð', 0, 0, 0xD0, 0xD0), g("Euro", '€', 0, 0, 0x80, 0xA0), a("F", 'F'), a("G", 'G'),
    a("H", 'H'), a("I", 'I'), g("Iacute", 'Í', 0, 0xEA, 0xCD, 0xCD),
    g("Icircumflex", 'Î', 0, 0xEB, 0xCE, 0xCE), g("Idieresis", 'Ï', 0, 0xEC, 0xCF, 0xCF),
    g("Igrave", 'Ì', 0, 0xED, 0xCC, 0xCC), a("J", 'J'), a("K", 'K'), a("L", 'L'),
    g("Lslash", 'Ł', 0xE8, 0, 0, 0x95), a("M", 'M'), a("N", 'N'),
    g("Ntilde", 'Ñ', 0, 0x84, 0xD1, 0xD1), a("O", 'O'), g("OE", 'Œ', 0xEA, 0xCE, 0x8C, 0x96),
    g("Oacute", 'Ó', 0, 0xEE, 0xD3, 0xD3), g("Ocircumflex", 'Ô', 0, 0xEF, 0xD4, 0xD4),
    g("Odieresis", 'Ö', 0, 0x85, 0xD6, 0xD6), g("Ograve", 'Ò', 0, 0xF1, 0xD2, 0xD2),
    g("Oslash", 'Ø', 0xE9, 0xAF, 0xD8, 0xD8), g("Otilde", 'Õ', 0, 0xCD, 0xD5, 0xD5), a("P", 'P'),
    a("Q", 'Q'), a("R", 'R'), a("S", 'S'), g("Scaron", 'Š', 0, 0, 0x8A, 0x97), a("T", 'T'),
    g("Thorn", 'Þ', 0, 0, 0xDE, 0xDE), a("U", 'U'), g("Uacute", 'Ú', 0, 0xF2, 0xDA, 0xDA),
    g("Ucircumflex", 'Û', 0, 0xF3, 0xDB, 0xDB), g("Udieresis", 'Ü', 0, 0x86, 0xDC, 0xDC),
    g("Ugrave", 'Ù', 0, 0xF4, 0xD9, 0xD9), a("V", 'V'), a("W", 'W'), a("X", 'X'), a("Y", 'Y'),
    g("Yacute", 'Ý', 0, 0, 0xDD, 0xDD), g("Ydieresis", 'Ÿ', 0, 0xD9, 0x9F, 0x98), a("Z", 'Z'),
    g("Zcaron", 'Ž', 0, 0, 0x8E, 0x99), a("a", 'a'), g("aacute", 'á', 0, 0x87, 0xE1, 0xE1),
    g("acircumflex", 'â', 0, 0x89, 0xE2, 0xE2), g("acute", '´', 0xC2, 0xAB, 0xB4, 0xB4),
    g("adieresis", 'ä', 0, 0x8A, 0xE4, 0xE4), g("ae", 'æ', 0xF1, 0xBE, 0xE6, 0xE6),
    g("agrave", 'à', 0, 0x88, 0xE0, 0xE0), a("ampersand", '&'),
    g("aring", 'å', 0, 0x8C, 0xE5, 0xE5), a("asciicircum", '^'), a("asciitilde", '~'),
    a("asterisk", '*'), a("at", '@'), g("atilde", 'ã', 0, 0x8B, 0xE3, 0xE3), a("b", 'b'),
    a("backslash", '\\'), a("bar", '|'), a("braceleft", '{'), a("braceright", '}'),
    a("bracketleft", '['), a("bracketright", ']'), g("breve", '˘', 0xC6, 0xF9, 0, 0x18),
    g("brokenbar", '¦', 0, 0, 0xA6, 0xA6), g("bullet", '•', 0xB7, 0xA5, 0x95, 0x80), a("c", 'c'),
    g("caron", 'ˇ', 0xCF, 0xFF, 0, 0x19), g("ccedilla", 'ç', 0, 0x8D, 0xE7, 0xE7),
    g("cedilla", '¸', 0xCB, 0xFC, 0xB8, 0xB8), g("cent", '¢', 0xA2, 0xA2, 0xA2, 0xA2),
    g("circumflex", 'ˆ', 0xC3, 0xF6, 0x88, 0x1A), a("colon", ':'), a("comma", ','),
    g("copyright", '©', 0, 0xA9, 0xA9, 0xA9), g("currency", '¤', 0xA8, 0xDB, 0xA4, 0xA4),
    a("d", 'd'), g("dagger", '†', 0xB2, 0xA0, 0x86, 0x81),
    g("daggerdbl", '‡', 0xB3, 0xE0, 0x87, 0x82), g("degree", '°', 0, 0xA1, 0xB0, 0xB0),
    g("dieresis", '¨', 0xC8, 0xAC, 0xA8, 0xA8), g("divide", '÷', 0, 0xD6, 0xF7, 0xF7),
    a("dollar", '$'), g("dotaccent", '˙', 0xC7, 0xFA, 0, 0x1B),
    g("dotlessi", 'ı', 0xF5, 0xF5, 0, 0x9A), a("e", 'e'), g("eacute", 'é', 0, 0x8E, 0xE9, 0xE9),
    g("ecircumflex", 'ê', 0, 0x90, 0xEA, 0xEA), g("edieresis", 'ë', 0, 0x91, 0xEB, 0xEB),
    g("egrave", 'è', 0, 0x8F, 0xE8, 0xE8), a("eight", '8'),
    g("ellipsis", '…', 0xBC, 0xC9, 0x85, 0x83), g("emdash", '—', 0xD0, 0xD1, 0x97, 0x84),
    g("endash", '–', 0xB1, 0xD0, 0x96, 0x85), a("equal", '='), g("eth", 'ð', 0, 0, 0xF0, 0xF0),
    a("exclam", '!'), g("exclamdown", '¡', 0xA1, 0xC1, 0xA1, 0xA1), a("f", 'f'),
    g("fi", 'ﬁ', 0xAE, 0xDE, 0, 0x93), a("five", '5'), g("fl", 'ﬂ', 0xAF, 0xDF, 0, 0x94),
    g("florin", 'ƒ', 0xA6, 0xC4, 0x83, 0x86), a("four", '4'),
    g("fraction", '⁄', 0xA4, 0xDA, 0, 0x87), a("g", 'g'),
    g("germandbls", 'ß', 0xFB, 0xA7, 0xDF, 0xDF), g("grave", '`', 0xC1, 0x60, 0x60, 0x60),
    a("greater", '>'), g("guillemotleft", '«', 0xAB, 0xC7, 0xAB, 0xAB),
    g("guillemotright", '»', 0xBB, 0xC8, 0xBB, 0xBB),
    g("guilsinglleft", '‹', 0xAC, 0xDC, 0x8B, 0x88),
    g("guilsinglright", '›', 0xAD, 0xDD, 0x9B, 0x89), a("h", 'h'),
    g("hungarumlaut", '˝', 0xCD, 0xFD, 0, 0x1C), a("hyphen", '-'), a("i", 'i'),
    g("iacute", 'í', 0, 0x92, 0xED, 0xED), g("icircumflex", 'î', 0, 0x94, 0xEE, 0xEE),
    g("idieresis", 'ï', 0, 0x95, 0xEF, 0xEF), g("igrave", 'ì', 0, 0x93, 0xEC, 0xEC), a("j", 'j'),
    a("k", 'k'), a("l", 'l'), a("less", '<'), g("logicalnot", '¬', 0, 0xC2, 0xAC, 0xAC),
    g("lslash", 'ł', 0xF8, 0, 0, 0x9B), a("m", 'm'), g("macron", '¯', 0xC5, 0xF8, 0xAF, 0xAF),
    g("minus", '−', 0, 0, 0, 0x8A), g("mu", 'µ', 0, 0xB5, 0xB5, 0xB5),
    g("multiply", '×', 0, 0, 0xD7, 0xD7), a("n", 'n'), a("nine", '9'),
    g("ntilde", 'ñ', 0, 0x96, 0xF1, 0xF1), a("numbersign", '#'), a("o", 'o'),
    g("oacute", 'ó', 0, 0x97, 0xF3, 0xF3), g("ocircumflex", 'ô', 0, 0x99, 0xF4, 0xF4),
    g("odieresis", 'ö', 0, 0x9A, 0xF6, 0xF6), g("oe", 'œ', 0xFA, 0xCF, 0x9C, 0x9C),
    g("ogonek", '˛', 0xCE, 0xFE, 0, 0x1D), g("ograve", 'ò', 0, 0x98, 0xF2, 0xF2), a("one", '1'),
    g("onehalf", '½', 0, 0, 0xBD, 0xBD), g("onequarter", '¼', 0, 0, 0xBC, 0xBC),
    g("onesuperior", '¹', 0, 0, 0xB9, 0xB9), g("ordfeminine", 'ª', 0xE3, 0xBB, 0xAA, 0xAA),
    g("ordmasculine", 'º', 0xEB, 0xBC, 0xBA, 0xBA), g("oslash", 'ø', 0xF9, 0xBF, 0xF8, 0xF8),
    g("otilde", 'õ', 0, 0x9B, 0xF5, 0xF5), a("p", 'p'),
    g("paragraph", '¶', 0xB6, 0xA6, 0xB6, 0xB6), a("parenleft", '('), a("parenright", ')'),
    a("percent", '%'), a("period", '.'), g("periodcentered", '·', 0xB4, 0xE1, 0xB7, 0xB7),
    g("perthousand", '‰', 0xBD, 0xE4, 0x89, 0x8B), a("plus", '+'),
    g("plusminus", '±', 0, 0xB1, 0xB1, 0xB1), a("q", 'q'), a("question", '?'),
    g("questiondown", '¿', 0xBF, 0xC0, 0xBF, 0xBF), a("quotedbl", '"'),
    g("quotedblbase", '„', 0xB9, 0xE3, 0x84, 0x8C), g("quotedblleft", '“', 0xAA, 0xD2, 0x93, 0x8D),
    g("quotedblright", '”', 0xBA, 0xD3, 0x94, 0x8E), g("quoteleft", '‘', 0x60, 0xD4, 0x91, 0x8F),
    g("quoteright", '’', 0x27, 0xD5, 0x92, 0x90),
    g("quotesinglbase", '‚', 0xB8, 0xE2, 0x82, 0x91), g("quotesingle", '\'', 0xA9, 0x27, 0x27, 0x27),
    a("r", 'r'), g("registered", '®', 0, 0xA8, 0xAE, 0xAE), g("ring", '˚', 0xCA, 0xFB, 0, 0x1E),
    a("s", 's'), g("scaron", 'š', 0, 0, 0x9A, 0x9D), g("section", '§', 0xA7, 0xA4, 0xA7, 0xA7),
    a("semicolon", ';'), a("seven", '7'), a("six", '6'), a("slash", '/'), a("space", ' '),
    g("sterling", '£', 0xA3, 0xA3, 0xA3, 0xA3), a("t", 't'), g("thorn", 'þ', 0, 0, 0xFE, 0xFE),
    a("three", '3'), g("threequarters", '¾', 0, 0, 0xBE, 0xBE),
    g("threesuperior", '³', 0, 0, 0xB3, 0xB3), g("tilde", '˜', 0xC4, 0xF7, 0x98, 0x1F),
    g("trademark", '™', 0, 0xAA, 0x99, 0x92), a("two", '2'),
    g("twosuperior", '²', 0, 0, 0xB2, 0xB2), a("u", 'u'), g("uacute", 'ú', 0, 0x9C, 0xFA, 0xFA),
    g("ucircumflex", 'û', 0, 0x9E, 0xFB, 0xFB), g("udieresis", 'ü', 0, 0x9F, 0xFC, 0xFC),
    g("ugrave", 'ù', 0, 0x9D, 0xF9, 0xF9), a("underscore", '_'), a("v", 'v'), a("w", 'w'),
    a("x", 'x'), a("y", 'y'), g("yacute", 'ý', 0, 0, 0xFD, 0xFD),
    g("ydieresis", 'ÿ', 0, 0xD8, 0xFF, 0xFF), g("yen", '¥', 0xA5, 0xB4, 0xA5, 0xA5), a("z", 'z'),
    g("zcaron", 'ž', 0, 0, 0x9E, 0x9E), a("zero", '0'),
];

/// A 256-entry code → character table.
pub type CodeTable = [Option<char>; 256];

// Const evaluation over the static LATIN table: an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
const fn build(column: usize) -> CodeTable {
    let mut t: CodeTable = [None; 256];
    let mut i = 0;
    while i < LATIN.len() {
        let code = LATIN[i].codes[column];
        if code != 0 {
            t[code as usize] = Some(LATIN[i].uni);
        }
        i += 1;
    }
    t
}

/// StandardEncoding (Annex D): note 0x27 is quoteright and 0x60 quoteleft.
static STANDARD: CodeTable = build(STD);

/// WinAnsiEncoding, with the specification's notes: 0xA0 is also space, 0xAD also hyphen, and
/// every unused code above 0x20 (0x7F 0x81 0x8D 0x8F 0x90 0x9D) shows the bullet.
static WIN_ANSI: CodeTable = {
    let mut t = build(WIN);
    t[0xA0] = Some(' ');
    t[0xAD] = Some('-');
    t[0x7F] = Some('•');
    t[0x81] = Some('•');
    t[0x8D] = Some('•');
    t[0x8F] = Some('•');
    t[0x90] = Some('•');
    t[0x9D] = Some('•');
    t
};

/// MacRomanEncoding as the PDF specification defines it (0xCA is also space).
static MAC_ROMAN: CodeTable = {
    let mut t = build(MAC);
    t[0xCA] = Some(' ');
    t
};

/// Mac OS Roman as used by (1,0) `cmap` subtables of TrueType fonts: PDF's MacRomanEncoding plus
/// the characters the PDF table leaves out, with 0xDB as the euro sign (Mac OS 8.5 and later).
#[allow(dead_code)] // API not called by the font layer yet
static MAC_OS_ROMAN: CodeTable = {
    let mut t = build(MAC);
    t[0xCA] = Some('\u{A0}');
    t[0xAD] = Some('≠');
    t[0xB0] = Some('∞');
    t[0xB2] = Some('≤');
    t[0xB3] = Some('≥');
    t[0xB6] = Some('∂');
    t[0xB7] = Some('∑');
    t[0xB8] = Some('∏');
    t[0xB9] = Some('π');
    t[0xBA] = Some('∫');
    t[0xBD] = Some('Ω');
    t[0xC3] = Some('√');
    t[0xC5] = Some('≈');
    t[0xC6] = Some('∆');
    t[0xD7] = Some('◊');
    t[0xDB] = Some('€');
    t[0xF0] = Some('\u{F8FF}');
    t
};

/// PDFDocEncoding (Annex D.3), used for text strings outside content streams.
static PDF_DOC: CodeTable = {
    let mut t = build(PDF);
    t[0x09] = Some('\t');
    t[0x0A] = Some('\n');
    t[0x0D] = Some('\r');
    t
};

/// The base encoding table for a PDF encoding name (`WinAnsiEncoding`, `MacRomanEncoding`,
/// `StandardEncoding`, `PDFDocEncoding`). Unknown names → `None`.
pub fn base_encoding(name: &str) -> Option<&'static CodeTable> {
    match name {
        "WinAnsiEncoding" => Some(&WIN_ANSI),
        "MacRomanEncoding" => Some(&MAC_ROMAN),
        "StandardEncoding" => Some(&STANDARD),
        "PDFDocEncoding" => Some(&PDF_DOC),
        _ => None,
    }
}

/// Mac OS Roman (for `(1,0)` TrueType `cmap` subtables); a superset of PDF's MacRomanEncoding.
#[allow(dead_code)] // API not called by the font layer yet
pub fn mac_os_roman() -> &'static CodeTable {
    &MAC_OS_ROMAN
}

/// The glyph name a base encoding assigns to a code (e.g. `("WinAnsiEncoding", 0x93)` →
/// `quotedblleft`). Used to find glyphs by name in embedded fonts. Linear in the table (≈230
/// rows): call it when loading a font, not per glyph.
#[allow(dead_code)] // API not called by the font layer yet
pub fn base_glyph_name(encoding: &str, code: u8) -> Option<&'static str> {
    let column = match encoding {
        "StandardEncoding" => STD,
        "MacRomanEncoding" => MAC,
        "WinAnsiEncoding" => WIN,
        "PDFDocEncoding" => PDF,
        _ => return None,
    };
    if code == 0 {
        return None;
    }
    let code = match (column, code) {
        (WIN, 0xA0) | (MAC, 0xCA) => 0x20,
        (WIN, 0xAD) => 0x2D,
        _ => code,
    };
    LATIN
        .iter()
        .find(|row| row.codes.get(column) == Some(&code))
        .map(|row| row.name)
}

/// Decode a PDF text string (outside content streams): UTF-16BE with BOM, UTF-8 with BOM, or
/// PDFDocEncoding. Undefined PDFDoc bytes become U+FFFD.
#[allow(dead_code)] // API not called by the font layer yet
pub fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units = rest
            .chunks_exact(2)
            .map(|p| p.try_into().map_or(0xFFFD, u16::from_be_bytes));
        return char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect();
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes
        .iter()
        .map(|&b| {
            PDF_DOC
                .get(usize::from(b))
                .copied()
                .flatten()
                .unwrap_or('\u{FFFD}')
        })
        .collect()
}

/// Glyph names beyond the Latin character set, from the Adobe Glyph List: Latin Extended-A,
/// Greek, punctuation, symbols, arrows and mathematical operators, ligatures.
#[rustfmt::skip]
static AGL_EXTRA: &[(&str, char)] = &[
    // Latin Extended-A aliases and extras
    ("Dslash", 'Đ'), ("dmacron", 'đ'), ("Gcedilla", 'Ģ'), ("gcedilla", 'ģ'), ("Kcedilla", 'Ķ'),
    ("kcedilla", 'ķ'), ("Lcedilla", 'Ļ'), ("lcedilla", 'ļ'), ("Ncedilla", 'Ņ'), ("ncedilla", 'ņ'),
    ("Rcedilla", 'Ŗ'), ("rcedilla", 'ŗ'), ("Tcedilla", 'Ţ'), ("tcedilla", 'ţ'), ("Ldotaccent", 'Ŀ'),
    ("ldotaccent", 'ŀ'), ("Odblacute", 'Ő'), ("odblacute", 'ő'), ("Udblacute", 'Ű'),
    ("udblacute", 'ű'), ("Cdot", 'Ċ'), ("cdot", 'ċ'), ("Edot", 'Ė'), ("edot", 'ė'), ("Gdot", 'Ġ'),
    ("gdot", 'ġ'), ("Zdot", 'Ż'), ("zdot", 'ż'), ("Scommaaccent", 'Ș'), ("scommaaccent", 'ș'),
    ("Tcommaaccent", 'Ţ'), ("tcommaaccent", 'ţ'), ("dotlessj", 'ȷ'), ("commaaccent", '\u{326}'),
    // Spaces, dashes, punctuation
    ("nbspace", '\u{A0}'), ("nonbreakingspace", '\u{A0}'), ("sfthyphen", '\u{AD}'),
    ("softhyphen", '\u{AD}'), ("enspace", '\u{2002}'), ("emspace", '\u{2003}'),
    ("thinspace", '\u{2009}'), ("zerowidthspace", '\u{200B}'), ("figuredash", '‒'),
    ("horizontalbar", '―'), ("quotereversed", '‛'), ("onedotenleader", '․'),
    ("twodotenleader", '‥'), ("minute", '′'), ("second", '″'), ("exclamdbl", '‼'),
    ("referencemark", '※'), ("overline", '‾'), ("middot", '·'), ("visiblespace", '␣'),
    ("Euro", '€'), ("euro", '€'), ("afii61352", '№'), ("numero", '№'), ("estimated", '℮'),
    ("Ifraktur", 'ℑ'), ("weierstrass", '℘'), ("Rfraktur", 'ℜ'), ("aleph", 'ℵ'),
    ("onethird", '⅓'), ("twothirds", '⅔'), ("oneeighth", '⅛'), ("threeeighths", '⅜'),
    ("fiveeighths", '⅝'), ("seveneighths", '⅞'), ("Ohm", 'Ω'), ("Omega", 'Ω'),
    ("Delta", '∆'), ("increment", '∆'), ("mugreek", 'μ'),
    // Greek
    ("Alpha", 'Α'), ("Beta", 'Β'), ("Gamma", 'Γ'), ("Epsilon", 'Ε'), ("Zeta", 'Ζ'), ("Eta", 'Η'),
    ("Theta", 'Θ'), ("Iota", 'Ι'), ("Kappa", 'Κ'), ("Lambda", 'Λ'), ("Mu", 'Μ'), ("Nu", 'Ν'),
    ("Xi", 'Ξ'), ("Omicron", 'Ο'), ("Pi", 'Π'), ("Rho", 'Ρ'), ("Sigma", 'Σ'), ("Tau", 'Τ'),
    ("Upsilon", 'Υ'), ("Phi", 'Φ'), ("Chi", 'Χ'), ("Psi", 'Ψ'), ("alpha", 'α'), ("beta", 'β'),
    ("gamma", 'γ'), ("delta", 'δ'), ("epsilon", 'ε'), ("zeta", 'ζ'), ("eta", 'η'),
    ("theta", 'θ'), ("iota", 'ι'), ("kappa", 'κ'), ("lambda", 'λ'), ("nu", 'ν'), ("xi", 'ξ'),
    ("omicron", 'ο'), ("pi", 'π'), ("rho", 'ρ'), ("sigma1", 'ς'), ("sigma", 'σ'), ("tau", 'τ'),
    ("upsilon", 'υ'), ("phi", 'φ'), ("chi", 'χ'), ("psi", 'ψ'), ("omega", 'ω'),
    ("theta1", 'ϑ'), ("phi1", 'ϕ'), ("omega1", 'ϖ'), ("Upsilon1", 'ϒ'),
    // Arrows
    ("arrowleft", '←'), ("arrowup", '↑'), ("arrowright", '→'), ("arrowdown", '↓'),
    ("arrowboth", '↔'), ("arrowupdn", '↕'), ("carriagereturn", '↵'), ("arrowdblleft", '⇐'),
    ("arrowdblup", '⇑'), ("arrowdblright", '⇒'), ("arrowdbldown", '⇓'), ("arrowdblboth", '⇔'),
    // Mathematical operators
    ("universal", '∀'), ("partialdiff", '∂'), ("existential", '∃'), ("emptyset", '∅'),
    ("gradient", '∇'), ("element", '∈'), ("notelement", '∉'), ("suchthat", '∋'),
    ("product", '∏'), ("summation", '∑'), ("asteriskmath", '∗'), ("radical", '√'),
    ("proportional", '∝'), ("infinity", '∞'), ("orthogonal", '∟'), ("angle", '∠'),
    ("logicaland", '∧'), ("logicalor", '∨'), ("intersection", '∩'), ("union", '∪'),
    ("integral", '∫'), ("therefore", '∴'), ("similar", '∼'), ("congruent", '≅'),
    ("approxequal", '≈'), ("notequal", '≠'), ("equivalence", '≡'), ("lessequal", '≤'),
    ("greaterequal", '≥'), ("propersubset", '⊂'), ("propersuperset", '⊃'), ("notsubset", '⊄'),
    ("reflexsubset", '⊆'), ("reflexsuperset", '⊇'), ("circleplus", '⊕'),
    ("circlemultiply", '⊗'), ("perpendicular", '⊥'), ("dotmath", '⋅'),
    // Geometric shapes and dingbats
    ("filledbox", '■'), ("H22073", '□'), ("blacksmallsquare", '▪'), ("triagup", '▲'),
    ("triagrt", '►'), ("triagdn", '▼'), ("triaglf", '◄'), ("lozenge", '◊'), ("circle", '○'),
    ("H18533", '●'), ("openbullet", '◦'), ("spade", '♠'), ("club", '♣'), ("heart", '♥'),
    ("diamond", '♦'), ("musicalnote", '♪'),
    // Ligatures (single code points; normalization decomposes them)
    ("ff", 'ﬀ'), ("ffi", 'ﬃ'), ("ffl", 'ﬄ'),
];

/// Names of U+0100..=U+017F (Latin Extended-A) in code point order.
#[rustfmt::skip]
static LATIN_EXT_A: [&str; 128] = [
    "Amacron", "amacron", "Abreve", "abreve", "Aogonek", "aogonek", "Cacute", "cacute",
    "Ccircumflex", "ccircumflex", "Cdotaccent", "cdotaccent", "Ccaron", "ccaron", "Dcaron",
    "dcaron", "Dcroat", "dcroat", "Emacron", "emacron", "Ebreve", "ebreve", "Edotaccent",
    "edotaccent", "Eogonek", "eogonek", "Ecaron", "ecaron", "Gcircumflex", "gcircumflex",
    "Gbreve", "gbreve", "Gdotaccent", "gdotaccent", "Gcommaaccent", "gcommaaccent",
    "Hcircumflex", "hcircumflex", "Hbar", "hbar", "Itilde", "itilde", "Imacron", "imacron",
    "Ibreve", "ibreve", "Iogonek", "iogonek", "Idotaccent", "dotlessi", "IJ", "ij", "Jcircumflex",
    "jcircumflex", "Kcommaaccent", "kcommaaccent", "kgreenlandic", "Lacute", "lacute",
    "Lcommaaccent", "lcommaaccent", "Lcaron", "lcaron", "Ldot", "ldot", "Lslash", "lslash",
    "Nacute", "nacute", "Ncommaaccent", "ncommaaccent", "Ncaron", "ncaron", "napostrophe", "Eng",
    "eng", "Omacron", "omacron", "Obreve", "obreve", "Ohungarumlaut", "ohungarumlaut", "OE", "oe",
    "Racute", "racute", "Rcommaaccent", "rcommaaccent", "Rcaron", "rcaron", "Sacute", "sacute",
    "Scircumflex", "scircumflex", "Scedilla", "scedilla", "Scaron", "scaron", "Tcommaaccent",
    "tcommaaccent", "Tcaron", "tcaron", "Tbar", "tbar", "Utilde", "utilde", "Umacron", "umacron",
    "Ubreve", "ubreve", "Uring", "uring", "Uhungarumlaut", "uhungarumlaut", "Uogonek", "uogonek",
    "Wcircumflex", "wcircumflex", "Ycircumflex", "ycircumflex", "Ydieresis", "Zacute", "zacute",
    "Zdotaccent", "zdotaccent", "Zcaron", "zcaron", "longs",
];

fn glyph_table() -> &'static HashMap<&'static str, char> {
    static TABLE: OnceLock<HashMap<&'static str, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m = HashMap::with_capacity(LATIN.len() + LATIN_EXT_A.len() + AGL_EXTRA.len());
        for (name, c) in LATIN_EXT_A.iter().zip('\u{100}'..='\u{17F}') {
            m.insert(*name, c);
        }
        for &(name, c) in AGL_EXTRA {
            m.insert(name, c);
        }
        // The Latin character set wins over aliases (e.g. `Tcommaaccent` vs `Tcedilla`).
        for row in LATIN {
            m.insert(row.name, row.uni);
        }
        m
    })
}

/// Unicode for a glyph name, following the Adobe Glyph List specification: the part after the
/// first `.` is dropped, `_` joins ligature components, and each component is a known name,
/// `uniXXXX[XXXX…]` (BMP, non-surrogate) or `uXXXX`–`uXXXXXX`. Names that carry no character
/// information (`g12`, `cid00345`, `glyph7`, `.notdef`) give `None`. Components that cannot be
/// mapped are dropped; `None` when nothing maps.
#[allow(dead_code)] // API not called by the font layer yet
pub fn glyph_name_to_unicode(name: &str) -> Option<String> {
    let mut out = String::new();
    if glyph_name_to_unicode_into(name, &mut out) {
        Some(out)
    } else {
        None
    }
}

/// Like [`glyph_name_to_unicode`], appending to `out`; returns whether anything was appended.
pub fn glyph_name_to_unicode_into(name: &str, out: &mut String) -> bool {
    let base = name.split('.').next().unwrap_or("");
    let before = out.len();
    for component in base.split('_') {
        component_to_unicode(component, out);
    }
    out.len() > before
}

/// A glyph name that maps to exactly one character, else `None`.
#[allow(dead_code)] // API not called by the font layer yet
pub fn glyph_name_to_char(name: &str) -> Option<char> {
    let base = name.split('.').next().unwrap_or("");
    if !base.contains('_') {
        if let Some(&c) = glyph_table().get(base) {
            return Some(c);
        }
    }
    let s = glyph_name_to_unicode(name)?;
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(c)
}

fn component_to_unicode(component: &str, out: &mut String) {
    if component.is_empty() {
        return;
    }
    if let Some(&c) = glyph_table().get(component) {
        out.push(c);
        return;
    }
    if let Some(hex) = component.strip_prefix("uni") {
        if !hex.is_empty() && hex.len() % 4 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let start = out.len();
            for i in (0..hex.len()).step_by(4) {
                let cp = hex
                    .get(i..i + 4)
                    .and_then(|h| u32::from_str_radix(h, 16).ok());
                match cp.and_then(char::from_u32) {
                    Some(c) => out.push(c),
                    None => {
                        // A surrogate: the whole component is invalid.
                        out.truncate(start);
                        return;
                    }
                }
            }
            return;
        }
    }
    if let Some(hex) = component.strip_prefix('u') {
        if (4..=6).contains(&hex.len()) && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            if let Some(c) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                out.push(c);
            }
        }
    }
}

/// A simple font's code → Unicode mapping: a base encoding with `/Differences` applied.
#[derive(Debug, Clone)]
pub struct SimpleEncoding {
    table: CodeTable,
    /// Codes whose glyph name maps to more than one character (`f_f_i`, `uni00660069`).
    multi: Vec<(u8, String)>,
}

impl Default for SimpleEncoding {
    fn default() -> Self {
        SimpleEncoding::from_table(&STANDARD)
    }
}

impl SimpleEncoding {
    /// Start from a base encoding by name; unknown or absent names fall back to
    /// StandardEncoding (the default for non-symbolic Type 1 fonts).
    pub fn new(base: Option<&str>) -> Self {
        SimpleEncoding::from_table(base.and_then(base_encoding).unwrap_or(&STANDARD))
    }

    /// Start from an explicit table (e.g. [`mac_os_roman`] or a font's built-in encoding).
    pub fn from_table(table: &CodeTable) -> Self {
        SimpleEncoding {
            table: *table,
            multi: Vec::new(),
        }
    }

    /// An encoding in which no code is mapped (for fonts whose built-in encoding is unknown).
    pub fn empty() -> Self {
        SimpleEncoding {
            table: [None; 256],
            multi: Vec::new(),
        }
    }

    /// Apply one `/Differences` entry: `code` now shows the glyph `name`. An unmappable name
    /// clears the code (the base encoding's character would be wrong).
    pub fn set_glyph_name(&mut self, code: u8, name: &str) {
        self.multi.retain(|(c, _)| *c != code);
        let Some(slot) = self.table.get_mut(usize::from(code)) else {
            return;
        };
        *slot = None;
        let mut s = String::new();
        if glyph_name_to_unicode_into(name, &mut s) {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => *slot = Some(c),
                _ => {
                    *slot = s.chars().next();
                    self.multi.push((code, s));
                }
            }
        }
    }

    /// Set a code to a character directly.
    #[allow(dead_code)] // API not called by the font layer yet
    pub fn set_char(&mut self, code: u8, c: Option<char>) {
        self.multi.retain(|(k, _)| *k != code);
        if let Some(slot) = self.table.get_mut(usize::from(code)) {
            *slot = c;
        }
    }

    /// Set a code to a text (one or more characters; empty clears the code).
    #[allow(dead_code)] // API not called by the font layer yet
    pub fn set_text(&mut self, code: u8, text: &str) {
        self.multi.retain(|(k, _)| *k != code);
        let mut chars = text.chars();
        let first = chars.next();
        if let Some(slot) = self.table.get_mut(usize::from(code)) {
            *slot = first;
        }
        if chars.next().is_some() {
            self.multi.push((code, text.to_string()));
        }
    }

    /// Apply a `/Differences` array given as `(first code, names…)` runs, as read from the PDF:
    /// `[24 /breve /caron 39 /quotesingle]` → `[(24, ["breve", "caron"]), (39, ["quotesingle"])]`.
    /// Codes past 255 are ignored.
    pub fn apply_differences<'a, I, N>(&mut self, runs: I)
    where
        I: IntoIterator<Item = (u32, N)>,
        N: IntoIterator<Item = &'a str>,
    {
        for (first, names) in runs {
            for (code, name) in (first..).zip(names) {
                if let Ok(code) = u8::try_from(code) {
                    self.set_glyph_name(code, name);
                }
            }
        }
    }

    /// The single character for a code (the first one for multi-character glyphs).
    #[allow(dead_code)] // API not called by the font layer yet
    pub fn lookup(&self, code: u8) -> Option<char> {
        self.table.get(usize::from(code)).copied().flatten()
    }

    /// Append the full Unicode text for a code to `out`; returns whether anything was appended.
    pub fn lookup_into(&self, code: u8, out: &mut String) -> bool {
        if !self.multi.is_empty() {
            if let Some((_, s)) = self.multi.iter().find(|(c, _)| *c == code) {
                out.push_str(s);
                return true;
            }
        }
        match self.table.get(usize::from(code)).copied().flatten() {
            Some(c) => {
                out.push(c);
                true
            }
            None => false,
        }
    }

    /// The whole table (first character per code).
    #[allow(dead_code)] // API not called by the font layer yet
    pub fn table(&self) -> &CodeTable {
        &self.table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_encodings_known_codes() {
        let cases: &[(&str, u8, Option<char>)] = &[
            ("WinAnsiEncoding", 0x41, Some('A')),
            ("WinAnsiEncoding", 0x80, Some('€')),
            ("WinAnsiEncoding", 0x93, Some('“')),
            ("WinAnsiEncoding", 0x96, Some('–')),
            ("WinAnsiEncoding", 0xA0, Some(' ')),
            ("WinAnsiEncoding", 0xAD, Some('-')),
            ("WinAnsiEncoding", 0x81, Some('•')),
            ("WinAnsiEncoding", 0xE9, Some('é')),
            ("WinAnsiEncoding", 0x27, Some('\'')),
            ("WinAnsiEncoding", 0x10, None),
            ("MacRomanEncoding", 0x80, Some('Ä')),
            ("MacRomanEncoding", 0xD2, Some('“')),
            ("MacRomanEncoding", 0xDB, Some('¤')),
            ("MacRomanEncoding", 0xCA, Some(' ')),
            ("MacRomanEncoding", 0xAD, None),
            ("StandardEncoding", 0x27, Some('’')),
            ("StandardEncoding", 0x60, Some('‘')),
            ("StandardEncoding", 0xAE, Some('ﬁ')),
            ("StandardEncoding", 0xC1, Some('`')),
            ("StandardEncoding", 0xE8, Some('Ł')),
            ("StandardEncoding", 0xC0, None),
            ("PDFDocEncoding", 0x18, Some('˘')),
            ("PDFDocEncoding", 0x8A, Some('−')),
            ("PDFDocEncoding", 0xA0, Some('€')),
            ("PDFDocEncoding", 0xE9, Some('é')),
            ("PDFDocEncoding", 0x0A, Some('\n')),
        ];
        for &(enc, code, want) in cases {
            let table = base_encoding(enc).expect(enc);
            assert_eq!(table[usize::from(code)], want, "{enc} {code:#04x}");
        }
        assert!(base_encoding("Identity-H").is_none());
        assert_eq!(mac_os_roman()[0xAD], Some('≠'));
        assert_eq!(mac_os_roman()[0xDB], Some('€'));
    }

    /// WinAnsi is Windows-1252 except the documented spec notes; MacRoman is Mac OS Roman
    /// except the characters PDF leaves out.
    #[test]
    fn base_encodings_agree_with_encoding_rs() {
        let spec_notes: &[u8] = &[0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D, 0xA0, 0xAD];
        let mut checked = 0;
        for b in 0x20u8..=0xFF {
            if spec_notes.contains(&b) {
                continue;
            }
            let bytes = [b];
            let (s, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
            assert_eq!(
                WIN_ANSI[usize::from(b)],
                s.chars().next(),
                "WinAnsi {b:#04x}"
            );
            checked += 1;
        }
        assert_eq!(checked, 216);
        // PDFDocEncoding is Latin-1 from 0xA1 up (0xAD undefined) and ASCII below 0x7F.
        for b in (0x20u8..0x7F).chain(0xA1..=0xFF).filter(|&b| b != 0xAD) {
            assert_eq!(
                PDF_DOC[usize::from(b)],
                Some(char::from(b)),
                "PDFDoc {b:#04x}"
            );
        }
        assert_eq!(PDF_DOC[0xAD], None);
        for b in 0x20u8..=0xFF {
            let bytes = [b];
            let (s, _, _) = encoding_rs::MACINTOSH.decode(&bytes);
            let expected = s.chars().next();
            match b {
                0xCA => assert_eq!(MAC_OS_ROMAN[0xCA], expected),
                0x7F => assert_eq!(MAC_ROMAN[0x7F], None),
                _ => assert_eq!(
                    MAC_OS_ROMAN[usize::from(b)],
                    expected,
                    "Mac OS Roman {b:#04x}"
                ),
            }
            if let Some(c) = MAC_ROMAN[usize::from(b)] {
                if b != 0xDB && b != 0xCA {
                    assert_eq!(Some(c), expected, "MacRoman {b:#04x}");
                }
            }
        }
    }

    #[test]
    fn glyph_names() {
        let cases: &[(&str, Option<&str>)] = &[
            ("A", Some("A")),
            ("quotedblleft", Some("“")),
            ("uni30A2", Some("ア")),
            ("uni30a2", Some("ア")),
            ("uni00660069", Some("fi")),
            ("u20B9F", Some("𠮟")),
            ("u1F600", Some("😀")),
            ("uD800", None),
            ("uniD840DC00", None),
            ("f_f_i", Some("ffi")),
            ("a.sc", Some("a")),
            ("one.oldstyle", Some("1")),
            ("Lslash", Some("Ł")),
            ("zdotaccent", Some("ż")),
            ("Scommaaccent", Some("Ș")),
            ("alpha", Some("α")),
            ("g12", None),
            ("cid00345", None),
            ("glyph7", None),
            (".notdef", None),
            ("", None),
            ("uni", None),
            ("uniXYZW", None),
            ("T_h.alt", Some("Th")),
        ];
        for &(name, want) in cases {
            assert_eq!(glyph_name_to_unicode(name).as_deref(), want, "{name}");
        }
        assert_eq!(glyph_name_to_char("uni30A2"), Some('ア'));
        assert_eq!(glyph_name_to_char("f_i"), None);
        assert_eq!(glyph_name_to_char("space"), Some(' '));
    }

    #[test]
    fn codes_are_unique_per_encoding() {
        for column in [STD, MAC, WIN, PDF] {
            let mut seen = [false; 256];
            for row in LATIN {
                let code = usize::from(row.codes[column]);
                if code != 0 {
                    assert!(!seen[code], "{} duplicates code {code:#04x}", row.name);
                    seen[code] = true;
                }
            }
        }
    }

    #[test]
    fn every_latin_name_round_trips() {
        for row in LATIN {
            assert_eq!(glyph_name_to_char(row.name), Some(row.uni), "{}", row.name);
        }
        for (name, c) in LATIN_EXT_A.iter().zip('\u{100}'..='\u{17F}') {
            if [
                "dotlessi", "OE", "oe", "Lslash", "lslash", "Scaron", "scaron",
            ]
            .contains(name)
                || ["Ydieresis", "Zcaron", "zcaron"].contains(name)
            {
                continue;
            }
            assert_eq!(glyph_name_to_char(name), Some(c), "{name}");
        }
    }

    #[test]
    fn base_glyph_names() {
        let cases: &[(&str, u8, Option<&str>)] = &[
            ("WinAnsiEncoding", 0x93, Some("quotedblleft")),
            ("WinAnsiEncoding", 0x27, Some("quotesingle")),
            ("WinAnsiEncoding", 0xA0, Some("space")),
            ("StandardEncoding", 0x27, Some("quoteright")),
            ("StandardEncoding", 0x60, Some("quoteleft")),
            ("StandardEncoding", 0x41, Some("A")),
            ("MacRomanEncoding", 0x80, Some("Adieresis")),
            ("MacRomanEncoding", 0x60, Some("grave")),
            ("WinAnsiEncoding", 0x00, None),
            ("Nonsense", 0x41, None),
        ];
        for &(enc, code, want) in cases {
            assert_eq!(base_glyph_name(enc, code), want, "{enc} {code:#04x}");
        }
    }

    #[test]
    fn differences() {
        let mut enc = SimpleEncoding::new(Some("WinAnsiEncoding"));
        enc.apply_differences([
            (0x41u32, vec!["uni30A2", "g17"]),
            (0x80, vec!["f_f_i"]),
            (0xFF, vec!["a", "b"]),
        ]);
        let mut s = String::new();
        let cases: &[(u8, Option<&str>)] = &[
            (0x41, Some("ア")),
            (0x42, None),
            (0x43, Some("C")),
            (0x80, Some("ffi")),
            (0xFF, Some("a")),
            (0x93, Some("“")),
        ];
        for &(code, want) in cases {
            s.clear();
            let hit = enc.lookup_into(code, &mut s);
            assert_eq!(hit.then_some(s.as_str()), want, "{code:#04x}");
        }
        assert_eq!(enc.lookup(0x80), Some('f'));
        enc.set_glyph_name(0x80, "Euro");
        s.clear();
        assert!(enc.lookup_into(0x80, &mut s));
        assert_eq!(s, "€");
        assert_eq!(SimpleEncoding::new(None).lookup(0x27), Some('’'));
        enc.set_text(0x30, "ffl");
        enc.set_text(0x31, "");
        s.clear();
        assert!(enc.lookup_into(0x30, &mut s));
        assert!(!enc.lookup_into(0x31, &mut s));
        assert_eq!(s, "ffl");
        assert_eq!(SimpleEncoding::empty().lookup(0x41), None);
    }

    #[test]
    fn text_strings() {
        assert_eq!(
            decode_text_string(b"\xFE\xFF\x30\xA2\xD8\x42\xDF\x9F"),
            "ア𠮟"
        );
        assert_eq!(decode_text_string("\u{FEFF}年度".as_bytes()), "年度");
        assert_eq!(decode_text_string(b"Caf\xE9 \x8D\x8E"), "Café “”");
        assert_eq!(decode_text_string(b"\x7F"), "\u{FFFD}");
    }
}
