//! Ingest: stream documents, extract in parallel, skip unchanged ones, write each batch of
//! documents in one transaction. An interrupted ingest leaves whole documents only; running it
//! again finishes the job.

use crate::date::PartialDate;
use crate::extract::{DocResult, Engine};
use crate::input::{read_inputs, Document};
use crate::store::{engine_fingerprint, sha256, GraphStore, IngestStats};
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Quads gathered before one atomic write (default of `ingest --write-unit`).
pub const WRITE_UNIT_QUADS: usize = 200_000;

/// The outcome of an ingest.
#[derive(Debug, Clone, Default)]
pub struct IngestReport {
    pub stats: IngestStats,
    pub problems: usize,
    pub seconds: f64,
}

impl IngestReport {
    pub fn summary(&self, store: &Path) -> String {
        let s = &self.stats;
        format!(
            "ingested into {}: {} documents ({} written, {} unchanged), {} sentences with edges, {} edges, {} actors, {} quads written, {:.2} s{}",
            store.display(),
            s.documents,
            s.replaced,
            s.unchanged,
            s.sentences,
            s.edges,
            s.actors,
            s.quads,
            self.seconds,
            if self.problems > 0 { format!("; {} input problem(s)", self.problems) } else { String::new() }
        )
    }
}

/// Ingest inputs into the store.
#[allow(clippy::too_many_arguments)]
pub fn ingest(
    engine: &Engine,
    store: &GraphStore,
    extra_actors: &[PathBuf],
    paths: &[String],
    date: Option<PartialDate>,
    batch: usize,
    jobs: usize,
    write_unit: usize,
) -> Result<IngestReport> {
    let t0 = Instant::now();
    store.ensure_ontology(engine)?;
    let fingerprint = engine_fingerprint(engine, extra_actors);
    let is_gaz = |id: &str| engine.gazetteer.by_id.contains_key(id);
    let mut report = IngestReport::default();
    let pb = if std::io::stderr().is_terminal() {
        let pb = ProgressBar::new_spinner();
        pb.set_style(
            ProgressStyle::with_template("{spinner} {elapsed} {pos} documents {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb
    } else {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
    };
    let mut pending: Vec<Document> = Vec::new();
    let mut err: Option<anyhow::Error> = None;
    let mut actors = std::collections::HashSet::new();
    let mut to_write: Vec<(Document, DocResult, String)> = Vec::new();
    let mut queued_quads = 0usize;
    let flush = |pending: &mut Vec<Document>,
                 report: &mut IngestReport,
                 actors: &mut std::collections::HashSet<String>,
                 to_write: &mut Vec<(Document, DocResult, String)>,
                 queued_quads: &mut usize,
                 last: bool|
     -> Result<()> {
        // skip documents already stored with the same content and the same rules
        let mut todo = Vec::new();
        for d in pending.drain(..) {
            let h = sha256(d.text.as_bytes());
            let unchanged = store
                .doc_state(&d.id)?
                .is_some_and(|(hh, fp)| hh == format!("sha256:{h}") && fp == fingerprint);
            report.stats.documents += 1;
            if unchanged {
                report.stats.unchanged += 1;
            } else {
                todo.push((d, h));
            }
        }
        let results: Vec<DocResult> = if jobs > 1 {
            use rayon::prelude::*;
            todo.par_iter().map(|(d, _)| engine.extract(d)).collect()
        } else {
            todo.iter().map(|(d, _)| engine.extract(d)).collect()
        };
        let docs: Vec<(Document, DocResult, String)> = todo
            .into_iter()
            .zip(results)
            .map(|((d, h), r)| (d, r, h))
            .collect();
        for (_, r, _) in &docs {
            report.stats.edges += r.edges.len();
            let mut sents = std::collections::HashSet::new();
            for e in &r.edges {
                sents.insert(e.sentence_index);
                actors.insert(e.source.id.clone());
                actors.insert(e.target.id.clone());
            }
            report.stats.sentences += sents.len();
            *queued_quads += 8 + r.edges.len() * 22;
        }
        report.stats.replaced += docs.len();
        // a document id seen again in the same run: the later text wins
        let ids: std::collections::HashSet<&str> =
            docs.iter().map(|(d, _, _)| d.id.as_str()).collect();
        to_write.retain(|(d, _, _)| !ids.contains(d.id.as_str()));
        to_write.extend(docs);
        // write in large atomic units: the bulk loader is fast per quad but has a cost per commit
        if (*queued_quads >= write_unit || last) && !to_write.is_empty() {
            store.write_docs(to_write, &fingerprint, &is_gaz, &mut report.stats)?;
            to_write.clear();
            *queued_quads = 0;
        }
        Ok(())
    };
    read_inputs(paths, date, |r| {
        if err.is_some() {
            return;
        }
        match r {
            Ok(d) => {
                // a document id seen twice in one run: the later text wins, as in a re-run
                pending.push(d);
                if pending.len() >= batch {
                    if let Err(e) = flush(
                        &mut pending,
                        &mut report,
                        &mut actors,
                        &mut to_write,
                        &mut queued_quads,
                        false,
                    ) {
                        err = Some(e);
                    }
                    pb.set_position(report.stats.documents as u64);
                    pb.set_message(format!("{} edges", report.stats.edges));
                }
            }
            Err(p) => {
                pb.suspend(|| eprintln!("actorgraph: {p}"));
                report.problems += 1;
            }
        }
    });
    if let Some(e) = err {
        pb.finish_and_clear();
        return Err(e);
    }
    flush(
        &mut pending,
        &mut report,
        &mut actors,
        &mut to_write,
        &mut queued_quads,
        true,
    )?;
    // leave no write-ahead log for every later reader to replay
    store.flush()?;
    pb.finish_and_clear();
    report.stats.actors = actors.len();
    report.seconds = t0.elapsed().as_secs_f64();
    Ok(report)
}
