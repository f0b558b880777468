//! SPARQL results for people and programs: a readable table, the W3C result formats (JSON, XML,
//! CSV, TSV) and N-Triples/Turtle for graph results.

use crate::cli::QueryFormat;
use crate::store::GraphStore;
use anyhow::{anyhow, bail, Result};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Term;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::QueryResults;
use std::io::Write;

/// A term as a person reads it: IRIs shortened with the ag:/agid: prefixes, literals by value.
pub fn display_term(t: &Term) -> String {
    match t {
        Term::NamedNode(n) => {
            let s = n.as_str();
            if let Some(r) = s.strip_prefix(crate::ontology::AG) {
                format!("ag:{r}")
            } else if let Some(r) = s.strip_prefix(crate::ontology::AGID) {
                format!("agid:{r}")
            } else {
                format!("<{s}>")
            }
        }
        Term::Literal(l) => l.value().to_string(),
        other => other.to_string(),
    }
}

pub fn run_query(
    gs: &GraphStore,
    text: &str,
    format: QueryFormat,
    out: &mut dyn Write,
) -> Result<()> {
    let results = gs.query(text).map_err(|e| anyhow!("{e}"))?;
    match results {
        QueryResults::Solutions(sols) => {
            let vars = sols.variables().to_vec();
            let fmt = match format {
                QueryFormat::Table => {
                    let mut rows: Vec<Vec<String>> = Vec::new();
                    for s in sols {
                        let s = s?;
                        rows.push(vars.iter().map(|v| s.get(v).map(display_term).unwrap_or_default()).collect());
                    }
                    let headers: Vec<String> = vars.iter().map(|v| format!("?{}", v.as_str())).collect();
                    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
                    for r in &rows {
                        for (i, c) in r.iter().enumerate() {
                            widths[i] = widths[i].max(c.chars().count().min(80));
                        }
                    }
                    let line = |cells: &[String]| -> String {
                        cells
                            .iter()
                            .enumerate()
                            .map(|(i, c)| {
                                let c: String = if c.chars().count() > 80 { c.chars().take(77).collect::<String>() + "..." } else { c.clone() };
                                format!("{c:<w$}", w = widths[i])
                            })
                            .collect::<Vec<_>>()
                            .join(" | ")
                    };
                    writeln!(out, "{}", line(&headers))?;
                    writeln!(out, "{}", widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("-+-"))?;
                    for r in &rows {
                        writeln!(out, "{}", line(r))?;
                    }
                    writeln!(out, "({} row{})", rows.len(), if rows.len() == 1 { "" } else { "s" })?;
                    return Ok(());
                }
                QueryFormat::Csv => QueryResultsFormat::Csv,
                QueryFormat::Tsv => QueryResultsFormat::Tsv,
                QueryFormat::Json => QueryResultsFormat::Json,
                QueryFormat::Xml => QueryResultsFormat::Xml,
                QueryFormat::Ntriples | QueryFormat::Turtle => bail!("--format {:?} is for CONSTRUCT/DESCRIBE results; a SELECT gives table, csv, tsv, json or xml", format),
            };
            let mut ser = QueryResultsSerializer::from_format(fmt)
                .serialize_solutions_to_writer(&mut *out, vars)?;
            for s in sols {
                let s = s?;
                ser.serialize(s.iter())?;
            }
            ser.finish()?;
        }
        QueryResults::Boolean(b) => match format {
            QueryFormat::Table => writeln!(out, "{b}")?,
            QueryFormat::Csv | QueryFormat::Tsv | QueryFormat::Json | QueryFormat::Xml => {
                let fmt = match format {
                    QueryFormat::Csv => QueryResultsFormat::Csv,
                    QueryFormat::Tsv => QueryResultsFormat::Tsv,
                    QueryFormat::Xml => QueryResultsFormat::Xml,
                    _ => QueryResultsFormat::Json,
                };
                QueryResultsSerializer::from_format(fmt)
                    .serialize_boolean_to_writer(&mut *out, b)?;
            }
            _ => bail!("an ASK query gives a boolean: use table, csv, tsv, json or xml"),
        },
        QueryResults::Graph(triples) => {
            let fmt = match format {
                QueryFormat::Ntriples => RdfFormat::NTriples,
                QueryFormat::Turtle | QueryFormat::Table => RdfFormat::Turtle,
                _ => bail!("CONSTRUCT/DESCRIBE give a graph: use --format turtle or ntriples"),
            };
            let mut ser = RdfSerializer::from_format(fmt)
                .with_prefix("ag", crate::ontology::AG)?
                .with_prefix("agid", crate::ontology::AGID)?
                .with_prefix("actor", format!("{}actor/", crate::ontology::AGID))?
                .for_writer(&mut *out);
            for t in triples {
                ser.serialize_triple(&t?)?;
            }
            ser.finish()?;
        }
    }
    Ok(())
}
