//! What calamine does not say about an `.xls` (BIFF8) workbook: hidden rows and columns, and the
//! number format of each numeric cell, so that values are shown as displayed.
//!
//! The `Workbook` stream is read from the compound file with `cfb`; only these records are
//! looked at: `FORMAT` and `XF` (the format of each cell style), `BOUNDSHEET` (where each sheet's
//! records start), and in each sheet `ROW` (hidden flag), `COLINFO` (hidden flag) and the cells
//! carrying numbers (`NUMBER`, `RK`, `MULRK`, `FORMULA`) with their style index. A record that
//! cannot be read gives no extra information, never an error.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

/// Per sheet (by name): hidden rows, hidden columns, and the format code of numeric cells.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct SheetExtra {
    pub hidden_rows: HashSet<u32>,
    pub hidden_cols: HashSet<u32>,
    pub formats: HashMap<(u32, u32), String>,
}

/// The largest `Workbook` stream looked at.
const MAX_STREAM: u64 = 64 << 20;

/// Read the extras of every sheet; None when the file is no readable compound file with a
/// workbook stream (calamine is then not asked, as it may panic on a damaged file).
pub(super) fn read(bytes: &[u8]) -> Option<HashMap<String, SheetExtra>> {
    stream(bytes).map(|s| parse(&s))
}

fn stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cf.is_stream(n))?;
    let s = cf.open_stream(name).ok()?;
    let mut out = Vec::new();
    s.take(MAX_STREAM).read_to_end(&mut out).ok()?;
    Some(out)
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    let b = d.get(at..at + 2)?;
    Some(u16::from_le_bytes([*b.first()?, *b.get(1)?]))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    let b = d.get(at..at + 4)?;
    Some(u32::from_le_bytes([
        *b.first()?,
        *b.get(1)?,
        *b.get(2)?,
        *b.get(3)?,
    ]))
}

/// Records from `at`: (type, data, offset of the next record).
fn record(s: &[u8], at: usize) -> Option<(u16, &[u8], usize)> {
    let typ = u16_at(s, at)?;
    let len = usize::from(u16_at(s, at + 2)?);
    let data = s.get(at + 4..at + 4 + len)?;
    Some((typ, data, at + 4 + len))
}

/// An `XLUnicodeString` (16-bit length) or `ShortXLUnicodeString` (8-bit length) at `at`.
fn string(d: &[u8], at: usize, short: bool) -> Option<String> {
    let (cch, flags_at) = if short {
        (usize::from(*d.get(at)?), at + 1)
    } else {
        (usize::from(u16_at(d, at)?), at + 2)
    };
    let wide = d.get(flags_at)? & 1 == 1;
    let start = flags_at + 1;
    if wide {
        let units: Vec<u16> = (0..cch)
            .map(|k| u16_at(d, start + 2 * k))
            .collect::<Option<_>>()?;
        Some(String::from_utf16_lossy(&units))
    } else {
        let b = d.get(start..start + cch)?;
        Some(b.iter().map(|&c| char::from(c)).collect())
    }
}

/// Built-in number formats (those a display differs for; dates are left to calamine).
fn builtin(ifmt: u16) -> Option<&'static str> {
    Some(match ifmt {
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        _ => return None,
    })
}

fn parse(s: &[u8]) -> HashMap<String, SheetExtra> {
    let mut formats: HashMap<u16, String> = HashMap::new();
    let mut xfs: Vec<u16> = Vec::new();
    let mut sheets: Vec<(String, usize)> = Vec::new();
    let mut at = 0usize;
    while let Some((typ, d, next)) = record(s, at) {
        match typ {
            0x041E => {
                if let (Some(i), Some(code)) = (u16_at(d, 0), string(d, 2, false)) {
                    formats.insert(i, code);
                }
            }
            0x00E0 => xfs.push(u16_at(d, 2).unwrap_or(0)),
            0x0085 => {
                if let (Some(pos), Some(name)) = (u32_at(d, 0), string(d, 6, true)) {
                    sheets.push((name, pos as usize));
                }
            }
            0x000A => break,
            _ => {}
        }
        at = next;
    }
    let code_of = |ixfe: u16| -> Option<String> {
        let ifmt = *xfs.get(usize::from(ixfe))?;
        formats
            .get(&ifmt)
            .cloned()
            .or_else(|| builtin(ifmt).map(str::to_string))
    };
    let mut out = HashMap::new();
    for (name, pos) in sheets {
        let mut extra = SheetExtra::default();
        let mut at = pos;
        let cell = |extra: &mut SheetExtra, r: u16, c: u16, ixfe: u16| {
            if let Some(code) = code_of(ixfe) {
                extra.formats.insert((u32::from(r), u32::from(c)), code);
            }
        };
        while let Some((typ, d, next)) = record(s, at) {
            match typ {
                0x0208 => {
                    if let (Some(r), Some(flags)) = (u16_at(d, 0), u16_at(d, 12)) {
                        if flags & 0x20 != 0 {
                            extra.hidden_rows.insert(u32::from(r));
                        }
                    }
                }
                0x007D => {
                    if let (Some(c0), Some(c1), Some(flags)) =
                        (u16_at(d, 0), u16_at(d, 2), u16_at(d, 8))
                    {
                        if flags & 1 != 0 {
                            // The last column of a sheet is 255; a range past it is bogus.
                            extra
                                .hidden_cols
                                .extend((u32::from(c0)..=u32::from(c1)).take(256));
                        }
                    }
                }
                0x0203 | 0x027E | 0x0006 => {
                    if let (Some(r), Some(c), Some(x)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4))
                    {
                        cell(&mut extra, r, c, x);
                    }
                }
                0x00BD => {
                    if let (Some(r), Some(c0)) = (u16_at(d, 0), u16_at(d, 2)) {
                        // (ixfe, RK value) pairs of 6 bytes, then the last column.
                        let n = d.len().saturating_sub(6) / 6;
                        for k in 0..n {
                            if let Some(x) = u16_at(d, 4 + 6 * k) {
                                let c = c0.saturating_add(u16::try_from(k).unwrap_or(u16::MAX));
                                cell(&mut extra, r, c, x);
                            }
                        }
                    }
                }
                0x000A => break,
                _ => {}
            }
            at = next;
        }
        out.insert(name, extra);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    fn u16s(v: &[u16]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    #[test]
    fn records_give_hidden_rows_columns_and_formats() {
        // Globals: a custom format 164, two XFs (0: General, 1: format 164, 2: built-in 10),
        // one sheet whose records follow.
        let code = b"#,##0;\"-\"#,##0";
        let mut fmt = u16s(&[164, code.len() as u16]);
        fmt.push(0);
        fmt.extend(code);
        let mut globals = rec(0x041E, &fmt);
        globals.extend(rec(0x00E0, &u16s(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0])));
        globals.extend(rec(0x00E0, &u16s(&[0, 164, 0, 0, 0, 0, 0, 0, 0, 0])));
        globals.extend(rec(0x00E0, &u16s(&[0, 10, 0, 0, 0, 0, 0, 0, 0, 0])));
        // BOUNDSHEET (position, state, type, a 2-character name), then EOF, then the sheet.
        let sheet_at = globals.len() + (4 + 10) + 4;
        let mut bs = (sheet_at as u32).to_le_bytes().to_vec();
        bs.extend([0, 0, 2, 0]);
        bs.extend(b"S1");
        globals.extend(rec(0x0085, &bs));
        globals.extend(rec(0x000A, &[]));
        assert_eq!(globals.len(), sheet_at);
        let mut sheet = Vec::new();
        sheet.extend(rec(0x0208, &u16s(&[3, 0, 4, 300, 0, 0, 0x20, 0]))); // row 3 hidden
        sheet.extend(rec(0x0208, &u16s(&[4, 0, 4, 300, 0, 0, 0x00, 0]))); // row 4 shown
        sheet.extend(rec(0x007D, &u16s(&[2, 3, 0, 0, 1, 0]))); // columns 2-3 hidden
        sheet.extend(rec(0x007D, &u16s(&[5, 5, 0, 0, 0, 0]))); // column 5 shown
        let mut number = u16s(&[4, 1, 1]);
        number.extend(1200f64.to_le_bytes());
        sheet.extend(rec(0x0203, &number));
        let mut mulrk = u16s(&[5, 0]);
        mulrk.extend(u16s(&[2, 0, 0, 0, 0, 0]));
        mulrk.extend(u16s(&[1]));
        sheet.extend(rec(0x00BD, &mulrk));
        sheet.extend(rec(0x000A, &[]));
        let mut s = globals;
        s.extend(sheet);
        let got = parse(&s);
        let extra = got.get("S1").expect("sheet");
        let cases: Vec<(&str, bool)> = vec![
            ("row 3 hidden", extra.hidden_rows.contains(&3)),
            ("row 4 shown", !extra.hidden_rows.contains(&4)),
            ("column 2 hidden", extra.hidden_cols.contains(&2)),
            ("column 3 hidden", extra.hidden_cols.contains(&3)),
            ("column 5 shown", !extra.hidden_cols.contains(&5)),
        ];
        for (what, ok) in cases {
            assert!(ok, "{what}: {extra:?}");
        }
        assert_eq!(
            extra.formats.get(&(4, 1)).map(String::as_str),
            Some("#,##0;\"-\"#,##0")
        );
        assert_eq!(
            extra.formats.get(&(5, 0)).map(String::as_str),
            Some("0.00%")
        );
        assert_eq!(extra.formats.get(&(5, 1)), None);
    }

    #[test]
    fn not_a_compound_file_gives_nothing() {
        assert!(read(b"not an xls").is_none());
    }
}
