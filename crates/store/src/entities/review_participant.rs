use sea_orm::entity::prelude::*;

/// A person taking part in a cycle, as they stood at launch, with their computed score
/// (× 100), grade and the explanation of both (JSON), and the grade calibration gave them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_participant")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub cycle_id: Uuid,
    pub employee_id: Uuid,
    pub manager_id: Option<Uuid>,
    pub unit_id: Uuid,
    pub template_id: Uuid,
    pub score_bp: Option<i32>,
    pub grade: Option<String>,
    pub explanation: Option<String>,
    pub scored_at: Option<DateTimeUtc>,
    pub calibrated_grade: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
