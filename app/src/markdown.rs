//! Markdown from publishers (API and MCP descriptions), rendered to HTML that cannot run
//! anything: raw HTML in the source is shown as text, and links or images with a scheme
//! other than http(s) / mailto (e.g. `javascript:`) lose their target.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.find(':') {
        // No scheme: a relative link or an anchor.
        None => true,
        Some(colon) => {
            // A colon after the first `/`, `?` or `#` is part of the path, not a scheme.
            let first_sep = lower.find(['/', '?', '#']).unwrap_or(usize::MAX);
            first_sep < colon || ["http", "https", "mailto"].contains(&&lower[..colon])
        }
    }
}

fn neutral(url: CowStr<'_>) -> CowStr<'_> {
    if safe_url(&url) {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

/// Renders `source` to safe HTML.
pub fn to_safe_html(source: &str) -> String {
    let events =
        Parser::new_ext(source, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|event| {
            match event {
                Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
                Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                    Event::Start(Tag::Link { link_type, dest_url: neutral(dest_url), title, id })
                }
                Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                    Event::Start(Tag::Image { link_type, dest_url: neutral(dest_url), title, id })
                }
                other => other,
            }
        });
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Renders a short `source` (a parameter's or a plan's description) to safe HTML for a
/// place inside a line: a single paragraph loses its `<p>`.
pub fn to_safe_inline_html(source: &str) -> String {
    let html = to_safe_html(source);
    let inner = html.trim_end().strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>"));
    match inner {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => html,
    }
}

/// The text of `source` without markup, cut at `max_chars` (with an ellipsis), for
/// excerpts in result lists.
pub fn to_plain_text(source: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for event in Parser::new(source) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => out.push_str(&t),
            // A list reads as one sentence of items: "a; b; c."
            Event::End(TagEnd::Item) => {
                out.truncate(out.trim_end().trim_end_matches('.').len());
                out.push_str("; ");
            }
            Event::End(TagEnd::List(_)) => {
                out.truncate(out.trim_end().trim_end_matches(';').len());
                if !out.ends_with(['.', '!', '?', ':']) {
                    out.push('.');
                }
                out.push(' ');
            }
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell)
                if !out.ends_with(' ') =>
            {
                out.push(' ')
            }
            _ => {}
        }
    }
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if out.chars().count() > max_chars {
        let cut: String = out.chars().take(max_chars).collect();
        format!("{}…", cut.trim_end())
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_renders_and_scripts_do_not() {
        let html = to_safe_html("**Fast** API.\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>");
        assert!(html.contains("<strong>Fast</strong>"));
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "shown as text: {html}");
    }

    #[test]
    fn inline_descriptions_render_without_a_paragraph() {
        assert_eq!(
            to_safe_inline_html("The `place` id, see [docs](/d)."),
            r#"The <code>place</code> id, see <a href="/d">docs</a>."#
        );
        assert!(to_safe_inline_html("one\n\ntwo").starts_with("<p>one</p>"));
        assert_eq!(to_safe_inline_html("<b>x</b>"), "&lt;b&gt;x&lt;/b&gt;");
    }

    #[test]
    fn excerpts_are_plain_text() {
        assert_eq!(
            to_plain_text("Hourly **forecasts**.\n\n- one\n- two", 100),
            "Hourly forecasts. one; two."
        );
        assert_eq!(
            to_plain_text("Lists:\n\n1. `a` first\n2. b.\n\nSee [the guide](https://x).", 100),
            "Lists: a first; b. See the guide."
        );
        assert_eq!(to_plain_text("abcdef", 3), "abc…");
    }

    #[test]
    fn only_harmless_links_keep_their_target() {
        let html = to_safe_html("[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](https://gostoa.dev) [d](/apis) [e](data:text/html,x) [f](docs/x:y)");
        assert!(!html.to_ascii_lowercase().contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains(r#"href="https://gostoa.dev""#));
        assert!(html.contains(r#"href="/apis""#));
        assert!(html.contains(r#"href="docs/x:y""#));
    }
}
