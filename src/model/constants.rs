//! The named constants a knowledge base defines: the typed values of its constraints and facts,
//! and its own metadata. Every constant module (Rust, TypeScript, Python…) and the JSON bundle
//! list exactly these, under the names derived here.

use super::{Constraint, Kb, Number, Parameter, Scalar, ScalarType, Value, ValueType};
use serde::Serialize;

/// A named, typed value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Constant {
    /// The name, snake_case; targets convert it to their case.
    pub name: String,
    /// The value.
    pub value: Value,
    /// The value's type: `integer`, `number`, `string`, `boolean`, or `<one of these>-list`;
    /// for a constraint's value, the type of its parameter.
    #[serde(rename = "type")]
    pub value_type: ValueType,
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
            value_type: ValueType {
                item: ScalarType::String,
                list: false,
            },
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
            // A value that holds only under a condition is no constant: the bundle's
            // limitations list it with its condition.
            if constraint.when().is_some() {
                continue;
            }
            let parameter = constraint.subject();
            // A field `instance.class` names its constants `instance_class_…`.
            let name = parameter.replace('.', "_");
            let declared = index.parameter(parameter);
            let title = declared.map_or(parameter, |p| p.title.as_str());
            let unit = declared.and_then(|p| p.unit.clone());
            // The parameter decides the type: a `number` parameter's bound written `128` is
            // the float 128.0, so that both bounds of a range have one type.
            let item = declared.map(Parameter::scalar_type);
            let typed = |value: &Scalar| typed_as(value, item);
            let mut push = |name: String, value: Value, description: String| {
                out.push(Constant {
                    value_type: value.value_type(),
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
                            format!("{name}_min"),
                            Value::Scalar(typed(&Scalar::Number(*min))),
                            format!("{title}: the smallest allowed value."),
                        );
                    }
                    if let Some(max) = max {
                        push(
                            format!("{name}_max"),
                            Value::Scalar(typed(&Scalar::Number(*max))),
                            format!("{title}: the largest allowed value."),
                        );
                    }
                }
                Constraint::OneOf { values, .. } => push(
                    format!("allowed_{name}"),
                    Value::List(values.iter().map(typed).collect()),
                    format!("{title}: the allowed values."),
                ),
                Constraint::Equals { value, .. } => push(
                    name.clone(),
                    Value::Scalar(typed(value)),
                    format!("{title}: the only allowed value."),
                ),
                Constraint::MultipleOf { step, .. } => push(
                    format!("{name}_step"),
                    Value::Scalar(typed(&Scalar::Number(*step))),
                    format!("{title}: its values are whole multiples of this step."),
                ),
                Constraint::Version { family, min, .. } => {
                    let string = |s: &String| Value::Scalar(Scalar::String(s.clone()));
                    if let Some(family) = family {
                        push(
                            format!("{name}_family"),
                            string(family),
                            format!(
                                "{title}: the versions allowed are this one and those below it."
                            ),
                        );
                    }
                    if let Some(min) = min {
                        push(
                            format!("{name}_min"),
                            string(min),
                            format!("{title}: the lowest version allowed."),
                        );
                    }
                }
                Constraint::Required { .. }
                | Constraint::VersionTable { .. }
                | Constraint::Unsupported { .. } => {}
            }
        }
        for (fi, fact) in limitation.facts.iter().enumerate() {
            out.push(Constant {
                name: fact.id.clone(),
                value: fact.value.clone(),
                value_type: fact.value.value_type(),
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

/// `value` as a value of type `item` where it is a number that type holds exactly (an
/// integer where a `number` is declared); else as written (the lint reports a mismatch).
fn typed_as(value: &Scalar, item: Option<ScalarType>) -> Scalar {
    match (value, item) {
        (Scalar::Number(Number::Integer(i)), Some(ScalarType::Number)) => {
            Scalar::Number(Number::Float(*i as f64))
        }
        _ => value.clone(),
    }
}
