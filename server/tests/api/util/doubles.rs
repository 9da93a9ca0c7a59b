//! What the tests talk to besides the app: real servers started for them (upstreams, a
//! Kafka-protocol broker, an SMTP server) and the one double, AWX, which cannot run here.

pub mod awx;
pub mod kafka;
pub mod smtp;
pub mod upstream;
