//! The query language of `okhunt search QUERY` and the TUI's `/` prompt.
//!
//! The syntax is tantivy's own query grammar (`tantivy::query_grammar`,
//! parsed leniently so syntax errors come back with a position); this module
//! only gives meaning to the parsed tree over okhunt's schema:
//!
//! * field names are the schema's field names (`actor:`, `type:`, `ip:`),
//!   matched case-insensitively, plus a few Okta-flavoured [`ALIASES`];
//! * keyword fields match exact, case-sensitive values; unquoted values may
//!   use the wildcards `*` (any run of characters) and `?` (one character);
//! * free words (no field) search the display message, and every clause
//!   without `OR` must match: `reset password` = `reset AND password`;
//! * `ip:` takes IPv4, IPv6, a CIDR (`ip:203.0.113.0/24`) or an IPv4 prefix
//!   with wildcards (`ip:203.0.113.*`);
//! * `*` or a blank query matches every event; `NOT x` / `-x` alone means
//!   "every event except x".
//!
//! Time is not part of the query: callers combine [`parse`] with
//! [`time_range`] through [`and`].

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::ops::Bound;

use chrono::{DateTime, Utc};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ExistsQuery, InvertedIndexRangeQuery, Occur,
    PhrasePrefixQuery, PhraseQuery, Query, QueryParser, QueryParserError, RangeQuery, RegexQuery,
    TermQuery,
};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{
    Field, FieldType, IndexRecordOption, IntoIpv6Addr, Schema, Term, TextFieldIndexing,
};
use tantivy::tokenizer::TokenizerManager;

use crate::index::exclusion::Excluded;
use crate::index::schema::Fields;

/// Friendly field names accepted on top of the schema's own, as
/// (alias, what it searches). Matched case-insensitively, like field names.
/// A target of `a OR b` searches both fields.
pub const ALIASES: &[(&str, &str)] = &[
    ("eventType", "type"),
    ("alternateId", "actor"),
    ("sessionId", "session"),
    ("externalSessionId", "session"),
    ("ipAddress", "ip"),
    ("client_ip", "ip"),
    ("result", "outcome"),
    ("user", "actor OR target"),
];

/// Longest query accepted, in bytes.
const MAX_QUERY_BYTES: usize = 64 * 1024;
/// Deepest nesting of parentheses plus chained `NOT`s accepted: the grammar
/// is recursive, and a deeper query could overflow the stack.
const MAX_NESTING: usize = 64;
/// Most wildcards accepted in one value.
const MAX_WILDCARDS: usize = 16;

/// A query the user typed that cannot be run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub message: String,
    /// Character (not byte) offset in the user's query, 0-based.
    pub position: Option<usize>,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(f, "query error at column {}: {}", p + 1, self.message),
            None => write!(f, "query error: {}", self.message),
        }
    }
}

impl std::error::Error for QueryError {}

/// Parse a user query into a tantivy query over the case's schema.
///
/// Never panics; every input is either a query or a [`QueryError`].
pub fn parse(
    index_schema_fields: &Fields,
    schema: &Schema,
    query: &str,
) -> Result<Box<dyn Query>, QueryError> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(QueryError {
            message: format!("query too long (over {MAX_QUERY_BYTES} bytes)"),
            position: Some(char_offset(query, MAX_QUERY_BYTES)),
        });
    }
    if let Some(pos) = too_deep(query) {
        return Err(QueryError {
            message: format!("query nested too deeply (over {MAX_NESTING} levels)"),
            position: Some(char_offset(query, pos)),
        });
    }
    let (ast, errors) = tantivy::query_grammar::parse_query_lenient(query);
    // The leftmost error; at one spot, the most telling one.
    let first = errors
        .into_iter()
        .filter(|e| !is_spurious(query, &e.message, e.pos))
        .min_by_key(|e| (e.pos, e.message == "expected word"));
    if let Some(e) = first {
        return Err(QueryError {
            message: syntax_message(query, &e.message, e.pos),
            position: Some(char_offset(query, e.pos)),
        });
    }
    let cx = Cx::new(index_schema_fields, schema, query);
    Ok(cx.ast(ast)?.unwrap_or_else(|| Box::new(AllQuery)))
}

/// Events with `since <= published < until`; `None` when both are open.
pub fn time_range(
    fields: &Fields,
    since: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
) -> Option<Box<dyn Query>> {
    if since.is_none() && until.is_none() {
        return None;
    }
    // `published` is indexed at millisecond precision: round `since` down
    // and `until` up so no event inside the window is lost.
    let term = |millis: i64| {
        Term::from_field_date(
            fields.published,
            tantivy::DateTime::from_timestamp_millis(millis),
        )
    };
    let lower = since.map_or(Bound::Unbounded, |t| {
        Bound::Included(term(t.timestamp_millis()))
    });
    let upper = until.map_or(Bound::Unbounded, |t| {
        let sub_milli = t.timestamp_subsec_nanos() % 1_000_000 != 0;
        Bound::Excluded(term(
            t.timestamp_millis().saturating_add(i64::from(sub_milli)),
        ))
    });
    // A narrow window (events around a moment) holds few events: walking
    // its terms in the `published` term dictionary touches only them,
    // where the fast-field range scans the column of every event in the
    // case (4.3 ms against ~0.3 ms p99 at 1M). A wide one (a hunt over
    // weeks) would walk a posting list per millisecond: the column wins.
    // The term dictionary holds seconds (tantivy truncates indexed dates),
    // so only whole-second bounds are exact there.
    let whole = |t: DateTime<Utc>| t.timestamp_subsec_nanos() == 0;
    let narrow = matches!((since, until),
        (Some(a), Some(b)) if b - a <= NARROW_WINDOW && whole(a) && whole(b));
    if narrow {
        Some(Box::new(InvertedIndexRangeQuery::new(lower, upper)))
    } else {
        Some(Box::new(RangeQuery::new(lower, upper)))
    }
}

/// Time windows up to this wide are answered from the term dictionary.
const NARROW_WINDOW: chrono::TimeDelta = chrono::TimeDelta::hours(2);

/// `a AND b`, or `a` alone when there is no `b`.
pub fn and(a: Box<dyn Query>, b: Option<Box<dyn Query>>) -> Box<dyn Query> {
    match b {
        None => a,
        Some(b) if a.downcast_ref::<AllQuery>().is_some() => b,
        Some(b) => Box::new(BooleanQuery::new(vec![(Occur::Must, a), (Occur::Must, b)])),
    }
}

/// Translation of the grammar's tree into a tantivy query.
struct Cx<'a> {
    fields: &'a Fields,
    schema: &'a Schema,
    query: &'a str,
    tokenizers: TokenizerManager,
    /// Builds what this module has no opinion on (numbers, dates, bools,
    /// ranges, `IN [...]` sets, `/regex/`), one leaf at a time.
    parser: QueryParser,
}

type Built = Result<Option<Box<dyn Query>>, QueryError>;

impl<'a> Cx<'a> {
    fn new(fields: &'a Fields, schema: &'a Schema, query: &'a str) -> Self {
        let tokenizers = TokenizerManager::default();
        let mut parser = QueryParser::new(schema.clone(), vec![fields.message], tokenizers.clone());
        parser.set_conjunction_by_default();
        parser.allow_regexes();
        Cx {
            fields,
            schema,
            query,
            tokenizers,
            parser,
        }
    }

    fn ast(&self, ast: UserInputAst) -> Built {
        match ast {
            UserInputAst::Clause(children) => {
                let mut clauses = Vec::with_capacity(children.len());
                for (occur, child) in children {
                    if let Some(q) = self.ast(child)? {
                        let occur = occur.unwrap_or(Occur::Must);
                        let q: Box<dyn Query> = match occur {
                            Occur::MustNot => Box::new(Excluded::new(q)),
                            _ => q,
                        };
                        clauses.push((occur, q));
                    }
                }
                if clauses.is_empty() {
                    return Ok(None);
                }
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    // `NOT x` means every event except x.
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                if clauses.len() == 1 && clauses[0].0 != Occur::MustNot {
                    return Ok(clauses.pop().map(|(_, q)| q));
                }
                Ok(Some(Box::new(BooleanQuery::new(clauses))))
            }
            UserInputAst::Boost(inner, boost) => Ok(self.ast(*inner)?.map(|q| {
                Box::new(BoostQuery::new(q, boost.into_inner() as f32)) as Box<dyn Query>
            })),
            UserInputAst::Leaf(leaf) => self.leaf(*leaf).map(Some),
        }
    }

    fn leaf(&self, leaf: UserInputLeaf) -> Result<Box<dyn Query>, QueryError> {
        match leaf {
            UserInputLeaf::All => Ok(Box::new(AllQuery)),
            UserInputLeaf::Literal(lit) => match lit.field_name.clone() {
                None if lit.delimiter == Delimiter::None
                    && (lit.phrase == "AND" || lit.phrase == "OR") =>
                {
                    Err(QueryError {
                        message: format!(
                            "{} needs a term on its right (quote \"{}\" to search for the word)",
                            lit.phrase, lit.phrase
                        ),
                        position: self
                            .query
                            .rfind(lit.phrase.as_str())
                            .map(|b| char_offset(self.query, b)),
                    })
                }
                None => self.literal(self.fields.message, "message", &lit, None),
                Some(name) => self.per_field(&name, |field, canonical| {
                    self.literal(field, canonical, &lit, Some(&name))
                }),
            },
            UserInputLeaf::Exists { field: name } => self.per_field(&name, |field, canonical| {
                if self.schema.get_field_entry(field).is_fast() {
                    Ok(Box::new(ExistsQuery::new(canonical.to_string(), false)) as Box<dyn Query>)
                } else {
                    Err(self.err_at_field(
                        &name,
                        format!(
                            "'{canonical}:*' is not supported: '{canonical}' is not a fast field"
                        ),
                    ))
                }
            }),
            UserInputLeaf::Range {
                field,
                lower,
                upper,
            } => {
                let name = field.ok_or_else(|| QueryError {
                    message: "a range needs a field, e.g. batch:[1 TO 3]".to_string(),
                    position: self
                        .query
                        .find(['[', '{', '<', '>'])
                        .map(|b| char_offset(self.query, b)),
                })?;
                self.per_field(&name, |field, canonical| {
                    if lower.term_str() == "*" && upper.term_str() == "*" {
                        // [* TO *]: tantivy would match nothing; mean "has a value".
                        return if self.schema.get_field_entry(field).is_fast() {
                            Ok(Box::new(ExistsQuery::new(canonical.to_string(), false))
                                as Box<dyn Query>)
                        } else {
                            Ok(Box::new(AllQuery) as Box<dyn Query>)
                        };
                    }
                    let leaf = UserInputLeaf::Range {
                        field: Some(canonical.to_string()),
                        lower: lower.clone(),
                        upper: upper.clone(),
                    };
                    let value = format!("{} TO {}", lower.term_str(), upper.term_str());
                    self.delegate(leaf, canonical, &name, &value)
                })
            }
            UserInputLeaf::Set { field, elements } => {
                let name = field.ok_or_else(|| QueryError {
                    message: "IN [...] needs a field, e.g. outcome: IN [FAILURE DENY]".to_string(),
                    position: self.query.find("IN").map(|b| char_offset(self.query, b)),
                })?;
                self.per_field(&name, |_, canonical| {
                    let leaf = UserInputLeaf::Set {
                        field: Some(canonical.to_string()),
                        elements: elements.clone(),
                    };
                    self.delegate(leaf, canonical, &name, &elements.join(" "))
                })
            }
            UserInputLeaf::Regex { field, pattern } => {
                let name = field.unwrap_or_else(|| "message".to_string());
                self.per_field(&name, |field, canonical| {
                    if !matches!(
                        self.schema.get_field_entry(field).field_type(),
                        FieldType::Str(_)
                    ) {
                        return Err(self.err_at_field(
                            &name,
                            format!("/regex/ only works on text fields, not on '{canonical}'"),
                        ));
                    }
                    let leaf = UserInputLeaf::Regex {
                        field: Some(canonical.to_string()),
                        pattern: pattern.clone(),
                    };
                    self.delegate(leaf, canonical, &name, &pattern)
                })
            }
        }
    }

    /// Build `one` for every field `name` stands for, OR-ed together.
    fn per_field(
        &self,
        name: &str,
        one: impl Fn(Field, &str) -> Result<Box<dyn Query>, QueryError>,
    ) -> Result<Box<dyn Query>, QueryError> {
        let targets = self.resolve(name)?;
        let mut queries = Vec::with_capacity(targets.len());
        for (field, canonical) in targets {
            queries.push((Occur::Should, one(field, canonical)?));
        }
        if queries.len() == 1 {
            if let Some((_, q)) = queries.pop() {
                return Ok(q);
            }
        }
        Ok(Box::new(BooleanQuery::new(queries)))
    }

    /// The fields a name typed by the user stands for.
    fn resolve(&self, name: &str) -> Result<Vec<(Field, &'a str)>, QueryError> {
        let searchable = |canonical: &str| -> Option<(Field, &'a str)> {
            let field = self.schema.get_field(canonical).ok()?;
            let entry = self.schema.get_field_entry(field);
            (entry.is_indexed() || entry.is_fast()).then_some((field, entry.name()))
        };
        let schema_name = self
            .schema
            .fields()
            .map(|(_, e)| e.name())
            .find(|n| *n == name)
            .or_else(|| {
                self.schema
                    .fields()
                    .map(|(_, e)| e.name())
                    .find(|n| n.eq_ignore_ascii_case(name))
            });
        if let Some(canonical) = schema_name {
            return searchable(canonical).map(|t| vec![t]).ok_or_else(|| {
                self.err_at_field(
                    name,
                    format!("'{canonical}' is stored only and cannot be searched"),
                )
            });
        }
        if let Some((_, targets)) = ALIASES.iter().find(|(a, _)| a.eq_ignore_ascii_case(name)) {
            let resolved: Vec<_> = targets.split(" OR ").filter_map(searchable).collect();
            if !resolved.is_empty() {
                return Ok(resolved);
            }
        }
        let known = known_fields(self.schema);
        let hint = closest(name, &known)
            .map(|s| format!(", did you mean '{s}'?"))
            .unwrap_or_default();
        Err(self.err_at_field(
            name,
            format!("unknown field '{name}'{hint} (known: {})", known.join(", ")),
        ))
    }

    /// A literal (`value`, `"quoted value"`, `value*`) on one field.
    /// `typed` is the field name as the user typed it, for error positions.
    fn literal(
        &self,
        field: Field,
        canonical: &str,
        lit: &UserInputLiteral,
        typed: Option<&str>,
    ) -> Result<Box<dyn Query>, QueryError> {
        let unquoted = lit.delimiter == Delimiter::None;
        let phrase = lit.phrase.as_str();
        let at = |message: String| match typed {
            Some(name) => self.err_at_field(name, message),
            None => QueryError {
                message,
                position: self.query.find(phrase).map(|b| char_offset(self.query, b)),
            },
        };
        let entry = self.schema.get_field_entry(field);
        match entry.field_type() {
            FieldType::Str(options) => {
                let Some(indexing) = options.get_indexing_options() else {
                    return Err(at(format!(
                        "'{canonical}' is stored only and cannot be searched"
                    )));
                };
                let keyword = indexing.tokenizer() == "raw";
                if unquoted && count_wildcards(phrase) > 0 {
                    if count_wildcards(phrase) > MAX_WILDCARDS {
                        return Err(at(format!(
                            "too many wildcards in '{phrase}' (max {MAX_WILDCARDS})"
                        )));
                    }
                    let pattern = wildcard_regex(phrase, !keyword);
                    return regex_query(&pattern, field).map_err(at);
                }
                let value = if unquoted {
                    unescape_wildcards(phrase)
                } else {
                    phrase.to_string()
                };
                if keyword {
                    if lit.prefix {
                        let pattern = format!("{}.*", regex_escape(&value));
                        return regex_query(&pattern, field).map_err(at);
                    }
                    let term = Term::from_field_text(field, &value);
                    return Ok(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
                }
                self.text(field, canonical, &value, lit, indexing)
                    .map_err(at)
            }
            FieldType::IpAddr(_) => ip_query(field, canonical, phrase).map_err(at),
            _ => {
                let leaf = UserInputLeaf::Literal(UserInputLiteral {
                    field_name: Some(canonical.to_string()),
                    ..lit.clone()
                });
                self.delegate(leaf, canonical, typed.unwrap_or(canonical), phrase)
            }
        }
    }

    /// Words on a tokenized field (`message`, `debug`): one word is a term,
    /// several a phrase, or all of them when the field has no positions.
    fn text(
        &self,
        field: Field,
        canonical: &str,
        value: &str,
        lit: &UserInputLiteral,
        indexing: &TextFieldIndexing,
    ) -> Result<Box<dyn Query>, String> {
        let tokenizer = indexing.tokenizer();
        let record = indexing.index_option();
        let Some(mut analyzer) = self.tokenizers.get(tokenizer) else {
            return Err(format!(
                "'{canonical}' uses an unknown tokenizer '{tokenizer}'"
            ));
        };
        let mut terms: Vec<(usize, Term)> = Vec::new();
        analyzer.token_stream(value).process(&mut |token| {
            terms.push((token.position, Term::from_field_text(field, &token.text)));
        });
        let prefix = lit.prefix;
        match terms.len() {
            0 => Err(format!("'{value}' has no searchable words")),
            1 => {
                let Some((_, term)) = terms.pop() else {
                    return Err(format!("'{value}' has no searchable words"));
                };
                if prefix {
                    let word = term.value().as_str().unwrap_or_default().to_string();
                    return regex_query(&format!("{}.*", regex_escape(&word)), field);
                }
                Ok(Box::new(TermQuery::new(term, record)))
            }
            _ if record.has_positions() => {
                if prefix {
                    Ok(Box::new(PhrasePrefixQuery::new_with_offset(terms)))
                } else {
                    Ok(Box::new(PhraseQuery::new_with_offset_and_slop(
                        terms, lit.slop,
                    )))
                }
            }
            _ => {
                // No positions (debug): every word must be there, in any
                // order; with `"..."*`, the last one as a prefix.
                let last = terms.len() - 1;
                let mut clauses = Vec::with_capacity(terms.len());
                for (i, (_, term)) in terms.into_iter().enumerate() {
                    let q: Box<dyn Query> = if prefix && i == last {
                        let word = term.value().as_str().unwrap_or_default().to_string();
                        regex_query(&format!("{}.*", regex_escape(&word)), field)?
                    } else {
                        Box::new(TermQuery::new(term, record))
                    };
                    clauses.push((Occur::Must, q));
                }
                Ok(Box::new(BooleanQuery::new(clauses)))
            }
        }
    }

    /// Let tantivy's query parser build one leaf on a canonical field.
    fn delegate(
        &self,
        leaf: UserInputLeaf,
        canonical: &str,
        typed: &str,
        value: &str,
    ) -> Result<Box<dyn Query>, QueryError> {
        self.parser
            .build_query_from_user_input_ast(UserInputAst::Leaf(Box::new(leaf)))
            .map_err(|e| self.err_at_field(typed, parser_message(canonical, value, e)))
    }

    fn err_at_field(&self, typed: &str, message: String) -> QueryError {
        QueryError {
            message,
            position: find_field(self.query, typed),
        }
    }
}

/// The names a user can put before `:`, in schema order, then `user`.
fn known_fields(schema: &Schema) -> Vec<&str> {
    let mut names: Vec<&str> = schema
        .fields()
        .filter(|(_, e)| e.is_indexed() || e.is_fast())
        .map(|(_, e)| e.name())
        .collect();
    names.push("user");
    names
}

/// The known name closest to a misspelt one, if it is close enough.
fn closest<'n>(name: &str, known: &[&'n str]) -> Option<&'n str> {
    let name = name.to_ascii_lowercase();
    let alias_names = ALIASES.iter().map(|(a, _)| *a);
    known
        .iter()
        .copied()
        .chain(alias_names)
        .map(|k| (levenshtein(&name, &k.to_ascii_lowercase()), k))
        .filter(|(d, k)| *d <= 2 && *d < k.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// An IP address, a CIDR block or an IPv4 prefix with `*`s on an IP field.
fn ip_query(field: Field, canonical: &str, value: &str) -> Result<Box<dyn Query>, String> {
    let bad = || {
        format!(
            "'{canonical}' expects an IP address, a CIDR such as 203.0.113.0/24 or a prefix \
             such as 203.0.113.*, not '{value}'"
        )
    };
    if let Ok(ip) = value.parse::<IpAddr>() {
        let term = Term::from_field_ip_addr(field, ip.into_ipv6_addr());
        return Ok(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
    }
    let (low, high) = cidr(value)
        .or_else(|| ipv4_wildcard(value))
        .ok_or_else(bad)?;
    Ok(Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_ip_addr(field, low)),
        Bound::Included(Term::from_field_ip_addr(field, high)),
    )))
}

/// First and last address of `addr/len`, IPv4 mapped into IPv6.
fn cidr(value: &str) -> Option<(Ipv6Addr, Ipv6Addr)> {
    let (addr, len) = value.split_once('/')?;
    let len: u32 = len.parse().ok()?;
    match addr.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => {
            if len > 32 {
                return None;
            }
            let mask = u32::MAX.checked_shl(32 - len).unwrap_or(0);
            let low = u32::from(v4) & mask;
            let high = low | !mask;
            Some((
                std::net::Ipv4Addr::from(low).to_ipv6_mapped(),
                std::net::Ipv4Addr::from(high).to_ipv6_mapped(),
            ))
        }
        IpAddr::V6(v6) => {
            if len > 128 {
                return None;
            }
            let mask = u128::MAX.checked_shl(128 - len).unwrap_or(0);
            let low = u128::from(v6) & mask;
            Some((Ipv6Addr::from(low), Ipv6Addr::from(low | !mask)))
        }
    }
}

/// `10.*`, `10.0.*`, `10.0.0.*` (trailing `.*` parts optional past the first).
fn ipv4_wildcard(value: &str) -> Option<(Ipv6Addr, Ipv6Addr)> {
    let parts: Vec<&str> = value.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    let fixed = parts.iter().position(|p| *p == "*")?;
    if fixed == 0 || parts[fixed..].iter().any(|p| *p != "*") {
        return None;
    }
    let mut octets = [0u8; 4];
    for (o, p) in octets.iter_mut().zip(&parts[..fixed]) {
        *o = p.parse().ok()?;
    }
    let prefix = u32::try_from(fixed * 8).ok()?;
    cidr(&format!("{}/{prefix}", std::net::Ipv4Addr::from(octets)))
}

fn regex_query(pattern: &str, field: Field) -> Result<Box<dyn Query>, String> {
    RegexQuery::from_pattern(pattern, field)
        .map(|q| Box::new(q) as Box<dyn Query>)
        .map_err(|e| format!("cannot search for '{pattern}': {e}"))
}

/// Unescaped `*` and `?` in an unquoted value.
fn count_wildcards(value: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in value.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '*' | '?' => n += 1,
            _ => {}
        }
    }
    n
}

/// `\*` and `\?` mean a literal star and question mark.
fn unescape_wildcards(value: &str) -> String {
    value.replace("\\*", "*").replace("\\?", "?")
}

/// The anchored regex for a wildcard value: `*` is any run, `?` one char.
fn wildcard_regex(value: &str, lowercase: bool) -> String {
    let mut out = String::with_capacity(value.len() * 2);
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('*' | '?')) => {
                if let Some(next) = chars.next() {
                    push_escaped(&mut out, next);
                }
            }
            '*' => out.push_str(".*"),
            '?' => out.push('.'),
            c if lowercase => c.to_lowercase().for_each(|l| push_escaped(&mut out, l)),
            c => push_escaped(&mut out, c),
        }
    }
    out
}

fn regex_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 2);
    value.chars().for_each(|c| push_escaped(&mut out, c));
    out
}

fn push_escaped(out: &mut String, c: char) {
    if "\\.+*?()|[]{}^$#&-~".contains(c) {
        out.push('\\');
    }
    out.push(c);
}

/// tantivy's query parser errors, said for the field the user typed.
fn parser_message(canonical: &str, value: &str, e: QueryParserError) -> String {
    match e {
        QueryParserError::ExpectedInt(_) => {
            format!("'{canonical}' expects a whole number, not '{value}'")
        }
        QueryParserError::ExpectedFloat(_) => {
            format!("'{canonical}' expects a number, not '{value}'")
        }
        QueryParserError::ExpectedBool(_) => {
            format!("'{canonical}' expects true or false, not '{value}'")
        }
        QueryParserError::DateFormatError(_) => format!(
            "'{canonical}' expects an RFC 3339 time such as 2024-05-01T12:00:00Z, not '{value}' \
             (prefer --since/--until)"
        ),
        QueryParserError::IpFormatError(_) => {
            format!("'{canonical}' expects an IP address, not '{value}'")
        }
        QueryParserError::FieldNotIndexed(_) => {
            format!("'{canonical}' can only be searched with a range, e.g. {canonical}:[10 TO 20]")
        }
        QueryParserError::UnsupportedQuery(m) => format!("on '{canonical}': {m}"),
        other => format!("on '{canonical}': {other}"),
    }
}

/// The grammar flags `a:b` values; IP addresses, CIDRs and RFC 3339 times
/// legitimately contain `:` and need not be quoted.
fn is_spurious(query: &str, message: &str, pos: usize) -> bool {
    if message != "parsed possible invalid field as term" {
        return false;
    }
    let rest = query.get(pos..).unwrap_or_default().trim_start();
    let end = rest
        .find(|c: char| c.is_whitespace() || c == ')' || c == ']' || c == '^')
        .unwrap_or(rest.len());
    let word = rest.get(..end).unwrap_or_default();
    word.parse::<IpAddr>().is_ok()
        || cidr(word).is_some()
        || chrono::DateTime::parse_from_rfc3339(word).is_ok()
}

/// A grammar error, reworded for the user.
fn syntax_message(query: &str, message: &str, pos: usize) -> String {
    let rest = query.get(pos..).unwrap_or_default().trim_start();
    let before = query.get(..pos).unwrap_or_default().trim_end();
    match message {
        "expected ')'" => "unbalanced parenthesis: missing ')'".to_string(),
        "unparsed end of query" if rest.starts_with(')') => {
            "unbalanced parenthesis: unexpected ')'".to_string()
        }
        "unparsed end of query" if rest.starts_with('^') => {
            "a boost needs a positive number, e.g. reset^2".to_string()
        }
        "unparsed end of query" => format!("cannot understand '{}'", clip(rest)),
        "missing delimiter \\\"" => "unterminated quote: missing closing '\"'".to_string(),
        "missing delimiter \\'" => "unterminated quote: missing closing \"'\"".to_string(),
        "missing delimiter /" => "unterminated /regex/: missing closing '/'".to_string(),
        "expected word" if before.ends_with(':') => {
            let field = before
                .trim_end_matches(':')
                .trim_end()
                .rsplit(|c: char| c.is_whitespace() || "()+-".contains(c))
                .next()
                .unwrap_or_default();
            format!("missing value after '{field}:'")
        }
        "expected word" => "expected a search term".to_string(),
        "Found unexpected boolean operator before term" => {
            "AND/OR needs a term on its left".to_string()
        }
        "parsed keyword NOT as term. It should be quoted" => {
            "NOT needs a term after it (quote \"NOT\" to search for the word)".to_string()
        }
        "parsed possible invalid field as term" if rest.starts_with(':') => {
            "missing field name before ':'".to_string()
        }
        "parsed possible invalid field as term" => format!(
            "':' inside the value '{}': quote the value, e.g. actor:\"a:b\"",
            clip(rest.split(char::is_whitespace).next().unwrap_or_default())
        ),
        "missing keyword TO" => "range needs TO, e.g. batch:[1 TO 3]".to_string(),
        "missing range delimiter" => "unterminated range: missing ']' or '}'".to_string(),
        "missing ]" => "unterminated IN [...] list: missing ']'".to_string(),
        other => other.to_string(),
    }
}

/// At most 40 characters of `s`, for messages.
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

/// Where `name:` is typed in the query (char offset), if it can be found.
fn find_field(query: &str, name: &str) -> Option<usize> {
    if name.is_empty() {
        return None;
    }
    query.match_indices(name).find_map(|(i, _)| {
        let boundary = query
            .get(..i)
            .and_then(|s| s.chars().next_back())
            .is_none_or(|c| c.is_whitespace() || "(+-".contains(c));
        let after = query.get(i + name.len()..).unwrap_or_default();
        (boundary && after.trim_start().starts_with(':')).then(|| char_offset(query, i))
    })
}

/// The char offset of a byte offset (clamped to the query).
fn char_offset(query: &str, byte: usize) -> usize {
    query.char_indices().take_while(|(b, _)| *b < byte).count()
}

/// The byte offset where nesting (parentheses plus a chain of `NOT`s) first
/// goes past [`MAX_NESTING`], if it does.
fn too_deep(query: &str) -> Option<usize> {
    let mut parens = 0usize;
    let mut nots = 0usize;
    let mut word_start = None;
    for (i, c) in query
        .char_indices()
        .chain(std::iter::once((query.len(), ' ')))
    {
        if c.is_whitespace() || c == '(' || c == ')' {
            if let Some(start) = word_start.take() {
                if query.get(start..i) == Some("NOT") {
                    nots += 1;
                } else {
                    nots = 0;
                }
            }
            match c {
                '(' => parens += 1,
                ')' => {
                    parens = parens.saturating_sub(1);
                    nots = 0;
                }
                _ => {}
            }
            if parens + nots > MAX_NESTING {
                return Some(i);
            }
        } else if word_start.is_none() {
            word_start = Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use tantivy::collector::Count;
    use tantivy::{Index, IndexWriter, Searcher, TantivyDocument};

    /// One test event; unset fields are left out of the document.
    #[derive(Default)]
    struct Ev {
        ty: &'static str,
        actor: &'static str,
        actor_id: &'static str,
        targets: &'static [&'static str],
        session: &'static str,
        country: &'static str,
        city: &'static str,
        outcome: &'static str,
        dthash: &'static str,
        ip: &'static str,
        ip_chain: &'static [&'static str],
        message: &'static str,
        debug: &'static str,
        proxy: Option<bool>,
        batch: Option<u64>,
        /// minutes after 2024-05-01T00:00:00Z
        minute: i64,
    }

    fn events() -> Vec<Ev> {
        vec![
            Ev {
                ty: "user.session.start",
                actor: "alice@acme.com",
                actor_id: "00u1",
                session: "102abcSESSION",
                country: "Brazil",
                city: "São Paulo",
                outcome: "SUCCESS",
                ip: "203.0.113.9",
                message: "User login to Okta",
                minute: 0,
                ..Ev::default()
            },
            Ev {
                ty: "user.mfa.factor.deactivate",
                actor: "alice@acme.com",
                targets: &["bob@acme.com"],
                session: "102abcSESSION",
                outcome: "SUCCESS",
                ip: "203.0.113.10",
                message: "Reset factor for user",
                minute: 10,
                ..Ev::default()
            },
            Ev {
                ty: "user.mfa.factor.activate",
                actor: "bob@acme.com",
                outcome: "SUCCESS",
                ip: "198.51.100.7",
                message: "Activate factor for user",
                minute: 20,
                ..Ev::default()
            },
            Ev {
                ty: "user.session.start",
                actor: "mallory@evil.io",
                country: "United States",
                city: "New York",
                outcome: "FAILURE",
                ip: "2001:db8::1",
                message: "User login to Okta",
                debug: "dtHash=abc123 threatSuspected=true requestUri=/login",
                minute: 30,
                ..Ev::default()
            },
            Ev {
                ty: "user.account.reset_password",
                actor: "admin@acme.com",
                targets: &["alice@acme.com", "Okta Admin Console"],
                outcome: "SUCCESS",
                ip: "203.0.113.200",
                ip_chain: &["10.0.0.1", "203.0.113.200"],
                message: "Reset password for user",
                minute: 40,
                ..Ev::default()
            },
            Ev {
                ty: "policy.evaluate_sign_on",
                actor: "alice@acme.com",
                outcome: "DENY",
                message: "Evaluation of sign-on policy",
                proxy: Some(true),
                batch: Some(2),
                minute: 50,
                ..Ev::default()
            },
            Ev {
                ty: "app.oauth2.token.grant",
                actor: "svc*bot",
                ip: "2001:db8::ff",
                message: "OAuth2 access token is granted",
                proxy: Some(false),
                batch: Some(1),
                minute: 60,
                ..Ev::default()
            },
            Ev {
                ty: "user.authentication.sso",
                actor: "carol@acme.com",
                targets: &["Salesforce"],
                country: "Brazil",
                city: "Rio de Janeiro",
                outcome: "SUCCESS",
                message: "User single sign on to app",
                minute: 70,
                ..Ev::default()
            },
            Ev {
                ty: "system.api_token.create",
                actor: "admin@acme.com",
                dthash: "d123",
                message: "Create API token",
                minute: 80,
                ..Ev::default()
            },
            Ev {
                ty: "user.session.end",
                actor: "alice@acme.com",
                actor_id: "00u1",
                message: "User logout from Okta",
                minute: 90,
                ..Ev::default()
            },
        ]
    }

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 5, 1, 0, 0, 0)
            .single()
            .expect("valid time")
    }

    struct Case {
        fields: Fields,
        schema: Schema,
        searcher: Searcher,
    }

    fn case() -> Case {
        let (schema, fields) = crate::index::schema::build();
        let index = Index::create_in_ram(schema.clone());
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        for ev in events() {
            let mut doc = TantivyDocument::default();
            let mut text = |f: Field, v: &str| {
                if !v.is_empty() {
                    doc.add_text(f, v);
                }
            };
            text(fields.event_type, ev.ty);
            text(fields.actor, ev.actor);
            text(fields.actor_id, ev.actor_id);
            for t in ev.targets {
                text(fields.target, t);
            }
            text(fields.session, ev.session);
            text(fields.country, ev.country);
            text(fields.city, ev.city);
            text(fields.outcome, ev.outcome);
            text(fields.dthash, ev.dthash);
            text(fields.message, ev.message);
            text(fields.debug, ev.debug);
            if !ev.ip.is_empty() {
                let ip: IpAddr = ev.ip.parse().expect("ip");
                doc.add_ip_addr(fields.ip, ip.into_ipv6_addr());
            }
            for hop in ev.ip_chain {
                let ip: IpAddr = hop.parse().expect("ip");
                doc.add_ip_addr(fields.ip_chain, ip.into_ipv6_addr());
            }
            if let Some(p) = ev.proxy {
                doc.add_bool(fields.proxy, p);
            }
            if let Some(b) = ev.batch {
                doc.add_u64(fields.batch, b);
            }
            let when = t0() + chrono::Duration::minutes(ev.minute);
            doc.add_date(
                fields.published,
                tantivy::DateTime::from_timestamp_millis(when.timestamp_millis()),
            );
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        Case {
            fields,
            schema,
            searcher,
        }
    }

    impl Case {
        fn count(&self, q: &str) -> usize {
            let query = parse(&self.fields, &self.schema, q)
                .unwrap_or_else(|e| panic!("{q:?} should parse: {e}"));
            self.searcher
                .search(&query, &Count)
                .unwrap_or_else(|e| panic!("{q:?} should run: {e}"))
        }

        fn err(&self, q: &str) -> QueryError {
            match parse(&self.fields, &self.schema, q) {
                Ok(query) => panic!("{q:?} should fail, got {query:?}"),
                Err(e) => e,
            }
        }
    }

    #[test]
    fn exact_terms_on_keyword_fields() {
        let c = case();
        assert_eq!(c.count("actor:alice@acme.com"), 4);
        assert_eq!(c.count("type:user.mfa.factor.deactivate"), 1);
        assert_eq!(c.count("session:102abcSESSION"), 2);
        assert_eq!(c.count("country:Brazil"), 2);
        assert_eq!(c.count("outcome:FAILURE"), 1);
        assert_eq!(c.count("target:bob@acme.com"), 1);
        assert_eq!(c.count("target:alice@acme.com"), 1);
        assert_eq!(c.count("dthash:d123"), 1);
        assert_eq!(c.count("actor_id:00u1"), 2);
        // Exact and case-sensitive.
        assert_eq!(c.count("country:brazil"), 0);
        assert_eq!(c.count("actor:alice"), 0);
        // Field names are case-insensitive.
        assert_eq!(c.count("Actor:alice@acme.com"), 4);
    }

    #[test]
    fn an_excluded_phrase_is_the_exact_complement_of_the_phrase() {
        let c = case();
        // tantivy 0.27 got these wrong (see index/exclusion.rs).
        for phrase in [
            r#""login to okta""#,
            r#""for user""#,
            r#""sign on""#,
            r#"message:"access token""#,
        ] {
            let with = c.count(phrase);
            assert!(with > 0, "{phrase} matches something");
            assert_eq!(with + c.count(&format!("-{phrase}")), 10, "-{phrase}");
            assert_eq!(with + c.count(&format!("NOT {phrase}")), 10, "NOT {phrase}");
            assert_eq!(
                c.count(&format!("actor:alice@acme.com AND NOT {phrase}"))
                    + c.count(&format!("actor:alice@acme.com AND {phrase}")),
                4,
                "alice's events without {phrase}"
            );
        }
    }

    #[test]
    fn quoted_values() {
        let c = case();
        assert_eq!(c.count(r#"city:"São Paulo""#), 1);
        assert_eq!(c.count(r#"country:"United States""#), 1);
        assert_eq!(c.count(r#"target:"Okta Admin Console""#), 1);
        assert_eq!(c.count("city:'Rio de Janeiro'"), 1);
        // Quoted values are never wildcards; \* is a literal star unquoted.
        assert_eq!(c.count(r#"actor:"svc*bot""#), 1);
        assert_eq!(c.count(r"actor:svc\*bot"), 1);
        assert_eq!(c.count(r#"actor:"alice*""#), 0);
    }

    #[test]
    fn wildcards() {
        let c = case();
        assert_eq!(c.count("type:user.mfa.*"), 2);
        assert_eq!(c.count("type:user.session.*"), 3);
        assert_eq!(c.count("actor:*@acme.com"), 8);
        assert_eq!(c.count("actor:?ob@acme.com"), 1);
        assert_eq!(c.count("actor:a*"), 6);
        assert_eq!(c.count("type:*factor*"), 2);
        // `.` in a value is literal, not "any char".
        assert_eq!(c.count("type:user?mfa.*"), 2);
        assert_eq!(c.count("type:userXmfa.*"), 0);
        // Phrase prefix on a keyword field.
        assert_eq!(c.count(r#"actor:"carol"*"#), 1);
        // On the message: words are lower-cased by the index.
        assert_eq!(c.count("log*"), 3);
        assert_eq!(c.count("Log*"), 3);
        assert_eq!(c.count("message:act?vate"), 1);
        // Exists: `field:*`.
        assert_eq!(c.count("dthash:*"), 1);
        assert_eq!(c.count("country:*"), 3);
        assert_eq!(c.count("ip:*"), 6);
    }

    #[test]
    fn free_words_are_message_conjunction() {
        let c = case();
        assert_eq!(c.count("reset"), 2);
        assert_eq!(c.count("reset password"), 1);
        assert_eq!(c.count("RESET Password"), 1);
        assert_eq!(c.count("reset OR activate"), 3);
        assert_eq!(c.count(r#""login to okta""#), 2);
        assert_eq!(c.count(r#""okta login""#), 0);
        assert_eq!(c.count("okta -logout"), 2);
        assert_eq!(c.count("message:factor"), 2);
        // Words inside a free word make a phrase.
        assert_eq!(c.count("sign-on"), 2);
    }

    #[test]
    fn debug_words_without_positions() {
        let c = case();
        assert_eq!(c.count("debug:threatSuspected=true"), 1);
        assert_eq!(c.count(r#"debug:"true threatsuspected""#), 1);
        assert_eq!(c.count("debug:abc123"), 1);
        assert_eq!(c.count("debug:requestUri=/login"), 1);
        assert_eq!(c.count(r#"debug:"threatSuspected=tr"*"#), 1);
        assert_eq!(c.count(r#"debug:"threatSuspected=fa"*"#), 0);
    }

    #[test]
    fn booleans() {
        let c = case();
        assert_eq!(c.count("actor:alice@acme.com AND outcome:SUCCESS"), 2);
        assert_eq!(c.count("actor:alice@acme.com outcome:SUCCESS"), 2);
        assert_eq!(c.count("+actor:alice@acme.com +outcome:SUCCESS"), 2);
        assert_eq!(c.count("actor:bob@acme.com OR actor:carol@acme.com"), 2);
        assert_eq!(
            c.count("actor:alice@acme.com AND NOT type:user.session.*"),
            2
        );
        assert_eq!(c.count("actor:alice@acme.com -type:user.session.*"), 2);
        assert_eq!(c.count("NOT actor:alice@acme.com"), 6);
        assert_eq!(c.count("-actor:alice@acme.com"), 6);
        assert_eq!(c.count("-actor:alice@acme.com -actor:admin@acme.com"), 4);
        assert_eq!(
            c.count("(actor:bob@acme.com OR actor:carol@acme.com) AND country:Brazil"),
            1
        );
        assert_eq!(c.count("country:Brazil OR NOT outcome:*"), 5);
        assert_eq!(c.count("actor:(bob@acme.com OR carol@acme.com)"), 2);
        assert_eq!(c.count("outcome: IN [FAILURE DENY]"), 2);
    }

    #[test]
    fn aliases() {
        let c = case();
        assert_eq!(c.count("eventType:user.session.start"), 2);
        assert_eq!(c.count("eventtype:user.session.start"), 2);
        assert_eq!(c.count("alternateId:bob@acme.com"), 1);
        assert_eq!(c.count("sessionId:102abcSESSION"), 2);
        assert_eq!(c.count("externalSessionId:102abcSESSION"), 2);
        assert_eq!(c.count("ipAddress:203.0.113.9"), 1);
        assert_eq!(c.count("client_ip:203.0.113.9"), 1);
        assert_eq!(c.count("result:FAILURE"), 1);
        // user: actor OR target.
        assert_eq!(c.count("user:bob@acme.com"), 2);
        assert_eq!(c.count("user:alice@acme.com"), 5);
        assert_eq!(c.count("user:*@acme.com"), 8);
        assert_eq!(c.count("user:bob@acme.com -type:user.mfa.*"), 0);
        for (alias, _) in ALIASES {
            assert!(
                crate::index::schema::build().0.get_field(alias).is_err(),
                "alias {alias} shadows a field"
            );
        }
    }

    #[test]
    fn ips_and_cidrs() {
        let c = case();
        assert_eq!(c.count("ip:203.0.113.9"), 1);
        assert_eq!(c.count(r#"ip:"2001:db8::1""#), 1);
        assert_eq!(c.count("ip:2001:db8::1"), 1);
        assert_eq!(c.count("ip:2001:db8::1 OR ip:2001:db8::ff"), 2);
        assert_eq!(c.count("ip:203.0.113.0/24"), 3);
        assert_eq!(c.count("ip:203.0.113.0/31"), 0);
        assert_eq!(c.count("ip:203.0.113.8/31"), 1);
        assert_eq!(c.count("ip:2001:db8::/32"), 2);
        assert_eq!(c.count("ip:0.0.0.0/0"), 4);
        assert_eq!(c.count("ip:::/0"), 6);
        assert_eq!(c.count("ip:203.0.113.*"), 3);
        assert_eq!(c.count("ip:203.*"), 3);
        assert_eq!(c.count("ip_chain:10.0.0.1"), 1);
        assert_eq!(c.count("ip_chain:10.0.0.0/8"), 1);
        assert_eq!(c.count("ip:[203.0.113.0 TO 203.0.113.10]"), 2);
        assert_eq!(c.count("ip: IN [203.0.113.9 2001:db8::1]"), 2);
        assert_eq!(c.count("-ip:203.0.113.0/24"), 7);
        let e = c.err("ip:999.1.1.1");
        assert!(e.message.contains("expects an IP"), "{e}");
        assert_eq!(e.position, Some(0));
        assert!(c.err("ip:10.0.0.0/33").message.contains("CIDR"));
        assert!(c.err("ip:10.*.0.*").message.contains("expects an IP"));
    }

    #[test]
    fn other_field_types() {
        let c = case();
        assert_eq!(c.count("proxy:true"), 1);
        assert_eq!(c.count("batch:2"), 1);
        assert_eq!(c.count("batch:[1 TO 2]"), 2);
        assert_eq!(c.count("batch:>1"), 1);
        assert_eq!(
            c.count("published:[2024-05-01T00:10:00Z TO 2024-05-01T00:30:00Z}"),
            2
        );
        assert_eq!(c.count("published:2024-05-01T00:10:00Z"), 1);
        assert!(c.err("batch:two").message.contains("whole number"));
        assert!(c.err("proxy:maybe").message.contains("true or false"));
        assert!(c.err("source:x").message.contains("cannot be searched"));
    }

    #[test]
    fn all_documents() {
        let c = case();
        assert_eq!(c.count("*"), 10);
        assert_eq!(c.count(""), 10);
        assert_eq!(c.count("   \t\n"), 10);
        assert_eq!(c.count("* AND actor:bob@acme.com"), 1);
    }

    #[test]
    fn unknown_fields() {
        let c = case();
        let e = c.err("actr:alice@acme.com");
        assert!(e.message.starts_with("unknown field 'actr'"), "{e}");
        assert!(e.message.contains("did you mean 'actor'"), "{e}");
        assert!(e.message.contains("known: uuid, type,"), "{e}");
        assert_eq!(e.position, Some(0));
        let e = c.err("outcome:SUCCESS AND bogus:1");
        assert_eq!(e.position, Some(20));
        assert!(!e.message.contains("did you mean"), "{e}");
        assert_eq!(
            e.to_string(),
            format!("query error at column 21: {}", e.message)
        );
        // Unknown in a group, an exists, a range, a set.
        assert!(c.err("nope:(a b)").message.contains("unknown field 'nope'"));
        assert!(c.err("nope:*").message.contains("unknown field 'nope'"));
        assert!(
            c.err("nope:[a TO b]")
                .message
                .contains("unknown field 'nope'")
        );
        assert!(
            c.err("nope: IN [a b]")
                .message
                .contains("unknown field 'nope'")
        );
        // Positions are in chars, not bytes.
        assert_eq!(c.err("city:São x:1").position, Some(9));
    }

    #[test]
    fn syntax_errors_have_positions() {
        let c = case();
        let e = c.err("actor:alice@acme.com AND (type:x");
        assert_eq!(e.message, "unbalanced parenthesis: missing ')'");
        assert_eq!(e.position, Some(32));
        assert_eq!(
            e.to_string(),
            "query error at column 33: unbalanced parenthesis: missing ')'"
        );
        let e = c.err("type:x)");
        assert_eq!(e.message, "unbalanced parenthesis: unexpected ')'");
        assert_eq!(e.position, Some(6));
        let e = c.err(r#"city:"São"#);
        assert!(e.message.contains("unterminated quote"), "{e}");
        let e = c.err("actor:");
        assert_eq!(e.message, "missing value after 'actor:'");
        assert_eq!(e.position, Some(6));
        let e = c.err("actor:a:b");
        assert!(e.message.contains("quote the value"), "{e}");
        assert!(c.err("batch:[1 TO").message.contains("range"));
        let e = c.err("reset AND");
        assert_eq!(
            e.message,
            "AND needs a term on its right (quote \"AND\" to search for the word)"
        );
        assert_eq!(e.position, Some(6));
        assert_eq!(
            c.err("AND reset").message,
            "AND/OR needs a term on its left"
        );
        assert_eq!(c.err("NOT").position, Some(0));
        assert_eq!(c.count(r#"message:"AND""#), 0);
        let e = c.err("(((((");
        assert_eq!(e.message, "unbalanced parenthesis: missing ')'");
        assert_eq!(e.position, Some(5));
        assert_eq!(c.err(":x").message, "missing field name before ':'");
        assert!(c.err("reset^").message.contains("boost"));
        assert!(c.err("[a TO").message.contains("unterminated range"));
        let e = c.err(&"(".repeat(100));
        assert!(e.message.contains("nested too deeply"), "{e}");
        assert_eq!(e.position, Some(MAX_NESTING));
    }

    #[test]
    fn time_range_and_and() {
        let c = case();
        let f = &c.fields;
        let run = |q: Box<dyn Query>| c.searcher.search(&q, &Count).expect("search");
        let at = |m: i64| t0() + chrono::Duration::minutes(m);
        assert!(time_range(f, None, None).is_none());
        let all = parse(f, &c.schema, "*").expect("all");
        assert_eq!(
            run(and(all.box_clone(), time_range(f, Some(at(10)), None))),
            9
        );
        assert_eq!(
            run(and(all.box_clone(), time_range(f, None, Some(at(10))))),
            1
        );
        assert_eq!(
            run(and(
                all.box_clone(),
                time_range(f, Some(at(10)), Some(at(40)))
            )),
            3
        );
        assert_eq!(run(and(all.box_clone(), None)), 10);
        let alice = parse(f, &c.schema, "actor:alice@acme.com").expect("alice");
        assert_eq!(run(and(alice, time_range(f, Some(at(5)), Some(at(90))))), 2);
        // Sub-millisecond bounds lose nothing.
        let just_after = at(90) + chrono::Duration::nanoseconds(1);
        assert_eq!(
            run(and(all, time_range(f, Some(at(90)), Some(just_after)))),
            1
        );
    }

    #[test]
    fn narrow_windows_count_as_the_column_does() {
        // Events inside and at the edges of whole seconds: the term
        // dictionary holds seconds, the column milliseconds.
        let (schema, f) = crate::index::schema::build();
        let index = Index::create_in_ram(schema);
        let mut writer: IndexWriter = index
            .writer_with_num_threads(1, 15_000_000)
            .expect("writer");
        let offsets = [-1, 0, 1, 499, 500, 999, 1000, 1001, 1999, 2000, 7_200_000];
        for ms in offsets {
            let mut doc = TantivyDocument::default();
            let when = t0().timestamp_millis() + ms;
            doc.add_date(f.published, tantivy::DateTime::from_timestamp_millis(when));
            writer.add_document(doc).expect("add");
        }
        writer.commit().expect("commit");
        let searcher = index.reader().expect("reader").searcher();
        let count = |q: &dyn Query| searcher.search(q, &Count).expect("search");
        let at = |ms: i64| t0() + chrono::Duration::milliseconds(ms);
        let by_hand = |a: i64, b: i64| offsets.iter().filter(|&&o| a <= o && o < b).count();
        let windows = [
            (0, 1000),
            (-1000, 1000),
            (0, 2000),
            (1000, 1000),
            (0, 1),
            (1, 1000),
            (499, 1001),
            (-5, 2001),
            (0, 7_200_000),
            (0, 7_201_000),
        ];
        for (a, b) in windows {
            let q = time_range(&f, Some(at(a)), Some(at(b))).expect("bounded");
            assert_eq!(count(q.as_ref()), by_hand(a, b), "{a} .. {b}");
        }
    }

    #[test]
    fn never_panics() {
        let c = case();
        let mut hostile: Vec<String> = [
            "(((((",
            ")))))",
            "\"",
            "'",
            "actor:",
            ":x",
            ":",
            "[a TO",
            "{",
            "}",
            "]",
            "[",
            "a AND",
            "AND a",
            "OR",
            "NOT",
            "NOT NOT",
            "- -",
            "+",
            "-",
            "^",
            "a^",
            "a^-1",
            "a^99999999999999999999999999",
            "~",
            "a~2",
            "\"a b\"~99999999999",
            "/",
            "//",
            "actor:/[/",
            "/a/",
            "actor://",
            "IN [",
            "actor: IN [",
            "actor: IN [a",
            "*:*",
            "actor:**",
            "actor:*?*?*",
            "\\",
            "\\\\",
            "a\\",
            "ip:/",
            "ip:1/",
            "ip:::/129",
            "ip:*",
            "ip_chain:*",
            "message:*",
            "lat:1",
            "lat:[1 TO 2]",
            "published:*",
            "published:[* TO *]",
            "actor:[* TO *]",
            "ip:[* TO *]",
            "batch:-1",
            "batch:>",
            "batch:<=",
            "proxy:[true TO false]",
            "\"\"",
            "actor:\"\"",
            "message:\"\"",
            "actor:\"\"*",
            "\"a\"*",
            "message:\"a b\"*",
            "debug:\"a b\"*",
            "ué:ü",
            "日本語",
            "\u{0}",
            "\u{7}\u{1b}[31m",
            "a\u{0}b:c",
            "\r\n\t",
            "\u{202e}actor:x",
            "😀:😀",
            "actor:😀*",
            "(a",
            "a)",
            "()",
            "( )",
            "(*)",
            "-(a)",
            "NOT (a OR b",
            "user:",
            "user:*",
            "user:[a TO b]",
            "user: IN [a]",
            "user:/a.*/",
            "eventType:*",
            "a:b:c:d",
            "IN",
            "TO",
            "[ TO ]",
            "{* TO *}",
            ">=",
            "<",
            "type:>=a",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        hostile.push("(".repeat(10_000));
        hostile.push("NOT ".repeat(10_000));
        hostile.push("a ".repeat(20_000));
        hostile.push("x".repeat(200_000));
        hostile.push(format!("actor:{}", "*?".repeat(1_000)));
        hostile.push("(a) ".repeat(5_000));
        hostile.push(format!("{}a{}", "(".repeat(30), ")".repeat(30)));
        // A small deterministic generator over the grammar's alphabet.
        let alphabet: Vec<char> = "ab:*?\"'()[]{}<>=^~\\/+- \tANDORNOTIN.@0123456789é😀\u{0}"
            .chars()
            .collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let words = [
            "actor:",
            "ip:",
            "user:",
            "type:",
            "AND ",
            "OR ",
            "NOT ",
            "batch:",
            "ip_chain:",
            "published:",
            "debug:",
            "message:",
            " IN [",
            " TO ",
        ];
        for _ in 0..600 {
            let len = (next() % 24) as usize;
            let mut s = String::new();
            for _ in 0..len {
                if next() % 5 == 0 {
                    s.push_str(words[(next() % words.len() as u64) as usize]);
                } else {
                    s.push(alphabet[(next() % alphabet.len() as u64) as usize]);
                }
            }
            hostile.push(s);
        }
        for q in &hostile {
            match parse(&c.fields, &c.schema, q) {
                Ok(query) => {
                    // The query runs, too (errors are fine, panics are not).
                    let _ = c.searcher.search(&query, &Count);
                }
                Err(e) => {
                    assert!(!e.message.is_empty());
                    if let Some(p) = e.position {
                        assert!(p <= q.chars().count(), "{q:?}: {e}");
                    }
                }
            }
        }
    }
}
