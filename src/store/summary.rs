//! The summary graph (`agid:graph/summary`): aggregates of the un-negated edges, kept exact at
//! every write so that ranking and totals are read, not computed, at query time.
//!
//! # What it holds
//!
//! (vocabulary in `ontology/actorgraph.ttl`, section "Summary graph")
//!
//! - one `ag:RelationSummary` node per (source, relation, target) with `ag:edgeCount`, and the
//!   direct triple `source relation target` while the count is above zero: the summary graph is
//!   also the deduplicated actor graph (a document graph repeats a direct triple once per
//!   document);
//! - one `ag:RelationYearSummary` node per (source, relation, target, year, currency) with
//!   `ag:edgeCount` and, for edges with an amount, `ag:amountSum` (an `xsd:decimal`, summed
//!   exactly as SPARQL `SUM` would; absent when that sum is not representable, like an unbound
//!   SPARQL `SUM`). The year is the first four characters of the edge's `ag:date`; undated edges
//!   and edges without an amount get nodes without `ag:year` / `ag:amountCurrency`;
//! - one `ag:ActorSummary` node per (actor, CAMEO quad class) with `ag:asSource`, `ag:asTarget`
//!   and `ag:edgeCount` (distinct edges with the actor at either end);
//! - on the actor IRI itself, `ag:conflictEdges` and `ag:cooperationEdges`: its edges of the two
//!   conflict (cooperation) quad classes, readable for every actor by one index scan.
//!
//! Summary nodes use their own predicates (`ag:fromActor`, not `ag:source`), so queries over
//! edge nodes in the default graph (the union of all graphs) never match them.
//!
//! # How it stays exact
//!
//! Every count is a function of the edge nodes of the document graphs, and the same code
//! ([`Tally::add_quads`]) computes it from the quads of a batch being written, of a document
//! graph being replaced or removed, and of the whole store when rebuilding.
//!
//! - [`DocWriter`](super::DocWriter) (ingest): the contributions of the graphs being replaced
//!   are read before they are dropped; at each commit, (1) one transaction drops those graphs
//!   and sets the dirty marker (`agid:graph/summary ag:summaryState "dirty"` in the meta
//!   graph); (2) Oxigraph's bulk loader adds the new graphs (atomic, but no read-modify-write);
//!   (3) one transaction adds the new documents' contributions minus the replaced ones to the
//!   counters and sets the state back to complete ([`SUMMARY_COMPLETE`]).
//! - `remove_doc`: one transaction reads the graph's contributions, drops it and subtracts them.
//! - Opening a store whose state is not complete (an ingest interrupted between (1) and (3), a
//!   store made before the summary existed, or an older summary format) rebuilds the summary
//!   from the edges, in the same three steps: mark dirty and drop the summary, bulk-load the
//!   new one, mark complete. Writable opens do it at once; read-only opens (`query`, `export`,
//!   `stats`) do it when they can take the write lock, and otherwise (an ingest is running and
//!   will finish the job) warn that aggregates may lag behind the documents.
//! - When a change cannot be applied exactly (a counter would become negative: the summary
//!   disagrees with the documents; or a sum that is not representable loses an edge, so its new
//!   value is unknown), the counter transaction is dropped and the summary rebuilt from the edges.
//!
//! A writable [`GraphStore`](super::GraphStore) caches the counters it has read or written (it
//! is the only writer: RocksDB locks the store), so an ingest reads each counter at most once
//! and a fresh store's ingest never reads any.

use super::{escape, meta_graph, nn, AG, AGID};
use anyhow::{anyhow, Result};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use oxigraph::store::{Store, Transaction};
use oxsdatatypes::Decimal;
use rustc_hash::FxHashMap;
use std::str::FromStr;

/// The state literal of a complete summary; the number is the summary format (a store whose
/// summary has another state is rebuilt when opened).
pub const SUMMARY_COMPLETE: &str = "complete-1";
/// The state literal while a write is under way.
pub const SUMMARY_DIRTY: &str = "dirty";

pub fn summary_graph() -> NamedNode {
    nn(format!("{AGID}graph/summary"))
}

fn ag(local: &str) -> NamedNode {
    nn(format!("{AG}{local}"))
}

const CONFLICT: [&str; 2] = ["verbalConflict", "materialConflict"];
const COOPERATION: [&str; 2] = ["verbalCooperation", "materialCooperation"];

/// What the summary counts, one counter per key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// source, relation, target (IRIs)
    Relation(String, String, String),
    /// source, relation, target, year, currency (only for edges with an amount)
    RelationYear(String, String, String, Option<String>, Option<String>),
    /// actor, quad class (IRIs)
    Actor(String, String),
    /// actor, conflict (true) or cooperation (false) total
    ActorTotal(String, bool),
}

/// The values of one counter. `amount` is used by `RelationYear` keys with a currency only
/// (elsewhere it stays zero); `None` is a sum that is not representable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    pub edges: i64,
    pub as_source: i64,
    pub as_target: i64,
    pub amount: Option<Decimal>,
}

impl Default for Counts {
    fn default() -> Self {
        Counts {
            edges: 0,
            as_source: 0,
            as_target: 0,
            amount: Some(zero_decimal()),
        }
    }
}

fn zero_decimal() -> Decimal {
    Decimal::default()
}

fn add_amount(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    a.zip(b).and_then(|(a, b)| a.checked_add(b))
}

/// A change to one counter; `removal` says some edge was taken away (a sum that is not
/// representable cannot be maintained through a removal).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delta {
    pub counts: Counts,
    pub removal: bool,
}

/// Counter changes (or, for a rebuild, the whole summary).
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub map: FxHashMap<Key, Delta>,
}

/// What the summary needs of one edge node.
#[derive(Default)]
struct EdgeFacts<'a> {
    relation: Option<&'a str>,
    source: Option<&'a str>,
    target: Option<&'a str>,
    quad: Option<&'a str>,
    negated: Option<bool>,
    date: Option<&'a str>,
    amount: Option<&'a str>,
    currency: Option<&'a str>,
}

/// The predicates of edge nodes the summary reads.
pub struct EdgePredicates {
    pub list: Vec<NamedNode>,
    edge_prefix: String,
}

impl EdgePredicates {
    pub fn new() -> Self {
        let mut list = vec![rdf::TYPE.into_owned()];
        for p in [
            "source",
            "target",
            "quadClass",
            "negated",
            "date",
            "amount",
            "currency",
        ] {
            list.push(ag(p));
        }
        EdgePredicates {
            list,
            edge_prefix: format!("{AGID}edge/"),
        }
    }
}

impl Default for EdgePredicates {
    fn default() -> Self {
        Self::new()
    }
}

fn term_str(t: &Term) -> &str {
    match t {
        Term::NamedNode(n) => n.as_str(),
        Term::Literal(l) => l.value(),
        _ => "",
    }
}

impl Tally {
    /// Add (sign 1) or subtract (sign -1) the contributions of the edge nodes among `quads`
    /// (other quads are ignored).
    pub fn add_quads<'a>(
        &mut self,
        quads: impl IntoIterator<Item = &'a Quad>,
        preds: &EdgePredicates,
        sign: i64,
    ) {
        let mut edges: FxHashMap<&'a str, EdgeFacts<'a>> = FxHashMap::default();
        for q in quads {
            let NamedOrBlankNode::NamedNode(s) = &q.subject else {
                continue;
            };
            if !s.as_str().starts_with(&preds.edge_prefix) {
                continue;
            }
            let Some(i) = preds.list.iter().position(|p| *p == q.predicate) else {
                continue;
            };
            let f = edges.entry(s.as_str()).or_default();
            let o = term_str(&q.object);
            match i {
                0 => f.relation = Some(o),
                1 => f.source = Some(o),
                2 => f.target = Some(o),
                3 => f.quad = Some(o),
                4 => f.negated = Some(!(o == "false" || o == "0")),
                5 => f.date = Some(o),
                6 => f.amount = Some(o),
                _ => f.currency = Some(o),
            }
        }
        for f in edges.values() {
            self.add_edge(f, sign);
        }
    }

    fn bump(&mut self, key: Key, sign: i64, src: i64, tgt: i64, amount: Option<Decimal>) {
        let d = self.map.entry(key).or_default();
        d.counts.edges += sign;
        d.counts.as_source += sign * src;
        d.counts.as_target += sign * tgt;
        let negative = amount.is_some_and(|a| a < zero_decimal());
        d.counts.amount = add_amount(d.counts.amount, amount);
        if sign < 0 || negative {
            d.removal = true;
        }
    }

    fn add_edge(&mut self, f: &EdgeFacts<'_>, sign: i64) {
        if f.negated != Some(false) {
            return;
        }
        let zero = Some(zero_decimal());
        if let (Some(s), Some(r), Some(t)) = (f.source, f.relation, f.target) {
            self.bump(
                Key::Relation(s.into(), r.into(), t.into()),
                sign,
                0,
                0,
                zero,
            );
            let year = f.date.map(|d| d.chars().take(4).collect::<String>());
            let (currency, amount) = match (f.amount, f.currency) {
                (Some(a), Some(c)) => {
                    let v = Decimal::from_str(a).ok();
                    let v = if sign < 0 {
                        v.and_then(|v| v.checked_neg())
                    } else {
                        v
                    };
                    (Some(c.to_string()), v)
                }
                _ => (None, zero),
            };
            self.bump(
                Key::RelationYear(s.into(), r.into(), t.into(), year, currency),
                sign,
                0,
                0,
                amount,
            );
        }
        if let Some(q) = f.quad {
            let local = q.strip_prefix(AG).unwrap_or("");
            let total = if CONFLICT.contains(&local) {
                Some(true)
            } else if COOPERATION.contains(&local) {
                Some(false)
            } else {
                None
            };
            if let Some(s) = f.source {
                self.bump(Key::Actor(s.into(), q.into()), sign, 1, 0, zero);
                if let Some(c) = total {
                    self.bump(Key::ActorTotal(s.into(), c), sign, 0, 0, zero);
                }
            }
            if let Some(t) = f.target {
                // an edge from an actor to itself is one of its edges, not two
                let again = f.source == Some(t);
                let d = self.map.entry(Key::Actor(t.into(), q.into())).or_default();
                d.counts.as_target += sign;
                if !again {
                    d.counts.edges += sign;
                }
                if sign < 0 {
                    d.removal = true;
                }
                if let (Some(c), false) = (total, again) {
                    self.bump(Key::ActorTotal(t.into(), c), sign, 0, 0, zero);
                }
            }
        }
    }

    /// Merge another tally into this one.
    pub fn merge(&mut self, other: Tally) {
        for (k, d) in other.map {
            let e = self.map.entry(k).or_default();
            e.counts.edges += d.counts.edges;
            e.counts.as_source += d.counts.as_source;
            e.counts.as_target += d.counts.as_target;
            e.counts.amount = add_amount(e.counts.amount, d.counts.amount);
            e.removal |= d.removal;
        }
    }
}

/// A path segment for an IRI in a summary node's IRI (actor ids are already escaped).
fn segment(iri: &str) -> String {
    let actor_ns = format!("{AGID}actor/");
    if let Some(rest) = iri.strip_prefix(&actor_ns) {
        rest.to_string()
    } else if let Some(rest) = iri.strip_prefix(AG) {
        escape(rest)
    } else {
        // ':' is escaped everywhere else, so this cannot collide with the forms above
        format!("iri:{}", escape(iri))
    }
}

fn relation_path(s: &str, r: &str, t: &str) -> String {
    format!(
        "{AGID}summary/relation/{}/{}/{}",
        segment(s),
        segment(r),
        segment(t)
    )
}

impl Key {
    /// The subject that carries the counter's values.
    pub fn subject(&self) -> NamedNode {
        match self {
            Key::Relation(s, r, t) => nn(relation_path(s, r, t)),
            Key::RelationYear(s, r, t, y, c) => {
                let mut p = relation_path(s, r, t);
                p.push('/');
                p.push_str(&y.as_deref().map(escape).unwrap_or("undated".into()));
                if let Some(c) = c {
                    p.push('/');
                    p.push_str(&escape(c));
                }
                nn(p)
            }
            Key::Actor(a, q) => nn(format!("{AGID}summary/actor/{}/{}", segment(a), segment(q))),
            Key::ActorTotal(a, _) => nn(a.clone()),
        }
    }

    /// The quads describing a counter's node (written when it appears, removed with it).
    fn description(&self, out: &mut Vec<Quad>) {
        let g = GraphName::NamedNode(summary_graph());
        let n = self.subject();
        let mut q = |p: NamedNode, o: Term| out.push(Quad::new(n.clone(), p, o, g.clone()));
        match self {
            Key::Relation(s, r, t) | Key::RelationYear(s, r, t, _, _) => {
                let class = if matches!(self, Key::Relation(..)) {
                    "RelationSummary"
                } else {
                    "RelationYearSummary"
                };
                q(rdf::TYPE.into_owned(), ag(class).into());
                q(ag("fromActor"), nn(s.clone()).into());
                q(ag("relationType"), nn(r.clone()).into());
                q(ag("toActor"), nn(t.clone()).into());
                if let Key::RelationYear(_, _, _, y, c) = self {
                    if let Some(y) = y {
                        q(
                            ag("year"),
                            Literal::new_typed_literal(y, xsd::G_YEAR).into(),
                        );
                    }
                    if let Some(c) = c {
                        q(ag("amountCurrency"), Literal::new_simple_literal(c).into());
                    }
                }
                if matches!(self, Key::Relation(..)) {
                    // the deduplicated direct triple
                    out.push(Quad::new(nn(s.clone()), nn(r.clone()), nn(t.clone()), g));
                }
            }
            Key::Actor(a, quad) => {
                q(rdf::TYPE.into_owned(), ag("ActorSummary").into());
                q(ag("actor"), nn(a.clone()).into());
                q(ag("summaryQuadClass"), nn(quad.clone()).into());
            }
            Key::ActorTotal(..) => {}
        }
    }

    /// The quads holding a counter's values.
    fn values(&self, c: &Counts, out: &mut Vec<Quad>) {
        let g = GraphName::NamedNode(summary_graph());
        let n = self.subject();
        let int =
            |v: i64| -> Term { Literal::new_typed_literal(v.to_string(), xsd::INTEGER).into() };
        let mut q = |p: NamedNode, o: Term| out.push(Quad::new(n.clone(), p, o, g.clone()));
        match self {
            Key::ActorTotal(_, conflict) => q(
                ag(if *conflict {
                    "conflictEdges"
                } else {
                    "cooperationEdges"
                }),
                int(c.edges),
            ),
            Key::Actor(..) => {
                q(ag("asSource"), int(c.as_source));
                q(ag("asTarget"), int(c.as_target));
                q(ag("edgeCount"), int(c.edges));
            }
            Key::Relation(..) => q(ag("edgeCount"), int(c.edges)),
            Key::RelationYear(_, _, _, _, cur) => {
                q(ag("edgeCount"), int(c.edges));
                if let (Some(_), Some(a)) = (cur, c.amount) {
                    q(
                        ag("amountSum"),
                        Literal::new_typed_literal(a.to_string(), xsd::DECIMAL).into(),
                    );
                }
            }
        }
    }

    fn has_amount(&self) -> bool {
        matches!(self, Key::RelationYear(_, _, _, _, Some(_)))
    }

    /// The stored values of this counter, from the quads of its subject in the summary graph.
    fn read(&self, quads: &[Quad]) -> Option<Counts> {
        let mut c = Counts {
            amount: if self.has_amount() {
                None
            } else {
                Some(zero_decimal())
            },
            ..Counts::default()
        };
        let mut found = false;
        let int = |t: &Term| term_str(t).parse::<i64>().unwrap_or(0);
        let total = match self {
            Key::ActorTotal(_, true) => Some(ag("conflictEdges")),
            Key::ActorTotal(_, false) => Some(ag("cooperationEdges")),
            _ => None,
        };
        for q in quads {
            let p = q.predicate.as_str();
            if let Some(tp) = &total {
                if q.predicate == *tp {
                    c.edges = int(&q.object);
                    found = true;
                }
                continue;
            }
            match p.strip_prefix(AG) {
                Some("edgeCount") => {
                    c.edges = int(&q.object);
                    found = true;
                }
                Some("asSource") => c.as_source = int(&q.object),
                Some("asTarget") => c.as_target = int(&q.object),
                Some("amountSum") if self.has_amount() => {
                    c.amount = Decimal::from_str(term_str(&q.object)).ok()
                }
                _ => {}
            }
        }
        found.then_some(c)
    }
}

/// The counter quads of the whole summary (a rebuild), sorted.
pub fn all_quads(tally: &Tally) -> Vec<Quad> {
    let mut out = Vec::new();
    let mut keys: Vec<&Key> = tally
        .map
        .iter()
        .filter(|(_, d)| d.counts.edges > 0)
        .map(|(k, _)| k)
        .collect();
    keys.sort();
    for k in keys {
        k.description(&mut out);
        k.values(&tally.map[k].counts, &mut out);
    }
    out
}

/// Counters known to a writable store: `None` is a counter known to be absent. When
/// `complete`, every counter is in the map (a miss is an absent counter).
#[derive(Debug, Default)]
pub struct Cache {
    pub map: FxHashMap<Key, Option<Counts>>,
    pub complete: bool,
}

/// Counter values to put in the cache once the transaction that wrote them has committed.
pub type Pending = Vec<(Key, Option<Counts>)>;

/// Apply counter changes inside a transaction. Returns the new values for the cache, or
/// `None` when the summary does not agree with the changes (it must be rebuilt).
pub fn apply(tx: &mut Transaction<'_>, cache: &Cache, delta: &Tally) -> Result<Option<Pending>> {
    let g = summary_graph();
    let mut pending = Vec::with_capacity(delta.map.len());
    let mut keys: Vec<&Key> = delta.map.keys().collect();
    keys.sort();
    let mut buf = Vec::new();
    for key in keys {
        let d = &delta.map[key];
        if d.counts.edges == 0
            && d.counts.as_source == 0
            && d.counts.as_target == 0
            && d.counts.amount == Some(zero_decimal())
        {
            continue;
        }
        let old = match cache.map.get(key) {
            Some(v) => *v,
            None if cache.complete => None,
            None => {
                let subject = key.subject();
                let quads = tx
                    .quads_for_pattern(
                        Some(subject.as_ref().into()),
                        None,
                        None,
                        Some(GraphNameRef::NamedNode(g.as_ref())),
                    )
                    .collect::<Result<Vec<_>, _>>()?;
                key.read(&quads)
            }
        };
        let base = old.unwrap_or_default();
        let new = Counts {
            edges: base.edges + d.counts.edges,
            as_source: base.as_source + d.counts.as_source,
            as_target: base.as_target + d.counts.as_target,
            amount: add_amount(base.amount, d.counts.amount),
        };
        if new.edges < 0 || new.as_source < 0 || new.as_target < 0 {
            return Ok(None);
        }
        if key.has_amount() && new.amount.is_none() && d.removal {
            // a sum that is not representable cannot be maintained through a removal
            return Ok(None);
        }
        let gone = new.edges == 0;
        let amount_left = new.amount.is_some_and(|a| a != zero_decimal());
        if gone && (new.as_source != 0 || new.as_target != 0 || amount_left) {
            return Ok(None);
        }
        if let Some(o) = &old {
            buf.clear();
            key.values(o, &mut buf);
            if gone {
                key.description(&mut buf);
            }
            for q in &buf {
                tx.remove(q);
            }
        }
        if !gone {
            buf.clear();
            if old.is_none() {
                key.description(&mut buf);
            }
            key.values(&new, &mut buf);
            tx.extend(buf.iter());
        }
        pending.push((key.clone(), (!gone).then_some(new)));
    }
    Ok(Some(pending))
}

fn state_quad(state: &str) -> Quad {
    Quad::new(
        summary_graph(),
        ag("summaryState"),
        Literal::new_simple_literal(state),
        meta_graph(),
    )
}

/// The summary state recorded in the meta graph.
pub fn state(store: &Store) -> Result<Option<String>> {
    let g = summary_graph();
    let m = meta_graph();
    let p = ag("summaryState");
    match store
        .quads_for_pattern(
            Some(g.as_ref().into()),
            Some(p.as_ref()),
            None,
            Some(GraphNameRef::NamedNode(m.as_ref())),
        )
        .next()
    {
        Some(q) => Ok(Some(term_str(&q?.object).to_string())),
        None => Ok(None),
    }
}

/// Set the summary state (in a transaction).
pub fn set_state(tx: &mut Transaction<'_>, state: &str) -> Result<()> {
    let g = summary_graph();
    let m = meta_graph();
    let p = ag("summaryState");
    let old = tx
        .quads_for_pattern(
            Some(g.as_ref().into()),
            Some(p.as_ref()),
            None,
            Some(GraphNameRef::NamedNode(m.as_ref())),
        )
        .collect::<Result<Vec<_>, _>>()?;
    for q in &old {
        tx.remove(q);
    }
    tx.insert(&state_quad(state));
    Ok(())
}

/// The contributions of one document graph, read from the store (sign 1), or their opposite
/// (sign -1, for a graph about to be dropped).
pub fn graph_tally(
    store: &Store,
    graph: &NamedNode,
    preds: &EdgePredicates,
    sign: i64,
) -> Result<Tally> {
    let mut quads = Vec::new();
    for p in &preds.list {
        for q in store.quads_for_pattern(
            None,
            Some(p.as_ref()),
            None,
            Some(GraphNameRef::NamedNode(graph.as_ref())),
        ) {
            quads.push(q?);
        }
    }
    let mut t = Tally::default();
    t.add_quads(&quads, preds, sign);
    Ok(t)
}

/// Rebuild the summary from every document graph. Returns the counters, for the cache.
pub fn rebuild(store: &Store) -> Result<Cache> {
    let mut tx = store.start_transaction()?;
    set_state(&mut tx, SUMMARY_DIRTY)?;
    tx.remove_named_graph(summary_graph().as_ref())?;
    tx.commit()?;
    let preds = EdgePredicates::new();
    let prefix = format!("{AGID}graph/doc/");
    let mut total = Tally::default();
    for g in store.named_graphs() {
        if let NamedOrBlankNode::NamedNode(g) = g? {
            if g.as_str().starts_with(&prefix) {
                total.merge(graph_tally(store, &g, &preds, 1)?);
            }
        }
    }
    let quads = all_quads(&total);
    if !quads.is_empty() {
        let mut loader = store.bulk_loader().with_max_memory_size_in_megabytes(512);
        loader
            .load_quads(quads)
            .map_err(|e| anyhow!("writing the summary graph: {e}"))?;
        loader.commit()?;
    }
    let mut tx = store.start_transaction()?;
    set_state(&mut tx, SUMMARY_COMPLETE)?;
    tx.commit()?;
    let mut cache = Cache {
        complete: true,
        ..Default::default()
    };
    for (k, d) in total.map {
        if d.counts.edges > 0 {
            cache.map.insert(k, Some(d.counts));
        }
    }
    Ok(cache)
}
