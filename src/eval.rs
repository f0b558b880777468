//! Scoring edges against a gold TSV — the same matching and numbers as `shared/eval/score.py`.

use crate::error::DataError;
use std::collections::HashMap;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

/// The scored columns of an edge.
#[derive(Debug, Clone, Default)]
pub struct EdgeRow {
    pub doc: String,
    pub sentence: String,
    pub source: String,
    pub source_country: String,
    pub relation: String,
    pub cameo: String,
    pub target: String,
    pub target_country: String,
    pub date: String,
    pub amount: String,
    pub negated: String,
}

impl From<&crate::extract::Edge> for EdgeRow {
    fn from(e: &crate::extract::Edge) -> Self {
        let r = crate::output::edge_row(e);
        EdgeRow {
            doc: r[0].clone(),
            sentence: r[1].clone(),
            source: r[2].clone(),
            source_country: r[3].clone(),
            relation: r[4].clone(),
            cameo: r[5].clone(),
            target: r[6].clone(),
            target_country: r[7].clone(),
            date: r[8].clone(),
            amount: r[9].clone(),
            negated: r[11].clone(),
        }
    }
}

/// A gold row.
#[derive(Debug, Clone, Default)]
pub struct Gold {
    pub id: String,
    pub tier: String,
    pub source: String,
    pub relation: String,
    pub target: String,
    pub directed: String,
    pub date: String,
    pub amount: String,
    pub evidence: String,
}

pub fn norm_text(s: &str) -> String {
    let s: String = s.nfkc().collect();
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{2032}' => out.push('\''),
            '\u{201c}' | '\u{201d}' => out.push('"'),
            '\u{2013}' | '\u{2014}' => out.push('-'),
            '\u{00a0}' => out.push(' '),
            _ => out.push(c),
        }
    }
    out.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub fn norm_name(s: &str) -> String {
    let t = norm_text(s);
    let t = match t.strip_prefix("the") {
        Some(rest) if rest.starts_with(char::is_whitespace) => rest.trim_start().to_string(),
        _ => t,
    };
    t.chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        .collect()
}

fn truthy(s: &str) -> bool {
    matches!(norm_text(s).as_str(), "true" | "1" | "yes" | "y" | "t")
}

fn actor_matches(spec: &str, label: &str, country: &str) -> bool {
    if spec == "*" {
        return true;
    }
    spec.split('|').any(|alt| {
        let alt = alt.trim();
        if let Some(code) = alt.strip_prefix('@') {
            norm_text(country).to_uppercase() == code.to_uppercase()
        } else {
            let n = norm_name(alt);
            !n.is_empty() && n == norm_name(label)
        }
    })
}

fn relation_matches(spec: &str, relation: &str, cameo: &str) -> bool {
    if spec == "*" {
        return true;
    }
    let code: String = cameo.chars().filter(|c| c.is_ascii_digit()).collect();
    spec.split('|').any(|alt| {
        let alt = alt.trim();
        if !alt.is_empty() && alt.chars().all(|c| c.is_ascii_digit()) {
            code.starts_with(alt)
        } else {
            norm_name(alt) == norm_name(relation)
        }
    })
}

/// Read a gold TSV (comment lines start with `#`; a header row names the columns).
pub fn load_gold(path: &Path) -> Result<Vec<Gold>, DataError> {
    let src = std::fs::read_to_string(path)
        .map_err(|e| DataError::new(path, 0, format!("cannot read: {e}")))?;
    let mut header: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (k, line) in src.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let Some(h) = &header else {
            let h: Vec<String> = cells.iter().map(|s| s.trim().to_string()).collect();
            for need in [
                "id", "tier", "source", "relation", "target", "directed", "date", "amount",
                "evidence",
            ] {
                if !h.iter().any(|c| c == need) {
                    return Err(DataError::new(
                        path,
                        k + 1,
                        format!("gold header lacks column {need:?}"),
                    ));
                }
            }
            header = Some(h);
            continue;
        };
        let get = |name: &str| -> String {
            h.iter()
                .position(|c| c == name)
                .and_then(|i| cells.get(i))
                .map(|s| s.to_string())
                .unwrap_or_default()
        };
        let g = Gold {
            id: get("id"),
            tier: get("tier"),
            source: get("source"),
            relation: get("relation"),
            target: get("target"),
            directed: get("directed"),
            date: get("date"),
            amount: get("amount"),
            evidence: get("evidence"),
        };
        if !matches!(g.tier.as_str(), "core" | "extra" | "absent") {
            return Err(DataError::new(
                path,
                k + 1,
                format!("tier {:?} is not core, extra or absent", g.tier),
            ));
        }
        rows.push(g);
    }
    Ok(rows)
}

/// Read an edges CSV (needs the scoring columns).
pub fn load_edges_csv(path: &Path) -> Result<Vec<EdgeRow>, DataError> {
    let mut rd = csv::Reader::from_path(path)
        .map_err(|e| DataError::new(path, 0, format!("cannot read: {e}")))?;
    let headers = rd
        .headers()
        .map_err(|e| DataError::new(path, 1, e.to_string()))?
        .clone();
    let required = [
        "doc",
        "sentence",
        "source",
        "source_country",
        "relation",
        "cameo",
        "target",
        "target_country",
        "date",
        "amount",
        "negated",
    ];
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == *c))
        .collect();
    if !missing.is_empty() {
        return Err(DataError::new(
            path,
            1,
            format!("lacks columns: {}", missing.join(", ")),
        ));
    }
    let idx: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h, i)).collect();
    let mut out = Vec::new();
    for (k, rec) in rd.records().enumerate() {
        let rec = rec.map_err(|e| DataError::new(path, k + 2, e.to_string()))?;
        let g = |c: &str| rec.get(idx[c]).unwrap_or("").to_string();
        out.push(EdgeRow {
            doc: g("doc"),
            sentence: g("sentence"),
            source: g("source"),
            source_country: g("source_country"),
            relation: g("relation"),
            cameo: g("cameo"),
            target: g("target"),
            target_country: g("target_country"),
            date: g("date"),
            amount: g("amount"),
            negated: g("negated"),
        });
    }
    Ok(out)
}

fn edge_matches(g: &Gold, e: &EdgeRow) -> bool {
    if !norm_text(&e.sentence).contains(&norm_text(&g.evidence)) {
        return false;
    }
    if !relation_matches(&g.relation, &e.relation, &e.cameo) {
        return false;
    }
    let fwd = actor_matches(&g.source, &e.source, &e.source_country)
        && actor_matches(&g.target, &e.target, &e.target_country);
    if fwd {
        return true;
    }
    if g.directed.trim().to_lowercase() == "no" {
        return actor_matches(&g.source, &e.target, &e.target_country)
            && actor_matches(&g.target, &e.source, &e.source_country);
    }
    false
}

fn amount_ok(g: &Gold, e: &EdgeRow) -> bool {
    let Ok(want) = g.amount.trim().parse::<f64>() else {
        return false;
    };
    let cleaned: String = e
        .amount
        .chars()
        .filter(|c| c.is_ascii_digit() || ".eE+-".contains(*c))
        .collect();
    let Ok(got) = cleaned.parse::<f64>() else {
        return false;
    };
    (got - want).abs() <= 0.01 * want
}

/// The score, as score.py computes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub core_found: usize,
    pub core_total: usize,
    pub extra_found: usize,
    pub extra_total: usize,
    pub edges: usize,
    pub edges_matching_gold: usize,
    pub precision: f64,
    pub attributes_right: usize,
    pub attributes_checked: usize,
    pub absent_violations: usize,
    /// `--show` lines.
    pub details: Vec<String>,
}

fn py_round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Python's repr of a float rounded to 3 places.
pub fn py_float(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0');
    if s.ends_with('.') {
        format!("{s}0")
    } else {
        s.to_string()
    }
}

fn trunc_chars(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

pub fn score(gold: &[Gold], edges: &[EdgeRow], doc_filter: Option<&str>) -> Score {
    let edges: Vec<&EdgeRow> = edges
        .iter()
        .filter(|e| doc_filter.is_none_or(|d| e.doc.contains(d)))
        .collect();
    let positive: Vec<&EdgeRow> = edges.into_iter().filter(|e| !truthy(&e.negated)).collect();
    let mut found: HashMap<&str, bool> = HashMap::new();
    let mut missed = Vec::new();
    let (mut attr_total, mut attr_ok) = (0, 0);
    for g in gold {
        if g.tier == "absent" {
            continue;
        }
        let hits: Vec<&&EdgeRow> = positive.iter().filter(|e| edge_matches(g, e)).collect();
        found.insert(&g.id, !hits.is_empty());
        if hits.is_empty() {
            missed.push(g);
            continue;
        }
        if !g.date.trim().is_empty() {
            attr_total += 1;
            attr_ok += hits.iter().any(|e| e.date.starts_with(g.date.as_str())) as usize;
        }
        if !g.amount.trim().is_empty() {
            attr_total += 1;
            attr_ok += hits.iter().any(|e| amount_ok(g, e)) as usize;
        }
    }
    let mut violations = Vec::new();
    for g in gold.iter().filter(|g| g.tier == "absent") {
        for e in &positive {
            if edge_matches(g, e) {
                violations.push((g, *e));
            }
        }
    }
    let wanted: Vec<&Gold> = gold.iter().filter(|g| g.tier != "absent").collect();
    let unmatched: Vec<&&EdgeRow> = positive
        .iter()
        .filter(|e| !wanted.iter().any(|g| edge_matches(g, e)))
        .collect();
    let recall = |tier: &str| {
        let ids: Vec<&Gold> = gold.iter().filter(|g| g.tier == tier).collect();
        (
            ids.iter()
                .filter(|g| found.get(g.id.as_str()).copied().unwrap_or(false))
                .count(),
            ids.len(),
        )
    };
    let core = recall("core");
    let extra = recall("extra");
    let tp = positive.len() - unmatched.len();
    let mut details = Vec::new();
    for g in &missed {
        details.push(format!(
            "MISSED {} {}: {} -{}-> {} | {}",
            g.id, g.tier, g.source, g.relation, g.target, g.evidence
        ));
    }
    for e in &unmatched {
        details.push(format!(
            "UNMATCHED {} -{}/{}-> {} | {}",
            e.source,
            e.relation,
            e.cameo,
            e.target,
            trunc_chars(&e.sentence, 120)
        ));
    }
    for (g, e) in &violations {
        details.push(format!(
            "VIOLATION {}: {} -{}/{}-> {} | {}",
            g.id, e.source, e.relation, e.cameo, e.target, g.evidence
        ));
    }
    Score {
        core_found: core.0,
        core_total: core.1,
        extra_found: extra.0,
        extra_total: extra.1,
        edges: positive.len(),
        edges_matching_gold: tp,
        precision: if positive.is_empty() {
            0.0
        } else {
            py_round3(tp as f64 / positive.len() as f64)
        },
        attributes_right: attr_ok,
        attributes_checked: attr_total,
        absent_violations: violations.len(),
        details,
    }
}

impl Score {
    /// The summary line, as score.py prints it.
    pub fn line(&self) -> String {
        format!(
            "core {}/{}  extra {}/{}  precision {} ({}/{})  attributes {}/{}  absent violations {}",
            self.core_found,
            self.core_total,
            self.extra_found,
            self.extra_total,
            py_float(self.precision),
            self.edges_matching_gold,
            self.edges,
            self.attributes_right,
            self.attributes_checked,
            self.absent_violations
        )
    }

    /// The `--json` object, as score.py prints it.
    pub fn json(&self) -> String {
        format!(
            "{{\"core_found\": {}, \"core_total\": {}, \"extra_found\": {}, \"extra_total\": {}, \"edges\": {}, \"edges_matching_gold\": {}, \"precision\": {}, \"attributes_right\": {}, \"attributes_checked\": {}, \"absent_violations\": {}}}",
            self.core_found,
            self.core_total,
            self.extra_found,
            self.extra_total,
            self.edges,
            self.edges_matching_gold,
            py_float(self.precision),
            self.attributes_right,
            self.attributes_checked,
            self.absent_violations
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_text_normalise_like_score_py() {
        assert_eq!(norm_name("The United States"), "unitedstates");
        assert_eq!(norm_name("Michael “Erik” Kurilla"), "michaelerikkurilla");
        assert_eq!(
            norm_text("India – Pakistan’s  arch-rival"),
            "india - pakistan's arch-rival"
        );
        assert_eq!(py_float(0.9), "0.9");
        assert_eq!(py_float(1.0), "1.0");
        assert_eq!(py_float(0.9166), "0.917");
    }

    #[test]
    fn matches_actor_specs() {
        assert!(actor_matches("@USA", "State Department", "USA"));
        assert!(actor_matches(
            "TTP|Pakistani Taliban",
            "the Pakistani Taliban",
            "PAK"
        ));
        assert!(!actor_matches("@PAK", "India", "IND"));
        assert!(relation_matches("18|19", "assault", "186"));
        assert!(relation_matches("rivalOf", "rivalOf", ""));
        assert!(!relation_matches("06", "provideAid", "073"));
    }
}
