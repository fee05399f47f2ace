use super::*;
use std::io::Write;

fn zlib(data: &[u8], level: u32) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
    e.write_all(data).expect("compress");
    e.finish().expect("compress")
}

fn strict(data: &[u8]) -> Vec<u8> {
    let mut d = flate2::Decompress::new(true);
    let mut out = Vec::with_capacity(1 << 20);
    let r = d.decompress_vec(data, &mut out, flate2::FlushDecompress::Finish);
    assert!(matches!(r, Ok(flate2::Status::StreamEnd)), "{r:?}");
    out
}

fn sample(n: usize) -> Vec<u8> {
    let words = [
        "<< /Type /Font ",
        "/Widths [500 1000] ",
        "BT /F1 12 Tf ",
        "(ab) Tj ",
        "ET\n",
    ];
    let mut out = Vec::new();
    let mut i = 7usize;
    while out.len() < n {
        i = i.wrapping_mul(2_654_435_761) % 1_000_003;
        out.extend_from_slice(words[i % words.len()].as_bytes());
        out.push(u8::try_from(i % 256).unwrap_or(0));
    }
    out.truncate(n);
    out
}

/// Bits written least significant first, as deflate reads them.
#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl BitWriter {
    fn put(&mut self, v: u32, bits: u32) {
        for k in 0..bits {
            self.acc |= ((v >> k) & 1) << self.n;
            self.n += 1;
            if self.n == 8 {
                self.out.push(u8::try_from(self.acc).unwrap_or(0));
                self.acc = 0;
                self.n = 0;
            }
        }
    }

    /// A Huffman code: most significant bit first.
    fn code(&mut self, code: u32, bits: u32) {
        for k in (0..bits).rev() {
            self.put((code >> k) & 1, 1);
        }
    }

    /// A literal/length symbol of the fixed code.
    fn fixed(&mut self, sym: u32) {
        match sym {
            0..=143 => self.code(0x30 + sym, 8),
            144..=255 => self.code(0x190 + sym - 144, 9),
            256..=279 => self.code(sym - 256, 7),
            _ => self.code(0xC0 + sym - 280, 8),
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(u8::try_from(self.acc).unwrap_or(0));
        }
        self.out
    }
}

/// A zlib stream of one fixed-code block: literals, then a back-reference (length code 257, three
/// bytes; distance code `dist`, no extra bits), then `tail` symbols.
fn fixed_block(lits: &[u8], dist: u32, tail: &[u32]) -> Vec<u8> {
    let mut w = BitWriter::default();
    w.put(1, 1);
    w.put(1, 2);
    for &b in lits {
        w.fixed(u32::from(b));
    }
    w.fixed(257);
    w.code(dist, 5);
    for &s in tail {
        w.fixed(s);
    }
    let mut out = vec![0x78, 0x9c];
    out.extend(w.finish());
    out
}

#[test]
fn valid_streams_inflate_as_the_strict_decoder_does() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", zlib(b"", 6)),
        ("short, fixed codes", zlib(b"BT /F1 12 Tf (abc) Tj ET", 6)),
        ("stored", zlib(&sample(1000), 0)),
        ("stored, several blocks", zlib(&sample(200_000), 0)),
        ("fast", zlib(&sample(50_000), 1)),
        ("default", zlib(&sample(50_000), 6)),
        ("best", zlib(&sample(300_000), 9)),
        ("long runs", zlib(&[b'x'; 100_000], 9)),
    ];
    for (name, data) in cases {
        let got = inflate(&data, true, usize::MAX);
        assert_eq!(got.data, strict(&data), "{name}");
        assert_eq!(got.damage, vec![], "{name}");
        assert!(!got.over_cap, "{name}");
        // raw deflate data too
        let raw = inflate(data.get(2..).unwrap_or_default(), false, usize::MAX);
        assert_eq!(raw.data, got.data, "{name}: raw");
    }
}

#[test]
fn damage_is_read_past_or_stops_as_poppler_does() {
    let text = sample(3000);
    let good = zlib(&text, 6);
    let n = good.len();
    let flip = |data: &[u8], at: usize, x: u8| {
        let mut d = data.to_vec();
        d[at] ^= x;
        d
    };
    let stored = zlib(b"stored block data", 0);
    let mut bad_type = vec![0x78, 0x9c, 0x07];
    bad_type.extend_from_slice(&[0; 8]);
    // (case, data, bytes wanted, damage wanted as (kind, offset, bytes inflated by then))
    type Case = (&'static str, Vec<u8>, Vec<u8>, Vec<(Kind, usize, usize)>);
    let cases: Vec<Case> = vec![
        (
            "checksum flipped",
            flip(&good, n - 2, 0x10),
            text.clone(),
            vec![(Kind::Checksum, n - 4, 3000)],
        ),
        (
            "header check bits",
            flip(&good, 1, 0x01),
            text.clone(),
            vec![(Kind::Header, 0, 0)],
        ),
        (
            "checksum left out",
            good.get(..n - 4).unwrap_or_default().to_vec(),
            text.clone(),
            vec![],
        ),
        (
            "stored length's complement",
            flip(&stored, 5, 0x01),
            b"stored block data".to_vec(),
            vec![(Kind::StoredLength, 3, 0)],
        ),
        (
            "back-reference before the start",
            fixed_block(b"a", 3, &[256]),
            b"a\0\0\0".to_vec(),
            vec![(Kind::Distance, 4, 1)],
        ),
        (
            "reserved block type",
            bad_type,
            vec![],
            vec![(Kind::BadCode, 2, 0)],
        ),
        (
            "reserved length symbol",
            fixed_block(b"ab", 0, &[b'c'.into(), 286, b'd'.into(), 256]),
            b"abbbbc".to_vec(),
            vec![(Kind::BadCode, 7, 6)],
        ),
        (
            "cut short",
            good.get(..n / 2).unwrap_or_default().to_vec(),
            vec![],
            vec![(Kind::Truncated, n / 2, 0)],
        ),
    ];
    for (name, data, want, damage) in cases {
        // each kind of damage is one the strict decoder refuses
        let mut d = flate2::Decompress::new(true);
        let mut sink = Vec::with_capacity(1 << 16);
        let refused = !matches!(
            d.decompress_vec(&data, &mut sink, flate2::FlushDecompress::Finish),
            Ok(flate2::Status::StreamEnd)
        );
        // (zlib wants the checksum a few producers leave out: no damage here)
        let unchecked = matches!(name, "cut short" | "checksum left out");
        assert_eq!(refused, !damage.is_empty() || unchecked, "{name}");
        let got = inflate(&data, true, usize::MAX);
        let have: Vec<(Kind, usize, usize)> = got
            .damage
            .iter()
            .map(|d| (d.kind, d.offset, d.inflated))
            .collect();
        if name == "cut short" {
            // what inflated before the cut is the start of the text
            assert!(
                !got.data.is_empty() && text.starts_with(&got.data),
                "{name}"
            );
            assert_eq!(have.len(), 1, "{name}");
            assert_eq!(have[0].0, Kind::Truncated, "{name}");
            assert_eq!(have[0].1, n / 2, "{name}");
            continue;
        }
        assert_eq!(got.data, want, "{name}");
        assert_eq!(have, damage, "{name}");
    }
}

#[test]
fn the_cap_bounds_the_output() {
    let data = zlib(&[b'x'; 10_000], 6);
    let got = inflate(&data, true, 100);
    assert_eq!(got.data.len(), 100);
    assert!(got.over_cap);
    assert_eq!(got.damage, vec![]);
}

#[test]
fn kinds_say_whether_inflating_stops() {
    let table = [
        (Kind::Header, false),
        (Kind::StoredLength, false),
        (Kind::Distance, false),
        (Kind::Checksum, false),
        (Kind::BadCode, true),
        (Kind::BadTable, true),
        (Kind::Truncated, true),
    ];
    for (kind, stops) in table {
        assert_eq!(kind.stops(), stops, "{kind:?}");
        assert!(!kind.describe().is_empty());
    }
}
