//! The graph in Oxigraph: ingest, idempotence, atomic documents, SPARQL and the example queries.

mod common;
use common::*;
use std::path::Path;

const SEED: &str = "seeds/pakistan-us-security-cooperation.txt";

fn ingest(store: &Path, paths: &[&str]) -> std::process::Output {
    let mut args = vec!["ingest", "--store", store.to_str().unwrap()];
    args.extend_from_slice(paths);
    run(&args)
}

fn query(store: &Path, q: &str, format: &str) -> String {
    let o = run(&[
        "query",
        q,
        "--store",
        store.to_str().unwrap(),
        "--format",
        format,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

fn nquads(store: &Path) -> String {
    if !store.exists() {
        return String::new();
    }
    let o = run(&[
        "export",
        "rdf",
        "--format",
        "nquads",
        "--store",
        store.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
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
    }
    // re-running finishes the job with the same result
    let o = ingest(&store, &[f.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
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
