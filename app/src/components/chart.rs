//! The usage charts, drawn on the server as SVG, each with its data as a table: calls per
//! point (succeeded and failed stacked) and latency percentiles.

use crate::components::data_table::DataTable;
use crate::domain::chart::ticks;
use crate::domain::language::Language;
use crate::domain::numbers::{count, decimal, millis};
use crate::model::metering::{Figures, Granularity, UsagePoint};
use crate::tr;
use leptos::prelude::*;

/// A bucket's label on the x axis and in the tables.
fn bucket_label(at: &str, g: Granularity) -> String {
    // RFC 3339: YYYY-MM-DDTHH:MM:SSZ.
    match g {
        Granularity::Day => at.get(0..10).unwrap_or(at).to_owned(),
        Granularity::Month => at.get(0..7).unwrap_or(at).to_owned(),
        _ if at.len() >= 16 => format!("{} {}", &at[5..10], &at[11..16]),
        _ => at.to_owned(),
    }
}

const W: f64 = 640.0;

const H: f64 = 220.0;

const LEFT: f64 = 56.0;

const BOTTOM: f64 = 28.0;

const TOP: f64 = 10.0;

/// A coordinate of a chart, to the unit (the charts are 640 units wide, about as many
/// pixels: finer digits only weigh on the page).
fn coord(v: f64) -> String {
    format!("{v:.0}")
}

/// Axes, horizontal grid lines with their values, and three x labels.
fn axes(top: f64, steps: &[f64], labels: [(f64, String); 3], unit: &str, lang: Language) -> impl IntoView {
    let plot_h = H - BOTTOM - TOP;
    let y = move |v: f64| TOP + plot_h - v / top * plot_h;
    view! {
        {steps.iter().map(|v| {
            let yy = y(*v);
            view! {
                <line x1=LEFT x2=W y1=coord(yy) y2=coord(yy) stroke="currentColor" stroke-opacity="0.15" />
                <text x=LEFT - 6.0 y=coord(yy + 4.0) text-anchor="end" font-size="11" fill="currentColor">
                    {format!("{}{unit}", decimal(*v, if *v < 10.0 && v.fract() != 0.0 { 1 } else { 0 }, lang))}
                </text>
            }
        }).collect_view()}
        <line x1=LEFT x2=W y1=H - BOTTOM y2=H - BOTTOM stroke="currentColor" stroke-opacity="0.5" />
        {labels.into_iter().enumerate().map(|(i, (x, l))| {
            let anchor = ["start", "middle", "end"][i];
            view! { <text x=x y=H - 8.0 text-anchor=anchor font-size="11" fill="currentColor">{l}</text> }
        }).collect_view()}
    }
}

fn x_labels(points: &[UsagePoint], g: Granularity) -> [(f64, String); 3] {
    let label = |i: usize| points.get(i).map(|p| bucket_label(&p.at, g)).unwrap_or_default();
    let n = points.len().max(1);
    [(LEFT, label(0)), ((LEFT + W) / 2.0, label(n / 2)), (W, label(n - 1))]
}

/// Calls per bucket, succeeded and not, stacked.
#[component]
pub fn CallsChart(points: Vec<UsagePoint>, granularity: Granularity, lang: Language) -> impl IntoView {
    let max = points.iter().map(|p| p.figures.calls).max().unwrap_or(0) as f64;
    let (top, steps) = ticks(max);
    let plot_h = H - BOTTOM - TOP;
    let n = points.len().max(1) as f64;
    let slot = (W - LEFT) / n;
    let bar = (slot * 0.8).max(0.5);
    let h = move |v: u64| v as f64 / top * plot_h;
    let bar_x = move |i: usize| LEFT + slot * i as f64 + (slot - bar) / 2.0;
    let labels = x_labels(&points, granularity);
    let rows = points.clone();
    view! {
        <h2 id="usage-calls-chart" class="text-lg font-semibold">{tr!("usage-calls-chart")}</h2>
        <svg viewBox=format!("0 0 {W} {H}") class="mt-2 w-full text-slate-600 dark:text-slate-300" role="img" aria-labelledby="usage-calls-chart usage-calls-chart-desc">
            <desc id="usage-calls-chart-desc">{tr!("usage-calls-chart-desc")}</desc>
            {axes(top, &steps, labels, "", lang)}
            // One group per colour; empty bars are not drawn.
            <g class="fill-emerald-600 dark:fill-emerald-400">
                {points.iter().enumerate().filter(|(_, p)| p.figures.success > 0).map(|(i, p)| {
                    let ok = h(p.figures.success);
                    view! { <rect x=coord(bar_x(i)) y=coord(H - BOTTOM - ok) width=coord(bar) height=coord(ok) /> }
                }).collect_view()}
            </g>
            <g class="fill-rose-600 dark:fill-rose-400">
                {points.iter().enumerate().filter(|(_, p)| p.figures.errors > 0).map(|(i, p)| {
                    let (ok, bad) = (h(p.figures.success), h(p.figures.errors));
                    view! { <rect x=coord(bar_x(i)) y=coord(H - BOTTOM - ok - bad) width=coord(bar) height=coord(bad) /> }
                }).collect_view()}
            </g>
        </svg>
        <ul class="mt-2 flex gap-4 text-sm">
            <li><span aria-hidden="true" class="mr-1 inline-block h-3 w-3 rounded-sm bg-emerald-600 dark:bg-emerald-400"></span>{tr!("usage-status-success")}</li>
            <li><span aria-hidden="true" class="mr-1 inline-block h-3 w-3 rounded-sm bg-rose-600 dark:bg-rose-400"></span>{tr!("usage-errors")}</li>
        </ul>
        <details class="mt-2" id="usage-calls-data">
            <summary class="cursor-pointer text-sm font-medium">{tr!("usage-chart-data")}</summary>
            <DataTable caption=tr!("usage-calls-chart")
                head=vec![tr!("usage-col-time"), tr!("usage-calls"), tr!("usage-status-success"), tr!("usage-errors")]
                rows=rows.iter().map(|p| vec![bucket_label(&p.at, granularity), count(p.figures.calls, lang), count(p.figures.success, lang), count(p.figures.errors, lang)]).collect() />
        </details>
    }
}

/// p50, p95 and p99 per bucket, as lines (gaps where a bucket had no call).
#[component]
pub fn LatencyChart(points: Vec<UsagePoint>, granularity: Granularity, lang: Language) -> impl IntoView {
    let max = points.iter().filter_map(|p| p.figures.p99_ms).fold(0.0, f64::max);
    let (top, steps) = ticks(max);
    let plot_h = H - BOTTOM - TOP;
    let n = points.len().max(1) as f64;
    let slot = (W - LEFT) / n;
    let labels = x_labels(&points, granularity);
    let line = |pick: fn(&Figures) -> Option<f64>| {
        let mut d = String::new();
        let mut pen_down = false;
        for (i, p) in points.iter().enumerate() {
            match pick(&p.figures) {
                Some(v) => {
                    let x = LEFT + slot * (i as f64 + 0.5);
                    let y = TOP + plot_h - v.min(top) / top * plot_h;
                    d.push_str(&format!("{}{x:.1},{y:.1} ", if pen_down { "L" } else { "M" }));
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        d
    };
    let series = [
        ("p50", line(|f| f.p50_ms), "stroke-sky-600 dark:stroke-sky-400", "bg-sky-600 dark:bg-sky-400", "0"),
        (
            "p95",
            line(|f| f.p95_ms),
            "stroke-amber-600 dark:stroke-amber-400",
            "bg-amber-600 dark:bg-amber-400",
            "6 3",
        ),
        (
            "p99",
            line(|f| f.p99_ms),
            "stroke-rose-600 dark:stroke-rose-400",
            "bg-rose-600 dark:bg-rose-400",
            "2 2",
        ),
    ];
    let ms = move |v: Option<f64>| v.map(|v| millis(v, lang)).unwrap_or_else(|| "–".to_owned());
    view! {
        <h2 id="usage-latency-chart" class="text-lg font-semibold">{tr!("usage-latency-chart")}</h2>
        <svg viewBox=format!("0 0 {W} {H}") class="mt-2 w-full text-slate-600 dark:text-slate-300" role="img" aria-labelledby="usage-latency-chart usage-latency-chart-desc">
            <desc id="usage-latency-chart-desc">{tr!("usage-latency-chart-desc")}</desc>
            {axes(top, &steps, labels, " ms", lang)}
            {series.iter().map(|(_, d, class, _, dash)| view! {
                <path d=d.clone() fill="none" stroke-width="2" stroke-dasharray=*dash class=*class />
            }).collect_view()}
        </svg>
        <ul class="mt-2 flex gap-4 text-sm">
            {series.iter().map(|(name, _, _, swatch, _)| view! {
                <li><span aria-hidden="true" class=format!("mr-1 inline-block h-1 w-4 align-middle {swatch}")></span>{*name}</li>
            }).collect_view()}
        </ul>
        <details class="mt-2" id="usage-latency-data">
            <summary class="cursor-pointer text-sm font-medium">{tr!("usage-chart-data")}</summary>
            <DataTable caption=tr!("usage-latency-chart")
                head=vec![tr!("usage-col-time"), "p50 (ms)".to_owned(), "p95 (ms)".to_owned(), "p99 (ms)".to_owned()]
                rows=points.iter().map(|p| vec![bucket_label(&p.at, granularity), ms(p.figures.p50_ms), ms(p.figures.p95_ms), ms(p.figures.p99_ms)]).collect() />
        </details>
    }
}
