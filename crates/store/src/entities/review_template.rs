use sea_orm::entity::prelude::*;

/// A review template (V-2): what is rated, on which scale, how it is scored and graded.
/// `job_families`, `levels`, `scale` and `grades` are JSON.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_template")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub job_families: String,
    pub levels: String,
    pub scale: String,
    pub grades: String,
    pub formula: String,
    pub self_weight: i32,
    pub manager_weight: i32,
    pub peer_weight: i32,
    pub upward_weight: i32,
    pub peers_min: i32,
    pub peers_max: i32,
    pub active: bool,
    /// Goals set part-way through the period count for the part they were held.
    pub prorate_late_goals: bool,
    pub updated_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
