//! `samkost run`: its arguments, the run (precision targets, the memory check of the stored
//! draws, the output directory) and its outputs.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use samkost_core::simulation::{self, RunConfig};

use super::{
    CsvFormat, Format, InputError, Language, MEMORY_BUDGET_BYTES, Sampling, date, emitf, emitln,
    format_bytes, interrupt, load_scenario, output, parse_threads, print_warnings, progress,
    resolve_keys, sensitivity,
};
use crate::report;
use crate::scenario::{self, Scenario};

/// Arguments of `samkost run`.
#[derive(Debug, clap::Args)]
pub(super) struct RunArgs {
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

impl RunArgs {
    /// `samkost` without a subcommand: `run` on the embedded default scenario with the
    /// documented defaults.
    pub(super) fn embedded_default() -> Self {
        Self {
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
        }
    }

    /// The CSV dialect asked for, or the language's default.
    fn csv_dialect(&self) -> report::CsvDialect {
        match (self.csv, self.lang) {
            (Some(format), _) => format.dialect(),
            (None, Language::En) => report::CsvDialect::Standard,
            (None, Language::Nb) => report::CsvDialect::ExcelNb,
        }
    }
}

/// Largest `--max-stored-draws` (10^8). Whether the stored draws fit is checked against
/// [`MEMORY_BUDGET_BYTES`] before the run starts.
const MAX_STORED_DRAWS: u64 = 100_000_000;

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

/// Runs `samkost run`.
pub(super) fn run_command(args: &RunArgs) -> Result<()> {
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
        detailed,
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

/// Bytes one stored draw takes at most: its NPV row (keys × members + 1 for the region; fewer
/// when some key's shares are the same in every draw, whose NPVs are computed again), its
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
