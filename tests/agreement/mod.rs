//! Reading a report and comparing it, check by check, with its `NAME.expected.json`: the content
//! a correct reader extracts. Shared by the tests that measure layouts read with no profile.
#![allow(dead_code)]

use gyokaku::model::{Report, Target};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Share of checks that must agree per file.
pub const MIN_AGREEMENT: f64 = 0.95;

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_gyokaku")
}

/// A note `cargo test` shows even for a passing test (written past the output capture).
pub fn note(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

pub fn parse(path: &Path, extra: &[&str]) -> Result<Report, String> {
    let out = Command::new(bin())
        .arg("parse")
        .args(extra)
        .arg(path)
        .output()
        .expect("run gyokaku");
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("{}: not a report: {e}", path.display()))
}

pub fn norm(s: &str) -> String {
    gyokaku::normalize::normalize(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

pub fn vs(v: &Value) -> Option<String> {
    v.as_str().map(norm)
}

pub fn targets_of(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|ts| {
            ts.iter()
                .map(|t| {
                    let values: Vec<String> = t["values"]
                        .as_array()
                        .map(|vals| {
                            vals.iter()
                                .map(|x| {
                                    format!(
                                        "{}:{}:{}:{}",
                                        x["kind"].as_str().unwrap_or(""),
                                        x["fiscal_year"],
                                        vs(&x["text"]).unwrap_or_default(),
                                        x["number"]
                                            .as_f64()
                                            .map(|n| n.to_string())
                                            .unwrap_or_default()
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    format!(
                        "{}|{}|{}",
                        vs(&t["name"]).unwrap_or_default(),
                        vs(&t["unit"]).unwrap_or_default(),
                        values.join(",")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn targets_got(ts: &[Target]) -> Vec<String> {
    ts.iter()
        .map(|t| {
            let values: Vec<String> = t
                .values
                .iter()
                .map(|x| {
                    format!(
                        "{}:{}:{}:{}",
                        x.kind.as_str(),
                        x.fiscal_year.map_or("null".into(), |y| y.to_string()),
                        x.text.as_deref().map(norm).unwrap_or_default(),
                        x.number.map(|n| n.to_string()).unwrap_or_default()
                    )
                })
                .collect();
            format!(
                "{}|{}|{}",
                norm(&t.name),
                t.unit.as_deref().map(norm).unwrap_or_default(),
                values.join(",")
            )
        })
        .collect()
}

/// Compare a report with its expected content; returns (agreeing checks, checks, first failures).
pub fn agreement(expected: &Value, got: &Report, pdf: bool) -> (usize, usize, Vec<String>) {
    let mut checks: Vec<(String, String, String)> = vec![];
    let mut add = |name: String, want: String, have: String| checks.push((name, want, have));
    add(
        "municipality".into(),
        format!("{:?}", vs(&expected["municipality"])),
        format!("{:?}", got.municipality.as_deref().map(norm)),
    );
    add(
        "fiscal_year".into(),
        expected["fiscal_year"].to_string(),
        got.fiscal_year.map_or("null".into(), |y| y.to_string()),
    );
    add(
        "title".into(),
        format!("{:?}", vs(&expected["title"])),
        format!("{:?}", got.title.as_deref().map(norm)),
    );
    let scale_want: Vec<String> = expected["rating_scale"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| format!("{:?}/{:?}/{}", vs(&x["text"]), vs(&x["meaning"]), x["rank"]))
                .collect()
        })
        .unwrap_or_default();
    let scale_got: Vec<String> = got
        .rating_scale
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|x| {
            format!(
                "{:?}/{:?}/{}",
                Some(norm(&x.text)),
                Some(norm(&x.meaning)),
                x.rank
            )
        })
        .collect();
    add(
        "rating_scale".into(),
        scale_want.join(";"),
        scale_got.join(";"),
    );
    add(
        "totals".into(),
        targets_of(&expected["totals"]).join(";"),
        targets_got(&got.totals).join(";"),
    );
    let want_items = expected["items"].as_array().cloned().unwrap_or_default();
    add(
        "item count".into(),
        want_items.len().to_string(),
        got.items.len().to_string(),
    );
    for (k, (e, g)) in want_items.iter().zip(&got.items).enumerate() {
        let p = format!("item[{k}] {}", e["id"].as_str().unwrap_or("?"));
        add(
            format!("{p} id"),
            format!("{:?}", vs(&e["id"])),
            format!("{:?}", Some(norm(&g.id))),
        );
        add(
            format!("{p} parent"),
            format!("{:?}", vs(&e["parent"])),
            format!("{:?}", g.parent.as_deref().map(norm)),
        );
        add(
            format!("{p} section"),
            format!("{:?}", vs(&e["section"])),
            format!("{:?}", g.section.as_deref().map(norm)),
        );
        add(
            format!("{p} title"),
            format!("{:?}", vs(&e["title"])),
            format!("{:?}", Some(norm(&g.title))),
        );
        add(
            format!("{p} department"),
            format!("{:?}", vs(&e["department"])),
            format!("{:?}", g.department.as_deref().map(norm)),
        );
        let rating_want = if e["rating"].is_null() {
            "null".to_string()
        } else {
            format!(
                "{:?}/{:?}",
                vs(&e["rating"]["text"]),
                vs(&e["rating"]["meaning"])
            )
        };
        let rating_got = g.rating.as_ref().map_or("null".to_string(), |r| {
            format!(
                "{:?}/{:?}",
                Some(norm(&r.text)),
                r.meaning.as_deref().map(norm)
            )
        });
        add(format!("{p} rating"), rating_want, rating_got);
        let mut got_fields: Vec<(String, String)> = g
            .fields
            .iter()
            .filter(|f| !f.text.trim().is_empty())
            .map(|f| (norm(&f.label), norm(&f.text)))
            .collect();
        if let Some(fields) = e["fields"].as_object() {
            for (label, text) in fields {
                let l = norm(label);
                let have: Vec<String> = got_fields
                    .iter()
                    .filter(|(gl, _)| *gl == l)
                    .map(|(_, t)| t.clone())
                    .collect();
                got_fields.retain(|(gl, _)| *gl != l);
                add(
                    format!("{p} field {label}"),
                    vs(text).unwrap_or_default(),
                    have.concat(),
                );
            }
        }
        for (label, text) in got_fields {
            add(format!("{p} extra field {label}"), String::new(), text);
        }
        let findings_want: Vec<String> = e["findings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| {
                        format!(
                            "{:?}:{}",
                            vs(&f["mark"]),
                            vs(&f["text"]).unwrap_or_default()
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let findings_got: Vec<String> = g
            .findings
            .iter()
            .map(|f| format!("{:?}:{}", f.mark.as_deref().map(norm), norm(&f.text)))
            .collect();
        add(
            format!("{p} findings"),
            findings_want.join(";"),
            findings_got.join(";"),
        );
        add(
            format!("{p} targets"),
            targets_of(&e["targets"]).join(";"),
            targets_got(&g.targets).join(";"),
        );
        let sched_want: Vec<String> = e["schedule"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|s| {
                        format!(
                            "{}:{}",
                            s["fiscal_year"],
                            vs(&s["text"]).unwrap_or_default()
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let sched_got: Vec<String> = g
            .schedule
            .iter()
            .filter(|s| !s.text.trim().is_empty())
            .map(|s| {
                format!(
                    "{}:{}",
                    s.fiscal_year.map_or("null".into(), |y| y.to_string()),
                    norm(&s.text)
                )
            })
            .collect();
        add(
            format!("{p} schedule"),
            sched_want.join(";"),
            sched_got.join(";"),
        );
        // A text that carries no page numbers (`page` null) has none to compare with the pages
        // its printed form was cut into.
        if pdf && !e["page"].is_null() {
            add(
                format!("{p} page"),
                e["page"].to_string(),
                g.source.page.map_or("null".into(), |n| n.to_string()),
            );
        }
    }
    let n = checks.len();
    let mut bad = vec![];
    let mut ok = 0;
    for (name, want, have) in checks {
        if want == have {
            ok += 1;
        } else {
            bad.push(format!("{name}: want {want:?}, got {have:?}"));
        }
    }
    (ok, n, bad)
}

/// The reports (`NAME.expected.json` with `NAME.txt` and `NAME.pdf`) in a folder.
pub fn reports(dir: &Path) -> Vec<(String, PathBuf)> {
    reports_named(dir, None)
}

/// [`reports`], or just the one named.
pub fn reports_named(dir: &Path, only: Option<&str>) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .expect("layout folder")
        .filter_map(|e| {
            let p = e.ok()?.path();
            let name = p
                .file_name()?
                .to_str()?
                .strip_suffix(".expected.json")?
                .to_string();
            only.is_none_or(|o| o == name).then_some((name, p))
        })
        .collect();
    out.sort();
    out
}

/// Read every report of a folder from text and PDF with the given extra arguments; assert that
/// every item is found and that the agreement is at least [`MIN_AGREEMENT`].
pub fn check_folder(dir: &Path, what: &str, extra: impl Fn(&str) -> Vec<String>) -> (usize, usize) {
    check_forms(
        dir,
        what,
        &["txt", "pdf", "xlsx", "docx"],
        MIN_AGREEMENT,
        extra,
    )
}

/// [`check_folder`] for the given input forms and agreement floor.
pub fn check_forms(
    dir: &Path,
    what: &str,
    forms: &[&str],
    floor: f64,
    extra: impl Fn(&str) -> Vec<String>,
) -> (usize, usize) {
    check_reports(reports(dir), dir, what, forms, floor, extra)
}

pub fn check_reports(
    list: Vec<(String, PathBuf)>,
    dir: &Path,
    what: &str,
    forms: &[&str],
    floor: f64,
    extra: impl Fn(&str) -> Vec<String>,
) -> (usize, usize) {
    let mut total = (0, 0);
    let mut failures = vec![];
    for (name, expected_path) in list {
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).expect("expected"))
                .expect("expected json");
        for &ext in forms {
            let input = dir.join(format!("{name}.{ext}"));
            if !input.exists() {
                continue;
            }
            let args = extra(&name);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let got = match parse(&input, &args) {
                Ok(r) => r,
                Err(e) => {
                    failures.push(format!("{name}.{ext}: {e}"));
                    continue;
                }
            };
            let (ok, n, bad) = agreement(&expected, &got, ext == "pdf");
            total.0 += ok;
            total.1 += n;
            let share = ok as f64 / n as f64;
            note(&format!(
                "{what}: {name}.{ext}: {ok}/{n} checks agree ({:.1}%), {} items, layout {}",
                share * 100.0,
                got.items.len(),
                got.layout
            ));
            if floor > 0.0 {
                failures.extend(
                    ids_differ(&expected, &got).map(|d| format!("{name}.{ext}: item ids {d}")),
                );
            }
            if share < floor {
                failures.push(format!(
                    "{name}.{ext}: {ok}/{n} agree; first differences:\n  {}",
                    bad.iter().take(8).cloned().collect::<Vec<_>>().join("\n  ")
                ));
            }
        }
    }
    note(&format!(
        "{what}: total {}/{} checks agree",
        total.0, total.1
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    total
}

/// The item ids read, when they are not the expected ones: `[got], want [expected]`.
pub fn ids_differ(expected: &Value, got: &Report) -> Option<String> {
    let want: Vec<String> = expected["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| vs(&i["id"])).collect())
        .unwrap_or_default();
    let have: Vec<String> = got.items.iter().map(|i| norm(&i.id)).collect();
    (want != have).then(|| format!("{have:?}, want {want:?}"))
}
