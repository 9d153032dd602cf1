//! Repositories: one module per aggregate. Functions take any connection or transaction,
//! so services compose them inside one write transaction.

pub mod accounts;
pub mod audit;
pub mod boards;
pub mod calendar;
pub mod development;
pub mod feedback;
pub mod goals;
pub mod inbox;
pub mod jobs;
pub mod journal;
pub mod library;
pub mod light360;
pub mod notify_prefs;
pub mod one_on_ones;
pub mod org;
pub mod probation;
pub mod recognition;
pub mod result_application;
pub mod review_release;
pub mod reviews;
pub mod talent;
pub mod tracking;
pub mod webhooks;
pub mod weekly;
pub mod workflow;
