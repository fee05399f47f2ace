//! One run per output folder: an advisory lock (`fd-lock`, i.e. `flock`) on `OUTDIR/.gyokaku.lock`,
//! held for the whole run. The file names the run holding it (pid, start time, command line), so a
//! second run can say who is in the way. The lock is released when the process ends, however it
//! ends, so a killed run never blocks the next one; the file itself is removed by a run that ends
//! normally or is interrupted.

use super::cleanup;
use crate::error::{escape_controls, Error, ErrorKind, Result};
use crate::input::{file_id, path_text};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// Name of the lock file in the output folder.
pub const LOCK_FILE: &str = ".gyokaku.lock";

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn command_line() -> String {
    let args: Vec<String> = std::env::args_os().map(|a| path_text(&a)).collect();
    escape_controls(&args.join(" "))
}

/// What the lock file says about the run holding it, in words.
fn describe_holder(text: &str) -> String {
    let mut pid = None;
    let mut started = None;
    let mut command = None;
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("pid ") {
            pid = Some(v.trim().to_string());
        } else if let Some(v) = line.strip_prefix("started ") {
            started = v.trim().parse::<u64>().ok();
        } else if let Some(v) = line.strip_prefix("command ") {
            command = Some(escape_controls(v.trim()));
        }
    }
    let mut parts = Vec::new();
    if let Some(p) = pid {
        parts.push(format!("pid {p}"));
    }
    if let Some(s) = started {
        parts.push(format!("started {} s ago", now_secs().saturating_sub(s)));
    }
    if let Some(c) = command {
        parts.push(format!("`{c}`"));
    }
    if parts.is_empty() {
        "another gyokaku run".to_string()
    } else {
        format!("another gyokaku run ({})", parts.join(", "))
    }
}

/// Run `f` while holding the lock of the output folder `dir` (which must exist). When another
/// run holds it, fail at once, naming that run, without touching anything in the folder.
pub fn with_lock<T>(dir: &Path, f: impl FnOnce() -> T) -> Result<T> {
    let path = dir.join(LOCK_FILE);
    let shown = path_text(dir.as_os_str());
    let fail = |what: &str, e: &io::Error| {
        Error::new(
            ErrorKind::Output,
            format!("cannot {what} the lock file {LOCK_FILE}: {e}"),
        )
        .in_file(&shown)
    };
    // A run that just finished removes the file after we opened it: then our lock guards a file
    // no longer in the folder, and we start again with the new one.
    for _ in 0..16 {
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| fail("create", &e))?;
        let mut lock = fd_lock::RwLock::new(file);
        let guard = match lock.try_write() {
            Ok(g) => g,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                let mut text = String::new();
                if let Ok(mut f) = File::open(&path) {
                    let _ = f.read_to_string(&mut text);
                }
                return Err(Error::new(
                    ErrorKind::Output,
                    format!(
                        "{} is writing into this folder; wait for it to finish or choose another -o (lock file {LOCK_FILE})",
                        describe_holder(&text)
                    ),
                )
                .in_file(&shown));
            }
            Err(e) => return Err(fail("lock", &e)),
        };
        let held = guard.metadata().ok().and_then(|m| file_id(&m));
        let current = fs::metadata(&path).ok().and_then(|m| file_id(&m));
        if held != current {
            continue;
        }
        let info = format!(
            "pid {}\nstarted {}\ncommand {}\n",
            std::process::id(),
            now_secs(),
            command_line()
        );
        guard
            .set_len(0)
            .and_then(|_| (&*guard).write_all(info.as_bytes()))
            .map_err(|e| fail("write", &e))?;
        cleanup::register_lock(&path);
        let out = f();
        cleanup::unregister_lock(&path);
        // Removed while still locked, so no other run can be holding this file.
        let _ = fs::remove_file(&path);
        drop(guard);
        return Ok(out);
    }
    Err(Error::new(
        ErrorKind::Output,
        format!("cannot lock the output folder: {LOCK_FILE} keeps being replaced"),
    )
    .in_file(&shown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holder_descriptions() {
        let cases = [
            ("", "another gyokaku run"),
            (
                "pid 42\ncommand gyokaku parse in -o out\n",
                "another gyokaku run (pid 42, `gyokaku parse in -o out`)",
            ),
            ("garbage", "another gyokaku run"),
        ];
        for (text, want) in cases {
            assert_eq!(describe_holder(text), want, "{text:?}");
        }
        let s = describe_holder(&format!("pid 7\nstarted {}\n", now_secs() - 3));
        assert!(
            s.starts_with("another gyokaku run (pid 7, started ") && s.ends_with(" s ago)"),
            "{s}"
        );
    }

    #[test]
    fn a_second_holder_fails_at_once_and_the_file_goes_at_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let inner = with_lock(dir.path(), || {
            let text = fs::read_to_string(dir.path().join(LOCK_FILE)).unwrap();
            assert!(text.starts_with(&format!("pid {}\n", std::process::id())));
            // flock locks belong to the open file: a second open in the same process conflicts.
            with_lock(dir.path(), || ()).unwrap_err()
        })
        .unwrap();
        assert_eq!(inner.kind, ErrorKind::Output);
        assert!(
            inner.message.starts_with(&format!(
                "another gyokaku run (pid {}, started ",
                std::process::id()
            )),
            "{}",
            inner.message
        );
        assert!(!dir.path().join(LOCK_FILE).exists());
        // Free again.
        assert_eq!(with_lock(dir.path(), || 5).unwrap(), 5);
    }
}
