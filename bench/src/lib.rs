//! What `make bench` and `make soak` run, apart from the product: generators of large
//! catalogs (`catalog`) and of months of metering (`metering`), the driver
//! (`src/bin/stoa-bench.rs`) and the soak (`examples/soak.rs`). The product's floors
//! never name this crate; its HTTP tests use the generators (a dev-dependency).

pub mod catalog;
pub mod metering;
