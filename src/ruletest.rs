//! `actorgraph rules test`: run every rule's test sentences through the whole pipeline.

use crate::date::PartialDate;
use crate::eval::norm_name;
use crate::extract::{Edge, Engine};
use crate::input::Document;
use std::collections::BTreeMap;

/// The outcome of one test sentence.
#[derive(Debug, Clone)]
pub struct TestOutcome {
    pub rule: String,
    pub place: String,
    pub passed: bool,
    pub positive: bool,
    pub message: String,
}

fn actor_ok(spec: &str, e: &crate::extract::EdgeActor) -> bool {
    let spec = spec.trim();
    spec.split('|').any(|alt| {
        let alt = alt.trim();
        if let Some(c) = alt.strip_prefix('@') {
            e.country.eq_ignore_ascii_case(c)
        } else {
            norm_name(alt) == norm_name(&e.label) || alt == e.id
        }
    })
}

fn describe(e: &Edge) -> String {
    format!(
        "{} -{}{}-> {}{}",
        e.source.label,
        e.relation,
        if e.cameo.is_empty() {
            String::new()
        } else {
            format!("/{}", e.cameo)
        },
        e.target.label,
        if e.negated { " (negated)" } else { "" }
    )
}

/// Run all rule tests.
pub fn run(engine: &Engine) -> Vec<TestOutcome> {
    let mut out = Vec::new();
    for rule in &engine.rules {
        for (t, line) in &rule.tests {
            let doc = Document {
                id: t.from.clone(),
                text: t.text.clone(),
                date: t.date.as_deref().and_then(PartialDate::parse_iso),
                title: String::new(),
                url: String::new(),
            };
            let edges: Vec<Edge> = engine
                .extract(&doc)
                .edges
                .into_iter()
                .filter(|e| e.rule == rule.id)
                .collect();
            let place = format!("{}:{}", rule.file.display(), line);
            let expect = t.expect.trim();
            if expect == "none" {
                let bad: Vec<&Edge> = edges.iter().filter(|e| !e.negated).collect();
                out.push(TestOutcome {
                    rule: rule.id.clone(),
                    place,
                    passed: bad.is_empty(),
                    positive: false,
                    message: if bad.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "expected no edge, got {}",
                            bad.iter()
                                .map(|e| describe(e))
                                .collect::<Vec<_>>()
                                .join("; ")
                        )
                    },
                });
                continue;
            }
            let (s, g) = expect.split_once("->").unwrap_or((expect, ""));
            let hit = edges.iter().any(|e| {
                !e.negated
                    && ((actor_ok(s, &e.source) && actor_ok(g, &e.target))
                        || (e.symmetric && actor_ok(s, &e.target) && actor_ok(g, &e.source)))
            });
            out.push(TestOutcome {
                rule: rule.id.clone(),
                place,
                passed: hit,
                positive: true,
                message: if hit {
                    String::new()
                } else if edges.is_empty() {
                    format!("expected {expect}, the rule did not fire")
                } else {
                    format!(
                        "expected {expect}, got {}",
                        edges.iter().map(describe).collect::<Vec<_>>().join("; ")
                    )
                },
            });
        }
    }
    out
}

/// Counts per relation category: CAMEO root (2 digits) or structural relation name.
pub fn counts_by_category(
    engine: &Engine,
    outcomes: &[TestOutcome],
) -> BTreeMap<String, (usize, usize, usize)> {
    let mut m: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for o in outcomes {
        let Some(rule) = engine.rules.iter().find(|r| r.id == o.rule) else {
            continue;
        };
        let rt = &engine.ontology.relations[&rule.relation];
        let cat = match rule.cameo.clone().or_else(|| rt.cameo.clone()) {
            Some(c) if !rt.structural => {
                format!("{} {}", &c[..2.min(c.len())], root_name(engine, &c))
            }
            _ => rule.relation.clone(),
        };
        let e = m.entry(cat).or_default();
        if o.positive {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
        if !o.passed {
            e.2 += 1;
        }
    }
    m
}

fn root_name(engine: &Engine, code: &str) -> String {
    let root = &code[..2.min(code.len())];
    engine
        .ontology
        .relations
        .values()
        .find(|r| r.cameo.as_deref() == Some(root))
        .map(|r| r.name.clone())
        .unwrap_or_default()
}
