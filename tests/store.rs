//! The graph in Oxigraph: ingest, idempotence, atomic documents, the summary graph, SPARQL and
//! the example queries.

mod common;
use actorgraph::store::{summary, GraphStore};
use common::*;
use oxigraph::model::{GraphNameRef, NamedNode, Quad, Term};
use std::path::Path;

const SEED: &str = "seeds/pakistan-us-security-cooperation.txt";

fn ingest(store: &Path, paths: &[&str]) -> std::process::Output {
    let mut args = vec!["ingest", "--store", store.to_str().unwrap()];
    args.extend_from_slice(paths);
    run(&args)
}

fn query(store: &Path, q: &str, format: &str) -> String {
    query_store(store, &[q], format)
}

#[test]
fn rivals_from_the_seed() {
    let dir = tmp("rivals");
    let store = dir.join("store");
    let o = ingest(&store, &["seeds/"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 documents (1 written, 0 unchanged)"),
        "{}",
        stderr(&o)
    );
    let out = query(
        &store,
        "PREFIX ag: <https://w3id.org/actorgraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?a ?b WHERE { ?s ag:rivalOf ?t . ?s rdfs:label ?a . ?t rdfs:label ?b }",
        "csv",
    );
    let pairs: Vec<(String, String)> = out
        .lines()
        .skip(1)
        .map(|l| {
            let mut it = l.trim_end().split(',');
            let (a, b) = (
                it.next().unwrap().to_string(),
                it.next().unwrap().to_string(),
            );
            if a < b {
                (a, b)
            } else {
                (b, a)
            }
        })
        .collect();
    for want in [
        ("India", "Pakistan"),
        ("China", "India"),
        ("China", "United States"),
    ] {
        assert!(
            pairs.contains(&(want.0.to_string(), want.1.to_string())),
            "{want:?} in {pairs:?}"
        );
    }
}

#[test]
fn reingest_changes_nothing_and_changed_documents_are_replaced() {
    let dir = tmp("idem");
    let store = dir.join("store");
    assert!(ingest(&store, &["seeds/"]).status.success());
    let first = nquads(&store);
    let o = ingest(&store, &["seeds/"]);
    assert!(
        stderr(&o).contains("(0 written, 1 unchanged)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        first,
        nquads(&store),
        "re-ingesting an unchanged document changes nothing"
    );
    // a changed document replaces its graph
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    let f = docs.join("d.txt");
    std::fs::write(
        &f,
        "India is maneuvering itself to enter into a de facto alliance with the United States.\n",
    )
    .unwrap();
    assert!(ingest(&store, &[f.to_str().unwrap()]).status.success());
    let ask = |q: &str| query(&store, q, "table").trim().to_string();
    let q_ally =
        "ASK { GRAPH ?g { ?e a ag:allyOf ; ag:rule ?r } FILTER(CONTAINS(STR(?g), \"d.txt\")) }";
    assert_eq!(ask(q_ally), "true");
    std::fs::write(&f, "India – Pakistan’s arch-rival – spoke.\n").unwrap();
    assert!(ingest(&store, &[f.to_str().unwrap()]).status.success());
    assert_eq!(
        ask(q_ally),
        "false",
        "the old edges of a changed document are gone"
    );
    assert_eq!(
        ask("ASK { GRAPH ?g { ?e a ag:rivalOf } FILTER(CONTAINS(STR(?g), \"d.txt\")) }"),
        "true"
    );
    // remove
    let id = f.display().to_string();
    let o = run(&["remove", &id, "--store", store.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        ask("ASK { GRAPH ?g { ?e a ag:rivalOf } FILTER(CONTAINS(STR(?g), \"d.txt\")) }"),
        "false"
    );
    let o = run(&["remove", "no-such-doc", "--store", store.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
}

/// Many documents from the VOA corpus, repeated with distinct ids.
fn corpus(dir: &Path, copies: usize) -> std::path::PathBuf {
    let src = std::fs::read_to_string(shared().join("corpus/voa/voa_stories.jsonl")).unwrap();
    let mut out = String::new();
    for k in 0..copies {
        for line in src.lines() {
            let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
            v["id"] = serde_json::Value::String(format!("{}-{k}", v["id"].as_str().unwrap()));
            out.push_str(&v.to_string());
            out.push('\n');
        }
    }
    let f = dir.join("corpus.jsonl");
    std::fs::write(&f, out).unwrap();
    f
}

/// Per document graph: its quads, as N-Quads lines sorted.
fn graphs(nq: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut m: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for l in nq.lines() {
        if let Some(g) = l.rsplit_once(" <https://w3id.org/actorgraph/id/graph/doc/") {
            m.entry(g.1.to_string()).or_default().push(l.to_string());
        }
    }
    for v in m.values_mut() {
        v.sort();
    }
    m
}

/// Sorted result rows (CSV without the header) of a query.
fn rows(store: &Path, q: &str) -> Vec<String> {
    let mut v: Vec<String> = query(store, q, "csv")
        .lines()
        .skip(1)
        .map(|l| l.trim_end().to_string())
        .collect();
    v.sort();
    v
}

/// Each aggregate of the summary graph, computed from scratch over the edges and read from the
/// summary: (what, from the edges, from the summary).
const SUMMARY_CHECKS: [(&str, &str, &str); 7] = [
    (
        "edges per (source, relation, target)",
        "SELECT ?s ?r ?t (COUNT(?e) AS ?n) WHERE { ?e a ?r ; ag:source ?s ; ag:target ?t ; ag:negated false } GROUP BY ?s ?r ?t",
        "SELECT ?s ?r ?t ?n WHERE { GRAPH <https://w3id.org/actorgraph/id/graph/summary> { ?x a ag:RelationSummary ; ag:fromActor ?s ; ag:relationType ?r ; ag:toActor ?t ; ag:edgeCount ?n } }",
    ),
    (
        "deduplicated direct triples",
        "SELECT DISTINCT ?s ?r ?t WHERE { ?e a ?r ; ag:source ?s ; ag:target ?t ; ag:negated false }",
        "SELECT ?s ?r ?t WHERE { GRAPH <https://w3id.org/actorgraph/id/graph/summary> { ?s ?r ?t } FILTER(isIRI(?t) && STRSTARTS(STR(?s), \"https://w3id.org/actorgraph/id/actor/\")) }",
    ),
    (
        "edges per (source, relation, target, year, currency)",
        "SELECT ?s ?r ?t ?y ?c (COUNT(?e) AS ?n) WHERE { ?e a ?r ; ag:source ?s ; ag:target ?t ; ag:negated false . OPTIONAL { ?e ag:date ?d } OPTIONAL { ?e ag:amount ?amount ; ag:currency ?c } BIND(SUBSTR(STR(?d), 1, 4) AS ?y) } GROUP BY ?s ?r ?t ?y ?c",
        "SELECT ?s ?r ?t ?y ?c ?n WHERE { GRAPH <https://w3id.org/actorgraph/id/graph/summary> { ?x a ag:RelationYearSummary ; ag:fromActor ?s ; ag:relationType ?r ; ag:toActor ?t ; ag:edgeCount ?n OPTIONAL { ?x ag:year ?year } OPTIONAL { ?x ag:amountCurrency ?c } } BIND(STR(?year) AS ?y) }",
    ),
    (
        "amount sums per (source, relation, target, year, currency)",
        "SELECT ?s ?r ?t ?y ?c (SUM(?amount) AS ?sum) WHERE { ?e a ?r ; ag:source ?s ; ag:target ?t ; ag:negated false ; ag:amount ?amount ; ag:currency ?c . OPTIONAL { ?e ag:date ?d } BIND(SUBSTR(STR(?d), 1, 4) AS ?y) } GROUP BY ?s ?r ?t ?y ?c",
        "SELECT ?s ?r ?t ?y ?c ?sum WHERE { GRAPH <https://w3id.org/actorgraph/id/graph/summary> { ?x ag:fromActor ?s ; ag:relationType ?r ; ag:toActor ?t ; ag:amountCurrency ?c ; ag:amountSum ?sum OPTIONAL { ?x ag:year ?year } } BIND(STR(?year) AS ?y) }",
    ),
    (
        "edges per (actor, quad class) as source, as target and in all",
        "SELECT ?a ?q (SUM(?src) AS ?s) (SUM(?tgt) AS ?t) (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e ag:quadClass ?q ; ag:negated false . { ?e ag:source ?a BIND(1 AS ?src) BIND(0 AS ?tgt) } UNION { ?e ag:target ?a BIND(0 AS ?src) BIND(1 AS ?tgt) } } GROUP BY ?a ?q",
        "SELECT ?a ?q ?s ?t ?n WHERE { GRAPH <https://w3id.org/actorgraph/id/graph/summary> { ?x a ag:ActorSummary ; ag:actor ?a ; ag:summaryQuadClass ?q ; ag:asSource ?s ; ag:asTarget ?t ; ag:edgeCount ?n } }",
    ),
    (
        "conflict edges per actor",
        "SELECT ?a (COUNT(DISTINCT ?e) AS ?n) WHERE { VALUES ?q { ag:verbalConflict ag:materialConflict } ?e ag:quadClass ?q ; ag:negated false ; ag:source|ag:target ?a } GROUP BY ?a",
        "SELECT ?a ?n WHERE { GRAPH <https://w3id.org/actorgraph/id/graph/summary> { ?a ag:conflictEdges ?n } }",
    ),
    (
        "cooperation edges per actor",
        "SELECT ?a (COUNT(DISTINCT ?e) AS ?n) WHERE { VALUES ?q { ag:verbalCooperation ag:materialCooperation } ?e ag:quadClass ?q ; ag:negated false ; ag:source|ag:target ?a } GROUP BY ?a",
        "SELECT ?a ?n WHERE { GRAPH <https://w3id.org/actorgraph/id/graph/summary> { ?a ag:cooperationEdges ?n } }",
    ),
];

/// The summary graph equals a from-scratch aggregate of the edges, and is marked complete.
fn assert_summary_exact(store: &Path, when: &str) {
    for (what, from_edges, from_summary) in SUMMARY_CHECKS {
        let want = rows(store, from_edges);
        let got = rows(store, from_summary);
        assert_eq!(want, got, "summary: {what}, {when}");
    }
    assert_eq!(
        query(
            store,
            "ASK { GRAPH <https://w3id.org/actorgraph/id/graph/meta> { <https://w3id.org/actorgraph/id/graph/summary> ag:summaryState \"complete-1\" } }",
            "table"
        )
        .trim(),
        "true",
        "summary state, {when}"
    );
}

#[test]
fn the_summary_graph_stays_exact() {
    let dir = tmp("summary");
    let store = dir.join("store");
    let f = corpus(&dir, 1);
    let o = ingest(&store, &[f.to_str().unwrap(), SEED]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_summary_exact(&store, "after an ingest");
    // the checks see real data: counts, conflict ranks, an amount
    for (what, _, from_summary) in SUMMARY_CHECKS {
        assert!(!rows(&store, from_summary).is_empty(), "no rows: {what}");
    }
    let sums = |store: &Path| {
        rows(
            store,
            "SELECT ?sum WHERE { GRAPH <https://w3id.org/actorgraph/id/graph/summary> { ?x ag:relationType ag:sellArms ; ag:amountSum ?sum } }",
        )
    };
    assert_eq!(sums(&store), ["450000000"]);

    // a document added, then changed (its edges, and an amount, replaced)
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    let d = docs.join("d.txt");
    let sale = |amount: &str| {
        format!("In September 2022, the State Department approved a foreign military sale worth ${amount} million for the maintenance of Pakistan’s F-16 program.\nIndia is maneuvering itself to enter into a de facto alliance with the United States.\n")
    };
    std::fs::write(&d, sale("450")).unwrap();
    assert!(ingest(&store, &[d.to_str().unwrap()]).status.success());
    assert_summary_exact(&store, "after adding a document");
    assert_eq!(sums(&store), ["900000000"]);
    std::fs::write(
        &d,
        format!("{}India – Pakistan’s arch-rival – spoke.\n", sale("120")),
    )
    .unwrap();
    let o = ingest(&store, &[d.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("(1 written, 0 unchanged)"),
        "{}",
        stderr(&o)
    );
    assert_summary_exact(&store, "after re-ingesting a changed document");
    assert_eq!(sums(&store), ["570000000"]);

    // removed documents take their counts with them
    let id = d.display().to_string();
    assert!(run(&["remove", &id, "--store", store.to_str().unwrap()])
        .status
        .success());
    assert_summary_exact(&store, "after removing a document");
    assert_eq!(sums(&store), ["450000000"]);
    assert!(run(&["remove", SEED, "--store", store.to_str().unwrap()])
        .status
        .success());
    assert_summary_exact(&store, "after removing the seed");
    assert!(sums(&store).is_empty());

    // an interrupted write: the dirty marker is set, a new document graph was bulk-loaded but
    // its counts never applied, and a counter is wrong; the next open rebuilds the summary
    {
        let gs = GraphStore::open_writable(&store).unwrap();
        let mut tx = gs.store.start_transaction().unwrap();
        summary::set_state(&mut tx, summary::SUMMARY_DIRTY).unwrap();
        tx.commit().unwrap();
        let first = gs.doc_ids().unwrap()[0].clone();
        let g = actorgraph::store::doc_graph(&first);
        let esc = actorgraph::store::escape(&first);
        let rename = |t: &str| t.replace(&esc, &format!("{esc}-copy"));
        let copy: Vec<Quad> = gs
            .store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(g.as_ref())))
            .map(|q| {
                let q = q.unwrap();
                let s = match &q.subject {
                    oxigraph::model::NamedOrBlankNode::NamedNode(n) => {
                        NamedNode::new_unchecked(rename(n.as_str()))
                    }
                    _ => unreachable!("no blank nodes in document graphs"),
                };
                let o = match &q.object {
                    Term::NamedNode(n) => NamedNode::new_unchecked(rename(n.as_str())).into(),
                    other => other.clone(),
                };
                Quad::new(
                    s,
                    q.predicate.clone(),
                    o,
                    NamedNode::new_unchecked(rename(g.as_str())),
                )
            })
            .collect();
        assert!(copy.len() > 20);
        let mut loader = gs.store.bulk_loader();
        loader.load_quads(copy).unwrap();
        loader.commit().unwrap();
        let usa = NamedNode::new_unchecked("https://w3id.org/actorgraph/id/actor/USA");
        let mut tx = gs.store.start_transaction().unwrap();
        tx.insert(&Quad::new(
            usa,
            NamedNode::new_unchecked("https://w3id.org/actorgraph/ontology#conflictEdges"),
            oxigraph::model::Literal::from(999_999),
            summary::summary_graph(),
        ));
        tx.commit().unwrap();
    }
    // a read-only command (query) finds the marker and rebuilds
    assert_summary_exact(&store, "after an interrupted write and a re-open");
    assert!(
        query(
            &store,
            "ASK { ?e ag:source ?s FILTER(CONTAINS(STR(?e), \"-copy/\")) }",
            "table"
        )
        .trim()
            == "true"
    );
    // a store made before the summary existed (no state, no summary graph) gets one
    {
        let gs = GraphStore::open_writable(&store).unwrap();
        let mut tx = gs.store.start_transaction().unwrap();
        tx.remove_named_graph(summary::summary_graph().as_ref())
            .unwrap();
        let state: Vec<Quad> = tx
            .quads_for_pattern(
                Some(summary::summary_graph().as_ref().into()),
                None,
                None,
                None,
            )
            .map(|q| q.unwrap())
            .collect();
        assert_eq!(state.len(), 1);
        tx.remove(&state[0]);
        tx.commit().unwrap();
        assert_eq!(gs.summary_state().unwrap(), None);
    }
    let o = ingest(&store, &[SEED]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("rebuilding the summary graph"),
        "{}",
        stderr(&o)
    );
    assert_summary_exact(&store, "after an ingest into a store without a summary");
    assert_eq!(sums(&store), ["450000000"]);
}

#[test]
fn a_killed_ingest_leaves_whole_documents_and_a_rerun_finishes() {
    let dir = tmp("kill");
    let f = corpus(&dir, 12);
    // the reference: an uninterrupted ingest
    let full = dir.join("full");
    assert!(ingest(&full, &[f.to_str().unwrap()]).status.success());
    let reference = graphs(&nquads(&full));
    assert_eq!(reference.len(), 89 * 12);
    // kill ingests part-way at several moments
    let store = dir.join("killed");
    let mut partial_seen = false;
    for delay_ms in [150u64, 400, 800] {
        let mut child = std::process::Command::new(bin())
            .args([
                "ingest",
                "--batch",
                "8",
                "--write-unit",
                "400",
                "-j",
                "1",
                "--store",
                store.to_str().unwrap(),
                f.to_str().unwrap(),
            ])
            .current_dir(root())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = graphs(&nquads(&store));
        // every document graph present is whole: exactly the quads of the uninterrupted run
        for (g, quads) in &now {
            assert_eq!(
                Some(quads),
                reference.get(g),
                "document graph {g} is not whole"
            );
        }
        if now.len() < reference.len() {
            partial_seen = true;
        }
        // reading the store (above) rebuilt a summary left incomplete by the kill
        if store.exists() {
            assert_summary_exact(&store, &format!("after a kill at {delay_ms} ms"));
        }
    }
    // re-running finishes the job with the same result, and removes the table files of a
    // bulk load cut short (one made here, in case no kill above came during a load)
    std::fs::create_dir_all(&store).unwrap();
    std::fs::write(store.join("bulk-12345.sst"), b"cut short").unwrap();
    let o = ingest(&store, &[f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let left: Vec<_> = std::fs::read_dir(&store)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("bulk-"))
        .collect();
    assert!(left.is_empty(), "left over: {left:?}");
    assert_eq!(graphs(&nquads(&store)), reference);
    assert_eq!(nquads(&store), nquads(&full));
    eprintln!("partial state observed after a kill: {partial_seen}");
}

#[test]
fn sparql_formats_and_errors() {
    let dir = tmp("sparql");
    let store = dir.join("store");
    assert!(ingest(&store, &[SEED]).status.success());
    let q = "SELECT ?e WHERE { ?e a ag:sellArms }";
    assert!(query(&store, q, "json").contains("\"bindings\""));
    assert!(query(&store, q, "xml").contains("<sparql"));
    assert!(query(&store, q, "tsv").starts_with("?e"));
    assert!(query(&store, q, "table").contains("(1 row)"));
    assert_eq!(
        query(&store, "ASK { ?a ag:allyOf ?b }", "table").trim(),
        "true"
    );
    let ttl = query(
        &store,
        "CONSTRUCT { ?a ag:rivalOf ?b } WHERE { ?a ag:rivalOf ?b }",
        "turtle",
    );
    assert!(ttl.contains("ag:rivalOf"));
    let nt = query(
        &store,
        "DESCRIBE <https://w3id.org/actorgraph/id/actor/USAID>",
        "ntriples",
    );
    assert!(nt.contains("USAID"));
    let bad = run(&[
        "query",
        "SELECT ?x WHERE { ?x ?y }",
        "--store",
        store.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("SPARQL syntax error") && stderr(&bad).contains("1:"),
        "{}",
        stderr(&bad)
    );
    let missing = run(&[
        "query",
        "ASK {}",
        "--store",
        dir.join("nope").to_str().unwrap(),
    ]);
    assert!(
        stderr(&missing).contains("no store at"),
        "{}",
        stderr(&missing)
    );
    let st = run(&["stats", "--store", store.to_str().unwrap()]);
    assert!(
        stdout(&st).contains("documents  1") && stdout(&st).contains("sellArms"),
        "{}",
        stdout(&st)
    );
}

#[test]
fn example_queries_answer_as_expected() {
    let dir = tmp("examples");
    let store = dir.join("store");
    assert!(ingest(&store, &["seeds/"]).status.success());
    let q = |name: &str| {
        let o = run(&[
            "query",
            "-f",
            &format!("ontology/queries/{name}"),
            "--store",
            store.to_str().unwrap(),
            "--format",
            "csv",
        ]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        stdout(&o)
    };
    let coop = q("cooperation-since.rq");
    for want in ["sellArms", "trade", "makeVisit", "provideHumanitarianAid"] {
        assert!(
            coop.contains(want),
            "cooperation-since lacks {want}: {coop}"
        );
    }
    assert!(
        coop.lines().skip(1).all(|l| l.starts_with("202")),
        "only dated edges since 2022: {coop}"
    );
    let ra = q("rivals-and-allies.rq");
    for want in [
        "India,allyOf,United States",
        "India,rivalOf,Pakistan",
        "India,rivalOf,China",
        "China,rivalOf,United States",
    ] {
        assert!(ra.contains(want), "{want} in {ra}");
    }
    let arms = q("arms-sales-by-year.rq");
    assert!(
        arms.contains("2022,") && arms.contains("Pakistan,USD,450000000,1"),
        "{arms}"
    );
    let ed = q("edges-of-actor.rq");
    assert!(ed.lines().count() > 10, "{ed}");
    assert!(ed.contains("Tehreek-e-Taliban Pakistan"));
    let cr = q("conflict-ranking.rq");
    let first = cr.lines().nth(1).unwrap_or("");
    assert!(
        cr.contains("Tehreek-e-Taliban Pakistan") && cr.contains("al-Qaida"),
        "{cr}"
    );
    assert!(!first.is_empty());
}

/// The paged listing queries: their pages, OFFSET after OFFSET, hold exactly the rows of the
/// same query without LIMIT.
#[test]
fn listing_queries_page_through_every_row() {
    let dir = tmp("pages");
    let store = dir.join("store");
    let f = corpus(&dir, 2);
    let o = ingest(&store, &[f.to_str().unwrap(), SEED]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (name, edit) in [
        ("edges-of-actor.rq", None),
        // the seed's dyad has few dated cooperation edges: a busier one pages more
        (
            "cooperation-since.rq",
            Some((
                "\"USA-PAK\" \"PAK-USA\"",
                "\"USA-CHN\" \"CHN-USA\" \"USA-PAK\" \"PAK-USA\" \"USA-UKR\" \"UKR-USA\"",
            )),
        ),
    ] {
        let mut text = std::fs::read_to_string(root().join("ontology/queries").join(name)).unwrap();
        if let Some((from, to)) = edit {
            assert!(text.contains(from));
            text = text.replace(from, to);
        }
        let page_clause = "LIMIT 50 OFFSET 0";
        assert!(
            text.contains(page_clause),
            "{name} pages with {page_clause}"
        );
        let whole = rows(&store, &text.replace(page_clause, ""));
        // pages of 10 edges, so that this small store fills several
        let mut paged = Vec::new();
        let mut pages = 0;
        for k in 0.. {
            let page = rows(
                &store,
                &text.replace(page_clause, &format!("LIMIT 10 OFFSET {}", 10 * k)),
            );
            if page.is_empty() {
                break;
            }
            assert!(page.len() <= 10, "{name}: a page of {} rows", page.len());
            pages += 1;
            paged.extend(page);
        }
        assert!(
            pages >= 2,
            "{name}: {} rows in {pages} page(s): page more",
            whole.len()
        );
        paged.sort();
        paged.dedup();
        let mut whole_set = whole.clone();
        whole_set.dedup();
        assert_eq!(paged, whole_set, "{name}: the pages hold every row, once");
    }
}

/// A document id seen twice in one run ends with its later text, as in a re-run: whether the
/// two land in one chunk, in two chunks of one write unit or in two units, in a fresh store or
/// in one that already holds either text (the earlier text must not be written after the later one, and the later one must not
/// be skipped as "unchanged" because the store holds it when the earlier one is still queued).
#[test]
fn a_document_seen_twice_in_one_run_ends_with_its_later_text() {
    let dir = tmp("twice");
    let sale = "In September 2022, the State Department approved a foreign military sale worth $450 million for the maintenance of Pakistan’s F-16 program.";
    let ally =
        "India is maneuvering itself to enter into a de facto alliance with the United States.";
    let rival = "India – Pakistan’s arch-rival – spoke.";
    let line = |id: &str, text: &str| serde_json::json!({ "id": id, "text": text }).to_string();
    let twice = dir.join("twice.jsonl");
    std::fs::write(
        &twice,
        [
            line("a", sale),
            line("b", ally),
            line("c", rival),
            line("a", ally),
        ]
        .join("\n"),
    )
    .unwrap();
    let last = dir.join("last.jsonl");
    std::fs::write(
        &last,
        [line("a", ally), line("b", ally), line("c", rival)].join("\n"),
    )
    .unwrap();
    let reference = dir.join("reference");
    assert!(ingest(&reference, &[last.to_str().unwrap()])
        .status
        .success());
    let expected = graphs(&nquads(&reference));
    assert_eq!(expected.len(), 3);
    // write units of 200k quads (one chunk), of 320 (chunks of 20 quads: a chunk per document,
    // the two "a" in one unit) and of 1 (a unit per document)
    for (name, unit) in [
        ("one-chunk", "200000"),
        ("chunk-per-document", "320"),
        ("unit-per-document", "1"),
    ] {
        let store = dir.join(name);
        for round in ["fresh store", "store holding the later text"] {
            let o = run(&[
                "ingest",
                "--batch",
                "1",
                "--write-unit",
                unit,
                "--store",
                store.to_str().unwrap(),
                twice.to_str().unwrap(),
            ]);
            assert!(o.status.success(), "{}", stderr(&o));
            assert_eq!(
                graphs(&nquads(&store)),
                expected,
                "{name}, {round}: the later text wins"
            );
            assert_summary_exact(&store, &format!("{name}, {round}"));
        }
    }
}
