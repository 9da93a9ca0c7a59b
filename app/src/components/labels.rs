//! The catalog's words shared by pages: the Fluent keys of an entry's audience,
//! authentication and kind, and the catalog's URL for a search.

use crate::domain::catalog::{Audience, AuthType, Kind, Sort};
use crate::model::catalog::CatalogQuery;

/// Fluent key of an audience.
pub fn audience_key(a: Audience) -> &'static str {
    match a {
        Audience::Public => "audience-public",
        Audience::Internal => "audience-internal",
        Audience::Partner => "audience-partner",
    }
}

/// Fluent key of an authentication type.
pub fn auth_key(a: AuthType) -> &'static str {
    match a {
        AuthType::None => "auth-none",
        AuthType::ApiKey => "auth-api-key",
        AuthType::OAuth2 => "auth-oauth2",
    }
}

/// Fluent key of an entry's kind.
pub fn kind_key(k: Kind) -> &'static str {
    match k {
        Kind::Api => "kind-api",
        Kind::Mcp => "kind-mcp",
    }
}

/// The URL of a search.
pub fn catalog_href(q: &CatalogQuery) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut put = |k: &str, v: Option<&str>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", crate::auth::encode_query_value(v)));
        }
    };
    put("q", q.q.as_deref());
    put("type", q.kind.map(Kind::as_str));
    put("category", q.category.as_deref());
    put("tag", q.tag.as_deref());
    put("audience", q.audience.map(Audience::as_str));
    put("auth", q.auth_type.map(AuthType::as_str));
    if q.sort != Sort::Relevance {
        put("sort", Some(q.sort.as_str()));
    }
    if q.page > 1 {
        put("page", Some(&q.page.to_string()));
    }
    if parts.is_empty() {
        "/catalog".into()
    } else {
        format!("/catalog?{}", parts.join("&"))
    }
}
