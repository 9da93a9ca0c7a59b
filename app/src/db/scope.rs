//! Whose rows a transaction may see: the second layer of tenant isolation.
//!
//! The application's connections run as `stoa_app`, under row-level security (migration
//! `tenant_isolation`). Row-level policies read two transaction-local settings; `begin`
//! sets them, so they vanish at commit or rollback and never leak to the next user of a
//! pooled connection. A query outside such a transaction sees no tenant-scoped row.

use crate::auth::CurrentUser;
use crate::domain::permission::Permission;
use sqlx::{PgPool, Postgres, Transaction};

/// The context of one transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope<'a> {
    /// One tenant's rows only.
    Tenant(&'a str),
    /// Every tenant: platform admins, and the server's own work (sign-in, sessions, seed).
    Platform,
}

impl<'a> Scope<'a> {
    /// What `user` may see: every tenant for platform admins, their own otherwise.
    pub fn of(user: &'a CurrentUser) -> Scope<'a> {
        Visibility::of(user).scope()
    }
}

/// Which tenants' rows a user's queries return, decided once from the user: one value
/// gives the transaction's [`Scope`] and the tenant a query names itself. Queries name it
/// because row-level security alone is not always enough: a subscription is visible to
/// both its subscriber's tenant and its API's, and a decision belongs to the API's only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility<'a> {
    /// One tenant's rows.
    Tenant(&'a str),
    /// Every tenant's (platform admins).
    Every,
}

impl<'a> Visibility<'a> {
    /// Every tenant for platform admins, their own otherwise.
    pub fn of(user: &'a CurrentUser) -> Visibility<'a> {
        if user.may(Permission::ActAcrossTenants) {
            Visibility::Every
        } else {
            Visibility::Tenant(&user.tenant_id)
        }
    }

    /// The tenant a query is limited to (`None`: every tenant) — bound as `$n::text` in
    /// `($n::text IS NULL OR tenant_id = $n)`.
    pub fn tenant(self) -> Option<&'a str> {
        match self {
            Visibility::Tenant(t) => Some(t),
            Visibility::Every => None,
        }
    }

    /// The transaction scope that goes with it.
    pub fn scope(self) -> Scope<'a> {
        match self {
            Visibility::Tenant(t) => Scope::Tenant(t),
            Visibility::Every => Scope::Platform,
        }
    }
}

/// Begins a transaction in `scope`.
pub async fn begin(pool: &PgPool, scope: Scope<'_>) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    enter(&mut tx, scope).await?;
    Ok(tx)
}

/// Begins a transaction in `scope` on a connection the pool holds idle right now; `None`
/// when none is idle (it opens no new one). For a second connection while holding one:
/// waiting for it instead deadlocks the pool as soon as every connection is somebody's first.
pub async fn try_begin(
    pool: &PgPool,
    scope: Scope<'_>,
) -> Result<Option<Transaction<'static, Postgres>>, sqlx::Error> {
    let Some(mut tx) = pool.try_begin().await? else { return Ok(None) };
    enter(&mut tx, scope).await?;
    Ok(Some(tx))
}

async fn enter(tx: &mut Transaction<'static, Postgres>, scope: Scope<'_>) -> Result<(), sqlx::Error> {
    let (tenant, platform) = match scope {
        Scope::Tenant(t) => (t, "off"),
        Scope::Platform => ("", "on"),
    };
    sqlx::query("SELECT set_config('stoa.tenant_id', $1, true), set_config('stoa.platform', $2, true)")
        .bind(tenant)
        .bind(platform)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::users::{create_local, NewLocalUser};
    use crate::domain::role::Role;

    async fn two_tenants(owner: &PgPool) {
        for (tenant, user) in [("acme", "alice"), ("globex", "gina")] {
            crate::db::tenants::upsert(owner, tenant, tenant).await.expect("tenant");
            let new = NewLocalUser {
                tenant_id: tenant,
                username: user,
                display_name: user,
                email: None,
                roles: &[Role::Viewer],
                password_hash: "$argon2id$dummy",
            };
            create_local(owner, &new).await.expect("user");
        }
    }

    async fn usernames(pool: &PgPool, scope: Option<Scope<'_>>) -> Vec<String> {
        let sql = "SELECT username FROM users ORDER BY username";
        match scope {
            None => sqlx::query_scalar(sql).fetch_all(pool).await.expect("query"),
            Some(scope) => {
                let mut tx = begin(pool, scope).await.expect("begin");
                let names = sqlx::query_scalar(sql).fetch_all(&mut *tx).await.expect("query");
                tx.commit().await.expect("commit");
                names
            }
        }
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn the_database_hides_other_tenants_rows(owner: PgPool) {
        two_tenants(&owner).await;
        let app = crate::db::as_app_role(&owner);
        assert!(usernames(&app, None).await.is_empty(), "no tenant context: nothing");
        assert_eq!(usernames(&app, Some(Scope::Tenant("acme"))).await, ["alice"]);
        assert_eq!(usernames(&app, Some(Scope::Tenant("globex"))).await, ["gina"]);
        assert!(usernames(&app, Some(Scope::Tenant("initech"))).await.is_empty());
        assert_eq!(usernames(&app, Some(Scope::Platform)).await, ["alice", "gina"]);
        // The settings die with the transaction: the same pooled connection, afterwards,
        // sees nothing again.
        assert!(usernames(&app, None).await.is_empty());
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn a_tenant_cannot_write_into_another(owner: PgPool) {
        two_tenants(&owner).await;
        let app = crate::db::as_app_role(&owner);
        let mut tx = begin(&app, Scope::Tenant("acme")).await.expect("begin");
        let changed = sqlx::query("UPDATE users SET display_name = 'pwned' WHERE username = 'gina'")
            .execute(&mut *tx)
            .await
            .expect("update runs")
            .rows_affected();
        assert_eq!(changed, 0, "globex's row is invisible to acme");
        let err = sqlx::query(
            "INSERT INTO users (id, tenant_id, username, display_name) VALUES (gen_random_uuid(), 'globex', 'mole', 'm')",
        )
        .execute(&mut *tx)
        .await
        .expect_err("row-level security refuses the insert");
        assert!(err.to_string().contains("row-level security"), "{err}");
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn the_application_role_cannot_escape(owner: PgPool) {
        let app = crate::db::as_app_role(&owner);
        let (superuser, bypass): (bool, bool) =
            sqlx::query_as("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
                .fetch_one(&app)
                .await
                .expect("role");
        assert!(!superuser && !bypass);
        let err = sqlx::query("DELETE FROM audit_log").execute(&app).await.expect_err("no DELETE grant");
        assert!(err.to_string().contains("permission denied"), "{err}");
    }
}
