use sea_orm::entity::prelude::*;

/// One part of a template: a competency, value, key skill or environment factor to rate, a
/// free-text question, or the goals section.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub template_id: Uuid,
    pub section: String,
    pub title: String,
    pub description: String,
    pub weight_bp: Option<i32>,
    pub required: bool,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
