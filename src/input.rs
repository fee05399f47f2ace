//! Reading input bytes under the input-size limit.
//!
//! [`crate::ingest`] checks [`Limits::max_input_bytes`] on bytes already in memory, which is too late
//! for a 1 GB file: these functions refuse an oversized input before reading it, and never read
//! more than the limit plus one byte from a stream whose size is not known in advance (stdin, a
//! pipe, a file that grows while it is read).
//!
//! Only regular files are read by name: a named pipe, socket or device would block or never end,
//! so [`read_input`] refuses them before opening (and opens without blocking, in case the file is
//! swapped for a pipe in between). Standard input (`-`) may be anything.
//!
//! [`path_text`] is the one way a path becomes text in records and messages.

use std::ffi::OsStr;
use std::fs::{self, File};
use std::io::Read;
use std::path::Path;

use crate::error::{Error, ErrorKind, Result};
use crate::limits::Limits;

/// Read the file at `path` (or standard input for `-`), refusing it with an [`ErrorKind::Limit`]
/// error when it is larger than `limits.max_input_bytes`. Errors carry the path as their file.
pub fn read_input(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    let name = path_text(path.as_os_str());
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
pub fn stdin_file_size() -> Option<u64> {
    use std::os::fd::AsFd;
    let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
    let meta = File::from(fd).metadata().ok()?;
    meta.is_file().then_some(meta.len())
}

#[cfg(not(unix))]
pub fn stdin_file_size() -> Option<u64> {
    None
}

/// What a file that is not a regular file is, in words (`None` for a regular file).
pub fn special_kind(ft: &fs::FileType) -> Option<&'static str> {
    if ft.is_file() {
        return None;
    }
    if ft.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if ft.is_socket() {
            return Some("a socket");
        }
        if ft.is_char_device() {
            return Some("a character device");
        }
        if ft.is_block_device() {
            return Some("a block device");
        }
    }
    if ft.is_symlink() {
        return Some("a symbolic link");
    }
    Some("not a regular file")
}

/// The error for a special file named as an input.
pub fn not_regular(kind: &str) -> Error {
    if kind == "a folder" {
        return Error::new(ErrorKind::Io, "is a folder, not a file");
    }
    Error::new(
        ErrorKind::Io,
        format!(
            "is {kind}, not a regular file; gyokaku reads only regular files (use - to read standard input)"
        ),
    )
}

/// Open for reading without blocking on a named pipe (`O_NONBLOCK` has no effect on regular files).
fn open_for_reading(path: &Path) -> std::io::Result<File> {
    let mut o = fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NONBLOCK);
    }
    o.open(path)
}

fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>> {
    // Refuse special files before opening: opening a FIFO for reading waits for a writer.
    let meta = fs::metadata(path).map_err(|e| io_error("cannot open", &e))?;
    if let Some(kind) = special_kind(&meta.file_type()) {
        return Err(not_regular(kind));
    }
    let file = open_for_reading(path).map_err(|e| io_error("cannot open", &e))?;
    let meta = file
        .metadata()
        .map_err(|e| io_error("cannot read metadata", &e))?;
    if let Some(kind) = special_kind(&meta.file_type()) {
        return Err(not_regular(kind));
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

/// What identifies a file on its device (device and inode numbers on Unix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId(u64, u64);

/// The identity of the file `meta` describes; `None` where the platform does not tell.
pub fn file_id(meta: &fs::Metadata) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some(FileId(meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// Whether two paths lead to the same existing file or folder (following symbolic links; hard
/// links count as the same file).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(ma), Ok(mb)) => match (file_id(&ma), file_id(&mb)) {
            (Some(x), Some(y)) => x == y,
            _ => match (fs::canonicalize(a), fs::canonicalize(b)) {
                (Ok(x), Ok(y)) => x == y,
                _ => false,
            },
        },
        _ => false,
    }
}

/// A path as text, losslessly: UTF-8 as it is, except that every backslash is doubled and every
/// byte that is not part of valid UTF-8 is written `\xHH` (uppercase hex). Distinct names give
/// distinct texts, and [`path_from_text`] recovers the bytes. (On systems whose paths are not
/// bytes, the text is the lossy UTF-8 form, with backslashes as they are.)
pub fn path_text(p: &OsStr) -> String {
    #[cfg(unix)]
    {
        use std::fmt::Write;
        use std::os::unix::ffi::OsStrExt;
        let bytes = p.as_bytes();
        if let Ok(s) = std::str::from_utf8(bytes) {
            if !s.contains('\\') {
                return s.to_string();
            }
        }
        let mut out = String::with_capacity(bytes.len() + 8);
        for chunk in bytes.utf8_chunks() {
            out.push_str(&chunk.valid().replace('\\', "\\\\"));
            for b in chunk.invalid() {
                let _ = write!(out, "\\x{b:02X}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        p.to_string_lossy().into_owned()
    }
}

/// The bytes of a name written by [`path_text`]; `None` when `text` is not such a form.
#[cfg(unix)]
pub fn path_from_text(text: &str) -> Option<std::ffi::OsString> {
    use std::os::unix::ffi::OsStringExt;
    let mut out = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b != b'\\' {
            out.push(b);
            rest = tail;
            continue;
        }
        match tail {
            [b'\\', more @ ..] => {
                out.push(b'\\');
                rest = more;
            }
            [b'x', h, l, more @ ..] => {
                let hex = [*h, *l];
                let v = u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?;
                out.push(v);
                rest = more;
            }
            _ => return None,
        }
    }
    Some(std::ffi::OsString::from_vec(out))
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
        assert_eq!(e.message, "is a folder, not a file");

        let mut f = File::create(&small).expect("create");
        f.write_all(&[b'x'; 101]).expect("write");
        drop(f);
        let e = read_input(&small, &limits(100)).expect_err("too large");
        assert_eq!(e.to_string(), format!("{}: limit: input is 101 bytes, larger than the limit of 100 bytes (--max-input-bytes)", small.display()));
    }

    /// A FIFO is refused at once (opening it would wait for a writer for ever), and so is a
    /// character device; neither is opened for reading.
    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_without_blocking() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("fifo.txt");
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).expect("cstring");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let start = std::time::Instant::now();
        let cases: [(&Path, &str); 2] = [
            (&fifo, "is a named pipe (FIFO), not a regular file"),
            (
                Path::new("/dev/null"),
                "is a character device, not a regular file",
            ),
        ];
        for (p, want) in cases {
            let e = read_input(p, &limits(100)).expect_err("special file");
            assert_eq!(e.kind, ErrorKind::Io);
            assert!(e.message.starts_with(want), "{p:?}: {}", e.message);
            assert!(
                e.message.contains("use - to read standard input"),
                "{}",
                e.message
            );
        }
        assert!(start.elapsed().as_secs() < 5);
        // Opening without blocking: even a FIFO that got past the first check does not hang.
        let f = open_for_reading(&fifo).expect("non-blocking open");
        assert!(!f.metadata().expect("meta").is_file());
    }

    #[cfg(unix)]
    #[test]
    fn path_text_is_lossless_and_distinct() {
        use std::os::unix::ffi::OsStrExt;
        let cases: [(&[u8], &str); 7] = [
            (b"plain/r.txt", "plain/r.txt"),
            ("見本市/報告.pdf".as_bytes(), "見本市/報告.pdf"),
            (b"x\xff.txt", "x\\xFF.txt"),
            (b"x\xfe.txt", "x\\xFE.txt"),
            // A name that spells an escape is itself escaped, so the two stay apart.
            (b"x\\xFF.txt", "x\\\\xFF.txt"),
            (b"new\nline.txt", "new\nline.txt"),
            (b"\xe8\xa6.txt", "\\xE8\\xA6.txt"),
        ];
        let mut seen = std::collections::HashSet::new();
        for (bytes, want) in cases {
            let text = path_text(OsStr::from_bytes(bytes));
            assert_eq!(text, want);
            assert!(seen.insert(text.clone()), "{text} is not distinct");
            assert_eq!(
                path_from_text(&text).expect("decodes").as_bytes(),
                bytes,
                "{text}"
            );
        }
        assert_eq!(path_from_text("bad\\q"), None);
        assert_eq!(path_from_text("bad\\xZZ"), None);
    }
}
