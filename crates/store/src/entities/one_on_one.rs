use sea_orm::entity::prelude::*;

/// One 1:1 meeting (F-1): the series' `occurrence`-th, scheduled, held or cancelled, with the
/// notes both participants share.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "one_on_one")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub series_id: Uuid,
    pub manager_id: Uuid,
    pub report_id: Uuid,
    pub occurrence: i32,
    pub starts_at: DateTimeUtc,
    pub duration_min: i32,
    /// scheduled, held or cancelled.
    pub state: String,
    /// Rescheduled by hand (a change of the series leaves it).
    pub moved: bool,
    pub shared_notes: String,
    pub notes_by: Option<Uuid>,
    pub notes_at: Option<DateTimeUtc>,
    pub held_at: Option<DateTimeUtc>,
    /// The ICS SEQUENCE, raised on every change calendar apps should see.
    pub sequence: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
