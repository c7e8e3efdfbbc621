//! Writing a rendered artifact set to an output directory, or comparing it with what is there.
//!
//! A manifest in the output directory lists the files limitkb generated, so a later run
//! removes exactly those that are no longer produced and never touches anything else.

use crate::render::{Artifacts, REGENERATE, banner_text};
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The manifest of generated files, relative to the output directory.
pub const MANIFEST: &str = ".limitkb-manifest";

/// The text of a manifest listing `paths` (in the order given).
pub(crate) fn manifest_text<'a>(paths: impl IntoIterator<Item = &'a String>) -> String {
    let mut manifest = format!(
        "# {}\n# The files limitkb generated here; it removes only these.\n",
        banner_text()
    );
    for path in paths {
        manifest.push_str(path);
        manifest.push('\n');
    }
    manifest
}

/// The files a previous run generated, from its manifest (none without one).
fn previous_files(out: &Path) -> Vec<String> {
    std::fs::read_to_string(out.join(MANIFEST))
        .map(|text| {
            text.lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty() && is_safe_relative(l))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a manifest entry stays inside the output directory (a hand-edited manifest must
/// not make `generate` remove files elsewhere).
fn is_safe_relative(path: &str) -> bool {
    !path.starts_with('/')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|segment| !segment.is_empty() && segment != "." && segment != "..")
}

/// How the output directory differs from the artifact set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drift {
    /// Files whose content would change.
    pub stale: Vec<String>,
    /// Files that would be created.
    pub missing: Vec<String>,
    /// Files a previous run generated that would now be removed.
    pub extra: Vec<String>,
}

impl Drift {
    /// Whether the output directory is up to date.
    pub fn is_empty(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (label, files) in [
            ("stale", &self.stale),
            ("missing", &self.missing),
            ("extra", &self.extra),
        ] {
            for file in files {
                writeln!(f, "{label}: {file}")?;
            }
        }
        Ok(())
    }
}

/// Compares the output directory with `artifacts`, writing nothing.
pub fn check(out: &Path, artifacts: &Artifacts) -> std::io::Result<Drift> {
    let states = artifacts
        .iter()
        .map(|(path, text)| Ok((path.clone(), compare(out, path, text)?)))
        .collect::<std::io::Result<Vec<_>>>()?;
    drift(out, states)
}

/// How a generated file in the output directory compares with what it should hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    /// It holds exactly the text.
    UpToDate,
    /// It holds something else.
    Stale,
    /// It is not there.
    Missing,
}

/// Compares the file at `path` (relative to `out`) with `text`, writing nothing. The file is
/// read a block at a time (and not at all if its size differs), so comparing a large artifact
/// does not hold a second copy of it in memory.
pub fn compare(out: &Path, path: &str, text: &str) -> std::io::Result<FileState> {
    use std::io::Read as _;
    let target = out.join(path);
    let mut file = match std::fs::File::open(&target) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileState::Missing),
        Err(e) => return Err(with_path(e, &target)),
    };
    let size = file.metadata().map_err(|e| with_path(e, &target))?.len();
    if size != text.len() as u64 {
        return Ok(FileState::Stale);
    }
    let mut expected = text.as_bytes();
    let mut block = vec![0; 64 * 1024];
    loop {
        let read = file.read(&mut block).map_err(|e| with_path(e, &target))?;
        if read == 0 {
            // The file may have changed size since `metadata`.
            return Ok(if expected.is_empty() {
                FileState::UpToDate
            } else {
                FileState::Stale
            });
        }
        if read > expected.len() || block[..read] != expected[..read] {
            return Ok(FileState::Stale);
        }
        expected = &expected[read..];
    }
}

/// The drift of `out` from the state of every artifact (as [`compare`] found it, in any
/// order): those states, the manifest that would list the artifacts, and the files a previous
/// run generated that are no longer produced.
pub fn drift(
    out: &Path,
    states: impl IntoIterator<Item = (String, FileState)>,
) -> std::io::Result<Drift> {
    let mut states: Vec<(String, FileState)> = states.into_iter().collect();
    states.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let manifest = manifest_text(states.iter().map(|(path, _)| path));
    let manifest_state = compare(out, MANIFEST, &manifest)?;
    let at = states.partition_point(|(path, _)| path.as_str() < MANIFEST);
    states.insert(at, (MANIFEST.to_string(), manifest_state));
    let mut drift = Drift::default();
    for (path, state) in &states {
        match state {
            FileState::UpToDate => {}
            FileState::Stale => drift.stale.push(path.clone()),
            FileState::Missing => drift.missing.push(path.clone()),
        }
    }
    let produced: std::collections::HashSet<&str> =
        states.iter().map(|(path, _)| path.as_str()).collect();
    drift.extra = previous_files(out)
        .into_iter()
        .filter(|path| !produced.contains(path.as_str()) && out.join(path).exists())
        .collect();
    Ok(drift)
}

/// What `write` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Files created or changed.
    pub changed: Vec<String>,
    /// Files already up to date (left untouched, so their modification times stay).
    pub unchanged: usize,
    /// Files of a previous run that are no longer generated, removed.
    pub removed: Vec<String>,
}

/// Writes `artifacts` under `out`: each changed file atomically (a temporary file in the same
/// directory, then a rename), then removes the files a previous run generated that are no
/// longer produced. Files limitkb did not generate are left alone.
///
/// A run stopped at any point (a failed write, a kill) leaves every file it generated listed
/// in the manifest: before it creates a file the manifest does not list yet, it writes a
/// manifest listing both the previous run's files and this run's, and the manifest of this
/// run alone comes last. So the next run still removes whatever is no longer produced.
pub fn write(out: &Path, artifacts: &Artifacts) -> std::io::Result<Written> {
    let previous = previous_files(out);
    let final_manifest = manifest_text(artifacts.keys());
    // Every path the output directory should hold.
    let produced = |path: &str| path == MANIFEST || artifacts.contains_key(path);
    let manifest = out.join(MANIFEST);
    let manifest_before = std::fs::read(&manifest).ok();
    let mut written = Written::default();

    let manifest_path = MANIFEST.to_string();
    remove_stale_temporaries(
        out,
        previous
            .iter()
            .chain(artifacts.keys())
            .chain([&manifest_path]),
    );
    let tracked: std::collections::HashSet<&str> = previous.iter().map(String::as_str).collect();
    let untracked = artifacts
        .keys()
        .any(|path| !tracked.contains(path.as_str()));
    if untracked {
        let mut union: Vec<&String> = previous.iter().chain(artifacts.keys()).collect();
        union.sort();
        union.dedup();
        write_atomically(&manifest, manifest_text(union).as_bytes())?;
    }
    for (path, text) in artifacts {
        let target = out.join(path);
        // A file that cannot be read is written again (and the write says why if it fails).
        if matches!(compare(out, path, text), Ok(FileState::UpToDate)) {
            written.unchanged += 1;
            continue;
        }
        write_atomically(&target, text.as_bytes())?;
        written.changed.push(path.clone());
    }
    for path in previous.into_iter().filter(|path| !produced(path)) {
        let target = out.join(&path);
        match std::fs::remove_file(&target) {
            Ok(()) => {
                remove_empty_parents(out, &target);
                written.removed.push(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(with_path(e, &target)),
        }
    }
    let final_manifest = final_manifest.as_bytes();
    if manifest_before.as_deref() == Some(final_manifest) {
        // Then no file was untracked, and no interim manifest was written.
        written.unchanged += 1;
    } else {
        write_atomically(&manifest, final_manifest)?;
        written.changed.push(MANIFEST.to_string());
    }
    written.changed.sort();
    Ok(written)
}

/// The temporary file `write_atomically` writes beside `target`: `.<name>.limitkb-<pid>.tmp`.
fn temporary_path(target: &Path, pid: u32) -> PathBuf {
    let name = target
        .file_name()
        .expect("artifact paths name a file")
        .to_string_lossy();
    target.with_file_name(format!(".{name}.limitkb-{pid}.tmp"))
}

/// Removes the temporary files that a run stopped while writing (killed, or the machine
/// down) left beside the files it was replacing. They are limitkb's by their name
/// (`.<name>.limitkb-<pid>.tmp` beside a file it generates or generated); one whose process
/// still runs belongs to a run writing right now and stays.
fn remove_stale_temporaries<'a>(out: &Path, paths: impl Iterator<Item = &'a String>) {
    let mut by_dir: std::collections::BTreeMap<PathBuf, std::collections::BTreeSet<String>> =
        std::collections::BTreeMap::new();
    for path in paths {
        let target = out.join(path);
        if let (Some(dir), Some(name)) = (target.parent(), target.file_name()) {
            by_dir
                .entry(dir.to_path_buf())
                .or_default()
                .insert(name.to_string_lossy().into_owned());
        }
    }
    for (dir, names) in by_dir {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some((file, pid)) = name
                .strip_prefix('.')
                .and_then(|rest| rest.strip_suffix(".tmp"))
                .and_then(|rest| rest.rsplit_once(".limitkb-"))
            else {
                continue;
            };
            let Ok(pid) = pid.parse::<u32>() else {
                continue;
            };
            if names.contains(file)
                && entry.file_type().is_ok_and(|t| t.is_file())
                && !is_running(pid, &entry.path())
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Whether the process `pid` (which wrote `temporary`) may still be writing: on Linux,
/// whether it runs; elsewhere, whether the file changed in the last hour.
fn is_running(pid: u32, temporary: &Path) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    std::fs::metadata(temporary)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| modified.elapsed().ok())
        .is_none_or(|age| age < std::time::Duration::from_secs(3600))
}

fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().expect("artifact paths have a parent");
    std::fs::create_dir_all(dir).map_err(|e| {
        let blocked = dir
            .ancestors()
            .find(|a| a.exists() && !a.is_dir())
            .map(|file| format!(" ({} is a file, not a directory)", file.display()))
            .unwrap_or_default();
        std::io::Error::new(
            e.kind(),
            format!(
                "cannot create the directory {}: {e}{blocked}",
                dir.display()
            ),
        )
    })?;
    let temporary = temporary_path(target, std::process::id());
    let result = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result.map_err(|e| {
        std::io::Error::new(e.kind(), format!("cannot write {}: {e}", target.display()))
    })
}

/// Removes the directories above `file` that are now empty, up to (not including) `out`.
fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(current) = dir {
        if current == out || std::fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}

fn with_path(e: std::io::Error, path: &Path) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

/// The hint printed with a drift: what to run.
pub fn regenerate_hint() -> String {
    format!("generated files are out of date; run `{REGENERATE}` and commit the result")
}
