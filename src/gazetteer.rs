//! The actor gazetteer: actors with aliases, capitals, demonyms and dated aliases, loaded from
//! `ontology/actors/*.toml`, and a token-level longest-match index over them.

use crate::date::PartialDate;
use crate::error::{toml_error, DataError};
use crate::text::{tokenize, Abbreviations, Token, Words};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// An actor: a state, body, group, organisation or person.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub id: String,
    pub label: String,
    /// Actor class local name (`State`, `ArmedGroup`, `Person`, ...).
    pub kind: String,
    /// ISO 3166-1 alpha-3, or empty.
    pub country: String,
    pub parent: String,
    pub wikidata: String,
    pub aliases: Vec<String>,
    /// Confidence of the actor's identification (1.0 for gazetteer actors).
    pub confidence: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DatedAliasRaw {
    alias: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    retrospective: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleRaw {
    title: String,
    of: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorRaw {
    id: toml::Spanned<String>,
    label: String,
    #[serde(rename = "type")]
    kind: toml::Spanned<String>,
    #[serde(default)]
    country: String,
    #[serde(default)]
    parent: Option<toml::Spanned<String>>,
    #[serde(default)]
    wikidata: String,
    #[serde(default)]
    aliases: Vec<toml::Spanned<String>>,
    #[serde(default)]
    capitals: Vec<toml::Spanned<String>>,
    #[serde(default)]
    demonyms: Vec<toml::Spanned<String>>,
    #[serde(default)]
    dated: Vec<toml::Spanned<DatedAliasRaw>>,
    #[serde(default)]
    roles: Vec<toml::Spanned<RoleRaw>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorsFile {
    #[serde(default)]
    actor: Vec<toml::Spanned<ActorRaw>>,
}

/// How an alias names its actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AliasKind {
    Name,
    Capital,
    /// Adjective form ("American"): an actor only before a role noun.
    Demonym,
    /// People form ("Americans"): an actor by itself.
    DemonymPlural,
}

/// A date range during which an alias means its actor.
#[derive(Debug, Clone, PartialEq)]
pub struct Validity {
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
    pub retrospective: bool,
}

impl Validity {
    /// Is the alias valid at `date` (unknown date: yes)?
    pub fn valid_at(&self, date: Option<&PartialDate>) -> bool {
        let Some(d) = date else { return true };
        let after_from = self
            .from
            .as_ref()
            .is_none_or(|f| d.key_end() >= f.key_start());
        let before_to = self
            .to
            .as_ref()
            .is_none_or(|t| d.key_start() <= t.key_end());
        after_from && (before_to || self.retrospective)
    }
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub tokens: Vec<String>,
    /// The word ids (`text::Words`) of `tokens`, set by `Gazetteer::number_words`.
    pub ids: Vec<u32>,
    pub actor: usize,
    pub kind: AliasKind,
    pub validity: Option<Validity>,
}

impl Entry {
    /// Whether the alias stands at the start of `toks`, compared as written (`exact`, else in
    /// lower case): by word id once the gazetteer is `numbered`, else by string.
    fn starts(&self, toks: &[Token], numbered: bool, exact: bool) -> bool {
        let Some(toks) = toks.get(..self.tokens.len()) else {
            return false;
        };
        match (numbered, exact) {
            (true, true) => self.ids.iter().zip(toks).all(|(&a, t)| a == t.tid),
            (true, false) => self.ids.iter().zip(toks).all(|(&a, t)| a == t.lid),
            (false, true) => self.tokens.iter().zip(toks).all(|(a, t)| *a == t.text),
            (false, false) => self.tokens.iter().zip(toks).all(|(a, t)| *a == t.lower()),
        }
    }
}

/// Where an alias was declared (for the linter).
#[derive(Debug, Clone)]
pub struct AliasSite {
    pub file: PathBuf,
    pub line: usize,
    pub actor: String,
}

#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    pub actors: Vec<Actor>,
    pub by_id: HashMap<String, usize>,
    /// First token (exact text) -> entries (a row of `lists`), longest first.
    index: FxHashMap<String, u32>,
    /// The first bytes of the keys of `index` (a 256-bit set): most tokens (lower-case words,
    /// punctuation) start with no such byte and need no lookup.
    index_first: [u64; 4],
    /// Case-insensitive entries (PETRARCH dictionaries): first token lower-cased -> entries (a
    /// row of `lists`).
    ci_index: FxHashMap<String, u32>,
    /// The alias lists of `index` and `ci_index`.
    lists: Vec<Vec<Entry>>,
    /// By the engine's word id (`text::Words`) of a token's text: 1 + the row of `lists` of
    /// `index`, or 0 (set by `number_words`).
    by_tid: Vec<u32>,
    /// The same for `ci_index`, by the word id of a token's lower-case form.
    by_lid: Vec<u32>,
    /// Whether `number_words` ran: lookups go by word id.
    numbered: bool,
    /// Person roles: (person actor, title, country, validity).
    pub roles: Vec<(usize, String, String, Validity)>,
    /// Every alias string and where it came from (first claimant).
    pub alias_sites: HashMap<String, AliasSite>,
    /// Linter findings collected while loading (duplicate aliases, unknown parents).
    pub warnings: Vec<DataError>,
}

fn parse_date_field(file: &Path, line: usize, s: &str) -> Result<Option<PartialDate>, DataError> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    PartialDate::parse_iso(s.trim()).map(Some).ok_or_else(|| {
        DataError::new(
            file,
            line,
            format!("invalid date {s:?} (want YYYY, YYYY-MM or YYYY-MM-DD)"),
        )
    })
}

impl Gazetteer {
    /// Load every `*.toml` of a directory (sorted) or one file.
    pub fn load_path(
        &mut self,
        path: &Path,
        actor_types: &HashSet<String>,
        abbrevs: &Abbreviations,
    ) -> Result<(), DataError> {
        if path.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| DataError::new(path, 0, format!("cannot read directory: {e}")))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            for f in files {
                self.load_file(&f, actor_types, abbrevs)?;
            }
            Ok(())
        } else {
            self.load_file(path, actor_types, abbrevs)
        }
    }

    pub fn load_file(
        &mut self,
        path: &Path,
        actor_types: &HashSet<String>,
        abbrevs: &Abbreviations,
    ) -> Result<(), DataError> {
        let src = std::fs::read_to_string(path)
            .map_err(|e| DataError::new(path, 0, format!("cannot read: {e}")))?;
        let f: ActorsFile = toml::from_str(&src).map_err(|e| toml_error(path, &src, &e))?;
        let lines = crate::error::Lines::new(&src);
        for a in f.actor {
            let line = lines.line(a.span().start);
            let a = a.into_inner();
            let id = a.id.get_ref().clone();
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_alphanumeric() || "._-:".contains(c))
            {
                return Err(DataError::new(
                    path,
                    lines.line(a.id.span().start),
                    format!("invalid actor id {id:?}"),
                ));
            }
            if self.by_id.contains_key(&id) {
                return Err(DataError::new(
                    path,
                    lines.line(a.id.span().start),
                    format!("duplicate actor id {id:?}"),
                ));
            }
            let kind = a.kind.get_ref().clone();
            if !actor_types.is_empty() && !actor_types.contains(&kind) {
                let mut known: Vec<&String> = actor_types.iter().collect();
                known.sort();
                return Err(DataError::new(
                    path,
                    lines.line(a.kind.span().start),
                    format!(
                        "actor {id}: unknown type {kind:?} (known: {})",
                        known
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            if !a.country.is_empty()
                && (a.country.len() != 3 || !a.country.chars().all(|c| c.is_ascii_uppercase()))
            {
                return Err(DataError::new(
                    path,
                    line,
                    format!(
                        "actor {id}: country {:?} is not an ISO 3166 alpha-3 code",
                        a.country
                    ),
                ));
            }
            let idx = self.actors.len();
            let mut aliases: Vec<String> = a.aliases.iter().map(|s| s.get_ref().clone()).collect();
            aliases.extend(a.capitals.iter().map(|s| s.get_ref().clone()));
            self.actors.push(Actor {
                id: id.clone(),
                label: a.label.clone(),
                kind,
                country: a.country.clone(),
                parent: a
                    .parent
                    .as_ref()
                    .map(|p| p.get_ref().clone())
                    .unwrap_or_default(),
                wikidata: a.wikidata.clone(),
                aliases,
                confidence: 1.0,
            });
            self.by_id.insert(id.clone(), idx);
            let label_line = line;
            self.add_alias(
                path,
                label_line,
                idx,
                &a.label,
                AliasKind::Name,
                None,
                abbrevs,
            );
            for s in &a.aliases {
                self.add_alias(
                    path,
                    lines.line(s.span().start),
                    idx,
                    s.get_ref(),
                    AliasKind::Name,
                    None,
                    abbrevs,
                );
            }
            for s in &a.capitals {
                self.add_alias(
                    path,
                    lines.line(s.span().start),
                    idx,
                    s.get_ref(),
                    AliasKind::Capital,
                    None,
                    abbrevs,
                );
            }
            let dems: Vec<String> = a.demonyms.iter().map(|s| s.get_ref().clone()).collect();
            for s in &a.demonyms {
                let d = s.get_ref();
                let plural = dems
                    .iter()
                    .any(|o| o != d && d.starts_with(o.as_str()) && d.len() > o.len());
                let kind = if plural {
                    AliasKind::DemonymPlural
                } else {
                    AliasKind::Demonym
                };
                self.add_alias(
                    path,
                    lines.line(s.span().start),
                    idx,
                    d,
                    kind,
                    None,
                    abbrevs,
                );
            }
            for d in &a.dated {
                let l = lines.line(d.span().start);
                let d = d.get_ref();
                let v = Validity {
                    from: parse_date_field(path, l, &d.from)?,
                    to: parse_date_field(path, l, &d.to)?,
                    retrospective: d.retrospective,
                };
                self.add_alias(path, l, idx, &d.alias, AliasKind::Name, Some(v), abbrevs);
            }
            for r in &a.roles {
                let l = lines.line(r.span().start);
                let r = r.get_ref();
                let v = Validity {
                    from: parse_date_field(path, l, &r.from)?,
                    to: parse_date_field(path, l, &r.to)?,
                    retrospective: false,
                };
                self.roles.push((idx, r.title.clone(), r.of.clone(), v));
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn add_alias(
        &mut self,
        file: &Path,
        line: usize,
        actor: usize,
        alias: &str,
        kind: AliasKind,
        validity: Option<Validity>,
        abbrevs: &Abbreviations,
    ) {
        let alias = alias.trim();
        if alias.is_empty() {
            self.warnings
                .push(DataError::new(file, line, "empty alias"));
            return;
        }
        // A dated alias may repeat for several ranges of the same actor.
        match self.alias_sites.get(alias) {
            Some(site) if site.actor != self.actors[actor].id => {
                self.warnings.push(DataError::new(
                    file,
                    line,
                    format!(
                        "alias {alias:?} of {} is already claimed by {} ({}:{}); the first claim wins",
                        self.actors[actor].id,
                        site.actor,
                        site.file.display(),
                        site.line
                    ),
                ));
                return;
            }
            Some(_) if validity.is_none() => return,
            _ => {}
        }
        self.alias_sites
            .entry(alias.to_string())
            .or_insert(AliasSite {
                file: file.to_path_buf(),
                line,
                actor: self.actors[actor].id.clone(),
            });
        let toks: Vec<String> = tokenize(alias, 0, alias.len(), 0, abbrevs)
            .into_iter()
            .map(|t| t.text.into_owned())
            .collect();
        if toks.is_empty() {
            return;
        }
        let mut variants = vec![toks.clone()];
        // news spells hyphenated names with spaces too: "Tehreek e Taliban Pakistan",
        // "Inter Services Public Relations"
        if toks.len() > 2 && toks.iter().any(|t| t == "-") {
            let spaced: Vec<String> = toks.iter().filter(|t| *t != "-").cloned().collect();
            if spaced.len() >= 2 {
                variants.push(spaced);
            }
        }
        let upper: Vec<String> = toks.iter().map(|t| t.to_uppercase()).collect();
        if upper != toks
            && toks
                .iter()
                .any(|t| t.chars().next().is_some_and(|c| c.is_uppercase()))
        {
            variants.push(upper);
        }
        for v in variants {
            let e = Entry {
                tokens: v.clone(),
                ids: Vec::new(),
                actor,
                kind,
                validity: validity.clone(),
            };
            if let Some(&b) = v[0].as_bytes().first() {
                self.index_first[b as usize / 64] |= 1 << (b % 64);
            }
            list_of(&mut self.index, &mut self.lists, &v[0]).push(e);
        }
    }

    /// After all files are loaded: report parents that name no actor.
    pub fn check_parents(&mut self, files_hint: &Path) {
        for a in &self.actors {
            if !a.parent.is_empty() && !self.by_id.contains_key(&a.parent) {
                self.warnings.push(DataError::new(
                    files_hint,
                    0,
                    format!(
                        "actor {}: parent {:?} is not a known actor id",
                        a.id, a.parent
                    ),
                ));
            }
        }
    }

    /// Add a case-insensitive alias (from a PETRARCH/Phoenix dictionary).
    pub fn add_ci_alias(
        &mut self,
        actor: usize,
        alias: &str,
        validity: Option<Validity>,
        abbrevs: &Abbreviations,
    ) {
        let toks: Vec<String> = tokenize(alias, 0, alias.len(), 0, abbrevs)
            .into_iter()
            .map(|t| t.lower().to_string())
            .collect();
        if toks.is_empty() {
            return;
        }
        let list = list_of(&mut self.ci_index, &mut self.lists, &toks[0]);
        if list.iter().any(|e| e.tokens == toks) {
            return;
        }
        list.push(Entry {
            tokens: toks,
            ids: Vec::new(),
            actor,
            kind: AliasKind::Name,
            validity,
        });
    }

    /// Sort every alias list longest first; call after loading.
    pub fn finish(&mut self) {
        for list in &mut self.lists {
            list.sort_by_key(|e| std::cmp::Reverse(e.tokens.len()));
        }
    }

    /// Number the tokens of the aliases in `words`, so that tokens numbered by it are looked up
    /// and compared by id; call after `finish`.
    pub fn number_words(&mut self, words: &mut Words) {
        for e in self.lists.iter_mut().flatten() {
            e.ids = e.tokens.iter().map(|w| words.add(w)).collect();
        }
        let exact: Vec<(u32, u32)> = self.index.iter().map(|(w, &r)| (words.add(w), r)).collect();
        let ci: Vec<(u32, u32)> = self
            .ci_index
            .iter()
            .map(|(w, &r)| (words.add(w), r))
            .collect();
        self.by_tid = vec![0; words.rows()];
        self.by_lid = vec![0; words.rows()];
        for (id, r) in exact {
            self.by_tid[id as usize] = r + 1;
        }
        for (id, r) in ci {
            self.by_lid[id as usize] = r + 1;
        }
        self.numbered = true;
    }

    /// The exact-case alias list a token starts.
    fn exact_list(&self, t: &Token) -> Option<&[Entry]> {
        let row = if self.numbered {
            self.by_tid.get(t.tid as usize)?.checked_sub(1)?
        } else {
            *self.index.get(&*t.text)?
        };
        Some(&self.lists[row as usize])
    }

    /// The case-insensitive alias list a token starts.
    fn ci_list(&self, t: &Token) -> Option<&[Entry]> {
        let row = if self.numbered {
            self.by_lid.get(t.lid as usize)?.checked_sub(1)?
        } else {
            *self.ci_index.get(t.lower())?
        };
        Some(&self.lists[row as usize])
    }

    /// Add an actor (for dictionary readers); returns its index.
    pub fn push_actor(&mut self, a: Actor) -> usize {
        if let Some(&i) = self.by_id.get(&a.id) {
            return i;
        }
        let i = self.actors.len();
        self.by_id.insert(a.id.clone(), i);
        self.actors.push(a);
        i
    }

    /// Whether an alias may start with the word of id `id` (as written or in lower case); true
    /// for every word before `number_words`.
    #[inline]
    pub fn may_start_alias(&self, id: u32) -> bool {
        !self.numbered
            || self.by_tid.get(id as usize).is_some_and(|&r| r != 0)
            || self.by_lid.get(id as usize).is_some_and(|&r| r != 0)
    }

    /// Longest alias starting at token `i` valid at `date` (exact-case entries win ties).
    #[inline]
    pub fn longest_match<'a>(
        &'a self,
        tokens: &[crate::text::Token],
        i: usize,
        date: Option<&PartialDate>,
    ) -> Option<(&'a Entry, usize)> {
        // most tokens start no alias: tell by their ids, without a call
        if self.numbered {
            let t = &tokens[i];
            let exact = self.by_tid.get(t.tid as usize).is_some_and(|&r| r != 0);
            let ci = self.by_lid.get(t.lid as usize).is_some_and(|&r| r != 0);
            if !exact && !ci {
                return None;
            }
        }
        self.longest_match_listed(tokens, i, date)
    }

    fn longest_match_listed<'a>(
        &'a self,
        tokens: &[crate::text::Token],
        i: usize,
        date: Option<&PartialDate>,
    ) -> Option<(&'a Entry, usize)> {
        let valid = |e: &Entry| e.validity.as_ref().is_none_or(|v| v.valid_at(date));
        let mut best: Option<(&Entry, usize)> = None;
        let first = tokens[i].text.as_bytes().first().copied().unwrap_or(0);
        let keyed = self.index_first[first as usize / 64] & (1 << (first % 64)) != 0;
        if let Some(list) = keyed.then(|| self.exact_list(&tokens[i])).flatten() {
            for e in list {
                if e.starts(&tokens[i..], self.numbered, true) && valid(e) {
                    best = Some((e, e.tokens.len()));
                    break;
                }
            }
        }
        // a dictionary alias must be capitalised in text, as names are (below): a token that is
        // not needs no lookup
        if self.ci_index.is_empty() || !tokens[i].is_capitalised() {
            return best;
        }
        if let Some(list) = self.ci_list(&tokens[i]) {
            for e in list {
                let n = e.tokens.len();
                if best.is_some_and(|(_, b)| b >= n) {
                    break;
                }
                if e.starts(&tokens[i..], self.numbered, false) && valid(e) {
                    best = Some((e, n));
                    break;
                }
            }
        }
        best
    }

    pub fn get(&self, id: &str) -> Option<&Actor> {
        self.by_id.get(id).map(|&i| &self.actors[i])
    }

    /// The country (ISO3) of an actor, walking parents when the actor has none.
    pub fn country_of(&self, idx: usize) -> String {
        let mut cur = idx;
        for _ in 0..8 {
            let a = &self.actors[cur];
            if !a.country.is_empty() {
                return a.country.clone();
            }
            match self.by_id.get(&a.parent) {
                Some(&p) => cur = p,
                None => break,
            }
        }
        String::new()
    }

    /// Actors of a type holding `title` of `country` at `date` (for "the Pakistani prime minister").
    pub fn role_holder(
        &self,
        title: &str,
        country: &str,
        date: Option<&PartialDate>,
    ) -> Option<usize> {
        let date = date?;
        self.roles
            .iter()
            .find(|(_, t, c, v)| {
                t.eq_ignore_ascii_case(title) && c == country && v.valid_at(Some(date))
            })
            .map(|(i, ..)| *i)
    }

    pub fn len(&self) -> usize {
        self.actors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.actors.is_empty()
    }

    /// Number of alias index entries.
    pub fn alias_count(&self) -> usize {
        self.index
            .values()
            .map(|&r| self.lists[r as usize].len())
            .sum()
    }
}

/// The alias list (a row of `lists`) that `index` keeps for the first token `key`, made if new.
fn list_of<'l>(
    index: &mut FxHashMap<String, u32>,
    lists: &'l mut Vec<Vec<Entry>>,
    key: &str,
) -> &'l mut Vec<Entry> {
    let next = lists.len() as u32;
    let row = *index.entry(key.to_string()).or_insert(next);
    if row == next {
        lists.push(Vec::new());
    }
    &mut lists[row as usize]
}
