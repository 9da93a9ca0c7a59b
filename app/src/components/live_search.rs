//! Search as you type: an island around the catalog's plain GET form. With JavaScript
//! off (or before the bundle arrives) the form submits as usual. Once hydrated, typing or
//! changing the sort fetches the same `/catalog?…` page the form would open, swaps in its
//! results and facets (`#catalog-live`), and puts the address in the location bar — so
//! the server stays the only renderer and the bundle only moves HTML around.
//! `data-ready` marks it as hydrated.

use leptos::prelude::*;

/// Milliseconds of quiet typing before a search goes out.
pub const DEBOUNCE_MS: u64 = 200;

/// Wraps the search form. No props: the bundle needs no deserialiser for them.
#[island]
pub fn LiveSearch(children: Children) -> impl IntoView {
    let root = NodeRef::<leptos::html::Div>::new();
    // Each search gets a number; an answer that is no longer the latest is dropped.
    let latest = StoredValue::new(0u32);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(el) = root.get() {
            let _ = el.set_attribute("data-ready", "");
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        browser::schedule(ev, latest);
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, latest);
    };
    view! { <div node_ref=root on:input=on_change on:change=on_change>{children()}</div> }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::DEBOUNCE_MS;
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    /// Waits for a pause in typing, then searches with the form's current values.
    pub fn schedule(ev: leptos::ev::Event, latest: StoredValue<u32>) {
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("form").ok().flatten())
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let seq = latest.get_value().wrapping_add(1);
        latest.set_value(seq);
        set_timeout(
            move || {
                if latest.get_value() == seq {
                    leptos::task::spawn_local(async move {
                        let _ = search(&form, seq, latest).await;
                    });
                }
            },
            std::time::Duration::from_millis(DEBOUNCE_MS),
        );
    }

    async fn search(
        form: &web_sys::HtmlFormElement,
        seq: u32,
        latest: StoredValue<u32>,
    ) -> Result<(), JsValue> {
        let data = web_sys::FormData::new_with_form(form)?;
        let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data)?;
        params.delete("page");
        let query = String::from(params.to_string());
        let url = if query.is_empty() { "/catalog".to_owned() } else { format!("/catalog?{query}") };
        let window = web_sys::window().ok_or(JsValue::NULL)?;
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url)).await?.dyn_into()?;
        let html = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
        if latest.get_value() != seq {
            return Ok(()); // a newer search is on its way
        }
        let fresh = web_sys::DomParser::new()?
            .parse_from_string(&html, web_sys::SupportedType::TextHtml)?
            .get_element_by_id("catalog-live");
        let current = window.document().and_then(|d| d.get_element_by_id("catalog-live"));
        if let (Some(fresh), Some(current)) = (fresh, current) {
            current.set_inner_html(&fresh.inner_html());
            window.history()?.replace_state_with_url(&JsValue::NULL, "", Some(&url))?;
        }
        Ok(())
    }
}
