//! Parsing TOML and JSON input into a JSON value plus the position of every value and key, so
//! that a problem found anywhere later (schema, model, lint, check) is reported at
//! `file:line:col`.

use crate::diagnostic::Diagnostic;
use serde_json::{Map, Value};
use std::collections::HashMap;
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
    /// Where the key and the value at each JSON pointer stand. One map with one key string per
    /// value: at scale these maps are most of the memory loading takes.
    spans: HashMap<String, Spans>,
}

/// Byte spans of a member's key (none for an array item or the root) and of its value. Files
/// are at most 32 MiB, so offsets fit in 32 bits.
#[derive(Debug, Clone, Default)]
struct Spans {
    key: Option<Range<u32>>,
    value: Option<Range<u32>>,
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
            spans: HashMap::new(),
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

    /// Records the span of the value at `pointer`.
    fn set_value_span(&mut self, pointer: String, span: Range<usize>) {
        self.spans.entry(pointer).or_default().value = Some(span32(span));
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
        let span = table.span();
        self.set_value_span(String::new(), span);
        self.toml_table(table.get_ref(), "")
    }

    fn toml_table(&mut self, table: &DeTable<'_>, pointer: &str) -> Result<Value, ParseError> {
        let mut object = Map::new();
        for (key, value) in table.iter() {
            let child = format!("{pointer}/{}", escape_pointer(key.get_ref()));
            self.spans.insert(
                child.clone(),
                Spans {
                    key: Some(span32(key.span())),
                    value: Some(span32(value.span())),
                },
            );
            let converted = self.toml_value(value.get_ref(), value.span().start, &child)?;
            object.insert(key.get_ref().to_string(), converted);
        }
        Ok(Value::Object(object))
    }

    fn toml_value(
        &mut self,
        value: &DeValue<'_>,
        offset: usize,
        pointer: &str,
    ) -> Result<Value, ParseError> {
        Ok(match value {
            DeValue::String(s) => Value::String(s.to_string()),
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .map(Value::from)
                .map_err(|_| {
                    (
                        offset,
                        pointer.to_string(),
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
                    (
                        offset,
                        pointer.to_string(),
                        format!("{f} is not a finite number; only finite numbers are supported"),
                    )
                })?)
            }
            DeValue::Boolean(b) => Value::Bool(*b),
            DeValue::Datetime(d) => {
                return Err((
                    offset,
                    pointer.to_string(),
                    format!(
                        "TOML dates and times are not supported; write it as a string: \"{d}\""
                    ),
                ));
            }
            DeValue::Array(items) => {
                let mut array = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    let child = format!("{pointer}/{index}");
                    self.set_value_span(child.clone(), item.span());
                    array.push(self.toml_value(item.get_ref(), item.span().start, &child)?);
                }
                Value::Array(array)
            }
            DeValue::Table(table) => self.toml_table(table, pointer)?,
        })
    }

    fn parse_json(&mut self, text: &str) -> Result<Value, ParseError> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            let offset = offset_of(text, e.line(), e.column());
            (offset, String::new(), format!("invalid JSON: {e}"))
        })?;
        JsonSpans {
            text: text.as_bytes(),
            at: 0,
            doc: self,
        }
        .value(String::new());
        Ok(value)
    }
}

/// Records the spans of values and keys in JSON text that serde_json has already accepted, so
/// the scanner can assume it is well formed.
struct JsonSpans<'a> {
    text: &'a [u8],
    at: usize,
    doc: &'a mut Document,
}

impl JsonSpans<'_> {
    fn skip_whitespace(&mut self) {
        while self.at < self.text.len() && self.text[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    fn value(&mut self, pointer: String) {
        self.skip_whitespace();
        let start = self.at;
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
                    let child = format!("{pointer}/{}", escape_pointer(&key));
                    self.doc.spans.entry(child.clone()).or_default().key =
                        Some(span32(key_start..self.at));
                    self.skip_whitespace();
                    self.at += 1; // ':'
                    self.value(child);
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
                    self.value(format!("{pointer}/{index}"));
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
        self.doc.set_value_span(pointer, start..self.at);
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
