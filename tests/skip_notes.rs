//! A test that skips says so where it shows: every early return of a test after a note goes
//! through `common::skip`, whose `skipped: <reason>` line is written past the test harness's
//! capture (an `eprintln!` or `println!` of a passing test is hidden).

mod common;

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("tests folder")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Lines (file:line) that print a skip or note with the captured macros and return just after.
fn hidden_skips(text: &str) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let printed = ["eprintln!(\"", "println!(\""]
            .iter()
            .find_map(|m| t.strip_prefix(m));
        let Some(msg) = printed else { continue };
        let lower = msg.to_lowercase();
        if !(lower.starts_with("skipped") || lower.starts_with("note")) {
            continue;
        }
        let returns = lines
            .iter()
            .skip(i + 1)
            .take(3)
            .any(|n| n.trim() == "return;");
        if returns {
            out.push(i + 1);
        }
    }
    out
}

#[test]
fn hidden_skips_are_found() {
    let cases: Vec<(&str, Vec<usize>)> = vec![
        (
            "if x {\n    eprintln!(\"skipped: no tool\");\n    return;\n}",
            vec![2],
        ),
        ("println!(\"SKIPPED t: no mount\");\nreturn;", vec![1]),
        ("eprintln!(\"note: raced\");\nlet a = 1;\nreturn;", vec![1]),
        ("common::skip(\"no tool\");\nreturn;", vec![]),
        ("eprintln!(\"checked: 4\");\nreturn;", vec![]),
        (
            "eprintln!(\"skipped: x\");\nlet a = 1;\nlet b = 2;\nlet c = 3;\nreturn;",
            vec![],
        ),
    ];
    for (text, want) in cases {
        assert_eq!(hidden_skips(text), want, "{text}");
    }
}

#[test]
fn every_skip_in_the_tests_is_visible() {
    let mut files = Vec::new();
    rust_files(&common::root().join("tests"), &mut files);
    assert!(files.len() > 20, "{files:?}");
    let mut offenders = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        for line in hidden_skips(&text) {
            offenders.push(format!("{}:{line}", f.display()));
        }
    }
    assert_eq!(
        offenders,
        Vec::<String>::new(),
        "skips printed where the harness hides them"
    );
}
