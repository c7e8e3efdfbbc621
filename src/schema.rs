//! The JSON Schemas (draft-07): of the two kinds of data file, generated from the model types,
//! and of a cluster spec, generated from a knowledge base's parameters and constraints.

use crate::model::{
    Constraint, Feature, Index, Kb, KbFile, LimitationsFile, Number, Parameter, ParameterType,
    Scalar, Value,
};
use schemars::{JsonSchema, generate::SchemaSettings};
use serde_json::{Map, Value as Json, json};

/// The draft-07 meta-schema URI, which Taplo, VS Code and ajv all understand.
pub const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

/// The keyword that names, on a constraint's subschema, the limitation it enforces.
pub const LIMITATION_KEYWORD: &str = "x-limitation";

/// The schema of `kb.toml`.
pub fn kb_schema() -> Json {
    kb_schema_ref().clone()
}

/// The schema of `limitations/<category>.toml`.
pub fn limitations_schema() -> Json {
    limitations_schema_ref().clone()
}

/// [`kb_schema`], built once per process: loading compiles it and rendering writes it.
pub(crate) fn kb_schema_ref() -> &'static Json {
    static SCHEMA: std::sync::OnceLock<Json> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(model_schema::<KbFile>)
}

/// [`limitations_schema`], built once per process.
pub(crate) fn limitations_schema_ref() -> &'static Json {
    static SCHEMA: std::sync::OnceLock<Json> = std::sync::OnceLock::new();
    SCHEMA.get_or_init(model_schema::<LimitationsFile>)
}

fn model_schema<T: JsonSchema>() -> Json {
    let schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>();
    let mut schema = schema.to_value();
    strip_numeric_formats(&mut schema);
    schema
}

/// schemars marks Rust integer widths with `format` (`int64`, `double`…), which are no JSON
/// Schema formats: strict validators such as ajv reject them, and they say nothing to an editor.
fn strip_numeric_formats(schema: &mut Json) {
    match schema {
        Json::Object(object) => {
            let numeric_format = object
                .get("format")
                .and_then(Json::as_str)
                .is_some_and(|f| {
                    f.starts_with("int") || f.starts_with("uint") || f == "double" || f == "float"
                });
            if numeric_format {
                object.remove("format");
            }
            object.values_mut().for_each(strip_numeric_formats);
        }
        Json::Array(items) => items.iter_mut().for_each(strip_numeric_formats),
        _ => {}
    }
}

/// The schema of a cluster spec for `kb`: a property per parameter, typed, and constrained as
/// the limitations say, each constraint a subschema under `allOf` that names its limitation.
/// `min <= max` of a range is beyond draft-07 and is checked in code (see `check`).
pub fn cluster_schema(kb: &Kb) -> Json {
    let index = kb.index();
    let mut properties = Map::new();
    properties.insert(
        "$schema".into(),
        json!({"type": "string", "description": "The schema this file is written against (for editors)."}),
    );
    for parameter in &kb.meta.parameters {
        properties.insert(parameter.id.clone(), parameter_schema(&index, parameter));
    }
    let mut features = Map::new();
    for feature in &kb.meta.features {
        let mut schema = json!({
            "type": "boolean",
            "description": format!("Whether the cluster uses {}.", feature.name),
        });
        for (limitation, _) in index.constraints_on(&feature.id, true) {
            push_constraint(
                &mut schema,
                limitation,
                json!({"const": false}),
                &unsupported_words(feature),
            );
        }
        features.insert(feature.id.clone(), schema);
    }
    if !features.is_empty() {
        let mut schema = json!({
            "type": "object",
            "description": "The features the cluster wants: `true` to use one.",
            "additionalProperties": false,
        });
        // Moved in, not through `json!`, which would copy the whole tree.
        schema["properties"] = Json::Object(features);
        properties.insert("features".into(), schema);
    }
    let mut schema = json!({
        "$schema": DRAFT_07,
        "$comment": crate::render::banner_text(),
        "title": format!("Cluster spec for {}", kb.meta.name),
        "description": format!(
            "A planned cluster, checked against the limitations of {} (data version {}).",
            kb.meta.name, kb.meta.version
        ),
        "type": "object",
        "additionalProperties": false,
    });
    schema["properties"] = Json::Object(properties);
    schema
}

fn parameter_schema(index: &Index<'_>, parameter: &Parameter) -> Json {
    let description = match &parameter.description {
        Some(d) => format!("{}: {d}", parameter.title),
        None => parameter.title.clone(),
    };
    let mut schema = base_type(parameter);
    schema["description"] = Json::String(description);
    if parameter.value_type == ParameterType::Range {
        let (Some(min_key), Some(max_key)) = (&parameter.min_key, &parameter.max_key) else {
            return schema; // the lint reports the missing keys
        };
        for key in [min_key, max_key] {
            let mut bound = json!({"type": "integer"});
            if let Some(unit) = &parameter.unit {
                bound["description"] = Json::String(format!("In {unit}."));
            }
            for (limitation, constraint) in index.constraints_on(&parameter.id, false) {
                if let Some((keywords, words)) = constraint_keywords(parameter, constraint) {
                    push_constraint(&mut bound, limitation, keywords, &words);
                }
            }
            schema["properties"][key.as_str()] = bound;
        }
        return schema;
    }
    for (limitation, constraint) in index.constraints_on(&parameter.id, false) {
        if let Some((keywords, words)) = constraint_keywords(parameter, constraint) {
            let keywords = if parameter.value_type == ParameterType::StringList {
                json!({"items": keywords})
            } else {
                keywords
            };
            push_constraint(&mut schema, limitation, keywords, &words);
        }
    }
    schema
}

fn base_type(parameter: &Parameter) -> Json {
    let domain = parameter.values.as_ref().map(|values| json!(values));
    match parameter.value_type {
        ParameterType::Integer => json!({"type": "integer"}),
        ParameterType::Number => json!({"type": "number"}),
        ParameterType::Boolean => json!({"type": "boolean"}),
        ParameterType::String => match domain {
            Some(values) => json!({"type": "string", "enum": values}),
            None => json!({"type": "string"}),
        },
        ParameterType::StringList => {
            let items = match domain {
                Some(values) => json!({"type": "string", "enum": values}),
                None => json!({"type": "string"}),
            };
            json!({"type": "array", "items": items})
        }
        ParameterType::Range => json!({
            "type": "object",
            "properties": {},
            "additionalProperties": false,
        }),
    }
}

/// The draft-07 keywords that express `constraint` on a single value, and the constraint in
/// words; `None` for a constraint that does not fit the parameter (the lint reports it).
pub fn constraint_keywords(
    parameter: &Parameter,
    constraint: &Constraint,
) -> Option<(Json, String)> {
    let keywords = match constraint {
        Constraint::Range { min, max, .. } => {
            let mut keywords = Map::new();
            if let Some(min) = min {
                keywords.insert("minimum".into(), number_json(*min));
            }
            if let Some(max) = max {
                keywords.insert("maximum".into(), number_json(*max));
            }
            Json::Object(keywords)
        }
        Constraint::OneOf { values, .. } => json!({"enum": values}),
        Constraint::Equals { value, .. } => json!({"const": value}),
        Constraint::Unsupported { .. } => return None,
    };
    Some((keywords, constraint_words(parameter, constraint)?))
}

/// The constraint in words, such as "from 4 ACU to 32 ACU" (what [`constraint_keywords`]
/// returns with the keywords, for a reader that needs only the words).
pub fn constraint_words(parameter: &Parameter, constraint: &Constraint) -> Option<String> {
    let unit = parameter
        .unit
        .as_deref()
        .map_or(String::new(), |unit| format!(" {unit}"));
    match constraint {
        Constraint::Range { min, max, .. } => Some(match (min, max) {
            (Some(min), Some(max)) => format!(
                "from {}{unit} to {}{unit}",
                number_text(*min),
                number_text(*max)
            ),
            (Some(min), None) => format!("at least {}{unit}", number_text(*min)),
            (None, Some(max)) => format!("at most {}{unit}", number_text(*max)),
            (None, None) => return None,
        }),
        Constraint::OneOf { values, .. } => {
            let list: Vec<String> = values.iter().map(scalar_text).collect();
            Some(format!("one of {}", list.join(", ")))
        }
        Constraint::Equals { value, .. } => Some(format!("exactly {}{unit}", scalar_text(value))),
        Constraint::Unsupported { .. } => None,
    }
}

/// What an `unsupported` constraint requires of its feature, in words that follow "must be":
/// "false (Amazon RDS Proxy is not supported)".
pub fn unsupported_words(feature: &Feature) -> String {
    format!("false ({} is not supported)", feature.name)
}

fn push_constraint(schema: &mut Json, limitation: &str, mut keywords: Json, words: &str) {
    keywords[LIMITATION_KEYWORD] = Json::String(limitation.to_string());
    keywords["description"] = Json::String(format!("Must be {words} [{limitation}]."));
    if let Json::Object(object) = schema {
        match object.get_mut("allOf") {
            Some(Json::Array(all)) => all.push(keywords),
            _ => {
                object.insert("allOf".into(), json!([keywords]));
            }
        }
    }
}

fn number_json(number: Number) -> Json {
    match number {
        Number::Integer(i) => json!(i),
        Number::Float(f) => json!(f),
    }
}

/// A number as people write it: integers without a fraction.
pub fn number_text(number: Number) -> String {
    match number {
        Number::Integer(i) => i.to_string(),
        Number::Float(f) => f.to_string(),
    }
}

/// A value as people read it in a sentence: strings quoted.
pub fn scalar_text(value: &Scalar) -> String {
    match value {
        Scalar::Boolean(b) => b.to_string(),
        Scalar::Number(n) => number_text(*n),
        Scalar::String(s) => format!("{s:?}"),
    }
}

/// A value or list as people read it in a sentence.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Scalar(s) => scalar_text(s),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(scalar_text).collect();
            format!("[{}]", items.join(", "))
        }
    }
}
