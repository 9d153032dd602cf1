//! Waymark's pure rules: no IO, no async. Everything here is computed from its inputs,
//! so it is tested with small, hand-worked examples.

pub mod ai_draft;
pub mod attendance;
pub mod audit;
pub mod calendar;
pub mod coach;
pub mod coaching;
pub mod development;
pub mod development_report;
pub mod feedback;
pub mod flight_risk;
pub mod goals;
pub mod hierarchy;
pub mod home;
pub mod import;
pub mod import_goals;
pub mod import_units;
pub mod jobs;
pub mod journal;
pub mod light360;
pub mod notify;
pub mod one_on_one;
pub mod org;
pub mod passwords;
pub mod recognition;
pub mod recognition_network;
pub mod reviews;
pub mod secrets;
pub mod sign_in;
pub mod signals;
pub mod tracking;
pub mod webhooks;
