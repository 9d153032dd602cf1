//! Progress tracking (SPEC §3): a goal's red/yellow/green status from pace and staleness (T-3)
//! and the risk rules over its check-in timeline (T-4). Everything takes "today" as an input,
//! so the rules are tested on hand-built timelines.

pub mod risk;
pub mod status;
