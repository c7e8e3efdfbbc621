//! CloudFormation templates, JSON or YAML (short-form tags arrive as their `Fn::` objects), as
//! written or as the AWS CDK synthesizes them. The clusters are the resources of the mapping's
//! type; a field on another resource type joins it by a property that names the cluster.
//!
//! Values that are not literal: a `Ref` to a template parameter takes its `Default` and each
//! of its `AllowedValues` (one variant each), `Fn::If` both branches (one variant each, the
//! same condition alike everywhere), `AWS::NoValue` removes the property, `Fn::FindInMap` is
//! looked up in `Mappings` (`AWS::Region` is the Region given); anything else that is known
//! only once the stack is deployed (`Fn::GetAtt`, `Fn::ImportValue`, `Fn::Sub` with
//! variables, a pseudo parameter, a resource) is not verified, and said so.

use super::{Cluster, Subject, Variant, equals};
use crate::model::{InputField, InputMapping, Kb, ParameterType, Scalar};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;

/// At most this many ways of deploying one cluster are checked; a note says when there are
/// more.
const MAX_VARIANTS: usize = 64;

/// Whether `value` is a CloudFormation template.
pub(super) fn is_template(value: &Json) -> bool {
    let Some(root) = value.as_object() else {
        return false;
    };
    root.contains_key("AWSTemplateFormatVersion")
        || root
            .get("Resources")
            .and_then(Json::as_object)
            .is_some_and(|resources| {
                resources.values().any(|r| {
                    r.get("Type")
                        .and_then(Json::as_str)
                        .is_some_and(|t| t.starts_with("AWS::"))
                })
            })
}

/// The clusters of the template that the knowledge base is about.
pub(super) fn clusters(
    kb: &Kb,
    mapping: &InputMapping,
    template: &Json,
    text_of: &dyn Fn(&str) -> Option<String>,
    region: Option<&str>,
) -> Vec<Cluster> {
    let empty = Map::new();
    let resources = template
        .get("Resources")
        .and_then(Json::as_object)
        .unwrap_or(&empty);
    let parameters = template
        .get("Parameters")
        .and_then(Json::as_object)
        .unwrap_or(&empty);
    let mappings = template
        .get("Mappings")
        .and_then(Json::as_object)
        .unwrap_or(&empty);
    let reader = Reader {
        kb,
        mapping,
        resources,
        parameters,
        mappings,
        text_of,
        region,
    };
    resources
        .iter()
        .filter(|(_, r)| type_of(r) == Some(mapping.cluster.as_str()))
        .filter_map(|(name, _)| reader.cluster(name))
        .collect()
}

fn type_of(resource: &Json) -> Option<&str> {
    resource.get("Type").and_then(Json::as_str)
}

struct Reader<'a> {
    kb: &'a Kb,
    mapping: &'a InputMapping,
    resources: &'a Map<String, Json>,
    parameters: &'a Map<String, Json>,
    mappings: &'a Map<String, Json>,
    text_of: &'a dyn Fn(&str) -> Option<String>,
    /// The Region given on the command line: the value of `AWS::Region`.
    region: Option<&'a str>,
}

/// A place a field's value is read from: a resource, by logical id.
type Site<'a> = &'a str;

/// A choice that a value depends on.
#[derive(Debug, Clone, PartialEq)]
enum Choice {
    /// A condition of `Fn::If`: true or false.
    Condition(String),
    /// A template parameter: its `Default` and each of its `AllowedValues`, as `(value,
    /// pointer)`.
    Parameter(String, Vec<(Json, String)>),
}

impl Choice {
    fn options(&self) -> usize {
        match self {
            Choice::Condition(_) => 2,
            Choice::Parameter(_, values) => values.len(),
        }
    }

    fn words(&self, option: usize) -> String {
        match self {
            Choice::Condition(name) => format!("condition `{name}` is {}", option == 0),
            Choice::Parameter(name, values) => {
                format!(
                    "parameter `{name}` = {}",
                    crate::text::short(&values[option].0)
                )
            }
        }
    }
}

/// A value of the template resolved under one assignment of the choices.
enum Resolved {
    /// A value, at a pointer of the template.
    Value(Json, String),
    /// `AWS::NoValue`: as if the property were not there.
    Absent,
    /// Known only once deployed: why, and where.
    Unknown(String, String),
}

impl<'a> Reader<'a> {
    /// The cluster `name`, if the knowledge base is about it.
    fn cluster(&self, name: &'a str) -> Option<Cluster> {
        let cluster_pointer = format!("/Resources/{}", crate::pointer::escape_key(name));
        let sites: Vec<Vec<Site<'a>>> = self
            .mapping
            .field
            .iter()
            .map(|field| self.sites(field, name))
            .collect();
        let mut choices: Vec<Choice> = Vec::new();
        for (field, field_sites) in self.mapping.field.iter().zip(&sites) {
            for site in field_sites {
                let head = field
                    .path
                    .as_deref()
                    .unwrap_or("")
                    .split('.')
                    .next()
                    .unwrap_or("");
                if let Some(node) = self.properties(site).and_then(|p| p.get(head)) {
                    self.collect_choices(node, &mut choices);
                }
            }
        }
        let total: usize = choices.iter().map(Choice::options).product();
        let mut cluster = Cluster {
            name: name.to_string(),
            pointer: cluster_pointer.clone(),
            variants: Vec::new(),
            unverified: Vec::new(),
        };
        if total > MAX_VARIANTS {
            cluster.unverified.push((
                cluster_pointer.clone(),
                format!(
                    "cluster `{name}` may be deployed in {total} ways (its parameters' allowed values and conditions); only the first {MAX_VARIANTS} were checked"
                ),
            ));
        }
        for number in 0..total.min(MAX_VARIANTS) {
            let assignment = mixed_radix(number, &choices);
            let mut variant = Variant {
                spec: Json::Object(Map::new()),
                choices: choices
                    .iter()
                    .zip(&assignment)
                    .map(|(c, &o)| c.words(o))
                    .collect(),
                ..Variant::default()
            };
            variant
                .origins
                .push((String::new(), cluster_pointer.clone()));
            for (field, field_sites) in self.mapping.field.iter().zip(&sites) {
                self.read_field(
                    field,
                    field_sites,
                    &choices,
                    &assignment,
                    &mut variant,
                    &mut cluster,
                );
            }
            if variant.applies(&self.mapping.applies_when) && !cluster.variants.contains(&variant) {
                cluster.variants.push(variant);
            }
        }
        cluster.unverified.sort();
        cluster.unverified.dedup();
        (!cluster.variants.is_empty()).then_some(cluster)
    }

    /// The resources a field is read from for cluster `name`.
    fn sites(&self, field: &InputField, name: &'a str) -> Vec<Site<'a>> {
        let Some(resource_type) = &field.resource else {
            return self
                .resources
                .get_key_value(name)
                .map(|(k, _)| k.as_str())
                .into_iter()
                .collect();
        };
        let cluster_literal = self
            .mapping
            .name
            .as_ref()
            .and_then(|property| self.properties(name)?.get(property))
            .and_then(Json::as_str);
        self.resources
            .iter()
            .filter(|(_, r)| type_of(r) == Some(resource_type.as_str()))
            .filter(|(other, r)| {
                let props = r.get("Properties");
                let only = field.only.iter().all(|(key, value)| {
                    props
                        .and_then(|p| p.get(key))
                        .is_some_and(|v| equals(v, value))
                });
                let joined = match (&field.join, &field.cluster_join) {
                    (Some(join), _) => props
                        .and_then(|p| p.get(join))
                        .is_some_and(|v| mentions(v, name, cluster_literal)),
                    (None, Some(cluster_join)) => self
                        .properties(name)
                        .and_then(|p| p.get(cluster_join))
                        .is_some_and(|v| mentions(v, other, None)),
                    (None, None) => false,
                };
                only && joined
            })
            .map(|(k, _)| k.as_str())
            .collect()
    }

    fn properties(&self, resource: &str) -> Option<&'a Map<String, Json>> {
        self.resources.get(resource)?.get("Properties")?.as_object()
    }

    /// The template parameters and conditions that `node` depends on, added to `choices` once.
    fn collect_choices(&self, node: &Json, choices: &mut Vec<Choice>) {
        match node {
            Json::Object(map) => {
                if let (1, Some(Json::String(name))) = (map.len(), map.get("Ref"))
                    && let Some(values) = self.parameter_values(name)
                    && !choices
                        .iter()
                        .any(|c| matches!(c, Choice::Parameter(n, _) if n == name))
                {
                    choices.push(Choice::Parameter(name.clone(), values));
                }
                if let (1, Some(Json::Array(args))) = (map.len(), map.get("Fn::If"))
                    && let Some(Json::String(condition)) = args.first()
                    && !choices
                        .iter()
                        .any(|c| matches!(c, Choice::Condition(n) if n == condition))
                {
                    choices.push(Choice::Condition(condition.clone()));
                }
                map.values().for_each(|v| self.collect_choices(v, choices));
            }
            Json::Array(items) => items.iter().for_each(|v| self.collect_choices(v, choices)),
            _ => {}
        }
    }

    /// A template parameter's `Default` and each of its `AllowedValues` (once each), with
    /// their pointers; `None` if it has neither.
    fn parameter_values(&self, name: &str) -> Option<Vec<(Json, String)>> {
        let parameter = self.parameters.get(name)?;
        let base = format!("/Parameters/{}", crate::pointer::escape_key(name));
        let mut values: Vec<(Json, String)> = Vec::new();
        if let Some(default) = parameter.get("Default") {
            values.push((default.clone(), format!("{base}/Default")));
        }
        if let Some(Json::Array(allowed)) = parameter.get("AllowedValues") {
            for (i, v) in allowed.iter().enumerate() {
                if !values.iter().any(|(known, _)| known == v) {
                    values.push((v.clone(), format!("{base}/AllowedValues/{i}")));
                }
            }
        }
        (!values.is_empty()).then_some(values)
    }

    /// Resolves `node` (at `pointer`) under `assignment`.
    fn resolve(
        &self,
        node: &Json,
        pointer: &str,
        choices: &[Choice],
        assignment: &[usize],
    ) -> Resolved {
        if let Some(Json::String(why)) = node.get(super::terraform::UNKNOWN) {
            return Resolved::Unknown(why.clone(), pointer.to_string());
        }
        let Some(map) = node.as_object().filter(|m| m.len() == 1) else {
            return Resolved::Value(node.clone(), pointer.to_string());
        };
        let (key, arg) = map.iter().next().expect("one entry");
        let inner = format!("{pointer}/{}", crate::pointer::escape_key(key));
        // A value not known is shown where the file writes it: the intrinsic as a whole (a
        // JSON or flow object, a YAML tag), or, written as a block mapping, its key.
        let whole = (self.text_of)(pointer)
            .is_some_and(|text| text.starts_with('{') || text.starts_with('!'));
        let unknown_at = match whole {
            true => pointer.to_string(),
            false => inner.clone(),
        };
        match (key.as_str(), arg) {
            ("Ref", Json::String(name)) if name == "AWS::NoValue" => Resolved::Absent,
            ("Ref", Json::String(name)) if name == "AWS::Region" && self.region.is_some() => {
                Resolved::Value(
                    Json::String(self.region.unwrap_or_default().to_string()),
                    unknown_at,
                )
            }
            ("Fn::FindInMap", Json::Array(args)) if args.len() == 3 => {
                let mut keys = Vec::new();
                for (i, arg) in args.iter().enumerate() {
                    let at = format!("{inner}/{i}");
                    match self.resolve(arg, &at, choices, assignment) {
                        Resolved::Value(Json::String(key), _) => keys.push(key),
                        Resolved::Value(Json::Number(key), _) => keys.push(key.to_string()),
                        Resolved::Unknown(why, _) => {
                            return Resolved::Unknown(
                                format!("`Fn::FindInMap` looks up a key that is not known: {why}"),
                                unknown_at,
                            );
                        }
                        _ => {
                            return Resolved::Unknown(
                                "`Fn::FindInMap` looks up a key that is not a string".into(),
                                unknown_at,
                            );
                        }
                    }
                }
                let found = self
                    .mappings
                    .get(&keys[0])
                    .and_then(|m| m.get(&keys[1]))
                    .and_then(|m| m.get(&keys[2]));
                match found {
                    Some(value) => {
                        let at = keys.iter().fold("/Mappings".to_string(), |at, key| {
                            format!("{at}/{}", crate::pointer::escape_key(key))
                        });
                        self.resolve(value, &at, choices, assignment)
                    }
                    None => Resolved::Unknown(
                        format!(
                            "`Fn::FindInMap` finds no `{}` in the template's `Mappings`",
                            keys.join(".")
                        ),
                        unknown_at,
                    ),
                }
            }
            ("Ref", Json::String(name)) => {
                let chosen = choices.iter().zip(assignment).find_map(|(c, &o)| match c {
                    Choice::Parameter(n, values) if n == name => Some(values[o].clone()),
                    _ => None,
                });
                match chosen {
                    Some((value, at)) => Resolved::Value(value, at),
                    None if self.parameters.contains_key(name) => Resolved::Unknown(
                        format!(
                            "template parameter `{name}` has no `Default` or `AllowedValues`: its value is chosen when the stack is created"
                        ),
                        unknown_at.clone(),
                    ),
                    None if name.starts_with("AWS::") => Resolved::Unknown(
                        format!("`{name}` is known only when the stack is created"),
                        unknown_at.clone(),
                    ),
                    None => Resolved::Unknown(
                        format!("`Ref` to `{name}` is known only once it is created"),
                        unknown_at.clone(),
                    ),
                }
            }
            ("Fn::If", Json::Array(args)) if args.len() == 3 => {
                let condition = args[0].as_str().unwrap_or_default();
                let option = choices
                    .iter()
                    .zip(assignment)
                    .find_map(|(c, &o)| {
                        matches!(c, Choice::Condition(n) if n == condition).then_some(o)
                    })
                    .unwrap_or(0);
                let branch = 1 + option;
                self.resolve(
                    &args[branch],
                    &format!("{inner}/{branch}"),
                    choices,
                    assignment,
                )
            }
            ("Fn::Sub", Json::String(text)) if !text.contains("${") => {
                Resolved::Value(Json::String(text.clone()), inner)
            }
            (key, _) if key.starts_with("Fn::") => Resolved::Unknown(
                format!("`{key}` is known only once the stack is deployed"),
                unknown_at,
            ),
            _ => Resolved::Value(node.clone(), pointer.to_string()),
        }
    }

    /// The values at `path` below `node` (lists fan out, to the items that have the values
    /// of `item`), each resolved under `assignment`.
    #[allow(clippy::too_many_arguments)]
    fn values_at(
        &self,
        node: &Json,
        pointer: &str,
        path: &[&str],
        item: &BTreeMap<String, Scalar>,
        choices: &[Choice],
        assignment: &[usize],
        out: &mut Vec<Resolved>,
    ) {
        let (node, pointer) = match self.resolve(node, pointer, choices, assignment) {
            Resolved::Value(value, at) => (value, at),
            other => return out.push(other),
        };
        let Some((head, rest)) = path.split_first() else {
            return out.push(Resolved::Value(node, pointer));
        };
        match &node {
            Json::Array(items) => {
                for (i, value) in items.iter().enumerate() {
                    let wanted = item
                        .iter()
                        .all(|(key, want)| value.get(key).is_some_and(|v| equals(v, want)));
                    if wanted {
                        self.values_at(
                            value,
                            &format!("{pointer}/{i}"),
                            path,
                            item,
                            choices,
                            assignment,
                            out,
                        );
                    }
                }
            }
            Json::Object(map) => {
                if let Some(child) = map.get(*head) {
                    let at = format!("{pointer}/{}", crate::pointer::escape_key(head));
                    self.values_at(child, &at, rest, item, choices, assignment, out);
                }
            }
            _ => {}
        }
    }

    /// Reads one field for one variant.
    fn read_field(
        &self,
        field: &InputField,
        sites: &[Site<'_>],
        choices: &[Choice],
        assignment: &[usize],
        variant: &mut Variant,
        cluster: &mut Cluster,
    ) {
        let subject_name = field
            .parameter
            .as_deref()
            .or(field.feature.as_deref())
            .unwrap_or_default();
        let list = field
            .parameter
            .as_deref()
            .and_then(|p| p.split_once('.'))
            .filter(|(head, _)| {
                self.kb
                    .index()
                    .parameter(head)
                    .is_some_and(|p| p.value_type == ParameterType::ObjectList)
            });
        let mut feature_on: Option<(bool, String)> = None;
        for (item, site) in sites.iter().enumerate() {
            let site_pointer = format!("/Resources/{}", crate::pointer::escape_key(site));
            let mut found = Vec::new();
            match (&field.value, &field.path) {
                (Some(value), _) => found.push(Resolved::Value(
                    super::scalar_json(value),
                    site_pointer.clone(),
                )),
                (None, Some(path)) => {
                    let Some(properties) =
                        self.resources.get(*site).and_then(|r| r.get("Properties"))
                    else {
                        continue;
                    };
                    let segments: Vec<&str> = path.split('.').collect();
                    self.values_at(
                        properties,
                        &format!("{site_pointer}/Properties"),
                        &segments,
                        &field.item,
                        choices,
                        assignment,
                        &mut found,
                    );
                }
                (None, None) => {}
            }
            if let Some((list, field_id)) = list {
                variant.place(&format!("/{list}/{item}"), &site_pointer);
                for resolved in found {
                    match resolved {
                        Resolved::Value(value, at) => {
                            let value = self.source_text(value, &at, field.parameter.as_deref());
                            variant.set(self.kb, Subject::Item(list, item, field_id), value, &at)
                        }
                        Resolved::Absent => {}
                        Resolved::Unknown(why, at) => cluster.unverified.push((
                            at,
                            format!("could not verify `{subject_name}` of `{site}` (cluster `{}`): {why}", cluster.name),
                        )),
                    }
                }
                continue;
            }
            for resolved in found {
                match resolved {
                    Resolved::Value(value, at) => match &field.feature {
                        Some(_) => {
                            let on = feature_is_on(field, &value);
                            if feature_on.as_ref().is_none_or(|(was, _)| !was && on) {
                                feature_on = Some((on, at));
                            }
                        }
                        None => {
                            if let Some((table, _)) = subject_name.split_once('.')
                                && let Some(parent) = at.rsplit_once('/').map(|(p, _)| p)
                            {
                                variant.place(&format!("/{table}"), parent);
                            }
                            let value = self.source_text(value, &at, field.parameter.as_deref());
                            variant.set(self.kb, Subject::Parameter(subject_name), value, &at);
                        }
                    },
                    Resolved::Absent => {}
                    // A feature that a property's presence turns on is on whatever its value.
                    Resolved::Unknown(_, at)
                        if field.feature.is_some() && field.on.is_none() && field.off.is_none() =>
                    {
                        if feature_on.as_ref().is_none_or(|(was, _)| !was) {
                            feature_on = Some((true, at));
                        }
                    }
                    Resolved::Unknown(why, at) => {
                        if let Some((table, _)) = subject_name.split_once('.')
                            && field.feature.is_none()
                        {
                            // The table is there even if this bound is not known.
                            let parent = at.split("/Fn::").next().unwrap_or(&at);
                            let parent = parent.rsplit_once('/').map_or(parent, |(p, _)| p);
                            variant.place(&format!("/{table}"), parent);
                        }
                        cluster.unverified.push((
                            at,
                            format!(
                                "could not verify `{subject_name}` of cluster `{}`: {why}",
                                cluster.name
                            ),
                        ))
                    }
                }
            }
        }
        if let (Some(feature), Some((on, at))) = (&field.feature, feature_on) {
            variant.set(self.kb, Subject::Feature(feature), Json::Bool(on), &at);
        }
    }

    /// A string parameter's value as the file writes it: a version written as a YAML number
    /// (`13.10`) keeps its digits.
    fn source_text(&self, value: Json, at: &str, parameter: Option<&str>) -> Json {
        let wants_text = parameter
            .and_then(|p| self.kb.index().parameter(p))
            .is_some_and(|p| {
                matches!(p.value_type, ParameterType::String | ParameterType::Version)
            });
        match (&value, wants_text) {
            (Json::Number(_), true) => (self.text_of)(at)
                .map(|text| Json::String(text.trim().trim_matches(['"', '\'']).to_string()))
                .unwrap_or(value),
            _ => value,
        }
    }
}

/// Whether a feature field's value turns the feature on: one of its `on` values, or not one
/// of its `off` values, else `true` (or `"true"`), or any other value that is not a boolean.
fn feature_is_on(field: &InputField, value: &Json) -> bool {
    match (&field.on, &field.off) {
        (Some(on), _) => on.iter().any(|v| equals(value, v)),
        (None, Some(off)) => !off.iter().any(|v| equals(value, v)),
        (None, None) => match value {
            Json::Bool(b) => *b,
            Json::String(s) if s.eq_ignore_ascii_case("false") => false,
            Json::Null => false,
            _ => true,
        },
    }
}

/// Whether `value` names the resource `name`: a `Ref` or `Fn::GetAtt` to it, a `${name}` in
/// an `Fn::Sub`, anywhere inside (`!Sub cluster:${Db}`, `!Join [":", [cluster, !Ref Db]]`), or
/// the literal `literal` (the resource's own name, such as its `DBClusterIdentifier`).
fn mentions(value: &Json, name: &str, literal: Option<&str>) -> bool {
    match value {
        Json::String(s) => literal.is_some_and(|l| l == s),
        Json::Array(items) => items.iter().any(|v| mentions(v, name, literal)),
        Json::Object(map) => map.iter().any(|(key, v)| match (key.as_str(), v) {
            ("Ref", Json::String(target)) => target == name,
            ("Fn::GetAtt", Json::Array(args)) => args.first().and_then(Json::as_str) == Some(name),
            ("Fn::GetAtt", Json::String(target)) => target.split('.').next() == Some(name),
            ("Fn::Sub", Json::String(text)) => text.contains(&format!("${{{name}}}")),
            ("Fn::Sub", Json::Array(args)) => args
                .first()
                .and_then(Json::as_str)
                .is_some_and(|t| t.contains(&format!("${{{name}}}"))),
            _ => mentions(v, name, literal),
        }),
        _ => false,
    }
}

/// The options chosen by variant number `number`: a number in the mixed radix of the choices.
fn mixed_radix(mut number: usize, choices: &[Choice]) -> Vec<usize> {
    choices
        .iter()
        .map(|c| {
            let option = number % c.options();
            number /= c.options();
            option
        })
        .collect()
}
