//! Ctrl-C (SIGINT), SIGTERM and SIGHUP: remove this run's temp files and lock file, say what was
//! and was not written, and exit with 128 + the signal number (130 for Ctrl-C).
//!
//! The handler runs on a thread of its own (`signal-hook`'s iterator), not in signal context, so
//! it may take the cleanup mutex and print.

use super::cleanup;

#[cfg(unix)]
fn name(sig: i32) -> &'static str {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    match sig {
        SIGINT => "SIGINT",
        SIGTERM => "SIGTERM",
        SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}

/// Install the handler (once per process). Without it, an interrupted run leaves its temp files
/// for the next run into the same folder to remove.
#[cfg(unix)]
pub fn install_interrupt_handler() -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use std::sync::atomic::{AtomicBool, Ordering};
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("gyokaku-signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                let removed = cleanup::interrupt();
                let (done, total) = cleanup::progress();
                let what = if total > 0 {
                    format!(
                        "{done} of {total} inputs finished (their outputs are complete); {removed} temp files removed; errors.jsonl, summary.json, items.jsonl and the CSV tables of this run were not written; run again to finish (finished inputs are skipped)"
                    )
                } else {
                    format!("{removed} temp files removed; files already complete are kept")
                };
                eprintln!("gyokaku: interrupted ({}): {what}", name(sig));
                std::process::exit(128 + sig);
            }
        })?;
    Ok(())
}

#[cfg(not(unix))]
pub fn install_interrupt_handler() -> std::io::Result<()> {
    Ok(())
}
