//! The demo tenant's Weather Forecast API as a live backend (served in-process under
//! `/demo-backends/weather/v1`): its OpenAPI document, and the answer to each of its
//! operations — deterministic (the same place and date always give the same forecast),
//! plausible (seasons, climates, hemispheres), and checked against the document's
//! parameters (400 with a reason otherwise).

use super::catalog::{r, DemoApi};
use super::kit::{error, fnv, limit, param, unit, Reply, Request};
use super::mcp::{arg, tool, RestCall};
use super::{Answers, Backend, McpServer};
use crate::domain::catalog::{Audience, AuthType};
use crate::domain::mcp::McpTool;
use crate::domain::openapi::Format;
use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{json, Value};

/// Where the backend is served, relative to the portal (the document's server).
pub const BASE: &str = "/demo-backends/weather/v1";

/// The longest forecast, in days.
pub const MAX_DAYS: i64 = 14;

/// A place the backend knows: id, name, country, latitude, longitude, time zone, mean
/// temperature (°C) and half its yearly swing.
struct Place {
    id: &'static str,
    name: &'static str,
    country: &'static str,
    latitude: f64,
    longitude: f64,
    timezone: &'static str,
    mean_c: f64,
    swing_c: f64,
}

const PLACES: &[Place] = &[
    Place {
        id: "paris",
        name: "Paris",
        country: "FR",
        latitude: 48.857,
        longitude: 2.352,
        timezone: "Europe/Paris",
        mean_c: 12.5,
        swing_c: 8.0,
    },
    Place {
        id: "lyon",
        name: "Lyon",
        country: "FR",
        latitude: 45.764,
        longitude: 4.836,
        timezone: "Europe/Paris",
        mean_c: 12.8,
        swing_c: 9.5,
    },
    Place {
        id: "berlin",
        name: "Berlin",
        country: "DE",
        latitude: 52.520,
        longitude: 13.405,
        timezone: "Europe/Berlin",
        mean_c: 10.3,
        swing_c: 10.0,
    },
    Place {
        id: "munich",
        name: "Munich",
        country: "DE",
        latitude: 48.135,
        longitude: 11.582,
        timezone: "Europe/Berlin",
        mean_c: 9.1,
        swing_c: 10.0,
    },
    Place {
        id: "madrid",
        name: "Madrid",
        country: "ES",
        latitude: 40.417,
        longitude: -3.704,
        timezone: "Europe/Madrid",
        mean_c: 15.0,
        swing_c: 10.5,
    },
    Place {
        id: "barcelona",
        name: "Barcelona",
        country: "ES",
        latitude: 41.385,
        longitude: 2.173,
        timezone: "Europe/Madrid",
        mean_c: 16.5,
        swing_c: 7.5,
    },
    Place {
        id: "london",
        name: "London",
        country: "GB",
        latitude: 51.507,
        longitude: -0.128,
        timezone: "Europe/London",
        mean_c: 11.3,
        swing_c: 7.0,
    },
    Place {
        id: "new-york",
        name: "New York",
        country: "US",
        latitude: 40.713,
        longitude: -74.006,
        timezone: "America/New_York",
        mean_c: 12.9,
        swing_c: 12.0,
    },
    Place {
        id: "montreal",
        name: "Montréal",
        country: "CA",
        latitude: 45.502,
        longitude: -73.567,
        timezone: "America/Toronto",
        mean_c: 6.8,
        swing_c: 15.5,
    },
    Place {
        id: "tokyo",
        name: "Tokyo",
        country: "JP",
        latitude: 35.676,
        longitude: 139.650,
        timezone: "Asia/Tokyo",
        mean_c: 15.8,
        swing_c: 10.5,
    },
    Place {
        id: "sydney",
        name: "Sydney",
        country: "AU",
        latitude: -33.869,
        longitude: 151.209,
        timezone: "Australia/Sydney",
        mean_c: 18.4,
        swing_c: -5.0,
    },
    Place {
        id: "nairobi",
        name: "Nairobi",
        country: "KE",
        latitude: -1.292,
        longitude: 36.822,
        timezone: "Africa/Nairobi",
        mean_c: 19.0,
        swing_c: -1.5,
    },
];

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn place_json(p: &Place) -> Value {
    json!({
        "id": p.id, "name": p.name, "country": p.country,
        "latitude": p.latitude, "longitude": p.longitude, "timezone": p.timezone,
    })
}

fn find_place(key: &str) -> Option<&'static Place> {
    let key = key.trim().to_lowercase();
    PLACES.iter().find(|p| p.id == key || p.name.to_lowercase() == key)
}

/// One day's forecast for `p`: the season's temperature (the swing's sign says the
/// hemisphere), a little weather of the day, rain or snow on some days.
fn day(p: &Place, date: NaiveDate, imperial: bool) -> Value {
    let d = date.to_string();
    let season = (2.0 * std::f64::consts::PI * (f64::from(date.ordinal()) - 200.0) / 365.0).cos();
    let mean = p.mean_c + p.swing_c * season + (unit(&[p.id, &d, "t"]) - 0.5) * 6.0;
    let spread = 4.0 + unit(&[p.id, &d, "s"]) * 6.0;
    let (min_c, max_c) = (mean - spread / 2.0, mean + spread / 2.0);
    let wet = unit(&[p.id, &d, "p"]);
    let precipitation_mm = if wet > 0.62 { round1((wet - 0.62) * 40.0) } else { 0.0 };
    let wind_kmh = round1(5.0 + unit(&[p.id, &d, "w"]) * 35.0);
    let summary = match (precipitation_mm > 0.0, max_c < 1.0, wet) {
        (true, true, _) => "Snow",
        (true, false, w) if w > 0.85 => "Heavy rain",
        (true, false, _) => "Showers",
        (false, _, w) if w > 0.4 => "Partly cloudy",
        _ => "Sunny",
    };
    let t = |c: f64| if imperial { round1(c * 9.0 / 5.0 + 32.0) } else { round1(c) };
    json!({
        "date": d,
        "summary": summary,
        "temperature_min": t(min_c),
        "temperature_max": t(max_c),
        "precipitation_mm": precipitation_mm,
        "wind_speed": if imperial { round1(wind_kmh / 1.609) } else { wind_kmh },
    })
}

fn date_param(query: &[(String, String)], name: &str) -> Result<Option<NaiveDate>, Reply> {
    match param(query, name) {
        None | Some("") => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| error(400, "invalid_parameter", format!("{name} must be a date, YYYY-MM-DD"))),
    }
}

/// The answer to `method` `path` (below [`BASE`]) with `query`, `today` being the
/// current UTC date.
pub fn answer(method: &str, path: &str, query: &[(String, String)], today: NaiveDate) -> Reply {
    if method != "GET" && method != "HEAD" {
        return error(405, "method_not_allowed", "This API only reads: use GET.");
    }
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["places"] => places(query),
        ["places", id] => match find_place(id) {
            Some(p) => (200, place_json(p)),
            None => error(404, "unknown_place", format!("No place has the id {id:?}.")),
        },
        ["forecast"] => forecast(query, today),
        ["alerts"] => alerts(query, today),
        _ => error(404, "not_found", "No operation has that path."),
    }
}

fn places(query: &[(String, String)]) -> Reply {
    let Some(q) = param(query, "q").map(str::trim).filter(|q| !q.is_empty()) else {
        return error(400, "missing_parameter", "q is required: a part of a place's name.");
    };
    let limit = match limit(query, 5, 20) {
        Ok(n) => n,
        Err(e) => return e,
    };
    let q = q.to_lowercase();
    let items: Vec<Value> = PLACES
        .iter()
        .filter(|p| p.name.to_lowercase().contains(&q) || p.id.contains(&q))
        .take(limit)
        .map(place_json)
        .collect();
    (200, json!({ "items": items }))
}

fn forecast(query: &[(String, String)], today: NaiveDate) -> Reply {
    let Some(key) = param(query, "place").filter(|p| !p.trim().is_empty()) else {
        return error(400, "missing_parameter", "place is required: a place's id or name (see /places).");
    };
    let Some(p) = find_place(key) else {
        return error(404, "unknown_place", format!("No place is called {key:?}; search /places."));
    };
    let imperial = match param(query, "units").unwrap_or("metric") {
        "metric" => false,
        "imperial" => true,
        _ => return error(400, "invalid_parameter", "units must be metric or imperial"),
    };
    let from = match date_param(query, "from") {
        Ok(d) => d.unwrap_or(today),
        Err(e) => return e,
    };
    let to = match date_param(query, "to") {
        Ok(d) => d.unwrap_or(from + Duration::days(2)),
        Err(e) => return e,
    };
    if to < from {
        return error(400, "invalid_range", "to must not be before from");
    }
    if (to - from).num_days() >= MAX_DAYS {
        return error(400, "invalid_range", format!("A forecast covers at most {MAX_DAYS} days"));
    }
    let days: Vec<Value> =
        (0..=(to - from).num_days()).map(|i| day(p, from + Duration::days(i), imperial)).collect();
    (
        200,
        json!({ "place": place_json(p), "units": if imperial { "imperial" } else { "metric" }, "days": days }),
    )
}

fn alerts(query: &[(String, String)], today: NaiveDate) -> Reply {
    let Some(region) = param(query, "region").map(str::trim).filter(|r| !r.is_empty()) else {
        return error(400, "missing_parameter", "region is required: a country code (FR) or a place id.");
    };
    let region = region.to_uppercase();
    let known = PLACES.iter().any(|p| p.country == region || p.id.eq_ignore_ascii_case(&region));
    if !known {
        return error(404, "unknown_region", format!("No region is called {region:?}."));
    }
    let d = today.to_string();
    let items: Vec<Value> = (0..2)
        .filter(|i| unit(&[&region, &d, &i.to_string()]) < 0.35)
        .map(|i| {
            let kind = ["Wind", "Heat", "Thunderstorm", "Flood", "Snow and ice"]
                [(fnv(&[&region, &d, "k", &i.to_string()]) % 5) as usize];
            let severity =
                ["minor", "moderate", "severe"][(fnv(&[&region, &d, "v", &i.to_string()]) % 3) as usize];
            json!({
                "id": format!("{}-{}-{i}", region.to_lowercase(), today.format("%Y%m%d")),
                "severity": severity,
                "headline": format!("{kind} warning"),
                "starts_at": format!("{d}T06:00:00Z"),
                "expires_at": format!("{}T06:00:00Z", today + Duration::days(1)),
            })
        })
        .collect();
    (200, json!({ "region": region, "items": items }))
}

/// The date the document's examples are computed for (the backend gives the same answer
/// for the same dates).
fn example_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default()
}

fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// The API's OpenAPI document, `version` in its info; its examples are what the backend
/// answers.
pub fn document(version: &str, description: &str) -> Value {
    let day0 = example_day();
    let example = |path: &str, pairs: &[(&str, &str)]| answer("GET", path, &q(pairs), day0).1;
    let err = |d: &str| json!({ "description": d, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } });
    let ok = |d: &str, schema: &str, ex: Value| {
        json!({ "description": d, "content": { "application/json": {
        "schema": { "$ref": format!("#/components/schemas/{schema}") }, "example": ex } } })
    };
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Weather Forecast API", "version": version, "description": description },
        "servers": [{ "url": BASE, "description": "STOA's demo backend (answers offline)" }],
        "security": [{ "apiKey": [] }],
        "tags": [{ "name": "Places" }, { "name": "Forecasts" }, { "name": "Alerts" }],
        "paths": {
            "/places": { "get": {
                "operationId": "searchPlaces", "summary": "Find places by name", "tags": ["Places"],
                "parameters": [
                    { "name": "q", "in": "query", "required": true, "description": "A part of the place's name.", "schema": { "type": "string", "minLength": 1 }, "example": "par" },
                    { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 20, "default": 5 } }
                ],
                "responses": {
                    "200": ok("The places whose name holds `q`.", "PlaceList", example("/places", &[("q", "par")])),
                    "400": err("`q` missing or `limit` out of range.")
                }
            } },
            "/places/{id}": { "get": {
                "operationId": "getPlace", "summary": "One place", "tags": ["Places"],
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string", "pattern": "^[a-z-]+$" }, "example": "paris" }],
                "responses": {
                    "200": ok("The place.", "Place", example("/places/paris", &[])),
                    "404": err("No such place.")
                }
            } },
            "/forecast": { "get": {
                "operationId": "getForecast", "summary": "Daily forecast for a place and a date range", "tags": ["Forecasts"],
                "description": "One entry per day from `from` to `to` (at most 14 days; by default today and the next two days).",
                "parameters": [
                    { "name": "place", "in": "query", "required": true, "description": "A place's id or name (see `/places`).", "schema": { "type": "string", "minLength": 1 }, "example": "paris" },
                    { "name": "from", "in": "query", "schema": { "type": "string", "format": "date" }, "example": "2026-06-01" },
                    { "name": "to", "in": "query", "schema": { "type": "string", "format": "date" }, "example": "2026-06-03" },
                    { "name": "units", "in": "query", "schema": { "type": "string", "enum": ["metric", "imperial"], "default": "metric" } }
                ],
                "responses": {
                    "200": ok("The forecast.", "Forecast", example("/forecast", &[("place", "paris"), ("from", "2026-06-01"), ("to", "2026-06-03")])),
                    "400": err("A parameter is missing or invalid, or the range is longer than 14 days."),
                    "404": err("No such place.")
                }
            } },
            "/alerts": { "get": {
                "operationId": "listAlerts", "summary": "Active severe-weather alerts for a region", "tags": ["Alerts"],
                "parameters": [{ "name": "region", "in": "query", "required": true, "description": "A country code (`FR`) or a place id.", "schema": { "type": "string", "minLength": 1 }, "example": "FR" }],
                "responses": {
                    "200": ok("The alerts in force today (often none).", "AlertList", example("/alerts", &[("region", "FR")])),
                    "400": err("`region` missing."),
                    "404": err("No such region.")
                }
            } }
        },
        "components": {
            "securitySchemes": { "apiKey": { "type": "apiKey", "in": "header", "name": "X-API-Key" } },
            "schemas": {
                "Error": { "type": "object", "required": ["code", "message"], "properties": {
                    "code": { "type": "string", "example": "missing_parameter" }, "message": { "type": "string" } } },
                "Place": { "type": "object", "required": ["id", "name", "country", "latitude", "longitude", "timezone"], "properties": {
                    "id": { "type": "string" }, "name": { "type": "string" },
                    "country": { "type": "string", "description": "ISO 3166-1 alpha-2." },
                    "latitude": { "type": "number", "minimum": -90, "maximum": 90 },
                    "longitude": { "type": "number", "minimum": -180, "maximum": 180 },
                    "timezone": { "type": "string" } } },
                "PlaceList": { "type": "object", "required": ["items"], "properties": {
                    "items": { "type": "array", "items": { "$ref": "#/components/schemas/Place" } } } },
                "DailyForecast": { "type": "object",
                    "required": ["date", "summary", "temperature_min", "temperature_max", "precipitation_mm", "wind_speed"],
                    "properties": {
                        "date": { "type": "string", "format": "date" },
                        "summary": { "type": "string", "enum": ["Sunny", "Partly cloudy", "Showers", "Heavy rain", "Snow"] },
                        "temperature_min": { "type": "number", "description": "°C, or °F in imperial units." },
                        "temperature_max": { "type": "number" },
                        "precipitation_mm": { "type": "number", "minimum": 0 },
                        "wind_speed": { "type": "number", "minimum": 0, "description": "km/h, or mph in imperial units." } } },
                "Forecast": { "type": "object", "required": ["place", "units", "days"], "properties": {
                    "place": { "$ref": "#/components/schemas/Place" },
                    "units": { "type": "string", "enum": ["metric", "imperial"] },
                    "days": { "type": "array", "minItems": 1, "maxItems": 14, "items": { "$ref": "#/components/schemas/DailyForecast" } } } },
                "Alert": { "type": "object", "required": ["id", "severity", "headline", "starts_at", "expires_at"], "properties": {
                    "id": { "type": "string" }, "severity": { "type": "string", "enum": ["minor", "moderate", "severe"] },
                    "headline": { "type": "string" },
                    "starts_at": { "type": "string", "format": "date-time" },
                    "expires_at": { "type": "string", "format": "date-time" } } },
                "AlertList": { "type": "object", "required": ["region", "items"], "properties": {
                    "region": { "type": "string" },
                    "items": { "type": "array", "items": { "$ref": "#/components/schemas/Alert" } } } }
            }
        }
    })
}

/// The backend, as the demo's table lists it.
pub const BACKEND: Backend = Backend {
    name: "weather",
    base: BASE,
    api: DemoApi {
        tenant: "demo",
        slug: "weather-forecast",
        name: "Weather Forecast API",
        description: "Hourly and daily **forecasts**, current conditions and severe-weather alerts for any place on Earth.\n\n- 1 km resolution in Europe\n- Alerts from national services\n\nSee [the guide](https://docs.gostoa.dev/weather) for units and sources.",
        category: "weather",
        tags: &["forecast", "geo", "alerts"],
        audience: Audience::Public,
        auth: AuthType::ApiKey,
        resources: &[
            r("forecasts", "Forecast", &[("location", "string"), ("temperature_c", "number"), ("precipitation_mm", "number")]),
            r("alerts", "Alert", &[("severity", "string"), ("headline", "string"), ("expires_at", "string")]),
        ],
        versions: &["1.0.0", "1.1.0"],
        candidate: Some("1.2.0"),
        format: Format::Yaml,
    },
    document,
    answers: Answers::Computed(computed),
    open: true,
    mcp: Some(McpServer {
        name: "Weather MCP server",
        description: "Lets assistants read forecasts and alerts through the Weather Forecast API.",
        audience: Audience::Public,
        tools,
        call: tool_call,
    }),
};

/// [`answer`] for the table: the request's date is the time's.
fn computed(req: &Request, now: chrono::DateTime<chrono::Utc>) -> Reply {
    answer(req.method, req.path, req.query, now.date_naive())
}

/// The MCP server's tools.
fn tools() -> Vec<McpTool> {
    vec![
        tool(
            "get_forecast",
            "Daily forecast for a place, from today for a number of days.",
            json!({ "type": "object", "required": ["location"], "additionalProperties": false, "properties": {
            "location": { "type": "string", "minLength": 1, "description": "A place's name or id (see search_places).", "examples": ["Paris"] },
            "days": { "type": "integer", "minimum": 1, "maximum": MAX_DAYS, "default": 3 },
            "units": { "type": "string", "enum": ["metric", "imperial"], "default": "metric" } } }),
        ),
        tool(
            "get_alerts",
            "Severe-weather alerts in force today for a region.",
            json!({ "type": "object", "required": ["region"], "additionalProperties": false, "properties": {
            "region": { "type": "string", "minLength": 1, "description": "A country code (FR) or a place id.", "examples": ["FR"] } } }),
        ),
        tool(
            "search_places",
            "Places whose name holds the query.",
            json!({ "type": "object", "required": ["query"], "additionalProperties": false, "properties": {
            "query": { "type": "string", "minLength": 1, "examples": ["par"] } } }),
        ),
    ]
}

/// The REST call of the backend a tool call stands for.
fn tool_call(tool: &str, args: &Value, today: NaiveDate) -> Option<RestCall> {
    Some(match tool {
        "get_forecast" => {
            let days = args["days"].as_i64().unwrap_or(3);
            let to = today + Duration::days(days - 1);
            let units = args["units"].as_str().unwrap_or("metric").to_owned();
            RestCall::get(
                format!("{BASE}/forecast"),
                &[
                    ("place", arg(args, "location")),
                    ("from", today.to_string()),
                    ("to", to.to_string()),
                    ("units", units),
                ],
            )
        }
        "get_alerts" => RestCall::get(format!("{BASE}/alerts"), &[("region", arg(args, "region"))]),
        "search_places" => RestCall::get(format!("{BASE}/places"), &[("q", arg(args, "query"))]),
        _ => return None,
    })
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::super::kit::check::against as check;
    use super::*;

    /// A request of an operation: operation id, path, query.
    type Request<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

    fn get(path: &str, pairs: &[(&str, &str)]) -> Reply {
        answer("GET", path, &q(pairs), example_day())
    }

    #[test]
    fn every_operation_answers_a_valid_request_as_its_document_says_and_a_bad_one_with_400() {
        let doc = document("1.1.0", "Forecasts.");
        let valid: &[Request] = &[
            ("searchPlaces", "/places", &[("q", "par")]),
            ("searchPlaces", "/places", &[("q", "o"), ("limit", "20")]),
            ("getPlace", "/places/paris", &[]),
            ("getForecast", "/forecast", &[("place", "paris")]),
            (
                "getForecast",
                "/forecast",
                &[("place", "Sydney"), ("from", "2026-12-25"), ("to", "2027-01-07"), ("units", "imperial")],
            ),
            ("listAlerts", "/alerts", &[("region", "FR")]),
            ("listAlerts", "/alerts", &[("region", "tokyo")]),
        ];
        for (operation, path, pairs) in valid {
            let (status, body) = get(path, pairs);
            assert_eq!(status, 200, "{path} {pairs:?}: {body}");
            check(&doc, operation, 200, &body);
        }
        // Every operation of the document is among them.
        for (_, _, op) in crate::domain::openapi::each_operation(&doc) {
            assert!(valid.iter().any(|(o, _, _)| op["operationId"] == *o), "{op}");
        }
        let bad: &[(Request, u16)] = &[
            (("searchPlaces", "/places", &[]), 400),
            (("searchPlaces", "/places", &[("q", "par"), ("limit", "0")]), 400),
            (("getPlace", "/places/atlantis", &[]), 404),
            (("getForecast", "/forecast", &[]), 400),
            (("getForecast", "/forecast", &[("place", "atlantis")]), 404),
            (("getForecast", "/forecast", &[("place", "paris"), ("from", "tomorrow")]), 400),
            (
                (
                    "getForecast",
                    "/forecast",
                    &[("place", "paris"), ("from", "2026-06-10"), ("to", "2026-06-01")],
                ),
                400,
            ),
            (
                (
                    "getForecast",
                    "/forecast",
                    &[("place", "paris"), ("from", "2026-06-01"), ("to", "2026-06-30")],
                ),
                400,
            ),
            (("getForecast", "/forecast", &[("place", "paris"), ("units", "kelvin")]), 400),
            (("listAlerts", "/alerts", &[]), 400),
            (("listAlerts", "/alerts", &[("region", "XX")]), 404),
        ];
        for ((operation, path, pairs), want) in bad {
            let (status, body) = get(path, pairs);
            assert_eq!(status, *want, "{path} {pairs:?}: {body}");
            check(&doc, operation, *want, &body);
        }
        assert_eq!(answer("POST", "/forecast", &[], example_day()).0, 405);
        assert_eq!(get("/nowhere", &[]).0, 404);
    }

    #[test]
    fn forecasts_are_deterministic_and_follow_seasons_and_hemispheres() {
        let avg = |place: &str, from: &str, to: &str| {
            let (_, body) = get("/forecast", &[("place", place), ("from", from), ("to", to)]);
            let days = body["days"].as_array().expect("days").clone();
            days.iter().map(|d| d["temperature_max"].as_f64().expect("max")).sum::<f64>() / days.len() as f64
        };
        assert!(avg("paris", "2026-07-10", "2026-07-23") > avg("paris", "2026-01-10", "2026-01-23") + 8.0);
        assert!(avg("sydney", "2026-01-10", "2026-01-23") > avg("sydney", "2026-07-10", "2026-07-23") + 4.0);
        let twice = |p: &[(&str, &str)]| get("/forecast", p);
        let p = [("place", "berlin"), ("from", "2026-03-01"), ("to", "2026-03-05")];
        assert_eq!(twice(&p), twice(&p));
        // Imperial: the same day in °F.
        let (_, c) = get("/forecast", &[("place", "madrid"), ("from", "2026-05-01"), ("to", "2026-05-01")]);
        let (_, f) = get(
            "/forecast",
            &[("place", "madrid"), ("from", "2026-05-01"), ("to", "2026-05-01"), ("units", "imperial")],
        );
        let c = c["days"][0]["temperature_max"].as_f64().expect("c");
        let f = f["days"][0]["temperature_max"].as_f64().expect("f");
        assert!((f - (c * 9.0 / 5.0 + 32.0)).abs() < 0.2, "{c} °C vs {f} °F");
    }
}
