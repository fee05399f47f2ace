//! Hostile and broken inputs through the real binary: every file of fixtures/malformed (written
//! by scripts/make-malformed.py, plus inputs found by fuzzing) gives a clear one-line error or a
//! best-effort result, never a panic, never a hang, within a bounded address space.
//!
//! Each run is watched: a child still running after [`WATCHDOG`] is killed and the test fails (a
//! hang guard, not a timing assertion; the times measured are printed). Each child runs under
//! `ulimit -v` ([`MEMORY_LIMIT_KIB`]), so an unbounded allocation fails the run instead of the machine.

use std::ffi::OsString;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const WATCHDOG: Duration = Duration::from_secs(10);
/// Address-space limit of every child: 2 GiB.
const MEMORY_LIMIT_KIB: u64 = 2 * 1024 * 1024;
/// The text drawn on the page of every PDF fixture built from the valid one.
const HELLO: &str = "gyokaku malformed input fixture";

fn malformed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join("malformed")
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Run the binary with `args` under the memory limit and the watchdog; stdin from `stdin` or empty.
fn run(args: &[OsString], stdin: Option<File>) -> Run {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(r#"ulimit -v "$1" || exit 97; shift; exec "$@""#)
        .arg("sh")
        .arg(MEMORY_LIMIT_KIB.to_string())
        .arg(env!("CARGO_BIN_EXE_gyokaku"))
        .args(args)
        .stdin(stdin.map_or_else(Stdio::null, Stdio::from));
    watched(cmd, &format!("{args:?}"))
}

/// Spawn `cmd` with piped output, kill it after [`WATCHDOG`] (and fail), collect what it printed.
fn watched(mut cmd: Command, what: &str) -> Run {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn sh");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > WATCHDOG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("gyokaku {what} still running after {WATCHDOG:?}: killed (hang)");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&out_t.join().expect("stdout thread")).into_owned();
    let stderr = String::from_utf8_lossy(&err_t.join().expect("stderr thread")).into_owned();
    assert_ne!(status.code(), Some(97), "ulimit -v failed in sh");
    Run {
        code: status.code(),
        stdout,
        stderr,
        elapsed,
    }
}

fn args(list: &[&str], path: &Path) -> Vec<OsString> {
    let mut v: Vec<OsString> = list.iter().map(OsString::from).collect();
    v.push(path.as_os_str().to_owned());
    v
}

/// What `gyokaku parse FILE` must do with one input.
#[derive(Debug, Clone, Copy)]
enum Want {
    /// Exit 1 with one stderr line `FILE: KIND: MESSAGE…` whose message contains the text.
    Error(&'static str, &'static str),
    /// Exit 1 with one stderr line `FILE: KIND: …`, KIND one of these.
    ErrorOf(&'static [&'static str]),
    /// Either a report (exit 0, JSON with at least one diagnostic) or exit 1 with one of these kinds.
    #[allow(dead_code)]
    ReportOr(&'static [&'static str]),
    /// A partial report: exit 3, JSON with a diagnostic of severity error and this code.
    Partial(&'static str),
}

/// What `gyokaku text FILE.pdf` must do: print the page's text (best effort), or not matter.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Text {
    /// Exit 0 and the fixture's line of text is printed.
    Hello,
    /// Not checked (the PDF is refused, or its content is gone).
    Any,
}

const BROKEN: &[&str] = &["pdf", "unreadable"];
const NO_TEXT: &[&str] = &["pdf", "unreadable", "not-a-report"];

/// Every committed malformed input and its expected outcome under the default limits.
const CASES: &[(&str, Want, Text)] = &[
    (
        "valid-hello.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    ("header-only.pdf", Want::ErrorOf(BROKEN), Text::Any),
    ("random-header.pdf", Want::ErrorOf(BROKEN), Text::Any),
    ("truncated-16.pdf", Want::ErrorOf(BROKEN), Text::Any),
    ("truncated-quarter.pdf", Want::ErrorOf(NO_TEXT), Text::Any),
    ("truncated-half.pdf", Want::ErrorOf(NO_TEXT), Text::Any),
    (
        "truncated-in-xref.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    (
        "truncated-no-eof.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    (
        "xref-nowhere.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    (
        "xref-garbage.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    (
        "missing-trailer.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    ("no-root.pdf", Want::Error("not-a-report", ""), Text::Hello),
    ("no-pages.pdf", Want::ErrorOf(NO_TEXT), Text::Any),
    (
        "wrong-length-short.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    (
        "wrong-length-long.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    ("length-self-ref.pdf", Want::ErrorOf(NO_TEXT), Text::Any),
    ("ref-cycle.pdf", Want::ErrorOf(NO_TEXT), Text::Any),
    (
        "kids-cycle.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    (
        "kids-self.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    (
        "form-self.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    (
        "form-cycle2.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    (
        "form-chain.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    // over-deep values are read as null, the rest of the file is read
    (
        "deep-array.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    (
        "deep-dict.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    (
        "deep-array-content.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    (
        "deep-array-content-flate.pdf",
        Want::Error("not-a-report", ""),
        Text::Hello,
    ),
    (
        "flate-bomb.pdf",
        Want::Error(
            "limit",
            "inflates to more than 67108864 bytes (--max-stream-bytes)",
        ),
        Text::Any,
    ),
    (
        "flate-bomb-objstm.pdf",
        Want::Error(
            "limit",
            "inflates to more than 67108864 bytes (--max-stream-bytes)",
        ),
        Text::Any,
    ),
    (
        "many-operators.pdf",
        Want::Error(
            "limit",
            "more than 500000 content operators on one page (--max-operators)",
        ),
        Text::Any,
    ),
    (
        "invalid-utf8.txt",
        Want::Partial("invalid-bytes"),
        Text::Any,
    ),
    (
        "invalid-sjis.txt",
        Want::Partial("invalid-bytes"),
        Text::Any,
    ),
    (
        "binary.txt",
        Want::ErrorOf(&["encoding", "not-a-report"]),
        Text::Any,
    ),
    ("empty.txt", Want::ErrorOf(&["not-a-report"]), Text::Any),
];

/// Check one `parse` run against its expectation; returns a failure description.
fn check_parse(path: &Path, r: &Run, want: Want) -> Result<(), String> {
    let shown = path.display().to_string();
    let lines: Vec<&str> = r.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    let error_line = |kinds: &[&str], text: &str| -> Result<(), String> {
        if r.code != Some(1) {
            return Err(format!("exit {:?}, want 1; stderr {:?}", r.code, r.stderr));
        }
        let [line] = lines.as_slice() else {
            return Err(format!("want one stderr line, got {:?}", r.stderr));
        };
        // `gyokaku: FILE: KIND: message` (the program name first is allowed)
        let line_rest = line.strip_prefix("gyokaku: ").unwrap_or(line);
        let rest = line_rest
            .strip_prefix(&shown)
            .and_then(|s| s.strip_prefix(": "));
        let Some(rest) = rest else {
            return Err(format!(
                "stderr line does not start with the file name: {line:?}"
            ));
        };
        let kind_ok = kinds
            .iter()
            .any(|k| rest.starts_with(&format!("{k}: ")) || rest.contains(&format!(": {k}: ")));
        if !kind_ok {
            return Err(format!("stderr line {line:?} names none of {kinds:?}"));
        }
        if !rest.contains(text) {
            return Err(format!("stderr line {line:?} lacks {text:?}"));
        }
        if r.stderr.contains("panicked") || r.stderr.contains("RUST_BACKTRACE") {
            return Err(format!("panic: {:?}", r.stderr));
        }
        Ok(())
    };
    match want {
        Want::Error(kind, text) => error_line(&[kind], text),
        Want::ErrorOf(kinds) => error_line(kinds, ""),
        Want::Partial(code) => {
            if r.code != Some(3) {
                return Err(format!("exit {:?}, want 3; stderr {:?}", r.code, r.stderr));
            }
            let v: serde_json::Value = serde_json::from_str(&r.stdout)
                .map_err(|e| format!("exit 3 but stdout is not JSON: {e}"))?;
            let found = v
                .get("diagnostics")
                .and_then(|d| d.as_array())
                .into_iter()
                .flatten()
                .any(|d| d["code"] == code && d["severity"] == "error" && d["line"].is_u64());
            if !found {
                return Err(format!("no {code} diagnostic with a line: {}", r.stdout));
            }
            Ok(())
        }
        Want::ReportOr(kinds) => {
            if r.code == Some(0) {
                let v: serde_json::Value = serde_json::from_str(&r.stdout)
                    .map_err(|e| format!("exit 0 but stdout is not JSON: {e}"))?;
                let n = v
                    .get("diagnostics")
                    .and_then(|d| d.as_array())
                    .map_or(0, Vec::len);
                if n == 0 {
                    return Err("exit 0 on a damaged input without any diagnostic".into());
                }
                Ok(())
            } else {
                error_line(kinds, "")
            }
        }
    }
}

#[test]
fn every_malformed_input_gives_a_clear_outcome() {
    let dir = malformed_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures/malformed (scripts/make-malformed.py)")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "README.md")
        .collect();
    names.sort();
    let mut failures = Vec::new();
    let mut report = Vec::new();
    let mut slowest = Duration::ZERO;
    let mut flags = std::collections::BTreeSet::new();
    for name in &names {
        let path = dir.join(name);
        let case = CASES.iter().find(|(n, _, _)| n == name).copied();
        let Some((_, want, text)) = case.or_else(|| fuzz_case(name)) else {
            failures.push(format!("{name}: no expected outcome in tests/hostile.rs"));
            continue;
        };
        let r = run(&args(&["parse"], &path), None);
        flags.extend(flags_named(&r.stderr));
        slowest = slowest.max(r.elapsed);
        report.push(format!(
            "{name:32} parse exit {:?} {:>5} ms  {}",
            r.code,
            r.elapsed.as_millis(),
            r.stderr.trim()
        ));
        if let Err(e) = check_parse(&path, &r, want) {
            failures.push(format!("{name}: parse: {e}"));
        }
        if text == Text::Hello {
            let t = run(&args(&["text"], &path), None);
            slowest = slowest.max(t.elapsed);
            report.push(format!(
                "{name:32} text  exit {:?} {:>5} ms",
                t.code,
                t.elapsed.as_millis()
            ));
            if t.code != Some(0) || !t.stdout.contains(HELLO) {
                failures.push(format!(
                    "{name}: text: exit {:?}, stdout {:?}, stderr {:?}",
                    t.code, t.stdout, t.stderr
                ));
            }
        }
    }
    for (n, _, _) in CASES {
        if !names.iter().any(|x| x == n) {
            failures.push(format!(
                "{n}: missing from fixtures/malformed (run scripts/make-malformed.py)"
            ));
        }
    }
    // every flag an error message tells the user to change exists
    let help = run(&[OsString::from("parse"), OsString::from("--help")], None);
    for flag in &flags {
        if !help.stdout.contains(flag.as_str()) {
            failures.push(format!(
                "an error names {flag}, which `gyokaku parse --help` does not list"
            ));
        }
    }
    println!("flags named by errors: {flags:?}");
    println!(
        "{}\nslowest run: {} ms",
        report.join("\n"),
        slowest.as_millis()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `--flag` names in `(--flag)` or `; --flag)` hints of error messages.
fn flags_named(stderr: &str) -> Vec<String> {
    stderr
        .match_indices("--")
        .map(|(i, _)| {
            let rest = stderr.get(i..).unwrap_or_default();
            let end = rest
                .find(|c: char| !(c == '-' || c.is_ascii_alphanumeric()))
                .unwrap_or(rest.len());
            rest.get(..end).unwrap_or_default().to_string()
        })
        .filter(|f| f.len() > 2)
        .collect()
}

/// Inputs found by fuzzing (`fuzz-*`): a one-line error of any documented kind or a report.
fn fuzz_case(name: &str) -> Option<(&'static str, Want, Text)> {
    const ANY: &[&str] = &["pdf", "unreadable", "not-a-report", "encoding", "limit"];
    name.starts_with("fuzz-")
        .then_some(("", Want::ReportOr(ANY), Text::Any))
}

/// A 1 GB sparse file is refused by the input-size limit without being read.
#[test]
fn one_gigabyte_text_is_refused_quickly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.txt");
    File::create(&path)
        .expect("create")
        .set_len(1 << 30)
        .expect("set_len");
    let r = run(&args(&["parse"], &path), None);
    println!(
        "1 GiB sparse file: exit {:?} in {} ms: {}",
        r.code,
        r.elapsed.as_millis(),
        r.stderr.trim()
    );
    let want = Want::Error(
        "limit",
        "input is 1073741824 bytes, larger than the limit of 268435456 bytes (--max-input-bytes)",
    );
    if let Err(e) = check_parse(&path, &r, want) {
        panic!("{e}");
    }
}

/// The same through stdin: redirected from the file, its size is checked first.
#[test]
fn one_gigabyte_file_on_stdin_is_refused_quickly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.txt");
    File::create(&path)
        .expect("create")
        .set_len(1 << 30)
        .expect("set_len");
    let r = run(
        &[OsString::from("parse"), OsString::from("-")],
        Some(File::open(&path).expect("open")),
    );
    println!(
        "1 GiB on stdin: exit {:?} in {} ms: {}",
        r.code,
        r.elapsed.as_millis(),
        r.stderr.trim()
    );
    let want = Want::Error(
        "limit",
        "input is 1073741824 bytes, larger than the limit of 268435456 bytes (--max-input-bytes)",
    );
    if let Err(e) = check_parse(Path::new("-"), &r, want) {
        panic!("{e}");
    }
}

/// Through a pipe the size is unknown: at most limit + 1 bytes are read, then it is refused.
#[test]
fn endless_pipe_on_stdin_is_cut_at_the_limit() {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(r#"ulimit -v "$1" || exit 97; shift; head -c 1073741824 /dev/zero | "$@""#)
        .arg("sh")
        .arg(MEMORY_LIMIT_KIB.to_string())
        .arg(env!("CARGO_BIN_EXE_gyokaku"))
        .args(["parse", "-"]);
    let r = watched(cmd, "parse - < pipe");
    println!(
        "1 GiB through a pipe: exit {:?} in {} ms: {}",
        r.code,
        r.elapsed.as_millis(),
        r.stderr.trim()
    );
    let want = Want::Error(
        "limit",
        "larger than the limit of 268435456 bytes (--max-input-bytes)",
    );
    if let Err(e) = check_parse(Path::new("-"), &r, want) {
        panic!("{e}");
    }
}

#[test]
fn missing_file_is_an_io_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("absent.pdf");
    let r = run(&args(&["parse"], &path), None);
    if let Err(e) = check_parse(&path, &r, Want::Error("io", "")) {
        panic!("{e}");
    }
}

/// The recovered PDFs say what they skipped: the diagnostics of the PDF layer for each
/// (the CLI cannot show them here, since the fixtures' text is not a report).
#[test]
fn recovered_pdfs_carry_diagnostics() {
    let cases: &[(&str, &[&str])] = &[
        ("valid-hello.pdf", &[]),
        ("form-self.pdf", &["form-xobject-cycle"]),
        ("form-cycle2.pdf", &["form-xobject-cycle"]),
        ("form-chain.pdf", &["form-xobject-depth"]),
        ("kids-cycle.pdf", &["page-tree-cycle"]),
        ("kids-self.pdf", &["page-tree-cycle"]),
    ];
    let limits = gyokaku::Limits::default();
    for (name, want) in cases {
        let bytes = std::fs::read(malformed_dir().join(name)).expect("fixture");
        let doc = gyokaku::pdf::extract(&bytes, &limits).expect(name);
        let mut codes: Vec<&str> = doc.diagnostics.iter().map(|d| d.code.as_str()).collect();
        codes.dedup();
        assert_eq!(&codes, want, "{name}: {:?}", doc.diagnostics);
        assert!(doc.to_text().contains(HELLO), "{name}: {}", doc.to_text());
        assert_eq!(doc.pages, Some(1), "{name}");
    }
}

/// With the nesting guard lifted (`--max-depth 100000`), the 10 000-deep inputs reach lopdf,
/// whose parser stops at 100 levels: the rest of the file is still read, nothing overflows the
/// stack (a stack overflow would end the process by a signal, without an exit code).
#[test]
fn deep_nesting_without_our_guard_does_not_overflow() {
    for name in [
        "deep-array.pdf",
        "deep-dict.pdf",
        "deep-array-content.pdf",
        "deep-array-content-flate.pdf",
    ] {
        let path = malformed_dir().join(name);
        let mut a = args(&["parse"], &path);
        a.extend(["--max-depth", "100000"].map(OsString::from));
        let r = run(&a, None);
        if let Err(e) = check_parse(&path, &r, Want::Error("not-a-report", "")) {
            panic!("{name}: {e}");
        }
        let mut t = args(&["text"], &path);
        t.extend(["--max-depth", "100000"].map(OsString::from));
        let r = run(&t, None);
        assert_eq!(r.code, Some(0), "{name}: {}", r.stderr);
        assert!(r.stdout.contains(HELLO), "{name}: {}", r.stdout);
    }
}

/// A PDF whose page draws a chain of `n` distinct Form XObjects, each drawing the next; the last
/// one shows `end of chain`. Written here because a long chain makes a large file.
fn form_chain_pdf(n: usize) -> Vec<u8> {
    let font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string();
    let page_content = format!("/XA Do\nBT /F1 12 Tf 72 770 Td ({HELLO}) Tj ET\n");
    let stream = |dict: &str, data: &str| {
        format!(
            "<< {dict} /Length {} >>\nstream\n{data}\nendstream",
            data.len()
        )
    };
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> \
         /XObject << /XA 6 0 R >> >> /Contents 4 0 R >>"
            .to_string(),
        stream("", &page_content),
        font,
    ];
    for i in 0..n {
        let next = 6 + i + 1;
        let (res, body) = if i + 1 < n {
            (
                format!("/Resources << /Font << /F1 5 0 R >> /XObject << /XA {next} 0 R >> >>"),
                "/XA Do".to_string(),
            )
        } else {
            (
                "/Resources << /Font << /F1 5 0 R >> >>".to_string(),
                "BT /F1 12 Tf 72 700 Td (end of chain) Tj ET".to_string(),
            )
        };
        objects.push(stream(
            &format!("/Type /XObject /Subtype /Form /BBox [0 0 595 842] {res}"),
            &body,
        ));
    }
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Form XObjects are drawn recursively: however high `--max-depth` is set, their nesting stops
/// at 100 (a stack overflow would abort the process, which no panic guard can catch).
#[test]
fn form_chain_deeper_than_any_stack_is_cut() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("chain.pdf");
    std::fs::write(&path, form_chain_pdf(20_000)).expect("write");
    let mut a = args(&["text"], &path);
    a.extend(["--max-depth", "100000", "--max-objects", "1000000"].map(OsString::from));
    let r = run(&a, None);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains(HELLO), "{}", r.stdout);
    assert!(!r.stdout.contains("end of chain"), "{}", r.stdout);

    // a chain within the cap is drawn to its end
    std::fs::write(&path, form_chain_pdf(50)).expect("write");
    let r = run(&a, None);
    assert!(
        r.stdout.contains("end of chain"),
        "{} {}",
        r.stdout,
        r.stderr
    );

    // the library on a test thread (2 MiB of stack here)
    let limits = gyokaku::Limits {
        max_depth: 100_000,
        ..gyokaku::Limits::default()
    };
    let doc = gyokaku::pdf::extract(&form_chain_pdf(20_000), &limits).expect("extract");
    let codes: Vec<&str> = doc.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["form-xobject-depth"], "{:?}", doc.diagnostics);
    assert!(doc.to_text().contains(HELLO));
}

/// The whole folder in one batch run: every input fails on its own record, none as an internal
/// error (a caught panic), and the run ends.
#[test]
fn batch_over_all_malformed_inputs() {
    let out = tempfile::tempdir().expect("tempdir");
    let a: Vec<OsString> = vec![
        "parse".into(),
        malformed_dir().into_os_string(),
        "-o".into(),
        out.path().as_os_str().to_owned(),
        "-j".into(),
        "2".into(),
    ];
    let r = run(&a, None);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let errors = std::fs::read_to_string(out.path().join("errors.jsonl")).expect("errors.jsonl");
    // the folder's README.md is documentation: not walked
    let inputs = std::fs::read_dir(malformed_dir())
        .expect("dir")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| !e.file_name().to_string_lossy().ends_with(".md"))
        })
        .count();
    let records: Vec<serde_json::Value> = errors
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    // every input but the two texts with invalid bytes (read, with diagnostics)
    assert_eq!(records.len(), inputs - 2, "{errors}");
    for name in ["invalid-utf8.txt", "invalid-sjis.txt"] {
        let json = std::fs::read_to_string(out.path().join(format!("{name}.json"))).expect(name);
        assert!(json.contains("\"invalid-bytes\""), "{name}");
    }
    for rec in &records {
        let kind = rec.get("kind").and_then(|k| k.as_str()).unwrap_or_default();
        assert_ne!(kind, "internal", "{rec}");
        // a text that mentions `%PDF-` is not taken for a PDF
        let file = rec.get("file").and_then(|f| f.as_str()).unwrap_or_default();
        if !file.ends_with(".pdf") {
            assert_ne!(kind, "pdf", "{rec}");
        }
    }
}
