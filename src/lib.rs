//! actorgraph: international-affairs news → a knowledge graph of actor relationships.
//!
//! The pipeline, one module a stage:
//! text ([`text`]: normalise, sentences, tokens with offsets) → actors ([`gazetteer`], [`actors`]:
//! gazetteer, possessives, demonyms, titled persons) → rules ([`rules`]: pattern language, matcher)
//! → edges ([`extract`], [`attrs`]: type, attributes, negation/modality, provenance) → store ([`store`], [`ingest`], [`query`]: RDF mapping, Oxigraph,
//! SPARQL) → exports ([`export`], [`output`]: DOT via petgraph, CSV, RDF, GraphML) and [`eval`].

pub mod actors;
pub mod attrs;
pub mod bench;
pub mod cli;
pub mod date;
pub mod error;
pub mod eval;
pub mod export;
pub mod extract;
pub mod gazetteer;
pub mod ingest;
pub mod input;
pub mod ontology;
pub mod output;
pub mod phoenix;
pub mod query;
pub mod rules;
pub mod ruletest;
pub mod store;
pub mod text;
