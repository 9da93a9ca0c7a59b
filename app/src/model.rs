//! Wire types shared by both targets: what pages, server functions, services, REST and
//! `db::` exchange (DTOs, forms, pages of results), one file per resource. No I/O here;
//! the pure rules of a form (`check_form`) live beside the form so the browser and the
//! server run the same ones.

pub mod applications;
pub mod audit;
pub mod catalog;
pub mod demo;
pub mod members;
pub mod metering;
pub mod notifications;
pub mod onboarding;
pub mod plans;
pub mod platform;
pub mod promotions;
pub mod publishing;
pub mod subscriptions;
pub mod tryit;

/// Text the REST API takes never holds U+0000 (Postgres cannot store it): the pattern
/// of every string that says nothing more precise, and part of every pattern below.
pub const NO_NUL: &str = "^[^\\x00]*$";

// Patterns that the REST API's JSON Schemas use. They must agree with the checks the
// server runs character for character: schemathesis sends what they admit and expects it
// accepted, and what they refuse and expects it refused.

/// The characters Rust's `char::is_whitespace` (and so `str::trim`) calls white space, as
/// the body of a regular-expression class (Python's `\s` differs: it would let the
/// document and the server disagree on `\x1c`).
macro_rules! white_space {
    () => {
        r"\t\n\x0B\x0C\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
    };
}

/// A text that is not only white space (what the server's `trim().is_empty()` refuses).
pub const NOT_BLANK: &str = concat!("^[^\\x00]*[^\\x00", white_space!(), "][^\\x00]*$");

/// A redirect URI as `app::model::applications::valid_redirect_uri` accepts it: absolute
/// `https://` to a named host, or `http://` on the loopback interface; no fragment, no
/// white space, no user part.
pub const REDIRECT_URI: &str = concat!(
    "^(https://[^/?#@:\\[\\]\\x00",
    white_space!(),
    "][^/?#@\\[\\]\\x00",
    white_space!(),
    "]*|http://(localhost|127\\.0\\.0\\.1|\\[::1\\])(:[^/?#@:\\[\\]\\x00",
    white_space!(),
    "]*)?)([/?][^#\\x00",
    white_space!(),
    "]*)?$"
);

/// A text of at least 20 characters once the white space around it is trimmed (a
/// justification: `domain::long_enough(_, 20)`).
pub const TWENTY_CHARS: &str =
    concat!("^[^\\x00]*[^\\x00", white_space!(), "][^\\x00]{18,}[^\\x00", white_space!(), "][^\\x00]*$");

/// A text of at least 10 characters once trimmed (a reason).
pub const TEN_CHARS: &str =
    concat!("^[^\\x00]*[^\\x00", white_space!(), "][^\\x00]{8,}[^\\x00", white_space!(), "][^\\x00]*$");

/// Empty (or white space), or an `http://` / `https://` URL.
pub const OPTIONAL_HTTP_URL: &str = concat!("^[", white_space!(), "]*($|https?://[^\\x00]*$)");

/// Reads an optional whole number that JSON may write as `90` or `90.0` — JSON Schema's
/// `integer` admits both, so the server must too. A fraction or a number beyond `i64` is
/// refused like any other wrong type.
pub fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    struct Whole;
    impl<'de> serde::de::Visitor<'de> for Whole {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            i64::try_from(v)
                .map(Some)
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
            // i64::MAX as f64 rounds up to 2^63, which is out of range: compare strictly.
            if v.fract() == 0.0 && v >= i64::MIN as f64 && v < i64::MAX as f64 {
                Ok(Some(v as i64))
            } else {
                Err(E::invalid_value(serde::de::Unexpected::Float(v), &self))
            }
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(Whole)
        }
    }
    d.deserialize_option(Whole)
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    struct Days {
        #[serde(default, deserialize_with = "super::whole_number")]
        days: Option<i64>,
    }

    fn days(json: &str) -> Result<Option<i64>, serde_json::Error> {
        serde_json::from_str::<Days>(json).map(|d| d.days)
    }

    /// The document's patterns and the server's checks agree, sample by sample (the
    /// schema validator reads the patterns as schemathesis and clients do).
    #[cfg(feature = "ssr")]
    #[test]
    fn patterns_agree_with_the_checks_they_describe() {
        let matches = |pattern: &str, text: &str| {
            jsonschema::is_valid(
                &serde_json::json!({ "type": "string", "pattern": pattern }),
                &serde_json::json!(text),
            )
        };
        let uris = [
            "https://app.example.com/cb",
            "https://a:8443",
            "https://a:b:c/x?y",
            "http://localhost:8080/cb",
            "http://127.0.0.1/cb",
            "http://[::1]/cb",
            "http://[::1]:80/cb",
            "http://app.example.com/cb",
            "https://app.example.com/cb#frag",
            "https://user@evil.example/cb",
            "https:///nohost",
            "https://:443/cb",
            "https://a b.example",
            "https://a\u{a0}b",
            "https://a\u{1c}b",
            "https://[abc/cb",
            "https://[::1]/cb",
            "http://localhost:80:90/cb",
            "http://localhost:/cb",
            "ftp://files.example",
            "https://x\u{0}y",
            "",
        ];
        for uri in uris {
            assert_eq!(
                matches(super::REDIRECT_URI, uri),
                super::applications::valid_redirect_uri(uri),
                "{uri:?}"
            );
        }
        let texts = [
            "",
            " ",
            "\u{a0}\t",
            "\u{1c}",
            "a",
            " a ",
            "\u{3000}x",
            "x\u{0}",
            "abcdefghij",
            " abcdefghi ",
            "abcdefghijklmnopqrst",
            "  abcdefghijklmnopqrs  ",
            "abcdefghij\u{2028}klmnopqrst",
        ];
        for text in texts {
            let trimmed = text.trim().chars().count();
            let no_nul = !text.contains('\0');
            assert_eq!(matches(super::NOT_BLANK, text), trimmed > 0 && no_nul, "NOT_BLANK {text:?}");
            assert_eq!(matches(super::TEN_CHARS, text), trimmed >= 10 && no_nul, "TEN_CHARS {text:?}");
            assert_eq!(matches(super::TWENTY_CHARS, text), trimmed >= 20 && no_nul, "TWENTY_CHARS {text:?}");
            assert_eq!(matches(super::NO_NUL, text), no_nul, "NO_NUL {text:?}");
        }
    }

    #[test]
    fn whole_numbers_may_be_written_with_a_zero_fraction() {
        assert_eq!(days(r#"{"days": 90}"#).ok(), Some(Some(90)));
        assert_eq!(days(r#"{"days": 90.0}"#).ok(), Some(Some(90)));
        assert_eq!(days(r#"{"days": null}"#).ok(), Some(None));
        assert_eq!(days(r#"{}"#).ok(), Some(None));
        assert!(days(r#"{"days": 90.5}"#).is_err());
        assert!(days(r#"{"days": 1e300}"#).is_err());
        assert!(days(r#"{"days": "90"}"#).is_err());
    }
}
