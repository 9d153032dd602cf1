//! Risk and potential signals (issue 26, items 1 and 2; SPEC I-4): each signal raised about a
//! person with its evidence chain, the person's answers to it and the replies they get, the
//! organization's setting on who else sees names, and each person's choice to be told first.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0034Signals;

impl MigrationName for M0034Signals {
    fn name(&self) -> &str {
        "m0034_signals"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for M0034Signals {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("risk_signal")
                .col(pk_uuid("id"))
                .col(uuid("employee_id"))
                // flight_burnout or high_potential.
                .col(string("kind"))
                // open, or cleared once the rules no longer find it (kept, with its answers).
                .col(string("state"))
                .col(integer("points"))
                // The evidence chain as the rules computed it (JSON, strongest first).
                .col(text("evidence"))
                .col(timestamp_with_time_zone("raised_at"))
                .col(timestamp_with_time_zone("computed_at"))
                .col(timestamp_with_time_zone_null("cleared_at"))
                .foreign_key(&mut fk("risk_signal", "employee_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("risk_signal", "ix_risk_signal_person", &["employee_id", "state"], false)).await?;
        m.create_index(index("risk_signal", "ix_risk_signal_state", &["state", "kind"], false)).await?;
        // One open signal of a kind per person, whatever runs at once (two computations started
        // together would otherwise both raise it). Partial indexes: SQLite and PostgreSQL alike.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_risk_signal_open ON risk_signal (employee_id, kind) WHERE state = 'open'",
            )
            .await?;
        m.create_table(
            Table::create()
                .table("signal_answer")
                .col(pk_uuid("id"))
                .col(uuid("signal_id"))
                .col(uuid("author_id"))
                // explain, contest or wrong.
                .col(string("stance"))
                .col(text("body"))
                .col(timestamp_with_time_zone("created_at"))
                .col(text_null("reply"))
                .col(uuid_null("replied_by"))
                .col(string_null("replied_by_name"))
                .col(timestamp_with_time_zone_null("replied_at"))
                .foreign_key(&mut fk("signal_answer", "signal_id", "risk_signal"))
                .foreign_key(&mut fk("signal_answer", "author_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("signal_answer", "ix_signal_answer_signal", &["signal_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("signal_setting")
                .col(integer("id").primary_key())
                // Managers see named signals of their line (off: counts only).
                .col(boolean("managers_see_names"))
                .col(timestamp_with_time_zone("updated_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("signal_pref")
                .col(uuid("employee_id").primary_key())
                // Tell the person as soon as a signal about them is raised.
                .col(boolean("notify_first"))
                .foreign_key(&mut fk("signal_pref", "employee_id", "employee"))
                .take(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["signal_pref", "signal_setting", "signal_answer", "risk_signal"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
