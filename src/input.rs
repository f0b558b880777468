//! Inputs: `.txt`/`.md` files, directories (recursively), JSONL (one document a line) and `-` for
//! standard input. Bad input is reported with its file (and line) and the rest is still read.

use crate::date::PartialDate;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// A document to read.
#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub text: String,
    pub date: Option<PartialDate>,
    pub title: String,
    pub url: String,
}

/// A problem with one input (the rest is still processed).
#[derive(Debug, Clone, PartialEq)]
pub struct InputProblem {
    /// `file` or `file:line`.
    pub place: String,
    pub msg: String,
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.msg)
    }
}

const TEXT_EXT: &[&str] = &["txt", "md", "text", "markdown"];

/// Expand paths into the files to read (directories recursively, sorted).
fn expand(path: &Path, out: &mut Vec<PathBuf>, problems: &mut Vec<InputProblem>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                problems.push(InputProblem {
                    place: path.display().to_string(),
                    msg: format!("cannot read directory: {e}"),
                });
                return;
            }
        };
        entries.sort();
        for p in entries {
            let hidden = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden {
                continue;
            }
            if p.is_dir() {
                expand(&p, out, problems);
            } else if p
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| TEXT_EXT.contains(&x) || x == "jsonl" || x == "tsv")
            {
                out.push(p);
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
}

fn display_id(p: &Path) -> String {
    let s = p.display().to_string();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

/// Check a file's bytes: not empty, not binary, valid UTF-8.
pub fn decode(place: &str, bytes: Vec<u8>) -> Result<String, InputProblem> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InputProblem {
            place: place.into(),
            msg: "empty file (no text to read)".into(),
        });
    }
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return Err(InputProblem {
            place: place.into(),
            msg: "binary file (contains NUL bytes); expected UTF-8 text or JSONL".into(),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        InputProblem {
            place: place.into(),
            msg: format!(
                "not valid UTF-8 (first bad byte at offset {at}); convert it to UTF-8 first"
            ),
        }
    })
}

fn json_str(v: &serde_json::Value, key: &str) -> Option<String> {
    match v.get(key)? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Parse one JSONL line into a document.
pub fn parse_jsonl_line(
    place: &str,
    line: &str,
    default_date: Option<PartialDate>,
) -> Result<Document, InputProblem> {
    let v: serde_json::Value = serde_json::from_str(line).map_err(|e| InputProblem {
        place: place.into(),
        msg: format!("broken JSON line: {e}"),
    })?;
    if !v.is_object() {
        return Err(InputProblem {
            place: place.into(),
            msg: "a JSONL line must be an object with \"id\" and \"text\"".into(),
        });
    }
    let text = json_str(&v, "text").ok_or_else(|| InputProblem {
        place: place.into(),
        msg: "missing \"text\" (a string)".into(),
    })?;
    let id = json_str(&v, "id").unwrap_or_else(|| place.to_string());
    let date = match json_str(&v, "date").or_else(|| json_str(&v, "published")) {
        Some(d) if !d.trim().is_empty() => {
            Some(PartialDate::parse_iso(&d).ok_or_else(|| InputProblem {
                place: place.into(),
                msg: format!("unreadable date {d:?} (want YYYY-MM-DD)"),
            })?)
        }
        _ => default_date,
    };
    Ok(Document {
        id,
        text,
        date,
        title: json_str(&v, "title").unwrap_or_default(),
        url: json_str(&v, "url").unwrap_or_default(),
    })
}

/// Files of one document a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineFormat {
    /// A JSON object a line (`id`, `text`, ...).
    Jsonl,
    /// Tab-separated rows whose first column is the text, the others ignored (SATP incident
    /// summaries: text, then label columns); a row's id is `FILE:LINE`.
    Tsv,
}

impl LineFormat {
    fn of(p: &Path) -> Option<LineFormat> {
        match p.extension()?.to_str()? {
            "jsonl" | "ndjson" => Some(LineFormat::Jsonl),
            "tsv" => Some(LineFormat::Tsv),
            _ => None,
        }
    }
    fn name(self) -> &'static str {
        match self {
            LineFormat::Jsonl => "JSONL",
            LineFormat::Tsv => "TSV",
        }
    }
    /// The document of line `place` (`FILE:LINE`).
    fn parse(
        self,
        place: &str,
        line: &str,
        default_date: Option<PartialDate>,
    ) -> Result<Document, InputProblem> {
        match self {
            LineFormat::Jsonl => parse_jsonl_line(place, line.trim_end(), default_date),
            LineFormat::Tsv => {
                let text = line.split('\t').next().unwrap_or("").trim();
                if text.is_empty() {
                    return Err(InputProblem {
                        place: place.into(),
                        msg: "a TSV row with no text in its first column".into(),
                    });
                }
                Ok(Document {
                    id: place.into(),
                    text: text.into(),
                    date: default_date,
                    title: String::new(),
                    url: String::new(),
                })
            }
        }
    }
}

/// Read all inputs, calling `sink` with each document or problem, in order. Streams JSONL and TSV
/// line by line, so memory does not grow with the corpus.
pub fn read_inputs(
    paths: &[String],
    default_date: Option<PartialDate>,
    mut sink: impl FnMut(Result<Document, InputProblem>),
) {
    for p in paths {
        if p == "-" {
            let mut bytes = Vec::new();
            if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
                sink(Err(InputProblem {
                    place: "stdin".into(),
                    msg: format!("cannot read: {e}"),
                }));
                continue;
            }
            match decode("stdin", bytes) {
                Ok(text) if text.trim_start().starts_with('{') => {
                    for (k, line) in text.lines().enumerate() {
                        if line.trim().is_empty() {
                            continue;
                        }
                        sink(parse_jsonl_line(
                            &format!("stdin:{}", k + 1),
                            line,
                            default_date,
                        ));
                    }
                }
                Ok(text) => sink(Ok(Document {
                    id: "stdin".into(),
                    text,
                    date: default_date,
                    title: String::new(),
                    url: String::new(),
                })),
                Err(e) => sink(Err(e)),
            }
            continue;
        }
        let path = Path::new(p);
        if !path.exists() {
            sink(Err(InputProblem {
                place: p.clone(),
                msg: "no such file or directory".into(),
            }));
            continue;
        }
        let mut files = Vec::new();
        let mut problems = Vec::new();
        expand(path, &mut files, &mut problems);
        for pr in problems {
            sink(Err(pr));
        }
        for f in files {
            let place = display_id(&f);
            if let Some(format) = LineFormat::of(&f) {
                read_lines_file(&f, &place, format, default_date, &mut sink);
                continue;
            }
            match std::fs::read(&f) {
                Ok(bytes) => match decode(&place, bytes) {
                    Ok(text) => sink(Ok(Document {
                        id: place,
                        text,
                        date: default_date,
                        title: String::new(),
                        url: String::new(),
                    })),
                    Err(e) => sink(Err(e)),
                },
                Err(e) => sink(Err(InputProblem {
                    place,
                    msg: format!("cannot read: {e}"),
                })),
            }
        }
    }
}

fn read_lines_file(
    f: &Path,
    place: &str,
    format: LineFormat,
    default_date: Option<PartialDate>,
    sink: &mut impl FnMut(Result<Document, InputProblem>),
) {
    let file = match std::fs::File::open(f) {
        Ok(x) => x,
        Err(e) => {
            sink(Err(InputProblem {
                place: place.into(),
                msg: format!("cannot read: {e}"),
            }));
            return;
        }
    };
    // large reads: fewer system calls per megabyte
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut buf = Vec::new();
    let mut lineno = 0;
    let mut any = false;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                sink(Err(InputProblem {
                    place: place.into(),
                    msg: format!("cannot read: {e}"),
                }));
                return;
            }
        }
        lineno += 1;
        let lp = format!("{place}:{lineno}");
        if buf.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        any = true;
        if buf.contains(&0) {
            sink(Err(InputProblem {
                place: lp,
                msg: format!("binary data (NUL bytes) in a {} line", format.name()),
            }));
            continue;
        }
        match std::str::from_utf8(&buf) {
            Ok(line) => sink(format.parse(&lp, line, default_date)),
            Err(e) => sink(Err(InputProblem {
                place: lp,
                msg: format!(
                    "not valid UTF-8 (first bad byte at column {})",
                    e.valid_up_to() + 1
                ),
            })),
        }
    }
    if !any {
        sink(Err(InputProblem {
            place: place.into(),
            msg: format!("empty file (no {} lines)", format.name()),
        }));
    }
}
