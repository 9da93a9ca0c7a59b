//! One way of writing a time across the site: `2026-12-07 02:42 UTC` (the same in every
//! language, the time zone said), and, where it helps, how long ago or how soon in the
//! reader's language with the exact time on hover (`<time title=…>`).

use leptos::prelude::*;

/// `2026-12-07 02:42 UTC` from an RFC 3339 instant (as it came when it cannot be read).
pub fn exact(rfc3339: &str) -> String {
    #[cfg(feature = "ssr")]
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(rfc3339) {
        return at.with_timezone(&chrono::Utc).format("%Y-%m-%d %H:%M UTC").to_string();
    }
    let t = rfc3339.trim_end_matches('Z').replacen('T', " ", 1);
    format!("{} UTC", t.get(..16).unwrap_or(&t))
}

/// "3 minutes ago", "in 2 hours": for instants within a day of now (`None` beyond, or
/// when unreadable).
pub fn relative(rfc3339: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        let at = chrono::DateTime::parse_from_rfc3339(rfc3339).ok()?.with_timezone(&chrono::Utc);
        let (key, n) = words((at - chrono::Utc::now()).num_seconds())?;
        Some(if n == 0 { crate::i18n::t(key) } else { crate::i18n::t_with(key, "n", n) })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = rfc3339;
        None
    }
}

/// The message and its count for an instant `seconds` from now (negative: past); `None`
/// a day or more away.
#[cfg(feature = "ssr")]
fn words(seconds: i64) -> Option<(&'static str, i64)> {
    Some(match seconds {
        -59..=59 => ("time-just-now", 0),
        s if s <= -86_400 || s >= 86_400 => return None,
        s if s <= -3_600 => ("time-hours-ago", -s / 3_600),
        s if s < 0 => ("time-minutes-ago", -s / 60),
        s if s < 3_600 => ("time-in-minutes", s / 60),
        s => ("time-in-hours", s / 3_600),
    })
}

/// An instant on a page: relative when it is near, else exact; the exact time is always
/// in the element's title and the machine-readable one in `datetime`. `exact`: always
/// the exact time (a trail read for when things happened).
#[component]
pub fn When(#[prop(into)] at: String, #[prop(optional)] exact: bool) -> impl IntoView {
    let always = exact;
    let exact = self::exact(&at);
    let shown = if always { exact.clone() } else { relative(&at).unwrap_or_else(|| exact.clone()) };
    view! { <time datetime=at title=exact>{shown}</time> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_way_of_writing_an_instant_and_words_when_it_is_near() {
        assert_eq!(exact("2026-12-07T02:42:04Z"), "2026-12-07 02:42 UTC");
        assert_eq!(exact("2026-12-07T03:42:04+01:00"), "2026-12-07 02:42 UTC", "said in UTC");
        assert_eq!(words(-30), Some(("time-just-now", 0)));
        assert_eq!(words(-180), Some(("time-minutes-ago", 3)));
        assert_eq!(words(-7_300), Some(("time-hours-ago", 2)));
        assert_eq!(words(600), Some(("time-in-minutes", 10)));
        assert_eq!(words(90_000), None);
    }
}
