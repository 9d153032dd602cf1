//! Reviews (V-1, V-2, V-3): templates with their rated items, cycles with their stages, the
//! people taking part (with what they were reviewed under, their score and how it was
//! computed) and each review written about them with its ratings.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0019Reviews;

impl MigrationName for M0019Reviews {
    fn name(&self) -> &str {
        "m0019_reviews"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0019Reviews {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("review_template")
                .col(pk_uuid("id"))
                .col(string("name"))
                // JSON arrays of strings: the job families and levels it is meant for (any when empty).
                .col(text("job_families"))
                .col(text("levels"))
                // JSON: the rating scale's points, and the grade bands with the guideline.
                .col(text("scale"))
                .col(text("grades"))
                .col(text("formula"))
                // Source weights in percent, adding up to 100.
                .col(integer("self_weight"))
                .col(integer("manager_weight"))
                .col(integer("peer_weight"))
                .col(integer("upward_weight"))
                // Peers each person nominates (0 and 0: no peer review).
                .col(integer("peers_min"))
                .col(integer("peers_max"))
                .col(boolean("active"))
                .col(uuid_null("updated_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("review_item")
                .col(pk_uuid("id"))
                .col(uuid("template_id"))
                // goals, competencies, values, skills, environment or text.
                .col(string("section"))
                .col(string("title"))
                // The behaviour expected: shown beside the rating.
                .col(text("description"))
                // Share within its section in basis points; NULL shares what is left.
                .col(integer_null("weight_bp"))
                .col(boolean("required"))
                .col(integer("position"))
                .foreign_key(
                    &mut fk("review_item", "template_id", "review_template")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("review_item", "ix_review_item_template", &["template_id", "position"], false)).await?;
        m.create_table(
            Table::create()
                .table("review_cycle")
                .col(pk_uuid("id"))
                .col(string("name"))
                // The goal period whose goals and evidence the reviews look at.
                .col(uuid("period_id"))
                // Used for anyone no other template of the cycle fits.
                .col(uuid("template_id"))
                // JSON: the units (with everything under them) and the participant filter.
                .col(text("units"))
                .col(text("filter"))
                // draft, launched or closed.
                .col(string("state"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("launched_at"))
                .foreign_key(&mut fk("review_cycle", "period_id", "goal_period"))
                .foreign_key(&mut fk("review_cycle", "template_id", "review_template"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("review_stage")
                .col(uuid("cycle_id"))
                .col(string("stage"))
                .col(date("opens_on"))
                .col(date("closes_on"))
                .primary_key(Index::create().col("cycle_id").col("stage"))
                .foreign_key(
                    &mut fk("review_stage", "cycle_id", "review_cycle").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("review_participant")
                .col(pk_uuid("id"))
                .col(uuid("cycle_id"))
                .col(uuid("employee_id"))
                // At launch: who reviews them, where they sat, what they are reviewed under.
                .col(uuid_null("manager_id"))
                .col(uuid("unit_id"))
                .col(uuid("template_id"))
                // The computed score × 100 and its grade, with the explanation as JSON.
                .col(integer_null("score_bp"))
                .col(string_null("grade"))
                .col(text_null("explanation"))
                .col(timestamp_with_time_zone_null("scored_at"))
                // The grade after calibration (V-4), when a session moved it.
                .col(string_null("calibrated_grade"))
                .foreign_key(
                    &mut fk("review_participant", "cycle_id", "review_cycle")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .foreign_key(&mut fk("review_participant", "employee_id", "employee"))
                .foreign_key(&mut fk("review_participant", "template_id", "review_template"))
                .take(),
        )
        .await?;
        m.create_index(index("review_participant", "ux_review_participant", &["cycle_id", "employee_id"], true))
            .await?;
        m.create_index(index("review_participant", "ix_review_participant_employee", &["employee_id"], false)).await?;
        m.create_index(index("review_participant", "ix_review_participant_manager", &["manager_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("review")
                .col(pk_uuid("id"))
                .col(uuid("participant_id"))
                .col(uuid("reviewer_id"))
                // self, manager, peers or upward.
                .col(string("source"))
                // nominated, rejected (peers awaiting or refused by the manager), open, draft, submitted.
                .col(string("state"))
                // The reviewer's overall words.
                .col(text("summary"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .col(timestamp_with_time_zone_null("submitted_at"))
                .foreign_key(
                    &mut fk("review", "participant_id", "review_participant")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .foreign_key(&mut fk("review", "reviewer_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("review", "ux_review_reviewer", &["participant_id", "reviewer_id", "source"], true))
            .await?;
        m.create_index(index("review", "ix_review_reviewer", &["reviewer_id", "state"], false)).await?;
        m.create_table(
            Table::create()
                .table("review_rating")
                .col(uuid("review_id"))
                .col(uuid("item_id"))
                .col(integer_null("value"))
                .col(text("comment"))
                .primary_key(Index::create().col("review_id").col("item_id"))
                .foreign_key(
                    &mut fk("review_rating", "review_id", "review").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .foreign_key(
                    &mut fk("review_rating", "item_id", "review_item").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .take(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "review_rating",
            "review",
            "review_participant",
            "review_stage",
            "review_cycle",
            "review_item",
            "review_template",
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
