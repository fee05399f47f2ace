//! How messages are written on stderr: colour (`--color`, `NO_COLOR`) and text or JSON
//! (`--error-format`).

use super::*;

/// How messages are written, decided once from the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Messages {
    pub color: bool,
    pub json: bool,
}

pub(super) static MESSAGES: std::sync::OnceLock<Messages> = std::sync::OnceLock::new();

impl Messages {
    /// Colour for `when`, given whether stderr is a terminal and the value of NO_COLOR.
    pub fn decide(when: ColorWhen, terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
        match when {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => terminal && no_color.is_none_or(|v| v.is_empty()),
        }
    }
    fn get() -> Messages {
        MESSAGES.get().copied().unwrap_or(Messages {
            color: false,
            json: false,
        })
    }
}

/// One error as a JSON object (`--error-format json`).
pub fn error_json(
    kind: &str,
    file: Option<&str>,
    page: Option<u32>,
    line: Option<u32>,
    message: &str,
) -> String {
    serde_json::json!({
        "kind": kind,
        "file": file,
        "page": page,
        "line": line,
        "message": message,
    })
    .to_string()
}

/// An error object with the reasons of a `not-a-report` error listed as `diagnostics`, one per
/// layout tried (`{"layout": …, "message": …}`).
pub(super) fn with_reasons(json: String, message: &str) -> String {
    let reasons = crate::records::why::split(message);
    if reasons.is_empty() {
        return json;
    }
    let Ok(serde_json::Value::Object(mut obj)) = serde_json::from_str(&json) else {
        return json;
    };
    let list: Vec<serde_json::Value> = reasons
        .into_iter()
        .map(|(layout, message)| serde_json::json!({"layout": layout, "message": message}))
        .collect();
    obj.insert("diagnostics".into(), serde_json::Value::Array(list));
    serde_json::Value::Object(obj).to_string()
}

/// Print a usage error (exit status 2) as the command line asked.
pub fn usage_error(message: &str) {
    print_message("usage", None, message);
}

pub(super) fn print_message(kind: &str, error: Option<&crate::Error>, text: &str) {
    let m = Messages::get();
    if m.json {
        let line = match error {
            Some(e) => with_reasons(
                error_json(
                    e.kind.as_str(),
                    e.location.file.as_deref(),
                    e.location.page,
                    e.location.line,
                    &e.message,
                ),
                &e.message,
            ),
            None => error_json(kind, None, None, None, text),
        };
        eprintln!("{line}");
    } else if m.color {
        eprintln!("\x1b[1;31mgyokaku:\x1b[0m {text}");
    } else {
        eprintln!("gyokaku: {text}");
    }
}

/// Print a library error.
pub(super) fn print_error(e: &crate::Error) {
    print_message(e.kind.as_str(), Some(e), &e.to_string());
}
