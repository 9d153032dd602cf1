//! The kudos flow (R-3): how many kudos each giver gave each recipient in each month, kept as
//! kudos are given, so that the recognition network reads a quarter by one range of a small
//! table instead of joining and grouping every kudos (6.6 s at a million kudos on SQLite).
//! Months are the organization's local months (its UTC offset when the kudos was given).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::create_unordered;

pub struct M0018KudosFlow;

impl MigrationName for M0018KudosFlow {
    fn name(&self) -> &str {
        "m0018_kudos_flow"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0018KudosFlow {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        create_unordered(
            m,
            Table::create()
                .table("kudos_flow")
                // The first day of the local month.
                .col(date("month"))
                .col(uuid("giver_id"))
                .col(uuid("recipient_id"))
                .col(integer("kudos"))
                .primary_key(Index::create().col("month").col("giver_id").col("recipient_id"))
                .take(),
        )
        .await?;
        backfill(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("kudos_flow").to_owned()).await
    }
}

/// Counts the kudos already given, in the months of the organization's current offset.
async fn backfill(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let c = m.get_connection();
    let backend = c.get_database_backend();
    let offset: i32 = c
        .query_one_raw(Statement::from_string(backend, "SELECT utc_offset_minutes AS o FROM org_calendar"))
        .await?
        .map(|r| r.try_get("", "o"))
        .transpose()?
        .unwrap_or(8 * 60);
    let rows = c
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT k.giver_id AS g, r.employee_id AS r, k.created_at AS t FROM kudos k JOIN kudos_recipient r ON r.kudos_id = k.id",
        ))
        .await?;
    let mut counts: HashMap<(NaiveDate, uuid::Uuid, uuid::Uuid), i32> = HashMap::new();
    for row in rows {
        let t: DateTime<Utc> = row.try_get("", "t")?;
        let local = (t + Duration::minutes(offset as i64)).date_naive();
        let month = local.with_day(1).expect("the first of a month exists");
        *counts.entry((month, row.try_get("", "g")?, row.try_get("", "r")?)).or_default() += 1;
    }
    let counts: Vec<_> = counts.into_iter().collect();
    for chunk in counts.chunks(500) {
        let mut insert = Query::insert();
        insert.into_table("kudos_flow").columns(["month", "giver_id", "recipient_id", "kudos"]);
        for ((month, g, r), n) in chunk {
            insert.values_panic([(*month).into(), (*g).into(), (*r).into(), (*n).into()]);
        }
        m.exec_stmt(insert).await?;
    }
    Ok(())
}
