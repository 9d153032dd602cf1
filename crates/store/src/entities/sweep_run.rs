use sea_orm::entity::prelude::*;

/// The nightly sweep's run of one day in the organization's calendar (the last, if it ran twice).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sweep_run")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub on_date: Date,
    pub finished_at: DateTimeUtc,
    pub goals: i32,
    pub status_changes: i32,
    pub alerts_raised: i32,
    pub alerts_resolved: i32,
    pub elapsed_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
