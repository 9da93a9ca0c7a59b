//! `make soak` (scripts/soak.sh): mixed traffic at a fixed number of connections against
//! the two-replica cluster, for a fixed time. Per kind of request: count, unexpected
//! statuses, p50/p95/p99; each replica's RSS every 10 s (after the first minute it must
//! not grow by more than 10 %: the last minute's peak against the second minute's), with
//! its slope; a plot of RSS and p99 over time (SVG).
//!
//! Settings (environment): SOAK_URL (the load balancer), DATABASE_URL (for the soak's
//! plan), SOAK_SECONDS (600), SOAK_CONNECTIONS (64), SOAK_PIDS (the replicas' process
//! ids, comma-separated), SOAK_OUT (target/soak). Exits 1 on any unexpected status or
//! on RSS growth above 10 %.

use serde_json::{json, Value};
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The least-squares slope of (seconds, KiB) samples, in MiB per minute.
fn slope_mib_per_min(samples: &[(f64, u64)]) -> f64 {
    let n = samples.len() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mean_t = samples.iter().map(|(t, _)| t).sum::<f64>() / n;
    let mean_v = samples.iter().map(|(_, v)| *v as f64).sum::<f64>() / n;
    let cov: f64 = samples.iter().map(|(t, v)| (t - mean_t) * (*v as f64 - mean_v)).sum();
    let var: f64 = samples.iter().map(|(t, _)| (t - mean_t).powi(2)).sum();
    if var == 0.0 {
        0.0
    } else {
        cov / var * 60.0 / 1024.0
    }
}

/// The kinds of request, their share of the traffic (out of 100) and what they answer.
const KINDS: [(&str, u32); 8] = [
    ("catalog page", 14),
    ("catalog search", 12),
    ("API page", 12),
    ("key verification", 16),
    ("gateway call", 30),
    ("sign-in", 2),
    ("subscription request + decision", 8),
    ("promotion request + decision", 6),
];
const WINDOW: Duration = Duration::from_secs(10);

struct Sample {
    kind: usize,
    ok: bool,
    micros: u32,
    at: Duration,
}

struct Shared {
    base: String,
    client: reqwest::Client,
    key: String,
    alice: String,
    tara: String,
    dave: String,
    /// One application per connection for the subscription journey (one live
    /// subscription per application and API).
    apps: Vec<String>,
}

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

async fn sign_in(client: &reqwest::Client, base: &str, user: &str) -> Result<String, String> {
    let res = client
        .post(format!("{base}/api/login"))
        .header("accept", "text/html")
        .form(&[("username", user), ("password", "stoa-demo"), ("next", "/")])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !res.status().is_redirection() {
        return Err(format!("sign-in of {user}: {}", res.status()));
    }
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("stoa_session="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
        .ok_or_else(|| format!("sign-in of {user}: no session cookie"))
}

async fn json(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    cookie: &str,
    body: Value,
) -> Result<(u16, Value), String> {
    let res = client
        .request(method, url)
        .header("cookie", cookie)
        .json(&body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let text = res.text().await.map_err(|e| e.to_string())?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

/// The soak's client: alice's application with a key on a plan without limits (the
/// gateway's checks all run; none refuses), and one application per connection.
async fn setup(base: &str, connections: usize) -> Result<Shared, String> {
    let url = std::env::var("DATABASE_URL").map_err(|_| "DATABASE_URL is not set".to_owned())?;
    let pool = sqlx::PgPool::connect(&url).await.map_err(|e| e.to_string())?;
    let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
    app::db::plans::upsert(
        &mut conn,
        &app::db::plans::NewPlan {
            slug: "soak",
            name: "Soak",
            description: "The soak test's plan: no limits.",
            ..app::db::plans::NewPlan::starting("demo")
        },
    )
    .await
    .map_err(|e| e.to_string())?;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;
    let (alice, tara, dave) = (
        sign_in(&client, base, "alice").await?,
        sign_in(&client, base, "tara").await?,
        sign_in(&client, base, "dave").await?,
    );
    let post = reqwest::Method::POST;
    let run = std::process::id();
    let new_app = |name: String| {
        let (client, alice) = (client.clone(), alice.clone());
        async move {
            let body = json!({ "name": name, "security_profile": "api_key" });
            match json(&client, reqwest::Method::POST, format!("{base}/v1/applications"), &alice, body)
                .await?
            {
                (201, v) => Ok::<_, String>(v["id"].as_str().unwrap_or_default().to_owned()),
                (s, v) => Err(format!("application: {s} {v}")),
            }
        }
    };
    let client_app = new_app(format!("Soak client {run}")).await?;
    let (_, key) =
        json(&client, post.clone(), format!("{base}/v1/applications/{client_app}/keys"), &alice, json!({}))
            .await?;
    let key = key["secret"].as_str().ok_or("no key secret")?.to_owned();
    let body = json!({ "application_id": client_app, "tenant": "demo", "entry": "weather-forecast", "plan": "soak" });
    let (status, sub) = json(&client, post, format!("{base}/v1/subscriptions"), &alice, body).await?;
    if status != 201 {
        return Err(format!("subscription: {status} {sub}"));
    }
    let mut apps = Vec::new();
    for i in 0..connections {
        apps.push(new_app(format!("Soak approvals {run}-{i}")).await?);
    }
    Ok(Shared { base: base.to_owned(), client, key, alice, tara, dave, apps })
}

/// One request (or journey) of `kind` on connection `worker`; whether every answer was
/// the expected one, and what it was otherwise.
async fn one(s: &Shared, kind: usize, worker: usize, n: u64) -> Result<(), String> {
    let (c, b) = (&s.client, &s.base);
    let expect = |what: &str, got: u16, want: u16| {
        if got == want {
            Ok(())
        } else {
            Err(format!("{what}: {got}, expected {want}"))
        }
    };
    let get = |path: String| async move {
        let res = c.get(format!("{b}{path}")).header("accept-language", "en").send().await;
        match res {
            Ok(r) => {
                let status = r.status().as_u16();
                let _ = r.bytes().await;
                Ok(status)
            }
            Err(e) => Err(e.to_string()),
        }
    };
    match kind {
        0 => expect("/catalog", get("/catalog".into()).await?, 200),
        1 => {
            let q = ["weather", "payments", "crm", "forecast alerts"][(n % 4) as usize];
            expect("/catalog?q=", get(format!("/catalog?q={}", q.replace(' ', "+"))).await?, 200)
        }
        2 => expect("API page", get("/apis/demo/weather-forecast".into()).await?, 200),
        3 => {
            let (status, v) =
                json(c, reqwest::Method::POST, format!("{b}/v1/keys/verify"), "", json!({ "key": s.key }))
                    .await?;
            expect("verify", status, 200)?;
            if v["valid"] == false {
                return Err(format!("verify: {v}"));
            }
            Ok(())
        }
        4 => {
            let place = ["paris", "lyon", "berlin", "madrid"][(n % 4) as usize];
            let res = c
                .get(format!("{b}/gw/demo/weather-forecast/places/{place}"))
                .header("x-api-key", &s.key)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let status = res.status().as_u16();
            let _ = res.bytes().await;
            // A place the demo does not know is the backend's 404: still a right answer.
            if status == 200 || status == 404 {
                Ok(())
            } else {
                Err(format!("gateway: {status}"))
            }
        }
        5 => sign_in(c, b, ["bob", "carol", "alice"][(n % 3) as usize]).await.map(|_| ()),
        6 => {
            // Alice asks for premium (it waits for an approver); Tara decides.
            let body = json!({ "application_id": s.apps[worker], "tenant": "demo", "entry": "weather-forecast", "plan": "premium" });
            let (status, sub) =
                json(c, reqwest::Method::POST, format!("{b}/v1/subscriptions"), &s.alice, body).await?;
            expect("subscribe", status, 201)?;
            let id = sub["id"].as_str().unwrap_or_default();
            let body = json!({ "action": "reject", "reason": "Soak: premium is for production." });
            let (status, _) =
                json(c, reqwest::Method::POST, format!("{b}/v1/subscriptions/{id}/decision"), &s.tara, body)
                    .await?;
            expect("decide", status, 200)
        }
        _ => {
            let body = json!({
                "target_name": "weather-forecast", "target_version": "1.1.0",
                "justification": "Soak: customers need the alerts endpoint in production.",
                "impact": "medium", "release_notes": "Soak.", "rollback_plan": "Redeploy the previous version.",
                "staging_tests_passed": true, "security_scan_passed": true, "evidence_url": "https://ci.example/soak",
            });
            let (status, req) =
                json(c, reqwest::Method::POST, format!("{b}/v1/requests/prod"), &s.dave, body).await?;
            expect("promotion request", status, 201)?;
            let id = req["id"].as_str().unwrap_or_default();
            let body = json!({ "reason": "Soak: not this week." });
            let (status, _) =
                json(c, reqwest::Method::POST, format!("{b}/v1/requests/prod/{id}/reject"), &s.tara, body)
                    .await?;
            expect("promotion decision", status, 200)
        }
    }
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    f64::from(sorted[i]) / 1000.0
}

/// Two panels: RSS per replica (MiB) and p99 of all requests (ms), over minutes.
fn plot(rss: &[(f64, Vec<u64>)], p99: &[(f64, f64)], replicas: usize) -> String {
    let (w, h, pad) = (760.0, 240.0, 50.0);
    let t_max = rss.last().map_or(1.0, |r| r.0).max(p99.last().map_or(1.0, |p| p.0)).max(1.0);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{}" font-family="sans-serif" font-size="12">"#,
        2.0 * h + 40.0
    );
    let colors = ["#2563eb", "#dc2626", "#16a34a", "#9333ea"];
    let mut panel = |top: f64, title: &str, unit: &str, series: Vec<(String, Vec<(f64, f64)>)>| {
        let y_max = series.iter().flat_map(|s| s.1.iter().map(|p| p.1)).fold(1.0f64, f64::max) * 1.1;
        let x = |t: f64| pad + (w - 2.0 * pad) * t / t_max;
        let y = |v: f64| top + h - pad + -(h - 2.0 * pad) * v / y_max;
        let _ = write!(
            svg,
            r#"<text x="{pad}" y="{}" font-weight="bold">{title}</text><line x1="{pad}" y1="{}" x2="{}" y2="{}" stroke="black"/><line x1="{pad}" y1="{}" x2="{pad}" y2="{}" stroke="black"/><text x="{}" y="{}">{t_max:.0} s</text><text x="4" y="{}">{y_max:.0} {unit}</text><text x="4" y="{}">0</text>"#,
            top + 20.0,
            y(0.0),
            w - pad,
            y(0.0),
            y(0.0),
            y(y_max),
            w - pad - 30.0,
            y(0.0) + 16.0,
            y(y_max) + 4.0,
            y(0.0)
        );
        for (i, (label, points)) in series.iter().enumerate() {
            let color = colors[i % colors.len()];
            let pts: Vec<String> = points.iter().map(|(t, v)| format!("{:.1},{:.1}", x(*t), y(*v))).collect();
            let _ = write!(
                svg,
                r#"<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{}"/><text x="{}" y="{}" fill="{color}">{label}</text>"#,
                pts.join(" "),
                w - pad - 120.0,
                top + 20.0 + 14.0 * i as f64
            );
        }
    };
    let rss_series = (0..replicas)
        .map(|r| {
            (
                format!("replica {} RSS", r + 1),
                rss.iter().map(|(t, v)| (*t, v.get(r).copied().unwrap_or(0) as f64 / 1024.0)).collect(),
            )
        })
        .collect();
    panel(0.0, "RSS per replica", "MiB", rss_series);
    panel(h + 20.0, "p99 of all requests, per 10 s", "ms", vec![("p99".to_owned(), p99.to_vec())]);
    svg.push_str("</svg>");
    svg
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let base = env("SOAK_URL", "http://127.0.0.1:3300");
    let seconds: u64 = env("SOAK_SECONDS", "600").parse().unwrap_or(600);
    let connections: usize = env("SOAK_CONNECTIONS", "64").parse().unwrap_or(64);
    let pids: Vec<u32> = env("SOAK_PIDS", "").split(',').filter_map(|p| p.trim().parse().ok()).collect();
    let out = std::path::PathBuf::from(env("SOAK_OUT", "target/soak"));
    let _ = std::fs::create_dir_all(&out);
    let shared = match setup(&base, connections).await {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("soak setup failed: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("soak: {connections} connections for {seconds} s against {base}; replicas {pids:?}");
    let start = Instant::now();
    let end = start + Duration::from_secs(seconds);
    let total: u32 = KINDS.iter().map(|k| k.1).sum();
    let workers: Vec<_> = (0..connections)
        .map(|w| {
            let s = shared.clone();
            tokio::spawn(async move {
                let mut samples = Vec::new();
                let mut failures = Vec::new();
                let mut n = w as u64 * 7919;
                while Instant::now() < end {
                    n += 1;
                    // A fixed walk through the weights, shifted per connection.
                    let mut pick = (n.wrapping_mul(2_654_435_761) % u64::from(total)) as u32;
                    let kind = KINDS.iter().position(|k| {
                        if pick < k.1 {
                            true
                        } else {
                            pick -= k.1;
                            false
                        }
                    });
                    let kind = kind.unwrap_or(0);
                    let t0 = Instant::now();
                    let result = one(&s, kind, w, n).await;
                    let micros = t0.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
                    if let Err(e) = &result {
                        if failures.len() < 5 {
                            failures.push(format!("{}: {e}", KINDS[kind].0));
                        }
                    }
                    samples.push(Sample { kind, ok: result.is_ok(), micros, at: t0 - start });
                }
                (samples, failures)
            })
        })
        .collect();
    // RSS every 10 s.
    let mut rss: Vec<(f64, Vec<u64>)> = Vec::new();
    while Instant::now() < end {
        rss.push((start.elapsed().as_secs_f64(), pids.iter().map(|p| rss_kib(*p).unwrap_or(0)).collect()));
        tokio::time::sleep(WINDOW.min(end.saturating_duration_since(Instant::now()))).await;
    }
    rss.push((start.elapsed().as_secs_f64(), pids.iter().map(|p| rss_kib(*p).unwrap_or(0)).collect()));
    let mut samples = Vec::new();
    let mut failures = Vec::new();
    for w in workers {
        if let Ok((s, f)) = w.await {
            samples.extend(s);
            failures.extend(f);
        }
    }

    // Per kind: count, unexpected, p50/p95/p99.
    let mut report = String::new();
    let _ = writeln!(
        report,
        "| kind | count | unexpected | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|"
    );
    let mut unexpected = 0usize;
    for (k, (name, _)) in KINDS.iter().enumerate() {
        let mut lat: Vec<u32> = samples.iter().filter(|s| s.kind == k).map(|s| s.micros).collect();
        lat.sort_unstable();
        let bad = samples.iter().filter(|s| s.kind == k && !s.ok).count();
        unexpected += bad;
        let _ = writeln!(
            report,
            "| {name} | {} | {bad} | {:.1} | {:.1} | {:.1} |",
            lat.len(),
            percentile(&lat, 0.50),
            percentile(&lat, 0.95),
            percentile(&lat, 0.99)
        );
    }
    let secs = start.elapsed().as_secs_f64();
    let _ = writeln!(
        report,
        "\n{} requests in {secs:.0} s ({:.0}/s), {unexpected} unexpected",
        samples.len(),
        samples.len() as f64 / secs
    );
    // p99 per window.
    let windows = (secs / WINDOW.as_secs_f64()).ceil() as usize;
    let mut p99 = Vec::new();
    for i in 0..windows {
        let mut lat: Vec<u32> = samples
            .iter()
            .filter(|s| s.at.as_secs_f64() >= i as f64 * 10.0 && s.at.as_secs_f64() < (i + 1) as f64 * 10.0)
            .map(|s| s.micros)
            .collect();
        lat.sort_unstable();
        if !lat.is_empty() {
            p99.push(((i as f64 + 0.5) * 10.0, percentile(&lat, 0.99)));
        }
    }
    // RSS after the first minute, per replica. The allocator hands freed pages back in
    // waves, so one sample swings by tens of MiB: the verdict compares the highest sample
    // of the second minute with the highest of the last one (a leak lifts both the peaks
    // and the troughs), and the slope is a least-squares line through every sample after
    // the first minute.
    let mut too_much = false;
    let _ = writeln!(
        report,
        "\n| replica | peak in minute 2 | peak in the last minute | growth | slope after minute 1 | lowest / highest after minute 1 |\n|---|---:|---:|---:|---:|---:|"
    );
    for r in 0..pids.len() {
        let after: Vec<(f64, u64)> =
            rss.iter().filter(|(t, _)| *t >= 60.0).map(|(t, v)| (*t, v[r])).collect();
        let Some(&(last_t, _)) = after.last() else { continue };
        let peak_in = |from: f64, to: f64| {
            after.iter().filter(|(t, _)| *t >= from && *t < to).map(|(_, v)| *v).max().unwrap_or(0)
        };
        let second = peak_in(60.0, 120.0);
        let last = peak_in((last_t - 60.0).max(60.0), f64::MAX);
        let growth = (last as f64 / second.max(1) as f64 - 1.0) * 100.0;
        too_much |= growth > 10.0;
        let slope = slope_mib_per_min(&after);
        let low = after.iter().map(|(_, v)| *v).min().unwrap_or(0);
        let high = after.iter().map(|(_, v)| *v).max().unwrap_or(0);
        let mib = |kib: u64| kib as f64 / 1024.0;
        let _ = writeln!(
            report,
            "| {} | {:.1} MiB | {:.1} MiB | {growth:+.1} % | {slope:+.2} MiB/min | {:.1} / {:.1} MiB |",
            r + 1,
            mib(second),
            mib(last),
            mib(low),
            mib(high)
        );
    }
    if !failures.is_empty() {
        let _ = writeln!(report, "\nFirst unexpected answers:\n");
        for f in &failures {
            let _ = writeln!(report, "- {f}");
        }
    }
    print!("{report}");
    let _ = std::fs::write(out.join("results.md"), &report);
    let _ = std::fs::write(out.join("soak.svg"), plot(&rss, &p99, pids.len()));
    let csv: String = rss
        .iter()
        .map(|(t, v)| format!("{t:.0},{}\n", v.iter().map(u64::to_string).collect::<Vec<_>>().join(",")))
        .collect();
    let _ = std::fs::write(
        out.join("rss.csv"),
        format!(
            "seconds,{}\n{csv}",
            (1..=pids.len()).map(|r| format!("replica{r}_kib")).collect::<Vec<_>>().join(",")
        ),
    );
    println!("results: {}/results.md, plot: {}/soak.svg", out.display(), out.display());
    if unexpected > 0 || too_much {
        std::process::ExitCode::FAILURE
    } else {
        std::process::ExitCode::SUCCESS
    }
}
