//! Pure domain types: parsing, validation and state machines. No leptos, no sqlx, so
//! they run the same in the browser (instant feedback) and on the server (trust).

/// `as_str`, `parse` and `ALL` for an enum of codes: `codes!(T { A = "a", B = "b" })`.
macro_rules! codes {
    ($t:ty { $($v:ident = $s:literal),* $(,)? }) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$(<$t>::$v),*];
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
            pub fn parse(s: &str) -> Option<$t> {
                match s { $($s => Some(<$t>::$v),)* _ => None }
            }
        }
    };
}

/// Whether a free text (a reason, a justification) holds at least `min` characters once
/// trimmed.
pub fn long_enough(text: Option<&str>, min: usize) -> bool {
    text.map(|t| t.trim().chars().count()).unwrap_or(0) >= min
}

/// What is wrong with a one-line text a user typed (a name): empty, longer than `max`
/// characters, or holding control characters.
pub fn text_problem(text: &str, max: usize) -> Option<&'static str> {
    if text.is_empty() {
        Some("required")
    } else if text.chars().count() > max {
        Some("too-long")
    } else if text.contains(char::is_control) {
        Some("control-characters")
    } else {
        None
    }
}

pub mod catalog;
pub mod chart;
pub mod credential;
pub mod csv;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod event;
pub mod invitation;
pub mod language;
pub mod lifecycle;
pub mod mcp;
pub mod metering;
pub mod numbers;
pub mod onboarding;
pub mod openapi;
pub mod permission;
pub mod plan;
pub mod promotion;
pub mod role;
pub mod subscription;
