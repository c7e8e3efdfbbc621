//! Diagnostics: one problem, where it is, how serious it is, and what it means, for people and
//! for tools.
//!
//! A diagnostic is shown four ways: [`Diagnostic::render`] for people (the source line with a
//! caret under the value, then `help:` and `note:` lines, as rustc and cargo show theirs), its
//! `Display` for editors and grep (`file:line:col: path: message [limitation]`, one line), its
//! JSON form for tools (`{file, line, column, path, limitation, message, severity}`), and, for
//! a list of them, a SARIF 2.1.0 log for code-scanning services ([`sarif::log`]).

pub mod sarif;

use serde::{Deserialize, Serialize, Serializer, ser::SerializeStruct};
use std::fmt;

/// How serious a diagnostic is. Every problem limitkb finds in a file is an [`Severity::Error`]
/// unless its maker says otherwise with [`Diagnostic::with_severity`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input breaks a rule: `check` fails (exit code 1).
    #[default]
    Error,
    /// Something is probably wrong, but the input does not break a rule: `check` fails only
    /// with `--strict`.
    Warning,
    /// Something to know, such as a value that could not be verified and why: `check` fails
    /// only with `--strict`.
    Note,
}

impl Severity {
    /// The severity's name as every format prints it: `error`, `warning` or `note` (also
    /// SARIF's `level`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem found in an input file, with its location when one exists.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// What to do about it ("did you mean `port`?"), when something can be suggested.
    pub help: Option<String>,
    /// Why it matters (the limitation's summary), when there is more to say.
    pub note: Option<String>,
    /// The line of the file the problem is on, with the part to underline.
    pub excerpt: Option<Excerpt>,
    /// How serious the problem is: [`Severity::Error`] unless set otherwise.
    pub severity: Severity,
    /// The resource the problem is about, for formats that name resources by address
    /// (Terraform: `module.db.aws_rds_cluster.this`); `path` is then the address and the
    /// attribute (`….serverlessv2_scaling_configuration[0].min_capacity`).
    pub address: Option<String>,
}

/// The source line of a diagnostic and the byte range of it to underline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// The whole line, without its line break.
    pub text: String,
    /// The bytes of `text` the problem is about (at least one character wide where the line
    /// has one).
    pub span: std::ops::Range<usize>,
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
            help: None,
            note: None,
            excerpt: None,
            severity: Severity::Error,
            address: None,
        }
    }

    /// This diagnostic with a help line.
    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// This diagnostic with `severity` instead of [`Severity::Error`].
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Where in the file the problem is, as a person reads it: the dotted path of the JSON
    /// pointer (`capacity.min_acu`), or for a resource named by address, the address and the
    /// attribute as they are.
    pub fn shown_path(&self) -> String {
        match self.address {
            Some(_) => self.path.clone(),
            None => display_path(&self.path),
        }
    }

    /// The message with its help and note, as one line: what `--format short` and JSON show.
    pub fn full_message(&self) -> String {
        let mut out = self.message.clone();
        if let Some(help) = &self.help {
            out.push_str("; ");
            out.push_str(help);
        }
        if let Some(note) = &self.note {
            out.push_str(". ");
            out.push_str(note);
        }
        out
    }

    /// The diagnostic for people: a headline that starts with its severity (`error:`,
    /// `warning:`, `note:`), the source line with a caret under the value, and its help and
    /// note, through annotate-snippets (as cargo shows its errors).
    pub fn render(&self) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
        let mut title = self.message.clone();
        if let Some(limitation) = &self.limitation {
            title.push_str(&format!(" [{limitation}]"));
        }
        let field = self.shown_path();
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Note => Level::NOTE,
        };
        let mut group = Group::with_title(level.primary_title(title.as_str()));
        group = match (&self.excerpt, self.line) {
            (Some(excerpt), Some(line)) => group.element(
                Snippet::source(excerpt.text.as_str())
                    .line_start(line)
                    .path(self.file.as_str())
                    .annotation(
                        AnnotationKind::Primary
                            .span(excerpt.span.clone())
                            .label((!field.is_empty()).then_some(field.as_str())),
                    ),
            ),
            _ => {
                let mut origin = Origin::path(self.file.as_str());
                if let (Some(line), Some(column)) = (self.line, self.column) {
                    origin = origin.line(line).char_column(column);
                }
                group.element(origin)
            }
        };
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        if let Some(note) = &self.note {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        Renderer::plain().render(&[group])
    }
}

/// One line: `file:line:col: path: message [limitation]`, for problem matchers and grep. A
/// warning or a note says so after the place, as rustc's short format does
/// (`file:line:col: warning: path: message [limitation]`); an error line has no such word.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": ")?;
        if self.severity != Severity::Error {
            write!(f, "{}: ", self.severity)?;
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.shown_path())?;
        }
        write!(f, "{}", self.full_message())?;
        if let Some(limitation) = &self.limitation {
            write!(f, " [{limitation}]")?;
        }
        Ok(())
    }
}

/// The stable JSON form: `{file, line, column, path, limitation, message, severity}`, the
/// message with its help and note, `severity` one of `"error"`, `"warning"`, `"note"`.
impl Serialize for Diagnostic {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Diagnostic", 7)?;
        s.serialize_field("file", &self.file)?;
        s.serialize_field("line", &self.line)?;
        s.serialize_field("column", &self.column)?;
        s.serialize_field("path", &self.path)?;
        s.serialize_field("limitation", &self.limitation)?;
        s.serialize_field("message", &self.full_message())?;
        s.serialize_field("severity", &self.severity)?;
        if let Some(address) = &self.address {
            s.serialize_field("address", address)?;
        }
        s.end()
    }
}

/// A JSON pointer as a TOML-style dotted key path: `/limitation/2/id` -> `limitation[2].id`.
pub fn display_path(pointer: &str) -> String {
    let mut out = String::new();
    for segment in crate::pointer::segments(pointer) {
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

    fn located() -> Diagnostic {
        Diagnostic {
            line: Some(3),
            column: Some(8),
            path: "/port".into(),
            limitation: Some("port-3306-only".into()),
            help: Some("use 3306".into()),
            note: Some("The port is fixed.".into()),
            excerpt: Some(Excerpt {
                text: "port = 5432".into(),
                span: 7..11,
            }),
            ..Diagnostic::file_level("c.toml", "port = 5432 is not allowed")
        }
    }

    #[test]
    fn short_and_json_forms_carry_help_and_note_in_the_message() {
        let d = located();
        assert_eq!(
            d.to_string(),
            "c.toml:3:8: port: port = 5432 is not allowed; use 3306. The port is fixed. [port-3306-only]"
        );
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"file": "c.toml", "line": 3, "column": 8, "path": "/port",
                "limitation": "port-3306-only",
                "message": "port = 5432 is not allowed; use 3306. The port is fixed.",
                "severity": "error"})
        );
        // The severity comes last, after the keys the form had before it.
        let text = serde_json::to_string(&d).unwrap();
        assert!(text.ends_with(r#","severity":"error"}"#), "{text}");
    }

    #[test]
    fn warnings_and_notes_say_so_and_errors_are_as_before() {
        let warning = located().with_severity(Severity::Warning);
        assert_eq!(
            warning.to_string(),
            "c.toml:3:8: warning: port: port = 5432 is not allowed; use 3306. The port is fixed. [port-3306-only]"
        );
        assert_eq!(
            serde_json::to_value(&warning).unwrap()["severity"],
            "warning"
        );
        assert!(
            warning
                .render()
                .starts_with("warning: port = 5432 is not allowed [port-3306-only]\n"),
            "{}",
            warning.render()
        );
        let note = Diagnostic::file_level(
            "c.toml",
            "could not verify the port because it is a parameter",
        )
        .with_severity(Severity::Note);
        assert_eq!(
            note.to_string(),
            "c.toml: note: could not verify the port because it is a parameter"
        );
        assert_eq!(serde_json::to_value(&note).unwrap()["severity"], "note");
        let rendered = note.render();
        assert!(
            rendered.starts_with("note: could not verify the port because it is a parameter\n"),
            "{rendered}"
        );
        assert!(rendered.contains("--> c.toml"), "{rendered}");
        assert_eq!(located().severity, Severity::Error);
        assert_eq!(
            located().with_severity(Severity::Error).to_string(),
            located().to_string()
        );
    }

    #[test]
    fn severities_serialize_lowercase_and_read_back() {
        for (severity, name) in [
            (Severity::Error, "error"),
            (Severity::Warning, "warning"),
            (Severity::Note, "note"),
        ] {
            assert_eq!(serde_json::to_value(severity).unwrap(), name);
            assert_eq!(severity.to_string(), name);
            let back: Severity = serde_json::from_value(serde_json::json!(name)).unwrap();
            assert_eq!(back, severity);
        }
        assert_eq!(Severity::default(), Severity::Error);
    }

    #[test]
    fn the_rendered_form_shows_the_line_with_a_caret_under_the_value() {
        let text = located().render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "error: port = 5432 is not allowed [port-3306-only]"
        );
        assert!(text.contains("--> c.toml:3:8\n"), "{text}");
        let source = lines
            .iter()
            .position(|l| l.ends_with("port = 5432"))
            .unwrap();
        assert!(lines[source].starts_with("3 |"), "{text}");
        let caret = lines[source + 1];
        let offset = lines[source].find("port = 5432").unwrap();
        assert_eq!(&caret[offset + 7..offset + 11], "^^^^", "{text}");
        assert!(text.contains("help: use 3306") && text.contains("note: The port is fixed."));
    }
}
