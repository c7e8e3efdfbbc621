//! Checking cluster specs (a user's planned cluster, TOML or JSON) against a knowledge base:
//! the generated cluster schema decides everything draft-07 can express, so `check` and any
//! schema validator agree; the rules beyond draft-07 (a range's min <= max, a version floor)
//! run in code (`rules.rs`).

pub mod input;
mod rules;

pub use input::{Input, Options};

use crate::diagnostic::{self, Diagnostic, Severity};
use crate::document::{Document, Syntax};
use crate::fast_hash::Map as HashMap;
use crate::files::{self, ReadError};
use crate::load::{Catalog, KbEntry, SelectError};
use crate::model::{Constraint, Index, InputFormat, Kb, Parameter, ParameterType, Scalar, Value};
use crate::pointer;
use crate::schema::{self, SchemaValidator};
use crate::text;
use std::path::Path;

/// The schema a cluster spec names for itself, if any: a TOML file's `#:schema` directive (in
/// the comments it starts with, as taplo reads it), a YAML file's `# yaml-language-server:
/// $schema=…` comment, a JSON file's top-level `"$schema"`. It
/// can tell which knowledge base the spec is for ([`crate::Catalog::named_in`]).
///
/// ```
/// use limitkb::check::schema_reference;
///
/// let toml = "#:schema ../generated/aurora-x/schema/cluster.schema.json\nregion = \"a\"\n";
/// assert_eq!(
///     schema_reference("spec.toml", toml).as_deref(),
///     Some("../generated/aurora-x/schema/cluster.schema.json")
/// );
/// let json = r#"{"$schema": "https://example.com/aurora-x/cluster.schema.json", "port": 1}"#;
/// assert!(schema_reference("spec.json", json).unwrap().contains("aurora-x"));
/// assert_eq!(schema_reference("spec.toml", "region = \"a\"\n#:schema late.json\n"), None);
/// ```
pub fn schema_reference(file: &str, text: &str) -> Option<String> {
    match Syntax::of_file(file) {
        Syntax::Json => {
            #[derive(serde::Deserialize)]
            struct Named {
                #[serde(rename = "$schema")]
                schema: Option<String>,
            }
            serde_json::from_str::<Named>(text).ok()?.schema
        }
        // taplo's directive in TOML; the YAML language server's in YAML. HCL names none.
        Syntax::Hcl => None,
        Syntax::Toml | Syntax::Yaml => text
            .trim_start_matches('\u{feff}')
            .lines()
            .map(str::trim)
            .take_while(|line| line.is_empty() || line.starts_with('#'))
            .find_map(|line| {
                line.strip_prefix("#:schema")
                    .or_else(|| line.strip_prefix("# yaml-language-server: $schema="))
            })
            .map(|rest| rest.trim().to_string())
            .filter(|reference| !reference.is_empty()),
    }
}

/// A Terraform configuration read for checking: the `.tf` files of a directory and the
/// variable files that set its variables, in the order Terraform reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Configuration {
    /// The directory, as the user named it.
    pub dir: String,
    /// Its `.tf` files.
    pub files: Vec<SpecFile>,
    /// `terraform.tfvars`, then the `*.auto.tfvars` in name order, then the files given (a
    /// later one wins).
    pub tfvars: Vec<SpecFile>,
}

impl Configuration {
    /// Reads the configuration in `dir`, with the variable files `var_files` (`-var-file`)
    /// after the ones Terraform loads by itself.
    pub fn read(dir: &str, var_files: &[String]) -> std::io::Result<Configuration> {
        let mut tf = Vec::new();
        let mut auto = Vec::new();
        let mut default_vars = None;
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if !path.is_file() {
                continue;
            }
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            // Named as the user would name it: `main.tf` in the current directory.
            let shown = match dir {
                "." | "./" => name.to_string(),
                _ => Path::new(dir).join(name).to_string_lossy().into_owned(),
            };
            if name.ends_with(".tf") {
                tf.push(shown);
            } else if name == "terraform.tfvars" {
                default_vars = Some(shown);
            } else if name.ends_with(".auto.tfvars") {
                auto.push(shown);
            }
        }
        tf.sort();
        auto.sort();
        let tfvars = default_vars
            .into_iter()
            .chain(auto)
            .chain(var_files.iter().cloned());
        Ok(Configuration {
            dir: dir.to_string(),
            files: tf.iter().map(|f| SpecFile::read(f)).collect(),
            tfvars: tfvars.map(|f| SpecFile::read(&f)).collect(),
        })
    }
}

/// A cluster spec read for checking: its text, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecFile {
    /// The file as the user named it.
    pub file: String,
    /// Its text.
    pub text: Result<String, ReadError>,
}

impl SpecFile {
    /// Reads the spec at `path` (see [`files::read_text`]).
    pub fn read(path: &str) -> SpecFile {
        SpecFile {
            file: path.to_string(),
            text: files::read_text(Path::new(path)),
        }
    }

    /// The knowledge base of `catalog` the spec is to be checked against: `kb` when it is
    /// given, else the one the spec's schema reference names ([`schema_reference`]), else the
    /// catalog's only one. Several, and none named: the error lists them.
    pub fn knowledge_base<'c>(
        &self,
        catalog: &'c Catalog,
        kb: Option<&str>,
    ) -> Result<&'c KbEntry, SelectError> {
        if kb.is_none()
            && let Ok(text) = &self.text
            && let Some(named) =
                schema_reference(&self.file, text).and_then(|r| catalog.named_in(&r))
        {
            return Ok(named);
        }
        catalog.select(kb)
    }

    /// The report of a spec that could not be read (whichever knowledge base it is for), or
    /// `None` if it was read.
    pub fn read_failure(&self) -> Option<FileReport> {
        let e = self.text.as_ref().err()?;
        Some(FileReport {
            diagnostics: vec![e.diagnostic(&self.file, format!("cannot read the file: {e}"))],
            unreadable: true,
        })
    }
}

/// The syntax of a file to check: by its extension (`.json`, `.yaml`/`.yml`, `.toml`), else
/// by its content (a template saved as `.template`): JSON if it starts with `{`, YAML if it
/// has a template's top-level keys, else TOML.
fn syntax_of(file: &str, text: &str) -> Syntax {
    let lower = file.to_ascii_lowercase();
    let extension = lower.rsplit_once('.').map_or("", |(_, e)| e);
    match extension {
        "json" => Syntax::Json,
        "yaml" | "yml" => Syntax::Yaml,
        "toml" => Syntax::Toml,
        _ if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{') =>
        {
            Syntax::Json
        }
        _ if text
            .lines()
            .any(|l| l.starts_with("Resources:") || l.starts_with("AWSTemplateFormatVersion:")) =>
        {
            Syntax::Yaml
        }
        _ => Syntax::of_file(file),
    }
}

/// `d` placed at the key of its value (a resource's logical id) rather than the value.
fn at_key(doc: &Document, d: Diagnostic) -> Diagnostic {
    let mut moved = doc.diagnostic(&d.path, d.message.clone());
    moved.limitation = d.limitation;
    moved.help = d.help;
    moved.note = d.note;
    moved.severity = d.severity;
    moved
}

/// The pointer in the file of the spec's `pointer`: its own origin, else its nearest
/// ancestor's.
fn origin_of(origins: &[(String, String)], pointer: &str) -> String {
    let mut current = pointer;
    loop {
        if let Some((_, origin)) = origins.iter().rev().find(|(p, _)| p == current) {
            return origin.clone();
        }
        match current.rfind('/') {
            Some(cut) => current = &current[..cut],
            None => return String::new(),
        }
    }
}

/// Checks cluster specs against one knowledge base.
pub struct Checker<'a> {
    kb: &'a Kb,
    index: Index<'a>,
    validator: SchemaValidator,
    summaries: HashMap<&'a str, &'a str>,
    /// The top-level keys of a cluster spec, to recognise one.
    spec_keys: Vec<String>,
}

/// The outcome of checking one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// Every problem, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the file could not be read or parsed (exit code 2).
    pub unreadable: bool,
}

impl<'a> Checker<'a> {
    /// A checker for `kb`, with its cluster schema compiled.
    pub fn new(kb: &'a Kb) -> Checker<'a> {
        let schema = schema::cluster_schema(kb);
        let spec_keys = schema["properties"]
            .as_object()
            .map(|properties| properties.keys().cloned().collect())
            .unwrap_or_default();
        Checker {
            kb,
            index: kb.index(),
            validator: SchemaValidator::new(schema),
            spec_keys,
            summaries: kb
                .limitations
                .iter()
                .map(|l| (l.limitation.id.as_str(), l.limitation.summary.as_str()))
                .collect(),
        }
    }

    /// Reads and checks the cluster spec at `path` (TOML, or JSON for `.json` files).
    pub fn check_path(&self, path: &str) -> FileReport {
        self.check_spec(SpecFile::read(path))
    }

    /// Checks a cluster spec read with [`SpecFile::read`].
    pub fn check_spec(&self, spec: SpecFile) -> FileReport {
        self.check_read(&spec.file, spec.text)
    }

    /// Checks a file read with [`SpecFile::read`] in the format `input` says: a cluster spec,
    /// or a file of a format the knowledge base maps (`[[input]]`), each cluster in it as a
    /// spec, with every problem at the value in the file.
    pub fn check_input(&self, spec: SpecFile, input: Input, options: &Options) -> FileReport {
        // Text given by a caller is held to the rules of a file read from disk, as
        // `check_text` holds it (its size, a byte order mark).
        let spec = SpecFile {
            text: spec.text.and_then(|text| files::text(text.into_bytes())),
            ..spec
        };
        let text = match spec.text {
            Ok(text) => text,
            Err(_) => return spec.read_failure().expect("not read"),
        };
        let syntax = syntax_of(&spec.file, &text);
        let doc = match Document::parse(&spec.file, text, syntax) {
            Ok(doc) => doc,
            Err(d) => {
                return FileReport {
                    diagnostics: vec![*d],
                    unreadable: true,
                };
            }
        };
        let input = match input {
            Input::Auto => match input::recognise(self.kb, &doc.value, &self.spec_keys) {
                Some(input) => input,
                None => {
                    return FileReport {
                        diagnostics: vec![doc.diagnostic(
                            "",
                            format!(
                                "limitkb does not read this kind of file: {}; name the format with --input to check it as one",
                                input::what_marks_any(self.kb, &self.spec_keys)
                            ),
                        )],
                        unreadable: true,
                    };
                }
            },
            chosen => chosen,
        };
        let format = match input {
            Input::Format(format) => format,
            Input::Plan => return self.check_plan(&doc, options),
            Input::Spec | Input::Auto => {
                return FileReport {
                    diagnostics: self.check_document(&doc),
                    unreadable: false,
                };
            }
        };
        if format == InputFormat::Terraform {
            // One `.tf` file named as a configuration: a configuration of that file alone.
            let file = doc.file.clone();
            return self.check_configuration(
                Configuration {
                    dir: file.clone(),
                    files: vec![SpecFile {
                        file,
                        text: Ok(doc.text().to_string()),
                    }],
                    tfvars: Vec::new(),
                },
                options,
            );
        }
        let Some(mapping) = input::mapping(self.kb, format) else {
            return FileReport {
                diagnostics: vec![Diagnostic::file_level(
                    &spec.file,
                    format!(
                        "this is a {} file, and knowledge base `{}` does not say how to read one (no [[input]] with format = \"{}\" in its kb.toml)",
                        format.name(),
                        self.kb.meta.id,
                        format.name()
                    ),
                )],
                unreadable: true,
            };
        };
        if !input::is_of(mapping, &doc.value) {
            return FileReport {
                diagnostics: vec![doc.diagnostic(
                    "",
                    format!(
                        "this is not a {} file: {}",
                        format.name(),
                        input::what_marks(mapping)
                    ),
                )],
                unreadable: true,
            };
        }
        let clusters = input::read(
            self.kb,
            mapping,
            &doc.value,
            &|p| doc.value_text(p),
            options,
        );
        let mut diagnostics = Vec::new();
        for cluster in &clusters {
            diagnostics.extend(self.check_cluster(&doc, cluster));
        }
        diagnostic::sort(&mut diagnostics);
        diagnostics.dedup();
        FileReport {
            diagnostics,
            unreadable: false,
        }
    }

    /// Checks a Terraform configuration: its `.tf` files and `.tfvars` as one document, each
    /// problem at the value in the file that writes it.
    pub fn check_configuration(&self, config: Configuration, options: &Options) -> FileReport {
        let mut parts = Vec::new();
        let mut failures = Vec::new();
        let tfvars: Vec<String> = config.tfvars.iter().map(|f| f.file.clone()).collect();
        for file in config.files.into_iter().chain(config.tfvars) {
            match file.read_failure() {
                Some(report) => failures.extend(report.diagnostics),
                None => parts.push((file.file, file.text.expect("read"))),
            }
        }
        if !failures.is_empty() {
            return FileReport {
                diagnostics: failures,
                unreadable: true,
            };
        }
        if parts.is_empty() {
            return FileReport {
                diagnostics: vec![Diagnostic::file_level(
                    &config.dir,
                    "no `.tf` file here: a Terraform configuration is a directory of `.tf` files",
                )],
                unreadable: true,
            };
        }
        let doc = match Document::parse_files(&config.dir, parts, Syntax::Hcl) {
            Ok(doc) => doc,
            Err(d) => {
                return FileReport {
                    diagnostics: vec![*d],
                    unreadable: true,
                };
            }
        };
        let resources = input::terraform::configuration(&doc.value, &tfvars);
        self.check_resources(&doc, resources, options)
    }

    /// Checks a Terraform plan: its resources as a configuration's, each problem named by the
    /// resource's address and the attribute (a plan has no positions a person reads).
    fn check_plan(&self, doc: &Document, options: &Options) -> FileReport {
        if let Some(why) = input::terraform::unsupported_plan(&doc.value) {
            return FileReport {
                diagnostics: vec![doc.value_diagnostic("/format_version", why)],
                unreadable: true,
            };
        }
        let resources = input::terraform::plan(&doc.value);
        let mut report = self.check_resources(doc, resources, options);
        for d in &mut report.diagnostics {
            d.line = None;
            d.column = None;
            d.excerpt = None;
        }
        report
    }

    /// Checks Terraform resources (of a configuration or a plan) with the knowledge base's
    /// `terraform` mapping; each diagnostic names the resource's address and the attribute.
    fn check_resources(
        &self,
        doc: &Document,
        resources: input::terraform::Resources,
        options: &Options,
    ) -> FileReport {
        let Some(mapping) = input::mapping(self.kb, InputFormat::Terraform) else {
            return FileReport {
                diagnostics: vec![Diagnostic::file_level(
                    &doc.file,
                    format!(
                        "this is Terraform, and knowledge base `{}` does not say how to read it (no [[input]] with format = \"terraform\" in its kb.toml)",
                        self.kb.meta.id
                    ),
                )],
                unreadable: true,
            };
        };
        let view = doc.derived(resources.template, &resources.origins);
        let clusters = input::read(
            self.kb,
            mapping,
            &view.value,
            &|p| view.value_text(p),
            options,
        );
        // A resource's own notes (its `count` unknown) count only for the types the mapping
        // reads.
        let read_types: Vec<&str> = std::iter::once(mapping.cluster.as_str())
            .chain(mapping.field.iter().filter_map(|f| f.resource.as_deref()))
            .collect();
        let mut diagnostics: Vec<Diagnostic> = resources
            .notes
            .iter()
            .filter(|(_, path, _)| {
                path.split('.')
                    .next()
                    .is_some_and(|kind| read_types.contains(&kind))
            })
            .map(|(pointer, path, why)| Diagnostic {
                path: path.clone(),
                address: path
                    .rsplit_once('.')
                    .map(|(address, _)| address.to_string()),
                ..doc
                    .value_diagnostic(pointer, why.clone())
                    .with_severity(Severity::Note)
            })
            .collect();
        for cluster in &clusters {
            for mut d in self.check_cluster(&view, cluster) {
                let segments: Vec<String> = pointer::segments(&d.path).collect();
                if let [_, address, rest @ ..] = segments.as_slice() {
                    let address = address.clone();
                    let attribute: Vec<&String> = rest.iter().skip(1).collect();
                    let attribute = diagnostic::display_path(
                        &attribute
                            .iter()
                            .map(|s| format!("/{}", pointer::escape_key(s)))
                            .collect::<String>(),
                    );
                    d.path = match attribute.is_empty() {
                        true => address.clone(),
                        false => format!("{address}.{attribute}"),
                    };
                    d.address = Some(address);
                }
                diagnostics.push(d);
            }
        }
        diagnostic::sort(&mut diagnostics);
        diagnostics.dedup();
        FileReport {
            diagnostics,
            unreadable: false,
        }
    }

    /// Every variant of `cluster` checked as a spec, its problems placed in the file; a problem
    /// of some variants only says which choices make them.
    fn check_cluster(&self, doc: &Document, cluster: &input::Cluster) -> Vec<Diagnostic> {
        let mut found: Vec<(Diagnostic, Vec<usize>)> = Vec::new();
        for (number, variant) in cluster.variants.iter().enumerate() {
            let derived = doc.derived(variant.spec.clone(), &variant.origins);
            for mut d in self.check_document(&derived) {
                d.path = origin_of(&variant.origins, &d.path);
                d.message = format!("cluster `{}`: {}", cluster.name, d.message);
                if input::is_resource(&d.path) {
                    d = at_key(doc, d);
                }
                match found.iter_mut().find(|(known, _)| *known == d) {
                    Some((_, variants)) => variants.push(number),
                    None => found.push((d, vec![number])),
                }
            }
        }
        let all = cluster.variants.len();
        let mut out: Vec<Diagnostic> = found
            .into_iter()
            .map(|(mut d, variants)| {
                if variants.len() < all {
                    let common: Vec<&String> = cluster.variants[variants[0]]
                        .choices
                        .iter()
                        .filter(|c| {
                            variants
                                .iter()
                                .all(|&v| cluster.variants[v].choices.contains(c))
                        })
                        .collect();
                    d.message.push_str(&match common.as_slice() {
                        [] => " (in some of the ways it may be deployed)".to_string(),
                        _ => format!(
                            " (when {})",
                            common
                                .iter()
                                .map(|c| c.as_str())
                                .collect::<Vec<_>>()
                                .join(" and ")
                        ),
                    });
                }
                d
            })
            .collect();
        for (pointer, why) in &cluster.unverified {
            let d = match input::at_key(pointer) {
                true => doc.diagnostic(pointer, why.clone()),
                false => doc.value_diagnostic(pointer, why.clone()),
            };
            out.push(d.with_severity(Severity::Note));
        }
        out
    }

    /// Checks a cluster spec given as text; `file` names it in diagnostics and picks the
    /// syntax (JSON for `.json`, else TOML). The text is held to the rules of a file read
    /// from disk (its size, a byte order mark).
    pub fn check_text(&self, file: &str, text: String) -> FileReport {
        self.check_read(file, files::text(text.into_bytes()))
    }

    fn check_read(&self, file: &str, text: Result<String, ReadError>) -> FileReport {
        let text = match text {
            Ok(text) => text,
            Err(e) => {
                let spec = SpecFile {
                    file: file.to_string(),
                    text: Err(e),
                };
                return spec.read_failure().expect("not read");
            }
        };
        let doc = match Document::parse(file, text, Syntax::of_file(file)) {
            Ok(doc) => doc,
            Err(d) => {
                return FileReport {
                    diagnostics: vec![*d],
                    unreadable: true,
                };
            }
        };
        FileReport {
            diagnostics: self.check_document(&doc),
            unreadable: false,
        }
    }

    /// The problems of a parsed cluster spec, sorted.
    fn check_document(&self, doc: &Document) -> Vec<Diagnostic> {
        let mut diagnostics = self.validator.errors(doc);
        for d in &mut diagnostics {
            self.explain_limitation(doc, d);
        }
        drop_limitations_under_type_errors(&mut diagnostics);
        diagnostics.extend(self.range_order(doc));
        diagnostics.extend(self.version_floors(doc));
        diagnostic::sort(&mut diagnostics);
        diagnostics.dedup();
        diagnostics
    }

    /// Rewrites a violation of a limitation's constraint as a sentence: the value and what the
    /// constraint requires, with the limitation's summary as the note.
    fn explain_limitation(&self, doc: &Document, d: &mut Diagnostic) {
        let Some(id) = d.limitation.as_deref() else {
            return;
        };
        let shown = doc
            .value
            .pointer(&d.path)
            .map_or_else(String::new, text::short);
        let field = diagnostic::display_path(&d.path);
        let segments: Vec<String> = pointer::segments(&d.path).collect();
        let segment = |i: usize| segments.get(i).map(String::as_str);
        let requirement = match (segment(0), segment(1)) {
            (Some("features"), Some(feature)) => self.index.feature(feature).map(|f| {
                let condition = self
                    .applying(doc, feature, true, id)
                    .find_map(|c| c.when())
                    .map(|when| format!(" {}", text::condition_words(when)))
                    .unwrap_or_default();
                format!("it must be {}{condition}", text::unsupported_words(f))
            }),
            (Some(parameter), _) => {
                // A field of an object list: `/instance/0/class` is `instance.class`.
                let subject = match (self.index.parameter(parameter), segment(2)) {
                    (Some(p), Some(field)) if p.value_type == ParameterType::ObjectList => {
                        format!("{parameter}.{field}")
                    }
                    _ => parameter.to_string(),
                };
                self.index.parameter(&subject).and_then(|p| {
                    self.applying(doc, &subject, false, id)
                        .find_map(|c| self.words(doc, p, c))
                        .map(|words| format!("it must be {words}"))
                })
            }
            _ => None,
        };
        let requirement = requirement.unwrap_or_else(|| d.message.clone());
        d.message = match doc.value.pointer(&d.path) {
            Some(_) => format!("{field} = {shown} is not allowed: {requirement}"),
            None => format!("{field} is missing: {requirement}"),
        };
        d.note = self.summaries.get(id).map(|summary| summary.to_string());
    }

    /// What `constraint` on `parameter` requires of `doc`, in words: for a version table, what
    /// the row the spec picks allows.
    fn words(
        &self,
        doc: &Document,
        parameter: &Parameter,
        constraint: &Constraint,
    ) -> Option<String> {
        let Constraint::VersionTable {
            row,
            columns,
            rows,
            when,
            ..
        } = constraint
        else {
            return text::constraint_words(parameter, constraint);
        };
        let (key, cells) = rules::table_row(rows, row, &doc.value)?;
        let mut condition = when.clone().unwrap_or_default();
        condition.insert(row.clone(), Value::Scalar(Scalar::String(key.clone())));
        Some(format!(
            "{} {}",
            text::version_row_words(columns, cells),
            text::condition_words(&condition)
        ))
    }

    /// The constraints of `limitation` on a parameter (or a feature) that apply to `doc`:
    /// those without a condition, and those whose condition holds.
    fn applying<'s>(
        &'s self,
        doc: &'s Document,
        subject: &'s str,
        feature: bool,
        limitation: &'s str,
    ) -> impl Iterator<Item = &'a Constraint> + 's {
        self.index
            .constraints_on(subject, feature)
            .iter()
            .filter(move |(l, c)| {
                *l == limitation && c.when().is_none_or(|when| rules::holds(when, &doc.value))
            })
            .map(|(_, c)| *c)
    }
}

/// A value of the wrong type also fails its constraints; report only the type error.
fn drop_limitations_under_type_errors(diagnostics: &mut Vec<Diagnostic>) {
    let structural: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.limitation.is_none())
        .map(|d| d.path.clone())
        .collect();
    diagnostics.retain(|d| {
        d.limitation.is_none()
            || !structural
                .iter()
                .any(|p| d.path == *p || d.path.starts_with(&format!("{p}/")))
    });
}

#[cfg(test)]
mod tests {
    /// Found by the `yaml_document` fuzz target: a byte order mark in text given to
    /// `check_input` shifted every column by one.
    #[test]
    fn a_byte_order_mark_in_given_text_does_not_shift_columns() {
        let source = crate::DataSource::Embedded("aurora-serverless-v2".into());
        let kb = crate::load(&source).unwrap();
        let checker = super::Checker::new(&kb);
        let spec = super::SpecFile {
            file: "spec.yaml".to_string(),
            text: Ok("\u{feff}%/\u{fffd}:a".to_string()),
        };
        let report = checker.check_input(spec, super::Input::Auto, &super::Options::default());
        let d = &report.diagnostics[0];
        assert_eq!((d.line, d.column), (Some(1), Some(6)), "{d:?}");
    }
}
