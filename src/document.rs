//! Parsing TOML and JSON input into a JSON value plus the position of every value and key, so
//! that a problem found anywhere later (schema, model, lint, check) is reported at
//! `file:line:col`.

use crate::diagnostic::Diagnostic;
use serde_json::{Map, Value};
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// A parsed input file: its JSON value and where each part of it stands in the text.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name, as the user gave it.
    pub file: String,
    /// The parsed content.
    pub value: Value,
    text: String,
    /// Where the key and the value at each JSON pointer stand.
    spans: SpanIndex,
}

/// Where the key and the value at each JSON pointer of a document stand. At scale this is most
/// of what loading allocates, so it is kept in two allocations: every pointer in one string,
/// and an entry per value. Only problems are looked up, so the index sorted by pointer is
/// built on the first lookup.
#[derive(Debug, Clone, Default)]
struct SpanIndex {
    pointers: String,
    entries: Vec<SpanEntry>,
    sorted: std::sync::OnceLock<Vec<u32>>,
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

impl SpanIndex {
    /// Records the spans at `pointer`; returns the entry's number, to add the value's span
    /// once it is known.
    fn record(
        &mut self,
        pointer: &str,
        key: Option<Range<usize>>,
        value: Option<Range<usize>>,
    ) -> usize {
        let start = span32(self.pointers.len()..self.pointers.len()).start;
        self.pointers.push_str(pointer);
        let end = span32(self.pointers.len()..self.pointers.len()).start;
        self.entries.push(SpanEntry {
            pointer: start..end,
            key: key.map(span32),
            value: value.map(span32),
        });
        self.entries.len() - 1
    }

    fn pointer(&self, entry: &SpanEntry) -> &str {
        &self.pointers[entry.pointer.start as usize..entry.pointer.end as usize]
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

/// A byte span as stored in [`Spans`].
fn span32(span: Range<usize>) -> Range<u32> {
    let narrow = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
    narrow(span.start)..narrow(span.end)
}

/// Where a file fails to parse: the byte offset, the JSON pointer of the value concerned
/// (empty for a syntax error), and what is wrong.
type ParseError = (usize, String, String);

/// The input's syntax, chosen from the file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

impl Syntax {
    /// `.json` files are JSON; everything else is read as TOML.
    pub fn of_file(file: &str) -> Syntax {
        if file.to_ascii_lowercase().ends_with(".json") {
            Syntax::Json
        } else {
            Syntax::Toml
        }
    }
}

impl Document {
    /// Parses `text`; a syntax error is returned as a diagnostic at its position.
    pub fn parse(file: &str, text: String, syntax: Syntax) -> Result<Document, Box<Diagnostic>> {
        let mut doc = Document {
            file: file.to_string(),
            value: Value::Null,
            text,
            spans: SpanIndex::default(),
        };
        let text = std::mem::take(&mut doc.text);
        let parsed = match syntax {
            Syntax::Toml => doc.parse_toml(&text),
            Syntax::Json => doc.parse_json(&text),
        };
        doc.text = text;
        match parsed {
            Ok(value) => {
                doc.value = value;
                Ok(doc)
            }
            Err((offset, pointer, message)) => {
                Err(Box::new(doc.diagnostic_at(offset, &pointer, message)))
            }
        }
    }

    /// The original text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// A diagnostic about the value at `pointer` (or, for an unknown key, the key itself).
    pub fn diagnostic(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let offset = self
            .spans
            .get(pointer)
            .and_then(|s| s.key.as_ref().or(s.value.as_ref()))
            .or_else(|| self.nearest_ancestor_span(pointer))
            .map_or(0, |span| span.start as usize);
        self.diagnostic_at(offset, pointer, message.into())
    }

    /// A diagnostic about the value at `pointer`, pointing at the value rather than its key.
    pub fn value_diagnostic(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let offset = self
            .spans
            .get(pointer)
            .and_then(|s| s.value.as_ref())
            .or_else(|| self.nearest_ancestor_span(pointer))
            .map_or(0, |span| span.start as usize);
        self.diagnostic_at(offset, pointer, message.into())
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

    fn diagnostic_at(&self, offset: usize, pointer: &str, message: String) -> Diagnostic {
        let (line, column) = line_column(&self.text, offset);
        Diagnostic {
            file: self.file.clone(),
            line: Some(line),
            column: Some(column),
            path: pointer.to_string(),
            limitation: None,
            message,
        }
    }

    fn parse_toml(&mut self, text: &str) -> Result<Value, ParseError> {
        let table = DeTable::parse(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            (
                offset,
                String::new(),
                format!("invalid TOML: {}", e.message().trim_end()),
            )
        })?;
        self.spans.record("", None, Some(table.span()));
        TomlToJson {
            spans: &mut self.spans,
            pointer: String::new(),
        }
        .table(table.get_ref())
    }

    fn parse_json(&mut self, text: &str) -> Result<Value, ParseError> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            let offset = offset_of(text, e.line(), e.column());
            (offset, String::new(), format!("invalid JSON: {e}"))
        })?;
        JsonSpans {
            text: text.as_bytes(),
            at: 0,
            spans: &mut self.spans,
            pointer: String::new(),
        }
        .value(None);
        Ok(value)
    }
}

/// Converts parsed TOML to JSON, recording the spans of every key and value. `pointer` is the
/// JSON pointer of the value being converted, grown and cut back as the conversion descends.
struct TomlToJson<'a> {
    spans: &'a mut SpanIndex,
    pointer: String,
}

impl TomlToJson<'_> {
    fn table(&mut self, table: &DeTable<'_>) -> Result<Value, ParseError> {
        let mut object = Map::new();
        for (key, value) in table.iter() {
            let parent = self.pointer.len();
            push_segment(&mut self.pointer, key.get_ref());
            self.spans
                .record(&self.pointer, Some(key.span()), Some(value.span()));
            let converted = self.value(value.get_ref(), value.span().start)?;
            self.pointer.truncate(parent);
            object.insert(key.get_ref().to_string(), converted);
        }
        Ok(Value::Object(object))
    }

    fn value(&mut self, value: &DeValue<'_>, offset: usize) -> Result<Value, ParseError> {
        let error = |pointer: &str, message: String| (offset, pointer.to_string(), message);
        Ok(match value {
            DeValue::String(s) => Value::String(s.to_string()),
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .map(Value::from)
                .map_err(|_| {
                    error(
                        &self.pointer,
                        format!("integer {i} does not fit in 64 bits"),
                    )
                })?,
            DeValue::Float(f) => {
                let number = f
                    .as_str()
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64);
                Value::Number(number.ok_or_else(|| {
                    error(
                        &self.pointer,
                        format!("{f} is not a finite number; only finite numbers are supported"),
                    )
                })?)
            }
            DeValue::Boolean(b) => Value::Bool(*b),
            DeValue::Datetime(d) => {
                return Err(error(
                    &self.pointer,
                    format!(
                        "TOML dates and times are not supported; write it as a string: \"{d}\""
                    ),
                ));
            }
            DeValue::Array(items) => {
                let mut array = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    let parent = self.pointer.len();
                    push_index(&mut self.pointer, index);
                    self.spans.record(&self.pointer, None, Some(item.span()));
                    array.push(self.value(item.get_ref(), item.span().start)?);
                    self.pointer.truncate(parent);
                }
                Value::Array(array)
            }
            DeValue::Table(table) => self.table(table)?,
        })
    }
}

/// Appends `/key` to a JSON pointer, escaped (RFC 6901).
fn push_segment(pointer: &mut String, key: &str) {
    pointer.push('/');
    if key.contains(['~', '/']) {
        pointer.push_str(&escape_pointer(key));
    } else {
        pointer.push_str(key);
    }
}

/// Appends `/index` to a JSON pointer.
fn push_index(pointer: &mut String, index: usize) {
    use std::fmt::Write as _;
    let _ = write!(pointer, "/{index}");
}

/// Records the spans of values and keys in JSON text that serde_json has already accepted, so
/// the scanner can assume it is well formed.
struct JsonSpans<'a> {
    text: &'a [u8],
    at: usize,
    spans: &'a mut SpanIndex,
    /// The JSON pointer of the value being scanned.
    pointer: String,
}

impl JsonSpans<'_> {
    fn skip_whitespace(&mut self) {
        while self.at < self.text.len() && self.text[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    /// Scans the value at `self.pointer`, whose key (if a member) spans `key`.
    fn value(&mut self, key: Option<Range<usize>>) {
        self.skip_whitespace();
        let start = self.at;
        let entry = self.spans.record(&self.pointer, key, None);
        match self.text.get(self.at) {
            Some(b'{') => {
                self.at += 1;
                loop {
                    self.skip_whitespace();
                    if self.text[self.at] == b'}' {
                        self.at += 1;
                        break;
                    }
                    let key_start = self.at;
                    let key = self.string();
                    let key_span = key_start..self.at;
                    let parent = self.pointer.len();
                    push_segment(&mut self.pointer, &key);
                    self.skip_whitespace();
                    self.at += 1; // ':'
                    self.value(Some(key_span));
                    self.pointer.truncate(parent);
                    self.skip_whitespace();
                    if self.text[self.at] == b',' {
                        self.at += 1;
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut index = 0;
                loop {
                    self.skip_whitespace();
                    if self.text[self.at] == b']' {
                        self.at += 1;
                        break;
                    }
                    let parent = self.pointer.len();
                    push_index(&mut self.pointer, index);
                    self.value(None);
                    self.pointer.truncate(parent);
                    index += 1;
                    self.skip_whitespace();
                    if self.text[self.at] == b',' {
                        self.at += 1;
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            _ => {
                while self.at < self.text.len()
                    && !matches!(self.text[self.at], b',' | b'}' | b']')
                    && !self.text[self.at].is_ascii_whitespace()
                {
                    self.at += 1;
                }
            }
        }
        self.spans.entries[entry].value = Some(span32(start..self.at));
    }

    /// Consumes a string literal and returns its decoded content.
    fn string(&mut self) -> String {
        let start = self.at;
        self.at += 1;
        while self.text[self.at] != b'"' {
            self.at += if self.text[self.at] == b'\\' { 2 } else { 1 };
        }
        self.at += 1;
        serde_json::from_slice(&self.text[start..self.at]).unwrap_or_default()
    }
}

/// Escapes a key for use as a JSON pointer segment (RFC 6901).
pub fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// 1-based line and character column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let offset = (0..=offset)
        .rev()
        .find(|&o| text.is_char_boundary(o))
        .unwrap_or(0);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Byte offset of a 1-based line and column as serde_json counts them (column in bytes).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(text.len())
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
        assert_eq!(position(&doc, "/l/1/k"), (Some(3), Some(15)));
        assert_eq!(position(&doc, "/s\"q"), (Some(4), Some(3)));
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
