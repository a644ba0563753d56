//! The command line: the only place that touches files, stdout/stderr, the environment and
//! exit codes.

mod allocate;
mod date;
mod design;
mod game;
mod interrupt;
mod output;
mod progress;
mod sensitivity;
mod sweep;
mod workbook;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use samkost_core::allocation::{KeyContext, ResolvedKey};
use samkost_core::simulation::{self, RunConfig};

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
    Run(RunArgs),
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

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// Scenario file (TOML, or a scenario workbook .xlsx; at most 64 MiB); the embedded default
    /// when omitted.
    scenario: Option<PathBuf>,
    /// Number of draws (overrides the scenario; at most 10^9).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=scenario::MAX_DRAWS as u64))]
    draws: Option<u64>,
    /// Random seed (overrides the scenario).
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: all cores; at most 1024). Results do not depend on it.
    #[arg(long, value_parser = parse_threads)]
    threads: Option<usize>,
    /// How the uncertain inputs are sampled: plain Monte Carlo, Latin hypercube, or scrambled
    /// Sobol' points.
    #[arg(long, value_enum, default_value_t = Sampling::Mc)]
    sampling: Sampling,
    /// Runs up to this many draws keep every draw (exact quantiles); longer runs use a quantile
    /// sketch with 0.1 % relative accuracy so memory stays bounded (at most 10^8; the kept
    /// draws, 8 bytes × (keys × (members + 2) + 4 × members + 3 + years) each without ex-post
    /// keys, must fit in 8 GB).
    #[arg(long, default_value_t = samkost_core::simulation::DEFAULT_MAX_STORED_DRAWS,
          value_parser = clap::value_parser!(u64).range(0..=MAX_STORED_DRAWS))]
    max_stored_draws: u64,
    /// Draws on which core stability is checked against every coalition (0: off).
    #[arg(long, default_value_t = 2000)]
    stability_draws: u64,
    /// Run until a precision is reached, doubling the draws: `p_all_win=0.005` (95 % half-width
    /// of every key's win-win probability, absolute) or `npv_mean=0.01` (95 % half-width of the
    /// region's mean NPV, relative).
    #[arg(long)]
    precision: Option<String>,
    /// Upper limit on draws for --precision (at most 10^9; a run of up to --max-stored-draws
    /// draws keeps them, and they must fit in 8 GB).
    #[arg(long, default_value_t = 1_000_000,
          value_parser = clap::value_parser!(u64).range(1..=scenario::MAX_DRAWS as u64))]
    max_draws: u64,
    /// Flag keys whose highest cost per inhabitant exceeds the lowest by more than this factor
    /// (a finite number above 0).
    #[arg(long, default_value_t = report::metrics::DEFAULT_BURDEN_THRESHOLD,
          value_parser = parse_burden_threshold)]
    burden_threshold: f64,
    /// Directory to write result files into (summary.json, members.csv, keys.csv, yearly.csv,
    /// samkost.xlsx, report.html, saksframlegg.html and one saksframlegg-<id>.html per
    /// member); created and checked before the run starts.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write every draw's NPVs to `draws.parquet` in the --out directory (needs a build
    /// with the `parquet` feature).
    #[arg(long, requires = "out")]
    save_draws: bool,
    /// What to print on stdout.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Language of the terminal table, the HTML report and the Excel workbook (identifiers,
    /// JSON and CSV stay the same).
    #[arg(long, value_enum, default_value_t = Language::En)]
    lang: Language,
    /// How members.csv, keys.csv and yearly.csv are written: `standard` (UTF-8, `,`, decimal
    /// point) or `excel-nb`, what Excel with Norwegian settings opens by double-click (UTF-8
    /// with a byte order mark, `;`, decimal comma). Default: excel-nb with --lang nb, standard
    /// otherwise.
    #[arg(long, value_enum)]
    csv: Option<CsvFormat>,
    /// Draws whose members' yearly cumulative net benefit is kept for the fan bands (exact
    /// P10/P50/P90 per key, member and year; capped at 8 M values; 0: none). Only runs that
    /// write files (--out) or JSON keep them: the terminal table does not show them.
    #[arg(long, default_value_t = samkost_core::simulation::DEFAULT_BAND_DRAWS)]
    band_draws: u64,
    /// The key whose fan chart the HTML report draws (default: the key the report recommends
    /// considering first).
    #[arg(long)]
    report_key: Option<String>,
    /// Base sample size N of the Sobol' indices of the region's NPV shown beside the tornado
    /// (a power of two; N(k + 2) model evaluations for k uncertain inputs; 0: not computed).
    #[arg(long, default_value_t = DEFAULT_SOBOL_N, value_parser = parse_sobol_n)]
    sobol: usize,
    /// Keys shown in the terminal table, comma-separated by name (default: all; the files and
    /// JSON always hold every key).
    #[arg(long, value_delimiter = ',')]
    keys: Option<Vec<String>>,
    /// Width of the terminal table in characters: key columns wrap into blocks that fit
    /// (default: $COLUMNS, else 100).
    #[arg(long, value_parser = clap::value_parser!(u64).range(40..=10_000))]
    width: Option<u64>,
}

/// Member pages (`saksframlegg-*.html`, `.docx`) in `dir` that the new set does not have: an
/// earlier run's pages for members this scenario no longer has.
fn stale_member_pages(dir: &Path, pages: &[(String, Vec<u8>)]) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut stale: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| {
            name.starts_with("saksframlegg-")
                && (name.ends_with(".html") || name.ends_with(".docx"))
                && !pages.iter().any(|(n, _)| n == name)
        })
        .collect();
    stale.sort();
    stale
}

/// The terminal table's keys (by name, as asked) and width.
/// Checked before the run, so that a misspelt key name costs no simulation.
fn table_layout(args: &RunArgs, scenario: &Scenario) -> Result<report::TableLayout> {
    let all: Vec<&str> = scenario.keys.iter().map(|k| k.name.as_str()).collect();
    let mut layout = report::TableLayout {
        keys: (0..all.len()).collect(),
        width: report::TableLayout::DEFAULT_WIDTH,
    };
    if let Some(names) = &args.keys {
        layout.keys = names
            .iter()
            .map(|name| {
                all.iter().position(|k| k == name).ok_or_else(|| {
                    InputError(format!(
                        "error: --keys: no key named `{name}`\n  = help: the scenario's keys are {}",
                        all.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
    }
    layout.width = match args.width {
        Some(w) => usize::try_from(w).unwrap_or(usize::MAX),
        None => std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<usize>().ok())
            .filter(|&c| c >= 40)
            .unwrap_or(report::TableLayout::DEFAULT_WIDTH),
    };
    Ok(layout)
}

/// Base sample size of the run's Sobol' indices: 1,024 rows estimate a total index of the
/// size that matters (≥ 0.05) to within a few hundredths (the bootstrap intervals say how
/// closely) at N(k + 2) ≈ 30,000 evaluations for the default scenario.
const DEFAULT_SOBOL_N: usize = 1024;

/// `--sobol`: 0, or a power of two from 2 to 2^20.
fn parse_sobol_n(text: &str) -> Result<usize, String> {
    let n: usize = text.parse().map_err(|_| {
        format!("`{text}` is not a whole number; give 0 or a power of two such as 1024")
    })?;
    if n == 0 || (n.is_power_of_two() && (2..=1 << 20).contains(&n)) {
        Ok(n)
    } else {
        Err(format!(
            "{n} is not a power of two from 2 to 1048576 (or 0 to turn the indices off); e.g. 1024"
        ))
    }
}

/// Languages on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Language {
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
enum CsvFormat {
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

impl RunArgs {
    /// The CSV dialect asked for, or the language's default.
    fn csv_dialect(&self) -> report::CsvDialect {
        match (self.csv, self.lang) {
            (Some(format), _) => format.dialect(),
            (None, Language::En) => report::CsvDialect::Standard,
            (None, Language::Nb) => report::CsvDialect::ExcelNb,
        }
    }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A readable side-by-side comparison of keys × members.
    Table,
    /// The JSON summary.
    Json,
}

/// Largest `--max-stored-draws` (10^8). Whether the stored draws fit is checked against
/// [`MEMORY_BUDGET_BYTES`] before the run starts.
const MAX_STORED_DRAWS: u64 = 100_000_000;

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
    let command = args.command.unwrap_or(Command::Run(RunArgs {
        scenario: None,
        draws: None,
        seed: None,
        threads: None,
        stability_draws: 2000,
        sobol: DEFAULT_SOBOL_N,
        keys: None,
        width: None,
        precision: None,
        max_draws: 1_000_000,
        burden_threshold: report::metrics::DEFAULT_BURDEN_THRESHOLD,
        save_draws: false,
        max_stored_draws: samkost_core::simulation::DEFAULT_MAX_STORED_DRAWS,
        sampling: Sampling::Mc,
        out: None,
        format: Format::Table,
        lang: Language::En,
        csv: None,
        band_draws: samkost_core::simulation::DEFAULT_BAND_DRAWS,
        report_key: None,
    }));
    let outcome = match command {
        Command::Run(run) => run_command(&run),
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

/// The per-draw Parquet file, or a clear error when this build cannot write it.
#[cfg(feature = "parquet")]
fn draws_parquet(
    scenario: &Scenario,
    results: &samkost_core::simulation::RunResults,
) -> Result<Vec<u8>> {
    report::draws_parquet(scenario, results).map_err(|e| match e {
        report::ParquetError::NoDraws => InputError(
            "error: --save-draws needs every draw kept: raise --max-stored-draws above --draws"
                .to_owned(),
        )
        .into(),
        other => anyhow::Error::from(other),
    })
}

#[cfg(not(feature = "parquet"))]
fn draws_parquet(_: &Scenario, _: &samkost_core::simulation::RunResults) -> Result<Vec<u8>> {
    draws_parquet_unavailable()
}

fn draws_parquet_unavailable<T>() -> Result<T> {
    Err(InputError("error: this samkost was built without Parquet support; build it with `cargo build --release --features parquet`".to_owned()).into())
}

/// A precision target of `--precision`.
#[derive(Debug, Clone, Copy)]
struct PrecisionTarget {
    measure: &'static str,
    half_width: f64,
}

impl PrecisionTarget {
    /// The 95 % half-width the run achieved on the target's measure.
    fn achieved(&self, r: &samkost_core::simulation::RunResults) -> f64 {
        match self.measure {
            "p_all_win" => r
                .keys
                .iter()
                .map(|k| 1.96 * k.p_all_win.se)
                .fold(0.0, f64::max),
            _ => 1.96 * r.region_npv.se_mean / r.region_npv.mean.abs().max(f64::MIN_POSITIVE),
        }
    }
}

/// `--burden-threshold`: a finite factor above 0. NaN would flag no key (every comparison with
/// it is false) and infinity would flag none either, silently.
fn parse_burden_threshold(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("expected a number such as 2.0, got `{text}`"))?;
    if !value.is_finite() || value <= 0.0 {
        return Err(format!(
            "expected a finite factor above 0 such as 2.0, got `{text}`"
        ));
    }
    Ok(value)
}

fn parse_precision(spec: &str) -> Result<PrecisionTarget> {
    let bad = || {
        InputError(format!(
            "error: --precision `{spec}` must be `p_all_win=0.005` or `npv_mean=0.01` (a positive half-width)"
        ))
    };
    let (measure, value) = spec.split_once('=').ok_or_else(bad)?;
    let half_width: f64 = value.trim().parse().map_err(|_| bad())?;
    let measure = match measure.trim() {
        "p_all_win" => "p_all_win",
        "npv_mean" => "npv_mean",
        _ => return Err(bad().into()),
    };
    if !(half_width > 0.0 && half_width.is_finite()) {
        return Err(bad().into());
    }
    Ok(PrecisionTarget {
        measure,
        half_width,
    })
}

/// Prints the scenario's warnings on stderr.
fn print_warnings(scenario: &Scenario) {
    for w in &scenario.warnings {
        eprint!("{}", w.to_string().replacen("error:", "warning:", 1));
    }
}

fn run_command(args: &RunArgs) -> Result<()> {
    if args.save_draws && !cfg!(feature = "parquet") {
        return draws_parquet_unavailable();
    }
    let scenario = load_scenario(args.scenario.as_deref())?;
    print_warnings(&scenario);
    let seed = args.seed.unwrap_or(scenario.seed);
    let detailed = args.out.is_some() || args.format == Format::Json;
    let config = RunConfig {
        n_draws: args.draws.unwrap_or(scenario.n_draws),
        seed,
        // Core stability and leaving in a later year are about one membership throughout: with
        // membership events or an existing cooperation they are not checked (docs/MODEL.md
        // §10b, §10c).
        stability_draws: if scenario.model.changes_membership() {
            0
        } else {
            args.stability_draws
        },
        sampling: args.sampling.method(),
        max_stored_draws: args.max_stored_draws,
        // The fan bands and the municipal accounts go into the files and the JSON; the
        // terminal table shows neither, so a plain run keeps no bands and books nothing.
        // With membership events or an existing cooperation the accounts view is left out
        // (docs/MODEL.md §10b, §10c).
        band_draws: if detailed { args.band_draws } else { 0 },
        accounts: detailed && !scenario.model.changes_membership(),
        view_members: detailed,
    };
    if let Some(name) = &args.report_key
        && !scenario.keys.iter().any(|k| &k.name == name)
    {
        let names: Vec<&str> = scenario.keys.iter().map(|k| k.name.as_str()).collect();
        return Err(InputError(format!(
            "error: --report-key `{name}` is not a key of the scenario; keys: {}",
            names.join(", ")
        ))
        .into());
    }
    if config.n_draws == 0 {
        return Err(InputError("error: --draws must be at least 1".to_owned()).into());
    }
    let layout = table_layout(args, &scenario)?;
    let target = args.precision.as_deref().map(parse_precision).transpose()?;
    let largest_run = if target.is_some() {
        precision_run_sizes(config.n_draws, args.max_draws)
            .into_iter()
            .filter(|&n| n <= config.max_stored_draws)
            .max()
            .unwrap_or(0)
    } else {
        config.n_draws
    };
    check_stored_draws(&scenario, largest_run, &config)?;
    if let Some(dir) = &args.out {
        prepare_out_dir(dir)?;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("failed to start worker threads")?;
    let keys = pool.install(|| resolve_keys(&scenario, seed))?;
    let mut config = config;
    let (results, precision) = loop {
        let bar = progress::Bar::new(config.n_draws);
        let results = pool
            .install(|| simulation::run(&scenario.model, &keys, &config, &bar))
            .map_err(|e| InputError(format!("error: {e}")))?;
        bar.finish();
        let Some(target) = target else {
            break (results, None);
        };
        let achieved = target.achieved(&results);
        if achieved <= target.half_width || config.n_draws >= args.max_draws {
            break (
                results,
                Some(report::PrecisionJson {
                    measure: target.measure.to_owned(),
                    target: target.half_width,
                    achieved,
                    reached: achieved <= target.half_width,
                }),
            );
        }
        // Draw d is the same in every run, so the doubled run extends this one.
        config.n_draws = (config.n_draws * 2).min(args.max_draws);
    };
    if let Some(p) = &precision
        && !p.reached
    {
        eprintln!(
            "warning: --precision {} not reached within --max-draws {} (achieved {:.4})",
            args.precision.as_deref().unwrap_or(""),
            args.max_draws,
            p.achieved
        );
    }
    let mut summary = report::summary(&scenario, &results, &config, args.burden_threshold);
    summary.precision = precision;
    summary.tornado = pool.install(|| sensitivity::region_tornado(&scenario, &keys))?;
    // The designed key and the variance-based indices go into the files and the JSON; the
    // terminal table needs neither, so a plain run does not pay for their extra draws.
    let full_summary = args.out.is_some() || args.format == Format::Json;
    // The key design counts on one membership throughout (docs/MODEL.md §10b).
    if full_summary && !scenario.model.changes_membership() {
        let designed = pool
            .install(|| crate::design::best_hybrid(&scenario.model, &config))
            .map_err(|e| InputError(format!("error: {e}")))?;
        summary.designed_key = designed
            .as_ref()
            .map(|d| report::recommend::DesignedKeyJson::new(d, &summary));
    }
    summary.recommendation = report::recommend::json(&summary);
    if full_summary {
        summary.sobol =
            pool.install(|| sensitivity::region_sobol(&scenario, &keys, args.sobol, config.seed))?;
    }
    let json = serde_json::to_string_pretty(&summary).context("failed to serialise the summary")?;
    if let Some(dir) = &args.out {
        let dialect = args.csv_dialect();
        let csv = report::members_csv(&scenario, &results)
            .and_then(|c| report::to_dialect(&c, dialect))
            .context("failed to build members.csv")?;
        let xlsx =
            report::workbook(&summary, args.lang.lang()).context("failed to build samkost.xlsx")?;

        let keys_csv = report::keys_csv(&scenario, &results, args.burden_threshold)
            .and_then(|c| report::to_dialect(&c, dialect))
            .context("failed to build keys.csv")?;
        let yearly_csv = report::yearly_csv(&scenario, &results)
            .and_then(|c| report::to_dialect(&c, dialect))
            .context("failed to build yearly.csv")?;
        // summary.json, the largest file, is written after the tables and the report.
        let mut files: Vec<(&str, Vec<u8>)> = vec![
            ("members.csv", csv),
            ("keys.csv", keys_csv),
            ("yearly.csv", yearly_csv),
            ("samkost.xlsx", xlsx),
            (
                "report.html",
                report::report_html(
                    &summary,
                    args.lang.lang(),
                    args.report_key.as_deref(),
                    &date::report_date(),
                )
                .into_bytes(),
            ),
        ];
        let explorer_config = RunConfig {
            n_draws: report::explorer::sample_draws(config.n_draws),
            stability_draws: report::explorer::sample_core_draws(
                scenario.model.n_members(),
                report::explorer::sample_draws(config.n_draws),
                config.stability_draws,
            ),
            ..config
        };
        // The key explorer counts on one membership throughout (docs/MODEL.md §10b).
        if !scenario.model.changes_membership() {
            let sample = pool
                .install(|| simulation::draw_sample(&scenario.model, &explorer_config))
                .map_err(|e| InputError(format!("error: {e}")))?;
            files.push((
                "explorer.html",
                report::explorer::explorer_html(&scenario.model, &sample, seed, args.lang.lang())
                    .into_bytes(),
            ));
        }
        files.push(("summary.json", format!("{json}\n").into_bytes()));
        if args.save_draws {
            files.push(("draws.parquet", draws_parquet(&scenario, &results)?));
        }
        // The case summary and one page per member for its own council.
        let date = date::report_date();
        let lang = args.lang.lang();
        let mut pages: Vec<(String, Vec<u8>)> = vec![(
            "saksframlegg.html".to_owned(),
            report::case_summary_html(&summary, lang, &date).into_bytes(),
        )];
        for (i, m) in summary.members.iter().enumerate() {
            let mut name = report::member_page_name(&m.id);
            if pages.iter().any(|(n, _)| *n == name) {
                name = report::member_page_name(&format!("{}-{}", m.id, i + 1));
            }
            pages.push((
                name,
                report::member_page_html(&summary, i, lang, &date).into_bytes(),
            ));
        }
        // Each page also as a Word document, for pasting into the case document.
        let documents = pages
            .iter()
            .map(|(name, html)| {
                let html = std::str::from_utf8(html).expect("the pages are written as UTF-8");
                report::case_docx::case_docx(html, &date)
                    .map(|docx| (name.replace(".html", ".docx"), docx))
            })
            .collect::<Result<Vec<_>, _>>()?;
        pages.extend(documents);
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (*n, b.as_slice()))
            .chain(pages.iter().map(|(n, b)| (n.as_str(), b.as_slice())))
            .collect();
        // A run without --save-draws leaves no draws.parquet of an earlier run beside its set,
        // and no member page of a member that an earlier run of the directory had.
        let stale = stale_member_pages(dir, &pages);
        let remove: Vec<&str> = std::iter::once("draws.parquet")
            .chain(stale.iter().map(String::as_str))
            .collect();
        output::write_set(dir, &refs, &remove)?;
    }
    match args.format {
        Format::Json => emitln!("{json}"),
        Format::Table => emitf!(
            "{}",
            report::render_table(&summary, args.burden_threshold, args.lang.lang(), &layout)
        ),
    }
    Ok(())
}

/// The draws of each run `--precision` may make: `first`, doubled until `max_draws`.
fn precision_run_sizes(first: u64, max_draws: u64) -> Vec<u64> {
    let mut sizes = vec![first];
    let mut n = first;
    while n < max_draws {
        n = n.saturating_mul(2).min(max_draws);
        sizes.push(n);
    }
    sizes
}

/// Bytes one stored draw takes: its NPV row (keys × members + 1 for the region), its
/// regional cumulative row (one value per year) and what its budget and socio-economic NPVs
/// are computed from (4 × members + 2, the region's two per key, and 2 × members per key
/// whose shares may change from draw to draw: ex-post keys, every key with membership
/// events), 8 bytes each (the core's `Columns`).
fn stored_draw_bytes(scenario: &Scenario) -> u64 {
    let (keys, n) = (scenario.keys.len(), scenario.model.n_members());
    let events = scenario.model.has_events();
    let varying = scenario.keys.iter().filter(|k| k.ex_post || events).count();
    let views = 4 * n + 2 + 2 * keys + 2 * n * varying;
    let values = keys * n + 1 + scenario.model.horizon_years + views;
    8 * values as u64
}

/// Refuses a run whose stored draws (a run of `n_draws` keeps them when `n_draws` is at most
/// `--max-stored-draws`) and fan bands would not fit in [`MEMORY_BUDGET_BYTES`], before any
/// work starts, instead of aborting on a failed allocation.
fn check_stored_draws(scenario: &Scenario, n_draws: u64, config: &RunConfig) -> Result<()> {
    let stored = if n_draws <= config.max_stored_draws {
        n_draws
    } else {
        0
    };
    let per_draw = stored_draw_bytes(scenario);
    let band_bytes = 8 * samkost_core::simulation::MAX_BAND_VALUES;
    let needed = stored.saturating_mul(per_draw).saturating_add(band_bytes);
    if needed <= MEMORY_BUDGET_BYTES {
        return Ok(());
    }
    let fit = (MEMORY_BUDGET_BYTES - band_bytes) / per_draw;
    Err(InputError(format!(
        "error: keeping {stored} draws needs {} of memory ({per_draw} bytes a draw), more than the {} budget for stored draws; at most {fit} draws fit\n  = help: lower --max-stored-draws to {fit} or less: longer runs sketch their quantiles (0.1 % relative accuracy) in bounded memory",
        format_bytes(needed),
        format_bytes(MEMORY_BUDGET_BYTES),
    ))
    .into())
}

/// Creates `--out DIR` and checks that files can be written into it, before the run starts,
/// so a wrong directory costs no simulation time.
fn prepare_out_dir(dir: &Path) -> Result<()> {
    output::write_files(dir, &[])?;
    // The probe file exists only while this guard is held: an interruption waits for it to
    // be removed, so it never leaves a temporary file behind.
    let _no_exit_while_probing = interrupt::write_guard();
    tempfile::Builder::new()
        .prefix(output::TEMP_PREFIX)
        .tempfile_in(dir)
        .with_context(|| format!("cannot write into output directory `{}`", dir.display()))?;
    Ok(())
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
