//! Temp files and lock files that must go on every way out of a run, an interrupt included.
//!
//! Every temp file is registered here while it exists. Creating, renaming and removing one
//! happen under one mutex, so [`interrupt`] (called by the signal handler) sees a consistent set:
//! it removes every live temp file and lock file, and from then on no temp file is created or
//! renamed into place, so the handler can end the process without leaving partial files behind.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

struct Live {
    temps: BTreeSet<PathBuf>,
    locks: BTreeSet<PathBuf>,
}

static LIVE: Mutex<Live> = Mutex::new(Live {
    temps: BTreeSet::new(),
    locks: BTreeSet::new(),
});
static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static DONE: AtomicU64 = AtomicU64::new(0);
static TOTAL: AtomicU64 = AtomicU64::new(0);
/// Bytes that may still be written to temp files before writes fail as on a full disk
/// (`u64::MAX`: no simulation).
static DISK_BUDGET: AtomicU64 = AtomicU64::new(u64::MAX);

fn live() -> MutexGuard<'static, Live> {
    LIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

fn interrupted_error() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "interrupted")
}

/// Create `tmp` (which must not exist) and register it.
pub(super) fn create(tmp: &Path) -> io::Result<File> {
    let mut live = live();
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(interrupted_error());
    }
    let f = File::options().write(true).create_new(true).open(tmp)?;
    live.temps.insert(tmp.to_path_buf());
    Ok(f)
}

/// Rename `tmp` to `dest` and forget it.
pub(super) fn commit(tmp: &Path, dest: &Path) -> io::Result<()> {
    let mut live = live();
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(interrupted_error());
    }
    fs::rename(tmp, dest)?;
    live.temps.remove(tmp);
    Ok(())
}

/// Remove `tmp` and forget it.
pub(super) fn discard(tmp: &Path) {
    let mut live = live();
    let _ = fs::remove_file(tmp);
    live.temps.remove(tmp);
}

pub(super) fn register_lock(path: &Path) {
    live().locks.insert(path.to_path_buf());
}

pub(super) fn unregister_lock(path: &Path) {
    live().locks.remove(path);
}

/// Stop all writing: remove every live temp file and lock file; later creates and renames fail.
/// Returns how many temp files were removed.
pub fn interrupt() -> usize {
    INTERRUPTED.store(true, Ordering::SeqCst);
    let mut live = live();
    let mut removed = 0;
    for t in std::mem::take(&mut live.temps) {
        if fs::remove_file(&t).is_ok() {
            removed += 1;
        }
    }
    for l in std::mem::take(&mut live.locks) {
        let _ = fs::remove_file(&l);
    }
    removed
}

/// Temp files that exist right now (for tests and the interrupt message).
pub fn live_temps() -> usize {
    live().temps.len()
}

pub(super) fn set_progress(done: u64, total: u64) {
    TOTAL.store(total, Ordering::SeqCst);
    DONE.store(done, Ordering::SeqCst);
}

pub(super) fn one_done() {
    DONE.fetch_add(1, Ordering::SeqCst);
}

/// (inputs finished, inputs planned) of the batch run in progress.
pub fn progress() -> (u64, u64) {
    (DONE.load(Ordering::SeqCst), TOTAL.load(Ordering::SeqCst))
}

/// Make writes to temp files fail with "no space left on device" once `bytes` more bytes have
/// been written: a full disk, simulated, for tests of what a run does when it cannot write.
#[doc(hidden)]
pub fn simulate_full_disk_after(bytes: u64) {
    DISK_BUDGET.store(bytes, Ordering::SeqCst);
}

fn disk_full() -> io::Error {
    #[cfg(unix)]
    {
        io::Error::from_raw_os_error(libc::ENOSPC)
    }
    #[cfg(not(unix))]
    {
        io::Error::from(io::ErrorKind::StorageFull)
    }
}

/// A file whose writes count against the simulated disk budget.
pub(super) struct Disk(pub File);

impl io::Write for Disk {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let want = buf.len() as u64;
        let mut n = want;
        let reserved = DISK_BUDGET.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
            (left != u64::MAX).then(|| {
                n = left.min(want);
                left - n
            })
        });
        if reserved.is_err() {
            return self.0.write(buf);
        }
        if n == 0 && want > 0 {
            return Err(disk_full());
        }
        let part = buf
            .get(..usize::try_from(n).unwrap_or(buf.len()))
            .unwrap_or(buf);
        self.0.write_all(part)?;
        Ok(part.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}
