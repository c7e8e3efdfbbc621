//! YAML with positions. saphyr's parser (the crate saphyr-parser, which saphyr's own
//! `MarkedYaml` loader is built on) turns the text into events, each with its span, and a
//! builder here turns the events into JSON, recording where every key and value stands.
//! saphyr's loader is not used: it copies an anchor's tree for every alias before anything can
//! bound the copies (mapping keys are not counted at all), and it builds, compares and drops
//! its trees recursively, so deep enough input overflows the stack. Here every limit below is
//! checked as the events come, before anything is built.
//!
//! What the text means:
//! - YAML 1.2's core schema, as `saphyr::Scalar` resolves it: `true` and `false` are booleans
//!   (`yes`, `no`, `on`, `off` are strings: CloudFormation's own coercions are the reader's
//!   business), integers and floats are numbers (infinities and NaN are errors: JSON has none),
//!   `~`, `null` and an empty value are null, a quoted scalar is always a string. The core tags
//!   `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!seq` and `!!map` hold; other `!!` tags
//!   are errors.
//! - CloudFormation's short forms: `!Ref X` is `{"Ref": "X"}`, `!Condition X` is
//!   `{"Condition": "X"}`, `!GetAtt a.b` is `{"Fn::GetAtt": ["a", "b"]}` (split at the first
//!   dot; a sequence stays a sequence), and any other `!Name value`, known or not, is
//!   `{"Fn::Name": value}`. A tagged scalar is a string, as CloudFormation reads it (`!Sub 1` is
//!   `{"Fn::Sub": "1"}`); a tagged sequence or mapping holds values as usual. The object and
//!   the value in it both have the tagged node's span, so `/Engine/Ref` is found as `/Engine`.
//! - One document: a second one is an error. A text with no node (empty, or only comments) is
//!   `{}`, like an empty TOML file.
//! - Mapping keys are strings: a key that reads as anything else (`80:`, `true:`, `~:`, a
//!   sequence, an alias) is an error, and so is a key given twice in one mapping, named at both
//!   places.
//! - An alias is a copy of its anchor's node, its positions those of the anchored text (the
//!   node itself at the alias). An alias of a node that is not complete yet (inside it) or of a
//!   key is an error.
//!
//! Where a value stands: a scalar at its text (a block scalar's lines, after its `|` or `>`),
//! a flow collection from its bracket to the other, a tagged node from its tag. A value with no
//! text of its own to start with, a block collection or an empty value, starts at its key if
//! it has one: `Db:` is where a problem with the whole of `Db`'s block is shown, as an editor
//! shows it, not the first line inside it.

use super::{ParseError, SpanIndex, span32};
use crate::{fast_hash, pointer};
use saphyr::Scalar;
use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::ops::Range;

/// The deepest nesting of sequences and mappings, counted in the JSON (where a short-form tag
/// adds an object): serde_json's own limit (it reads 127 nested arrays and objects, not 128),
/// so a YAML file may nest as deep as its JSON form. (toml's is 80 tables and arrays.)
const MAX_DEPTH: usize = 127;

/// The nodes that aliases may add in all, beyond which the text is refused as an alias bomb
/// ("billion laughs"). An alias adds as many nodes as its anchor's node has (one per value,
/// two for a short-form tag). saphyr's own default.
const MAX_ALIAS_NODES: usize = 100_000;

/// The bytes that aliases may add in all: the keys and strings copied, and the JSON pointers
/// recorded for their positions. A few aliases of a long string are as much a bomb as many
/// aliases of a small tree.
const MAX_ALIAS_BYTES: usize = 16 * 1024 * 1024;

/// Why an alias is refused when it would copy more than aliases may.
fn alias_bomb() -> String {
    format!(
        "aliases here would copy more than {MAX_ALIAS_NODES} nodes or {MAX_ALIAS_BYTES} bytes \
         in all; limitkb refuses such alias bombs"
    )
}

/// Parses YAML `text` into JSON, recording the span of every key and value in `spans`.
pub(super) fn parse(text: &str, spans: &mut SpanIndex) -> Result<Value, ParseError> {
    let mut builder = Builder {
        text,
        offsets: Offsets::new(text),
        spans,
        pointer: String::new(),
        stack: Vec::new(),
        depth: 0,
        root: None,
        documents: 0,
        anchors: fast_hash::Map::default(),
        alias_nodes_left: MAX_ALIAS_NODES,
        alias_bytes_left: MAX_ALIAS_BYTES,
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            ParseError::syntax(
                builder.offsets.byte(e.marker().index()),
                format!("invalid YAML: {}", e.info()),
            )
        })?;
        builder.event(event, span)?;
    }
    Ok(builder.root.unwrap_or_else(|| Value::Object(Map::new())))
}

/// Byte offsets of the parser's positions, which count characters.
struct Offsets<'t> {
    text: &'t str,
    /// The byte offset of every [`Self::STEP`]th character; `None` for ASCII text, where
    /// characters are bytes.
    checkpoints: Option<Vec<usize>>,
}

impl<'t> Offsets<'t> {
    const STEP: usize = 64;

    fn new(text: &'t str) -> Offsets<'t> {
        let checkpoints = (!text.is_ascii()).then(|| {
            text.char_indices()
                .step_by(Self::STEP)
                .map(|(at, _)| at)
                .collect()
        });
        Offsets { text, checkpoints }
    }

    /// The byte offset of character `index` (the end of the text past its last character).
    fn byte(&self, index: usize) -> usize {
        let Some(checkpoints) = &self.checkpoints else {
            return index.min(self.text.len());
        };
        let Some(&from) = checkpoints.get(index / Self::STEP) else {
            return self.text.len();
        };
        self.text[from..]
            .char_indices()
            .nth(index % Self::STEP)
            .map_or(self.text.len(), |(at, _)| from + at)
    }

    fn span(&self, span: &Span) -> Range<usize> {
        self.byte(span.start.index())..self.byte(span.end.index())
    }
}

/// Turns the parser's events into JSON. `pointer` is the JSON pointer of the node being read,
/// grown and cut back as the events descend and climb.
struct Builder<'a> {
    text: &'a str,
    offsets: Offsets<'a>,
    spans: &'a mut SpanIndex,
    pointer: String,
    /// The sequences and mappings open, outermost first.
    stack: Vec<Frame>,
    /// The JSON objects and arrays open: a frame, and the object of its short-form tag.
    depth: usize,
    /// The document's node, once read.
    root: Option<Value>,
    documents: usize,
    /// The complete nodes with an anchor, by the parser's anchor id.
    anchors: fast_hash::Map<usize, Anchor>,
    alias_nodes_left: usize,
    alias_bytes_left: usize,
}

/// A sequence or mapping being read.
struct Frame {
    /// A `Value::Array` or `Value::Object`, filled as its nodes complete.
    value: Value,
    /// For a mapping, the key whose value comes next and its span; `None` when a key comes
    /// next.
    key: Option<(String, Range<usize>)>,
    node: Node,
    /// The length of the pointer of the collection itself (below a short-form tag's object).
    pointer_len: usize,
}

/// What completing a node needs.
struct Node {
    /// Its entry in the span index (of the short-form tag's object, if tagged).
    entry: usize,
    /// The entry of the value in a short-form tag's object.
    inner: Option<usize>,
    /// The key of a short-form tag's object (`Fn::If`).
    wrap: Option<String>,
    /// The parser's anchor id, 0 for none.
    anchor: usize,
    /// Its bytes in the text, so far for a collection (its last node ends it).
    span: Range<usize>,
    /// Its JSON's depth: 0 for a scalar, 1 for an empty collection, and so on.
    height: usize,
    /// The bytes of the keys and strings in it.
    bytes: usize,
}

/// A complete node with an anchor.
#[derive(Clone)]
struct Anchor {
    /// Its span entry (which holds its pointer) and those of everything in it.
    entries: Range<usize>,
    height: usize,
    bytes: usize,
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), ParseError> {
        let at = self.offsets.span(&span);
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(ParseError::syntax(
                        at.start,
                        "a second YAML document starts here; a file holds one document".to_string(),
                    ));
                }
                Ok(())
            }
            Event::Scalar(value, style, anchor, tag) => {
                self.scalar(value, style, anchor, tag.as_deref(), at)
            }
            Event::SequenceStart(anchor, tag) => {
                self.open(Value::Array(Vec::new()), anchor, tag.as_deref(), at)
            }
            Event::MappingStart(anchor, tag) => {
                self.open(Value::Object(Map::new()), anchor, tag.as_deref(), at)
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.close(at);
                Ok(())
            }
            Event::Alias(id) => self.alias(id, at),
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => Ok(()),
        }
    }

    /// Whether the next node is a mapping's key.
    fn expects_key(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|frame| frame.value.is_object() && frame.key.is_none())
    }

    /// An error about a key at `at`, in the mapping being read.
    fn error(&self, at: Range<usize>, message: String) -> ParseError {
        ParseError {
            span: at,
            pointer: self.pointer.clone(),
            message,
        }
    }

    /// An error about the value at `at`, the next node of the collection being read.
    fn value_error(&self, at: Range<usize>, message: String) -> ParseError {
        let mut pointer = self.pointer.clone();
        if let Some(frame) = self.stack.last() {
            match (&frame.value, &frame.key) {
                (Value::Array(items), _) => pointer::push_index(&mut pointer, items.len()),
                (_, Some((key, _))) => pointer::push_key(&mut pointer, key),
                _ => {}
            }
        }
        ParseError {
            span: at,
            pointer,
            message,
        }
    }

    fn too_deep(&self, at: Range<usize>) -> ParseError {
        self.value_error(
            at,
            format!("nested more than {MAX_DEPTH} levels deep; limitkb reads no deeper"),
        )
    }

    fn not_a_key(&self, at: Range<usize>, what: &str) -> ParseError {
        self.error(at, format!("a mapping key must be a string, not {what}"))
    }

    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        at: Range<usize>,
    ) -> Result<(), ParseError> {
        let at = self.trim_end(at);
        if self.expects_key() {
            return self.key(value, style, tag, at);
        }
        let (wrap, json) = match tag.and_then(short_form) {
            Some((name, split)) => {
                let json = if split {
                    Value::Array(
                        value
                            .splitn(2, '.')
                            .map(|part| Value::String(part.to_string()))
                            .collect(),
                    )
                } else {
                    Value::String(value.into_owned())
                };
                (Some(name), json)
            }
            None => (
                None,
                resolve(
                    value,
                    style,
                    tag,
                    self.text.get(at.clone()).unwrap_or_default(),
                )
                .map_err(|message| self.value_error(at.clone(), message))?,
            ),
        };
        let height = usize::from(json.is_array());
        if self.depth + usize::from(wrap.is_some()) + height > MAX_DEPTH {
            return Err(self.too_deep(at));
        }
        let bytes = match &json {
            Value::String(s) => s.len(),
            Value::Array(parts) => parts.iter().filter_map(Value::as_str).map(str::len).sum(),
            _ => 8,
        };
        let mut node = self.begin(at, anchor, wrap);
        node.height = height;
        node.bytes = bytes;
        self.finish(node, json);
        Ok(())
    }

    /// A scalar that is a mapping's key.
    fn key(
        &mut self,
        value: Cow<'_, str>,
        style: ScalarStyle,
        tag: Option<&Tag>,
        at: Range<usize>,
    ) -> Result<(), ParseError> {
        if let Some(tag) = tag.filter(|tag| short_form(tag).is_some()) {
            return Err(self.error(
                at,
                format!("a mapping key cannot have a tag (!{})", tag.suffix),
            ));
        }
        let written = self.text.get(at.clone()).unwrap_or_default().to_string();
        let key = match resolve(value, style, tag, &written)
            .map_err(|message| self.error(at.clone(), message))?
        {
            Value::String(key) => key,
            other => {
                let what = match other {
                    Value::Null => "null",
                    Value::Bool(_) => "a boolean",
                    _ => "a number",
                };
                return Err(self.error(
                    at,
                    format!(
                        "a mapping key must be a string, and `{written}` reads as {what}; \
                         quote it: \"{written}\""
                    ),
                ));
            }
        };
        let Some(frame) = self.stack.last() else {
            return Ok(());
        };
        if frame
            .value
            .as_object()
            .is_some_and(|m| m.contains_key(&key))
        {
            let mut member = self.pointer.clone();
            pointer::push_key(&mut member, &key);
            let first = self.spans.entries[frame.node.entry + 1..]
                .iter()
                .find(|entry| self.spans.pointer(entry) == member)
                .and_then(|entry| entry.key.clone())
                .map_or(at.clone(), |key| key.start as usize..key.end as usize);
            return Err(ParseError::duplicate_key(
                self.text, &key, first, at, member,
            ));
        }
        if let Some(frame) = self.stack.last_mut() {
            frame.key = Some((key, at));
        }
        Ok(())
    }

    /// Opens a sequence or a mapping.
    fn open(
        &mut self,
        value: Value,
        anchor: usize,
        tag: Option<&Tag>,
        at: Range<usize>,
    ) -> Result<(), ParseError> {
        let what = if value.is_array() {
            "a sequence"
        } else {
            "a mapping"
        };
        if self.expects_key() {
            return Err(self.not_a_key(at, what));
        }
        let wrap = match tag {
            Some(tag) if let Some(core) = core_type(tag) => {
                let fits = match core {
                    "seq" => value.is_array(),
                    "map" => value.is_object(),
                    _ => false,
                };
                if !fits {
                    return Err(
                        self.value_error(at, format!("the tag !!{core} does not fit {what}"))
                    );
                }
                None
            }
            Some(tag) => short_form(tag).map(|(name, _)| name),
            None => None,
        };
        let depth = self.depth + usize::from(wrap.is_some()) + 1;
        if depth > MAX_DEPTH {
            return Err(self.too_deep(at));
        }
        self.depth = depth;
        let mut node = self.begin(at, anchor, wrap);
        node.height = 1;
        self.stack.push(Frame {
            value,
            key: None,
            node,
            pointer_len: self.pointer.len(),
        });
        Ok(())
    }

    /// Closes the innermost sequence or mapping; `at` is the span of its end.
    fn close(&mut self, at: Range<usize>) {
        let Some(mut frame) = self.stack.pop() else {
            return;
        };
        // A flow collection ends with its bracket; a block one with its last node.
        if !at.is_empty() {
            frame.node.span.end = frame.node.span.end.max(at.end);
        }
        self.depth -= 1 + usize::from(frame.node.wrap.is_some());
        self.finish(frame.node, frame.value);
    }

    fn alias(&mut self, id: usize, at: Range<usize>) -> Result<(), ParseError> {
        if self.expects_key() {
            return Err(self.not_a_key(at, "an alias"));
        }
        let Some(anchor) = self.anchors.get(&id).cloned() else {
            return Err(self.value_error(
                at,
                "this alias names a node that is not complete here (it is inside it) or a \
                 mapping key; an alias must follow the whole node it copies"
                    .to_string(),
            ));
        };
        let nodes = anchor.entries.len();
        if nodes > self.alias_nodes_left || anchor.bytes > self.alias_bytes_left {
            return Err(self.alias_bomb(at));
        }
        if self.depth + anchor.height > MAX_DEPTH {
            return Err(self.too_deep(at));
        }
        let anchor_pointer = self
            .spans
            .pointer(&self.spans.entries[anchor.entries.start])
            .to_string();
        let Some(value) = self.anchored(&anchor_pointer).cloned() else {
            return Err(self.value_error(
                at,
                "this alias names a node too deep in too long keys to be found".to_string(),
            ));
        };
        self.alias_nodes_left -= nodes;
        self.alias_bytes_left -= anchor.bytes;
        let mut node = self.begin(at.clone(), 0, None);
        node.height = anchor.height;
        node.bytes = anchor.bytes;
        // The positions of what is in the copy: those of the anchored text.
        let base = self.pointer.len();
        let mut copied = String::new();
        for index in anchor.entries.start + 1..anchor.entries.end {
            let entry = &self.spans.entries[index];
            let Some(below) = self.spans.pointer(entry).strip_prefix(&anchor_pointer) else {
                continue; // kept without its pointer
            };
            copied.clear();
            copied.push_str(&self.pointer[..base]);
            copied.push_str(below);
            let wide = |span: &Range<u32>| span.start as usize..span.end as usize;
            let (key, value) = (entry.key.as_ref().map(wide), entry.value.as_ref().map(wide));
            if copied.len() > self.alias_bytes_left {
                return Err(ParseError {
                    span: at,
                    pointer: self.pointer.clone(),
                    message: alias_bomb(),
                });
            }
            self.alias_bytes_left -= copied.len();
            self.spans.record(&copied, key, value);
        }
        self.finish(node, value);
        Ok(())
    }

    /// The error for an alias, at `at`, that would copy more than aliases may.
    fn alias_bomb(&self, at: Range<usize>) -> ParseError {
        self.value_error(at, alias_bomb())
    }

    /// The complete node at `pointer`, in the collection being read that holds it.
    fn anchored(&self, pointer: &str) -> Option<&Value> {
        self.stack.iter().rev().find_map(|frame| {
            let rest = pointer.strip_prefix(&self.pointer[..frame.pointer_len])?;
            if rest.starts_with('/') {
                frame.value.pointer(rest)
            } else {
                None
            }
        })
    }

    /// Starts a node that is a value at `at`: its pointer and its span entries (the object's
    /// and the value's for a short-form tag).
    fn begin(&mut self, at: Range<usize>, anchor: usize, wrap: Option<String>) -> Node {
        let mut key_span = None;
        if let Some(frame) = self.stack.last() {
            match (&frame.value, &frame.key) {
                (Value::Array(items), _) => pointer::push_index(&mut self.pointer, items.len()),
                (_, Some((key, span))) => {
                    pointer::push_key(&mut self.pointer, key);
                    key_span = Some(span.clone());
                }
                _ => {}
            }
        }
        let at = match &key_span {
            Some(key) if at.is_empty() => key.start..at.end,
            _ => at,
        };
        let entry = self.spans.record(&self.pointer, key_span, Some(at.clone()));
        let inner = wrap.as_ref().map(|name| {
            pointer::push_key(&mut self.pointer, name);
            self.spans.record(&self.pointer, None, Some(at.clone()))
        });
        Node {
            entry,
            inner,
            wrap,
            anchor,
            span: at,
            height: 0,
            bytes: 0,
        }
    }

    /// Completes `node`, whose value is `value`: records its span and its anchor, and puts it
    /// in its collection (or makes it the document's).
    fn finish(&mut self, node: Node, mut value: Value) {
        let (mut height, mut bytes) = (node.height, node.bytes);
        if let Some(name) = node.wrap {
            height += 1;
            bytes += name.len();
            value = Value::Object(Map::from_iter([(name, value)]));
        }
        let span = span32(node.span.clone());
        self.spans.entries[node.entry].value = Some(span.clone());
        if let Some(inner) = node.inner {
            self.spans.entries[inner].value = Some(span);
        }
        if node.anchor > 0 {
            self.anchors.insert(
                node.anchor,
                Anchor {
                    entries: node.entry..self.spans.entries.len(),
                    height,
                    bytes,
                },
            );
        }
        let Some(frame) = self.stack.last_mut() else {
            self.pointer.clear();
            self.root = Some(value);
            return;
        };
        self.pointer.truncate(frame.pointer_len);
        frame.node.span.end = frame.node.span.end.max(node.span.end);
        frame.node.height = frame.node.height.max(height + 1);
        frame.node.bytes += bytes;
        match &mut frame.value {
            Value::Array(items) => items.push(value),
            Value::Object(map) => {
                if let Some((key, _)) = frame.key.take() {
                    frame.node.bytes += key.len();
                    map.insert(key, value);
                }
            }
            _ => {}
        }
    }

    /// `at` without the blank lines and indentation a block scalar's span ends with.
    fn trim_end(&self, at: Range<usize>) -> Range<usize> {
        let kept = self.text.get(at.clone()).map_or(0, |s| s.trim_end().len());
        at.start..at.start + kept
    }
}

/// The prefix of the YAML core schema's tags (`!!str` is `tag:yaml.org,2002:str`).
const CORE_SCHEMA: &str = "tag:yaml.org,2002:";

/// The core-schema type a tag names: `str` for `!!str` and for its spelled-out form
/// `!<tag:yaml.org,2002:str>`; `None` for any other tag.
fn core_type(tag: &Tag) -> Option<&str> {
    if tag.handle == CORE_SCHEMA {
        return Some(&tag.suffix);
    }
    match tag.handle.as_str() {
        "" | "!" => tag.suffix.strip_prefix(CORE_SCHEMA),
        _ => None,
    }
}

/// The key of the object a short-form tag stands for (`Fn::If` for `!If`), and whether a
/// scalar is split at its first dot (`!GetAtt`); `None` for a core tag (`!!int`) or the
/// non-specific one (`!`).
fn short_form(tag: &Tag) -> Option<(String, bool)> {
    if core_type(tag).is_some() || (tag.handle.is_empty() && tag.suffix == "!") {
        return None;
    }
    let name = if tag.handle == "!" {
        tag.suffix.clone()
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    };
    Some(match name.as_str() {
        "Ref" | "Condition" => (name, false),
        "GetAtt" => ("Fn::GetAtt".to_string(), true),
        _ => (format!("Fn::{name}"), false),
    })
}

/// A scalar without a short-form tag, `written` as such, as the core schema reads it; or
/// why it cannot be read.
fn resolve(
    value: Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&Tag>,
    written: &str,
) -> Result<Value, String> {
    let scalar = match tag {
        // The non-specific tag `!`: a string.
        Some(tag) if core_type(tag).is_none() => Scalar::String(value),
        Some(tag) => match core_type(tag).unwrap_or_default() {
            core @ ("str" | "int" | "float" | "bool" | "null") => {
                let shown = value.to_string();
                // The spelled-out form (`!<tag:yaml.org,2002:str>`) read as `!!str` is.
                let tag = Cow::Owned(Tag {
                    handle: CORE_SCHEMA.to_string(),
                    suffix: core.to_string(),
                });
                Scalar::parse_from_cow_and_metadata(value, style, Some(&tag))
                    .ok_or_else(|| format!("`{shown}` is not a valid !!{core}"))?
            }
            other => return Err(format!("the tag !!{other} is not supported here")),
        },
        None => {
            // Beyond 64-bit signed integers, as serde_json reads JSON: unsigned ones.
            if style == ScalarStyle::Plain
                && let Ok(n) = value.parse::<u64>()
                && i64::try_from(n).is_err()
            {
                return Ok(Value::from(n));
            }
            Scalar::parse_from_cow_and_metadata(value, style, None).unwrap_or(Scalar::Null)
        }
    };
    Ok(match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(b),
        Scalar::Integer(i) => Value::from(i),
        Scalar::FloatingPoint(f) => Value::Number(Number::from_f64(f.0).ok_or_else(|| {
            format!("`{written}` is not a finite number; only finite numbers are supported")
        })?),
        Scalar::String(s) => Value::String(s.into_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Document, Syntax};
    use super::{MAX_ALIAS_BYTES, MAX_DEPTH};
    use serde_json::{Value, json};

    fn parse(text: &str) -> Document {
        Document::parse("t.yaml", text.to_string(), Syntax::Yaml)
            .unwrap_or_else(|d| panic!("{text:?}: {}", d.render()))
    }

    fn value(text: &str) -> Value {
        parse(text).value
    }

    fn error(text: &str) -> crate::diagnostic::Diagnostic {
        *Document::parse("t.yaml", text.to_string(), Syntax::Yaml)
            .expect_err(&format!("{text:?} parses"))
    }

    /// The line and column of the value at `pointer`, and the text its span underlines.
    fn at(doc: &Document, pointer: &str) -> (usize, usize, String) {
        let d = doc.value_diagnostic(pointer, "x");
        let excerpt = d.excerpt.unwrap();
        (
            d.line.unwrap(),
            d.column.unwrap(),
            excerpt.text[excerpt.span].to_string(),
        )
    }

    /// Every recorded value's text, read alone (at its column, so that a block collection keeps
    /// its indentation), is the value recorded: the value itself, or for the value in a
    /// short-form tag's object, that object. Every key's text reads as the key. Aliases (whose
    /// own span is `*name`) are skipped.
    fn assert_spans_read_back(doc: &Document) {
        assert!(!doc.spans.entries.is_empty());
        for entry in &doc.spans.entries {
            let pointer = doc.spans.pointer(entry);
            let expected = doc
                .value
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{pointer}"));
            let span = entry.value.clone().unwrap();
            let (start, end) = (span.start as usize, span.end as usize);
            let written = &doc.text[start..end];
            // An alias's text is `*name`; a block scalar's follows its `|` or `>` line; a block
            // collection or an empty value starts at its key.
            let before = doc.text[..start].trim_end();
            let header = before.rsplit(['\n', ' ']).next().unwrap_or_default();
            let at_key = entry
                .key
                .as_ref()
                .is_some_and(|key| key.start == span.start);
            if written.starts_with('*') || header.starts_with(['|', '>']) || at_key {
                continue;
            }
            let line_start = doc.text[..start].rfind('\n').map_or(0, |i| i + 1);
            let alone = format!(
                "{}{written}",
                " ".repeat(doc.text[line_start..start].chars().count())
            );
            let read = if written.is_empty() {
                Value::Null
            } else {
                Document::parse("v.yaml", alone.clone(), Syntax::Yaml)
                    .unwrap_or_else(|d| panic!("{pointer}: {alone:?}: {}", d.message))
                    .value
            };
            let parent = &pointer[..pointer.rfind('/').unwrap_or(0)];
            let wrapper = doc.value.pointer(parent).filter(|p| {
                p.as_object()
                    .is_some_and(|o| o.len() == 1 && o.values().next() == Some(expected))
            });
            assert!(
                read == *expected || Some(&read) == wrapper,
                "{pointer}: {written:?} reads as {read}, not {expected}"
            );
            if let Some(key) = &entry.key {
                let written = &doc.text[key.start as usize..key.end as usize];
                let read = Document::parse("k.yaml", written.to_string(), Syntax::Yaml)
                    .unwrap()
                    .value;
                let segment = crate::pointer::segments(pointer).last().unwrap();
                assert_eq!(read, Value::String(segment), "{pointer}: key {written:?}");
            }
        }
    }

    const TEMPLATE: &str = "\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Version: {Type: String, Default: \"8.0.mysql_aurora.3.05.2\"}
Resources:
  Db:
    Type: AWS::RDS::DBCluster # a comment
    Properties:
      Engine: aurora-mysql
      EngineVersion: !Ref Version
      Port: 3306
      Ratio: 0.5
      Flags: [yes, no, on, off, true, ~]
      Name: !Sub
        - '${A}-x'
        - A: b
      Az: !Select [0, !GetAZs '']
      Endpoint: !GetAtt Db.Endpoint.Address
      Pair: !GetAtt [Db, Port]
      Description: |
        Two lines,
        é and ü.
      Folded: >-
        one
        line
      Empty:
      Tags:
        - Key: \"name\"
          Value: 'it''s'
Conditions:
  Prod: !Equals [!Ref Env, prod]
  Both: !And [!Condition Prod, !Not [!Condition Dev]]
";

    #[test]
    fn a_template_reads_as_json() {
        let doc = parse(TEMPLATE);
        let properties = &doc.value["Resources"]["Db"]["Properties"];
        assert_eq!(
            *properties,
            json!({
                "Engine": "aurora-mysql",
                "EngineVersion": {"Ref": "Version"},
                "Port": 3306,
                "Ratio": 0.5,
                "Flags": ["yes", "no", "on", "off", true, null],
                "Name": {"Fn::Sub": ["${A}-x", {"A": "b"}]},
                "Az": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
                "Endpoint": {"Fn::GetAtt": ["Db", "Endpoint.Address"]},
                "Pair": {"Fn::GetAtt": ["Db", "Port"]},
                "Description": "Two lines,\né and ü.\n",
                "Folded": "one line",
                "Empty": null,
                "Tags": [{"Key": "name", "Value": "it's"}],
            })
        );
        assert_eq!(doc.value["AWSTemplateFormatVersion"], "2010-09-09");
        assert_eq!(
            doc.value["Conditions"],
            json!({
                "Prod": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
                "Both": {"Fn::And": [{"Condition": "Prod"}, {"Fn::Not": [{"Condition": "Dev"}]}]},
            })
        );
        assert_spans_read_back(&doc);
    }

    #[test]
    fn values_and_keys_are_at_their_place() {
        let doc = parse(TEMPLATE);
        let p = "/Resources/Db/Properties";
        assert_eq!(at(&doc, &format!("{p}/Port")), (10, 13, "3306".into()));
        assert_eq!(doc.diagnostic(&format!("{p}/Port"), "x").column, Some(7));
        assert_eq!(
            at(&doc, &format!("{p}/EngineVersion")),
            (9, 22, "!Ref Version".into())
        );
        // The value in a short form's object stands where the tagged node does.
        assert_eq!(
            at(&doc, &format!("{p}/EngineVersion/Ref")),
            (9, 22, "!Ref Version".into())
        );
        assert_eq!(at(&doc, &format!("{p}/Flags/5")), (12, 39, "~".into()));
        assert_eq!(
            at(&doc, &format!("{p}/Tags/0/Value")),
            (28, 18, "'it''s'".into())
        );
        assert_eq!(
            at(&doc, "/Parameters/Version/Default"),
            (3, 36, "\"8.0.mysql_aurora.3.05.2\"".into())
        );
        // A block scalar stands where its text does; a block collection or an empty value where
        // its key does, or else where its first line does.
        assert_eq!(at(&doc, "/Resources/Db"), (5, 3, "Db:".into()));
        assert_eq!(at(&doc, &format!("{p}/Tags")), (26, 7, "Tags:".into()));
        assert_eq!(at(&doc, &format!("{p}/Empty")), (25, 7, "Empty".into()));
        assert_eq!(
            at(&doc, &format!("{p}/Name/Fn::Sub/1")),
            (15, 11, "A: b".into())
        );
        assert_eq!(
            at(&doc, &format!("{p}/Description")),
            (20, 9, "Two lines,".into())
        );
        assert_eq!(
            at(&doc, &format!("{p}/Tags/0")),
            (27, 11, "Key: \"name\"".into())
        );
        assert_eq!(
            at(&doc, &format!("{p}/Az")),
            (16, 11, "!Select [0, !GetAZs '']".into())
        );
        // Columns count characters.
        let doc = parse("é: \"ü\"\r\nb: [ü, 2]\r\n");
        assert_eq!(at(&doc, "/é"), (1, 4, "\"ü\"".into()));
        assert_eq!(at(&doc, "/b/1"), (2, 8, "2".into()));
        assert_spans_read_back(&doc);
    }

    #[test]
    fn short_forms_become_long_forms() {
        for (text, expected) in [
            ("!Ref X", json!({"Ref": "X"})),
            ("!Condition IsProd", json!({"Condition": "IsProd"})),
            ("!GetAtt a.b", json!({"Fn::GetAtt": ["a", "b"]})),
            ("!GetAtt a.b.c", json!({"Fn::GetAtt": ["a", "b.c"]})),
            ("!GetAtt [a, b.c]", json!({"Fn::GetAtt": ["a", "b.c"]})),
            (
                "!Sub 'x-${AWS::Region}'",
                json!({"Fn::Sub": "x-${AWS::Region}"}),
            ),
            // A tagged scalar is a string, as CloudFormation reads it.
            ("!Base64 123", json!({"Fn::Base64": "123"})),
            ("!GetAZs ''", json!({"Fn::GetAZs": ""})),
            ("!ImportValue shared", json!({"Fn::ImportValue": "shared"})),
            (
                "!Join [',', [a, b]]",
                json!({"Fn::Join": [",", ["a", "b"]]}),
            ),
            (
                "!Split ['|', !Ref L]",
                json!({"Fn::Split": ["|", {"Ref": "L"}]}),
            ),
            (
                "!FindInMap [M, !Ref 'AWS::Region', K]",
                json!({"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "K"]}),
            ),
            (
                "!If [c, 1, !Ref 'AWS::NoValue']",
                json!({"Fn::If": ["c", 1, {"Ref": "AWS::NoValue"}]}),
            ),
            (
                "!Or [!Equals [a, b], !Not [!Condition c]]",
                json!({"Fn::Or": [{"Fn::Equals": ["a", "b"]}, {"Fn::Not": [{"Condition": "c"}]}]}),
            ),
            (
                "!Cidr [10.0.0.0/16, 6, 5]",
                json!({"Fn::Cidr": ["10.0.0.0/16", 6, 5]}),
            ),
            (
                "!Transform {Name: 'AWS::Include', Parameters: {Location: s3}}",
                json!({"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3"}}}),
            ),
            ("!Length [1, 2]", json!({"Fn::Length": [1, 2]})),
            (
                "!ToJsonString {a: 1}",
                json!({"Fn::ToJsonString": {"a": 1}}),
            ),
            // An unknown tag is kept the same way.
            ("!Whatever [x]", json!({"Fn::Whatever": ["x"]})),
            // The non-specific tag makes a string.
            ("! 12", json!("12")),
        ] {
            let doc = parse(&format!("v: {text}\n"));
            assert_eq!(doc.value["v"], expected, "{text}");
            assert_spans_read_back(&doc);
            let key = expected.as_object().and_then(|o| o.keys().next().cloned());
            if let Some(key) = key {
                let inner = format!("/v/{}", crate::pointer::escape_key(&key));
                assert_eq!(at(&doc, &inner), (1, 4, text.to_string()), "{text}");
            }
        }
        // Block forms.
        let doc = parse("v: !If\n  - c\n  - !Ref A\n  - b\n");
        assert_eq!(doc.value["v"], json!({"Fn::If": ["c", {"Ref": "A"}, "b"]}));
        assert_eq!(at(&doc, "/v/Fn::If/1/Ref"), (3, 5, "!Ref A".into()));
        assert_spans_read_back(&doc);
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let doc = value(
            "a: [yes, no, on, off, y, n, True, FALSE, 1, -2, +3, 0x1F, 0o17, 1.5, -1e3, .5]\n\
             b: [~, null, Null, '~', 'null', \"1\", '', \"\", 01, 1_000, 2021-07-12]\n\
             c: [!!str 1, !!int 2, !!float 3, !!bool true, !!null null, !!str yes]\n\
             d: 18446744073709551615\n\
             e: 9223372036854775807\n",
        );
        assert_eq!(
            doc["a"],
            json!([
                "yes", "no", "on", "off", "y", "n", true, false, 1, -2, 3, 31, 15, 1.5, -1000.0,
                0.5
            ])
        );
        assert_eq!(
            doc["b"],
            json!([
                null,
                null,
                null,
                "~",
                "null",
                "1",
                "",
                "",
                1,
                "1_000",
                "2021-07-12"
            ])
        );
        assert_eq!(doc["c"], json!(["1", 2, 3.0, true, null, "yes"]));
        assert_eq!(doc["d"], json!(18446744073709551615_u64));
        assert_eq!(doc["e"], json!(i64::MAX));
        for (text, message, column, path) in [
            ("a: .inf", "`.inf` is not a finite number", 4, "/a"),
            ("a: [1, -.Inf]", "`-.Inf` is not a finite number", 8, "/a/1"),
            ("a: .nan", "`.nan` is not a finite number", 4, "/a"),
            ("a: !!int x", "`x` is not a valid !!int", 4, "/a"),
            ("a: !!bool yes", "`yes` is not a valid !!bool", 4, "/a"),
            (
                "a: !!binary aGk=",
                "the tag !!binary is not supported",
                4,
                "/a",
            ),
            (
                "a: !!timestamp 2021-07-12",
                "the tag !!timestamp is not supported",
                4,
                "/a",
            ),
            (
                "a: !!map [1]",
                "the tag !!map does not fit a sequence",
                4,
                "/a",
            ),
            (
                "a: {b: !!set {x: ~}}",
                "the tag !!set does not fit a mapping",
                8,
                "/a/b",
            ),
        ] {
            let d = error(text);
            assert!(d.message.starts_with(message), "{text}: {}", d.message);
            assert_eq!((d.line, d.column), (Some(1), Some(column)), "{text}");
            assert_eq!(d.path, path, "{text}");
        }
    }

    #[test]
    fn duplicate_keys_name_both_places() {
        let d = error("port: 3306\nname: x\nport: 5432\n");
        assert_eq!(
            d.message,
            "duplicate key `port`: first at line 1, column 1; again at line 3, column 1"
        );
        assert_eq!(
            (d.line, d.column, d.path.as_str()),
            (Some(3), Some(1), "/port")
        );
        let d = error("{port: 3306, port: 5432}");
        assert_eq!(
            d.message,
            "duplicate key `port`: first at line 1, column 2; again at line 1, column 14"
        );
        // Spelled differently, the same key.
        let d = error("a:\n  - x: 1\n    'p': 1\n    \"p\": 2\n");
        assert_eq!(
            d.message,
            "duplicate key `p`: first at line 3, column 5; again at line 4, column 5"
        );
        assert_eq!(d.path, "/a/0/p");
        // The same key in two mappings is no duplicate.
        assert_eq!(value("- {a: 1}\n- {a: 2}\n"), json!([{"a": 1}, {"a": 2}]));
        // A key after a long value: the first one is still found.
        let d = error("a:\n  b: [1, 2]\n  c: {d: 1}\na: 2\n");
        assert!(
            d.message
                .ends_with("first at line 1, column 1; again at line 4, column 1")
        );
    }

    #[test]
    fn mapping_keys_are_strings() {
        for (text, message, column) in [
            (
                "80: x",
                "a mapping key must be a string, and `80` reads as a number; quote it: \"80\"",
                1,
            ),
            (
                "a: {true: x}",
                "a mapping key must be a string, and `true` reads as a boolean",
                5,
            ),
            (
                "~: x",
                "a mapping key must be a string, and `~` reads as null",
                1,
            ),
            (
                "? [a]\n: x",
                "a mapping key must be a string, not a sequence",
                3,
            ),
            (
                "{{a: 1}: x}",
                "a mapping key must be a string, not a mapping",
                2,
            ),
            (
                "a: &k x\n*k : y",
                "a mapping key must be a string, not an alias",
                1,
            ),
            ("!Ref a: x", "a mapping key cannot have a tag (!Ref)", 1),
        ] {
            let d = error(text);
            assert!(d.message.starts_with(message), "{text}: {}", d.message);
            assert_eq!(d.column, Some(column), "{text}");
        }
        // Quoted, or read as strings by the core schema: keys.
        assert_eq!(
            value("'80': a\nyes: b\n!!str 1: c\n\"\": d\n"),
            json!({"80": "a", "yes": "b", "1": "c", "": "d"})
        );
    }

    #[test]
    fn aliases_copy_their_anchor() {
        let doc = parse("base: &b {x: 1, y: [a, !Ref R]}\nother: *b\nref: &r !Ref V\nagain: *r\n");
        assert_eq!(
            doc.value["other"],
            json!({"x": 1, "y": ["a", {"Ref": "R"}]})
        );
        assert_eq!(doc.value["again"], json!({"Ref": "V"}));
        // The copy itself is at the alias, what is in it where the anchored text is.
        assert_eq!(at(&doc, "/other"), (2, 8, "*b".into()));
        assert_eq!(at(&doc, "/other/y/1/Ref"), (1, 24, "!Ref R".into()));
        assert_eq!(doc.diagnostic("/other/x", "k").column, Some(11));
        assert_spans_read_back(&doc);
        let d = error("a: &x [1, *x]");
        assert!(
            d.message
                .starts_with("this alias names a node that is not complete"),
            "{}",
            d.message
        );
        assert_eq!(d.column, Some(11));
        let d = error("a: *x");
        assert!(d.message.starts_with("invalid YAML"), "{}", d.message);
    }

    #[test]
    fn alias_bombs_are_refused() {
        // Billion laughs: each level nine aliases of the one before.
        let mut text = String::from("a0: &a0 [lol]\n");
        for level in 1..10 {
            let previous = format!("*a{}", level - 1);
            text.push_str(&format!(
                "a{level}: &a{level} [{}]\n",
                vec![previous; 9].join(", ")
            ));
        }
        let d = error(&text);
        assert!(d.message.contains("alias bombs"), "{}", d.message);
        // Few nodes, many bytes.
        let long = "x".repeat(1024 * 1024);
        let text = format!(
            "s: &s {long}\nc: [{}]\n",
            vec!["*s"; MAX_ALIAS_BYTES / long.len() + 1].join(", ")
        );
        let d = error(&text);
        assert!(d.message.contains("alias bombs"), "{}", d.message);
        assert_eq!(d.line, Some(2));
        // Below the budget, aliases work.
        let text = format!("s: &s {long}\nc: [*s, *s]\n");
        assert_eq!(
            value(&text)["c"][1].as_str().map(str::len),
            Some(long.len())
        );
    }

    #[test]
    fn nesting_is_bounded_as_json_is() {
        for depth in [MAX_DEPTH, MAX_DEPTH + 1] {
            let flow = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let json = Document::parse("f.json", flow.clone(), Syntax::Json);
            let yaml = Document::parse("f.yaml", flow, Syntax::Yaml);
            assert_eq!(json.is_ok(), depth <= MAX_DEPTH);
            assert_eq!(yaml.is_ok(), depth <= MAX_DEPTH, "{depth}");
        }
        // Block nesting is not bounded by the parser; it is here, without a stack overflow.
        let d = error(&"- ".repeat(200_000));
        assert!(d.message.starts_with("nested more than"), "{}", d.message);
        assert_eq!(d.column, Some(2 * MAX_DEPTH + 1));
        assert!(d.message.contains(&format!("{MAX_DEPTH} levels")));
        // A short form's object counts.
        let text = format!("{}!Ref x{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(error(&text).message.starts_with("nested more than"));
        let text = format!(
            "{}!If []{}",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        assert!(error(&text).message.starts_with("nested more than"));
        // And so does what an alias copies.
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(Document::parse("f.yaml", format!("a: &a {deep}"), Syntax::Yaml).is_ok());
        let d = error(&format!("a: &a {deep}\nb: [*a]"));
        assert!(d.message.starts_with("nested more than"), "{}", d.message);
    }

    #[test]
    fn a_file_is_one_document() {
        let d = error("a: 1\n---\nb: 2\n");
        assert!(
            d.message.starts_with("a second YAML document starts here"),
            "{}",
            d.message
        );
        assert_eq!((d.line, d.column), (Some(2), Some(1)));
        assert_eq!(value("---\na: 1\n...\n"), json!({"a": 1}));
        assert_eq!(value("%YAML 1.2\n---\na: 1\n"), json!({"a": 1}));
    }

    #[test]
    fn an_empty_file_is_an_empty_mapping() {
        for text in ["", "\n", "# only a comment\n", "\u{feff}"] {
            assert_eq!(value(text), json!({}), "{text:?}");
        }
        assert_eq!(value("---\n"), Value::Null);
        assert_eq!(value("just text"), json!("just text"));
    }

    #[test]
    fn syntax_errors_are_located() {
        for (text, line, column) in [
            ("a: [1, 2\nb: 3\n", 2, 2),
            ("a: 1\n b: 2\n", 2, 3),
            ("a:\n\t- 1\n", 2, 2),
            ("a: 'open\n", 1, 4),
            ("a: b: c\n", 1, 5),
            ("é: [ü\n", 2, 1),
        ] {
            let d = error(text);
            assert!(
                d.message.starts_with("invalid YAML: "),
                "{text:?}: {}",
                d.message
            );
            assert_eq!(
                (d.line, d.column),
                (Some(line), Some(column)),
                "{text:?}: {}",
                d.message
            );
        }
    }

    #[test]
    fn files_are_read_by_their_extension() {
        for (file, syntax) in [
            ("t.yaml", Syntax::Yaml),
            ("dir/T.YML", Syntax::Yaml),
            ("t.json", Syntax::Json),
            ("t.template", Syntax::Toml),
            ("spec.toml", Syntax::Toml),
            ("yaml", Syntax::Toml),
        ] {
            assert_eq!(Syntax::of_file(file), syntax, "{file}");
        }
    }

    /// JSON values whose YAML is their JSON text: no floats (their spelling may change), no
    /// keys over 1,024 characters (longer implicit keys are not YAML).
    fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            ".{0,12}".prop_map(Value::String),
            "(yes|no|on|~|null|true|1|0x1|-|:|#|&a|\\*a|!Ref|'|\")".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map(".{0,8}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// JSON is YAML: its text reads as the same value, every part where it stands.
        #[test]
        fn json_text_reads_as_yaml(v in json_value(), pretty in proptest::prelude::any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&v).unwrap()
            } else {
                serde_json::to_string(&v).unwrap()
            };
            let doc = parse(&text);
            proptest::prop_assert_eq!(&doc.value, &v);
            assert_spans_read_back(&doc);
        }

        /// Any text: no panic; an error is at a line and column of the text, and every
        /// recorded span of a document that parses lies in the text.
        #[test]
        fn any_text_parses_or_fails_in_place(
            text in "([a-z0-9 :,\\-?{}\\[\\]&*!#'\"|>.~\t\n]|é|---\n){0,80}"
        ) {
            match Document::parse("t.yaml", text.clone(), Syntax::Yaml) {
                Ok(doc) => {
                    for entry in &doc.spans.entries {
                        for span in entry.key.iter().chain(&entry.value) {
                            let (start, end) = (span.start as usize, span.end as usize);
                            proptest::prop_assert!(start <= end && text.get(start..end).is_some());
                        }
                    }
                }
                Err(d) => {
                    let (line, column) = (d.line.unwrap(), d.column.unwrap());
                    let lines: Vec<&str> = text.split('\n').collect();
                    proptest::prop_assert!(line <= lines.len(), "{:?}", d);
                    proptest::prop_assert!(column <= lines[line - 1].chars().count() + 1, "{:?}", d);
                }
            }
        }
    }
}
