//! Development reports (SPEC D-2; issue 26, item 4): the manager's report on a person after a
//! released review — stable strengths, volatile areas, learning against later ratings,
//! recommended actions and how the manager can support them — drafted by the rules, edited by
//! the manager and shared with the person. One per person and review cycle; the analysis it
//! was written on is kept with it, so the person reads the evidence as it stood.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0038DevReports;

impl MigrationName for M0038DevReports {
    fn name(&self) -> &str {
        "m0038_dev_reports"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0038DevReports {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("dev_report")
                .col(pk_uuid("id"))
                .col(uuid("employee_id"))
                // The latest released cycle the report covers.
                .col(uuid("cycle_id"))
                .col(text("strengths"))
                .col(text("areas"))
                .col(text("actions"))
                .col(text("support"))
                // The analysis (JSON) the text was written on.
                .col(text("analysis"))
                // draft or shared.
                .col(string("state"))
                .col(string("written_by_name"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("shared_at"))
                // The development plan made from it, once made.
                .col(uuid_null("plan_id"))
                .foreign_key(&mut fk("dev_report", "employee_id", "employee"))
                .foreign_key(&mut fk("dev_report", "cycle_id", "review_cycle"))
                .foreign_key(&mut fk("dev_report", "plan_id", "dev_plan"))
                .take(),
        )
        .await?;
        m.create_index(index("dev_report", "ux_dev_report_person_cycle", &["employee_id", "cycle_id"], true)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("dev_report").to_owned()).await
    }
}
