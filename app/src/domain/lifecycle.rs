//! A published version's lifecycle (issue 33): deprecated with a sunset date and a
//! successor, then retired. The rules of a deprecation, and how callers are told in the
//! protocol itself: `Deprecation` (RFC 9745), `Sunset` (RFC 8594) and a `Link` with
//! `rel="successor-version"` (RFC 5829) on every answer of the version.

use chrono::{DateTime, Utc};

/// The nearest sunset a deprecation may set, in days from now.
pub const MIN_SUNSET_DAYS: i64 = 7;

/// RFC 9745's `Deprecation` field: a Structured Field Date, `@` and epoch seconds.
pub fn deprecation_header(at: DateTime<Utc>) -> String {
    format!("@{}", at.timestamp())
}

/// RFC 8594's `Sunset` field: an HTTP-date (RFC 9110 §5.6.7, IMF-fixdate).
pub fn sunset_header(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// A `Link` field value pointing callers to the successor's page.
pub fn successor_link(url: &str) -> String {
    format!("<{url}>; rel=\"successor-version\"")
}

/// Why a deprecation is refused (the field and the code shown next to it).
pub fn sunset_problem(sunset: DateTime<Utc>, now: DateTime<Utc>) -> Option<&'static str> {
    if sunset <= now {
        Some("sunset-past")
    } else if sunset < now + chrono::Duration::days(MIN_SUNSET_DAYS) {
        Some("sunset-too-soon")
    } else {
        None
    }
}

/// Reads a sunset typed as a date (`2027-01-31`, the end of that day UTC) or an RFC 3339
/// instant.
pub fn parse_sunset(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return day.and_hms_opt(23, 59, 59).map(|t| t.and_utc());
    }
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).expect("date").with_timezone(&Utc)
    }

    #[test]
    fn the_fields_are_written_as_their_rfcs_define() {
        let t = at("2027-01-31T23:59:59Z");
        assert_eq!(deprecation_header(t), "@1801439999");
        assert_eq!(sunset_header(t), "Sun, 31 Jan 2027 23:59:59 GMT");
        assert_eq!(
            successor_link("https://p.example/apis/demo/w?version=1.1.0"),
            "<https://p.example/apis/demo/w?version=1.1.0>; rel=\"successor-version\""
        );
    }

    #[test]
    fn a_sunset_is_at_least_a_week_ahead() {
        let now = at("2026-12-08T10:00:00Z");
        assert_eq!(sunset_problem(at("2026-12-01T00:00:00Z"), now), Some("sunset-past"));
        assert_eq!(sunset_problem(at("2026-12-14T10:00:00Z"), now), Some("sunset-too-soon"));
        assert_eq!(sunset_problem(at("2026-12-15T10:00:00Z"), now), None);
        assert_eq!(parse_sunset("2027-01-31"), Some(at("2027-01-31T23:59:59Z")));
        assert_eq!(parse_sunset("2027-01-31T12:00:00+01:00"), Some(at("2027-01-31T11:00:00Z")));
        assert_eq!(parse_sunset("soon"), None);
    }
}
