//! Applications and their credentials (`/apps`, `/apps/:id`, REST `/v1/applications`):
//! create, edit, delete; API keys and client secrets issued, rotated with a grace period,
//! revoked — each secret shown exactly once. And the gateways' `POST /v1/keys/verify`.

use crate::domain::credential::{ExpiryDays, GraceHours, Kind, Status};
use crate::error::{AppError, FieldError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How an application proves who it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SecurityProfile {
    /// API keys (`stoa_sk_…`) in a header.
    ApiKey,
    /// OAuth2 client credentials / authorization code with a client secret.
    Oauth2Confidential,
}

impl SecurityProfile {
    /// Every profile, in the order forms offer them.
    pub const ALL: [SecurityProfile; 2] = [SecurityProfile::ApiKey, SecurityProfile::Oauth2Confidential];

    /// The profile of a code.
    pub fn parse(code: &str) -> Option<SecurityProfile> {
        SecurityProfile::ALL.into_iter().find(|p| p.as_str() == code)
    }

    /// The profile's code, as stored and posted.
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityProfile::ApiKey => "api_key",
            SecurityProfile::Oauth2Confidential => "oauth2_confidential",
        }
    }
}

/// Most characters of an application's name.
pub const MAX_NAME_CHARS: usize = 100;
/// Most characters of an application's description.
pub const MAX_DESCRIPTION_CHARS: usize = 2_000;

/// Most redirect URIs per application.
pub const MAX_REDIRECT_URIS: usize = 10;

/// Session key of a secret waiting to be shown.
pub const ISSUED_KEY: &str = "apps.issued";

/// Session key of a refused application form.
pub const FORM_KEY: &str = "apps.form";

/// One application in the owner's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct AppSummary {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub security_profile: SecurityProfile,
    /// Credentials not revoked.
    pub credentials: i64,
    pub created_at: String,
}

/// A credential as its owner sees it: never the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct CredentialInfo {
    pub id: Uuid,
    pub kind: Kind,
    pub prefix: String,
    pub status: Status,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub grace_until: Option<String>,
    /// Verifies right now.
    pub usable: bool,
}

/// One application, whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct AppDetail {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub security_profile: SecurityProfile,
    pub redirect_uris: Vec<String>,
    pub client_id: String,
    pub created_at: String,
    pub credentials: Vec<CredentialInfo>,
    /// Its subscriptions, newest first.
    #[serde(default)]
    pub subscriptions: Vec<crate::model::subscriptions::SubscriptionInfo>,
}

/// A secret just issued: the only time it is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct IssuedSecret {
    pub application_id: Uuid,
    pub credential_id: Uuid,
    pub kind: Kind,
    pub secret: String,
    /// The credential it replaces, during its grace period.
    pub replaces: Option<Uuid>,
    pub grace_until: Option<String>,
}

/// The application form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct AppForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub security_profile: String,
    /// One per line (form) — the REST body sends a list.
    #[serde(default)]
    pub redirect_uris: String,
}

/// A refused form with its errors.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct RefusedApp {
    pub form: AppForm,
    pub errors: Vec<FieldError>,
}

/// A redirect URI an authorization server may send a code to: absolute https, or http on
/// the loopback interface (native and development clients, RFC 8252); no fragment.
pub fn valid_redirect_uri(uri: &str) -> bool {
    let Some((scheme, rest)) = uri.split_once("://") else { return false };
    if uri.contains(['#', '\0']) || uri.chars().any(char::is_whitespace) {
        return false;
    }
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    if host.contains('@') {
        return false;
    }
    match scheme {
        // A named host (an IPv6 literal is for the loopback only).
        "https" => !host.is_empty() && !host.starts_with(':') && !host.contains(['[', ']']),
        // The loopback interface only, on any port.
        "http" => {
            let (name, port) = match host.strip_prefix("[::1]") {
                Some(port) => ("[::1]", port),
                None => match host.split_once(':') {
                    Some((name, _)) => (name, &host[name.len()..]),
                    None => (host, ""),
                },
            };
            matches!(name, "localhost" | "127.0.0.1" | "[::1]")
                && (port.is_empty() || port.strip_prefix(':').is_some_and(|p| !p.contains([':', '[', ']'])))
        }
        _ => false,
    }
}

/// Checks a form; the redirect URIs come back as a list.
pub fn check_form(form: &AppForm) -> Result<Vec<String>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut error = |field: &str, code: &str| {
        errors.push(FieldError { field: field.into(), code: code.into(), detail: None })
    };
    let name = form.name.trim();
    if name.is_empty() || form.name.chars().count() > MAX_NAME_CHARS {
        error("name", "length-1-100");
    }
    if form.description.chars().count() > MAX_DESCRIPTION_CHARS {
        error("description", "too-long");
    }
    if SecurityProfile::parse(&form.security_profile).is_none() {
        error("security_profile", "unknown-profile");
    }
    let uris: Vec<String> =
        form.redirect_uris.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    if uris.len() > MAX_REDIRECT_URIS {
        error("redirect_uris", "too-many");
    } else if let Some(bad) = uris.iter().find(|u| !valid_redirect_uri(u)) {
        errors.push(FieldError {
            field: "redirect_uris".into(),
            code: "invalid-uri".into(),
            detail: Some(bad.clone()),
        });
    } else if form.security_profile == "oauth2_confidential" && uris.is_empty() {
        error("redirect_uris", "required-for-oauth2");
    }
    if errors.is_empty() {
        Ok(uris)
    } else {
        Err(errors)
    }
}

/// The body of `POST /v1/applications/{id}/keys/{key}/rotate` and of an MCP
/// subscription's `rotate-key`: how long the previous key keeps working.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Rotation {
    /// Hours, 1–168; default 24.
    #[serde(default, deserialize_with = "crate::model::whole_number")]
    #[cfg_attr(feature = "ssr", schemars(range(min = 1, max = 168)))]
    pub grace_period_hours: Option<i64>,
}

impl Rotation {
    /// The grace period in hours, checked (REST and the page share the range).
    pub fn hours(&self) -> Result<GraceHours, AppError> {
        GraceHours::new(self.grace_period_hours)
            .ok_or_else(|| AppError::field("grace_period_hours", "out-of-range"))
    }
}

/// The body of `POST /v1/applications/{id}/keys`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct NewKey {
    /// Days until the key expires, 1–3650; none: it does not expire.
    #[serde(default, deserialize_with = "crate::model::whole_number")]
    #[cfg_attr(feature = "ssr", schemars(range(min = 1, max = 3650)))]
    pub expires_in_days: Option<i64>,
}

impl NewKey {
    /// The expiry in days, checked.
    pub fn days(&self) -> Result<Option<ExpiryDays>, AppError> {
        self.expires_in_days
            .map(|d| ExpiryDays::new(d).ok_or_else(|| AppError::field("expires_in_days", "out-of-range")))
            .transpose()
    }
}

/// What `POST /v1/keys/verify` answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Verification {
    pub valid: bool,
    /// The key's application (valid keys only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application: Option<VerifiedApplication>,
    /// The key is the previous one of a rotation, still in its grace period.
    pub previous_key: bool,
    /// The application's active subscriptions.
    pub subscriptions: Vec<VerifiedSubscription>,
}

/// The application a verified key belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct VerifiedApplication {
    pub id: Uuid,
    pub name: String,
    pub client_id: String,
    pub tenant_id: String,
}

/// An active subscription of a verified key's application, with its plan's limits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct VerifiedSubscription {
    pub id: Uuid,
    /// `tenant/slug` of the API or MCP server.
    pub api: String,
    /// `api` or `mcp`.
    pub kind: String,
    /// MCP: the tools granted.
    pub tools: Vec<String>,
    /// When it ends (RFC 3339); none: no end.
    pub expires_at: Option<String>,
    pub plan: Option<PlanLimits>,
}

/// A plan's limits, as gateways enforce them (none: no limit).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct PlanLimits {
    pub slug: String,
    pub rate_per_second: Option<i64>,
    pub rate_per_minute: Option<i64>,
    pub daily_quota: Option<i64>,
    pub monthly_quota: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_uris_are_https_or_loopback_http() {
        for ok in [
            "https://app.example.com/callback",
            "http://localhost:8080/cb",
            "http://127.0.0.1/cb",
            "http://[::1]/cb",
            "http://[::1]:8080/cb",
            "https://x.io",
        ] {
            assert!(valid_redirect_uri(ok), "{ok}");
        }
        for bad in [
            "http://app.example.com/cb",
            "https://app.example.com/cb#frag",
            "javascript:alert(1)",
            "https://user@evil.example/cb",
            "https:///nohost",
            "https://a b.example",
            "ftp://files.example",
            "https://[abc/cb",
            "https://[::1]/cb",
            "http://localhost:80:90/cb",
            "https://:443/cb",
        ] {
            assert!(!valid_redirect_uri(bad), "{bad}");
        }
    }

    #[test]
    fn the_form_names_every_bad_field() {
        let form = AppForm {
            name: " ".into(),
            description: String::new(),
            security_profile: "saml".into(),
            redirect_uris: "http://evil.example/cb".into(),
        };
        let fields: Vec<String> =
            check_form(&form).expect_err("refused").into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "security_profile", "redirect_uris"]);
        let oauth = AppForm {
            name: "Mobile".into(),
            security_profile: "oauth2_confidential".into(),
            ..Default::default()
        };
        assert_eq!(check_form(&oauth).expect_err("refused")[0].code, "required-for-oauth2");
        let ok = AppForm {
            name: "Mobile".into(),
            security_profile: "oauth2_confidential".into(),
            redirect_uris: "https://m.example/cb\n\nhttp://localhost:3000/cb\n".into(),
            ..Default::default()
        };
        assert_eq!(check_form(&ok).expect("valid").len(), 2);
    }
}
