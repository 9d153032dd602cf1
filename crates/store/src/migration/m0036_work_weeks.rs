//! Working time and leave per person and week (issue 26, item 1; SPEC I-4), as the
//! attendance system exports it: read by the signal rules for sustained overtime and leave not
//! taken. One row per person and week: importing a week again replaces it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0036WorkWeeks;

impl MigrationName for M0036WorkWeeks {
    fn name(&self) -> &str {
        "m0036_work_weeks"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0036WorkWeeks {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("work_week")
                .col(pk_uuid("id"))
                .col(uuid("employee_id"))
                // The week's Monday.
                .col(date("week_start"))
                // Hours worked and days of leave taken, in tenths; leave none when not known
                // (a file of hours alone).
                .col(integer("hours_tenths"))
                .col(integer_null("leave_tenths"))
                // import or api.
                .col(string("source"))
                .col(timestamp_with_time_zone("recorded_at"))
                .col(uuid_null("recorded_by"))
                .foreign_key(&mut fk("work_week", "employee_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("work_week", "ux_work_week_person_week", &["employee_id", "week_start"], true)).await?;
        // The signal computation reads every person's recent weeks at once.
        m.create_index(index("work_week", "ix_work_week_week", &["week_start"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("work_week").to_owned()).await
    }
}
