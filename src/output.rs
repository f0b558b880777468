//! Writing edges: CSV (RFC 4180, spreadsheet-safe) and JSONL.

use crate::attrs::format_amount;
use crate::extract::Edge;
use std::io::Write;

/// The edges CSV header. The first twelve columns are the scoring contract.
pub const EDGE_COLUMNS: &[&str] = &[
    "doc",
    "sentence",
    "source",
    "source_country",
    "relation",
    "cameo",
    "target",
    "target_country",
    "date",
    "amount",
    "currency",
    "negated",
    "modality",
    "object",
    "source_id",
    "source_type",
    "target_id",
    "target_type",
    "quad_class",
    "rule",
    "confidence",
    "sentence_index",
    "sentence_start",
    "sentence_end",
];

/// A cell a spreadsheet would run as a formula gets a leading apostrophe.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// The CSV cells of an edge, in `EDGE_COLUMNS` order.
pub fn edge_row(e: &Edge) -> Vec<String> {
    vec![
        e.doc.clone(),
        e.sentence.clone(),
        e.source.label.clone(),
        e.source.country.clone(),
        e.relation.clone(),
        e.cameo.clone(),
        e.target.label.clone(),
        e.target.country.clone(),
        e.date.map(|d| d.to_string()).unwrap_or_default(),
        e.amount.map(format_amount).unwrap_or_default(),
        e.currency.clone(),
        e.negated.to_string(),
        e.modality.as_str().to_string(),
        e.object.clone(),
        e.source.id.clone(),
        e.source.kind.clone(),
        e.target.id.clone(),
        e.target.kind.clone(),
        e.quad_class.clone(),
        e.rule.clone(),
        format!("{}", e.confidence),
        e.sentence_index.to_string(),
        e.sentence_start.to_string(),
        e.sentence_end.to_string(),
    ]
}

/// Writes edges as CSV.
pub struct CsvEdges<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> CsvEdges<W> {
    pub fn new(out: W) -> csv::Result<Self> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        w.write_record(EDGE_COLUMNS)?;
        Ok(CsvEdges { w })
    }
    pub fn write(&mut self, e: &Edge) -> csv::Result<()> {
        self.w
            .write_record(edge_row(e).iter().map(|c| neutralise(c)))
    }
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

/// One JSON object a line.
pub fn write_jsonl<W: Write>(out: &mut W, e: &Edge) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, e)?;
    out.write_all(b"\n")
}
