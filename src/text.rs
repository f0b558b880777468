//! Text: normalisation, tokens with character offsets, sentences, boilerplate and headings.
//!
//! Tokens keep their place in the original document (byte and character offsets) and carry a
//! normalised form: curly quotes become ASCII, a hyphen joined to the words around it is `-`, a dash
//! between spaces (or an em/en dash) is `--`, `Pakistan’s` is `Pakistan` + `'s`.

use regex::Regex;
use std::borrow::Cow;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    Word,
    Number,
    Punct,
}

#[derive(Debug, Clone)]
pub struct Token<'a> {
    /// Normalised text (ASCII quotes and dashes): a slice of the document when normalising
    /// changes nothing (most tokens), so a token costs no allocation of its own.
    pub text: Cow<'a, str>,
    /// Lower-case of `text` when it differs from `text`; empty when `text` is in lower case
    /// already (most words), which spares an allocation per token: read it with `lower()`.
    lower_own: String,
    pub kind: TokKind,
    /// Byte offsets in the document.
    pub start: usize,
    pub end: usize,
    /// Character offsets in the document.
    pub cstart: usize,
    pub cend: usize,
    /// Whitespace precedes the token.
    pub space_before: bool,
    /// The engine's word id (`Words`) of `lower`, 0 for a word no cue set, map, rule or
    /// dictionary key of the engine holds (set by `sentences`).
    pub lid: u32,
    /// The word id of `text` (the same as `lid` when `text` is in lower case).
    pub tid: u32,
}

impl Token<'_> {
    /// Lower-case of `text`.
    #[inline]
    pub fn lower(&self) -> &str {
        if self.lower_own.is_empty() {
            &self.text
        } else {
            &self.lower_own
        }
    }

    pub fn is_capitalised(&self) -> bool {
        match self.text.as_bytes().first() {
            Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
            _ => self.text.chars().next().is_some_and(|c| c.is_uppercase()),
        }
    }
}

/// A sentence: a run of tokens of one paragraph.
#[derive(Debug, Clone)]
pub struct Sentence<'a> {
    pub tokens: Vec<Token<'a>>,
    /// Byte offsets in the document.
    pub start: usize,
    pub end: usize,
    /// Character offsets in the document.
    pub cstart: usize,
    pub cend: usize,
}

impl Sentence<'_> {
    pub fn text<'d>(&self, doc: &'d str) -> &'d str {
        &doc[self.start..self.end]
    }
}

/// Lower-case abbreviations with their final period, looked up once per word before a period.
pub type Abbreviations = rustc_hash::FxHashSet<String>;

/// Settings for splitting text: abbreviations, boilerplate lines. Loaded from `ontology/cues.toml`.
#[derive(Debug, Clone, Default)]
pub struct TextConfig {
    /// Lower-case abbreviations with their final period ("gen.", "sep.", "sgt.").
    pub abbreviations: Abbreviations,
    /// Lines matching any of these yield no edges.
    pub boilerplate: Vec<Regex>,
    /// The words the engine looks tokens up by; `sentences` gives each token their ids.
    pub words: Words,
}

/// Every string the engine looks a token's text or lower-case form up by (cue sets, role nouns,
/// titles, rule words, dictionary keys), numbered from 1: a token is looked up once, and the cue
/// sets and maps become tables indexed by its id.
#[derive(Debug, Clone)]
pub struct Words {
    ids: rustc_hash::FxHashMap<String, u32>,
    /// The ids of the one-byte ASCII words ("," "." "a"), looked up without hashing.
    single: [u32; 128],
}

impl Default for Words {
    fn default() -> Self {
        Words {
            ids: Default::default(),
            single: [0; 128],
        }
    }
}

impl Words {
    /// The id of `w`, numbering it if new.
    pub fn add(&mut self, w: &str) -> u32 {
        if let Some(&i) = self.ids.get(w) {
            return i;
        }
        let i = self.ids.len() as u32 + 1;
        self.ids.insert(w.to_string(), i);
        if let [b] = w.as_bytes() {
            if b.is_ascii() {
                self.single[*b as usize] = i;
            }
        }
        i
    }
    /// The id of `w`; 0 for a word not numbered.
    pub fn id(&self, w: &str) -> u32 {
        if let [b] = w.as_bytes() {
            if b.is_ascii() {
                return self.single[*b as usize];
            }
        }
        self.ids.get(w).copied().unwrap_or(0)
    }
    /// One more than the highest id (a table indexed by id has this many rows).
    pub fn rows(&self) -> usize {
        self.ids.len() + 1
    }
    /// The numbered words with their ids.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.ids.iter().map(|(w, &i)| (w.as_str(), i))
    }
    /// Give each token the ids of its lower-case form and its text.
    pub fn number(&self, toks: &mut [Token]) {
        for t in toks {
            t.lid = self.id(t.lower());
            t.tid = if t.lower_own.is_empty() {
                t.lid
            } else {
                self.id(&t.text)
            };
        }
    }
}

/// The lower-case form of `text` when it is not `text` itself, else an empty string (no
/// allocation).
#[inline]
fn lower_if_differs(text: &str) -> String {
    if text.is_ascii() {
        lower_ascii_if_differs(text)
    } else {
        lower_wide(text)
    }
}

/// `lower_if_differs` for ASCII text.
#[inline]
fn lower_ascii_if_differs(text: &str) -> String {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        text.to_ascii_lowercase()
    } else {
        String::new()
    }
}

#[inline(never)]
fn lower_wide(text: &str) -> String {
    let l = text.to_lowercase();
    if l == text {
        String::new()
    } else {
        l
    }
}

fn norm_char(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '`' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2212}' => "-",
        _ => return None,
    })
}

/// Whether `w` with a period is one of `abbrevs` (lower-case); short ASCII words are lower-cased on
/// the stack.
fn is_abbreviation(w: &str, abbrevs: &Abbreviations) -> bool {
    let mut buf = [0u8; 16];
    if w.is_ascii() && w.len() < buf.len() {
        let l = w.len();
        buf[..l].copy_from_slice(w.as_bytes());
        buf[..l].make_ascii_lowercase();
        buf[l] = b'.';
        return std::str::from_utf8(&buf[..=l]).is_ok_and(|k| abbrevs.contains(k));
    }
    abbrevs.contains(&format!("{}.", w.to_lowercase()))
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{2032}')
}

fn is_dash(c: char) -> bool {
    matches!(c, '\u{2013}' | '\u{2014}' | '\u{2015}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// The ASCII bytes that are word characters (`is_word_char`: letters, digits, '_') as classes
/// for a scan that also notes upper case: 0 not a word byte, 1 a word byte, 3 an upper-case
/// letter.
const ASCII_WORD_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() || c == b'_' {
            t[b] = if c.is_ascii_uppercase() { 3 } else { 1 };
        }
        b += 1;
    }
    t
};

/// The ASCII bytes that separate tokens (`is_space`): whitespace and control characters.
const ASCII_SPACE: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = b <= b' ' as usize || b == 0x7f;
        b += 1;
    }
    t
};

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        ASCII_WORD_CLASS[c as usize] != 0
    } else {
        c.is_alphanumeric()
    }
}

/// Whitespace, a no-break space or a control character: what separates tokens.
#[inline]
fn is_space(c: char) -> bool {
    if c.is_ascii() {
        ASCII_SPACE[c as usize]
    } else {
        c.is_whitespace() || c == '\u{00A0}' || c.is_control()
    }
}

#[inline]
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        c.is_alphabetic()
    }
}

/// The characters of a paragraph by index: the bytes themselves for ASCII text (most text),
/// else the decoded characters with their byte offsets.
trait CharSeq {
    fn len(&self) -> usize;
    /// The character at index `k`.
    fn ch(&self, k: usize) -> char;
    /// The byte offset of character `k` in the paragraph.
    fn off(&self, k: usize) -> usize;
    /// The paragraph's bytes when each is a character (ASCII text).
    fn ascii(&self) -> Option<&[u8]> {
        None
    }
}

struct AsciiChars<'a>(&'a [u8]);

impl CharSeq for AsciiChars<'_> {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn ch(&self, k: usize) -> char {
        self.0[k] as char
    }
    fn off(&self, k: usize) -> usize {
        // one byte per character
        assert!(k < self.0.len());
        k
    }
    fn ascii(&self) -> Option<&[u8]> {
        Some(self.0)
    }
}

struct WideChars(Vec<(usize, char)>);

impl CharSeq for WideChars {
    fn len(&self) -> usize {
        self.0.len()
    }
    fn ch(&self, k: usize) -> char {
        self.0[k].1
    }
    fn off(&self, k: usize) -> usize {
        self.0[k].0
    }
}

/// Tokenise `text[from..to]`, offsets relative to the whole `text`; `cbase` is the character offset
/// of `from`.
pub fn tokenize<'a>(
    text: &'a str,
    from: usize,
    to: usize,
    cbase: usize,
    abbrevs: &Abbreviations,
) -> Vec<Token<'a>> {
    let s = &text[from..to];
    if s.is_ascii() {
        tokenize_chars(text, from, to, cbase, abbrevs, AsciiChars(s.as_bytes()))
    } else {
        tokenize_chars(
            text,
            from,
            to,
            cbase,
            abbrevs,
            WideChars({
                // no more characters than bytes: one allocation
                let mut v = Vec::with_capacity(s.len());
                v.extend(s.char_indices());
                v
            }),
        )
    }
}

fn tokenize_chars<'a>(
    text: &'a str,
    from: usize,
    to: usize,
    cbase: usize,
    abbrevs: &Abbreviations,
    chars: impl CharSeq,
) -> Vec<Token<'a>> {
    let s = &text[from..to];
    let n = chars.len();
    let mut toks: Vec<Token> = Vec::with_capacity(s.len() / 5 + 4);
    let mut i = 0;
    let mut space = true;
    // whether an "n't" token was made (the fix-up below is needed)
    let mut any_nt = false;
    let byte_at = |k: usize| if k < n { from + chars.off(k) } else { to };
    while i < n {
        let c = chars.ch(i);
        if is_space(c) {
            space = true;
            i += 1;
            continue;
        }
        let start = i;
        let mut kind = TokKind::Punct;
        let mut text_norm: Cow<'a, str>;
        // whether the token has an upper-case letter, when the ASCII word scan saw it whole
        let mut upper: Option<bool> = None;
        if is_word_char(c) {
            // Acronym with periods: U.S., U.N., D.C.
            let mut j = i;
            let mut dotted = 0;
            while j + 1 < n && is_letter(chars.ch(j)) && chars.ch(j + 1) == '.' {
                dotted += 1;
                j += 2;
            }
            if j < n && is_word_char(chars.ch(j)) {
                dotted = 0;
            }
            if dotted >= 2 {
                i = j;
                kind = TokKind::Word;
                text_norm = Cow::Borrowed(&text[byte_at(start)..byte_at(i)]);
            } else {
                let numeric = c.is_ascii_digit();
                // ASCII letters, digits and '_' are word characters: skip them byte by byte
                let mut scanned = None;
                if let Some(b) = chars.ascii() {
                    let mut class = 0;
                    for &c in &b[i..n] {
                        let k = ASCII_WORD_CLASS[c as usize];
                        if k == 0 {
                            break;
                        }
                        class |= k;
                        i += 1;
                    }
                    scanned = Some((i, class & 2 != 0));
                }
                while i < n {
                    let ch = chars.ch(i);
                    if is_word_char(ch)
                        || (numeric
                            && (ch == '.' || ch == ',')
                            && i + 1 < n
                            && chars.ch(i + 1).is_ascii_digit())
                    {
                        i += 1;
                    } else if is_apostrophe(ch) && i + 1 < n && chars.ch(i + 1).is_alphabetic() {
                        // 's and n't split off; other apostrophes stay inside names (al-Rufay'i, O'Brien)
                        let rest: String = (i + 1..n.min(i + 4)).map(|k| chars.ch(k)).collect();
                        let next_is_end = |k: usize| k >= n || !is_word_char(chars.ch(k));
                        let lower_rest = rest.to_lowercase();
                        if (lower_rest.starts_with('s') && next_is_end(i + 2))
                            || (lower_rest.starts_with('t')
                                && next_is_end(i + 2)
                                && i > start
                                && chars.ch(i - 1).eq_ignore_ascii_case(&'n'))
                            || (lower_rest.starts_with("re") && next_is_end(i + 3))
                            || (lower_rest.starts_with("ve") && next_is_end(i + 3))
                            || (lower_rest.starts_with("ll") && next_is_end(i + 3))
                            || (lower_rest.starts_with('d') && next_is_end(i + 2))
                            || (lower_rest.starts_with('m') && next_is_end(i + 2))
                        {
                            break;
                        }
                        i += 1;
                    } else {
                        break;
                    }
                }
                let end = i;
                upper = scanned.and_then(|(e, u)| (e == end).then_some(u));
                let raw = &text[byte_at(start)..byte_at(end)];
                // no ASCII character of a word or number is normalised
                text_norm = if chars.ascii().is_some()
                    || raw.is_ascii()
                    || !raw.chars().any(|ch| norm_char(ch).is_some())
                {
                    Cow::Borrowed(raw)
                } else {
                    Cow::Owned(
                        raw.chars()
                            .map(|ch| {
                                norm_char(ch)
                                    .map(|s| s.chars().next().unwrap())
                                    .unwrap_or(ch)
                            })
                            .collect(),
                    )
                };
                // Abbreviation with its period: "Gen.", "Sep.", "Sgt.", single initials "J."
                kind = if numeric {
                    TokKind::Number
                } else {
                    TokKind::Word
                };
                if end < n && chars.ch(end) == '.' && kind == TokKind::Word {
                    let w = &text_norm;
                    let single = w.chars().count() == 1 && w.chars().all(|c| c.is_uppercase());
                    if single || is_abbreviation(w, abbrevs) {
                        match &mut text_norm {
                            // the period follows the word in the document (one byte)
                            Cow::Borrowed(_) => {
                                text_norm = Cow::Borrowed(&text[byte_at(start)..byte_at(end) + 1])
                            }
                            Cow::Owned(o) => o.push('.'),
                        }
                        i = end + 1;
                    }
                }
            }
        } else if is_apostrophe(c) {
            // 's / n't / 're ... or a quote
            let mut j = i + 1;
            while j < n && is_letter(chars.ch(j)) {
                j += 1;
            }
            // the contraction after the apostrophe, in lower case
            let contraction = match j - i - 1 {
                1 | 2 => {
                    let mut w = [0u8; 2];
                    let mut ok = true;
                    for (k, b) in (i + 1..j).zip(w.iter_mut()) {
                        let c = chars.ch(k);
                        ok &= c.is_ascii();
                        *b = c.to_ascii_lowercase() as u8;
                    }
                    if !ok {
                        ""
                    } else {
                        match &w[..j - i - 1] {
                            b"s" => "'s",
                            b"re" => "'re",
                            b"ve" => "'ve",
                            b"ll" => "'ll",
                            b"d" => "'d",
                            b"m" => "'m",
                            b"t" => "t",
                            _ => "",
                        }
                    }
                }
                _ => "",
            };
            if !toks.is_empty() && !space && contraction.starts_with('\'') {
                text_norm = Cow::Borrowed(contraction);
                kind = TokKind::Word;
                i = j;
            } else if !toks.is_empty()
                && !space
                && contraction == "t"
                && toks.last().is_some_and(|t| t.lower().ends_with('n'))
            {
                // handled by the n't split above: the previous token lost its "n"
                text_norm = Cow::Borrowed("n't");
                any_nt = true;
                kind = TokKind::Word;
                i = j;
            } else if !toks.is_empty()
                && !space
                && toks
                    .last()
                    .is_some_and(|t| t.lower().ends_with('s') && t.kind == TokKind::Word)
                && (i + 1 >= n || chars.ch(i + 1).is_whitespace())
            {
                // plural possessive: "the United States' allies"
                text_norm = Cow::Borrowed("'s");
                kind = TokKind::Word;
                i += 1;
            } else {
                text_norm = Cow::Borrowed("'");
                i += 1;
            }
        } else if is_hyphen(c) || is_dash(c) {
            let mut j = i;
            while j < n && (is_hyphen(chars.ch(j)) || is_dash(chars.ch(j))) {
                j += 1;
            }
            let joined_before = !space && !toks.is_empty();
            let joined_after = j < n && !chars.ch(j).is_whitespace();
            let single_hyphen = j == i + 1 && is_hyphen(c);
            let en_dash_between_numbers = j == i + 1
                && c == '\u{2013}'
                && joined_before
                && joined_after
                && toks.last().is_some_and(|t| t.kind == TokKind::Number);
            text_norm = Cow::Borrowed(
                if (single_hyphen && joined_before && joined_after) || en_dash_between_numbers {
                    "-"
                } else {
                    "--"
                },
            );
            i = j;
        } else {
            i += 1;
            // "..." as one token
            if c == '.' {
                while i < n && chars.ch(i) == '.' {
                    i += 1;
                }
            }
            text_norm = Cow::Borrowed(match norm_char(c) {
                Some(m) => m,
                None => &text[byte_at(start)..byte_at(i)],
            });
        }
        if text_norm.is_empty() {
            continue;
        }
        // every token of an ASCII paragraph is ASCII (normalised forms are)
        let lower_own = match upper {
            Some(false) => String::new(),
            Some(true) => text_norm.to_ascii_lowercase(),
            None if chars.ascii().is_some() => lower_ascii_if_differs(&text_norm),
            None => lower_if_differs(&text_norm),
        };
        toks.push(Token {
            text: text_norm,
            lower_own,
            kind,
            start: byte_at(start),
            end: byte_at(i),
            cstart: cbase + start,
            cend: cbase + i,
            space_before: space,
            lid: 0,
            tid: 0,
        });
        space = false;
    }
    // n't fix-up: "didn" + "n't" -> "did" + "n't"
    let fix_from = if any_nt { 1 } else { toks.len() };
    for k in fix_from..toks.len() {
        if toks[k].text == "n't" && toks[k - 1].lower().ends_with('n') && toks[k - 1].text.len() > 1
        {
            let prev = &mut toks[k - 1];
            match &mut prev.text {
                Cow::Borrowed(s) => *s = &s[..s.len() - 1],
                Cow::Owned(s) => {
                    s.pop();
                }
            }
            // a lower-case form of its own ends in 'n' too (empty: the text is its lower case)
            prev.lower_own.pop();
            prev.end -= 1;
            prev.cend -= 1;
            toks[k].start -= 1;
            toks[k].cstart -= 1;
        }
    }
    toks
}

/// A paragraph of the document (one line or a run of non-empty lines) and whether it is prose.
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
    pub cstart: usize,
    /// Prose paragraphs yield sentences; headings and boilerplate do not.
    pub prose: bool,
}

/// Split a document into lines (paragraphs), marking headings and boilerplate.
pub fn paragraphs(text: &str, cfg: &TextConfig) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut cpos = 0usize;
    let mut bpos = 0usize;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let lstart = bpos;
        let lcstart = cpos;
        bpos += line.len();
        cpos += line.chars().count();
        if trimmed.is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let start = lstart + lead;
        let end = start + trimmed.len();
        let cstart = lcstart + line[..lead].chars().count();
        let prose = !is_boilerplate(trimmed, cfg) && !is_heading(trimmed);
        out.push(Paragraph {
            start,
            end,
            cstart,
            prose,
        });
    }
    out
}

fn is_boilerplate(line: &str, cfg: &TextConfig) -> bool {
    cfg.boilerplate.iter().any(|r| r.is_match(line))
}

/// A heading: short, without sentence-final punctuation, or a Title-Case question or line.
pub fn is_heading(line: &str) -> bool {
    // a long line is prose whatever its punctuation (headings are short)
    if line.len() > 400 {
        return false;
    }
    let last = line.trim_end().chars().last().unwrap_or(' ');
    let terminal = matches!(
        last,
        '.' | '!' | '"' | '\u{201D}' | '\'' | '\u{2019}' | ':' | ';' | ')'
    );
    // a line ending as sentences do is prose (a heading ends with a question mark or nothing)
    if terminal {
        return false;
    }
    // words; content words (four letters or more) and the capitalised ones among them
    let (mut words, mut content, mut caps) = (0usize, 0usize, 0usize);
    for w in line.split_whitespace() {
        words += 1;
        if w.chars().filter(|c| c.is_alphabetic()).count() >= 4 {
            content += 1;
            if w.chars().next().is_some_and(|c| c.is_uppercase()) {
                caps += 1;
            }
        }
    }
    if words == 0 {
        return true;
    }
    let title_case = content > 0 && caps * 10 >= content * 7;
    (last != '?' && words <= 25) || (title_case && words <= 20)
}

/// Split a paragraph's tokens into sentences.
pub fn split_sentences(mut tokens: Vec<Token<'_>>) -> Vec<Sentence<'_>> {
    // first where sentences start, then the token vector is cut there (each token moves once)
    let mut cuts: Vec<usize> = Vec::new();
    // the current sentence is tokens[cur..]
    let mut cur = 0;
    let mut pending_end = false;
    let mut cut = |at: usize, cur: &mut usize| {
        if at > *cur {
            cuts.push(at);
            *cur = at;
        }
    };
    for k in 0..tokens.len() {
        let t = &tokens[k];
        let is_final = matches!(&*t.text, "." | "!" | "?" | "...");
        // a quote right after the period closes the sentence; one after a space opens the next
        let closes = pending_end && matches!(&*t.text, "\"" | "'" | ")") && !t.space_before;
        if pending_end && !closes {
            // decide whether the sentence really ended before this token
            let starts_upper = t.is_capitalised() || t.kind == TokKind::Number || t.text == "\"";
            if starts_upper {
                cut(k, &mut cur);
            }
            pending_end = false;
        }
        if closes {
            continue;
        }
        if is_final {
            pending_end = true;
        } else if t.text.ends_with('.') && t.text.len() > 1 {
            // an acronym such as "U.S." can end a sentence when a capitalised word that opens
            // sentences follows; we only split on common sentence openers to stay safe.
            if let Some(next) = tokens.get(k + 1) {
                let last = t;
                let acronym_end =
                    SENTENCE_OPENERS.contains(&&*next.text) && last.text.matches('.').count() >= 2;
                // a single capital with a period after a lower-case word is a name ("posted on
                // X."), not an initial ("Donald J. Trump"), when a capitalised word follows
                let letter_end = last.text.chars().count() == 2
                    && k + 1 - cur >= 2
                    && tokens[k - 1].kind == TokKind::Word
                    && !tokens[k - 1].is_capitalised()
                    && next.is_capitalised()
                    && next.space_before;
                if acronym_end || letter_end {
                    cut(k + 1, &mut cur);
                }
            }
        }
    }
    let mut out = Vec::with_capacity(cuts.len() + 1);
    for &at in cuts.iter().rev() {
        let toks = tokens.split_off(at);
        out.push(sentence(toks));
    }
    if !tokens.is_empty() {
        out.push(sentence(tokens));
    }
    out.reverse();
    out
}

const SENTENCE_OPENERS: &[&str] = &[
    "The",
    "It",
    "He",
    "She",
    "They",
    "We",
    "In",
    "But",
    "This",
    "That",
    "A",
    "An",
    "On",
    "At",
    "I",
    "His",
    "Her",
    "Their",
    "Its",
    "However",
    "Meanwhile",
    "Last",
    "Earlier",
    "Later",
];

fn sentence(toks: Vec<Token<'_>>) -> Sentence<'_> {
    let start = toks[0].start;
    let end = toks.last().unwrap().end;
    let cstart = toks[0].cstart;
    let cend = toks.last().unwrap().cend;
    Sentence {
        tokens: toks,
        start,
        end,
        cstart,
        cend,
    }
}

/// All prose sentences of a document.
pub fn sentences<'a>(text: &'a str, cfg: &TextConfig) -> Vec<Sentence<'a>> {
    let mut out = Vec::new();
    for p in paragraphs(text, cfg) {
        if !p.prose {
            continue;
        }
        let mut toks = tokenize(text, p.start, p.end, p.cstart, &cfg.abbreviations);
        cfg.words.number(&mut toks);
        out.extend(split_sentences(toks));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> TextConfig {
        let abbrevs: Abbreviations = [
            "gen.", "sep.", "sgt.", "lt.", "mr.", "dr.", "jan.", "feb.", "col.", "st.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        TextConfig {
            abbreviations: abbrevs,
            boilerplate: vec![Regex::new("^Credit:").unwrap()],
            words: Words::default(),
        }
    }

    fn words(s: &str) -> Vec<String> {
        tokenize(s, 0, s.len(), 0, &cfg().abbreviations)
            .into_iter()
            .map(|t| t.text.into_owned())
            .collect()
    }

    #[test]
    fn tokens_keep_acronyms_possessives_and_hyphens() {
        assert_eq!(
            words("the U.S. and Pakistan’s F-16"),
            ["the", "U.S.", "and", "Pakistan", "'s", "F", "-", "16"]
        );
        assert_eq!(
            words("India – Pakistan’s arch-rival –"),
            ["India", "--", "Pakistan", "'s", "arch", "-", "rival", "--"]
        );
        assert_eq!(words("didn’t act"), ["did", "n't", "act"]);
        assert_eq!(
            words("“Erik” al-Rufay’i"),
            ["\"", "Erik", "\"", "al", "-", "Rufay'i"]
        );
        assert_eq!(
            words("$450 million, $12.5 billion"),
            ["$", "450", "million", ",", "$", "12.5", "billion"]
        );
    }

    #[test]
    fn tokens_borrow_their_text_unless_normalising_changes_it() {
        let s = "Pakistan’s “F-16s” – Gen. Smith didn't go; O’Brien's \"U.S.\" talks...";
        let toks = tokenize(s, 0, s.len(), 0, &cfg().abbreviations);
        let mut borrowed = 0;
        for t in &toks {
            if s[t.start..t.end] == *t.text {
                assert!(
                    matches!(t.text, Cow::Borrowed(_)),
                    "{:?} owns its text",
                    t.text
                );
                borrowed += 1;
            }
        }
        assert!(
            borrowed >= 12,
            "{borrowed} of {} tokens borrowed",
            toks.len()
        );
        // a word whose apostrophe is normalised owns its text
        let obrien = toks.iter().find(|t| t.text == "O'Brien").unwrap();
        assert!(matches!(obrien.text, Cow::Owned(_)));
    }

    #[test]
    fn ascii_and_decoded_paths_agree() {
        // ASCII paragraphs are read byte by byte, others through decoded characters
        let c = cfg();
        for s in [
            "Staff Sgt. Dana Smith didn't go to the U.S. on Sep. 14, 2022 -- with Gen. Jones.",
            "the United States' allies ... F-16s cost $12.5 billion (1,200 units); O'Brien's 'quote'",
            "  I.S.I.S. said: it's 3.5% -  no--more\tJ. Doe  ",
        ] {
            let key = |t: &Token| {
                (
                    t.text.to_string(),
                    t.lower().to_string(),
                    t.kind,
                    t.start,
                    t.end,
                    t.cstart,
                    t.cend,
                    t.space_before,
                )
            };
            let ascii: Vec<_> = tokenize_chars(s, 0, s.len(), 7, &c.abbreviations, AsciiChars(s.as_bytes()))
                .iter()
                .map(key)
                .collect();
            let wide: Vec<_> = tokenize_chars(
                s,
                0,
                s.len(),
                7,
                &c.abbreviations,
                WideChars(s.char_indices().collect()),
            )
            .iter()
            .map(key)
            .collect();
            assert!(ascii.len() > 10);
            assert_eq!(ascii, wide, "{s}");
        }
    }

    #[test]
    fn tokens_get_the_ids_of_their_forms() {
        let mut w = Words::default();
        let the = w.add("the");
        let pak = w.add("Pakistan");
        let comma = w.add(",");
        assert_eq!(w.add("the"), the);
        assert_eq!(w.id(","), comma);
        let s = "The Pakistan, the x.";
        let mut t = tokenize(s, 0, s.len(), 0, &cfg().abbreviations);
        w.number(&mut t);
        let ids: Vec<(u32, u32)> = t.iter().map(|t| (t.lid, t.tid)).collect();
        assert_eq!(
            ids,
            [
                (the, 0),
                (0, pak),
                (comma, comma),
                (the, the),
                (0, 0),
                (0, 0)
            ]
        );
    }

    #[test]
    fn abbreviations_on_the_stack_and_off() {
        let c = cfg();
        assert!(is_abbreviation("Gen", &c.abbreviations));
        assert!(is_abbreviation("SGT", &c.abbreviations));
        assert!(!is_abbreviation("Gens", &c.abbreviations));
        assert!(!is_abbreviation("Séptember", &c.abbreviations));
        let mut long = c.abbreviations.clone();
        long.insert("abcdefghijklmnopq.".into());
        assert!(is_abbreviation("ABCDEFGHIJKLMNOPQ", &long));
    }

    #[test]
    fn offsets_are_characters_and_bytes() {
        let s = "“Hi” Pakistan’s";
        let t = tokenize(s, 0, s.len(), 0, &cfg().abbreviations);
        let p = t.iter().find(|t| t.text == "Pakistan").unwrap();
        assert_eq!(&s[p.start..p.end], "Pakistan");
        assert_eq!(p.cstart, 5);
        assert_eq!(p.cend, 13);
    }

    #[test]
    fn sentences_survive_abbreviations() {
        let c = cfg();
        let s = "Staff Sgt. Dana Smith arrived on Sep. 14, 2022, with Gen. Jones. The U.S. military agreed. It left. Donald J. Trump posted on X. Militants attacked.";
        let sents = sentences(s, &c);
        let texts: Vec<&str> = sents.iter().map(|x| x.text(s)).collect();
        assert_eq!(
            texts,
            [
                "Staff Sgt. Dana Smith arrived on Sep. 14, 2022, with Gen. Jones.",
                "The U.S. military agreed.",
                "It left.",
                "Donald J. Trump posted on X.",
                "Militants attacked."
            ]
        );
    }

    #[test]
    fn headings_and_boilerplate_are_not_prose() {
        let c = cfg();
        let doc = "Trans-Pacific View\n\nWhat Is Driving Pakistan-US Security Cooperation After the War in Afghanistan?\n\nCredit: U.S. Air Force photo by Staff Sgt. Dana Tourtellotte\n\nPakistan visited China. Then it left.\n";
        let sents = sentences(doc, &c);
        assert_eq!(sents.len(), 2);
        assert_eq!(sents[0].text(doc), "Pakistan visited China.");
    }
}
