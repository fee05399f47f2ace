//! `--glob` and `--exclude`: which files of a batch are read, by patterns on their paths.
//!
//! `*` matches within one path component, `**` across components, `?` one character. A pattern
//! without `/` is matched against the file name; one with `/` against the whole path as shown
//! (the input as given joined with the path inside it).

use super::{IgnoredFile, JobSource, Plan};

/// Include and exclude patterns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// When not empty, only files matching one of these are read.
    pub include: Vec<String>,
    /// Files matching one of these are not read.
    pub exclude: Vec<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty()
    }

    /// Why a file is left out, or None when it is read.
    pub fn refuse(&self, path: &str) -> Option<String> {
        if let Some(p) = self.exclude.iter().find(|p| matches_path(p, path)) {
            return Some(format!("excluded by --exclude {p}"));
        }
        if !self.include.is_empty() && !self.include.iter().any(|p| matches_path(p, path)) {
            return Some(format!(
                "matches no --glob pattern ({})",
                self.include.join(", ")
            ));
        }
        None
    }

    /// Move the files the patterns leave out from the jobs to the ignored files.
    pub fn apply(&self, plan: &mut Plan) {
        if self.is_empty() {
            return;
        }
        let mut ignored: Vec<IgnoredFile> = Vec::new();
        plan.jobs.retain(|j| {
            if !matches!(j.source, JobSource::File(_)) {
                return true;
            }
            match self.refuse(&j.path) {
                Some(reason) => {
                    ignored.push(IgnoredFile {
                        file: j.path.clone(),
                        reason,
                    });
                    false
                }
                None => true,
            }
        });
        plan.ignored.extend(ignored);
    }
}

/// Does `pattern` match `path` (see the module documentation)?
pub fn matches_path(pattern: &str, path: &str) -> bool {
    let path = path.replace('\\', "/");
    if pattern.contains('/') {
        let pat: Vec<char> = pattern.trim_start_matches("./").chars().collect();
        let p: Vec<char> = path.trim_start_matches("./").chars().collect();
        glob(&pat, &p)
    } else {
        let name = path.rsplit('/').next().unwrap_or(&path);
        let pat: Vec<char> = pattern.chars().collect();
        let n: Vec<char> = name.chars().collect();
        glob(&pat, &n)
    }
}

fn glob(pat: &[char], s: &[char]) -> bool {
    match pat.split_first() {
        None => s.is_empty(),
        Some(('*', rest)) => {
            let (deep, rest) = match rest.split_first() {
                Some(('*', r)) => (true, r.strip_prefix(&['/']).unwrap_or(r)),
                _ => (false, rest),
            };
            for i in 0..=s.len() {
                if glob(rest, s.get(i..).unwrap_or_default()) {
                    return true;
                }
                match s.get(i) {
                    Some('/') if !deep => return false,
                    None => return false,
                    _ => {}
                }
            }
            false
        }
        Some(('?', rest)) => match s.split_first() {
            Some((c, tail)) if *c != '/' => glob(rest, tail),
            _ => false,
        },
        Some((c, rest)) => match s.split_first() {
            Some((d, tail)) if d == c => glob(rest, tail),
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_names_and_paths() {
        let cases = [
            ("*.md", "archive/notes/README.md", true),
            ("*.md", "archive/r3.pdf", false),
            ("r?.pdf", "a/r3.pdf", true),
            ("r?.pdf", "a/r10.pdf", false),
            ("archive/*.pdf", "archive/r3.pdf", true),
            ("archive/*.pdf", "archive/2021/r3.pdf", false),
            ("archive/**/*.pdf", "archive/2021/r3.pdf", true),
            ("archive/**/*.pdf", "archive/r3.pdf", true),
            ("**/draft/*", "archive/2021/draft/x.txt", true),
            ("**/draft/*", "archive/2021/final/x.txt", false),
            ("*", "a/b.txt", true),
        ];
        for (pat, path, want) in cases {
            assert_eq!(matches_path(pat, path), want, "{pat} {path}");
        }
    }

    #[test]
    fn exclude_wins_over_glob() {
        let f = Filter {
            include: vec!["*.txt".into()],
            exclude: vec!["**/old/*".into()],
        };
        let cases = [
            ("a/r3.txt", None),
            ("a/old/r1.txt", Some("excluded by --exclude **/old/*")),
            ("a/r3.pdf", Some("matches no --glob pattern (*.txt)")),
        ];
        for (path, want) in cases {
            assert_eq!(f.refuse(path).as_deref(), want, "{path}");
        }
    }
}
