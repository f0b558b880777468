//! Reader for PETRARCH/Phoenix actor dictionaries (format of PETRARCH2's docs), so PETRARCH users
//! bring their dictionaries along with `--actors FILE`.
//!
//! ```text
//! AFGHANISTAN_  [AFG]          # an entry: NAME [CODE]
//! +AFGHAN_                     # synonyms of the entry
//! MOHAMMAD_ZAHIR_SHAH_         # an entry whose codes follow on indented lines,
//!     [AFGGOV 331108-730717]   #   restricted to dates (YYMMDD-YYMMDD, <YYMMDD, >YYMMDD)
//! ```
//! Names are matched case-insensitively (they are upper case in the dictionaries) but only on
//! capitalised words of the text. A three-letter code that is a gazetteer actor (`AFG`) makes the
//! names aliases of that actor; other codes become actors of their own (`phoenix:AFGMIL`), typed by
//! their agent code (`GOV`, `MIL`, `REB`, `IGO`, ...).

use crate::date::PartialDate;
use crate::error::DataError;
use crate::gazetteer::{Actor, Gazetteer, Validity};
use std::path::Path;

/// Does the file look like a Phoenix dictionary (not TOML)?
pub fn looks_like_phoenix(p: &Path) -> bool {
    if p.is_dir() || p.extension().is_some_and(|x| x == "toml") {
        return false;
    }
    true
}

struct Code {
    code: String,
    validity: Option<Validity>,
}

fn yymmdd(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    if !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (year, rest) = match s.len() {
        // PETRARCH: two-digit years; 30-99 are 19xx
        6 => {
            let yy: i32 = s[0..2].parse().ok()?;
            (if yy >= 30 { 1900 + yy } else { 2000 + yy }, &s[2..])
        }
        8 => (s[0..4].parse().ok()?, &s[4..]),
        _ => return None,
    };
    let m: u32 = rest[0..2].parse().ok()?;
    let d: u32 = rest[2..4].parse().ok()?;
    PartialDate::day(year, m.max(1), d.max(1))
}

/// Parse `CODE [restriction]`. A restriction that cannot be read is reported as a warning and
/// ignored (real dictionaries carry a few), not fatal.
fn parse_code(
    file: &Path,
    line: usize,
    inner: &str,
    warnings: &mut Vec<DataError>,
) -> Result<Code, DataError> {
    let inner = inner.replace("> ", ">").replace("< ", "<");
    let mut parts = inner.split_whitespace();
    let code = parts
        .next()
        .ok_or_else(|| DataError::new(file, line, "empty code []"))?
        .to_string();
    let validity = match parts.next() {
        None => None,
        Some(r) => {
            let v = if let Some(d) = r.strip_prefix('<') {
                yymmdd(d).map(|d| Validity {
                    from: None,
                    to: Some(d),
                    retrospective: false,
                })
            } else if let Some(d) = r.strip_prefix('>') {
                yymmdd(d).map(|d| Validity {
                    from: Some(d),
                    to: None,
                    retrospective: false,
                })
            } else if let Some((a, b)) = r.split_once('-') {
                yymmdd(a).zip(yymmdd(b)).map(|(a, b)| Validity {
                    from: Some(a),
                    to: Some(b),
                    retrospective: false,
                })
            } else {
                None
            };
            if v.is_none() {
                warnings.push(DataError::new(file, line, format!("bad date restriction {r:?} (want YYMMDD-YYMMDD, <YYMMDD or >YYMMDD); ignored")));
            }
            v
        }
    };
    Ok(Code { code, validity })
}

fn name_of(raw: &str) -> String {
    raw.trim()
        .trim_end_matches('_')
        .replace('_', " ")
        .trim()
        .to_string()
}

/// Dictionary names are upper case: "ABU NIDAL ORGANIZATION" -> "Abu Nidal Organization"; words
/// of one or two letters ("UN") and words without vowels ("PKK") stay as they are.
fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let vowels = w.chars().any(|c| "AEIOUaeiou".contains(c));
            let mut c = w.chars();
            match c.next() {
                Some(f) if w.chars().count() > 2 && vowels => {
                    f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase()
                }
                Some(_) => w.to_string(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn kind_of(code: &str, person: bool) -> &'static str {
    if person {
        return "Person";
    }
    let agent = if code.len() > 3 { &code[3..] } else { "" };
    if code.starts_with("IGO") {
        return "IGO";
    }
    if code.starts_with("IMG") || code.starts_with("NGM") {
        return "ArmedGroup";
    }
    if code.starts_with("NGO") {
        return "NGO";
    }
    match agent.get(..3).unwrap_or("") {
        "" => "State",
        "GOV" | "ELI" => "Government",
        "MIL" => "Military",
        "COP" => "Police",
        "SPY" => "Intelligence",
        "LEG" => "Legislature",
        "JUD" => "Judiciary",
        "REB" | "INS" | "SEP" => "ArmedGroup",
        "PTY" | "OPP" => "PoliticalParty",
        "BUS" => "Company",
        "MED" => "Media",
        _ => "Group",
    }
}

struct Entry {
    names: Vec<String>,
    codes: Vec<Code>,
    line: usize,
}

/// Load a Phoenix dictionary into the gazetteer. Returns the number of entries read.
pub fn load(
    g: &mut Gazetteer,
    path: &Path,
    abbrevs: &crate::text::Abbreviations,
) -> Result<usize, DataError> {
    let bytes =
        std::fs::read(path).map_err(|e| DataError::new(path, 0, format!("cannot read: {e}")))?;
    let src = String::from_utf8_lossy(&bytes);
    let mut entries: Vec<Entry> = Vec::new();
    let mut warnings = Vec::new();
    for (k, raw) in src.lines().enumerate() {
        let line = k + 1;
        let text = raw.split('#').next().unwrap_or("");
        if text.trim().is_empty() {
            continue;
        }
        let trimmed = text.trim();
        if let Some(syn) = trimmed.strip_prefix('+') {
            let e = entries
                .last_mut()
                .ok_or_else(|| DataError::new(path, line, "synonym (+NAME) before any entry"))?;
            let name = name_of(syn.split('[').next().unwrap_or(""));
            if !name.is_empty() {
                e.names.push(name);
            }
            continue;
        }
        if trimmed.starts_with('[') {
            let inner = trimmed
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("");
            if !trimmed.contains(']') {
                return Err(DataError::new(path, line, "code without closing ]"));
            }
            let c = parse_code(path, line, inner, &mut warnings)?;
            let e = entries
                .last_mut()
                .ok_or_else(|| DataError::new(path, line, "code line before any entry"))?;
            e.codes.push(c);
            continue;
        }
        // NAME [CODE] or NAME
        let (name, code) = match trimmed.find('[') {
            Some(p) => {
                let close = trimmed[p..]
                    .find(']')
                    .ok_or_else(|| DataError::new(path, line, "code without closing ]"))?;
                (
                    name_of(&trimmed[..p]),
                    Some(parse_code(
                        path,
                        line,
                        &trimmed[p + 1..p + close],
                        &mut warnings,
                    )?),
                )
            }
            None => (name_of(trimmed), None),
        };
        if name.is_empty() {
            return Err(DataError::new(path, line, "entry without a name"));
        }
        // "UN_ [IGOUNO]" right after "THE_UNITED_NATIONS_ [IGOUNO]" is a separate entry; a name
        // line without a code that follows a coded entry starts a new one too.
        entries.push(Entry {
            names: vec![name],
            codes: code.into_iter().collect(),
            line,
        });
    }
    // entries without codes take the next entry's code (PETRARCH: "U.N._" after "UN_ [IGOUNO]")
    let mut n = 0;
    for i in 0..entries.len() {
        if entries[i].codes.is_empty() {
            // a bare name inherits the previous entry's first code
            let prev = (0..i).rev().find(|&j| !entries[j].codes.is_empty());
            match prev {
                Some(j) => {
                    let c = Code {
                        code: entries[j].codes[0].code.clone(),
                        validity: entries[j].codes[0].validity.clone(),
                    };
                    entries[i].codes.push(c);
                }
                None => return Err(DataError::new(path, entries[i].line, "entry has no [CODE]")),
            }
        }
        let e = &entries[i];
        let person = e.codes.iter().any(|c| c.validity.is_some());
        // the code in force now (open-ended or latest)
        let current = e
            .codes
            .iter()
            .find(|c| c.validity.as_ref().is_none_or(|v| v.to.is_none()))
            .unwrap_or(e.codes.last().unwrap());
        let code = current.code.clone();
        let country = if code.len() >= 3 && g.get(&code[..3]).is_some_and(|a| a.kind == "State") {
            code[..3].to_string()
        } else {
            String::new()
        };
        let actor = if person {
            let label = title_case(&e.names[0]);
            g.push_actor(Actor {
                id: format!("phoenix:{}", e.names[0].replace(' ', "_")),
                label,
                kind: "Person".into(),
                country: country.clone(),
                parent: String::new(),
                wikidata: String::new(),
                aliases: e.names[1..].iter().map(|s| title_case(s)).collect(),
                confidence: 0.9,
            })
        } else if g.get(&code).is_some() {
            g.by_id[&code]
        } else {
            let parent = if country.is_empty() || code.len() == 3 {
                String::new()
            } else {
                country.clone()
            };
            g.push_actor(Actor {
                id: format!("phoenix:{code}"),
                label: title_case(&e.names[0]),
                kind: kind_of(&code, false).into(),
                country: country.clone(),
                parent,
                wikidata: String::new(),
                aliases: vec![],
                confidence: 0.9,
            })
        };
        for name in &e.names {
            g.add_ci_alias(actor, name, None, abbrevs);
        }
        n += 1;
    }
    g.warnings.extend(warnings);
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_synonyms_and_dated_codes() {
        let dir = std::env::temp_dir().join(format!("ag-phx-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("d.txt");
        std::fs::write(&f, "# c\nAFGHANISTAN_  [AFG]\n+AFGHAN_\n+KABUL_\n\nZAHIR_SHAH_ # x\n\t[AFGELI 320101-331108]\n\t[AFGGOV 331108-730717]\nUN_ [IGOUNO]\nU.N._\n").unwrap();
        let mut g = Gazetteer::default();
        let n = load(&mut g, &f, &Default::default()).unwrap();
        assert_eq!(n, 4);
        assert_eq!(g.get("phoenix:IGOUNO").unwrap().kind, "IGO");
        assert_eq!(g.get("phoenix:ZAHIR_SHAH").unwrap().kind, "Person");
        std::fs::write(&f, "FOO_ [AFG 99]\nBAR_ [AFG >20070101]\n").unwrap();
        let mut g = Gazetteer::default();
        load(&mut g, &f, &Default::default()).unwrap();
        assert_eq!(g.warnings.len(), 1);
        assert_eq!(g.warnings[0].line, 1);
        assert!(g.warnings[0].msg.contains("date restriction"));
        std::fs::write(&f, "+SYNONYM_FIRST\n").unwrap();
        let e = load(&mut Gazetteer::default(), &f, &Default::default()).unwrap_err();
        assert_eq!(
            (e.line, e.msg.as_str()),
            (1, "synonym (+NAME) before any entry")
        );
    }
}
