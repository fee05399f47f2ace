//! Processing one job: read, check whether the output is up to date, parse within the time
//! budget, write its JSON.

use super::*;

/// What became of one job.
#[derive(Debug)]
pub enum Outcome {
    /// Parsed in this run (and its JSON written, when JSON is an output); a large text's items
    /// wait in a spill file (see [`crate::window`]).
    Parsed(Parsed),
    /// Not re-parsed: the existing output matches the input's sha256 and this gyokaku's version.
    UpToDate(Parsed),
    Failed(Stage, Error),
}

pub(super) struct Ctx {
    pub(super) outdir: Option<PathBuf>,
    pub(super) formats: Formats,
    pub(super) force: bool,
    pub(super) options: Arc<Options>,
}

/// What tells whether an existing output is up to date (its items are passed over).
#[derive(Deserialize)]
struct Stamp {
    generator: String,
    layout: String,
    municipality: Option<String>,
    source: StampSource,
}

#[derive(Deserialize)]
struct StampSource {
    sha256: String,
    path: String,
}

/// The existing output, when it was made from the same bytes by this version with the same
/// options that show in the output. Read twice, never whole: its stamp first, then, when it is
/// up to date, its items into a spill file (a large text's output is several times its size).
pub(super) fn up_to_date(out: &Path, sha256: &str, path: &str, opts: &Options) -> Option<Parsed> {
    if !out.is_file() {
        return None;
    }
    let open = || fs::File::open(out).ok().map(io::BufReader::new);
    let r: Stamp = serde_json::from_reader(open()?).ok()?;
    let same = r.source.sha256 == sha256
        && generator_matches(&r.generator)
        && r.source.path == path
        && opts.layout.as_ref().is_none_or(|l| *l == r.layout)
        && opts
            .municipality
            .as_ref()
            .is_none_or(|m| r.municipality.as_ref() == Some(m));
    if !same {
        return None;
    }
    let report = crate::window::WindowedReport::from_json(open()?).ok()?;
    Some(Parsed::Windowed(report))
}

/// Read (unless `bytes` are given), check the existing output, parse: what runs under the
/// time budget.
pub(super) fn read_and_parse(
    file: Option<PathBuf>,
    bytes: Vec<u8>,
    path: &str,
    up_to_date_at: Option<&Path>,
    opts: &Options,
) -> Result<Outcome> {
    let bytes = match file {
        Some(p) => crate::read_input(&p, &opts.limits)?,
        None => bytes,
    };
    if let Some(out) = up_to_date_at {
        if let Some(r) = up_to_date(out, &crate::sha256_hex(&bytes), path, opts) {
            return Ok(Outcome::UpToDate(r));
        }
    }
    crate::window::parse(bytes, path, opts).map(Outcome::Parsed)
}

pub(super) fn failed(e: Error, path: &str) -> Outcome {
    let stage = if e.message.contains("--time-budget") {
        Stage::Parse
    } else {
        Stage::of(e.kind)
    };
    Outcome::Failed(stage, e.in_file(path))
}

pub(super) fn process(job: &Job, ctx: &Ctx) -> Outcome {
    let json_out = match (&ctx.outdir, ctx.formats.json) {
        (Some(dir), true) => Some(dir.join(&job.output)),
        _ => None,
    };
    let check = json_out.clone().filter(|_| !ctx.force);
    let (file, bytes) = match &job.source {
        JobSource::Broken(e) => return Outcome::Failed(Stage::Read, e.clone()),
        // Standard input is read outside the budget: the writer of a pipe sets the pace.
        JobSource::Stdin => match crate::read_input(Path::new("-"), &ctx.options.limits) {
            Ok(b) => (None, b),
            Err(e) => return failed(e, &job.path),
        },
        JobSource::File(p) => (Some(p.clone()), Vec::new()),
    };
    let budget = ctx.options.limits.time_budget.filter(|d| !d.is_zero());
    let (path, opts) = (job.path.clone(), Arc::clone(&ctx.options));
    let outcome = with_budget(budget, move || {
        read_and_parse(file, bytes, &path, check.as_deref(), &opts)
    });
    let mut report = match outcome {
        Ok(Outcome::Parsed(r)) => r,
        Ok(other) => return other,
        Err(e) => return failed(e, &job.path),
    };
    if let Some(out) = json_out {
        if let Err(e) = write_atomic_with(&out, |w| report.write_json(w)) {
            let e = Error::new(
                ErrorKind::Output,
                format!("cannot write {}: {e}", path_text(out.as_os_str())),
            )
            .in_file(&job.path);
            return Outcome::Failed(Stage::Write, e);
        }
    }
    Outcome::Parsed(report)
}
