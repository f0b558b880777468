//! Attributes found in a sentence: date expressions and money amounts, with their token spans.

use crate::date::PartialDate;
use crate::ontology::MoneyCues;
use crate::text::{TokKind, Token};

/// A date expression: tokens `start..end` and the date it states.
#[derive(Debug, Clone, PartialEq)]
pub struct DateExpr {
    pub start: usize,
    pub end: usize,
    pub date: PartialDate,
}

/// An amount of money: tokens `start..end`, value and ISO 4217 currency.
#[derive(Debug, Clone, PartialEq)]
pub struct Money {
    pub start: usize,
    pub end: usize,
    pub value: f64,
    pub currency: String,
}

#[inline]
fn month_of(t: &str) -> Option<u32> {
    // months are capitalised words of 3 to 10 letters, beginning with one of eight letters
    if !t
        .as_bytes()
        .first()
        .is_some_and(|c| matches!(c, b'J' | b'F' | b'M' | b'A' | b'S' | b'O' | b'N' | b'D'))
        || t.len() < 3
        || t.len() > 10
    {
        return None;
    }
    month_named(t)
}

fn month_named(t: &str) -> Option<u32> {
    // lower-cased on the stack: a word with a character beyond ASCII names no month
    let w = t.trim_end_matches('.');
    if !w.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 10];
    let l = &mut buf[..w.len()];
    l.copy_from_slice(w.as_bytes());
    l.make_ascii_lowercase();
    let m = match &*l {
        b"january" | b"jan" => 1,
        b"february" | b"feb" => 2,
        b"march" | b"mar" => 3,
        b"april" | b"apr" => 4,
        b"may" => 5,
        b"june" | b"jun" => 6,
        b"july" | b"jul" => 7,
        b"august" | b"aug" => 8,
        b"september" | b"sep" | b"sept" => 9,
        b"october" | b"oct" => 10,
        b"november" | b"nov" => 11,
        b"december" | b"dec" => 12,
        _ => return None,
    };
    // "May" and "March" are also words: require a capital letter.
    t.chars().next().filter(|c| c.is_uppercase()).map(|_| m)
}

fn weekday_of(t: &str) -> Option<u32> {
    Some(match t {
        "Monday" => 0,
        "Tuesday" => 1,
        "Wednesday" => 2,
        "Thursday" => 3,
        "Friday" => 4,
        "Saturday" => 5,
        "Sunday" => 6,
        _ => return None,
    })
}

fn year_of(t: &Token) -> Option<i32> {
    if t.kind != TokKind::Number || t.text.len() != 4 {
        return None;
    }
    let y: i32 = t.text.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

/// The day of month `t` is ("14", "3rd"): the first-byte test inlined (nearly every token fails
/// it), the rest out of line.
#[inline(always)]
fn day_of(t: &Token) -> Option<u32> {
    // the text starts with a digit when its lower-case form does (no other character
    // lower-cases to one)
    if !t
        .text
        .as_bytes()
        .first()
        .is_some_and(|c| c.is_ascii_digit())
    {
        return None;
    }
    short_day_number(t)
}

#[inline(never)]
fn short_day_number(t: &Token) -> Option<u32> {
    if t.lower().len() > 4 {
        return None;
    }
    day_number(t)
}

/// `s.trim_end_matches(suffix)` without building a substring searcher.
fn trim_all<'s>(mut s: &'s str, suffix: &str) -> &'s str {
    while let Some(r) = s.strip_suffix(suffix) {
        s = r;
    }
    s
}

fn day_number(t: &Token) -> Option<u32> {
    let s = ["st", "nd", "rd", "th"]
        .iter()
        .fold(t.lower(), |s, suffix| trim_all(s, suffix));
    if t.kind != TokKind::Number && !t.lower().chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    let d: u32 = s.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

const YEAR_PREPS: &[&str] = &[
    "in",
    "since",
    "by",
    "during",
    "until",
    "till",
    "from",
    "of",
    "early",
    "late",
    "mid",
    "before",
    "after",
    "through",
    "throughout",
    "year",
];

/// Infer the year of "March 11" from the document date: the latest such day not after the
/// document (plus a week of slack for announced events).
fn infer_year(month: u32, day: u32, doc: Option<&PartialDate>) -> Option<PartialDate> {
    let doc = doc?;
    let cand = PartialDate::day(doc.year, month, day)?;
    match (cand.days(), doc.days()) {
        (Some(c), Some(d)) if c > d + 7 => PartialDate::day(doc.year - 1, month, day),
        _ => Some(cand),
    }
}

/// All date expressions of a sentence, relative ones resolved against `doc` when given.
pub fn find_dates(toks: &[Token], doc: Option<&PartialDate>) -> Vec<DateExpr> {
    let mut out = Vec::new();
    let n = toks.len();
    let mut i = 0;
    while i < n {
        let t = &toks[i];
        let next = |k: usize| toks.get(i + k);
        // MONTH DAY , YEAR | MONTH DAY | MONTH YEAR | MONTH , YEAR
        if let Some(m) = month_of(&t.text) {
            if let Some(d) = next(1).and_then(day_of) {
                let (yi, skip) = if next(2).is_some_and(|t| t.text == ",") {
                    (3, 1)
                } else {
                    (2, 0)
                };
                if let Some(y) = next(yi).and_then(year_of) {
                    if let Some(date) = PartialDate::day(y, m, d) {
                        out.push(DateExpr {
                            start: i,
                            end: i + yi + 1,
                            date,
                        });
                        i += yi + 1;
                        continue;
                    }
                }
                let _ = skip;
                if next(1).is_some_and(|t| year_of(t).is_none()) {
                    if let Some(date) = infer_year(m, d, doc) {
                        out.push(DateExpr {
                            start: i,
                            end: i + 2,
                            date,
                        });
                        i += 2;
                        continue;
                    }
                }
            }
            let yi = if next(1).is_some_and(|t| t.text == ",") {
                2
            } else {
                1
            };
            if let Some(y) = next(yi).and_then(year_of) {
                out.push(DateExpr {
                    start: i,
                    end: i + yi + 1,
                    date: PartialDate::month(y, m),
                });
                i += yi + 1;
                continue;
            }
        }
        // DAY MONTH YEAR | DAY MONTH
        if let Some((d, m)) =
            day_of(t).and_then(|d| next(1).and_then(|t| month_of(&t.text)).map(|m| (d, m)))
        {
            if let Some(y) = next(2).and_then(year_of) {
                if let Some(date) = PartialDate::day(y, m, d) {
                    out.push(DateExpr {
                        start: i,
                        end: i + 3,
                        date,
                    });
                    i += 3;
                    continue;
                }
            }
            if let Some(date) = infer_year(m, d, doc) {
                out.push(DateExpr {
                    start: i,
                    end: i + 2,
                    date,
                });
                i += 2;
                continue;
            }
        }
        // in 2022
        if let Some(y) = year_of(t) {
            let prev_ok = i > 0 && YEAR_PREPS.contains(&toks[i - 1].lower());
            let not_range = next(1).is_none_or(|t| t.text != "-");
            if prev_ok && not_range {
                out.push(DateExpr {
                    start: i,
                    end: i + 1,
                    date: PartialDate::year(y),
                });
                i += 1;
                continue;
            }
        }
        // relative expressions
        if let Some(d) = doc {
            let nl = next(1).map(|t| t.lower());
            let rel = match (t.lower(), nl) {
                ("last", Some("year")) => Some((PartialDate::year(d.year - 1), 2)),
                ("this", Some("year")) | ("earlier", Some("this")) if nl == Some("year") => {
                    Some((PartialDate::year(d.year), 2))
                }
                ("last", Some("month")) => d.month.map(|m| {
                    let (y, m) = if m == 1 {
                        (d.year - 1, 12)
                    } else {
                        (d.year, m - 1)
                    };
                    (PartialDate::month(y, m), 2)
                }),
                ("this", Some("month")) => d.month.map(|m| (PartialDate::month(d.year, m), 2)),
                ("today", _) | ("tonight", _) if d.day.is_some() => Some((*d, 1)),
                ("yesterday", _) if d.day.is_some() => {
                    d.days().map(|x| (PartialDate::from_days(x - 1), 1))
                }
                _ => None,
            };
            if let Some((date, len)) = rel {
                out.push(DateExpr {
                    start: i,
                    end: i + len,
                    date,
                });
                i += len;
                continue;
            }
            if let (Some(wd), Some(dd)) = (weekday_of(&t.text), d.days()) {
                let dw = d.weekday().unwrap_or(0) as i64;
                let back = (dw - wd as i64).rem_euclid(7);
                out.push(DateExpr {
                    start: i,
                    end: i + 1,
                    date: PartialDate::from_days(dd - back),
                });
                i += 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

fn scale_of(t: &str) -> Option<f64> {
    Some(match t {
        "thousand" => 1e3,
        "million" | "millions" | "mln" | "mn" | "m" => 1e6,
        "billion" | "billions" | "bn" | "b" => 1e9,
        "trillion" | "tn" => 1e12,
        _ => return None,
    })
}

/// A number token, maybe with a glued scale ("450M", "1.5bn").
fn number_of(t: &Token) -> Option<(f64, f64)> {
    if !t.text.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    // digits, '.' and ',' are one byte each
    let len = t
        .text
        .bytes()
        .take_while(|c| c.is_ascii_digit() || *c == b'.' || *c == b',')
        .count();
    let digits = &t.text[..len];
    let suffix = &t.lower()[len..];
    let v: f64 = if digits.contains(',') {
        digits.replace(',', "").parse().ok()?
    } else {
        digits.parse().ok()?
    };
    if suffix.is_empty() {
        return Some((v, 1.0));
    }
    scale_of(suffix).map(|s| (v, s))
}

/// All money amounts of a sentence.
pub fn find_money(toks: &[Token], cues: &MoneyCues) -> Vec<Money> {
    let mut out = Vec::new();
    let n = toks.len();
    let mut i = 0;
    while i < n {
        // symbol or code before: "$450 million", "US$ 5", "USD 10"
        let mut sym_len = 0;
        let mut currency = None;
        if i + 1 < n && toks[i].text == "US" && toks[i + 1].text == "$" && !toks[i + 1].space_before
        {
            sym_len = 2;
            currency = Some("USD".to_string());
        } else if let Some(c) = cues
            .may_be_symbol(&toks[i].text)
            .then(|| cues.symbols.get(&*toks[i].text))
            .flatten()
        {
            sym_len = 1;
            currency = Some(c.clone());
        }
        if let Some(cur) = currency {
            if let Some((v, glued)) = toks.get(i + sym_len).and_then(number_of) {
                let mut end = i + sym_len + 1;
                let mut scale = glued;
                if glued == 1.0 {
                    if let Some(s) = toks.get(end).and_then(|t| scale_of(t.lower())) {
                        scale = s;
                        end += 1;
                    }
                }
                out.push(Money {
                    start: i,
                    end,
                    value: v * scale,
                    currency: cur,
                });
                i = end;
                continue;
            }
        }
        // number [scale] currency-word: "450 million dollars"
        if let Some((v, glued)) = number_of(&toks[i]) {
            let mut end = i + 1;
            let mut scale = glued;
            if glued == 1.0 {
                if let Some(s) = toks.get(end).and_then(|t| scale_of(t.lower())) {
                    scale = s;
                    end += 1;
                }
            }
            let two = toks
                .get(end)
                .zip(toks.get(end + 1))
                .map(|(a, b)| format!("{} {}", a.lower(), b.lower()));
            let found = two
                .and_then(|w| cues.words.get(&w).map(|c| (c.clone(), 2)))
                .or_else(|| {
                    toks.get(end)
                        .and_then(|t| cues.words.get(t.lower()))
                        .map(|c| (c.clone(), 1))
                });
            if let Some((cur, len)) = found {
                out.push(Money {
                    start: i,
                    end: end + len,
                    value: v * scale,
                    currency: cur,
                });
                i = end + len;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// An amount as a plain number (no exponent, no grouping).
pub fn format_amount(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e18 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Token<'_>> {
        let ab: crate::text::Abbreviations =
            ["sep.", "jan."].iter().map(|s| s.to_string()).collect();
        crate::text::tokenize(s, 0, s.len(), 0, &ab)
    }

    fn dates(s: &str, doc: Option<&str>) -> Vec<String> {
        let d = doc.and_then(PartialDate::parse_iso);
        find_dates(&toks(s), d.as_ref())
            .into_iter()
            .map(|d| d.date.to_string())
            .collect()
    }

    #[test]
    fn dates_at_stated_precision() {
        assert_eq!(
            dates("In September 2022, the State Department approved", None),
            ["2022-09"]
        );
        assert_eq!(
            dates("at Al Udeid Air Base, Qatar, Sep. 14, 2022.", None),
            ["2022-09-14"]
        );
        assert_eq!(dates("grew to reach $12 billion in 2022", None), ["2022"]);
        assert_eq!(
            dates("on 14 March 2025 officials said", None),
            ["2025-03-14"]
        );
        assert_eq!(
            dates("the F-16 and 2022-2023 budgets", None),
            Vec::<String>::new()
        );
    }

    #[test]
    fn relative_dates_need_a_document_date() {
        assert_eq!(dates("floods last year", Some("2023-05-02")), ["2022"]);
        assert_eq!(
            dates("This month, media reports claimed", Some("2023-05-02")),
            ["2023-05"]
        );
        assert_eq!(dates("floods last year", None), Vec::<String>::new());
        // 2025-03-14 is a Friday; "Thursday" is the day before
        assert_eq!(
            dates("was killed Thursday in an airstrike", Some("2025-03-14")),
            ["2025-03-13"]
        );
        assert_eq!(
            dates("on March 11 the talks", Some("2025-03-14")),
            ["2025-03-11"]
        );
    }

    #[test]
    fn money() {
        let mut cues = MoneyCues::default();
        cues.symbols.insert("$".into(), "USD".into());
        cues.words.insert("euros".into(), "EUR".into());
        let m = |s: &str| {
            find_money(&toks(s), &cues)
                .into_iter()
                .map(|m| (format_amount(m.value), m.currency))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            m("worth $450 million for"),
            [("450000000".to_string(), "USD".to_string())]
        );
        assert_eq!(
            m("a $450M deal"),
            [("450000000".to_string(), "USD".to_string())]
        );
        assert_eq!(
            m("reach $12 billion in 2022"),
            [("12000000000".to_string(), "USD".to_string())]
        );
        assert_eq!(
            m("US$1.5 billion"),
            [("1500000000".to_string(), "USD".to_string())]
        );
        assert_eq!(
            m("5 million euros"),
            [("5000000".to_string(), "EUR".to_string())]
        );
        assert!(m("F-16 program of 2022").is_empty());
    }
}
