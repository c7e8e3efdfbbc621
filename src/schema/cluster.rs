//! The schema of a cluster spec: a property per parameter and feature, typed, each constraint
//! a subschema under `allOf` that names its limitation.

use super::{DRAFT_07, LIMITATION_KEYWORD};
use crate::model::{Constraint, Index, Kb, Number, Parameter, ParameterType};
use crate::text::{constraint_words, unsupported_words};
use crate::version::{self, Version};
use serde_json::{Map, Value as Json, json};

/// The schema of a cluster spec for `kb`: a property per parameter, typed, and constrained as
/// the limitations say, each constraint a subschema under `allOf` that names its limitation.
/// `min <= max` of a range is beyond draft-07 and is checked in code (see `check`). The
/// rendered artifact adds the banner as `$comment`.
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
            let bound_type = if parameter.is_fractional() {
                "number"
            } else {
                "integer"
            };
            let mut bound = json!({ "type": bound_type });
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
        ParameterType::Version => json!({
            "type": "string",
            "pattern": version::pattern(None, spellings(parameter)),
        }),
    }
}

/// A version parameter's other spellings.
fn spellings(parameter: &Parameter) -> &[String] {
    parameter.spellings.as_deref().unwrap_or_default()
}

/// The draft-07 keywords that express `constraint` on a single value, and the constraint in
/// words; `None` for a constraint that does not fit the parameter (the lint reports it).
fn constraint_keywords(parameter: &Parameter, constraint: &Constraint) -> Option<(Json, String)> {
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
        Constraint::MultipleOf { step, .. } => json!({"multipleOf": number_json(*step)}),
        // A family is a pattern; a floor is beyond draft-07 (`check` enforces it).
        Constraint::Version { family, .. } => {
            let family = Version::parse(family.as_deref()?)?;
            json!({"pattern": version::pattern(Some(&family), spellings(parameter))})
        }
        Constraint::Unsupported { .. } => return None,
    };
    Some((keywords, constraint_words(parameter, constraint)?))
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
