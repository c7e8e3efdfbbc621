//! The knowledge bases one data directory, or the binary, holds, and which of them a command
//! means.
//!
//! A data directory is either one knowledge base (it holds `kb.toml`) or a directory of them
//! (`data/<id>/kb.toml`, one directory per knowledge base). Nothing is guessed: when a command
//! is not told which knowledge base it means and more than one could apply, [`Catalog::select`]
//! says which there are.

use super::source::{DataSource, embedded_files};
use std::path::{Path, PathBuf};

/// The file that makes a directory a knowledge base.
const KB_FILE: &str = "kb.toml";

/// One knowledge base of a [`Catalog`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbEntry {
    /// Its id: the `id` its `kb.toml` declares, or its directory's name when that cannot be
    /// read (loading it then says why).
    pub id: String,
    /// Where its files are.
    pub source: DataSource,
}

impl KbEntry {
    /// Where its data is, as a user reads it in a banner or a message: `data/aurora-x/`.
    pub fn location(&self) -> String {
        match &self.source {
            DataSource::Dir(dir) => format!("{}/", dir.display().to_string().trim_end_matches('/')),
            DataSource::Embedded(id) => format!("the limitkb binary ({id})"),
            DataSource::Memory(_) => format!("memory ({})", self.id),
        }
    }
}

/// The knowledge bases of one data directory or of the binary, sorted by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    entries: Vec<KbEntry>,
    location: String,
}

/// Why no single knowledge base could be chosen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// The id asked for is not among them.
    #[error("there is no knowledge base `{id}` in {location}; it holds: {}", ids.join(", "))]
    Unknown {
        /// The id asked for.
        id: String,
        /// The ids there are.
        ids: Vec<String>,
        /// Where they are.
        location: String,
    },
    /// None was named and several could apply.
    #[error("{location} holds {} knowledge bases ({}), and which one is meant is not said", ids.len(), ids.join(", "))]
    Ambiguous {
        /// The ids there are.
        ids: Vec<String>,
        /// Where they are.
        location: String,
    },
}

/// Why a data directory is not a catalog.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// It could not be listed.
    #[error("cannot list the knowledge bases in {}: {source}", dir.display())]
    Unreadable {
        /// The directory.
        dir: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Two of its knowledge bases declare one id.
    #[error("{} and {} both declare the knowledge base id `{id}`; ids must differ (each names an output directory)", first.display(), second.display())]
    DuplicateId {
        /// The id.
        id: String,
        /// The first directory declaring it.
        first: PathBuf,
        /// The second.
        second: PathBuf,
    },
}

impl Catalog {
    /// The knowledge bases compiled into this binary (`data/<id>/` of its repository).
    pub fn embedded() -> Catalog {
        let mut ids: Vec<&str> = crate::embedded::DATA
            .iter()
            .filter_map(|(name, _)| name.strip_suffix(KB_FILE)?.strip_suffix('/'))
            .filter(|dir| !dir.contains('/'))
            .collect();
        ids.sort_unstable();
        let entries = ids
            .into_iter()
            .map(|dir| {
                let declared = embedded_files(dir)
                    .find(|(name, _)| *name == KB_FILE)
                    .and_then(|(_, text)| declared_id(text));
                KbEntry {
                    id: declared.unwrap_or_else(|| dir.to_string()),
                    source: DataSource::Embedded(dir.to_string()),
                }
            })
            .collect();
        Catalog {
            entries,
            location: "the limitkb binary".to_string(),
        }
    }

    /// The knowledge bases in `dir`: `dir` itself when it holds `kb.toml` (or does not exist,
    /// so that loading it says so), else each subdirectory that holds one. A directory with
    /// neither is one knowledge base that lacks its `kb.toml`, which loading reports.
    pub fn from_dir(dir: &Path) -> Result<Catalog, CatalogError> {
        let location = format!("{}/", dir.display().to_string().trim_end_matches('/'));
        let single = |dir: &Path| Catalog {
            entries: vec![dir_entry(dir)],
            location: location.clone(),
        };
        if dir.join(KB_FILE).is_file() || !dir.is_dir() {
            return Ok(single(dir));
        }
        let unreadable = |source| CatalogError::Unreadable {
            dir: dir.to_path_buf(),
            source,
        };
        let mut entries: Vec<(KbEntry, PathBuf)> = Vec::new();
        for child in std::fs::read_dir(dir).map_err(unreadable)? {
            let path = child.map_err(unreadable)?.path();
            if path.join(KB_FILE).is_file() {
                entries.push((dir_entry(&path), path));
            }
        }
        if entries.is_empty() {
            return Ok(single(dir));
        }
        entries.sort_by(|a, b| (&a.0.id, &a.1).cmp(&(&b.0.id, &b.1)));
        if let Some(pair) = entries.windows(2).find(|pair| pair[0].0.id == pair[1].0.id) {
            return Err(CatalogError::DuplicateId {
                id: pair[0].0.id.clone(),
                first: pair[0].1.clone(),
                second: pair[1].1.clone(),
            });
        }
        Ok(Catalog {
            entries: entries.into_iter().map(|(entry, _)| entry).collect(),
            location,
        })
    }

    /// The knowledge bases in `./data` when it holds any (`data/kb.toml` or `data/<id>/kb.toml`),
    /// else those built into the binary.
    pub fn default_for_cwd() -> Result<Catalog, CatalogError> {
        let dir = Path::new("data");
        let catalog = Catalog::from_dir(dir)?;
        let holds_any = dir.join(KB_FILE).is_file()
            || catalog
                .entries
                .iter()
                .any(|e| e.source != DataSource::Dir(dir.to_path_buf()));
        Ok(if holds_any {
            catalog
        } else {
            Catalog::embedded()
        })
    }

    /// Its knowledge bases, sorted by id.
    pub fn entries(&self) -> &[KbEntry] {
        &self.entries
    }

    /// Where they are, as a user reads it: `data/`, or "the limitkb binary".
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The knowledge base `kb`, or the only one when `kb` is `None`.
    pub fn select(&self, kb: Option<&str>) -> Result<&KbEntry, SelectError> {
        let ids = || self.entries.iter().map(|e| e.id.clone()).collect();
        match kb {
            Some(id) => {
                self.entries
                    .iter()
                    .find(|e| e.id == id)
                    .ok_or_else(|| SelectError::Unknown {
                        id: id.to_string(),
                        ids: ids(),
                        location: self.location.clone(),
                    })
            }
            None => match self.entries.as_slice() {
                [only] => Ok(only),
                _ => Err(SelectError::Ambiguous {
                    ids: ids(),
                    location: self.location.clone(),
                }),
            },
        }
    }

    /// The knowledge base a schema reference names (a spec's `#:schema` line or `$schema`
    /// key, a path or a URL): the last of its path segments that is a knowledge base's id,
    /// or starts with one and a dot (`aurora-x.cluster.schema.json`).
    ///
    /// ```
    /// let catalog = limitkb::Catalog::embedded();
    /// let named = catalog.named_in("../generated/aurora-serverless-v2/schema/cluster.schema.json");
    /// assert_eq!(named.map(|e| e.id.as_str()), Some("aurora-serverless-v2"));
    /// let named = catalog.named_in("./aurora-serverless-v2-preview.cluster.schema.json");
    /// assert_eq!(named.map(|e| e.id.as_str()), Some("aurora-serverless-v2-preview"));
    /// assert!(catalog.named_in("./cluster.schema.json").is_none());
    /// ```
    pub fn named_in(&self, reference: &str) -> Option<&KbEntry> {
        reference.rsplit(['/', '\\', '#', '?']).find_map(|segment| {
            self.entries.iter().find(|e| {
                segment == e.id
                    || segment
                        .strip_prefix(e.id.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            })
        })
    }
}

/// The entry of the knowledge base in `dir`.
fn dir_entry(dir: &Path) -> KbEntry {
    let declared = std::fs::read_to_string(dir.join(KB_FILE))
        .ok()
        .and_then(|text| declared_id(&text));
    let name = || {
        dir.file_name().map_or_else(
            || dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    KbEntry {
        id: declared.unwrap_or_else(name),
        source: DataSource::Dir(dir.to_path_buf()),
    }
}

/// The `id` a `kb.toml` declares, if it parses and has one.
fn declared_id(kb_toml: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Declared {
        id: String,
    }
    toml::from_str::<Declared>(kb_toml).ok().map(|d| d.id)
}
