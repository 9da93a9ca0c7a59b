//! STOA's own demo backends (`/demo-backends/…`): the demo tenant's APIs answered in
//! process — by the server's route for direct calls, and by the gateway for the demo
//! APIs' deployments (their documents name a server relative to the portal), never over
//! the network. Off with `DEMO=off`.

use crate::domain::demo_weather;
use serde_json::Value;

/// The prefix of every demo backend's path.
pub const PREFIX: &str = "/demo-backends/";

/// What the demo backend at `path` (from `/demo-backends/`) answers to `method` with
/// `query`: a status and a JSON body; none when no backend is there.
pub fn answer(method: &str, path: &str, query: Option<&str>) -> Option<(u16, Value)> {
    let pairs: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()).into_owned().collect();
    let today = chrono::Utc::now().date_naive();
    let rest = path.strip_prefix(demo_weather::BASE)?;
    (rest.is_empty() || rest.starts_with('/')).then(|| demo_weather::answer(method, rest, &pairs, today))
}
