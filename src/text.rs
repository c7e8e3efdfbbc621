//! Wording: values, constraints and suggestions as a person reads them in a sentence. The
//! schemas' descriptions, the docs' view, the lint and `check` all say things in these words.

use crate::model::{Condition, Constraint, Feature, Number, Parameter, Scalar, UNAVAILABLE, Value};
use serde_json::Value as Json;

/// A number as people write it: integers without a fraction.
pub fn number_text(number: Number) -> String {
    match number {
        Number::Integer(i) => i.to_string(),
        Number::Float(f) => f.to_string(),
    }
}

/// A value as people read it in a sentence: strings quoted.
pub fn scalar_text(value: &Scalar) -> String {
    match value {
        Scalar::Boolean(b) => b.to_string(),
        Scalar::Number(n) => number_text(*n),
        Scalar::String(s) => format!("{s:?}"),
    }
}

/// A value or list as people read it in a sentence.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Scalar(s) => scalar_text(s),
        Value::List(items) => {
            let items: Vec<String> = items.iter().map(scalar_text).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// A constraint on `parameter` in words that follow "must be": "from 4 ACU to 32 ACU";
/// `None` for an `unsupported` constraint (see [`unsupported_words`]) or an empty range.
pub fn constraint_words(parameter: &Parameter, constraint: &Constraint) -> Option<String> {
    let words = rule_words(parameter, constraint)?;
    Some(match constraint.when() {
        Some(condition) => format!("{words} {}", condition_words(condition)),
        None => words,
    })
}

/// A condition in words: `when engine is "aurora-mysql" and region is one of "a", "b"`.
pub fn condition_words(condition: &Condition) -> String {
    let parts: Vec<String> = condition
        .iter()
        .map(|(parameter, value)| match value {
            Value::Scalar(s) => format!("{parameter} is {}", scalar_text(s)),
            Value::List(items) => {
                let items: Vec<String> = items.iter().map(scalar_text).collect();
                format!("{parameter} is one of {}", items.join(", "))
            }
        })
        .collect();
    format!("when {}", parts.join(" and "))
}

/// What one row of a `version-table` allows, given its `cells` under `columns`: "15.2 or higher
/// within 15.x, or 14.3 or higher within 14.x", or that no version is available.
pub fn version_row_words(columns: &[String], cells: &[String]) -> String {
    let available: Vec<String> = columns
        .iter()
        .zip(cells)
        .filter(|(_, cell)| *cell != UNAVAILABLE)
        .map(|(family, min)| format!("{min} or higher within {family}.x"))
        .collect();
    if available.is_empty() {
        "absent: no version is available".to_string()
    } else {
        format!("version {}", available.join(", or "))
    }
}

/// What a constraint requires, without its condition.
fn rule_words(parameter: &Parameter, constraint: &Constraint) -> Option<String> {
    let unit = parameter
        .unit
        .as_deref()
        .map_or(String::new(), |unit| format!(" {unit}"));
    match constraint {
        Constraint::Range { min, max, .. } => Some(match (min, max) {
            (Some(min), Some(max)) => format!(
                "from {}{unit} to {}{unit}",
                number_text(*min),
                number_text(*max)
            ),
            (Some(min), None) => format!("at least {}{unit}", number_text(*min)),
            (None, Some(max)) => format!("at most {}{unit}", number_text(*max)),
            (None, None) => return None,
        }),
        Constraint::OneOf { values, .. } => {
            let list: Vec<String> = values.iter().map(scalar_text).collect();
            Some(format!("one of {}", list.join(", ")))
        }
        Constraint::Equals { value, .. } => Some(format!("exactly {}{unit}", scalar_text(value))),
        Constraint::MultipleOf { step, .. } => {
            Some(format!("a multiple of {}{unit}", number_text(*step)))
        }
        Constraint::Version { family, min, .. } => match (family, min) {
            (Some(family), Some(min)) => Some(format!("version {min} or higher within {family}.x")),
            (Some(family), None) => Some(format!("version {family} or {family}.x")),
            (None, Some(min)) => Some(format!("version {min} or higher")),
            (None, None) => None,
        },
        Constraint::Required { .. } => Some("present".to_string()),
        Constraint::VersionTable { row, .. } => Some(format!("a version its `{row}` allows")),
        Constraint::Unsupported { .. } => None,
    }
}

/// What an `unsupported` constraint requires of its feature, in words that follow "must be":
/// "false (Amazon RDS Proxy is not supported)".
pub fn unsupported_words(feature: &Feature) -> String {
    format!("false ({} is not supported)", feature.name)
}

/// A JSON value, shortened for a message.
pub fn short(value: &Json) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

/// The message and the help for an unknown key: "unknown key `prot`" and "did you mean
/// `port`?" when a known key is close, else the keys allowed there.
pub fn unknown_key(key: &str, known: &[String]) -> (String, Option<String>) {
    let help = match closest(key, known) {
        Some(candidate) => Some(format!("did you mean `{candidate}`?")),
        None if known.is_empty() => None,
        None => Some(format!("the keys allowed here are: {}", known.join(", "))),
    };
    (format!("unknown key `{key}`"), help)
}

/// The candidate nearest to `word` by edit distance, when it is near enough to be a typo.
pub fn closest<'a>(word: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(distance, c)| *distance <= (c.chars().count().max(3) / 3).max(1))
        .min()
        .map(|(_, c)| c.as_str())
}

/// Edit distance in characters, counting a swap of two neighbours as one edit (the most
/// common typo: `prot` for `port`).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_a_suggestion() {
        let known: Vec<String> = ["port", "capacity", "rds_proxy"].map(String::from).to_vec();
        assert_eq!(closest("prot", &known), Some("port"));
        assert_eq!(closest("capcity", &known), Some("capacity"));
        assert_eq!(closest("rds_proxi", &known), Some("rds_proxy"));
        assert_eq!(closest("colour", &known), None);
        assert_eq!(
            unknown_key("prot", &known),
            (
                "unknown key `prot`".into(),
                Some("did you mean `port`?".into())
            )
        );
    }
}
