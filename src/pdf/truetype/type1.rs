//! Type 1 font programs: the built-in encoding of the clear-text part.

use super::*;

/// Type 1: only the built-in `/Encoding` of the clear-text part is read.
pub(super) fn parse_type1(data: &[u8]) -> Option<FontProgram> {
    let clear = match data {
        [0x80, 0x01, a, b, c, d, rest @ ..] => {
            let len = u32::from_le_bytes([*a, *b, *c, *d]) as usize;
            rest.get(..len.min(rest.len()))?
        }
        _ => data,
    };
    let clear = match find(clear, b"eexec") {
        Some(at) => clear.get(..at)?,
        None => clear,
    };
    let at = find(clear, b"/Encoding")?;
    let rest = clear.get(at + b"/Encoding".len()..)?;
    let mut words = rest
        .split(|b| b" \t\r\n[]{}".contains(b))
        .filter(|w| !w.is_empty())
        .peekable();
    let builtin = if words.peek() == Some(&&b"StandardEncoding"[..]) {
        SimpleEncoding::new(Some("StandardEncoding"))
    } else {
        let mut enc = SimpleEncoding::empty();
        let mut window: [&[u8]; 3] = [b"", b"", b""];
        for w in words {
            if w == b"def" {
                break;
            }
            if w == b"put" && window[0] == b"dup" {
                let code = std::str::from_utf8(window[1])
                    .ok()
                    .and_then(|s| s.parse::<u8>().ok());
                let name = window[2]
                    .strip_prefix(b"/")
                    .and_then(|n| std::str::from_utf8(n).ok());
                if let (Some(code), Some(name)) = (code, name) {
                    enc.set_glyph_name(code, name);
                }
            }
            window = [window[1], window[2], w];
        }
        enc
    };
    Some(FontProgram {
        kind: ProgramKind::Type1,
        num_glyphs: 0,
        vals: Vec::new(),
        multi: Vec::new(),
        cid_to_gid: None,
        ros: None,
        simple: None,
        builtin: Some(builtin),
    })
}
