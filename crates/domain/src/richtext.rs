//! Rich text (motivation letters, internal note bodies): sanitized on the server with an allow-list before it
//! is stored, so whatever a client sends, what is shown later cannot run script. Invariant: every body that
//! reaches a vault has passed through [`sanitize`].
//!
//! Knowledge-base articles have a policy of their own, [`sanitize_article`]: the same formatting plus a third
//! heading level, rules, code and images — images only from `/api/knowledge/images/{uuid}`, never an external
//! or `data:` address. Notes and letters keep the narrower policy.

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

/// The longest article body accepted, in characters of the submitted HTML.
pub const ARTICLE_MAX_CHARS: usize = 100_000;

/// The one image address articles may use: `/api/knowledge/images/` and a lower-case hyphenated UUID.
pub fn is_article_image_src(src: &str) -> bool {
    src.strip_prefix("/api/knowledge/images/")
        .and_then(|id| {
            uuid::Uuid::parse_str(id)
                .ok()
                .filter(|u| u.hyphenated().to_string() == id)
        })
        .is_some()
}

/// Cleans an article body: the formatting of [`sanitize`], `h4`, `hr`, `code`, `pre`, and `img` with `src`
/// (only [`is_article_image_src`] addresses) and `alt`. Scripts, styles, event handlers, every other
/// attribute and every other image address are removed.
pub fn sanitize_article(html: &str) -> Result<String, RichTextError> {
    if html.chars().count() > ARTICLE_MAX_CHARS {
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
        "h4",
        "blockquote",
        "a",
        "hr",
        "code",
        "pre",
        "img",
    ]
    .into_iter()
    .collect();
    let clean = ammonia::Builder::default()
        .tags(tags)
        .generic_attributes(HashSet::new())
        .tag_attributes(
            [
                ("a", ["href"].into_iter().collect()),
                ("img", ["src", "alt"].into_iter().collect()),
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && !is_article_image_src(value) {
                None
            } else {
                Some(value.into())
            }
        })
        .clean(html)
        .to_string();
    let clean = drop_images_without_source(&clean);
    let has_image = clean.contains("<img src=");
    if visible_text(&clean).trim().is_empty() && !has_image {
        return Err(RichTextError::Empty);
    }
    Ok(clean)
}

/// Removes `<img>` tags whose address the filter took away. Works on the sanitizer's output only: there text
/// has `<` escaped and every attribute value is double-quoted with `"` escaped, so a tag ends at the first `>`
/// outside quotes.
fn drop_images_without_source(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<img") {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let mut quoted = false;
        let end = tail.char_indices().find_map(|(i, c)| match c {
            '"' => {
                quoted = !quoted;
                None
            }
            '>' if !quoted => Some(i),
            _ => None,
        });
        let Some(end) = end else {
            out.push_str(tail);
            rest = "";
            break;
        };
        let tag = &tail[..=end];
        if tag.starts_with("<img src=") {
            out.push_str(tag);
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
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

    const IMAGE: &str = "/api/knowledge/images/6f1c2a8e-0b7d-4c1e-9a55-3f0e2d1c4b6a";

    /// Real tags only (text keeps `<` escaped as `&lt;`, so what lies between `<` and `>` is markup).
    fn assert_clean_article(clean: &str) -> Result<(), TestCaseError> {
        for tag in clean
            .split('<')
            .skip(1)
            .filter_map(|t| t.split_once('>').map(|(t, _)| t))
        {
            let name = tag
                .trim_start_matches('/')
                .split([' ', '/'])
                .next()
                .unwrap_or_default();
            prop_assert!(
                ["p", "img", "a", "h2", "b", "ul", "li"].contains(&name),
                "tag {} in {}",
                tag,
                clean
            );
            prop_assert!(!tag.contains(" on"), "handler in {}", clean);
            prop_assert!(!tag.contains("javascript:"), "script link in {}", clean);
            if name == "img" {
                prop_assert!(
                    tag.starts_with(&format!("img src=\"{IMAGE}\"")),
                    "image {} in {}",
                    tag,
                    clean
                );
            }
        }
        Ok(())
    }

    #[test]
    fn articles_keep_their_formatting_and_own_images() {
        let html = format!(
            r#"<h2>Kassa</h2><h3>Open</h3><p><strong>B</strong> <em>i</em> <u>u</u> <s>s</s></p><ol><li>a</li></ol><p><a href="https://x.nl">x</a></p><p><img src="{IMAGE}" alt="Kassa"></p>"#
        );
        let clean = sanitize_article(&html).unwrap();
        for kept in [
            "<h2>", "<h3>", "<strong>", "<em>", "<u>", "<s>", "<ol>", "<li>", "noopener",
        ] {
            assert!(clean.contains(kept), "{kept} in {clean}");
        }
        assert!(
            clean.contains(&format!(r#"<img src="{IMAGE}" alt="Kassa">"#)),
            "{clean}"
        );
        assert!(sanitize_article(&format!(r#"<img src="{IMAGE}">"#)).is_ok());
    }

    #[test]
    fn articles_lose_script_handlers_and_foreign_images() {
        for (dirty, banned) in [
            ("<p>a</p><script>alert(1)</script>", "script"),
            (r#"<p onclick="x()">a</p>"#, "onclick"),
            (
                r#"<p>a<img src="/api/knowledge/images/6f1c2a8e-0b7d-4c1e-9a55-3f0e2d1c4b6a" onerror="alert(1)"></p>"#,
                "onerror",
            ),
            (
                r#"<p><a href="javascript:alert(1)">a</a></p>"#,
                "javascript",
            ),
            (r#"<p>a<img src="https://evil.example/x.png"></p>"#, "evil"),
            (r#"<p>a<img src="//evil.example/x.png"></p>"#, "evil"),
            (r#"<p>a<img src="data:image/png;base64,AAAA"></p>"#, "data:"),
            (
                r#"<p>a<img src="/api/knowledge/images/../../admin"></p>"#,
                "admin",
            ),
            (
                r#"<p>a<img src="/api/knowledge/images/6F1C2A8E-0B7D-4C1E-9A55-3F0E2D1C4B6A?x=1"></p>"#,
                "?x",
            ),
            (r#"<p style="background:url(x)">a</p>"#, "style"),
            ("<p>a</p><iframe src=\"https://x\"></iframe>", "iframe"),
            ("<svg><script>alert(1)</script></svg><p>a</p>", "svg"),
        ] {
            let clean = sanitize_article(dirty).unwrap();
            assert!(!clean.contains(banned), "{dirty} → {clean}");
        }
        assert_eq!(
            sanitize_article("<script>x</script>"),
            Err(RichTextError::Empty)
        );
        assert_eq!(
            sanitize_article(&"a".repeat(ARTICLE_MAX_CHARS + 1)),
            Err(RichTextError::TooLong)
        );
    }

    #[test]
    fn only_the_knowledge_image_address_is_an_article_image() {
        assert!(is_article_image_src(IMAGE));
        assert!(!is_article_image_src("/api/knowledge/images/x"));
        assert!(!is_article_image_src(
            "https://host/api/knowledge/images/6f1c2a8e-0b7d-4c1e-9a55-3f0e2d1c4b6a"
        ));
        assert!(!is_article_image_src(&format!("{IMAGE}/")));
        // Notes and letters still take no images at all.
        assert_eq!(
            sanitize(&format!(r#"<p>a<img src="{IMAGE}"></p>"#)).unwrap(),
            "<p>a</p>"
        );
    }

    proptest! {
        /// Whatever goes in, an article body has no event handler, script, foreign image or unknown tag, and
        /// sanitizing it again keeps it so. (Not byte-for-byte: the HTML parser may re-nest a heading typed
        /// inside a link on the second pass.)
        #[test]
        fn article_output_is_clean_and_stays_clean(input in prop::collection::vec(prop::sample::select(vec![
            "<p>", "</p>", "<img src=\"/api/knowledge/images/6f1c2a8e-0b7d-4c1e-9a55-3f0e2d1c4b6a\">",
            "<img src=\"https://evil.example/a.png\">", "<img src=x onerror=alert(1)>", "<script>", "</script>",
            "<a href=\"javascript:alert(1)\">", "<a href=\"https://ok.example\">", "</a>", "<h2>", "</h2>",
            "<style>p{}</style>", "text ", "<b onmouseover=\"x\">", "</b>", "<svg onload=alert(1)>", "&amp;",
            "<iframe>", "<ul><li>", "</li></ul>", "<img src=\"data:image/png;base64,AA\">", "<img alt=\"a>b\">",
        ]), 0..24)) {
            let input = input.concat();
            if let Ok(clean) = sanitize_article(&input) {
                assert_clean_article(&clean)?;
                if let Ok(again) = sanitize_article(&clean) {
                    assert_clean_article(&again)?;
                }
            }
        }

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
