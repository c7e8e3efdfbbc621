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
    }
}
