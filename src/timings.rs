//! Per-stage wall time of one parse (`gyokaku parse --timings`).
//!
//! The stages a report goes through are timed where they run and added to the calling thread's
//! record while one is open ([`start`] … [`finish`]); with no record open, adding costs a
//! thread-local look-up. Work done on other threads (the pages of a PDF read in parallel) is
//! timed there and added by the thread that waits for it, so `fonts`, `interpret` and `layout`
//! are sums over pages, which can exceed the wall time of the whole when pages run in parallel.

use std::cell::RefCell;
use std::time::{Duration, Instant};

/// A stage of the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the input's bytes.
    Read,
    /// Parsing the input: for a PDF, its objects (cross-reference table, object loading, page
    /// tree); for other inputs, decoding them into lines and cells.
    Parse,
    /// Loading a PDF's fonts and their Unicode maps.
    Fonts,
    /// Interpreting a PDF's content streams (glyphs and ruling lines), fonts excluded.
    Interpret,
    /// Building lines and cells from a PDF's glyphs, running headers and footers removed.
    Layout,
    /// Records, fields, the model and its validation.
    Records,
    /// Writing the output (JSON).
    Emit,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 7] = [
        Stage::Read,
        Stage::Parse,
        Stage::Fonts,
        Stage::Interpret,
        Stage::Layout,
        Stage::Records,
        Stage::Emit,
    ];

    /// The stage's name as printed.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Parse => "parse",
            Stage::Fonts => "fonts",
            Stage::Interpret => "interpret",
            Stage::Layout => "layout",
            Stage::Records => "records",
            Stage::Emit => "emit",
        }
    }
}

/// Time spent per stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timings {
    spent: [Duration; 7],
}

impl Timings {
    /// Time spent in `stage`.
    pub fn get(&self, stage: Stage) -> Duration {
        self.spent
            .get(stage as usize)
            .copied()
            .unwrap_or(Duration::ZERO)
    }

    /// Add `d` to `stage`.
    pub fn add(&mut self, stage: Stage, d: Duration) {
        if let Some(s) = self.spent.get_mut(stage as usize) {
            *s += d;
        }
    }

    /// All stages together.
    pub fn total(&self) -> Duration {
        self.spent.iter().sum()
    }

    /// One line: each stage's milliseconds, then the total.
    pub fn line(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let mut parts: Vec<String> = Stage::ALL
            .iter()
            .map(|s| format!("{} {:.2}", s.name(), ms(self.get(*s))))
            .collect();
        parts.push(format!("total {:.2}", ms(self.total())));
        parts.join(", ")
    }
}

thread_local! {
    static OPEN: RefCell<Option<Timings>> = const { RefCell::new(None) };
}

/// Open a record on this thread (a record already open starts again from zero).
pub fn start() {
    OPEN.with(|o| *o.borrow_mut() = Some(Timings::default()));
}

/// Close this thread's record and return it (`None` when none was open).
pub fn finish() -> Option<Timings> {
    OPEN.with(|o| o.borrow_mut().take())
}

/// Add `d` to `stage` in this thread's open record, if any.
pub fn add(stage: Stage, d: Duration) {
    OPEN.with(|o| {
        if let Some(t) = o.borrow_mut().as_mut() {
            t.add(stage, d);
        }
    });
}

/// Run `f`, adding its wall time to `stage`.
pub fn time<T>(stage: Stage, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    add(stage, t.elapsed());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_add_up_and_print_in_order() {
        let cases: &[(&[(Stage, u64)], &str)] = &[
            (
                &[],
                "read 0.00, parse 0.00, fonts 0.00, interpret 0.00, layout 0.00, records 0.00, emit 0.00, total 0.00",
            ),
            (
                &[(Stage::Read, 1_500), (Stage::Emit, 250), (Stage::Read, 500)],
                "read 2.00, parse 0.00, fonts 0.00, interpret 0.00, layout 0.00, records 0.00, emit 0.25, total 2.25",
            ),
            (
                &[(Stage::Fonts, 10), (Stage::Interpret, 20), (Stage::Layout, 30), (Stage::Records, 40), (Stage::Parse, 900)],
                "read 0.00, parse 0.90, fonts 0.01, interpret 0.02, layout 0.03, records 0.04, emit 0.00, total 1.00",
            ),
        ];
        for (adds, want) in cases {
            let mut t = Timings::default();
            for (s, us) in *adds {
                t.add(*s, Duration::from_micros(*us));
            }
            assert_eq!(t.line(), *want);
        }
    }

    #[test]
    fn only_an_open_record_collects() {
        add(Stage::Read, Duration::from_millis(5));
        assert_eq!(finish(), None);
        start();
        add(Stage::Parse, Duration::from_millis(3));
        let got = time(Stage::Records, || 7);
        assert_eq!(got, 7);
        let t = finish().unwrap_or_default();
        assert_eq!(t.get(Stage::Parse), Duration::from_millis(3));
        assert_eq!(t.get(Stage::Read), Duration::ZERO);
        assert_eq!(t.total(), t.get(Stage::Parse) + t.get(Stage::Records));
        assert_eq!(finish(), None);
    }
}
