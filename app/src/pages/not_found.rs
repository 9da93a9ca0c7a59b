//! The page for any path no route knows; answered with status 404.

use crate::components::error_view::ErrorView;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_fluent::tr;
use leptos_meta::Title;

/// Router fallback.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Title text=tr!("not-found-title") />
        <ErrorView error=AppError::NotFound />
    }
}
