//! Input rules of the knowledge base: titles, names, bodies and search queries. Each failing field maps to a
//! stable code the UI translates.

use crate::richtext::{self, RichTextError};
use crate::validation::{self, FieldErrors};

/// The longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// The longest category name, in characters.
pub const MAX_CATEGORY_CHARS: usize = 100;
/// The longest search query, in characters (after trimming); longer ones answer 422 `query_too_long`.
pub const MAX_QUERY_CHARS: usize = 200;

pub fn title(input: &str, errors: &mut FieldErrors) -> String {
    validation::text(input, MAX_TITLE_CHARS, "title", errors)
}

pub fn category_name(input: &str, errors: &mut FieldErrors) -> String {
    validation::text(input, MAX_CATEGORY_CHARS, "name", errors)
}

/// The sanitized body and its visible text (for search).
pub fn body(html: &str, errors: &mut FieldErrors) -> (String, String) {
    match richtext::sanitize_article(html) {
        Ok(clean) => {
            let text = plain_text(&clean);
            (clean, text)
        }
        Err(RichTextError::TooLong) => {
            errors.add("bodyHtml", "too_long");
            (String::new(), String::new())
        }
        Err(RichTextError::Empty) => {
            errors.add("bodyHtml", "required");
            (String::new(), String::new())
        }
    }
}

/// The text a reader sees in sanitized HTML: tags removed, the entities the sanitizer writes decoded,
/// whitespace collapsed.
pub fn plain_text(html: &str) -> String {
    let text = richtext::visible_text(html)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why a search query is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryTooLong;

/// The query to search for: control characters removed, whitespace collapsed; `None` when nothing is left.
/// Operators need no escaping: the store reads it with `websearch_to_tsquery`, which never fails.
pub fn search_query(input: &str) -> Result<Option<String>, QueryTooLong> {
    let cleaned: String = input
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let query = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if query.chars().count() > MAX_QUERY_CHARS {
        Err(QueryTooLong)
    } else if query.is_empty() {
        Ok(None)
    } else {
        Ok(Some(query))
    }
}

/// A prefix query over the query's words, in `to_tsquery` syntax: `fiets:* & koffie:* & !melk` (`|` between
/// the words when the query says `or`). Dutch stemming maps "fiets" and "fietsen" to different stems
/// ("fiet", "fiets"); OR-ed with the web-search queries, the prefix of the stem finds both. Words are reduced
/// to letters and digits, so the result can never be a `to_tsquery` syntax error. `None` without any word.
pub fn prefix_query(query: &str) -> Option<String> {
    prefix_parts(query).map(|p| p.query)
}

/// A prefix query and its positive words alone: when every positive word is a stop word, `to_tsquery` drops
/// them and a bare negation would match everything, so the store uses the query only when the words leave
/// something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixQuery {
    pub query: String,
    pub words: String,
}

pub fn prefix_parts(query: &str) -> Option<PrefixQuery> {
    let mut positive = Vec::new();
    let mut negative = Vec::new();
    let mut any = false;
    for token in query.split_whitespace().take(16) {
        if token.eq_ignore_ascii_case("or") {
            any = true;
            continue;
        }
        let negated = token.starts_with('-');
        // Lowercase first, then keep letters and digits: lowercasing a letter can yield a combining mark
        // ('İ' becomes 'i' and U+0307), which must not reach the query.
        let word: String = token
            .chars()
            .flat_map(char::to_lowercase)
            .filter(|c| c.is_alphanumeric())
            .collect();
        if word.is_empty() {
            continue;
        }
        if negated {
            negative.push(format!("!{word}"));
        } else {
            positive.push(format!("{word}:*"));
        }
    }
    if positive.is_empty() {
        return None;
    }
    let mut text = positive.join(if any { " | " } else { " & " });
    if any && positive.len() > 1 {
        text = format!("({text})");
    }
    let words = text.clone();
    for term in negative {
        text.push_str(" & ");
        text.push_str(&term);
    }
    Some(PrefixQuery { query: text, words })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn prefix_queries_keep_words_and_negations_only() {
        assert_eq!(prefix_query("fiets"), Some("fiets:*".into()));
        assert_eq!(
            prefix_query("Koffie -melk"),
            Some("koffie:* & !melk".into())
        );
        assert_eq!(
            prefix_query(r#""fire exit" OR allergenen"#),
            Some("(fire:* | exit:* | allergenen:*) ".trim_end().into())
        );
        assert_eq!(prefix_query("!!&|():*<->"), None);
        assert_eq!(prefix_query("-alleen"), None);
        assert_eq!(prefix_query("a:*b&c"), Some("abc:*".into()));
        assert_eq!(prefix_query("İstanbul"), Some("istanbul:*".into()));
    }

    proptest! {
        /// Whatever the user types, the prefix query holds only words, `:*`, `!`, `&`, `|`, parentheses and
        /// spaces, in the shape the function builds.
        #[test]
        fn prefix_queries_are_always_well_formed(input in "\\PC{0,80}") {
            if let Some(text) = prefix_query(&input) {
                prop_assert!(text.chars().all(|c| c.is_alphanumeric() || " :*!&|()".contains(c)), "{}", text);
                prop_assert!(!text.contains("::") && !text.contains("!!") && !text.contains("&&"), "{}", text);
            }
        }
    }

    #[test]
    fn queries_are_cleaned_and_limited() {
        assert_eq!(search_query("  fiets\0  \n"), Ok(Some("fiets".into())));
        assert_eq!(search_query(" \t "), Ok(None));
        assert_eq!(
            search_query(&"a".repeat(MAX_QUERY_CHARS)),
            Ok(Some("a".repeat(200)))
        );
        assert_eq!(search_query(&"a".repeat(10_000)), Err(QueryTooLong));
        assert_eq!(
            search_query(r#"!!(a & | ) "b" -c or:* <->"#),
            Ok(Some(r#"!!(a & | ) "b" -c or:* <->"#.into()))
        );
    }

    #[test]
    fn bodies_are_sanitized_and_their_text_kept_for_search() {
        let mut errors = FieldErrors::default();
        let (html, text) = body(
            "<h2>Fiets &amp; sleutel</h2><p>Zet je <b>fiets</b> achter.</p><script>x()</script>",
            &mut errors,
        );
        assert!(errors.is_empty());
        assert!(!html.contains("script"));
        assert_eq!(text, "Fiets & sleutel Zet je fiets achter.");
        let mut errors = FieldErrors::default();
        body("<p> </p>", &mut errors);
        assert_eq!(errors.0.get("bodyHtml"), Some(&"required"));
    }
}
