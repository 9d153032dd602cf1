use sea_orm::entity::prelude::*;

/// Where a submitted goal waits (G-10): the step, the steps of its path (comma-separated),
/// the employee who must approve a manager step, the unit whose HR files it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "goal_approval")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub goal_id: Uuid,
    pub step: String,
    pub path: String,
    pub approver_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub submitted_by: Option<Uuid>,
    pub submitted_at: DateTimeUtc,
    /// Why an agreed goal was changed, when the change goes through approval again (G-11).
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
