//! Checks shared by the fuzz targets.

use limitkb::{Checker, DataSource, Diagnostic, Kb};
use std::sync::OnceLock;

/// A checker of the embedded generally available knowledge base, made once.
#[allow(dead_code)] // Not every target uses it.
pub fn ga_checker() -> &'static Checker<'static> {
    static KB: OnceLock<Kb> = OnceLock::new();
    static CHECKER: OnceLock<Checker<'static>> = OnceLock::new();
    CHECKER.get_or_init(|| {
        let kb = KB.get_or_init(|| {
            limitkb::load(&DataSource::Embedded("aurora-serverless-v2".into()))
                .expect("the embedded knowledge base loads")
        });
        Checker::new(kb)
    })
}

/// Every diagnostic names a place that exists in its file: a line of the text and a column
/// of that line (one past its end at most), or no place at all; and it has a message.
pub fn assert_located(diagnostics: &[Diagnostic], text_of: impl Fn(&str) -> Option<String>) {
    for d in diagnostics {
        assert!(!d.message.is_empty(), "empty message: {d:?}");
        // Every form must work for every diagnostic.
        let _ = d.render();
        let shown = d.to_string();
        assert!(shown.starts_with(&d.file), "{shown}");
        match (d.line, d.column) {
            (None, None) => {}
            (Some(line), Some(column)) => {
                let text = text_of(&d.file)
                    .unwrap_or_else(|| panic!("diagnostic about an unknown file: {d:?}"));
                let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                assert!(line >= 1 && column >= 1, "{d:?}");
                let lines: Vec<&str> = text.split('\n').collect();
                assert!(
                    line <= lines.len(),
                    "line {line} of {} lines: {d:?}",
                    lines.len()
                );
                let width = lines[line - 1].chars().count();
                assert!(
                    column <= width + 1,
                    "column {column} of a {width}-char line: {d:?}"
                );
            }
            _ => panic!("a line without a column or the reverse: {d:?}"),
        }
    }
}
