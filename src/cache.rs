//! A local cache of work whose result depends only on its inputs, so that re-running limitkb on
//! unchanged data skips that work:
//!
//! - **rustfmt's output** for a rendered Rust file that needs rustfmt (a shape the layout
//!   filters leave to it), by the hash of the unformatted text and the formatter's name.
//! - **up-to-date outputs**: after a run that left an output directory up to date, the hash of
//!   every file it holds, by a fingerprint of everything the output depends on (this binary, the
//!   data files, the templates, the output directory, `RUSTFMT`). `generate --check` with the
//!   same fingerprint only hashes the files on disk, without loading or rendering.
//!
//! The cache is a directory on this machine (see [`Cache::user_default`]), never in the
//! repository: a fresh clone (a CI run) starts with none and does all the work, and a committed
//! file can never vouch for itself. Entries are written atomically, carry the hash of their
//! content (a damaged entry is a miss), and expire when unused for [`MAX_AGE`]; every cache error
//! is a miss, never a failure.

use crate::load::DataSource;
use crate::render::Templates;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use xxhash_rust::xxh3::{Xxh3, xxh3_128};

/// How long an unused entry is kept.
pub const MAX_AGE: Duration = Duration::from_secs(14 * 24 * 3600);
/// How many entries of one kind are kept at most (the least recently used go first).
const MAX_ENTRIES: usize = 64;
/// The first line of every entry: the format, then the hash of the rest.
const ENTRY_HEADER: &str = "limitkb-cache-1";

/// A cache directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    dir: PathBuf,
}

/// What an entry is: its subdirectory.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Rustfmt,
    UpToDate,
}

impl Kind {
    fn dir(self) -> &'static str {
        match self {
            Kind::Rustfmt => "rustfmt",
            Kind::UpToDate => "up-to-date",
        }
    }
}

impl Cache {
    /// A cache in `dir` (created when first written).
    pub fn at(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// The user's cache: `$LIMITKB_CACHE_DIR`, else `$XDG_CACHE_HOME/limitkb`, else
    /// `$HOME/.cache/limitkb` (on Windows `%LOCALAPPDATA%\limitkb`); `None` if none is set.
    pub fn user_default() -> Option<Cache> {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        var("LIMITKB_CACHE_DIR")
            .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("limitkb")))
            .or_else(|| var("HOME").map(|d| d.join(".cache/limitkb")))
            .or_else(|| var("LOCALAPPDATA").map(|d| d.join("limitkb")))
            .map(Cache::at)
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What `format` makes of `text`, from the cache or by running it (and then keeping the
    /// result). `formatter` names the formatter (part of the key); only successes are kept.
    pub fn formatted<E>(
        &self,
        formatter: &str,
        text: &str,
        format: impl FnOnce(&str) -> Result<String, E>,
    ) -> Result<String, E> {
        let key = hash_parts(&[formatter.as_bytes(), text.as_bytes()]);
        if let Some(formatted) = self
            .get(Kind::Rustfmt, key)
            .and_then(|bytes| String::from_utf8(bytes).ok())
        {
            return Ok(formatted);
        }
        let formatted = format(text)?;
        self.put(Kind::Rustfmt, key, formatted.as_bytes());
        Ok(formatted)
    }

    /// The number of files in `out` if a run with `inputs` left it up to date and every file
    /// there is still byte for byte what that run left (by hash); `None` otherwise.
    pub fn up_to_date(&self, inputs: &Fingerprint, out: &Path) -> Option<usize> {
        let record = String::from_utf8(self.get(Kind::UpToDate, inputs.0)?).ok()?;
        let mut files = 0;
        for line in record.lines() {
            let (path, hash) = line.split_once('\t')?;
            let bytes = std::fs::read(out.join(path)).ok()?;
            if format!("{:032x}", content_hash(&bytes)) != hash {
                return None;
            }
            files += 1;
        }
        (files > 0).then_some(files)
    }

    /// Records that a run with `inputs` left its output directory holding the artifacts whose
    /// [`content_hash`]es are `hashes` (by path), and their manifest.
    pub fn record_up_to_date(
        &self,
        inputs: &Fingerprint,
        hashes: impl IntoIterator<Item = (String, u128)>,
    ) {
        let mut hashes: Vec<(String, u128)> = hashes.into_iter().collect();
        hashes.sort_unstable();
        let manifest = crate::output::manifest_text(hashes.iter().map(|(path, _)| path));
        hashes.push((
            crate::output::MANIFEST.to_string(),
            content_hash(manifest.as_bytes()),
        ));
        let mut record = String::new();
        for (path, hash) in &hashes {
            record.push_str(&format!("{path}\t{hash:032x}\n"));
        }
        self.put(Kind::UpToDate, inputs.0, record.as_bytes());
    }

    fn entry_path(&self, kind: Kind, key: u128) -> PathBuf {
        self.dir.join(kind.dir()).join(format!("{key:032x}"))
    }

    /// An entry's content, if it is there and intact; a hit counts as a use (for expiry).
    fn get(&self, kind: Kind, key: u128) -> Option<Vec<u8>> {
        let path = self.entry_path(kind, key);
        let bytes = std::fs::read(&path).ok()?;
        let newline = bytes.iter().position(|&b| b == b'\n')?;
        let (header, body) = (&bytes[..newline], &bytes[newline + 1..]);
        if header != format!("{ENTRY_HEADER} {:032x}", xxh3_128(body)).as_bytes() {
            return None;
        }
        if let Ok(file) = std::fs::File::options().append(true).open(&path) {
            let _ = file.set_modified(SystemTime::now());
        }
        Some(body.to_vec())
    }

    /// Stores an entry (best effort), then drops expired and surplus entries of its kind.
    fn put(&self, kind: Kind, key: u128, body: &[u8]) {
        let dir = self.dir.join(kind.dir());
        if std::fs::create_dir_all(&dir).is_err() {
            return;
        }
        let path = self.entry_path(kind, key);
        // Unique per process and call: two runs, or two threads, may store the same entry.
        static STORES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let store = STORES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temporary = dir.join(format!(".{key:032x}.{}.{store}.tmp", std::process::id()));
        let mut entry = format!("{ENTRY_HEADER} {:032x}\n", xxh3_128(body)).into_bytes();
        entry.extend_from_slice(body);
        if std::fs::write(&temporary, &entry).is_err()
            || std::fs::rename(&temporary, &path).is_err()
        {
            let _ = std::fs::remove_file(&temporary);
            return;
        }
        evict(&dir, SystemTime::now());
    }
}

/// Removes the entries of `dir` unused for [`MAX_AGE`] at `now`, then the least recently used
/// beyond [`MAX_ENTRIES`].
fn evict(dir: &Path, now: SystemTime) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut kept: Vec<(SystemTime, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let Ok(used) = entry.metadata().and_then(|m| m.modified()) else {
            continue;
        };
        let path = entry.path();
        let expired = now.duration_since(used).is_ok_and(|age| age > MAX_AGE);
        // A temporary file left by a killed run is removed once it is an hour old.
        let stale_temporary = entry.file_name().to_string_lossy().starts_with('.')
            && now
                .duration_since(used)
                .is_ok_and(|age| age > Duration::from_secs(3600));
        if expired || stale_temporary {
            let _ = std::fs::remove_file(&path);
        } else if !entry.file_name().to_string_lossy().starts_with('.') {
            kept.push((used, path));
        }
    }
    if kept.len() > MAX_ENTRIES {
        kept.sort_unstable();
        for (_, path) in &kept[..kept.len() - MAX_ENTRIES] {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The hash the cache keeps of a generated file's content (128-bit xxh3: fast enough to hash
/// a large output directory in milliseconds, and wide enough that a changed file never passes
/// for the recorded one by chance).
pub fn content_hash(bytes: &[u8]) -> u128 {
    xxh3_128(bytes)
}

/// The hash of several byte strings.
fn hash_parts(parts: &[&[u8]]) -> u128 {
    let mut hasher = PartsHasher::default();
    for part in parts {
        hasher.add(part);
    }
    hasher.0.digest128()
}

/// Hashes a list of byte strings, each length-prefixed so that no two lists collide by moving
/// bytes between neighbours.
#[derive(Default)]
struct PartsHasher(Xxh3);

impl PartsHasher {
    fn add(&mut self, part: &[u8]) {
        self.0.update(&(part.len() as u64).to_le_bytes());
        self.0.update(part);
    }
}

/// A fingerprint of everything an output directory's content depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(u128);

impl Fingerprint {
    /// The fingerprint of rendering `source` with `templates` into `out` with this program:
    /// this executable (its path, size and modification time, so any rebuild changes it), the
    /// name and content of every file of the data, the templates, the output directory and the
    /// formatter (`RUSTFMT`). `None` if a data file cannot be read (then there is nothing to
    /// skip: loading reports it).
    pub fn of(source: &DataSource, templates: &Templates, out: &Path) -> Option<Fingerprint> {
        let mut hasher = PartsHasher::default();
        let mut add = |part: &[u8]| hasher.add(part);
        let exe = std::env::current_exe().ok()?;
        let metadata = std::fs::metadata(&exe).ok()?;
        let modified = metadata
            .modified()
            .ok()?
            .duration_since(SystemTime::UNIX_EPOCH)
            .ok()?;
        add(env!("CARGO_PKG_VERSION").as_bytes());
        add(exe.as_os_str().as_encoded_bytes());
        add(&metadata.len().to_le_bytes());
        add(&modified.as_nanos().to_le_bytes());
        let rustfmt = std::env::var_os("RUSTFMT").unwrap_or_default();
        add(rustfmt.as_encoded_bytes());
        let out = std::path::absolute(out).ok()?;
        add(out.as_os_str().as_encoded_bytes());
        source
            .visit_files(|name, bytes| {
                add(name.as_bytes());
                add(bytes);
            })
            .ok()?;
        for (name, text) in templates.files() {
            add(name.as_bytes());
            add(text.as_bytes());
        }
        Some(Fingerprint(hasher.0.digest128()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache() -> (tempfile::TempDir, Cache) {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path().join("cache"));
        (dir, cache)
    }

    #[test]
    fn a_formatted_text_is_computed_once_then_read_back() {
        let (_dir, cache) = cache();
        let runs = std::cell::Cell::new(0);
        let format = |text: &str| {
            runs.set(runs.get() + 1);
            Ok::<_, ()>(text.to_uppercase())
        };
        assert_eq!(cache.formatted("fmt", "abc", format), Ok("ABC".into()));
        assert_eq!(cache.formatted("fmt", "abc", format), Ok("ABC".into()));
        assert_eq!(runs.get(), 1);
        // Another formatter or another text is another entry.
        assert_eq!(cache.formatted("other", "abc", format), Ok("ABC".into()));
        assert_eq!(cache.formatted("fmt", "abd", format), Ok("ABD".into()));
        assert_eq!(runs.get(), 3);
        // Failures are not kept.
        assert_eq!(cache.formatted("fmt", "x", |_| Err::<String, _>(1)), Err(1));
        assert_eq!(cache.formatted("fmt", "x", |_| Err::<String, _>(2)), Err(2));
    }

    #[test]
    fn a_damaged_entry_is_a_miss() {
        let (_dir, cache) = cache();
        cache
            .formatted("fmt", "abc", |t| Ok::<_, ()>(t.to_uppercase()))
            .unwrap();
        let entry = cache.entry_path(Kind::Rustfmt, hash_parts(&[b"fmt", b"abc"]));
        let text = std::fs::read_to_string(&entry).unwrap();
        std::fs::write(&entry, text.replace("ABC", "ABX")).unwrap();
        let again = cache.formatted("fmt", "abc", |t| Ok::<_, ()>(format!("fresh {t}")));
        assert_eq!(again, Ok("fresh abc".into()));
    }

    #[test]
    fn an_unusable_cache_directory_only_costs_the_work() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        let cache = Cache::at(file.join("cache"));
        for _ in 0..2 {
            assert_eq!(
                cache.formatted("fmt", "abc", |t| Ok::<_, ()>(t.to_uppercase())),
                Ok("ABC".into())
            );
        }
    }

    use crate::render::Artifacts;

    #[test]
    fn up_to_date_holds_only_while_every_file_is_unchanged() {
        let (dir, cache) = cache();
        let out = dir.path().join("out");
        let files: Artifacts = [("a.txt", "one"), ("sub/b.txt", "two")]
            .into_iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        crate::output::write(&out, &files).unwrap();
        let inputs = Fingerprint(7);
        assert_eq!(
            cache.up_to_date(&inputs, &out),
            None,
            "nothing recorded yet"
        );
        let hashes = files
            .iter()
            .map(|(path, text)| (path.clone(), content_hash(text.as_bytes())));
        cache.record_up_to_date(&inputs, hashes);
        assert_eq!(
            cache.up_to_date(&inputs, &out),
            Some(3),
            "two files and the manifest"
        );
        assert_eq!(
            cache.up_to_date(&Fingerprint(8), &out),
            None,
            "other inputs"
        );
        std::fs::write(out.join("sub/b.txt"), "changed").unwrap();
        assert_eq!(cache.up_to_date(&inputs, &out), None, "a file changed");
        std::fs::write(out.join("sub/b.txt"), "two").unwrap();
        std::fs::remove_file(out.join("a.txt")).unwrap();
        assert_eq!(cache.up_to_date(&inputs, &out), None, "a file is missing");
    }

    #[test]
    fn the_fingerprint_changes_with_the_data_the_templates_and_the_output_directory() {
        let dir = tempfile::tempdir().unwrap();
        let data = |kb: &str| DataSource::Memory(vec![("kb.toml".into(), kb.as_bytes().to_vec())]);
        let templates = |text: &str| {
            std::fs::create_dir_all(dir.path().join("t/docs")).unwrap();
            std::fs::write(dir.path().join("t/docs/a.md.tera"), text).unwrap();
            Templates::from_dir(&dir.path().join("t")).unwrap()
        };
        let out = Path::new("out");
        let of = |data: &DataSource, templates: &Templates, out: &Path| {
            Fingerprint::of(data, templates, out).expect("a fingerprint")
        };
        let base = of(&data("a"), &templates("x"), out);
        assert_eq!(base, of(&data("a"), &templates("x"), out), "stable");
        assert_ne!(base, of(&data("b"), &templates("x"), out));
        assert_ne!(base, of(&data("a"), &templates("y"), out));
        assert_ne!(
            base,
            of(&data("a"), &templates("x"), Path::new("elsewhere"))
        );
        // Moving bytes between a name and its content is another input.
        let split = |name: &str, text: &str| {
            DataSource::Memory(vec![(name.into(), text.as_bytes().to_vec())])
        };
        assert_ne!(
            of(&split("kb.toml", "ab"), &templates("x"), out),
            of(&split("kb.tomla", "b"), &templates("x"), out)
        );
    }

    #[test]
    #[cfg(unix)]
    fn a_symbolic_link_to_an_ancestor_is_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(data.join("limitations")).unwrap();
        std::fs::write(data.join("kb.toml"), "a").unwrap();
        std::os::unix::fs::symlink(&data, data.join("limitations/loop")).unwrap();
        let source = DataSource::Dir(data.clone());
        let mut files = Vec::new();
        source
            .visit_files(|name, _| files.push(name.to_string()))
            .unwrap();
        assert_eq!(files, ["kb.toml"]);
        let templates = Templates::embedded();
        let before = Fingerprint::of(&source, &templates, Path::new("out")).unwrap();
        std::fs::write(data.join("kb.toml"), "b").unwrap();
        assert_ne!(
            before,
            Fingerprint::of(&source, &templates, Path::new("out")).unwrap()
        );
    }

    #[test]
    fn eviction_drops_expired_entries_then_the_least_recently_used() {
        let (_dir, cache) = cache();
        for i in 0..(MAX_ENTRIES as u128 + 10) {
            cache.put(Kind::Rustfmt, i, b"x");
        }
        let dir = cache.dir().join("rustfmt");
        let count = || std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(count(), MAX_ENTRIES);
        // Entries last used longer ago than MAX_AGE go at the next store.
        let later = SystemTime::now() + MAX_AGE + Duration::from_secs(60);
        evict(&dir, later);
        assert_eq!(count(), 0);
    }
}
