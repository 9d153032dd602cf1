use sea_orm::entity::prelude::*;

/// The organization's status thresholds (basis points of the whole goal) and risk rules (T-3, T-4).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tracking_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub yellow_behind_bp: i32,
    pub red_behind_bp: i32,
    pub stale_days: i32,
    pub stall_weeks: i32,
    pub pace_window_days: i32,
    pub updated_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
