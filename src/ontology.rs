//! The ontology as data: relation types (read from `actorgraph.ttl`), role nouns and titles
//! (`agents.toml`) and cue words (`cues.toml`).

use crate::error::{line_of, toml_error, DataError};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedOrBlankNode, Term};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The ontology namespace.
pub const AG: &str = "https://w3id.org/actorgraph/ontology#";
/// Namespace of actors, documents, sentences and edges.
pub const AGID: &str = "https://w3id.org/actorgraph/id/";

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDFS_SUBCLASS: &str = "http://www.w3.org/2000/01/rdf-schema#subClassOf";
const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const OWL_SYMMETRIC: &str = "http://www.w3.org/2002/07/owl#SymmetricProperty";
const OWL_CLASS: &str = "http://www.w3.org/2002/07/owl#Class";

/// The four CAMEO quad classes.
pub const QUAD_CLASSES: [&str; 4] = [
    "verbalCooperation",
    "materialCooperation",
    "verbalConflict",
    "materialConflict",
];

/// A relation type of the ontology.
#[derive(Debug, Clone)]
pub struct RelationType {
    /// Local name (`makeVisit`, `rivalOf`).
    pub name: String,
    pub label: String,
    /// CAMEO code for event relations.
    pub cameo: Option<String>,
    pub plover: Option<String>,
    pub structural: bool,
    pub symmetric: bool,
    pub parent: Option<String>,
    /// Quad class local name for event relations.
    pub quad: Option<String>,
}

/// What the engine reads of `actorgraph.ttl`.
#[derive(Debug, Clone, Default)]
pub struct Ontology {
    pub relations: HashMap<String, RelationType>,
    /// Actor class local names (`State`, `ArmedGroup`, ...).
    pub actor_types: HashSet<String>,
    pub path: PathBuf,
}

impl Ontology {
    pub fn load(path: &Path) -> Result<Self, DataError> {
        let src = std::fs::read_to_string(path)
            .map_err(|e| DataError::new(path, 0, format!("cannot read: {e}")))?;
        Self::parse(path, &src)
    }

    pub fn parse(path: &Path, src: &str) -> Result<Self, DataError> {
        let mut sub: HashMap<String, Vec<String>> = HashMap::new();
        let mut labels: HashMap<String, String> = HashMap::new();
        let mut cameo: HashMap<String, String> = HashMap::new();
        let mut plover: HashMap<String, String> = HashMap::new();
        let mut symmetric: HashSet<String> = HashSet::new();
        let mut classes: HashSet<String> = HashSet::new();
        for q in RdfParser::from_format(RdfFormat::Turtle).for_slice(src.as_bytes()) {
            let q = q.map_err(|e| {
                let line = e.location().map(|l| l.start.line as usize + 1).unwrap_or(0);
                DataError::new(path, line, format!("Turtle syntax: {e}"))
            })?;
            let s = match &q.subject {
                NamedOrBlankNode::NamedNode(n) => n.as_str(),
                _ => continue,
            };
            let Some(local) = s.strip_prefix(AG) else {
                continue;
            };
            let p = q.predicate.as_str();
            let obj_iri = match &q.object {
                Term::NamedNode(n) => Some(n.as_str()),
                _ => None,
            };
            let obj_lit = match &q.object {
                Term::Literal(l) => Some(l.value()),
                _ => None,
            };
            match p {
                RDFS_SUBCLASS => {
                    if let Some(parent) = obj_iri.and_then(|o| o.strip_prefix(AG)) {
                        sub.entry(local.to_string())
                            .or_default()
                            .push(parent.to_string());
                    }
                }
                RDFS_LABEL => {
                    if let Some(l) = obj_lit {
                        labels
                            .entry(local.to_string())
                            .or_insert_with(|| l.to_string());
                    }
                }
                RDF_TYPE => {
                    if obj_iri == Some(OWL_SYMMETRIC) {
                        symmetric.insert(local.to_string());
                    }
                    if obj_iri == Some(OWL_CLASS) {
                        classes.insert(local.to_string());
                    }
                }
                _ => {
                    if let Some(l) = obj_lit {
                        if p == format!("{AG}cameo") {
                            cameo.insert(local.to_string(), l.to_string());
                        } else if p == format!("{AG}plover") {
                            plover.insert(local.to_string(), l.to_string());
                        }
                    }
                }
            }
        }
        let ancestors = |start: &str| -> Vec<String> {
            let mut out = Vec::new();
            let mut stack = vec![start.to_string()];
            let mut seen = HashSet::new();
            while let Some(c) = stack.pop() {
                if let Some(ps) = sub.get(&c) {
                    for p in ps {
                        if seen.insert(p.clone()) {
                            out.push(p.clone());
                            stack.push(p.clone());
                        }
                    }
                }
            }
            out
        };
        let mut relations = HashMap::new();
        let mut actor_types = HashSet::new();
        for c in &classes {
            let anc = ancestors(c);
            if c == "Actor" || anc.iter().any(|a| a == "Actor") {
                actor_types.insert(c.clone());
                continue;
            }
            let structural = anc.iter().any(|a| a == "structuralRelation");
            let event = anc.iter().any(|a| a == "eventRelation");
            if !(structural || event) {
                continue;
            }
            if !structural && !cameo.contains_key(c) {
                // quad classes and the event top carry no code; they are not extraction targets
                if !QUAD_CLASSES.contains(&c.as_str()) {
                    continue;
                }
            }
            let quad = if QUAD_CLASSES.contains(&c.as_str()) {
                Some(c.clone())
            } else {
                anc.iter()
                    .find(|a| QUAD_CLASSES.contains(&a.as_str()))
                    .cloned()
            };
            relations.insert(
                c.clone(),
                RelationType {
                    name: c.clone(),
                    label: labels.get(c).cloned().unwrap_or_else(|| c.clone()),
                    cameo: cameo.get(c).cloned(),
                    plover: plover.get(c).cloned(),
                    structural,
                    symmetric: symmetric.contains(c),
                    parent: sub.get(c).and_then(|v| v.first().cloned()),
                    quad,
                },
            );
        }
        if relations.is_empty() {
            return Err(DataError::new(
                path,
                0,
                "no relation types found (classes under ag:eventRelation or ag:structuralRelation)",
            ));
        }
        Ok(Ontology {
            relations,
            actor_types,
            path: path.to_path_buf(),
        })
    }
}

/// A role noun that turns a country word into a typed sub-actor.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    pub code: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub label: String,
    pub nouns: Vec<String>,
    /// Titles (capitalised) that introduce a person of this agent ("General", "Prime Minister").
    #[serde(default)]
    pub titles: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct AgentsFile {
    #[serde(default)]
    pub agent: Vec<toml::Spanned<Agent>>,
    /// Name particles allowed inside person names ("bin", "al", "de").
    #[serde(default)]
    pub name_particles: Vec<String>,
    /// Titles whose holder leads the country (or body) named before the title:
    /// "Russian President Vladimir Putin" -> Vladimir Putin leaderOf Russia.
    #[serde(default)]
    pub leader_titles: Vec<String>,
    /// Head words of organisations not in the gazetteer ("Front", "Ministry"), by actor type.
    #[serde(default)]
    pub organisation_cue: Vec<toml::Spanned<OrganisationCue>>,
    /// Capitalised words that never start such an organisation name ("The", "In").
    #[serde(default)]
    pub organisation_skip: Vec<String>,
    /// Verbs that mark a capitalised name next to them as a person ("X said", "said X").
    #[serde(default)]
    pub person_speech_verbs: Vec<String>,
    /// Lower-case nouns right before a capitalised name that mark it as a person ("his Israeli
    /// counterpart Meir Ben-Shabbat").
    #[serde(default)]
    pub person_after_nouns: Vec<String>,
    /// Role nouns that, with no country word, belong to the country the sentence or document is
    /// about ("police said", "security forces killed").
    #[serde(default)]
    pub bare_role_nouns: Vec<String>,
    /// Words that open an apposition after a person's name (", a professor ...").
    #[serde(default)]
    pub apposition_starts: Vec<String>,
    /// Capitalised words that are never part of an untitled person's name.
    #[serde(default)]
    pub not_name_words: Vec<String>,
    /// Words between a country word and a title ("former", "outgoing").
    #[serde(default)]
    pub title_modifiers: Vec<String>,
    /// Nouns after which a country adjective stands for its country ("Chinese exports").
    #[serde(default)]
    pub country_nouns: Vec<String>,
}

/// Head words that mark an organisation of one type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationCue {
    #[serde(rename = "type")]
    pub kind: String,
    pub words: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Agents {
    pub agents: Vec<Agent>,
    pub name_particles: rustc_hash::FxHashSet<String>,
    /// Lower-cased leader titles.
    pub leader_titles: rustc_hash::FxHashSet<String>,
    /// Organisation head word (as written, capitalised) -> actor type.
    pub organisation_cues: rustc_hash::FxHashMap<String, String>,
    pub organisation_skip: rustc_hash::FxHashSet<String>,
    /// Lower-cased speech verbs, apposition openers; not-name words as written.
    pub person_speech_verbs: rustc_hash::FxHashSet<String>,
    pub person_after_nouns: rustc_hash::FxHashSet<String>,
    pub bare_role_nouns: rustc_hash::FxHashSet<String>,
    pub apposition_starts: rustc_hash::FxHashSet<String>,
    pub not_name_words: rustc_hash::FxHashSet<String>,
    pub title_modifiers: rustc_hash::FxHashSet<String>,
    pub country_nouns: rustc_hash::FxHashSet<String>,
}

impl Agents {
    pub fn load(path: &Path, actor_types: &HashSet<String>) -> Result<Self, DataError> {
        let src = std::fs::read_to_string(path)
            .map_err(|e| DataError::new(path, 0, format!("cannot read: {e}")))?;
        let f: AgentsFile = toml::from_str(&src).map_err(|e| toml_error(path, &src, &e))?;
        let mut agents = Vec::new();
        let mut codes = HashSet::new();
        for a in f.agent {
            let line = line_of(&src, a.span().start);
            let a = a.into_inner();
            if !actor_types.is_empty() && !actor_types.contains(&a.kind) {
                return Err(DataError::new(
                    path,
                    line,
                    format!("agent {}: unknown actor type {:?}", a.code, a.kind),
                ));
            }
            if !codes.insert(a.code.clone()) {
                return Err(DataError::new(
                    path,
                    line,
                    format!("duplicate agent code {:?}", a.code),
                ));
            }
            agents.push(a);
        }
        let mut organisation_cues = rustc_hash::FxHashMap::default();
        for c in f.organisation_cue {
            let line = line_of(&src, c.span().start);
            let c = c.into_inner();
            if !actor_types.is_empty() && !actor_types.contains(&c.kind) {
                return Err(DataError::new(
                    path,
                    line,
                    format!("organisation_cue: unknown actor type {:?}", c.kind),
                ));
            }
            for w in c.words {
                if let Some(prev) = organisation_cues.insert(w.clone(), c.kind.clone()) {
                    return Err(DataError::new(
                        path,
                        line,
                        format!("organisation_cue word {w:?} is already a cue for {prev}"),
                    ));
                }
            }
        }
        Ok(Agents {
            agents,
            name_particles: f.name_particles.into_iter().collect(),
            leader_titles: f.leader_titles.iter().map(|t| t.to_lowercase()).collect(),
            organisation_cues,
            organisation_skip: f.organisation_skip.into_iter().collect(),
            person_speech_verbs: f
                .person_speech_verbs
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            person_after_nouns: f
                .person_after_nouns
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            bare_role_nouns: f.bare_role_nouns.iter().map(|w| w.to_lowercase()).collect(),
            apposition_starts: f
                .apposition_starts
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            not_name_words: f.not_name_words.into_iter().collect(),
            title_modifiers: f.title_modifiers.iter().map(|w| w.to_lowercase()).collect(),
            country_nouns: f.country_nouns.iter().map(|w| w.to_lowercase()).collect(),
        })
    }
}

/// Cue words and text settings (`cues.toml`).
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Cues {
    pub text: TextCues,
    pub negation: NegationCues,
    pub modality: ModalityCues,
    pub money: MoneyCues,
    /// Coordinated actors ("tariffs on Mexico, Canada and China": an edge for each).
    #[serde(default)]
    pub lists: ListCues,
    /// Prepositions: an actor right after one is not a clause subject.
    pub prepositions: Vec<String>,
    /// Words that introduce a relative clause after `ACTOR ,` ("which", "who").
    pub relative_pronouns: Vec<String>,
    /// Possessive pronouns resolved to the nearest actor ("its", "their").
    pub possessive_pronouns: Vec<String>,
    /// Before a verb, resolved to the first clause subject before them in the sentence
    /// ("the military said it killed 33 militants").
    #[serde(default)]
    pub subject_pronouns: Vec<String>,
    /// Inside quotation marks, the speaker named next to a speech verb outside them ("We reject
    /// ...," Balkhi said).
    #[serde(default)]
    pub first_person_pronouns: Vec<String>,
    #[serde(default)]
    pub first_person_possessives: Vec<String>,
    /// Subject pronouns that, with no person before them in the sentence, stand for the person
    /// last named as a clause subject in the document ("He said ...").
    #[serde(default)]
    pub person_pronouns: Vec<String>,
    /// Possessives that stand only for persons ("his", "her").
    #[serde(default)]
    pub person_possessives: Vec<String>,
    /// Pronouns that never stand for a person ("it", "its").
    #[serde(default)]
    pub nonperson_pronouns: Vec<String>,
    /// Nouns that after "the" stand for the country the document is about ("the country's
    /// security forces", "the country"): the state named most often so far.
    #[serde(default)]
    pub country_anaphors: Vec<String>,
    /// Nouns that after "the" stand for the organisation the document is about ("the group",
    /// "the bloc"): the intergovernmental organisation or armed group named most often so far.
    #[serde(default)]
    pub group_anaphors: Vec<String>,
    /// Words allowed between "the" and a group anaphor ("the separatist group").
    #[serde(default)]
    pub group_anaphor_modifiers: Vec<String>,
    /// Verbs and auxiliaries that show the actor before them is a clause subject.
    #[serde(default)]
    pub subject_verbs: Vec<String>,
    /// Lower-case words ending in -ed that are not past-tense verbs ("indeed", "united").
    #[serde(default)]
    pub not_past_tense: Vec<String>,
    /// Prefixes that make a hyphenated actor not an actor ("anti-China", "pro-Russian").
    pub non_actor_prefixes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TextCues {
    pub abbreviations: Vec<String>,
    pub boilerplate: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct NegationCues {
    pub words: Vec<String>,
    /// How many tokens before the match a cue still negates it.
    pub window_before: usize,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ModalityCues {
    pub claimed: Vec<String>,
    pub hypothetical: Vec<String>,
    pub pledged: Vec<String>,
}

/// The words of a list of actors (`[lists]` in `cues.toml`), lower-case.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ListCues {
    /// Words that join the last conjunct ("and", "or"): a list needs one (commas alone are
    /// appositions or clause boundaries).
    pub conjunctions: Vec<String>,
    /// Words that may also stand between two conjuncts, besides commas, conjunctions and title
    /// modifiers ("the", "its").
    pub fillers: Vec<String>,
    /// Phrases that, after a comma, carry a list on past its conjunction ("the United States,
    /// along with Britain and France,"); fillers inside them are skipped.
    pub continuers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct MoneyCues {
    /// Symbol or code before a number -> ISO 4217 ("$" = "USD").
    pub symbols: HashMap<String, String>,
    /// Word after a number -> ISO 4217 ("dollars" = "USD").
    pub words: HashMap<String, String>,
    /// What a token must look like to be one of `symbols`, worked out on first use.
    #[serde(skip)]
    symbol_shape: std::sync::OnceLock<SymbolShape>,
}

/// The length of the longest money symbol and the bytes symbols begin with: a token longer, or
/// beginning with another byte, needs no lookup.
#[derive(Debug, Clone)]
struct SymbolShape {
    longest: usize,
    first: [bool; 256],
}

impl MoneyCues {
    /// Whether `text` may be one of `symbols` (a cheap test before the lookup).
    pub fn may_be_symbol(&self, text: &str) -> bool {
        let shape = self.symbol_shape.get_or_init(|| {
            let mut first = [false; 256];
            for k in self.symbols.keys() {
                if let Some(&b) = k.as_bytes().first() {
                    first[b as usize] = true;
                }
            }
            SymbolShape {
                longest: self.symbols.keys().map(|k| k.len()).max().unwrap_or(0),
                first,
            }
        });
        text.len() <= shape.longest
            && text
                .as_bytes()
                .first()
                .is_some_and(|&b| shape.first[b as usize])
    }
}

impl Cues {
    pub fn load(path: &Path) -> Result<Self, DataError> {
        let src = std::fs::read_to_string(path)
            .map_err(|e| DataError::new(path, 0, format!("cannot read: {e}")))?;
        let c: Cues = toml::from_str(&src).map_err(|e| toml_error(path, &src, &e))?;
        for (i, b) in c.text.boilerplate.iter().enumerate() {
            if let Err(e) = regex::Regex::new(b) {
                let line = src.find(b.as_str()).map(|o| line_of(&src, o)).unwrap_or(0);
                return Err(DataError::new(
                    path,
                    line,
                    format!("boilerplate pattern {} is not a valid regex: {e}", i + 1),
                ));
            }
        }
        Ok(c)
    }
}
