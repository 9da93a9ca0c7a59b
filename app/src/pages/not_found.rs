//! The page for any path no route knows; answered with status 404.

use crate::components::error_view::ErrorView;
use crate::components::rcdata::PageTitle;
use crate::error::AppError;
use crate::tr;
use leptos::prelude::*;

/// Router fallback.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <PageTitle text=tr!("not-found-title") />
        <ErrorView error=AppError::NotFound />
    }
}
