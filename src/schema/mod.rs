//! The JSON Schemas (draft-07): of the two kinds of data file, generated from the model types
//! ([`kb_schema`], [`limitations_schema`]), and of a cluster spec, generated from a knowledge
//! base's parameters and constraints ([`cluster_schema`]); and the validator that reports a
//! document's violations of one as diagnostics.

mod cluster;
mod validator;

pub use cluster::cluster_schema;
pub(crate) use validator::SchemaValidator;

use crate::model::{KbFile, LimitationsFile};
use schemars::{JsonSchema, generate::SchemaSettings, transform::RestrictFormats};
use serde_json::Value as Json;

/// The draft-07 meta-schema URI, which Taplo, VS Code and ajv all understand.
pub const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

/// The keyword that names, on a constraint's subschema, the limitation it enforces.
pub const LIMITATION_KEYWORD: &str = "x-limitation";

/// The schema of `kb.toml`.
pub fn kb_schema() -> &'static Json {
    static SCHEMA: std::sync::OnceLock<Json> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(model_schema::<KbFile>)
}

/// The schema of `limitations/<category>.toml`.
pub fn limitations_schema() -> &'static Json {
    static SCHEMA: std::sync::OnceLock<Json> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(model_schema::<LimitationsFile>)
}

/// The schema of a model type. schemars marks Rust integer widths with `format` (`int64`,
/// `double`…), which are no draft-07 formats: strict validators such as ajv reject them, so
/// only the formats draft-07 defines are kept.
fn model_schema<T: JsonSchema>() -> Json {
    SchemaSettings::draft07()
        .with_transform(RestrictFormats::default())
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}
