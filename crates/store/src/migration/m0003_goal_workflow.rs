//! The goal-setting workflow (G-10, G-11), resource commitments (G-12) and the in-app inbox
//! every module notifies through (T-7's first channel).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0003GoalWorkflow;

impl MigrationName for M0003GoalWorkflow {
    fn name(&self) -> &str {
        "m0003_goal_workflow"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0003GoalWorkflow {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Approval nodes per unit (and the units below it) and goal level; no unit: the
        // organization's default.
        m.create_table(
            Table::create()
                .table("goal_approval_rule")
                .col(pk_uuid("id"))
                .col(uuid_null("unit_id"))
                .col(string_null("level"))
                .col(boolean("manager_review"))
                .col(boolean("skip_level"))
                .col(boolean("hr_filing"))
                .col(boolean("change_approval"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    &mut fk("goal_approval_rule", "unit_id", "unit").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .take(),
        )
        .await?;
        // The step a submitted goal waits at, and who must act: the approver for manager steps,
        // the unit whose HR files it.
        m.create_table(
            Table::create()
                .table("goal_approval")
                .col(uuid("goal_id").primary_key())
                .col(string("step"))
                .col(string("path"))
                .col(uuid_null("approver_id"))
                .col(uuid_null("unit_id"))
                .col(uuid_null("submitted_by"))
                .col(timestamp_with_time_zone("submitted_at"))
                .col(text_null("reason"))
                .foreign_key(&mut fk("goal_approval", "goal_id", "goal").on_delete(ForeignKeyAction::Cascade).take())
                .foreign_key(&mut fk("goal_approval", "approver_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("goal_approval", "ix_goal_approval_approver", &["approver_id"], false)).await?;
        m.create_index(index("goal_approval", "ix_goal_approval_step_unit", &["step", "unit_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("goal_commitment")
                .col(pk_uuid("id"))
                .col(uuid("goal_id"))
                .col(string("kind"))
                .col(string("description"))
                .col(uuid_null("provider_id"))
                .col(date_null("due_on"))
                .col(timestamp_with_time_zone_null("done_at"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("goal_commitment", "goal_id", "goal").on_delete(ForeignKeyAction::Cascade).take())
                .foreign_key(&mut fk("goal_commitment", "provider_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("goal_commitment", "ix_goal_commitment_goal", &["goal_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("notification")
                .col(pk_uuid("id"))
                .col(uuid("recipient_id"))
                .col(string("kind"))
                .col(string("entity_type"))
                .col(uuid("entity_id"))
                .col(string("actor_name"))
                .col(string("subject"))
                .col(text_null("body"))
                .col(timestamp_with_time_zone_null("read_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    &mut fk("notification", "recipient_id", "user_account").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("notification", "ix_notification_recipient", &["recipient_id", "created_at"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["notification", "goal_commitment", "goal_approval", "goal_approval_rule"] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
