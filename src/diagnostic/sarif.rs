//! Diagnostics as a SARIF 2.1.0 log, the format code-scanning services (GitHub code scanning,
//! Azure DevOps, SARIF viewers) read, in the shape cfn-lint, tflint and checkov emit.
//!
//! One run of the tool `limitkb`, with a rule per limitation that a diagnostic names (its
//! summary, from the diagnostic's note, as the rule's description) and [`SPEC_RULE`] for the
//! diagnostics that name none (a file that cannot be read or parsed, a value of the wrong type,
//! an unknown key). A result per diagnostic, in the order given: its rule, its severity as the
//! `level`, its whole message (help and note included, as the JSON form has it), and its file
//! with the line and column when it has them, and the resource's address as a logical location
//! when it names one (Terraform). Columns count characters (Unicode code points),
//! as [`Diagnostic::column`] does; the run says so in `columnKind`.

use super::Diagnostic;
use serde::Serialize;
use std::collections::BTreeMap;

/// The rule of every diagnostic that breaks no limitation. Limitation ids are kebab-case, so
/// none can be this.
pub const SPEC_RULE: &str = "limitkb/spec";

/// What [`SPEC_RULE`] stands for.
const SPEC_RULE_DESCRIPTION: &str = "A problem with the input itself rather than a \
    limitation: a file that cannot be read or parsed, a value of the wrong type, or an \
    unknown key.";

/// The schema a SARIF 2.1.0 log names.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A SARIF 2.1.0 log: serialize it (with `serde_json`) to print it. Its fields serialize in
/// SARIF's usual order (`$schema`, `version`, `runs`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    short_description: Message,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Message {
    text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: [Location; 1],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    /// The resource, for a diagnostic that names one by address (a Terraform plan has no
    /// positions a person reads: this is where it is).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    fully_qualified_name: String,
    kind: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

/// `diagnostics` as a SARIF 2.1.0 log (see the module's documentation for its shape).
pub fn log(diagnostics: &[Diagnostic]) -> Log {
    // Each rule's description: the first note given for it, else its id.
    let mut descriptions: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    for d in diagnostics {
        let description = descriptions.entry(rule_id(d)).or_default();
        if description.is_none() && d.limitation.is_some() {
            *description = d.note.as_deref();
        }
    }
    let rules: Vec<Rule> = descriptions
        .iter()
        .map(|(&id, description)| {
            let text = match description {
                Some(summary) => summary,
                None if id == SPEC_RULE => SPEC_RULE_DESCRIPTION,
                None => id,
            };
            Rule {
                id: id.to_string(),
                short_description: Message {
                    text: text.to_string(),
                },
            }
        })
        .collect();
    let index: BTreeMap<&str, usize> = descriptions
        .keys()
        .enumerate()
        .map(|(i, &id)| (id, i))
        .collect();
    let results = diagnostics
        .iter()
        .map(|d| SarifResult {
            rule_id: rule_id(d).to_string(),
            rule_index: index[rule_id(d)],
            level: d.severity.as_str(),
            message: Message {
                text: d.full_message(),
            },
            locations: [location(d)],
        })
        .collect();
    Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "limitkb",
                    version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

/// The rule a diagnostic breaks: its limitation, else [`SPEC_RULE`].
fn rule_id(d: &Diagnostic) -> &str {
    d.limitation.as_deref().unwrap_or(SPEC_RULE)
}

/// Where `d` is: its file, and the line and column when it has them; the end column too when
/// its excerpt underlines a part of the line.
fn location(d: &Diagnostic) -> Location {
    Location {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri: uri(&d.file) },
            region: d.line.map(|line| Region {
                start_line: line,
                start_column: d.column,
                end_column: d.column.and_then(|column| end_column(d, column)),
            }),
        },
        logical_locations: d
            .address
            .iter()
            .map(|address| LogicalLocation {
                name: address
                    .rsplit_once('.')
                    .map_or(address.as_str(), |(_, name)| name)
                    .to_string(),
                fully_qualified_name: address.clone(),
                kind: "resource",
            })
            .collect(),
    }
}

/// The column after the underlined part of `d`'s excerpt (SARIF's `endColumn` is exclusive),
/// when the excerpt starts at `column`.
fn end_column(d: &Diagnostic, column: usize) -> Option<usize> {
    let excerpt = d.excerpt.as_ref()?;
    let before = excerpt.text.get(..excerpt.span.start)?;
    let underlined = excerpt.text.get(excerpt.span.clone())?;
    let width = underlined.chars().count();
    (before.chars().count() + 1 == column && width > 0).then_some(column + width)
}

/// The file as a URI reference: a relative path stays relative (resolved against the
/// directory the tool ran in, as code-scanning services do), an absolute one becomes a
/// `file:` URI; what a URI cannot hold literally is percent-encoded.
fn uri(file: &str) -> String {
    let path = if cfg!(windows) {
        file.replace('\\', "/")
    } else {
        file.to_string()
    };
    let absolute = std::path::Path::new(file).is_absolute();
    let mut out = String::new();
    for byte in path.bytes() {
        let literal = byte.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=@/".contains(&byte)
            // A colon in a relative path's first segment would read as a scheme.
            || (byte == b':' && absolute);
        if literal {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    match (absolute, out.starts_with('/')) {
        (false, _) => out,
        (true, true) => format!("file://{out}"),
        (true, false) => format!("file:///{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Excerpt, Severity};
    use serde_json::json;

    fn log(diagnostics: &[Diagnostic]) -> serde_json::Value {
        serde_json::to_value(super::log(diagnostics)).unwrap()
    }

    fn violation() -> Diagnostic {
        Diagnostic {
            line: Some(3),
            column: Some(8),
            path: "/port".into(),
            limitation: Some("port-3306-only".into()),
            note: Some("The port is fixed.".into()),
            excerpt: Some(Excerpt {
                text: "port = 5432".into(),
                span: 7..11,
            }),
            ..Diagnostic::file_level("plans/c.toml", "port = 5432 is not allowed")
        }
    }

    #[test]
    fn a_log_has_one_run_a_rule_per_limitation_and_a_result_per_diagnostic() {
        let unknown = Diagnostic {
            line: Some(1),
            column: Some(1),
            path: "/colour".into(),
            ..Diagnostic::file_level("plans/c.toml", "unknown key `colour`")
        };
        let unverified = Diagnostic {
            note: None,
            ..violation()
        }
        .with_severity(Severity::Note);
        let log = log(&[violation(), unknown, unverified]);
        assert_eq!(
            log,
            json!({
                "$schema": SCHEMA_URI,
                "version": "2.1.0",
                "runs": [{
                    "tool": {"driver": {
                        "name": "limitkb",
                        "version": env!("CARGO_PKG_VERSION"),
                        "rules": [
                            {"id": "limitkb/spec", "shortDescription": {"text": SPEC_RULE_DESCRIPTION}},
                            {"id": "port-3306-only", "shortDescription": {"text": "The port is fixed."}},
                        ],
                    }},
                    "columnKind": "unicodeCodePoints",
                    "results": [
                        {"ruleId": "port-3306-only", "ruleIndex": 1, "level": "error",
                         "message": {"text": "port = 5432 is not allowed. The port is fixed."},
                         "locations": [{"physicalLocation": {
                             "artifactLocation": {"uri": "plans/c.toml"},
                             "region": {"startLine": 3, "startColumn": 8, "endColumn": 12}}}]},
                        {"ruleId": "limitkb/spec", "ruleIndex": 0, "level": "error",
                         "message": {"text": "unknown key `colour`"},
                         "locations": [{"physicalLocation": {
                             "artifactLocation": {"uri": "plans/c.toml"},
                             "region": {"startLine": 1, "startColumn": 1}}}]},
                        {"ruleId": "port-3306-only", "ruleIndex": 1, "level": "note",
                         "message": {"text": "port = 5432 is not allowed"},
                         "locations": [{"physicalLocation": {
                             "artifactLocation": {"uri": "plans/c.toml"},
                             "region": {"startLine": 3, "startColumn": 8, "endColumn": 12}}}]},
                    ],
                }]
            })
        );
    }

    #[test]
    fn the_log_reads_in_sarif_order() {
        let text = serde_json::to_string(&super::log(&[violation()])).unwrap();
        assert!(
            text.starts_with(r#"{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":{"name":"limitkb","#),
            "{text}"
        );
        assert!(
            text.contains(
                r#"{"ruleId":"port-3306-only","ruleIndex":0,"level":"error","message":{"text":"#
            ),
            "{text}"
        );
    }

    #[test]
    fn a_file_level_problem_has_a_location_without_region() {
        let log = log(&[Diagnostic::file_level("gone.toml", "cannot read gone.toml")]);
        assert_eq!(
            log["runs"][0]["results"][0]["locations"],
            json!([{"physicalLocation": {"artifactLocation": {"uri": "gone.toml"}}}])
        );
    }

    #[test]
    fn no_diagnostics_is_a_run_with_no_results() {
        let run = &log(&[])["runs"][0];
        assert_eq!(run["results"], json!([]));
        assert_eq!(run["tool"]["driver"]["rules"], json!([]));
    }

    #[test]
    fn columns_count_characters_and_the_end_is_after_the_underlined_ones() {
        // "é" is two bytes and one column.
        let d = Diagnostic {
            line: Some(1),
            column: Some(10),
            excerpt: Some(Excerpt {
                text: "région = \"ünknown\"".into(),
                span: 10..20,
            }),
            ..Diagnostic::file_level("c.toml", "not a Region")
        };
        assert_eq!(
            serde_json::to_value(location(&d)).unwrap()["physicalLocation"]["region"],
            json!({"startLine": 1, "startColumn": 10, "endColumn": 19})
        );
    }

    #[test]
    fn file_names_become_uri_references() {
        assert_eq!(
            uri("examples/cluster-broken.toml"),
            "examples/cluster-broken.toml"
        );
        assert_eq!(uri("./plans/a b#1.toml"), "./plans/a%20b%231.toml");
        assert_eq!(uri("c:d.toml"), "c%3Ad.toml");
        assert_eq!(uri("plans/ü.json"), "plans/%C3%BC.json");
        if cfg!(unix) {
            assert_eq!(uri("/tmp/spec.toml"), "file:///tmp/spec.toml");
        }
    }
}
