use sea_orm::entity::prelude::*;

/// A person taking part in a cycle, as they stood at launch, with their computed score
/// (× 100), grade and the explanation of both (JSON), the grade calibration gave them, and
/// its release, acknowledgement and appeal (V-6).
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
    /// Released to the person (V-6), by whom (named as they were).
    pub released_at: Option<DateTimeUtc>,
    pub released_by_name: Option<String>,
    /// The person acknowledged having read it, with their words if any.
    pub acknowledged_at: Option<DateTimeUtc>,
    pub ack_comment: Option<String>,
    /// The grade a decided appeal changed the result to; it overrides calibration.
    pub appeal_grade: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
