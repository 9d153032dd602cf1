//! Repositories: one module per aggregate. Functions take any connection or transaction,
//! so services compose them inside one write transaction.

pub mod accounts;
pub mod audit;
pub mod boards;
pub mod goals;
pub mod inbox;
pub mod library;
pub mod org;
pub mod tracking;
pub mod workflow;
