//! Errors that come from RocksDB (C++) reach the user as messages, not crashes: their text is
//! allocated by C and freed by Rust, so Rust's allocator must be the one C uses (mimalloc
//! overrides malloc, see src/main.rs).

mod common;
use common::*;

#[test]
fn a_damaged_store_is_an_error_not_a_crash() {
    let dir = tmp("damaged");
    let store = dir.join("store");
    std::fs::create_dir_all(&store).unwrap();
    // CURRENT names a manifest that does not exist
    std::fs::write(store.join("CURRENT"), "MANIFEST-000099\n").unwrap();
    for args in [
        vec!["export", "rdf", "--format", "nquads"],
        vec!["query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"],
    ] {
        let mut a = args.clone();
        a.extend(["--store", store.to_str().unwrap()]);
        let o = run(&a);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {:?}", o.status);
        assert!(
            stderr(&o).contains("cannot open the store") && stderr(&o).contains("MANIFEST-000099"),
            "{}",
            stderr(&o)
        );
    }
}
