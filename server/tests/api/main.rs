//! HTTP tests: the real router, in-process, against a real Postgres database that
//! `#[sqlx::test]` creates and migrates for each test.

mod applications;
mod audit;
mod auth;
mod awx;
mod bearer;
mod catalog;
mod demo;
mod demo_reset;
mod events;
mod faults;
mod gateway;
mod kafka;
mod lifecycle;
mod mailer;
mod matrix;
mod members;
mod metering;
mod onboarding;
mod ops;
mod pages;
mod plans;
mod promotions;
mod publishing;
mod rest;
mod security;
mod subscriptions;
mod trust;
mod tryit;
mod usage;
mod util;
