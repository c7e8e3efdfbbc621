//! TOML to JSON with positions.

use super::{ParseError, SpanIndex};
use crate::pointer;
use serde_json::{Map, Value};
use toml::de::{DeTable, DeValue};

/// Parses TOML `text` into JSON, recording the span of every key and value in `spans`.
pub(super) fn parse(text: &str, spans: &mut SpanIndex) -> Result<Value, ParseError> {
    let table = DeTable::parse(text).map_err(|e| ParseError {
        span: e.span().unwrap_or(0..0),
        pointer: String::new(),
        message: format!("invalid TOML: {}", e.message().trim_end()),
    })?;
    spans.record("", None, Some(table.span()));
    TomlToJson {
        spans,
        pointer: String::new(),
    }
    .table(table.get_ref())
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
            pointer::push_key(&mut self.pointer, key.get_ref());
            self.spans
                .record(&self.pointer, Some(key.span()), Some(value.span()));
            let converted = self.value(value.get_ref(), value.span().start)?;
            self.pointer.truncate(parent);
            object.insert(key.get_ref().to_string(), converted);
        }
        Ok(Value::Object(object))
    }

    fn value(&mut self, value: &DeValue<'_>, offset: usize) -> Result<Value, ParseError> {
        let error = |pointer: &str, message: String| ParseError {
            span: offset..offset,
            pointer: pointer.to_string(),
            message,
        };
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
                    pointer::push_index(&mut self.pointer, index);
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
