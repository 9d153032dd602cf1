//! The review conversation and its outputs (V-5), and development plans (D-1): goals for
//! growth with actions (course, rotation, project, mentor) and dated checkpoints.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0022Development;

impl MigrationName for M0022Development {
    fn name(&self) -> &str {
        "m0022_development"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0022Development {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("review_conversation")
                .col(uuid("participant_id").primary_key())
                .col(date("held_on"))
                // Where the person stands, on which facts, what the next grade needs, the
                // conclusion with its evidence.
                .col(text("standing"))
                .col(text("facts"))
                .col(text("next_grade"))
                .col(text("conclusion"))
                // JSON: the 2–3 capabilities to strengthen; the draft goals made for the next period.
                .col(text("capabilities"))
                .col(text("goal_ids"))
                .col(uuid_null("recorded_by"))
                .col(string("recorded_by_name"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    &mut fk("review_conversation", "participant_id", "review_participant")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("dev_plan")
                .col(pk_uuid("id"))
                .col(uuid("employee_id"))
                // The review it came from, if any.
                .col(uuid_null("participant_id"))
                // The development goal.
                .col(string("title"))
                // JSON: the capabilities it strengthens.
                .col(text("capabilities"))
                // active or done.
                .col(string("state"))
                .col(string("created_by_name"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("dev_plan", "employee_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("dev_plan", "ix_dev_plan_employee", &["employee_id"], false)).await?;
        m.create_index(index("dev_plan", "ix_dev_plan_participant", &["participant_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("dev_action")
                .col(pk_uuid("id"))
                .col(uuid("plan_id"))
                // course, rotation, project or mentor.
                .col(string("kind"))
                .col(string("title"))
                .col(string_null("capability"))
                .col(date_null("due_on"))
                .col(timestamp_with_time_zone_null("done_at"))
                .col(integer("position"))
                .foreign_key(&mut fk("dev_action", "plan_id", "dev_plan").on_delete(ForeignKeyAction::Cascade).take())
                .take(),
        )
        .await?;
        m.create_index(index("dev_action", "ix_dev_action_plan", &["plan_id", "position"], false)).await?;
        m.create_table(
            Table::create()
                .table("dev_checkpoint")
                .col(pk_uuid("id"))
                .col(uuid("plan_id"))
                .col(date("due_on"))
                // What was found when it was held.
                .col(text_null("note"))
                .col(timestamp_with_time_zone_null("held_at"))
                .col(string_null("held_by_name"))
                .foreign_key(
                    &mut fk("dev_checkpoint", "plan_id", "dev_plan").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("dev_checkpoint", "ix_dev_checkpoint_plan", &["plan_id", "due_on"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["dev_checkpoint", "dev_action", "dev_plan", "review_conversation"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
