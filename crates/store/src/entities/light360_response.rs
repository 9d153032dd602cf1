use sea_orm::entity::prelude::*;

/// One anonymous answer to a light 360: no respondent, no time.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "light360_response")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub survey_id: Uuid,
    /// Random (v4).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// A JSON array of {rating, comment}, in question order.
    pub answers: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
