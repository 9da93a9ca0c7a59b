//! Wire types shared by both targets: what pages, server functions, services, REST and
//! `db::` exchange (DTOs, forms, pages of results), one file per resource. No I/O here;
//! the pure rules of a form (`check_form`) live beside the form so the browser and the
//! server run the same ones.

pub mod applications;
pub mod audit;
pub mod catalog;
pub mod notifications;
pub mod platform;
pub mod promotions;
pub mod publishing;
pub mod subscriptions;
pub mod tryit;
