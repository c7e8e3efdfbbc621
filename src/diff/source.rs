//! Drift of a source document: a new copy of the page a knowledge base encodes, held against
//! the knowledge base. Every passage it quotes (a limitation's quote and context, a parameter's
//! value names) that the new copy no longer has, and every sentence, list item and table row of
//! the new copy that no passage cites and the current copy did not have.

use crate::model::Kb;
use crate::text::{find_all, normalize, unescape_markdown};
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

/// A passage of `kb` that quotes a source document: where (`limitation`, `parameter`), whose,
/// what (`quote`, `context`, `name`) and the text.
type Passage<'k> = (&'static str, &'k str, &'static str, &'k str);

/// The passages of `kb` that quote `document` (the main source when `None`).
fn passages<'k>(kb: &'k Kb, document: Option<&str>) -> Vec<Passage<'k>> {
    let mut out = Vec::new();
    for l in &kb.limitations {
        let (id, source) = (l.limitation.id.as_str(), &l.limitation.source);
        if source.document.as_deref() != document {
            continue;
        }
        out.push(("limitation", id, "quote", source.quote.as_str()));
        if let Some(context) = &source.context {
            out.push(("limitation", id, "context", context.as_str()));
        }
    }
    for p in &kb.meta.parameters {
        if p.names_source.as_deref() != document {
            continue;
        }
        for name in p.names.iter().flat_map(|names| names.values()) {
            out.push(("parameter", p.id.as_str(), "name", name.as_str()));
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

/// How many units of `copy`, the copy of `document` (the main source when `None`), the
/// passages of `kb` cite, of how many.
pub fn coverage(kb: &Kb, document: Option<&str>, copy: &str) -> (usize, usize) {
    let units = units(copy);
    let (_, cites) = locate(&passages(kb, document), copy, &units);
    (cites.iter().filter(|c| **c).count(), units.len())
}

/// `new_copy` of `document` (the main source when `None`) held against `kb`, whose current
/// copy is `old_copy`.
pub fn check(kb: &Kb, document: Option<&str>, old_copy: &str, new_copy: &str) -> SourceReport {
    let passages = passages(kb, document);
    let new_units = units(new_copy);
    let (found, cites) = locate(&passages, new_copy, &new_units);
    let missing = passages
        .iter()
        .zip(&found)
        .filter(|(_, found)| !**found)
        .map(|((kind, id, what, passage), _)| Missing {
            place: format!("{kind} {id}"),
            what,
            passage: passage.to_string(),
        })
        .collect();
    let before: std::collections::HashSet<String> = units(old_copy)
        .into_iter()
        .map(|u| normalize(&u.text))
        .collect();
    let uncited = new_units
        .iter()
        .zip(&cites)
        .filter(|(u, cited)| !**cited && !before.contains(&normalize(&u.text)))
        .map(|(u, _)| u.clone())
        .collect();
    SourceReport {
        missing,
        uncited,
        cited: (cites.iter().filter(|c| **c).count(), new_units.len()),
    }
}

/// Whether each passage is in `copy`, and whether the passages cite each of its `units`: a
/// passage occurrence holding the unit, or one inside the unit filling at least half of it (a
/// quote of a part of a long sentence; a short passage inside a longer sentence does not cite
/// it). The passages are found at every occurrence in one search of the copy, without Markdown
/// escapes and with white space folded (as the lint finds quotes); each unit is where its line
/// is, so the time is linear in the copy, the passages and the units.
fn locate(passages: &[Passage<'_>], copy: &str, units: &[Unit]) -> (Vec<bool>, Vec<bool>) {
    let (text, lines) = folded(copy);
    let texts: Vec<String> = passages.iter().map(|(_, _, _, p)| normalize(p)).collect();
    let needles: Vec<&str> = texts.iter().map(String::as_str).collect();
    let found_at = find_all(&text, &needles);
    let mut spans: Vec<(usize, usize)> = found_at
        .iter()
        .zip(&texts)
        .flat_map(|(starts, t)| starts.iter().map(|&s| (s, s + t.len())))
        .filter(|(start, end)| end > start)
        .collect();
    spans.sort_unstable();
    // The furthest end of the spans up to each one, in order of start.
    let reach: Vec<usize> = spans
        .iter()
        .scan(0, |furthest, &(_, end)| {
            *furthest = end.max(*furthest);
            Some(*furthest)
        })
        .collect();
    // Units come in the copy's order, several to a line: each is looked for after the
    // previous one of its line.
    let mut cursor = (0, 0);
    let cites = units
        .iter()
        .map(|u| {
            let (line_start, line_end) = lines[u.line - 1];
            let from = if cursor.0 == u.line {
                cursor.1
            } else {
                line_start
            };
            let unit = normalize(&u.text);
            let Some(at) = text[from..line_end].find(&unit).map(|i| from + i) else {
                return false;
            };
            let (start, end) = (at, at + unit.len());
            cursor = (u.line, end);
            let starting_before = spans.partition_point(|&(s, _)| s <= start);
            let held = starting_before > 0 && reach[starting_before - 1] >= end;
            let first_inside = spans.partition_point(|&(s, _)| s < start);
            held || spans[first_inside..]
                .iter()
                .take_while(|&&(s, _)| s < end)
                .any(|&(s, e)| e <= end && 2 * (e - s) >= end - start)
        })
        .collect();
    (found_at.iter().map(|at| !at.is_empty()).collect(), cites)
}

/// `copy` without Markdown escapes and with white space folded to single spaces (the text
/// `normalize(&unescape_markdown(copy))`, built line by line), and where each line's words are
/// in it.
fn folded(copy: &str) -> (String, Vec<(usize, usize)>) {
    let mut text = String::with_capacity(copy.len());
    let mut lines = Vec::new();
    for line in copy.lines() {
        let words = unescape_markdown(line);
        let mut start = None;
        for word in words.split_whitespace() {
            if !text.is_empty() {
                text.push(' ');
            }
            start.get_or_insert(text.len());
            text.push_str(word);
        }
        lines.push((start.unwrap_or(text.len()), text.len()));
    }
    (text, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folded_copy_is_the_copy_as_quotes_are_compared_with_it() {
        for copy in [
            "Two\\\nlines  with \\(escapes\\)\r\n\n  and\tspace \\\r\nend\\",
            "",
            "\n\n",
            "one",
        ] {
            let (text, lines) = folded(copy);
            assert_eq!(text, normalize(&unescape_markdown(copy)), "{copy:?}");
            assert_eq!(lines.len(), copy.lines().count(), "{copy:?}");
            for ((start, end), line) in lines.iter().zip(copy.lines()) {
                assert_eq!(
                    text[*start..*end],
                    normalize(&unescape_markdown(line)),
                    "{line:?}"
                );
            }
        }
    }

    #[test]
    fn passages_cite_the_units_that_hold_them_or_that_they_mostly_fill_wherever_they_occur() {
        let copy = "First sentence\\. Second one here\\.\n\n+ An item\\.\n\n\
                    | Asia Pacific \\(Melbourne\\) | – |\n|---|---|\n\
                    | Asia Pacific \\(Melbourne\\) | – | – | – |\n\
                    | A row far too long for the name Asia Pacific \\(Melbourne\\) to cite |\n";
        let passages: Vec<Passage<'_>> = vec![
            ("limitation", "a", "quote", "First sentence."),
            ("parameter", "region", "name", "Asia Pacific (Melbourne)"),
            ("limitation", "b", "quote", "Not in the copy."),
        ];
        let units = units(copy);
        let (found, cites) = locate(&passages, copy, &units);
        assert_eq!(found, [true, true, false]);
        let cited: Vec<(&str, bool)> = units.iter().map(|u| u.text.as_str()).zip(cites).collect();
        assert_eq!(
            cited,
            [
                ("First sentence.", true),
                ("Second one here.", false),
                ("An item.", false),
                ("| Asia Pacific (Melbourne) | – |", true),
                // The name occurs twice: it cites the second row too.
                ("| Asia Pacific (Melbourne) | – | – | – |", true),
                (
                    "| A row far too long for the name Asia Pacific (Melbourne) to cite |",
                    false
                ),
            ]
        );
    }

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
