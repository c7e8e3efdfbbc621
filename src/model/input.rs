//! `[[input]]` in `kb.toml`: how a deployment file of another format than the cluster spec (a
//! CloudFormation template, an RDS API request) gives the spec's parameters and features, so
//! that `limitkb check` reads it directly. Which resource types and property paths mean what
//! is the knowledge base's data; the readers in `check/input/` know only the formats.

use super::Scalar;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How one format gives the cluster spec's values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputMapping {
    /// The format: `cloudformation` (a template, JSON or YAML, written by hand or synthesized
    /// by the AWS CDK), `rds-api` (a request body, as `aws rds … --cli-input-json` reads it),
    /// or `terraform` (a configuration's `.tf` files, and a plan of it: `terraform show -json`).
    pub format: InputFormat,
    /// What a cluster is: the resource type (`AWS::RDS::DBCluster`, `aws_rds_cluster`), or for
    /// `rds-api` the operation that creates one (`CreateDBCluster`).
    pub cluster: String,
    /// The cluster's property that gives its name (`DBClusterIdentifier`), which a resource
    /// joined to it may write literally instead of referring to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `rds-api`: each operation a request may be, by the members that mark it (a request is
    /// the first operation whose members it all has), such as
    /// `{ CreateDBCluster = ["DBClusterIdentifier", "Engine"] }`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub operations: std::collections::BTreeMap<String, Vec<String>>,
    /// A cluster is one this knowledge base is about when any of these holds; none: every
    /// cluster. Other clusters are left alone.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applies_when: Vec<InputCondition>,
    /// Where each parameter or feature stands.
    #[schemars(length(min = 1))]
    pub field: Vec<InputField>,
    /// Parameters the format does not state, with why: `check` uses the value given on the
    /// command line (`--region` for a parameter `region`), else notes that it could not
    /// verify the limitations on them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unstated: Vec<Unstated>,
}

/// A format `check` reads besides the cluster spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum InputFormat {
    /// An AWS CloudFormation template.
    Cloudformation,
    /// An RDS API request.
    RdsApi,
    /// Terraform: a configuration (the `.tf` files of a directory, with its `.tfvars`) or a
    /// plan (`terraform show -json`), whose values have the configuration's names.
    Terraform,
}

impl InputFormat {
    /// The name the data and `--input` use.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Cloudformation => "cloudformation",
            InputFormat::RdsApi => "rds-api",
            InputFormat::Terraform => "terraform",
        }
    }
}

/// A condition on the values read: the parameter is given (`{ parameter = "capacity" }`), or
/// has this value (for an object list's field, in any item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputCondition {
    /// The parameter, a range's table (`capacity`), an object list's field
    /// (`instance.class`), or `features`: any feature the file turns on or off.
    pub parameter: String,
    /// The value it must have; without one, being given is enough.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Scalar>,
}

/// Where one parameter or feature stands in the format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputField {
    /// The parameter it gives: `engine`, a range's bound `capacity.min_acu`, an object list's
    /// field `instance.class` (one item per resource that has it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// Or the feature it turns on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    /// The property path, dot-separated: under the resource's `Properties`, or in the
    /// request (`ServerlessV2ScalingConfiguration.MinCapacity`); a list on the way is read
    /// item by item (`AssociatedRoles.FeatureName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Or the value the format itself implies, at the resource (a template is not the
    /// console: `interface = "api"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Scalar>,
    /// The value is on another resource type (or request) than the cluster, such as
    /// `AWS::RDS::DBInstance`, joined to the cluster by `join` or `cluster_join`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The property of `resource` that names its cluster (a `Ref` to it, or its
    /// `DBClusterIdentifier`-like name as a literal): `DBClusterIdentifier`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join: Option<String>,
    /// Or the property of the cluster that names the `resource`: `DBClusterParameterGroupName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster_join: Option<String>,
    /// Only resources whose properties have these values count (`{ ScalableDimension =
    /// "rds:cluster:ReadReplicaCount" }`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub only: std::collections::BTreeMap<String, Scalar>,
    /// The items of a list on the way along `path` count only when they have these values
    /// (`{ name = "apg_ccm_enabled" }` of a Terraform parameter group's `parameter` blocks).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub item: std::collections::BTreeMap<String, Scalar>,
    /// For a feature: the values that turn it on, compared as text (`["1", "on"]`); without,
    /// `true` (or `"true"`) and, for a value that is not a boolean, being present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<Vec<Scalar>>,
    /// For a feature: the values that leave it off (`[0]` for a window of 0 hours); any other
    /// value turns it on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub off: Option<Vec<Scalar>>,
}

/// A parameter a format does not state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unstated {
    /// The parameter.
    pub parameter: String,
    /// Why the format does not state it, as the note says it.
    pub why: String,
}
