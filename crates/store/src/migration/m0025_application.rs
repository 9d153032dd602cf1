//! Using released results (V-9): promotion nominations on the technical and management
//! tracks, decided by HR, and non-monetary incentives from the reward menu granted on a result.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0025Application;

impl MigrationName for M0025Application {
    fn name(&self) -> &str {
        "m0025_application"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0025Application {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("promotion_nomination")
                .col(pk_uuid("id"))
                .col(uuid("participant_id"))
                .col(uuid("cycle_id"))
                .col(uuid("employee_id"))
                // technical or management.
                .col(string("track"))
                .col(string_null("from_level"))
                .col(string("to_level"))
                .col(string("grade"))
                .col(text("reasons"))
                // nominated, approved or declined.
                .col(string("state"))
                .col(uuid_null("nominated_by"))
                .col(string("nominated_by_name"))
                .col(timestamp_with_time_zone("created_at"))
                .col(text_null("decision_note"))
                .col(string_null("decided_by_name"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .foreign_key(&mut fk("promotion_nomination", "participant_id", "review_participant"))
                .foreign_key(&mut fk("promotion_nomination", "employee_id", "employee"))
                .take(),
        )
        .await?;
        // One nomination per result, on one track.
        m.create_index(index("promotion_nomination", "ux_nomination_participant", &["participant_id"], true)).await?;
        m.create_index(index("promotion_nomination", "ix_nomination_cycle", &["cycle_id", "state"], false)).await?;
        m.create_table(
            Table::create()
                .table("result_incentive")
                .col(pk_uuid("id"))
                .col(uuid("participant_id"))
                .col(uuid("cycle_id"))
                .col(uuid("employee_id"))
                .col(uuid("reward_id"))
                .col(string("grade"))
                .col(text("reason"))
                .col(string("granted_by_name"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("result_incentive", "participant_id", "review_participant"))
                .foreign_key(&mut fk("result_incentive", "reward_id", "reward"))
                .take(),
        )
        .await?;
        // A reward once per result.
        m.create_index(index("result_incentive", "ux_incentive_once", &["participant_id", "reward_id"], true)).await?;
        m.create_index(index("result_incentive", "ix_incentive_cycle", &["cycle_id"], false)).await?;
        m.create_index(index("result_incentive", "ix_incentive_employee", &["employee_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("result_incentive").to_owned()).await?;
        m.drop_table(Table::drop().table("promotion_nomination").to_owned()).await
    }
}
