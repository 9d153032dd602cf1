//! Calibration (V-4): sessions over a cycle's participants of one unit (with those below) and
//! optionally one level, and every move of a person between grades with its reason.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0020Calibration;

impl MigrationName for M0020Calibration {
    fn name(&self) -> &str {
        "m0020_calibration"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0020Calibration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("calibration_session")
                .col(pk_uuid("id"))
                .col(uuid("cycle_id"))
                .col(string("name"))
                // The unit calibrated, with everything under it; the whole cycle when NULL.
                .col(uuid_null("unit_id"))
                // Only people at this level (their level at the time), when set.
                .col(string_null("level"))
                // open or locked.
                .col(string("state"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("locked_at"))
                .foreign_key(
                    &mut fk("calibration_session", "cycle_id", "review_cycle")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("calibration_session", "ix_calibration_session_cycle", &["cycle_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("calibration_move")
                .col(pk_uuid("id"))
                .col(uuid("session_id"))
                .col(uuid("participant_id"))
                .col(string("from_grade"))
                .col(string("to_grade"))
                .col(text("reason"))
                .col(uuid_null("moved_by"))
                .col(string("moved_by_name"))
                .col(timestamp_with_time_zone("moved_at"))
                .foreign_key(
                    &mut fk("calibration_move", "session_id", "calibration_session")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .foreign_key(
                    &mut fk("calibration_move", "participant_id", "review_participant")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("calibration_move", "ix_calibration_move_session", &["session_id", "moved_at"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("calibration_move").to_owned()).await?;
        m.drop_table(Table::drop().table("calibration_session").to_owned()).await
    }
}
