//! `/notifications`: what happened to the user's subscription requests, or what waits for
//! their decision; open one (marks it read), mark one or all read. And the header's bell.

use crate::api::notifications::{notifications_page, MarkAllNotificationsRead, MarkNotificationRead};
use crate::components::error_view::PageError;
use crate::components::load_once::LoadOnce;
use crate::components::pagination::Pagination;
use crate::components::rcdata::PageTitle;
use crate::components::ui::{BUTTON, NOTICE_OK, SECONDARY};
use crate::i18n::t;
use crate::model::notifications::NotificationList;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// `/notifications`.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let (page, marked) = use_query_map()
        .with_untracked(|q| (q.get("page").and_then(|p| p.parse::<i64>().ok()), q.get("marked")));
    let list = LoadOnce::new(notifications_page(page));
    view! {
        <PageTitle text=tr!("notif-title") />
        <Suspense fallback=|| view! { <p aria-busy="true">{tr!("loading")}</p> }>
            {move || {
                let (list, marked) = (list.clone(), marked.clone());
                Suspend::new(async move {
                    match list.get().await {
                        Ok(list) => view! { <Notifications list marked /> }.into_any(),
                        Err(e) => view! { <PageError error=e next="/notifications".to_owned() /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Notifications(list: NotificationList, marked: Option<String>) -> impl IntoView {
    let pages =
        (list.total + crate::model::notifications::PER_PAGE - 1) / crate::model::notifications::PER_PAGE;
    let empty = list.items.is_empty();
    view! {
        <section class="mx-auto max-w-3xl">
            <div class="flex flex-wrap items-end justify-between gap-4">
                <div>
                    <h1 class="text-3xl font-bold tracking-tight">{tr!("notif-heading")}</h1>
                    <p class="mt-2 text-slate-600 dark:text-slate-300">{tr!("notif-unread", { "count" => list.unread })}</p>
                </div>
                {(list.unread > 0).then(|| view! {
                    <form method="post" action=MarkAllNotificationsRead::url()>
                        <button type="submit" class=SECONDARY>{tr!("notif-mark-all")}</button>
                    </form>
                })}
            </div>
            {marked.map(|n| view! { <p role="status" class=NOTICE_OK>{tr!("notif-marked", { "count" => n.parse::<i64>().unwrap_or(0) })}</p> })}
            {empty.then(|| view! {
                <p class="mt-10 rounded-xl border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-300">{tr!("notif-empty")}</p>
            })}
            <ul class="mt-6 space-y-3">
                {list.items.into_iter().map(|n| {
                    let id = n.id.to_string();
                    let class = if n.read {
                        "rounded-xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
                    } else {
                        "rounded-xl border-2 border-indigo-300 bg-indigo-50/60 p-4 dark:border-indigo-800 dark:bg-indigo-950/40"
                    };
                    view! {
                        <li class=class data-notification=n.kind.clone() data-read=n.read.to_string()>
                            <div class="flex flex-wrap items-start justify-between gap-3">
                                <div>
                                    <p class="font-medium">
                                        {(!n.read).then(|| view! { <span class="sr-only">{tr!("notif-new")} " "</span> })}
                                        {match &n.decided {
                                            Some(_) => t(&format!("notif-decided-{}", n.kind)),
                                            None => t(&format!("notif-{}", n.kind)),
                                        }}
                                    </p>
                                    {n.decided.clone().map(|outcome| view! {
                                        <p class="mt-1 text-sm font-medium" data-decided=outcome.clone()>
                                            {crate::i18n::t_with(&format!("notif-outcome-{outcome}"), "by", n.decided_by.clone().unwrap_or_default())}
                                        </p>
                                    })}
                                    <p class="mt-1 text-sm text-slate-700 dark:text-slate-300">{n.subject.clone()}</p>
                                    {n.reason.clone().map(|r| view! { <p class="mt-1 text-sm">{tr!("sub-reason")} " " <q>{r}</q></p> })}
                                    <p class="mt-1 text-xs text-slate-600 dark:text-slate-400"><crate::components::when::When at=n.created_at.clone() /></p>
                                </div>
                                <div class="flex gap-2">
                                    <form method="post" action=MarkNotificationRead::url()>
                                        <input type="hidden" name="id" value=id.clone() />
                                        <input type="hidden" name="next" value=n.link.clone() />
                                        <button type="submit" class=BUTTON>{tr!("notif-open")}</button>
                                    </form>
                                    {(!n.read).then(|| view! {
                                        <form method="post" action=MarkNotificationRead::url()>
                                            <input type="hidden" name="id" value=id.clone() />
                                            <button type="submit" class=SECONDARY>{tr!("notif-mark-read")}</button>
                                        </form>
                                    })}
                                </div>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Pagination label=tr!("notif-pagination") page=list.page pages href=|p| format!("/notifications?page={p}") />
        </section>
    }
}
