//! Shared helpers for the CLI and batch integration tests: invented report texts in both layouts,
//! temp trees, running the real binary, reading output folders.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_gyokaku");
pub const TMP_SUFFIX: &str = ".gyokaku-tmp";

/// A card-layout report (invented text): `n` items, numbered from 1, statuses cycling through
/// 順調 / 遅れている / 達成.
pub fn card_report(city: &str, era_year: u32, n: u32) -> String {
    let statuses = ["順調", "遅れている", "達成"];
    let mut s = format!("{city}の行財政改革プラン\n\nR{era_year}期末報告書\n\n");
    s.push_str(&format!("○令和{era_year}年度 進捗状況\n\n達成状況\t件数\n"));
    for (k, st) in statuses.iter().enumerate() {
        let count = (0..n).filter(|i| *i as usize % 3 == k).count();
        if count > 0 {
            s.push_str(&format!("{st}\t{count}\n"));
        }
    }
    s.push_str("\n●重点項目1 窓口サービスの向上\n\n");
    for i in 1..=n {
        let st = statuses[(i as usize - 1) % 3];
        s.push_str(&format!(
            "改革項目\t{i}\t手続きの見直し その{i}\t\t情報政策課\n\
             現状\t・申請の多くが紙で行われている。\n\
             実施内容・効果\t・手続きのオンライン化を進める。 ・窓口の待ち時間を減らす。\n\
             数値目標\t目標名\t単位\t実績（R{p}）\t目標（R{g}）\n\
             \tオンライン申請件数\t件\t{base}\t{goal}\n\n\
             <R{era_year}期末報告>\n\n\
             R{era_year}目標\t対象手続きの選定\tR{era_year}進捗状況\n\
             \t\t{st}\n\
             R{era_year}取組内容\t・対象となる手続きを洗い出した。\n\
             達成状況について・課題\t○{i}件の手続きをオンライン化した。 ▲周知が足りない。\n\
             次年度に向けて\t・広報で周知する。\n\n",
            p = era_year - 1,
            g = era_year + 2,
            base = 1000 + i,
            goal = 3000 + i,
        ));
    }
    s
}

/// A table-layout report (invented text) with `n` rows.
pub fn table_report(town: &str, era_year: u32, n: u32) -> String {
    let mut s = format!("\n{town}行財政改革推進プランの進捗状況（令和{era_year}年度）\n\n");
    s.push_str(&format!(
        "No.\t項目名\t担当課\t取組内容\t取組の工程\t\t\n\t\t\t\t令和{a}年度\t令和{b}年度\t令和{c}年度\n",
        a = era_year,
        b = era_year + 1,
        c = era_year + 2
    ));
    for i in 1..=n {
        s.push_str(&format!(
            "{i}\t公共施設の予約 その{i}\t全庁 (総務課)\t■予約システムの導入 ■利用の促進\t■導入\t→\t→\n\
             \tこれまでの取組状況と今後の見通し\t○令和{era_year}年10月に運用を開始した。 ○利用者の声を集める。\n"
        ));
    }
    s
}

/// Run the binary with `args` in `cwd`, feeding `stdin`.
pub fn run_in(cwd: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gyokaku");
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Write files (relative path → bytes) under `root`.
pub fn write_tree(root: &Path, files: &[(&str, Vec<u8>)]) {
    for (rel, bytes) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// Every file under `root` (relative path with `/` → bytes).
pub fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for e in std::fs::read_dir(root.join(&rel)).unwrap() {
            let e = e.unwrap();
            let r = rel.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                stack.push(r);
            } else {
                out.insert(
                    r.to_string_lossy().replace('\\', "/"),
                    std::fs::read(e.path()).unwrap(),
                );
            }
        }
    }
    out
}

/// Names of temp files left anywhere under `root`.
pub fn temp_files(root: &Path) -> Vec<String> {
    read_tree(root)
        .into_keys()
        .filter(|k| k.ends_with(TMP_SUFFIX))
        .collect()
}

pub fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).expect("valid JSON")
}

/// A file that starts like a PDF and holds nothing a PDF reader can use.
pub fn damaged_pdf() -> Vec<u8> {
    let mut v = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R".to_vec();
    v.extend((0..2000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8));
    v
}

/// Good PDFs to mix into batch trees: the project's fixture PDFs when present, else the shared
/// corpus PDFs beside the project, else none (with a printed note).
pub fn good_pdfs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = first_nonempty(
        &[root.join("fixtures/pdf"), root.join("../shared/corpus/pdf")],
        "pdf",
    );
    if found.is_empty() {
        eprintln!("note: no fixture or corpus PDFs found; the batch tree has text inputs only");
    }
    found
}

/// The project's fixture report texts in both layouts (`fixtures/text/{card,table}-basic.txt`).
pub fn fixture_texts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/text");
    let found: Vec<PathBuf> = ["card-basic.txt", "table-basic.txt"]
        .iter()
        .map(|n| dir.join(n))
        .filter(|p| p.is_file())
        .collect();
    if found.is_empty() {
        eprintln!("note: no fixture texts found; the batch tree uses generated texts only");
    }
    found
}

fn first_nonempty(dirs: &[PathBuf], ext: &str) -> Vec<PathBuf> {
    for dir in dirs {
        if let Ok(rd) = std::fs::read_dir(dir) {
            let mut v: Vec<PathBuf> = rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .collect();
            v.sort();
            if !v.is_empty() {
                return v;
            }
        }
    }
    Vec::new()
}
