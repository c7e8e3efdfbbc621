//! What the commands share: exit codes, the data source flag, the output formats, loading
//! with its errors printed, and a standard output that a closed pipe ends quietly.

pub(crate) mod check;
pub(crate) mod generate;
pub(crate) mod list;
pub(crate) mod show;
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

/// How diagnostics are printed.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DiagnosticFormat {
    /// Each problem with its source line and a caret under the value.
    Text,
    /// One line per problem: `file:line:col: path: message [limitation]`.
    Short,
    /// A JSON array of `{file, line, column, path, limitation, message}`.
    Json,
}

/// `diagnostics` in `format`, ready to print: in the text format each one followed by a blank
/// line, as cargo separates them.
pub(crate) fn diagnostics_text(diagnostics: &[Diagnostic], format: DiagnosticFormat) -> String {
    match format {
        DiagnosticFormat::Json => {
            serde_json::to_string_pretty(diagnostics).expect("diagnostics serialize") + "\n"
        }
        DiagnosticFormat::Short => diagnostics.iter().map(|d| format!("{d}\n")).collect(),
        DiagnosticFormat::Text => diagnostics
            .iter()
            .map(|d| format!("{}\n\n", d.render()))
            .collect(),
    }
}

/// Loads the knowledge bases of `entries`, in order. If any does not load, prints the
/// problems of all (JSON to standard output, the other formats to standard error) and returns
/// the exit code.
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
    match format {
        DiagnosticFormat::Json => out.write(&text),
        _ => eprint!("{text}"),
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
