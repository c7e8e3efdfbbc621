//! The layout rustfmt gives the few constructs whose shape depends on the data's lengths: a
//! `const`/`static` item (`HEAD = VALUE;`, the value a literal or an array), an array of struct
//! literals, and the arms of a `match`. The generated Rust is written in rustfmt's layout
//! directly, so the committed crate passes `cargo fmt --check` without running rustfmt: a
//! rustfmt process over a large crate cost more than everything else `generate` does, and a
//! build script may run where rustfmt is not installed.
//!
//! The rules are rustfmt's defaults (style edition 2021, `max_width = 100`): a line fits when
//! its display width (`unicode-width`, as rustfmt measures) is at most 100 columns. Where
//! rustfmt finds no layout that fits a literal, it keeps the item as written; so does this
//! module. Where a construct goes beyond the rules followed here (an id so long that rustfmt
//! breaks a type or a call), a function returns `None`, and the renderer has rustfmt format
//! the file. `tests/rust_layout.rs` compares every rule with the installed rustfmt.

use unicode_width::UnicodeWidthStr;

/// rustfmt's `max_width`.
const MAX_WIDTH: usize = 100;
/// rustfmt's `array_width` (60% of `max_width`): the widest array kept on one line.
const ARRAY_WIDTH: usize = 60;
/// rustfmt's `short_array_element_width_threshold`: arrays of simple items no longer than
/// this (in bytes) pack several items per line.
const SHORT_ITEM: usize = 10;
/// rustfmt's `struct_lit_width` (18% of `max_width`): the widest struct literal kept on one line.
const STRUCT_LIT_WIDTH: usize = 18;
/// One level of indentation.
const TAB: usize = 4;

fn width(text: &str) -> usize {
    text.width()
}

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

/// The right-hand side of an item.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// One token, such as a literal or a path: it never breaks.
    Atom(String),
    /// `&[ITEMS]`, each item one token.
    Array(Vec<String>),
}

/// Whether rustfmt counts an array item as simple (`is_simple_expr`): a literal, a negated
/// literal, or a path of one segment.
fn is_simple(item: &str) -> bool {
    let item = item.strip_prefix('-').unwrap_or(item);
    let first = item.chars().next();
    match first {
        Some('"' | '\'' | '0'..='9') => true,
        Some(_) => !item.contains("::") && !item.contains('('),
        None => false,
    }
}

/// `&[ITEMS]` on one line, if rustfmt would keep it on one line when `room` columns are left
/// for the array itself (the `&[`, the items and the `]`).
fn array_on_one_line(items: &[String], room: usize) -> Option<String> {
    let inner = items.iter().map(|i| width(i)).sum::<usize>() + 2 * (items.len() - 1);
    let room_for_items = room.checked_sub(3)?;
    // `array_width` limits a list, not a single item.
    let limit = match items.len() {
        1 => room_for_items,
        _ => room_for_items.min(ARRAY_WIDTH),
    };
    (inner <= limit).then(|| format!("&[{}]", items.join(", ")))
}

/// `&[` then the items, one level deeper than `indent`, then `]` at `indent`: several per line
/// when every item is short and simple, else one per line. `None` if an item does not fit.
fn array_on_lines(items: &[String], indent: usize) -> Option<String> {
    let inner = indent + TAB;
    if items.iter().any(|i| inner + width(i) + 1 > MAX_WIDTH) {
        return None;
    }
    let mut out = String::from("&[\n");
    let pad = spaces(inner);
    if items.iter().all(|i| is_simple(i) && i.len() <= SHORT_ITEM) {
        let mut line = String::new();
        let mut used = 0;
        let mut first_line = true;
        for (n, item) in items.iter().enumerate() {
            // Every item takes its width and a comma, except the last one while all are
            // still on the first line.
            let last_on_first_line = first_line && n + 1 == items.len();
            let w = width(item);
            let cost = if last_on_first_line { w } else { w + 1 };
            // A line holds `max_width - 1` columns here, its final comma included.
            if !line.is_empty() && inner + used + 1 + cost >= MAX_WIDTH {
                out.push_str(&pad);
                out.push_str(&line);
                out.push_str(",\n");
                line.clear();
                used = 0;
                first_line = false;
            }
            if !line.is_empty() {
                line.push_str(", ");
                used += 1;
            }
            line.push_str(item);
            used += w + 1;
        }
        out.push_str(&pad);
        out.push_str(&line);
        out.push_str(",\n");
    } else {
        for item in items {
            out.push_str(&pad);
            out.push_str(item);
            out.push_str(",\n");
        }
    }
    out.push_str(&spaces(indent));
    out.push(']');
    Some(out)
}

/// `HEAD = VALUE;` at `indent`, as rustfmt lays it out (no final newline). `head` is the item
/// up to the `=`, such as `pub const PORT: i64`.
///
/// `None` where this module does not follow rustfmt's rules: a head so wide that rustfmt may
/// give the type a line of its own, a lone array item too wide for the line of the `=`, an
/// array item too wide for any line. [`crate::render`] has rustfmt lay those out.
pub fn item(indent: usize, head: &str, value: &Value) -> Option<String> {
    let pad = spaces(indent);
    // Where the value starts on the line of the `=`, and the columns left for it there and on
    // the next line (the `;` takes one).
    let start = indent + width(head) + 3;
    if start + 10 > MAX_WIDTH {
        return None;
    }
    let room = MAX_WIDTH - start - 1;
    let next_line = indent + TAB;
    let next_room = MAX_WIDTH - next_line - 1;
    let on_next_line = |value: &str| format!("{pad}{head} =\n{}{value};", spaces(next_line));
    match value {
        Value::Array(items) if items.len() == 1 => {
            // A lone item may fill the line: known here only with a column to spare.
            let one = array_on_one_line(items, room.checked_sub(1)?)?;
            Some(format!("{pad}{head} = {one};"))
        }
        Value::Array(items) if !items.is_empty() => {
            if let Some(one) = array_on_one_line(items, room) {
                return Some(format!("{pad}{head} = {one};"));
            }
            // rustfmt prefers one line on the next line to several on this one.
            if let Some(one) = array_on_one_line(items, next_room) {
                return Some(on_next_line(&one));
            }
            let lines = array_on_lines(items, indent)?;
            Some(format!("{pad}{head} = {lines};"))
        }
        // One token (`&[]` counts as one).
        _ => {
            let atom = plain(value);
            // On the line of the `=` where it fits, and where it fits nowhere (rustfmt then
            // keeps the item as written); else on the next line.
            if width(&atom) > room && width(&atom) <= next_room {
                Some(on_next_line(&atom))
            } else {
                Some(format!("{pad}{head} = {atom};"))
            }
        }
    }
}

/// A struct literal: its type's name and its fields, `(FIELD, VALUE)`.
pub type Struct<'a> = (&'a str, Vec<(&'a str, &'a str)>);

/// `HEAD = &[STRUCTS];` at `indent`, each struct literal over several lines (no final newline).
/// A field is `FIELD: VALUE,` where it fits, else `FIELD:` with the value on the next line. If
/// a value fits neither way, rustfmt keeps the whole item as written: every field on one line.
/// `None` for a struct narrow enough for one line (rustfmt's `struct_lit_width`).
pub fn struct_array(indent: usize, head: &str, structs: &[Struct<'_>]) -> Option<String> {
    if structs.is_empty() {
        return item(indent, head, &Value::Array(Vec::new()));
    }
    let one_line_width = |fields: &[(&str, &str)]| {
        let widths: usize = fields.iter().map(|(f, v)| width(f) + 2 + width(v)).sum();
        widths + 2 * fields.len().saturating_sub(1)
    };
    if structs
        .iter()
        .any(|(_, fields)| one_line_width(fields) <= STRUCT_LIT_WIDTH)
    {
        return None;
    }
    let pad = spaces(indent);
    // rustfmt writes a lone struct inside the brackets: `&[Name {` … `}];`.
    let alone = structs.len() == 1;
    let element = spaces(indent + TAB);
    let field_indent = if alone {
        indent + TAB
    } else {
        indent + 2 * TAB
    };
    let field_pad = spaces(field_indent);
    let on_its_line =
        |field: &str, value: &str| field_indent + width(field) + 2 + width(value) < MAX_WIDTH;
    let on_next_line = |value: &str| field_indent + TAB + width(value) <= MAX_WIDTH;
    let as_written = !structs
        .iter()
        .flat_map(|(_, fields)| fields)
        .all(|(field, value)| on_its_line(field, value) || on_next_line(value));
    let mut out = format!("{pad}{head} = &[");
    for (name, fields) in structs {
        if alone {
            out.push_str(&format!("{name} {{\n"));
        } else {
            out.push_str(&format!("\n{element}{name} {{\n"));
        }
        for (field, value) in fields {
            if as_written || on_its_line(field, value) {
                out.push_str(&format!("{field_pad}{field}: {value},\n"));
            } else {
                out.push_str(&format!("{field_pad}{field}:\n{field_pad}    {value},\n"));
            }
        }
        if alone {
            out.push_str(&format!("{pad}}}];"));
        } else {
            out.push_str(&format!("{element}}},"));
        }
    }
    if !alone {
        out.push_str(&format!("\n{pad}];"));
    }
    Some(out)
}

/// The value on one line, as a template would write it.
pub fn plain(value: &Value) -> String {
    match value {
        Value::Atom(atom) => atom.clone(),
        Value::Array(items) => format!("&[{}]", items.join(", ")),
    }
}

/// The arms `PATTERN => BODY` of a `match` at `indent` (each arm's lines, no final newline):
/// `PATTERN => BODY,` where it fits, else the body alone in a block. `None` when an arm fits
/// neither way: rustfmt then breaks a call's arguments, or keeps the whole `match` as written,
/// by rules not followed here.
pub fn match_arms(indent: usize, arms: &[(&str, &str)]) -> Option<String> {
    let pad = spaces(indent);
    let inner = spaces(indent + TAB);
    let mut lines = Vec::with_capacity(arms.len());
    for (pattern, body) in arms {
        let arm = indent + width(pattern) + 4;
        if arm + width(body) < MAX_WIDTH {
            lines.push(format!("{pad}{pattern} => {body},"));
        } else if arm < MAX_WIDTH && indent + TAB + width(body) <= MAX_WIDTH {
            lines.push(format!("{pad}{pattern} => {{\n{inner}{body}\n{pad}}}"));
        } else {
            return None;
        }
    }
    Some(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constant_that_fits_stays_on_one_line() {
        let value = Value::Atom("4".into());
        assert_eq!(
            item(0, "pub const MIN: i64", &value).as_deref(),
            Some("pub const MIN: i64 = 4;")
        );
    }
}
