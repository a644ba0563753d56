//! The lock of one shard's files: one process writes a shard's checkpoints, table and marker.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::super::InputError;

/// The lock of one shard's files in an output directory: `.STEM.lock`, created exclusively and
/// holding the owner's host name and process id, removed when the sweep ends. Two processes
/// of the same shard would otherwise both write its checkpoints, table and marker.
pub(super) struct ShardLock {
    path: PathBuf,
}

impl ShardLock {
    /// Takes the lock, or fails with [`InputError`] when a live process holds it. A lock left
    /// by a process that no longer runs on this host (killed by SIGKILL or by an interrupt,
    /// which ends the process without unwinding) is replaced with a warning.
    pub(super) fn take(dir: &Path, stem: &str) -> Result<Self> {
        let path = dir.join(format!(".{stem}.lock"));
        let host = host_name();
        let owner = format!("{host} {}\n", std::process::id());
        for _ in 0..3 {
            // Written in full under another name, then linked: the lock never exists half-written,
            // and linking fails if it exists.
            let mut tmp = tempfile::Builder::new()
                .prefix(&format!(".partial-{stem}-lock-"))
                .tempfile_in(dir)
                .with_context(|| {
                    format!("failed to create a temporary file in `{}`", dir.display())
                })?;
            std::io::Write::write_all(&mut tmp, owner.as_bytes())
                .with_context(|| format!("failed to write `{}`", path.display()))?;
            match std::fs::hard_link(tmp.path(), &path) {
                Ok(()) => return Ok(Self { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("failed to create `{}`", path.display()));
                }
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue; // Released in the meantime: try again.
            };
            let (lock_host, pid) = text.trim().rsplit_once(' ').unwrap_or(("", text.trim()));
            // Without /proc (not Linux) a process cannot be checked, so its lock holds.
            let stale = lock_host == host
                && Path::new("/proc/self").exists()
                && pid
                    .parse::<u32>()
                    .is_ok_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
            if !stale {
                return Err(InputError(format!(
                    "error: shard `{stem}` in `{}` is being written by another process ({}, lock `{}`)\n  = help: wait for it to finish; if no such process runs, remove the lock file",
                    dir.display(),
                    text.trim(),
                    path.display()
                ))
                .into());
            }
            eprintln!(
                "warning: removing the lock `{}` of process {pid}, which no longer runs",
                path.display()
            );
            let _ = std::fs::remove_file(&path);
        }
        Err(InputError(format!(
            "error: could not take the lock `{}`: other processes keep taking it",
            path.display()
        ))
        .into())
    }
}

impl Drop for ShardLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// This machine's name, which tells whether a lock's process id can be checked here (a
/// sweep's directory may be shared by several machines).
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty() && !h.contains(' '))
        .unwrap_or_else(|| "unknown-host".to_owned())
}
