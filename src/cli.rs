//! The command line: each subcommand is a thin layer over the library.

use crate::date::PartialDate;
use crate::eval;
use crate::extract::{default_ontology_dir, Edge, Engine};
use crate::input::read_inputs;
use crate::output::{write_jsonl, CsvEdges};
use anyhow::{anyhow, bail, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "actorgraph",
    version,
    about = "Turn international-affairs news into a knowledge graph of actor relationships"
)]
pub struct Cli {
    /// Ontology directory (actors, rules, cues). Default: $ACTORGRAPH_ONTOLOGY, ./ontology, or the built-in one.
    #[arg(long, global = true)]
    pub ontology: Option<PathBuf>,
    /// More actor dictionaries: gazetteer TOML files/directories or PETRARCH/Phoenix actor files.
    #[arg(long = "actors", global = true)]
    pub actors: Vec<PathBuf>,
    #[command(subcommand)]
    pub cmd: Cmd,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum EdgeFormat {
    Csv,
    Jsonl,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum QueryFormat {
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
    /// N-Triples (graph results)
    Ntriples,
    /// Turtle (graph results)
    Turtle,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Extract edges from text files, directories, JSONL or `-` (stdin) and write them to stdout.
    Extract {
        #[arg(required = true)]
        paths: Vec<String>,
        #[arg(long, value_enum, default_value = "csv")]
        format: EdgeFormat,
        /// Document date (YYYY-MM-DD) for resolving "last year", "this month", weekdays.
        #[arg(long)]
        date: Option<String>,
        /// Use all cores (output order stays the input order).
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
    },
    /// Extract from PATHs (or read --csv) and score against a gold TSV like shared/eval/score.py.
    Eval {
        gold: PathBuf,
        paths: Vec<String>,
        /// Score this edges CSV instead of extracting.
        #[arg(long)]
        csv: Option<PathBuf>,
        #[arg(long)]
        date: Option<String>,
        /// Only edges whose doc contains this string.
        #[arg(long)]
        doc: Option<String>,
        /// List missed gold rows, unmatched edges and trap violations.
        #[arg(long)]
        show: bool,
        #[arg(long)]
        json: bool,
    },
    /// Show how text is read: each sentence, its actor mentions (with role) and its edges.
    Explain {
        #[arg(required = true)]
        paths: Vec<String>,
        #[arg(long)]
        date: Option<String>,
        /// Only sentences containing this text.
        #[arg(long)]
        grep: Option<String>,
    },
    /// Extract and store documents in the on-disk graph (unchanged documents are skipped).
    Ingest {
        #[arg(required = true)]
        paths: Vec<String>,
        /// Store directory (default: $ACTORGRAPH_STORE or ./actorgraph-store).
        #[arg(long)]
        store: Option<PathBuf>,
        #[arg(long)]
        date: Option<String>,
        /// Documents extracted per round.
        #[arg(long, default_value_t = 64)]
        batch: usize,
        /// Quads gathered before one atomic write to the store.
        #[arg(long, default_value_t = crate::ingest::WRITE_UNIT_QUADS)]
        write_unit: usize,
        /// Extraction threads (default: all cores).
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
    },
    /// Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the store.
    Query {
        /// The query text (or use -f FILE).
        sparql: Option<String>,
        #[arg(short = 'f', long = "file")]
        file: Option<PathBuf>,
        #[arg(long)]
        store: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: QueryFormat,
    },
    /// Remove a document (by id) from the store.
    Remove {
        #[arg(required = true)]
        docs: Vec<String>,
        #[arg(long)]
        store: Option<PathBuf>,
    },
    /// Compact the store on disk (merge the files ingests leave, drop replaced data): run it
    /// after a large ingest; queries then read fewer files and start faster.
    Optimize {
        #[arg(long)]
        store: Option<PathBuf>,
    },
    /// Counts of documents, sentences, edges by relation and actors by type.
    Stats {
        #[arg(long)]
        store: Option<PathBuf>,
    },
    /// Export the store: Graphviz DOT, spreadsheet CSV, RDF dumps, GraphML.
    Export {
        #[command(subcommand)]
        what: ExportCmd,
    },
    /// The main job: ingest PATHs, then write graph.dot, graph.svg, edges.csv, actors.csv and
    /// graph.ttl into the output directory.
    Build {
        #[arg(required = true)]
        paths: Vec<String>,
        #[arg(long)]
        store: Option<PathBuf>,
        /// Output directory.
        #[arg(long, default_value = "exports")]
        out: PathBuf,
        #[arg(long)]
        date: Option<String>,
    },
    /// Measure extraction, start-up, ingest, memory and query latency on a corpus built from
    /// real news; print a Markdown table.
    Bench {
        /// Working directory for corpora and stores.
        #[arg(long, default_value = "target/bench")]
        work: PathBuf,
        /// Size of the large corpus in MB (the small one is a fifth).
        #[arg(long, default_value_t = 50)]
        corpus_mb: usize,
        /// Texts to build the corpus from (JSONL, .txt, SATP .tsv). Default: ../shared/corpus.
        #[arg(long = "source")]
        sources: Vec<PathBuf>,
        /// Edges in the store for the query benchmark (0 skips it).
        #[arg(long, default_value_t = 1_000_000)]
        query_edges: usize,
        /// Seconds after which a benchmark query is stopped.
        #[arg(long, default_value_t = 60)]
        query_limit: u64,
    },
    /// Check and test the rule and gazetteer files.
    Rules {
        #[command(subcommand)]
        cmd: RulesCmd,
    },
}

#[derive(clap::Args, Debug, Clone)]
pub struct GraphFilterArgs {
    /// Only edges touching this actor (label or id); repeatable.
    #[arg(long = "actor", id = "actor")]
    pub actor_names: Vec<String>,
    /// Only this relation type or its sub-types (e.g. rivalOf, materialCooperation, 19); repeatable.
    #[arg(long = "relation", id = "relation")]
    pub relations: Vec<String>,
    #[arg(long)]
    pub since: Option<String>,
    #[arg(long)]
    pub until: Option<String>,
    /// Also draw negated edges (dotted).
    #[arg(long)]
    pub include_negated: bool,
}

#[derive(Subcommand, Debug)]
pub enum ExportCmd {
    /// Graphviz DOT of the actor graph.
    Dot {
        #[arg(long)]
        store: Option<PathBuf>,
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        filter: GraphFilterArgs,
    },
    /// edges.csv and actors.csv for spreadsheets.
    Csv {
        #[arg(long)]
        store: Option<PathBuf>,
        #[arg(short = 'o', long, default_value = ".")]
        output: PathBuf,
    },
    /// The whole store as RDF.
    Rdf {
        #[arg(long)]
        store: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "turtle")]
        format: crate::export::RdfDump,
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
    },
    /// GraphML for Gephi and yEd.
    Graphml {
        #[arg(long)]
        store: Option<PathBuf>,
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        filter: GraphFilterArgs,
    },
}

impl GraphFilterArgs {
    fn to_filter(&self) -> Result<crate::export::Filter> {
        Ok(crate::export::Filter {
            actors: self.actor_names.clone(),
            relations: self.relations.clone(),
            since: parse_date(&self.since)?,
            until: parse_date(&self.until)?,
            include_negated: self.include_negated,
        })
    }
}

fn output_writer(path: &Option<PathBuf>) -> Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).map_err(|e| anyhow!("{}: {e}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    })
}

/// Write the main job's files into `out` from the store.
pub fn write_build_outputs(
    engine: &Engine,
    gs: &crate::store::GraphStore,
    out: &std::path::Path,
) -> Result<Vec<String>> {
    use crate::export::*;
    std::fs::create_dir_all(out).map_err(|e| anyhow!("{}: {e}", out.display()))?;
    let edges = gs.edges(&engine.ontology)?;
    let mut notes = Vec::new();
    let g = build_graph(&edges, &engine.ontology, &Filter::default());
    let dot = out.join("graph.dot");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&dot)?);
    write_dot(&g, &mut w)?;
    w.flush()?;
    drop(w);
    if render_svg(&dot, &out.join("graph.svg"))? {
        notes.push("graph.svg".to_string());
    } else {
        notes.push(
            "graph.svg skipped: Graphviz `dot` is not installed (apt-get install graphviz)"
                .to_string(),
        );
    }
    write_edges_csv(&edges, std::fs::File::create(out.join("edges.csv"))?)?;
    write_actors_csv(gs, &edges, std::fs::File::create(out.join("actors.csv"))?)?;
    let mut w = std::io::BufWriter::new(std::fs::File::create(out.join("graph.ttl"))?);
    write_rdf(gs, RdfDump::Turtle, &mut w)?;
    w.flush()?;
    notes.insert(
        0,
        format!(
            "{} edges, {} actors in the graph",
            edges.len(),
            g.node_count()
        ),
    );
    Ok(notes)
}

#[derive(Subcommand, Debug)]
pub enum RulesCmd {
    /// Lint rules and gazetteer: unknown relation types, duplicate ids, aliases claimed twice, bad patterns.
    Check,
    /// Time every rule over a corpus: where extraction spends its time, and what fires.
    Profile {
        #[arg(required = true)]
        paths: Vec<String>,
    },
    /// Run every rule's test sentences; print counts per CAMEO category and structural relation.
    Test {
        /// Print every test, not only failures.
        #[arg(long, short)]
        verbose: bool,
    },
}

fn parse_date(d: &Option<String>) -> Result<Option<PartialDate>> {
    match d {
        None => Ok(None),
        Some(s) => PartialDate::parse_iso(s)
            .map(Some)
            .ok_or_else(|| anyhow!("--date {s:?}: want YYYY-MM-DD")),
    }
}

/// `--store`, else `$ACTORGRAPH_STORE`, else `./actorgraph-store`.
fn store_path(store: &Option<PathBuf>) -> PathBuf {
    store
        .clone()
        .unwrap_or_else(crate::store::default_store_path)
}

fn all_cores() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

fn load_engine(cli: &Cli) -> Result<Engine> {
    let dir = cli.ontology.clone().unwrap_or_else(default_ontology_dir);
    Engine::load(&dir, &cli.actors).map_err(|errs| anyhow!("{}", crate::error::DataErrors(errs)))
}

/// Extract edges from inputs; problems go to stderr. Returns (edges in input order, problems).
pub fn extract_all(
    engine: &Engine,
    paths: &[String],
    date: Option<PartialDate>,
    jobs: usize,
    mut on_edges: impl FnMut(Vec<Edge>) -> Result<()>,
) -> Result<usize> {
    let mut problems = 0;
    let mut batch = Vec::new();
    let mut err: Option<anyhow::Error> = None;
    let flush = |batch: &mut Vec<crate::input::Document>,
                 on_edges: &mut dyn FnMut(Vec<Edge>) -> Result<()>|
     -> Result<()> {
        let results: Vec<Vec<Edge>> = if jobs > 1 {
            use rayon::prelude::*;
            batch.par_iter().map(|d| engine.extract(d).edges).collect()
        } else {
            batch.iter().map(|d| engine.extract(d).edges).collect()
        };
        batch.clear();
        for r in results {
            on_edges(r)?;
        }
        Ok(())
    };
    read_inputs(paths, date, |r| {
        if err.is_some() {
            return;
        }
        match r {
            Ok(doc) => {
                batch.push(doc);
                if batch.len() >= 64 * jobs.max(1) {
                    if let Err(e) = flush(&mut batch, &mut on_edges) {
                        err = Some(e);
                    }
                }
            }
            Err(p) => {
                eprintln!("actorgraph: {p}");
                problems += 1;
            }
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    flush(&mut batch, &mut on_edges)?;
    Ok(problems)
}

/// Run the CLI; returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    let result = run_command(cli);
    crate::bench::report_peak_rss();
    result
}

fn run_command(cli: Cli) -> Result<i32> {
    match &cli.cmd {
        Cmd::Extract {
            paths,
            format,
            date,
            jobs,
        } => {
            let engine = load_engine(&cli)?;
            let date = parse_date(date)?;
            let jobs = jobs.unwrap_or(1);
            if jobs > 1 {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(jobs)
                    .build_global()
                    .ok();
            }
            let stdout = std::io::stdout();
            let out = std::io::BufWriter::new(stdout.lock());
            let problems = match format {
                EdgeFormat::Csv => {
                    let mut w = CsvEdges::new(out)?;
                    let p = extract_all(&engine, paths, date, jobs, |edges| {
                        for e in &edges {
                            w.write(e)?;
                        }
                        Ok(())
                    })?;
                    w.flush()?;
                    p
                }
                EdgeFormat::Jsonl => {
                    let mut out = out;
                    let p = extract_all(&engine, paths, date, jobs, |edges| {
                        for e in &edges {
                            write_jsonl(&mut out, e)?;
                        }
                        Ok(())
                    })?;
                    out.flush()?;
                    p
                }
            };
            if problems > 0 {
                eprintln!("actorgraph: {problems} input problem(s); the rest was processed");
                return Ok(1);
            }
            Ok(0)
        }
        Cmd::Eval {
            gold,
            paths,
            csv,
            date,
            doc,
            show,
            json,
        } => {
            let gold_rows = eval::load_gold(gold)?;
            let (rows, problems) = if let Some(c) = csv {
                (eval::load_edges_csv(c)?, 0)
            } else {
                if paths.is_empty() {
                    bail!("give PATHs to extract from, or --csv EDGES.csv");
                }
                let engine = load_engine(&cli)?;
                let mut rows = Vec::new();
                let p = extract_all(&engine, paths, parse_date(date)?, 1, |edges| {
                    rows.extend(edges.iter().map(eval::EdgeRow::from));
                    Ok(())
                })?;
                (rows, p)
            };
            let s = eval::score(&gold_rows, &rows, doc.as_deref());
            if *show {
                for d in &s.details {
                    println!("{d}");
                }
            }
            if *json {
                println!("{}", s.json());
            } else {
                println!("{}", s.line());
            }
            Ok(if problems > 0 { 1 } else { 0 })
        }
        Cmd::Explain { paths, date, grep } => {
            let engine = load_engine(&cli)?;
            let mut problems = 0;
            read_inputs(paths, parse_date(date)?, |r| match r {
                Ok(doc) => print!(
                    "{}",
                    crate::extract::explain(&engine, &doc, grep.as_deref())
                ),
                Err(p) => {
                    eprintln!("actorgraph: {p}");
                    problems += 1;
                }
            });
            Ok(if problems > 0 { 1 } else { 0 })
        }
        Cmd::Ingest {
            paths,
            store,
            date,
            batch,
            write_unit,
            jobs,
        } => {
            let engine = load_engine(&cli)?;
            let path = store_path(store);
            let gs = crate::store::GraphStore::open(&path)?;
            let jobs = jobs.unwrap_or_else(all_cores);
            rayon::ThreadPoolBuilder::new()
                .num_threads(jobs)
                .build_global()
                .ok();
            let report = crate::ingest::ingest(
                &engine,
                &gs,
                &cli.actors,
                paths,
                parse_date(date)?,
                (*batch).max(1),
                jobs,
                (*write_unit).max(1),
            )?;
            eprintln!("{}", report.summary(&path));
            Ok(if report.problems > 0 { 1 } else { 0 })
        }
        Cmd::Query {
            sparql,
            file,
            store,
            format,
        } => {
            let text = match (sparql, file) {
                (Some(q), None) => q.clone(),
                (None, Some(f)) => {
                    std::fs::read_to_string(f).map_err(|e| anyhow!("{}: {e}", f.display()))?
                }
                (None, None) => bail!("give a query, or -f FILE.rq"),
                (Some(_), Some(_)) => bail!("give either a query or -f FILE, not both"),
            };
            let path = store_path(store);
            let gs = crate::store::GraphStore::open_existing(&path)?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            crate::query::run_query(&gs, &text, *format, &mut out)?;
            out.flush()?;
            Ok(0)
        }
        Cmd::Remove { docs, store } => {
            let path = store_path(store);
            let gs = crate::store::GraphStore::open_writable(&path)?;
            let mut missing = 0;
            for d in docs {
                if gs.remove_doc(d)? {
                    eprintln!("removed {d}");
                } else {
                    eprintln!("actorgraph: no document {d:?} in {}", path.display());
                    missing += 1;
                }
            }
            Ok(if missing > 0 { 1 } else { 0 })
        }
        Cmd::Optimize { store } => {
            let path = store_path(store);
            let gs = crate::store::GraphStore::open_writable(&path)?;
            let t0 = std::time::Instant::now();
            let (before, after) = gs.optimize(&path)?;
            eprintln!(
                "optimized {}: {:.1} MB -> {:.1} MB on disk in {:.1} s",
                path.display(),
                before as f64 / 1e6,
                after as f64 / 1e6,
                t0.elapsed().as_secs_f64()
            );
            Ok(0)
        }
        Cmd::Stats { store } => {
            let path = store_path(store);
            let gs = crate::store::GraphStore::open_existing(&path)?;
            let st = gs.stats()?;
            println!("documents  {}", st.documents);
            println!("sentences  {} (with edges)", st.sentences);
            println!("edges      {}", st.edges);
            println!("quads      {}", st.quads);
            println!("\nedges by relation");
            for (k, n) in &st.edges_by_relation {
                println!("  {k:<44} {n:>8}");
            }
            println!("\nactors by type");
            for (k, n) in &st.actors_by_type {
                println!("  {k:<44} {n:>8}");
            }
            Ok(0)
        }
        Cmd::Export { what } => {
            let open =
                |s: &Option<PathBuf>| crate::store::GraphStore::open_existing(&store_path(s));
            match what {
                ExportCmd::Dot {
                    store,
                    output,
                    filter,
                }
                | ExportCmd::Graphml {
                    store,
                    output,
                    filter,
                } => {
                    let engine = load_engine(&cli)?;
                    let gs = open(store)?;
                    let g = crate::export::build_graph(
                        &gs.edges(&engine.ontology)?,
                        &engine.ontology,
                        &filter.to_filter()?,
                    );
                    let mut w = output_writer(output)?;
                    if matches!(what, ExportCmd::Dot { .. }) {
                        crate::export::write_dot(&g, &mut w)?;
                    } else {
                        crate::export::write_graphml(&g, &mut w)?;
                    }
                    w.flush()?;
                }
                ExportCmd::Csv { store, output } => {
                    let engine = load_engine(&cli)?;
                    let gs = open(store)?;
                    std::fs::create_dir_all(output)?;
                    let edges = gs.edges(&engine.ontology)?;
                    crate::export::write_edges_csv(
                        &edges,
                        std::fs::File::create(output.join("edges.csv"))?,
                    )?;
                    crate::export::write_actors_csv(
                        &gs,
                        &edges,
                        std::fs::File::create(output.join("actors.csv"))?,
                    )?;
                    eprintln!(
                        "wrote {} and {} ({} edges)",
                        output.join("edges.csv").display(),
                        output.join("actors.csv").display(),
                        edges.len()
                    );
                }
                ExportCmd::Rdf {
                    store,
                    format,
                    output,
                } => {
                    let gs = open(store)?;
                    let mut w = output_writer(output)?;
                    crate::export::write_rdf(&gs, *format, &mut w)?;
                    w.flush()?;
                }
            }
            Ok(0)
        }
        Cmd::Build {
            paths,
            store,
            out,
            date,
        } => {
            let engine = load_engine(&cli)?;
            let path = store_path(store);
            let gs = crate::store::GraphStore::open(&path)?;
            let jobs = all_cores();
            let report = crate::ingest::ingest(
                &engine,
                &gs,
                &cli.actors,
                paths,
                parse_date(date)?,
                64,
                jobs,
                crate::ingest::WRITE_UNIT_QUADS,
            )?;
            eprintln!("{}", report.summary(&path));
            let notes = write_build_outputs(&engine, &gs, out)?;
            eprintln!(
                "wrote {}: graph.dot, edges.csv, actors.csv, graph.ttl; {}",
                out.display(),
                notes.join("; ")
            );
            Ok(if report.problems > 0 { 1 } else { 0 })
        }
        Cmd::Bench {
            work,
            corpus_mb,
            sources,
            query_edges,
            query_limit,
        } => {
            let engine = load_engine(&cli)?;
            let sources = if sources.is_empty() {
                let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
                let mut v = vec![shared.join("voa/voa_stories.jsonl")];
                for f in ["train", "dev", "test"] {
                    v.push(shared.join(format!("satp/{f}.tsv")));
                }
                v
            } else {
                sources.clone()
            };
            let opt = crate::bench::BenchOptions {
                work: work.clone(),
                corpus_mb: *corpus_mb,
                sources,
                query_edges: *query_edges,
                exe: std::env::current_exe()?,
                ontology: cli.ontology.clone(),
                query_limit_s: *query_limit,
            };
            let rows = crate::bench::run(&engine, &opt)?;
            println!("{}", crate::bench::table(&rows));
            Ok(0)
        }
        Cmd::Rules {
            cmd: RulesCmd::Check,
        } => {
            let dir = cli.ontology.clone().unwrap_or_else(default_ontology_dir);
            let engine = match Engine::load(&dir, &cli.actors) {
                Ok(e) => e,
                Err(errs) => {
                    for e in &errs {
                        println!("{e}");
                    }
                    println!("{} problem(s)", errs.len());
                    return Ok(1);
                }
            };
            let mut problems = engine.gazetteer.warnings.clone();
            problems.extend(crate::rules::lint_rules(&engine.rules));
            for p in &problems {
                println!("{p}");
            }
            println!(
                "{} rules, {} actors, {} aliases, {} relation types: {} problem(s)",
                engine.rules.len(),
                engine.gazetteer.len(),
                engine.gazetteer.alias_count(),
                engine.ontology.relations.len(),
                problems.len()
            );
            Ok(if problems.is_empty() { 0 } else { 1 })
        }
        Cmd::Rules {
            cmd: RulesCmd::Profile { paths },
        } => {
            let mut engine = load_engine(&cli)?;
            engine.rule_profile = Some(std::sync::Mutex::new(vec![
                Default::default();
                engine.rules.len()
            ]));
            let t0 = std::time::Instant::now();
            let problems = extract_all(&engine, paths, None, 1, |_| Ok(()))?;
            let total = t0.elapsed();
            let prof = engine.rule_profile.take().unwrap().into_inner().unwrap();
            let mut rows: Vec<(usize, &(std::time::Duration, usize, usize))> =
                prof.iter().enumerate().collect();
            rows.sort_by_key(|r| std::cmp::Reverse(r.1 .0));
            println!(
                "{:<40} {:>10} {:>10} {:>8}",
                "rule", "ms", "sentences", "matches"
            );
            for (i, (d, n, m)) in rows {
                println!(
                    "{:<40} {:>10.1} {:>10} {:>8}",
                    engine.rules[i].id,
                    d.as_secs_f64() * 1000.0,
                    n,
                    m
                );
            }
            println!("total extraction {:.1} ms", total.as_secs_f64() * 1000.0);
            Ok(if problems > 0 { 1 } else { 0 })
        }
        Cmd::Rules {
            cmd: RulesCmd::Test { verbose },
        } => {
            let engine = load_engine(&cli)?;
            let outcomes = crate::ruletest::run(&engine);
            for o in &outcomes {
                if !o.passed {
                    println!("FAIL {} {} {}", o.place, o.rule, o.message);
                } else if *verbose {
                    println!("ok   {} {}", o.place, o.rule);
                }
            }
            println!(
                "{:<42} {:>8} {:>8} {:>6}",
                "category", "positive", "negative", "failed"
            );
            for (cat, (p, n, f)) in crate::ruletest::counts_by_category(&engine, &outcomes) {
                println!("{cat:<42} {p:>8} {n:>8} {f:>6}");
            }
            let failed = outcomes.iter().filter(|o| !o.passed).count();
            println!(
                "rules test: {} passed, {} failed",
                outcomes.len() - failed,
                failed
            );
            Ok(if failed == 0 { 0 } else { 1 })
        }
    }
}
