//! Loading a knowledge base: read the data files, parse them with positions, validate them
//! against the generated data schemas, deserialize them into the model, then lint the model.
//! Every stage reports all of its problems at once; a later stage runs only on clean input.

use crate::diagnostic::{self, Diagnostic};
use crate::document::{Document, Syntax};
use crate::lint;
use crate::model::{CategorizedLimitation, Kb, KbFile, LimitationsFile};
use crate::schema;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;
use std::fmt;
use std::path::{Path, PathBuf};

/// The largest data file limitkb reads: far above any real one, low enough that a stray huge
/// file fails fast instead of exhausting memory.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Where a knowledge base's files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    /// A data directory: `kb.toml` and `limitations/*.toml`.
    Dir(PathBuf),
    /// The knowledge base compiled into this binary.
    Embedded,
    /// Files held in memory, as `(path relative to the data directory, bytes)`: `kb.toml` and
    /// `limitations/<category>.toml` (for tests, fuzzing and build scripts).
    Memory(Vec<(String, Vec<u8>)>),
}

impl DataSource {
    /// `./data` when it exists, else the embedded knowledge base.
    pub fn default_for_cwd() -> DataSource {
        let dir = PathBuf::from("data");
        if dir.join("kb.toml").is_file() {
            DataSource::Dir(dir)
        } else {
            DataSource::Embedded
        }
    }

    /// The name a user reads for the data file at `relative`.
    pub fn display(&self, relative: &str) -> String {
        match self {
            DataSource::Dir(dir) => dir.join(relative).display().to_string(),
            DataSource::Embedded => format!("<embedded data>/{relative}"),
            DataSource::Memory(_) => format!("<memory>/{relative}"),
        }
    }

    /// The text of the data file at `relative` (a leading byte order mark is dropped).
    pub fn read(&self, relative: &str) -> Result<String, String> {
        self.read_located(relative).map_err(|(message, _)| message)
    }

    /// The size of a data file in bytes, 0 if it cannot be known.
    fn len(&self, relative: &str) -> u64 {
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
            DataSource::Embedded => crate::embedded::DATA
                .iter()
                .find(|(name, _)| *name == relative)
                .map(|(_, text)| text.as_bytes()),
            DataSource::Memory(files) => files
                .iter()
                .find(|(name, _)| name == relative)
                .map(|(_, bytes)| bytes.as_slice()),
        }
    }

    /// Like [`DataSource::read`]; a failure carries the line and column of the problem when
    /// it has one (the first byte that is not UTF-8).
    fn read_located(&self, relative: &str) -> Result<String, (String, Option<(usize, usize)>)> {
        let bytes = match self {
            DataSource::Dir(dir) => {
                read_limited(&dir.join(relative)).map_err(|message| (message, None))?
            }
            DataSource::Embedded => self
                .in_memory(relative)
                .ok_or_else(|| ("no such file in the embedded data".to_string(), None))?
                .to_vec(),
            DataSource::Memory(_) => {
                let bytes = self
                    .in_memory(relative)
                    .ok_or_else(|| ("no such file".to_string(), None))?;
                if bytes.len() as u64 > MAX_FILE_BYTES {
                    return Err((too_large(bytes.len() as u64), None));
                }
                bytes.to_vec()
            }
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let before = String::from_utf8_lossy(&e.as_bytes()[..valid]);
            let before = before.strip_prefix('\u{feff}').unwrap_or(&before);
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let position = (
                before.matches('\n').count() + 1,
                before[line_start..].chars().count() + 1,
            );
            (
                format!("not valid UTF-8 here (byte offset {valid}); save the file as UTF-8"),
                Some(position),
            )
        })?;
        Ok(text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text))
    }

    /// Calls `visit` with the name (relative to the data directory) and content of every file
    /// of the source, in a stable order: the files loading reads and any others beside them,
    /// which is what a fingerprint of the data needs. Fails if a file cannot be read.
    pub fn visit_files(&self, mut visit: impl FnMut(&str, &[u8])) -> std::io::Result<()> {
        match self {
            DataSource::Dir(dir) => {
                for path in crate::render::input_paths(dir)? {
                    if path.is_file() {
                        let relative = path.strip_prefix(dir).unwrap_or(&path);
                        visit(&relative.to_string_lossy(), &std::fs::read(&path)?);
                    }
                }
            }
            DataSource::Embedded => {
                for (name, text) in crate::embedded::DATA {
                    visit(name, text.as_bytes());
                }
            }
            DataSource::Memory(files) => {
                for (name, bytes) in files {
                    visit(name, bytes);
                }
            }
        }
        Ok(())
    }

    /// The category files, `limitations/*.toml`, sorted.
    fn limitation_files(&self) -> Result<Vec<String>, String> {
        let mut files: Vec<String> = match self {
            DataSource::Dir(dir) => {
                let entries = std::fs::read_dir(dir.join("limitations"))
                    .map_err(|e| format!("cannot list the category files: {e}"))?;
                let mut names = Vec::new();
                for entry in entries {
                    let entry =
                        entry.map_err(|e| format!("cannot list the category files: {e}"))?;
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if name.ends_with(".toml") {
                        names.push(format!("limitations/{name}"));
                    }
                }
                names
            }
            DataSource::Embedded => crate::embedded::DATA
                .iter()
                .map(|(name, _)| name.to_string())
                .filter(|name| name.starts_with("limitations/") && name.ends_with(".toml"))
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

fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let metadata = std::fs::metadata(path).map_err(|e| io_message(&e))?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large(metadata.len()));
    }
    std::fs::read(path).map_err(|e| io_message(&e))
}

fn too_large(len: u64) -> String {
    format!("the file has {len} bytes; limitkb reads data files of at most {MAX_FILE_BYTES} bytes")
}

/// Whether a path relative to the data directory names a category file,
/// `limitations/<stem>.toml` (directly in `limitations/`).
fn is_category_file(name: &str) -> bool {
    name.strip_prefix("limitations/")
        .and_then(|rest| rest.strip_suffix(".toml"))
        .is_some_and(|stem| !stem.contains('/'))
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        _ => format!("cannot read it: {e}"),
    }
}

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

/// A loaded knowledge base, with the parsed documents it came from, for locating things: their
/// texts and positions (their `value`s have moved into the model and are `null`).
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The knowledge base.
    pub kb: Kb,
    /// `kb.toml`, then the category files in order.
    pub documents: Vec<Document>,
}

/// Loads, validates and lints the knowledge base in `source`.
pub fn load(source: &DataSource) -> Result<Loaded, LoadError> {
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
    let read =
        |relative: &str, diagnostics: &mut Vec<Diagnostic>, unreadable: &mut bool| match source
            .read_located(relative)
        {
            Ok(text) => Some(text),
            Err((message, position)) => {
                *unreadable = true;
                let mut d = Diagnostic::file_level(source.display(relative), message);
                if let Some((line, column)) = position {
                    d.line = Some(line);
                    d.column = Some(column);
                }
                diagnostics.push(d);
                None
            }
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
        Err(message) => {
            unreadable = true;
            diagnostics.push(Diagnostic::file_level(
                source.display("limitations"),
                message,
            ));
            Vec::new()
        }
    };
    // Each file is read, parsed and validated on its own, on every core if there is enough
    // data to be worth it; their diagnostics are merged in file order.
    let bytes: u64 = category_files.iter().map(|f| source.len(f)).sum();
    let parallel = bytes >= crate::parallel::PARALLEL_FROM_BYTES;
    let parsed = crate::parallel::map(&category_files, parallel, |relative| {
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
    let positions: crate::fast_hash::Map<&str, usize> = meta
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
    let loaded = Loaded {
        kb: Kb { meta, limitations },
        documents,
    };

    let mut diagnostics = lint::lint(&loaded, &limitation_origins, source);
    if diagnostics.is_empty() {
        Ok(loaded)
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
            SchemaValidator::new(schema::kb_schema()),
            SchemaValidator::new(schema::limitations_schema()),
        )
    })
}

/// A generated draft-07 schema, compiled.
pub struct SchemaValidator {
    schema: Json,
    validator: jsonschema::Validator,
}

impl SchemaValidator {
    /// Compiles `schema`; the schemas are generated by this crate, so failing to compile one
    /// is a bug here, not a user error.
    pub fn new(schema: Json) -> SchemaValidator {
        let validator =
            jsonschema::draft7::new(&schema).expect("generated schemas are valid draft-07");
        SchemaValidator { schema, validator }
    }

    /// The schema.
    pub fn schema(&self) -> &Json {
        &self.schema
    }

    /// Every schema violation in `doc`, each at the position of the value (or unknown key) it
    /// concerns, with a message that says what was expected.
    pub fn errors(&self, doc: &Document) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for error in self.validator.iter_errors(&doc.value) {
            self.explain(doc, &error, &mut out);
        }
        out
    }

    fn explain(
        &self,
        doc: &Document,
        error: &jsonschema::ValidationError<'_>,
        out: &mut Vec<Diagnostic>,
    ) {
        use jsonschema::error::ValidationErrorKind as Kind;
        let pointer = error.instance_path().as_str().to_string();
        match error.kind() {
            Kind::AdditionalProperties { unexpected } => {
                let known = self.known_properties(error);
                for key in unexpected {
                    let child = format!("{pointer}/{}", crate::document::escape_pointer(key));
                    out.push(doc.diagnostic(&child, unknown_key_message(key, &known)));
                }
            }
            Kind::OneOfNotValid { context } | Kind::AnyOf { context } => {
                // A tagged variant (`kind = "range"`) is chosen by its tag: explain the branch
                // whose tag matched, rather than every branch.
                let tag_ok = |branch: &&Vec<jsonschema::ValidationError<'static>>| {
                    !branch.is_empty()
                        && !branch.iter().any(|e| {
                            let path = e.instance_path().as_str();
                            path == format!("{pointer}/kind")
                                || (path == pointer
                                    && !matches!(
                                        e.kind(),
                                        Kind::AdditionalProperties { .. } | Kind::Required { .. }
                                    ))
                        })
                };
                let chosen: Vec<_> = context.iter().filter(tag_ok).collect();
                let tag = format!("{pointer}/kind");
                let tags: Vec<String> = context
                    .iter()
                    .flat_map(|branch| branch.iter())
                    .filter(|e| e.instance_path().as_str() == tag)
                    .filter_map(|e| match e.kind() {
                        Kind::Constant { expected_value } => Some(expected_value.to_string()),
                        _ => None,
                    })
                    .collect();
                if !tags.is_empty() && tags.len() == context.len() {
                    let found = error
                        .instance()
                        .get("kind")
                        .map_or_else(|| "nothing".into(), short);
                    out.push(doc.value_diagnostic(
                        &tag,
                        format!("{found} is not a kind; expected one of {}", tags.join(", ")),
                    ));
                } else if let [branch] = chosen.as_slice() {
                    for e in branch.iter() {
                        self.explain(doc, e, out);
                    }
                } else {
                    let expected = expected_description(error);
                    out.push(doc.value_diagnostic(
                        &pointer,
                        format!("{} is not valid here: {expected}", short(error.instance())),
                    ));
                }
            }
            Kind::Required { property } => {
                let name = property.as_str().unwrap_or_default();
                out.push(doc.value_diagnostic(&pointer, format!("missing required key `{name}`")));
            }
            _ => {
                // The validator's message quotes the whole instance, which can be a whole
                // document (a root of the wrong type): quote it shortened.
                let instance = error.instance().to_string();
                let message = error
                    .to_string()
                    .replacen(&instance, &short(error.instance()), 1);
                let mut d = doc.value_diagnostic(&pointer, message);
                d.limitation = self.limitation_of(error.schema_path().as_str());
                out.push(d);
            }
        }
    }

    /// The limitation named (by `x-limitation`) on the innermost subschema along a failing
    /// keyword's schema path, if any.
    fn limitation_of(&self, schema_path: &str) -> Option<String> {
        let mut node = &self.schema;
        let mut found = None;
        for segment in schema_path.split('/').skip(1) {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            node = match node {
                Json::Object(o) => o.get(&segment)?,
                Json::Array(a) => a.get(segment.parse::<usize>().ok()?)?,
                _ => return found,
            };
            if let Some(id) = node.get(schema::LIMITATION_KEYWORD).and_then(Json::as_str) {
                found = Some(id.to_string());
            }
        }
        found
    }

    /// The keys allowed in the object an `additionalProperties` error is about, for "did you
    /// mean": the `properties` beside the failing keyword.
    fn known_properties(&self, error: &jsonschema::ValidationError<'_>) -> Vec<String> {
        let keyword = error.schema_path().as_str();
        let parent = keyword.rsplit_once('/').map_or("", |(parent, _)| parent);
        let properties = self.schema.pointer(&format!("{parent}/properties"));
        let mut known: Vec<String> = properties
            .and_then(Json::as_object)
            .map(|p| p.keys().filter(|k| !k.starts_with('$')).cloned().collect())
            .unwrap_or_default();
        known.sort();
        known
    }
}

/// The instance, shortened for a message.
pub(crate) fn short(value: &Json) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

fn expected_description(error: &jsonschema::ValidationError<'_>) -> String {
    use jsonschema::error::ValidationErrorKind as Kind;
    let mut branches = Vec::new();
    if let Kind::OneOfNotValid { context } | Kind::AnyOf { context } = error.kind() {
        for branch in context {
            for e in branch {
                if e.instance_path().as_str() == error.instance_path().as_str() {
                    branches.push(e.to_string());
                }
            }
        }
    }
    branches.dedup();
    if branches.is_empty() {
        "it matches none of the allowed forms".into()
    } else {
        format!(
            "it matches none of the allowed forms ({})",
            branches.join("; ")
        )
    }
}

/// "unknown key `prot`; did you mean `port`?" when a known key is close.
pub fn unknown_key_message(key: &str, known: &[String]) -> String {
    match closest(key, known) {
        Some(candidate) => format!("unknown key `{key}`; did you mean `{candidate}`?"),
        None if known.is_empty() => format!("unknown key `{key}`"),
        None => format!(
            "unknown key `{key}`; the keys allowed here are: {}",
            known.join(", ")
        ),
    }
}

/// The candidate nearest to `word` by edit distance, when it is near enough to be a typo.
pub fn closest<'a>(word: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(distance, c)| *distance <= (c.chars().count().max(3) / 3).max(1))
        .min()
        .map(|(_, c)| c.as_str())
}

/// Edit distance in characters, counting a swap of two neighbours as one edit (the most
/// common typo: `prot` for `port`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_a_suggestion() {
        let known: Vec<String> = ["port", "capacity", "rds_proxy"].map(String::from).to_vec();
        assert_eq!(closest("prot", &known), Some("port"));
        assert_eq!(closest("capcity", &known), Some("capacity"));
        assert_eq!(closest("rds_proxi", &known), Some("rds_proxy"));
        assert_eq!(closest("colour", &known), None);
    }
}
