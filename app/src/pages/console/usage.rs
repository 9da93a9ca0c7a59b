//! `/console/usage`: the calls to and of one's tenant (the platform's for a platform
//! admin), on the usage dashboard ([`crate::components::usage_dashboard`]).

use crate::components::usage_dashboard::DashboardPage;
use leptos::prelude::*;

/// `/console/usage`.
#[component]
pub fn ConsoleUsagePage() -> impl IntoView {
    view! { <DashboardPage console=true /> }
}
