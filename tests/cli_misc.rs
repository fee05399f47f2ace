//! `gyokaku schema`, `gyokaku text`, `--help`, `--version`.

mod batch_common;

use batch_common::*;

#[test]
fn schema_prints_the_report_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(tmp.path(), &["schema"], None);
    assert_eq!(o.status.code(), Some(0));
    let s = json(&o.stdout);
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(s["title"], "Report");
    assert!(s["properties"]["items"].is_object());
    let committed = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schemas/report.schema.json"
    ));
    if let Ok(c) = committed {
        assert_eq!(
            String::from_utf8_lossy(&c),
            stdout(&o),
            "schemas/report.schema.json is stale"
        );
    }
}

#[test]
fn schema_item_line_matches_the_committed_file() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(tmp.path(), &["schema", "--item-line"], None);
    assert_eq!(o.status.code(), Some(0));
    let s = json(&o.stdout);
    assert_eq!(s["properties"]["schema"]["const"], "gyokaku/item-line/v2");
    assert!(s["$defs"]["Item"]["properties"]["targets"].is_object());
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schemas/item-line.schema.json"
    ));
    assert_eq!(committed.unwrap(), stdout(&o));
}

#[test]
fn text_prints_what_the_parser_sees() {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(
        tmp.path(),
        &[("t.txt", table_report("見本町", 3, 2).into_bytes())],
    );
    let o = run_in(tmp.path(), &["text", "t.txt"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.lines().any(|l| l.starts_with("No.\t項目名\t担当課")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("2\t公共施設の予約 その2\t")),
        "{text}"
    );
    let piped = run_in(
        tmp.path(),
        &["text", "-"],
        Some(table_report("見本町", 3, 2).as_bytes()),
    );
    assert_eq!(piped.stdout, o.stdout);
    let o = run_in(tmp.path(), &["text", "missing.pdf"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("gyokaku: missing.pdf: io: "),
        "{}",
        stderr(&o)
    );
}

#[test]
fn help_shows_examples_and_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [vec!["--help"], vec!["parse", "--help"]] {
        let o = run_in(tmp.path(), &args, None);
        assert_eq!(o.status.code(), Some(0));
        let h = stdout(&o);
        assert!(h.contains("Examples:"), "{h}");
        assert!(h.contains("gyokaku parse archive/"), "{h}");
        assert!(h.contains("Exit status: 0 success"), "{h}");
    }
    let h = stdout(&run_in(tmp.path(), &["parse", "--help"], None));
    for flag in [
        "--max-input-bytes",
        "[default: 256M]",
        "--time-budget",
        "[default: 60]",
        "--csv-encoding",
        "-j, --jobs",
    ] {
        assert!(h.contains(flag), "{flag} missing from help");
    }
    let o = run_in(tmp.path(), &["--version"], None);
    assert_eq!(
        stdout(&o).trim(),
        format!("gyokaku {}", env!("CARGO_PKG_VERSION"))
    );
}
