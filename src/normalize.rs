//! Text normalisation (one rule per function, each tested on its own).

/// Normalise one cell or line of report text.
pub fn normalize(s: &str) -> String {
    s.trim().to_string()
}
