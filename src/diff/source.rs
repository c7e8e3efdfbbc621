//! Drift of a source document: a new copy of the page a knowledge base encodes, held against
//! the knowledge base. Every passage it quotes (a limitation's quote and context, a parameter's
//! value names) that the new copy no longer has, and every sentence, list item and table row of
//! the new copy that no passage cites and the current copy did not have.

use crate::model::Kb;
use crate::text::{normalize, unescape_markdown};
use serde::Serialize;

/// A passage of the knowledge base the new copy no longer has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    /// Where it is quoted: `limitation <id>` or `parameter <id>`.
    pub place: String,
    /// `quote`, `context` or `name`.
    pub what: &'static str,
    /// The passage.
    pub passage: String,
}

/// A sentence, list item or table row of a copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// Its line in the copy, from 1.
    pub line: usize,
    /// Its text, without Markdown escapes.
    pub text: String,
}

/// What a new copy changes for a knowledge base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceReport {
    /// The passages the new copy no longer has.
    pub missing: Vec<Missing>,
    /// The units of the new copy that the current copy did not have and no passage cites.
    pub uncited: Vec<Unit>,
    /// How many units of the new copy a passage cites, of how many.
    pub cited: (usize, usize),
}

impl SourceReport {
    /// Whether the knowledge base needs a look: a passage gone or a new passage uncited.
    pub fn drifted(&self) -> bool {
        !self.missing.is_empty() || !self.uncited.is_empty()
    }
}

/// The passages of `kb` that quote `document` (the main source when `None`).
fn passages(kb: &Kb, document: Option<&str>) -> Vec<Missing> {
    let mut out = Vec::new();
    for l in &kb.limitations {
        let source = &l.limitation.source;
        if source.document.as_deref() != document {
            continue;
        }
        let place = format!("limitation {}", l.limitation.id);
        out.push(Missing {
            place: place.clone(),
            what: "quote",
            passage: source.quote.clone(),
        });
        if let Some(context) = &source.context {
            out.push(Missing {
                place,
                what: "context",
                passage: context.clone(),
            });
        }
    }
    for p in &kb.meta.parameters {
        if p.names_source.as_deref() != document {
            continue;
        }
        for name in p.names.iter().flat_map(|names| names.values()) {
            out.push(Missing {
                place: format!("parameter {}", p.id),
                what: "name",
                passage: name.clone(),
            });
        }
    }
    out
}

/// The sentences, list items and table rows of a Markdown copy, without headings, table rules
/// and HTML.
pub fn units(text: &str) -> Vec<Unit> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = unescape_markdown(raw.trim());
        let line = line.trim();
        if line.is_empty()
            || matches!(line, "+" | "-" | "*")
            || line.starts_with('#')
            || line.starts_with('<')
            || (line.starts_with('|') && line.chars().all(|c| "|-: ".contains(c)))
        {
            continue;
        }
        let item = ["+ ", "- ", "* "]
            .iter()
            .find_map(|bullet| line.strip_prefix(bullet));
        let whole = item.is_some() || line.starts_with('|');
        let body = item.unwrap_or(line).trim();
        let pieces: Vec<String> = if whole {
            vec![body.to_string()]
        } else {
            sentences(body)
        };
        for piece in pieces {
            out.push(Unit {
                line: i + 1,
                text: piece,
            });
        }
    }
    out
}

/// The sentences of a paragraph line: split after `.`, `?` or `!` followed by a space and a
/// capital letter.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for w in chars.windows(3) {
        let ((_, end), (_, space), (next_at, next)) = (w[0], w[1], w[2]);
        if matches!(end, '.' | '?' | '!') && space == ' ' && next.is_uppercase() {
            out.push(text[start..next_at].trim().to_string());
            start = next_at;
        }
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest.to_string());
    }
    out
}

/// `new_copy` of `document` (the main source when `None`) held against `kb`, whose current
/// copy is `old_copy`.
pub fn check(kb: &Kb, document: Option<&str>, old_copy: &str, new_copy: &str) -> SourceReport {
    let text = normalize(&unescape_markdown(new_copy));
    let all = passages(kb, document);
    let normalized: Vec<String> = all.iter().map(|m| normalize(&m.passage)).collect();
    let missing = all
        .iter()
        .zip(&normalized)
        .filter(|(_, p)| !text.contains(p.as_str()))
        .map(|(m, _)| m.clone())
        .collect();
    // A passage cites a unit it holds, or most of a unit that holds it (a quote of a part of
    // a long sentence); a short passage inside a longer new sentence does not cite it.
    let cites = |unit: &str| {
        let u = normalize(unit);
        normalized
            .iter()
            .any(|p| p.contains(u.as_str()) || (u.contains(p.as_str()) && 2 * p.len() >= u.len()))
    };
    let before: std::collections::HashSet<String> = units(old_copy)
        .into_iter()
        .map(|u| normalize(&u.text))
        .collect();
    let new_units = units(new_copy);
    let cited = new_units.iter().filter(|u| cites(&u.text)).count();
    let uncited = new_units
        .iter()
        .filter(|u| !cites(&u.text) && !before.contains(&normalize(&u.text)))
        .cloned()
        .collect();
    SourceReport {
        missing,
        uncited,
        cited: (cited, new_units.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_sentences_list_items_and_table_rows() {
        let text = "# Title\n\nFirst sentence\\. Second one \\(v2\\)\\.\n+ An item\\. With two.\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        let got: Vec<(usize, String)> = units(text).into_iter().map(|u| (u.line, u.text)).collect();
        assert_eq!(
            got,
            [
                (3, "First sentence.".to_string()),
                (3, "Second one (v2).".to_string()),
                (4, "An item. With two.".to_string()),
                (5, "| a | b |".to_string()),
                (7, "| 1 | 2 |".to_string()),
            ]
        );
    }
}
