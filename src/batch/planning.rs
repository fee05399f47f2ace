//! Planning a run: the inputs in processing order (a sorted, recursive walk of folders), the
//! output name of each, the files passed over, and the check that no output replaces an input.

use super::*;

/// Where one job's input comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum JobSource {
    File(PathBuf),
    Stdin,
    /// The input could not even be listed; the error is reported in order.
    Broken(Error),
}

/// One input to process.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub source: JobSource,
    /// Path as recorded in `source.path` and in error records.
    pub path: String,
    /// Output JSON, relative to the output directory.
    pub output: PathBuf,
}

/// Inputs in processing order, and the files passed over.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub jobs: Vec<Job>,
    pub ignored: Vec<IgnoredFile>,
}

pub(super) fn has_report_extension(name: &str) -> bool {
    name.rsplit_once('.')
        .map(|(stem, ext)| {
            !stem.is_empty() && REPORT_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
        })
        .unwrap_or(false)
}

/// Output names, made unique (case-insensitively) with `~2`, `~3`… before `.json`. Names keep the
/// input's bytes; uniqueness is decided on their [`path_text`] form.
#[derive(Default)]
pub(super) struct Names(HashSet<String>);

impl Names {
    pub(super) fn reserve(&mut self) {
        for n in [ITEMS_JSONL, ERRORS_JSONL, SUMMARY_JSON, lock::LOCK_FILE]
            .into_iter()
            .chain(crate::tabular::TABLES)
            .chain(tables::RUN_FILES)
        {
            self.0.insert(n.to_lowercase());
        }
    }
    pub(super) fn unique(&mut self, rel: &Path) -> PathBuf {
        let key = path_text(rel.as_os_str()).to_lowercase();
        let mut n = 1u32;
        loop {
            let suffix = if n == 1 {
                ".json".to_string()
            } else {
                format!("~{n}.json")
            };
            if self.0.insert(format!("{key}{suffix}")) {
                let mut out = rel.as_os_str().to_os_string();
                out.push(suffix);
                return PathBuf::from(out);
            }
            n += 1;
        }
    }
}

/// Text form of a path joined onto an input as given.
pub(super) fn joined(input: &Path, rel: &Path) -> String {
    if rel.as_os_str().is_empty() {
        return path_text(input.as_os_str());
    }
    path_text(input.join(rel).as_os_str())
}

pub(super) fn is_stdin(input: &Path) -> bool {
    input.as_os_str() == "-"
}

/// Plan a run: loose files in the order given, directories walked recursively in sorted order.
/// With one directory input, outputs mirror its tree; with several inputs, each directory's tree
/// goes under the directory's own name and loose files under their file name. `skip_dir` (the
/// output folder) is left out of the walk; `follow` follows folder links and links leading
/// outside an input folder. A file whose extension is not a report's is walked only when one of
/// `admit` (the `--glob` patterns) matches it.
pub fn plan(inputs: &[PathBuf], skip_dir: Option<&Path>, follow: bool, admit: &[String]) -> Plan {
    let mut plan = Plan::default();
    let mut names = Names::default();
    names.reserve();
    let skip = skip_dir
        .and_then(|d| fs::metadata(d).ok())
        .and_then(|m| file_id(&m));
    let single = inputs.len() == 1;
    for input in inputs {
        let shown = path_text(input.as_os_str());
        if is_stdin(input) {
            let output = names.unique(Path::new("stdin"));
            plan.jobs.push(Job {
                source: JobSource::Stdin,
                path: "-".into(),
                output,
            });
            continue;
        }
        let meta = match fs::metadata(input) {
            Ok(m) => m,
            Err(e) => {
                let err = Error::new(ErrorKind::Io, format!("cannot open: {e}")).in_file(&shown);
                let output = names.unique(Path::new(&file_name_of(input)));
                plan.jobs.push(Job {
                    source: JobSource::Broken(err),
                    path: shown,
                    output,
                });
                continue;
            }
        };
        if !meta.is_dir() {
            // A special file named directly is refused when read, with its own error record.
            let output = names.unique(Path::new(&file_name_of(input)));
            plan.jobs.push(Job {
                source: JobSource::File(input.clone()),
                path: shown,
                output,
            });
            continue;
        }
        let prefix = if single {
            PathBuf::new()
        } else {
            PathBuf::from(dir_name_of(input))
        };
        let mut walk = Walk {
            input,
            prefix: &prefix,
            skip,
            follow,
            root: fs::canonicalize(input).unwrap_or_else(|_| input.clone()),
            seen: HashMap::new(),
            admit,
        };
        walk.run(&mut names, &mut plan);
    }
    plan
}

pub(super) fn file_name_of(input: &Path) -> OsString {
    input
        .file_name()
        .map(OsStr::to_os_string)
        .unwrap_or_else(|| "input".into())
}

pub(super) fn dir_name_of(input: &Path) -> OsString {
    input
        .file_name()
        .map(OsStr::to_os_string)
        .or_else(|| {
            fs::canonicalize(input)
                .ok()?
                .file_name()
                .map(OsStr::to_os_string)
        })
        .unwrap_or_else(|| "input".into())
}

/// Whether an I/O error says "too many levels of symbolic links".
pub(super) fn is_link_loop(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// One directory input being walked.
pub(super) struct Walk<'a> {
    input: &'a Path,
    prefix: &'a Path,
    /// The output folder, left out.
    skip: Option<FileId>,
    follow: bool,
    /// The input folder, resolved: links leading outside it are not followed unless `follow`.
    root: PathBuf,
    /// Folders entered so far (by identity → shown path): a folder reached again is a loop.
    seen: HashMap<FileId, String>,
    /// `--glob` patterns: a file they match is read whatever its extension.
    admit: &'a [String],
}

impl Walk<'_> {
    fn ignore(plan: &mut Plan, file: String, reason: impl Into<String>) {
        plan.ignored.push(IgnoredFile {
            file,
            reason: reason.into(),
        });
    }

    /// Depth-first walk in sorted order (by name, bytewise).
    fn run(&mut self, names: &mut Names, plan: &mut Plan) {
        let input = self.input;
        if let Some(id) = fs::metadata(input).ok().and_then(|m| file_id(&m)) {
            self.seen.insert(id, path_text(input.as_os_str()));
        }
        // Stack of relative directories still to list, last = next.
        let mut stack: Vec<PathBuf> = vec![PathBuf::new()];
        while let Some(rel_dir) = stack.pop() {
            let dir = input.join(&rel_dir);
            let mut entries: Vec<(OsString, fs::DirEntry)> = match fs::read_dir(&dir) {
                Ok(rd) => {
                    let mut v = Vec::new();
                    for e in rd {
                        match e {
                            Ok(e) => v.push((e.file_name(), e)),
                            Err(err) => push_broken(
                                plan,
                                names,
                                &joined(input, &rel_dir),
                                self.prefix,
                                &rel_dir,
                                err,
                            ),
                        }
                    }
                    v
                }
                Err(err) => {
                    push_broken(
                        plan,
                        names,
                        &joined(input, &rel_dir),
                        self.prefix,
                        &rel_dir,
                        err,
                    );
                    continue;
                }
            };
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let mut subdirs = Vec::new();
            for (name, entry) in entries {
                let rel = rel_dir.join(&name);
                let shown = joined(input, &rel);
                let text = name.to_string_lossy();
                if text.ends_with(TMP_SUFFIX) {
                    continue;
                }
                let Ok(ft) = entry.file_type() else {
                    Self::ignore(plan, shown, "cannot tell its file type");
                    continue;
                };
                let path = entry.path();
                let meta = if ft.is_symlink() {
                    match fs::metadata(&path) {
                        Ok(m) => m,
                        Err(e) if is_link_loop(&e) => {
                            Self::ignore(plan, shown, "symbolic link loop (not followed)");
                            continue;
                        }
                        Err(_) => {
                            Self::ignore(plan, shown, "broken symbolic link");
                            continue;
                        }
                    }
                } else {
                    match entry.metadata() {
                        Ok(m) => m,
                        Err(e) => {
                            Self::ignore(plan, shown, format!("cannot read its metadata: {e}"));
                            continue;
                        }
                    }
                };
                let outside = ft.is_symlink()
                    && !fs::canonicalize(&path).is_ok_and(|t| t.starts_with(&self.root));
                if meta.is_dir() {
                    let id = file_id(&meta);
                    if id.is_some() && id == self.skip {
                        // The output folder inside an input folder.
                        continue;
                    }
                    if ft.is_symlink() && !self.follow {
                        Self::ignore(
                            plan,
                            shown,
                            "symbolic link to a folder (not followed; --follow follows it)",
                        );
                        continue;
                    }
                    if let Some(id) = id {
                        if let Some(first) = self.seen.get(&id) {
                            Self::ignore(
                                plan,
                                shown,
                                format!(
                                    "symbolic link loop: leads to the folder {first}, already walked (not walked again)"
                                ),
                            );
                            continue;
                        }
                        self.seen.insert(id, shown);
                    }
                    subdirs.push(rel);
                    continue;
                }
                if let Some(kind) = crate::input::special_kind(&meta.file_type()) {
                    Self::ignore(
                        plan,
                        shown,
                        format!("{kind}, not a regular file (not read)"),
                    );
                    continue;
                }
                if outside && !self.follow {
                    Self::ignore(
                        plan,
                        shown,
                        "symbolic link leading outside the input folder (not followed; --follow reads it)",
                    );
                    continue;
                }
                if !has_report_extension(&text)
                    && !self.admit.iter().any(|p| filter::matches_path(p, &shown))
                {
                    Self::ignore(
                        plan,
                        shown,
                        format!(
                            "not a report file type (gyokaku reads .{})",
                            REPORT_EXTENSIONS.join(" .")
                        ),
                    );
                    continue;
                }
                let output = names.unique(&self.prefix.join(&rel));
                plan.jobs.push(Job {
                    source: JobSource::File(path),
                    path: shown,
                    output,
                });
            }
            // Visit subdirectories in order: push in reverse so the first is popped first.
            stack.extend(subdirs.into_iter().rev());
        }
    }
}

pub(super) fn push_broken(
    plan: &mut Plan,
    names: &mut Names,
    shown: &str,
    prefix: &Path,
    rel: &Path,
    err: io::Error,
) {
    let e = Error::new(ErrorKind::Io, format!("cannot list folder: {err}")).in_file(shown);
    let output = names.unique(&prefix.join(rel));
    plan.jobs.push(Job {
        source: JobSource::Broken(e),
        path: shown.to_string(),
        output,
    });
}

/// Refuse a run whose outputs would replace one of its inputs, or whose output folder is an
/// input folder: a usage error, found before anything is written.
pub fn check_outputs(cfg: &BatchConfig, plan: &Plan) -> Result<()> {
    let Some(dir) = &cfg.outdir else {
        return Ok(());
    };
    let shown_dir = path_text(dir.as_os_str());
    for input in cfg.inputs.iter().filter(|i| !is_stdin(i)) {
        if fs::metadata(input).is_ok_and(|m| m.is_dir()) && crate::input::same_file(input, dir) {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "-o {shown_dir} is the input folder {}: outputs would mix with the reports; choose another output folder",
                    path_text(input.as_os_str())
                ),
            ));
        }
    }
    let mut inputs: HashMap<FileId, &str> = HashMap::new();
    for job in &plan.jobs {
        if let JobSource::File(p) = &job.source {
            if let Some(id) = fs::metadata(p).ok().and_then(|m| file_id(&m)) {
                inputs.insert(id, &job.path);
            }
        }
    }
    let mut outputs: Vec<PathBuf> = [ITEMS_JSONL, ERRORS_JSONL, SUMMARY_JSON, lock::LOCK_FILE]
        .into_iter()
        .chain(crate::tabular::TABLES)
        .chain(tables::RUN_FILES)
        .map(PathBuf::from)
        .collect();
    if cfg.formats.json {
        outputs.extend(plan.jobs.iter().map(|j| j.output.clone()));
    }
    for rel in outputs {
        let out = dir.join(&rel);
        if let Some(input) = fs::metadata(&out)
            .ok()
            .and_then(|m| file_id(&m))
            .and_then(|id| inputs.get(&id))
        {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "writing {} would overwrite the input {input}; choose another output folder",
                    path_text(out.as_os_str())
                ),
            ));
        }
    }
    Ok(())
}
