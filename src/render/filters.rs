//! The filters templates use to turn the view into each target's syntax: escaping (every text
//! from the data reaches a target through one of these), identifiers, literals and types.
//! `templates/README.md` documents each.

use crate::model::{ScalarType, ValueType};
use crate::{escape, ident};
use tera::{Kwargs, State, Tera};

/// Registers the filters templates use; `templates/README.md` documents each.
pub(super) fn register_filters(tera: &mut Tera) {
    fn string_filter(tera: &mut Tera, name: &'static str, f: fn(&str) -> String) {
        tera.register_filter(name, move |s: &str, _: Kwargs, _: &State| f(s));
    }
    string_filter(tera, "rust_str", escape::rust_string);
    string_filter(tera, "ts_str", escape::js_string);
    string_filter(tera, "md", escape::markdown_text);
    string_filter(tera, "md_code", escape::markdown_code);
    string_filter(tera, "md_anchor", escape::markdown_anchor);
    string_filter(tera, "md_url", escape::markdown_url);
    string_filter(tera, "toml_str", escape::toml_string);
    string_filter(tera, "one_line", escape::one_line);
    string_filter(tera, "pascal_case", ident::pascal_case);
    string_filter(tera, "camel_case", ident::camel_case);
    string_filter(tera, "snake_case", ident::snake_case);
    string_filter(tera, "screaming_snake_case", ident::screaming_snake_case);
    tera.register_filter(
        "line_comment",
        |s: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let prefix: &str = kwargs.must_get("prefix")?;
            let indent: &str = kwargs.get("indent")?.unwrap_or("");
            Ok(escape::line_comment(s, prefix, indent))
        },
    );
    tera.register_filter(
        "block_comment",
        |s: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let indent: &str = kwargs.get("indent")?.unwrap_or("");
            Ok(escape::block_comment(s, indent))
        },
    );
    tera.register_filter(
        "json",
        |v: &tera::Value, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let pretty: bool = kwargs.get("pretty")?.unwrap_or(false);
            let result = if pretty {
                serde_json::to_string_pretty(v)
            } else {
                serde_json::to_string(v)
            };
            result.map_err(|e| tera::Error::message(e.to_string()))
        },
    );
    tera.register_filter("rust_value", |v: &tera::Value, _: Kwargs, _: &State| {
        literal(v, Lang::Rust)
    });
    tera.register_filter("ts_value", |v: &tera::Value, _: Kwargs, _: &State| {
        literal(v, Lang::Ts)
    });
    tera.register_filter("rust_type", |t: &str, _: Kwargs, _: &State| rust_type(t));
}

#[derive(Clone, Copy)]
enum Lang {
    Rust,
    Ts,
}

/// A literal of a data value (number, string, boolean, list) in `lang`.
fn literal(value: &tera::Value, lang: Lang) -> tera::TeraResult<String> {
    if let Some(items) = value.as_array() {
        let items: Vec<String> = items
            .iter()
            .map(|i| literal(i, lang))
            .collect::<Result<_, _>>()?;
        return Ok(match lang {
            Lang::Rust => format!("&[{}]", items.join(", ")),
            Lang::Ts => format!("[{}]", items.join(", ")),
        });
    }
    if let Some(s) = value.as_str() {
        return Ok(match lang {
            Lang::Rust => escape::rust_string(s),
            Lang::Ts => escape::js_string(s),
        });
    }
    if value.is_bool() {
        return Ok(value.to_string());
    }
    if let Some(i) = value.as_i64() {
        return Ok(i.to_string());
    }
    if let Some(f) = value.as_f64() {
        // `{:?}` keeps a fraction (`2.0`), so Rust reads an f64, not an integer.
        return Ok(format!("{f:?}"));
    }
    Err(tera::Error::message(format!(
        "no literal for the value {value}"
    )))
}

/// The Rust type of a constant of type `t` (as the view writes it: `integer`, `string-list`…).
fn rust_type(t: &str) -> tera::TeraResult<String> {
    let t: ValueType = t
        .parse()
        .map_err(|e: crate::model::UnknownValueType| tera::Error::message(e.to_string()))?;
    let item = match t.item {
        ScalarType::Integer => "i64",
        ScalarType::Number => "f64",
        ScalarType::String => "&str",
        ScalarType::Boolean => "bool",
    };
    Ok(if t.list {
        format!("&[{item}]")
    } else {
        item.to_string()
    })
}
