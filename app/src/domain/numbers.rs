//! Numbers as each language writes them: thousands separators and decimal commas.

use crate::domain::language::Language;

/// The separators of `lang`: (thousands, decimal).
fn separators(lang: Language) -> (&'static str, char) {
    match lang {
        Language::En => (",", '.'),
        // A narrow no-break space, as French typography (and CLDR) has it.
        Language::Fr => ("\u{202f}", ','),
        Language::De | Language::Es => (".", ','),
    }
}

/// A count: `1,234,567` (en), `1 234 567` (fr), `1.234.567` (de, es).
pub fn count(n: u64, lang: Language) -> String {
    let digits = n.to_string();
    let (sep, _) = separators(lang);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// A decimal with `places` digits after the separator (thousands grouped).
pub fn decimal(x: f64, places: usize, lang: Language) -> String {
    if !x.is_finite() {
        return "–".to_owned();
    }
    let text = format!("{:.*}", places, x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let (_, dec) = separators(lang);
    let mut out = String::new();
    if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('−');
    }
    out.push_str(&count(int.parse().unwrap_or(0), lang));
    if !frac.is_empty() {
        out.push(dec);
        out.push_str(frac);
    }
    out
}

/// A latency in ms: one decimal under 10 ms, none above.
pub fn millis(ms: f64, lang: Language) -> String {
    decimal(ms, if ms < 10.0 { 1 } else { 0 }, lang)
}

/// A byte size in B, kB, MB or GB (powers of 1000).
pub fn bytes(n: u64, lang: Language) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if n < 1000 {
        return format!("{} B", count(n, lang));
    }
    let mut v = n as f64 / 1000.0;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    format!("{}\u{a0}{}", decimal(v, if v < 10.0 { 1 } else { 0 }, lang), UNITS[unit])
}

/// A share in percent, one decimal: `85.7 %`.
pub fn percent(x: f64, lang: Language) -> String {
    format!("{} %", decimal(x, 1, lang))
}

/// A duration in whole seconds with its two largest units (SI symbols, the same in our
/// four languages): `45 s`, `12 min 5 s`, `3 h 20 min`, `2 d 4 h`.
pub fn duration(seconds: i64) -> String {
    let s = seconds.max(0);
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60, s % 60);
    let nb = '\u{a0}';
    match (d, h, m) {
        (0, 0, 0) => format!("{sec}{nb}s"),
        (0, 0, _) => format!("{m}{nb}min {sec}{nb}s"),
        (0, _, _) => format!("{h}{nb}h {m}{nb}min"),
        _ => format!("{d}{nb}d {h}{nb}h"),
    }
}

/// The change from `before` to `now` in percent, none when there was nothing before.
pub fn change(now: f64, before: f64) -> Option<f64> {
    (before > 0.0).then(|| (now - before) / before * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_decimals_are_written_as_each_language_writes_them() {
        assert_eq!(count(0, Language::En), "0");
        assert_eq!(count(999, Language::En), "999");
        assert_eq!(count(1_234_567, Language::En), "1,234,567");
        assert_eq!(count(1_234_567, Language::Fr), "1\u{202f}234\u{202f}567");
        assert_eq!(count(1_234_567, Language::De), "1.234.567");
        assert_eq!(count(1_000, Language::Es), "1.000");
        assert_eq!(decimal(1234.56, 1, Language::En), "1,234.6");
        assert_eq!(decimal(99.95, 1, Language::De), "100,0");
        assert_eq!(decimal(12.5, 1, Language::Fr), "12,5");
        assert_eq!(decimal(-3.24, 1, Language::En), "−3.2");
        assert_eq!(decimal(-0.01, 1, Language::En), "0.0");
        assert_eq!(millis(4.25, Language::Es), "4,2");
        assert_eq!(millis(123.4, Language::En), "123");
        assert_eq!(bytes(999, Language::En), "999 B");
        assert_eq!(bytes(1_500, Language::De), "1,5\u{a0}kB");
        assert_eq!(bytes(2_345_678, Language::En), "2.3\u{a0}MB");
    }

    #[test]
    fn durations_keep_their_two_largest_units() {
        let d = |s| duration(s).replace('\u{a0}', " ");
        assert_eq!(d(0), "0 s");
        assert_eq!(d(45), "45 s");
        assert_eq!(d(725), "12 min 5 s");
        assert_eq!(d(12_000), "3 h 20 min");
        assert_eq!(d(187_200), "2 d 4 h");
        assert_eq!(d(-5), "0 s");
    }

    #[test]
    fn a_change_needs_something_to_change_from() {
        assert_eq!(change(150.0, 100.0), Some(50.0));
        assert_eq!(change(50.0, 100.0), Some(-50.0));
        assert_eq!(change(5.0, 0.0), None);
    }
}
