//! 1:1 meetings (F-1): a series per manager–report pair with its cadence, the meetings it makes
//! (materialized some weeks ahead, so calendars show them), their shared agenda and notes, each
//! participant's private note, action items that carry forward until done, linked goals; each
//! user's calendar subscription (a secret URL, stored as a hash); and HR's own coaching prompts
//! beside the built-in question bank (F-8).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0012OneOnOnes;

impl MigrationName for M0012OneOnOnes {
    fn name(&self) -> &str {
        "m0012_one_on_ones"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0012OneOnOnes {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One series per pair, ever: ended and restarted rather than duplicated.
        m.create_table(
            Table::create()
                .table("one_on_one_series")
                .col(pk_uuid("id"))
                .col(uuid("manager_id"))
                .col(uuid("report_id"))
                .col(string("cadence"))
                .col(timestamp_with_time_zone("first_at"))
                // The occurrence number of the meeting at `first_at`: a new schedule continues
                // the numbering, so meetings kept from the old one never collide with it.
                .col(integer("first_occurrence"))
                .col(integer("duration_min"))
                .col(string_null("location"))
                .col(boolean("active"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("one_on_one_series", "manager_id", "employee"))
                .foreign_key(&mut fk("one_on_one_series", "report_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("one_on_one_series", "ux_one_on_one_pair", &["manager_id", "report_id"], true)).await?;
        m.create_index(index("one_on_one_series", "ix_one_on_one_series_report", &["report_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("one_on_one")
                .col(pk_uuid("id"))
                .col(uuid("series_id"))
                .col(uuid("manager_id"))
                .col(uuid("report_id"))
                .col(integer("occurrence"))
                .col(timestamp_with_time_zone("starts_at"))
                .col(integer("duration_min"))
                .col(string("state"))
                // Rescheduled by hand: a change of the series' cadence leaves it where it is.
                .col(boolean("moved"))
                .col(text("shared_notes"))
                .col(uuid_null("notes_by"))
                .col(timestamp_with_time_zone_null("notes_at"))
                .col(timestamp_with_time_zone_null("held_at"))
                // ICS SEQUENCE: calendar apps replace an event only when it grows.
                .col(integer("sequence"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    &mut fk("one_on_one", "series_id", "one_on_one_series").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("one_on_one", "ux_one_on_one_occurrence", &["series_id", "occurrence"], true)).await?;
        m.create_index(index("one_on_one", "ix_one_on_one_manager", &["manager_id", "starts_at"], false)).await?;
        m.create_index(index("one_on_one", "ix_one_on_one_report", &["report_id", "starts_at"], false)).await?;
        m.create_table(
            Table::create()
                .table("one_on_one_agenda")
                .col(pk_uuid("id"))
                .col(uuid("meeting_id"))
                .col(uuid("author_id"))
                .col(text("text"))
                .col(integer("position"))
                .col(boolean("discussed"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    &mut fk("one_on_one_agenda", "meeting_id", "one_on_one")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("one_on_one_agenda", "ix_one_on_one_agenda", &["meeting_id", "position"], false)).await?;
        // Visible to its author only: never read for anyone else, never audited with its text.
        m.create_table(
            Table::create()
                .table("one_on_one_private_note")
                .col(uuid("meeting_id"))
                .col(uuid("author_id"))
                .col(text("text"))
                .col(timestamp_with_time_zone("updated_at"))
                .primary_key(Index::create().col("meeting_id").col("author_id"))
                .foreign_key(
                    &mut fk("one_on_one_private_note", "meeting_id", "one_on_one")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("one_on_one_action")
                .col(pk_uuid("id"))
                .col(uuid("series_id"))
                .col(uuid("meeting_id"))
                .col(uuid("owner_id"))
                .col(text("text"))
                .col(date_null("due_on"))
                .col(timestamp_with_time_zone_null("done_at"))
                .col(uuid_null("done_by"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    &mut fk("one_on_one_action", "series_id", "one_on_one_series")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("one_on_one_action", "ix_one_on_one_action_series", &["series_id", "created_at"], false))
            .await?;
        m.create_index(index("one_on_one_action", "ix_one_on_one_action_meeting", &["meeting_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("one_on_one_goal")
                .col(uuid("meeting_id"))
                .col(uuid("goal_id"))
                .col(uuid_null("added_by"))
                .col(timestamp_with_time_zone("added_at"))
                .primary_key(Index::create().col("meeting_id").col("goal_id"))
                .foreign_key(
                    &mut fk("one_on_one_goal", "meeting_id", "one_on_one").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .foreign_key(&mut fk("one_on_one_goal", "goal_id", "goal").on_delete(ForeignKeyAction::Cascade).take())
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("calendar_feed")
                .col(uuid("user_id").primary_key())
                .col(string("token_hash"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    &mut fk("calendar_feed", "user_id", "user_account").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("calendar_feed", "ux_calendar_feed_token", &["token_hash"], true)).await?;
        m.create_table(
            Table::create()
                .table("coaching_prompt")
                .col(pk_uuid("id"))
                .col(string("category"))
                .col(text("text_zh"))
                .col(text_null("text_en"))
                .col(boolean("active"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "coaching_prompt",
            "calendar_feed",
            "one_on_one_goal",
            "one_on_one_action",
            "one_on_one_private_note",
            "one_on_one_agenda",
            "one_on_one",
            "one_on_one_series",
        ] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
