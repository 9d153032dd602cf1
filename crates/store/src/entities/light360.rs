use sea_orm::entity::prelude::*;

/// A light 360 survey (F-6) about one person after a project.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "light360")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub subject_id: Uuid,
    pub creator_id: Uuid,
    pub project: String,
    pub ended_on: Date,
    /// The last day to answer.
    pub closes_on: Date,
    /// A JSON array of question texts.
    pub questions: String,
    /// The survey's random key for the answered marks, hex.
    pub mark_key: String,
    pub created_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
