//! What the commands share: exit codes, the data source flag, the output formats, loading
//! with its errors printed, and a standard output that a closed pipe ends quietly.

pub(crate) mod check;
pub(crate) mod diff;
pub(crate) mod generate;
pub(crate) mod list;
pub(crate) mod show;
pub(crate) mod source;
pub(crate) mod validate;

use limitkb::{Catalog, Diagnostic, Kb};
use limitkb::{KbEntry, SelectError};
use std::fmt::Display;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code: data errors, violations or drift.
pub(crate) const FAILED: u8 = 1;
/// Exit code: bad usage, or input that cannot be read.
pub(crate) const UNREADABLE: u8 = 2;

/// What a command ends with: an exit code, or an error to print (exit code 2).
pub(crate) type Outcome = Result<u8, String>;

#[derive(clap::Args)]
pub(crate) struct DataArgs {
    /// The data directory: one knowledge base (kb.toml and limitations/), or a directory of
    /// them (<id>/kb.toml). Default: ./data when it holds any, else the knowledge bases built
    /// into this binary.
    #[arg(long, value_name = "DIR")]
    pub(crate) data: Option<PathBuf>,
    /// The knowledge base, by id, when the data holds several.
    #[arg(long, value_name = "ID")]
    pub(crate) kb: Option<String>,
}

impl DataArgs {
    /// The knowledge bases of the data directory given, or of the default one.
    pub(crate) fn catalog(&self) -> Result<Catalog, String> {
        match &self.data {
            Some(dir) => Catalog::from_dir(dir),
            None => Catalog::default_for_cwd(),
        }
        .map_err(|e| e.to_string())
    }

    /// The knowledge bases the command is about: the one `--kb` names, or all.
    pub(crate) fn selected<'c>(&self, catalog: &'c Catalog) -> Result<Vec<&'c KbEntry>, String> {
        match &self.kb {
            Some(_) => Ok(vec![self.one(catalog)?]),
            None => Ok(catalog.entries().iter().collect()),
        }
    }

    /// The one knowledge base the command is about: the one `--kb` names, or the only one.
    pub(crate) fn one<'c>(&self, catalog: &'c Catalog) -> Result<&'c KbEntry, String> {
        catalog
            .select(self.kb.as_deref())
            .map_err(|e| select_message(&e))
    }
}

/// Why no knowledge base could be chosen, and the flag that chooses.
pub(crate) fn select_message(e: &SelectError) -> String {
    format!("{e}\n({})", select_help(e))
}

/// The flag that chooses a knowledge base, with an example.
pub(crate) fn select_help(e: &SelectError) -> String {
    let ids = match e {
        SelectError::Unknown { ids, .. } | SelectError::Ambiguous { ids, .. } => ids,
    };
    let example = ids.first().map_or("ID", String::as_str);
    format!("pass --kb with one of them, e.g. --kb {example}")
}

/// How diagnostics are printed: `--format` of `validate` and `generate` (`check` takes
/// [`CheckFormat`], which adds SARIF).
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
pub(crate) enum DiagnosticFormat {
    /// Each problem with its source line and a caret under the value.
    Text,
    /// One line per problem: `file:line:col: path: message [limitation]`.
    Short,
    /// A JSON array of `{file, line, column, path, limitation, message, severity}`.
    Json,
    /// A SARIF 2.1.0 log; only `check` offers it (a command that succeeds would otherwise
    /// print its text report where the log is expected).
    #[value(skip)]
    Sarif,
}

impl DiagnosticFormat {
    /// Whether the format is for programs: its diagnostics go to standard output, with no
    /// summary line.
    pub(crate) fn is_machine_readable(self) -> bool {
        matches!(self, DiagnosticFormat::Json | DiagnosticFormat::Sarif)
    }
}

/// `--format` of `check`: the diagnostic formats and SARIF.
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
pub(crate) enum CheckFormat {
    /// Each problem with its source line and a caret under the value.
    Text,
    /// One line per problem: `file:line:col: path: message [limitation]`.
    Short,
    /// A JSON array of `{file, line, column, path, limitation, message, severity}`.
    Json,
    /// A SARIF 2.1.0 log: a rule per limitation, a result per problem.
    Sarif,
}

impl From<CheckFormat> for DiagnosticFormat {
    fn from(format: CheckFormat) -> DiagnosticFormat {
        match format {
            CheckFormat::Text => DiagnosticFormat::Text,
            CheckFormat::Short => DiagnosticFormat::Short,
            CheckFormat::Json => DiagnosticFormat::Json,
            CheckFormat::Sarif => DiagnosticFormat::Sarif,
        }
    }
}

/// `diagnostics` in `format`, ready to print: in the text format each one followed by a blank
/// line, as cargo separates them.
pub(crate) fn diagnostics_text(diagnostics: &[Diagnostic], format: DiagnosticFormat) -> String {
    match format {
        DiagnosticFormat::Json => {
            serde_json::to_string_pretty(diagnostics).expect("diagnostics serialize") + "\n"
        }
        DiagnosticFormat::Sarif => {
            serde_json::to_string_pretty(&limitkb::diagnostic::sarif::log(diagnostics))
                .expect("a SARIF log serializes")
                + "\n"
        }
        DiagnosticFormat::Short => diagnostics.iter().map(|d| format!("{d}\n")).collect(),
        DiagnosticFormat::Text => diagnostics
            .iter()
            .map(|d| format!("{}\n\n", d.render()))
            .collect(),
    }
}

/// Loads the knowledge bases of `entries`, in order. If any does not load, prints the
/// problems of all (JSON and SARIF to standard output, the other formats to standard error)
/// and returns the exit code.
pub(crate) fn load_all(
    entries: &[&KbEntry],
    format: DiagnosticFormat,
    out: &mut Stdout,
) -> Result<Vec<Kb>, u8> {
    let mut kbs = Vec::new();
    let mut diagnostics = Vec::new();
    let mut unreadable = false;
    for entry in entries {
        match limitkb::load(&entry.source) {
            Ok(kb) => kbs.push(kb),
            Err(e) => {
                unreadable |= e.unreadable;
                diagnostics.extend(e.diagnostics);
            }
        }
    }
    if diagnostics.is_empty() {
        return Ok(kbs);
    }
    let text = diagnostics_text(&diagnostics, format);
    if format.is_machine_readable() {
        out.write(&text);
    } else {
        eprint!("{text}");
    }
    eprintln!(
        "{} problem(s) in the data; nothing was generated or checked",
        diagnostics.len()
    );
    Err(if unreadable { UNREADABLE } else { FAILED })
}

/// Loads the knowledge base of `entry` (see [`load_all`]).
pub(crate) fn load(entry: &KbEntry, format: DiagnosticFormat, out: &mut Stdout) -> Result<Kb, u8> {
    load_all(&[entry], format, out).map(|mut kbs| kbs.pop().expect("one loaded"))
}

/// The text of `path`, a file of the knowledge base of `entry` (a source document's copy).
pub(crate) fn read_kb_file(entry: &KbEntry, path: &str) -> Result<String, String> {
    entry
        .source
        .read(path)
        .map_err(|e| format!("cannot read {}: {e}", entry.source.display(path)))
}

/// Leaves `value` (a knowledge base) to the operating system, which reclaims a process's
/// memory at once when it exits, as this one is about to: freeing a large knowledge base piece
/// by piece takes a twentieth of `generate`'s time.
pub(crate) fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Standard output for the commands' results. A closed pipe (`limitkb list | head -1`) stops
/// the output quietly, and the command still exits with the code it determined; any other
/// failure to write is reported once at exit.
pub(crate) struct Stdout {
    lock: std::io::StdoutLock<'static>,
    closed: bool,
    failure: Option<std::io::Error>,
}

impl Stdout {
    pub(crate) fn new() -> Stdout {
        Stdout {
            lock: std::io::stdout().lock(),
            closed: false,
            failure: None,
        }
    }

    /// Writes `text` and a line break, unless the output is closed.
    pub(crate) fn line(&mut self, text: impl Display) {
        if !self.closed
            && let Err(e) = writeln!(self.lock, "{text}")
        {
            self.fail(e);
        }
    }

    /// Writes `text`, unless the output is closed.
    pub(crate) fn write(&mut self, text: &str) {
        if !self.closed
            && let Err(e) = self.lock.write_all(text.as_bytes())
        {
            self.fail(e);
        }
    }

    fn fail(&mut self, e: std::io::Error) {
        self.closed = true;
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            self.failure = Some(e);
        }
    }
}

/// The process's exit: the command's code once its output is flushed, or 2 with the error
/// printed.
pub(crate) fn exit(outcome: Outcome, mut out: Stdout) -> ExitCode {
    if !out.closed
        && let Err(e) = out.lock.flush()
    {
        out.fail(e);
    }
    let code = match (outcome, out.failure) {
        (_, Some(e)) => {
            eprintln!("error: cannot write the output: {e}");
            UNREADABLE
        }
        (Ok(code), None) => code,
        (Err(message), None) => {
            eprintln!("error: {message}");
            UNREADABLE
        }
    };
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use limitkb::diagnostic::Severity;

    /// An error, a warning and a note, as the input layer's "could not verify" notes will be.
    fn mixed() -> Vec<Diagnostic> {
        let at = |line, message: &str| Diagnostic {
            line: Some(line),
            column: Some(1),
            path: "/port".into(),
            ..Diagnostic::file_level("c.toml", message)
        };
        vec![
            at(1, "port = 5432 is not allowed"),
            at(2, "port is set twice").with_severity(Severity::Warning),
            at(3, "could not verify port because it is a parameter").with_severity(Severity::Note),
        ]
    }

    #[test]
    fn every_format_carries_the_severity_of_each_diagnostic() {
        let diagnostics = mixed();
        assert_eq!(
            diagnostics_text(&diagnostics, DiagnosticFormat::Short),
            "c.toml:1:1: port: port = 5432 is not allowed\n\
             c.toml:2:1: warning: port: port is set twice\n\
             c.toml:3:1: note: port: could not verify port because it is a parameter\n"
        );
        let text = diagnostics_text(&diagnostics, DiagnosticFormat::Text);
        let headings: Vec<&str> = text
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with(' ') && !l.starts_with("-->"))
            .collect();
        assert_eq!(
            headings,
            [
                "error: port = 5432 is not allowed",
                "warning: port is set twice",
                "note: could not verify port because it is a parameter"
            ]
        );
        let json: serde_json::Value =
            serde_json::from_str(&diagnostics_text(&diagnostics, DiagnosticFormat::Json)).unwrap();
        let severities: Vec<&str> = json
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["severity"].as_str().unwrap())
            .collect();
        assert_eq!(severities, ["error", "warning", "note"]);
        let sarif: serde_json::Value =
            serde_json::from_str(&diagnostics_text(&diagnostics, DiagnosticFormat::Sarif)).unwrap();
        let levels: Vec<&str> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["level"].as_str().unwrap())
            .collect();
        assert_eq!(levels, ["error", "warning", "note"]);
    }

    #[test]
    fn sarif_is_a_format_of_check_only_and_goes_to_standard_output() {
        use clap::ValueEnum as _;
        let names = |values: Vec<Option<clap::builder::PossibleValue>>| -> Vec<String> {
            values
                .into_iter()
                .map(|v| v.expect("offered").get_name().to_string())
                .collect()
        };
        assert_eq!(
            names(
                DiagnosticFormat::value_variants()
                    .iter()
                    .map(|f| f.to_possible_value())
                    .collect()
            ),
            ["text", "short", "json"]
        );
        assert_eq!(
            names(
                CheckFormat::value_variants()
                    .iter()
                    .map(|f| f.to_possible_value())
                    .collect()
            ),
            ["text", "short", "json", "sarif"]
        );
        let machine: Vec<bool> = CheckFormat::value_variants()
            .iter()
            .map(|&f| DiagnosticFormat::from(f).is_machine_readable())
            .collect();
        assert_eq!(machine, [false, false, true, true]);
    }
}
