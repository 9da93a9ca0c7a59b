//! Metering's SQL, by table family: raw calls (day partitions) and late ids, the rollups
//! with their latency histograms, what the ingest keeps (offsets, dead letters), quota
//! leases, and the usage reads.

pub mod calls;
pub mod ingest;
pub mod leases;
pub mod rollups;
pub mod usage;
