//! Usage at scale for `make bench`: tenants, applications and the rollups that `events`
//! calls over `days` days would have produced, written by the ingest's own rollup writer
//! (`Tally`, `add_tally`) — minute rows for the last 7 days, as the retention keeps
//! them.

use crate::catalog::Rng;
use app::db::metering::rollups::{add_tally, Sign};
use app::db::scope::{self, Scope};
use app::domain::metering::rollup::{Counted, Rollup, Tally};
use app::domain::metering::{day_of, CallStatus};
use chrono::{Duration, Utc};
use sqlx::PgPool;
use uuid::Uuid;

/// Tenants and applications of the generated usage.
pub const TENANTS: usize = 20;
pub const APPLICATIONS: usize = 200;
/// APIs per tenant, operations per API.
const APIS: usize = 5;
const OPERATIONS: usize = 4;

/// The generated tenants' ids.
pub fn tenant(t: usize) -> String {
    format!("bench-usage-{t:02}")
}

/// The owner of tenant `t`'s applications (a tenant admin).
pub fn owner(t: usize) -> Uuid {
    Uuid::from_u128(0xbe_0000 + t as u128)
}

/// Adds `tally` to the rollups `to`, in one transaction; returns the rows written.
async fn flush(pool: &PgPool, tally: &Tally<'_>, to: &[Rollup]) -> Result<usize, sqlx::Error> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    let rows = add_tally(&mut tx, tally, to, Sign::Add).await?;
    tx.commit().await?;
    Ok(rows)
}

/// Generates `events` calls spread over the last `days` days (busier on weekdays and in
/// the daytime); returns the rollup rows written.
pub async fn generate(pool: &PgPool, events: usize, days: i64) -> Result<usize, sqlx::Error> {
    let mut tx = scope::begin(pool, Scope::Platform).await?;
    for t in 0..TENANTS {
        app::db::tenants::upsert(&mut *tx, &tenant(t), &format!("Usage Tenant {t}")).await?;
        sqlx::query(
            "INSERT INTO users (id, tenant_id, username, display_name, roles) VALUES ($1, $2, $3, $3, '{tenant-admin}')
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(owner(t))
        .bind(tenant(t))
        .bind(format!("usage-admin-{t:02}"))
        .execute(&mut *tx)
        .await?;
    }
    let apps: Vec<(Uuid, String)> =
        (0..APPLICATIONS).map(|a| (Uuid::from_u128(0xa0_0000 + a as u128), tenant(a % TENANTS))).collect();
    for (a, (id, t)) in apps.iter().enumerate() {
        sqlx::query(
            "INSERT INTO applications (id, tenant_id, owner_id, name, security_profile, client_id)
             VALUES ($1, $2, $3, $4, 'api_key', $5) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(t)
        .bind(owner(a % TENANTS))
        .bind(format!("Usage app {a}"))
        .bind(format!("bench-usage-client-{a}"))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;

    let mut rng = Rng(0x0dd_ba11_5eed_0001);
    // What each application calls: two APIs (of its tenant or the next two), two
    // operations of each — as real consumers do, a few operations each.
    let uses: Vec<Vec<(String, String, String)>> = (0..APPLICATIONS)
        .map(|a| {
            let mut u = Vec::new();
            for _ in 0..2 {
                let api_tenant = tenant((a % TENANTS + rng.next() % 3) % TENANTS);
                let api = format!("api-{}", rng.next() % APIS);
                for _ in 0..2 {
                    let tool = format!("{api}/op{}", rng.next() % OPERATIONS);
                    u.push((api_tenant.clone(), api.clone(), tool));
                }
            }
            u
        })
        .collect();
    let now = Utc::now();
    let start = day_of(now) - Duration::days(days - 1);
    let minute_from = now - Duration::days(7);
    let per_day = events / days as usize;
    let mut rows = 0;
    for d in 0..days {
        let day = start + Duration::days(d);
        let mut recent = Tally::default();
        let mut older = Tally::default();
        for _ in 0..per_day {
            // Daytime-heavy: two draws, the later one kept half the time.
            let s1 = rng.next() % 86_400;
            let s2 = rng.next() % 86_400;
            let second = if rng.next() % 2 == 0 { s1.max(s2) } else { s1 };
            let at = day + Duration::seconds(second as i64);
            if at > now {
                continue;
            }
            let a = rng.next() % APPLICATIONS;
            let (app, app_tenant) = &apps[a];
            let (api_tenant, api, tool) = &uses[a][rng.next() % uses[a].len()];
            let roll = rng.next() % 100;
            let status = match roll {
                0..=91 => CallStatus::Success,
                92..=94 => CallStatus::Error,
                95..=97 => CallStatus::RateLimited,
                _ => CallStatus::PolicyDenied,
            };
            let u = (rng.next() % 1_000_000) as f64 / 1_000_000.0;
            let latency_ms = 2.0 + 40.0 * u * u * u * u + (rng.next() % 10) as f64;
            let call = Counted {
                tenant: api_tenant,
                application: Some(*app),
                app_tenant: Some(app_tenant),
                api,
                tool,
                status,
                request_bytes: 200,
                response_bytes: 1_500 + (rng.next() % 3_000) as u64,
                latency_ms,
            };
            if at >= minute_from {
                recent.add(at, &call);
            } else {
                older.add(at, &call);
            }
        }
        rows += flush(pool, &recent, &Rollup::ALL).await?;
        // Minute rows are kept 7 days.
        rows += flush(pool, &older, &[Rollup::Hour, Rollup::Day]).await?;
    }
    Ok(rows)
}
