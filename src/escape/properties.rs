//! The properties every escaping function must have, written as independent oracles: each
//! parses the escaped text back (a hand-written Rust string literal parser, `serde_json` for
//! JavaScript, `toml` for TOML, an unescaper for Markdown) or checks what the target language
//! would read as structure. Used by the proptest tests of `escape` and by the `escaping` fuzz
//! target (`fuzz/fuzz_targets/escaping.rs` includes this file by path), so it relies only on
//! the public functions of `escape`, reached through `super`.

use super::{
    block_comment, js_string, line_comment, markdown_code, markdown_text, markdown_url, one_line,
    rust_string, toml_string,
};

/// Characters that end a line in Rust, JavaScript, TOML, Markdown or an editor.
const LINE_BREAKS: &[char] = &[
    '\n', '\r', '\u{0B}', '\u{0C}', '\u{85}', '\u{2028}', '\u{2029}',
];

/// Bidirectional formatting characters: rustc rejects them in literals and comments, and
/// they make code display differently from what it does.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters that show nothing: clippy denies some of them in Rust literals
/// (`invisible_characters`: soft hyphen, zero-width space, word joiner); the others
/// (Mongolian vowel separator, invisible operators, zero-width no-break space) hide text too.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{180E}' | '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
    )
}

/// A character that must never appear raw in generated code or docs.
fn is_hazard(c: char) -> bool {
    c.is_control() || LINE_BREAKS.contains(&c) || is_bidi(c) || is_invisible(c)
}

fn no_hazards(what: &str, text: &str) -> Result<(), String> {
    match text.chars().find(|&c| is_hazard(c)) {
        Some(c) => Err(format!("{what} holds the raw character {c:?}: {text:?}")),
        None => Ok(()),
    }
}

/// Parses a Rust string literal (quotes included) as rustc does, rejecting what rustc rejects
/// (an unescaped quote, a bare carriage return, an unknown escape).
pub fn parse_rust_string(literal: &str) -> Result<String, String> {
    let inner = literal
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .ok_or_else(|| format!("not a quoted literal: {literal:?}"))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Err(format!("unescaped quote inside {literal:?}")),
            '\r' if chars.peek() != Some(&'\n') => {
                return Err(format!("bare carriage return in {literal:?}"));
            }
            '\\' => {
                let escape = chars
                    .next()
                    .ok_or_else(|| format!("escape at the end of {literal:?}"))?;
                match escape {
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    '0' => out.push('\0'),
                    '\\' | '"' | '\'' => out.push(escape),
                    'x' => {
                        let hex: String = chars.by_ref().take(2).collect();
                        let value = u8::from_str_radix(&hex, 16)
                            .ok()
                            .filter(|v| *v <= 0x7f && hex.len() == 2)
                            .ok_or_else(|| format!("bad \\x escape in {literal:?}"))?;
                        out.push(char::from(value));
                    }
                    'u' => {
                        if chars.next() != Some('{') {
                            return Err(format!("bad \\u escape in {literal:?}"));
                        }
                        let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                        let digits = hex.replace('_', "");
                        let c = (1..=6)
                            .contains(&digits.len())
                            .then(|| u32::from_str_radix(&digits, 16).ok())
                            .flatten()
                            .and_then(char::from_u32)
                            .ok_or_else(|| format!("bad \\u{{{hex}}} in {literal:?}"))?;
                        out.push(c);
                    }
                    '\n' => {
                        while chars
                            .peek()
                            .is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
                        {
                            chars.next();
                        }
                    }
                    other => return Err(format!("unknown escape \\{other} in {literal:?}")),
                }
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// `rust_string`: compiles to the input, holds nothing rustc rejects or a reader cannot see.
pub fn check_rust_string(input: &str) -> Result<(), String> {
    let literal = rust_string(input);
    no_hazards("the Rust literal", &literal)?;
    let parsed = parse_rust_string(&literal)?;
    reads_back("Rust", &literal, Some(&parsed), input)
}

/// `js_string`: the escapes it uses mean the same in JSON, so JSON parses it back to the input;
/// and no raw line separator (a line terminator in JavaScript before ES2019) or bidi control.
pub fn check_js_string(input: &str) -> Result<(), String> {
    let literal = js_string(input);
    no_hazards("the JS literal", &literal)?;
    let parsed: String = serde_json::from_str(&literal)
        .map_err(|e| format!("JS literal {literal:?} is not a JSON string: {e}"))?;
    reads_back("JS", &literal, Some(&parsed), input)
}

/// `toml_string`: a TOML parser reads it back as the input.
pub fn check_toml_string(input: &str) -> Result<(), String> {
    let literal = toml_string(input);
    let document = format!("v = {literal}\n");
    let table: toml::Table =
        toml::from_str(&document).map_err(|e| format!("TOML {document:?} does not parse: {e}"))?;
    let parsed = table.get("v").and_then(toml::Value::as_str);
    reads_back("TOML", &literal, parsed, input)
}

/// `Ok` if `literal`, read back by `language` as `parsed` (`None`: not as a string), is
/// `input`.
fn reads_back(
    language: &str,
    literal: &str,
    parsed: Option<&str>,
    input: &str,
) -> Result<(), String> {
    match parsed {
        Some(parsed) if parsed == input => Ok(()),
        other => Err(format!(
            "{language} literal {literal:?} reads as {other:?}, not {input:?}"
        )),
    }
}

/// The number of backslashes right before byte `at` of `text`.
fn backslashes_before(text: &str, at: usize) -> usize {
    text[..at].bytes().rev().take_while(|&b| b == b'\\').count()
}

/// No `|` of `text` splits a GFM table cell, under either rule in use: cmark-gfm (GitHub) and
/// markdown-it split at a `|` not preceded by `\`; micromark (remark, markdownlint) splits
/// at a `|` preceded by an even number of backslashes.
fn no_cell_delimiter(what: &str, text: &str) -> Result<(), String> {
    for (at, _) in text.match_indices('|') {
        if backslashes_before(text, at).is_multiple_of(2) {
            return Err(format!("{what} {text:?} has an unescaped `|` at byte {at}"));
        }
    }
    Ok(())
}

/// What `markdown_text` is meant to show: the text on one line (line breaks as `\n`, each
/// written `<br>`), tabs as spaces, no leading blanks.
fn markdown_shown(input: &str) -> String {
    let one_line: String = input
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let mut out = String::new();
    let mut started = false;
    for c in one_line.chars() {
        if !started && c.is_whitespace() && !LINE_BREAKS.contains(&c) {
            continue;
        }
        started = true;
        out.push(if LINE_BREAKS.contains(&c) { '\n' } else { c });
    }
    out
}

/// Reads escaped inline Markdown back: backslash escapes, the entities and `<br>` that
/// `markdown_text` writes. Fails on any other `<` (live HTML) or `&` (an entity it did not
/// write).
fn markdown_unescape(text: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("<br>") {
            out.push('\n');
            rest = after;
        } else if c == '<' {
            return Err(format!("raw `<` in {text:?}"));
        } else if c == '&' {
            let end = rest
                .find(';')
                .ok_or_else(|| format!("unterminated entity in {text:?}"))?;
            let entity = &rest[1..end];
            let decoded = match entity {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                _ => entity
                    .strip_prefix("#x")
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .and_then(char::from_u32)
                    .ok_or_else(|| format!("unknown entity &{entity}; in {text:?}"))?,
            };
            out.push(decoded);
            rest = &rest[end + 1..];
        } else if c == '\\' {
            let next = rest[1..]
                .chars()
                .next()
                .ok_or_else(|| format!("dangling backslash in {text:?}"))?;
            if !next.is_ascii_punctuation() {
                return Err(format!(
                    "backslash before {next:?} escapes nothing in {text:?}"
                ));
            }
            out.push(next);
            rest = &rest[1 + next.len_utf8()..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    Ok(out)
}

/// `markdown_text`: one line, no live HTML, no `|` that splits a table cell, no block syntax
/// at its start, no emphasis or code marker left unescaped, and it reads back as the text.
pub fn check_markdown_text(input: &str) -> Result<(), String> {
    let text = markdown_text(input);
    no_hazards("the Markdown text", &text)?;
    no_cell_delimiter("the Markdown text", &text)?;
    if text.starts_with(char::is_whitespace) {
        return Err(format!("Markdown text {text:?} starts with a blank"));
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if matches!(text.chars().next(), Some('#' | '-' | '+' | '=' | '>' | '*'))
        || (matches!(text[digits..].chars().next(), Some('.' | ')')) && digits > 0)
    {
        return Err(format!("Markdown text {text:?} starts a block"));
    }
    for (at, c) in text.char_indices() {
        if matches!(c, '*' | '_' | '`' | '[' | ']' | '~')
            && backslashes_before(&text, at).is_multiple_of(2)
        {
            return Err(format!("Markdown text {text:?} has an unescaped {c:?}"));
        }
    }
    let shown = markdown_unescape(&text)?;
    let expected = markdown_shown(input);
    if shown != expected {
        return Err(format!(
            "Markdown text {text:?} reads as {shown:?}, not {expected:?}"
        ));
    }
    Ok(())
}

/// What `markdown_code` is meant to show: the text on one line, invisible characters as spaces.
fn code_shown(input: &str) -> String {
    input
        .chars()
        .map(|c| if is_hazard(c) { ' ' } else { c })
        .collect()
}

/// `markdown_code`: one code span (or, for text a code span cannot show in a table, escaped
/// text) on one line, with no `|` that splits a table cell, reading
/// back as the text (as GitHub reads a cell: `\|` is `|`, then the code span's content).
pub fn check_markdown_code(input: &str) -> Result<(), String> {
    let code = markdown_code(input);
    no_hazards("the Markdown code span", &code)?;
    no_cell_delimiter("the Markdown code span", &code)?;
    let expected = code_shown(input);
    if !code.starts_with('`') {
        // Text a code span cannot show in a table is escaped text instead.
        let shown = markdown_unescape(&code)?;
        let expected = markdown_shown(&expected);
        if shown != expected {
            return Err(format!("{code:?} reads as {shown:?}, not {expected:?}"));
        }
        return Ok(());
    }
    let fence = code.chars().take_while(|&c| c == '`').count();
    let ticks = "`".repeat(fence);
    let inner = code
        .strip_prefix(&ticks)
        .and_then(|rest| rest.strip_suffix(&ticks))
        .filter(|_| fence > 0)
        .ok_or_else(|| format!("code span {code:?} is not fenced by {ticks}"))?;
    if inner.starts_with('`') || inner.ends_with('`') {
        return Err(format!("code span {code:?} ends early"));
    }
    // No run of backticks inside as long as the fence, which would close the span.
    if inner.split(|c| c != '`').any(|run| run.len() == fence) {
        return Err(format!("code span {code:?} holds its own fence"));
    }
    let unpiped = inner.replace("\\|", "|");
    let content = if unpiped.len() >= 2
        && unpiped.starts_with(' ')
        && unpiped.ends_with(' ')
        && unpiped.chars().any(|c| c != ' ')
    {
        &unpiped[1..unpiped.len() - 1]
    } else {
        &unpiped[..]
    };
    // An empty text shows as a blank code span.
    if content != expected && !(expected.is_empty() && content.chars().all(|c| c == ' ')) {
        return Err(format!(
            "code span {code:?} shows {content:?}, not {expected:?}"
        ));
    }
    Ok(())
}

/// `line_comment`: every line is a comment line (after `indent`, the prefix), and no
/// character other than `\n` breaks a line.
pub fn check_line_comment(input: &str, prefix: &str, indent: &str) -> Result<(), String> {
    let comment = line_comment(input, prefix, indent);
    no_hazards("the comment", &comment.replace(['\n', '\t'], ""))?;
    let lead = prefix.trim_end();
    for (i, line) in comment.split('\n').enumerate() {
        let line = if i == 0 {
            line
        } else {
            line.strip_prefix(indent)
                .ok_or_else(|| format!("comment line {line:?} lacks the indent"))?
        };
        if !line.starts_with(lead) {
            return Err(format!("line {line:?} of {comment:?} is not a comment"));
        }
    }
    let lines = comment.split('\n').count();
    let breaks = input.replace("\r\n", "\n").matches(LINE_BREAKS).count();
    if lines != breaks + 1 {
        return Err(format!(
            "{input:?} has {breaks} line breaks but its comment {comment:?} {lines} lines"
        ));
    }
    Ok(())
}

/// `block_comment`: every line is a ` * ` line, and nothing closes the comment.
pub fn check_block_comment(input: &str, indent: &str) -> Result<(), String> {
    let comment = block_comment(input, indent);
    no_hazards("the comment", &comment.replace(['\n', '\t'], ""))?;
    if comment.contains("*/") {
        return Err(format!("block comment body {comment:?} holds `*/`"));
    }
    // Closing the whole `/** … */` right after the body must not form `*/` either: the
    // template puts "\n */" after it, so only the body matters; but a body ending in `*`
    // followed directly by `/` cannot occur since every line ends the line.
    for (i, line) in comment.split('\n').enumerate() {
        let line = if i == 0 {
            line
        } else {
            line.strip_prefix(indent)
                .ok_or_else(|| format!("comment line {line:?} lacks the indent"))?
        };
        if !line.starts_with(" *") {
            return Err(format!("line {line:?} of {comment:?} is not a ` * ` line"));
        }
    }
    Ok(())
}

/// `markdown_url`: only characters that cannot end a link destination or split a table cell.
pub fn check_markdown_url(input: &str) -> Result<(), String> {
    let url = markdown_url(input);
    match url.chars().find(|&c| {
        !c.is_ascii_graphic()
            || matches!(
                c,
                '(' | ')' | '<' | '>' | '|' | '[' | ']' | '`' | '"' | '\\'
            )
    }) {
        Some(c) => Err(format!("URL {url:?} holds {c:?}")),
        None => Ok(()),
    }
}

/// `one_line`: no line break, control or bidi character; every other character kept, in place.
pub fn check_one_line(input: &str) -> Result<(), String> {
    let line = one_line(input);
    no_hazards("the one-line text", &line)?;
    let kept: String = input
        .chars()
        .map(|c| if is_hazard(c) { ' ' } else { c })
        .collect();
    if line != kept {
        return Err(format!("one_line({input:?}) is {line:?}, not {kept:?}"));
    }
    Ok(())
}

/// Every property, for one input.
pub fn check_all(input: &str) -> Result<(), String> {
    check_rust_string(input)?;
    check_js_string(input)?;
    check_toml_string(input)?;
    check_markdown_text(input)?;
    check_markdown_code(input)?;
    check_markdown_url(input)?;
    check_one_line(input)?;
    for (prefix, indent) in [("/// ", "    "), ("//! ", ""), ("# ", ""), ("// ", "  ")] {
        check_line_comment(input, prefix, indent)?;
    }
    for indent in ["", "  "] {
        check_block_comment(input, indent)?;
    }
    Ok(())
}
