//! A set of tera templates: one folder per target, a path placeholder for what renders once
//! per category or is named after the knowledge base, and a `<target>-site` folder for the
//! files of a site that gathers every knowledge base's part of that target.

use super::RenderError;
use crate::files::{self, ReadError};
use std::path::Path;

/// A set of templates: `(path relative to the templates root, text)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Templates {
    files: Vec<(String, String)>,
}

/// The suffix of template files; other files (a README) are not templates.
const TEMPLATE_SUFFIX: &str = ".tera";
/// A path segment that makes a template render once per category, named after it.
pub(super) const PER_CATEGORY: &str = "[category]";
/// A path segment that makes a template render once per input format (`[[input]]` of
/// `kb.toml`), named after it: `docs/input-[input].md.tera` makes `docs/input-cloudformation.md`.
pub(super) const PER_INPUT: &str = "[input]";
/// A part of a path that stands for the knowledge base's id in snake_case, a module name in
/// any language: `limitkb_[kb_module]` is the Python package `limitkb_aurora_serverless_v2`.
pub(super) const KB_MODULE: &str = "[kb_module]";
/// The suffix of a folder of site templates: `docs-site/` renders the files of the site whose
/// parts are each knowledge base's `docs` target, once for all knowledge bases.
const SITE_SUFFIX: &str = "-site";

impl Templates {
    /// The templates compiled into this binary.
    pub fn embedded() -> Templates {
        Templates::from_files(
            crate::embedded::TEMPLATES
                .iter()
                .map(|(name, text)| (name.to_string(), text.to_string()))
                .collect(),
        )
    }

    /// The templates under `dir` (files ending in `.tera`, at any depth).
    pub fn from_dir(dir: &Path) -> Result<Templates, RenderError> {
        let unreadable = |path: &Path, e: ReadError| RenderError::Unreadable {
            path: path.to_path_buf(),
            source: e,
        };
        let mut files = Vec::new();
        let paths = files::walk(dir).map_err(|e| unreadable(dir, ReadError::Io(e.to_string())))?;
        for path in paths {
            if !path.is_file() {
                continue;
            }
            let relative = path
                .strip_prefix(dir)
                .expect("below dir")
                .to_string_lossy()
                .replace('\\', "/");
            let text = files::read_text(&path).map_err(|e| unreadable(&path, e))?;
            files.push((relative, text));
        }
        Ok(Templates::from_files(files))
    }

    fn from_files(files: Vec<(String, String)>) -> Templates {
        let mut files: Vec<_> = files
            .into_iter()
            .filter(|(name, _)| name.ends_with(TEMPLATE_SUFFIX))
            .collect();
        files.sort();
        Templates { files }
    }

    /// The templates as `(name, text)`, sorted by name.
    pub fn files(&self) -> impl Iterator<Item = (&str, &str)> + Clone {
        self.files
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str()))
    }

    /// The templates rendered once per knowledge base, as `(name, text)`: all but the site
    /// templates.
    pub fn per_kb(&self) -> impl Iterator<Item = (&str, &str)> + Clone {
        self.files().filter(|(name, _)| site_of(name).is_none())
    }

    /// The site templates, as `(name, text)`: those in a `<target>-site` folder.
    pub fn per_site(&self) -> impl Iterator<Item = (&str, &str)> + Clone {
        self.files().filter(|(name, _)| site_of(name).is_some())
    }

    /// The targets these templates render for each knowledge base, sorted, each once: the
    /// first directory of each template (`rust` for `rust/src/lib.rs.tera`). The built-in
    /// targets ([`super::BUILT_IN_TARGETS`]) and the site folders are not among them.
    ///
    /// ```
    /// let templates = limitkb::Templates::embedded();
    /// assert_eq!(templates.targets(), ["docs", "python", "rust", "ts"]);
    /// ```
    pub fn targets(&self) -> Vec<&str> {
        sorted_unique(self.per_kb().map(|(name, _)| target_of(output_of(name))))
    }

    /// The targets that have a site: `docs` when there is a `docs-site` folder. Each knowledge
    /// base's artifacts of such a target are a part of its site.
    ///
    /// ```
    /// let templates = limitkb::Templates::embedded();
    /// assert_eq!(templates.site_targets(), ["docs"]);
    /// ```
    pub fn site_targets(&self) -> Vec<&str> {
        sorted_unique(self.per_site().filter_map(|(name, _)| site_of(name)))
    }
}

fn sorted_unique<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut names: Vec<&str> = names.collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The target whose site a template renders (`docs` for `docs-site/SUMMARY.md.tera`), if it
/// is a site template.
fn site_of(template: &str) -> Option<&str> {
    target_of(template).strip_suffix(SITE_SUFFIX)
}

/// The path a site template renders to: in its target's directory (`docs/SUMMARY.md` for
/// `docs-site/SUMMARY.md.tera`).
pub(super) fn site_output_of(template: &str) -> String {
    let output = output_of(template);
    let target = target_of(output);
    match target.strip_suffix(SITE_SUFFIX) {
        Some(site) => format!("{site}{}", &output[target.len()..]),
        None => output.to_string(),
    }
}

/// The path a template renders to, placeholders unexpanded: its name without `.tera`.
pub(super) fn output_of(template: &str) -> &str {
    template.trim_end_matches(TEMPLATE_SUFFIX)
}

/// The target of an artifact or template path: its first directory (or, for a file at the
/// root, its name).
pub(super) fn target_of(path: &str) -> &str {
    path.split('/').next().unwrap_or(path)
}
