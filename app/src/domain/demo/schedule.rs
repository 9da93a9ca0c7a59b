//! A cron schedule (`DEMO_RESET_SCHEDULE`): five fields (minute hour day month weekday),
//! or six with seconds first, in UTC. Its times are whole seconds, so that every replica
//! computes the same slot.

use chrono::{DateTime, Timelike, Utc};
use std::str::FromStr;

/// A parsed schedule and its text.
#[derive(Clone, Debug)]
pub struct Schedule {
    cron: croner::Cron,
    text: String,
}

/// Two schedules are the same when they are written the same.
impl PartialEq for Schedule {
    fn eq(&self, other: &Schedule) -> bool {
        self.text == other.text
    }
}

impl Eq for Schedule {}

impl Schedule {
    /// Reads `text` (an error says what is wrong in it).
    pub fn parse(text: &str) -> Result<Schedule, String> {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let fields = text.split(' ').count();
        if !(5..=6).contains(&fields) {
            return Err(format!("`{text}` has {fields} fields; a schedule has 5 (or 6, seconds first)"));
        }
        let cron = croner::Cron::from_str(&text).map_err(|e| format!("`{text}`: {e}"))?;
        Ok(Schedule { cron, text })
    }

    /// The schedule as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The first time of the schedule strictly after `t` (whole seconds).
    pub fn next_after(&self, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let t = t.with_nanosecond(0)?;
        self.cron.find_next_occurrence(&t, false).ok()?.with_nanosecond(0)
    }

    /// Hour and minute when the schedule is once a day at a fixed time (`M H * * *`).
    pub fn daily(&self) -> Option<(u32, u32)> {
        match self.text.split(' ').collect::<Vec<_>>().as_slice() {
            [m, h, "*", "*", "*"] => Some((h.parse().ok()?, m.parse().ok()?)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, m, s).single().unwrap_or_default()
    }

    #[test]
    fn the_next_time_is_whole_seconds_and_the_same_for_everyone() {
        let daily = Schedule::parse("0 4 * * *").expect("valid");
        assert_eq!(daily.next_after(at(3, 59, 59)), Some(at(4, 0, 0)));
        assert_eq!(daily.next_after(at(4, 0, 0)), Some(at(4, 0, 0) + chrono::Duration::days(1)));
        let later = at(3, 0, 0) + chrono::Duration::milliseconds(731);
        assert_eq!(daily.next_after(later), Some(at(4, 0, 0)));
        assert_eq!(daily.daily(), Some((4, 0)));
        let seconds = Schedule::parse("*/5 * * * * *").expect("valid");
        assert_eq!(seconds.next_after(at(10, 0, 2)), Some(at(10, 0, 5)));
        assert_eq!(seconds.daily(), None);
        assert!(Schedule::parse("61 4 * * *").is_err());
        assert!(Schedule::parse("every day").is_err());
        assert!(Schedule::parse("0 4 * *").is_err());
    }
}
