//! The demo backends' records (`demo_records`): read for a call, written back with what
//! the call changed, replaced by the dataset on seed and reset.

use crate::domain::demo::kit::{Key, Store};
use crate::domain::demo::{Answers, BACKENDS};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgConnection;

/// Serialises the writes to `backend`'s records until the transaction ends.
pub async fn lock(db: &mut PgConnection, backend: &str) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('demo_records'), hashtext($1))")
        .bind(backend)
        .execute(db)
        .await
        .map(|_| ())
}

/// Every record of `backend`.
pub async fn store(db: &mut PgConnection, backend: &str) -> Result<Store, sqlx::Error> {
    let rows: Vec<(String, String, Value)> =
        sqlx::query_as("SELECT kind, id, data FROM demo_records WHERE backend = $1")
            .bind(backend)
            .fetch_all(db)
            .await?;
    Ok(Store::new(rows))
}

/// Writes what a call changed: each key with its new data, or removed.
pub async fn apply(
    db: &mut PgConnection,
    backend: &str,
    changes: &[(Key, Option<&Value>)],
) -> Result<(), sqlx::Error> {
    for ((kind, id), data) in changes {
        match data {
            Some(data) => {
                sqlx::query(
                    "INSERT INTO demo_records (backend, kind, id, data) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (backend, kind, id) DO UPDATE SET data = EXCLUDED.data",
                )
                .bind(backend)
                .bind(kind)
                .bind(id)
                .bind(*data)
                .execute(&mut *db)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM demo_records WHERE backend = $1 AND kind = $2 AND id = $3")
                    .bind(backend)
                    .bind(kind)
                    .bind(id)
                    .execute(&mut *db)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Replaces every record of `backend` with `store`'s.
pub async fn replace(db: &mut PgConnection, backend: &str, store: &Store) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM demo_records WHERE backend = $1").bind(backend).execute(&mut *db).await?;
    let mut kinds = Vec::new();
    let mut ids = Vec::new();
    let mut data = Vec::new();
    for (kind, id, v) in store.records() {
        kinds.push(kind.to_owned());
        ids.push(id.to_owned());
        data.push(v.clone());
    }
    sqlx::query(
        "INSERT INTO demo_records (backend, kind, id, data)
         SELECT $1, k, i, d FROM unnest($2::text[], $3::text[], $4::jsonb[]) AS t (k, i, d)",
    )
    .bind(backend)
    .bind(kinds)
    .bind(ids)
    .bind(data)
    .execute(db)
    .await
    .map(|_| ())
}

/// Whether `backend` has any record.
pub async fn any(db: &mut PgConnection, backend: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM demo_records WHERE backend = $1)")
        .bind(backend)
        .fetch_one(db)
        .await
}

/// Puts the stateful backends' dataset (as a reset at `now` leaves it) in place of their
/// records — of every backend when `replace`, else of those that have none.
pub async fn seed(db: &mut PgConnection, now: DateTime<Utc>, replace_all: bool) -> Result<(), sqlx::Error> {
    for backend in BACKENDS {
        let Answers::Stateful { seed, .. } = backend.answers else { continue };
        lock(&mut *db, backend.name).await?;
        if replace_all || !any(&mut *db, backend.name).await? {
            replace(&mut *db, backend.name, &seed(now)).await?;
        }
    }
    Ok(())
}
