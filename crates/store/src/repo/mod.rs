//! Repositories: one module per aggregate. Functions take any connection or transaction,
//! so services compose them inside one write transaction.

pub mod accounts;
pub mod alignment_requests;
pub mod attendance;
pub mod audit;
pub mod boards;
pub mod calendar;
pub mod development;
pub mod development_report;
pub mod feedback;
pub mod flight_model;
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
pub mod signals;
pub mod talent;
pub mod tracking;
pub mod webhooks;
pub mod weekly;
pub mod workflow;

/// The newest `limit` rows of `q` in `order` (descending), and how many rows `q` has in all: the
/// page's length when it was not full, counted only when it was. A goal's history, status
/// changes and resolved alerts are shown this way, since they pile up over its life.
pub(crate) async fn newest_and_total<E, C, O>(
    c: &C,
    q: sea_orm::Select<E>,
    order: O,
    limit: u64,
) -> crate::StoreResult<(Vec<E::Model>, u64)>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
    C: sea_orm::ConnectionTrait,
    O: sea_orm::ColumnTrait,
{
    use sea_orm::{PaginatorTrait, QueryOrder, QuerySelect};
    let rows = q.clone().order_by_desc(order).limit(limit).all(c).await?;
    let total = if (rows.len() as u64) < limit { rows.len() as u64 } else { q.count(c).await? };
    Ok((rows, total))
}
