//! Goal templates and the key-result library (指标库, G-8), and the template a goal was made
//! from, so a bulk assignment never gives a person the same template twice in a period.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0005GoalLibrary;

impl MigrationName for M0005GoalLibrary {
    fn name(&self) -> &str {
        "m0005_goal_library"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0005GoalLibrary {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // A template names whom it suits (job family, level, period; blank: any) and holds its
        // key results as one JSON document: they are always read and written whole.
        m.create_table(
            Table::create()
                .table("goal_template")
                .col(pk_uuid("id"))
                .col(string("title"))
                .col(text_null("description"))
                .col(string("framework"))
                .col(string_null("job_family"))
                .col(string_null("level"))
                .col(uuid_null("period_id"))
                .col(boolean("is_key"))
                .col(integer_null("weight_bp"))
                .col(text("key_results"))
                .col(boolean("archived"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("goal_template", "period_id", "goal_period"))
                .take(),
        )
        .await?;
        // One standard metric: its definition is a key result as the API enters it (JSON).
        m.create_table(
            Table::create()
                .table("kr_library_item")
                .col(pk_uuid("id"))
                .col(string("title"))
                .col(text_null("description"))
                .col(string_null("job_family"))
                .col(string_null("level"))
                .col(text("definition"))
                .col(boolean("archived"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .take(),
        )
        .await?;
        m.alter_table(Table::alter().table("goal").add_column(uuid_null("template_id")).take()).await?;
        m.create_index(index("goal", "ix_goal_template", &["template_id"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_goal_template").table("goal").to_owned()).await?;
        m.alter_table(Table::alter().table("goal").drop_column("template_id").take()).await?;
        m.drop_table(Table::drop().table("kr_library_item").take()).await?;
        m.drop_table(Table::drop().table("goal_template").take()).await
    }
}
