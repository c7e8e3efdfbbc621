//! Diagnostics: one problem, where it is, and what it means, for people and for tools.

use serde::Serialize;
use std::fmt;

/// A problem found in an input file, with its location when one exists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line, when the problem has a place in the file.
    pub line: Option<usize>,
    /// 1-based column in characters, when the problem has a place in the file.
    pub column: Option<usize>,
    /// JSON pointer of the value concerned ("" for the whole document).
    pub path: String,
    /// The id of the limitation the problem breaks, for violations of a limitation.
    pub limitation: Option<String>,
    /// What is wrong, in a sentence a person understands.
    pub message: String,
}

impl Diagnostic {
    /// A problem with a whole file (unreadable, missing), which has no place inside it.
    pub fn file_level(file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: None,
            column: None,
            path: String::new(),
            limitation: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": ")?;
        if !self.path.is_empty() {
            write!(f, "{}: ", display_path(&self.path))?;
        }
        write!(f, "{}", self.message)?;
        if let Some(limitation) = &self.limitation {
            write!(f, " [{limitation}]")?;
        }
        Ok(())
    }
}

/// A JSON pointer as a TOML-style dotted key path: `/limitation/2/id` -> `limitation[2].id`.
pub fn display_path(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            if segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                && !segment.is_empty()
            {
                out.push_str(&segment);
            } else {
                out.push_str(&format!("{segment:?}"));
            }
        }
    }
    out
}

/// Diagnostics in a stable order: by file, then position, then message.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.path, &a.message)
            .cmp(&(&b.file, b.line, b.column, &b.path, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_read_as_dotted_keys() {
        assert_eq!(display_path("/limitation/2/id"), "limitation[2].id");
        assert_eq!(display_path("/capacity/min_acu"), "capacity.min_acu");
        assert_eq!(display_path("/a~1b/c d"), "\"a/b\".\"c d\"");
        assert_eq!(display_path(""), "");
    }
}
