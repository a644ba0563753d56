//! The `samkost` command: parse arguments, run, map errors to exit codes.

use std::process::ExitCode;

fn main() -> ExitCode {
    samkost::cli::install_interrupt_handler();
    match samkost::cli::main(std::env::args_os()) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(samkost::cli::EXIT_INTERNAL)
        }
    }
}
