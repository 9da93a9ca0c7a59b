//! The sign-in throttle's counter: attempts taken before a password is checked.
//!
//! Counting and taking are one step. [`take_attempt`] locks the account and the address
//! (transaction-scoped advisory locks, account first, so two attempts never wait on each
//! other in a circle), counts what is not known to have succeeded within the window, and
//! takes a row only under the limits. An attempt that is being checked therefore already
//! counts: of N attempts sent at once, at most the limit reach the password check.

use sqlx::PgConnection;

/// The limits of one throttle window.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub minutes: i32,
    pub per_account: i64,
    pub per_client: i64,
}

/// What [`take_attempt`] decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Checked under this row: [`succeeded`] takes it out of the count.
    Taken(i64),
    /// Over a limit: (failures for the account, failures from the address).
    Throttled { by_account: i64, by_client: i64 },
}

/// Takes one attempt for `username` from `client_addr` unless a limit is reached. Run it
/// in its own short transaction: the locks are held until that commits.
pub async fn take_attempt(
    conn: &mut PgConnection,
    username: &str,
    client_addr: Option<&str>,
    limits: Limits,
) -> Result<Attempt, sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('stoa.sign-in.account'), hashtext($1))")
        .bind(username)
        .execute(&mut *conn)
        .await?;
    if let Some(addr) = client_addr {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext('stoa.sign-in.client'), hashtext($1))")
            .bind(addr)
            .execute(&mut *conn)
            .await?;
    }
    let (by_account, by_client): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE username = $1),
                count(*) FILTER (WHERE $2::text IS NOT NULL AND client_addr = $2)
         FROM sign_in_attempts
         WHERE NOT succeeded AND at > now() - make_interval(mins => $3)
           AND (username = $1 OR client_addr = $2)",
    )
    .bind(username)
    .bind(client_addr)
    .bind(limits.minutes)
    .fetch_one(&mut *conn)
    .await?;
    if by_account >= limits.per_account || by_client >= limits.per_client {
        return Ok(Attempt::Throttled { by_account, by_client });
    }
    let id = sqlx::query_scalar(
        "INSERT INTO sign_in_attempts (username, client_addr) VALUES ($1, $2) RETURNING id",
    )
    .bind(username)
    .bind(client_addr)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Attempt::Taken(id))
}

/// The attempt `id` got in: it no longer counts against the account or the address.
pub async fn succeeded(conn: &mut PgConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sign_in_attempts SET succeeded = true WHERE id = $1").bind(id).execute(conn).await?;
    Ok(())
}

/// Forgets attempts older than a day (the window is minutes long); returns how many.
pub async fn sweep(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM sign_in_attempts WHERE at < now() - interval '1 day'").execute(conn).await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::PgPool;

    const LIMITS: Limits = Limits { minutes: 15, per_account: 3, per_client: 5 };

    async fn take(pool: &PgPool, user: &str, addr: Option<&str>) -> Attempt {
        let mut tx = pool.begin().await.expect("begin");
        let a = take_attempt(&mut tx, user, addr, LIMITS).await.expect("take");
        tx.commit().await.expect("commit");
        a
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn attempts_count_until_they_succeed_per_account_and_per_address(pool: PgPool) {
        let mut ids = Vec::new();
        for _ in 0..3 {
            match take(&pool, "tara", Some("10.0.0.1")).await {
                Attempt::Taken(id) => ids.push(id),
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(
            take(&pool, "tara", Some("10.0.0.2")).await,
            Attempt::Throttled { by_account: 3, by_client: 0 }
        );
        // A success frees its place.
        let mut conn = pool.acquire().await.expect("conn");
        succeeded(&mut conn, ids[0]).await.expect("succeeded");
        assert!(matches!(take(&pool, "tara", None).await, Attempt::Taken(_)));
        // The address' limit counts every account (tara's success no longer counts).
        for user in ["dave", "sam", "carl"] {
            assert!(matches!(take(&pool, user, Some("10.0.0.1")).await, Attempt::Taken(_)));
        }
        assert_eq!(
            take(&pool, "eve", Some("10.0.0.1")).await,
            Attempt::Throttled { by_account: 0, by_client: 5 }
        );
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn attempts_taken_at_once_never_pass_the_limit(pool: PgPool) {
        let tries = (0..40).map(|_| {
            let pool = pool.clone();
            tokio::spawn(async move { take(&pool, "tara", Some("10.0.0.9")).await })
        });
        let mut taken = 0;
        for t in tries {
            if matches!(t.await.expect("task"), Attempt::Taken(_)) {
                taken += 1;
            }
        }
        assert_eq!(taken, LIMITS.per_account);
    }
}
