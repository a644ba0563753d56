//! A progress bar on stderr for runs longer than about a second; silent when stderr is not a
//! terminal.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use samkost_core::simulation::Progress;

/// Runs shorter than this show no bar.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Progress of a simulation, shown once it has run for [`SHOW_AFTER`].
pub struct Bar {
    bar: ProgressBar,
    started: Instant,
    shown: Mutex<bool>,
}

impl Bar {
    /// A hidden bar for `total` draws.
    pub fn new(total: u64) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} draws, {eta} left") {
            bar.set_style(style);
        }
        Self {
            bar,
            started: Instant::now(),
            shown: Mutex::new(false),
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn advance(&self, n: u64) {
        self.bar.inc(n);
        if self.started.elapsed() >= SHOW_AFTER
            && let Ok(mut shown) = self.shown.lock()
            && !*shown
        {
            *shown = true;
            // `stderr()` draws nothing when stderr is not a terminal.
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }
}
