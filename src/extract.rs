//! Edges: the engine that runs text → actors → rules over a document and builds typed,
//! attributed, traceable edges (negation, modality, date, amount, object, provenance).

use crate::actors::{join_tokens, DocActors, Lexicon, Mention, MentionKind, Recognizer};
use crate::attrs::{find_dates, find_money, DateExpr, Money};
use crate::date::PartialDate;
use crate::error::DataError;
use crate::gazetteer::{Actor, Gazetteer};
use crate::input::Document;
use crate::ontology::{Agents, Cues, Ontology};
use crate::rules::{load_rules, Rule, SentenceView};
use crate::text::{sentences, Sentence, TextConfig, Words};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Everything loaded from `ontology/`.
pub struct Engine {
    pub ontology: Ontology,
    pub gazetteer: Gazetteer,
    pub agents: Agents,
    pub cues: Cues,
    pub rules: Vec<Rule>,
    /// The numbered words of the rules.
    pub vocab: crate::rules::Vocab,
    /// The rules filed under their trigger words.
    pub rule_index: crate::rules::RuleIndex,
    pub text: TextConfig,
    pub lexicon: Lexicon,
    pub dir: PathBuf,
    /// When set, the time and match count of each rule are collected here (`rules profile`).
    pub rule_profile: Option<std::sync::Mutex<Vec<(std::time::Duration, usize, usize)>>>,
}

/// Where the ontology lives: `--ontology`, `$ACTORGRAPH_ONTOLOGY`, `./ontology`, or the one this
/// binary was built with.
pub fn default_ontology_dir() -> PathBuf {
    if let Ok(p) = std::env::var("ACTORGRAPH_ONTOLOGY") {
        return PathBuf::from(p);
    }
    let local = PathBuf::from("ontology");
    if local.join("actorgraph.ttl").exists() {
        return local;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ontology")
}

impl Engine {
    /// Load the ontology directory; `extra_actors` are more gazetteer files (TOML or Phoenix).
    pub fn load(dir: &Path, extra_actors: &[PathBuf]) -> Result<Engine, Vec<DataError>> {
        let one = |e: DataError| vec![e];
        let ontology = Ontology::load(&dir.join("actorgraph.ttl")).map_err(one)?;
        let cues = Cues::load(&dir.join("cues.toml")).map_err(one)?;
        let abbrevs: crate::text::Abbreviations = cues
            .text
            .abbreviations
            .iter()
            .map(|s| s.to_lowercase())
            .collect();
        let boilerplate = cues
            .text
            .boilerplate
            .iter()
            .map(|b| regex::Regex::new(b).expect("checked on load"))
            .collect();
        let agents = Agents::load(&dir.join("agents.toml"), &ontology.actor_types).map_err(one)?;
        let mut gazetteer = Gazetteer::default();
        gazetteer
            .load_path(&dir.join("actors"), &ontology.actor_types, &abbrevs)
            .map_err(one)?;
        for p in extra_actors {
            if crate::phoenix::looks_like_phoenix(p) {
                crate::phoenix::load(&mut gazetteer, p, &abbrevs).map_err(one)?;
            } else {
                gazetteer
                    .load_path(p, &ontology.actor_types, &abbrevs)
                    .map_err(one)?;
            }
        }
        gazetteer.finish();
        gazetteer.check_parents(&dir.join("actors"));
        let (rules, mut vocab) = load_rules(&dir.join("rules"), &ontology)?;
        let rule_index = crate::rules::RuleIndex::new(&rules, &vocab);
        let mut words = Words::default();
        let mut lexicon = Lexicon::new(&agents, &cues, &abbrevs, &mut words);
        gazetteer.number_words(&mut words);
        lexicon.index_mention_starts(&gazetteer, &words);
        vocab.number_words(&mut words);
        let text = TextConfig {
            abbreviations: abbrevs,
            boilerplate,
            words,
        };
        Ok(Engine {
            ontology,
            gazetteer,
            agents,
            cues,
            rules,
            vocab,
            rule_index,
            text,
            lexicon,
            dir: dir.to_path_buf(),
            rule_profile: None,
        })
    }
}

/// How sure the text is of an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Modality {
    Asserted,
    Pledged,
    ClaimedByReports,
    Hypothetical,
}

impl Modality {
    pub fn as_str(&self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Pledged => "pledged",
            Modality::ClaimedByReports => "claimed-by-reports",
            Modality::Hypothetical => "hypothetical",
        }
    }
}

/// One extracted edge occurrence with its provenance.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    pub doc: String,
    pub sentence: String,
    /// Index of the sentence in the document (0-based, prose sentences only).
    pub sentence_index: usize,
    /// Character offsets of the sentence in the document.
    pub sentence_start: usize,
    pub sentence_end: usize,
    pub source: EdgeActor,
    pub target: EdgeActor,
    pub relation: String,
    pub cameo: String,
    pub quad_class: String,
    pub structural: bool,
    pub symmetric: bool,
    pub date: Option<PartialDate>,
    pub amount: Option<f64>,
    pub currency: String,
    pub object: String,
    pub negated: bool,
    pub modality: Modality,
    pub rule: String,
    pub confidence: f32,
    /// Character offsets of the matched text.
    pub match_start: usize,
    pub match_end: usize,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct EdgeActor {
    pub id: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub country: String,
    pub parent: String,
    pub wikidata: String,
}

impl From<&EdgeActor> for Actor {
    fn from(a: &EdgeActor) -> Self {
        Actor {
            id: a.id.clone(),
            label: a.label.clone(),
            kind: a.kind.clone(),
            country: a.country.clone(),
            parent: a.parent.clone(),
            wikidata: a.wikidata.clone(),
            aliases: vec![],
            confidence: 1.0,
        }
    }
}

impl From<&Actor> for EdgeActor {
    fn from(a: &Actor) -> Self {
        EdgeActor {
            id: a.id.clone(),
            label: a.label.clone(),
            kind: a.kind.clone(),
            country: a.country.clone(),
            parent: a.parent.clone(),
            wikidata: a.wikidata.clone(),
        }
    }
}

/// The result of reading one document.
#[derive(Debug, Clone, Default)]
pub struct DocResult {
    pub edges: Vec<Edge>,
    pub sentences: Vec<(usize, usize, String)>,
    pub actors: Vec<Actor>,
}

struct Pending {
    edge: Edge,
    src: usize,
    tgt: usize,
}

impl Engine {
    /// Extract the edges of a document.
    pub fn extract(&self, doc: &Document) -> DocResult {
        let rec = Recognizer::new(&self.gazetteer, &self.agents, &self.lexicon);
        let mut actors = DocActors::default();
        let mut pending: Vec<Pending> = Vec::new();
        let sents = sentences(&doc.text, &self.text);
        let mut sent_out = Vec::with_capacity(sents.len());
        for (si, s) in sents.iter().enumerate() {
            sent_out.push((s.cstart, s.cend, s.text(&doc.text).to_string()));
            let dates = find_dates(&s.tokens, doc.date.as_ref());
            // an alias's validity is checked against the date the sentence states, else the document's
            let ref_date = dates.first().map(|d| d.date).or(doc.date);
            let mentions = rec.mentions(&s.tokens, ref_date.as_ref(), &mut actors);
            let first_new = pending.len();
            self.title_edges(
                doc,
                si,
                s,
                &mentions,
                ref_date.as_ref(),
                &mut actors,
                &mut pending,
            );
            if mentions.len() < 2 {
                dedupe(&mut pending, first_new, &actors);
                continue;
            }
            let money = find_money(&s.tokens, &self.cues.money);
            self.match_sentence(
                doc,
                si,
                s,
                &mentions,
                &dates,
                &money,
                &mut actors,
                &mut pending,
            );
            dedupe(&mut pending, first_new, &actors);
        }
        // persons take their country from the body they lead or belong to
        for p in &pending {
            if (p.edge.relation == "leaderOf" || p.edge.relation == "memberOf")
                && actors.actors[p.src].kind == "Person"
                && actors.actors[p.src].country.is_empty()
            {
                let c = actors.actors[p.tgt].country.clone();
                actors.actors[p.src].country = c;
            }
        }
        let edges = pending
            .into_iter()
            .map(|mut p| {
                p.edge.source = EdgeActor::from(&actors.actors[p.src]);
                p.edge.target = EdgeActor::from(&actors.actors[p.tgt]);
                p.edge
            })
            .collect();
        DocResult {
            edges,
            sentences: sent_out,
            actors: actors.actors,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn match_sentence(
        &self,
        doc: &Document,
        si: usize,
        s: &Sentence,
        mentions: &[Mention],
        dates: &[DateExpr],
        money: &[Money],
        actors: &mut DocActors,
        pending: &mut Vec<Pending>,
    ) {
        let toks = &s.tokens;
        let types: Vec<&str> = mentions
            .iter()
            .map(|m| actors.actors[m.actor].kind.as_str())
            .collect();
        let money_spans: Vec<(usize, usize)> = money.iter().map(|m| (m.start, m.end)).collect();
        let date_spans: Vec<(usize, usize)> = dates.iter().map(|d| (d.start, d.end)).collect();
        let view = SentenceView::new(
            toks,
            mentions,
            &types,
            &money_spans,
            &date_spans,
            &self.vocab,
        );
        let sentence_text = s.text(&doc.text).to_string();
        for ri in self.rule_index.candidates(&view.present) {
            let rule = &self.rules[ri];
            let t0 = self
                .rule_profile
                .as_ref()
                .map(|_| std::time::Instant::now());
            if self.rule_index.inexact[ri] && !rule.pattern.may_match(&view) {
                if let (Some(p), Some(t0)) = (&self.rule_profile, t0) {
                    p.lock().unwrap()[ri].0 += t0.elapsed();
                }
                continue;
            }
            let found = rule.pattern.find(&view);
            if let (Some(p), Some(t0)) = (&self.rule_profile, t0) {
                let mut p = p.lock().unwrap();
                p[ri].0 += t0.elapsed();
                p[ri].1 += 1;
                p[ri].2 += found.len();
            }
            // "tariffs on Mexico, Canada and China": an edge for each conjunct
            let expanded: Vec<(crate::rules::Match, usize, usize)> = found
                .into_iter()
                .flat_map(|m| {
                    let (lists, modifiers) = (&self.cues.lists, &self.agents.title_modifiers);
                    let srcs = conjuncts(toks, mentions, m.src, lists, modifiers);
                    let tgts = conjuncts(toks, mentions, m.tgt, lists, modifiers);
                    if srcs.contains(&m.tgt) {
                        // source and target coordinated ("WFP and the ministry"): only a pattern
                        // with a word of its own between them ("@src and @tgt clashed") relates them
                        let (a, b) = (mentions[m.src].end, mentions[m.tgt].start);
                        let (lo, hi) = if a <= b {
                            (a, b)
                        } else {
                            (mentions[m.tgt].end, mentions[m.src].start)
                        };
                        return if m.words.iter().any(|&w| lo <= w && w < hi) {
                            vec![(m.clone(), m.src, m.tgt)]
                        } else {
                            vec![]
                        };
                    }
                    let mut v = Vec::new();
                    for &a in &srcs {
                        for &b in &tgts {
                            v.push((m.clone(), a, b));
                        }
                    }
                    v
                })
                .collect();
            for (m, src_i, tgt_i) in expanded {
                let (ms, mt) = (&mentions[src_i], &mentions[tgt_i]);
                if ms.actor == mt.actor || actors.actors[ms.actor].id == actors.actors[mt.actor].id
                {
                    continue;
                }
                let rt = &self.ontology.relations[&rule.relation];
                let negated = self.negated(toks, &m, mentions);
                let modality = self.modality(toks, m.start, m.end);
                let date = nearest(
                    dates.iter().map(|d| (d.start, d.end, d.date)),
                    m.start,
                    m.end,
                    40,
                );
                let amount = nearest(
                    money
                        .iter()
                        .map(|x| (x.start, x.end, (x.value, x.currency.clone()))),
                    m.start,
                    m.end,
                    10,
                );
                let object = m
                    .obj
                    .map(|(a, b)| object_text(&toks[a..b]))
                    .unwrap_or_default();
                let confidence =
                    (rule.confidence * ms.confidence.min(mt.confidence) * 100.0).round() / 100.0;
                let (src, tgt) = (ms.actor, mt.actor);
                let edge = Edge {
                    doc: doc.id.clone(),
                    sentence: sentence_text.clone(),
                    sentence_index: si,
                    sentence_start: s.cstart,
                    sentence_end: s.cend,
                    source: EdgeActor::from(&actors.actors[src]),
                    target: EdgeActor::from(&actors.actors[tgt]),
                    relation: rule.relation.clone(),
                    cameo: rule
                        .cameo
                        .clone()
                        .or_else(|| rt.cameo.clone())
                        .unwrap_or_default(),
                    quad_class: rt.quad.clone().unwrap_or_default(),
                    structural: rt.structural,
                    symmetric: rule.symmetric,
                    date,
                    amount: amount.as_ref().map(|a| a.0),
                    currency: amount.map(|a| a.1).unwrap_or_default(),
                    object,
                    negated,
                    modality,
                    rule: rule.id.clone(),
                    confidence,
                    match_start: toks[m.start].cstart,
                    match_end: toks[m.end.max(m.start + 1) - 1].cend,
                };
                pending.push(Pending { edge, src, tgt });
            }
        }
    }

    /// Titled persons with a leader title lead the country named before the title, or the
    /// country of their gazetteer role with that title: "Russian President Vladimir Putin".
    #[allow(clippy::too_many_arguments)]
    fn title_edges(
        &self,
        doc: &Document,
        si: usize,
        s: &Sentence,
        mentions: &[Mention],
        date: Option<&PartialDate>,
        actors: &mut DocActors,
        pending: &mut Vec<Pending>,
    ) {
        for m in mentions {
            let Some((title, country)) = &m.title else {
                continue;
            };
            // a leader title leads the country or body named before it (membership under other
            // titles is left to the rules: analysts do not code every "U.S. Secretary X")
            if !self.agents.leader_titles.contains(&title.to_lowercase()) {
                continue;
            }
            let relation = "leaderOf";
            let Some(rt) = self.ontology.relations.get(relation) else {
                continue;
            };
            let target = match country {
                Some(c) => Some(*c),
                None => {
                    // a gazetteer person whose role with this title names the country
                    let person = &actors.actors[m.actor];
                    let gi = self.gazetteer.by_id.get(&person.id).copied();
                    gi.and_then(|gi| {
                        self.gazetteer
                            .roles
                            .iter()
                            .find(|(p, t, _, v)| {
                                *p == gi && t.eq_ignore_ascii_case(title) && v.valid_at(date)
                            })
                            .and_then(|(_, _, of, _)| self.gazetteer.by_id.get(of).copied())
                    })
                    .map(|ci| actors.from_gazetteer(&self.gazetteer, ci))
                }
            };
            let Some(tgt) = target else { continue };
            if actors.actors[tgt].id == actors.actors[m.actor].id {
                continue;
            }
            let toks = &s.tokens;
            let edge = Edge {
                doc: doc.id.clone(),
                sentence: s.text(&doc.text).to_string(),
                sentence_index: si,
                sentence_start: s.cstart,
                sentence_end: s.cend,
                source: EdgeActor::from(&actors.actors[m.actor]),
                target: EdgeActor::from(&actors.actors[tgt]),
                relation: relation.into(),
                cameo: String::new(),
                quad_class: String::new(),
                structural: rt.structural,
                symmetric: false,
                date: None,
                amount: None,
                currency: String::new(),
                object: title.clone(),
                negated: false,
                modality: Modality::Asserted,
                rule: format!("title.{relation}"),
                confidence: (0.85 * m.confidence * 100.0).round() / 100.0,
                match_start: toks[m.start].cstart,
                match_end: toks[m.end - 1].cend,
            };
            pending.push(Pending {
                edge,
                src: m.actor,
                tgt,
            });
        }
    }

    /// A negation cue inside the match, or shortly before it in the same clause.
    /// A negation cue inside the match, or shortly before it in the same clause when the match
    /// does not start with its subject. A rule's own trigger words ("refused", "denied") are not
    /// cues for it.
    fn negated(
        &self,
        toks: &[crate::text::Token],
        m: &crate::rules::Match,
        mentions: &[Mention],
    ) -> bool {
        let starts_with_actor =
            mentions[m.src].start == m.start || mentions[m.tgt].start == m.start;
        let mut lo = m.start;
        if !starts_with_actor {
            let from = m.start.saturating_sub(self.cues.negation.window_before);
            lo = from;
            for k in (from..m.start).rev() {
                if matches!(&*toks[k].text, "," | ";" | "--" | ":") {
                    lo = k + 1;
                    break;
                }
            }
        }
        (lo..m.end).any(|k| {
            !m.words.contains(&k)
                && self
                    .cues
                    .negation
                    .words
                    .iter()
                    .any(|w| w == toks[k].lower())
        })
    }

    fn modality(&self, toks: &[crate::text::Token], start: usize, end: usize) -> Modality {
        // a capitalised cue inside the sentence is a name ("since May"), not a modal
        let has = |list: &Vec<String>, range: std::ops::Range<usize>| {
            range.into_iter().any(|k| {
                list.iter().any(|w| w == toks[k].lower()) && (k == 0 || !toks[k].is_capitalised())
            })
        };
        let before = start.saturating_sub(8)..end;
        if has(&self.cues.modality.claimed, 0..end) {
            Modality::ClaimedByReports
        } else if has(&self.cues.modality.hypothetical, before.clone()) {
            Modality::Hypothetical
        } else if has(&self.cues.modality.pledged, before) {
            Modality::Pledged
        } else {
            Modality::Asserted
        }
    }
}

/// A mention and the mentions coordinated with it ("Mexico, Canada and China"): neighbours
/// separated only by commas, conjunctions and fillers (`[lists]` in `cues.toml`), in a list that
/// has a conjunction (a comma alone is an apposition or a clause boundary, not a list).
fn conjuncts(
    toks: &[crate::text::Token],
    mentions: &[Mention],
    k: usize,
    lists: &crate::ontology::ListCues,
    modifiers: &rustc_hash::FxHashSet<String>,
) -> Vec<usize> {
    let has = |set: &[String], w: &str| set.iter().any(|x| x == w);
    // 0 = no join, 1 = comma join, 2 = conjunction join, 3 = continuer join (the list goes on:
    // "the United States, along with Britain and France,")
    let join = |a: usize, b: usize| -> u8 {
        let (e, s) = (mentions[a].end, mentions[b].start);
        if s < e || s - e > 4 || s == e {
            return 0;
        }
        let between = &toks[e..s];
        if between.first().is_some_and(|t| t.text == ",") {
            let words = between
                .iter()
                .map(|t| t.lower())
                .filter(|&w| w != "," && !has(&lists.fillers, w));
            if lists
                .continuers
                .iter()
                .any(|c| c.split_whitespace().eq(words.clone()))
            {
                return 3;
            }
        }
        if s - e > 3 {
            return 0;
        }
        let conjunction = |t: &&crate::text::Token| has(&lists.conjunctions, t.lower());
        if !between.iter().all(|t| {
            t.text == ","
                || conjunction(&t)
                || has(&lists.fillers, t.lower())
                || modifiers.contains(t.lower())
        }) {
            return 0;
        }
        if between.iter().any(|t| conjunction(&t)) {
            2
        } else if between.iter().any(|t| t.text == ",") {
            1
        } else {
            0
        }
    };
    let ok = |j: usize| mentions[j].kind != MentionKind::Pronoun;
    let mut chain = vec![k];
    let mut has_and = false;
    let mut cur = k;
    while let Some(next) =
        (cur + 1..mentions.len()).find(|&j| mentions[j].start >= mentions[cur].end)
    {
        let j = join(cur, next);
        if j == 0 || !ok(next) {
            break;
        }
        has_and |= j >= 2;
        chain.push(next);
        cur = next;
        if j == 2 {
            break; // "A, B and C": the list ends at its "and"
        }
    }
    let mut cur = k;
    while let Some(prev) = (0..cur)
        .rev()
        .find(|&j| mentions[j].end <= mentions[cur].start)
    {
        let j = join(prev, cur);
        if j == 0 || !ok(prev) {
            break;
        }
        has_and |= j >= 2;
        chain.push(prev);
        cur = prev;
    }
    if has_and {
        chain
    } else {
        vec![k]
    }
}

/// The attribute inside the match, else the nearest one within `reach` tokens.
fn nearest<T: Clone>(
    items: impl Iterator<Item = (usize, usize, T)>,
    start: usize,
    end: usize,
    reach: usize,
) -> Option<T> {
    let mut best: Option<(usize, T)> = None;
    for (s, e, v) in items {
        let dist = if s >= start && e <= end {
            0
        } else if s >= end {
            s - end + 1
        } else if e <= start {
            start - e + 1
        } else {
            0
        };
        if dist <= reach && best.as_ref().is_none_or(|(d, _)| dist < *d) {
            best = Some((dist, v));
        }
    }
    best.map(|(_, v)| v)
}

fn object_text(toks: &[crate::text::Token]) -> String {
    // a parenthesised acronym names the object best: "... Agreement (CIS-MOA)"
    if let Some(open) = toks.iter().position(|t| t.text == "(") {
        if let Some(close) = toks[open..].iter().position(|t| t.text == ")") {
            if close > 1 {
                return join_tokens(&toks[open + 1..open + close]);
            }
        }
    }
    let mut s = 0;
    while s < toks.len() && matches!(toks[s].lower(), "the" | "a" | "an" | "its" | "their" | "'s") {
        s += 1;
    }
    join_tokens(&toks[s..])
}

/// One edge per (sentence, source, target, relation): the most confident rule wins. Symmetric
/// relations are one edge whichever way they were found.
fn dedupe(pending: &mut Vec<Pending>, from: usize, actors: &DocActors) {
    let mut keep: Vec<Pending> = Vec::new();
    for p in pending.drain(from..) {
        let key = |q: &Pending| {
            let (a, b) = (
                actors.actors[q.src].id.clone(),
                actors.actors[q.tgt].id.clone(),
            );
            let (a, b) = if q.edge.symmetric && b < a {
                (b, a)
            } else {
                (a, b)
            };
            (a, b, q.edge.relation.clone())
        };
        let k = key(&p);
        if let Some(existing) = keep.iter_mut().find(|q| key(q) == k) {
            let better = (!p.edge.negated && existing.edge.negated)
                || (p.edge.negated == existing.edge.negated
                    && p.edge.confidence > existing.edge.confidence);
            if better {
                *existing = p;
            }
        } else {
            keep.push(p);
        }
    }
    pending.extend(keep);
}

/// A readable trace of how a document is read (for rule authors): sentences, mentions, edges.
pub fn explain(engine: &Engine, doc: &Document, grep: Option<&str>) -> String {
    use std::fmt::Write as _;
    let rec = Recognizer::new(&engine.gazetteer, &engine.agents, &engine.lexicon);
    let mut actors = DocActors::default();
    let result = engine.extract(doc);
    let mut out = String::new();
    for (si, s) in sentences(&doc.text, &engine.text).iter().enumerate() {
        let text = s.text(&doc.text);
        let dates = find_dates(&s.tokens, doc.date.as_ref());
        let ref_date = dates.first().map(|d| d.date).or(doc.date);
        let mentions = rec.mentions(&s.tokens, ref_date.as_ref(), &mut actors);
        if grep.is_some_and(|g| !text.contains(g)) {
            continue;
        }
        let _ = writeln!(
            out,
            "[{}:{}] chars {}..{}: {}",
            doc.id, si, s.cstart, s.cend, text
        );
        for m in &mentions {
            let a = &actors.actors[m.actor];
            let _ = writeln!(
                out,
                "    actor {:?} -> {} ({}, {}, {}) {:?}/{:?}",
                join_tokens(&s.tokens[m.start..m.end]),
                a.label,
                a.id,
                a.kind,
                a.country,
                m.kind,
                m.role
            );
        }
        for d in &dates {
            let _ = writeln!(
                out,
                "    date {:?} -> {}",
                join_tokens(&s.tokens[d.start..d.end]),
                d.date
            );
        }
        for e in result.edges.iter().filter(|e| e.sentence_index == si) {
            let _ = writeln!(
                out,
                "    EDGE {} -{}/{}-> {} [{}{}{}] rule {} conf {}",
                e.source.label,
                e.relation,
                e.cameo,
                e.target.label,
                e.modality.as_str(),
                if e.negated { ", negated" } else { "" },
                e.date.map(|d| format!(", {d}")).unwrap_or_default(),
                e.rule,
                e.confidence
            );
        }
    }
    out
}
