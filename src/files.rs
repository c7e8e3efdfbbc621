//! Reading input files and walking directories. Every input limitkb reads (data files, cluster
//! specs) goes through [`read_text`]: one size limit, one UTF-8 check, one rule for a byte
//! order mark; every directory it lists goes through [`walk`], which follows links without
//! looping.

use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

/// The largest input file limitkb reads: far above any real one, low enough that a stray huge
/// file fails fast instead of exhausting memory.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Why an input file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// There is no such file.
    #[error("no such file")]
    NotFound,
    /// The operating system refused.
    #[error("cannot read it: {0}")]
    Io(String),
    /// Over [`MAX_FILE_BYTES`].
    #[error("the file has {0} bytes; limitkb reads data files of at most {MAX_FILE_BYTES} bytes")]
    TooLarge(u64),
    /// Not UTF-8, from the byte at `offset` (1-based `line` and `column` in characters).
    #[error("not valid UTF-8 here (byte offset {offset}); save the file as UTF-8")]
    NotUtf8 {
        /// The first byte that is not UTF-8.
        offset: usize,
        /// Its line.
        line: usize,
        /// Its column, in characters.
        column: usize,
    },
}

impl ReadError {
    fn of_io(e: &std::io::Error) -> ReadError {
        match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound,
            _ => ReadError::Io(e.to_string()),
        }
    }

    /// Where in the file the problem is, if it has a place: `(line, column)`.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            ReadError::NotUtf8 { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }

    /// A diagnostic about `file` saying `message` (which explains this error), at the
    /// error's place in the file if it has one.
    pub(crate) fn diagnostic(&self, file: impl Into<String>, message: String) -> Diagnostic {
        let mut d = Diagnostic::file_level(file, message);
        if let Some((line, column)) = self.position() {
            d.line = Some(line);
            d.column = Some(column);
        }
        d
    }
}

/// The text of the file at `path`, within the size limit.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    let metadata = std::fs::metadata(path).map_err(|e| ReadError::of_io(&e))?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(metadata.len()));
    }
    text(std::fs::read(path).map_err(|e| ReadError::of_io(&e))?)
}

/// `bytes` as text, within the size limit; a leading byte order mark is dropped.
pub fn text(bytes: Vec<u8>) -> Result<String, ReadError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let before = String::from_utf8_lossy(&e.as_bytes()[..offset]);
        let before = before.strip_prefix('\u{feff}').unwrap_or(&before);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        ReadError::NotUtf8 {
            offset,
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// Every path under `dir`, sorted: `dir` itself, its subdirectories and its files, at any
/// depth. Directories are followed through symbolic links, each real directory once, so a
/// link to an ancestor cannot make this loop forever.
///
/// A build script prints each as `cargo:rerun-if-changed=<path>`, so that cargo reruns it when
/// a file changes, appears or disappears there, and for nothing else:
///
/// ```
/// let dir = std::env::temp_dir().join(format!("limitkb-doc-{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("limitations"))?;
/// std::fs::write(dir.join("kb.toml"), "")?;
/// std::fs::write(dir.join("limitations/capacity.toml"), "")?;
/// let paths = limitkb::files::walk(&dir)?;
/// assert_eq!(
///     paths,
///     [
///         dir.clone(),
///         dir.join("kb.toml"),
///         dir.join("limitations"),
///         dir.join("limitations/capacity.toml"),
///     ]
/// );
/// for path in &paths {
///     println!("cargo:rerun-if-changed={}", path.display());
/// }
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn walk(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = vec![dir.to_path_buf()];
    let mut pending = vec![dir.to_path_buf()];
    let mut seen = std::collections::HashSet::new();
    while let Some(current) = pending.pop() {
        if !seen.insert(std::fs::canonicalize(&current).map_err(|e| with_path(e, &current))?) {
            continue;
        }
        for entry in std::fs::read_dir(&current).map_err(|e| with_path(e, &current))? {
            let path = entry.map_err(|e| with_path(e, &current))?.path();
            if path.is_dir() {
                pending.push(path.clone());
            }
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// `e`, its message prefixed with the path it concerns.
pub(crate) fn with_path(e: std::io::Error, path: &Path) -> std::io::Error {
    std::io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_drops_a_bom_and_locates_bytes_that_are_not_utf8() {
        assert_eq!(text(b"\xef\xbb\xbfa = 1".to_vec()), Ok("a = 1".to_string()));
        let error = text(b"a\nb\xff".to_vec()).unwrap_err();
        assert_eq!(error.position(), Some((2, 2)));
        assert!(error.to_string().contains("byte offset 3"), "{error}");
    }
}
