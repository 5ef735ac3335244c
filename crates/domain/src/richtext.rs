//! Rich text (motivation letters, internal note bodies): sanitized on the server with an allow-list before it
//! is stored, so whatever a client sends, what is shown later cannot run script. Invariant: every body that
//! reaches a vault has passed through [`sanitize`].

use std::collections::HashSet;

/// The longest body accepted, in characters of the submitted text.
pub const MAX_CHARS: usize = 20_000;

/// Why a body is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RichTextError {
    #[error("the text is longer than {MAX_CHARS} characters")]
    TooLong,
    #[error("the text is empty")]
    Empty,
}

/// Cleans `html` down to formatting tags (paragraphs, emphasis, lists, two heading levels, quotes, links to
/// http, https and mailto). Scripts, styles, event handlers and every other attribute are removed; links get
/// `rel="noopener noreferrer nofollow"`.
pub fn sanitize(html: &str) -> Result<String, RichTextError> {
    if html.chars().count() > MAX_CHARS {
        return Err(RichTextError::TooLong);
    }
    let tags: HashSet<&str> = [
        "p",
        "br",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "ul",
        "ol",
        "li",
        "h2",
        "h3",
        "blockquote",
        "a",
    ]
    .into_iter()
    .collect();
    let clean = ammonia::Builder::default()
        .tags(tags)
        .generic_attributes(HashSet::new())
        .tag_attributes(std::iter::once(("a", std::iter::once("href").collect())).collect())
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string();
    if visible_text(&clean).trim().is_empty() {
        return Err(RichTextError::Empty);
    }
    Ok(clean)
}

/// The text without tags (for "is it empty" and plain-text mails).
pub fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn event_handlers_and_scripts_are_stripped() {
        let clean =
            sanitize("<p>Hi</p><img src=x onerror=alert(1)><script>alert(2)</script>").unwrap();
        assert_eq!(clean, "<p>Hi</p>");
        let clean =
            sanitize(r#"<p onclick="x()">a <a href="javascript:alert(1)">b</a></p>"#).unwrap();
        assert!(
            !clean.contains("onclick") && !clean.contains("javascript"),
            "{clean}"
        );
    }

    #[test]
    fn formatting_and_safe_links_survive() {
        let clean =
            sanitize(r#"<p><strong>Bold</strong> <em>it</em></p><ul><li>one</li></ul><a href="https://x.nl">x</a>"#)
                .unwrap();
        assert!(clean.contains("<strong>Bold</strong>"));
        assert!(clean.contains("<li>one</li>"));
        assert!(clean.contains(r#"href="https://x.nl""#));
        assert!(clean.contains("noopener"));
    }

    #[test]
    fn limits_and_emptiness() {
        assert_eq!(
            sanitize(&"a".repeat(MAX_CHARS + 1)),
            Err(RichTextError::TooLong)
        );
        assert!(sanitize(&"a".repeat(MAX_CHARS)).is_ok());
        assert_eq!(
            sanitize("<img src=x onerror=alert(1)>"),
            Err(RichTextError::Empty)
        );
        assert_eq!(sanitize("<p> </p>"), Err(RichTextError::Empty));
    }

    proptest! {
        /// Whatever goes in, no tag outside the allow-list and no event handler comes out, and sanitizing is
        /// idempotent.
        #[test]
        fn output_is_clean_and_stable(input in "(<[a-z]{1,8}( on[a-z]{1,6}=\"x\")?>|[a-z ]{0,5}|</[a-z]{1,8}>|<script>){0,20}") {
            if let Ok(clean) = sanitize(&input) {
                prop_assert!(!clean.contains("<script"));
                prop_assert!(!clean.contains("=\"x\""), "{}", clean);
                prop_assert_eq!(sanitize(&clean).ok(), Some(clean.clone()));
            }
        }
    }
}
