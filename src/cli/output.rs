//! Writing result files atomically: each file is written to a temporary name in the target
//! directory and renamed into place, so an interrupted run never leaves a half-written file.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Writes `(name, bytes)` files into `dir`, creating it if needed.
pub fn write_files(dir: &Path, files: &[(&str, &[u8])]) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("failed to create output directory `{}`", dir.display()))?;
    for (name, bytes) in files {
        let target = dir.join(name);
        let mut tmp = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("failed to create a temporary file in `{}`", dir.display()))?;
        tmp.write_all(bytes)
            .with_context(|| format!("failed to write `{}`", target.display()))?;
        tmp.as_file()
            .sync_all()
            .with_context(|| format!("failed to flush `{}`", target.display()))?;
        tmp.persist(&target)
            .with_context(|| format!("failed to move `{}` into place", target.display()))?;
    }
    Ok(())
}
