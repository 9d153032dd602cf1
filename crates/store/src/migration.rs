//! The schema, built with sea-query builders so one migration set serves SQLite and
//! PostgreSQL. Migrations are append-only: never edit one that has shipped.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

mod m0002_goals;
mod m0003_goal_workflow;
mod m0004_goal_weight;
mod m0005_goal_library;
mod m0006_tracking;
mod m0007_jobs;
mod m0008_rhythm;
mod m0009_goal_board;
mod m0010_goal_setting_deadline;
mod m0011_board_counts;
mod m0012_one_on_ones;
mod m0013_feedback;
mod m0014_journal;
mod m0015_light360;
mod m0016_webhooks;
mod m0017_recognition;
mod m0018_kudos_flow;
mod m0019_reviews;
mod m0020_calibration;
mod m0021_release;
mod m0022_development;
mod m0023_talent;
mod m0024_probation;
mod m0025_application;
mod m0026_review_reminders;
mod m0027_security;
mod m0028_one_link_per_pair;
mod m0029_prorate_late_goals;
mod m0030_alignment_requests;
mod m0031_review_progress_index;
mod m0032_sweep_runs;
mod m0033_review_cycle;
mod m0034_signals;
mod m0035_flight_model;
mod m0036_work_weeks;
mod m0037_manager_changes;
mod m0038_dev_reports;
mod m0039_work_week_cover;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(M0001Foundation),
            Box::new(m0002_goals::M0002Goals),
            Box::new(m0003_goal_workflow::M0003GoalWorkflow),
            Box::new(m0004_goal_weight::M0004GoalWeight),
            Box::new(m0005_goal_library::M0005GoalLibrary),
            Box::new(m0006_tracking::M0006Tracking),
            Box::new(m0007_jobs::M0007Jobs),
            Box::new(m0008_rhythm::M0008Rhythm),
            Box::new(m0009_goal_board::M0009GoalBoard),
            Box::new(m0010_goal_setting_deadline::M0010GoalSettingDeadline),
            Box::new(m0011_board_counts::M0011BoardCounts),
            Box::new(m0012_one_on_ones::M0012OneOnOnes),
            Box::new(m0013_feedback::M0013Feedback),
            Box::new(m0014_journal::M0014Journal),
            Box::new(m0015_light360::M0015Light360),
            Box::new(m0016_webhooks::M0016Webhooks),
            Box::new(m0017_recognition::M0017Recognition),
            Box::new(m0018_kudos_flow::M0018KudosFlow),
            Box::new(m0019_reviews::M0019Reviews),
            Box::new(m0020_calibration::M0020Calibration),
            Box::new(m0021_release::M0021Release),
            Box::new(m0022_development::M0022Development),
            Box::new(m0023_talent::M0023Talent),
            Box::new(m0024_probation::M0024Probation),
            Box::new(m0025_application::M0025Application),
            Box::new(m0026_review_reminders::M0026ReviewReminders),
            Box::new(m0027_security::M0027Security),
            Box::new(m0028_one_link_per_pair::M0028OneLinkPerPair),
            Box::new(m0029_prorate_late_goals::M0029ProrateLateGoals),
            Box::new(m0030_alignment_requests::M0030AlignmentRequests),
            Box::new(m0031_review_progress_index::M0031ReviewProgressIndex),
            Box::new(m0032_sweep_runs::M0032SweepRuns),
            Box::new(m0033_review_cycle::M0033ReviewCycle),
            Box::new(m0034_signals::M0034Signals),
            Box::new(m0035_flight_model::M0035FlightModel),
            Box::new(m0036_work_weeks::M0036WorkWeeks),
            Box::new(m0037_manager_changes::M0037ManagerChanges),
            Box::new(m0038_dev_reports::M0038DevReports),
            Box::new(m0039_work_week_cover::M0039WorkWeekCover),
        ]
    }
}

struct M0001Foundation;

impl MigrationName for M0001Foundation {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

fn fk(from_table: &'static str, from_col: &'static str, to_table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from_table, from_col).to(to_table, "id").on_delete(ForeignKeyAction::Restrict).take()
}

/// Creates a table, WITHOUT ROWID on SQLite: rows live in primary-key order, not in the order
/// they were written (the light 360's anonymity), and a table keyed for range reads is read
/// without a second lookup (the kudos flow).
pub(crate) async fn create_unordered(m: &SchemaManager<'_>, t: TableCreateStatement) -> Result<(), DbErr> {
    match m.get_database_backend() {
        DbBackend::Sqlite => {
            let sql = format!("{} WITHOUT ROWID", t.to_string(SqliteQueryBuilder));
            m.get_connection().execute_unprepared(&sql).await.map(|_| ())
        }
        _ => m.create_table(t).await,
    }
}

fn index(table: &'static str, name: &'static str, cols: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(*c);
    }
    if unique {
        i.unique();
    }
    i.take()
}

/// A closure table: every (ancestor, descendant) pair of a tree with its distance.
fn closure_table(
    table: &'static str,
    ancestor: &'static str,
    descendant: &'static str,
    target: &'static str,
) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(uuid(ancestor))
        .col(uuid(descendant))
        .col(integer("depth"))
        .primary_key(Index::create().col(ancestor).col(descendant))
        .foreign_key(&mut fk(table, ancestor, target).on_delete(ForeignKeyAction::Cascade).take())
        .foreign_key(&mut fk(table, descendant, target).on_delete(ForeignKeyAction::Cascade).take())
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for M0001Foundation {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("unit")
                .col(pk_uuid("id"))
                .col(string_null("code"))
                .col(string("name"))
                .col(uuid_null("parent_id"))
                .col(string("kind"))
                .col(integer("sort_order"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("unit", "parent_id", "unit"))
                .take(),
        )
        .await?;
        m.create_index(index("unit", "ux_unit_code", &["code"], true)).await?;
        m.create_index(index("unit", "ix_unit_parent", &["parent_id"], false)).await?;
        m.create_table(closure_table("unit_tree", "ancestor_id", "unit_id", "unit")).await?;
        m.create_index(index("unit_tree", "ix_unit_tree_unit", &["unit_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("employee")
                .col(pk_uuid("id"))
                .col(string("employee_no"))
                .col(string("name"))
                .col(string_null("email"))
                .col(uuid("unit_id"))
                .col(uuid_null("manager_id"))
                .col(string_null("job_family"))
                .col(string_null("career_track"))
                .col(string_null("level"))
                .col(string_null("location"))
                .col(date("hire_date"))
                .col(date_null("probation_end"))
                .col(string("status"))
                .col(date_null("status_since"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("employee", "unit_id", "unit"))
                .foreign_key(&mut fk("employee", "manager_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("employee", "ux_employee_no", &["employee_no"], true)).await?;
        m.create_index(index("employee", "ux_employee_email", &["email"], true)).await?;
        m.create_index(index("employee", "ix_employee_unit", &["unit_id", "name"], false)).await?;
        m.create_index(index("employee", "ix_employee_manager", &["manager_id"], false)).await?;
        m.create_index(index("employee", "ix_employee_name", &["name"], false)).await?;
        m.create_index(index("employee", "ix_employee_status", &["status"], false)).await?;
        m.create_table(closure_table("reporting_line", "manager_id", "employee_id", "employee")).await?;
        m.create_index(index("reporting_line", "ix_reporting_line_employee", &["employee_id", "depth"], false)).await?;

        m.create_table(
            Table::create()
                .table("employee_status_event")
                .col(pk_uuid("id"))
                .col(uuid("employee_id"))
                .col(string("status"))
                .col(date("effective_on"))
                .col(string_null("reason"))
                .col(timestamp_with_time_zone("recorded_at"))
                .col(uuid_null("recorded_by"))
                .foreign_key(
                    &mut fk("employee_status_event", "employee_id", "employee")
                        .on_delete(ForeignKeyAction::Cascade)
                        .take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index(
            "employee_status_event",
            "ix_status_event_employee",
            &["employee_id", "effective_on"],
            false,
        ))
        .await?;

        m.create_table(
            Table::create()
                .table("user_account")
                .col(pk_uuid("id"))
                .col(string("username"))
                .col(string("display_name"))
                .col(string("password_hash"))
                .col(uuid_null("employee_id"))
                .col(string_null("locale"))
                .col(boolean("disabled"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("user_account", "employee_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("user_account", "ux_user_username", &["username"], true)).await?;
        m.create_index(index("user_account", "ux_user_employee", &["employee_id"], true)).await?;

        m.create_table(
            Table::create()
                .table("role_grant")
                .col(pk_uuid("id"))
                .col(uuid("user_id"))
                .col(string("role"))
                .col(uuid_null("unit_id"))
                .foreign_key(
                    &mut fk("role_grant", "user_id", "user_account").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .foreign_key(&mut fk("role_grant", "unit_id", "unit").on_delete(ForeignKeyAction::Cascade).take())
                .take(),
        )
        .await?;
        m.create_index(index("role_grant", "ix_role_grant_user", &["user_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("session")
                .col(string("token_hash").primary_key())
                .col(uuid("user_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .foreign_key(&mut fk("session", "user_id", "user_account").on_delete(ForeignKeyAction::Cascade).take())
                .take(),
        )
        .await?;
        m.create_index(index("session", "ix_session_user", &["user_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("api_token")
                .col(pk_uuid("id"))
                .col(uuid("user_id"))
                .col(string("name"))
                .col(string("token_hash"))
                .col(string("prefix"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(
                    &mut fk("api_token", "user_id", "user_account").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .take(),
        )
        .await?;
        m.create_index(index("api_token", "ux_api_token_hash", &["token_hash"], true)).await?;
        m.create_index(index("api_token", "ix_api_token_user", &["user_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("login_failure")
                .col(pk_uuid("id"))
                .col(string("username"))
                .col(string("ip"))
                .col(timestamp_with_time_zone("at"))
                .take(),
        )
        .await?;
        m.create_index(index("login_failure", "ix_login_failure_user", &["username", "at"], false)).await?;
        m.create_index(index("login_failure", "ix_login_failure_ip", &["ip", "at"], false)).await?;

        m.create_table(
            Table::create()
                .table("audit_log")
                .col(big_integer("seq").primary_key())
                .col(string("id"))
                .col(string("occurred_at"))
                .col(string("actor"))
                .col(uuid_null("actor_user_id"))
                .col(string("entity_type"))
                .col(string("entity_id"))
                .col(uuid_null("subject_employee_id"))
                .col(string("action"))
                .col(text_null("before"))
                .col(text_null("after"))
                .col(text_null("reason"))
                .col(string("prev_hash"))
                .col(string("hash"))
                .take(),
        )
        .await?;
        m.create_index(index("audit_log", "ix_audit_entity", &["entity_type", "entity_id"], false)).await?;
        m.create_index(index("audit_log", "ix_audit_subject", &["subject_employee_id"], false)).await?;
        m.create_index(index("audit_log", "ix_audit_actor", &["actor_user_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("audit_head")
                .col(integer("id").primary_key())
                .col(big_integer("seq"))
                .col(string("hash"))
                .take(),
        )
        .await?;
        let genesis = Query::insert()
            .into_table("audit_head")
            .columns(["id", "seq", "hash"])
            .values_panic([1.into(), 0i64.into(), waymark_domain::audit::GENESIS.into()])
            .take();
        m.exec_stmt(genesis).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "audit_head",
            "audit_log",
            "login_failure",
            "api_token",
            "session",
            "role_grant",
            "user_account",
            "employee_status_event",
            "reporting_line",
            "employee",
            "unit_tree",
            "unit",
        ] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
