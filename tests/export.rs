//! Exports: DOT rendered by the real `dot`, CSV read back, Turtle round trip, exports/ not stale.

mod common;
use common::*;
use std::path::Path;

fn build(dir: &Path, inputs: &[&str]) -> (std::path::PathBuf, std::path::PathBuf) {
    let store = dir.join("store");
    let out = dir.join("out");
    let mut args = vec![
        "build",
        "--store",
        store.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(inputs);
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    (store, out)
}

#[test]
fn dot_renders_with_graphviz() {
    let dir = tmp("dot");
    let (_, out) = build(&dir, &["seeds/"]);
    let svg = std::fs::read_to_string(out.join("graph.svg"))
        .expect("graph.svg written (CI installs graphviz)")
        .replace("&#45;", "-");
    for name in [
        "Pakistan",
        "United States",
        "India",
        "China",
        "Tehreek-e-Taliban Pakistan",
        "Michael Kurilla",
    ] {
        assert!(svg.contains(name), "{name} in the SVG");
    }
}

#[test]
fn hostile_names_do_not_break_dot_or_csv() {
    let dir = tmp("hostile");
    let ont = dir.join("ontology");
    // the real ontology plus an actor with quotes, a newline, <, >, non-ASCII and a formula
    let copy = |from: &Path, to: &Path| {
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.path().is_file() {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    };
    for sub in ["", "actors", "rules"] {
        std::fs::create_dir_all(ont.join(sub)).unwrap();
        copy(&root().join("ontology").join(sub), &ont.join(sub));
    }
    std::fs::write(
        ont.join("actors/zz-hostile.toml"),
        "[[actor]]\nid = \"HOSTILE\"\nlabel = \"=HYPERLINK(\\\"http://x\\\") <b>\\\"Quoted\\\"\\nFront</b> Ünïcødé \\\\\"\ntype = \"ArmedGroup\"\ncountry = \"PAK\"\naliases = [\"Zorblax Front\"]\n",
    )
    .unwrap();
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(
        docs.join("h.txt"),
        "The Zorblax Front carried out attacks against Pakistan last week.\n",
    )
    .unwrap();
    let store = dir.join("store");
    let out = dir.join("out");
    let o = run(&[
        "--ontology",
        ont.to_str().unwrap(),
        "build",
        "--store",
        store.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        docs.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let svg =
        std::fs::read_to_string(out.join("graph.svg")).expect("dot rendered the hostile graph");
    assert!(svg.contains("Ünïcødé"));
    // the CSV reads back with a standard reader and the formula is neutralised
    let mut rd = csv::Reader::from_path(out.join("edges.csv")).unwrap();
    let h = rd.headers().unwrap().clone();
    let src = h.iter().position(|c| c == "source").unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 1);
    assert!(
        rows[0][src].starts_with("'=HYPERLINK("),
        "{}",
        &rows[0][src]
    );
    assert!(
        rows[0][src].contains('\n'),
        "newline kept inside the quoted cell"
    );
    let actors = std::fs::read_to_string(out.join("actors.csv")).unwrap();
    assert!(actors.contains("'=HYPERLINK"));
    assert!(!actors.lines().any(|l| l.starts_with("HOSTILE,=")));
}

#[test]
fn edges_csv_has_every_store_edge_and_matches_extract() {
    let dir = tmp("csv");
    let (store, out) = build(&dir, &["seeds/"]);
    let extract = run(&["extract", "seeds/"]);
    let exported = std::fs::read(out.join("edges.csv")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&extract.stdout),
        String::from_utf8_lossy(&exported),
        "the store's CSV and extract's agree"
    );
    let mut rd = csv::Reader::from_reader(&exported[..]);
    let n = rd.records().collect::<Result<Vec<_>, _>>().unwrap().len();
    let count = run(&[
        "query",
        "SELECT (COUNT(?e) AS ?n) WHERE { ?e ag:source ?s }",
        "--store",
        store.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    let total: usize = stdout(&count)
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(n, total, "every edge of the store is in edges.csv");
    // the same score as extract's output
    let shared = shared();
    let ex_csv = dir.join("extract.csv");
    std::fs::write(&ex_csv, &extract.stdout).unwrap();
    let score = |p: &Path| {
        let o = std::process::Command::new("python3")
            .arg(shared.join("eval/score.py"))
            .arg(shared.join("gold/pakistan-us-security-cooperation.tsv"))
            .arg(p)
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert_eq!(score(&out.join("edges.csv")), score(&ex_csv));
}

#[test]
fn turtle_dump_parses_back_with_the_same_triples() {
    let dir = tmp("ttl");
    let (store, out) = build(&dir, &["seeds/"]);
    let ttl = std::fs::read(out.join("graph.ttl")).unwrap();
    let reloaded = oxigraph::store::Store::new().unwrap();
    reloaded
        .load_from_slice(oxigraph::io::RdfFormat::Turtle, &ttl)
        .unwrap();
    let distinct = run(&[
        "query",
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
        "--store",
        store.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    let n: usize = stdout(&distinct)
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(reloaded.len().unwrap(), n);
    // N-Quads and TriG dumps keep the graphs
    let nq = run(&[
        "export",
        "rdf",
        "--format",
        "trig",
        "--store",
        store.to_str().unwrap(),
    ]);
    let ds = oxigraph::store::Store::new().unwrap();
    ds.load_from_slice(oxigraph::io::RdfFormat::TriG, &nq.stdout)
        .unwrap();
    let st = oxigraph::store::Store::open(&store).unwrap();
    assert_eq!(ds.len().unwrap(), st.len().unwrap());
}

#[test]
fn graphml_and_filters() {
    let dir = tmp("graphml");
    let (store, _) = build(&dir, &["seeds/"]);
    let gm = run(&["export", "graphml", "--store", store.to_str().unwrap()]);
    let s = stdout(&gm);
    assert!(
        s.starts_with("<?xml") && s.contains("<graphml") && s.contains("attr.name=\"relation\"")
    );
    let n_all = s.matches("<edge ").count();
    let only = stdout(&run(&[
        "export",
        "dot",
        "--store",
        store.to_str().unwrap(),
        "--relation",
        "rivalOf",
    ]));
    assert!(only.contains("label=\"rivalOf") && !only.contains("label=\"sellArms"));
    let coop = stdout(&run(&[
        "export",
        "dot",
        "--store",
        store.to_str().unwrap(),
        "--relation",
        "materialCooperation",
    ]));
    assert!(
        coop.contains("label=\"sellArms") && !coop.contains("label=\"rivalOf"),
        "the hierarchy is walked"
    );
    let since = stdout(&run(&[
        "export",
        "dot",
        "--store",
        store.to_str().unwrap(),
        "--since",
        "2023-01-01",
    ]));
    assert!(since.contains("label=\"makeVisit") && !since.contains("label=\"sellArms"));
    let actor = stdout(&run(&[
        "export",
        "graphml",
        "--store",
        store.to_str().unwrap(),
        "--actor",
        "India",
    ]));
    assert!(actor.matches("<edge ").count() < n_all && actor.contains("India"));
}

#[test]
fn exports_directory_is_fresh() {
    let dir = tmp("fresh");
    let (_, out) = build(&dir, &["seeds/"]);
    for f in ["graph.dot", "edges.csv", "actors.csv", "graph.ttl"] {
        let want = std::fs::read(out.join(f)).unwrap();
        let have = std::fs::read(root().join("exports").join(f)).unwrap_or_default();
        assert!(
            want == have,
            "exports/{f} is stale: run `actorgraph build seeds/` and commit exports/"
        );
    }
    assert!(root().join("exports/graph.svg").exists());
}
