//! The scales of the dashboards' server-drawn charts: a round top for the axis and the
//! ticks under it, and the colour of a quota bar.

/// A round axis top at or above `max` (1, 2, 2.5 or 5 × 10^k) and its ticks, from 0.
pub fn ticks(max: f64) -> (f64, Vec<f64>) {
    if !max.is_finite() || max <= 0.0 {
        return (1.0, vec![0.0, 0.5, 1.0]);
    }
    // About four intervals.
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let intervals = (max / step).ceil().max(1.0) as usize;
    let top = step * intervals as f64;
    ((top), (0..=intervals).map(|i| step * i as f64).collect())
}

/// How full a quota is, as its bar shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    /// Under 60 %.
    Low,
    /// 60 to 80 %.
    Middle,
    /// Above 80 %.
    High,
}

/// The fill of a quota of `limit` calls of which `used` are used.
pub fn fill(used: u64, limit: u64) -> Fill {
    // Integer arithmetic: 60 % of 1 000 is exactly 600.
    let per_hundred = used.saturating_mul(100);
    if per_hundred > limit.saturating_mul(80) {
        Fill::High
    } else if per_hundred >= limit.saturating_mul(60) {
        Fill::Middle
    } else {
        Fill::Low
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_top_is_round_and_holds_the_largest_value() {
        assert_eq!(ticks(0.0), (1.0, vec![0.0, 0.5, 1.0]));
        assert_eq!(ticks(7.0), (8.0, vec![0.0, 2.0, 4.0, 6.0, 8.0]));
        assert_eq!(ticks(100.0), (100.0, vec![0.0, 25.0, 50.0, 75.0, 100.0]));
        let (top, t) = ticks(12_345.0);
        assert_eq!(top, 15_000.0);
        assert_eq!(t.len(), 4);
        for max in [0.3, 1.0, 3.7, 42.0, 999.0, 1e6 + 1.0] {
            let (top, t) = ticks(max);
            assert!(top >= max && top < max * 2.6, "{max} → {top}");
            assert!(t.len() <= 6 && t.last() == Some(&top));
        }
    }

    #[test]
    fn quota_bars_turn_amber_at_60_and_red_above_80_percent() {
        assert_eq!(fill(59, 100), Fill::Low);
        assert_eq!(fill(60, 100), Fill::Middle);
        assert_eq!(fill(80, 100), Fill::Middle);
        assert_eq!(fill(81, 100), Fill::High);
        assert_eq!(fill(599, 1_000), Fill::Low);
        assert_eq!(fill(801, 1_000), Fill::High);
        assert_eq!(fill(5, 0), Fill::High);
    }
}
