//! The formats `check` reads besides the cluster spec: each turns a file into the knowledge
//! base's parameters and features for each cluster it finds, keeping for every value where it
//! stands in the file. What a format's resources and properties mean is the knowledge base's
//! data (`[[input]]` in `kb.toml`, [`InputMapping`]); the readers know only the formats.
//!
//! A reader gives [`Cluster`]s. A value that depends on how the file is deployed (a template
//! parameter with allowed values, a condition) makes one [`Variant`] per choice, each a spec
//! checked on its own; a value that cannot be known from the file is a note, never a guess.

mod cloudformation;
mod rds_api;
pub(crate) mod terraform;

use crate::model::{InputCondition, InputFormat, InputMapping, Kb, ParameterType, Scalar};
use serde_json::{Map, Value as Json};

/// How `check` reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// Recognised from the content: a CloudFormation template by `AWSTemplateFormatVersion`
    /// or `Resources` of `AWS::` types, an RDS API request by the members of an operation
    /// the knowledge base maps, a cluster spec by its keys ([`recognise`]); any other file
    /// is refused.
    Auto,
    /// A cluster spec.
    Spec,
    /// A format of [`InputFormat`]; for [`InputFormat::Terraform`], a configuration.
    Format(InputFormat),
    /// A Terraform plan (`terraform show -json`), read with the `terraform` mapping.
    Plan,
}

/// What `check` needs to know beyond the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The values of parameters a format does not state (`region` from `--region`).
    pub stated: Vec<(String, String)>,
}

/// One cluster found in a file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cluster {
    /// Its name in the file (a resource's logical id, an identifier), for messages.
    pub(crate) name: String,
    /// Where it stands in the file: a diagnostic of the cluster as a whole points there.
    pub(crate) pointer: String,
    /// Each way it may be deployed, as a spec.
    pub(crate) variants: Vec<Variant>,
    /// What could not be verified, and where: `(pointer, why)`.
    pub(crate) unverified: Vec<(String, String)>,
}

/// A cluster as deployed with some choices made.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Variant {
    /// The cluster spec.
    pub(crate) spec: Json,
    /// Where each value of the spec stands in the file: `(spec pointer, file pointer)`.
    pub(crate) origins: Vec<(String, String)>,
    /// The choices that make this variant ("condition `Big` is true"), empty for the only one.
    pub(crate) choices: Vec<String>,
}

impl Variant {
    /// Sets the spec's value at `subject` (a parameter `engine`, a bound `capacity.min_acu`, a
    /// feature with `feature`), coerced to the parameter's type as CloudFormation and the API
    /// coerce (`"0.5"` is a number, `"true"` a boolean), from `origin` in the file.
    fn set(&mut self, kb: &Kb, subject: Subject<'_>, value: Json, origin: &str) {
        let (pointer, value) = match subject {
            Subject::Feature(feature) => (format!("/features/{feature}"), value),
            Subject::Parameter(parameter) => {
                let value = coerce(kb, parameter, value);
                let pointer = match parameter.split_once('.') {
                    Some((table, key)) => format!("/{table}/{key}"),
                    None => format!("/{parameter}"),
                };
                (pointer, value)
            }
            Subject::Item(list, index, field) => {
                let value = coerce(kb, &format!("{list}.{field}"), value);
                (format!("/{list}/{index}/{field}"), value)
            }
        };
        insert(&mut self.spec, &pointer, value);
        self.origins.push((pointer, origin.to_string()));
    }

    /// Records that the table or item at `pointer` of the spec stands at `origin`, creating it
    /// empty if it is not there yet (a range's table whose bounds could not be read still
    /// exists, so "missing" rules do not fire on it).
    fn place(&mut self, pointer: &str, origin: &str) {
        if pointer_get(&self.spec, pointer).is_none() {
            insert(&mut self.spec, pointer, Json::Object(Map::new()));
        }
        self.origins.push((pointer.to_string(), origin.to_string()));
    }

    /// Whether the knowledge base is about this cluster: any condition holds (none: always).
    fn applies(&self, conditions: &[InputCondition]) -> bool {
        conditions.is_empty()
            || conditions.iter().any(|c| {
                let (head, field) = c.parameter.split_once('.').unwrap_or((&c.parameter, ""));
                let given = self.spec.get(head);
                match (given, &c.value) {
                    (None, _) => false,
                    (Some(_), None) => true,
                    (Some(Json::Array(items)), Some(value)) => items
                        .iter()
                        .any(|item| item.get(field).is_some_and(|v| equals(v, value))),
                    (Some(v), Some(value)) => equals(v, value),
                }
            })
    }
}

/// What a value read from the file sets in the spec.
#[derive(Debug, Clone, Copy)]
enum Subject<'a> {
    /// A parameter, or a range's bound (`capacity.min_acu`).
    Parameter(&'a str),
    /// A field of item `index` of an object list.
    Item(&'a str, usize, &'a str),
    /// A feature.
    Feature(&'a str),
}

/// Whether `pointer` is a whole resource of a template (`/Resources/Db`): a problem of the
/// cluster as a whole, or of an item read from a resource, stands at its logical id.
pub(crate) fn is_resource(pointer: &str) -> bool {
    pointer
        .strip_prefix("/Resources/")
        .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
}

/// Whether a problem at `pointer` stands at its key: a whole resource, or an intrinsic
/// function's key (`…/Fn::GetAtt` of a block mapping).
pub(crate) fn at_key(pointer: &str) -> bool {
    is_resource(pointer)
        || pointer
            .rsplit('/')
            .next()
            .is_some_and(|last| last == "Ref" || last.starts_with("Fn::"))
}

/// The mapping of `format` in `kb`, if the knowledge base has one.
pub(crate) fn mapping(kb: &Kb, format: InputFormat) -> Option<&InputMapping> {
    kb.meta.inputs.iter().find(|m| m.format == format)
}

/// Whether a parsed file is of the mapping's format (a file named one with `--input`); a
/// Terraform configuration is whatever HCL parses.
pub(crate) fn is_of(mapping: &InputMapping, value: &Json) -> bool {
    match mapping.format {
        InputFormat::Cloudformation => cloudformation::is_template(value),
        InputFormat::RdsApi => rds_api::operation(mapping, value).is_some(),
        InputFormat::Terraform => true,
    }
}

/// What marks a file of the mapping's format, for the message when one is not.
pub(crate) fn what_marks(mapping: &InputMapping) -> String {
    match mapping.format {
        InputFormat::Cloudformation => {
            "a template has `AWSTemplateFormatVersion` or `Resources` of `AWS::` types".to_string()
        }
        InputFormat::RdsApi => format!(
            "a request has all the members of one of the operations {}",
            mapping
                .operations
                .iter()
                .map(|(name, members)| format!("{name} ({})", members.join(", ")))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        InputFormat::Terraform => "a Terraform configuration is a directory of `.tf` files (or a `.tf` file, read with the rest of its directory); a plan (`terraform show -json`) has `format_version` and `planned_values`".to_string(),
    }
}

/// The format of a parsed file, for [`Input::Auto`]: `None` when it is none that `check`
/// reads. A mapping is a spec when one of its keys is, or is a typo of, a key of the cluster
/// spec (`spec_keys`), so a spec with a misspelt key stays a spec while a workflow or a
/// compose file is not taken for one; anything but a mapping is a spec that the schema
/// rejects ("is not of type object").
pub(crate) fn recognise(kb: &Kb, value: &Json, spec_keys: &[String]) -> Option<Input> {
    if cloudformation::is_template(value) {
        return Some(Input::Format(InputFormat::Cloudformation));
    }
    if let Some(m) = mapping(kb, InputFormat::RdsApi)
        && rds_api::operation(m, value).is_some()
    {
        return Some(Input::Format(InputFormat::RdsApi));
    }
    if terraform::is_plan(value) {
        return Some(Input::Plan);
    }
    let Some(map) = value.as_object() else {
        return Some(Input::Spec);
    };
    let spec_like = map.is_empty()
        || map
            .keys()
            .any(|key| spec_keys.contains(key) || crate::text::closest(key, spec_keys).is_some());
    spec_like.then_some(Input::Spec)
}

/// Why a file is none of the formats `check` reads, for [`Input::Auto`]: what marks each.
pub(crate) fn what_marks_any(kb: &Kb, spec_keys: &[String]) -> String {
    let mut marks = vec![format!(
        "a cluster spec of `{}` is a mapping with keys among {}",
        kb.meta.id,
        spec_keys
            .iter()
            .filter(|k| !k.starts_with('$'))
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )];
    marks.extend(kb.meta.inputs.iter().map(what_marks));
    marks.join("; ")
}

/// The clusters of a file of `format`, read with the knowledge base's mapping; `text_of` gives
/// the source text of the value at a pointer (a version written as a YAML number keeps its
/// digits).
pub(crate) fn read(
    kb: &Kb,
    mapping: &InputMapping,
    value: &Json,
    text_of: &dyn Fn(&str) -> Option<String>,
    options: &Options,
) -> Vec<Cluster> {
    let mut clusters = match mapping.format {
        // A Terraform configuration or plan arrives as resources (`terraform::Resources`).
        InputFormat::Cloudformation | InputFormat::Terraform => {
            let region = options
                .stated
                .iter()
                .find(|(parameter, _)| parameter == "region")
                .map(|(_, value)| value.as_str());
            cloudformation::clusters(kb, mapping, value, text_of, region)
        }
        InputFormat::RdsApi => rds_api::clusters(kb, mapping, value, text_of),
    };
    for cluster in &mut clusters {
        state_unstated(kb, mapping, options, cluster);
    }
    clusters
}

/// The parameters the format does not always state (a Terraform provider may name the
/// Region; a template never does): where the file leaves one out, the value given on the
/// command line, else a note on the cluster if a limitation depends on it.
fn state_unstated(kb: &Kb, mapping: &InputMapping, options: &Options, cluster: &mut Cluster) {
    let index = kb.index();
    for unstated in &mapping.unstated {
        let pointer = format!("/{}", unstated.parameter);
        if cluster
            .variants
            .iter()
            .all(|v| pointer_get(&v.spec, &pointer).is_some())
        {
            continue;
        }
        let given = options
            .stated
            .iter()
            .find(|(parameter, _)| *parameter == unstated.parameter);
        match given {
            Some((parameter, value)) => {
                for variant in &mut cluster.variants {
                    if pointer_get(&variant.spec, &pointer).is_some() {
                        continue;
                    }
                    let value = coerce(kb, parameter, Json::String(value.clone()));
                    insert(&mut variant.spec, &format!("/{parameter}"), value);
                }
            }
            None => {
                let limitations: Vec<&str> = index
                    .constraints_on(&unstated.parameter, false)
                    .iter()
                    .map(|(l, _)| *l)
                    .collect();
                if !limitations.is_empty() {
                    cluster.unverified.push((
                        cluster.pointer.clone(),
                        format!(
                            "could not verify `{}` of cluster `{}` ({}): {}",
                            unstated.parameter,
                            cluster.name,
                            limitations.join(", "),
                            unstated.why,
                        ),
                    ));
                }
            }
        }
    }
}

/// `value` as parameter `subject` takes it: a number in text as a number, `"true"`/`"false"`
/// as booleans, a number as text where text is wanted.
fn coerce(kb: &Kb, subject: &str, value: Json) -> Json {
    let index = kb.index();
    let Some(parameter) = index.parameter(subject).or_else(|| {
        // A range's bound takes the range's type.
        subject
            .split_once('.')
            .and_then(|(table, _)| index.parameter(table))
    }) else {
        return value;
    };
    match (parameter.value_type, &value) {
        (
            ParameterType::Integer | ParameterType::Number | ParameterType::Range,
            Json::String(s),
        ) => serde_json::from_str::<serde_json::Number>(s.trim())
            .map(Json::Number)
            .unwrap_or(value),
        (ParameterType::Boolean, Json::String(s)) => match s.as_str() {
            "true" | "True" | "TRUE" => Json::Bool(true),
            "false" | "False" | "FALSE" => Json::Bool(false),
            _ => value,
        },
        (ParameterType::String | ParameterType::Version, Json::Number(n)) => {
            Json::String(n.to_string())
        }
        _ => value,
    }
}

/// Whether a value read equals a value of the data, comparing as text (`1` and `"1"`).
fn equals(value: &Json, scalar: &Scalar) -> bool {
    let text = match value {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.to_string(),
        Json::Bool(b) => b.to_string(),
        _ => return false,
    };
    text == crate::text::scalar_text(scalar).trim_matches('"')
}

/// A value of the data as JSON.
fn scalar_json(value: &Scalar) -> Json {
    match value {
        Scalar::Boolean(b) => Json::Bool(*b),
        Scalar::Number(n) => serde_json::to_value(n).unwrap_or(Json::Null),
        Scalar::String(s) => Json::String(s.clone()),
    }
}

/// The value at a JSON pointer.
fn pointer_get<'v>(value: &'v Json, pointer: &str) -> Option<&'v Json> {
    value.pointer(pointer)
}

/// Sets the value at `pointer` (whose segments are keys and indexes, unescaped), creating
/// tables and list items on the way.
fn insert(root: &mut Json, pointer: &str, value: Json) {
    let segments: Vec<String> = crate::pointer::segments(pointer).collect();
    let mut current = root;
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        if !current.is_object() && !current.is_array() {
            *current = Json::Object(Map::new());
        }
        let next = match current {
            Json::Array(items) => {
                let at: usize = segment.parse().expect("list segments are indexes");
                while items.len() <= at {
                    items.push(Json::Object(Map::new()));
                }
                &mut items[at]
            }
            Json::Object(map) => {
                let wants_list = segments
                    .get(i + 1)
                    .is_some_and(|s| s.parse::<usize>().is_ok());
                map.entry(segment.clone()).or_insert_with(|| {
                    if wants_list {
                        Json::Array(Vec::new())
                    } else {
                        Json::Object(Map::new())
                    }
                })
            }
            _ => unreachable!("made a table above"),
        };
        if last {
            *next = value;
            return;
        }
        current = next;
    }
    *current = value;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_creates_tables_and_items() {
        let mut spec = Json::Object(Map::new());
        insert(&mut spec, "/capacity/min_acu", serde_json::json!(0.5));
        insert(
            &mut spec,
            "/instance/1/class",
            serde_json::json!("db.serverless"),
        );
        insert(&mut spec, "/engine", serde_json::json!("aurora-mysql"));
        assert_eq!(
            spec,
            serde_json::json!({
                "capacity": { "min_acu": 0.5 },
                "instance": [{}, { "class": "db.serverless" }],
                "engine": "aurora-mysql"
            })
        );
    }
}
