//! Writing result files atomically: each file is written to a temporary name in the target
//! directory (prefix [`TEMP_PREFIX`]) and renamed into place, so an interrupted run leaves every
//! file either complete (old or new) or absent, never half-written. A temporary file left by a
//! run that was killed between writing and renaming is removed by the next write into the
//! same directory. Writing holds [`super::interrupt::write_guard`], so Ctrl-C or SIGTERM waits
//! for the files to be in place before the process exits.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

/// Prefix of temporary files in an output directory.
pub const TEMP_PREFIX: &str = ".samkost-partial-";

/// Writes `(name, bytes)` files into `dir`, creating it if needed.
pub fn write_files(dir: &Path, files: &[(&str, &[u8])]) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("failed to create output directory `{}`", dir.display()))?;
    let _no_exit_while_writing = super::interrupt::write_guard();
    remove_stale_partials(dir);
    for (name, bytes) in files {
        let target = dir.join(name);
        let mut tmp = temp_builder()
            .tempfile_in(dir)
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

/// Temporary files get the permissions of any new file (`0o666` less the umask) rather than
/// tempfile's private `0o600`, since they become the results.
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
}

/// Removes temporary files a killed run may have left (best effort: they are never results).
fn remove_stale_partials(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes one file atomically into `dir` (which must exist) through a temporary file named
/// with `temp_prefix`, without touching other temporary files: several processes (the shards
/// of a sweep) may write into the same directory at once.
pub fn write_file_shared(dir: &Path, name: &str, bytes: &[u8], temp_prefix: &str) -> Result<()> {
    let target = dir.join(name);
    let mut tmp = tempfile::Builder::new()
        .prefix(temp_prefix)
        .tempfile_in(dir)
        .with_context(|| format!("failed to create a temporary file in `{}`", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("failed to write `{}`", target.display()))?;
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("failed to flush `{}`", target.display()))?;
    tmp.persist(&target)
        .with_context(|| format!("failed to move `{}` into place", target.display()))?;
    Ok(())
}
