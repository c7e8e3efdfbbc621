//! HCL with positions (Terraform's `.tf` and `.tfvars`): hcl-edit parses, keeping the span of
//! every attribute, block and expression, and the body becomes JSON in the shape of
//! Terraform's own JSON syntax, so the readers above see one kind of document:
//!
//! - an attribute is a member; a block with the labels of a declaration (`resource "T" "N"`,
//!   `data`, `variable`, `module`, `output`) is an object under its labels; any other block
//!   (`locals`, `provider "aws"`, a nested block such as `serverlessv2_scaling_configuration`)
//!   is an item of a list under its name and labels, as `terraform show -json` lists nested
//!   blocks;
//! - a literal is its JSON value; a reference (`var.x`, `aws_rds_cluster.db.id`,
//!   `each.value["min"]`) is `{"$ref": [segments]}`; any other expression (a function call,
//!   a conditional, a template with interpolations) is `{"$expr": text, "$refs": [...]}`, its
//!   source text and the references in it.

use super::{ParseError, SpanIndex};
use crate::pointer;
use hcl_edit::Span;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{Block, BlockLabel, Body, Structure};
use hcl_edit::template::Element;
use serde_json::{Map, Value};
use std::ops::Range;

/// The key of a reference: `{"$ref": ["var", "x"]}`.
pub(crate) const REF: &str = "$ref";
/// The key of an expression known only to Terraform: `{"$expr": "max(1, var.x)"}`.
pub(crate) const EXPR: &str = "$expr";
/// The references inside an [`EXPR`].
pub(crate) const REFS: &str = "$refs";

/// Blocks that declare something by their labels, one object per declaration.
const DECLARATIONS: [&str; 5] = ["resource", "data", "variable", "module", "output"];

/// The deepest nesting of brackets and blocks accepted: hcl-edit's parser recurses, and a
/// file nested deeper than any configuration would overflow its stack.
const MAX_DEPTH: usize = 128;

/// Parses HCL `text`, recording the span of every key and value in `spans`.
pub(super) fn parse(text: &str, spans: &mut SpanIndex) -> Result<Value, ParseError> {
    if let Some(offset) = too_deep(text) {
        return Err(ParseError::syntax(
            offset,
            format!("invalid HCL: nested more than {MAX_DEPTH} levels deep"),
        ));
    }
    let body = hcl_edit::parser::parse_body(text).map_err(|e| {
        let location = e.location();
        ParseError::syntax(location.offset(), format!("invalid HCL: {}", e.message()))
    })?;
    let mut builder = Builder {
        text,
        spans,
        pointer: String::new(),
    };
    builder.spans.record("", None, Some(0..text.len()));
    builder.body(&body, true)
}

/// The offset where `text` first nests deeper than [`MAX_DEPTH`], counting brackets and
/// braces outside strings and comments (a heredoc's brackets count: a rough bound is enough).
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

struct Builder<'a> {
    text: &'a str,
    spans: &'a mut SpanIndex,
    /// The JSON pointer of the value being built.
    pointer: String,
}

impl Builder<'_> {
    /// A body as an object; `top` for the file's own body, where declarations are keyed by
    /// their labels.
    fn body(&mut self, body: &Body, top: bool) -> Result<Value, ParseError> {
        let mut map = Map::new();
        // Where each key was first given, for a key given twice.
        let mut seen: Vec<(String, Range<usize>)> = Vec::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attribute) => {
                    let key = attribute.key.as_str();
                    let key_span = attribute.key.span().unwrap_or(0..0);
                    if map.contains_key(key) && seen.iter().all(|(k, _)| k != key) {
                        return Err(ParseError::syntax(
                            key_span.start,
                            format!(
                                "invalid HCL: `{key}` is given both as a block and as an attribute"
                            ),
                        ));
                    }
                    self.unique(&mut seen, key, key_span.clone())?;
                    let value = self.member(key, Some(key_span), &attribute.value)?;
                    map.insert(key.to_string(), value);
                }
                Structure::Block(block) => self.block(&mut map, &mut seen, block, top)?,
            }
        }
        Ok(Value::Object(map))
    }

    /// A key given twice in one body is an error naming both places.
    fn unique(
        &self,
        seen: &mut Vec<(String, Range<usize>)>,
        key: &str,
        span: Range<usize>,
    ) -> Result<(), ParseError> {
        if let Some((_, first)) = seen.iter().find(|(k, _)| k == key) {
            return Err(ParseError::duplicate_key(
                self.text,
                key,
                first.clone(),
                span,
                format!("{}/{}", self.pointer, pointer::escape_key(key)),
            ));
        }
        seen.push((key.to_string(), span));
        Ok(())
    }

    /// The value of member `key` of the object at `self.pointer`.
    fn member(
        &mut self,
        key: &str,
        key_span: Option<Range<usize>>,
        expr: &Expression,
    ) -> Result<Value, ParseError> {
        let parent = self.pointer.len();
        self.pointer.push('/');
        self.pointer.push_str(&pointer::escape_key(key));
        let value = self.expression(expr, key_span);
        self.pointer.truncate(parent);
        value
    }

    /// A block added to `map`: under its name and labels, as an object (a declaration) or as
    /// the next item of a list.
    fn block(
        &mut self,
        map: &mut Map<String, Value>,
        seen: &mut Vec<(String, Range<usize>)>,
        block: &Block,
        top: bool,
    ) -> Result<(), ParseError> {
        let name = block.ident.as_str();
        let declaration = top && DECLARATIONS.contains(&name);
        let labels: Vec<(String, Range<usize>)> = block
            .labels
            .iter()
            .map(|label| {
                let text = match label {
                    BlockLabel::Ident(ident) => ident.as_str().to_string(),
                    BlockLabel::String(string) => string.as_str().to_string(),
                };
                (text, label.span().unwrap_or(0..0))
            })
            .collect();
        let block_span = block.span().unwrap_or(0..0);
        let parent = self.pointer.len();
        let ident_span = block.ident.span();
        if !declaration {
            // A list under the name (and the labels): `/provider/aws/0`.
            self.pointer.push('/');
            self.pointer.push_str(&pointer::escape_key(name));
            let mut slot = map
                .entry(name.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if labels.is_empty() {
                if !slot.is_array() {
                    *slot = Value::Array(Vec::new());
                    self.spans
                        .record(&self.pointer, ident_span.clone(), Some(block_span.clone()));
                }
            } else {
                self.spans
                    .record(&self.pointer, ident_span.clone(), Some(block_span.clone()));
                for (i, (label, span)) in labels.iter().enumerate() {
                    let last = i + 1 == labels.len();
                    self.pointer.push('/');
                    self.pointer.push_str(&pointer::escape_key(label));
                    let object = match slot {
                        Value::Object(object) => object,
                        _ => unreachable!("a block's labels are objects"),
                    };
                    slot = object.entry(label.clone()).or_insert_with(|| {
                        if last {
                            Value::Array(Vec::new())
                        } else {
                            Value::Object(Map::new())
                        }
                    });
                    self.spans
                        .record(&self.pointer, Some(span.clone()), Some(block_span.clone()));
                    if last && !slot.is_array() {
                        // `provider "aws"` after a block `provider "aws" "x"`: not Terraform.
                        return Err(ParseError::syntax(
                            span.start,
                            format!(
                                "invalid HCL: block `{name}` takes a different number of labels here"
                            ),
                        ));
                    }
                }
            }
            let Value::Array(items) = slot else {
                return Err(ParseError::syntax(
                    block_span.start,
                    format!("invalid HCL: `{name}` is given both as an attribute and as a block"),
                ));
            };
            self.pointer.push('/');
            self.pointer.push_str(&items.len().to_string());
            self.spans
                .record(&self.pointer, None, Some(block_span.clone()));
            let body = self.body(&block.body, false)?;
            items.push(body);
            self.pointer.truncate(parent);
            return Ok(());
        }
        // A declaration: an object under its labels, each declared once.
        let path: Vec<&(String, Range<usize>)> = labels.iter().collect();
        let Some(((last, last_span), within)) = path.split_last() else {
            return Err(ParseError::syntax(
                block_span.start,
                format!("invalid HCL: block `{name}` needs a label"),
            ));
        };
        if seen.iter().all(|(k, _)| k != name) {
            seen.push((name.to_string(), ident_span.clone().unwrap_or(0..0)));
        }
        self.pointer.push('/');
        self.pointer.push_str(&pointer::escape_key(name));
        let mut slot = map
            .entry(name.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        for (label, span) in within {
            self.pointer.push('/');
            self.pointer.push_str(&pointer::escape_key(label));
            let Value::Object(object) = slot else {
                return Err(ParseError::syntax(
                    span.start,
                    format!("invalid HCL: block `{name}` takes a different number of labels here"),
                ));
            };
            slot = object
                .entry(label.clone())
                .or_insert_with(|| Value::Object(Map::new()));
        }
        let Value::Object(object) = slot else {
            return Err(ParseError::syntax(
                last_span.start,
                format!("invalid HCL: block `{name}` takes a different number of labels here"),
            ));
        };
        if object.contains_key(last) {
            let first = self
                .spans
                .get(&format!("{}/{}", self.pointer, pointer::escape_key(last)))
                .and_then(|e| e.key.clone())
                .map_or(0..0, |s| s.start as usize..s.end as usize);
            return Err(ParseError::duplicate_key(
                self.text,
                last,
                first,
                last_span.clone(),
                format!("{}/{}", self.pointer, pointer::escape_key(last)),
            ));
        }
        self.pointer.push('/');
        self.pointer.push_str(&pointer::escape_key(last));
        self.spans
            .record(&self.pointer, Some(last_span.clone()), Some(block_span));
        let body = self.body(&block.body, false)?;
        object.insert(last.clone(), body);
        self.pointer.truncate(parent);
        Ok(())
    }

    /// An expression at `self.pointer` (whose key spans `key`) as JSON, recording its span.
    fn expression(
        &mut self,
        expr: &Expression,
        key: Option<Range<usize>>,
    ) -> Result<Value, ParseError> {
        // A parenthesised expression stands where its content does.
        let mut expr = expr;
        while let Expression::Parenthesis(inner) = expr {
            expr = inner.inner();
        }
        let span = expr.span();
        self.spans.record(&self.pointer, key, span.clone());
        let value = match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => number(n.value()),
            Expression::String(s) => Value::String(s.value().to_string()),
            Expression::Array(array) => {
                let mut items = Vec::new();
                for (i, item) in array.iter().enumerate() {
                    items.push(self.member(&i.to_string(), None, item)?);
                }
                Value::Array(items)
            }
            Expression::Object(object) => {
                let mut map = Map::new();
                let mut seen = Vec::new();
                for (key, value) in object.iter() {
                    let (name, key_span) = match key {
                        ObjectKey::Ident(ident) => (ident.as_str().to_string(), ident.span()),
                        ObjectKey::Expression(Expression::String(s)) => {
                            (s.value().to_string(), s.span())
                        }
                        ObjectKey::Expression(other) => {
                            return Ok(self.opaque(other));
                        }
                    };
                    self.unique(&mut seen, &name, key_span.clone().unwrap_or(0..0))?;
                    let value = self.member(&name, key_span, value.expr())?;
                    map.insert(name, value);
                }
                Value::Object(map)
            }
            Expression::StringTemplate(template) => {
                let elements: Vec<&Element> = template.iter().collect();
                match elements.as_slice() {
                    // `"${var.x}"` is `var.x`.
                    [Element::Interpolation(interpolation)] => {
                        return self.expression(&interpolation.expr, None);
                    }
                    _ if elements.iter().all(|e| matches!(e, Element::Literal(_))) => {
                        Value::String(
                            elements
                                .iter()
                                .filter_map(|e| match e {
                                    Element::Literal(l) => Some(l.as_str()),
                                    _ => None,
                                })
                                .collect(),
                        )
                    }
                    _ => self.opaque(expr),
                }
            }
            Expression::Variable(_) | Expression::Traversal(_) => match reference(expr) {
                Some(segments) => {
                    let mut map = Map::new();
                    map.insert(REF.into(), Value::Array(segments));
                    Value::Object(map)
                }
                None => self.opaque(expr),
            },
            _ => self.opaque(expr),
        };
        Ok(value)
    }

    /// An expression only Terraform evaluates: its source text and the references in it.
    fn opaque(&self, expr: &Expression) -> Value {
        let text = expr
            .span()
            .and_then(|span| self.text.get(span))
            .unwrap_or_default()
            .trim()
            .to_string();
        let mut refs = Vec::new();
        references(expr, &mut refs);
        let mut map = Map::new();
        map.insert(EXPR.into(), Value::String(text));
        map.insert(
            REFS.into(),
            Value::Array(refs.into_iter().map(Value::Array).collect()),
        );
        Value::Object(map)
    }
}

/// An HCL number as JSON: an integer stays one (`2`, not `2.0`).
fn number(n: &hcl_edit::Number) -> Value {
    n.as_u64()
        .map(Value::from)
        .or_else(|| n.as_i64().map(Value::from))
        .or_else(|| {
            n.as_f64()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
        })
        .unwrap_or(Value::Null)
}

/// The segments of a reference (`var.x` is `["var", "x"]`, `each.value["k"]` is `["each",
/// "value", "k"]`, `a.b[0]` is `["a", "b", 0]`), or `None` for a traversal of anything but a
/// name, or with a splat or a computed index.
fn reference(expr: &Expression) -> Option<Vec<Value>> {
    match expr {
        Expression::Variable(name) => Some(vec![Value::String(name.as_str().to_string())]),
        Expression::Traversal(traversal) => {
            let mut segments = reference(&traversal.expr)?;
            for operator in &traversal.operators {
                segments.push(match operator.value() {
                    TraversalOperator::GetAttr(ident) => Value::String(ident.as_str().to_string()),
                    TraversalOperator::LegacyIndex(i) => Value::from(*i.value()),
                    TraversalOperator::Index(Expression::Number(n)) => number(n.value()),
                    TraversalOperator::Index(Expression::String(s)) => {
                        Value::String(s.value().to_string())
                    }
                    _ => return None,
                });
            }
            Some(segments)
        }
        _ => None,
    }
}

/// The references inside `expr`, each as far as it is a plain reference (`aws_rds_cluster.db`
/// of `aws_rds_cluster.db[*].id`).
fn references(expr: &Expression, out: &mut Vec<Vec<Value>>) {
    use hcl_edit::visit::{Visit, visit_expr};
    struct Collect<'o>(&'o mut Vec<Vec<Value>>);
    impl Visit for Collect<'_> {
        fn visit_expr(&mut self, expr: &Expression) {
            match expr {
                Expression::Variable(_) | Expression::Traversal(_) => {
                    if let Some(segments) = longest_reference(expr) {
                        self.0.push(segments);
                    }
                    if let Expression::Traversal(traversal) = expr {
                        for operator in &traversal.operators {
                            if let TraversalOperator::Index(index) = operator.value() {
                                self.visit_expr(index);
                            }
                        }
                    }
                }
                _ => visit_expr(self, expr),
            }
        }
    }
    Collect(out).visit_expr(expr);
}

/// The longest plain reference a traversal starts with.
fn longest_reference(expr: &Expression) -> Option<Vec<Value>> {
    if let Some(whole) = reference(expr) {
        return Some(whole);
    }
    let Expression::Traversal(traversal) = expr else {
        return None;
    };
    let mut segments = reference(&traversal.expr)?;
    for operator in &traversal.operators {
        match operator.value() {
            TraversalOperator::GetAttr(ident) => {
                segments.push(Value::String(ident.as_str().to_string()))
            }
            TraversalOperator::Index(Expression::Number(n)) => segments.push(number(n.value())),
            TraversalOperator::Index(Expression::String(s)) => {
                segments.push(Value::String(s.value().to_string()))
            }
            _ => break,
        }
    }
    Some(segments)
}

#[cfg(test)]
mod tests {
    use super::super::{Document, Syntax};
    use serde_json::json;

    fn parse(text: &str) -> Document {
        Document::parse("main.tf", text.to_string(), Syntax::Hcl).unwrap()
    }

    #[test]
    fn blocks_take_terraforms_json_shape_with_positions() {
        let text = r#"provider "aws" {
  region = "us-east-1"
}

resource "aws_rds_cluster" "db" {
  engine         = "aurora-postgresql"
  engine_version = var.version
  tags           = { Name = "db-${var.env}" }
  serverlessv2_scaling_configuration {
    min_capacity = 0.5
    max_capacity = (16)
  }
}

locals {
  classes = ["db.serverless", each.value["class"]]
}
"#;
        let doc = parse(text);
        assert_eq!(
            doc.value,
            json!({
                "provider": {"aws": [{"region": "us-east-1"}]},
                "resource": {"aws_rds_cluster": {"db": {
                    "engine": "aurora-postgresql",
                    "engine_version": {"$ref": ["var", "version"]},
                    "tags": {"Name": {"$expr": "\"db-${var.env}\"", "$refs": [["var", "env"]]}},
                    "serverlessv2_scaling_configuration": [{"min_capacity": 0.5, "max_capacity": 16}]
                }}},
                "locals": [{"classes": ["db.serverless", {"$ref": ["each", "value", "class"]}]}]
            })
        );
        let at = |pointer: &str| {
            let d = doc.value_diagnostic(pointer, "x");
            let excerpt = d.excerpt.unwrap();
            (
                d.line.unwrap(),
                d.column.unwrap(),
                excerpt.text[excerpt.span].to_string(),
            )
        };
        assert_eq!(
            at("/provider/aws/0/region"),
            (2, 12, "\"us-east-1\"".into())
        );
        assert_eq!(
            at("/resource/aws_rds_cluster/db/engine_version"),
            (7, 20, "var.version".into())
        );
        assert_eq!(
            at("/resource/aws_rds_cluster/db/serverlessv2_scaling_configuration/0/max_capacity"),
            (11, 21, "16".into())
        );
        assert_eq!(
            at("/locals/0/classes/1"),
            (16, 31, "each.value[\"class\"]".into())
        );
        // A declaration stands at its name label.
        let d = doc.diagnostic("/resource/aws_rds_cluster/db", "x");
        assert_eq!((d.line, d.column), (Some(5), Some(28)));
    }

    #[test]
    fn errors_are_located() {
        let err = Document::parse("main.tf", "a = {\n b = \n}".into(), Syntax::Hcl).unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(6)));
        assert!(err.message.starts_with("invalid HCL: "), "{}", err.message);
        let twice = "resource \"a\" \"b\" {}\nresource \"a\" \"b\" {}\n";
        let err = Document::parse("main.tf", twice.into(), Syntax::Hcl).unwrap_err();
        assert_eq!(
            err.message,
            "duplicate key `b`: first at line 1, column 14; again at line 2, column 14"
        );
        let err = Document::parse("main.tf", "a = 1\na = 2\n".into(), Syntax::Hcl).unwrap_err();
        assert_eq!(err.line, Some(2));
        let deep = format!("a = {}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = Document::parse("main.tf", deep, Syntax::Hcl).unwrap_err();
        assert!(err.message.contains("nested more than"), "{}", err.message);
    }
}
