//! The flight-risk model's fits on the organization's history (issue 26, item 3; SPEC I-4):
//! each run kept with its snapshot day, how many people and leavers it read, and — when there
//! were enough leavers — its validation figures and the fitted model, so that HR sees how
//! far the model can be trusted and every score is explained by the model that gave it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::index;

pub struct M0035FlightModel;

impl MigrationName for M0035FlightModel {
    fn name(&self) -> &str {
        "m0035_flight_model"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0035FlightModel {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("flight_model")
                .col(pk_uuid("id"))
                .col(timestamp_with_time_zone("fitted_at"))
                // The user who asked; none for the nightly sweep.
                .col(uuid_null("fitted_by"))
                .col(string_null("fitted_by_name"))
                // The snapshot day: features as they stood then, leaving counted after it.
                .col(date("as_of"))
                .col(integer("people"))
                .col(integer("leavers"))
                // Both JSON, both absent when there were too few leavers to fit.
                .col(text_null("evaluation"))
                .col(text_null("model"))
                .take(),
        )
        .await?;
        m.create_index(index("flight_model", "ix_flight_model_fitted", &["fitted_at"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("flight_model").to_owned()).await
    }
}
