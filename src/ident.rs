//! Identifiers derived from ids, in the cases the generated languages use, and the words those
//! languages reserve.

/// Splits a kebab-case or snake_case id into its words.
fn words(id: &str) -> impl Iterator<Item = &str> {
    id.split(['-', '_']).filter(|w| !w.is_empty())
}

/// `port-3306-only` -> `Port3306Only`: Rust enum variants and type names.
pub fn pascal_case(id: &str) -> String {
    words(id)
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `port-3306-only` -> `port3306Only`: TypeScript property names.
pub fn camel_case(id: &str) -> String {
    let pascal = pascal_case(id);
    let mut chars = pascal.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// `memory_gib_per_acu` -> `MEMORY_GIB_PER_ACU`: constants.
pub fn screaming_snake_case(id: &str) -> String {
    words(id)
        .map(str::to_ascii_uppercase)
        .collect::<Vec<_>>()
        .join("_")
}

/// `port-3306-only` -> `port_3306_only`.
pub fn snake_case(id: &str) -> String {
    words(id)
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join("_")
}

/// Words that Rust, TypeScript/JavaScript or Python reserve, as they are spelled (case matters).
/// A derived identifier equal to one of them would not compile in some target.
const RESERVED: &[&str] = &[
    // Rust: strict, reserved and weak keywords.
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "crate",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "self",
    "Self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "gen",
    "macro",
    "override",
    "priv",
    "try",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    "union",
    // TypeScript and JavaScript.
    "case",
    "catch",
    "class",
    "debugger",
    "default",
    "delete",
    "export",
    "extends",
    "finally",
    "function",
    "import",
    "instanceof",
    "new",
    "null",
    "switch",
    "this",
    "throw",
    "var",
    "void",
    "with",
    "implements",
    "interface",
    "package",
    "private",
    "protected",
    "public",
    "any",
    "boolean",
    "never",
    "number",
    "string",
    "symbol",
    "undefined",
    "unknown",
    "object",
    "arguments",
    "eval",
    // Python.
    "False",
    "None",
    "True",
    "and",
    "assert",
    "def",
    "del",
    "elif",
    "except",
    "from",
    "global",
    "is",
    "lambda",
    "nonlocal",
    "not",
    "or",
    "pass",
    "raise",
];

/// Whether `ident` is a word some generated language reserves.
pub fn is_reserved(ident: &str) -> bool {
    RESERVED.contains(&ident)
}

/// Names the generated modules define at their top level, beside the constants of the data:
/// the tables of the Rust, TypeScript and Python templates. A constant of the data with one
/// of these names would clash with them.
pub const GENERATED_NAMES: &[&str] = &[
    "FEATURES",
    "FEATURE_IDS",
    "LIMITATIONS",
    "LIMITATIONS_BY_ID",
    "LIMITATION_IDS",
    "UNSUPPORTED_FEATURES",
];

/// Names the generated Rust enums (`LimitationId`, `Feature`) define as associated items
/// beside their variants: a variant with one of these names (`a-l-l` becomes `ALL`) would
/// shadow it.
pub const ENUM_ITEM_NAMES: &[&str] = &["ALL"];

/// Whether a constant named `ident` would clash with a table of the generated modules.
pub fn is_generated_name(ident: &str) -> bool {
    GENERATED_NAMES.contains(&ident)
}

/// Whether an enum variant named `ident` would shadow an associated item of its enum.
pub fn is_enum_item_name(ident: &str) -> bool {
    ENUM_ITEM_NAMES.contains(&ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(pascal_case("port-3306-only"), "Port3306Only");
        assert_eq!(camel_case("port-3306-only"), "port3306Only");
        assert_eq!(
            screaming_snake_case("memory_gib_per_acu"),
            "MEMORY_GIB_PER_ACU"
        );
        assert_eq!(snake_case("unsupported-rds-proxy"), "unsupported_rds_proxy");
        assert_eq!(pascal_case("self"), "Self");
        assert!(is_reserved("Self") && is_reserved("type") && !is_reserved("TYPE"));
        assert_eq!(pascal_case("a-l-l"), "ALL");
        assert!(is_enum_item_name("ALL") && !is_generated_name("ALL"));
        assert!(is_generated_name("LIMITATIONS") && !is_enum_item_name("LIMITATIONS"));
    }

    /// Every upper-case name a built-in template defines at the top of a module is in
    /// `GENERATED_NAMES`, and every one it defines inside an `impl` in `ENUM_ITEM_NAMES`, so
    /// the lint keeps the data's constants and enum variants from clashing with them.
    #[test]
    fn generated_names_cover_the_templates() {
        let mut defined = Vec::new();
        for (name, text) in crate::embedded::TEMPLATES {
            if !name.ends_with(".tera") {
                continue;
            }
            for line in text.lines() {
                let (line, nested) = (line.trim_start(), line.starts_with(' '));
                let rest = [
                    "pub const ",
                    "pub static ",
                    "export const ",
                    "export declare const ",
                ]
                .iter()
                .find_map(|p| line.strip_prefix(p))
                .or_else(|| name.ends_with(".py.tera").then_some(line));
                let Some(rest) = rest else { continue };
                let ident: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                let after = &rest[ident.len()..];
                if ident.len() > 1
                    && ident.starts_with(|c: char| c.is_ascii_uppercase())
                    && (after.starts_with(':')
                        || after.starts_with(" =")
                        || after.starts_with(" :"))
                {
                    defined.push((name.to_string(), ident, nested));
                }
            }
        }
        for (suffix, ident) in [
            (".rs.tera", "ALL"),
            (".rs.tera", "LIMITATIONS"),
            (".ts.tera", "LIMITATIONS"),
        ] {
            assert!(
                defined
                    .iter()
                    .any(|(t, i, _)| t.ends_with(suffix) && i == ident),
                "the scan finds {ident} in a {suffix} template: {defined:?}"
            );
        }
        for (template, ident, nested) in &defined {
            if *nested {
                assert!(
                    is_enum_item_name(ident),
                    "{template} defines {ident} in an impl, which ENUM_ITEM_NAMES lacks"
                );
            } else {
                assert!(
                    is_generated_name(ident),
                    "{template} defines {ident}, which GENERATED_NAMES lacks"
                );
            }
        }
    }
}
