use sea_orm::entity::prelude::*;

/// A key result, KPI metric, deliverable, milestone or behaviour indicator of a goal. Values are
/// scaled by 10 000; weights are basis points of a percent.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "key_result")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub goal_id: Uuid,
    pub position: i32,
    pub title: String,
    /// numeric, kpi, score, done, rating or rollup.
    pub kind: String,
    pub unit_label: Option<String>,
    pub direction: Option<String>,
    pub flat_rule: Option<String>,
    pub formula: Option<String>,
    pub start_e4: Option<i64>,
    pub target_e4: Option<i64>,
    pub current_e4: Option<i64>,
    pub threshold_e4: Option<i64>,
    pub stretch_e4: Option<i64>,
    pub done: bool,
    pub weight_bp: Option<i32>,
    pub archived: bool,
    /// The last computed progress, in basis points (100 % = 10 000).
    pub progress_bp: i32,
    pub due_on: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
