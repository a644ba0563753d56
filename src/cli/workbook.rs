//! `samkost init` and `samkost convert`: starter scenarios (TOML on stdout or a workbook) and
//! conversion between TOML scenarios and scenario workbooks; reading workbooks for `run` and
//! `validate`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::{InputError, Language, MAX_INPUT_BYTES, RelativeFiles, emitf, emitln, output};
use crate::scenario::{self, Scenario, StarterLang, workbook};

/// Arguments of `samkost init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Kommunenummer, comma-separated (e.g. 1517,1515,1514).
    #[arg(long, value_delimiter = ',', required = true)]
    members: Vec<String>,
    /// Language of the names, notes and comments (key and component names too).
    #[arg(long, value_enum, default_value_t = Language::En)]
    lang: Language,
    /// Write the starter as a scenario workbook (.xlsx) to this file instead of TOML on stdout.
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,
}

/// Arguments of `samkost convert`.
#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// The scenario to convert: TOML, or a workbook (.xlsx).
    input: PathBuf,
    /// The file to write: a workbook (.xlsx) for a TOML input, TOML for a workbook.
    output: PathBuf,
    /// Language of the workbook's notes.
    #[arg(long, value_enum, default_value_t = Language::En)]
    lang: Language,
}

impl Language {
    fn starter(self) -> StarterLang {
        match self {
            Language::En => StarterLang::En,
            Language::Nb => StarterLang::Nb,
        }
    }
}

/// Whether `path` names a workbook (by its extension).
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
}

/// Reads and validates a scenario workbook; problems name the sheet and cell.
pub fn load_workbook(path: &Path) -> Result<Scenario> {
    let bytes = read_workbook(path)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    workbook::parse_workbook(
        &path.display().to_string(),
        &bytes,
        &RelativeFiles { base },
        &scenario::Overrides::default(),
    )
    .map_err(|d| InputError(d.to_string()).into())
}

/// A scenario workbook as TOML text, after checking it (problems name the sheet and cell),
/// for commands that work on a scenario's text (`sweep`).
pub fn workbook_as_toml(path: &Path) -> Result<String> {
    load_workbook(path)?;
    let bytes = read_workbook(path)?;
    let generated = workbook::workbook_to_toml(&path.display().to_string(), &bytes)
        .map_err(|d| InputError(d.to_string()))?;
    Ok(generated.toml)
}

/// The bytes of a workbook, at most [`MAX_INPUT_BYTES`].
fn read_workbook(path: &Path) -> Result<Vec<u8>> {
    let bytes = super::read_capped(path, MAX_INPUT_BYTES)
        .with_context(|| format!("failed to read scenario workbook `{}`", path.display()))?
        .ok_or_else(|| {
            InputError(format!(
                "error: scenario workbook `{}` is larger than the {} limit for a scenario",
                path.display(),
                super::format_bytes(MAX_INPUT_BYTES)
            ))
        })?;
    Ok(bytes)
}

/// Writes one file atomically (the previous file stays until the new one is complete).
fn write_one(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| InputError(format!("error: `{}` is not a file name", path.display())))?;
    output::write_files(dir, &[(name, bytes)])
}

/// Prints a starter scenario, or writes it as a workbook.
pub fn init_command(args: &InitArgs) -> Result<()> {
    let text = scenario::starter_scenario(&args.members, args.lang.starter())
        .map_err(|e| InputError(format!("error: {e}")))?;
    let Some(path) = &args.xlsx else {
        emitf!("{text}");
        return Ok(());
    };
    check_is_workbook(path)?;
    let options = workbook::WorkbookOptions {
        lang: args.lang.starter(),
        expand_members: true,
    };
    let bytes = workbook::scenario_workbook(&text, options)
        .map_err(|e| anyhow::anyhow!("failed to build the workbook: {e}"))?;
    write_one(path, &bytes)?;
    emitln!(
        "wrote `{}`: fill in the members' own figures and the inputs, then `samkost run {}`",
        path.display(),
        path.display()
    );
    Ok(())
}

fn check_is_workbook(path: &Path) -> Result<()> {
    if is_workbook(path) {
        Ok(())
    } else {
        Err(InputError(format!(
            "error: `{}` must end in .xlsx (a scenario workbook)",
            path.display()
        ))
        .into())
    }
}

/// Converts a TOML scenario to a workbook or back, after validating it; the result is read
/// back and must give the same scenario (the same hash) before it is written.
pub fn convert_command(args: &ConvertArgs) -> Result<()> {
    let same = |a: &Scenario, b: &Scenario| a.hash() == b.hash() && a == b;
    let (bytes, scenario) = if is_workbook(&args.input) {
        if is_workbook(&args.output) {
            return Err(InputError(
                "error: both files are workbooks: give a .toml output".to_owned(),
            )
            .into());
        }
        let scenario = load_workbook(&args.input)?;
        let bytes = read_workbook(&args.input)?;
        let generated = workbook::workbook_to_toml(&args.input.display().to_string(), &bytes)
            .map_err(|d| InputError(d.to_string()))?;
        let base = args
            .input
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let back = scenario::parse(
            &args.output.display().to_string(),
            &generated.toml,
            &RelativeFiles { base },
        )
        .map_err(|d| anyhow::anyhow!("the converted scenario does not read back:\n{d}"))?;
        (
            generated.toml.into_bytes(),
            same(&scenario, &back).then_some(()),
        )
    } else {
        check_is_workbook(&args.output)?;
        let scenario = super::load_scenario(Some(&args.input))?;
        let text = super::read_input(&args.input, "scenario", MAX_INPUT_BYTES)?;
        let options = workbook::WorkbookOptions {
            lang: args.lang.starter(),
            expand_members: false,
        };
        let bytes = workbook::scenario_workbook(&text, options)
            .map_err(|e| anyhow::anyhow!("failed to build the workbook: {e}"))?;
        let base = args
            .input
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let back = workbook::parse_workbook(
            &args.output.display().to_string(),
            &bytes,
            &RelativeFiles { base },
            &scenario::Overrides::default(),
        )
        .map_err(|d| anyhow::anyhow!("the converted workbook does not read back:\n{d}"))?;
        (bytes, same(&scenario, &back).then_some(()))
    };
    if scenario.is_none() {
        anyhow::bail!(
            "the converted scenario differs from `{}`; nothing was written",
            args.input.display()
        );
    }
    write_one(&args.output, &bytes)?;
    emitln!("wrote `{}`", args.output.display());
    Ok(())
}
