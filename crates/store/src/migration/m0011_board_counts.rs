//! The HR board at 500 000 goals (T-5). Counting the board table per request took 0.85 s on
//! SQLite, so the counts per period, unit and light are kept in `goal_board_count` beside it
//! (recomputed for the touched units whenever board rows change); each goal's last activity
//! (`active_at`: its last update, or when it was set) is a column with an index, so the stale
//! list and its length are an index range; and the abnormal list's index carries the progress
//! it is sorted by. Check-ins are read by author and day (the weekly report, follow-up), so
//! that index replaces the one by author and time.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::index;

pub struct M0011BoardCounts;

impl MigrationName for M0011BoardCounts {
    fn name(&self) -> &str {
        "m0011_board_counts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0011BoardCounts {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("goal_board").add_column(timestamp_with_time_zone_null("active_at")).take())
            .await?;
        let c = m.get_connection();
        c.execute_unprepared("UPDATE goal_board SET active_at = COALESCE(last_update_at, created_at)").await?;
        m.drop_index(Index::drop().name("ix_goal_board_period").table("goal_board").to_owned()).await?;
        m.create_index(index(
            "goal_board",
            "ix_goal_board_light",
            &["period_id", "tracked", "light", "progress_bp"],
            false,
        ))
        .await?;
        m.create_index(index(
            "goal_board",
            "ix_goal_board_active",
            &["period_id", "tracked", "active_at", "unit_id"],
            false,
        ))
        .await?;
        m.create_index(index("goal_board", "ix_goal_board_unit", &["period_id", "unit_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("goal_board_count")
                .col(uuid("period_id"))
                .col(uuid("unit_id"))
                // '' for tracked goals without a light yet: a key column cannot be NULL.
                .col(string("light"))
                .col(big_integer("goals"))
                .col(big_integer("progress_bp"))
                .col(big_integer("achieved"))
                .col(big_integer("aligned"))
                .col(big_integer("alignable"))
                .primary_key(Index::create().col("period_id").col("unit_id").col("light"))
                .take(),
        )
        .await?;
        // The counts of the rows there are already (the same grouping as
        // `repo::boards::recount`, frozen here as migrations are).
        c.execute_unprepared(
            "INSERT INTO goal_board_count (period_id, unit_id, light, goals, progress_bp, achieved, aligned, alignable)
             SELECT period_id, unit_id, COALESCE(light, ''), COUNT(*), SUM(progress_bp),
                    SUM(CASE WHEN progress_bp >= 10000 THEN 1 ELSE 0 END),
                    SUM(CASE WHEN level <> 'company' AND aligned THEN 1 ELSE 0 END),
                    SUM(CASE WHEN level <> 'company' THEN 1 ELSE 0 END)
             FROM goal_board WHERE tracked AND unit_id IS NOT NULL
             GROUP BY period_id, unit_id, COALESCE(light, '')",
        )
        .await?;
        m.drop_index(Index::drop().name("ix_check_in_author").table("check_in").to_owned()).await?;
        m.create_index(index("check_in", "ix_check_in_author_day", &["author_id", "on_date"], false)).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_check_in_author_day").table("check_in").to_owned()).await?;
        m.create_index(index("check_in", "ix_check_in_author", &["author_id", "created_at"], false)).await?;
        m.drop_table(Table::drop().table("goal_board_count").take()).await?;
        for ix in ["ix_goal_board_unit", "ix_goal_board_active", "ix_goal_board_light"] {
            m.drop_index(Index::drop().name(ix).table("goal_board").to_owned()).await?;
        }
        m.create_index(index("goal_board", "ix_goal_board_period", &["period_id", "tracked", "light"], false)).await?;
        m.alter_table(Table::alter().table("goal_board").drop_column("active_at").take()).await
    }
}
