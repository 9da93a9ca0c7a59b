//! `AppError`: the one error type that crosses the server-function and REST boundaries.
//!
//! It carries codes, never library or SQL text: views turn the code into a translated
//! sentence (`error-*` Fluent keys), REST turns it into `{code, message, fields?}`.
//! Database and library failures are logged with their context where they happen and
//! become [`AppError::Internal`].

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// One invalid field: which one and why, as a translatable code (`too-short`, …), and
/// for some codes a detail a translation cannot know (where in an uploaded document).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl FieldError {
    pub fn new(field: &str, code: &str) -> FieldError {
        FieldError { field: field.to_owned(), code: code.to_owned(), detail: None }
    }
}

/// Everything that can go wrong for a user, at the granularity a user can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    /// Forbidden for a reason the caller can be told (`own-request`: four eyes).
    #[error("refused: {code}")]
    Refused { code: String },
    #[error("malformed request")]
    BadRequest,
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    #[error("conflict: {code}")]
    Conflict { code: String },
    #[error("too many requests")]
    TooManyRequests,
    #[error("service unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal,
}

impl AppError {
    /// A validation error on a single field.
    pub fn field(field: &str, code: &str) -> AppError {
        AppError::Validation(vec![FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            detail: None,
        }])
    }

    /// Stable machine-readable code, used in REST bodies and as a test hook.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden | AppError::Refused { .. } => "forbidden",
            AppError::BadRequest => "bad_request",
            AppError::Validation(_) => "validation",
            AppError::Conflict { .. } => "conflict",
            AppError::TooManyRequests => "too_many_requests",
            AppError::Unavailable => "unavailable",
            AppError::Internal => "internal",
        }
    }

    /// The Fluent key of the sentence a view shows for this error.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::NotFound => "error-not-found",
            AppError::Unauthorized => "error-unauthorized",
            AppError::Forbidden => "error-forbidden",
            AppError::Refused { code } => match code.as_str() {
                "own-request" => "error-own-request",
                _ => "error-forbidden",
            },
            AppError::BadRequest => "error-bad-request",
            AppError::Validation(_) => "error-validation",
            AppError::Conflict { .. } => "error-conflict",
            AppError::TooManyRequests => "error-too-many-requests",
            AppError::Unavailable => "error-unavailable",
            AppError::Internal => "error-internal",
        }
    }

    /// The HTTP status that goes with the error.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::Refused { .. } => 403,
            AppError::BadRequest => 400,
            AppError::Validation(_) => 422,
            AppError::Conflict { .. } => 409,
            AppError::TooManyRequests => 429,
            AppError::Unavailable => 503,
            AppError::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The caller sent something we cannot read: their mistake, not ours.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => AppError::BadRequest,
            ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            ServerFnErrorErr::Registration(_) => AppError::NotFound,
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
pub use ssr::ErrorBody;

#[cfg(feature = "ssr")]
mod ssr {
    use super::AppError;
    use axum::http::StatusCode;
    use axum::response::{IntoResponse, Response};
    use axum::Json;

    impl AppError {
        /// Logs an unexpected failure with its context and hides it behind `Internal`.
        pub fn internal(context: &str, err: impl std::fmt::Display) -> AppError {
            tracing::error!(context, error = %err, "internal error");
            AppError::Internal
        }

        /// Sets the status of the response being rendered, for server functions and pages.
        pub fn with_response_status(self) -> AppError {
            if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                res.set_status(
                    StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                );
            }
            self
        }

        /// The English sentence used in REST bodies (views translate the code instead).
        pub fn message(&self) -> &'static str {
            match self {
                AppError::NotFound => "The resource does not exist or is not visible to you.",
                AppError::Unauthorized => "Sign in to continue.",
                AppError::Forbidden => "You are not allowed to do this.",
                AppError::Refused { code } => match code.as_str() {
                    "own-request" => {
                        "Nobody approves or rejects their own request: another approver of the tenant decides."
                    }
                    _ => "You are not allowed to do this.",
                },
                AppError::BadRequest => "The request could not be read.",
                AppError::Validation(_) => "Some fields are invalid.",
                AppError::Conflict { .. } => "The resource changed meanwhile.",
                AppError::TooManyRequests => "Too many attempts; wait a moment.",
                AppError::Unavailable => "A service we depend on is unavailable.",
                AppError::Internal => "Something went wrong on our side.",
            }
        }
    }

    impl From<sqlx::Error> for AppError {
        fn from(err: sqlx::Error) -> AppError {
            match err {
                sqlx::Error::RowNotFound => AppError::NotFound,
                // A row the change refers to was deleted meanwhile (a demo reset, an
                // application deleted in another tab): the caller's view is out of date.
                sqlx::Error::Database(ref e) if e.code().as_deref() == Some("23503") => {
                    tracing::warn!(error = %err, "a referenced row is gone");
                    AppError::Conflict { code: "gone".into() }
                }
                // Text holding U+0000 (22021), or JSON holding `\u0000` (22P05): Postgres
                // stores neither, and only a caller sends it.
                sqlx::Error::Database(ref e) if matches!(e.code().as_deref(), Some("22021" | "22P05")) => {
                    tracing::warn!(error = %err, "text with U+0000 refused");
                    AppError::BadRequest
                }
                sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) => {
                    tracing::error!(error = %err, "database unavailable");
                    AppError::Unavailable
                }
                other => AppError::internal("database", other),
            }
        }
    }

    /// The body of every REST error.
    #[derive(Clone, Debug, serde::Serialize, schemars::JsonSchema)]
    pub struct ErrorBody {
        /// What went wrong, for programs: `not_found`, `validation`, `conflict`, …
        pub code: String,
        /// The same in an English sentence, for people.
        pub message: String,
        /// With `validation`: each invalid field and why (a code such as `required`).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub fields: Option<Vec<super::FieldError>>,
        /// With `conflict` or a `forbidden` that can say why: the reason (`already-decided`,
        /// `name-taken`, `own-request`, …).
        #[serde(skip_serializing_if = "Option::is_none")]
        pub reason: Option<String>,
    }

    impl From<&AppError> for ErrorBody {
        fn from(e: &AppError) -> ErrorBody {
            ErrorBody {
                code: e.code().to_owned(),
                message: e.message().to_owned(),
                fields: match e {
                    AppError::Validation(fields) => Some(fields.clone()),
                    _ => None,
                },
                reason: match e {
                    AppError::Conflict { code } | AppError::Refused { code } => Some(code.clone()),
                    _ => None,
                },
            }
        }
    }

    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, Json(ErrorBody::from(&self))).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_arguments_are_the_callers_fault() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("x".into()));
        assert_eq!(e, AppError::BadRequest);
        assert_eq!(e.status(), 400);
    }

    #[test]
    fn encoding_round_trips_without_leaking_text() {
        let e = AppError::field("name", "too-short");
        let bytes = e.ser();
        assert_eq!(AppError::de(bytes), e);
        let internal = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(
            "relation \"secret_table\" does not exist".into(),
        ));
        let text = String::from_utf8(internal.ser().to_vec()).expect("utf8");
        assert!(!text.contains("secret_table"), "{text}");
    }
}
