//! An upstream answered inside this process, as the gateway and try-it see it: the seam
//! through which they reach STOA's demo backends without naming them (the gateway crate
//! calls it; `service::demo::backends` implements it).

use futures::future::BoxFuture;
use serde_json::Value;

/// An upstream answered in this process: nothing goes over the network.
pub trait InProcess: Send + Sync {
    /// Whether `server` (a deployment's server or an MCP remote, relative to the portal)
    /// is one of its own.
    fn serves(&self, server: &str) -> bool;

    /// Why it does not answer on this server, when it is switched off: a sentence for the
    /// caller.
    fn off(&self) -> Option<&'static str>;

    /// The answer at `path` to `method` with `query` and `body`: a status and a JSON body
    /// (`Null`: none); none when nothing is there.
    fn answer<'a>(
        &'a self,
        method: &'a str,
        path: &'a str,
        query: Option<&'a str>,
        body: &'a [u8],
    ) -> BoxFuture<'a, Option<(u16, Value)>>;
}
