//! The catalog's SQL (`db::catalog`) on the seeded demo catalog: who sees what, how a
//! search ranks, what row-level security keeps in. Here, not in `db::catalog`, because
//! the demo catalog is seeded through the service floor (`service::publishing`).

#[cfg(test)]
mod tests {
    use crate::db::catalog::*;
    use crate::db::scope::{self, Scope};
    use crate::domain::catalog::Viewer;
    use crate::domain::role::Role;
    use crate::model::catalog::{CatalogQuery, CatalogResults, Facet};
    use sqlx::PgPool;

    async fn seeded(owner: &PgPool) -> PgPool {
        crate::service::demo::seed::run(owner).await.expect("seed");
        crate::db::as_app_role(owner)
    }

    async fn find(pool: &PgPool, viewer: &Viewer, query: CatalogQuery) -> CatalogResults {
        let scope = match &viewer.tenant_id {
            None => Scope::Tenant(""),
            Some(_) if viewer.every_tenant => Scope::Platform,
            Some(t) => Scope::Tenant(t),
        };
        let mut tx = scope::begin(pool, scope).await.expect("begin");
        search(&mut tx, viewer, &query, 50, 0).await.expect("search")
    }

    fn names(r: &CatalogResults) -> Vec<&str> {
        r.entries.iter().map(|e| e.slug.as_str()).collect()
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn each_role_sees_its_audiences(owner: PgPool) {
        let pool = seeded(&owner).await;
        let all = CatalogQuery::default();
        let count = |roles: &'static [Role]| {
            let pool = pool.clone();
            let all = all.clone();
            async move { find(&pool, &Viewer::of("demo", roles), all).await.total }
        };
        assert_eq!(
            find(&pool, &Viewer::anonymous(), all.clone()).await.total,
            9,
            "7 public APIs + 2 public MCP servers"
        );
        assert_eq!(count(&[Role::Viewer]).await, 9);
        assert_eq!(count(&[Role::Devops]).await, 10, "+ demo's internal CRM API, not oasis' fleet API");
        assert_eq!(count(&[Role::TenantAdmin]).await, 14, "+ 4 partner entries");
        assert_eq!(count(&[Role::Security]).await, 14);
        assert_eq!(count(&[Role::CpiAdmin]).await, 15, "everything");
        let devops = find(&pool, &Viewer::of("demo", &[Role::Devops]), all.clone()).await;
        assert!(names(&devops).contains(&"customer-crm"));
        assert!(!names(&devops).contains(&"fleet-telemetry"));
        let facets = find(&pool, &Viewer::anonymous(), all).await.facets;
        assert_eq!(
            facets.kind,
            [Facet { value: "api".into(), count: 7 }, Facet { value: "mcp".into(), count: 2 }]
        );
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn a_name_match_ranks_above_a_description_match(owner: PgPool) {
        let pool = seeded(&owner).await;
        let q = |text: &str| CatalogQuery { q: Some(text.into()), ..Default::default() };
        // "forecast": the Weather *Forecast* API by name; Carbon Intensity only says
        // "Forecast of grams…" in its description.
        let r = find(&pool, &Viewer::anonymous(), q("forecast")).await;
        let order = names(&r);
        let by_name = order.iter().position(|s| *s == "weather-forecast").expect("name match");
        let by_description = order.iter().position(|s| *s == "carbon-intensity").expect("description match");
        assert!(by_name < by_description, "{order:?}");
        // Prefix of the last word, as typed; operation summaries are searched too.
        assert_eq!(names(&find(&pool, &Viewer::anonymous(), q("shipm")).await)[0], "shipment-tracking");
        assert!(names(&find(&pool, &Viewer::anonymous(), q("declaration")).await)
            .contains(&"customs-declarations"));
        assert_eq!(find(&pool, &Viewer::anonymous(), q("zzzz-nothing")).await.total, 0);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn the_database_keeps_internal_entries_inside_their_tenant(owner: PgPool) {
        let pool = seeded(&owner).await;
        let mut tx = scope::begin(&pool, Scope::Tenant("demo")).await.expect("begin");
        let internal: Vec<String> =
            sqlx::query_scalar("SELECT slug FROM catalog_items WHERE audience = 'internal' ORDER BY slug")
                .fetch_all(&mut *tx)
                .await
                .expect("query");
        assert_eq!(
            internal,
            ["customer-crm"],
            "oasis' internal API is invisible even without the code's filter"
        );
        let changed = sqlx::query("UPDATE catalog_items SET name = 'pwned' WHERE tenant_id = 'oasis'")
            .execute(&mut *tx)
            .await
            .expect("update runs")
            .rows_affected();
        assert_eq!(changed, 0);
    }
}
