//! JSON with positions: serde_json parses, then a scanner of the accepted text records where
//! each key and value stands. A key given twice in one object is an error naming both places
//! (serde_json would keep the last silently).

use super::{ParseError, SpanIndex, span32};
use crate::{fast_hash, pointer};
use serde_json::Value;
use std::ops::Range;

/// Parses JSON `text`, recording the span of every key and value in `spans`.
pub(super) fn parse(text: &str, spans: &mut SpanIndex) -> Result<Value, ParseError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        ParseError::syntax(
            offset_of(text, e.line(), e.column()),
            format!("invalid JSON: {e}"),
        )
    })?;
    let mut scan = JsonSpans {
        text: text.as_bytes(),
        at: 0,
        spans,
        pointer: String::new(),
        members: 0,
        duplicates: None,
    };
    scan.value(None)?;
    // An object keeps one member per key, so fewer members than the text has means a key
    // given twice. Only then is the text scanned again, remembering keys, to find it.
    if scan.members != members(&value) {
        JsonSpans {
            text: text.as_bytes(),
            at: 0,
            spans: &mut SpanIndex::default(),
            pointer: String::new(),
            members: 0,
            duplicates: Some(text),
        }
        .value(None)?;
    }
    Ok(value)
}

/// The number of object members in `value`, nested ones included.
fn members(value: &Value) -> usize {
    match value {
        Value::Object(map) => map.len() + map.values().map(members).sum::<usize>(),
        Value::Array(items) => items.iter().map(members).sum(),
        _ => 0,
    }
}

/// Records the spans of values and keys in JSON text that serde_json has already accepted, so
/// the scanner can assume it is well formed.
struct JsonSpans<'a> {
    text: &'a [u8],
    at: usize,
    spans: &'a mut SpanIndex,
    /// The JSON pointer of the value being scanned.
    pointer: String,
    /// The object members scanned so far.
    members: usize,
    /// When looking for a duplicate key: the text, to locate both in the message.
    duplicates: Option<&'a str>,
}

impl JsonSpans<'_> {
    fn skip_whitespace(&mut self) {
        while self.at < self.text.len() && self.text[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    /// Scans the value at `self.pointer`, whose key (if a member) spans `key`; fails only when
    /// looking for duplicate keys, at the second of two.
    fn value(&mut self, key: Option<Range<usize>>) -> Result<(), ParseError> {
        self.skip_whitespace();
        let start = self.at;
        let entry = self.spans.record(&self.pointer, key, None);
        match self.text.get(self.at) {
            Some(b'{') => {
                self.at += 1;
                let mut seen: Option<fast_hash::Map<String, Range<usize>>> =
                    self.duplicates.map(|_| fast_hash::Map::default());
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
                    pointer::push_key(&mut self.pointer, &key);
                    self.members += 1;
                    if let (Some(text), Some(seen)) = (self.duplicates, seen.as_mut()) {
                        if let Some(first) = seen.get(&key) {
                            return Err(ParseError::duplicate_key(
                                text,
                                &key,
                                first.clone(),
                                key_span,
                                self.pointer.clone(),
                            ));
                        }
                        seen.insert(key, key_span.clone());
                    }
                    self.skip_whitespace();
                    self.at += 1; // ':'
                    self.value(Some(key_span))?;
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
                    pointer::push_index(&mut self.pointer, index);
                    self.value(None)?;
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
        Ok(())
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

/// Byte offset of a 1-based line and column as serde_json counts them (column in bytes).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}
