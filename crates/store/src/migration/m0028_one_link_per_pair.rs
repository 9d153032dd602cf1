//! Issue 22, item 2 (G-5): a goal supports another one way only — one link per pair of child
//! (goal, or one of its key results) and parent (goal, or one of its key results). Aligning
//! twice counted the child twice in the parent's progress. Links written twice before this
//! migration keep their first (its weight and date); the parents' stored progress is rolled up
//! again by the next change below them or by `waymark goals rollup`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

pub struct M0028OneLinkPerPair;

impl MigrationName for M0028OneLinkPerPair {
    fn name(&self) -> &str {
        "m0028_one_link_per_pair"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0028OneLinkPerPair {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let c = m.get_connection();
        c.execute_unprepared(
            "DELETE FROM goal_link WHERE EXISTS (SELECT 1 FROM goal_link o \
             WHERE o.child_goal_id = goal_link.child_goal_id AND o.parent_goal_id = goal_link.parent_goal_id \
             AND (o.child_kr_id = goal_link.child_kr_id OR (o.child_kr_id IS NULL AND goal_link.child_kr_id IS NULL)) \
             AND (o.parent_kr_id = goal_link.parent_kr_id OR (o.parent_kr_id IS NULL AND goal_link.parent_kr_id IS NULL)) \
             AND (o.created_at < goal_link.created_at OR (o.created_at = goal_link.created_at AND o.id < goal_link.id)))",
        )
        .await?;
        // A whole goal (no key result) is a side of its own: two blanks are the same pair.
        let sql = match m.get_database_backend() {
            DbBackend::Postgres => {
                "CREATE UNIQUE INDEX ux_goal_link_pair ON goal_link \
                 (child_goal_id, parent_goal_id, child_kr_id, parent_kr_id) NULLS NOT DISTINCT"
            }
            _ => {
                "CREATE UNIQUE INDEX ux_goal_link_pair ON goal_link \
                 (child_goal_id, parent_goal_id, IFNULL(child_kr_id, x''), IFNULL(parent_kr_id, x''))"
            }
        };
        c.execute_unprepared(sql).await.map(|_| ())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ux_goal_link_pair").table("goal_link").to_owned()).await
    }
}
