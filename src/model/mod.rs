//! The typed model of a knowledge base, and of its two kinds of data file; the lookups by id
//! ([`Index`]) and the named constants derived from it ([`constants`]).
//!
//! The doc comments here become the descriptions in the generated data schemas, so they are
//! written for the person editing a data file.

pub mod constants;
mod input;

pub use input::{InputCondition, InputField, InputFormat, InputMapping, Unstated};

use crate::fast_hash::Map;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The pattern of limitation, category and KB ids: kebab-case.
pub const KEBAB_ID: &str = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$";
/// The pattern of parameter, feature, fact and range-key ids: snake_case.
pub const SNAKE_ID: &str = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$";

/// `data/<kb>/kb.toml`: what the knowledge base encodes, its categories, and the parameters and
/// features that a cluster spec may set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "limitkb knowledge base (kb.toml)")]
pub struct KbFile {
    /// Stable id of the knowledge base, kebab-case; it names the generated packages.
    #[schemars(regex(pattern = KEBAB_ID))]
    pub id: String,
    /// The product the limitations belong to, as people call it.
    #[schemars(length(min = 1))]
    pub name: String,
    /// Semantic version of the data (MAJOR.MINOR.PATCH); consumers pin it.
    #[schemars(regex(pattern = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$"))]
    pub version: String,
    /// One or two sentences on what the knowledge base covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The document the limitations are taken from.
    pub source: SourceDocument,
    /// Other documents some limitations are taken from, each with an `id` that a quote's
    /// `document` names.
    #[serde(
        rename = "other_source",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub other_sources: Vec<SourceDocument>,
    /// The categories, in the order the docs show them; each has a file
    /// `limitations/<id>.toml`.
    #[serde(rename = "category")]
    #[schemars(length(min = 1))]
    pub categories: Vec<Category>,
    /// The settings of a planned cluster that constraints talk about.
    #[serde(rename = "parameter", default)]
    pub parameters: Vec<Parameter>,
    /// Named product features that a cluster may want, and limitations may rule out.
    #[serde(rename = "feature", default)]
    pub features: Vec<Feature>,
    /// How deployment files of other formats (a CloudFormation template, an RDS API request)
    /// give the cluster spec's parameters and features, so that `limitkb check` reads them.
    #[serde(rename = "input", default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputMapping>,
}

/// The document the knowledge base encodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceDocument {
    /// For another source than the main one: the id its quotes name, kebab-case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = KEBAB_ID))]
    pub id: Option<String>,
    /// The document's title, as published.
    #[schemars(length(min = 1))]
    pub title: String,
    /// Who publishes the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Where the document is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The anchor (HTML id) of the document's section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    /// The revision encoded, as a date (YYYY-MM-DD).
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub revision: String,
    /// A copy of the document's text, relative to the data directory. When present, every
    /// limitation's `source.quote` and `source.context` must appear in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy: Option<String>,
}

/// A group of limitations; its limitations live in `limitations/<id>.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Stable id, kebab-case: the name of the category's data file and docs page.
    #[schemars(regex(pattern = KEBAB_ID))]
    pub id: String,
    /// The heading of the category in the docs.
    #[schemars(length(min = 1))]
    pub title: String,
    /// What the category is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the docs show this category's limitations up front, before anything else.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub callout: bool,
}

/// A setting of a planned cluster (a field of the cluster spec).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// The field name in a cluster spec, snake_case.
    #[schemars(regex(pattern = SNAKE_ID))]
    pub id: String,
    /// A short name for people.
    #[schemars(length(min = 1))]
    pub title: String,
    /// What the setting means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The type of the field's value.
    #[serde(rename = "type")]
    pub value_type: ParameterType,
    /// The unit of a numeric or range value, such as `ACU` or `GiB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// For `string` and `string-list`: the values the field can take at all (its domain), before
    /// any limitation narrows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// For `range`: the key of the lower bound inside the field's table, such as `min_acu`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = SNAKE_ID))]
    pub min_key: Option<String>,
    /// For `range`: the key of the upper bound inside the field's table, such as `max_acu`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = SNAKE_ID))]
    pub max_key: Option<String>,
    /// For `range`: the type of both bounds, `integer` (the default) or `number` (fractional
    /// bounds, such as `min_acu = 0.5`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounds: Option<Bounds>,
    /// For `version`: other ways to write a version, each with `{version}` where the dotted
    /// version stands, such as `8.0.mysql_aurora.{version}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spellings: Option<Vec<String>>,
    /// The name the source gives each value, where it writes names rather than the codes a
    /// spec uses: `{ "us-east-2" = "US East (Ohio)" }`. Each name must appear in the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names: Option<std::collections::BTreeMap<String, String>>,
    /// The source document (its id) that writes the `names`; the main source when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub names_source: Option<String>,
    /// For `object-list`: the fields of each object, such as `class` of an `[[instance]]`.
    /// A constraint names a field as `instance.class` and holds for every object.
    #[serde(rename = "field", default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<Parameter>>,
    /// An example value for the docs (for `range`: `[min, max]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
}

/// The type of the bounds of a `range` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Bounds {
    /// Whole numbers.
    Integer,
    /// Any numbers.
    Number,
}

/// The type of a parameter's value in a cluster spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ParameterType {
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// A string.
    String,
    /// `true` or `false`.
    Boolean,
    /// A list of strings.
    StringList,
    /// A dotted version such as `3.02.0`, compared numerically part by part, written plainly
    /// or in one of the parameter's `spellings`.
    Version,
    /// A list of tables with the parameter's `field`s, such as `[[instance]]` with `class`.
    ObjectList,
    /// A table of two numbers, the bounds named by `min_key` and `max_key`: integers unless
    /// `bounds = "number"`.
    Range,
}

impl std::fmt::Display for ParameterType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ParameterType::Integer => "integer",
            ParameterType::Number => "number",
            ParameterType::String => "string",
            ParameterType::Boolean => "boolean",
            ParameterType::StringList => "string-list",
            ParameterType::Version => "version",
            ParameterType::ObjectList => "object-list",
            ParameterType::Range => "range",
        })
    }
}

/// A named product feature; a cluster spec sets `features.<id> = true` to want it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Feature {
    /// The key under `features` in a cluster spec, snake_case.
    #[schemars(regex(pattern = SNAKE_ID))]
    pub id: String,
    /// The feature's name as the product calls it.
    #[schemars(length(min = 1))]
    pub name: String,
}

/// `data/<kb>/limitations/<category>.toml`: the limitations of one category; the file stem is the
/// category id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "limitkb limitations of one category (limitations/<category>.toml)")]
pub struct LimitationsFile {
    /// The limitations, in the order the docs show them.
    #[serde(rename = "limitation", default)]
    pub limitations: Vec<Limitation>,
}

/// One limitation: a fact about the product that its users must respect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Limitation {
    /// Stable id, kebab-case, unique across the knowledge base. Never reuse an id.
    #[schemars(regex(pattern = KEBAB_ID))]
    pub id: String,
    /// A short heading, such as "Port 3306 only".
    #[schemars(length(min = 1))]
    pub title: String,
    /// One sentence in our own words; `limitkb check` quotes it when a plan breaks the
    /// limitation.
    #[schemars(length(min = 1))]
    pub summary: String,
    /// What a cluster spec must respect; none makes the limitation a notice.
    #[serde(rename = "constraint", default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<Constraint>,
    /// Typed values the limitation states that are not constraints, such as GiB per ACU.
    #[serde(rename = "fact", default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Fact>,
    /// Where in the source document the limitation is stated.
    pub source: Quote,
    /// `lifted` when the product no longer has the limitation: it stays as a record (its id,
    /// anchor and docs), and its constraints are no longer enforced.
    #[serde(default, skip_serializing_if = "LimitationStatus::is_active")]
    pub status: LimitationStatus,
    /// For a lifted limitation: the revision of the source document that lifted it
    /// (YYYY-MM-DD), whose copy no longer states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub lifted_in: Option<String>,
    /// The id this limitation had before (a rename): `limitkb diff` reads the change as a
    /// rename, not a removal and an addition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = KEBAB_ID))]
    pub replaces: Option<String>,
}

/// Whether a limitation holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LimitationStatus {
    /// It holds (the default).
    #[default]
    Active,
    /// The product no longer has it (see `lifted_in`).
    Lifted,
}

impl LimitationStatus {
    /// Whether the limitation holds.
    pub fn is_active(&self) -> bool {
        *self == LimitationStatus::Active
    }
}

/// A rule a cluster spec must respect, on one parameter or feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Constraint {
    /// A numeric parameter (or both bounds of a range parameter) must lie within `min..=max`.
    Range {
        /// The parameter constrained.
        parameter: String,
        /// The smallest allowed value, inclusive.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<Number>,
        /// The largest allowed value, inclusive.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<Number>,
        /// Only when the named parameters have these values (a list: one of them), such as
        /// `{ engine = "aurora-mysql" }`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<Condition>,
    },
    /// The parameter (each item, for a list) must be one of `values`.
    OneOf {
        /// The parameter constrained.
        parameter: String,
        /// The allowed values, each once.
        #[schemars(length(min = 1))]
        values: Vec<Scalar>,
        /// Only when the named parameters have these values (a list: one of them), such as
        /// `{ engine = "aurora-mysql" }`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<Condition>,
    },
    /// The parameter must be exactly `value`.
    Equals {
        /// The parameter constrained.
        parameter: String,
        /// The only allowed value.
        value: Scalar,
        /// Only when the named parameters have these values (a list: one of them), such as
        /// `{ engine = "aurora-mysql" }`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<Condition>,
    },
    /// A numeric parameter (or both bounds of a range parameter) must be a whole multiple of
    /// `step`: "in increments of 0.5 ACU".
    MultipleOf {
        /// The parameter constrained.
        parameter: String,
        /// The step, above zero.
        step: Number,
        /// Only when the named parameters have these values (a list: one of them), such as
        /// `{ engine = "aurora-mysql" }`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<Condition>,
    },
    /// A version parameter must be in `family` (`2.07`: 2.07 or 2.07.x), at least `min`, or
    /// both (`family = "3"`, `min = "3.02.0"`: 3.02.0 or higher within 3.x).
    Version {
        /// The parameter constrained.
        parameter: String,
        /// The versions allowed: those whose first parts are these.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        family: Option<String>,
        /// The lowest version allowed, inclusive.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<String>,
        /// Only when the named parameters have these values (a list: one of them), such as
        /// `{ engine = "aurora-mysql" }`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<Condition>,
    },
    /// The parameter must be set (usually `when` something else holds: capacity when any
    /// instance is `db.serverless`).
    Required {
        /// The parameter that must be set.
        parameter: String,
        /// Only when the named parameters have these values (a list: one of them), such as
        /// `{ "instance.class" = "db.serverless" }` (any object of a list).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<Condition>,
    },
    /// A version parameter, by the value of another parameter (`row`), as a source's table has
    /// it: each row names that value and, per column (a family), the lowest version available,
    /// or `-` for none. A version must be in a family available in its row and at least that
    /// family's lowest version. Values no row names are left to other rules.
    VersionTable {
        /// The version parameter.
        parameter: String,
        /// The parameter whose value picks the row, such as `region`.
        row: String,
        /// The family of each column, such as `["15", "14", "13"]`.
        #[schemars(length(min = 1))]
        columns: Vec<String>,
        /// The rows: the `row` parameter's value, then a cell per column: the lowest version
        /// available in that family, or `-`.
        #[schemars(length(min = 1))]
        rows: Vec<Vec<String>>,
        /// Only when the named parameters have these values (a list: one of them), such as
        /// `{ engine = "aurora-mysql" }`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<Condition>,
    },
    /// The feature must not be enabled.
    Unsupported {
        /// The feature that is not supported.
        feature: String,
        /// Only when the named parameters have these values (a list: one of them), such as
        /// `{ engine = "aurora-mysql" }`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        when: Option<Condition>,
    },
}

impl Constraint {
    /// The kind, as the data writes it: `range`, `one-of`, `equals`, `multiple-of`, `version`,
    /// `required`, `version-table` or `unsupported`.
    pub fn kind(&self) -> &'static str {
        match self {
            Constraint::Range { .. } => "range",
            Constraint::OneOf { .. } => "one-of",
            Constraint::Equals { .. } => "equals",
            Constraint::MultipleOf { .. } => "multiple-of",
            Constraint::Version { .. } => "version",
            Constraint::Required { .. } => "required",
            Constraint::VersionTable { .. } => "version-table",
            Constraint::Unsupported { .. } => "unsupported",
        }
    }

    /// The condition under which it applies; `None` when it always does.
    pub fn when(&self) -> Option<&Condition> {
        match self {
            Constraint::Range { when, .. }
            | Constraint::OneOf { when, .. }
            | Constraint::Equals { when, .. }
            | Constraint::MultipleOf { when, .. }
            | Constraint::Version { when, .. }
            | Constraint::Required { when, .. }
            | Constraint::VersionTable { when, .. }
            | Constraint::Unsupported { when, .. } => when.as_ref(),
        }
    }

    /// The parameter or feature id the constraint is about.
    pub fn subject(&self) -> &str {
        match self {
            Constraint::Range { parameter, .. }
            | Constraint::OneOf { parameter, .. }
            | Constraint::Equals { parameter, .. }
            | Constraint::MultipleOf { parameter, .. }
            | Constraint::Version { parameter, .. }
            | Constraint::Required { parameter, .. }
            | Constraint::VersionTable { parameter, .. } => parameter,
            Constraint::Unsupported { feature, .. } => feature,
        }
    }
}

/// The cell of a `version-table` that says a family is not available in a row.
pub const UNAVAILABLE: &str = "-";

/// When a constraint applies: each named parameter has the value given, or one of the values
/// of a list.
pub type Condition = std::collections::BTreeMap<String, Value>;

/// A typed value that a limitation states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// The fact's name, snake_case, unique across the knowledge base: it names the generated
    /// constant.
    #[schemars(regex(pattern = SNAKE_ID))]
    pub id: String,
    /// The value: a number, a string, a boolean or a list of one of these.
    pub value: Value,
    /// The unit of a numeric value, such as `GiB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// What the value is.
    #[schemars(length(min = 1))]
    pub description: String,
}

/// The passage of the source document a limitation encodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    /// The source document quoted, by its id; the main source when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// The exact sentence(s) of the source document.
    #[schemars(length(min = 1))]
    pub quote: String,
    /// For a list item: the sentence that introduces the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
}

/// A number: integers stay integers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Number {
    /// A whole number.
    Integer(i64),
    /// A number with a fraction.
    Float(f64),
}

impl Number {
    /// The value as a float, for comparisons.
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Integer(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

/// A single value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Scalar {
    /// `true` or `false`.
    Boolean(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
}

/// A single value or a list of values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Value {
    /// A single value.
    Scalar(Scalar),
    /// A list of values of one type.
    List(Vec<Scalar>),
}

/// The type of a single value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// A string.
    String,
    /// `true` or `false`.
    Boolean,
}

/// The type of a constant or fact: a scalar type, or a list of one. Written `integer`,
/// `number`, `string`, `boolean`, or one of these with `-list`, in the JSON bundle and the
/// template context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValueType {
    /// The type of the value, or of each item of a list.
    pub item: ScalarType,
    /// Whether it is a list.
    pub list: bool,
}

impl Scalar {
    /// The value's type.
    pub fn scalar_type(&self) -> ScalarType {
        match self {
            Scalar::Boolean(_) => ScalarType::Boolean,
            Scalar::Number(Number::Integer(_)) => ScalarType::Integer,
            Scalar::Number(Number::Float(_)) => ScalarType::Number,
            Scalar::String(_) => ScalarType::String,
        }
    }
}

impl Value {
    /// The value's type; a list takes the type of its first item (the lint requires one type
    /// per list, and an empty list counts as strings).
    pub fn value_type(&self) -> ValueType {
        match self {
            Value::Scalar(s) => ValueType {
                item: s.scalar_type(),
                list: false,
            },
            Value::List(items) => ValueType {
                item: items
                    .first()
                    .map_or(ScalarType::String, Scalar::scalar_type),
                list: true,
            },
        }
    }
}

/// Whether every item of a list has one type (an integer and a float do not: a typed target
/// needs one element type).
pub fn is_homogeneous(items: &[Scalar]) -> bool {
    items
        .windows(2)
        .all(|w| w[0].scalar_type() == w[1].scalar_type())
}

impl Parameter {
    /// The type of the parameter's single values (of each item of a list, of each bound of a
    /// range).
    pub fn scalar_type(&self) -> ScalarType {
        match self.value_type {
            ParameterType::Range if self.bounds == Some(Bounds::Number) => ScalarType::Number,
            ParameterType::Integer | ParameterType::Range => ScalarType::Integer,
            ParameterType::Number => ScalarType::Number,
            ParameterType::String
            | ParameterType::StringList
            | ParameterType::Version
            | ParameterType::ObjectList => ScalarType::String,
            ParameterType::Boolean => ScalarType::Boolean,
        }
    }

    /// The ids a constraint may name this parameter by: its own, then `id.field` for each
    /// field of an object list (`instance.class`), each with its declaration.
    pub fn subjects(&self) -> impl Iterator<Item = (String, &Parameter)> {
        let fields = self.fields.iter().flatten();
        std::iter::once((self.id.clone(), self))
            .chain(fields.map(move |f| (format!("{}.{}", self.id, f.id), f)))
    }

    /// A version parameter's other spellings (none for other types).
    pub fn spellings(&self) -> &[String] {
        self.spellings.as_deref().unwrap_or_default()
    }

    /// Whether its values (or a range's bounds) are numbers that may have a fraction.
    pub fn is_fractional(&self) -> bool {
        self.scalar_type() == ScalarType::Number
    }
}

impl ScalarType {
    fn name(self) -> &'static str {
        match self {
            ScalarType::Integer => "integer",
            ScalarType::Number => "number",
            ScalarType::String => "string",
            ScalarType::Boolean => "boolean",
        }
    }
}

impl std::fmt::Display for ValueType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.item.name())?;
        if self.list {
            f.write_str("-list")?;
        }
        Ok(())
    }
}

/// A name that is not a [`ValueType`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value type `{0}`")]
pub struct UnknownValueType(String);

impl std::str::FromStr for ValueType {
    type Err = UnknownValueType;

    fn from_str(text: &str) -> Result<ValueType, UnknownValueType> {
        let (item, list) = match text.strip_suffix("-list") {
            Some(item) => (item, true),
            None => (text, false),
        };
        let item = match item {
            "integer" => ScalarType::Integer,
            "number" => ScalarType::Number,
            "string" => ScalarType::String,
            "boolean" => ScalarType::Boolean,
            _ => return Err(UnknownValueType(text.to_string())),
        };
        Ok(ValueType { item, list })
    }
}

impl Serialize for ValueType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A whole knowledge base, loaded and validated: `kb.toml` with every category's limitations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Kb {
    /// The contents of `kb.toml`.
    #[serde(flatten)]
    pub meta: KbFile,
    /// Every limitation, in category order, then file order.
    pub limitations: Vec<CategorizedLimitation>,
}

/// A limitation with the category whose file holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategorizedLimitation {
    /// The category id (the file stem).
    pub category: String,
    /// The limitation.
    #[serde(flatten)]
    pub limitation: Limitation,
}

type ConstraintsBySubject<'a> = Map<&'a str, Vec<(&'a str, &'a Constraint)>>;

/// Lookups into a knowledge base by id, built once so that rendering and checking stay linear
/// in the size of the knowledge base.
#[derive(Debug)]
pub struct Index<'a> {
    /// By id, and each field of an object list by `list.field`.
    parameters: Map<String, &'a Parameter>,
    features: Map<&'a str, &'a Feature>,
    /// Constraints on parameters, by parameter id, with their limitation ids.
    parameter_constraints: ConstraintsBySubject<'a>,
    /// Constraints on features (`unsupported`), by feature id, with their limitation ids.
    feature_constraints: ConstraintsBySubject<'a>,
}

impl KbFile {
    /// The source document with this id (the main source for `None`).
    pub fn document(&self, id: Option<&str>) -> Option<&SourceDocument> {
        match id {
            None => Some(&self.source),
            Some(id) => self
                .other_sources
                .iter()
                .find(|d| d.id.as_deref() == Some(id)),
        }
    }
}

impl Kb {
    /// Builds the id lookups.
    pub fn index(&self) -> Index<'_> {
        let mut parameter_constraints = ConstraintsBySubject::default();
        let mut feature_constraints = ConstraintsBySubject::default();
        // A lifted limitation's constraints are a record, no longer a rule.
        for entry in self
            .limitations
            .iter()
            .filter(|e| e.limitation.status.is_active())
        {
            for c in &entry.limitation.constraints {
                let by_subject = match c {
                    Constraint::Unsupported { .. } => &mut feature_constraints,
                    _ => &mut parameter_constraints,
                };
                by_subject
                    .entry(c.subject())
                    .or_default()
                    .push((entry.limitation.id.as_str(), c));
            }
        }
        Index {
            parameters: self
                .meta
                .parameters
                .iter()
                .flat_map(Parameter::subjects)
                .collect(),
            features: self
                .meta
                .features
                .iter()
                .map(|f| (f.id.as_str(), f))
                .collect(),
            parameter_constraints,
            feature_constraints,
        }
    }
}

impl<'a> Index<'a> {
    /// The parameter with this id, or the field `list.field` of an object list.
    pub fn parameter(&self, id: &str) -> Option<&'a Parameter> {
        self.parameters.get(id).copied()
    }

    /// The feature with this id.
    pub fn feature(&self, id: &str) -> Option<&'a Feature> {
        self.features.get(id).copied()
    }

    /// The constraints on a parameter (or, with `feature`, a feature), in data order, each with
    /// the id of the limitation that states it.
    pub fn constraints_on(&self, subject: &str, feature: bool) -> &[(&'a str, &'a Constraint)] {
        let by_subject = if feature {
            &self.feature_constraints
        } else {
            &self.parameter_constraints
        };
        by_subject.get(subject).map_or(&[], Vec::as_slice)
    }
}
