//! Recognition: company values, kudos with their recipients and values, the points
//! ledger with each person's balance, rewards with their stock, and redemptions awaiting HR.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use super::{fk, index};

pub struct M0017Recognition;

impl MigrationName for M0017Recognition {
    fn name(&self) -> &str {
        "m0017_recognition"
    }
}

/// The values a new organization starts with; HR renames, adds and retires them.
const DEFAULT_VALUES: [(u128, &str, &str); 5] = [
    (1, "客户至上", "从客户的问题出发，对结果负责"),
    (2, "协作共赢", "主动补位，把功劳分享给团队"),
    (3, "追求卓越", "把标准定高一点，把细节做扎实"),
    (4, "诚信正直", "说到做到，坦诚面对问题"),
    (5, "拥抱变化", "快速学习，主动适应新的局面"),
];

#[async_trait::async_trait]
impl MigrationTrait for M0017Recognition {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("company_value")
                .col(pk_uuid("id"))
                .col(string("name"))
                .col(text("description"))
                .col(integer("position"))
                .col(boolean("active"))
                .take(),
        )
        .await?;
        let mut insert = Query::insert();
        insert.into_table("company_value").columns(["id", "name", "description", "position", "active"]);
        for (n, name, description) in DEFAULT_VALUES {
            let id = uuid::Uuid::from_u128(0x7761_796d_6172_6b00_0000_0000_0000_0000 | n);
            insert.values_panic([id.into(), name.into(), description.into(), (n as i32).into(), true.into()]);
        }
        m.exec_stmt(insert).await?;
        m.create_table(
            Table::create()
                .table("kudos")
                .col(pk_uuid("id"))
                .col(uuid("giver_id"))
                // team or organization.
                .col(string("audience"))
                .col(text("message"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("kudos", "giver_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("kudos", "ix_kudos_created", &["created_at"], false)).await?;
        m.create_index(index("kudos", "ix_kudos_giver", &["giver_id", "created_at"], false)).await?;
        m.create_table(
            Table::create()
                .table("kudos_recipient")
                .col(uuid("kudos_id"))
                .col(uuid("employee_id"))
                .primary_key(Index::create().col("kudos_id").col("employee_id"))
                .foreign_key(
                    &mut fk("kudos_recipient", "kudos_id", "kudos").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .foreign_key(&mut fk("kudos_recipient", "employee_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("kudos_recipient", "ix_kudos_recipient_employee", &["employee_id"], false)).await?;
        m.create_table(
            Table::create()
                .table("kudos_value")
                .col(uuid("kudos_id"))
                .col(uuid("value_id"))
                .primary_key(Index::create().col("kudos_id").col("value_id"))
                .foreign_key(&mut fk("kudos_value", "kudos_id", "kudos").on_delete(ForeignKeyAction::Cascade).take())
                .foreign_key(&mut fk("kudos_value", "value_id", "company_value"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("points_balance")
                .col(uuid("employee_id").primary_key())
                .col(big_integer("balance"))
                .foreign_key(
                    &mut fk("points_balance", "employee_id", "employee").on_delete(ForeignKeyAction::Cascade).take(),
                )
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("points_entry")
                .col(pk_uuid("id"))
                .col(uuid("employee_id"))
                .col(big_integer("delta"))
                // kudos, redemption or refund.
                .col(string("reason"))
                .col(uuid("ref_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("points_entry", "employee_id", "employee"))
                .take(),
        )
        .await?;
        m.create_index(index("points_entry", "ix_points_entry_employee", &["employee_id", "created_at"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("reward")
                .col(pk_uuid("id"))
                .col(string("name"))
                .col(text("description"))
                .col(big_integer("cost"))
                // None: unlimited.
                .col(integer_null("stock"))
                .col(boolean("active"))
                .col(timestamp_with_time_zone("created_at"))
                .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("redemption")
                .col(pk_uuid("id"))
                .col(uuid("employee_id"))
                .col(uuid("reward_id"))
                .col(big_integer("cost"))
                // pending, approved or rejected.
                .col(string("state"))
                .col(timestamp_with_time_zone("created_at"))
                .col(uuid_null("decided_by"))
                .col(timestamp_with_time_zone_null("decided_at"))
                .col(text("note"))
                .foreign_key(&mut fk("redemption", "employee_id", "employee"))
                .foreign_key(&mut fk("redemption", "reward_id", "reward"))
                .take(),
        )
        .await?;
        m.create_index(index("redemption", "ix_redemption_state", &["state", "created_at"], false)).await?;
        m.create_index(index("redemption", "ix_redemption_employee", &["employee_id", "created_at"], false)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "redemption",
            "reward",
            "points_entry",
            "points_balance",
            "kudos_value",
            "kudos_recipient",
            "kudos",
            "company_value",
        ] {
            m.drop_table(Table::drop().table(t).take()).await?;
        }
        Ok(())
    }
}
