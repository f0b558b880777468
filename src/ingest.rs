//! Ingest: stream documents, extract in parallel, skip unchanged ones, write each batch of
//! documents in one transaction. An interrupted ingest leaves whole documents only; running it
//! again finishes the job.

use crate::date::PartialDate;
use crate::extract::{DocResult, Engine};
use crate::input::{read_inputs, Document};
use crate::store::{
    doc_quads, engine_fingerprint, sha256, DocQuads, DocWriter, GraphStore, IngestStats,
};
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rustc_hash::FxHashSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;
use std::time::Instant;

/// Quads committed in one atomic write (default of `ingest --write-unit`). Each commit adds
/// table files that RocksDB then compacts with the earlier ones, so fewer, larger units cost
/// less CPU (50 MB corpus, 779k quads, chunks of 50k: 11.2 s CPU in units of 200k, 9.6 s in
/// 400k, 8.8 s in one unit). Memory does not grow with the unit: the loader writes each
/// chunk's table files to disk until the commit; an interrupted ingest loses the unit under way.
pub const WRITE_UNIT_QUADS: usize = 800_000;

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

/// A hash of a document id, for the set of ids seen in this run (a collision only costs a
/// look-up in the store or a document written again, never a wrong result).
fn id_key(id: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(id)
}

/// Quads handed to the writer at a time: a sixteenth of the write unit, at most 50k. The bulk
/// loader encodes and sorts a chunk while the next is extracted, so small chunks shorten the
/// start (only extraction runs) and the end (only writing does), and hold less memory; each
/// chunk adds table files to its unit's commit, which RocksDB compacts.
fn chunk_quads(write_unit: usize) -> usize {
    (write_unit / 16).clamp(1, 50_000)
}

/// Ingest inputs into the store.
///
/// A pipeline: this thread reads documents and extracts them in parallel (and builds their
/// quads), and hands chunks of them to a writer thread, which passes each to the bulk loader
/// (encoded and sorted on a loader thread while the next chunk is extracted) and commits a unit
/// of about `write_unit` quads atomically (see [`DocWriter`]). The writer goes in input order,
/// so a document id seen twice in one run ends up with its later text, as in a re-run.
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
    let fingerprint = engine_fingerprint(engine, extra_actors);
    // a fresh store: no document to skip as unchanged, none to replace (but ids seen twice)
    let had_docs = store.has_docs()?;
    // the writer is the longer stage of the pipeline: two loader threads (not more: each
    // adds a set of table files that RocksDB compacts)
    let loader_threads = jobs.clamp(1, 2);
    let chunk = chunk_quads(write_unit);
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
    // a rendezvous: the next chunk is handed over when the writer has given the last one to a
    // loader thread
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<DocQuads>>(0);
    let (written, read_result) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> Result<usize> {
            // the ontology and the gazetteer load while the first chunk is extracted
            store.ensure_ontology(engine)?;
            let mut w = DocWriter::new(store, write_unit, chunk, loader_threads);
            for docs in rx {
                w.add(docs)?;
            }
            w.commit()?;
            // leave no write-ahead log for every later reader to replay
            store.flush()?;
            Ok(w.quads)
        });
        let read_result = read_and_extract(
            engine,
            store,
            paths,
            date,
            batch,
            jobs,
            chunk,
            had_docs,
            &fingerprint,
            &tx,
            &mut report,
            &pb,
        );
        // closing the channel ends the writer
        drop(tx);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the store writer panicked")));
        (written, read_result)
    });
    pb.finish_and_clear();
    // a writer error explains a reader that stopped early: report it first
    let written = written?;
    read_result?;
    report.stats.quads = written;
    report.seconds = t0.elapsed().as_secs_f64();
    Ok(report)
}

/// Read, skip unchanged documents, extract in parallel, build quads, and send chunks of about
/// `chunk` quads to the writer.
#[allow(clippy::too_many_arguments)]
fn read_and_extract(
    engine: &Engine,
    store: &GraphStore,
    paths: &[String],
    date: Option<PartialDate>,
    batch: usize,
    jobs: usize,
    chunk: usize,
    had_docs: bool,
    fingerprint: &str,
    tx: &SyncSender<Vec<DocQuads>>,
    report: &mut IngestReport,
    pb: &ProgressBar,
) -> Result<()> {
    let gaz = &engine.gazetteer.by_id;
    let is_gaz = |id: &str| gaz.contains_key(id);
    let mut pending: Vec<Document> = Vec::new();
    let mut err: Option<anyhow::Error> = None;
    let mut actors: FxHashSet<String> = FxHashSet::default();
    // ids met in this run: a later occurrence is always written (it may differ from the one
    // before it, which may not be in the store yet)
    let mut seen: FxHashSet<u64> = FxHashSet::default();
    let mut chunk_docs: Vec<DocQuads> = Vec::new();
    let mut chunk_len = 0usize;
    let mut flush =
        |pending: &mut Vec<Document>, report: &mut IngestReport, last: bool| -> Result<()> {
            // skip documents already stored with the same content and the same rules
            let mut todo = Vec::with_capacity(pending.len());
            for d in pending.drain(..) {
                let h = sha256(d.text.as_bytes());
                let again = !seen.insert(id_key(&d.id));
                let unchanged = had_docs
                    && !again
                    && store
                        .doc_state(&d.id)?
                        .is_some_and(|(hh, fp)| hh == format!("sha256:{h}") && fp == fingerprint);
                report.stats.documents += 1;
                if unchanged {
                    report.stats.unchanged += 1;
                } else {
                    // in the store only if the store had documents or this run wrote it before
                    todo.push((d, h, had_docs || again));
                }
            }
            let build = |(d, h, may_exist): (Document, String, bool)| {
                let r = engine.extract(&d);
                let quads = doc_quads(&d, &r, &h, fingerprint, &is_gaz);
                (
                    DocQuads {
                        id: d.id,
                        quads,
                        may_exist,
                    },
                    r,
                )
            };
            let docs: Vec<(DocQuads, DocResult)> = if jobs > 1 {
                use rayon::prelude::*;
                todo.into_par_iter().map(build).collect()
            } else {
                todo.into_iter().map(build).collect()
            };
            report.stats.replaced += docs.len();
            for (dq, r) in docs {
                report.stats.edges += r.edges.len();
                let mut sents = FxHashSet::default();
                for e in &r.edges {
                    sents.insert(e.sentence_index);
                    for a in [&e.source.id, &e.target.id] {
                        if !actors.contains(a) {
                            actors.insert(a.clone());
                        }
                    }
                }
                report.stats.sentences += sents.len();
                chunk_len += dq.quads.len();
                chunk_docs.push(dq);
            }
            if (chunk_len >= chunk || last) && !chunk_docs.is_empty() {
                chunk_len = 0;
                if tx.send(std::mem::take(&mut chunk_docs)).is_err() {
                    // the writer stopped: its error is the one to report
                    return Err(anyhow::anyhow!("the store writer stopped"));
                }
            }
            Ok(())
        };
    read_inputs(paths, date, |r| {
        if err.is_some() {
            return;
        }
        match r {
            Ok(d) => {
                pending.push(d);
                if pending.len() >= batch {
                    if let Err(e) = flush(&mut pending, report, false) {
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
        return Err(e);
    }
    flush(&mut pending, report, true)?;
    report.stats.actors = actors.len();
    Ok(())
}
