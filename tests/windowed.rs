//! Large texts read in windows of lines give the very output of a whole reading: generated
//! reports of a few hundred items in the card, table and third (inferred) layouts of the
//! fixtures, read by the real binary whole and with windows of a few dozen lines
//! (`GYOKAKU_WINDOW_LINES`), must give byte-identical JSON. So must every other output that takes
//! them in windows: standard input, `--format jsonl` on stdout, and a batch into a folder with
//! every format (the per-file JSON, `items.jsonl`, the CSV and Parquet tables, the xlsx workbook,
//! `summary.json`).
//!
//! Space-aligned reports (`fixtures/layout-text/`, repeated) go the same way once laid out a page
//! at a time with the decisions taken over the whole text.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture's front matter once, then its items `copies` times, renumbered so that the ids run
/// on. `body` finds the first line of the items part; `id_cell` the cell holding a line's item
/// number, if it starts an item.
fn generate(
    fixture: &str,
    copies: usize,
    body: impl Fn(&str) -> bool,
    id_cell: impl Fn(&[&str]) -> Option<usize>,
) -> String {
    let text = std::fs::read_to_string(root().join("fixtures/text").join(fixture)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| body(l)).expect("items part");
    let (front, items) = lines.split_at(start);
    let per_copy = items
        .iter()
        .filter(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            id_cell(&cells).is_some()
        })
        .count();
    assert!(per_copy > 0, "{fixture}: no item lines");
    let mut out = String::new();
    for l in front {
        out.push_str(l);
        out.push('\n');
    }
    for copy in 0..copies {
        for l in items {
            let mut cells: Vec<String> = l.split('\t').map(str::to_string).collect();
            let refs: Vec<&str> = l.split('\t').collect();
            if let Some(k) = id_cell(&refs) {
                let n: usize = cells[k].trim().parse().unwrap();
                cells[k] = (n + copy * per_copy).to_string();
            }
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
    }
    out
}

fn number_at(cells: &[&str], label: Option<&str>, k: usize) -> Option<usize> {
    if let Some(label) = label {
        if cells.first() != Some(&label) {
            return None;
        }
    }
    let c = cells.get(k)?.trim();
    (!c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit())).then_some(k)
}

fn card() -> String {
    generate(
        "card-basic.txt",
        60,
        |l| l.starts_with("●重点項目"),
        |c| number_at(c, Some("改革項目"), 1),
    )
}

fn table() -> String {
    generate(
        "table-basic.txt",
        40,
        |l| l.starts_with("No.\t"),
        |c| number_at(c, None, 0),
    )
}

fn third() -> String {
    generate(
        "third-layout.txt",
        80,
        |l| l.starts_with("【重点分野"),
        |c| number_at(c, Some("取組番号"), 1),
    )
}

/// Run `gyokaku parse` with the given extra arguments, whole or in windows of `window` lines;
/// stdout and the exit status.
fn parse(input: &Path, window: Option<usize>, extra: &[&str]) -> (Vec<u8>, Option<i32>) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gyokaku"));
    cmd.arg("parse")
        .args(["--time-budget", "0"])
        .args(extra)
        .arg(input);
    match window {
        Some(n) => cmd.env("GYOKAKU_WINDOW_LINES", n.to_string()),
        // whole, whatever the size
        None => cmd.env("GYOKAKU_WINDOW_LINES", "0"),
    };
    let out = cmd.output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c == 0 || c == 3),
        "{}: {}",
        input.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.stdout, out.status.code())
}

/// The `-v` line of a windowed reading (it says how many windows).
fn verbose(input: &Path, window: usize) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_gyokaku"))
        .args(["parse", "-v", "--time-budget", "0", "-o"])
        .arg(input.with_extension("v.json"))
        .arg(input)
        .env("GYOKAKU_WINDOW_LINES", window.to_string())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The first line where two texts differ, for a readable failure.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    for (k, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}: whole {x:?}, windowed {y:?}", k + 1);
        }
    }
    format!("lengths {} and {}", a.len(), b.len())
}

fn check(name: &str, text: &str, layout: &str, min_items: usize) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(name);
    std::fs::write(&input, text).unwrap();
    let (whole, code) = parse(&input, None, &[]);
    let report: serde_json::Value = serde_json::from_slice(&whole).unwrap();
    assert_eq!(report["layout"], layout, "{name}");
    let items = report["items"].as_array().unwrap().len();
    assert!(items >= min_items, "{name}: {items} items");
    for window in [7, 40, 333] {
        let (windowed, wcode) = parse(&input, Some(window), &[]);
        let note = verbose(&input, window);
        assert!(
            note.contains(&format!("{items} items")) && note.contains(" windows"),
            "{name}, windows of {window} lines: not read in windows: {note}"
        );
        assert!(
            whole == windowed,
            "{name}, windows of {window} lines: {}",
            first_difference(&whole, &windowed)
        );
        assert_eq!(code, wcode, "{name}, windows of {window} lines");
    }
    // -o FILE writes the same bytes.
    let out = dir.path().join("out.json");
    let o = out.to_str().unwrap();
    parse(&input, Some(40), &["-o", o]);
    assert!(std::fs::read(&out).unwrap() == whole, "{name}: -o FILE");
    other_outputs(name, &input, &whole, items);
}

/// Run `gyokaku parse` on `input` (a path, or `-` with `stdin` fed in), whole or in windows.
fn run(args: &[&str], stdin: Option<&Path>, window: Option<usize>) -> Vec<u8> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gyokaku"));
    cmd.arg("parse").args(["--time-budget", "0"]).args(args);
    match window {
        Some(n) => cmd.env("GYOKAKU_WINDOW_LINES", n.to_string()),
        // whole, whatever the size
        None => cmd.env("GYOKAKU_WINDOW_LINES", "0"),
    };
    if let Some(f) = stdin {
        cmd.stdin(std::fs::File::open(f).unwrap());
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.code().is_some_and(|c| c == 0 || c == 3),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The files of an output folder, by name; the workbook as its sheets and shared strings (its
/// document properties carry the time it was written).
fn folder(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&p).unwrap();
        if name.ends_with(".xlsx") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            for k in 0..zip.len() {
                let mut f = zip.by_index(k).unwrap();
                let entry = f.name().unwrap().to_string();
                if entry.starts_with("docProps/") {
                    continue;
                }
                let mut content = Vec::new();
                std::io::Read::read_to_end(&mut f, &mut content).unwrap();
                files.push((format!("{name}:{entry}"), content));
            }
        } else {
            files.push((name, bytes));
        }
    }
    files.sort();
    files
}

/// Standard input, JSONL on stdout and a batch with every format give the same bytes whole and
/// in windows.
fn other_outputs(name: &str, input: &Path, whole: &[u8], items: usize) {
    let window = Some(40);
    let stdin_whole = run(&["-"], Some(input), None);
    assert_eq!(
        stdin_whole.len(),
        whole.len() - input.to_str().unwrap().len() + 1,
        "{name} from stdin: the same report but for its path"
    );
    let from_stdin = run(&["-"], Some(input), window);
    assert!(
        from_stdin == stdin_whole,
        "{name} from stdin: {}",
        first_difference(&stdin_whole, &from_stdin)
    );
    let p = input.to_str().unwrap();
    let jsonl = run(&["--format", "jsonl", p], None, None);
    assert_eq!(
        jsonl
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .count(),
        items
    );
    let windowed = run(&["--format", "jsonl", p], None, window);
    assert!(
        jsonl == windowed,
        "{name} as JSONL: {}",
        first_difference(&jsonl, &windowed)
    );
    // A folder holding the large text and a small report, into a folder with every format.
    let dir = input.parent().unwrap().join("batch");
    std::fs::create_dir_all(dir.join("in")).unwrap();
    std::fs::copy(input, dir.join("in").join(name)).unwrap();
    std::fs::copy(
        root().join("fixtures/text/table-basic.txt"),
        dir.join("in/small.txt"),
    )
    .unwrap();
    let mut outs = Vec::new();
    for (k, window) in [None, Some(40)].into_iter().enumerate() {
        let out = dir.join(format!("out{k}"));
        let all = "json,jsonl,csv,parquet,xlsx";
        let (i, o) = (dir.join("in"), format!("{}/", out.display()));
        run(
            &["--format", all, i.to_str().unwrap(), "-o", &o, "-q"],
            None,
            window,
        );
        outs.push(folder(&out));
    }
    let names: Vec<&str> = outs[0].iter().map(|(n, _)| n.as_str()).collect();
    for want in ["items.jsonl", "items.csv", "items.parquet", "summary.json"] {
        assert!(names.contains(&want), "{name}: batch wrote {names:?}");
    }
    assert!(names
        .iter()
        .any(|n| n.starts_with("tables.xlsx:xl/worksheets/")));
    let json = format!("{name}.json");
    let per_file = &outs[0].iter().find(|(n, _)| *n == json).unwrap().1;
    let per_file: serde_json::Value = serde_json::from_slice(per_file).unwrap();
    assert_eq!(per_file["items"].as_array().unwrap().len(), items, "{name}");
    assert_eq!(outs[0].len(), outs[1].len(), "{name}: {names:?}");
    for ((n, a), (m, b)) in outs[0].iter().zip(&outs[1]) {
        assert_eq!(n, m);
        assert!(a == b, "{name} in a batch, {n}: {}", first_difference(a, b));
    }
    // Run again into the same folder: both outputs are up to date and read back from it, and
    // every table is written as before.
    let (i, o) = (dir.join("in"), format!("{}/", dir.join("out1").display()));
    let all = "json,jsonl,csv,parquet,xlsx";
    run(
        &["--format", all, i.to_str().unwrap(), "-o", &o, "-q"],
        None,
        Some(40),
    );
    let again = folder(&dir.join("out1"));
    let summary = &again.iter().find(|(n, _)| n == "summary.json").unwrap().1;
    let summary: serde_json::Value = serde_json::from_slice(summary).unwrap();
    assert_eq!(
        (&summary["skipped"], &summary["parsed"]),
        (&serde_json::json!(2), &serde_json::json!(0)),
        "{name}: the second run"
    );
    for ((n, a), (m, b)) in outs[1].iter().zip(&again) {
        assert_eq!(n, m);
        if n != "summary.json" {
            assert!(a == b, "{name} up to date, {n}: {}", first_difference(a, b));
        }
    }
}

#[test]
fn card_report_in_windows_is_the_whole_reading() {
    check("card.txt", &card(), "card", 300);
}

#[test]
fn table_report_in_windows_is_the_whole_reading() {
    check("table.txt", &table(), "table", 300);
}

#[test]
fn inferred_report_in_windows_is_the_whole_reading() {
    check("third.txt", &third(), "inferred", 300);
}

/// A space-aligned fixture (`fixtures/layout-text/`) repeated `copies` times, read whole and in
/// windows of each of `windows` lines (of its laid-out rows): the same JSON, the same exit status.
fn check_spaced(
    name: &str,
    copies: usize,
    windows: &[usize],
) -> (tempfile::TempDir, PathBuf, Vec<u8>, usize) {
    let text = std::fs::read_to_string(root().join(format!("fixtures/layout-text/{name}")))
        .unwrap()
        .repeat(copies);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join(name);
    std::fs::write(&input, text).unwrap();
    let (whole, code) = parse(&input, None, &[]);
    let report: serde_json::Value = serde_json::from_slice(&whole).unwrap();
    assert_eq!(
        report["source"]["media_type"], "text/plain; layout=aligned",
        "{name}"
    );
    let items = report["items"].as_array().unwrap().len();
    assert!(items >= 90, "{name}: {items} items");
    for &window in windows {
        let (windowed, wcode) = parse(&input, Some(window), &[]);
        let note = verbose(&input, window);
        let read_in = note
            .split("read in ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse::<usize>().ok());
        assert!(
            note.contains(&format!("{items} items")) && read_in.is_some_and(|n| n >= 2),
            "{name}, windows of {window} lines: not read in windows: {note}"
        );
        assert!(
            whole == windowed,
            "{name}, windows of {window} lines: {}",
            first_difference(&whole, &windowed)
        );
        assert_eq!(code, wcode, "{name}, windows of {window} lines");
    }
    (dir, input, whole, items)
}

/// Space-aligned texts are laid out a page at a time with the decisions taken over the whole
/// text (display width, row labels, centred rows, box tables), then read in windows as any text.
#[test]
fn space_aligned_reports_in_windows_are_the_whole_reading() {
    let (_dir, input, whole, items) = check_spaced("shiomino-r4.layout.txt", 12, &[7, 40, 333]);
    other_outputs("shiomino-r4.layout.txt", &input, &whole, items);
    check_spaced("shimotsukidai-r5.layout.txt", 12, &[7, 40, 333]);
    // An inferred layout is inferred once, from the first window: a window holding part of a
    // copy takes the same item levels (before, windows of 333 lines read other items).
    check_spaced("shiinoki-r6.layout.txt", 30, &[333, 1000]);
}

/// A tab-separated report in an inferred layout, repeated: every window reads with the levels
/// inferred from the first, so a window cutting a copy in two reads the items of a whole
/// reading (before, windows of 333 lines and more gave other items).
#[test]
fn inferred_levels_are_kept_across_windows() {
    let text = std::fs::read_to_string(root().join("fixtures/layouts/hagimiya-r3.txt")).unwrap();
    let text = format!("{}\n\n", text.trim_end()).repeat(40);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("hagimiya-40.txt");
    std::fs::write(&input, text).unwrap();
    let (whole, code) = parse(&input, None, &[]);
    let report: serde_json::Value = serde_json::from_slice(&whole).unwrap();
    assert_eq!(report["layout"], "inferred");
    let items = report["items"].as_array().unwrap().len();
    assert_eq!(items, 40 * 12, "twelve items a copy");
    for window in [150, 333, 1000] {
        let (windowed, wcode) = parse(&input, Some(window), &[]);
        assert!(
            whole == windowed,
            "windows of {window} lines: {}",
            first_difference(&whole, &windowed)
        );
        assert_eq!(code, wcode, "windows of {window} lines");
    }
}

/// Cells set apart by gaps, not tabs (`src/ingest/gaps.rs`): split the same in every window,
/// a tab written as one space told by the rows around it as in a whole reading.
#[test]
fn gapped_reports_in_windows_are_the_whole_reading() {
    let text = table();
    check(
        "table-fullwidth-gaps.txt",
        &text.replace('\t', "\u{3000}\u{3000}"),
        "table",
        300,
    );
    check(
        "table-expanded.txt",
        &common::expand_tabs(&text),
        "table",
        300,
    );
}
