//! The languages the portal speaks and how a request's language is chosen.

use serde::{Deserialize, Serialize};

/// A language we ship translations for. `En` is the fallback.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Language {
    #[default]
    En,
    Fr,
    De,
    Es,
}

/// Name of the cookie that stores an explicit choice made with the language switcher.
pub const LANGUAGE_COOKIE: &str = "stoa_lang";

impl Language {
    /// Every language, in the order the switcher lists them.
    pub const ALL: [Language; 4] = [Language::En, Language::Fr, Language::De, Language::Es];

    /// BCP 47 primary tag, as used in `<html lang>`, the cookie and the locale folders.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fr => "fr",
            Language::De => "de",
            Language::Es => "es",
        }
    }

    /// The `Set-Cookie` value that remembers this language as an explicit choice.
    pub fn cookie(self) -> String {
        format!("{LANGUAGE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly", self.code())
    }

    /// The language's own name for itself (an autonym is what a lost reader looks for).
    pub fn autonym(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Fr => "Français",
            Language::De => "Deutsch",
            Language::Es => "Español",
        }
    }

    /// Parses a language tag such as `fr`, `fr-CA` or `DE_at`; `None` for anything we do
    /// not ship.
    pub fn parse(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// Chooses the language of a response: an explicit choice (cookie) wins, then the
    /// best supported entry of `Accept-Language` by quality, then English.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Language {
        if let Some(lang) = cookie.and_then(Language::parse) {
            return lang;
        }
        let Some(header) = accept_language else {
            return Language::default();
        };
        let mut best: Option<(u16, Language)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or_default();
            let quality = parts.find_map(|p| p.trim().strip_prefix("q=")).map_or(Some(1000), parse_quality);
            let (Some(q), Some(lang)) = (quality, Language::parse(tag)) else {
                continue;
            };
            // Strictly greater: on equal quality the earlier entry keeps its place.
            if q > 0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

/// Reads an HTTP quality value (`0`, `0.5`, `1.000`) as thousandths.
fn parse_quality(q: &str) -> Option<u16> {
    let value: f32 = q.trim().parse().ok()?;
    (0.0..=1.0).contains(&value).then(|| (value * 1000.0).round() as u16)
}

/// Reads one cookie's value from a `Cookie` header, tolerating malformed pairs.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k.trim() == name).then(|| v.trim().trim_matches('"'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_supported_tags_only() {
        let cases = [
            ("fr", Some(Language::Fr)),
            ("fr-CA", Some(Language::Fr)),
            ("DE_at", Some(Language::De)),
            (" es ", Some(Language::Es)),
            ("en-GB", Some(Language::En)),
            ("it", None),
            ("", None),
            ("*", None),
        ];
        for (tag, want) in cases {
            assert_eq!(Language::parse(tag), want, "tag {tag:?}");
        }
    }

    #[test]
    fn negotiation_prefers_cookie_then_header_quality_then_english() {
        let cases = [
            (Some("de"), Some("fr"), Language::De),
            (Some("klingon"), Some("fr"), Language::Fr),
            (None, Some("fr-CH, fr;q=0.9, en;q=0.8"), Language::Fr),
            (None, Some("it, es;q=0.4, de;q=0.7"), Language::De),
            (None, Some("en;q=0.2, es"), Language::Es),
            (None, Some("es;q=0, fr;q=0.1"), Language::Fr),
            (None, Some("it, pt"), Language::En),
            (None, Some("de;q=abc, es;q=2"), Language::En),
            (None, Some(""), Language::En),
            (None, None, Language::En),
        ];
        for (cookie, header, want) in cases {
            assert_eq!(Language::negotiate(cookie, header), want, "{cookie:?} {header:?}");
        }
    }

    #[test]
    fn cookie_value_ignores_malformed_pairs() {
        assert_eq!(cookie_value("a=1; stoa_lang=fr", LANGUAGE_COOKIE), Some("fr"));
        assert_eq!(cookie_value("stoa_lang; x=2", LANGUAGE_COOKIE), None);
        assert_eq!(cookie_value("stoa_language=de", LANGUAGE_COOKIE), None);
        assert_eq!(cookie_value("", LANGUAGE_COOKIE), None);
    }
}
