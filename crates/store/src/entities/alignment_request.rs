use sea_orm::entity::prelude::*;

/// A request to align a goal (or one of its key results) to a goal whose owner the requester
/// is not: pending until the parent's owner or HR in scope accepts it (then a `goal_link` is
/// made with the weight they chose) or declines it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "alignment_request")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub child_goal_id: Uuid,
    pub child_kr_id: Option<Uuid>,
    pub parent_goal_id: Uuid,
    pub parent_kr_id: Option<Uuid>,
    pub weight_bp: Option<i32>,
    pub requested_by: Option<Uuid>,
    pub requested_by_name: String,
    pub requested_at: DateTimeUtc,
    /// pending, accepted, declined or withdrawn.
    pub state: String,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
