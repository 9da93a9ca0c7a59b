//! The route table, and nothing else.

use crate::components::layout::Layout;
use crate::i18n::I18nProvider;
use crate::pages::console::{
    apis::{ConsoleApisPage, PublishApiPage, PublishMcpPage},
    audit::AuditTrailPage,
    demo::ConsoleDemoPage,
    funnel::OnboardingFunnelPage,
    members::{ConsoleMembersPage, ConsoleTenantPage, ConsoleTenantsPage, InvitationPage},
    plans::{ConsolePlanPage, ConsolePlansPage},
    requests::{NewRequestPage, RequestPage, RequestsListPage},
    subscriptions::SubscriptionQueuePage,
    usage::ConsoleUsagePage,
};
use crate::pages::not_found::NotFoundPage;
use crate::pages::portal::{
    api_detail::ApiDetailPage,
    apps::{AppPage, AppsPage},
    catalog::CatalogPage,
    home::HomePage,
    login::LoginPage,
    mcp_detail::McpDetailPage,
    notifications::NotificationsPage,
    onboarding::WizardPage,
    profile::ProfilePage,
    usage::UsagePage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, Stylesheet};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The application: translations, document metadata, layout and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="stoa" href=crate::components::islands_loader::css_href() />
        <I18nProvider>
            // What search engines and link previews show of any page.
            <Meta name="description" content=crate::tr!("home-lead") />
            <Router>
                <Layout>
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("/login") view=LoginPage />
                        <Route path=path!("/catalog") view=CatalogPage ssr=SsrMode::Async />
                        <Route path=path!("/apis/:tenant/:api") view=ApiDetailPage ssr=SsrMode::Async />
                        <Route path=path!("/mcp/:server") view=McpDetailPage ssr=SsrMode::Async />
                        <Route path=path!("/apps") view=AppsPage ssr=SsrMode::Async />
                        <Route path=path!("/apps/:id") view=AppPage ssr=SsrMode::Async />
                        <Route path=path!("/profile") view=ProfilePage ssr=SsrMode::Async />
                        <Route path=path!("/console/apis") view=ConsoleApisPage ssr=SsrMode::Async />
                        <Route path=path!("/console/apis/new") view=PublishApiPage ssr=SsrMode::Async />
                        <Route path=path!("/console/mcp/new") view=PublishMcpPage ssr=SsrMode::Async />
                        <Route path=path!("/console/plans") view=ConsolePlansPage ssr=SsrMode::Async />
                        <Route path=path!("/console/plans/:id") view=ConsolePlanPage ssr=SsrMode::Async />
                        <Route path=path!("/console/audit") view=AuditTrailPage ssr=SsrMode::Async />
                        <Route path=path!("/console/subscriptions") view=SubscriptionQueuePage ssr=SsrMode::Async />
                        <Route path=path!("/console/requests") view=RequestsListPage ssr=SsrMode::Async />
                        <Route path=path!("/console/requests/new") view=NewRequestPage ssr=SsrMode::Async />
                        <Route path=path!("/console/requests/:id") view=RequestPage ssr=SsrMode::Async />
                        <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async />
                        <Route path=path!("/usage") view=UsagePage ssr=SsrMode::Async />
                        <Route path=path!("/onboarding") view=WizardPage ssr=SsrMode::Async />
                        <Route path=path!("/onboarding/:step") view=WizardPage ssr=SsrMode::Async />
                        <Route path=path!("/console/usage") view=ConsoleUsagePage ssr=SsrMode::Async />
                        <Route path=path!("/console/onboarding") view=OnboardingFunnelPage ssr=SsrMode::Async />
                        <Route path=path!("/console/demo") view=ConsoleDemoPage ssr=SsrMode::Async />
                        <Route path=path!("/console/members") view=ConsoleMembersPage ssr=SsrMode::Async />
                        <Route path=path!("/console/tenants") view=ConsoleTenantsPage ssr=SsrMode::Async />
                        <Route path=path!("/console/tenants/:id") view=ConsoleTenantPage ssr=SsrMode::Async />
                        <Route path=path!("/invitations/:token") view=InvitationPage ssr=SsrMode::Async />
                    </Routes>
                </Layout>
            </Router>
        </I18nProvider>
    }
}
