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

    let value = HeaderValue::from_str(&language_cookie(lang)).map_err(|e| AppError::internal("cookie", e))?;
    let res = use_context::<leptos_axum::ResponseOptions>()
        .ok_or_else(|| AppError::internal("cookie", "no response options"))?;
    res.append_header(SET_COOKIE, value);
    Ok(())
}

/// The `Set-Cookie` value of an explicit language choice.
#[cfg(feature = "ssr")]
pub fn language_cookie(lang: crate::domain::language::Language) -> String {
    use crate::domain::language::LANGUAGE_COOKIE;
    format!("{LANGUAGE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly", lang.code())
}
