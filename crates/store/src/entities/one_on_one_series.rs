use sea_orm::entity::prelude::*;

/// The 1:1 cadence of a manager–report pair (F-1): one row per pair, ended and restarted
/// rather than duplicated. `first_at` is the first meeting; the others follow the cadence.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "one_on_one_series")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub manager_id: Uuid,
    pub report_id: Uuid,
    /// weekly, biweekly or monthly.
    pub cadence: String,
    pub first_at: DateTimeUtc,
    /// The occurrence number of the meeting at `first_at` (a new schedule continues the count).
    pub first_occurrence: i32,
    pub duration_min: i32,
    /// A room or a video link.
    pub location: Option<String>,
    pub active: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
