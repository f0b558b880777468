//! Extraction rules: the pattern language (see `ontology/README.md`), rule files and the matcher.

use crate::actors::{Mention, Role};
use crate::error::{toml_error, DataError};
use crate::ontology::Ontology;
use crate::text::{TokKind, Token, Words};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One alternative of a word element, with its id in the rules' vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub enum WordAlt {
    Exact(String, u32),
    Prefix(String, u32),
}

impl WordAlt {
    fn id(&self) -> u32 {
        match self {
            WordAlt::Exact(_, i) | WordAlt::Prefix(_, i) => *i,
        }
    }
    fn is_exact(&self, w: &str) -> bool {
        matches!(self, WordAlt::Exact(x, _) if x == w)
    }
}

/// The pseudo-word standing for "a mention of actor type `kind`" in rule pre-checks.
fn type_word(kind: &str) -> String {
    format!("@type:{kind}")
}

/// Every word and prefix the rules use, numbered, so a sentence is checked against the rules by
/// comparing numbers rather than strings.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    exact: FxHashMap<String, u32>,
    prefix: FxHashMap<String, u32>,
    /// The prefixes as a byte trie (node 0 is the root).
    trie: Vec<TrieNode>,
    /// Actor type -> the id of its pseudo-word (set by `finish`).
    types: FxHashMap<String, u32>,
    size: u32,
    /// By the engine's word id (`text::Words`) of a token's lower-case form: its vocabulary id
    /// or `u32::MAX` (set by `number_words`).
    exact_by_word: Vec<u32>,
    /// By word id: the vocabulary ids a word token with that lower-case form matches, a range of
    /// `word_ids` (set by `number_words`).
    word_span: Vec<(u32, u32)>,
    word_ids: Vec<u32>,
}

#[derive(Debug, Clone)]
struct TrieNode {
    /// The prefix ending here, or `u32::MAX`.
    id: u32,
    kids: Vec<(u8, u32)>,
}

impl Default for TrieNode {
    fn default() -> Self {
        TrieNode {
            id: u32::MAX,
            kids: Vec::new(),
        }
    }
}

impl Vocab {
    fn id_of(map: &mut FxHashMap<String, u32>, size: &mut u32, w: &str) -> u32 {
        *map.entry(w.to_string()).or_insert_with(|| {
            *size += 1;
            *size - 1
        })
    }

    /// Number the words of a pattern.
    pub fn intern(&mut self, p: &mut Pattern) {
        fn req(v: &mut Vocab, r: &mut Req) {
            match r {
                Req::Word(alts) => alts.iter_mut().for_each(|a| v.alt(a)),
                Req::All(rs) | Req::Any(rs) => rs.iter_mut().for_each(|r| req(v, r)),
                Req::Nothing => {}
            }
        }
        fn nodes(v: &mut Vocab, ns: &mut [Node], alt_needs: &mut Vec<Need>) {
            for n in ns {
                match &mut n.elem {
                    Elem::Word(alts) => {
                        alts.iter_mut().for_each(|a| v.alt(a));
                        let mut ids: Vec<u32> = alts.iter().map(|a| a.id()).collect();
                        ids.sort_unstable();
                        ids.dedup();
                        n.ids = ids.into();
                    }
                    Elem::Slot { types, .. } if !types.is_empty() => {
                        // the actor-type pseudo-words of a typed slot
                        let mut ids: Vec<u32> = types
                            .iter()
                            .map(|t| Vocab::id_of(&mut v.exact, &mut v.size, &type_word(t)))
                            .collect();
                        ids.sort_unstable();
                        ids.dedup();
                        n.ids = ids.into();
                    }
                    Elem::Group(gs) => {
                        gs.iter_mut().for_each(|g| nodes(v, g, alt_needs));
                        n.firsts = gs.iter().map(|g| First::of(g)).collect();
                        n.alt_base = alt_needs.len() as u32;
                        alt_needs.extend(gs.iter().map(|g| Need::of_seq(g)));
                    }
                    _ => {}
                }
            }
        }
        let mut alt_needs = Vec::new();
        nodes(self, &mut p.nodes, &mut alt_needs);
        p.alt_needs = alt_needs;
        req(self, &mut p.required);
        p.need = Need::of_seq(&p.nodes);
        p.first = First::of(&p.nodes);
    }

    /// The id of the pseudo-word a mention of this actor type sets, if a rule uses it.
    pub fn type_id(&self, kind: &str) -> Option<u32> {
        self.types.get(kind).copied()
    }

    /// After all patterns are numbered: the prefix trie tokens are checked against.
    pub fn finish(&mut self) {
        self.types = self
            .exact
            .iter()
            .filter_map(|(w, &id)| w.strip_prefix("@type:").map(|t| (t.to_string(), id)))
            .collect();
        self.trie = vec![TrieNode::default()];
        for (w, &id) in &self.prefix {
            let mut node = 0usize;
            for &c in w.as_bytes() {
                node = match self.trie[node].kids.iter().find(|k| k.0 == c) {
                    Some(&(_, next)) => next as usize,
                    None => {
                        self.trie.push(TrieNode::default());
                        let next = self.trie.len() - 1;
                        self.trie[node].kids.push((c, next as u32));
                        next
                    }
                };
            }
            self.trie[node].id = id;
        }
    }

    fn alt(&mut self, a: &mut WordAlt) {
        match a {
            WordAlt::Exact(w, id) => *id = Self::id_of(&mut self.exact, &mut self.size, w),
            WordAlt::Prefix(w, id) => *id = Self::id_of(&mut self.prefix, &mut self.size, w),
        }
    }

    /// Number the words of the rules in `words` and work out the vocabulary ids of every word
    /// numbered there, so that a token numbered by `words` is looked up by id; call after
    /// `finish`, after the other users of `words` numbered theirs.
    pub fn number_words(&mut self, words: &mut Words) {
        for w in self.exact.keys() {
            words.add(w);
        }
        let rows = words.rows();
        self.exact_by_word = vec![u32::MAX; rows];
        self.word_span = vec![(0, 0); rows];
        self.word_ids.clear();
        for (w, id) in words.iter() {
            let start = self.word_ids.len() as u32;
            if let Some(&i) = self.exact.get(w) {
                self.exact_by_word[id as usize] = i;
                self.word_ids.push(i);
            }
            if !self.prefix.is_empty() {
                let mut ids = std::mem::take(&mut self.word_ids);
                self.prefix_ids_into(w, &mut ids);
                self.word_ids = ids;
            }
            self.word_span[id as usize] = (start, self.word_ids.len() as u32);
        }
    }

    /// Appends the vocabulary ids a token matches (its word, and the prefixes it starts with).
    pub fn token_ids_into(&self, t: &Token, out: &mut Vec<u32>) {
        if t.lid != 0 && (t.lid as usize) < self.word_span.len() {
            // a numbered word: worked out by `number_words`
            if t.kind == TokKind::Punct {
                let i = self.exact_by_word[t.lid as usize];
                if i != u32::MAX {
                    out.push(i);
                }
            } else {
                let (a, b) = self.word_span[t.lid as usize];
                out.extend_from_slice(&self.word_ids[a as usize..b as usize]);
            }
            return;
        }
        // a word `number_words` did not see is no rule word when it ran
        if t.lid != 0 || self.word_span.is_empty() {
            if let Some(&i) = self.exact.get(t.lower()) {
                out.push(i);
            }
        }
        if t.kind == TokKind::Punct || self.prefix.is_empty() {
            return;
        }
        self.prefix_ids_into(t.lower(), out);
    }

    /// Appends the ids of the prefixes `w` starts with.
    fn prefix_ids_into(&self, w: &str, out: &mut Vec<u32>) {
        // walk the prefix trie along the word's bytes
        let b = w.as_bytes();
        let mut node = 0usize;
        for (l, c) in b.iter().enumerate() {
            match self.trie[node].kids.iter().find(|k| k.0 == *c) {
                Some(&(_, next)) => node = next as usize,
                None => return,
            }
            let id = self.trie[node].id;
            if id != u32::MAX && w.is_char_boundary(l + 1) {
                out.push(id);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.size as usize
    }

    pub fn is_empty(&self) -> bool {
        self.size == 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Src,
    Tgt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Money,
    Date,
    Num,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Elem {
    Word(Vec<WordAlt>),
    Slot {
        slot: Slot,
        possessive: bool,
        types: Vec<String>,
    },
    Gap(usize),
    Obj,
    Class(Class),
    Group(Vec<Vec<Node>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub elem: Elem,
    pub optional: bool,
    /// For a word element: the vocabulary ids of its alternatives, sorted (set by `Vocab::intern`).
    ids: Box<[u32]>,
    /// For a group: what each alternative can start with (`None`: anything; set by
    /// `Vocab::intern`), so alternatives that cannot match at a token are not tried.
    firsts: Box<[Option<First>]>,
    /// For a group: the index of its first alternative in `Pattern::alt_needs`.
    alt_base: u32,
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub nodes: Vec<Node>,
    /// The words a match needs (for a quick pre-check of a sentence).
    pub required: Req,
    /// Every match starts with an actor slot: only tokens where a mention starts need trying.
    slot_first: bool,
    /// `required` over word ids (set by `Vocab::intern`).
    need: Need,
    /// What a match can start with (set by `Vocab::intern`); `None`: any token.
    first: Option<First>,
    /// The words each group alternative needs (numbered through `Node::alt_base`): an
    /// alternative whose words are not all in the sentence is not tried.
    alt_needs: Vec<Need>,
}

/// A requirement compiled to word ids, tested against a sentence's bitset of word ids.
#[derive(Debug, Clone, Default)]
enum Need {
    #[default]
    Nothing,
    Word(Box<[u32]>),
    All(Box<[Need]>),
    Any(Box<[Need]>),
}

impl Need {
    /// What a sequence of (numbered) nodes needs: the same as `Req::of_seq`, over word ids.
    fn of_seq(nodes: &[Node]) -> Need {
        let mut parts: Vec<Need> = nodes
            .iter()
            .filter(|n| !n.optional)
            .map(Need::of_node)
            .filter(|r| !matches!(r, Need::Nothing))
            .collect();
        match parts.len() {
            0 => Need::Nothing,
            1 => parts.pop().expect("one part"),
            _ => {
                // single words first: they are the cheapest tests and fail most often
                parts.sort_by_key(|n| !matches!(n, Need::Word(_)));
                Need::All(parts.into())
            }
        }
    }
    fn of_node(n: &Node) -> Need {
        match &n.elem {
            Elem::Word(_) => Need::Word(n.ids.clone()),
            Elem::Slot { types, .. } if !types.is_empty() => Need::Word(n.ids.clone()),
            Elem::Group(alts) => {
                let parts: Vec<Need> = alts.iter().map(|a| Need::of_seq(a)).collect();
                if parts.iter().any(|p| matches!(p, Need::Nothing)) {
                    Need::Nothing
                } else {
                    Need::Any(parts.into())
                }
            }
            _ => Need::Nothing,
        }
    }
    fn holds(&self, present: &[u64]) -> bool {
        match self {
            Need::Nothing => true,
            Need::Word(ids) => ids.iter().any(|&i| {
                present
                    .get(i as usize / 64)
                    .is_some_and(|b| b & (1 << (i % 64)) != 0)
            }),
            Need::All(v) => v.iter().all(|r| r.holds(present)),
            Need::Any(v) => v.iter().any(|r| r.holds(present)),
        }
    }
}

/// The elements a match can begin with: an actor slot and/or words (vocabulary ids, sorted).
#[derive(Debug, Clone, Default, PartialEq)]
struct First {
    slot: bool,
    ids: Vec<u32>,
}

impl First {
    /// The first elements of a pattern; `None` when a match could start anywhere (a gap, `$obj`
    /// or a class first, or nothing required before the end).
    fn of(nodes: &[Node]) -> Option<First> {
        let mut f = First::default();
        if f.seq(nodes)? {
            return None;
        }
        f.ids.sort_unstable();
        f.ids.dedup();
        Some(f)
    }
    /// Adds the first elements of `nodes`; `Some(true)` when the sequence can match nothing.
    fn seq(&mut self, nodes: &[Node]) -> Option<bool> {
        for n in nodes {
            let empty = match &n.elem {
                Elem::Word(_) => {
                    self.ids.extend_from_slice(&n.ids);
                    false
                }
                Elem::Slot { .. } => {
                    self.slot = true;
                    false
                }
                Elem::Group(alts) => {
                    let mut empty = false;
                    for a in alts {
                        empty |= self.seq(a)?;
                    }
                    empty
                }
                Elem::Gap(_) | Elem::Obj | Elem::Class(_) => return None,
            };
            if !(empty || n.optional) {
                return Some(false);
            }
        }
        Some(true)
    }
}

/// Words a match needs: all of, any of, one word (with alternatives), or nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Req {
    All(Vec<Req>),
    Any(Vec<Req>),
    Word(Vec<WordAlt>),
    Nothing,
}

impl Req {
    fn of_seq(nodes: &[Node]) -> Req {
        let parts: Vec<Req> = nodes
            .iter()
            .filter(|n| !n.optional)
            .map(Req::of_node)
            .filter(|r| *r != Req::Nothing)
            .collect();
        match parts.len() {
            0 => Req::Nothing,
            1 => parts.into_iter().next().unwrap(),
            _ => Req::All(parts),
        }
    }
    fn of_node(n: &Node) -> Req {
        match &n.elem {
            Elem::Word(w) => Req::Word(w.clone()),
            // a typed slot needs a mention of one of its types: a pseudo-word per type
            // ("@type:ArmedGroup"), set in a sentence's word bits by its mentions
            Elem::Slot { types, .. } if !types.is_empty() => Req::Word(
                types
                    .iter()
                    .map(|t| WordAlt::Exact(type_word(t), 0))
                    .collect(),
            ),
            Elem::Group(alts) => {
                let parts: Vec<Req> = alts.iter().map(|a| Req::of_seq(a)).collect();
                if parts.contains(&Req::Nothing) {
                    Req::Nothing
                } else {
                    Req::Any(parts)
                }
            }
            _ => Req::Nothing,
        }
    }
    /// How common a word is likely to be: short words such as "to", "the", "'s" and the actor
    /// types of most sentences count as common.
    fn word_cost(a: &WordAlt) -> usize {
        match a {
            WordAlt::Exact(x, _) | WordAlt::Prefix(x, _) if x.len() <= 4 => 50,
            // actor types: states, persons and governments are in most sentences
            WordAlt::Exact(x, _) if x.starts_with("@type:") => {
                if matches!(&x[6..], "State" | "Person" | "Government") {
                    50
                } else {
                    10
                }
            }
            _ => 1,
        }
    }
    /// The requirement as alternatives ("branches"), each a list of clauses: sets of word ids of
    /// which a sentence must have one. The requirement holds for a sentence when every clause of
    /// some branch does; with `exact` false that is only necessary (alternatives beyond `limit`
    /// were merged into one clause), and the requirement itself must be tested as well.
    fn branches(&self, limit: usize) -> (Vec<Branch>, bool) {
        match self {
            Req::Nothing => (vec![Vec::new()], true),
            Req::Word(w) => (
                vec![vec![Clause {
                    ids: w.iter().map(|a| a.id()).collect(),
                    cost: w.iter().map(Req::word_cost).sum(),
                }]],
                true,
            ),
            Req::All(v) => {
                let mut out: Vec<Branch> = vec![Vec::new()];
                let mut exact = true;
                for r in v {
                    let (mut bs, ex) = r.branches(limit);
                    exact &= ex;
                    if out.len() * bs.len() > limit {
                        bs = collapse(bs);
                        exact = false;
                    }
                    out = out
                        .iter()
                        .flat_map(|o| {
                            bs.iter().map(move |b| {
                                let mut n = o.clone();
                                n.extend(b.iter().cloned());
                                n
                            })
                        })
                        .collect();
                }
                (out, exact)
            }
            Req::Any(v) => {
                let mut out: Vec<Branch> = Vec::new();
                let mut exact = true;
                // alternatives of one clause each make one clause: (a) or (b) is (a or b)
                let mut single: Option<Clause> = None;
                for r in v {
                    let (bs, ex) = r.branches(limit);
                    exact &= ex;
                    for b in bs {
                        if b.is_empty() {
                            // an alternative that needs nothing: neither does the whole
                            return (vec![Vec::new()], exact);
                        }
                        if b.len() == 1 {
                            let c = b.into_iter().next().expect("one clause");
                            match &mut single {
                                Some(s) => {
                                    s.ids.extend(c.ids);
                                    s.cost += c.cost;
                                }
                                None => single = Some(c),
                            }
                        } else {
                            out.push(b);
                        }
                    }
                }
                out.extend(single.map(|c| vec![c]));
                if out.len() > limit {
                    return (collapse(out), false);
                }
                (out, exact)
            }
        }
    }
}

/// A set of word ids of which a sentence must have one, and how common they are likely to be.
#[derive(Debug, Clone)]
struct Clause {
    ids: Vec<u32>,
    cost: usize,
}

type Branch = Vec<Clause>;

/// One branch that every sentence matching one of `bs` satisfies: the union of the most
/// selective clause of each.
fn collapse(bs: Vec<Branch>) -> Vec<Branch> {
    let mut ids = Vec::new();
    let mut cost = 0;
    for b in bs {
        let Some(c) = b.into_iter().min_by_key(|c| c.cost) else {
            return vec![Vec::new()];
        };
        ids.extend(c.ids);
        cost += c.cost;
    }
    vec![vec![Clause { ids, cost }]]
}

const DEFAULT_GAP: usize = 6;

/// Parse a pattern; errors say what is wrong and where (element number).
pub fn parse_pattern(src: &str) -> Result<Pattern, String> {
    let toks = lex(src)?;
    let mut pos = 0;
    let nodes = parse_seq(&toks, &mut pos, false)?;
    if pos < toks.len() {
        return Err(format!("unexpected {:?}", toks[pos]));
    }
    if nodes.is_empty() {
        return Err("empty pattern".into());
    }
    let has = |s: Slot| contains_slot(&nodes, s);
    if !has(Slot::Src) || !has(Slot::Tgt) {
        return Err("a pattern needs both @src and @tgt".into());
    }
    let required = Req::of_seq(&nodes);
    let slot_first = starts_with_slot(&nodes);
    Ok(Pattern {
        nodes,
        required,
        slot_first,
        need: Need::Nothing,
        first: None,
        alt_needs: Vec::new(),
    })
}

/// Can a match of `nodes` start at token `p`? (A cheap test before the full matcher.)
fn can_start(nodes: &[Node], p: usize, v: &SentenceView) -> bool {
    let Some(first) = nodes.first() else {
        return true;
    };
    // an optional element: the match starts with it or with what follows it
    elem_can_start(first, p, v) || (first.optional && can_start(&nodes[1..], p, v))
}

/// Does every match of `nodes` begin with an actor slot?
fn starts_with_slot(nodes: &[Node]) -> bool {
    let Some(first) = nodes.first() else {
        return false;
    };
    let here = match &first.elem {
        Elem::Slot { .. } => true,
        Elem::Group(alts) => alts.iter().all(|a| starts_with_slot(a)),
        _ => false,
    };
    here && (!first.optional || starts_with_slot(&nodes[1..]))
}

fn elem_can_start(node: &Node, p: usize, v: &SentenceView) -> bool {
    match &node.elem {
        Elem::Word(_) => v.word_at(&node.ids, p),
        Elem::Slot { .. } => {
            v.starts(p).is_some_and(|s| !s.is_empty())
                || (matches!(v.toks[p].lower(), "the" | "a" | "an")
                    && v.starts(p + 1).is_some_and(|s| !s.is_empty()))
        }
        Elem::Group(alts) => alts.iter().any(|a| can_start(a, p, v)),
        _ => true,
    }
}

fn contains_slot(nodes: &[Node], s: Slot) -> bool {
    nodes.iter().any(|n| match &n.elem {
        Elem::Slot { slot, .. } => *slot == s,
        Elem::Group(alts) => alts.iter().all(|a| contains_slot(a, s)) && !n.optional,
        _ => false,
    })
}

fn lex(src: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    for raw in src.split_whitespace() {
        let mut s = raw;
        while let Some(rest) = s.strip_prefix('(') {
            if rest.is_empty() {
                break;
            }
            out.push("(".to_string());
            depth += 1;
            s = rest;
        }
        let mut closers = Vec::new();
        loop {
            if let Some(r) = s.strip_suffix(")?") {
                if r.is_empty() {
                    break;
                }
                closers.push(")?");
                s = r;
            } else if let Some(r) = s.strip_suffix(')') {
                if r.is_empty() {
                    break;
                }
                closers.push(")");
                s = r;
            } else {
                break;
            }
        }
        // inside a group, `|` separates alternatives (which may be several words)
        if depth > 0 && s.contains('|') && s != "|" {
            for (k, part) in s.split('|').enumerate() {
                if k > 0 {
                    out.push("|".to_string());
                }
                if !part.is_empty() {
                    out.push(part.to_string());
                }
            }
        } else {
            out.push(s.to_string());
        }
        for c in closers.into_iter().rev() {
            depth = depth.saturating_sub(1);
            out.push(c.to_string());
        }
    }
    Ok(out)
}

fn parse_seq(toks: &[String], pos: &mut usize, in_group: bool) -> Result<Vec<Node>, String> {
    let mut nodes = Vec::new();
    while *pos < toks.len() {
        let t = toks[*pos].as_str();
        if in_group && (t == ")" || t == ")?" || t == "|") {
            break;
        }
        *pos += 1;
        if t == "(" {
            let mut alts = Vec::new();
            loop {
                let seq = parse_seq(toks, pos, true)?;
                if seq.is_empty() {
                    return Err("empty alternative in a group".into());
                }
                alts.push(seq);
                match toks.get(*pos).map(|s| s.as_str()) {
                    Some("|") => {
                        *pos += 1;
                    }
                    Some(")") => {
                        *pos += 1;
                        nodes.push(Node {
                            elem: Elem::Group(alts),
                            optional: false,
                            ids: Box::default(),
                            firsts: Box::default(),
                            alt_base: 0,
                        });
                        break;
                    }
                    Some(")?") => {
                        *pos += 1;
                        nodes.push(Node {
                            elem: Elem::Group(alts),
                            optional: true,
                            ids: Box::default(),
                            firsts: Box::default(),
                            alt_base: 0,
                        });
                        break;
                    }
                    _ => return Err("a group opened with ( is not closed".into()),
                }
            }
            continue;
        }
        if t == ")" || t == ")?" || t == "|" {
            return Err(format!("unexpected {t:?} outside a group"));
        }
        nodes.push(parse_elem(t)?);
    }
    Ok(nodes)
}

fn parse_elem(t: &str) -> Result<Node, String> {
    // optional marker; a lone "?" is the question mark token
    let (body, optional) = match t.strip_suffix('?') {
        Some(b) if !b.is_empty() => (b, true),
        _ => (t, false),
    };
    let elem = if let Some(rest) = body.strip_prefix('@') {
        let (name, types) = match rest.find('[') {
            Some(k) => {
                let inner = rest[k + 1..]
                    .strip_suffix(']')
                    .ok_or_else(|| format!("{t}: missing ]"))?;
                (
                    &rest[..k],
                    inner.split('|').map(|s| s.to_string()).collect(),
                )
            }
            None => (rest, vec![]),
        };
        let (name, possessive) = match name.strip_suffix("'s") {
            Some(n) => (n, true),
            None => (name, false),
        };
        let slot = match name {
            "src" => Slot::Src,
            "tgt" => Slot::Tgt,
            _ => return Err(format!("{t}: unknown slot (use @src or @tgt)")),
        };
        Elem::Slot {
            slot,
            possessive,
            types,
        }
    } else if let Some(rest) = body.strip_prefix("...") {
        if rest.is_empty() {
            Elem::Gap(DEFAULT_GAP)
        } else {
            Elem::Gap(
                rest.parse()
                    .map_err(|_| format!("{t}: a gap is ... or ...N with N a number"))?,
            )
        }
    } else if body == "$obj" {
        Elem::Obj
    } else if let Some(c) = body.strip_prefix('#') {
        Elem::Class(match c {
            "money" => Class::Money,
            "date" => Class::Date,
            "num" => Class::Num,
            _ => return Err(format!("{t}: unknown class (#money, #date, #num)")),
        })
    } else if body.starts_with('$')
        && body.len() > 1
        && body[1..].chars().all(|c| c.is_alphabetic())
    {
        return Err(format!("{t}: unknown capture (only $obj)"));
    } else {
        let mut alts = Vec::new();
        for a in body.split('|') {
            if a.is_empty() {
                return Err(format!("{t}: empty alternative"));
            }
            let a = a.to_lowercase().replace(['\u{2019}', '\u{2018}'], "'");
            match a.strip_suffix('*') {
                Some(p) if !p.is_empty() => alts.push(WordAlt::Prefix(p.to_string(), u32::MAX)),
                _ => alts.push(WordAlt::Exact(a, u32::MAX)),
            }
        }
        Elem::Word(alts)
    };
    Ok(Node {
        elem,
        optional,
        ids: Box::default(),
        firsts: Box::default(),
        alt_base: 0,
    })
}

/// A successful match.
#[derive(Debug, Clone)]
pub struct Match {
    pub start: usize,
    pub end: usize,
    pub src: usize,
    pub tgt: usize,
    pub obj: Option<(usize, usize)>,
    /// Tokens matched by word elements (the trigger words).
    pub words: Vec<usize>,
}

/// What the matcher needs to know about a sentence.
pub struct SentenceView<'a> {
    pub toks: &'a [Token<'a>],
    pub mentions: &'a [Mention],
    /// Mentions starting at each token (indices into `start_list`, `n + 2` entries), for slots.
    start_at: Vec<u32>,
    start_list: Vec<usize>,
    /// Token is inside a subject-role mention (gaps may not skip it).
    pub blocked: Vec<bool>,
    pub money_at: Vec<Option<usize>>,
    pub date_at: Vec<Option<usize>>,
    /// The id of each mention's actor-type pseudo-word (`u32::MAX`: a type no rule names).
    type_ids: Vec<u32>,
    /// Vocabulary ids of each token: `ids[id_at[p]..id_at[p + 1]]`.
    id_at: Vec<u32>,
    ids: Vec<u32>,
    /// (vocabulary id, token) pairs in token order: where each word of the sentence is (a
    /// pattern's first words are looked for by scanning them, which costs less than sorting
    /// them for every sentence).
    by_id: Vec<(u32, u32)>,
    /// Bitset of the vocabulary ids present in the sentence.
    pub present: Vec<u64>,
    /// Tokens where a slot can start: a mention, or "the/a/an" right before one.
    pub slot_starts: Vec<usize>,
    /// The same as a flag per token.
    slot_start: Vec<bool>,
}

impl<'a> SentenceView<'a> {
    pub fn new(
        toks: &'a [Token],
        mentions: &'a [Mention],
        mention_types: &[&str],
        money: &[(usize, usize)],
        dates: &[(usize, usize)],
        vocab: &Vocab,
    ) -> Self {
        let n = toks.len();
        let mut present = vec![0u64; vocab.len() / 64 + 1];
        let mut id_at = Vec::with_capacity(n + 1);
        let mut ids = Vec::with_capacity(n);
        let mut by_id = Vec::with_capacity(n);
        for (p, t) in toks.iter().enumerate() {
            id_at.push(ids.len() as u32);
            let from = ids.len();
            vocab.token_ids_into(t, &mut ids);
            for &i in &ids[from..] {
                present[i as usize / 64] |= 1 << (i % 64);
                by_id.push((i, p as u32));
            }
        }
        id_at.push(ids.len() as u32);
        let type_ids: Vec<u32> = mention_types
            .iter()
            .map(|kind| vocab.type_id(kind).unwrap_or(u32::MAX))
            .collect();
        for &i in &type_ids {
            if i != u32::MAX {
                present[i as usize / 64] |= 1 << (i % 64);
            }
        }
        // mentions by start token, in mention order (a counting sort)
        let mut start_at = vec![0u32; n + 2];
        for m in mentions {
            start_at[m.start + 1] += 1;
        }
        for p in 0..=n {
            start_at[p + 1] += start_at[p];
        }
        let mut fill: Vec<u32> = start_at[..=n].to_vec();
        let mut start_list = vec![0usize; mentions.len()];
        let mut blocked = vec![false; n];
        for (k, m) in mentions.iter().enumerate() {
            start_list[fill[m.start] as usize] = k;
            fill[m.start] += 1;
            // a country adjective ("uses Afghan soil to ...") does not end a gap
            if m.role == Role::Subject && m.kind != crate::actors::MentionKind::Demonym {
                for b in blocked.iter_mut().take(m.end).skip(m.start) {
                    *b = true;
                }
            }
        }
        for (k, t) in toks.iter().enumerate() {
            if matches!(&*t.text, ";" | ":") {
                blocked[k] = true;
            }
        }
        let mut money_at = vec![None; n + 1];
        for &(s, e) in money {
            money_at[s] = Some(e);
        }
        let mut date_at = vec![None; n + 1];
        for &(s, e) in dates {
            date_at[s] = Some(e);
        }
        let has_start = |p: usize| start_at[p + 1] > start_at[p];
        let slot_start: Vec<bool> = (0..n)
            .map(|p| {
                has_start(p) || (has_start(p + 1) && matches!(toks[p].lower(), "the" | "a" | "an"))
            })
            .collect();
        let slot_starts = (0..n).filter(|&p| slot_start[p]).collect();
        SentenceView {
            slot_start,
            slot_starts,
            toks,
            mentions,
            start_at,
            start_list,
            blocked,
            money_at,
            date_at,
            type_ids,
            id_at,
            ids,
            by_id,
            present,
        }
    }

    /// The mentions starting at token `p` (`None` past the end of the sentence).
    fn starts(&self, p: usize) -> Option<&[usize]> {
        if p + 1 >= self.start_at.len() {
            return None;
        }
        Some(&self.start_list[self.start_at[p] as usize..self.start_at[p + 1] as usize])
    }

    /// Does token `p` match one of the word ids (sorted)?
    fn word_at(&self, alts: &[u32], p: usize) -> bool {
        if p + 1 >= self.id_at.len() {
            return false;
        }
        let tok = &self.ids[self.id_at[p] as usize..self.id_at[p + 1] as usize];
        tok.iter().any(|i| {
            if alts.len() <= 8 {
                alts.contains(i)
            } else {
                alts.binary_search(i).is_ok()
            }
        })
    }

    /// Can something with these first elements match at token `p`?
    fn may_start(&self, first: &First, p: usize) -> bool {
        (first.slot && self.slot_start.get(p).copied().unwrap_or(false))
            || self.word_at(&first.ids, p)
    }

    /// Tokens where a match of a pattern with these first elements can start, in order.
    fn start_tokens(&self, first: &First, out: &mut Vec<usize>) {
        out.clear();
        if first.slot {
            out.extend_from_slice(&self.slot_starts);
        }
        for &id in &first.ids {
            // most first words are not in the sentence: its bitset says so
            if self
                .present
                .get(id as usize / 64)
                .is_none_or(|b| b & (1 << (id % 64)) == 0)
            {
                continue;
            }
            out.extend(
                self.by_id
                    .iter()
                    .filter(|&&(i, _)| i == id)
                    .map(|&(_, p)| p as usize),
            );
        }
        out.sort_unstable();
        out.dedup();
    }
}

struct State<'p> {
    src: Option<usize>,
    tgt: Option<usize>,
    obj: Option<(usize, usize)>,
    words: Vec<usize>,
    /// The words each group alternative needs (`Pattern::alt_needs`).
    alt_needs: &'p [Need],
    /// Whether the sentence has them, worked out when an alternative is first tried: 0 not yet,
    /// 1 no, 2 yes.
    alt_ok: Vec<u8>,
}

/// A cheap snapshot of the state to backtrack to.
#[derive(Clone, Copy)]
struct Mark {
    src: Option<usize>,
    tgt: Option<usize>,
    obj: Option<(usize, usize)>,
    words: usize,
}

impl State<'_> {
    fn mark(&self) -> Mark {
        Mark {
            src: self.src,
            tgt: self.tgt,
            obj: self.obj,
            words: self.words.len(),
        }
    }
    fn reset(&mut self, m: Mark) {
        self.src = m.src;
        self.tgt = m.tgt;
        self.obj = m.obj;
        self.words.truncate(m.words);
    }
}

/// Where matching continues: element `i` of `nodes`, then the enclosing sequence (`next`).
#[derive(Clone, Copy)]
struct Frame<'a> {
    nodes: &'a [Node],
    i: usize,
    next: Option<&'a Frame<'a>>,
}

impl<'a> Frame<'a> {
    fn advance(&self) -> Frame<'a> {
        Frame {
            nodes: self.nodes,
            i: self.i + 1,
            next: self.next,
        }
    }
    /// The element after the current one, looking into enclosing sequences.
    fn peek_next(&self) -> Option<&'a Node> {
        if self.i + 1 < self.nodes.len() {
            return Some(&self.nodes[self.i + 1]);
        }
        let mut f = self.next;
        while let Some(fr) = f {
            if fr.i < fr.nodes.len() {
                return Some(&fr.nodes[fr.i]);
            }
            f = fr.next;
        }
        None
    }
}

impl Pattern {
    /// Quick check: every required word occurs in the sentence.
    pub fn may_match(&self, v: &SentenceView) -> bool {
        self.need.holds(&v.present)
    }

    /// All matches, at most one per start token.
    pub fn find(&self, v: &SentenceView) -> Vec<Match> {
        let mut out = Vec::new();
        let mut st = State {
            src: None,
            tgt: None,
            obj: None,
            words: Vec::new(),
            alt_needs: &self.alt_needs,
            alt_ok: vec![0; self.alt_needs.len()],
        };
        let mut some: Vec<usize> = Vec::new();
        // the tokens a match can start at: where a slot or a first word of the pattern is (every
        // one passes `can_start`, which tests the same first elements), else every token
        let any_start = !self.slot_first && self.first.is_none();
        let starts: &[usize] = if self.slot_first {
            &v.slot_starts
        } else if let Some(first) = &self.first {
            v.start_tokens(first, &mut some);
            &some
        } else {
            some.extend(0..v.toks.len());
            &some
        };
        for &start in starts {
            if any_start && !can_start(&self.nodes, start, v) {
                continue;
            }
            st.src = None;
            st.tgt = None;
            st.obj = None;
            st.words.clear();
            let f = Frame {
                nodes: &self.nodes,
                i: 0,
                next: None,
            };
            if let Some(end) = match_seq(&f, start, v, &mut st, true) {
                if let (Some(src), Some(tgt)) = (st.src, st.tgt) {
                    out.push(Match {
                        start,
                        end,
                        src,
                        tgt,
                        obj: st.obj,
                        words: st.words.clone(),
                    });
                }
            }
        }
        out
    }
}

/// Match from frame `f` at token `p`; returns the end token. `initial`: nothing consumed yet.
fn match_seq(
    f: &Frame,
    p: usize,
    v: &SentenceView,
    st: &mut State,
    initial: bool,
) -> Option<usize> {
    if f.i == f.nodes.len() {
        return match f.next {
            Some(n) => match_seq(n, p, v, st, initial),
            None => Some(p),
        };
    }
    let node = &f.nodes[f.i];
    let saved = st.mark();
    if let Some(end) = match_node(f, p, v, st, initial) {
        return Some(end);
    }
    st.reset(saved);
    if node.optional {
        return match_seq(&f.advance(), p, v, st, initial);
    }
    None
}

/// The slot is followed by punctuation (an apposition: `@src , the commander of @tgt`).
fn next_is_punct(f: &Frame) -> bool {
    f.peek_next().is_some_and(starts_with_punct)
}

/// A node that begins with a comma, dash, parenthesis or colon (also an alternative group whose
/// every branch does: "@src (, or @src)? , an offshoot of"): after an actor, such a node reads
/// an apposition, so the actor may be in any role.
fn starts_with_punct(n: &Node) -> bool {
    match &n.elem {
        Elem::Word(w) => w
            .iter()
            .all(|a| [",", "--", "(", ":"].iter().any(|p| a.is_exact(p))),
        Elem::Group(alts) => alts
            .iter()
            .all(|seq| seq.first().is_some_and(starts_with_punct)),
        _ => false,
    }
}

fn next_is_hyphen(f: &Frame) -> bool {
    matches!(f.peek_next().map(|n| &n.elem), Some(Elem::Word(w)) if w.len() == 1 && w[0].is_exact("-"))
}

fn match_node(
    f: &Frame,
    p: usize,
    v: &SentenceView,
    st: &mut State,
    initial: bool,
) -> Option<usize> {
    let n = v.toks.len();
    let node = &f.nodes[f.i];
    match &node.elem {
        Elem::Word(_) => {
            if p < n && v.word_at(&node.ids, p) {
                st.words.push(p);
                match_seq(&f.advance(), p + 1, v, st, false)
            } else {
                None
            }
        }
        Elem::Class(c) => {
            let end = match c {
                Class::Money => v.money_at.get(p).copied().flatten(),
                Class::Date => v.date_at.get(p).copied().flatten(),
                Class::Num => (p < n && v.toks[p].kind == TokKind::Number).then_some(p + 1),
            }?;
            match_seq(&f.advance(), end, v, st, false)
        }
        Elem::Slot {
            slot,
            possessive,
            types,
        } => {
            // a slot takes its determiner along: "with the United States"
            let p = if p < n
                && v.starts(p).is_some_and(|s| s.is_empty())
                && matches!(v.toks[p].lower(), "the" | "a" | "an")
            {
                p + 1
            } else {
                p
            };
            for &mi in v.starts(p)? {
                let m = &v.mentions[mi];
                // a typed slot's ids are its types' pseudo-words
                if !types.is_empty() && !node.ids.contains(&v.type_ids[mi]) {
                    continue;
                }
                let mut end = m.end;
                if *possessive {
                    if m.role != Role::Possessive {
                        continue;
                    }
                    if end < n && v.toks[end].text == "'s" {
                        end += 1;
                    }
                } else if initial
                    && !(next_is_punct(f)
                        && v.toks
                            .get(end)
                            .is_some_and(|t| matches!(&*t.text, "," | "--" | "(" | ":")))
                {
                    match m.role {
                        Role::Object | Role::Possessive => continue,
                        Role::Modifier if !next_is_hyphen(f) => continue,
                        _ => {}
                    }
                }
                // a possessive that modifies the next actor stands for that actor: "with Turkey's rival Greece"
                let mut mi = mi;
                if !*possessive && !initial {
                    if let Some(h) = m.head {
                        mi = h;
                        end = v.mentions[h].end;
                    }
                }
                let saved = st.mark();
                match slot {
                    Slot::Src => st.src = Some(mi),
                    Slot::Tgt => st.tgt = Some(mi),
                }
                if let Some(e) = match_seq(&f.advance(), end, v, st, false) {
                    return Some(e);
                }
                st.reset(saved);
            }
            None
        }
        Elem::Gap(max) => {
            if initial {
                return None;
            }
            let next = f.advance();
            for q in p..=p + *max {
                let saved = st.mark();
                if let Some(e) = match_seq(&next, q, v, st, false) {
                    return Some(e);
                }
                st.reset(saved);
                if q >= n || v.blocked[q] {
                    return None;
                }
            }
            None
        }
        Elem::Obj => {
            // the last element: a noun phrase; otherwise up to what follows
            if f.i + 1 == f.nodes.len() && f.next.is_none() {
                let mut q = p;
                while q < n && q - p < 8 && is_np_token(&v.toks[q]) {
                    q += 1;
                }
                if q == p {
                    return None;
                }
                st.obj = Some((p, q));
                return Some(q);
            }
            let next = f.advance();
            for len in 1..=12 {
                if p + len > n {
                    return None;
                }
                let saved = st.mark();
                st.obj = Some((p, p + len));
                if let Some(e) = match_seq(&next, p + len, v, st, false) {
                    return Some(e);
                }
                st.reset(saved);
                if v.blocked.get(p + len - 1).copied().unwrap_or(true) {
                    return None;
                }
            }
            None
        }
        Elem::Group(alts) => {
            let after = f.advance();
            for (k, alt) in alts.iter().enumerate() {
                let ai = node.alt_base as usize + k;
                if st.alt_ok[ai] == 0 {
                    st.alt_ok[ai] = 1 + u8::from(st.alt_needs[ai].holds(&v.present));
                }
                if st.alt_ok[ai] != 2 {
                    continue;
                }
                if let Some(Some(first)) = node.firsts.get(k) {
                    if !v.may_start(first, p) {
                        continue;
                    }
                }
                let saved = st.mark();
                let inner = Frame {
                    nodes: alt,
                    i: 0,
                    next: Some(&after),
                };
                if let Some(e) = match_seq(&inner, p, v, st, initial) {
                    return Some(e);
                }
                st.reset(saved);
            }
            None
        }
    }
}

const NP_STOP: &[&str] = &[
    "of", "to", "from", "with", "in", "on", "at", "by", "for", "against", "and", "or", "but",
    "which", "that", "who", "as", "after", "before", "since", "while", "was", "were", "is", "are",
    "has", "have", "had",
];

fn is_np_token(t: &Token) -> bool {
    (t.kind != TokKind::Punct || t.text == "-") && !NP_STOP.contains(&t.lower())
}

// ---------------------------------------------------------------------------------------------
// Rule files

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleTest {
    pub text: String,
    pub from: String,
    pub expect: String,
    /// Document date for resolving relative dates in the test sentence.
    #[serde(default)]
    pub date: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleRaw {
    id: toml::Spanned<String>,
    relation: toml::Spanned<String>,
    pattern: toml::Spanned<String>,
    #[serde(default)]
    cameo: Option<toml::Spanned<String>>,
    #[serde(default)]
    confidence: Option<f32>,
    #[serde(default)]
    symmetric: Option<bool>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    test: Vec<toml::Spanned<RuleTest>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    rule: Vec<toml::Spanned<RuleRaw>>,
}

/// An extraction rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub relation: String,
    pub cameo: Option<String>,
    pub pattern: Pattern,
    pub pattern_src: String,
    pub confidence: f32,
    pub symmetric: bool,
    pub note: Option<String>,
    pub tests: Vec<(RuleTest, usize)>,
    pub file: PathBuf,
    pub line: usize,
}

/// Load every `*.toml` under a rules directory (or one file). All problems are reported.
pub fn load_rules(path: &Path, onto: &Ontology) -> Result<(Vec<Rule>, Vocab), Vec<DataError>> {
    let mut files: Vec<PathBuf> = if path.is_dir() {
        match std::fs::read_dir(path) {
            Ok(rd) => rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect(),
            Err(e) => {
                return Err(vec![DataError::new(
                    path,
                    0,
                    format!("cannot read directory: {e}"),
                )])
            }
        }
    } else {
        vec![path.to_path_buf()]
    };
    files.sort();
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    let mut ids: std::collections::HashMap<String, (PathBuf, usize)> = Default::default();
    for f in files {
        let src = match std::fs::read_to_string(&f) {
            Ok(s) => s,
            Err(e) => {
                errors.push(DataError::new(&f, 0, format!("cannot read: {e}")));
                continue;
            }
        };
        let parsed: RulesFile = match toml::from_str(&src) {
            Ok(p) => p,
            Err(e) => {
                errors.push(toml_error(&f, &src, &e));
                continue;
            }
        };
        let lines = crate::error::Lines::new(&src);
        for r in parsed.rule {
            let line = lines.line(r.span().start);
            let r = r.into_inner();
            let id = r.id.get_ref().clone();
            if let Some((pf, pl)) = ids.get(&id) {
                errors.push(DataError::new(
                    &f,
                    lines.line(r.id.span().start),
                    format!("duplicate rule id {id:?} (first at {}:{pl})", pf.display()),
                ));
                continue;
            }
            ids.insert(id.clone(), (f.clone(), line));
            let rel = r.relation.get_ref().clone();
            let Some(rt) = onto.relations.get(&rel) else {
                errors.push(DataError::new(
                    &f,
                    lines.line(r.relation.span().start),
                    format!(
                        "rule {id}: unknown relation type {rel:?} (not in {})",
                        onto.path.display()
                    ),
                ));
                continue;
            };
            let pattern = match parse_pattern(r.pattern.get_ref()) {
                Ok(p) => p,
                Err(e) => {
                    errors.push(DataError::new(
                        &f,
                        lines.line(r.pattern.span().start),
                        format!("rule {id}: pattern: {e}"),
                    ));
                    continue;
                }
            };
            let cameo = r.cameo.as_ref().map(|c| c.get_ref().clone());
            if let Some(c) = &r.cameo {
                let code = c.get_ref();
                let base = rt.cameo.clone().unwrap_or_default();
                if rt.structural
                    || !code.chars().all(|c| c.is_ascii_digit())
                    || !code.starts_with(&base[..base.len().min(2)])
                {
                    errors.push(DataError::new(
                        &f,
                        lines.line(c.span().start),
                        format!("rule {id}: cameo {code:?} does not refine {rel} ({base})"),
                    ));
                    continue;
                }
            }
            let tests: Vec<(RuleTest, usize)> = r
                .test
                .into_iter()
                .map(|t| (lines.line(t.span().start), t.into_inner()))
                .map(|(l, t)| (t, l))
                .collect();
            rules.push(Rule {
                id,
                relation: rel,
                cameo,
                pattern,
                pattern_src: r.pattern.get_ref().clone(),
                confidence: r.confidence.unwrap_or(0.7),
                symmetric: r.symmetric.unwrap_or(rt.symmetric),
                note: r.note,
                tests,
                file: f.clone(),
                line,
            });
        }
    }
    if errors.is_empty() {
        let mut vocab = Vocab::default();
        for r in &mut rules {
            vocab.intern(&mut r.pattern);
        }
        vocab.finish();
        Ok((rules, vocab))
    } else {
        Err(errors)
    }
}

/// Lint findings beyond loading: every rule has tests from two texts, positive and negative.
pub fn lint_rules(rules: &[Rule]) -> Vec<DataError> {
    let mut out = Vec::new();
    for r in rules {
        let sources: HashSet<&str> = r
            .tests
            .iter()
            .filter(|(t, _)| t.expect.trim() != "none")
            .map(|(t, _)| t.from.split('#').next().unwrap_or(""))
            .collect();
        if sources.len() < 2 {
            out.push(DataError::new(&r.file, r.line, format!("rule {}: needs positive test sentences from at least two different texts (has {})", r.id, sources.len())));
        }
        for (t, l) in &r.tests {
            if t.expect.trim() != "none" && !t.expect.contains("->") {
                out.push(DataError::new(
                    &r.file,
                    *l,
                    format!("rule {}: expect must be \"SRC -> TGT\" or \"none\"", r.id),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_patterns() {
        let p = parse_pattern("@src ...3 visit|visited|visits @tgt").unwrap();
        assert_eq!(p.nodes.len(), 4);
        assert_eq!(p.nodes[1].elem, Elem::Gap(3));
        let p = parse_pattern("(visit*|trip*) to @tgt by (a|an)? @src[Person]").unwrap();
        assert!(matches!(p.nodes[0].elem, Elem::Group(_)));
        assert!(p.nodes[4].optional);
        let p = parse_pattern("@src -- @tgt's arch-rival|rival").unwrap();
        assert!(matches!(
            &p.nodes[2].elem,
            Elem::Slot {
                possessive: true,
                ..
            }
        ));
    }

    #[test]
    fn rejects_bad_patterns() {
        assert!(parse_pattern("@src visited").unwrap_err().contains("@tgt"));
        assert!(parse_pattern("@src (visited @tgt")
            .unwrap_err()
            .contains("not closed"));
        assert!(parse_pattern("@src ...x @tgt").unwrap_err().contains("gap"));
        assert!(parse_pattern("@who visited @tgt")
            .unwrap_err()
            .contains("unknown slot"));
    }
}

/// Which rules can fire in a sentence, from the words it has. Each rule's requirement is
/// reduced to branches of clauses (sets of words of which a sentence must have one, see
/// `Req::branches`); a branch is filed under the words of its most selective clause, and a
/// sentence tests the branches filed under its words: a rule is a candidate when all clauses of
/// one of its branches hold. For most rules that is exactly their requirement; the others
/// (`inexact`) are tested with `Pattern::may_match` as well.
#[derive(Debug, Clone, Default)]
pub struct RuleIndex {
    /// The (rule, branch) pairs filed under word id `w`:
    /// `filed[filed_at[w]..filed_at[w + 1]]` (one array: no list per word to chase).
    filed_at: Vec<u32>,
    filed: Vec<(u32, u32)>,
    /// The clauses of branch `b`: `clause_at[branch_at[b]..branch_at[b + 1]]`, and the ids of
    /// clause `c`: `ids[clause_at[c]..clause_at[c + 1]]`.
    branch_at: Vec<u32>,
    clause_at: Vec<u32>,
    ids: Vec<u32>,
    /// The rule of each branch.
    branch_rule: Vec<u32>,
    /// Rules with a branch that needs no word.
    always: Vec<u32>,
    /// Rules for which the branches are only a necessary condition.
    pub inexact: Vec<bool>,
    rules: usize,
}

/// The most branches a rule's requirement is expanded to.
const MAX_BRANCHES: usize = 64;

impl RuleIndex {
    pub fn new(rules: &[Rule], vocab: &Vocab) -> Self {
        let mut by_word: Vec<Vec<u32>> = vec![Vec::new(); vocab.len() + 1];
        let mut ix = RuleIndex {
            rules: rules.len(),
            ..Default::default()
        };
        for (ri, r) in rules.iter().enumerate() {
            let (branches, exact) = r.pattern.required.branches(MAX_BRANCHES);
            ix.inexact.push(!exact);
            for mut b in branches {
                if b.is_empty() {
                    if ix.always.last() != Some(&(ri as u32)) {
                        ix.always.push(ri as u32);
                    }
                    continue;
                }
                let bi = ix.branch_rule.len() as u32;
                ix.branch_rule.push(ri as u32);
                ix.branch_at.push(ix.clause_at.len() as u32);
                // the most selective clause first: the branch is filed under its words
                b.sort_by_key(|c| c.cost);
                for (k, c) in b.iter_mut().enumerate() {
                    c.ids.sort_unstable();
                    c.ids.dedup();
                    if k == 0 {
                        for &id in &c.ids {
                            by_word[id as usize].push(bi);
                        }
                    }
                    ix.clause_at.push(ix.ids.len() as u32);
                    ix.ids.extend_from_slice(&c.ids);
                }
            }
        }
        ix.branch_at.push(ix.clause_at.len() as u32);
        ix.clause_at.push(ix.ids.len() as u32);
        for list in &by_word {
            ix.filed_at.push(ix.filed.len() as u32);
            ix.filed
                .extend(list.iter().map(|&bi| (ix.branch_rule[bi as usize], bi)));
        }
        ix.filed_at.push(ix.filed.len() as u32);
        ix
    }

    /// The candidate rules for a sentence, in rule order.
    pub fn candidates(&self, present: &[u64]) -> Vec<usize> {
        let has = |i: u32| {
            present
                .get(i as usize / 64)
                .is_some_and(|b| b & (1 << (i % 64)) != 0)
        };
        let mut mark = vec![0u64; self.rules / 64 + 1];
        for &r in &self.always {
            mark[r as usize / 64] |= 1 << (r % 64);
        }
        for (wi, &bits) in present.iter().enumerate() {
            let mut b = bits;
            while b != 0 {
                let id = wi * 64 + b.trailing_zeros() as usize;
                b &= b - 1;
                if id + 1 >= self.filed_at.len() {
                    continue;
                }
                let filed = &self.filed[self.filed_at[id] as usize..self.filed_at[id + 1] as usize];
                for &(r, bi) in filed {
                    if mark[r as usize / 64] & (1 << (r % 64)) != 0 {
                        continue;
                    }
                    let bi = bi as usize;
                    let clauses = self.branch_at[bi] as usize..self.branch_at[bi + 1] as usize;
                    // the first clause holds: the branch was reached through one of its words
                    let holds = clauses.skip(1).all(|c| {
                        self.ids[self.clause_at[c] as usize..self.clause_at[c + 1] as usize]
                            .iter()
                            .any(|&i| has(i))
                    });
                    if holds {
                        mark[r as usize / 64] |= 1 << (r % 64);
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (wi, &bits) in mark.iter().enumerate() {
            let mut b = bits;
            while b != 0 {
                out.push(wi * 64 + b.trailing_zeros() as usize);
                b &= b - 1;
            }
        }
        out
    }
}
