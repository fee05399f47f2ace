//! Reading input bytes under the input-size limit.
//!
//! [`crate::ingest`] checks [`Limits::max_input_bytes`] on bytes already in memory, which is too late
//! for a 1 GB file: these functions refuse an oversized input before reading it, and never read
//! more than the limit plus one byte from a stream whose size is not known in advance (stdin, a
//! pipe, a file that grows while it is read).

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;

/// Read the file at `path` (or standard input for `-`), refusing it with an [`ErrorKind::Limit`]
/// error when it is larger than `limits.max_input_bytes`. Errors carry the path as their file.
pub fn read_input(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let name = path.display().to_string();
    if path.as_os_str() == "-" {
        let stdin = std::io::stdin();
        // stdin redirected from a regular file: its size is known before reading
        let size = stdin_file_size();
        if let Some(len) = size.filter(|&len| len > limits.max_input_bytes) {
            return Err(too_large(len, limits.max_input_bytes).in_file(&name));
        }
        let lock = stdin.lock();
        return read_bounded(lock, limits.max_input_bytes, size).map_err(|e| e.in_file(&name));
    }
    read_file(path, limits).map_err(|e| e.in_file(&name))
}

/// The size of standard input when it is a regular file (`< FILE`), else None.
#[cfg(unix)]
fn stdin_file_size() -> Option<u64> {
    use std::os::fd::AsFd;
    let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
    let meta = File::from(fd).metadata().ok()?;
    meta.is_file().then_some(meta.len())
}

#[cfg(not(unix))]
fn stdin_file_size() -> Option<u64> {
    None
}

fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let file = File::open(path).map_err(|e| io_error("cannot open", &e))?;
    let meta = file
        .metadata()
        .map_err(|e| io_error("cannot read metadata", &e))?;
    if meta.is_dir() {
        return Err(Error::new(ErrorKind::Io, "is a directory, not a file"));
    }
    let len = meta.len();
    if len > limits.max_input_bytes {
        return Err(too_large(len, limits.max_input_bytes));
    }
    read_bounded(file, limits.max_input_bytes, Some(len))
}

/// Read at most `max + 1` bytes from `reader`; more than `max` is a [`ErrorKind::Limit`] error.
/// `hint` (a file's size) only presizes the buffer, capped by the limit.
pub fn read_bounded<R: Read>(reader: R, max: u64, hint: Option<u64>) -> Result<Vec<u8>> {
    let cap = hint.unwrap_or(0).min(max);
    let mut buf = Vec::with_capacity(usize::try_from(cap).unwrap_or(0));
    let mut limited = reader.take(max.saturating_add(1));
    limited
        .read_to_end(&mut buf)
        .map_err(|e| io_error("cannot read", &e))?;
    let got = buf.len() as u64;
    if got > max {
        return Err(Error::new(
            ErrorKind::Limit,
            format!("input is larger than the limit of {max} bytes (--max-input-bytes)"),
        ));
    }
    Ok(buf)
}

fn too_large(len: u64, max: u64) -> Error {
    Error::new(
        ErrorKind::Limit,
        format!("input is {len} bytes, larger than the limit of {max} bytes (--max-input-bytes)"),
    )
}

fn io_error(what: &str, e: &std::io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("{what}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn limits(max: u64) -> Limits {
        Limits {
            max_input_bytes: max,
            ..Limits::default()
        }
    }

    #[test]
    fn bounded_reads_table() {
        // (input length, limit, expected outcome: Some(len) read, None refused)
        let cases: [(usize, u64, Option<usize>); 5] = [
            (0, 0, Some(0)),
            (0, 10, Some(0)),
            (10, 10, Some(10)),
            (11, 10, None),
            (1000, 10, None),
        ];
        for (len, max, want) in cases {
            let data = vec![b'a'; len];
            let got = read_bounded(&data[..], max, None);
            match want {
                Some(n) => assert_eq!(
                    got.as_ref().map(Vec::len).ok(),
                    Some(n),
                    "len {len} max {max}"
                ),
                None => {
                    let e = got.expect_err("must refuse");
                    assert_eq!(e.kind, ErrorKind::Limit);
                    assert!(
                        e.message.contains(&format!("limit of {max} bytes")),
                        "{}",
                        e.message
                    );
                }
            }
        }
    }

    /// A reader that yields zeros forever: read_bounded must stop after max + 1 bytes.
    struct Endless(u64);
    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.0 += buf.len() as u64;
            buf.fill(0);
            Ok(buf.len())
        }
    }

    #[test]
    fn endless_stream_is_cut_at_the_limit() {
        let mut r = Endless(0);
        let e = read_bounded(&mut r, 1 << 20, None).expect_err("must refuse");
        assert_eq!(e.kind, ErrorKind::Limit);
        // std's read_to_end may over-read into its spare capacity, but `take` caps it at max + 1.
        assert!(r.0 <= (1 << 20) + 1 + 64 * 1024, "read {} bytes", r.0);
    }

    #[test]
    fn files_small_large_sparse_missing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let small = dir.path().join("small.txt");
        std::fs::write(&small, "改革項目\n").expect("write");
        assert_eq!(
            read_input(&small, &limits(100)).expect("read"),
            "改革項目\n".as_bytes()
        );

        let sparse = dir.path().join("sparse.txt");
        let f = File::create(&sparse).expect("create");
        f.set_len(1 << 30).expect("set_len");
        let start = std::time::Instant::now();
        let e = read_input(&sparse, &limits(1 << 20)).expect_err("must refuse");
        assert_eq!(e.kind, ErrorKind::Limit);
        assert_eq!(
            e.location.file.as_deref(),
            Some(sparse.display().to_string().as_str())
        );
        assert!(e.message.contains("1073741824 bytes"), "{}", e.message);
        assert!(
            start.elapsed().as_secs() < 5,
            "refusal must not read the file"
        );

        let missing = dir.path().join("missing.txt");
        let e = read_input(&missing, &limits(100)).expect_err("missing");
        assert_eq!(e.kind, ErrorKind::Io);
        assert!(e.message.starts_with("cannot open"), "{}", e.message);

        let e = read_input(dir.path(), &limits(100)).expect_err("dir");
        assert_eq!(e.kind, ErrorKind::Io);

        let mut f = File::create(&small).expect("create");
        f.write_all(&[b'x'; 101]).expect("write");
        drop(f);
        let e = read_input(&small, &limits(100)).expect_err("too large");
        assert_eq!(e.to_string(), format!("{}: limit: input is 101 bytes, larger than the limit of 100 bytes (--max-input-bytes)", small.display()));
    }
}
