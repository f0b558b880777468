//! The benchmark runs end to end on a small corpus and reports every measure. No time is
//! asserted here: speed targets are read from the benchmark's numbers (README), not from tests.

mod common;
use common::*;

/// The number just before `unit` in `s` ("3377 edges" -> 3377).
fn number_before(s: &str, unit: &str) -> Option<f64> {
    let head = &s[..s.find(unit)?];
    let digits = head
        .rsplit(|c: char| !(c.is_ascii_digit() || c == '.'))
        .next()?;
    digits.parse().ok()
}

#[test]
fn bench_reports_every_measure() {
    let work = tmp("bench");
    let o = run(&[
        "bench",
        "--work",
        &path_str(&work),
        "--corpus-mb",
        "1",
        "--query-edges",
        "2000",
    ]);
    let out = stdout(&o);
    let _ = std::fs::remove_dir_all(&work);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("| ")).collect();
    // a Markdown table of three columns: measure, result, target
    assert!(rows.len() > 10, "{out}");
    for r in &rows {
        assert_eq!(r.matches('|').count(), 4, "a row of three cells: {r}");
    }
    let row = |prefix: &str| -> &str {
        rows.iter()
            .find(|r| r.starts_with(&format!("| {prefix}")))
            .unwrap_or_else(|| panic!("no row '{prefix}' in\n{out}"))
    };
    let corpus = row("corpus");
    assert!(
        number_before(corpus, " MB of text").is_some_and(|mb| mb >= 1.0),
        "{corpus}"
    );
    let positive = |r: &str, unit: &str| {
        assert!(
            number_before(r, unit).is_some_and(|v| v > 0.0),
            "no{unit} in {r}"
        );
    };
    positive(row("start-up"), " ms per process");
    let one = row("extraction, 1 thread");
    for unit in [" MB/s", " sentences/s", " edges/s"] {
        positive(one, unit);
    }
    let all = rows
        .iter()
        .find(|r| r.starts_with("| extraction, ") && r.contains(" threads |"))
        .unwrap_or_else(|| panic!("no all-cores extraction row in\n{out}"));
    assert!(all.contains("× one thread"), "{all}");
    for (what, size) in [
        ("extract", "small"),
        ("extract", "large"),
        ("ingest", "small"),
        ("ingest", "large"),
    ] {
        let r = rows
            .iter()
            .find(|r| r.starts_with(&format!("| {what} peak RSS")) && r.contains(size))
            .unwrap_or_else(|| panic!("no {what} RSS row ({size}) in\n{out}"));
        positive(r, " MiB");
    }
    let ingest = row("ingest (extract + write");
    for unit in [" documents/s", " quads/s"] {
        positive(ingest, unit);
    }
    let store = row("query store |");
    assert!(
        number_before(store, " edges").is_some_and(|n| n >= 2000.0),
        "{store}"
    );
    // optimize's own report (sizes before and after), not the measurement's
    let optimize = row("`actorgraph optimize`");
    assert!(
        optimize.contains(" MB -> ") && !optimize.contains("peak RSS"),
        "{optimize}"
    );
    // every example query, on the store as ingested and compacted, with its latency
    let queries = std::fs::read_dir(root().join("ontology/queries")).unwrap();
    let mut n = 0;
    for q in queries {
        let name = q.unwrap().file_name().to_string_lossy().into_owned();
        for state in ["as ingested", "compacted"] {
            let r = rows
                .iter()
                .find(|r| r.starts_with(&format!("| query {name} ")) && r.contains(state))
                .unwrap_or_else(|| panic!("no row for {name} ({state}) in\n{out}"));
            assert!(number_before(r, " ms (runs").is_some(), "{r}");
        }
        n += 1;
    }
    assert!(n >= 5, "the example queries");
}

/// A process asked for it reports its own peak RSS (the benchmark reads that instead of
/// `wait4`, which also counts the memory of the spawning process).
#[test]
fn peak_rss_is_reported_when_asked() {
    let with = std::process::Command::new(bin())
        .args(["rules", "check"])
        .current_dir(root())
        .env("ACTORGRAPH_REPORT_PEAK_RSS", "1")
        .output()
        .unwrap();
    let err = stderr(&with);
    let kib = err
        .lines()
        .find_map(|l| l.strip_prefix("actorgraph: peak RSS "))
        .and_then(|v| v.strip_suffix(" KiB"))
        .and_then(|v| v.parse::<u64>().ok());
    assert!(kib.is_some_and(|k| k > 1000), "{err}");
    let without = run(&["rules", "check"]);
    assert!(!stderr(&without).contains("peak RSS"));
}
