//! Errors that point at a place: `file:line: what is wrong`.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem in a data file (rules, gazetteer, ontology, gold) at a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub file: PathBuf,
    /// 1-based; 0 when the whole file is concerned.
    pub line: usize,
    pub msg: String,
}

impl DataError {
    pub fn new(file: &Path, line: usize, msg: impl Into<String>) -> Self {
        DataError {
            file: file.to_path_buf(),
            line,
            msg: msg.into(),
        }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file.display(), self.line, self.msg)
        } else {
            write!(f, "{}: {}", self.file.display(), self.msg)
        }
    }
}

impl std::error::Error for DataError {}

/// Several data errors at once (a linter reports them all).
#[derive(Debug, Clone)]
pub struct DataErrors(pub Vec<DataError>);

impl fmt::Display for DataErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DataErrors {}

/// 1-based line of a byte offset in `src`.
/// Line numbers of byte offsets in one text, found by binary search (for files with many
/// entries: counting newlines for each one would be quadratic).
pub struct Lines(Vec<usize>);

impl Lines {
    pub fn new(src: &str) -> Self {
        Lines(
            src.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }
    /// The 1-based line of `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&nl| nl < offset) + 1
    }
}

pub fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Turn a `toml` parse error into a `DataError` with its line.
pub fn toml_error(file: &Path, src: &str, e: &toml::de::Error) -> DataError {
    let line = e.span().map(|s| line_of(src, s.start)).unwrap_or(0);
    let msg = e.message().trim().to_string();
    DataError::new(file, line, msg)
}
