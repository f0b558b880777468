//! Actors in a sentence: gazetteer matches (longest first), demonyms and country words with role
//! nouns ("Pakistani military", "delegation from Pakistan"), titled persons ("General Michael
//! “Erik” Kurilla"), acronym definitions, pronouns, and each mention's syntactic role.

use crate::date::PartialDate;
use crate::gazetteer::{Actor, AliasKind, Gazetteer};
use crate::ontology::{Agent, Agents, Cues};
use crate::text::{Abbreviations, TokKind, Token, Words};
use rustc_hash::FxHashMap;

/// The syntactic role of a mention, as far as word order tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Not after a preposition, not possessive: can be a clause subject.
    Subject,
    /// Right after a preposition ("with the Afghan Taliban").
    Object,
    /// Followed by `'s`, or a possessive pronoun.
    Possessive,
    /// Part of a hyphenated compound ("Pakistan-U.S.", "USAID-led").
    Modifier,
}

/// How a mention was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionKind {
    Name,
    Capital,
    Demonym,
    /// Country word + role noun.
    Composite,
    Person,
    Pronoun,
}

#[derive(Debug, Clone)]
pub struct Mention {
    /// Tokens `start..end` of the sentence.
    pub start: usize,
    pub end: usize,
    /// Index into the document's actor table.
    pub actor: usize,
    pub role: Role,
    pub kind: MentionKind,
    pub confidence: f32,
    /// For a possessive that modifies a following actor ("Turkey's rival Greece"): that mention.
    pub head: Option<usize>,
    /// For a titled person: the title as written and the actor of the country word before it
    /// ("Russian President Vladimir Putin" -> ("President", Russia)).
    pub title: Option<(String, Option<usize>)>,
}

impl Mention {
    /// A mention of tokens `start..end` as a clause subject until roles are assigned.
    fn new(start: usize, end: usize, actor: usize, kind: MentionKind, confidence: f32) -> Self {
        Mention {
            start,
            end,
            actor,
            role: Role::Subject,
            kind,
            confidence,
            head: None,
            title: None,
        }
    }
}

/// Kinds of actor that "the group" / "the bloc" can stand for (`group_anaphors` in cues.toml).
const GROUP_KINDS: &[&str] = &["IGO", "ArmedGroup"];

/// Actors of one document: the gazetteer's plus those made while reading (persons, composites).
#[derive(Debug, Clone, Default)]
pub struct DocActors {
    pub actors: Vec<Actor>,
    by_id: FxHashMap<String, usize>,
    /// Surnames of persons introduced in this document -> actor.
    surnames: FxHashMap<String, usize>,
    /// The person who was last a clause subject ("He said" in a later sentence).
    last_person: Option<usize>,
    /// States named so far: actor -> (mentions, order of the last one), for "the country".
    states_named: FxHashMap<usize, (u32, u32)>,
    /// Organisations and armed groups named so far, for "the group".
    groups_named: FxHashMap<usize, (u32, u32)>,
    sentences_read: u32,
}

impl DocActors {
    pub fn intern(&mut self, a: Actor) -> usize {
        if let Some(&i) = self.by_id.get(&a.id) {
            return i;
        }
        let i = self.actors.len();
        self.by_id.insert(a.id.clone(), i);
        self.actors.push(a);
        i
    }
    /// What "the country" / "the group" / a bare "police" refers to: the last actor of one of
    /// `kinds` named earlier in the sentence (`out`), else the one of those kinds the document
    /// named most often so far (`named`).
    fn referent(
        &self,
        out: &[Mention],
        kinds: &[&str],
        named: &FxHashMap<usize, (u32, u32)>,
    ) -> Option<usize> {
        out.iter()
            .rev()
            .find(|m| {
                m.kind != MentionKind::Pronoun
                    && kinds.contains(&self.actors[m.actor].kind.as_str())
            })
            .map(|m| m.actor)
            .or_else(|| Self::topic(named))
    }
    fn topic(named: &FxHashMap<usize, (u32, u32)>) -> Option<usize> {
        named
            .iter()
            .max_by_key(|(&a, &(n, last))| (n, last, std::cmp::Reverse(a)))
            .map(|(&a, _)| a)
    }
    pub fn from_gazetteer(&mut self, g: &Gazetteer, idx: usize) -> usize {
        // interned already: no copy of the dictionary entry
        if let Some(&i) = self.by_id.get(&g.actors[idx].id) {
            return i;
        }
        let mut a = g.actors[idx].clone();
        if a.country.is_empty() {
            a.country = g.country_of(idx);
        }
        self.intern(a)
    }
}

/// Cue sets a word can belong to: bits of `Lexicon::flags`. The sets below `NOT_NAME` hold
/// lower-case forms (tested with a token's `lid`); the others hold text as written (tested with
/// its `tid`).
mod cue {
    pub const PREP: u32 = 1;
    pub const REL_PRONOUN: u32 = 1 << 1;
    pub const POSS_PRONOUN: u32 = 1 << 2;
    pub const SUBJ_PRONOUN: u32 = 1 << 3;
    pub const FIRST_PERSON: u32 = 1 << 4;
    pub const FIRST_PERSON_POSS: u32 = 1 << 5;
    pub const PERSON_PRONOUN: u32 = 1 << 6;
    pub const PERSON_POSS: u32 = 1 << 7;
    pub const NONPERSON_PRONOUN: u32 = 1 << 8;
    pub const COUNTRY_ANAPHOR: u32 = 1 << 9;
    pub const GROUP_ANAPHOR: u32 = 1 << 10;
    pub const GROUP_ANAPHOR_MOD: u32 = 1 << 11;
    pub const ORG_HEAD: u32 = 1 << 12;
    pub const SUBJECT_VERB: u32 = 1 << 13;
    pub const NOT_PAST_TENSE: u32 = 1 << 14;
    pub const NON_ACTOR_PREFIX: u32 = 1 << 15;
    pub const NAME_PARTICLE: u32 = 1 << 16;
    pub const COUNTRY_NOUN: u32 = 1 << 17;
    pub const SPEECH_VERB: u32 = 1 << 18;
    pub const PERSON_AFTER_NOUN: u32 = 1 << 19;
    pub const APPOSITION_START: u32 = 1 << 20;
    pub const TITLE_MODIFIER: u32 = 1 << 21;
    pub const CONJUNCTION: u32 = 1 << 22;
    /// Text as written: `not_name_words`, organisation cue words, `organisation_skip`.
    pub const NOT_NAME: u32 = 1 << 23;
    pub const ORG_CUE: u32 = 1 << 24;
    pub const ORG_SKIP: u32 = 1 << 25;
    /// Not a cue set: "the", and the first words of titles, role nouns and aliases (as written
    /// or in lower case), where a mention can start (`Lexicon::index_mention_starts`).
    pub const MENTION_START: u32 = 1 << 26;
}

/// A role noun or title as a token sequence, with its agent.
type Seq = (Vec<String>, usize);

/// A role noun as the word ids of its tokens, with its agent.
type IdSeq = (Box<[u32]>, usize);

/// Role nouns, titles and cue words, tokenised once (built when the engine loads) and indexed by
/// the engine's word ids (`text::Words`).
pub struct Lexicon {
    /// Role nouns as word ids of their lower-case tokens, longest first, with their agent, by the
    /// id of the first token.
    nouns: Vec<Vec<IdSeq>>,
    /// Titles as token sequences, longest first, with their agent, by the id of the lower-cased
    /// first token.
    titles: Vec<Vec<Seq>>,
    /// The cue sets (`cue::*` bits) of each word id.
    flags: Vec<u32>,
    /// Whether `first_person_pronouns` is empty.
    no_first_person: bool,
    /// The word id of "the" (the article the anaphor and name tests look for).
    the: u32,
    /// Whether `cue::MENTION_START` is set (`index_mention_starts`).
    starts_indexed: bool,
}

impl Lexicon {
    /// Number every word of the cue sets, role nouns and titles in `words`, and index them.
    pub fn new(agents: &Agents, cues: &Cues, abbrevs: &Abbreviations, words: &mut Words) -> Self {
        let mut nouns = Vec::new();
        let mut titles = Vec::new();
        for (i, a) in agents.agents.iter().enumerate() {
            for n in &a.nouns {
                nouns.push((toks_of(&n.to_lowercase(), abbrevs), i));
            }
            for t in &a.titles {
                titles.push((toks_of(t, abbrevs), i));
            }
        }
        let index = |v: Vec<Seq>| {
            let mut m: FxHashMap<String, Vec<Seq>> = FxHashMap::default();
            for (seq, a) in v {
                if let Some(first) = seq.first() {
                    m.entry(first.to_lowercase()).or_default().push((seq, a));
                }
            }
            for l in m.values_mut() {
                l.sort_by_key(|x| std::cmp::Reverse(x.0.len()));
            }
            m
        };
        let nouns = index(nouns);
        let titles = index(titles);
        let mut flagged: Vec<(u32, u32)> = Vec::new();
        let lower = |v: &[String]| -> Vec<String> { v.iter().map(|s| s.to_lowercase()).collect() };
        use cue::*;
        for (v, bit) in [
            (lower(&cues.prepositions), PREP),
            (lower(&cues.relative_pronouns), REL_PRONOUN),
            (lower(&cues.possessive_pronouns), POSS_PRONOUN),
            (lower(&cues.subject_pronouns), SUBJ_PRONOUN),
            (lower(&cues.first_person_pronouns), FIRST_PERSON),
            (lower(&cues.first_person_possessives), FIRST_PERSON_POSS),
            (lower(&cues.person_pronouns), PERSON_PRONOUN),
            (lower(&cues.person_possessives), PERSON_POSS),
            (lower(&cues.nonperson_pronouns), NONPERSON_PRONOUN),
            (lower(&cues.country_anaphors), COUNTRY_ANAPHOR),
            (lower(&cues.group_anaphors), GROUP_ANAPHOR),
            (lower(&cues.group_anaphor_modifiers), GROUP_ANAPHOR_MOD),
            (
                agents
                    .organisation_cues
                    .keys()
                    .map(|w| w.to_lowercase())
                    .collect(),
                ORG_HEAD,
            ),
            (lower(&cues.subject_verbs), SUBJECT_VERB),
            (lower(&cues.not_past_tense), NOT_PAST_TENSE),
            (lower(&cues.non_actor_prefixes), NON_ACTOR_PREFIX),
            // the agents' sets as they are kept (tested against lower-case forms)
            (
                agents.name_particles.iter().cloned().collect(),
                NAME_PARTICLE,
            ),
            (agents.country_nouns.iter().cloned().collect(), COUNTRY_NOUN),
            (
                agents.person_speech_verbs.iter().cloned().collect(),
                SPEECH_VERB,
            ),
            (
                agents.person_after_nouns.iter().cloned().collect(),
                PERSON_AFTER_NOUN,
            ),
            (
                agents.apposition_starts.iter().cloned().collect(),
                APPOSITION_START,
            ),
            (
                agents.title_modifiers.iter().cloned().collect(),
                TITLE_MODIFIER,
            ),
            (lower(&cues.lists.conjunctions), CONJUNCTION),
            // text as written
            (agents.not_name_words.iter().cloned().collect(), NOT_NAME),
            (agents.organisation_cues.keys().cloned().collect(), ORG_CUE),
            (agents.organisation_skip.iter().cloned().collect(), ORG_SKIP),
        ] {
            flagged.extend(v.iter().map(|w| (words.add(w), bit)));
        }
        let mut noun_seqs: Vec<(u32, Vec<IdSeq>)> = Vec::new();
        for (first, l) in nouns {
            let key = words.add(&first);
            let l = l
                .into_iter()
                .map(|(seq, a)| (seq.iter().map(|w| words.add(w)).collect(), a))
                .collect();
            noun_seqs.push((key, l));
        }
        let title_seqs: Vec<(u32, Vec<Seq>)> = titles
            .into_iter()
            .map(|(k, l)| (words.add(&k), l))
            .collect();
        let the = words.add("the");
        let rows = words.rows();
        let mut flags = vec![0u32; rows];
        for (id, bit) in flagged {
            flags[id as usize] |= bit;
        }
        let mut nouns = vec![Vec::new(); rows];
        for (k, l) in noun_seqs {
            nouns[k as usize] = l;
        }
        let mut titles = vec![Vec::new(); rows];
        for (k, l) in title_seqs {
            titles[k as usize] = l;
        }
        Lexicon {
            nouns,
            titles,
            flags,
            no_first_person: cues.first_person_pronouns.is_empty(),
            the,
            starts_indexed: false,
        }
    }

    /// Mark the words a mention can start with (`cue::MENTION_START`): "the", the first words of
    /// titles and role nouns, and those of the gazetteer's aliases; call after
    /// `Gazetteer::number_words`.
    pub fn index_mention_starts(&mut self, gaz: &Gazetteer, words: &Words) {
        self.flags.resize(words.rows(), 0);
        for (id, f) in self.flags.iter_mut().enumerate() {
            if id == self.the as usize
                || self.titles.get(id).is_some_and(|l| !l.is_empty())
                || self.nouns.get(id).is_some_and(|l| !l.is_empty())
                || gaz.may_start_alias(id as u32)
            {
                *f |= cue::MENTION_START;
            }
        }
        self.starts_indexed = true;
    }

    /// Whether the word with id `id` is in one of the cue sets `bits`.
    fn is(&self, id: u32, bits: u32) -> bool {
        self.flags.get(id as usize).is_some_and(|f| f & bits != 0)
    }
}

/// The recogniser: gazetteer, role nouns, titles, cue words.
pub struct Recognizer<'a> {
    pub gaz: &'a Gazetteer,
    pub agents: &'a Agents,
    lex: &'a Lexicon,
}

/// The id of a country's role-noun actor ("PAK.MIL"), as the gazetteer spells composite ids.
fn composite_id(country_actor: &Actor, agent: &Agent) -> String {
    format!("{}.{}", country_actor.id, agent.code)
}

fn toks_of(s: &str, abbrevs: &Abbreviations) -> Vec<String> {
    crate::text::tokenize(s, 0, s.len(), 0, abbrevs)
        .into_iter()
        .map(|t| t.text.into_owned())
        .collect()
}

impl<'a> Recognizer<'a> {
    pub fn new(gaz: &'a Gazetteer, agents: &'a Agents, lex: &'a Lexicon) -> Self {
        Recognizer { gaz, agents, lex }
    }

    /// Whether the lower-case form of `t` is in one of the cue sets `bits`.
    fn low(&self, t: &Token, bits: u32) -> bool {
        self.lex.is(t.lid, bits)
    }

    /// Whether `t` is "the" (any case).
    #[inline]
    fn is_the(&self, t: &Token) -> bool {
        t.lid == self.lex.the
    }

    /// Whether a mention can start at `t`: every branch of `mentions` needs a capitalised token,
    /// "the", or the first word of a title, role noun or alias there.
    #[inline]
    fn may_start_mention(&self, t: &Token) -> bool {
        !self.lex.starts_indexed
            || t.is_capitalised()
            || self.low(t, cue::MENTION_START)
            || self.txt(t, cue::MENTION_START)
    }

    /// Whether the text of `t` is in one of the (case-sensitive) cue sets `bits`.
    fn txt(&self, t: &Token, bits: u32) -> bool {
        self.lex.is(t.tid, bits)
    }

    #[inline]
    fn noun_at(&self, toks: &[Token], i: usize) -> Option<(usize, usize)> {
        for (seq, a) in self.lex.nouns.get(toks.get(i)?.lid as usize)? {
            let n = seq.len();
            if i + n <= toks.len() && seq.iter().zip(&toks[i..i + n]).all(|(&s, t)| s == t.lid) {
                return Some((n, *a));
            }
        }
        None
    }

    #[inline]
    fn title_at(&self, toks: &[Token], i: usize) -> Option<(usize, usize)> {
        for (seq, a) in self.lex.titles.get(toks.get(i)?.lid as usize)? {
            let n = seq.len();
            if i + n <= toks.len()
                && seq
                    .iter()
                    .zip(&toks[i..i + n])
                    .all(|(s, t)| s.eq_ignore_ascii_case(&t.text))
            {
                // a title must be capitalised in text, unless a country word precedes it
                return Some((n, *a));
            }
        }
        None
    }

    /// Length of a person name starting at `i`: capitalised words, a quoted nickname, particles.
    fn name_at(&self, toks: &[Token], i: usize) -> usize {
        let mut k = i;
        let mut words = 0;
        while k < toks.len() && words < 5 {
            let t = &toks[k];
            if t.kind == TokKind::Word
                && t.is_capitalised()
                && t.text.chars().any(|c| c.is_lowercase())
                && !self.txt(t, cue::NOT_NAME | cue::ORG_CUE)
            {
                // stop at an actor name ("General Kurilla, U.S. Central Command")
                if words > 0
                    && self
                        .gaz
                        .longest_match(toks, k, None)
                        .is_some_and(|(e, _)| self.gaz.actors[e.actor].kind != "Person")
                {
                    break;
                }
                words += 1;
                k += 1;
            } else if t.text == "\""
                && k + 2 < toks.len()
                && toks[k + 1].is_capitalised()
                && toks[k + 2].text == "\""
                && words > 0
            {
                k += 3;
            } else if words > 0
                && (t.text == "-" || self.low(t, cue::NAME_PARTICLE))
                && k + 1 < toks.len()
                && toks[k + 1].is_capitalised()
            {
                k += 1;
            } else if words > 0
                && self.low(t, cue::NAME_PARTICLE)
                && k + 2 < toks.len()
                && toks[k + 1].text == "-"
                && toks[k + 2].is_capitalised()
            {
                // "Bashar al-Assad", "Abdel Fattah el-Sisi"
                k += 2;
            } else if t.kind == TokKind::Word
                && t.text.len() == 2
                && t.text.ends_with('.')
                && t.is_capitalised()
            {
                // an initial: "Donald J. Trump"
                k += 1;
            } else {
                break;
            }
        }
        // trailing particle or initial without a name after it
        while k > i && (toks[k - 1].text == "-" || toks[k - 1].text == "\"") {
            k -= 1;
        }
        if words == 0 {
            0
        } else {
            k - i
        }
    }

    /// The sub-actor of the state `state` (a document actor) for agent `agent_i`, interned.
    fn intern_composite(&self, doc: &mut DocActors, state: usize, agent_i: usize) -> usize {
        // interned already: no copy of the state
        let id = composite_id(&doc.actors[state], &self.agents.agents[agent_i]);
        if let Some(&i) = doc.by_id.get(&id) {
            return i;
        }
        let a = self.composite(&doc.actors[state], &self.agents.agents[agent_i]);
        doc.intern(a)
    }

    fn composite(&self, country_actor: &Actor, agent: &Agent) -> Actor {
        let id = composite_id(country_actor, agent);
        if let Some(a) = self.gaz.get(&id) {
            let mut a = a.clone();
            if a.country.is_empty() {
                a.country = country_actor.country.clone();
            }
            return a;
        }
        Actor {
            id,
            label: format!("{} {}", country_actor.label, agent.label),
            kind: agent.kind.clone(),
            country: country_actor.country.clone(),
            parent: country_actor.id.clone(),
            wikidata: String::new(),
            aliases: vec![],
            confidence: 0.9,
        }
    }

    /// End of the gazetteer mention at `i`, with a role noun after it ("Pakistan Army"), if any.
    fn gazetteer_extent(&self, toks: &[Token], i: usize, date: Option<&PartialDate>) -> usize {
        let Some((_, len)) = self.gaz.longest_match(toks, i, date) else {
            return i;
        };
        let end = i + len;
        let after_poss = if toks.get(end).is_some_and(|t| t.text == "'s") {
            end + 1
        } else {
            end
        };
        match self
            .noun_at(toks, after_poss)
            .or_else(|| self.noun_at(toks, end))
        {
            Some((nl, _)) if self.noun_at(toks, after_poss).is_some() => after_poss + nl,
            Some((nl, _)) => end + nl,
            None => end,
        }
    }

    /// The head noun an adjective at `end` shares, over coordinated adjectives ("Canadian and
    /// Mexican exports"): `Some(None)` for a country noun, `Some(Some(agent))` for a role noun
    /// after coordination, `None` for no head.
    fn shared_head(
        &self,
        toks: &[Token],
        end: usize,
        date: Option<&PartialDate>,
    ) -> Option<Option<usize>> {
        let mut k = end;
        let mut coordinated = false;
        loop {
            let t = toks.get(k)?;
            if self.low(t, cue::COUNTRY_NOUN) {
                return Some(None);
            }
            if coordinated {
                if let Some((_, ai)) = self.noun_at(toks, k) {
                    return Some(Some(ai));
                }
            }
            // adjectives are coordinated as lists are (`[lists]` in cues.toml)
            if !(t.text == "," || self.low(t, cue::CONJUNCTION)) {
                return None;
            }
            // the next adjective ("and Mexican")
            let (e, len) = self.gaz.longest_match(toks, k + 1, date)?;
            if e.kind != AliasKind::Demonym {
                return None;
            }
            coordinated = true;
            k += 1 + len;
        }
    }

    /// An organisation named by a cue word of `agents.toml` ("Arakan Army", "Movement for
    /// Democratic Change"): the end of its name and its actor type.
    fn organisation_at(&self, toks: &[Token], i: usize) -> Option<(usize, &'a str)> {
        let cues = &self.agents.organisation_cues;
        let proper = |t: &Token| {
            t.kind == TokKind::Word
                && t.is_capitalised()
                && t.text.chars().any(|c| c.is_lowercase())
        };
        if cues.is_empty() || !proper(&toks[i]) || self.txt(&toks[i], cue::ORG_SKIP) {
            return None;
        }
        let n = toks.len();
        let mut k = i;
        let mut end = i;
        let mut cue: Option<(usize, &'a str)> = None;
        while k < n && k - i < 10 {
            let t = &toks[k];
            if proper(t) {
                if let Some(kind) = self
                    .txt(t, cue::ORG_CUE)
                    .then(|| cues.get(&*t.text))
                    .flatten()
                {
                    cue = Some((k, kind.as_str()));
                }
                k += 1;
                end = k;
                continue;
            }
            // "of", "for", "of the", hyphens join capitalised words
            let joins = match t.lower() {
                "of" | "for" => {
                    (k + 1 < n && proper(&toks[k + 1]))
                        || (k + 2 < n && self.is_the(&toks[k + 1]) && proper(&toks[k + 2]))
                }
                "the" => k > i && matches!(toks[k - 1].lower(), "of" | "for"),
                "-" => k + 1 < n && proper(&toks[k + 1]),
                // "National Intelligence and Security Agency", not "India and the Arakan Army"
                "and" | "&" => {
                    k > i
                        && proper(&toks[k - 1])
                        && k + 1 < n
                        && proper(&toks[k + 1])
                        && self.gaz.longest_match(toks, k + 1, None).is_none()
                }
                _ => false,
            };
            if !joins {
                break;
            }
            k += 1;
        }
        let (ci, kind) = cue?;
        // the name ends at the cue word unless the cue heads "of"/"for" words: "Ministry of Interior"
        let stop = if ci + 1 < end && matches!(toks[ci + 1].lower(), "of" | "for") {
            end
        } else {
            ci + 1
        };
        if stop - i < 2 {
            return None;
        }
        // role nouns alone ("Foreign Ministry") are the composites' business
        if self.noun_at(toks, i).is_some_and(|(nl, _)| i + nl == stop) {
            return None;
        }
        // a known actor after "of"/"for" is what the words before it belong to ("Members of the
        // Arab League", "Ministry of Foreign Affairs of Afghanistan"), not part of a new name
        // — but a country closes the name of a party or an armed group: "People's Liberation
        // Front of India", "Islamic Movement of Uzbekistan"
        if (i + 1..stop).any(|k| {
            matches!(toks[k - 1].lower(), "of" | "for" | "the")
                && self.gaz.longest_match(toks, k, None).is_some_and(|(e, l)| {
                    !(k + l == stop
                        && kind != "GovernmentBody"
                        && self.gaz.actors[e.actor].kind == "State")
                })
        }) {
            return None;
        }
        Some((stop, kind))
    }

    /// An untitled person's name at `i` (see `person_speech_verbs` in `agents.toml`): its length
    /// and the gazetteer state an apposition after it names, if any.
    fn untitled_person_at(
        &self,
        toks: &[Token],
        i: usize,
        date: Option<&PartialDate>,
    ) -> Option<(usize, Option<usize>)> {
        let a = self.agents;
        let t = &toks[i];
        if a.person_speech_verbs.is_empty()
            || !t.is_capitalised()
            || self.txt(t, cue::ORG_SKIP | cue::NOT_NAME)
        {
            return None;
        }
        let len = self.name_at(toks, i);
        // two to four capitalised words of two letters or more, none a cue word or all capitals
        let mut words = 0;
        for w in &toks[i..i + len] {
            if w.kind == TokKind::Word && w.is_capitalised() && w.text.chars().count() >= 2 {
                words += 1;
                if words > 4
                    || self.txt(w, cue::NOT_NAME | cue::ORG_CUE)
                    || w.text.chars().all(|c| !c.is_lowercase())
                {
                    return None;
                }
            }
        }
        if words < 2 {
            return None;
        }
        let end = i + len;
        let speech = |k: usize| toks.get(k).is_some_and(|t| self.low(t, cue::SPEECH_VERB));
        // "Munir Akram said", and ", Munir Akram, said" closing an apposition
        let after_speech = speech(end)
            || (i >= 1
                && toks[i - 1].text == ","
                && toks.get(end).is_some_and(|t| t.text == ",")
                && speech(end + 1));
        // "said Mesut Casin", "according to ...", "his Israeli counterpart Meir Ben-Shabbat"
        let before_speech = i >= 1 && speech(i - 1)
            || (i >= 2 && toks[i - 2].lower() == "according" && toks[i - 1].lower() == "to")
            || (i >= 1 && self.low(&toks[i - 1], cue::PERSON_AFTER_NOUN));
        // ", a Turkish analyst", and ", UNICEF's executive director", ", U.S. deputy U.N.
        // ambassador": an actor's possessive or an actor before a lower-case title
        let apposition = toks.get(end).is_some_and(|t| t.text == ",")
            && (toks
                .get(end + 1)
                .is_some_and(|t| self.low(t, cue::APPOSITION_START))
                || self
                    .gaz
                    .longest_match(toks, end + 1, date)
                    .is_some_and(|(_, l)| {
                        toks.get(end + 1 + l).is_some_and(|t| {
                            t.text == "'s" || (t.kind == TokKind::Word && !t.is_capitalised())
                        })
                    }));
        if !(after_speech || before_speech || apposition) {
            return None;
        }
        // ", a Turkish analyst", ", Pakistan's envoy": a state named early in the apposition;
        // "Israeli counterpart Meir Ben-Shabbat": the country word before the noun
        let before_noun = (i >= 2 && self.low(&toks[i - 1], cue::PERSON_AFTER_NOUN))
            .then(|| {
                self.gaz
                    .longest_match(toks, i - 2, date)
                    .filter(|(e, l)| i - 2 + l == i - 1 && self.gaz.actors[e.actor].kind == "State")
                    .map(|(e, _)| e.actor)
            })
            .flatten();
        let country = if before_noun.is_some() {
            before_noun
        } else if toks.get(end).is_some_and(|t| t.text == ",") {
            (end + 1..(end + 4).min(toks.len())).find_map(|k| {
                self.gaz
                    .longest_match(toks, k, date)
                    .map(|(e, _)| e.actor)
                    .filter(|&x| self.gaz.actors[x].kind == "State")
            })
        } else {
            None
        };
        Some((len, country))
    }

    /// Find the actor mentions of a sentence.
    pub fn mentions(
        &self,
        toks: &[Token],
        date: Option<&PartialDate>,
        doc: &mut DocActors,
    ) -> Vec<Mention> {
        let mut out: Vec<Mention> = Vec::new();
        let n = toks.len();
        let mut i = 0;
        while i < n {
            // most words start nothing (the branches below all test for one of these)
            if !self.may_start_mention(&toks[i]) {
                i += 1;
                continue;
            }
            // "anti-China", "pro-Russian": not the actor acting
            let prefixed =
                i >= 2 && toks[i - 1].text == "-" && self.low(&toks[i - 2], cue::NON_ACTOR_PREFIX);
            // "the country's security forces", "the country": the state the document is about
            if i + 1 < n
                && self.is_the(&toks[i])
                && self.low(&toks[i + 1], cue::COUNTRY_ANAPHOR)
                && toks.get(i + 2).is_none_or(|t| t.lower() != "of")
            {
                if let Some(state) = doc.referent(&out, &["State"], &doc.states_named) {
                    let after_poss = if toks.get(i + 2).is_some_and(|t| t.text == "'s") {
                        i + 3
                    } else {
                        i + 2
                    };
                    if let Some((nl, ai)) = self.noun_at(toks, after_poss) {
                        let actor = self.intern_composite(doc, state, ai);
                        out.push(Mention::new(
                            i,
                            after_poss + nl,
                            actor,
                            MentionKind::Composite,
                            0.7,
                        ));
                        i = after_poss + nl;
                    } else {
                        out.push(Mention::new(i, i + 2, state, MentionKind::Pronoun, 0.7));
                        i += 2;
                    }
                    continue;
                }
            }
            // "the group said", "the bloc's foreign ministers": the organisation or armed group
            // the document is about
            // ("the separatist group": over one modifier of `group_anaphor_modifiers`)
            let the = self.is_the(&toks[i]);
            let group_at = if !the {
                None
            } else if i + 1 < n && self.low(&toks[i + 1], cue::GROUP_ANAPHOR) {
                Some(i + 2)
            } else if i + 2 < n
                && self.low(&toks[i + 1], cue::GROUP_ANAPHOR_MOD)
                && self.low(&toks[i + 2], cue::GROUP_ANAPHOR)
            {
                Some(i + 3)
            } else {
                None
            };
            if let Some(group_end) =
                group_at.filter(|&e| toks.get(e).is_none_or(|t| t.lower() != "of"))
            {
                if let Some(g) = doc.referent(&out, GROUP_KINDS, &doc.groups_named) {
                    out.push(Mention::new(i, group_end, g, MentionKind::Pronoun, 0.7));
                    i = group_end;
                    continue;
                }
            }
            // "the council" after "the U.N. Security Council": an organisation's head word
            if the
                && i + 1 < n
                && !toks[i + 1].is_capitalised()
                && self.low(&toks[i + 1], cue::ORG_HEAD)
            {
                let mut head = toks[i + 1].text.to_string();
                if let Some(c) = head.get_mut(0..1) {
                    c.make_ascii_uppercase();
                }
                if let Some(&a) = doc.surnames.get(&head) {
                    if doc.actors[a].kind != "Person" {
                        out.push(Mention::new(i, i + 2, a, MentionKind::Pronoun, 0.7));
                        i += 2;
                        continue;
                    }
                }
            }
            // titled person: [country word] Title Name
            if let Some((tl, agent_i)) = self.title_at(toks, i) {
                let capital_title = toks[i].is_capitalised();
                // the country word before the title, over modifiers ("Malaysia's former prime minister")
                let mut before_title = i;
                while before_title > 0 && self.low(&toks[before_title - 1], cue::TITLE_MODIFIER) {
                    before_title -= 1;
                }
                let country = out
                    .last()
                    .filter(|m| {
                        m.kind != MentionKind::Pronoun
                            && (m.end == before_title
                                || (m.end + 1 == before_title && toks[m.end].text == "'s"))
                    })
                    .map(|m| m.actor);
                // a title in apposition after a country word: "Malaysia's former prime minister, Najib Razak,"
                let comma = usize::from(
                    country.is_some()
                        && toks.get(i + tl).is_some_and(|t| t.text == ",")
                        && self.name_at(toks, i + tl + 1) > 0,
                );
                let name_len = self.name_at(toks, i + tl + comma);
                let title_len = tl;
                let tl = tl + comma;
                // a known person anywhere in the name ("General Michael “Erik” Kurilla" -> Erik Kurilla)
                let gaz_person = (i + tl..(i + tl + name_len).max(i + tl + 1))
                    .filter(|&k| k < n)
                    .find_map(|k| {
                        self.gaz
                            .longest_match(toks, k, date)
                            .filter(|(e, _)| self.gaz.actors[e.actor].kind == "Person")
                            .map(|(e, l)| (e, k + l - (i + tl)))
                    });
                if (capital_title || country.is_some()) && (name_len > 0 || gaz_person.is_some()) {
                    let (actor, len, conf) = if let Some((e, l)) = gaz_person {
                        let a = doc.from_gazetteer(self.gaz, e.actor);
                        let last = &toks[i + tl + l.max(name_len) - 1];
                        if last.is_capitalised() {
                            doc.surnames.entry(last.text.to_string()).or_insert(a);
                        }
                        (a, l.max(name_len), 1.0)
                    } else {
                        let name_toks = &toks[i + tl..i + tl + name_len];
                        // the label leaves a quoted nickname out: Michael "Erik" Kurilla -> Michael Kurilla
                        let mut plain: Vec<Token> = Vec::new();
                        let mut k = 0;
                        while k < name_toks.len() {
                            if name_toks[k].text == "\""
                                && k + 2 < name_toks.len()
                                && name_toks[k + 2].text == "\""
                            {
                                k += 3;
                                continue;
                            }
                            plain.push(name_toks[k].clone());
                            k += 1;
                        }
                        let label = join_tokens(&plain);
                        let surname = name_toks
                            .iter()
                            .rev()
                            .find(|t| t.is_capitalised() && t.text != "\"")
                            .map(|t| t.text.to_string())
                            .unwrap_or_default();
                        let ctry = country
                            .map(|c| doc.actors[c].country.clone())
                            .unwrap_or_default();
                        let id = format!("person:{}", slug(&label));
                        let idx = doc.intern(Actor {
                            id,
                            label,
                            kind: "Person".into(),
                            country: ctry.clone(),
                            parent: String::new(),
                            wikidata: String::new(),
                            aliases: vec![],
                            confidence: 0.85,
                        });
                        if doc.actors[idx].country.is_empty() && !ctry.is_empty() {
                            doc.actors[idx].country = ctry;
                        }
                        doc.surnames.insert(surname, idx);
                        (idx, name_len, 0.85)
                    };
                    // absorb a preceding country word into the mention; a lower-case title
                    // ("Taliban spokesperson Zabihullah Mujahid") leaves both the country word and
                    // the title outside the person's mention, for rules to read
                    if !capital_title {
                        // the country word and title read as the body the person belongs to
                        // ("U.S. national security adviser" -> United States government)
                        if let Some(m) = out.last_mut().filter(|m| {
                            country.is_some()
                                && matches!(
                                    m.kind,
                                    MentionKind::Name | MentionKind::Demonym | MentionKind::Capital
                                )
                        }) {
                            let ca = doc.actors[m.actor].clone();
                            if ca.kind == "State" {
                                m.actor =
                                    doc.intern(self.composite(&ca, &self.agents.agents[agent_i]));
                                m.end = i + title_len;
                                m.kind = MentionKind::Composite;
                                m.confidence = 0.9;
                            }
                        }
                    }
                    let start = match out.last() {
                        _ if !capital_title => i + tl,
                        Some(m) if country.is_some() && m.kind != MentionKind::Pronoun => {
                            let s = m.start;
                            out.pop();
                            s
                        }
                        _ => i,
                    };
                    out.push(Mention {
                        start,
                        end: i + tl + len,
                        actor,
                        role: Role::Subject,
                        kind: MentionKind::Person,
                        confidence: conf,
                        head: None,
                        title: Some((join_tokens(&toks[i..i + title_len]), country)),
                    });
                    i += tl + len;
                    continue;
                }
                // "the Pakistani prime minister": title after a country word, no name
                if let Some(m) = out.last() {
                    let adjacent = m.end == i || (m.end + 1 == i && toks[m.end].text == "'s");
                    if adjacent
                        && matches!(
                            m.kind,
                            MentionKind::Name | MentionKind::Demonym | MentionKind::Capital
                        )
                    {
                        let ca = doc.actors[m.actor].clone();
                        if ca.kind == "State" {
                            let agent = &self.agents.agents[agent_i];
                            let holder = self.gaz.role_holder(
                                &join_tokens(&toks[i..i + tl]),
                                &ca.country,
                                date,
                            );
                            let actor = match holder {
                                Some(h) => doc.from_gazetteer(self.gaz, h),
                                None => doc.intern(self.composite(&ca, agent)),
                            };
                            let last = out.last_mut().unwrap();
                            last.end = i + tl;
                            last.actor = actor;
                            last.kind = MentionKind::Composite;
                            last.confidence = 0.9;
                            i += tl;
                            continue;
                        }
                    }
                }
            }
            // an organisation known by its cue word, unless the gazetteer knows as much
            if let Some((stop, kind)) = self.organisation_at(toks, i) {
                if stop > self.gazetteer_extent(toks, i, date) && !prefixed {
                    let label = join_tokens(&toks[i..stop]);
                    // a country word inside the name or a possessive country before it
                    let inside = (i..stop).find_map(|k| {
                        self.gaz
                            .longest_match(toks, k, date)
                            .map(|(e, _)| e.actor)
                            .filter(|&a| self.gaz.actors[a].kind == "State")
                    });
                    let before = out
                        .last()
                        .filter(|m| {
                            m.end + 1 == i
                                && toks[m.end].text == "'s"
                                && m.kind != MentionKind::Pronoun
                                && doc.actors[m.actor].kind == "State"
                        })
                        .map(|m| m.actor);
                    let (country, parent) = match (inside, before) {
                        (_, Some(a)) => (doc.actors[a].country.clone(), doc.actors[a].id.clone()),
                        (Some(a), None) => (self.gaz.country_of(a), String::new()),
                        (None, None) => (String::new(), String::new()),
                    };
                    // the country in the id: "Kenya's High Court" and "Malawi's High Court" differ
                    let id = if country.is_empty() {
                        format!("org:{}", slug(&label))
                    } else {
                        format!("org:{}-{}", country.to_lowercase(), slug(&label))
                    };
                    let actor = doc.intern(Actor {
                        id,
                        label,
                        kind: kind.to_string(),
                        country,
                        parent,
                        wikidata: String::new(),
                        aliases: vec![],
                        confidence: 0.6,
                    });
                    // the possessive country stays a mention of its own, for rules to read
                    // ("Somalia's National Intelligence and Security Agency": partOf)
                    out.push(Mention::new(i, stop, actor, MentionKind::Name, 0.6));
                    i = stop;
                    continue;
                }
            }
            // gazetteer
            if let Some((e, len)) = self.gaz.longest_match(toks, i, date) {
                // do not match inside a longer hyphenated word: "Al" in "Al-Qaida" handled by
                // longest match; "IS" as a word part ("IS-K") handled by the alias itself.
                let actor_idx = e.actor;
                let kind = e.kind;
                let mut end = i + len;
                let mut mkind = match kind {
                    AliasKind::Name => MentionKind::Name,
                    AliasKind::Capital => MentionKind::Capital,
                    _ => MentionKind::Demonym,
                };
                let gactor = &self.gaz.actors[actor_idx];
                // a place is no actor: it tells which country the document is about
                if gactor.kind == "Place" {
                    if let Some(&ci) = self.gaz.by_id.get(&gactor.country) {
                        let state = doc.from_gazetteer(self.gaz, ci);
                        let e = doc.states_named.entry(state).or_insert((0, 0));
                        e.0 += 1;
                        e.1 = doc.sentences_read + 1;
                    }
                    i += len;
                    continue;
                }
                let is_state = gactor.kind == "State";
                let mut actor = None;
                // country word ['s] role noun
                let after_poss = if end < n && toks[end].text == "'s" {
                    end + 1
                } else {
                    end
                };
                // a role noun that is a title before a name is left to the title ("Chinese
                // Ambassador Wu Haitao")
                let titled_name_at = |k: usize| {
                    toks.get(k).is_some_and(|t| t.is_capitalised())
                        && self
                            .title_at(toks, k)
                            .is_some_and(|(tl, _)| self.name_at(toks, k + tl) > 0)
                };
                // a non-state actor's possessive does not join the noun after it: "the
                // Pakistani military's media wing" is the military's, not a new actor
                let poss_noun = if is_state || after_poss == end {
                    self.noun_at(toks, after_poss)
                } else {
                    None
                };
                if let Some((nl, ai)) = poss_noun
                    .or_else(|| self.noun_at(toks, end))
                    .filter(|_| !titled_name_at(after_poss) && !titled_name_at(end))
                {
                    let at = if poss_noun.is_some() { after_poss } else { end };
                    let base = doc.from_gazetteer(self.gaz, actor_idx);
                    if is_state {
                        actor = Some(self.intern_composite(doc, base, ai));
                        mkind = MentionKind::Composite;
                    } else {
                        actor = Some(base);
                    }
                    end = at + nl;
                } else if kind == AliasKind::Demonym && self.title_at(toks, end).is_none() {
                    // an adjective is an actor only before a role noun, a title or a country noun
                    // ("Chinese exports"), also when it shares one with coordinated adjectives
                    // ("Canadian and Mexican exports", "Canadian and Mexican officials")
                    match self.shared_head(toks, end, date) {
                        Some(Some(ai)) if is_state => {
                            let base = doc.from_gazetteer(self.gaz, actor_idx);
                            actor = Some(self.intern_composite(doc, base, ai));
                            mkind = MentionKind::Composite;
                        }
                        Some(None) => {}
                        _ => {
                            i += len;
                            continue;
                        }
                    }
                }
                let actor = match actor {
                    Some(a) => a,
                    None => doc.from_gazetteer(self.gaz, actor_idx),
                };
                if prefixed {
                    i = end;
                    continue;
                }
                // a known person's surname names them later in the document ("Sullivan said"),
                // and so does an organisation's head word ("the U.N. Security Council" ...
                // "Council members")
                let last = &toks[i + len - 1].text;
                if len > 1
                    && (gactor.kind == "Person"
                        || (mkind == MentionKind::Name
                            && self.agents.organisation_cues.contains_key(&**last)))
                {
                    doc.surnames.entry(last.to_string()).or_insert(actor);
                }
                out.push(Mention::new(
                    i,
                    end,
                    actor,
                    mkind,
                    if mkind == MentionKind::Composite {
                        0.9
                    } else {
                        1.0
                    },
                ));
                i = end;
                continue;
            }
            // a surname of a person introduced earlier in the document, also with its particle
            // ("Al-Sharaa" after "Ahmed al-Sharaa")
            if toks[i].is_capitalised() {
                if let Some(&p) = doc.surnames.get(&*toks[i].text) {
                    out.push(Mention::new(i, i + 1, p, MentionKind::Person, 0.8));
                    i += 1;
                    continue;
                }
                if i + 2 < n && self.low(&toks[i], cue::NAME_PARTICLE) && toks[i + 1].text == "-" {
                    if let Some(&p) = doc.surnames.get(&*toks[i + 2].text) {
                        out.push(Mention::new(i, i + 3, p, MentionKind::Person, 0.8));
                        i += 3;
                        continue;
                    }
                }
            }
            // an untitled person named next to a speech verb or before an apposition
            if let Some((len, country)) = self.untitled_person_at(toks, i, date) {
                let label = join_tokens(&toks[i..i + len]);
                let surname = toks[i..i + len]
                    .iter()
                    .rev()
                    .find(|t| t.is_capitalised() && t.text != "\"")
                    .map(|t| t.text.to_string())
                    .unwrap_or_default();
                let country = country.map(|c| self.gaz.country_of(c)).unwrap_or_default();
                let idx = doc.intern(Actor {
                    id: format!("person:{}", slug(&label)),
                    label,
                    kind: "Person".into(),
                    country: country.clone(),
                    parent: String::new(),
                    wikidata: String::new(),
                    aliases: vec![],
                    confidence: 0.7,
                });
                if doc.actors[idx].country.is_empty() && !country.is_empty() {
                    doc.actors[idx].country = country;
                }
                doc.surnames.insert(surname, idx);
                out.push(Mention::new(i, i + len, idx, MentionKind::Person, 0.7));
                i += len;
                continue;
            }
            // role noun + from/of + country: "a delegation from Pakistan"
            if let Some((nl, ai)) = self.noun_at(toks, i) {
                let k = i + nl;
                if k + 1 < n && matches!(toks[k].lower(), "from" | "of") {
                    let k2 = if self.is_the(&toks[k + 1]) {
                        k + 2
                    } else {
                        k + 1
                    };
                    if let Some((e, len)) = self.gaz.longest_match(toks, k2, date) {
                        // "diplomats from the Group of Seven", "members of al-Shabaab": the
                        // body itself acts
                        if self.gaz.actors[e.actor].kind != "State"
                            && self.gaz.actors[e.actor].kind != "Person"
                            && e.kind == AliasKind::Name
                        {
                            let actor = doc.from_gazetteer(self.gaz, e.actor);
                            out.push(Mention::new(i, k2 + len, actor, MentionKind::Name, 0.9));
                            i = k2 + len;
                            continue;
                        }
                        if self.gaz.actors[e.actor].kind == "State"
                            && matches!(e.kind, AliasKind::Name | AliasKind::Capital)
                        {
                            let base = doc.from_gazetteer(self.gaz, e.actor);
                            let actor = self.intern_composite(doc, base, ai);
                            out.push(Mention::new(
                                i,
                                k2 + len,
                                actor,
                                MentionKind::Composite,
                                0.9,
                            ));
                            i = k2 + len;
                            continue;
                        }
                    }
                }
            }
            // "police", "security forces" with no country word: the country of the sentence or
            // of the document (`bare_role_nouns` in agents.toml)
            if let Some((nl, ai)) = self.noun_at(toks, i).filter(|&(nl, _)| {
                out.last().is_none_or(|m| m.end < i)
                    && (i == 0 || !toks[i - 1].is_capitalised() || self.is_the(&toks[i - 1]))
                    && self
                        .agents
                        .bare_role_nouns
                        .contains(&join_tokens(&toks[i..i + nl]).to_lowercase())
            }) {
                if let Some(state) = doc.referent(&out, &["State"], &doc.states_named) {
                    let actor = self.intern_composite(doc, state, ai);
                    out.push(Mention::new(i, i + nl, actor, MentionKind::Composite, 0.6));
                    i += nl;
                    continue;
                }
            }
            i += 1;
        }
        // acronym definitions: "Tehreek-e-Taliban Pakistan (TTP)"
        let acronym = |t: &Token| {
            t.text.chars().filter(|c| c.is_uppercase()).count() >= 2
                && t.text
                    .chars()
                    .all(|c| c.is_uppercase() || c == '-' || c == '.')
        };
        for m in out.iter_mut() {
            if m.kind == MentionKind::Pronoun {
                continue;
            }
            // "Somalia's National Intelligence and Security Agency, or NISA,"
            if m.end + 2 < n
                && toks[m.end].text == ","
                && toks[m.end + 1].lower() == "or"
                && acronym(&toks[m.end + 2])
                && toks.get(m.end + 3).is_none_or(|t| t.kind != TokKind::Word)
            {
                doc.surnames
                    .insert(toks[m.end + 2].text.to_string(), m.actor);
                m.end += 3;
            } else if m.end + 2 < n
                && toks[m.end].text == "("
                && toks[m.end + 2].text == ")"
                && acronym(&toks[m.end + 1])
            {
                doc.surnames
                    .insert(toks[m.end + 1].text.to_string(), m.actor);
                m.end += 3;
            } else if m.end + 4 < n
                && toks[m.end].text == "("
                && toks[m.end + 2].text == "-"
                && toks[m.end + 4].text == ")"
            {
                m.end += 5;
            }
        }
        // mentions inside an extended one ("TTP" in "Tehreek-e-Taliban Pakistan (TTP)") go
        let spans: Vec<(usize, usize)> = out.iter().map(|m| (m.start, m.end)).collect();
        out.retain(|m| {
            !spans
                .iter()
                .any(|&(s, e)| s <= m.start && m.end <= e && (s, e) != (m.start, m.end))
        });
        // an acronym joined to a capitalised non-actor word names something else ("CIS-MOA")
        let starts: Vec<usize> = out.iter().map(|m| m.start).collect();
        out.retain(|m| {
            let next_cap = m.end + 1 < n
                && toks[m.end].text == "-"
                && toks[m.end + 1].is_capitalised()
                && !starts.contains(&(m.end + 1));
            let acronym = || {
                toks[m.start..m.end]
                    .iter()
                    .all(|t| !t.text.chars().any(|c| c.is_lowercase()))
            };
            !(next_cap && acronym())
        });
        self.assign_roles(toks, &mut out);
        self.add_pronouns(toks, &mut out, doc.last_person, &doc.actors);
        self.add_quoted_speaker(toks, &mut out);
        out.sort_by_key(|m| m.start);
        self.compute_heads(toks, &mut out);
        // the states named, for "the country" in the next sentences
        doc.sentences_read += 1;
        for m in &out {
            if m.kind == MentionKind::Pronoun {
                continue;
            }
            let named = match doc.actors[m.actor].kind.as_str() {
                "State" => &mut doc.states_named,
                k if GROUP_KINDS.contains(&k) => &mut doc.groups_named,
                _ => continue,
            };
            let e = named.entry(m.actor).or_insert((0, 0));
            e.0 += 1;
            e.1 = doc.sentences_read;
        }
        // the person this sentence is about, for "He said" in the next ones
        if let Some(m) = out
            .iter()
            .find(|m| m.role == Role::Subject && doc.actors[m.actor].kind == "Person")
        {
            doc.last_person = Some(m.actor);
        }
        out
    }

    fn assign_roles(&self, toks: &[Token], out: &mut [Mention]) {
        out.sort_by_key(|m| m.start);
        for k in 0..out.len() {
            let m = &out[k];
            let mut p = m.start;
            // over determiners and modifiers: "banned senior Iranian officials"
            while p > 0
                && (matches!(toks[p - 1].lower(), "the" | "a" | "an")
                    || self.low(&toks[p - 1], cue::TITLE_MODIFIER))
            {
                p -= 1;
            }
            let hyph_before = m.start > 0 && toks[m.start - 1].text == "-";
            let hyph_after = m.end < toks.len() && toks[m.end].text == "-";
            let prev = if p > 0 { Some(&toks[p - 1]) } else { None };
            // after a past-tense verb ("visited Washington", "credited Britain"): an object
            let after_verb = prev.is_some_and(|t| {
                t.kind == TokKind::Word
                    && t.lower().len() > 3
                    && t.lower().ends_with("ed")
                    && !t.is_capitalised()
                    && !self.low(t, cue::NOT_PAST_TENSE)
            });
            // after a gerund ("killing Afghan civilians", "supporting Ukraine"): an object
            let after_gerund = prev.is_some_and(|t| {
                t.kind == TokKind::Word
                    && t.lower().len() > 5
                    && t.lower().ends_with("ing")
                    && !t.is_capitalised()
            });
            // coordination (`[lists]` in cues.toml): "Britain and France" share a role, and so do
            // the members of a list "on Mexico, Canada and China" (a comma joins only when the
            // list goes on)
            let list_goes_on = self.object_list_goes_on(toks, out, k);
            let coordinated = prev
                .is_some_and(|t| self.low(t, cue::CONJUNCTION) || (t.text == "," && list_goes_on))
                && k > 0
                && out[k - 1].end + 1 == p;
            // an actor followed by a verb is a clause subject, even after "after", "as", "while"
            let next = toks.get(m.end);
            let before_verb = next.is_some_and(|t| self.is_verb_like(t));
            // "with Jake Sullivan speaking by phone": the subject of the participle
            let with_participle = prev.is_some_and(|t| t.lower() == "with")
                && next.is_some_and(|t| {
                    t.kind == TokKind::Word
                        && t.lower().len() > 5
                        && t.lower().ends_with("ing")
                        && !t.is_capitalised()
                });
            let role = if hyph_before || hyph_after {
                Role::Modifier
            } else if m.end < toks.len() && toks[m.end].text == "'s" {
                Role::Possessive
            } else if with_participle
                || (before_verb
                    && !prev.is_some_and(|t| {
                        matches!(t.lower(), "of" | "by" | "with" | "to" | "from" | "for")
                    }))
            {
                Role::Subject
            } else if prev.is_some_and(|t| self.low(t, cue::PREP))
                || after_verb
                || after_gerund
                || (coordinated && out[k - 1].role == Role::Object)
            {
                Role::Object
            } else {
                Role::Subject
            };
            out[k].role = role;
        }
    }

    /// Whether mention `k`, after a comma, continues a list of objects: more conjuncts follow up
    /// to an "and"/"or" and a last one, and no verb follows the list ("on Mexico, Canada and
    /// China to pressure them"; not "visit to India, the United States and India are", nor the
    /// apposition "of Afghanistan, Abdullah Abdullah, said").
    fn object_list_goes_on(&self, toks: &[Token], out: &[Mention], k: usize) -> bool {
        let mut cur = k;
        loop {
            let e = out[cur].end;
            let Some(sep) = toks.get(e) else { return false };
            let is_and = self.low(sep, cue::CONJUNCTION);
            if sep.text != "," && !is_and {
                return false;
            }
            // the next conjunct, over ", and" and an article
            let mut p = e + 1;
            if !is_and && toks.get(p).is_some_and(|t| self.low(t, cue::CONJUNCTION)) {
                p += 1;
            }
            let ended_with_and = is_and || p == e + 2;
            if toks
                .get(p)
                .is_some_and(|t| matches!(t.lower(), "the" | "a" | "an"))
            {
                p += 1;
            }
            let Some(next) = (cur + 1..out.len()).find(|&j| out[j].start == p) else {
                return false;
            };
            if ended_with_and {
                return !toks
                    .get(out[next].end)
                    .is_some_and(|t| self.is_verb_like(t));
            }
            cur = next;
        }
    }

    /// "Turkey's rival Greece", "his French counterpart Emmanuel Macron": a possessive modifies
    /// the actor right after it.
    fn compute_heads(&self, toks: &[Token], out: &mut [Mention]) {
        // "Turkey's rival Greece": the possessive modifies the actor after it
        for k in 0..out.len() {
            if out[k].role != Role::Possessive {
                continue;
            }
            let e = out[k].end;
            let after = if toks.get(e).is_some_and(|t| t.text == "'s") {
                e + 1
            } else {
                e
            };
            if let Some(h) =
                (k + 1..out.len()).find(|&j| out[j].start >= after && out[j].start <= after + 3)
            {
                let between = &toks[after..out[h].start];
                if between
                    .iter()
                    .all(|t| t.kind != TokKind::Punct && !self.low(t, cue::PREP))
                {
                    out[k].head = Some(h);
                }
            }
        }
    }

    /// A token that reads as a finite verb or auxiliary after a subject (`cues.toml`).
    fn is_verb_like(&self, t: &Token) -> bool {
        t.kind == TokKind::Word
            && !t.is_capitalised()
            && (self.low(t, cue::SUBJECT_VERB)
                || (t.lower().len() > 4
                    && t.lower().ends_with("ed")
                    && !self.low(t, cue::NOT_PAST_TENSE)))
    }

    /// "We reject ...," Balkhi said: first-person pronouns inside quotation marks stand for the
    /// speaker named next to a speech verb outside them.
    fn add_quoted_speaker(&self, toks: &[Token], out: &mut Vec<Mention>) {
        if self.lex.no_first_person || !toks.iter().any(|t| t.text == "\"") {
            return;
        }
        let mut inside = vec![false; toks.len()];
        let mut open = false;
        for (k, t) in toks.iter().enumerate() {
            if t.text == "\"" {
                open = !open;
            } else {
                inside[k] = open;
            }
        }
        let speaker = (0..toks.len())
            .filter(|&v| !inside[v] && self.low(&toks[v], cue::SPEECH_VERB))
            .find_map(|v| {
                out.iter()
                    .filter(|m| m.kind != MentionKind::Pronoun && !inside[m.start])
                    .find(|m| m.end == v || m.start == v + 1)
                    .cloned()
            });
        let Some(sp) = speaker else { return };
        let mut extra = Vec::new();
        for (k, t) in toks.iter().enumerate() {
            if !inside[k] || out.iter().any(|m| m.start <= k && k < m.end) {
                continue;
            }
            if self.low(t, cue::FIRST_PERSON) {
                extra.push(pronoun(k, &sp, Role::Subject, 0.8));
            } else if self.low(t, cue::FIRST_PERSON_POSS) {
                extra.push(pronoun(k, &sp, Role::Possessive, 0.8));
            }
        }
        out.extend(extra);
    }

    fn add_pronouns(
        &self,
        toks: &[Token],
        out: &mut Vec<Mention>,
        last_person: Option<usize>,
        actors: &[Actor],
    ) {
        let mut extra = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            // only subject, relative and possessive pronouns stand for anything (below)
            if !self.low(t, cue::SUBJ_PRONOUN | cue::REL_PRONOUN | cue::POSS_PRONOUN) {
                continue;
            }
            if out.iter().any(|m| m.start <= i && i < m.end) {
                continue;
            }
            // "he", "his" stand for persons; "it", "its" for anything but a person
            let wants_person = self.low(t, cue::PERSON_PRONOUN | cue::PERSON_POSS);
            let wants_thing = self.low(t, cue::NONPERSON_PRONOUN);
            // (a composite may be a person: "the Israeli leader ... he")
            let fits = |m: &Mention| {
                let person = actors[m.actor].kind == "Person";
                (!wants_person || person || m.kind == MentionKind::Composite)
                    && (!wants_thing || !person)
            };
            let rel = self.low(t, cue::REL_PRONOUN);
            let poss = self.low(t, cue::POSS_PRONOUN);
            if self.low(t, cue::SUBJ_PRONOUN) {
                // "it killed", "they said": the sentence's first clause subject before the pronoun
                if toks.get(i + 1).is_some_and(|t| self.is_verb_like(t)) {
                    // the main clause's subject: the first subject of the sentence
                    if let Some(m) = out
                        .iter()
                        .filter(|m| {
                            m.end <= i
                                && m.role == Role::Subject
                                && m.kind != MentionKind::Pronoun
                                && fits(m)
                        })
                        .min_by_key(|m| m.start)
                    {
                        extra.push(pronoun(i, m, Role::Subject, 0.8));
                    } else if let Some(p) = last_person.filter(|_| {
                        self.low(t, cue::PERSON_PRONOUN)
                            && !out
                                .iter()
                                .any(|m| m.end <= i && m.kind == MentionKind::Person)
                    }) {
                        // "He said ..." with no person before it in the sentence: the person
                        // who was the subject of an earlier sentence
                        let m = Mention::new(i, i + 1, p, MentionKind::Person, 0.7);
                        extra.push(pronoun(i, &m, Role::Subject, 1.0));
                    }
                }
                continue;
            }
            if !(rel || poss) {
                continue;
            }
            // relative: ACTOR , which | ACTOR -- whose
            if rel || t.lower() == "whose" {
                if i >= 2 && matches!(&*toks[i - 1].text, "," | "--") {
                    if let Some(m) = out.iter().find(|m| m.end == i - 1) {
                        // "whose" heads the subject of its clause ("whose chief was killed")
                        extra.push(pronoun(i, m, Role::Subject, 0.9));
                    }
                }
                continue;
            }
            // its / their: nearest actor before, else the first subject after (cataphora)
            let before = out
                .iter()
                .filter(|m| m.end <= i && m.kind != MentionKind::Pronoun && fits(m))
                .max_by_key(|m| m.end);
            let ante = before.or_else(|| {
                out.iter()
                    .find(|m| m.start > i && m.role == Role::Subject && fits(m))
            });
            if let Some(m) = ante {
                extra.push(pronoun(i, m, Role::Possessive, 0.8));
            }
        }
        out.extend(extra);
    }
}

/// A pronoun at token `i` standing for the antecedent mention `m`.
fn pronoun(i: usize, m: &Mention, role: Role, discount: f32) -> Mention {
    Mention {
        start: i,
        end: i + 1,
        actor: m.actor,
        role,
        kind: MentionKind::Pronoun,
        confidence: m.confidence * discount,
        head: None,
        title: None,
    }
}

/// Join tokens as they were spaced in text.
pub fn join_tokens(toks: &[Token]) -> String {
    let mut s = String::new();
    for (k, t) in toks.iter().enumerate() {
        if k > 0 && t.space_before {
            s.push(' ');
        }
        s.push_str(&t.text);
    }
    s
}

fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}
