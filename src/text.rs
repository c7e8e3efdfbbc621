//! Wording: values, constraints and suggestions as a person reads them in a sentence. The
//! schemas' descriptions, the docs' view, the lint and `check` all say things in these words.

use crate::fast_hash::Map as HashMap;
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

/// Where each needle occurs in `text` (the byte offset of every occurrence, overlapping ones
/// too; an empty needle at 0), in one pass for the long needles and one for the short ones: a
/// rolling hash (Rabin-Karp) of each window of `WINDOW` bytes is looked up among the hashes of
/// the long needles' first `WINDOW` bytes, and a hit is compared in full; the needles shorter
/// than the window go to an Aho-Corasick automaton (small for short needles). The time is
/// linear in the text, the needles and the occurrences.
pub(crate) fn find_all(text: &str, needles: &[&str]) -> Vec<Vec<usize>> {
    const WINDOW: usize = 32;
    const BASE: u64 = 0x0000_0100_0000_01b3;
    // A filter that rules out most windows before the map lookup: about 64 bits a needle,
    // so that as many windows pass it per needle whatever the number of needles.
    let filter_bits = (needles.len().max(1) * 64)
        .next_power_of_two()
        .trailing_zeros()
        .clamp(16, 28);
    let hash = |bytes: &[u8]| {
        bytes.iter().fold(0u64, |h, &b| {
            h.wrapping_mul(BASE).wrapping_add(u64::from(b))
        })
    };
    let slot = |h: u64| (h >> (64 - filter_bits)) as usize;
    let mut found: Vec<Vec<usize>> = vec![Vec::new(); needles.len()];
    let mut short: Vec<usize> = Vec::new();
    let mut by_prefix: HashMap<u64, Vec<usize>> = HashMap::default();
    let mut filter = vec![0u64; (1 << filter_bits) / 64];
    for (n, needle) in needles.iter().enumerate() {
        if needle.is_empty() {
            found[n].push(0);
        } else if needle.len() < WINDOW {
            short.push(n);
        } else {
            let h = hash(&needle.as_bytes()[..WINDOW]);
            filter[slot(h) / 64] |= 1 << (slot(h) % 64);
            by_prefix.entry(h).or_default().push(n);
        }
    }
    if !short.is_empty() {
        let automaton = aho_corasick::AhoCorasick::new(short.iter().map(|&n| needles[n]))
            .expect("an automaton of short needles fits");
        for hit in automaton.find_overlapping_iter(text) {
            found[short[hit.pattern().as_usize()]].push(hit.start());
        }
    }
    let bytes = text.as_bytes();
    if by_prefix.is_empty() || bytes.len() < WINDOW {
        return found;
    }
    // The weight of the byte that leaves the window.
    let leaving = (1..WINDOW).fold(1u64, |p, _| p.wrapping_mul(BASE));
    let mut h = hash(&bytes[..WINDOW]);
    for start in 0..=bytes.len() - WINDOW {
        if start > 0 {
            h = h
                .wrapping_sub(leaving.wrapping_mul(u64::from(bytes[start - 1])))
                .wrapping_mul(BASE)
                .wrapping_add(u64::from(bytes[start + WINDOW - 1]));
        }
        if filter[slot(h) / 64] & (1 << (slot(h) % 64)) == 0 {
            continue;
        }
        for &n in by_prefix.get(&h).map_or(&[][..], Vec::as_slice) {
            if bytes[start..].starts_with(needles[n].as_bytes()) {
                found[n].push(start);
            }
        }
    }
    found
}

/// Markdown source escapes punctuation (`\(`, `\.`); quotes are compared without the escapes.
pub(crate) fn unescape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Folds runs of white space into one space, so line breaks do not matter.
pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
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

    #[test]
    fn quotes_are_compared_without_markdown_escapes() {
        let copy = normalize(&unescape_markdown(
            "Aurora Serverless v2 \\(preview\\)  is\n in preview\\.",
        ));
        assert!(copy.contains(&normalize("Aurora Serverless v2 (preview) is in preview.")));
    }

    #[test]
    fn find_all_agrees_with_a_search_at_every_offset() {
        let text = "Aurora Serverless v2 (preview) is in preview. Port 3306 only, in one Region. \
                    Ünïcödé text with a long sentence that spans the whole rolling window.";
        let needles = [
            "Port 3306 only, in one Region.", // shorter than the window
            "Aurora Serverless v2 (preview) is in preview.", // at the start
            "long sentence that spans the whole rolling window.", // at the end
            "Ünïcödé text with a long sentence",
            "Aurora Serverless v2 (preview) is not in preview.", // same first bytes, absent
            "nowhere in the text at all, and longer than the window",
            "",
            text,
        ];
        let expected: Vec<Vec<usize>> = needles.iter().map(|n| every_offset(text, n)).collect();
        assert_eq!(find_all(text, &needles), expected);
        let found: Vec<bool> = expected.iter().map(|at| !at.is_empty()).collect();
        assert_eq!(found, [true, true, true, true, false, false, true, true]);
        assert_eq!(find_all("aaaa", &["aa"]), [[0, 1, 2]]);
    }

    /// Where `needle` starts in `text`, trying every offset (an empty needle: at 0).
    fn every_offset(text: &str, needle: &str) -> Vec<usize> {
        if needle.is_empty() {
            return vec![0];
        }
        (0..text.len())
            .filter(|&i| text.is_char_boundary(i) && text[i..].starts_with(needle))
            .collect()
    }

    proptest::proptest! {
        /// On texts of few distinct characters (so that windows often share their first bytes),
        /// with needles cut from the text or made up, the one-pass search finds every occurrence.
        #[test]
        fn find_all_agrees_with_a_search_at_every_offset_on_any_text(
            text in "[ab é]{0,300}",
            cuts in proptest::collection::vec((0usize..300, 0usize..80), 0..12),
            made_up in proptest::collection::vec("[ab é]{25,60}", 0..6),
        ) {
            let mut needles: Vec<String> = made_up;
            for (start, len) in cuts {
                let start = (start..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
                let end = ((start + len).min(text.len())..=text.len())
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(text.len());
                needles.push(text[start..end].to_string());
            }
            let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
            let expected: Vec<Vec<usize>> = needles.iter().map(|n| every_offset(&text, n)).collect();
            proptest::prop_assert_eq!(find_all(&text, &needles), expected);
        }
    }
}
