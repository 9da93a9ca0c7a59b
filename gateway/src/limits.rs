//! A plan's limits at the gateway. The per-second and per-minute rates are counted in
//! this replica; daily and monthly quotas hold across replicas, each replica leasing calls
//! from a counter in Postgres, a few at a time, one at a time near the end of the quota.

use super::*;

/// Per-replica rate windows and quota leases.
#[derive(Default)]
pub(super) struct Limits {
    /// (subscription, window length in seconds) → (window start, calls in it).
    windows: HashMap<(Uuid, i64), (i64, i64)>,
    /// (subscription, period) → lease.
    leases: HashMap<(Uuid, QuotaPeriod), Lease>,
}

struct Lease {
    starts: NaiveDate,
    /// Calls leased but not yet used by this replica.
    left: i64,
    /// Calls used across replicas when the lease was taken.
    used: i64,
}

impl Gateway {
    /// Counts the call against the plan's rates and quotas, or refuses it.
    pub(super) async fn admit(
        &self,
        subscription: &VerifiedSubscription,
        meta: &mut Meta,
    ) -> Result<(), Refusal> {
        let Some(plan) = &subscription.plan else { return Ok(()) };
        let now = Utc::now();
        let epoch = now.timestamp();
        // Rates, in this replica.
        {
            let mut limits = self.limits.lock().unwrap_or_else(|e| e.into_inner());
            let mut shown = None;
            for (length, limit) in [(1, plan.rate_per_second), (60, plan.rate_per_minute)] {
                let Some(limit) = limit.filter(|l| *l > 0) else { continue };
                let start = epoch - epoch.rem_euclid(length);
                let used = limits
                    .windows
                    .get(&(subscription.id, length))
                    .filter(|(s, _)| *s == start)
                    .map_or(0, |w| w.1);
                let window = Window { limit, remaining: (limit - used - 1).max(0), reset: start + length };
                if used >= limit {
                    let window = Window { remaining: 0, ..window };
                    meta.window = Some(window);
                    return Err(Refusal {
                        retry_after: Some((start + length - epoch).max(1)),
                        ..Refusal::new(
                            StatusCode::TOO_MANY_REQUESTS,
                            "rate_limited",
                            format!(
                                "The plan allows {limit} calls per {}.",
                                if length == 1 { "second" } else { "minute" }
                            ),
                        )
                    });
                }
                if length == 60 || shown.is_none() {
                    shown = Some(window);
                }
            }
            for length in [1, 60] {
                if let Some(limit) = if length == 1 { plan.rate_per_second } else { plan.rate_per_minute } {
                    if limit > 0 {
                        let start = epoch - epoch.rem_euclid(length);
                        let w = limits.windows.entry((subscription.id, length)).or_insert((start, 0));
                        if w.0 != start {
                            *w = (start, 0);
                        }
                        w.1 += 1;
                    }
                }
            }
            if limits.windows.len() > 100_000 {
                limits.windows.retain(|(_, length), (start, _)| *start + *length > epoch);
            }
            meta.window = shown;
        }
        // Quotas, across replicas.
        for (period, limit) in
            [(QuotaPeriod::Day, plan.daily_quota), (QuotaPeriod::Month, plan.monthly_quota)]
        {
            let Some(limit) = limit.filter(|l| *l > 0) else { continue };
            let window = self.take_quota(subscription.id, period, limit, now).await?;
            let reset = period.reset(now).timestamp();
            match window {
                Some(remaining) => {
                    if meta.window.is_none() {
                        meta.window = Some(Window { limit, remaining, reset });
                    }
                }
                None => {
                    meta.window = Some(Window { limit, remaining: 0, reset });
                    return Err(Refusal {
                        retry_after: Some((reset - epoch).max(1)),
                        ..Refusal::new(
                            StatusCode::TOO_MANY_REQUESTS,
                            "quota_exceeded",
                            format!(
                                "The plan's {} quota of {limit} calls is used up; it resets at {}.",
                                period.as_str(),
                                app::db::rfc3339(period.reset(now))
                            ),
                        )
                    });
                }
            }
        }
        Ok(())
    }

    /// Takes one call of a quota: `Some(calls left)` or `None` when it is used up.
    async fn take_quota(
        &self,
        subscription: Uuid,
        period: QuotaPeriod,
        limit: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, Refusal> {
        let starts = period.start(now);
        {
            let mut limits = self.limits.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(lease) = limits.leases.get_mut(&(subscription, period)) {
                if lease.starts == starts && lease.left > 0 {
                    lease.left -= 1;
                    return Ok(Some((limit - lease.used + lease.left).max(0)));
                }
            }
        }
        // A new lease: a sixteenth of what is left, at most 100, at least 1.
        let unavailable = |_| {
            Refusal::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Quotas cannot be checked now; try again.",
            )
        };
        let mut tx = scope::begin(&self.pool, Scope::Platform).await.map_err(unavailable)?;
        let (_, used_before) =
            app::db::metering::leases::lease_quota(&mut tx, subscription, period, starts, 0, limit)
                .await
                .map_err(unavailable)?;
        let want = ((limit - used_before) / 16).clamp(1, 100);
        let (granted, used) =
            app::db::metering::leases::lease_quota(&mut tx, subscription, period, starts, want, limit)
                .await
                .map_err(unavailable)?;
        tx.commit().await.map_err(unavailable)?;
        if granted == 0 {
            return Ok(None);
        }
        let mut limits = self.limits.lock().unwrap_or_else(|e| e.into_inner());
        limits.leases.insert((subscription, period), Lease { starts, left: granted - 1, used });
        Ok(Some((limit - used + granted - 1).max(0)))
    }
}
