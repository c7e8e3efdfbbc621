//! The schema of a cluster spec: a property per parameter and feature, typed, each constraint
//! a subschema under `allOf` that names its limitation.

use super::{DRAFT_07, LIMITATION_KEYWORD};
use crate::model::{
    Condition, Constraint, Index, Kb, Number, Parameter, ParameterType, Scalar, UNAVAILABLE, Value,
};
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
    // Conditional constraints, as `if`/`then` at the root: they depend on other fields.
    let mut conditionals = Vec::new();
    for parameter in &kb.meta.parameters {
        let mut schema = parameter_schema(parameter);
        constrain(
            &index,
            &mut schema,
            parameter,
            &parameter.id,
            &mut conditionals,
            |then| json!({ &parameter.id: then }),
        );
        // The fields of an object list, named `list.field` by their constraints.
        for (subject, field) in parameter.subjects().skip(1) {
            let item = &mut schema["items"]["properties"][field.id.as_str()];
            constrain(&index, item, field, &subject, &mut conditionals, |then| {
                json!({ &parameter.id: {
                    "type": "array",
                    "items": {"type": "object", "properties": { &field.id: then }},
                }})
            });
        }
        properties.insert(parameter.id.clone(), schema);
    }
    let mut features = Map::new();
    for feature in &kb.meta.features {
        let mut schema = json!({
            "type": "boolean",
            "description": format!("Whether the cluster uses {}.", feature.name),
        });
        for (limitation, constraint) in index.constraints_on(&feature.id, true) {
            let words = unsupported_words(feature);
            match constraint.when() {
                None => push_constraint(&mut schema, limitation, json!({"const": false}), &words),
                Some(condition) => {
                    let mut then = json!({});
                    push_constraint(&mut then, limitation, json!({"const": false}), &words);
                    let then = json!({"features": {"type": "object", "properties": { &feature.id: then }}});
                    conditionals.push(conditional(condition, then));
                }
            }
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
    if !conditionals.is_empty() {
        schema["allOf"] = Json::Array(conditionals);
    }
    schema
}

/// Adds the constraints on `subject` (a parameter, or a field `list.field`) to `schema`, the
/// schema of its value; each conditional one goes to `conditionals`, its `then` placed at
/// the root by `at_root`.
fn constrain(
    index: &Index<'_>,
    schema: &mut Json,
    parameter: &Parameter,
    subject: &str,
    conditionals: &mut Vec<Json>,
    at_root: impl Fn(Json) -> Json,
) {
    for (limitation, constraint) in index.constraints_on(subject, false) {
        if let Constraint::Required { when, .. } = constraint {
            // A rule on the spec, not on the value: `required` at the root, or in a `then`.
            let mut rule = json!({});
            let words = constraint_words(parameter, constraint).unwrap_or_default();
            // Declared beside `required`, as ajv's strict mode asks.
            let keywords = json!({ "properties": { subject: {} }, "required": [subject] });
            push_constraint(&mut rule, limitation, keywords, &words);
            let rule = rule["allOf"][0].take();
            conditionals.push(match when {
                Some(condition) => guarded(condition, rule),
                None => rule,
            });
            continue;
        }
        if let Constraint::VersionTable { .. } = constraint {
            conditionals.extend(version_table(parameter, subject, limitation, constraint));
            continue;
        }
        let Some((keywords, words)) = constraint_keywords(parameter, constraint) else {
            continue;
        };
        match constraint.when() {
            None => push_rule(schema, parameter, limitation, keywords, &words),
            Some(condition) => {
                // Typed again, as the keywords need (ajv's strict mode asks for it).
                let mut then = parameter_schema(parameter);
                if let Json::Object(then) = &mut then {
                    then.remove("description");
                }
                push_rule(&mut then, parameter, limitation, keywords, &words);
                conditionals.push(conditional(condition, at_root(then)));
            }
        }
    }
}

/// A `version-table` as far as draft-07 reaches: rows with the same available families share
/// one `if` (the row parameter is one of theirs) whose `then` holds the version to those
/// families. The floors within a family are `check`'s (see `check/rules.rs`).
fn version_table(
    parameter: &Parameter,
    subject: &str,
    limitation: &str,
    table: &Constraint,
) -> Vec<Json> {
    let Constraint::VersionTable {
        row,
        columns,
        rows,
        when,
        ..
    } = table
    else {
        return Vec::new();
    };
    let words = constraint_words(parameter, table).unwrap_or_default();
    let mut by_available: std::collections::BTreeMap<Vec<&String>, Vec<Scalar>> =
        std::collections::BTreeMap::new();
    for cells in rows {
        let Some((key, cells)) = cells.split_first() else {
            continue;
        };
        let available: Vec<&String> = columns
            .iter()
            .zip(cells)
            .filter(|(_, cell)| *cell != UNAVAILABLE)
            .map(|(family, _)| family)
            .collect();
        by_available
            .entry(available)
            .or_default()
            .push(Scalar::String(key.clone()));
    }
    by_available
        .into_iter()
        .map(|(available, keys)| {
            let families: Vec<Version> =
                available.iter().filter_map(|f| Version::parse(f)).collect();
            let keywords = if families.is_empty() {
                json!({ "not": {} })
            } else {
                let families: Vec<&Version> = families.iter().collect();
                json!({ "pattern": version::pattern(&families, parameter.spellings()) })
            };
            let mut then = parameter_schema(parameter);
            if let Json::Object(then) = &mut then {
                then.remove("description");
            }
            push_constraint(&mut then, limitation, keywords, &words);
            let mut condition = when.clone().unwrap_or_default();
            condition.insert(row.to_string(), Value::List(keys));
            conditional(&condition, json!({ subject: then }))
        })
        .collect()
}

/// `{"if": <condition holds>, "then": {"properties": then}}`: the condition holds when every
/// parameter it names is present with its value (one of its values, for a list).
fn conditional(condition: &Condition, then: Json) -> Json {
    guarded(condition, json!({ "properties": then }))
}

/// `{"if": <condition holds>, "then": then}`. A condition on a field of an object list
/// (`instance.class`) holds when any object has the value.
fn guarded(condition: &Condition, then: Json) -> Json {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (parameter, value) in condition {
        let test = match value {
            Value::Scalar(s) => json!({ "const": s }),
            Value::List(items) => json!({ "enum": items }),
        };
        let (key, test) = match parameter.split_once('.') {
            Some((list, field)) => (
                list,
                json!({
                    "type": "array",
                    "contains": {"type": "object", "properties": { field: test }, "required": [field]},
                }),
            ),
            None => (parameter.as_str(), test),
        };
        properties.insert(key.to_string(), test);
        required.push(key.to_string());
    }
    json!({
        "if": {"properties": properties, "required": required},
        "then": then,
    })
}

/// The schema of `parameter`'s value, typed, before any constraint.
fn parameter_schema(parameter: &Parameter) -> Json {
    let description = match &parameter.description {
        Some(d) => format!("{}: {d}", parameter.title),
        None => parameter.title.clone(),
    };
    let mut schema = base_type(parameter);
    schema["description"] = Json::String(description);
    if let (ParameterType::Range, Some(min_key), Some(max_key)) =
        (parameter.value_type, &parameter.min_key, &parameter.max_key)
    {
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
            schema["properties"][key.as_str()] = bound;
        }
    }
    for field in parameter.fields.iter().flatten() {
        schema["items"]["properties"][field.id.as_str()] = parameter_schema(field);
    }
    schema
}

/// Adds a constraint's `keywords` to the schema of `parameter`'s value: to both bounds of a
/// range, to each item of a list.
fn push_rule(
    schema: &mut Json,
    parameter: &Parameter,
    limitation: &str,
    keywords: Json,
    words: &str,
) {
    match (parameter.value_type, &parameter.min_key, &parameter.max_key) {
        (ParameterType::Range, Some(min_key), Some(max_key)) => {
            for key in [min_key, max_key] {
                let bound = &mut schema["properties"][key.as_str()];
                push_constraint(bound, limitation, keywords.clone(), words);
            }
        }
        (ParameterType::Range, _, _) => {} // the lint reports the missing keys
        (ParameterType::StringList, _, _) => {
            push_constraint(schema, limitation, json!({ "items": keywords }), words);
        }
        _ => push_constraint(schema, limitation, keywords, words),
    }
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
            "pattern": version::pattern(&[], parameter.spellings()),
        }),
        ParameterType::ObjectList => json!({
            "type": "array",
            "items": {"type": "object", "properties": {}, "additionalProperties": false},
        }),
    }
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
            json!({"pattern": version::pattern(&[&family], parameter.spellings())})
        }
        Constraint::Required { .. }
        | Constraint::VersionTable { .. }
        | Constraint::Unsupported { .. } => return None,
    };
    Some((keywords, constraint_words(parameter, constraint)?))
}

fn push_constraint(schema: &mut Json, limitation: &str, mut keywords: Json, words: &str) {
    if schema.is_null() {
        *schema = json!({});
    }
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
