use sea_orm::entity::prelude::*;

/// Approval nodes for goals of a unit (and below) and level (G-10); no unit: the organization.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "goal_approval_rule")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Option<Uuid>,
    /// A goal level, or every level when blank.
    pub level: Option<String>,
    pub manager_review: bool,
    pub skip_level: bool,
    pub hr_filing: bool,
    pub change_approval: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
