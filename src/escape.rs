//! Escaping of data text for each target. Text from the data reaches generated code and docs
//! only through these functions (as template filters), so that no string can end a literal, a
//! comment, a table cell or a paragraph early.

/// Characters that change how text is displayed without being seen (bidirectional overrides
/// and isolates). rustc rejects them in literals and comments, and they can make generated
/// code read differently from what it does.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters that end a line somewhere: in Rust, JS, Markdown or an editor.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Characters that take no space and show nothing (soft hyphen, zero-width space, word
/// joiner, invisible operators, zero-width no-break space): clippy denies them in Rust
/// literals (`invisible_characters`), and they hide text from a reader.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{180E}' | '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
    )
}

/// Whether `c` must be written as an escape rather than as itself.
fn needs_escape(c: char) -> bool {
    c.is_control() || is_line_break(c) || is_bidi_control(c) || is_invisible(c)
}

/// A Rust string literal, quotes included, equal to `text` when compiled.
pub fn rust_string(text: &str) -> String {
    quoted(text, |c| format!("\\u{{{c:x}}}"))
}

/// A JavaScript/TypeScript string literal, quotes included, equal to `text` when evaluated.
/// (A char above U+FFFF never needs an escape here, so one `\u` unit suffices.)
pub fn js_string(text: &str) -> String {
    quoted(text, |c| format!("\\u{c:04x}"))
}

/// A TOML basic string, quotes included, equal to `text` when parsed. TOML forbids control
/// characters (DEL included) in strings, so they are escaped like the invisible ones.
pub fn toml_string(text: &str) -> String {
    quoted(text, |c| format!("\\u{c:04X}"))
}

/// A double-quoted literal in the syntax Rust, JavaScript and TOML share: `"`, `\`, newline,
/// carriage return and tab by their short escapes, every other character that must not stand
/// raw by the target's Unicode escape `unicode(code point)`.
fn quoted(text: &str, unicode: impl Fn(u32) -> String) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let special = |b: u8| matches!(b, b'"' | b'\\' | 0..=0x1f | 0x7f..);
    for_each_special(text, special, &mut out, |c, out| match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if needs_escape(c) => out.push_str(&unicode(c as u32)),
        c => out.push(c),
    });
    out.push('"');
    out
}

/// Copies `text` to `out`, except that each character starting with a byte for which
/// `special` holds goes to `escape` instead. Runs of other bytes are copied whole: most text is
/// plain ASCII, and looking at it a byte at a time is most of the cost of escaping. A
/// character beyond ASCII is special whenever `special` holds for its first byte (≥ 0x80).
fn for_each_special(
    text: &str,
    special: impl Fn(u8) -> bool,
    out: &mut String,
    mut escape: impl FnMut(char, &mut String),
) {
    let mut rest = text;
    while let Some(at) = rest.bytes().position(&special) {
        out.push_str(&rest[..at]);
        let c = rest[at..]
            .chars()
            .next()
            .expect("a character starts at a special byte");
        escape(c, out);
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
}

/// Text for a one-line metadata field, such as a package's description in `Cargo.toml` or
/// `pyproject.toml`: each line break, control or bidi character becomes a space. Cargo passes
/// the description to rustc in an environment variable (which cannot hold NUL) and Python
/// packaging rejects a multi-line summary, so these fields cannot carry such characters at
/// all; the data's own fields keep them (the constants round-trip exactly).
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if needs_escape(c) { ' ' } else { c })
        .collect()
}

/// A URL for a Markdown link destination: characters that would end the destination or
/// break a table (spaces, brackets, `|`, `<`, `>`, controls) percent-encoded.
pub fn markdown_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_graphic()
            && !matches!(
                c,
                '(' | ')' | '<' | '>' | '|' | '[' | ']' | '`' | '"' | '\\'
            )
        {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// The lines of `text` for a comment: split at every line break, with characters that a
/// comment must not hold shown as visible escapes (`\u{202e}`).
fn comment_lines(text: &str) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_line_break(c) {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            lines.push(String::new());
        } else if c == '\t' {
            lines.last_mut().expect("never empty").push(c);
        } else if needs_escape(c) {
            lines
                .last_mut()
                .expect("never empty")
                .push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            lines.last_mut().expect("never empty").push(c);
        }
    }
    lines
}

/// A line comment block: every line of `text` after `prefix` (such as `/// ` or `# `), joined
/// by newlines followed by `indent`. Nothing in `text` can leave the comment.
pub fn line_comment(text: &str, prefix: &str, indent: &str) -> String {
    comment_lines(text)
        .iter()
        .map(|line| format!("{prefix}{line}").trim_end().to_string())
        .collect::<Vec<_>>()
        .join(&format!("\n{indent}"))
}

/// The body of a `/** … */` block comment (TSDoc): lines after ` * `, with `*/` broken up and
/// TSDoc's special characters escaped so the text stays text.
pub fn block_comment(text: &str, indent: &str) -> String {
    comment_lines(text)
        .iter()
        .map(|line| {
            let mut escaped = String::with_capacity(line.len());
            for c in line.chars() {
                if matches!(c, '@' | '{' | '}' | '\\' | '<' | '>') {
                    escaped.push('\\');
                }
                escaped.push(c);
            }
            let escaped = escaped.replace("*/", "*\\/");
            format!(" * {escaped}").trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join(&format!("\n{indent}"))
}

/// Inline Markdown text (a paragraph or a table cell): one line, every character that
/// Markdown or GFM would read as syntax escaped, HTML inert.
pub fn markdown_text(text: &str) -> String {
    escape_block_start(escape_inline(text))
}

/// Text with every character that inline Markdown, GFM tables or HTML would read as syntax
/// escaped, and line breaks as `<br>`.
fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let special = |b: u8| {
        matches!(
            b,
            b'\\' | b'`' | b'*' | b'_' | b'[' | b']' | b'|' | b'~' | b'<' | b'>' | b'&'
        ) || !(0x20..0x7f).contains(&b)
    };
    for_each_special(text, special, &mut out, |c, out| match c {
        '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
            out.push('\\');
            out.push(c);
        }
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '&' => out.push_str("&amp;"),
        '\t' => out.push(' '),
        c if is_line_break(c) => out.push_str("<br>"),
        c if needs_escape(c) => out.push_str(&format!("&#x{:X};", c as u32)),
        c => out.push(c),
    });
    out
}

/// Escapes what would make a paragraph's start a heading, a list item or a rule.
fn escape_block_start(text: String) -> String {
    // Leading blanks would make an indented code block.
    let text = text.trim_start().to_string();
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let first = text.chars().next();
    if matches!(first, Some('#' | '-' | '+' | '=')) {
        format!("\\{text}")
    } else if digits > 0 && matches!(text[digits..].chars().next(), Some('.' | ')')) {
        format!("{}\\{}", &text[..digits], &text[digits..])
    } else {
        text
    }
}

/// An inline code span showing `text` literally, safe in a table cell.
pub fn markdown_code(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| {
            if is_line_break(c) || needs_escape(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    if one_line.contains("\\|") {
        // In a table, a `|` must be written `\|` even inside a code span, so `\|` becomes
        // `\\|`: cmark-gfm (GitHub) shows that as `\|`, but micromark (remark, markdownlint)
        // reads an escaped backslash and a cell delimiter. Escaped text reads the same in both
        // (without the code font).
        return markdown_text(&one_line);
    }
    let longest_run = one_line
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    // CommonMark strips one space from each end of a code span that starts and ends with one
    // (unless it is all spaces), and needs a space between the fence and a backtick: a space
    // of padding on each side keeps the content as it is.
    let spaced =
        one_line.starts_with(' ') && one_line.ends_with(' ') && one_line.chars().any(|c| c != ' ');
    let pad =
        if one_line.starts_with('`') || one_line.ends_with('`') || one_line.is_empty() || spaced {
            " "
        } else {
            ""
        };
    // GFM splits table cells at `|` even inside code spans; `\|` shows a plain `|`.
    format!("{fence}{pad}{}{pad}{fence}", one_line.replace('|', "\\|"))
}

/// A Markdown heading anchor as GitHub and mdBook compute it from an id: lower case, with
/// characters other than letters, digits, `-` and `_` dropped and spaces made `-`.
pub fn markdown_anchor(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_strings_escape_what_would_end_or_hide_them() {
        assert_eq!(rust_string("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
        assert_eq!(rust_string("\u{202E}\0"), r#""\u{202e}\u{0}""#);
        assert_eq!(rust_string("é🙂*/"), "\"é🙂*/\"");
    }

    #[test]
    fn js_strings_escape_line_separators() {
        assert_eq!(js_string("a\u{2028}b\"`${x}"), "\"a\\u2028b\\\"`${x}\"");
    }

    #[test]
    fn comments_cannot_be_left() {
        assert_eq!(
            line_comment("a\nb\r\nc\u{2028}d", "/// ", "    "),
            "/// a\n    /// b\n    /// c\n    /// d"
        );
        assert_eq!(block_comment("x */ y @param", ""), " * x *\\/ y \\@param");
    }

    #[test]
    fn toml_strings_and_urls() {
        assert_eq!(toml_string("a\"\\\u{7f}"), "\"a\\\"\\\\\\u007F\"");
        assert_eq!(
            markdown_url("https://x/a b(c)|é"),
            "https://x/a%20b%28c%29%7C%C3%A9"
        );
    }

    #[test]
    fn markdown_stays_inline() {
        assert_eq!(
            markdown_text("# a | b\n<script>"),
            "\\# a \\| b<br>&lt;script&gt;"
        );
        assert_eq!(markdown_text("1. x_y"), "1\\. x\\_y");
        assert_eq!(markdown_text("Port 3306 (only)."), "Port 3306 (only).");
        assert_eq!(markdown_code("a`b|c"), "``a`b\\|c``");
        assert_eq!(markdown_code("`x"), "`` `x ``");
    }
}

#[cfg(test)]
mod properties;

/// Random strings, and strings built from the pieces that break escaping, through every
/// escaping function: each must read back as its input (or show it, for Markdown and
/// comments) and nothing in it may leave its literal, comment or table cell.
#[cfg(test)]
mod property_tests {
    use super::properties::*;
    use proptest::prelude::*;

    /// Strings made of the pieces that end literals, comments, cells or lines, mixed with
    /// arbitrary characters.
    fn hostile() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "\"",
            "'",
            "\\",
            "\\\\",
            "*/",
            "/*",
            "//",
            "${",
            "`",
            "``",
            "{{",
            "{%",
            "|",
            "\\|",
            "<script>",
            "<br>",
            "&amp;",
            "&#x41;",
            "#",
            "# ",
            "- ",
            "1. ",
            "    ",
            "\n",
            "\r",
            "\r\n",
            "\t",
            "\u{0B}",
            "\u{0C}",
            "\u{85}",
            "\u{2028}",
            "\u{2029}",
            "\0",
            "\u{1b}",
            "\u{7f}",
            "\u{202E}",
            "\u{2066}",
            "\u{200F}",
            "\u{061C}",
            "\u{feff}",
            "\u{AD}",
            "\u{200B}",
            "\u{2060}",
            "\u{200D}",
            "🙂",
            "é",
            "@param",
            "{@link x}",
            "\\u{41}",
            "\\x41",
            "\\n",
        ]);
        let piece = prop_oneof![
            3 => pieces.prop_map(String::from),
            1 => any::<char>().prop_map(String::from),
            1 => "[a-z ]{0,4}",
        ];
        prop::collection::vec(piece, 0..16).prop_map(|pieces| pieces.concat())
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![hostile(), any::<String>()]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn rust_string_compiles_to_its_input(s in text()) {
            prop_assert_eq!(check_rust_string(&s), Ok(()));
        }

        #[test]
        fn js_string_evaluates_to_its_input(s in text()) {
            prop_assert_eq!(check_js_string(&s), Ok(()));
        }

        #[test]
        fn toml_string_parses_to_its_input(s in text()) {
            prop_assert_eq!(check_toml_string(&s), Ok(()));
        }

        #[test]
        fn markdown_text_stays_one_inline_cell(s in text()) {
            prop_assert_eq!(check_markdown_text(&s), Ok(()));
        }

        #[test]
        fn markdown_code_stays_one_code_span_in_a_cell(s in text()) {
            prop_assert_eq!(check_markdown_code(&s), Ok(()));
        }

        #[test]
        fn one_line_has_no_line_break_or_control(s in text()) {
            prop_assert_eq!(check_one_line(&s), Ok(()));
        }

        #[test]
        fn markdown_url_cannot_end_its_link(s in text()) {
            prop_assert_eq!(check_markdown_url(&s), Ok(()));
        }

        #[test]
        fn line_comments_cannot_be_left(s in text()) {
            for (prefix, indent) in [("/// ", "    "), ("//! ", ""), ("# ", ""), ("// ", "  ")] {
                prop_assert_eq!(check_line_comment(&s, prefix, indent), Ok(()));
            }
        }

        #[test]
        fn block_comments_cannot_be_closed(s in text()) {
            for indent in ["", "  "] {
                prop_assert_eq!(check_block_comment(&s, indent), Ok(()));
            }
        }
    }

    #[test]
    fn code_spans_keep_edge_spaces_and_backslash_pipes() {
        // CommonMark strips one space from each end: padding keeps them.
        assert_eq!(super::markdown_code(" a "), "`  a  `");
        // `\|` cannot be a code span in a table for every parser: escaped text instead.
        assert_eq!(super::markdown_code("a\\|b"), "a\\\\\\|b");
        assert_eq!(check_markdown_code(" a "), Ok(()));
        assert_eq!(check_markdown_code("a\\|b"), Ok(()));
    }

    #[test]
    fn the_rust_literal_parser_rejects_what_rustc_rejects() {
        assert_eq!(
            parse_rust_string(r#""a\"b\\\n\u{1F642}\x41""#).unwrap(),
            "a\"b\\\n🙂A"
        );
        assert!(parse_rust_string(r#""a"b""#).is_err());
        assert!(parse_rust_string(r#""\q""#).is_err());
        assert!(parse_rust_string("\"\r\"").is_err());
        assert!(parse_rust_string(r#""\x80""#).is_err());
        assert!(parse_rust_string(r#""\u{d800}""#).is_err());
    }

    #[test]
    fn the_oracles_catch_broken_escaping() {
        // Each oracle fails on the output a broken escaper would give.
        assert!(check_all("plain text, é 🙂").is_ok());
        assert!(parse_rust_string("\"a\"b\"").is_err());
        assert!(serde_json::from_str::<String>("\"a\u{1}\"").is_err());
        assert!(toml::from_str::<toml::Table>("v = \"a\u{7f}\"").is_err());
    }
}
