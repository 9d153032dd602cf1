//! The HR board's narrow copy of each goal (T-5): period, owning unit, level, whether it is
//! tracked, progress, light, last update and whether it is aligned — what the board counts and
//! sorts, in one table, so a board of the whole organization reads one narrow table instead of
//! joining every goal to its owner, the owner's employee row, its tracking row and its links.
//! Kept by the store whenever one of its sources is written (`repo::boards::refresh`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0009GoalBoard;

impl MigrationName for M0009GoalBoard {
    fn name(&self) -> &str {
        "m0009_goal_board"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0009GoalBoard {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("goal_board")
                .col(uuid("goal_id").primary_key())
                .col(uuid("period_id"))
                .col(uuid_null("unit_id"))
                .col(string("level"))
                .col(boolean("tracked"))
                .col(integer("progress_bp"))
                .col(string_null("light"))
                .col(timestamp_with_time_zone_null("last_update_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(boolean("aligned"))
                .foreign_key(&mut fk("goal_board", "goal_id", "goal").on_delete(ForeignKeyAction::Cascade).take())
                .take(),
        )
        .await?;
        m.create_index(index("goal_board", "ix_goal_board_period", &["period_id", "tracked", "light"], false)).await?;
        // The goals there are already (the same row as `repo::boards::refresh` writes, frozen here
        // as migrations are).
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO goal_board (goal_id, period_id, unit_id, level, tracked, progress_bp, light,
                                         last_update_at, created_at, aligned)
                 SELECT g.id, g.period_id, COALESCE(g.unit_id, e.unit_id), g.level,
                        g.status IN ('submitted', 'approved', 'filed'), g.progress_bp, t.status, t.last_update_at,
                        g.created_at, EXISTS (SELECT 1 FROM goal_link l WHERE l.child_goal_id = g.id)
                 FROM goal g
                 LEFT JOIN goal_owner o ON o.goal_id = g.id AND o.position = 0
                 LEFT JOIN employee e ON e.id = o.employee_id
                 LEFT JOIN goal_tracking t ON t.goal_id = g.id",
            )
            .await?;
        Ok(())
    }
}
