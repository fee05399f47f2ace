use super::*;
use lopdf::content::Content;

type Ops = Vec<(String, Vec<Object>)>;

fn ours(data: &[u8]) -> Ops {
    let mut t = Tokens::new(data);
    let mut out = Vec::new();
    while let Some(op) = t.advance() {
        out.push((op.to_string(), t.operands().to_vec()));
    }
    out
}

/// lopdf's decoder, up to its first error.
fn lopdf_ops(data: &[u8]) -> Ops {
    Content::decode_iter(data)
        .map_while(|r| r.ok())
        .map(|op| (op.operator, op.operands))
        .collect()
}

fn int(v: i64) -> Object {
    Object::Integer(v)
}

fn real(v: f32) -> Object {
    Object::Real(v)
}

fn name(n: &str) -> Object {
    Object::Name(n.as_bytes().to_vec())
}

fn lit(s: &[u8]) -> Object {
    Object::String(s.to_vec(), StringFormat::Literal)
}

fn hex(s: &[u8]) -> Object {
    Object::String(s.to_vec(), StringFormat::Hexadecimal)
}

fn op(o: &str, operands: Vec<Object>) -> (String, Vec<Object>) {
    (o.to_string(), operands)
}

#[test]
fn operations_table() {
    let mut dict = Dictionary::new();
    dict.set("MCID", 3);
    let cases: Vec<(&[u8], Ops)> = vec![
        (b"", vec![]),
        (b"  \n", vec![]),
        (
            b"q 1 0 0 1 72.5 -.5 cm Q",
            vec![
                op("q", vec![]),
                op(
                    "cm",
                    vec![int(1), int(0), int(0), int(1), real(72.5), real(-0.5)],
                ),
                op("Q", vec![]),
            ],
        ),
        (b"/F1 12Tf", vec![op("Tf", vec![name("F1"), int(12)])]),
        (b"/A#41#4 5 d0", vec![]), // `#4 ` ends the name; `#` is no operator
        (b"/A#42 d1", vec![op("d1", vec![name("AB")])]),
        (
            b"(a\\(b\\)c\\101\\0611\\\nd\r\ne(f)) Tj",
            vec![op("Tj", vec![lit(b"a(b)cA11d\ne(f)")])],
        ),
        (b"(a\\nb\\q) '", vec![op("'", vec![lit(b"a\nbq")])]),
        (b"<48 65 6C6c 6> Tj", vec![op("Tj", vec![hex(b"Hell\x60")])]),
        (b"<4G> Tj", vec![]),
        (
            b"[(A) -120 (B) 1.5] TJ",
            vec![op(
                "TJ",
                vec![Object::Array(vec![
                    lit(b"A"),
                    int(-120),
                    lit(b"B"),
                    real(1.5),
                ])],
            )],
        ),
        (
            b"[1 0 R %c\n 2] x",
            vec![op(
                "x",
                vec![Object::Array(vec![Object::Reference((1, 0)), int(2)])],
            )],
        ),
        (
            b"/P <</MCID 3>> BDC EMC",
            vec![
                op("BDC", vec![name("P"), Object::Dictionary(dict)]),
                op("EMC", vec![]),
            ],
        ),
        (
            b"% comment\n  BT\n%x\nET",
            vec![op("BT", vec![]), op("ET", vec![])],
        ),
        (
            b"BT 1 % not between operands\n 2 Td ET",
            vec![op("BT", vec![])],
        ),
        (
            b"0.00-41 1.5-2 Td",
            vec![op("Td", vec![real(0.0041), real(1.52)])],
        ),
        (
            b"null true false nullx",
            vec![op(
                "x",
                vec![
                    Object::Null,
                    Object::Boolean(true),
                    Object::Boolean(false),
                    Object::Null,
                ],
            )],
        ),
        (b"99999999999999999999 w", vec![]),
        (
            b"f* n B*",
            vec![op("f*", vec![]), op("n", vec![]), op("B*", vec![])],
        ),
        (b"1 2 3 RG 4", vec![op("RG", vec![int(1), int(2), int(3)])]),
        (b"(unterminated Tj", vec![]),
        (b"q [1 2 Tj Q", vec![op("q", vec![])]),
        (
            b"BI /W 2 /H 1 /BPC 8 /CS /G ID \x01\x02 EI Q",
            vec![op("BI", vec![]), op("Q", vec![])],
        ),
        (
            b"BI /W 1 /H 1 /F /AHx ID 0> EI Q",
            vec![op("BI", vec![]), op("Q", vec![])],
        ),
        (b"BI /W 1 /H 1 /F /AHx ID 0>EIQ", vec![]),
        (b"BI /W 2 ID", vec![]),
    ];
    for (input, want) in cases {
        let got = ours(input);
        let text = String::from_utf8_lossy(input);
        // The inline image of a known size is an operand; compare its operator only here.
        let strip = |ops: Ops| -> Ops {
            ops.into_iter()
                .map(|(o, v)| if o == "BI" { (o, vec![]) } else { (o, v) })
                .collect()
        };
        assert_eq!(strip(got.clone()), want, "{text}");
        assert_eq!(got, lopdf_ops(input), "lopdf differs on {text}");
    }
}

#[test]
fn inline_image_of_known_size_is_an_operand() {
    let got = ours(b"BI /W 2 /H 1 /BPC 8 /CS /G ID EI EI Q");
    let Object::Stream(s) = &got[0].1[0] else {
        panic!("no image: {got:?}");
    };
    // The data is read by its size, so an `EI` inside it is data.
    assert_eq!(s.content, b"EI");
    assert_eq!(got[1].0, "Q");
}

#[test]
fn nesting_limits() {
    let deep = |n: usize| [b"[".repeat(n), b"]".repeat(n), b" x".to_vec()].concat();
    for n in [1, 99, 100, 101, 102] {
        let input = deep(n);
        assert_eq!(ours(&input), lopdf_ops(&input), "{n} levels");
    }
    assert_eq!(ours(&deep(100)).len(), 1, "100 levels are read");
    assert!(ours(&deep(101)).is_empty());
    let parens = |n: usize| [b"(".repeat(n), b")".repeat(n), b" Tj".to_vec()].concat();
    for n in [1, 100, 101, 102] {
        let input = parens(n);
        assert_eq!(ours(&input), lopdf_ops(&input), "{n} parentheses");
    }
}

/// The decoded content streams of every page of every third PDF among the fixtures (all of them
/// take a minute in a debug build).
fn fixture_streams() -> Vec<Vec<u8>> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "pdf") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut files,
    );
    let mut streams = Vec::new();
    for f in files.into_iter().step_by(3) {
        let Ok(doc) = lopdf::Document::load(&f) else {
            continue;
        };
        for (_, id) in doc.get_pages() {
            streams.push(doc.get_page_content(id));
        }
    }
    streams
}

#[test]
fn same_operations_as_lopdf_on_fixtures_and_damaged_copies() {
    let streams = fixture_streams();
    assert!(streams.len() > 40, "{} streams", streams.len());
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut rand = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let alphabet: &[u8] = b"()<>[]{}/%\\#\r\n 0-.9eIDBE";
    let mut ops = 0;
    for data in &streams {
        let want = lopdf_ops(data);
        assert_eq!(ours(data), want);
        ops += want.len();
        for _ in 0..12 {
            let mut damaged = data.clone();
            if damaged.is_empty() {
                break;
            }
            for _ in 0..1 + rand(3) {
                let at = rand(damaged.len());
                match rand(3) {
                    0 => damaged[at] = alphabet[rand(alphabet.len())],
                    1 => damaged.insert(at, alphabet[rand(alphabet.len())]),
                    _ => damaged.truncate(at.max(1)),
                }
            }
            // Only a prefix is compared: the damage is found where lopdf finds it.
            let window = &damaged[..damaged.len().min(4096)];
            assert_eq!(ours(window), lopdf_ops(window));
        }
    }
    assert!(ops > 5_000, "{ops} operations");
}
