//! RDS API requests, as `aws rds <operation> --cli-input-json file.json` reads them: one
//! request a file, its operation recognised by its members (the mapping's `operations`). The
//! request is read as a one-resource template whose resource type is the operation, so the
//! fields, joins and values work as for CloudFormation; a request for another operation than
//! the cluster's (`CreateDBInstance`) joins a cluster known only by its identifier.

use super::Cluster;
use crate::model::{InputMapping, Kb, ParameterType};
use serde_json::{Map, Value as Json, json};

/// The logical id of the request in the template it is read as.
const REQUEST: &str = "Request";
/// The logical id of the cluster a request for another operation joins.
const JOINED: &str = "Cluster";

/// The operation of a request: of those whose members the request all has, the one with the
/// most members.
pub(super) fn operation<'m>(mapping: &'m InputMapping, value: &Json) -> Option<&'m str> {
    let request = value.as_object()?;
    mapping
        .operations
        .iter()
        .filter(|(_, members)| members.iter().all(|m| request.contains_key(m)))
        .max_by_key(|(_, members)| members.len())
        .map(|(name, _)| name.as_str())
}

/// The cluster of the request, if the knowledge base is about it.
pub(super) fn clusters(
    kb: &Kb,
    mapping: &InputMapping,
    value: &Json,
    text_of: &dyn Fn(&str) -> Option<String>,
) -> Vec<Cluster> {
    let Some(operation) = operation(mapping, value) else {
        return Vec::new();
    };
    let mut resources = Map::new();
    resources.insert(
        REQUEST.to_string(),
        json!({ "Type": operation, "Properties": value }),
    );
    let cluster_name = if operation == mapping.cluster {
        REQUEST
    } else {
        // The cluster the request names, by its identifier (or ARN).
        let identifier = ["DBClusterIdentifier", "ResourceArn"]
            .iter()
            .find_map(|key| value.get(key).and_then(Json::as_str))
            .unwrap_or_default();
        resources.insert(
            JOINED.to_string(),
            json!({ "Type": mapping.cluster, "Properties": { "DBClusterIdentifier": identifier } }),
        );
        JOINED
    };
    let template = json!({ "Resources": resources });
    let request_prefix = format!("/Resources/{REQUEST}/Properties");
    let to_request = |pointer: &str| -> String {
        match pointer.strip_prefix(&request_prefix) {
            Some(rest) => rest.to_string(),
            // The request, or the cluster it joins, stands for the whole file.
            None => String::new(),
        }
    };
    let text_in_request = |pointer: &str| text_of(&to_request(pointer));
    super::cloudformation::clusters(kb, mapping, &template, &text_in_request, None)
        .into_iter()
        .map(|mut cluster| {
            cluster.name = match cluster_name {
                REQUEST => value
                    .get("DBClusterIdentifier")
                    .and_then(Json::as_str)
                    .unwrap_or(operation)
                    .to_string(),
                _ => template["Resources"][JOINED]["Properties"]["DBClusterIdentifier"]
                    .as_str()
                    .unwrap_or(JOINED)
                    .to_string(),
            };
            cluster.pointer = String::new();
            for variant in &mut cluster.variants {
                for (_, origin) in &mut variant.origins {
                    *origin = to_request(origin);
                }
            }
            for (pointer, why) in &mut cluster.unverified {
                *pointer = to_request(pointer);
                *why = why.replace(&format!("`{REQUEST}`"), &format!("the {operation} request"));
            }
            if cluster_name == JOINED {
                let named_by = ["DBClusterIdentifier", "ResourceArn"]
                    .into_iter()
                    .find(|key| value.get(key).is_some())
                    .unwrap_or("DBClusterIdentifier");
                joined_elsewhere(kb, mapping, operation, named_by, &mut cluster);
            }
            cluster
        })
        .collect()
}

/// A cluster known only by the identifier a request of another operation names: its own
/// settings are in its own request. Its ranges count as given (so a rule that needs one does
/// not fire), and a note says what was not checked.
fn joined_elsewhere(
    kb: &Kb,
    mapping: &InputMapping,
    operation: &str,
    named_by: &str,
    cluster: &mut Cluster,
) {
    let index = kb.index();
    let mut tables: Vec<&str> = mapping
        .field
        .iter()
        .filter(|f| f.resource.is_none())
        .filter_map(|f| f.parameter.as_deref()?.split_once('.').map(|(t, _)| t))
        .filter(|t| {
            index
                .parameter(t)
                .is_some_and(|p| p.value_type == ParameterType::Range)
        })
        .collect();
    tables.dedup();
    let at = format!("/{named_by}");
    for variant in &mut cluster.variants {
        for table in &tables {
            variant.place(&format!("/{table}"), &at);
        }
    }
    cluster.unverified.push((
        at,
        format!(
            "could not verify the settings of cluster `{}`: they are in its {} request, not in this {operation} request, whose own values alone are checked",
            cluster.name, mapping.cluster
        ),
    ));
}
