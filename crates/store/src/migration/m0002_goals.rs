//! Goals and alignment (SPEC §2): periods, goals with their owners, key results (every
//! framework's measures), and the weighted alignment links between goals and key results.
//! Measure values are stored as integers scaled by 10 000 (`*_e4`) and weights in basis
//! points of a percent (`weight_bp`, 100 % = 10 000), so nothing drifts through floats.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0002Goals;

impl MigrationName for M0002Goals {
    fn name(&self) -> &str {
        "m0002_goals"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0002Goals {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("goal_period")
                .col(pk_uuid("id"))
                .col(string("name"))
                .col(string("kind"))
                .col(date("starts_on"))
                .col(date("ends_on"))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
        )
        .await?;
        m.create_index(index("goal_period", "ux_goal_period_name", &["name"], true)).await?;
        m.create_table(
            Table::create()
                .table("goal")
                .col(pk_uuid("id"))
                .col(uuid("period_id"))
                .col(string("title"))
                .col(text_null("description"))
                .col(string("framework"))
                .col(string("level"))
                .col(uuid_null("unit_id"))
                .col(string("visibility"))
                .col(string("status"))
                .col(string("progress_source"))
                .col(boolean("is_key"))
                .col(date_null("due_on"))
                .col(integer("progress_bp"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("goal", "period_id", "goal_period"))
                .foreign_key(&mut fk("goal", "unit_id", "unit"))
                .take(),
        )
        .await?;
        m.create_index(index("goal", "ix_goal_period_level", &["period_id", "level"], false)).await?;
        m.create_index(index("goal", "ix_goal_unit", &["unit_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("goal_owner")
                .col(uuid("goal_id"))
                .col(uuid("employee_id"))
                .col(integer("position"))
                .primary_key(Index::create().col("goal_id").col("employee_id"))
                .foreign_key(&mut fk("goal_owner", "goal_id", "goal").on_delete(ForeignKeyAction::Cascade).take())
                .foreign_key(&mut fk("goal_owner", "employee_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("goal_owner", "ix_goal_owner_employee", &["employee_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("key_result")
                .col(pk_uuid("id"))
                .col(uuid("goal_id"))
                .col(integer("position"))
                .col(string("title"))
                .col(string("kind"))
                .col(string_null("unit_label"))
                .col(string_null("direction"))
                .col(string_null("flat_rule"))
                .col(string_null("formula"))
                .col(big_integer_null("start_e4"))
                .col(big_integer_null("target_e4"))
                .col(big_integer_null("current_e4"))
                .col(big_integer_null("threshold_e4"))
                .col(big_integer_null("stretch_e4"))
                .col(boolean("done"))
                .col(integer_null("weight_bp"))
                .col(boolean("archived"))
                .col(integer("progress_bp"))
                .col(date_null("due_on"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("key_result", "goal_id", "goal").on_delete(ForeignKeyAction::Cascade).take())
                .take(),
        )
        .await?;
        m.create_index(index("key_result", "ix_key_result_goal", &["goal_id", "position"], false)).await?;
        m.create_table(
            Table::create()
                .table("goal_link")
                .col(pk_uuid("id"))
                .col(uuid("child_goal_id"))
                .col(uuid_null("child_kr_id"))
                .col(uuid("parent_goal_id"))
                .col(uuid_null("parent_kr_id"))
                .col(integer_null("weight_bp"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("goal_link", "child_goal_id", "goal").on_delete(ForeignKeyAction::Cascade).take())
                .foreign_key(&mut fk("goal_link", "parent_goal_id", "goal").on_delete(ForeignKeyAction::Cascade).take())
                .foreign_key(
                    &mut fk("goal_link", "child_kr_id", "key_result").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .foreign_key(
                    &mut fk("goal_link", "parent_kr_id", "key_result").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("goal_link", "ix_goal_link_child", &["child_goal_id"], false)).await?;
        m.create_index(index("goal_link", "ix_goal_link_parent", &["parent_goal_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["goal_link", "key_result", "goal_owner", "goal", "goal_period"] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
