use sea_orm::entity::prelude::*;

/// A person moved between grades in a calibration session, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calibration_move")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub session_id: Uuid,
    pub participant_id: Uuid,
    pub from_grade: String,
    pub to_grade: String,
    pub reason: String,
    pub moved_by: Option<Uuid>,
    pub moved_by_name: String,
    pub moved_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
