use sea_orm::entity::prelude::*;

/// A person's manager changed on a day (issue 26, item 1): from whom to whom.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "manager_change")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub employee_id: Uuid,
    pub from_manager_id: Option<Uuid>,
    pub to_manager_id: Option<Uuid>,
    pub changed_on: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
