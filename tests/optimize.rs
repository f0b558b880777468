//! `actorgraph optimize`: compacting the store changes its files, never its content.

mod common;
use common::*;
use std::path::Path;

fn sorted_nquads(store: &Path) -> Vec<String> {
    let mut lines: Vec<String> = nquads(store).lines().map(str::to_string).collect();
    lines.sort();
    lines
}

fn query_file(store: &Path, q: &Path) -> String {
    query_store(store, &["-f", &path_str(q)], "csv")
}

#[test]
fn optimize_keeps_every_quad_and_every_answer() {
    let dir = tmp("optimize");
    let store = dir.join("store");
    let s = store.to_str().unwrap();
    // three ingests: three bulk loads whose files overlap, and one replaced document
    let text = dir.join("a.txt");
    std::fs::write(
        &text,
        "The United States imposed sanctions on Iran. China criticized the sanctions.",
    )
    .unwrap();
    for args in [
        vec!["ingest", "--store", s, "seeds/"],
        vec!["ingest", "--store", s, text.to_str().unwrap()],
    ] {
        let o = run(&args);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    std::fs::write(
        &text,
        "The United States imposed sanctions on Iran. Russia criticized the sanctions.",
    )
    .unwrap();
    let o = run(&["ingest", "--store", s, text.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));

    let before = sorted_nquads(&store);
    assert!(
        before.len() > 1000,
        "the seed store has {} quads",
        before.len()
    );
    assert!(before.iter().any(|q| q.contains("Russia")));
    let queries: Vec<_> = std::fs::read_dir(root().join("ontology/queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rq"))
        .collect();
    assert!(queries.len() >= 5);
    let answers: Vec<String> = queries.iter().map(|q| query_file(&store, q)).collect();

    let o = run(&["optimize", "--store", s]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("MB on disk"), "{}", stderr(&o));

    assert_eq!(sorted_nquads(&store), before);
    for (q, a) in queries.iter().zip(&answers) {
        assert_eq!(&query_file(&store, q), a, "{}", q.display());
    }
    // the store stays writable and consistent after compaction
    let o = run(&["ingest", "--store", s, "seeds/"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("1 unchanged"), "{}", stderr(&o));
}

#[test]
fn optimize_without_a_store_says_so() {
    let dir = tmp("optimize-missing");
    let o = run(&["optimize", "--store", dir.join("nothing").to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("no store at"), "{}", stderr(&o));
    assert!(!dir.join("nothing").exists());
}
