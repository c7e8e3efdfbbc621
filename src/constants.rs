//! The named constants a knowledge base defines: the typed values of its constraints and facts,
//! and its own metadata. Every constant module (Rust, TypeScript, Python…) and the JSON bundle
//! list exactly these, under the names derived here.

use crate::model::{Constraint, Kb, Number, Scalar, Value};
use serde::Serialize;

/// A named, typed value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Constant {
    /// The name, snake_case; targets convert it to their case.
    pub name: String,
    /// The value.
    pub value: Value,
    /// The value's type: `integer`, `number`, `string`, `boolean`, or `<one of these>-list`.
    #[serde(rename = "type")]
    pub value_type: String,
    /// The unit of a numeric value.
    pub unit: Option<String>,
    /// What the value is, in a sentence.
    pub description: String,
    /// The limitation that states the value, if any.
    pub limitation: Option<String>,
    /// Where it is defined: a limitation's constraint or fact, or `kb` for metadata.
    pub origin: Origin,
}

/// Where a constant comes from, to locate it in the data files.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Origin {
    /// A field of `kb.toml`.
    Kb {
        /// The JSON pointer of the field in `kb.toml`.
        pointer: String,
    },
    /// The `index`-th constraint of a limitation.
    Constraint {
        /// The limitation's index in `Kb::limitations`.
        limitation: usize,
        /// The constraint's index.
        index: usize,
    },
    /// The `index`-th fact of a limitation.
    Fact {
        /// The limitation's index in `Kb::limitations`.
        limitation: usize,
        /// The fact's index.
        index: usize,
    },
}

/// Every constant of `kb`, in a stable order: metadata, then by limitation.
pub fn constants(kb: &Kb) -> Vec<Constant> {
    let mut out = Vec::new();
    let meta = &kb.meta;
    let mut metadata = |name: &str, value: &str, description: &str, pointer: &str| {
        out.push(Constant {
            name: name.to_string(),
            value: Value::Scalar(Scalar::String(value.to_string())),
            value_type: "string".into(),
            unit: None,
            description: description.to_string(),
            limitation: None,
            origin: Origin::Kb {
                pointer: pointer.to_string(),
            },
        });
    };
    metadata("kb_id", &meta.id, "The id of the knowledge base.", "/id");
    metadata(
        "kb_name",
        &meta.name,
        "The product the limitations belong to.",
        "/name",
    );
    metadata(
        "kb_version",
        &meta.version,
        "The version of the data (semver).",
        "/version",
    );
    metadata(
        "source_title",
        &meta.source.title,
        "The title of the source document.",
        "/source/title",
    );
    metadata(
        "source_revision",
        &meta.source.revision,
        "The revision of the source document that the data encodes.",
        "/source/revision",
    );
    if let Some(url) = &meta.source.url {
        metadata(
            "source_url",
            url,
            "Where the source document is published.",
            "/source/url",
        );
    }

    let index = kb.index();
    for (li, entry) in kb.limitations.iter().enumerate() {
        let limitation = &entry.limitation;
        for (ci, constraint) in limitation.constraints.iter().enumerate() {
            let parameter = constraint.subject();
            let declared = index.parameter(parameter);
            let title = declared.map_or(parameter, |p| p.title.as_str());
            let unit = declared.and_then(|p| p.unit.clone());
            let mut push = |name: String, value: Value, description: String| {
                out.push(Constant {
                    value_type: value_type(&value),
                    name,
                    value,
                    unit: unit.clone(),
                    description,
                    limitation: Some(limitation.id.clone()),
                    origin: Origin::Constraint {
                        limitation: li,
                        index: ci,
                    },
                });
            };
            match constraint {
                Constraint::Range { min, max, .. } => {
                    if let Some(min) = min {
                        push(
                            format!("{parameter}_min"),
                            number_value(*min),
                            format!("{title}: the smallest allowed value."),
                        );
                    }
                    if let Some(max) = max {
                        push(
                            format!("{parameter}_max"),
                            number_value(*max),
                            format!("{title}: the largest allowed value."),
                        );
                    }
                }
                Constraint::OneOf { values, .. } => push(
                    format!("allowed_{parameter}"),
                    Value::List(values.clone()),
                    format!("{title}: the allowed values."),
                ),
                Constraint::Equals { value, .. } => push(
                    parameter.to_string(),
                    Value::Scalar(value.clone()),
                    format!("{title}: the only allowed value."),
                ),
                Constraint::Unsupported { .. } => {}
            }
        }
        for (fi, fact) in limitation.facts.iter().enumerate() {
            out.push(Constant {
                name: fact.id.clone(),
                value: fact.value.clone(),
                value_type: value_type(&fact.value),
                unit: fact.unit.clone(),
                description: fact.description.clone(),
                limitation: Some(limitation.id.clone()),
                origin: Origin::Fact {
                    limitation: li,
                    index: fi,
                },
            });
        }
    }
    out
}

fn number_value(number: Number) -> Value {
    Value::Scalar(Scalar::Number(number))
}

fn scalar_type(value: &Scalar) -> &'static str {
    match value {
        Scalar::Boolean(_) => "boolean",
        Scalar::Number(Number::Integer(_)) => "integer",
        Scalar::Number(Number::Float(_)) => "number",
        Scalar::String(_) => "string",
    }
}

/// The type name of a value; a list takes the type of its items (the lint requires one type
/// per list, and an empty list counts as strings).
pub fn value_type(value: &Value) -> String {
    match value {
        Value::Scalar(s) => scalar_type(s).to_string(),
        Value::List(items) => {
            format!("{}-list", items.first().map_or("string", scalar_type))
        }
    }
}

/// Whether every item of a list has one type (an integer and a float do not: a typed target
/// needs one element type).
pub fn is_homogeneous(items: &[Scalar]) -> bool {
    items
        .windows(2)
        .all(|w| scalar_type(&w[0]) == scalar_type(&w[1]))
}
