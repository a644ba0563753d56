//! Interruptions: Ctrl-C (SIGINT) and SIGTERM end the process at once, except while result
//! files are being written or moved into place, when they wait for that to finish. Together
//! with the staging of [`super::output`], an interrupted run leaves in its output directory the
//! whole previous set of files or the whole new one, and no temporary file behind.

use std::sync::{Mutex, MutexGuard, PoisonError};

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// Held while output files are written; the signal thread takes it before exiting. It guards
/// no data (it is not mutable state), only the moment of exit.
static WRITING: Mutex<()> = Mutex::new(());

/// Installs the handler for SIGINT and SIGTERM (the binary calls this once). The process then
/// exits with `128 + signal` (130 for Ctrl-C), as a shell would report it.
pub fn install_handler() {
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM]) else {
        // Without a handler the default action applies: the run dies at once, which the
        // write-then-rename still makes safe apart from a possible temporary file.
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _writes_done = write_guard();
            eprintln!("samkost: interrupted");
            std::process::exit(128 + signal);
        }
    });
}

/// Keeps an interruption from ending the process until the guard is dropped.
pub fn write_guard() -> MutexGuard<'static, ()> {
    WRITING.lock().unwrap_or_else(PoisonError::into_inner)
}
