use sea_orm::entity::prelude::*;

/// The organization's time zone (minutes from UTC) and reminder schedule (T-6); one row, id 1.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "org_calendar")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub utc_offset_minutes: i32,
    pub weekly_report: bool,
    pub weekly_weekday: i32,
    pub weekly_hour: i32,
    pub monthly_check_in: bool,
    pub stale_goals: bool,
    pub pending_approvals: bool,
    pub reminder_hour: i32,
    /// Remind people who have not submitted goals before a period's goal-setting deadline.
    pub goal_setting: bool,
    pub review_writing: bool,
    pub updated_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
