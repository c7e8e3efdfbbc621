//! `generate` and `generate --check` as one unit, for the CLI and build scripts alike: with a
//! [`Cache`], a check whose inputs are those of a run that left the output directory up to date
//! only hashes that directory; otherwise the artifacts are rendered and written, or compared
//! with the output directory one by one as they are rendered (so they are never all in memory).
//!
//! ```
//! use limitkb::generate::{Checked, Generation};
//! use limitkb::{Cache, DataSource, Templates};
//!
//! let scratch = std::env::temp_dir().join(format!("limitkb-doc-gen-{}", std::process::id()));
//! let (out, cache) = (scratch.join("out"), Cache::at(scratch.join("cache")));
//! let (source, templates) = (DataSource::Embedded, Templates::embedded());
//! let generation = Generation::new(&source, &templates, &out, Some(&cache));
//! assert_eq!(generation.up_to_date(), None, "nothing generated yet");
//!
//! let kb = limitkb::load(&source)?.kb;
//! let written = generation.write(&kb)?;
//! assert!(written.changed.contains(&"rust/src/lib.rs".to_string()));
//! assert!(matches!(generation.check(&kb)?, Checked::UpToDate { .. }));
//! // The next check with the same inputs need not load or render anything.
//! let again = Generation::new(&source, &templates, &out, Some(&cache));
//! assert_eq!(again.up_to_date(), Some(written.changed.len()));
//! # std::fs::remove_dir_all(&scratch)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::cache::{Cache, Fingerprint, content_hash};
use crate::load::DataSource;
use crate::model::Kb;
use crate::output::{self, Drift, Written};
use crate::render::{self, RenderError, Templates};
use std::fmt;
use std::path::Path;

/// One output directory generated from one data source with one template set.
#[derive(Debug)]
pub struct Generation<'a> {
    source: &'a DataSource,
    templates: &'a Templates,
    out: &'a Path,
    cache: Option<&'a Cache>,
    /// The inputs' fingerprint when this generation began (with a cache only).
    inputs: Option<Fingerprint>,
}

/// What [`Generation::check`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// The output directory holds exactly the artifacts and their manifest.
    UpToDate {
        /// How many files that is, the manifest included.
        files: usize,
    },
    /// How it differs.
    Drift(Drift),
}

/// Why a generation failed.
#[derive(Debug)]
pub enum GenerateError {
    /// A template failed: nothing was written.
    Render(RenderError),
    /// The output directory could not be read or written.
    Io(std::io::Error),
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenerateError::Render(e) => write!(f, "{e}"),
            GenerateError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for GenerateError {}

impl From<RenderError> for GenerateError {
    fn from(e: RenderError) -> Self {
        GenerateError::Render(e)
    }
}

impl From<std::io::Error> for GenerateError {
    fn from(e: std::io::Error) -> Self {
        GenerateError::Io(e)
    }
}

impl<'a> Generation<'a> {
    /// A generation of `out` from `source` with `templates`, using `cache` if given (its
    /// fingerprint of the inputs is taken now, before anything is loaded).
    pub fn new(
        source: &'a DataSource,
        templates: &'a Templates,
        out: &'a Path,
        cache: Option<&'a Cache>,
    ) -> Generation<'a> {
        let inputs = cache.and_then(|_| Fingerprint::of(source, templates, out));
        Generation {
            source,
            templates,
            out,
            cache,
            inputs,
        }
    }

    /// The number of files in the output directory, if a run with these same inputs left it
    /// up to date and every file there is still what that run left; then there is nothing to
    /// load, render or compare. Always `None` without a cache.
    pub fn up_to_date(&self) -> Option<usize> {
        self.cache?.up_to_date(self.inputs.as_ref()?, self.out)
    }

    /// Renders every artifact of `kb` (loaded from this generation's source) and compares each
    /// with the output directory as soon as it is rendered, writing nothing there.
    pub fn check(&self, kb: &Kb) -> Result<Checked, GenerateError> {
        // Hashed on the rendering threads, and only if there is a cache to remember them in.
        let remembers = self.remembers();
        let compared = render::render_each(kb, self.templates, self.cache, |path, text| {
            let state = output::compare(self.out, &path, &text);
            let hash = remembers.then(|| content_hash(text.as_bytes()));
            (path, state, hash)
        })?;
        let mut states = Vec::with_capacity(compared.len());
        let mut hashes = Vec::with_capacity(compared.len());
        for (path, state, hash) in compared {
            states.push((path.clone(), state?));
            hashes.extend(hash.map(|hash| (path, hash)));
        }
        let files = states.len() + 1;
        let drift = output::drift(self.out, states)?;
        if !drift.is_empty() {
            return Ok(Checked::Drift(drift));
        }
        self.remember(hashes);
        Ok(Checked::UpToDate { files })
    }

    /// Renders every artifact of `kb` (loaded from this generation's source) and writes them
    /// (see [`output::write`]).
    pub fn write(&self, kb: &Kb) -> Result<Written, GenerateError> {
        let artifacts = match self.cache {
            Some(cache) => render::render_cached(kb, self.templates, cache)?,
            None => render::render(kb, self.templates)?,
        };
        let written = output::write(self.out, &artifacts)?;
        if self.remembers() {
            self.remember(
                artifacts
                    .iter()
                    .map(|(path, text)| (path.clone(), content_hash(text.as_bytes())))
                    .collect(),
            );
        }
        Ok(written)
    }

    /// Whether a run can be recorded for the next [`Generation::up_to_date`]: there is a cache
    /// and the inputs' fingerprint was taken.
    fn remembers(&self) -> bool {
        self.cache.is_some() && self.inputs.is_some()
    }

    /// Records in the cache that the output directory now holds the artifacts with these
    /// hashes, for the next [`Generation::up_to_date`]; only if no input changed while this
    /// generation ran.
    fn remember(&self, hashes: Vec<(String, u128)>) {
        if let (Some(cache), Some(before)) = (self.cache, &self.inputs)
            && Fingerprint::of(self.source, self.templates, self.out).as_ref() == Some(before)
        {
            cache.record_up_to_date(before, hashes);
        }
    }
}
