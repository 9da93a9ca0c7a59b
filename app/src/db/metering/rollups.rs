//! The rollup tables (`usage_minute`, `usage_hour`, `usage_day`): a tally added (or
//! taken back out), rows left empty dropped, rows past their retention forgotten.

use crate::domain::metering::rollup::{Rollup, Rollups, Tally, STATUS_COLUMNS};
use crate::domain::metering::BUCKETS;
use sqlx::PgConnection;

/// The table of a rollup.
pub fn table(rollup: Rollup) -> &'static str {
    match rollup {
        Rollup::Minute => "usage_minute",
        Rollup::Hour => "usage_hour",
        Rollup::Day => "usage_day",
    }
}

/// What adding a tally does to the rollups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    /// Counts its calls (the ingest, generated usage).
    Add,
    /// Takes its calls back out (a reset of the calls counted).
    TakeBack,
}

/// Adds `tally`'s calls to the rollups of `to` (or takes them back out); returns the rows
/// written.
pub async fn add_tally(
    db: &mut PgConnection,
    tally: &Tally<'_>,
    to: &[Rollup],
    sign: Sign,
) -> Result<usize, sqlx::Error> {
    let mut rows = 0;
    for (rollup, sums) in tally.rollups() {
        if !to.contains(&rollup) {
            continue;
        }
        rows += sums.len();
        let columns = match sign {
            Sign::Add => sums.into_columns(),
            Sign::TakeBack => sums.into_columns().negated(),
        };
        add_rollups(db, rollup, &columns).await?;
    }
    Ok(rows)
}

/// Adds `r` to `rollup`'s table, in statements of at most 10 000 rows.
async fn add_rollups(db: &mut PgConnection, rollup: Rollup, r: &Rollups) -> Result<(), sqlx::Error> {
    let table = table(rollup);
    let statuses: Vec<&str> = STATUS_COLUMNS.iter().map(|(_, c)| *c).collect();
    let histogram: Vec<String> = (0..BUCKETS).map(|i| format!("l{i}")).collect();
    // $1…$17: the key and the sums; $18…: the histogram's buckets.
    let arrays: Vec<String> = (18..18 + BUCKETS).map(|i| format!("${i}::int8[]")).collect();
    let add: Vec<String> = statuses
        .iter()
        .map(|c| c.to_string())
        .chain(["calls".into(), "request_bytes".into(), "response_bytes".into(), "latency_sum_ms".into()])
        .chain(histogram.iter().cloned())
        .map(|c| format!("{c} = u.{c} + EXCLUDED.{c}"))
        .collect();
    let sql = format!(
        "INSERT INTO {table} AS u (bucket, view, tenant_id, app_tenant_id, application_id, api, tool_name, status,
                                   calls, {statuses}, request_bytes, response_bytes, latency_sum_ms, {histogram})
         SELECT * FROM unnest($1::timestamptz[], $2::int2[], $3::text[], $4::text[], $5::uuid[], $6::text[],
                              $7::text[], $8::text[], $9::int8[], $10::int8[], $11::int8[], $12::int8[],
                              $13::int8[], $14::int8[], $15::int8[], $16::int8[], $17::float8[], {arrays})
         ON CONFLICT (view, bucket, tenant_id, app_tenant_id, application_id, api, tool_name, status) DO UPDATE
            SET {add}",
        statuses = statuses.join(", "),
        histogram = histogram.join(", "),
        arrays = arrays.join(", "),
        add = add.join(", "),
    );
    let mut from = 0;
    while from < r.bucket.len() {
        let to = (from + 10_000).min(r.bucket.len());
        let mut q = sqlx::query(&sql)
            .bind(&r.bucket[from..to])
            .bind(&r.view[from..to])
            .bind(&r.tenant_id[from..to])
            .bind(&r.app_tenant_id[from..to])
            .bind(&r.application_id[from..to])
            .bind(&r.api[from..to])
            .bind(&r.tool_name[from..to])
            .bind(&r.status[from..to])
            .bind(&r.calls[from..to]);
        for column in &r.by_status {
            q = q.bind(&column[from..to]);
        }
        q = q
            .bind(&r.request_bytes[from..to])
            .bind(&r.response_bytes[from..to])
            .bind(&r.latency_sum_ms[from..to]);
        for column in &r.latency {
            q = q.bind(&column[from..to]);
        }
        q.execute(&mut *db).await?;
        from = to;
    }
    Ok(())
}

/// Deletes the rollup rows left without calls (after calls were taken back out).
pub async fn drop_empty_rollups(db: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let mut n = 0;
    for rollup in Rollup::ALL {
        n += sqlx::query(&format!("DELETE FROM {} WHERE calls = 0", table(rollup)))
            .execute(&mut *db)
            .await?
            .rows_affected();
    }
    Ok(n)
}

/// Forgets the rollup rows past their rollup's retention.
pub async fn prune(db: &mut PgConnection) -> Result<(), sqlx::Error> {
    for rollup in Rollup::ALL {
        let Some(kept) = rollup.retention() else { continue };
        sqlx::query(&format!("DELETE FROM {} WHERE bucket < now() - $1::interval", table(rollup)))
            .bind(kept)
            .execute(&mut *db)
            .await?;
    }
    Ok(())
}
