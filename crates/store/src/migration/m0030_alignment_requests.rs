//! Alignment as a request (issue 22, item 1; SPEC G-5): aligning a goal to one whose owner
//! one is not asks that owner (or HR in scope) to accept, with the contribution weight. The
//! request lives here until it is decided; only an accepted one becomes a `goal_link`, so what
//! is pending never counts in a parent's progress.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0030AlignmentRequests;

impl MigrationName for M0030AlignmentRequests {
    fn name(&self) -> &str {
        "m0030_alignment_requests"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0030AlignmentRequests {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("alignment_request")
                .col(pk_uuid("id"))
                .col(uuid("child_goal_id"))
                .col(uuid_null("child_kr_id"))
                .col(uuid("parent_goal_id"))
                .col(uuid_null("parent_kr_id"))
                // The weight asked for, in basis points (blank: equal shares).
                .col(integer_null("weight_bp"))
                .col(uuid_null("requested_by"))
                .col(string("requested_by_name"))
                .col(timestamp_with_time_zone("requested_at"))
                // pending, accepted, declined or withdrawn.
                .col(string("state"))
                .col(string_null("decided_by_name"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(text_null("decision_note"))
                .foreign_key(&mut fk("alignment_request", "child_goal_id", "goal"))
                .foreign_key(&mut fk("alignment_request", "parent_goal_id", "goal"))
                .take(),
        )
        .await?;
        m.create_index(index("alignment_request", "ix_alignment_request_parent", &["parent_goal_id", "state"], false))
            .await?;
        m.create_index(index("alignment_request", "ix_alignment_request_child", &["child_goal_id", "state"], false))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("alignment_request").to_owned()).await
    }
}
