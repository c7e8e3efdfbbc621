//! `generate` and `generate --check` as one unit, for the CLI and build scripts alike: the
//! artifacts of one or more knowledge bases are rendered and written, or compared with the
//! output directory one by one as they are rendered (so they are never all in memory).
//!
//! The output directory holds one tree per knowledge base, `<kb id>/` (its schemas, bundle
//! and packages), and one site per target that has site templates (`docs/`: the site's own
//! files, and each knowledge base's part in `docs/<kb id>/`).
//!
//! ```
//! use limitkb::generate::{Comparison, Generation};
//! use limitkb::{Banner, Catalog, Templates};
//!
//! let out = std::env::temp_dir().join(format!("limitkb-doc-gen-{}", std::process::id()));
//! let catalog = Catalog::embedded();
//! let kbs = catalog
//!     .entries()
//!     .iter()
//!     .map(|entry| limitkb::load(&entry.source))
//!     .collect::<Result<Vec<_>, _>>()?;
//! let templates = Templates::embedded();
//! let mut generation = Generation::new(&templates, &out);
//! for kb in &kbs {
//!     generation.add(kb, Banner::default());
//! }
//! generation.add_site(Banner::site("data/", "limitkb generate"));
//! assert!(matches!(generation.compare()?, Comparison::Drift(_)), "nothing generated yet");
//!
//! let written = generation.write()?;
//! assert!(written.changed.contains(&"aurora-serverless-v2/rust/src/lib.rs".to_string()));
//! assert!(written.changed.contains(&"docs/aurora-serverless-v2/capacity.md".to_string()));
//! assert!(written.changed.contains(&"docs/SUMMARY.md".to_string()));
//! assert!(matches!(generation.compare()?, Comparison::UpToDate { .. }));
//! # std::fs::remove_dir_all(&out)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::model::Kb;
use crate::output::{self, Drift, Owned, Written};
use crate::render::{self, Artifacts, Banner, RenderError, Templates};
use std::path::Path;

/// One output directory generated with one template set, from the knowledge bases added.
#[derive(Debug)]
pub struct Generation<'a> {
    templates: &'a Templates,
    out: &'a Path,
    kbs: Vec<(&'a Kb, Banner)>,
    site: Option<Banner>,
    /// The targets whose artifacts are parts of a site.
    site_targets: Vec<&'a str>,
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
    /// A generation of `out` with `templates`, of no knowledge base yet.
    pub fn new(templates: &'a Templates, out: &'a Path) -> Generation<'a> {
        Generation {
            templates,
            out,
            kbs: Vec::new(),
            site: None,
            site_targets: templates.site_targets(),
        }
    }

    /// Adds `kb`, its files carrying `banner`.
    pub fn add(&mut self, kb: &'a Kb, banner: Banner) -> &mut Self {
        self.kbs.push((kb, banner));
        self
    }

    /// Adds the sites' own files (rendered from every knowledge base added), carrying
    /// `banner`. The generation then owns the whole output directory: a file a previous run
    /// generated that it does not produce is removed. Without the sites, it owns only the
    /// trees and site parts of the knowledge bases added, and leaves the rest as it is.
    pub fn add_site(&mut self, banner: Banner) -> &mut Self {
        self.site = Some(banner);
        self
    }

    /// Renders every artifact and compares each with the output directory as soon as it is
    /// rendered, writing nothing there (`generate --check`).
    pub fn compare(&self) -> Result<Comparison, GenerateError> {
        let mut states = Vec::new();
        for (kb, banner) in &self.kbs {
            let compared = render::render_each(kb, self.templates, banner, |path, text| {
                let path = self.place(&kb.meta.id, &path);
                let state = output::compare(self.out, &path, &text);
                (path, state)
            })?;
            for (path, state) in compared {
                states.push((path, state?));
            }
        }
        for (path, text) in self.site_artifacts()? {
            let state = output::compare(self.out, &path, &text)?;
            states.push((path, state));
        }
        let files = states.len() + 1;
        let drift = output::drift_of_states(self.out, states, &self.owned())?;
        Ok(if drift.is_empty() {
            Comparison::UpToDate { files }
        } else {
            Comparison::Drift(drift)
        })
    }

    /// Renders every artifact and writes them (see [`output::write`]).
    pub fn write(&self) -> Result<Written, GenerateError> {
        let mut artifacts = self.site_artifacts()?;
        for (kb, banner) in &self.kbs {
            let rendered = render::render_all(kb, self.templates, banner)?;
            artifacts.extend(
                rendered
                    .into_iter()
                    .map(|(path, text)| (self.place(&kb.meta.id, &path), text)),
            );
        }
        Ok(output::write_owned(self.out, &artifacts, &self.owned())?)
    }

    /// Where the artifact at `path` of knowledge base `kb` goes: in its site's directory when
    /// its target has a site (`docs/<kb>/capacity.md`), else in the knowledge base's tree
    /// (`<kb>/rust/src/lib.rs`).
    fn place(&self, kb: &str, path: &str) -> String {
        let (target, rest) = path.split_once('/').unwrap_or((path, ""));
        if self.site_targets.contains(&target) {
            format!("{target}/{kb}/{rest}")
        } else {
            format!("{kb}/{path}")
        }
    }

    fn site_artifacts(&self) -> Result<Artifacts, RenderError> {
        match &self.site {
            Some(banner) => {
                let kbs: Vec<&Kb> = self.kbs.iter().map(|(kb, _)| *kb).collect();
                render::render_site(&kbs, self.templates, banner)
            }
            None => Ok(Artifacts::new()),
        }
    }

    fn owned(&self) -> Owned {
        if self.site.is_some() {
            return Owned::All;
        }
        let sites = &self.site_targets;
        Owned::Under(
            self.kbs
                .iter()
                .flat_map(|(kb, _)| {
                    let id = &kb.meta.id;
                    std::iter::once(id.clone())
                        .chain(sites.iter().map(move |s| format!("{s}/{id}")))
                })
                .collect(),
        )
    }
}
