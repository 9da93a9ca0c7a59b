//! The header's bell: unread notifications, a link to them.

use crate::api::notifications::unread_notifications;
use crate::components::load_once::LoadOnce;
use crate::tr;
use leptos::prelude::*;

/// The header's bell: a link to `/notifications` with the unread count.
#[component]
pub fn Bell() -> impl IntoView {
    let unread = LoadOnce::new(unread_notifications());
    let link = |n: i64| {
        let label = tr!("notif-bell", { "count" => n });
        view! {
            <a href="/notifications" aria-label=label.clone() title=label id="bell"
                class="relative rounded-md p-2 text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800">
                <svg aria-hidden="true" viewBox="0 0 24 24" class="h-5 w-5" fill="none" stroke="currentColor" stroke-width="2">
                    <path d="M18 8a6 6 0 10-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 01-3.4 0" />
                </svg>
                {(n > 0).then(|| view! {
                    <span data-unread=n class="absolute right-0 top-0 grid h-5 min-w-5 place-items-center rounded-full bg-rose-600 px-1 text-xs font-bold text-white">{n}</span>
                })}
            </a>
        }
    };
    view! {
        <Suspense fallback=move || link(0)>
            {move || {
                let unread = unread.clone();
                Suspend::new(async move { link(unread.get().await.unwrap_or(0)) })
            }}
        </Suspense>
    }
}
