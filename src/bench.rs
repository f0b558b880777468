//! `actorgraph bench`: build a corpus from real news, measure extraction, start-up, ingest, memory
//! and query latency, and print a results table (see the README for the numbers).

use crate::extract::Engine;
use crate::input::{read_inputs, Document};
use anyhow::{anyhow, bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Settings of a benchmark run.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Where the corpora and stores go.
    pub work: PathBuf,
    /// Size of the large corpus in MB (the small one is a fifth of it).
    pub corpus_mb: usize,
    /// Inputs to build the corpus from (JSONL, text, SATP-style TSV); default ../shared/corpus.
    pub sources: Vec<PathBuf>,
    /// Edges in the query-latency store (0 skips the query benchmark).
    pub query_edges: usize,
    /// The actorgraph binary to run for process-level measurements.
    pub exe: PathBuf,
    pub ontology: Option<PathBuf>,
    /// Seconds after which a query is stopped.
    pub query_limit_s: u64,
}

/// Texts to repeat: (id, text, date).
fn source_texts(sources: &[PathBuf]) -> Result<Vec<(String, String, Option<String>)>> {
    let mut out = Vec::new();
    for s in sources {
        // JSONL, text, and SATP .tsv (one incident a row, the text first)
        read_inputs(&[s.display().to_string()], None, |r| {
            if let Ok(d) = r {
                out.push((d.id, d.text, d.date.map(|x| x.to_string())));
            }
        });
    }
    if out.is_empty() {
        bail!("no texts in the benchmark sources");
    }
    Ok(out)
}

/// Write a JSONL corpus of at least `bytes` of text, repeating the sources with distinct ids.
pub fn build_corpus(sources: &[PathBuf], bytes: usize, path: &Path) -> Result<(usize, usize)> {
    let texts = source_texts(sources)?;
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    let (mut total, mut docs, mut round) = (0usize, 0usize, 0usize);
    while total < bytes {
        for (id, text, date) in &texts {
            let mut v = serde_json::json!({"id": format!("{id}~{round}"), "text": text});
            if let Some(d) = date {
                v["date"] = serde_json::Value::String(d.clone());
            }
            serde_json::to_writer(&mut w, &v)?;
            w.write_all(b"\n")?;
            total += text.len();
            docs += 1;
        }
        round += 1;
    }
    w.flush()?;
    Ok((total, docs))
}

/// With this variable set, `actorgraph` ends by writing its own peak RSS to stderr
/// (`report_peak_rss`).
const PEAK_RSS_ENV: &str = "ACTORGRAPH_REPORT_PEAK_RSS";
const PEAK_RSS_LINE: &str = "actorgraph: peak RSS ";

/// Write this process's peak resident set (`VmHWM` of /proc/self/status) to stderr when
/// `PEAK_RSS_ENV` is set. The benchmark reads it: a child's `ru_maxrss` from `wait4` also counts
/// the memory of the process that spawned it (Linux keeps the larger of the address space
/// replaced at exec and the new one), which made the benchmark's own engine look like the
/// child's.
pub fn report_peak_rss() {
    if std::env::var_os(PEAK_RSS_ENV).is_none() {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(kib) = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    {
        eprintln!("{PEAK_RSS_LINE}{kib} KiB");
    }
}

/// Run a child process; returns (wall time, peak RSS in KiB, stderr). The peak is the child's
/// own report (`report_peak_rss`), else `wait4`'s `ru_maxrss`.
fn run_measured(exe: &Path, args: &[String]) -> Result<(Duration, u64, String)> {
    let t0 = Instant::now();
    let child = Command::new(exe)
        .args(args)
        .env(PEAK_RSS_ENV, "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("running {}", exe.display()))?;
    let pid = child.id() as libc::pid_t;
    let mut stderr = child.stderr.expect("piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain data; wait4 fills it for this child only.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    let wall = t0.elapsed();
    let err = reader.join().unwrap_or_default();
    if r < 0 {
        bail!("wait4 failed for {}", exe.display());
    }
    if !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) > 1 {
        bail!("{} {} failed: {err}", exe.display(), args.join(" "));
    }
    // the report line is the measurement's, not the command's output
    let (report, rest): (Vec<&str>, Vec<&str>) =
        err.lines().partition(|l| l.starts_with(PEAK_RSS_LINE));
    let own = report.first().and_then(|l| {
        l.strip_prefix(PEAK_RSS_LINE)?
            .strip_suffix(" KiB")?
            .parse::<u64>()
            .ok()
    });
    Ok((wall, own.unwrap_or(ru.ru_maxrss as u64), rest.join("\n")))
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// One result row.
pub struct Row {
    pub what: String,
    pub value: String,
    pub target: String,
}

/// Run the whole benchmark; returns the table rows.
pub fn run(engine: &Engine, opt: &BenchOptions) -> Result<Vec<Row>> {
    std::fs::create_dir_all(&opt.work)?;
    let mut rows = Vec::new();
    let ont_args: Vec<String> = opt
        .ontology
        .iter()
        .flat_map(|o| ["--ontology".to_string(), o.display().to_string()])
        .collect();
    let big = opt.work.join(format!("corpus-{}mb.jsonl", opt.corpus_mb));
    let small_mb = (opt.corpus_mb / 5).max(1);
    let small = opt.work.join(format!("corpus-{small_mb}mb.jsonl"));
    eprintln!("bench: building corpora in {}", opt.work.display());
    let (big_bytes, big_docs) = build_corpus(&opt.sources, opt.corpus_mb * 1_000_000, &big)?;
    let (small_bytes, _) = build_corpus(&opt.sources, small_mb * 1_000_000, &small)?;
    rows.push(Row {
        what: "corpus".into(),
        value: format!(
            "{:.1} MB of text, {} documents (VOA + SATP, repeated with distinct ids)",
            mb(big_bytes),
            big_docs
        ),
        target: String::new(),
    });

    // start-up: load the full gazetteer and rules, in this process and as a fresh process
    let t0 = Instant::now();
    let dir = engine.dir.clone();
    let loaded = Engine::load(&dir, &[]).map_err(|e| anyhow!("{}", crate::error::DataErrors(e)))?;
    let load_ms = t0.elapsed().as_secs_f64() * 1000.0;
    drop(loaded);
    let tiny = opt.work.join("tiny.txt");
    std::fs::write(
        &tiny,
        "India is maneuvering itself to enter into a de facto alliance with the United States.\n",
    )?;
    let mut starts = Vec::new();
    for _ in 0..5 {
        let mut args = ont_args.clone();
        args.extend(["extract".to_string(), tiny.display().to_string()]);
        starts.push(run_measured(&opt.exe, &args)?.0.as_secs_f64() * 1000.0);
    }
    rows.push(Row {
        what: "start-up (full gazetteer + rules)".into(),
        value: format!("{:.0} ms per process (median of 5; loading alone {:.0} ms, {} actors, {} aliases, {} rules)", median(starts), load_ms, engine.gazetteer.len(), engine.gazetteer.alias_count(), engine.rules.len()),
        target: "≤ 200 ms".into(),
    });

    // extraction throughput, in process
    let mut docs: Vec<Document> = Vec::with_capacity(big_docs);
    read_inputs(&[big.display().to_string()], None, |r| {
        if let Ok(d) = r {
            docs.push(d);
        }
    });
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let measure = |threads: usize| -> Result<(f64, usize, usize)> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()?;
        let t0 = Instant::now();
        let (s, e) = pool.install(|| {
            use rayon::prelude::*;
            docs.par_iter()
                .map(|d| {
                    let r = engine.extract(d);
                    (r.sentences.len(), r.edges.len())
                })
                .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
        });
        Ok((t0.elapsed().as_secs_f64(), s, e))
    };
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    // three rounds, one thread and all cores in turn (a slow moment of the machine does not
    // fall on one side only); the median of each
    let (mut ones, mut alls) = (Vec::new(), Vec::new());
    let (mut sents, mut edges) = (0, 0);
    for _ in 0..3 {
        let (t, s, e) = measure(1)?;
        (sents, edges) = (s, e);
        ones.push(t);
        alls.push(measure(cores)?.0);
    }
    let spread = |v: &[f64]| {
        let (lo, hi) = v
            .iter()
            .fold((f64::MAX, 0f64), |(l, h), &x| (l.min(x), h.max(x)));
        format!("median of 3 runs of {lo:.2}–{hi:.2} s")
    };
    let (t1, tn) = (median(ones.clone()), median(alls.clone()));
    rows.push(Row {
        what: "extraction, 1 thread".into(),
        value: format!(
            "{:.1} MB/s, {:.0} sentences/s, {:.0} edges/s ({} sentences, {} edges in {:.2} s, {})",
            mb(bytes) / t1,
            sents as f64 / t1,
            edges as f64 / t1,
            sents,
            edges,
            t1,
            spread(&ones)
        ),
        target: "≥ 20 MB/s".into(),
    });
    rows.push(Row {
        what: format!("extraction, {cores} threads"),
        value: format!(
            "{:.1} MB/s, {:.0} sentences/s, {:.0} edges/s ({:.2}× one thread; {})",
            mb(bytes) / tn,
            sents as f64 / tn,
            edges as f64 / tn,
            t1 / tn,
            spread(&alls)
        ),
        target: "≥ 1.7× one thread".into(),
    });
    drop(docs);

    // memory of extract and ingest at two corpus sizes, ingest throughput (fresh processes)
    for (label, path, bytes) in [("small", &small, small_bytes), ("large", &big, big_bytes)] {
        let mut args = ont_args.clone();
        args.extend(["extract".to_string(), path.display().to_string()]);
        let (_, rss, _) = run_measured(&opt.exe, &args)?;
        rows.push(Row {
            what: format!("extract peak RSS, {:.0} MB corpus ({label})", mb(bytes)),
            value: format!("{:.0} MiB", rss as f64 / 1024.0),
            target: "flat with corpus size".into(),
        });
    }
    for (label, path, bytes) in [("small", &small, small_bytes), ("large", &big, big_bytes)] {
        let store = opt.work.join(format!("store-{label}"));
        let _ = std::fs::remove_dir_all(&store);
        let mut args = ont_args.clone();
        args.extend([
            "ingest".to_string(),
            "--store".to_string(),
            store.display().to_string(),
            path.display().to_string(),
        ]);
        let (wall, rss, err) = run_measured(&opt.exe, &args)?;
        let quads = number_before(&err, " quads written").unwrap_or(0);
        let ndocs = number_before(&err, " documents (").unwrap_or(0);
        rows.push(Row {
            what: format!("ingest peak RSS, {:.0} MB corpus ({label})", mb(bytes)),
            value: format!("{:.0} MiB", rss as f64 / 1024.0),
            target: "< 1 GiB at 50 MB".into(),
        });
        if label == "large" {
            let s = wall.as_secs_f64();
            rows.push(Row {
                what: "ingest (extract + write, on disk)".into(),
                value: format!("{:.0} documents/s, {:.0} quads/s ({ndocs} documents, {quads} quads in {s:.1} s)", ndocs as f64 / s, quads as f64 / s),
                target: "≥ 100,000 quads/s".into(),
            });
        }
    }

    if opt.query_edges > 0 {
        rows.extend(query_bench(engine, opt, &ont_args)?);
    }
    Ok(rows)
}

/// The number written right before the first occurrence of `marker` that has one.
fn number_before(s: &str, marker: &str) -> Option<usize> {
    s.match_indices(marker).find_map(|(i, _)| {
        let head = &s[..i];
        let start = head
            .rfind(|c: char| !c.is_ascii_digit())
            .map(|p| p + 1)
            .unwrap_or(0);
        head[start..].parse().ok()
    })
}

/// A store of at least `query_edges` edges from edge-bearing sentences of the corpus, then the
/// latency of every example query.
fn query_bench(engine: &Engine, opt: &BenchOptions, ont_args: &[String]) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    // sentences that yield edges
    let texts = source_texts(&opt.sources)?;
    let mut sentences = Vec::new();
    let mut per_pass = 0;
    for (id, text, date) in &texts {
        let d = Document {
            id: id.clone(),
            text: text.clone(),
            date: date
                .as_deref()
                .and_then(crate::date::PartialDate::parse_iso),
            title: String::new(),
            url: String::new(),
        };
        let r = engine.extract(&d);
        let mut seen = std::collections::HashSet::new();
        for e in &r.edges {
            if seen.insert(e.sentence_index) {
                sentences.push(e.sentence.clone());
            }
        }
        per_pass += r.edges.len();
    }
    if per_pass == 0 {
        bail!("the corpus yields no edges");
    }
    // documents of 200 such sentences, repeated until the edge target is reached
    let path = opt.work.join("dense.jsonl");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path)?);
    let edges_per_sentence = per_pass as f64 / sentences.len() as f64;
    // 5% over: sentences read in a new document context yield slightly different edges
    let needed_sentences = (opt.query_edges as f64 * 1.05 / edges_per_sentence).ceil() as usize;
    let mut written = 0;
    let mut k = 0;
    while written < needed_sentences {
        let chunk: Vec<&str> = sentences
            .iter()
            .cycle()
            .skip(k * 7)
            .take(200)
            .map(|s| s.as_str())
            .collect();
        let v = serde_json::json!({"id": format!("dense-{k}"), "text": chunk.join("\n\n")});
        serde_json::to_writer(&mut w, &v)?;
        w.write_all(b"\n")?;
        written += chunk.len();
        k += 1;
    }
    w.flush()?;
    let store = opt.work.join("store-queries");
    let marker = store.join("actorgraph-bench-edges");
    // the marker holds the edge count and the engine fingerprint: a store made by another engine
    // or ontology (another RDF layout, other rules) is rebuilt
    let fingerprint = crate::store::engine_fingerprint(engine, &[]);
    let marker_text = std::fs::read_to_string(&marker).unwrap_or_default();
    let mut parts = marker_text.split_whitespace();
    let have: usize = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
    let same_engine = parts.next() == Some(fingerprint.as_str());
    if have >= opt.query_edges && same_engine {
        rows.push(Row {
            what: "query store".into(),
            value: format!("{have} edges (reused from an earlier run)"),
            target: "≥ 1M edges".into(),
        });
    } else {
        let _ = std::fs::remove_dir_all(&store);
        let mut args = ont_args.to_vec();
        args.extend([
            "ingest".to_string(),
            "--store".to_string(),
            store.display().to_string(),
            path.display().to_string(),
        ]);
        eprintln!("bench: ingesting the query store ({k} documents)");
        let (wall, rss, err) = run_measured(&opt.exe, &args)?;
        let edges = number_before(&err, " edges,").unwrap_or(0);
        let quads = number_before(&err, " quads written").unwrap_or(0);
        std::fs::write(&marker, format!("{edges} {fingerprint}\n"))?;
        rows.push(Row {
            what: "query store".into(),
            value: format!(
                "{edges} edges, {quads} quads, ingested in {:.0} s ({:.0} quads/s, peak {:.0} MiB)",
                wall.as_secs_f64(),
                quads as f64 / wall.as_secs_f64(),
                rss as f64 / 1024.0
            ),
            target: "≥ 1M edges".into(),
        });
    }
    // a store as ingested is a pile of overlapping bulk-loaded files: measure the queries on it,
    // then compact it (`actorgraph optimize`, what the README asks after a large ingest) and
    // measure again
    let optimized = marker_text.split_whitespace().nth(2) == Some("optimized")
        && have >= opt.query_edges
        && same_engine;
    if !optimized {
        rows.extend(time_queries(engine, opt, &store, "as ingested")?);
        let args = vec![
            "optimize".to_string(),
            "--store".into(),
            store.display().to_string(),
        ];
        eprintln!("bench: compacting the query store (actorgraph optimize)");
        let (wall, rss, err) = run_measured(&opt.exe, &args)?;
        rows.push(Row {
            what: "`actorgraph optimize` of the query store".into(),
            value: format!(
                "{:.0} s, peak {:.0} MiB ({})",
                wall.as_secs_f64(),
                rss as f64 / 1024.0,
                err.trim().rsplit(": ").next().unwrap_or("")
            ),
            target: String::new(),
        });
        let text = std::fs::read_to_string(&marker)?;
        std::fs::write(&marker, format!("{} optimized\n", text.trim()))?;
    }
    rows.extend(time_queries(engine, opt, &store, "compacted")?);
    Ok(rows)
}

/// Start-up, then every example query in fresh processes and in process, on `store`.
fn time_queries(
    engine: &Engine,
    opt: &BenchOptions,
    store: &Path,
    state: &str,
) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    // what every query process pays before evaluating: start-up and opening the store
    let mut starts = Vec::new();
    for _ in 0..5 {
        let args = vec![
            "query".to_string(),
            "ASK {}".into(),
            "--store".into(),
            store.display().to_string(),
        ];
        if let Some(d) = run_with_limit(&opt.exe, &args, Duration::from_secs(opt.query_limit_s))? {
            starts.push(d.as_secs_f64() * 1000.0);
        }
    }
    if !starts.is_empty() {
        rows.push(Row {
            what: format!("query process start-up + store open (`query 'ASK {{}}'`), {state}"),
            value: format!(
                "{:.0} ms (median of {})",
                median(starts.clone()),
                starts.len()
            ),
            target: String::new(),
        });
    }
    let mut queries: Vec<PathBuf> = std::fs::read_dir(engine.dir.join("queries"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rq"))
        .collect();
    queries.sort();
    let mut timed = Vec::new();
    for q in &queries {
        // each query in a fresh process, stopped at the time limit; more (warm) runs when quick
        let mut times: Vec<f64> = Vec::new();
        let mut timed_out = false;
        for run in 0..3 {
            let args = vec![
                "query".to_string(),
                "-f".into(),
                q.display().to_string(),
                "--store".into(),
                store.display().to_string(),
                "--format".into(),
                "csv".into(),
            ];
            match run_with_limit(&opt.exe, &args, Duration::from_secs(opt.query_limit_s))? {
                Some(d) => times.push(d.as_secs_f64() * 1000.0),
                None => {
                    timed_out = true;
                    break;
                }
            }
            if run == 0 && times[0] > 10_000.0 {
                break;
            }
        }
        timed.push((q, times, timed_out));
    }
    // the query proper: evaluation and CSV serialisation in this process, on an open store
    let t0 = Instant::now();
    let gs = crate::store::GraphStore::open_existing(store)?;
    let open_ms = t0.elapsed().as_secs_f64() * 1000.0;
    for (q, times, timed_out) in timed {
        let proper = if timed_out || times.iter().all(|t| *t > 10_000.0) {
            None
        } else {
            let text = std::fs::read_to_string(q).with_context(|| format!("{}", q.display()))?;
            let mut best = f64::MAX;
            for _ in 0..3 {
                let t0 = Instant::now();
                crate::query::run_query(
                    &gs,
                    &text,
                    crate::cli::QueryFormat::Csv,
                    &mut std::io::sink(),
                )?;
                best = best.min(t0.elapsed().as_secs_f64() * 1000.0);
            }
            Some(best)
        };
        let value = if timed_out {
            format!("> {} s (stopped)", opt.query_limit_s)
        } else {
            let best = times.iter().cloned().fold(f64::MAX, f64::min);
            format!(
                "{best:.0} ms (runs: {}){}",
                times
                    .iter()
                    .map(|t| format!("{t:.0}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                proper
                    .map(|p| format!("; query proper {p:.1} ms"))
                    .unwrap_or_default()
            )
        };
        rows.push(Row {
            what: format!(
                "query {} on the store {state} (process wall time; query proper = evaluation + CSV in process, best of 3)",
                q.file_name().unwrap_or_default().to_string_lossy()
            ),
            value,
            target: "< 50 ms".into(),
        });
    }
    rows.push(Row {
        what: format!("query store open, in process (read-only), {state}"),
        value: format!("{open_ms:.0} ms"),
        target: String::new(),
    });
    Ok(rows)
}

/// Run a child with a wall-clock limit; `None` if it had to be stopped.
fn run_with_limit(exe: &Path, args: &[String], limit: Duration) -> Result<Option<Duration>> {
    let t0 = Instant::now();
    let mut child = Command::new(exe)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    loop {
        if let Some(st) = child.try_wait()? {
            if !st.success() {
                bail!("{} {} failed", exe.display(), args.join(" "));
            }
            return Ok(Some(t0.elapsed()));
        }
        if t0.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The results as a Markdown table.
pub fn table(rows: &[Row]) -> String {
    let mut s = String::from("| measure | result | target |\n|---|---|---|\n");
    for r in rows {
        s.push_str(&format!("| {} | {} | {} |\n", r.what, r.value, r.target));
    }
    s
}
