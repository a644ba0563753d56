//! The command line: the only place that touches files, stdout/stderr, the environment and
//! exit codes.

mod allocate;
mod date;
mod design;
mod game;
mod interrupt;
mod output;
mod progress;
mod run;
mod sensitivity;
mod sweep;
mod workbook;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use samkost_core::allocation::{KeyContext, ResolvedKey};
use samkost_core::simulation::{self};

pub use interrupt::install_handler as install_interrupt_handler;

use crate::report;
use crate::scenario::{self, FileSource, Scenario};

/// `print!` through [`emit`].
macro_rules! emitf {
    ($($arg:tt)*) => { $crate::cli::emit(&format!($($arg)*))? };
}
/// `println!` through [`emit`].
macro_rules! emitln {
    ($($arg:tt)*) => { $crate::cli::emit(&format!("{}\n", format!($($arg)*)))? };
}
pub(crate) use {emitf, emitln};

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code for input the user can fix.
pub const EXIT_INPUT: u8 = 1;
/// Exit code for I/O or internal failures.
pub const EXIT_INTERNAL: u8 = 2;

/// Does an inter-municipal ICT cooperation pay off for each member, and under which
/// cost-allocation key?
#[derive(Debug, Parser)]
#[command(name = "samkost", version, about, long_about = None)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario (the embedded SSIKT scenario when none is given) and compare its keys.
    Run(run::RunArgs),
    /// Check a scenario file and list every problem.
    Validate {
        /// Scenario file (TOML, or a scenario workbook .xlsx; at most 64 MiB).
        scenario: PathBuf,
        /// Also compute the planning game of the game-theoretic keys (Shapley, nucleolus …),
        /// as `run` does before its draws: this finds a nucleolus that does not exist, and
        /// takes as long as `[planning] draws` evaluations of every coalition.
        #[arg(long)]
        planning_game: bool,
    },
    /// Which assumptions drive an output: tornado, Sobol' indices, Morris screening, or rank
    /// correlations from a run.
    Sensitivity(sensitivity::SensitivityArgs),
    /// Run a scenario over a grid of values (parameters, a key's fixed part, member sets), in
    /// shards if asked; writes tidy CSV (and Parquet in builds with the `parquet` feature).
    Sweep(sweep::SweepArgs),
    /// Print the scenario's cost game (expected cost of every coalition, NPV or one year) as a
    /// game file for `samkost allocate`.
    Game(game::GameArgs),
    /// Merge the shard files of a sweep into the result of an unsharded run.
    Merge(sweep::MergeArgs),
    /// Print a complete, commented starter scenario for the given municipalities (or write it
    /// as a workbook with --xlsx).
    Init(workbook::InitArgs),
    /// Convert a TOML scenario to a scenario workbook (.xlsx) or a workbook to TOML; the result
    /// is checked to give the same scenario before it is written.
    Convert(workbook::ConvertArgs),
    /// Allocate the cost of a cooperative game given by its coalition costs (Shapley,
    /// nucleolus, least core, SCRB, savings keys) and check each allocation against the core.
    Allocate(allocate::AllocateArgs),
    /// Design a key: the highest probability that every member gains (or that no group would
    /// do better alone) any shares reach, the best key of each family a council would accept,
    /// under optional constraints; or goal seeking with --seek.
    Design(design::DesignArgs),
}

/// Sampling methods on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Sampling {
    /// Plain Monte Carlo (a random stream per draw).
    Mc,
    /// Latin hypercube.
    Lhs,
    /// Owen-scrambled Sobol' sequence.
    Sobol,
}

impl Sampling {
    /// The core's method.
    pub fn method(self) -> samkost_core::sampling::SamplingMethod {
        match self {
            Sampling::Mc => samkost_core::sampling::SamplingMethod::MonteCarlo,
            Sampling::Lhs => samkost_core::sampling::SamplingMethod::LatinHypercube,
            Sampling::Sobol => samkost_core::sampling::SamplingMethod::Sobol,
        }
    }
}

/// Languages on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum Language {
    /// English.
    En,
    /// Norwegian Bokmål.
    Nb,
}

impl Language {
    fn lang(self) -> report::Lang {
        match self {
            Language::En => report::Lang::En,
            Language::Nb => report::Lang::Nb,
        }
    }
}

/// CSV dialects on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum CsvFormat {
    /// UTF-8, `,` between fields, decimal point: for scripts and other tools.
    Standard,
    /// Excel with Norwegian settings: UTF-8 with a byte order mark, `;`, decimal comma.
    ExcelNb,
}

impl CsvFormat {
    fn dialect(self) -> report::CsvDialect {
        match self {
            CsvFormat::Standard => report::CsvDialect::Standard,
            CsvFormat::ExcelNb => report::CsvDialect::ExcelNb,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum Format {
    /// A readable side-by-side comparison of keys × members.
    Table,
    /// The JSON summary.
    Json,
}

/// Memory a run's stored draws, or `allocate`'s coalition table and the methods' working
/// copies, may take: 8 GB. A fixed number, not a share of the machine's memory, so the same
/// command is accepted or refused the same way everywhere.
pub const MEMORY_BUDGET_BYTES: u64 = 8_000_000_000;

/// Largest scenario, members, grid or other text input file: 64 MiB (a scenario with every
/// municipality of Norway is well under 1 MiB).
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// Most worker threads `--threads` accepts: more would only spend memory on idle stacks.
pub const MAX_THREADS: usize = 1024;

/// An error the user can fix (bad input): exit code 1.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

/// Runs the command line with the given arguments and returns the exit code.
pub fn main(args: impl IntoIterator<Item = OsString>) -> Result<ExitCode> {
    let args = match Args::try_parse_from(args) {
        Ok(args) => args,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_INPUT } else { EXIT_OK };
            let _ = e.print();
            return Ok(ExitCode::from(code));
        }
    };
    let command = args
        .command
        .unwrap_or_else(|| Command::Run(run::RunArgs::embedded_default()));
    let outcome = match command {
        Command::Run(args) => run::run_command(&args),
        Command::Validate {
            scenario,
            planning_game,
        } => validate_command(&scenario, planning_game),
        Command::Init(args) => workbook::init_command(&args),
        Command::Convert(args) => workbook::convert_command(&args),
        Command::Sensitivity(args) => sensitivity::sensitivity_command(&args),
        Command::Sweep(args) => sweep::sweep_command(&args),
        Command::Merge(args) => sweep::merge_command(&args),
        Command::Game(args) => game::game_command(&args),
        Command::Allocate(allocate) => allocate::run(&allocate),
        Command::Design(args) => design::design_command(&args),
    };
    match outcome {
        Ok(()) => Ok(ExitCode::from(EXIT_OK)),
        Err(err) if err.downcast_ref::<InputError>().is_some() => {
            eprintln!("{err}");
            Ok(ExitCode::from(EXIT_INPUT))
        }
        Err(err) => Err(err),
    }
}

/// Reads files a scenario refers to, relative to the scenario's directory.
struct RelativeFiles {
    base: PathBuf,
}

impl FileSource for RelativeFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let full = self.base.join(path);
        let bytes = match read_capped(&full, MAX_INPUT_BYTES) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                return Err(format!(
                    "{} is larger than the {} limit for input files",
                    full.display(),
                    format_bytes(MAX_INPUT_BYTES)
                ));
            }
            Err(e) => return Err(format!("{} ({e})", full.display())),
        };
        String::from_utf8(bytes).map_err(|e| {
            format!(
                "{} is not valid UTF-8 (first bad byte at offset {})",
                full.display(),
                e.utf8_error().valid_up_to()
            )
        })
    }
}

/// Reads at most `cap` bytes of `path`: `Ok(None)` when the file holds more. Reading stops
/// one byte past the cap, so an endless file (`/dev/zero`, a pipe) ends quickly too.
fn read_capped(path: &Path, cap: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let size_hint = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size_hint > cap {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size_hint).unwrap_or(0));
    file.take(cap + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= cap).then_some(bytes))
}

/// Reads the text file `path` (a `what`, e.g. "scenario") of at most `cap` bytes: every input
/// file goes through here. A missing or unreadable file is an I/O error (exit 2); a file
/// beyond the cap or not in UTF-8 is the user's to fix (exit 1).
pub fn read_input(path: &Path, what: &str, cap: u64) -> Result<String> {
    let bytes = read_capped(path, cap)
        .with_context(|| format!("failed to read {what} `{}`", path.display()))?
        .ok_or_else(|| {
            InputError(format!(
                "error: {what} `{}` is larger than the {} limit for a {what}\n  = help: the limit keeps a wrong path (a device, an endless pipe) from filling the memory",
                path.display(),
                format_bytes(cap)
            ))
        })?;
    String::from_utf8(bytes).map_err(|e| {
        InputError(format!(
            "error: {what} `{}` is not valid UTF-8 (first bad byte at offset {})\n  = help: save the file as UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
        .into()
    })
}

/// A byte count for messages: `64 MiB`, `1 GiB`, or `45.6 GB` for counts that are not whole
/// binary units.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    if let Some((unit, name)) = UNITS.into_iter().find(|&(unit, _)| bytes >= unit)
        && bytes % unit == 0
    {
        return format!("{} {name}", bytes / unit);
    }
    if bytes >= 1_000_000_000 {
        format!("{:.1} GB", bytes as f64 / 1e9)
    } else if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{bytes} bytes")
    }
}

/// `--threads`: 0 (all cores) up to [`MAX_THREADS`].
pub(super) fn parse_threads(text: &str) -> Result<usize, String> {
    let threads: usize = text
        .trim()
        .parse()
        .map_err(|_| format!("expected a whole number of threads, got `{text}`"))?;
    if threads > MAX_THREADS {
        return Err(format!(
            "at most {MAX_THREADS} worker threads (more would only spend memory on idle stacks), got {threads}"
        ));
    }
    Ok(threads)
}

/// Loads and validates a scenario file, or the embedded default.
fn load_scenario(path: Option<&Path>) -> Result<Scenario> {
    let Some(path) = path else {
        return scenario::parse(
            scenario::DEFAULT_SCENARIO_NAME,
            scenario::DEFAULT_SCENARIO,
            &scenario::NoFiles,
        )
        .map_err(|d| anyhow::anyhow!("the embedded scenario is invalid:\n{d}"));
    };
    if workbook::is_workbook(path) {
        return workbook::load_workbook(path);
    }
    let text = read_input(path, "scenario", MAX_INPUT_BYTES)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = path.display().to_string();
    scenario::parse(&name, &text, &RelativeFiles { base })
        .map_err(|d| InputError(d.to_string()).into())
}

/// Fixes every key's shares before the simulation (keys are agreed before costs are known).
fn resolve_keys(scenario: &Scenario, seed: u64) -> Result<Vec<ResolvedKey>> {
    let (keys, _) =
        simulation::resolve_keys(&scenario.model, &scenario.keys, seed, &scenario.planning)
            .map_err(|e| InputError(format!("error: {e}")))?;
    Ok(keys)
}

/// Writes `text` to stdout. A closed pipe (`samkost run | head`) ends the output quietly
/// instead of failing.
pub fn emit(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("failed to write to stdout")
        }
        _ => Ok(()),
    }
}

/// Prints the scenario's warnings on stderr.
pub(super) fn print_warnings(scenario: &Scenario) {
    for w in &scenario.warnings {
        eprint!("{}", w.to_string().replacen("error:", "warning:", 1));
    }
}

/// Checks a scenario without running it: the reader's checks and the shares of every key
/// that does not need the planning game; the planning game itself only with
/// `--planning-game`, and a note says so when the scenario has game-theoretic keys.
fn validate_command(path: &Path, planning_game: bool) -> Result<()> {
    let scenario = load_scenario(Some(path))?;
    print_warnings(&scenario);
    if planning_game {
        resolve_keys(&scenario, scenario.seed)?;
    } else {
        check_driver_keys(&scenario, path)?;
    }
    emitln!(
        "ok: `{}` — {} members, {} uncertain inputs, {} cost lines, {} keys, {} years from {}",
        scenario.name,
        scenario.model.n_members(),
        scenario
            .model
            .parameters
            .iter()
            .filter(|p| !p.distribution.is_fixed())
            .count(),
        scenario.model.lines.len(),
        scenario.keys.len(),
        scenario.model.horizon_years,
        scenario.model.first_year
    );
    Ok(())
}

/// Resolves every key that does not need the planning game; notes the ones that do.
fn check_driver_keys(scenario: &Scenario, path: &Path) -> Result<()> {
    let ctx = KeyContext {
        drivers: &scenario.model.drivers,
        n_members: scenario.model.n_members(),
        planning: None,
        first_operating_year: scenario.model.operation_start,
    };
    let mut game_keys = Vec::new();
    for key in &scenario.keys {
        if ResolvedKey::needs_game(key) {
            game_keys.push(key.name.as_str());
            continue;
        }
        key.resolve(&ctx)
            .map_err(|e| InputError(format!("error: key `{}`: {e}", key.name)))?;
    }
    if !game_keys.is_empty() {
        eprintln!(
            "note: the game-theoretic keys ({}) are fixed on a planning game of {} draws when the scenario runs; `samkost validate --planning-game {}` computes it now",
            game_keys.join(", "),
            scenario.planning.n_draws,
            path.display()
        );
    }
    Ok(())
}
