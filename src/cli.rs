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
#[command(name = "actorgraph", version, about = "Turn international-affairs news into a knowledge graph of actor relationships")]
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
    /// Check and test the rule and gazetteer files.
    Rules {
        #[command(subcommand)]
        cmd: RulesCmd,
    },
}

#[derive(Subcommand, Debug)]
pub enum RulesCmd {
    /// Lint rules and gazetteer: unknown relation types, duplicate ids, aliases claimed twice, bad patterns.
    Check,
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
        Some(s) => PartialDate::parse_iso(s).map(Some).ok_or_else(|| anyhow!("--date {s:?}: want YYYY-MM-DD")),
    }
}

fn load_engine(cli: &Cli) -> Result<Engine> {
    let dir = cli.ontology.clone().unwrap_or_else(default_ontology_dir);
    Engine::load(&dir, &cli.actors).map_err(|errs| anyhow!("{}", crate::error::DataErrors(errs)))
}

/// Extract edges from inputs; problems go to stderr. Returns (edges in input order, problems).
pub fn extract_all(engine: &Engine, paths: &[String], date: Option<PartialDate>, jobs: usize, mut on_edges: impl FnMut(Vec<Edge>) -> Result<()>) -> Result<usize> {
    let mut problems = 0;
    let mut batch = Vec::new();
    let mut err: Option<anyhow::Error> = None;
    let flush = |batch: &mut Vec<crate::input::Document>, on_edges: &mut dyn FnMut(Vec<Edge>) -> Result<()>| -> Result<()> {
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
    match &cli.cmd {
        Cmd::Extract { paths, format, date, jobs } => {
            let engine = load_engine(&cli)?;
            let date = parse_date(date)?;
            let jobs = jobs.unwrap_or(1);
            if jobs > 1 {
                rayon::ThreadPoolBuilder::new().num_threads(jobs).build_global().ok();
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
        Cmd::Eval { gold, paths, csv, date, doc, show, json } => {
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
                Ok(doc) => print!("{}", crate::extract::explain(&engine, &doc, grep.as_deref())),
                Err(p) => {
                    eprintln!("actorgraph: {p}");
                    problems += 1;
                }
            });
            Ok(if problems > 0 { 1 } else { 0 })
        }
        Cmd::Rules { cmd: RulesCmd::Check } => {
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
        Cmd::Rules { cmd: RulesCmd::Test { verbose } } => {
            let engine = load_engine(&cli)?;
            let outcomes = crate::ruletest::run(&engine);
            for o in &outcomes {
                if !o.passed {
                    println!("FAIL {} {} {}", o.place, o.rule, o.message);
                } else if *verbose {
                    println!("ok   {} {}", o.place, o.rule);
                }
            }
            println!("{:<42} {:>8} {:>8} {:>6}", "category", "positive", "negative", "failed");
            for (cat, (p, n, f)) in crate::ruletest::counts_by_category(&engine, &outcomes) {
                println!("{cat:<42} {p:>8} {n:>8} {f:>6}");
            }
            let failed = outcomes.iter().filter(|o| !o.passed).count();
            println!("rules test: {} passed, {} failed", outcomes.len() - failed, failed);
            Ok(if failed == 0 { 0 } else { 1 })
        }
    }
}
