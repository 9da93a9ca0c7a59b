//! Per-visitor preferences that need no account: the display language.

use crate::error::AppError;
use leptos::prelude::*;

/// Stores an explicit language choice in a cookie. A plain form post (JavaScript off)
/// is redirected back to the page it came from.
#[server(endpoint = "set_language")]
pub async fn set_language(lang: String) -> Result<(), AppError> {
    use crate::domain::language::Language;

    let lang = Language::parse(&lang)
        .ok_or_else(|| AppError::field("lang", "unsupported").with_response_status())?;
    set_language_cookie(lang)
}

/// Adds the `Set-Cookie` of an explicit language choice to the response being built.
#[cfg(feature = "ssr")]
pub fn set_language_cookie(lang: crate::domain::language::Language) -> Result<(), AppError> {
    use axum::http::{header::SET_COOKIE, HeaderValue};

    let value = HeaderValue::from_str(&lang.cookie()).map_err(|e| AppError::internal("cookie", e))?;
    let res = use_context::<leptos_axum::ResponseOptions>()
        .ok_or_else(|| AppError::internal("cookie", "no response options"))?;
    res.append_header(SET_COOKIE, value);
    Ok(())
}
