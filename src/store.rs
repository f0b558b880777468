//! The store: edges as RDF in an embedded Oxigraph (RocksDB on disk), one named graph per document.
//!
//! Graphs: `agid:graph/ontology` (actorgraph.ttl), `agid:graph/actors` (the gazetteer),
//! `agid:graph/doc/{doc}` (a document, its sentences, the actors it introduced, one node per edge
//! and the direct `source --relation--> target` triples), `agid:graph/meta` (content hashes, the
//! summary state) and `agid:graph/summary` (aggregates of the edges kept exact at every write:
//! see [`summary`]). Each document is written atomically: a store holds whole documents only.

use crate::date::PartialDate;
use crate::extract::{DocResult, Edge, EdgeActor, Engine, Modality};
use crate::gazetteer::Actor;
use crate::input::Document;
use crate::ontology::{AG, AGID};
use anyhow::{anyhow, Context, Result};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

pub mod summary;
pub use summary::summary_graph;

pub const PROV: &str = "http://www.w3.org/ns/prov#";
pub const DCTERMS: &str = "http://purl.org/dc/terms/";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const SCHEMA: &str = "https://schema.org/";
pub const ORG: &str = "http://www.w3.org/ns/org#";
pub const OWL_SAMEAS: &str = "http://www.w3.org/2002/07/owl#sameAs";
pub const WD: &str = "http://www.wikidata.org/entity/";

/// Where the store lives: `--store`, `$ACTORGRAPH_STORE`, else `./actorgraph-store`.
pub fn default_store_path() -> PathBuf {
    std::env::var("ACTORGRAPH_STORE")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("actorgraph-store"))
}

fn nn(iri: String) -> NamedNode {
    NamedNode::new_unchecked(iri)
}
fn ag(local: &str) -> NamedNode {
    nn(format!("{AG}{local}"))
}

/// Percent-encode an id for use in an IRI path segment.
pub fn escape(id: &str) -> String {
    let mut s = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

pub fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The local name of an `ag:` predicate; other predicates keep their full IRI.
fn local_name(iri: &str) -> String {
    iri.strip_prefix(AG).unwrap_or(iri).to_string()
}

pub fn actor_iri(id: &str) -> NamedNode {
    nn(format!("{AGID}actor/{}", escape(id)))
}
pub fn doc_iri(id: &str) -> NamedNode {
    nn(format!("{AGID}doc/{}", escape(id)))
}
pub fn doc_graph(id: &str) -> NamedNode {
    nn(format!("{AGID}graph/doc/{}", escape(id)))
}
pub fn ontology_graph() -> NamedNode {
    nn(format!("{AGID}graph/ontology"))
}
pub fn actors_graph() -> NamedNode {
    nn(format!("{AGID}graph/actors"))
}
pub fn meta_graph() -> NamedNode {
    nn(format!("{AGID}graph/meta"))
}

fn lit(s: &str) -> Term {
    Literal::new_simple_literal(s).into()
}
fn typed(s: &str, t: oxigraph::model::NamedNodeRef<'_>) -> Term {
    Literal::new_typed_literal(s, t).into()
}
fn int(v: usize) -> Term {
    typed(&v.to_string(), xsd::INTEGER)
}

fn date_literal(d: &PartialDate) -> Term {
    let t = match d.xsd_type() {
        "date" => xsd::DATE,
        "gYearMonth" => xsd::G_YEAR_MONTH,
        _ => xsd::G_YEAR,
    };
    typed(&d.to_string(), t)
}

/// sha256 hex of bytes.
pub fn sha256(data: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(data);
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A fingerprint of everything that shapes extraction: the ontology directory's files, the
/// program version and a hash of the engine's source. A document is re-extracted when it, or
/// this, changes.
pub fn engine_fingerprint(engine: &Engine, extra: &[PathBuf]) -> String {
    let mut files = Vec::new();
    fn walk(p: &Path, out: &mut Vec<PathBuf>) {
        if p.is_dir() {
            if let Ok(rd) = std::fs::read_dir(p) {
                for e in rd.flatten() {
                    walk(&e.path(), out);
                }
            }
        } else {
            out.push(p.to_path_buf());
        }
    }
    walk(&engine.dir, &mut files);
    for e in extra {
        walk(e, &mut files);
    }
    files.sort();
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    // the extraction code itself (a hash of src/, made by build.rs)
    h.update(env!("ACTORGRAPH_ENGINE_HASH").as_bytes());
    for f in files {
        if f.extension().is_some_and(|x| x == "rq" || x == "md") {
            continue;
        }
        if let Ok(b) = std::fs::read(&f) {
            h.update(
                f.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
                    .as_bytes(),
            );
            h.update(&b);
        }
    }
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The quads describing one actor (in the graph given).
pub fn actor_quads(a: &Actor, g: &NamedNode, out: &mut Vec<Quad>) {
    let s = actor_iri(&a.id);
    let gn = GraphName::NamedNode(g.clone());
    let mut add = |p: NamedNode, o: Term| out.push(Quad::new(s.clone(), p, o, gn.clone()));
    add(rdf::TYPE.into_owned(), ag(&a.kind).into());
    add(rdfs::LABEL.into_owned(), lit(&a.label));
    add(ag("id"), lit(&a.id));
    if !a.country.is_empty() {
        add(ag("country"), lit(&a.country));
    }
    if !a.parent.is_empty() {
        add(
            nn(format!("{ORG}subOrganizationOf")),
            actor_iri(&a.parent).into(),
        );
    }
    if !a.wikidata.is_empty() {
        add(
            nn(OWL_SAMEAS.into()),
            nn(format!("{WD}{}", a.wikidata)).into(),
        );
    }
    for al in &a.aliases {
        add(nn(format!("{SKOS}altLabel")), lit(al));
    }
}

/// The quads of one document's graph.
pub fn doc_quads(
    doc: &Document,
    res: &DocResult,
    content_hash: &str,
    fingerprint: &str,
    gazetteer_ids: &dyn Fn(&str) -> bool,
) -> Vec<Quad> {
    let g = doc_graph(&doc.id);
    let gn = GraphName::NamedNode(g.clone());
    let mut out = Vec::new();
    let d = doc_iri(&doc.id);
    let mut q = |s: NamedNode, p: NamedNode, o: Term| out.push(Quad::new(s, p, o, gn.clone()));
    q(d.clone(), rdf::TYPE.into_owned(), ag("Document").into());
    q(d.clone(), nn(format!("{DCTERMS}identifier")), lit(&doc.id));
    if !doc.title.is_empty() {
        q(d.clone(), nn(format!("{DCTERMS}title")), lit(&doc.title));
    }
    if !doc.url.is_empty() {
        q(d.clone(), nn(format!("{SCHEMA}url")), lit(&doc.url));
    }
    if let Some(date) = &doc.date {
        q(d.clone(), nn(format!("{DCTERMS}date")), date_literal(date));
    }
    q(
        d.clone(),
        ag("contentHash"),
        lit(&format!("sha256:{content_hash}")),
    );
    q(d.clone(), ag("extractedWith"), lit(fingerprint));
    let sent_iri = |i: usize| nn(format!("{AGID}sentence/{}/{i}", escape(&doc.id)));
    let mut used = std::collections::BTreeSet::new();
    for e in &res.edges {
        used.insert(e.sentence_index);
    }
    // sentences that carry edges (all sentences would bloat the store for little use)
    for &i in &used {
        let (start, end, text) = &res.sentences[i];
        let s = sent_iri(i);
        q(s.clone(), rdf::TYPE.into_owned(), ag("Sentence").into());
        q(s.clone(), ag("text"), lit(text));
        q(s.clone(), ag("index"), int(i));
        q(s.clone(), ag("start"), int(*start));
        q(s.clone(), ag("end"), int(*end));
        q(
            s.clone(),
            nn(format!("{DCTERMS}isPartOf")),
            d.clone().into(),
        );
    }
    for (k, e) in res.edges.iter().enumerate() {
        let n = nn(format!("{AGID}edge/{}/{k}", escape(&doc.id)));
        q(n.clone(), rdf::TYPE.into_owned(), ag(&e.relation).into());
        q(n.clone(), ag("index"), int(k));
        q(n.clone(), ag("source"), actor_iri(&e.source.id).into());
        q(n.clone(), ag("target"), actor_iri(&e.target.id).into());
        // materialised for fast queries: the quad class (no walk up the relation hierarchy) and
        // the countries of both ends (no join through the actors)
        if !e.quad_class.is_empty() {
            q(n.clone(), ag("quadClass"), ag(&e.quad_class).into());
        }
        if !e.source.country.is_empty() {
            q(n.clone(), ag("sourceCountry"), lit(&e.source.country));
        }
        if !e.target.country.is_empty() {
            q(n.clone(), ag("targetCountry"), lit(&e.target.country));
        }
        if !e.source.country.is_empty() && !e.target.country.is_empty() {
            let dyad = lit(&format!("{}-{}", e.source.country, e.target.country));
            // the dyad again under a predicate of the quad class's family: the cooperation (or
            // conflict) between two countries is one index lookup, not a scan of the dyad
            let family = match e.quad_class.as_str() {
                "verbalCooperation" | "materialCooperation" => Some("cooperationDyad"),
                "verbalConflict" | "materialConflict" => Some("conflictDyad"),
                _ => None,
            };
            if let Some(f) = family {
                q(n.clone(), ag(f), dyad.clone());
            }
            q(n.clone(), ag("dyad"), dyad);
        }
        if !e.cameo.is_empty() {
            q(n.clone(), ag("cameo"), lit(&e.cameo));
        }
        if let Some(date) = &e.date {
            q(n.clone(), ag("date"), date_literal(date));
        }
        if let Some(a) = e.amount {
            q(
                n.clone(),
                ag("amount"),
                typed(&crate::attrs::format_amount(a), xsd::DECIMAL),
            );
            q(n.clone(), ag("currency"), lit(&e.currency));
        }
        if !e.object.is_empty() {
            q(n.clone(), ag("object"), lit(&e.object));
        }
        q(
            n.clone(),
            ag("negated"),
            typed(if e.negated { "true" } else { "false" }, xsd::BOOLEAN),
        );
        q(n.clone(), ag("modality"), lit(e.modality.as_str()));
        q(
            n.clone(),
            ag("confidence"),
            typed(&format!("{}", e.confidence), xsd::DECIMAL),
        );
        q(n.clone(), ag("rule"), lit(&e.rule));
        q(n.clone(), ag("matchStart"), int(e.match_start));
        q(n.clone(), ag("matchEnd"), int(e.match_end));
        q(
            n.clone(),
            nn(format!("{PROV}wasDerivedFrom")),
            sent_iri(e.sentence_index).into(),
        );
        if !e.negated {
            q(
                actor_iri(&e.source.id),
                ag(&e.relation),
                actor_iri(&e.target.id).into(),
            );
        }
    }
    // actors made while reading (persons, composites) are described in the document's graph
    let mut seen = std::collections::HashSet::new();
    for e in &res.edges {
        for a in [&e.source, &e.target] {
            if !gazetteer_ids(&a.id) && seen.insert(a.id.clone()) {
                actor_quads(&Actor::from(a), &g, &mut out);
                // and once in the actors graph, so a query can label every actor from one graph
                // (the union of document graphs repeats a person found in many documents)
                actor_quads(&Actor::from(a), &actors_graph(), &mut out);
            }
        }
    }
    out
}

/// One document's graph, ready to write.
#[derive(Debug, Clone)]
pub struct DocQuads {
    pub id: String,
    pub quads: Vec<Quad>,
    /// The store may hold a graph of this id already (else it is not looked up).
    pub may_exist: bool,
}

/// What an ingest did.
#[derive(Debug, Clone, Default)]
pub struct IngestStats {
    pub documents: usize,
    pub unchanged: usize,
    pub replaced: usize,
    pub sentences: usize,
    pub edges: usize,
    pub actors: usize,
    pub quads: usize,
}

/// Remove the table files of an interrupted bulk load. Oxigraph's bulk loader writes them into
/// the store directory (`bulk-N.sst`) and adds them to RocksDB at its commit; an ingest killed
/// before that leaves them, never read nor removed (up to a write unit of quads). Called with
/// the store's write lock held, so no loader is writing them.
fn remove_interrupted_bulk_files(path: &Path) {
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let n = name
            .strip_prefix("bulk-")
            .and_then(|r| r.strip_suffix(".sst"))
            .unwrap_or("");
        if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
            // a file that cannot be removed costs disk space only
            let _ = std::fs::remove_file(e.path());
        }
    }
}

pub struct GraphStore {
    pub store: Store,
    /// Summary counters known to this (writable) store.
    cache: Mutex<summary::Cache>,
}

fn literal_value(t: &Term) -> Option<&str> {
    match t {
        Term::Literal(l) => Some(l.value()),
        _ => None,
    }
}

impl GraphStore {
    fn wrap(store: Store) -> Self {
        GraphStore {
            store,
            cache: Mutex::new(summary::Cache::default()),
        }
    }

    fn cache(&self) -> MutexGuard<'_, summary::Cache> {
        // a panic while holding the lock cannot leave the cache ahead of the store: it is only
        // updated after a commit
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Open (creating if needed) the on-disk store for writing; a summary left incomplete by
    /// an interrupted write is rebuilt.
    pub fn open(path: &Path) -> Result<Self> {
        let store = Store::open(path)
            .with_context(|| format!("cannot open the store at {}", path.display()))?;
        // this process holds the store's write lock now: no bulk load is under way
        remove_interrupted_bulk_files(path);
        let gs = Self::wrap(store);
        gs.ensure_summary(path)?;
        Ok(gs)
    }

    /// Open an existing store read-only (queries and exports can run while an ingest writes);
    /// a missing store is an error that says so. When the summary is incomplete (an interrupted
    /// write), the store is opened for writing to rebuild it if no other process holds it.
    pub fn open_existing(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Err(anyhow!("no store at {} (run `actorgraph ingest PATH --store {}` first, or set ACTORGRAPH_STORE)", path.display(), path.display()));
        }
        if !path.join("CURRENT").exists() {
            // a store whose first ingest was interrupted before RocksDB wrote anything: open it
            // for writing, which initialises it empty
            return Self::open(path);
        }
        let store = match Store::open_read_only(path) {
            Ok(store) => store,
            // a store whose creation was interrupted (column families not made yet): a writable
            // open completes it, empty
            Err(e) => {
                return Self::open(path)
                    .map_err(|_| anyhow!("cannot open the store at {}: {e}", path.display()))
            }
        };
        if summary::state(&store)?.as_deref() == Some(summary::SUMMARY_COMPLETE) {
            return Ok(Self::wrap(store));
        }
        drop(store);
        match Self::open(path) {
            Ok(gs) => Ok(gs),
            Err(e) => {
                eprintln!(
                    "actorgraph: warning: the summary graph of {} is incomplete and cannot be rebuilt now ({e:#}); if an ingest is running it will finish it, meanwhile totals read from the summary may lag behind the documents",
                    path.display()
                );
                let store = Store::open_read_only(path)
                    .with_context(|| format!("cannot open the store at {}", path.display()))?;
                Ok(Self::wrap(store))
            }
        }
    }

    /// Open an existing store for writing; a missing store is an error that says so.
    pub fn open_writable(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Err(anyhow!("no store at {}", path.display()));
        }
        Self::open(path)
    }

    /// An in-memory store (tests).
    pub fn in_memory() -> Result<Self> {
        let gs = Self::wrap(Store::new()?);
        gs.ensure_summary(Path::new("(memory)"))?;
        Ok(gs)
    }

    /// Rebuild the summary if its state in the meta graph is not complete.
    fn ensure_summary(&self, path: &Path) -> Result<()> {
        let state = summary::state(&self.store)?;
        if state.as_deref() == Some(summary::SUMMARY_COMPLETE) {
            return Ok(());
        }
        if state.is_some() || !self.store.is_empty()? {
            eprintln!(
                "actorgraph: rebuilding the summary graph of {} from the edges ({})",
                path.display(),
                match state.as_deref() {
                    Some(summary::SUMMARY_DIRTY) => "an earlier write was interrupted",
                    Some(_) => "an older summary format",
                    None => "a store made before the summary existed",
                }
            );
        }
        self.rebuild_summary()
    }

    /// Rebuild the summary graph from the edges of every document graph.
    pub fn rebuild_summary(&self) -> Result<()> {
        let mut cache = self.cache();
        // forget what is known first: a failed rebuild leaves the cache empty, not stale
        *cache = summary::Cache::default();
        *cache = summary::rebuild(&self.store)?;
        drop(cache);
        self.flush()
    }

    /// Write what transactions left in RocksDB's memtables (and write-ahead log) to table files.
    /// Every process that opens the store read-only replays the log, so a writer flushes when it
    /// is done: after an ingest of 1M edges the log of the summary updates made each later
    /// `query` spend some 30 ms more opening the store.
    pub fn flush(&self) -> Result<()> {
        self.store.flush()?;
        Ok(())
    }

    /// The summary state recorded in the meta graph (`complete-N`, `dirty`), if any.
    pub fn summary_state(&self) -> Result<Option<String>> {
        summary::state(&self.store)
    }

    fn meta_hash(&self, graph: &NamedNode) -> Result<Option<String>> {
        let q = self.store.quads_for_pattern(
            Some(graph.as_ref().into()),
            Some(ag("contentHash").as_ref()),
            None,
            Some(GraphNameRef::NamedNode(meta_graph().as_ref())),
        );
        match q.into_iter().next() {
            Some(quad) => Ok(literal_value(&quad?.object).map(|s| s.to_string())),
            None => Ok(None),
        }
    }

    /// Load the ontology and the gazetteer into their graphs when they changed.
    pub fn ensure_ontology(&self, engine: &Engine) -> Result<()> {
        let ttl = std::fs::read(engine.ontology.path.clone())
            .with_context(|| format!("cannot read {}", engine.ontology.path.display()))?;
        let og = ontology_graph();
        let h = sha256(&ttl);
        let mut actor_quads_v = Vec::new();
        let ag_graph = actors_graph();
        for a in &engine.gazetteer.actors {
            actor_quads(a, &ag_graph, &mut actor_quads_v);
        }
        let mut hasher = Sha256::new();
        for q in &actor_quads_v {
            hasher.update(q.to_string().as_bytes());
        }
        let ah: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let mg = GraphName::NamedNode(meta_graph());
        let mut tx = self.store.start_transaction()?;
        if self.meta_hash(&og)?.as_deref() != Some(h.as_str()) {
            tx.remove_named_graph(og.as_ref())?;
            let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::Turtle)
                .without_named_graphs()
                .with_default_graph(og.clone())
                .for_slice(&ttl)
                .collect::<Result<_, _>>()
                .map_err(|e| anyhow!("{}: {e}", engine.ontology.path.display()))?;
            tx.insert_named_graph(og.as_ref());
            tx.extend(quads.iter());
            tx.remove(
                Quad::new(
                    og.clone(),
                    ag("contentHash"),
                    lit(&self.meta_hash(&og)?.unwrap_or_default()),
                    mg.clone(),
                )
                .as_ref(),
            );
            tx.insert(Quad::new(og.clone(), ag("contentHash"), lit(&h), mg.clone()).as_ref());
        }
        if self.meta_hash(&ag_graph)?.as_deref() != Some(ah.as_str()) {
            tx.remove_named_graph(ag_graph.as_ref())?;
            tx.insert_named_graph(ag_graph.as_ref());
            tx.extend(actor_quads_v.iter());
            if let Some(old) = self.meta_hash(&ag_graph)? {
                tx.remove(
                    Quad::new(ag_graph.clone(), ag("contentHash"), lit(&old), mg.clone()).as_ref(),
                );
            }
            tx.insert(
                Quad::new(ag_graph.clone(), ag("contentHash"), lit(&ah), mg.clone()).as_ref(),
            );
        }
        tx.commit()?;
        Ok(())
    }

    /// Compact the store: RocksDB merges the files bulk loads leave (every load adds files that
    /// overlap all earlier ones, so a fresh process must open and probe each of them) into
    /// sorted, non-overlapping levels. Returns the size on disk before and after (bytes).
    pub fn optimize(&self, path: &Path) -> Result<(u64, u64)> {
        let before = dir_size(path);
        self.store.optimize()?;
        self.flush()?;
        Ok((before, dir_size(path)))
    }

    /// The content hash and fingerprint recorded for a document, if it is in the store.
    pub fn doc_state(&self, doc_id: &str) -> Result<Option<(String, String)>> {
        let g = doc_graph(doc_id);
        let d = doc_iri(doc_id);
        let gr = GraphNameRef::NamedNode(g.as_ref());
        let mut hash = None;
        let mut fp = None;
        for quad in self
            .store
            .quads_for_pattern(Some(d.as_ref().into()), None, None, Some(gr))
        {
            let quad = quad?;
            if quad.predicate == ag("contentHash") {
                hash = literal_value(&quad.object).map(|s| s.to_string());
            } else if quad.predicate == ag("extractedWith") {
                fp = literal_value(&quad.object).map(|s| s.to_string());
            }
        }
        Ok(hash.zip(fp))
    }

    /// Whether the store holds any document graph (a fresh store holds none: an ingest into it
    /// need not look up what each document replaces).
    pub fn has_docs(&self) -> Result<bool> {
        let prefix = format!("{AGID}graph/doc/");
        for g in self.store.named_graphs() {
            if let NamedOrBlankNode::NamedNode(n) = g? {
                if n.as_str().starts_with(&prefix) {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// Apply counter changes and mark the summary complete, in one transaction (which also
    /// drops `remove`, if given); rebuild the summary if it disagrees with the changes.
    fn apply_summary(&self, delta: &summary::Tally, remove: Option<&NamedNode>) -> Result<()> {
        let mut cache = self.cache();
        let mut tx = self.store.start_transaction()?;
        if let Some(g) = remove {
            tx.remove_named_graph(g.as_ref())?;
        }
        match summary::apply(&mut tx, &cache, delta)? {
            Some(pending) => {
                summary::set_state(&mut tx, summary::SUMMARY_COMPLETE)?;
                tx.commit()?;
                for (k, v) in pending {
                    cache.map.insert(k, v);
                }
                Ok(())
            }
            None => {
                drop(tx);
                drop(cache);
                eprintln!("actorgraph: the summary graph disagrees with the documents; rebuilding it from the edges");
                if let Some(g) = remove {
                    let mut tx = self.store.start_transaction()?;
                    summary::set_state(&mut tx, summary::SUMMARY_DIRTY)?;
                    tx.remove_named_graph(g.as_ref())?;
                    tx.commit()?;
                }
                self.rebuild_summary()
            }
        }
    }

    /// Remove a document's graph (and its contributions to the summary, in the same
    /// transaction). Returns whether it was there.
    pub fn remove_doc(&self, doc_id: &str) -> Result<bool> {
        let g = doc_graph(doc_id);
        if !self.store.contains_named_graph(g.as_ref())? {
            return Ok(false);
        }
        let preds = summary::EdgePredicates::new();
        let delta = summary::graph_tally(&self.store, &g, &preds, -1)?;
        self.apply_summary(&delta, Some(&g))?;
        self.flush()?;
        Ok(true)
    }

    /// Ids of the documents in the store.
    pub fn doc_ids(&self) -> Result<Vec<String>> {
        let prefix = format!("{AGID}graph/doc/");
        let mut out = Vec::new();
        for g in self.store.named_graphs() {
            if let NamedOrBlankNode::NamedNode(n) = g? {
                if let Some(rest) = n.as_str().strip_prefix(&prefix) {
                    out.push(unescape(rest));
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Run a SPARQL query with the union of all graphs as the default graph.
    pub fn query(&self, sparql: &str) -> Result<QueryResults<'static>, QueryError> {
        let mut prepared = SparqlEvaluator::new()
            .with_prefix("ag", AG)
            .and_then(|e| e.with_prefix("agid", AGID))
            .map_err(|e| QueryError::Other(e.to_string()))?
            .parse_query(sparql)
            .map_err(|e| QueryError::Syntax(e.to_string()))?;
        if prepared.dataset().is_default_dataset() {
            prepared.dataset_mut().set_default_graph_as_union();
        }
        prepared
            .on_store(&self.store)
            .execute()
            .map_err(|e| QueryError::Other(e.to_string()))
    }

    /// Read back every edge of the store, documents in id order, edges in extraction order.
    /// The ontology fills in what follows from the relation type (quad class, symmetry).
    pub fn edges(&self, onto: &crate::ontology::Ontology) -> Result<Vec<Edge>> {
        let actors = self.actor_table(&actors_graph())?;
        let mut out = Vec::new();
        for id in self.doc_ids()? {
            for mut e in self.doc_edges(&id, &actors)? {
                if let Some(rt) = onto.relations.get(&e.relation) {
                    e.quad_class = rt.quad.clone().unwrap_or_default();
                    e.structural = rt.structural;
                    e.symmetric = rt.symmetric;
                }
                out.push(e);
            }
        }
        Ok(out)
    }

    /// Actors described in a graph, by IRI.
    pub fn actor_table(&self, g: &NamedNode) -> Result<HashMap<String, EdgeActor>> {
        let mut m: HashMap<String, EdgeActor> = HashMap::new();
        let actor_ns = format!("{AGID}actor/");
        let (p_id, p_country, p_parent) = (
            format!("{AG}id"),
            format!("{AG}country"),
            format!("{ORG}subOrganizationOf"),
        );
        for quad in self.store.quads_for_pattern(
            None,
            None,
            None,
            Some(GraphNameRef::NamedNode(g.as_ref())),
        ) {
            let quad = quad?;
            let NamedOrBlankNode::NamedNode(s) = &quad.subject else {
                continue;
            };
            if !s.as_str().starts_with(&actor_ns) {
                continue;
            }
            let e = m.entry(s.as_str().to_string()).or_default();
            let p = quad.predicate.as_str();
            match (&quad.object, p) {
                (Term::Literal(l), _) if p == rdfs::LABEL.as_str() => {
                    e.label = l.value().to_string()
                }
                (Term::Literal(l), _) if p == p_id => e.id = l.value().to_string(),
                (Term::Literal(l), _) if p == p_country => e.country = l.value().to_string(),
                (Term::NamedNode(n), _) if p == rdf::TYPE.as_str() => {
                    e.kind = n.as_str().strip_prefix(AG).unwrap_or("").to_string()
                }
                (Term::NamedNode(n), _) if p == p_parent => {
                    e.parent = unescape(n.as_str().strip_prefix(&actor_ns).unwrap_or(""))
                }
                (Term::NamedNode(n), _) if p == OWL_SAMEAS => {
                    e.wikidata = n.as_str().strip_prefix(WD).unwrap_or("").to_string()
                }
                _ => {}
            }
        }
        // subjects of direct triples only are not descriptions
        m.retain(|_, a| !a.id.is_empty());
        Ok(m)
    }

    fn doc_edges(&self, doc_id: &str, gaz: &HashMap<String, EdgeActor>) -> Result<Vec<Edge>> {
        let g = doc_graph(doc_id);
        let local = self.actor_table(&g)?;
        let mut nodes: BTreeMap<String, Vec<(String, Term)>> = BTreeMap::new();
        let mut sentences: HashMap<String, (usize, usize, usize, String)> = HashMap::new();
        let edge_prefix = format!("{AGID}edge/");
        let sent_prefix = format!("{AGID}sentence/");
        let mut sent_props: HashMap<String, Vec<(String, Term)>> = HashMap::new();
        for quad in self.store.quads_for_pattern(
            None,
            None,
            None,
            Some(GraphNameRef::NamedNode(g.as_ref())),
        ) {
            let quad = quad?;
            let NamedOrBlankNode::NamedNode(s) = &quad.subject else {
                continue;
            };
            if s.as_str().starts_with(&edge_prefix) {
                nodes
                    .entry(s.as_str().to_string())
                    .or_default()
                    .push((local_name(quad.predicate.as_str()), quad.object.clone()));
            } else if s.as_str().starts_with(&sent_prefix) {
                sent_props
                    .entry(s.as_str().to_string())
                    .or_default()
                    .push((local_name(quad.predicate.as_str()), quad.object.clone()));
            }
        }
        for (s, props) in sent_props {
            let get = |k: &str| {
                props
                    .iter()
                    .find(|(p, _)| p == k)
                    .and_then(|(_, o)| literal_value(o))
                    .unwrap_or("")
                    .to_string()
            };
            sentences.insert(
                s,
                (
                    get("index").parse().unwrap_or(0),
                    get("start").parse().unwrap_or(0),
                    get("end").parse().unwrap_or(0),
                    get("text"),
                ),
            );
        }
        let mut edges = Vec::new();
        let derived = format!("{PROV}wasDerivedFrom");
        for (_iri, props) in nodes {
            let get = |k: &str| props.iter().find(|(p, _)| p == k).map(|(_, o)| o.clone());
            let getl = |k: &str| {
                get(k)
                    .as_ref()
                    .and_then(|t| literal_value(t).map(|s| s.to_string()))
                    .unwrap_or_default()
            };
            let iri_of = |k: &str| match get(k) {
                Some(Term::NamedNode(n)) => n.as_str().to_string(),
                _ => String::new(),
            };
            let actor = |iri: &str| -> EdgeActor {
                local
                    .get(iri)
                    .or_else(|| gaz.get(iri))
                    .cloned()
                    .unwrap_or_else(|| EdgeActor {
                        id: unescape(iri.strip_prefix(&format!("{AGID}actor/")).unwrap_or(iri)),
                        ..Default::default()
                    })
            };
            let relation = props
                .iter()
                .find(|(p, _)| p == rdf::TYPE.as_str())
                .and_then(|(_, o)| {
                    if let Term::NamedNode(n) = o {
                        n.as_str().strip_prefix(AG).map(|s| s.to_string())
                    } else {
                        None
                    }
                })
                .unwrap_or_default();
            let sent_iri = match props.iter().find(|(p, _)| *p == derived) {
                Some((_, Term::NamedNode(n))) => n.as_str().to_string(),
                _ => String::new(),
            };
            let (si, ss, se, stext) = sentences.get(&sent_iri).cloned().unwrap_or_default();
            let modality = match getl("modality").as_str() {
                "pledged" => Modality::Pledged,
                "claimed-by-reports" => Modality::ClaimedByReports,
                "hypothetical" => Modality::Hypothetical,
                _ => Modality::Asserted,
            };
            let index: usize = getl("index").parse().unwrap_or(0);
            edges.push((
                index,
                Edge {
                    doc: doc_id.to_string(),
                    sentence: stext,
                    sentence_index: si,
                    sentence_start: ss,
                    sentence_end: se,
                    source: actor(&iri_of("source")),
                    target: actor(&iri_of("target")),
                    relation,
                    cameo: getl("cameo"),
                    quad_class: String::new(),
                    structural: false,
                    symmetric: false,
                    date: PartialDate::parse_iso(&getl("date")),
                    amount: getl("amount").parse().ok(),
                    currency: getl("currency"),
                    object: getl("object"),
                    negated: getl("negated") == "true",
                    modality,
                    rule: getl("rule"),
                    confidence: getl("confidence").parse().unwrap_or(0.0),
                    match_start: getl("matchStart").parse().unwrap_or(0),
                    match_end: getl("matchEnd").parse().unwrap_or(0),
                },
            ));
        }
        edges.sort_by_key(|(i, _)| *i);
        Ok(edges.into_iter().map(|(_, e)| e).collect())
    }

    /// Aliases (skos:altLabel) of the gazetteer actors, by actor id.
    pub fn aliases(&self) -> Result<HashMap<String, Vec<String>>> {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        let alt = nn(format!("{SKOS}altLabel"));
        let g = actors_graph();
        for quad in self.store.quads_for_pattern(
            None,
            Some(alt.as_ref()),
            None,
            Some(GraphNameRef::NamedNode(g.as_ref())),
        ) {
            let quad = quad?;
            if let (NamedOrBlankNode::NamedNode(s), Some(v)) =
                (&quad.subject, literal_value(&quad.object))
            {
                let id = unescape(
                    s.as_str()
                        .strip_prefix(&format!("{AGID}actor/"))
                        .unwrap_or(""),
                );
                m.entry(id).or_default().push(v.to_string());
            }
        }
        for v in m.values_mut() {
            v.sort();
        }
        Ok(m)
    }

    /// Counts: documents, sentences, edges by relation, actors by type.
    pub fn stats(&self) -> Result<Stats> {
        let mut st = Stats {
            documents: self.doc_ids()?.len(),
            ..Default::default()
        };
        let count = |q: &str| -> Result<Vec<(String, usize)>> {
            let mut out = Vec::new();
            if let QueryResults::Solutions(sols) = self.query(q).map_err(|e| anyhow!("{e}"))? {
                for s in sols {
                    let s = s?;
                    let k = s.get("k").map(|t| match t {
                        Term::NamedNode(n) => n
                            .as_str()
                            .strip_prefix(AG)
                            .unwrap_or(n.as_str())
                            .to_string(),
                        Term::Literal(l) => l.value().to_string(),
                        other => other.to_string(),
                    });
                    let n = s
                        .get("n")
                        .and_then(literal_value)
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0);
                    out.push((k.unwrap_or_default(), n));
                }
            }
            Ok(out)
        };
        st.sentences = count("SELECT (COUNT(?s) AS ?n) WHERE { ?s a ag:Sentence }")?
            .first()
            .map(|x| x.1)
            .unwrap_or(0);
        st.edges_by_relation = count("SELECT ?k (COUNT(?e) AS ?n) WHERE { ?e ag:source ?s ; a ?k } GROUP BY ?k ORDER BY DESC(?n) ?k")?;
        st.actors_by_type = count(&format!("SELECT ?k (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a ag:id ?id ; a ?k . FILTER(STRSTARTS(STR(?a), \"{AGID}actor/\")) }} GROUP BY ?k ORDER BY DESC(?n) ?k"))?;
        st.edges = st.edges_by_relation.iter().map(|x| x.1).sum();
        st.quads = self.store.len()?;
        Ok(st)
    }
}

/// Writes documents in atomic units, each document replacing its previous graph, and keeps the
/// summary exact.
///
/// Documents come in chunks ([`DocWriter::add`]); each chunk goes to Oxigraph's bulk loader at
/// once (encoded and sorted into table files on a loader thread, up to `threads` at a time,
/// while the next chunk is extracted; the writer waits for the oldest when all are busy), and a unit of about `unit_quads` quads is committed
/// together ([`DocWriter::commit`]). The contributions of the graphs being replaced are read
/// when their chunk comes. At the commit, one transaction drops the replaced graphs and marks
/// the summary dirty; the bulk loader's commit adds the unit's table files atomically (an
/// interruption leaves each document either whole or absent, and absent documents are written
/// again by the next ingest); a last transaction applies the counter changes (new contributions
/// minus replaced ones) and marks the summary complete. An interruption before that leaves the
/// marker set, and the next open rebuilds the summary. Fewer, larger commits cost less: each
/// adds table files that RocksDB compacts with the earlier ones.
pub struct DocWriter<'a> {
    gs: &'a GraphStore,
    unit_quads: usize,
    batch_quads: usize,
    threads: usize,
    preds: summary::EdgePredicates,
    loader: Option<oxigraph::store::BulkLoader<'a>>,
    delta: summary::Tally,
    replaced: Vec<NamedNode>,
    /// ids in the unit not yet committed
    ids: std::collections::HashSet<String>,
    pending_quads: usize,
    /// quads written (committed) so far
    pub quads: usize,
}

impl<'a> DocWriter<'a> {
    /// `chunk_quads`: about how many quads [`DocWriter::add`] is given at a time.
    pub fn new(gs: &'a GraphStore, unit_quads: usize, chunk_quads: usize, threads: usize) -> Self {
        DocWriter {
            gs,
            unit_quads: unit_quads.max(1),
            batch_quads: chunk_quads.max(1).saturating_mul(2),
            threads: threads.max(1),
            preds: summary::EdgePredicates::new(),
            loader: None,
            delta: summary::Tally::default(),
            replaced: Vec::new(),
            ids: Default::default(),
            pending_quads: 0,
            quads: 0,
        }
    }

    /// Add a chunk of documents (only those marked `may_exist` are looked up in the store).
    /// Commits when the unit is full, and before a document whose id is already in the unit (the
    /// later one replaces it).
    pub fn add(&mut self, mut docs: Vec<DocQuads>) -> Result<()> {
        // a document id twice in the chunk: the later one wins
        let mut last: HashMap<&str, usize> = HashMap::with_capacity(docs.len());
        for (i, d) in docs.iter().enumerate() {
            last.insert(d.id.as_str(), i);
        }
        if last.len() < docs.len() {
            let keep: Vec<bool> = (0..docs.len())
                .map(|i| last.get(docs[i].id.as_str()) == Some(&i))
                .collect();
            let mut k = keep.into_iter();
            docs.retain(|_| k.next().unwrap_or(true));
        } else {
            drop(last);
        }
        if docs.iter().any(|d| self.ids.contains(&d.id)) {
            self.commit()?;
        }
        for d in &docs {
            if !d.may_exist {
                continue;
            }
            let g = doc_graph(&d.id);
            if self.gs.store.contains_named_graph(g.as_ref())? {
                self.delta
                    .merge(summary::graph_tally(&self.gs.store, &g, &self.preds, -1)?);
                self.replaced.push(g);
            }
        }
        let n: usize = docs.iter().map(|d| d.quads.len()).sum();
        self.delta
            .add_quads(docs.iter().flat_map(|d| &d.quads), &self.preds, 1);
        self.ids.extend(docs.iter().map(|d| d.id.clone()));
        let (threads, batch) = (self.threads, self.batch_quads);
        let loader = self.loader.get_or_insert_with(|| {
            // one batch (one loader thread) per chunk: the loader's batch size (its memory
            // size per thread) above the chunks'
            self.gs
                .store
                .bulk_loader()
                .with_num_threads(threads)
                .with_max_memory_size_in_megabytes((batch * threads).div_ceil(1000))
        });
        loader.load_quads(docs.into_iter().flat_map(|d| d.quads))?;
        self.pending_quads += n;
        if self.pending_quads >= self.unit_quads {
            self.commit()?;
        }
        Ok(())
    }

    /// Write what was added since the last commit, atomically.
    pub fn commit(&mut self) -> Result<()> {
        let Some(loader) = self.loader.take() else {
            return Ok(());
        };
        let mut tx = self.gs.store.start_transaction()?;
        summary::set_state(&mut tx, summary::SUMMARY_DIRTY)?;
        for g in &self.replaced {
            tx.remove_named_graph(g.as_ref())?;
        }
        tx.commit()?;
        loader.commit()?;
        let delta = std::mem::take(&mut self.delta);
        self.replaced.clear();
        self.ids.clear();
        self.quads += std::mem::take(&mut self.pending_quads);
        self.gs.apply_summary(&delta, None)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub documents: usize,
    pub sentences: usize,
    pub edges: usize,
    pub quads: usize,
    pub edges_by_relation: Vec<(String, usize)>,
    pub actors_by_type: Vec<(String, usize)>,
}

#[derive(Debug)]
pub enum QueryError {
    Syntax(String),
    Other(String),
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::Syntax(e) => write!(f, "SPARQL syntax error: {e}"),
            QueryError::Other(e) => write!(f, "query failed: {e}"),
        }
    }
}

impl std::error::Error for QueryError {}

/// Bytes of the files directly in `dir` (a RocksDB directory has no subdirectories).
fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
