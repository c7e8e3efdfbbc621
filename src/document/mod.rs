//! Parsing input files into a JSON value plus the position of every value and key, so that a
//! problem found anywhere later (schema, model, lint, check) is reported at `file:line:col`
//! with the line it is on. One file per syntax turns its text into JSON and positions.

mod derived;
pub(crate) mod hcl;
mod json;
mod toml;
mod yaml;

use crate::diagnostic::{Diagnostic, Excerpt};
use serde_json::Value;
use std::ops::Range;

/// A parsed input file: its JSON value and where each part of it stands in the text.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    /// The file name, as the user gave it.
    pub(crate) file: String,
    /// The parsed content.
    pub(crate) value: Value,
    text: String,
    /// Where the key and the value at each JSON pointer stand.
    spans: SpanIndex,
    /// For a document of several files ([`Document::parse_files`]): where each file's text
    /// starts in `text`, and its name. Empty for a document of one file.
    parts: Vec<(usize, String)>,
}

/// Where the key and the value at each JSON pointer of a document stand. At scale this is most
/// of what loading allocates, so it is kept in two allocations: every pointer in one string,
/// and an entry per value. Only problems are looked up, so the index sorted by pointer is
/// built on the first lookup. The pointers take at most [`MAX_POINTER_BYTES`].
#[derive(Debug, Clone)]
struct SpanIndex {
    pointers: String,
    entries: Vec<SpanEntry>,
    sorted: std::sync::OnceLock<Vec<u32>>,
    /// [`MAX_POINTER_BYTES`], or less in tests.
    max_pointer_bytes: usize,
}

impl Default for SpanIndex {
    fn default() -> SpanIndex {
        SpanIndex {
            pointers: String::new(),
            entries: Vec::new(),
            sorted: std::sync::OnceLock::new(),
            max_pointer_bytes: MAX_POINTER_BYTES,
        }
    }
}

/// One value's pointer (a range of [`SpanIndex::pointers`]) and the byte spans of its key (none
/// for an array item or the root) and of the value. Files are at most 32 MiB, so offsets fit
/// in 32 bits.
#[derive(Debug, Clone)]
struct SpanEntry {
    pointer: Range<u32>,
    key: Option<Range<u32>>,
    value: Option<Range<u32>>,
}

/// The most bytes of pointers a [`SpanIndex`] keeps. Past them an entry is kept without its
/// pointer, so a lookup does not find it and falls back to the nearest ancestor recorded: a
/// long key above many values (a key of a megabyte above a million values) would otherwise
/// take a pointer of a megabyte each.
const MAX_POINTER_BYTES: usize = 256 * 1024 * 1024;

/// What [`SpanIndex::pointer`] gives for an entry kept without its pointer: no JSON pointer
/// (they are empty or start with `/`), so no lookup finds it.
const UNRECORDED: &str = "#";

impl SpanIndex {
    /// Records the spans at `pointer`; returns the entry's number, to add the value's span
    /// once it is known.
    fn record(
        &mut self,
        pointer: &str,
        key: Option<Range<usize>>,
        value: Option<Range<usize>>,
    ) -> usize {
        let pointer = if self.pointers.len() + pointer.len() <= self.max_pointer_bytes {
            let start = self.pointers.len();
            self.pointers.push_str(pointer);
            span32(start..self.pointers.len())
        } else {
            u32::MAX..u32::MAX
        };
        self.entries.push(SpanEntry {
            pointer,
            key: key.map(span32),
            value: value.map(span32),
        });
        self.entries.len() - 1
    }

    fn pointer(&self, entry: &SpanEntry) -> &str {
        self.pointers
            .get(entry.pointer.start as usize..entry.pointer.end as usize)
            .unwrap_or(UNRECORDED)
    }

    fn get(&self, pointer: &str) -> Option<&SpanEntry> {
        let sorted = self.sorted.get_or_init(|| {
            let mut order: Vec<u32> = (0..self.entries.len() as u32).collect();
            order.sort_by(|&a, &b| {
                self.pointer(&self.entries[a as usize])
                    .cmp(self.pointer(&self.entries[b as usize]))
            });
            order
        });
        let at = sorted
            .binary_search_by(|&i| self.pointer(&self.entries[i as usize]).cmp(pointer))
            .ok()?;
        Some(&self.entries[sorted[at] as usize])
    }
}

/// A byte span as stored in [`SpanIndex`].
fn span32(span: Range<usize>) -> Range<u32> {
    let narrow = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
    narrow(span.start)..narrow(span.end)
}

/// Where a file fails to parse.
#[derive(Debug)]
pub(crate) struct ParseError {
    /// The bytes of the text concerned; the problem is reported at the start.
    span: Range<usize>,
    /// The JSON pointer of the value concerned (empty for a syntax error).
    pointer: String,
    /// What is wrong.
    message: String,
}

impl ParseError {
    /// A syntax error at byte `offset`.
    fn syntax(offset: usize, message: String) -> ParseError {
        ParseError {
            span: offset..offset,
            pointer: String::new(),
            message,
        }
    }

    /// A key given twice in one mapping: reported at `again`, the message naming both places.
    /// `pointer` is the member's.
    fn duplicate_key(
        text: &str,
        key: &str,
        first: Range<usize>,
        again: Range<usize>,
        pointer: String,
    ) -> ParseError {
        let (first_line, first_column) = line_column(text, first.start);
        let (line, column) = line_column(text, again.start);
        let shown = if key.chars().any(char::is_control) {
            format!("{key:?}")
        } else {
            format!("`{key}`")
        };
        ParseError {
            span: again,
            pointer,
            message: format!(
                "duplicate key {shown}: first at line {first_line}, column {first_column}; \
                 again at line {line}, column {column}"
            ),
        }
    }
}

/// The 1-based line and column (in characters) of byte `offset` of `text`, as diagnostics
/// count them.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let start = floor_char_boundary(text, offset);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..start].matches('\n').count() + 1;
    (line, text[line_start..start].chars().count() + 1)
}

/// The input's syntax, chosen from the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// TOML.
    Toml,
    /// JSON.
    Json,
    /// YAML 1.2 (core schema), one document, with CloudFormation's short-form tags (`!Ref x`)
    /// read as their long form (`{"Ref": "x"}`): see [`yaml`].
    Yaml,
    /// HCL (Terraform's `.tf` and `.tfvars`), in the shape of Terraform's JSON syntax: see
    /// [`hcl`].
    Hcl,
}

impl Syntax {
    /// `.json` files are JSON, `.yaml` and `.yml` files YAML; everything else is read as TOML.
    pub(crate) fn of_file(file: &str) -> Syntax {
        let file = file.to_ascii_lowercase();
        if file.ends_with(".json") {
            Syntax::Json
        } else if file.ends_with(".yaml") || file.ends_with(".yml") {
            Syntax::Yaml
        } else if file.ends_with(".tf") || file.ends_with(".tfvars") {
            Syntax::Hcl
        } else {
            Syntax::Toml
        }
    }
}

impl Document {
    /// Parses `text`; a syntax error is returned as a diagnostic at its position.
    pub(crate) fn parse(
        file: &str,
        text: String,
        syntax: Syntax,
    ) -> Result<Document, Box<Diagnostic>> {
        let mut spans = SpanIndex::default();
        let parsed = match syntax {
            Syntax::Toml => toml::parse(&text, &mut spans),
            Syntax::Json => json::parse(&text, &mut spans),
            Syntax::Yaml => yaml::parse(&text, &mut spans),
            Syntax::Hcl => hcl::parse(&text, &mut spans),
        };
        let mut doc = Document {
            file: file.to_string(),
            value: Value::Null,
            text,
            spans,
            parts: Vec::new(),
        };
        match parsed {
            Ok(value) => {
                doc.value = value;
                Ok(doc)
            }
            Err(e) => Err(Box::new(doc.diagnostic_at(e.span, &e.pointer, e.message))),
        }
    }

    /// Several files parsed as one document named `name` (a Terraform configuration's
    /// directory): its value has a member per file, keyed by the file's name, and a diagnostic
    /// names the file its position is in. The first file that fails to parse is the error.
    pub(crate) fn parse_files(
        name: &str,
        files: Vec<(String, String)>,
        syntax: Syntax,
    ) -> Result<Document, Box<Diagnostic>> {
        let mut doc = Document {
            file: name.to_string(),
            value: Value::Object(serde_json::Map::new()),
            text: String::new(),
            spans: SpanIndex::default(),
            parts: Vec::new(),
        };
        doc.spans.record("", None, None);
        for (file, text) in files {
            let part = Document::parse(&file, text, syntax)?;
            let base = doc.text.len();
            let prefix = format!("/{}", crate::pointer::escape_key(&file));
            let shift = |span: &Range<u32>| base + span.start as usize..base + span.end as usize;
            for entry in &part.spans.entries {
                let pointer = part.spans.pointer(entry);
                if pointer == UNRECORDED {
                    continue;
                }
                doc.spans.record(
                    &format!("{prefix}{pointer}"),
                    entry.key.as_ref().map(shift),
                    entry.value.as_ref().map(shift),
                );
            }
            doc.parts.push((base, file.clone()));
            doc.text.push_str(&part.text);
            doc.text.push('\n');
            if let Value::Object(map) = &mut doc.value {
                map.insert(file, part.value);
            }
        }
        Ok(doc)
    }

    /// A diagnostic about the value at `pointer` (or, for an unknown key, the key itself).
    pub(crate) fn diagnostic(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let span = self
            .spans
            .get(pointer)
            .and_then(|s| s.key.as_ref().or(s.value.as_ref()))
            .or_else(|| self.nearest_ancestor_span(pointer));
        self.diagnostic_at(wide(span), pointer, message.into())
    }

    /// A diagnostic about the value at `pointer`, pointing at the value rather than its key.
    pub(crate) fn value_diagnostic(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let span = self
            .spans
            .get(pointer)
            .and_then(|s| s.value.as_ref())
            .or_else(|| self.nearest_ancestor_span(pointer));
        self.diagnostic_at(wide(span), pointer, message.into())
    }

    fn nearest_ancestor_span(&self, pointer: &str) -> Option<&Range<u32>> {
        let mut current = pointer;
        while let Some(cut) = current.rfind('/') {
            current = &current[..cut];
            if let Some(span) = self
                .spans
                .get(current)
                .and_then(|s| s.key.as_ref().or(s.value.as_ref()))
            {
                return Some(span);
            }
        }
        None
    }

    /// A diagnostic at the byte range `span` of the text: its line and column are those of the
    /// start, and its excerpt is the start's line with the span's part of it underlined.
    fn diagnostic_at(&self, span: Range<usize>, pointer: &str, message: String) -> Diagnostic {
        // In a document of several files, the file the span is in, and its text.
        let (file, base, text) = match self
            .parts
            .iter()
            .rposition(|(start, _)| *start <= span.start)
        {
            Some(i) => {
                let end = self.parts.get(i + 1).map_or(self.text.len(), |(s, _)| *s);
                let (base, file) = &self.parts[i];
                (file, *base, &self.text[*base..end])
            }
            None if !self.parts.is_empty() => {
                return Diagnostic {
                    path: pointer.to_string(),
                    ..Diagnostic::file_level(self.file.clone(), message)
                };
            }
            None => (&self.file, 0, self.text.as_str()),
        };
        let span = span.start - base..span.end.saturating_sub(base);
        let start = floor_char_boundary(text, span.start);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line_text = text[line_start..line_end].trim_end_matches('\r');
        let (line, column) = line_column(text, start);
        // The span on its first line, and at least the character at its start.
        let from = start - line_start;
        let to = floor_char_boundary(line_text, span.end.saturating_sub(line_start))
            .max(from)
            .min(line_text.len());
        let to = if to == from {
            line_text[from..]
                .chars()
                .next()
                .map_or(from, |c| from + c.len_utf8())
        } else {
            to
        };
        Diagnostic {
            line: Some(line),
            column: Some(column),
            path: pointer.to_string(),
            excerpt: Some(Excerpt {
                text: line_text.to_string(),
                span: from..to,
            }),
            ..Diagnostic::file_level(file.clone(), message)
        }
    }
}

/// A recorded span as a byte range; the start of the file if there is none.
fn wide(span: Option<&Range<u32>>) -> Range<usize> {
    span.map_or(0..0, |s| s.start as usize..s.end as usize)
}

/// The largest character boundary of `text` at or before `offset`.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    (0..=offset)
        .rev()
        .find(|&o| text.is_char_boundary(o))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(doc: &Document, pointer: &str) -> (Option<usize>, Option<usize>) {
        let d = doc.diagnostic(pointer, "x");
        (d.line, d.column)
    }

    #[test]
    fn toml_values_and_keys_have_positions() {
        let text = "a = 1\n[t]\nb = [1, \"é\", 3]\n".to_string();
        let doc = Document::parse("f.toml", text, Syntax::Toml).unwrap();
        assert_eq!(
            doc.value,
            serde_json::json!({"a": 1, "t": {"b": [1, "é", 3]}})
        );
        assert_eq!(position(&doc, "/a"), (Some(1), Some(1)));
        assert_eq!(position(&doc, "/t/b"), (Some(3), Some(1)));
        assert_eq!(position(&doc, "/t/b/2"), (Some(3), Some(14)));
        assert_eq!(doc.value_diagnostic("/t/b", "x").column, Some(5));
        // An unknown pointer falls back to its nearest ancestor.
        assert_eq!(position(&doc, "/t/b/9"), (Some(3), Some(1)));
    }

    #[test]
    fn json_values_and_keys_have_positions() {
        let text = "{\n  \"port\": 5432,\n  \"l\": [\"x\", {\"k\": true}],\n  \"s\\\"q\": \"v\"\n}"
            .to_string();
        let doc = Document::parse("f.json", text, Syntax::Json).unwrap();
        assert_eq!(position(&doc, "/port"), (Some(2), Some(3)));
        assert_eq!(doc.value_diagnostic("/port", "x").column, Some(11));
        let excerpt = doc.value_diagnostic("/port", "x").excerpt.unwrap();
        assert_eq!(&excerpt.text[excerpt.span], "5432");
        assert_eq!(position(&doc, "/l/1/k"), (Some(3), Some(15)));
        assert_eq!(position(&doc, "/s\"q"), (Some(4), Some(3)));
    }

    #[test]
    fn pointers_past_the_budget_fall_back_to_an_ancestor() {
        let mut spans = SpanIndex {
            max_pointer_bytes: 8,
            ..SpanIndex::default()
        };
        assert_eq!(spans.record("", None, Some(0..5)), 0);
        spans.record("/long", Some(1..2), Some(3..4));
        spans.record("/long/0", None, Some(3..4));
        assert_eq!(spans.pointer(&spans.entries[2]), UNRECORDED);
        assert_eq!(spans.get("/long").and_then(|e| e.key.clone()), Some(1..2));
        assert!(spans.get("/long/0").is_none());
    }

    #[test]
    fn json_duplicate_keys_name_both_places() {
        let d = Document::parse(
            "f.json",
            r#"{"port": 3306, "port": 5432}"#.into(),
            Syntax::Json,
        )
        .unwrap_err();
        assert_eq!(
            d.message,
            "duplicate key `port`: first at line 1, column 2; again at line 1, column 16"
        );
        assert_eq!(
            (d.line, d.column, d.path.as_str()),
            (Some(1), Some(16), "/port")
        );
        let excerpt = d.excerpt.unwrap();
        assert_eq!(&excerpt.text[excerpt.span], "\"port\"");
        // Nested, spelled with an escape, after a value holding the same key.
        let text = "{\"a\": [{\"k\": {\"k\": 1}, \"x\": 2,\n \"\\u006b\": 3}]}";
        let d = Document::parse("f.json", text.into(), Syntax::Json).unwrap_err();
        assert_eq!(
            d.message,
            "duplicate key `k`: first at line 1, column 9; again at line 2, column 2"
        );
        assert_eq!(d.path, "/a/0/k");
        // The same key in different objects is no duplicate.
        let text = r#"{"a": {"k": 1}, "b": [{"k": 1}, {"k": {"k": 2}}]}"#;
        assert!(Document::parse("f.json", text.into(), Syntax::Json).is_ok());
        // A control character in a key is shown escaped.
        let d =
            Document::parse("f.json", r#"{"a\n": 1, "a\n": 2}"#.into(), Syntax::Json).unwrap_err();
        assert!(
            d.message.starts_with("duplicate key \"a\\n\": first"),
            "{}",
            d.message
        );
        // TOML rejects them too.
        let err = Document::parse("f.toml", "a = 1\na = 2\n".into(), Syntax::Toml).unwrap_err();
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = Document::parse("f.toml", "a = 1\nb = \n".into(), Syntax::Toml).unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.starts_with("invalid TOML"), "{}", err.message);
        let err = Document::parse("f.json", "{\n \"a\": tru }".into(), Syntax::Json).unwrap_err();
        assert_eq!(err.line, Some(2));
        let err = Document::parse("f.toml", "d = 2021-07-12\n".into(), Syntax::Toml).unwrap_err();
        assert!(err.message.contains("\"2021-07-12\""), "{}", err.message);
    }
}
