//! "Try it" on an API page: the portal's own server sends the request to the server
//! registered for the chosen environment and shows what came back. The form posts to
//! `POST /try-it` (a plain route of the server); the result waits in the session
//! (`crate::flash`) and the page shows it next to the operation (`?tried=<token>`).

use serde::{Deserialize, Serialize};

/// Where the try-it forms post.
pub const TRY_PATH: &str = "/try-it";

/// Session key of the last result.
pub const RESULT_KEY: &str = "tryit.result";

/// Largest request body the proxy sends.
pub const MAX_REQUEST_BYTES: usize = 256 * 1024;

/// Largest response body the proxy keeps (the rest is cut, and said so).
pub const MAX_RESPONSE_BYTES: usize = 256 * 1024;

/// How long the proxy waits for the whole exchange.
pub const TIMEOUT_SECS: u64 = 10;

/// What the form sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct TryForm {
    pub tenant: String,
    pub api: String,
    pub version: String,
    pub environment: String,
    pub method: String,
    /// The operation's path template, as in the document (`/pets/{id}`).
    pub path: String,
    /// The operation's anchor on the page.
    pub op: String,
    /// (location, name, value): location is `path`, `query` or `header`.
    pub params: Vec<(String, String, String)>,
    pub body: String,
    /// One of the user's applications whose credential goes with the request (empty:
    /// none).
    #[serde(default)]
    pub application: String,
}

impl TryForm {
    /// The value typed for a parameter.
    pub fn value(&self, location: &str, name: &str) -> Option<&str> {
        self.params.iter().find(|(l, n, _)| l == location && n == name).map(|(_, _, v)| v.as_str())
    }
}

/// What happened: the upstream's answer, or why no request was sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct TryResult {
    pub form: TryForm,
    /// `METHOD url` as sent.
    pub request_line: String,
    pub status: Option<u16>,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub truncated: bool,
    pub latency_ms: u64,
    /// Why the proxy refused or failed (a `tryit-error-*` key's suffix).
    pub error: Option<String>,
    /// A credential of the chosen application went with the request.
    #[serde(default)]
    pub credential: bool,
}
