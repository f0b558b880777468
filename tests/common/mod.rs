//! Helpers shared by the integration tests: run the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_actorgraph"))
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run actorgraph from the repository root.
pub fn run(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(root())
        .output()
        .expect("run actorgraph")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("actorgraph-test-{}-{}", name, std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn shared() -> PathBuf {
    let p = root().join("../shared");
    assert!(
        p.join("eval/score.py").exists(),
        "these tests need ../shared beside the repository (shared/eval/score.py)"
    );
    p
}

pub fn path_str(p: &Path) -> String {
    p.display().to_string()
}

/// The answer of `actorgraph query QUERY... --store STORE --format FORMAT` (asserting success).
pub fn query_store(store: &Path, query: &[&str], format: &str) -> String {
    let store = path_str(store);
    let mut args = vec!["query"];
    args.extend_from_slice(query);
    args.extend(["--store", &store, "--format", format]);
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// The store as N-Quads (`export rdf`); empty if there is no store.
pub fn nquads(store: &Path) -> String {
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
