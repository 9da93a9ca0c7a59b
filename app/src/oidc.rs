//! The identity provider (DESIGN §5): OpenID Connect sign-in (authorization code + PKCE,
//! state and nonce checked), RP-initiated logout, and bearer access tokens checked against
//! the provider's JWKS. Keycloak-shaped claims become a [`Claims`].

use crate::config::OidcConfig;
use crate::domain::role::{parse_roles, Role};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Who the provider says the user is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claims {
    pub subject: String,
    pub username: String,
    pub email: Option<String>,
    pub name: String,
    pub tenant_id: String,
    pub roles: Vec<Role>,
}

/// Why a set of claims cannot make a user.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ClaimsError {
    #[error("the token has no `{0}` claim")]
    Missing(&'static str),
    #[error("`preferred_username` is not a valid username")]
    BadUsername,
}

impl Claims {
    /// Reads Keycloak-shaped claims: `sub`, `preferred_username`, `email`, `name`,
    /// `tenant_id` (a string, or a list of which the first counts) and
    /// `realm_access.roles` (unknown roles ignored; none known = viewer).
    pub fn from_json(claims: &Value) -> Result<Claims, ClaimsError> {
        let text =
            |key: &str| claims.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
        let subject = text("sub").ok_or(ClaimsError::Missing("sub"))?.to_owned();
        let username = text("preferred_username").ok_or(ClaimsError::Missing("preferred_username"))?;
        let username = username.to_ascii_lowercase();
        let valid = username.len() >= 2
            && username.len() <= 63
            && username.starts_with(|c: char| c.is_ascii_alphanumeric())
            && username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !valid {
            return Err(ClaimsError::BadUsername);
        }
        let tenant_id = match claims.get("tenant_id") {
            Some(Value::String(t)) => Some(t.trim().to_owned()),
            Some(Value::Array(list)) => list.first().and_then(Value::as_str).map(|t| t.trim().to_owned()),
            _ => None,
        }
        .filter(|t| !t.is_empty())
        .ok_or(ClaimsError::Missing("tenant_id"))?;
        let roles = claims
            .pointer("/realm_access/roles")
            .and_then(Value::as_array)
            .map(|list| parse_roles(list.iter().filter_map(Value::as_str)))
            .unwrap_or_else(|| vec![Role::Viewer]);
        let name = text("name").unwrap_or(&username).to_owned();
        Ok(Claims { subject, email: text("email").map(str::to_owned), name, username, tenant_id, roles })
    }
}

/// What the browser's session keeps between the redirect to the provider and its return.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pending {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub next: String,
    /// The invitation link's secret when the sign-in accepts an invitation.
    #[serde(default)]
    pub invitation: Option<String>,
}

/// Session key of [`Pending`].
pub const PENDING_KEY: &str = "oidc_pending";
/// Session key of the raw ID token (the `id_token_hint` of RP-initiated logout).
pub const ID_TOKEN_KEY: &str = "oidc_id_token";

#[cfg(feature = "ssr")]
pub use provider::{Identity, OidcError};

#[cfg(feature = "ssr")]
mod provider {
    use super::*;
    use jsonwebtoken::jwk::JwkSet;
    use jsonwebtoken::{DecodingKey, Validation};
    use openidconnect::core::{
        CoreAuthDisplay, CoreClaimName, CoreClaimType, CoreClient, CoreClientAuthMethod, CoreGrantType,
        CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreResponseMode,
        CoreResponseType, CoreSubjectIdentifierType,
    };
    use openidconnect::{
        AdditionalProviderMetadata, AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
        IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, ProviderMetadata, RedirectUrl, Scope,
    };
    use std::sync::Arc;
    use std::time::{Duration, Instant};
    use tokio::sync::RwLock;

    /// The discovery fields openidconnect's core metadata leaves out.
    #[derive(Clone, Debug, Deserialize, Serialize)]
    struct LogoutMetadata {
        end_session_endpoint: Option<String>,
    }
    impl AdditionalProviderMetadata for LogoutMetadata {}

    type Metadata = ProviderMetadata<
        LogoutMetadata,
        CoreAuthDisplay,
        CoreClientAuthMethod,
        CoreClaimName,
        CoreClaimType,
        CoreGrantType,
        CoreJweContentEncryptionAlgorithm,
        CoreJweKeyManagementAlgorithm,
        CoreJsonWebKey,
        CoreResponseMode,
        CoreResponseType,
        CoreSubjectIdentifierType,
    >;

    /// Why a sign-in through the provider or a bearer token failed. The user sees one
    /// translated sentence; the detail goes to the log.
    #[derive(Debug, thiserror::Error)]
    pub enum OidcError {
        #[error("no identity provider is configured")]
        NotConfigured,
        #[error("identity provider unreachable or misbehaving: {0}")]
        Provider(String),
        #[error("the answer does not match the sign-in that was started (state)")]
        StateMismatch,
        #[error("token refused: {0}")]
        Token(String),
        #[error(transparent)]
        Claims(#[from] ClaimsError),
    }

    struct Discovered {
        metadata: Metadata,
        fetched: Instant,
    }

    struct Keys {
        set: JwkSet,
        fetched: Instant,
    }

    /// The configured identity provider, discovered on first use (so the server starts
    /// while the provider is still coming up) and again every hour.
    pub struct Identity {
        config: Option<OidcConfig>,
        redirect_url: String,
        post_logout_url: String,
        http: openidconnect::reqwest::Client,
        discovered: RwLock<Option<Arc<Discovered>>>,
        keys: RwLock<Option<Keys>>,
    }

    const REDISCOVER: Duration = Duration::from_secs(3600);
    /// An unknown `kid` refetches the key set, at most this often.
    const KEYS_REFRESH: Duration = Duration::from_secs(30);

    impl Identity {
        pub fn new(config: Option<OidcConfig>, public_url: &str) -> Identity {
            let public_url = public_url.trim_end_matches('/');
            let http = openidconnect::reqwest::ClientBuilder::new()
                .redirect(openidconnect::reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default();
            Identity {
                config,
                redirect_url: format!("{public_url}/auth/callback"),
                post_logout_url: format!("{public_url}/"),
                http,
                discovered: RwLock::new(None),
                keys: RwLock::new(None),
            }
        }

        /// Whether an identity provider is configured.
        pub fn enabled(&self) -> bool {
            self.config.is_some()
        }

        fn config(&self) -> Result<&OidcConfig, OidcError> {
            self.config.as_ref().ok_or(OidcError::NotConfigured)
        }

        async fn discovered(&self) -> Result<Arc<Discovered>, OidcError> {
            if let Some(d) = self.discovered.read().await.as_ref() {
                if d.fetched.elapsed() < REDISCOVER {
                    return Ok(d.clone());
                }
            }
            let config = self.config()?;
            let issuer =
                IssuerUrl::new(config.issuer_url.clone()).map_err(|e| OidcError::Provider(e.to_string()))?;
            let metadata = Metadata::discover_async(issuer, &self.http)
                .await
                .map_err(|e| OidcError::Provider(format!("discovery: {e}")))?;
            let d = Arc::new(Discovered { metadata, fetched: Instant::now() });
            *self.discovered.write().await = Some(d.clone());
            Ok(d)
        }

        fn client(
            &self,
            d: &Discovered,
        ) -> Result<
            CoreClient<
                openidconnect::EndpointSet,
                openidconnect::EndpointNotSet,
                openidconnect::EndpointNotSet,
                openidconnect::EndpointNotSet,
                openidconnect::EndpointMaybeSet,
                openidconnect::EndpointMaybeSet,
            >,
            OidcError,
        > {
            let config = self.config()?;
            let redirect = RedirectUrl::new(self.redirect_url.clone())
                .map_err(|e| OidcError::Provider(e.to_string()))?;
            Ok(CoreClient::from_provider_metadata(
                d.metadata.clone(),
                ClientId::new(config.client_id.clone()),
                config.client_secret.clone().map(ClientSecret::new),
            )
            .set_redirect_uri(redirect))
        }

        /// Starts a sign-in: the provider URL to send the browser to, and what to keep in
        /// the session until it comes back.
        pub async fn begin(&self, next: &str) -> Result<(String, Pending), OidcError> {
            let d = self.discovered().await?;
            let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
            let (url, state, nonce) = self
                .client(&d)?
                .authorize_url(
                    AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                    CsrfToken::new_random,
                    Nonce::new_random,
                )
                .add_scope(Scope::new("email".into()))
                .add_scope(Scope::new("profile".into()))
                .set_pkce_challenge(challenge)
                .url();
            let pending = Pending {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                next: next.to_owned(),
                invitation: None,
            };
            Ok((url.to_string(), pending))
        }

        /// Finishes a sign-in: checks `state`, redeems `code` with the PKCE verifier,
        /// verifies the ID token (signature, issuer, audience, expiry, nonce) and reads its
        /// claims. Returns them with the raw ID token.
        pub async fn finish(
            &self,
            pending: &Pending,
            code: &str,
            state: &str,
        ) -> Result<(Claims, String), OidcError> {
            if !constant_time_eq(state.as_bytes(), pending.state.as_bytes()) {
                return Err(OidcError::StateMismatch);
            }
            let d = self.discovered().await?;
            let client = self.client(&d)?;
            let response = client
                .exchange_code(AuthorizationCode::new(code.to_owned()))
                .map_err(|e| OidcError::Provider(e.to_string()))?
                .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
                .request_async(&self.http)
                .await
                .map_err(|e| OidcError::Provider(format!("token endpoint: {e}")))?;
            use openidconnect::TokenResponse;
            let id_token = response.id_token().ok_or_else(|| OidcError::Token("no ID token".into()))?;
            id_token
                .claims(&client.id_token_verifier(), &Nonce::new(pending.nonce.clone()))
                .map_err(|e| OidcError::Token(e.to_string()))?;
            // Verified above; now read the Keycloak-specific claims the core type ignores.
            let raw = id_token.to_string();
            let payload = jwt_payload(&raw).ok_or_else(|| OidcError::Token("unreadable payload".into()))?;
            Ok((Claims::from_json(&payload)?, raw))
        }

        /// Where to send the browser to end the provider's session too, when it offers
        /// RP-initiated logout.
        pub async fn logout_url(&self, id_token: &str) -> Option<String> {
            let d = self.discovered().await.ok()?;
            let endpoint = d.metadata.additional_metadata().end_session_endpoint.clone()?;
            let mut url = url::Url::parse(&endpoint).ok()?;
            url.query_pairs_mut()
                .append_pair("id_token_hint", id_token)
                .append_pair("post_logout_redirect_uri", &self.post_logout_url)
                .append_pair("client_id", &self.config.as_ref()?.client_id);
            Some(url.to_string())
        }

        /// Checks a bearer access token: a JWT signed by a key of the provider's JWKS, for
        /// our audience, from our issuer, not expired.
        pub async fn verify_bearer(&self, token: &str) -> Result<Claims, OidcError> {
            let config = self.config()?;
            let header = jsonwebtoken::decode_header(token).map_err(|e| OidcError::Token(e.to_string()))?;
            let kid = header.kid.clone().unwrap_or_default();
            let jwk = self.key(&kid).await?;
            let key = DecodingKey::from_jwk(&jwk).map_err(|e| OidcError::Token(e.to_string()))?;
            let mut validation = Validation::new(Self::pinned_algorithm(&jwk, header.alg)?);
            validation.set_issuer(&[config.issuer_url.trim_end_matches('/'), config.issuer_url.as_str()]);
            validation.set_audience(&[config.audience()]);
            validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
            validation.leeway = 30;
            let data = jsonwebtoken::decode::<Value>(token, &key, &validation)
                .map_err(|e| OidcError::Token(e.to_string()))?;
            Ok(Claims::from_json(&data.claims)?)
        }

        /// The one algorithm a token verified with `jwk` may use: the key's own `alg`, else
        /// the one its type and curve imply (RSA keys: the RS and PS families). The
        /// token's header only chooses among those; a header naming another algorithm —
        /// or any key that is a shared secret — is refused.
        fn pinned_algorithm(
            jwk: &jsonwebtoken::jwk::Jwk,
            claimed: jsonwebtoken::Algorithm,
        ) -> Result<jsonwebtoken::Algorithm, OidcError> {
            use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve};
            use jsonwebtoken::Algorithm as A;
            let refused =
                || OidcError::Token(format!("algorithm {claimed:?} is not the one of the signing key"));
            if let Some(alg) = jwk.common.key_algorithm {
                let pinned: A = alg.to_string().parse().map_err(|_| refused())?;
                return if pinned == claimed { Ok(pinned) } else { Err(refused()) };
            }
            let allowed: &[A] = match &jwk.algorithm {
                AlgorithmParameters::RSA(_) => &[A::RS256, A::RS384, A::RS512, A::PS256, A::PS384, A::PS512],
                AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P256 => &[A::ES256],
                AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P384 => &[A::ES384],
                AlgorithmParameters::OctetKeyPair(_) => &[A::EdDSA],
                _ => &[],
            };
            allowed.contains(&claimed).then_some(claimed).ok_or_else(refused)
        }

        async fn key(&self, kid: &str) -> Result<jsonwebtoken::jwk::Jwk, OidcError> {
            let find = |set: &JwkSet| {
                if kid.is_empty() {
                    set.keys.first().cloned()
                } else {
                    set.find(kid).cloned()
                }
            };
            let stale = {
                let keys = self.keys.read().await;
                if let Some(k) = keys.as_ref().and_then(|k| find(&k.set)) {
                    return Ok(k);
                }
                keys.as_ref().is_none_or(|k| k.fetched.elapsed() > KEYS_REFRESH)
            };
            if !stale {
                return Err(OidcError::Token(format!("unknown key id `{kid}`")));
            }
            let d = self.discovered().await?;
            let uri = d.metadata.jwks_uri().url().clone();
            let set: JwkSet = self
                .http
                .get(uri)
                .send()
                .await
                .and_then(|r| r.error_for_status())
                .map_err(|e| OidcError::Provider(format!("jwks: {e}")))?
                .json()
                .await
                .map_err(|e| OidcError::Provider(format!("jwks: {e}")))?;
            let found = find(&set);
            *self.keys.write().await = Some(Keys { set, fetched: Instant::now() });
            found.ok_or_else(|| OidcError::Token(format!("unknown key id `{kid}`")))
        }
    }

    fn jwt_payload(jwt: &str) -> Option<Value> {
        use base64::Engine;
        let part = jwt.split('.').nth(1)?;
        let bytes =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keycloak_claims_become_a_user() {
        let c = Claims::from_json(&json!({
            "sub": "f4c1", "preferred_username": "Tara", "email": "tara@acme.example",
            "name": "Tara T", "tenant_id": ["acme", "globex"],
            "realm_access": { "roles": ["offline_access", "stoa.product_owner"] }
        }))
        .expect("claims");
        assert_eq!(c.username, "tara");
        assert_eq!(c.tenant_id, "acme", "the first tenant of a list counts");
        assert_eq!(c.roles, vec![Role::TenantAdmin]);
        assert_eq!(c.email.as_deref(), Some("tara@acme.example"));
    }

    #[test]
    fn missing_or_odd_claims_are_refused_or_defaulted() {
        let base = json!({ "sub": "1", "preferred_username": "vic", "tenant_id": "acme" });
        let c = Claims::from_json(&base).expect("claims");
        assert_eq!((c.roles.as_slice(), c.name.as_str()), ([Role::Viewer].as_slice(), "vic"));
        let without = |key: &str| {
            let mut v = base.clone();
            v.as_object_mut().expect("object").remove(key);
            Claims::from_json(&v)
        };
        assert_eq!(without("tenant_id"), Err(ClaimsError::Missing("tenant_id")));
        assert_eq!(without("sub"), Err(ClaimsError::Missing("sub")));
        let mut bad = base.clone();
        bad["preferred_username"] = json!("<script>");
        assert_eq!(Claims::from_json(&bad), Err(ClaimsError::BadUsername));
        bad["preferred_username"] = json!("ok");
        bad["tenant_id"] = json!([]);
        assert_eq!(Claims::from_json(&bad), Err(ClaimsError::Missing("tenant_id")));
    }
}
