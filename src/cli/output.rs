//! Writing result files as a whole set. [`write_files`] writes every file of a run into a
//! fresh staging directory inside the target directory (prefix [`TEMP_PREFIX`]), and only when
//! all of them are written and flushed does it move them into place, one rename each. Before a
//! file replaces its previous version, that version is kept in the staging directory (a hard
//! link, or a copy where the file system has none); if any step fails, the files already moved
//! are put back, so the directory holds the whole previous set again. A failure while writing
//! (a full disk, a file size limit) therefore never touches the previous set, and a failure
//! while moving (a target that is a directory, a read-only file system) is undone.
//!
//! The renames are not one atomic step (POSIX has no way to replace several files at once): a
//! process killed by SIGKILL, or a machine that loses power, while the files are moved can
//! leave some new files beside some previous ones. The moves take a few renames and write no
//! data, and SIGINT and SIGTERM wait for them ([`super::interrupt::write_guard`]). A staging
//! directory or temporary file left by a killed run is removed by the next write into the same
//! directory.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Prefix of staging directories and temporary files in an output directory.
pub const TEMP_PREFIX: &str = ".samkost-partial-";

/// Where the previous version of each replaced file is kept until the new set is in place.
const PREVIOUS: &str = "previous";

/// Writes `(name, bytes)` files into `dir`, creating it if needed: afterwards `dir` holds
/// either every new file or, after an error, every previous file as it was (see the module
/// documentation for what a SIGKILL can leave).
pub fn write_files(dir: &Path, files: &[(&str, &[u8])]) -> Result<()> {
    write_set(dir, files, &[])
}

/// [`write_files`], and the files named in `remove` (files of an earlier set that this set
/// does not have, such as `draws.parquet` from a run with `--save-draws`) leave `dir` in the
/// same switch: they are kept with the previous files and put back on any failure, so `dir`
/// never holds the new set beside a file of the old one.
pub fn write_set(dir: &Path, files: &[(&str, &[u8])], remove: &[&str]) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("failed to create output directory `{}`", dir.display()))?;
    let _no_exit_while_writing = super::interrupt::write_guard();
    remove_stale_partials(dir);
    let staging = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .tempdir_in(dir)
        .with_context(|| {
            format!(
                "failed to create a staging directory in `{}`",
                dir.display()
            )
        })?;
    for (name, bytes) in files {
        write_staged(&staging.path().join(name), bytes)
            .with_context(|| format!("failed to write `{}`", dir.join(name).display()))?;
    }
    let previous = staging.path().join(PREVIOUS);
    std::fs::create_dir(&previous)
        .with_context(|| format!("failed to create `{}`", previous.display()))?;
    let mut moved: Vec<(&str, bool)> = Vec::with_capacity(files.len() + remove.len());
    let removals = remove
        .iter()
        .filter(|name| !files.iter().any(|(n, _)| n == *name))
        .map(|name| (*name, None));
    let steps = files
        .iter()
        .map(|(name, _)| (*name, Some(())))
        .chain(removals);
    for (name, new) in steps {
        let step = match new {
            Some(()) => move_into_place(dir, staging.path(), name),
            None => move_aside(dir, &previous, name),
        };
        match step {
            // A file to remove that was not there needs no putting back.
            Ok(false) if new.is_none() => {}
            Ok(had_previous) => moved.push((name, had_previous)),
            Err(error) => {
                let error = error.context(format!(
                    "failed to move `{}` into place; the previous files are kept",
                    dir.join(name).display()
                ));
                return match restore(dir, &previous, &moved) {
                    Ok(()) => Err(error),
                    Err(restore_error) => {
                        // Keep the staging directory: it holds the previous versions.
                        let kept = staging.keep();
                        Err(error.context(format!(
                            "failed to put the previous files back ({restore_error:#}); they are in `{}`",
                            kept.join(PREVIOUS).display()
                        )))
                    }
                };
            }
        }
    }
    // Make the renames durable (best effort: not every file system lets a directory be synced).
    if let Ok(handle) = std::fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    Ok(())
}

/// Writes and flushes one staged file. It gets the permissions of any new file (`0o666` less
/// the umask), since it becomes a result.
fn write_staged(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = std::fs::File::create_new(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

/// Keeps the previous version of `name` (if any) in the staging directory, then renames the
/// staged file over it. Returns whether there was a previous version.
fn move_into_place(dir: &Path, staging: &Path, name: &str) -> Result<bool> {
    let target = dir.join(name);
    let kept = staging.join(PREVIOUS).join(name);
    let had_previous = match std::fs::symlink_metadata(&target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(e).context("failed to inspect the previous file"),
        Ok(meta) if meta.is_dir() => anyhow::bail!("`{}` is a directory", target.display()),
        Ok(_) => {
            if std::fs::hard_link(&target, &kept).is_err() {
                std::fs::copy(&target, &kept).context("failed to keep the previous file")?;
            }
            true
        }
    };
    std::fs::rename(staging.join(name), &target)?;
    Ok(had_previous)
}

/// Moves `name` (if there is one) out of `dir` into the kept previous files. Returns whether
/// there was one, so that [`restore`] puts it back.
fn move_aside(dir: &Path, previous: &Path, name: &str) -> Result<bool> {
    let target = dir.join(name);
    match std::fs::symlink_metadata(&target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e).context("failed to inspect the previous file"),
        Ok(meta) if meta.is_dir() => anyhow::bail!("`{}` is a directory", target.display()),
        Ok(_) => {
            std::fs::rename(&target, previous.join(name))
                .context("failed to remove the previous file")?;
            Ok(true)
        }
    }
}

/// Puts back the previous version of every moved file, and removes moved files that had none.
fn restore(dir: &Path, previous: &Path, moved: &[(&str, bool)]) -> Result<()> {
    for (name, had_previous) in moved.iter().rev() {
        let target = dir.join(name);
        if *had_previous {
            std::fs::rename(previous.join(name), &target)
                .with_context(|| format!("failed to restore `{}`", target.display()))?;
        } else {
            std::fs::remove_file(&target)
                .with_context(|| format!("failed to remove `{}`", target.display()))?;
        }
    }
    Ok(())
}

/// Removes staging directories and temporary files a killed run may have left (best effort:
/// they are never results).
fn remove_stale_partials(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            let path: PathBuf = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                let _ = std::fs::remove_dir_all(&path);
            } else {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// Temporary files get the permissions of any new file (`0o666` less the umask, 0644 with the
/// usual umask) rather than tempfile's private `0o600`, since they become the results.
fn temp_builder(prefix: &str) -> tempfile::Builder<'_, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
}

/// Writes one file atomically into `dir` (which must exist) through a temporary file named
/// with `temp_prefix`, without touching other temporary files: several processes (the shards
/// of a sweep) may write into the same directory at once. The file gets the permissions of a
/// run's files, and SIGINT and SIGTERM wait for the write.
pub fn write_file_shared(dir: &Path, name: &str, bytes: &[u8], temp_prefix: &str) -> Result<()> {
    let target = dir.join(name);
    let _no_exit_while_writing = super::interrupt::write_guard();
    let mut tmp = temp_builder(temp_prefix)
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
