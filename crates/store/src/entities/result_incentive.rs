use sea_orm::entity::prelude::*;

/// A non-monetary incentive from the reward menu granted on a released result (V-9): no
/// points spent, one of the reward's stock taken.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "result_incentive")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub participant_id: Uuid,
    pub cycle_id: Uuid,
    pub employee_id: Uuid,
    pub reward_id: Uuid,
    /// The final grade it was granted on.
    pub grade: String,
    pub reason: String,
    pub granted_by_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
