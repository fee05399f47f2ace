//! Panics and the time budget: a parse's panic becomes an `internal` error ([`guarded`]), and
//! reading and parsing one file are given at most the per-file time budget ([`with_budget`]).

use super::*;

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Install (once) a panic hook that records panics raised inside [`guarded`] instead of printing
/// them; other panics go to the previous hook.
pub(super) fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CAPTURING.with(Cell::get) {
                let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
                    (*s).to_string()
                } else if let Some(s) = info.payload().downcast_ref::<String>() {
                    s.clone()
                } else {
                    "unknown panic".to_string()
                };
                let at = info
                    .location()
                    .map(|l| format!(" at {}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{at}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// Run `f`, turning a panic into an `internal` error.
pub fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    install_panic_hook();
    CAPTURING.with(|c| c.set(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CAPTURING.with(|c| c.set(false));
    match r {
        Ok(r) => r,
        Err(_) => {
            let msg = LAST_PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| "unknown panic".into());
            Err(Error::new(
                ErrorKind::Internal,
                format!("panic: {msg} (a bug in gyokaku; please report it)"),
            ))
        }
    }
}

pub(super) fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{}", d.as_secs())
    } else {
        format!("{s}")
    }
}

/// Run `f` (guarded) on a helper thread and wait at most `budget`; `None` runs it here.
pub fn with_budget<T: Send + 'static>(
    budget: Option<Duration>,
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let Some(budget) = budget else {
        return guarded(f);
    };
    let (tx, rx) = mpsc::sync_channel(1);
    // Time the parse spends waiting for OCR is not held against it: scanned pages take seconds
    // each, and the budget is there to stop runaway parsing, not to refuse long scans.
    let credit = Arc::new(AtomicU64::new(0));
    let thread_credit = Arc::clone(&credit);
    let spawned = std::thread::Builder::new()
        .name("gyokaku-parse".into())
        .stack_size(PARSE_STACK)
        .spawn(move || {
            crate::ocr::credit_time_to(Some(thread_credit));
            let _ = tx.send(guarded(f));
        });
    if let Err(e) = spawned {
        return Err(Error::new(
            ErrorKind::Internal,
            format!("cannot start a parse thread: {e}"),
        ));
    }
    let started = Instant::now();
    let waited = loop {
        let allowed = budget + Duration::from_nanos(credit.load(Ordering::Relaxed));
        let left = allowed.saturating_sub(started.elapsed());
        match rx.recv_timeout(left) {
            Err(mpsc::RecvTimeoutError::Timeout)
                if budget + Duration::from_nanos(credit.load(Ordering::Relaxed))
                    > started.elapsed() =>
            {
                continue
            }
            other => break other,
        }
    };
    match waited {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Error::new(
            ErrorKind::Limit,
            format!(
                "time budget of {} s exceeded (--time-budget); parsing abandoned",
                seconds(budget)
            ),
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Error::new(
            ErrorKind::Internal,
            "the parse thread ended without a result",
        )),
    }
}

/// Read the file `input` (or stdin for `-`) and hand its bytes, its [`path_text`] and the options
/// to `f` (which may drop the bytes as soon as it no longer needs them), with the panic guard and the time budget of `opts.limits` covering reading (of a
/// file; stdin is waited for, as the writer of a pipe sets the pace) and `f`.
pub fn read_then<T: Send + 'static>(
    input: &Path,
    opts: &Arc<Options>,
    f: impl FnOnce(Vec<u8>, &str, &Options) -> Result<T> + Send + 'static,
) -> Result<T> {
    let path = path_text(input.as_os_str());
    let budget = opts.limits.time_budget.filter(|d| !d.is_zero());
    let (p, o) = (path.clone(), Arc::clone(opts));
    let r = if is_stdin(input) {
        let bytes = crate::read_input(input, &opts.limits)?;
        with_budget(budget, move || f(bytes, &p, &o))
    } else {
        let file = input.to_path_buf();
        with_budget(budget, move || {
            let bytes = crate::read_input(&file, &o.limits)?;
            f(bytes, &p, &o)
        })
    };
    r.map_err(|e| e.in_file(&path))
}

/// Parse bytes with the panic guard and the time budget of `opts.limits`.
pub fn parse_guarded(bytes: Vec<u8>, path: &str, opts: &Arc<Options>) -> Result<Report> {
    let budget = opts.limits.time_budget.filter(|d| !d.is_zero());
    let (p, o) = (path.to_string(), Arc::clone(opts));
    with_budget(budget, move || crate::parse_owned(bytes, &p, &o)).map_err(|e| e.in_file(path))
}
