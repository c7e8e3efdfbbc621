//! `generate` and `generate --check` as one unit, for the CLI and build scripts alike: the
//! artifacts are rendered and written, or compared with the output directory one by one as
//! they are rendered (so they are never all in memory).
//!
//! ```
//! use limitkb::generate::{Comparison, Generation};
//! use limitkb::{Banner, DataSource, Templates};
//!
//! let out = std::env::temp_dir().join(format!("limitkb-doc-gen-{}", std::process::id()));
//! let kb = limitkb::load(&DataSource::Embedded)?;
//! let templates = Templates::embedded();
//! let generation = Generation::new(&templates, &out, Banner::default());
//! assert!(matches!(generation.compare(&kb)?, Comparison::Drift(_)), "nothing generated yet");
//!
//! let written = generation.write(&kb)?;
//! assert!(written.changed.contains(&"rust/src/lib.rs".to_string()));
//! assert!(matches!(generation.compare(&kb)?, Comparison::UpToDate { .. }));
//! # std::fs::remove_dir_all(&out)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::model::Kb;
use crate::output::{self, Drift, Written};
use crate::render::{self, Banner, RenderError, Templates};
use std::path::Path;

/// One output directory generated with one template set.
#[derive(Debug)]
pub struct Generation<'a> {
    templates: &'a Templates,
    out: &'a Path,
    banner: Banner,
}

/// What [`Generation::compare`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    /// The output directory holds exactly the artifacts and their manifest.
    UpToDate {
        /// How many files that is, the manifest included.
        files: usize,
    },
    /// How it differs.
    Drift(Drift),
}

/// Why a generation failed.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// A template failed: nothing was written.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The output directory could not be read or written.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl<'a> Generation<'a> {
    /// A generation of `out` with `templates`, every file carrying `banner`.
    pub fn new(templates: &'a Templates, out: &'a Path, banner: Banner) -> Generation<'a> {
        Generation {
            templates,
            out,
            banner,
        }
    }

    /// Renders every artifact of `kb` and compares each with the output directory as soon as
    /// it is rendered, writing nothing there (`generate --check`).
    pub fn compare(&self, kb: &Kb) -> Result<Comparison, GenerateError> {
        let compared = render::render_each(kb, self.templates, &self.banner, |path, text| {
            let state = output::compare(self.out, &path, &text);
            (path, state)
        })?;
        let states = compared
            .into_iter()
            .map(|(path, state)| Ok((path, state?)))
            .collect::<std::io::Result<Vec<_>>>()?;
        let files = states.len() + 1;
        let drift = output::drift_of_states(self.out, states)?;
        Ok(if drift.is_empty() {
            Comparison::UpToDate { files }
        } else {
            Comparison::Drift(drift)
        })
    }

    /// Renders every artifact of `kb` and writes them (see [`output::write`]).
    pub fn write(&self, kb: &Kb) -> Result<Written, GenerateError> {
        let artifacts = render::render_all(kb, self.templates, &self.banner)?;
        Ok(output::write(self.out, &artifacts)?)
    }
}
