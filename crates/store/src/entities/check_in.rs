use sea_orm::entity::prelude::*;

/// A check-in (T-1): on a goal, or on one of its key results with the value it reached.
/// `source` is person or api (a KPI actual pushed by another system).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "check_in")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub goal_id: Uuid,
    pub key_result_id: Option<Uuid>,
    pub author_id: Option<Uuid>,
    pub author_name: String,
    pub source: String,
    pub external_id: Option<String>,
    pub value_e4: Option<i64>,
    pub done: Option<bool>,
    pub kr_progress_bp: Option<i32>,
    pub goal_progress_bp: i32,
    pub confidence: Option<String>,
    pub note: Option<String>,
    pub on_date: Date,
    pub created_at: DateTimeUtc,
    /// The manager (employee) who marked it seen, for the follow-up rate (T-6).
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
