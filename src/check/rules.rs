//! The rules beyond draft-07, which the cluster schema cannot carry: a range's min <= max,
//! and a version's floor (numeric, part by part, in any of the parameter's spellings), from a
//! `version` constraint or the row of a `version-table`.

use super::Checker;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::model::{Condition, Constraint, ParameterType, Scalar, UNAVAILABLE, Value};
use crate::version::Version;
use serde_json::Value as Json;

impl Checker<'_> {
    /// `min <= max` for every range parameter: draft-07 cannot compare two values.
    pub(super) fn range_order(&self, doc: &Document) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for parameter in &self.kb.meta.parameters {
            let (ParameterType::Range, Some(min_key), Some(max_key)) =
                (parameter.value_type, &parameter.min_key, &parameter.max_key)
            else {
                continue;
            };
            let table = doc.value.get(&parameter.id);
            // A bound of the wrong type is the schema's to report.
            let fits = |v: &&Json| match parameter.is_fractional() {
                true => v.is_number(),
                false => is_integer(v),
            };
            let bound = |key: &str| table.and_then(|t| t.get(key)).filter(fits);
            if let (Some(min), Some(max)) = (bound(min_key), bound(max_key))
                && greater(min, max)
            {
                let mut d = doc.value_diagnostic(
                    &format!("/{}/{min_key}", parameter.id),
                    format!(
                        "{id}.{min_key} = {min} is greater than {id}.{max_key} = {max}: the minimum cannot exceed the maximum",
                        id = parameter.id
                    ),
                );
                d.limitation = self
                    .index
                    .constraints_on(&parameter.id, false)
                    .iter()
                    .find(|(_, c)| matches!(c, Constraint::Range { .. }))
                    .map(|(l, _)| l.to_string());
                out.push(d);
            }
        }
        out
    }

    /// Every version below the `min` of a `version` constraint on its parameter, or not allowed
    /// by the row of a `version-table` its spec picks.
    pub(super) fn version_floors(&self, doc: &Document) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for parameter in &self.kb.meta.parameters {
            if parameter.value_type != ParameterType::Version {
                continue;
            }
            let spellings = parameter.spellings();
            // A value that is not a version is the schema's to report.
            let Some(value) = doc
                .value
                .get(&parameter.id)
                .and_then(Json::as_str)
                .and_then(|text| Version::parse_spelled(text, spellings))
            else {
                continue;
            };
            for (limitation, constraint) in self.index.constraints_on(&parameter.id, false) {
                let applies = constraint.when().is_none_or(|when| holds(when, &doc.value));
                let allowed = match constraint {
                    Constraint::Version { min: Some(min), .. } if applies => {
                        Version::parse(min).is_none_or(|min| value >= min)
                    }
                    Constraint::VersionTable {
                        row, columns, rows, ..
                    } if applies => match table_row(rows, row, &doc.value) {
                        // In an available family, at least its floor; in none, the schema's
                        // too.
                        Some((_, cells)) => columns.iter().zip(cells).any(|(family, floor)| {
                            floor != UNAVAILABLE
                                && Version::parse(family).is_some_and(|f| value.is_in(&f))
                                && Version::parse(floor).is_some_and(|floor| value >= floor)
                        }),
                        None => true,
                    },
                    _ => true,
                };
                if !allowed {
                    let mut d = doc.value_diagnostic(&format!("/{}", parameter.id), "");
                    d.limitation = Some(limitation.to_string());
                    self.explain_limitation(doc, &mut d);
                    out.push(d);
                }
            }
        }
        out
    }
}

/// Whether `value` is an integer as draft-07 counts them: any number without a fraction, so
/// `8.0` too (the schema accepts it as a bound, and so must the `min <= max` rule).
fn is_integer(value: &Json) -> bool {
    value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// `a > b` for two integers (see [`is_integer`]), exactly when both fit in 64 bits.
fn greater(a: &Json, b: &Json) -> bool {
    let exact = |v: &Json| {
        v.as_i64()
            .map(i128::from)
            .or_else(|| v.as_u64().map(i128::from))
    };
    match (exact(a), exact(b)) {
        (Some(a), Some(b)) => a > b,
        _ => a.as_f64() > b.as_f64(),
    }
}

/// Whether `condition` holds in a spec: every parameter it names has the value given (one of
/// the values, for a list), and for a field of an object list (`instance.class`) any object
/// has it, as the cluster schema's `if` has it.
pub(super) fn holds(condition: &Condition, spec: &Json) -> bool {
    condition.iter().all(|(parameter, wanted)| {
        let matches = |actual: &Json| {
            let is = |scalar: &Scalar| serde_json::to_value(scalar).is_ok_and(|s| s == *actual);
            match wanted {
                Value::Scalar(scalar) => is(scalar),
                Value::List(items) => items.iter().any(is),
            }
        };
        match parameter.split_once('.') {
            Some((list, field)) => spec
                .get(list)
                .and_then(Json::as_array)
                .is_some_and(|objects| objects.iter().filter_map(|o| o.get(field)).any(matches)),
            None => spec.get(parameter).is_some_and(matches),
        }
    })
}

/// The row of a version table that `spec` picks, by the value of the `row` parameter: its
/// value, and its cells.
pub(super) fn table_row<'r>(
    rows: &'r [Vec<String>],
    row: &str,
    spec: &Json,
) -> Option<(&'r String, &'r [String])> {
    let value = spec.get(row)?.as_str()?;
    rows.iter()
        .filter_map(|cells| cells.split_first())
        .find(|(key, _)| key.as_str() == value)
}
