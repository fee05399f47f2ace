//! The command-line points of a first use: README examples that run as written, `-o FILE.json`
//! with several inputs, `--glob`/`--exclude` (and `review` walking folders as `parse` does),
//! `--encoding-errors replace|strict`, `--color`/`NO_COLOR`, completions, the man page,
//! `--error-format json`, `text` offering only the options it uses, and Ctrl-C during `review`.
//! Ctrl-C during `parse` and the next run's sweep of temp files are in `batch_safety.rs` and
//! `batch_runs.rs`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gyokaku"))
}

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(common::root())
        .env_remove("NO_COLOR")
        .output()
        .expect("run gyokaku")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn readme_examples_run_as_written() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README");
    let start = readme.find("Other runs").expect("Other runs");
    let block = &readme[start..];
    let block = &block[block.find("```sh\n").expect("block") + 6..];
    let block = &block[..block.find("```").expect("end")];
    let dir = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(common::root().join("fixtures"), dir.path().join("fixtures"))
        .expect("link fixtures");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_gyokaku"))
        .parent()
        .expect("bin dir");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let cmd = line.split("  #").next().unwrap_or(line).trim();
        let out = Command::new("sh")
            .args(["-c", cmd])
            .current_dir(dir.path())
            .env("PATH", &path)
            .output()
            .expect("sh");
        assert!(out.status.success(), "{cmd}: {}", stderr(&out));
        ran += 1;
    }
    assert_eq!(ran, 11);
    for made in [
        "table.json",
        "shiomino.toml",
        "out/summary.json",
        "out/items.jsonl",
        "out/2022/shirasagidai-r5.xlsx.json",
        "review/index.html",
        "report.schema.json",
        "gyokaku.bash",
        "gyokaku.1",
    ] {
        assert!(dir.path().join(made).is_file(), "{made} not written");
    }
    let summary: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("out/summary.json")).expect("summary"),
    )
    .expect("JSON");
    assert_eq!(summary["parsed"], 4, "{summary}");
    assert_eq!(
        summary["errors"].as_array().map(Vec::len),
        Some(0),
        "{summary}"
    );
}

#[test]
fn output_file_name_with_several_inputs_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("x.json");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["fixtures/sample-archive/".into()],
            "looks like a file name, but a folder or several inputs",
        ),
        (
            vec![
                "fixtures/text/card-basic.txt".into(),
                "fixtures/text/table-basic.txt".into(),
            ],
            "looks like a file name, but a folder or several inputs",
        ),
    ];
    for (inputs, want) in cases {
        let mut args: Vec<&str> = vec!["parse"];
        args.extend(inputs.iter().map(String::as_str));
        let t = target.display().to_string();
        args.extend(["-o", &t]);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{inputs:?}");
        assert!(stderr(&out).contains(want), "{}", stderr(&out));
        assert!(!target.exists(), "nothing is made");
    }
    // One input with -o FILE.json is still a file.
    let t = target.display().to_string();
    let out = run(&["parse", "fixtures/text/card-basic.txt", "-o", &t]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(target.is_file());
}

#[test]
fn glob_and_exclude_choose_the_files_of_a_batch() {
    // (patterns, files read, a file noted as ignored and its reason)
    let cases: Vec<(Vec<&str>, u64, &str, &str)> = vec![
        // By default a folder's README.md is not read: not a report file type.
        (
            vec![],
            4,
            "README.md",
            "not a report file type (gyokaku reads .pdf .txt .text .htm .html .xlsx .xlsm .xls .ods .docx .csv .tsv)",
        ),
        (
            vec!["--exclude", "*.xlsx"],
            3,
            "shirasagidai-r5.xlsx",
            "excluded by --exclude *.xlsx",
        ),
        (
            vec!["--glob", "*.txt"],
            2,
            "kasumino-r3.pdf",
            "matches no --glob pattern (*.txt)",
        ),
        (
            vec!["--glob", "**/2021/*", "--exclude", "*.pdf"],
            1,
            "kasumino-r3.pdf",
            "excluded by --exclude *.pdf",
        ),
    ];
    for (patterns, parsed, file, reason) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let o = dir.path().join("out").display().to_string();
        let mut args = vec!["parse", "fixtures/sample-archive/", "-o", &o, "--quiet"];
        args.extend(&patterns);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{patterns:?}: {}", stderr(&out));
        let summary: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.path().join("out/summary.json")).expect("summary"),
        )
        .expect("JSON");
        assert_eq!(summary["parsed"], parsed, "{patterns:?}: {summary}");
        let ignored = summary["ignored_files"].as_array().expect("ignored");
        assert!(
            ignored
                .iter()
                .any(|i| i["file"].as_str().unwrap().ends_with(file) && i["reason"] == reason),
            "{patterns:?}: {ignored:?}"
        );
    }
}

#[test]
fn color_follows_the_flag_and_no_color() {
    // (flag, NO_COLOR, coloured); stderr is not a terminal here, so auto is plain.
    let cases = [
        (None, None, false),
        (Some("always"), None, true),
        (Some("always"), Some("1"), true),
        (Some("never"), None, false),
        (Some("auto"), Some("1"), false),
    ];
    for (flag, no_color, want) in cases {
        let mut cmd = bin();
        cmd.current_dir(common::root())
            .args(["parse", "fixtures/text/not-a-report.txt"])
            .env_remove("NO_COLOR");
        if let Some(f) = flag {
            cmd.args(["--color", f]);
        }
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().expect("run");
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert_eq!(
            err.contains("\x1b["),
            want,
            "{flag:?} {no_color:?}: {err:?}"
        );
        assert!(err.contains("not-a-report"), "{err}");
    }
    // The decision itself, for a terminal.
    use gyokaku::cli::{ColorWhen, Messages};
    let empty = std::ffi::OsStr::new("");
    let one = std::ffi::OsStr::new("1");
    let table = [
        (ColorWhen::Auto, true, None, true),
        (ColorWhen::Auto, true, Some(one), false),
        (ColorWhen::Auto, true, Some(empty), true),
        (ColorWhen::Auto, false, None, false),
        (ColorWhen::Never, true, None, false),
        (ColorWhen::Always, false, Some(one), true),
    ];
    for (when, terminal, nc, want) in table {
        assert_eq!(
            Messages::decide(when, terminal, nc),
            want,
            "{when:?} {terminal} {nc:?}"
        );
    }
}

#[test]
fn completions_for_each_shell() {
    let cases = [
        ("bash", "complete -F _gyokaku"),
        ("zsh", "#compdef gyokaku"),
        ("fish", "complete -c gyokaku"),
        ("elvish", "gyokaku"),
        ("powershell", "Register-ArgumentCompleter"),
    ];
    for (shell, want) in cases {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains(want),
            "{shell}: {}",
            &text[..text.len().min(200)]
        );
        assert!(text.contains("review"), "{shell}: the review subcommand");
    }
}

#[test]
fn man_page_is_generated_from_the_definition() {
    let out = run(&["man"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        ".TH gyokaku 1",
        ".SH NAME",
        "gyokaku\\-parse",
        "gyokaku\\-review",
        "\\-\\-color",
    ] {
        assert!(text.contains(want), "{want} not in the man page");
    }
}

#[test]
fn single_file_errors_as_json() {
    let cases: Vec<(Vec<&str>, i32, &str, Option<&str>)> = vec![
        (
            vec!["parse", "fixtures/text/not-a-report.txt"],
            1,
            "not-a-report",
            Some("fixtures/text/not-a-report.txt"),
        ),
        (
            vec!["parse", "no-such-file.txt"],
            1,
            "io",
            Some("no-such-file.txt"),
        ),
        (vec!["parse", "fixtures/text/"], 2, "usage", None),
    ];
    for (args, code, kind, file) in cases {
        let mut a = args.clone();
        a.extend(["--error-format", "json"]);
        let out = run(&a);
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        let err = stderr(&out);
        let v: serde_json::Value =
            serde_json::from_str(err.trim()).unwrap_or_else(|e| panic!("{args:?}: {e}: {err}"));
        assert_eq!(v["kind"], kind, "{v}");
        assert_eq!(v["file"].as_str(), file, "{v}");
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    }
}

#[test]
fn text_offers_only_the_options_it_uses() {
    let help = run(&["text", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("--encoding"), "{help}");
    for gone in ["--layout", "--profile", "--lexicon"] {
        assert!(!help.contains(gone), "text --help offers {gone}");
        let out = run(&["text", "fixtures/text/card-basic.txt", gone, "x"]);
        assert_eq!(out.status.code(), Some(2), "{gone}");
        assert!(
            stderr(&out).contains("unexpected argument"),
            "{}",
            stderr(&out)
        );
    }
    let parse = String::from_utf8_lossy(&run(&["parse", "--help"]).stdout).into_owned();
    for kept in ["--layout", "--profile", "--lexicon", "--glob", "--exclude"] {
        assert!(parse.contains(kept), "parse --help lacks {kept}");
    }
}

/// `review` takes the same `--glob`/`--exclude` patterns as `parse`, and removes the temp files
/// an interrupted run left in its output folder.
#[test]
fn review_filters_files_and_sweeps_stale_temp_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("review");
    std::fs::create_dir_all(&out).expect("mkdir");
    let stale = out.join("old.html.123-0.gyokaku-tmp");
    std::fs::write(&stale, "half a page").expect("write");
    let o = out.display().to_string();
    let run_out = run(&[
        "review",
        "fixtures/sample-archive/",
        "-o",
        &o,
        "--glob",
        "*.txt",
    ]);
    assert_eq!(run_out.status.code(), Some(0), "{}", stderr(&run_out));
    assert!(!stale.exists(), "stale temp file left");
    let mut pages: Vec<String> = std::fs::read_dir(&out)
        .expect("read_dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    assert!(pages.contains(&"index.html".to_string()), "{pages:?}");
    let reports: Vec<&String> = pages.iter().filter(|p| *p != "index.html").collect();
    assert!(!reports.is_empty(), "{pages:?}");
    assert!(
        reports.iter().all(|p| p.ends_with(".txt.html")),
        "only .txt inputs: {pages:?}"
    );
    assert!(
        pages.iter().all(|p| !p.ends_with(".gyokaku-tmp")),
        "{pages:?}"
    );
}

/// The files of the tree `review_walks_a_folder_as_parse_does` builds.
const TREE: [&str; 6] = [
    "a.txt",
    "sub/b.txt",
    "sub/deeper/c.TXT",
    "d.report",
    "notes.md",
    "pages/old.html",
];

/// The input files of a `parse` batch (from its per-file outputs and error records) and of a
/// `review` run (from its pages and the inputs it names as not read), as file names.
fn parsed_and_reviewed(tree: &Path, extra: &[&str]) -> (Vec<String>, Vec<String>) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (json, html) = (tmp.path().join("json"), tmp.path().join("html"));
    let t = tree.display().to_string();
    let mut names = Vec::new();
    for (cmd, out, suffix) in [("parse", &json, ".json"), ("review", &html, ".html")] {
        let o = out.display().to_string();
        let mut args = vec![cmd, t.as_str(), "-o", o.as_str()];
        args.extend_from_slice(extra);
        let r = run(&args);
        assert!(
            matches!(r.status.code(), Some(0 | 1)),
            "{cmd} {extra:?}: {}",
            stderr(&r)
        );
        // Files read but not reports: in errors.jsonl for parse, on stderr for review.
        let mut found: Vec<String> = if cmd == "parse" {
            std::fs::read_to_string(out.join("errors.jsonl"))
                .unwrap_or_default()
                .lines()
                .map(|l| {
                    let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
                    let f = v["file"].as_str().expect("file").to_string();
                    f.rsplit('/').next().unwrap_or_default().to_string()
                })
                .collect()
        } else {
            let err = stderr(&r);
            TREE.iter()
                .filter_map(|rel| rel.rsplit('/').next())
                .filter(|n| err.contains(&format!("/{n}")))
                .map(str::to_string)
                .collect()
        };
        let mut stack = vec![out.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
                let p = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                if p.is_dir() {
                    stack.push(p);
                } else if name != "index.html" && name.ends_with(suffix) && name != "summary.json" {
                    found.push(name.trim_end_matches(suffix).to_string());
                }
            }
        }
        found.sort();
        names.push(found);
    }
    let reviewed = names.pop().unwrap_or_default();
    let parsed = names.pop().unwrap_or_default();
    (parsed, reviewed)
}

/// `review` on a folder reads exactly the files `parse` reads: the same walk (report extensions,
/// files a `--glob` admits, the output folder left out) and the same `--glob`/`--exclude`.
#[test]
fn review_walks_a_folder_as_parse_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tree = dir.path().join("tree");
    let report =
        std::fs::read(common::root().join("fixtures/text/card-basic.txt")).expect("fixture");
    for rel in TREE {
        let p = tree.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        // An HTML page that is not a report: read, and named as not read.
        let body: &[u8] = if rel.ends_with(".html") {
            b"<p>page</p>"
        } else {
            &report
        };
        std::fs::write(&p, body).expect("write");
    }
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (vec![], vec!["a.txt", "b.txt", "c.TXT", "old.html"]),
        (vec!["--exclude", "**/sub/**"], vec!["a.txt", "old.html"]),
        (vec!["--exclude", "*.html"], vec!["a.txt", "b.txt", "c.TXT"]),
        (vec!["--glob", "*.report"], vec!["d.report"]),
        (
            vec![
                "--glob",
                "*.report",
                "--glob",
                "**/deeper/*",
                "--exclude",
                "*.md",
            ],
            vec!["c.TXT", "d.report"],
        ),
    ];
    for (extra, want) in cases {
        let (parsed, reviewed) = parsed_and_reviewed(&tree, &extra);
        assert_eq!(parsed, want, "parse {extra:?}");
        assert_eq!(reviewed, parsed, "review {extra:?} reads what parse reads");
    }
    // The output folder inside the input folder is not walked by the next run.
    let t = tree.display().to_string();
    let inside = tree.join("review").display().to_string();
    for _ in 0..2 {
        let r = run(&["review", &t, "-o", &inside, "--exclude", "*.html"]);
        assert_eq!(r.status.code(), Some(0), "{}", stderr(&r));
        let out = String::from_utf8_lossy(&r.stdout).into_owned();
        assert!(out.contains("(3 report pages, 0 inputs not read)"), "{out}");
    }
}

/// `--encoding-errors replace` (the default, here given) replaces each invalid byte sequence with
/// U+FFFD and reports each line that had some: one `invalid-bytes` error diagnostic per line,
/// counting its sequences; the report is partial (exit 3). `strict` refuses the input.
#[test]
fn encoding_errors_replace_reports_each_line_and_strict_refuses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = std::fs::read_to_string(common::root().join("fixtures/text/card-basic.txt"))
        .expect("fixture");
    let mut bytes = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if n == 7 {
            bytes.push(0xFF);
        }
        bytes.extend_from_slice(line.as_bytes());
        if n == 7 || n == 3 {
            bytes.push(0xFE);
        }
        bytes.push(b'\n');
    }
    let p = dir.path().join("bad.txt");
    std::fs::write(&p, &bytes).expect("write");
    let f = p.display().to_string();
    let o = run(&[
        "parse",
        "--encoding",
        "utf-8",
        "--encoding-errors",
        "replace",
        &f,
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let mut found: Vec<(u64, String, String)> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "invalid-bytes")
        .map(|d| {
            (
                d["line"].as_u64().expect("line"),
                d["severity"].as_str().expect("severity").to_string(),
                d["message"].as_str().expect("message").to_string(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!((found[0].0, found[0].1.as_str()), (3, "error"));
    assert!(found[0].2.starts_with("1 byte sequence "), "{found:?}");
    assert_eq!((found[1].0, found[1].1.as_str()), (7, "error"));
    assert!(found[1].2.starts_with("2 byte sequences "), "{found:?}");
    // The text keeps one U+FFFD per sequence, on its line.
    let o = run(&["text", "--encoding", "utf-8", &f]);
    let shown = String::from_utf8_lossy(&o.stdout).into_owned();
    let marks: Vec<(usize, usize)> = shown
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.matches('\u{FFFD}').count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    assert_eq!(marks, vec![(3, 1), (7, 2)], "{shown}");
    let o = run(&[
        "parse",
        "--encoding",
        "utf-8",
        "--encoding-errors",
        "strict",
        &f,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("line 3: encoding: invalid"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
}

/// Ctrl-C during `review`: exit 130, the temp file being written removed, the pages already
/// written complete.
#[test]
fn review_interrupted_removes_its_temp_file_and_keeps_complete_pages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    let pdf =
        std::fs::read(common::root().join("fixtures/layouts/shiomino-r4.pdf")).expect("fixture");
    for i in 0..60 {
        std::fs::write(input.join(format!("r{i:02}.pdf")), &pdf).expect("write");
    }
    let out = dir.path().join("out");
    let child = bin()
        .args(["review", "in", "-o", "out"])
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let pages = |out: &Path| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(out)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while std::time::Instant::now() < deadline
        && pages(&out)
            .iter()
            .filter(|p| p.to_string_lossy().ends_with(".pdf.html"))
            .count()
            < 2
    {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .is_ok_and(|s| s.success());
    let o = child.wait_with_output().expect("wait");
    if !sent || o.status.code() == Some(0) {
        common::skip("the review finished before it could be interrupted");
        return;
    }
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with("gyokaku: interrupted (SIGINT): "),
        "{}",
        stderr(&o)
    );
    let written = pages(&out);
    assert!(
        written
            .iter()
            .all(|p| !p.to_string_lossy().ends_with(".gyokaku-tmp")),
        "{written:?}"
    );
    assert!(
        !out.join("index.html").exists(),
        "index of an interrupted run"
    );
    let done: Vec<&std::path::PathBuf> = written
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".pdf.html"))
        .collect();
    assert!((2..60).contains(&done.len()), "{}", done.len());
    for p in done {
        let page = std::fs::read_to_string(p).expect("page");
        assert!(page.trim_end().ends_with("</html>"), "{}", p.display());
    }
}
