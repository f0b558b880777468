//! Exports people use: Graphviz DOT (via a petgraph graph), spreadsheet CSV, RDF dumps, GraphML.

use crate::date::PartialDate;
use crate::extract::{Edge, EdgeActor};
use crate::ontology::Ontology;
use crate::output::{neutralise, CsvEdges};
use crate::store::GraphStore;
use anyhow::{Context, Result};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Triple;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;

/// Which edges to draw.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Keep edges touching one of these actors (label or id, case-insensitive).
    pub actors: Vec<String>,
    /// Keep edges of these relation types (local name, an ancestor such as `materialCooperation`,
    /// or a CAMEO code prefix such as `19`).
    pub relations: Vec<String>,
    pub since: Option<PartialDate>,
    pub until: Option<PartialDate>,
    pub include_negated: bool,
}

impl Filter {
    pub fn keep(&self, e: &Edge, onto: &Ontology) -> bool {
        if e.negated && !self.include_negated {
            return false;
        }
        if !self.actors.is_empty() {
            let hit = |a: &EdgeActor| {
                self.actors
                    .iter()
                    .any(|x| x.eq_ignore_ascii_case(&a.label) || x.eq_ignore_ascii_case(&a.id))
            };
            if !hit(&e.source) && !hit(&e.target) {
                return false;
            }
        }
        if !self.relations.is_empty()
            && !self
                .relations
                .iter()
                .any(|r| relation_is(onto, &e.relation, &e.cameo, r))
        {
            return false;
        }
        if self.since.is_some() || self.until.is_some() {
            let Some(d) = e.date else { return false };
            if self.since.is_some_and(|s| d.key_end() < s.key_start())
                || self.until.is_some_and(|u| d.key_start() > u.key_end())
            {
                return false;
            }
        }
        true
    }
}

/// Is `relation` (with `cameo`) the type `want` or below it in the hierarchy?
pub fn relation_is(onto: &Ontology, relation: &str, cameo: &str, want: &str) -> bool {
    if !want.is_empty() && want.chars().all(|c| c.is_ascii_digit()) {
        return cameo.starts_with(want);
    }
    let mut cur = Some(relation.to_string());
    for _ in 0..10 {
        let Some(c) = cur else { break };
        if c.eq_ignore_ascii_case(want) {
            return true;
        }
        cur = onto.relations.get(&c).and_then(|r| r.parent.clone());
    }
    false
}

/// One node of the drawn graph.
#[derive(Debug, Clone)]
pub struct Node {
    pub actor: EdgeActor,
    pub degree: usize,
}

/// Parallel edges of one kind between two actors, merged.
#[derive(Debug, Clone)]
pub struct Merged {
    pub relation: String,
    pub cameo: String,
    pub quad: String,
    pub structural: bool,
    pub symmetric: bool,
    pub count: usize,
    pub negated: usize,
    pub first: Option<PartialDate>,
    pub last: Option<PartialDate>,
    pub amounts: BTreeMap<String, f64>,
}

/// Build the actor graph: nodes are actors, edges merged by (source, target, relation).
pub fn build_graph(edges: &[Edge], onto: &Ontology, filter: &Filter) -> DiGraph<Node, Merged> {
    let mut g: DiGraph<Node, Merged> = DiGraph::new();
    let mut nodes: HashMap<String, NodeIndex> = HashMap::new();
    let mut merged: BTreeMap<(String, String, String), petgraph::graph::EdgeIndex> =
        BTreeMap::new();
    for e in edges.iter().filter(|e| filter.keep(e, onto)) {
        let rt = onto.relations.get(&e.relation);
        let symmetric = rt.is_some_and(|r| r.symmetric);
        let (a, b) = if symmetric && e.target.id < e.source.id {
            (&e.target, &e.source)
        } else {
            (&e.source, &e.target)
        };
        let mut node = |x: &EdgeActor, g: &mut DiGraph<Node, Merged>| {
            *nodes.entry(x.id.clone()).or_insert_with(|| {
                g.add_node(Node {
                    actor: x.clone(),
                    degree: 0,
                })
            })
        };
        let (na, nb) = (node(a, &mut g), node(b, &mut g));
        let key = (a.id.clone(), b.id.clone(), e.relation.clone());
        let ei = *merged.entry(key).or_insert_with(|| {
            g.add_edge(
                na,
                nb,
                Merged {
                    relation: e.relation.clone(),
                    cameo: e.cameo.clone(),
                    quad: rt.and_then(|r| r.quad.clone()).unwrap_or_default(),
                    structural: rt.is_some_and(|r| r.structural),
                    symmetric,
                    count: 0,
                    negated: 0,
                    first: None,
                    last: None,
                    amounts: BTreeMap::new(),
                },
            )
        });
        let m = &mut g[ei];
        m.count += 1;
        m.negated += e.negated as usize;
        if let Some(d) = e.date {
            if m.first.is_none_or(|f| d.key_start() < f.key_start()) {
                m.first = Some(d);
            }
            if m.last.is_none_or(|l| d.key_end() > l.key_end()) {
                m.last = Some(d);
            }
        }
        if let Some(v) = e.amount {
            *m.amounts.entry(e.currency.clone()).or_default() += v;
        }
        g[na].degree += 1;
        g[nb].degree += 1;
    }
    g
}

/// A DOT double-quoted string: quotes, backslashes and newlines escaped; `dot` never fails on it.
pub fn dot_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn node_style(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "State" => ("box", "#dbe9f6"),
        "Government" | "GovernmentBody" | "Legislature" | "Judiciary" => ("box", "#e8eef7"),
        "Military" | "Police" | "Intelligence" => ("diamond", "#e6e6e6"),
        "ArmedGroup" => ("octagon", "#f6d5d5"),
        "IGO" | "NGO" => ("hexagon", "#e2f2e2"),
        "Person" => ("ellipse", "#fff4cc"),
        _ => ("ellipse", "#ffffff"),
    }
}

fn quad_colour(quad: &str, structural: bool) -> &'static str {
    if structural {
        return "#4b6fa5";
    }
    match quad {
        "verbalCooperation" => "#7fbf7f",
        "materialCooperation" => "#1b7f1b",
        "verbalConflict" => "#e69500",
        "materialConflict" => "#c81e1e",
        _ => "#808080",
    }
}

fn amount_text(amounts: &BTreeMap<String, f64>) -> String {
    amounts
        .iter()
        .map(|(c, v)| format!("{} {}", crate::attrs::format_amount(*v), c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Write the graph as Graphviz DOT, with a legend.
pub fn write_dot(g: &DiGraph<Node, Merged>, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "digraph actorgraph {{")?;
    writeln!(out, "  graph [charset=\"UTF-8\", rankdir=LR, overlap=false, fontname=\"Helvetica\", label=\"actorgraph\", labelloc=t];")?;
    writeln!(out, "  node [fontname=\"Helvetica\", style=filled];")?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];")?;
    let mut order: Vec<NodeIndex> = g.node_indices().collect();
    order.sort_by(|a, b| g[*a].actor.id.cmp(&g[*b].actor.id));
    let ids: HashMap<NodeIndex, usize> = order.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    for n in &order {
        let a = &g[*n].actor;
        let (shape, fill) = node_style(&a.kind);
        let label = if a.country.is_empty() || a.kind == "State" {
            a.label.clone()
        } else {
            format!("{}\n({}, {})", a.label, a.kind, a.country)
        };
        writeln!(
            out,
            "  n{} [label={}, shape={shape}, fillcolor=\"{fill}\", tooltip={}];",
            ids[n],
            dot_str(&label),
            dot_str(&a.id)
        )?;
    }
    let mut edges: Vec<_> = g.edge_references().collect();
    edges.sort_by(|a, b| {
        (ids[&a.source()], ids[&a.target()], &a.weight().relation).cmp(&(
            ids[&b.source()],
            ids[&b.target()],
            &b.weight().relation,
        ))
    });
    for e in edges {
        let m = e.weight();
        let mut label = m.relation.clone();
        if !m.cameo.is_empty() {
            label.push_str(&format!(" ({})", m.cameo));
        }
        if m.count > 1 {
            label.push_str(&format!(" ×{}", m.count));
        }
        match (m.first, m.last) {
            (Some(f), Some(l)) if f != l => label.push_str(&format!("\n{f} – {l}")),
            (Some(f), _) => label.push_str(&format!("\n{f}")),
            _ => {}
        }
        if !m.amounts.is_empty() {
            label.push_str(&format!("\n{}", amount_text(&m.amounts)));
        }
        let style = if m.structural {
            "dashed"
        } else if m.negated == m.count {
            "dotted"
        } else {
            "solid"
        };
        let dir = if m.symmetric { ", dir=none" } else { "" };
        writeln!(
            out,
            "  n{} -> n{} [label={}, color=\"{}\", fontcolor=\"{}\", style={style}, penwidth={:.1}{dir}];",
            ids[&e.source()],
            ids[&e.target()],
            dot_str(&label),
            quad_colour(&m.quad, m.structural),
            quad_colour(&m.quad, m.structural),
            1.0 + (m.count as f64).ln()
        )?;
    }
    // legend
    writeln!(out, "  subgraph cluster_legend {{")?;
    writeln!(out, "    label=\"legend\"; fontsize=10; color=\"#bbbbbb\";")?;
    writeln!(out, "    node [shape=plaintext, style=\"\", fontsize=9];")?;
    let legend = [
        (
            "verbal cooperation (CAMEO 01–05)",
            "verbalCooperation",
            false,
            "solid",
        ),
        (
            "material cooperation (06–08)",
            "materialCooperation",
            false,
            "solid",
        ),
        ("verbal conflict (09–13)", "verbalConflict", false, "solid"),
        (
            "material conflict (14–20)",
            "materialConflict",
            false,
            "solid",
        ),
        ("structural (rivalOf, allyOf, ...)", "", true, "dashed"),
    ];
    for (i, (text, quad, structural, style)) in legend.iter().enumerate() {
        writeln!(
            out,
            "    la{i} [label=\"\", width=0.1, height=0.1]; lb{i} [label={}];",
            dot_str(text)
        )?;
        writeln!(
            out,
            "    la{i} -> lb{i} [color=\"{}\", style={style}, arrowhead=none];",
            quad_colour(quad, *structural)
        )?;
    }
    let shapes = [
        ("state", "State"),
        ("government body", "GovernmentBody"),
        ("military / security", "Military"),
        ("armed group", "ArmedGroup"),
        ("organisation", "IGO"),
        ("person", "Person"),
    ];
    for (i, (text, kind)) in shapes.iter().enumerate() {
        let (shape, fill) = node_style(kind);
        writeln!(
            out,
            "    ls{i} [label={}, shape={shape}, style=filled, fillcolor=\"{fill}\"];",
            dot_str(text)
        )?;
    }
    writeln!(out, "  }}")?;
    writeln!(out, "}}")
}

/// Write `edges.csv` (one row per edge occurrence).
pub fn write_edges_csv(edges: &[Edge], out: impl Write) -> Result<()> {
    let mut w = CsvEdges::new(out)?;
    for e in edges {
        w.write(e)?;
    }
    w.flush()?;
    Ok(())
}

/// Write `actors.csv`: every actor that takes part in an edge.
pub fn write_actors_csv(gs: &GraphStore, edges: &[Edge], out: impl Write) -> Result<()> {
    let mut counts: BTreeMap<String, (EdgeActor, usize)> = BTreeMap::new();
    for e in edges {
        for a in [&e.source, &e.target] {
            counts
                .entry(a.id.clone())
                .or_insert_with(|| (a.clone(), 0))
                .1 += 1;
        }
    }
    let aliases = gs.aliases()?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record([
        "id", "label", "type", "country", "parent", "aliases", "wikidata", "edges",
    ])?;
    for (id, (a, n)) in &counts {
        let al = aliases.get(id).map(|v| v.join("; ")).unwrap_or_default();
        let row = [
            a.id.clone(),
            a.label.clone(),
            a.kind.clone(),
            a.country.clone(),
            a.parent.clone(),
            al,
            a.wikidata.clone(),
            n.to_string(),
        ];
        w.write_record(row.iter().map(|c| neutralise(c)))?;
    }
    w.flush()?;
    Ok(())
}

/// The RDF dump formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RdfDump {
    Turtle,
    Ntriples,
    Nquads,
    Trig,
}

/// Dump the store. Graph formats (Turtle, N-Triples) get the distinct triples of all graphs.
pub fn write_rdf(gs: &GraphStore, fmt: RdfDump, out: &mut dyn Write) -> Result<()> {
    match fmt {
        RdfDump::Nquads | RdfDump::Trig => {
            let f = if fmt == RdfDump::Nquads {
                RdfFormat::NQuads
            } else {
                RdfFormat::TriG
            };
            let mut quads: Vec<oxigraph::model::Quad> =
                gs.store.iter().collect::<Result<_, _>>()?;
            quads.sort_by_key(|q| q.to_string());
            let mut ser = RdfSerializer::from_format(f);
            if f == RdfFormat::TriG {
                ser = ser
                    .with_prefix("ag", crate::ontology::AG)?
                    .with_prefix("agid", crate::ontology::AGID)?;
            }
            let mut w = ser.for_writer(out);
            for q in &quads {
                w.serialize_quad(q)?;
            }
            w.finish()?;
        }
        RdfDump::Turtle | RdfDump::Ntriples => {
            let mut triples: BTreeMap<String, Triple> = BTreeMap::new();
            for q in gs.store.iter() {
                let t: Triple = q?.into();
                triples.insert(t.to_string(), t);
            }
            let f = if fmt == RdfDump::Turtle {
                RdfFormat::Turtle
            } else {
                RdfFormat::NTriples
            };
            let mut ser = RdfSerializer::from_format(f);
            if f == RdfFormat::Turtle {
                let actor_ns = format!("{}actor/", crate::ontology::AGID);
                for (p, iri) in [
                    ("ag", crate::ontology::AG),
                    ("agid", crate::ontology::AGID),
                    ("actor", actor_ns.as_str()),
                    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
                    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
                    ("owl", "http://www.w3.org/2002/07/owl#"),
                    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
                    ("skos", crate::store::SKOS),
                    ("prov", crate::store::PROV),
                    ("dcterms", crate::store::DCTERMS),
                    ("org", crate::store::ORG),
                ] {
                    ser = ser.with_prefix(p, iri)?;
                }
            }
            let mut w = ser.for_writer(out);
            for t in triples.values() {
                w.serialize_triple(t)?;
            }
            w.finish()?;
        }
    }
    Ok(())
}

fn xml(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

/// GraphML for Gephi and yEd, with node and edge attributes.
pub fn write_graphml(g: &DiGraph<Node, Merged>, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(out, "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">")?;
    for (id, for_, ty) in [
        ("label", "node", "string"),
        ("type", "node", "string"),
        ("country", "node", "string"),
        ("actor_id", "node", "string"),
        ("degree", "node", "int"),
        ("relation", "edge", "string"),
        ("cameo", "edge", "string"),
        ("quad_class", "edge", "string"),
        ("structural", "edge", "boolean"),
        ("count", "edge", "int"),
        ("negated", "edge", "int"),
        ("first_date", "edge", "string"),
        ("last_date", "edge", "string"),
        ("amounts", "edge", "string"),
        ("weight", "edge", "double"),
    ] {
        writeln!(
            out,
            "  <key id=\"{id}\" for=\"{for_}\" attr.name=\"{id}\" attr.type=\"{ty}\"/>"
        )?;
    }
    writeln!(out, "  <graph id=\"actorgraph\" edgedefault=\"directed\">")?;
    let mut order: Vec<NodeIndex> = g.node_indices().collect();
    order.sort_by(|a, b| g[*a].actor.id.cmp(&g[*b].actor.id));
    for n in &order {
        let a = &g[*n].actor;
        writeln!(out, "    <node id=\"n{}\">", n.index())?;
        for (k, v) in [
            ("label", &a.label),
            ("type", &a.kind),
            ("country", &a.country),
            ("actor_id", &a.id),
        ] {
            writeln!(out, "      <data key=\"{k}\">{}</data>", xml(v))?;
        }
        writeln!(out, "      <data key=\"degree\">{}</data>", g[*n].degree)?;
        writeln!(out, "    </node>")?;
    }
    for e in g.edge_references() {
        let m = e.weight();
        writeln!(
            out,
            "    <edge id=\"e{}\" source=\"n{}\" target=\"n{}\">",
            e.id().index(),
            e.source().index(),
            e.target().index()
        )?;
        for (k, v) in [
            ("relation", m.relation.clone()),
            ("cameo", m.cameo.clone()),
            ("quad_class", m.quad.clone()),
            ("structural", m.structural.to_string()),
            ("count", m.count.to_string()),
            ("negated", m.negated.to_string()),
            (
                "first_date",
                m.first.map(|d| d.to_string()).unwrap_or_default(),
            ),
            (
                "last_date",
                m.last.map(|d| d.to_string()).unwrap_or_default(),
            ),
            ("amounts", amount_text(&m.amounts)),
            ("weight", format!("{}", m.count)),
        ] {
            writeln!(out, "      <data key=\"{k}\">{}</data>", xml(&v))?;
        }
        writeln!(out, "    </edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")
}

/// Render DOT to SVG with Graphviz's `dot`. `Ok(false)` when `dot` is not installed.
pub fn render_svg(dot_path: &std::path::Path, svg_path: &std::path::Path) -> Result<bool> {
    let r = std::process::Command::new("dot")
        .arg("-Tsvg")
        .arg(dot_path)
        .arg("-o")
        .arg(svg_path)
        .output();
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e).context("running dot"),
        Ok(o) if o.status.success() => Ok(true),
        Ok(o) => anyhow::bail!(
            "dot failed on {}: {}",
            dot_path.display(),
            String::from_utf8_lossy(&o.stderr)
        ),
    }
}
