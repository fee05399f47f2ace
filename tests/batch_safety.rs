//! Batch runs over unfriendly trees and file systems (issue 14): nothing hangs, nothing is
//! overwritten, nothing half-written is left. Each test runs the real binary on a temp tree and
//! checks the exit status, the message and the state of the output folder.
#![cfg(unix)]

mod batch_common;
mod common;

use batch_common::*;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const NOVEL: &str =
    "昔々、山あいの村に一匹の猫が住んでいました。\n猫は毎朝、川へ魚を見に行きました。\n";

/// Run the binary with OS-string arguments, killing it (and failing) after `secs`.
fn run_watched(cwd: &Path, args: &[&OsStr], secs: u64) -> Output {
    let child = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gyokaku");
    wait_watched(child, secs, &format!("{args:?}"))
}

fn wait_watched(mut child: Child, secs: u64, what: &str) -> Output {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if Instant::now() > deadline {
            child.kill().ok();
            let o = child.wait_with_output().unwrap();
            panic!("{what} hung for {secs} s; stderr: {}", stderr(&o));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    let v: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    run_watched(cwd, &v, 60)
}

fn mkfifo(p: &Path) {
    let ok = Command::new("mkfifo").arg(p).status().unwrap().success();
    assert!(ok, "mkfifo {p:?}");
}

fn summary(out: &Path) -> serde_json::Value {
    json(&std::fs::read(out.join("summary.json")).expect("summary.json"))
}

fn ignored(s: &serde_json::Value) -> Vec<(String, String)> {
    s["ignored_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["file"].as_str().unwrap().to_string(),
                i["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn error_lines(out: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out.join("errors.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| json(l.as_bytes()))
        .collect()
}

/// Every per-file JSON under `out` is a complete report; returns how many there are.
fn complete_reports(out: &Path) -> usize {
    let mut n = 0;
    for (k, v) in read_tree(out) {
        if k.ends_with(".json") && k != "summary.json" && k != "datapackage.json" {
            let doc = json(&v);
            assert!(doc["items"].as_array().is_some(), "{k} is not a report");
            n += 1;
        }
    }
    n
}

#[test]
fn fifos_sockets_and_devices_are_skipped_and_refused_when_named() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write_tree(
        &root.join("in"),
        &[("a/card.txt", card_report("見本市", 3, 2).into_bytes())],
    );
    mkfifo(&root.join("in/a/pipe.txt"));
    let _sock = std::os::unix::net::UnixListener::bind(root.join("in/a/sock.txt")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", root.join("in/zero.txt")).unwrap();

    // The walk: the FIFO, socket and device are noted, never opened; the report is parsed.
    let o = run(root, &["parse", "in", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = summary(&root.join("out"));
    assert_eq!(
        (s["files"].as_u64(), s["parsed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        ignored(&s),
        [
            (
                "in/zero.txt".to_string(),
                "a character device, not a regular file (not read)".to_string()
            ),
            (
                "in/a/pipe.txt".to_string(),
                "a named pipe (FIFO), not a regular file (not read)".to_string()
            ),
            (
                "in/a/sock.txt".to_string(),
                "a socket, not a regular file (not read)".to_string()
            ),
        ]
    );
    assert!(stderr(&o).contains("3 files passed over"), "{}", stderr(&o));
    assert!(root.join("out/a/card.txt.json").is_file());

    // Named directly: refused at once, one line naming the file, for parse and text alike.
    let want = "gyokaku: in/a/pipe.txt: io: is a named pipe (FIFO), not a regular file; gyokaku reads only regular files (use - to read standard input)\n";
    for args in [
        &["parse", "in/a/pipe.txt"][..],
        &["text", "in/a/pipe.txt"][..],
        &["parse", "in/a/pipe.txt", "-o", "p.json"][..],
    ] {
        let o = run(root, args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert_eq!(stderr(&o), want, "{args:?}");
        assert!(o.stdout.is_empty());
    }
    assert!(!root.join("p.json").exists());
    let o = run(root, &["parse", "in/zero.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o)
            .starts_with("gyokaku: in/zero.txt: io: is a character device, not a regular file"),
        "{}",
        stderr(&o)
    );
    // In a batch, a named FIFO is that input's error record; the other input still gets its output.
    let o = run(
        root,
        &["parse", "in/a/pipe.txt", "in/a/card.txt", "-o", "named/"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let errs = error_lines(&root.join("named"));
    assert_eq!(errs.len(), 1);
    assert_eq!(
        (
            errs[0]["file"].as_str(),
            errs[0]["stage"].as_str(),
            errs[0]["kind"].as_str()
        ),
        (Some("in/a/pipe.txt"), Some("read"), Some("io"))
    );
    assert!(root.join("named/card.txt.json").is_file());
    assert!(temp_files(&root.join("named")).is_empty());
}

#[test]
fn an_output_that_is_or_would_replace_an_input_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let report = card_report("見本市", 3, 2);
    write_tree(
        root,
        &[
            ("r.txt", report.clone().into_bytes()),
            ("in/a/card.txt", report.clone().into_bytes()),
            ("old/items.jsonl", b"{\"kept\":true}\n".to_vec()),
        ],
    );
    std::fs::hard_link(root.join("r.txt"), root.join("twin.json")).unwrap();
    std::os::unix::fs::symlink("r.txt", root.join("link.json")).unwrap();
    let cases: [(&[&str], &str); 5] = [
        (
            &["parse", "r.txt", "-o", "r.txt"],
            "gyokaku: -o r.txt is the input r.txt: writing it would replace the report; choose another output file\n",
        ),
        (
            &["parse", "r.txt", "-o", "twin.json"],
            "gyokaku: -o twin.json is the input r.txt: writing it would replace the report",
        ),
        (
            &["parse", "r.txt", "-o", "link.json"],
            "gyokaku: -o link.json is the input r.txt",
        ),
        (
            &["parse", "in", "-o", "in"],
            "gyokaku: usage: -o in is the input folder in: outputs would mix with the reports; choose another output folder\n",
        ),
        (
            &["parse", "old/items.jsonl", "r.txt", "-o", "old", "--format", "jsonl"],
            "gyokaku: usage: writing old/items.jsonl would overwrite the input old/items.jsonl; choose another output folder\n",
        ),
    ];
    for (args, want) in cases {
        let before = read_tree(root);
        let o = run(root, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).starts_with(want), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
        assert_eq!(read_tree(root), before, "{args:?} changed files");
    }
    assert_eq!(std::fs::read_to_string(root.join("r.txt")).unwrap(), report);

    // An output folder inside the input tree is left out of the walk, on every run.
    std::fs::create_dir_all(root.join("in/out")).unwrap();
    std::fs::write(root.join("in/out/stray.txt"), &report).unwrap();
    for _ in 0..2 {
        let o = run(
            root,
            &["parse", "in", "-o", "in/out", "--format", "json,jsonl"],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let s = summary(&root.join("in/out"));
        assert_eq!(s["files"], 1, "{s}");
        assert_eq!(s["ignored"], 0, "{s}");
        assert!(!root.join("in/out/out").exists());
    }
}

#[test]
fn a_second_run_into_the_same_folder_fails_at_once_naming_the_first() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let mut files: Vec<(String, Vec<u8>)> = (0..6)
        .map(|i| {
            (
                format!("in/r{i}.txt"),
                card_report("見本市", 3, 3).into_bytes(),
            )
        })
        .collect();
    // Slow enough (seconds in a test build) that the second run starts while the first runs; the
    // first run gets a generous time budget so that a busy machine does not abandon the file.
    files.push((
        "in/big.txt".into(),
        card_report("見本市", 3, 6000).into_bytes(),
    ));
    let refs: Vec<(&str, Vec<u8>)> = files.iter().map(|(p, b)| (p.as_str(), b.clone())).collect();
    write_tree(root, &refs);
    let first = Command::new(BIN)
        .args([
            "parse",
            "in",
            "-o",
            "out",
            "-j",
            "1",
            "--time-budget",
            "600",
            "--format",
            "json,jsonl,csv",
        ])
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = first.id();
    let lock = root.join("out/.gyokaku.lock");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(&lock).is_ok_and(|t| t.contains("command")) {
        assert!(
            Instant::now() < deadline,
            "the first run never took the lock"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let started = Instant::now();
    let o = run(
        root,
        &["parse", "in", "-o", "out", "--format", "json,jsonl,csv"],
    );
    let took = started.elapsed();
    let first_done = wait_watched(first, 600, "first run");
    assert_eq!(first_done.status.code(), Some(0), "{}", stderr(&first_done));
    if stderr(&o).contains("parsed") {
        common::skip("the first run ended before the second started; lock not exercised");
        return;
    }
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!(
            "gyokaku: out: output: another gyokaku run (pid {pid}, started "
        )),
        "{err}"
    );
    assert!(
        err.contains("gyokaku parse in -o out -j 1 --time-budget 600 --format json,jsonl,csv`) is writing into this folder; wait for it to finish or choose another -o"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        took < Duration::from_secs(5),
        "the second run waited: {took:?}"
    );
    // The first run was not disturbed: everything written, nothing left over, lock released.
    let s = summary(&root.join("out"));
    assert_eq!(
        (s["files"].as_u64(), s["parsed"].as_u64()),
        (Some(7), Some(7)),
        "{s}"
    );
    assert_eq!(s["outputs"]["jsonl_lines"], 6 * 3 + 6000);
    assert_eq!(complete_reports(&root.join("out")), 7);
    assert!(temp_files(&root.join("out")).is_empty());
    assert!(!lock.exists());
    // And the folder is free again.
    let o = run(
        root,
        &["parse", "in", "-o", "out", "--format", "json,jsonl,csv"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

fn many_reports(root: &Path, n: usize) {
    let files: Vec<(String, Vec<u8>)> = (0..n)
        .map(|i| {
            (
                format!("in/d{}/r{i:03}.txt", i / 10),
                card_report("見本市", 3, 25 + (i % 7) as u32).into_bytes(),
            )
        })
        .collect();
    let refs: Vec<(&str, Vec<u8>)> = files.iter().map(|(p, b)| (p.as_str(), b.clone())).collect();
    write_tree(root, &refs);
}

/// Each per-file output present is complete: as many items as its input has.
fn outputs_complete(out: &Path) -> usize {
    let mut complete = 0;
    for (k, v) in read_tree(out) {
        if let Some(stem) = k.strip_suffix(".txt.json") {
            let i: u32 = stem.rsplit('r').next().unwrap().parse().unwrap();
            assert_eq!(
                json(&v)["items"].as_array().unwrap().len() as u32,
                25 + i % 7,
                "{k}"
            );
            complete += 1;
        }
    }
    complete
}

#[test]
fn a_full_disk_leaves_no_temp_files_and_says_what_was_not_written() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    many_reports(root, 30);
    // Simulated: writes fail with ENOSPC after 400 KiB, in the middle of the per-file JSONs.
    let o = run(
        root,
        &[
            "parse",
            "in",
            "-o",
            "out",
            "-j",
            "2",
            "--format",
            "json,jsonl,csv",
            "--test-full-disk-after",
            "400K",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("No space left on device"), "{err}");
    let last = err.lines().last().unwrap();
    assert!(last.contains("NOT WRITTEN ("), "{last}");
    assert!(last.contains("summary.json"), "{last}");
    let out = root.join("out");
    assert!(temp_files(&out).is_empty(), "{:?}", temp_files(&out));
    let written = outputs_complete(&out);
    assert!((1..30).contains(&written), "{written}");
    // Nothing more could be written: no run-level files, and no stale summary.
    for f in ["summary.json", "items.jsonl", "items.csv", ".gyokaku.lock"] {
        assert!(!out.join(f).exists(), "{f}");
    }

    // A write error that leaves room for the summary (a folder in the way of one output): the
    // summary lists what was not written, errors.jsonl has the record, the rest is complete.
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("d1"), "in the way").unwrap();
    let o = run(
        root,
        &["parse", "in", "-o", "out", "--format", "json,jsonl"],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let s = summary(&out);
    let not_written: Vec<&str> = s["outputs"]["not_written"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let want: Vec<String> = (10..20).map(|i| format!("d1/r{i:03}.txt.json")).collect();
    assert_eq!(not_written, want);
    assert_eq!(
        (s["failed"].as_u64(), s["parsed"].as_u64()),
        (Some(10), Some(20))
    );
    let errs = error_lines(&out);
    assert_eq!(errs.len(), 10);
    assert!(errs
        .iter()
        .all(|e| e["stage"] == "write" && e["kind"] == "output"));
    assert_eq!(outputs_complete(&out), 20);
    assert!(temp_files(&out).is_empty());
    assert!(
        stderr(&o).contains(
            "NOT WRITTEN (10, listed in summary.json when it could be written): d1/r010.txt.json"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_real_full_tmpfs_leaves_no_temp_files() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    many_reports(root, 60);
    let mnt = root.join("small");
    std::fs::create_dir_all(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&mnt)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        common::skip("a_real_full_tmpfs_leaves_no_temp_files: cannot mount a tmpfs here (not root, or no privileges); the simulated full disk test covers the same paths");
        return;
    }
    struct Unmount<'a>(&'a Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(self.0).status();
        }
    }
    let _u = Unmount(&mnt);
    let o = run(
        root,
        &[
            "parse",
            "in",
            "-o",
            "small/out",
            "-j",
            "2",
            "--format",
            "json,jsonl,csv",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("No space left on device"),
        "{}",
        stderr(&o)
    );
    let out = mnt.join("out");
    assert!(temp_files(&out).is_empty(), "{:?}", temp_files(&out));
    let written = outputs_complete(&out);
    assert!(written < 60, "{written}");
    assert!(!out.join(".gyokaku.lock").exists());
    if out.join("summary.json").exists() {
        let s = summary(&out);
        assert!(
            !s["outputs"]["not_written"].as_array().unwrap().is_empty(),
            "{s}"
        );
    } else {
        assert!(
            stderr(&o).contains("cannot write small/out/summary.json"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn ctrl_c_in_the_middle_removes_temp_files_and_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    many_reports(root, 40);
    let child = Command::new(BIN)
        .args([
            "parse",
            "in",
            "-o",
            "out",
            "-j",
            "2",
            "--format",
            "json,jsonl,csv",
            "-q",
        ])
        .current_dir(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        // Complete outputs only: a JSON being written is a temp file until it is renamed.
        let done = root
            .join("out/d0")
            .read_dir()
            .map(|d| {
                d.flatten()
                    .filter(|e| !e.file_name().to_string_lossy().ends_with(TMP_SUFFIX))
                    .count()
            })
            .unwrap_or(0);
        if done >= 3 {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let ok = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    let o = wait_watched(child, 60, "interrupted run");
    if !ok || o.status.code() == Some(0) {
        common::skip("the run finished before it could be interrupted");
        return;
    }
    assert_eq!(
        o.status.code(),
        Some(130),
        "{:?} {}",
        o.status.signal(),
        stderr(&o)
    );
    let err = stderr(&o);
    assert!(err.starts_with("gyokaku: interrupted (SIGINT): "), "{err}");
    assert!(
        err.contains(" of 40 inputs finished (their outputs are complete); ")
            && err.contains("temp files removed; errors.jsonl, summary.json, items.jsonl and the CSV tables of this run were not written; run again to finish"),
        "{err}"
    );
    let out = root.join("out");
    assert!(temp_files(&out).is_empty(), "{:?}", temp_files(&out));
    for f in [
        "summary.json",
        "items.jsonl",
        "items.csv",
        "errors.jsonl",
        ".gyokaku.lock",
    ] {
        assert!(!out.join(f).exists(), "{f}");
    }
    let complete = outputs_complete(&out);
    assert!((3..40).contains(&complete), "{complete}");
    // The next run finishes the job, skipping what is done.
    let o = run(
        root,
        &[
            "parse",
            "in",
            "-o",
            "out",
            "-j",
            "2",
            "--format",
            "json,jsonl,csv",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = summary(&out);
    assert_eq!(s["files"], 40);
    assert!(s["skipped"].as_u64().unwrap() >= complete as u64);
}

#[test]
fn odd_file_names_stay_on_one_line_and_distinct() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let input = root.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let card = card_report("見本市", 3, 2);
    let names: [&[u8]; 4] = [
        b"x\xff.txt",
        b"x\xfe.txt",
        b"back\\slash.txt",
        b"tab\there.txt",
    ];
    for n in names {
        std::fs::write(input.join(OsStr::from_bytes(n)), &card).unwrap();
    }
    std::fs::write(input.join("new\nline.txt"), NOVEL).unwrap();
    let o = run(root, &["parse", "in", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // One line for the error (the line break escaped), one for the summary.
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with("gyokaku: in/new\\nline.txt: not-a-report: "),
        "{err}"
    );
    let errs = error_lines(&root.join("out"));
    assert_eq!(errs[0]["file"], "in/new\nline.txt");
    // Output names keep the input's bytes; source.path is the documented lossless text.
    let want: [(&[u8], &str); 4] = [
        (b"x\xff.txt.json", "in/x\\xFF.txt"),
        (b"x\xfe.txt.json", "in/x\\xFE.txt"),
        (b"back\\slash.txt.json", "in/back\\\\slash.txt"),
        (b"tab\there.txt.json", "in/tab\there.txt"),
    ];
    for (file, path) in want {
        let p = root.join("out").join(OsStr::from_bytes(file));
        let doc = json(&std::fs::read(&p).unwrap_or_else(|_| panic!("{p:?} missing")));
        assert_eq!(doc["source"]["path"], path);
        assert_eq!(doc["items"].as_array().unwrap().len(), 2);
    }
    // Stable across runs: the second run finds all four up to date.
    let o = run(root, &["parse", "in", "-o", "out"]);
    assert!(
        stderr(&o).contains("5 files: 0 parsed, 4 up to date, 1 failed"),
        "{}",
        stderr(&o)
    );
    // A file named directly: the same escapes in its one-line error.
    let o = run_watched(
        root,
        &[OsStr::new("parse"), OsStr::new("in/new\nline.txt")],
        60,
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    let o = run_watched(
        root,
        &[OsStr::new("parse"), OsStr::from_bytes(b"in/x\xff.txt")],
        60,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o.stdout)["source"]["path"], "in/x\\xFF.txt");
}

#[test]
fn symlink_loops_are_noted_and_links_outside_are_not_followed_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let card = card_report("見本市", 3, 2);
    write_tree(
        root,
        &[
            ("in/real.txt", card.clone().into_bytes()),
            ("in/sub/deep.txt", card.clone().into_bytes()),
            ("outside/far.txt", card.clone().into_bytes()),
        ],
    );
    use std::os::unix::fs::symlink;
    symlink("..", root.join("in/sub/up")).unwrap(); // a folder link back to an ancestor
    symlink("self.txt", root.join("in/self.txt")).unwrap(); // a link to itself
    symlink("../outside/far.txt", root.join("in/far.txt")).unwrap();
    symlink("real.txt", root.join("in/alias.txt")).unwrap(); // inside the tree: read

    let o = run(root, &["parse", "in", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = summary(&root.join("out"));
    assert_eq!(s["parsed"], 3, "{s}");
    assert_eq!(
        ignored(&s),
        [
            (
                "in/far.txt".to_string(),
                "symbolic link leading outside the input folder (not followed; --follow reads it)"
                    .to_string()
            ),
            (
                "in/self.txt".to_string(),
                "symbolic link loop (not followed)".to_string()
            ),
            (
                "in/sub/up".to_string(),
                "symbolic link to a folder (not followed; --follow follows it)".to_string()
            ),
        ]
    );
    let outs: Vec<String> = read_tree(&root.join("out"))
        .into_keys()
        .filter(|k| k.ends_with(".txt.json"))
        .collect();
    assert_eq!(
        outs,
        ["alias.txt.json", "real.txt.json", "sub/deep.txt.json"]
    );

    // --follow: the outside file is read; the loop back to `in` is noted, not walked again.
    let o = run(root, &["parse", "in", "-o", "out2", "--follow"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = summary(&root.join("out2"));
    assert_eq!(s["parsed"], 4, "{s}");
    assert_eq!(
        ignored(&s),
        [
            (
                "in/self.txt".to_string(),
                "symbolic link loop (not followed)".to_string()
            ),
            (
                "in/sub/up".to_string(),
                "symbolic link loop: leads to the folder in, already walked (not walked again)"
                    .to_string()
            ),
        ]
    );
    assert!(root.join("out2/far.txt.json").is_file());
}
