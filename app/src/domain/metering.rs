//! Metering's pure rules: what a call's outcome is called, the latency histogram that
//! rollups keep (fixed logarithmic buckets, merged by adding), and the windows of plan
//! limits (minute, UTC day, UTC month).

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};
use serde::{Deserialize, Serialize};

pub mod rollup;

/// How a call ended, as the STOA gateway's metering events name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CallStatus {
    Success,
    Error,
    RateLimited,
    PolicyDenied,
    NotFound,
}

codes!(CallStatus {
    Success = "success",
    Error = "error",
    RateLimited = "rate_limited",
    PolicyDenied = "policy_denied",
    NotFound = "not_found",
});

impl CallStatus {
    /// The status of an answer with this HTTP status.
    pub fn of_http(status: u16) -> CallStatus {
        match status {
            429 => CallStatus::RateLimited,
            401 | 403 => CallStatus::PolicyDenied,
            404 => CallStatus::NotFound,
            s if s < 400 => CallStatus::Success,
            _ => CallStatus::Error,
        }
    }
}

/// Buckets of the latency histogram. Bucket `i` (for `i < BUCKETS - 1`) holds latencies
/// up to [`upper_bound`]`(i)` = 0.1 ms × 2^(i/4): each bucket is 19 % wider than the one
/// before, from 0.1 ms to about 100 s; the last holds everything slower.
pub const BUCKETS: usize = 82;

/// The upper bound of bucket `i`, in milliseconds (infinite for the last).
pub fn upper_bound(i: usize) -> f64 {
    if i + 1 >= BUCKETS {
        f64::INFINITY
    } else {
        0.1 * 2f64.powf(i as f64 / 4.0)
    }
}

/// The lower bound of bucket `i`, in milliseconds.
pub fn lower_bound(i: usize) -> f64 {
    if i == 0 {
        0.0
    } else {
        upper_bound(i - 1)
    }
}

/// The bucket a latency falls in.
pub fn bucket_of(ms: f64) -> usize {
    if ms.is_nan() || ms <= 0.1 {
        return 0;
    }
    let i = (4.0 * (ms / 0.1).log2()).ceil() as usize;
    // Guard against rounding at the exact bounds.
    let i = if i > 0 && ms <= upper_bound(i - 1) { i - 1 } else { i };
    i.min(BUCKETS - 1)
}

/// A latency histogram: counts per bucket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Histogram(pub Vec<u64>);

impl Default for Histogram {
    fn default() -> Histogram {
        Histogram(vec![0; BUCKETS])
    }
}

impl Histogram {
    /// Counts one latency.
    pub fn record(&mut self, ms: f64) {
        self.0[bucket_of(ms)] += 1;
    }

    /// Adds another histogram's counts (how periods and groups are combined).
    pub fn merge(&mut self, other: &[u64]) {
        for (mine, theirs) in self.0.iter_mut().zip(other) {
            *mine += theirs;
        }
    }

    pub fn count(&self) -> u64 {
        self.0.iter().sum()
    }

    /// The `q`-quantile (0 < q ≤ 1), as the upper bound of the bucket holding it (the
    /// bucket's lower bound times 1.19 for the open last bucket); none without calls.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        let total = self.count();
        if total == 0 {
            return None;
        }
        // The rank of the nearest-rank percentile.
        let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
        let mut seen = 0;
        for (i, n) in self.0.iter().enumerate() {
            seen += n;
            if seen >= rank {
                let bound = upper_bound(i);
                return Some(if bound.is_finite() { bound } else { lower_bound(i) * 2f64.powf(0.25) });
            }
        }
        None
    }
}

/// The periods of quotas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum QuotaPeriod {
    Day,
    Month,
}

codes!(QuotaPeriod { Day = "day", Month = "month" });

impl QuotaPeriod {
    /// The first day of the period `at` falls in (UTC).
    pub fn start(self, at: DateTime<Utc>) -> NaiveDate {
        let day = at.date_naive();
        match self {
            QuotaPeriod::Day => day,
            QuotaPeriod::Month => day.with_day(1).unwrap_or(day),
        }
    }

    /// When the period `at` falls in ends: midnight UTC, or the next month's first day.
    pub fn reset(self, at: DateTime<Utc>) -> DateTime<Utc> {
        let start = self.start(at);
        let next = match self {
            QuotaPeriod::Day => start + Duration::days(1),
            QuotaPeriod::Month => {
                let (y, m) = if start.month() == 12 {
                    (start.year() + 1, 1)
                } else {
                    (start.year(), start.month() + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(start + Duration::days(31))
            }
        };
        Utc.from_utc_datetime(&next.and_hms_opt(0, 0, 0).unwrap_or_default())
    }
}

/// The start of the minute `at` falls in.
pub fn minute_of(at: DateTime<Utc>) -> DateTime<Utc> {
    at.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(at)
}

/// The start of the hour `at` falls in.
pub fn hour_of(at: DateTime<Utc>) -> DateTime<Utc> {
    minute_of(at).with_minute(0).unwrap_or(at)
}

/// The start of the UTC day `at` falls in.
pub fn day_of(at: DateTime<Utc>) -> DateTime<Utc> {
    Utc.from_utc_datetime(&at.date_naive().and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// The first instant of `at`'s month (UTC).
pub fn month_of(at: DateTime<Utc>) -> DateTime<Utc> {
    day_of(at.with_day(1).unwrap_or(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_http() {
        assert_eq!(CallStatus::of_http(200), CallStatus::Success);
        assert_eq!(CallStatus::of_http(302), CallStatus::Success);
        assert_eq!(CallStatus::of_http(401), CallStatus::PolicyDenied);
        assert_eq!(CallStatus::of_http(403), CallStatus::PolicyDenied);
        assert_eq!(CallStatus::of_http(404), CallStatus::NotFound);
        assert_eq!(CallStatus::of_http(429), CallStatus::RateLimited);
        assert_eq!(CallStatus::of_http(400), CallStatus::Error);
        assert_eq!(CallStatus::of_http(504), CallStatus::Error);
        for s in CallStatus::ALL {
            assert_eq!(CallStatus::parse(s.as_str()), Some(*s));
        }
    }

    #[test]
    fn every_latency_falls_in_the_bucket_whose_bounds_hold_it() {
        for ms in [0.0, 0.05, 0.1, 0.1001, 0.5, 1.0, 1.19, 2.0, 7.3, 100.0, 999.9, 60_000.0, 1e9] {
            let i = bucket_of(ms);
            assert!(lower_bound(i) < ms || i == 0, "{ms} above bucket {i}'s lower bound");
            assert!(ms <= upper_bound(i), "{ms} below bucket {i}'s upper bound");
        }
        // Exact bounds belong to the bucket they close.
        for i in 0..BUCKETS - 1 {
            assert_eq!(bucket_of(upper_bound(i)), i, "bound of {i}");
        }
    }

    /// A deterministic generator (xorshift), so the test needs no dependency.
    fn latencies(n: usize, mut seed: u64) -> Vec<f64> {
        (0..n)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let u = (seed % 1_000_000) as f64 / 1_000_000.0;
                // Log-normal-ish: most calls fast, a long tail.
                0.3 * (9.0 * u * u * u).exp() + u * 4.0
            })
            .collect()
    }

    fn exact(sorted: &[f64], q: f64) -> f64 {
        let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
        sorted[rank - 1]
    }

    #[test]
    fn merged_histograms_give_percentiles_within_one_bucket_of_the_exact_ones() {
        // Ten "minutes" of calls, each its own histogram, merged as a period query does.
        let mut all = Vec::new();
        let mut merged = Histogram::default();
        for minute in 0..10 {
            let mut h = Histogram::default();
            for ms in latencies(5_000 + minute * 37, 0x9E37_79B9 + minute as u64) {
                h.record(ms);
                all.push(ms);
            }
            merged.merge(&h.0);
        }
        all.sort_by(f64::total_cmp);
        assert_eq!(merged.count() as usize, all.len());
        for q in [0.5, 0.9, 0.95, 0.99, 0.999, 1.0] {
            let truth = exact(&all, q);
            let estimate = merged.quantile(q).expect("calls");
            // The estimate is the upper bound of the bucket holding the true value.
            let i = bucket_of(truth);
            assert_eq!(estimate, upper_bound(i), "q={q}: truth {truth}, estimate {estimate}");
            assert!(estimate >= truth && estimate <= truth * 2f64.powf(0.25) + 1e-9, "q={q}");
        }
        assert_eq!(Histogram::default().quantile(0.5), None);
    }

    #[test]
    fn quota_periods_reset_at_midnight_and_the_first_of_the_month() {
        let at = Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 30).single().expect("time");
        assert_eq!(
            QuotaPeriod::Day.reset(at),
            Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).single().expect("t")
        );
        assert_eq!(
            QuotaPeriod::Month.reset(at),
            Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).single().expect("t")
        );
        let mid = Utc.with_ymd_and_hms(2026, 2, 14, 8, 30, 0).single().expect("time");
        assert_eq!(QuotaPeriod::Month.start(mid).to_string(), "2026-02-01");
        assert_eq!(
            QuotaPeriod::Month.reset(mid),
            Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).single().expect("t")
        );
        assert_eq!(minute_of(mid + Duration::seconds(42)), mid);
        assert_eq!(hour_of(mid), Utc.with_ymd_and_hms(2026, 2, 14, 8, 0, 0).single().expect("t"));
        assert_eq!(day_of(mid), Utc.with_ymd_and_hms(2026, 2, 14, 0, 0, 0).single().expect("t"));
    }
}
