//! Reading and writing files: every output is written under a temp name in its destination
//! folder and renamed when complete ([`TempFile`]); temp files an interrupted run left are
//! removed by the next ([`remove_stale_temps`]).

use super::*;

pub(super) static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

pub(super) fn tmp_path(dest: &Path) -> PathBuf {
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut name = OsString::from(".");
    name.push(dest.file_name().unwrap_or(OsStr::new("out")));
    name.push(format!(".{}-{n}{TMP_SUFFIX}", std::process::id()));
    dest.with_file_name(name)
}

/// A file being written under a temp name; [`TempFile::commit`] renames it into place. A temp
/// file that is not committed, or whose commit fails (a full disk while flushing, a failed
/// rename), is removed when dropped.
pub struct TempFile {
    tmp: PathBuf,
    dest: PathBuf,
    file: Option<BufWriter<cleanup::Disk>>,
    committed: bool,
    /// `dest` is a device or a pipe (`-o /dev/null`, a FIFO), written as it is: renaming a file
    /// onto it would replace the device with a file.
    in_place: bool,
}

impl TempFile {
    pub fn create(dest: &Path) -> io::Result<TempFile> {
        if fs::metadata(dest).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            let file = fs::File::options().write(true).open(dest)?;
            return Ok(TempFile {
                tmp: dest.to_path_buf(),
                dest: dest.to_path_buf(),
                file: Some(BufWriter::with_capacity(64 * 1024, cleanup::Disk(file))),
                committed: false,
                in_place: true,
            });
        }
        if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        let tmp = tmp_path(dest);
        let file = cleanup::create(&tmp)?;
        Ok(TempFile {
            tmp,
            dest: dest.to_path_buf(),
            file: Some(BufWriter::with_capacity(256 * 1024, cleanup::Disk(file))),
            committed: false,
            in_place: false,
        })
    }
    pub fn commit(mut self) -> io::Result<()> {
        if let Some(w) = self.file.take() {
            let disk = w.into_inner().map_err(|e| e.into_error())?;
            drop(disk);
        }
        if !self.in_place {
            cleanup::commit(&self.tmp, &self.dest)?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Write for TempFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("temp file already committed")),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.committed && !self.in_place {
            // Close before removing; a failed flush here is moot, the file goes.
            if let Some(w) = self.file.take() {
                let (_disk, _) = w.into_parts();
            }
            cleanup::discard(&self.tmp);
        }
    }
}

/// Write `bytes` to `dest` atomically (temp file in the same folder + rename).
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(dest, |w| w.write_all(bytes))
}

/// Write to `dest` atomically what `fill` writes into a buffered temp file, without holding the
/// whole content in memory; the temp file goes when `fill` fails.
pub fn write_atomic_with(
    dest: &Path,
    fill: impl FnOnce(&mut TempFile) -> io::Result<()>,
) -> io::Result<()> {
    let mut t = TempFile::create(dest)?;
    fill(&mut t)?;
    t.commit()
}

/// Write a report's JSON document to `dest` atomically, streamed as it is serialised.
pub fn write_report_json(dest: &Path, report: &crate::Report) -> io::Result<()> {
    write_atomic_with(dest, |w| crate::emit::write_json(report, w))
}

/// Remove temp files left by an interrupted run under `dir`; returns how many.
pub fn remove_stale_temps(dir: &Path) -> usize {
    let mut removed = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                stack.push(e.path());
            } else if e.file_name().to_string_lossy().ends_with(TMP_SUFFIX)
                && fs::remove_file(e.path()).is_ok()
            {
                removed += 1;
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: an output that is a device or a pipe was replaced by a regular file (the temp
    /// file renamed onto it), so `-o /dev/null` turned `/dev/null` into a file.
    #[test]
    fn a_pipe_is_written_in_place_not_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("out.json");
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).expect("cstring");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(&fifo).expect("read fifo"))
        };
        write_atomic(&fifo, b"{}\n").expect("write");
        use std::os::unix::fs::FileTypeExt;
        let kind = fs::symlink_metadata(&fifo).expect("metadata").file_type();
        assert!(kind.is_fifo(), "{kind:?}");
        assert_eq!(reader.join().expect("reader"), b"{}\n");
        let left: Vec<_> = fs::read_dir(dir.path()).expect("dir").flatten().collect();
        assert_eq!(left.len(), 1, "no temp file left: {left:?}");
    }
}
