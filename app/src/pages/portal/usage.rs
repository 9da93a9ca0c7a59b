//! `/usage`: the calls of one's own applications, on the usage dashboard
//! ([`crate::components::usage_dashboard`]).

use crate::components::usage_dashboard::DashboardPage;
use leptos::prelude::*;

/// `/usage`.
#[component]
pub fn UsagePage() -> impl IntoView {
    view! { <DashboardPage console=false /> }
}
