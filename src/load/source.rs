//! Where a knowledge base's files come from: a directory, the binary, or memory.

use crate::files::{self, ReadError};
use std::path::PathBuf;

/// Where a knowledge base's files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    /// A data directory: `kb.toml` and `limitations/*.toml`.
    Dir(PathBuf),
    /// A knowledge base compiled into this binary: its directory under `data/`, which is its
    /// id (see [`crate::Catalog::embedded`]).
    Embedded(String),
    /// Files held in memory, as `(path relative to the data directory, bytes)`: `kb.toml` and
    /// `limitations/<category>.toml` (for tests, fuzzing and build scripts).
    Memory(Vec<(String, Vec<u8>)>),
}

impl DataSource {
    /// The name a user reads for the data file at `relative`.
    pub fn display(&self, relative: &str) -> String {
        match self {
            DataSource::Dir(dir) => dir.join(relative).display().to_string(),
            DataSource::Embedded(kb) => format!("<embedded data>/{kb}/{relative}"),
            DataSource::Memory(_) => format!("<memory>/{relative}"),
        }
    }

    /// The text of the data file at `relative` (see [`files::read_text`]).
    pub fn read(&self, relative: &str) -> Result<String, ReadError> {
        match self {
            DataSource::Dir(dir) => files::read_text(&dir.join(relative)),
            _ => files::text(
                self.in_memory(relative)
                    .ok_or(ReadError::NotFound)?
                    .to_vec(),
            ),
        }
    }

    /// The size of a data file in bytes, 0 if it cannot be known.
    pub(crate) fn len(&self, relative: &str) -> u64 {
        match self {
            DataSource::Dir(dir) => std::fs::metadata(dir.join(relative)).map_or(0, |m| m.len()),
            _ => self
                .in_memory(relative)
                .map_or(0, |bytes| bytes.len() as u64),
        }
    }

    /// A file of an embedded or in-memory source; `None` for a directory or no such file.
    fn in_memory(&self, relative: &str) -> Option<&[u8]> {
        match self {
            DataSource::Dir(_) => None,
            DataSource::Embedded(kb) => embedded_files(kb)
                .find(|(name, _)| *name == relative)
                .map(|(_, text)| text.as_bytes()),
            DataSource::Memory(files) => files
                .iter()
                .find(|(name, _)| name == relative)
                .map(|(_, bytes)| bytes.as_slice()),
        }
    }

    /// The category files, `limitations/*.toml`, sorted.
    pub(crate) fn limitation_files(&self) -> std::io::Result<Vec<String>> {
        let mut files: Vec<String> = match self {
            DataSource::Dir(dir) => {
                let mut names = Vec::new();
                for entry in std::fs::read_dir(dir.join("limitations"))? {
                    let name = entry?.file_name().to_string_lossy().into_owned();
                    if name.ends_with(".toml") {
                        names.push(format!("limitations/{name}"));
                    }
                }
                names
            }
            DataSource::Embedded(kb) => embedded_files(kb)
                .map(|(name, _)| name.to_string())
                .filter(|name| is_category_file(name))
                .collect(),
            DataSource::Memory(files) => files
                .iter()
                .map(|(name, _)| name.clone())
                .filter(|name| is_category_file(name))
                .collect(),
        };
        files.sort();
        Ok(files)
    }
}

/// The files of the embedded knowledge base `kb`, as (path relative to its directory, text).
pub(crate) fn embedded_files(kb: &str) -> impl Iterator<Item = (&'static str, &'static str)> {
    crate::embedded::DATA
        .iter()
        .filter_map(move |(name, text)| {
            name.strip_prefix(kb)
                .and_then(|rest| rest.strip_prefix('/'))
                .map(|relative| (relative, *text))
        })
}

/// Whether a path relative to the data directory names a category file,
/// `limitations/<stem>.toml` (directly in `limitations/`).
fn is_category_file(name: &str) -> bool {
    name.strip_prefix("limitations/")
        .and_then(|rest| rest.strip_suffix(".toml"))
        .is_some_and(|stem| !stem.contains('/'))
}
