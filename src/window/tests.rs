use super::*;

const CARD: &str = include_str!("../../fixtures/text/card-basic.txt");
const TABLE: &str = include_str!("../../fixtures/text/table-basic.txt");

/// A fixture's front matter, then its items `copies` times with the numbers in cell `k` of the
/// lines starting with `label` (any line when empty) running on.
fn repeated(text: &str, copies: usize, body: &str, label: &str, k: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.starts_with(body)).unwrap();
    let is_start = |cells: &[&str]| {
        (label.is_empty() || cells.first() == Some(&label))
            && cells
                .get(k)
                .is_some_and(|c| !c.is_empty() && c.chars().all(|x| x.is_ascii_digit()))
    };
    let per = lines[start..]
        .iter()
        .filter(|l| is_start(&l.split('\t').collect::<Vec<_>>()))
        .count();
    let mut out: Vec<String> = lines[..start].iter().map(|l| l.to_string()).collect();
    for copy in 0..copies {
        for l in &lines[start..] {
            let refs: Vec<&str> = l.split('\t').collect();
            let mut cells: Vec<String> = refs.iter().map(|c| c.to_string()).collect();
            if is_start(&refs) {
                cells[k] = (cells[k].parse::<usize>().unwrap() + copy * per).to_string();
            }
            out.push(cells.join("\t"));
        }
    }
    out.join("\n") + "\n"
}

fn card(copies: usize) -> String {
    repeated(CARD, copies, "●重点項目", "改革項目", 1)
}

fn table(copies: usize) -> String {
    repeated(TABLE, copies, "No.\t", "", 0)
}

fn whole_json(text: &str) -> String {
    let r = crate::parse_bytes(text.as_bytes(), "t.txt", &Options::default()).unwrap();
    crate::emit::to_json(&r)
}

fn windowed_json(text: &str, per_window: usize) -> String {
    sized_json(text, Size::lines(per_window))
}

fn sized_json(text: &str, per_window: Size) -> String {
    let opts = Options::default();
    let decoded =
        WindowedText::decode(text.as_bytes().to_vec(), None, opts.encoding_errors).unwrap();
    let (lines, edges) = lines_of(&decoded).unwrap().expect("lines");
    let mut w = read_windows(
        lines,
        edges,
        &decoded.diagnostics,
        "t.txt",
        &crate::sha256_hex(text.as_bytes()),
        &opts,
        per_window,
    )
    .unwrap()
    .expect("read in windows");
    let mut out = Vec::new();
    w.write_json(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn item(line: u32) -> Item {
    let mut it: Item = serde_json::from_str(
        r#"{"id":"1","number":1,"parent":null,"title":"t","is_new":false,"section":null,
            "section_id":null,"department":null,"lead_department":null,"rating":null,
            "fields":[],"findings":[],"current_state":[],"plan":[],"targets":[],
            "schedule":[],"progress":[],"source":{"page":null,"line":1}}"#,
    )
    .unwrap();
    it.source.line = line;
    it
}

fn line(n: u32) -> SourceLine {
    SourceLine {
        page: None,
        line: n,
        cells: vec![format!("line {n}")],
    }
}

#[test]
fn a_window_splits_at_its_last_item() {
    // (item lines, own start, where the next window starts)
    let cases: &[(&[u32], u32, Option<u32>)] = &[
        (&[10, 20, 30], 10, Some(30)),
        (&[10, 30, 20], 10, Some(30)),
        // one item only: it may go on, the window must grow
        (&[10], 10, None),
        // items of the context lines (a parent's first line) are not the window's
        (&[3, 10], 10, None),
        (&[3, 10, 12], 10, Some(12)),
        // no item start at all
        (&[], 1, None),
        // the first window owns everything from the start
        (&[5, 9], 0, Some(9)),
    ];
    for (lines, own_start, want) in cases {
        let items: Vec<Item> = lines.iter().map(|&l| item(l)).collect();
        assert_eq!(
            split_at_last_item(&items, *own_start),
            *want,
            "{lines:?} from {own_start}"
        );
    }
}

#[test]
fn the_next_window_keeps_its_context_and_the_last_item() {
    let lines: Vec<SourceLine> = (1..=10).map(line).collect();
    let kept: Vec<u32> = next_window(lines, &[1, 2, 5], 8)
        .iter()
        .map(|l| l.line)
        .collect();
    assert_eq!(kept, [1, 2, 5, 8, 9, 10]);
    let kept: Vec<u32> = next_window((1..=4).map(line).collect(), &[], 4)
        .iter()
        .map(|l| l.line)
        .collect();
    assert_eq!(kept, [4]);
}

#[test]
fn counts_are_taken_just_before_a_line() {
    let t = |line, explained| records::build::Tally {
        line,
        explained,
        content: explained + 1,
        totals: 0,
        sections: 0,
    };
    let tally = [t(1, 0), t(2, 1), t(5, 2), t(u32::MAX, 3)];
    let cases = [
        (0, 0),
        (1, 0),
        (2, 1),
        (3, 2),
        (5, 2),
        (6, 3),
        (u32::MAX, 3),
    ];
    for (at, want) in cases {
        assert_eq!(tally_at(&tally, at).explained, want, "before line {at}");
    }
    assert_eq!(tally_at(&[], 4), records::build::Tally::default());
}

#[test]
fn an_item_straddling_a_boundary_is_read_whole() {
    let text = card(4);
    let whole = whole_json(&text);
    // Windows of 5 new lines cut every card (15 to 30 lines each) somewhere inside.
    for n in [5, 11, 29] {
        assert_eq!(windowed_json(&text, n), whole, "windows of {n} lines");
    }
    let r: Report = serde_json::from_str(&whole).unwrap();
    assert_eq!(r.items.len(), 28);
}

#[test]
fn a_window_with_no_item_start_grows() {
    // One new line a window: most windows hold no item start of their own, and the first
    // holds only the cover.
    let text = card(2);
    assert_eq!(windowed_json(&text, 1), whole_json(&text));
}

#[test]
fn a_section_heading_at_a_boundary_still_opens_its_section() {
    // Every card stands under a heading line just before it: a window starting at a card
    // has its heading from the context lines.
    let text = card(3);
    let whole: Report = serde_json::from_str(&whole_json(&text)).unwrap();
    assert!(!whole.sections.is_empty());
    assert!(whole.items.iter().all(|it| it.section.is_some()));
    for n in [2, 3, 17] {
        let got: Report = serde_json::from_str(&windowed_json(&text, n)).unwrap();
        assert_eq!(got.sections, whole.sections, "windows of {n}");
        let secs = |r: &Report| -> Vec<Option<String>> {
            r.items.iter().map(|it| it.section.clone()).collect()
        };
        assert_eq!(secs(&got), secs(&whole), "windows of {n}");
    }
}

#[test]
fn the_last_window_ends_with_the_document() {
    // Tables: rows without blank lines between them, the header printed again.
    let text = table(3);
    let whole = whole_json(&text);
    let lines = text.lines().count();
    // Windows ending exactly at the last line, one line short of it, and one whole window.
    for n in [1, 2, 3, 4, lines / 2, lines - 1, lines, lines + 5] {
        assert_eq!(windowed_json(&text, n), whole, "windows of {n} lines");
    }
    let r: Report = serde_json::from_str(&whole).unwrap();
    assert_eq!(r.items.last().map(|i| i.id.as_str()), Some("24"));
}

/// Windows bounded by bytes (the default, [`DEFAULT_WINDOW_BYTES`]) give the whole reading as
/// windows of lines do: a window stops at the line that reaches its bytes, and one that holds no
/// finished item grows.
#[test]
fn windows_of_bytes_are_the_whole_reading() {
    for (name, text) in [("card", card(4)), ("table", table(4))] {
        let whole = whole_json(&text);
        let longest = text.lines().map(str::len).max().unwrap_or(0);
        // (less than a line, a few lines, about an item, several items)
        for bytes in [1, longest, 600, 2_500, 9_000] {
            let got = sized_json(
                &text,
                Size {
                    lines: 2_000,
                    bytes,
                },
            );
            assert_eq!(got, whole, "{name}: windows of {bytes} bytes");
        }
        // the lines bound too
        let got = sized_json(
            &text,
            Size {
                lines: 5,
                bytes: 9_000,
            },
        );
        assert_eq!(got, whole, "{name}: 5 lines or 9 000 bytes");
    }
}

#[test]
fn only_large_texts_are_read_in_windows() {
    let windows = Some(Size {
        lines: DEFAULT_WINDOW_LINES,
        bytes: DEFAULT_WINDOW_BYTES,
    });
    // (bytes, GYOKAKU_WINDOW_LINES, windows wanted)
    let cases = [
        (100 << 10, None, None),
        (THRESHOLD_BYTES, None, None),
        (THRESHOLD_BYTES + 1, None, windows),
        (1 << 20, None, windows),
        (100 << 20, None, windows),
        (100, Some(7), Some(Size::lines(7))),
        (100 << 20, Some(2_000), Some(Size::lines(2_000))),
        (100 << 20, Some(0), None),
    ];
    for (len, forced, want) in cases {
        assert_eq!(size::sized(len, forced), want, "{len} bytes, {forced:?}");
    }
}

#[test]
fn items_come_back_from_the_spill_file_run_by_run() {
    let text = table(3);
    let whole: Report = serde_json::from_str(&whole_json(&text)).unwrap();
    let ids = |r: &Report| -> Vec<String> { r.items.iter().map(|i| i.id.clone()).collect() };
    let opts = Options::default();
    let sha = crate::sha256_hex(text.as_bytes());
    // (items a run, the runs' sizes)
    let cases: &[(usize, &[usize])] =
        &[(10, &[10, 10, 4]), (24, &[24]), (100, &[24]), (0, &[1; 24])];
    for (per, sizes) in cases {
        let decoded =
            WindowedText::decode(text.as_bytes().to_vec(), None, opts.encoding_errors).unwrap();
        let (lines, edges) = lines_of(&decoded).unwrap().unwrap();
        let mut w = read_windows(lines, edges, &[], "t.txt", &sha, &opts, Size::lines(5))
            .unwrap()
            .unwrap();
        let (mut got, mut runs, mut firsts) = (Vec::new(), Vec::new(), Vec::new());
        w.for_each_chunk(*per, |r, first| {
            assert_eq!(r.title, whole.title);
            got.extend(ids(r));
            runs.push(r.items.len());
            firsts.push(first);
        })
        .unwrap();
        assert_eq!(got, ids(&whole), "runs of {per}");
        assert_eq!(runs, *sizes, "runs of {per}");
        let want: Vec<usize> = sizes
            .iter()
            .scan(0, |at, n| {
                let f = *at;
                *at += n;
                Some(f)
            })
            .collect();
        assert_eq!(firsts, want, "runs of {per}");
        assert!(w.head.items.is_empty());
        // Read back twice: the spill file is read from its start each time.
        let mut out = Vec::new();
        w.write_json(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), whole_json(&text));
    }
}

#[test]
fn a_report_document_reads_back_with_its_items_spilled() {
    for text in [card(2), table(2)] {
        let json = whole_json(&text);
        let mut w = WindowedReport::from_json(json.as_bytes()).unwrap();
        let whole: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(w.items, whole.items.len());
        assert!(w.head.items.is_empty());
        assert_eq!(w.head.diagnostics, whole.diagnostics);
        let mut out = Vec::new();
        w.write_json(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), json);
    }
    // Not a report, or cut short: an error, not a report without items.
    for bad in ["[]", "{\"items\": [", "{}"] {
        assert!(WindowedReport::from_json(bad.as_bytes()).is_err(), "{bad}");
    }
}

/// A space-aligned text laid out a page at a time gives the lines, origins and repeated edges of
/// its whole reading, whatever it holds: centred rows, headings, box tables, pages.
#[test]
fn a_space_aligned_text_is_laid_out_as_it_is_whole() {
    let fixtures: &[(&str, &str)] = &[
        (
            "hagimiya-r3",
            include_str!("../../fixtures/layout-text/hagimiya-r3.layout.txt"),
        ),
        (
            "shiinoki-r6",
            include_str!("../../fixtures/layout-text/shiinoki-r6.layout.txt"),
        ),
        (
            "shimotsukidai-r5",
            include_str!("../../fixtures/layout-text/shimotsukidai-r5.layout.txt"),
        ),
        (
            "shiomino-r4",
            include_str!("../../fixtures/layout-text/shiomino-r4.layout.txt"),
        ),
        (
            "karigane-r5",
            include_str!("../../fixtures/heldout6/karigane-r5.txt"),
        ),
        (
            "kasumigaoka-r4",
            include_str!("../../fixtures/heldout4/kasumigaoka-r4.txt"),
        ),
        (
            "kirinosawa-r3",
            include_str!("../../fixtures/heldout4/kirinosawa-r3.txt"),
        ),
        (
            "sasanaki-r3",
            include_str!("../../fixtures/heldout3/sasanaki-r3.txt"),
        ),
        (
            "tokiwano-r4",
            include_str!("../../fixtures/heldout6/tokiwano-r4.txt"),
        ),
    ];
    let mut laid = 0;
    for (name, text) in fixtures {
        for copies in [1usize, 3] {
            let text = text.repeat(copies);
            let decoded =
                WindowedText::decode(text.as_bytes().to_vec(), None, Default::default()).unwrap();
            let doc = crate::text::ingest(text.as_bytes(), None).unwrap();
            let whole = crate::ingest::layout_text::rebuild(crate::ingest::gaps::split_doc(doc));
            // a gapped text (tokiwano-r4: two full-width spaces after each label) is split into
            // cells in windows as it is whole
            let gapped = whole.media_type != crate::ingest::LAYOUT_TEXT
                && whole.lines.iter().any(|l| l.cells.len() > 1);
            if whole.media_type != crate::ingest::LAYOUT_TEXT && !gapped {
                // neither space-aligned nor gapped: read whole
                assert!(lines_of(&decoded).unwrap().is_none(), "{name}");
                continue;
            }
            laid += 1;
            let (mut lines, edges) = lines_of(&decoded).unwrap().expect("laid out");
            let mut got = Vec::new();
            assert!(
                lines.fill(&mut got, Size::lines(usize::MAX)).unwrap(),
                "the text ends"
            );
            assert_eq!(got, whole.lines, "{name} x{copies}");
            assert_eq!(lines.doc(got).origins, whole.origins, "{name} x{copies}");
            assert_eq!(lines.pages, whole.pages, "{name} x{copies}");
            let (_, exploded) = records::explode(&whole.lines);
            assert_eq!(
                edges,
                records::RepeatedEdges::of(exploded.into_iter()),
                "{name} x{copies}"
            );
        }
    }
    assert!(laid >= 10, "{laid}");
}
