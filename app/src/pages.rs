//! One file per route. Portal pages live in `portal/`, console pages in `console/`
//! (added by the catalog, subscription and ITSM issues).

pub mod audit;
pub mod home;
pub mod login;
pub mod not_found;
pub mod profile;
