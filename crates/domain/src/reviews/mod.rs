//! Reviews (SPEC §6): cycles and their stages, rating scales, the scoring formula and how a
//! score was computed, grades, calibration statistics, the nine-box, probation and what a
//! released result leads to (promotion nominations, incentives).

pub mod application;
pub mod calibration;
pub mod cycle;
pub mod formula;
pub mod grades;
pub mod ninebox;
pub mod probation;
pub mod release;
pub mod review;
pub mod scale;
pub mod scoring;
