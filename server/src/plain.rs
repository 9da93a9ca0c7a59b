//! Plain routes: the form posts and downloads outside `/v1` and server functions
//! (`console`, `export`). Each is declared once, like a REST route, with its access: the
//! router mounts that declaration, its handler guards with it, and the access matrix
//! test reads it.

use app::domain::permission::Access;

/// A plain route: its method, its path and who may use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlainRoute {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

impl PlainRoute {
    pub const fn get(path: &'static str, access: Access) -> PlainRoute {
        PlainRoute { method: "GET", path, access }
    }

    pub const fn post(path: &'static str, access: Access) -> PlainRoute {
        PlainRoute { method: "POST", path, access }
    }
}
