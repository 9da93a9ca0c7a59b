//! Text of the elements whose content Leptos writes into the page as it is: `<title>`
//! (leptos_meta) and `<textarea>` (tachys marks it as not to be escaped, as it does
//! `<script>`). The browser reads both as text up to their closing tag, so a name or a
//! typed value holding `</textarea><script>…` would end the element and start a script
//! (found by the security probe `stored_script_in_every_free_text_renders_inert_where_it_is_shown`).
//! Both are rendered on the server only (outside the islands), so the escaped text is what
//! the browser decodes and shows.

use leptos::prelude::*;
use leptos_meta::Title;

/// `<Title>` with its text escaped for the head.
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    view! { <Title text=escaped(&text) /> }
}

/// A `<textarea>`'s content: `<textarea>{rcdata::escaped(&value)}</textarea>`.
pub fn escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_text_cannot_end_its_element() {
        assert_eq!(
            super::escaped("A </title></textarea><script>x</script> & co"),
            "A &lt;/title&gt;&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt; &amp; co"
        );
    }
}
