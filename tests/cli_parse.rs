//! `gyokaku parse` on one input: stdout, `-` (stdin), `-o FILE` (atomic), exit codes and the
//! one-line errors, usage errors (exit 2).

mod batch_common;

use batch_common::*;

fn setup() -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let card = card_report("見本市", 4, 3);
    write_tree(
        tmp.path(),
        &[
            ("card.txt", card.clone().into_bytes()),
            (
                "novel.txt",
                "ある朝、猫が窓から外を眺めていた。\n雨はまだ止まない。\n"
                    .as_bytes()
                    .to_vec(),
            ),
            ("empty.txt", Vec::new()),
            (
                "bad-profile.toml",
                b"id = \"x\"\nkind = \"zigzag\"\n".to_vec(),
            ),
            (
                "old-profile.toml",
                "id = \"old\"\nkind = \"card\"\n\n[record]\nmarker = '改革項目'\n"
                    .as_bytes()
                    .to_vec(),
            ),
        ],
    );
    (tmp, card)
}

#[test]
fn one_file_to_stdout() {
    let (tmp, _) = setup();
    let o = run_in(tmp.path(), &["parse", "card.txt"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    let doc = json(&o.stdout);
    assert_eq!(doc["schema"], "gyokaku/report/v2");
    assert_eq!(doc["source"]["path"], "card.txt");
    assert_eq!(doc["layout"], "card");
    assert_eq!(doc["fiscal_year"], 2022);
    assert_eq!(doc["items"].as_array().unwrap().len(), 3);
    assert_eq!(doc["items"][1]["progress"][0]["status"]["code"], "behind");
    assert!(stdout(&o).ends_with("}\n"));
}

#[test]
fn stdin_gives_the_same_document() {
    let (tmp, card) = setup();
    let file = run_in(tmp.path(), &["parse", "card.txt"], None);
    let piped = run_in(tmp.path(), &["parse", "-"], Some(card.as_bytes()));
    assert_eq!(piped.status.code(), Some(0), "{}", stderr(&piped));
    let (mut a, mut b) = (json(&file.stdout), json(&piped.stdout));
    assert_eq!(b["source"]["path"], "-");
    a["source"]["path"] = "".into();
    b["source"]["path"] = "".into();
    assert_eq!(a, b);
}

#[test]
fn output_file_is_written_atomically() {
    let (tmp, _) = setup();
    let o = run_in(
        tmp.path(),
        &["parse", "card.txt", "-o", "out/new/card.json"],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let stdout_doc = run_in(tmp.path(), &["parse", "card.txt"], None).stdout;
    assert_eq!(
        std::fs::read(tmp.path().join("out/new/card.json")).unwrap(),
        stdout_doc
    );
    assert!(temp_files(tmp.path()).is_empty());
    // Overwrites an existing file; a failing parse leaves the old file alone.
    let o = run_in(
        tmp.path(),
        &["parse", "card.txt", "-o", "out/new/card.json", "-v"],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("parsed card.txt: 3 items"),
        "{}",
        stderr(&o)
    );
    let o = run_in(
        tmp.path(),
        &["parse", "novel.txt", "-o", "out/new/card.json"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read(tmp.path().join("out/new/card.json")).unwrap(),
        stdout_doc
    );
    let o = run_in(
        tmp.path(),
        &["parse", "novel.txt", "-o", "novel.json"],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(!tmp.path().join("novel.json").exists(), "no empty success");
    assert!(temp_files(tmp.path()).is_empty());
}

#[test]
fn bad_inputs_exit_1_with_one_line_naming_the_file() {
    let (tmp, _) = setup();
    let cases = [
        (
            vec!["parse", "novel.txt"],
            "gyokaku: novel.txt: not-a-report: ",
        ),
        (
            vec!["parse", "empty.txt"],
            "gyokaku: empty.txt: not-a-report: ",
        ),
        (
            vec!["parse", "missing.txt"],
            "gyokaku: missing.txt: io: cannot open: ",
        ),
        (
            vec!["parse", "card.txt", "--max-input-bytes", "100"],
            "gyokaku: card.txt: limit: input is ",
        ),
    ];
    for (args, prefix) in cases {
        let o = run_in(tmp.path(), &args, None);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with(prefix), "{args:?}: {err}");
    }
    let o = run_in(tmp.path(), &["parse", "-"], Some(b""));
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("gyokaku: -: not-a-report: "),
        "{}",
        stderr(&o)
    );
}

#[test]
fn usage_errors_exit_2() {
    let (tmp, _) = setup();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec![], "Usage"),
        (vec!["parse"], "INPUT"),
        (vec!["parse", "."], "need -o OUTDIR"),
        (vec!["parse", "card.txt", "novel.txt"], "need -o OUTDIR"),
        (
            vec!["parse", "card.txt", "--format", "csv"],
            "need -o OUTDIR",
        ),
        (vec!["parse", "card.txt", "--format", "xml"], "xml"),
        (
            vec!["parse", "card.txt", "--layout", "zigzag"],
            "no such layout",
        ),
        (
            vec!["parse", "card.txt", "--encoding", "klingon"],
            "unknown encoding",
        ),
        (
            vec!["parse", "card.txt", "--profile", "bad-profile.toml"],
            "gyokaku: profile: bad-profile.toml: kind = \"zigzag\" is not \"inferred\"",
        ),
        (
            vec!["parse", "card.txt", "--profile", "old-profile.toml"],
            "gyokaku: profile: old-profile.toml: kind = \"card\" is the first profile form, which is \
             no longer read: write it as kind = \"inferred\"",
        ),
        (
            vec!["parse", "card.txt", "--profile", "nope.toml"],
            "gyokaku: nope.toml: profile: cannot read",
        ),
        (vec!["parse", "card.txt", "-j", "0"], "-j"),
        (
            vec!["parse", "card.txt", "--csv-encoding", "latin1"],
            "cp932",
        ),
        (vec!["parse", "card.txt", "--max-pages", "many"], "many"),
        (
            vec!["parse", ".", "-o", "card.txt"],
            "exists and is not a folder",
        ),
        (vec!["parse", "-", "card.txt", "-o", "out/"], "stdin"),
        (vec!["parse", "card.txt", "-q", "-v"], "cannot be used with"),
        (vec!["frobnicate"], "frobnicate"),
    ];
    for (args, needle) in cases {
        let o = run_in(tmp.path(), &args, None);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
    assert!(
        !tmp.path().join("out").exists(),
        "a usage error writes nothing"
    );
}

#[test]
fn layout_and_municipality_flags_reach_the_document() {
    let (tmp, _) = setup();
    let o = run_in(
        tmp.path(),
        &[
            "parse",
            "card.txt",
            "--municipality",
            "別名市",
            "--layout",
            "card",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = json(&o.stdout);
    assert_eq!(doc["municipality"], "別名市");
    assert_eq!(doc["layout"], "card");
}
