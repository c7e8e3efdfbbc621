//! Loading a knowledge base: read the data files, parse them with positions, validate them
//! against the generated data schemas, deserialize them into the model, then lint the model.
//! Every stage reports all of its problems at once; a later stage runs only on clean input.

mod catalog;
mod lint;
mod source;

pub use catalog::{Catalog, CatalogError, KbEntry, SelectError};
pub use source::DataSource;

use crate::diagnostic::{self, Diagnostic};
use crate::document::{Document, Syntax};
use crate::fast_hash::Map;
use crate::model::{CategorizedLimitation, Kb, KbFile, LimitationsFile};
use crate::parallel;
use crate::schema::{self, SchemaValidator};
use serde::de::DeserializeOwned;
use std::fmt;

/// Why a knowledge base did not load.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    /// Every problem found, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the input could not be read at all (exit code 2) rather than being wrong (1).
    pub unreadable: bool,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.diagnostics {
            writeln!(f, "{d}")?;
        }
        write!(f, "{} problem(s) in the data", self.diagnostics.len())
    }
}

impl std::error::Error for LoadError {}

/// Loads, validates and lints the knowledge base in `source`.
pub fn load(source: &DataSource) -> Result<Kb, LoadError> {
    if let DataSource::Dir(dir) = source
        && !dir.is_dir()
    {
        return Err(LoadError {
            diagnostics: vec![Diagnostic::file_level(
                dir.display().to_string(),
                if dir.exists() {
                    "this is not a directory; pass --data DIR with a directory holding kb.toml"
                } else {
                    "the data directory does not exist; pass --data DIR with a directory holding kb.toml"
                },
            )],
            unreadable: true,
        });
    }
    let mut diagnostics = Vec::new();
    let mut unreadable = false;
    let read = |relative: &str, diagnostics: &mut Vec<Diagnostic>, unreadable: &mut bool| {
        source
            .read(relative)
            .map_err(|e| {
                *unreadable = true;
                diagnostics.push(e.diagnostic(source.display(relative), e.to_string()));
            })
            .ok()
    };

    let (kb_validator, limitations_validator) = data_validators();

    let kb_text = read("kb.toml", &mut diagnostics, &mut unreadable);
    let kb_file: Option<(KbFile, Document)> = kb_text.and_then(|text| {
        parse_file(
            &source.display("kb.toml"),
            text,
            kb_validator,
            &mut diagnostics,
        )
    });

    let category_files = match source.limitation_files() {
        Ok(files) => files,
        Err(e) => {
            unreadable = true;
            diagnostics.push(Diagnostic::file_level(
                source.display("limitations"),
                format!("cannot list the category files: {e}"),
            ));
            Vec::new()
        }
    };
    // Each file is read, parsed and validated on its own, on every core if there is enough
    // data to be worth it; their diagnostics are merged in file order.
    let bytes: u64 = category_files.iter().map(|f| source.len(f)).sum();
    let parallel = bytes >= parallel::PARALLEL_FROM_BYTES;
    let parsed = parallel::map(&category_files, parallel, |relative| {
        let mut file_diagnostics = Vec::new();
        let mut file_unreadable = false;
        let text = read(relative, &mut file_diagnostics, &mut file_unreadable);
        let stem = relative
            .trim_start_matches("limitations/")
            .trim_end_matches(".toml");
        let category = text.and_then(|text| {
            parse_file::<LimitationsFile>(
                &source.display(relative),
                text,
                limitations_validator,
                &mut file_diagnostics,
            )
            .map(|(file, doc)| (stem.to_string(), file, doc))
        });
        (category, file_diagnostics, file_unreadable)
    });
    let mut categories: Vec<(String, LimitationsFile, Document)> = Vec::new();
    for (category, file_diagnostics, file_unreadable) in parsed {
        categories.extend(category);
        diagnostics.extend(file_diagnostics);
        unreadable |= file_unreadable;
    }

    let Some((meta, kb_doc)) = kb_file else {
        return Err(finish(diagnostics, unreadable));
    };
    if !diagnostics.is_empty() {
        return Err(finish(diagnostics, unreadable));
    }

    // Order limitations as the categories are declared; files of unknown categories go last
    // (the lint reports them). A map, not a search per file: a knowledge base may have
    // thousands of categories.
    let positions: Map<&str, usize> = meta
        .categories
        .iter()
        .enumerate()
        .rev() // the first of duplicate ids wins (the lint reports duplicates)
        .map(|(position, c)| (c.id.as_str(), position))
        .collect();
    categories
        .sort_by_key(|(stem, _, _)| positions.get(stem.as_str()).copied().unwrap_or(usize::MAX));
    let mut documents = vec![kb_doc];
    let mut limitations = Vec::new();
    let mut limitation_origins = Vec::new();
    for (stem, file, doc) in categories {
        for (index, limitation) in file.limitations.into_iter().enumerate() {
            limitation_origins.push((documents.len(), format!("/limitation/{index}")));
            limitations.push(CategorizedLimitation {
                category: stem.clone(),
                limitation,
            });
        }
        documents.push(doc);
    }
    let kb = Kb { meta, limitations };
    let documents_with_copies = std::iter::once(("/source".to_string(), &kb.meta.source)).chain(
        kb.meta
            .other_sources
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("/other_source/{i}"), d)),
    );
    let source_copies = documents_with_copies
        .filter_map(|(pointer, document)| {
            let copy = document.copy.as_ref()?;
            Some(lint::SourceCopy {
                id: document.id.clone().filter(|_| pointer != "/source"),
                pointer: format!("{pointer}/copy"),
                display: source.display(copy),
                text: source.read(copy),
            })
        })
        .collect();
    let mut diagnostics = lint::lint(&lint::Input {
        kb: &kb,
        documents: &documents,
        origins: &limitation_origins,
        source_copies,
    });
    if diagnostics.is_empty() {
        Ok(kb)
    } else {
        diagnostic::sort(&mut diagnostics);
        Err(LoadError {
            diagnostics,
            unreadable: false,
        })
    }
}

fn finish(mut diagnostics: Vec<Diagnostic>, unreadable: bool) -> LoadError {
    diagnostic::sort(&mut diagnostics);
    LoadError {
        diagnostics,
        unreadable,
    }
}

/// Parses one data file, validates it, and deserializes it; problems go to `diagnostics`.
fn parse_file<T: DeserializeOwned>(
    file: &str,
    text: String,
    validator: &SchemaValidator,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(T, Document)> {
    let mut doc = match Document::parse(file, text, Syntax::Toml) {
        Ok(doc) => doc,
        Err(d) => {
            diagnostics.push(*d);
            return None;
        }
    };
    let errors = validator.errors(&doc);
    if !errors.is_empty() {
        diagnostics.extend(errors);
        return None;
    }
    // The JSON tree moves into the model: the document keeps what locating a problem needs.
    match T::deserialize(std::mem::take(&mut doc.value)) {
        Ok(value) => Some((value, doc)),
        Err(e) => {
            diagnostics.push(doc.diagnostic("", format!("does not fit the data model: {e}")));
            None
        }
    }
}

/// The compiled data schemas, built once per process: they depend only on the model types, and
/// compiling them is most of the cost of loading a small knowledge base.
fn data_validators() -> &'static (SchemaValidator, SchemaValidator) {
    static VALIDATORS: std::sync::OnceLock<(SchemaValidator, SchemaValidator)> =
        std::sync::OnceLock::new();
    VALIDATORS.get_or_init(|| {
        (
            SchemaValidator::new(schema::kb_schema().clone()),
            SchemaValidator::new(schema::limitations_schema().clone()),
        )
    })
}
