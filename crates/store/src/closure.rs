//! Closure tables keep every (ancestor, descendant, depth) pair of a tree, so "all reports
//! of a manager" or "all units under a unit" is one indexed range read at any size (O-3).
//! Two trees use them: `reporting_line` (managers) and `unit_tree` (units).

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use uuid::Uuid;

use crate::StoreResult;

#[derive(Clone, Copy)]
pub struct Closure {
    pub table: &'static str,
    pub ancestor: &'static str,
    pub descendant: &'static str,
}

pub const REPORTING_LINE: Closure =
    Closure { table: "reporting_line", ancestor: "manager_id", descendant: "employee_id" };
pub const UNIT_TREE: Closure = Closure { table: "unit_tree", ancestor: "ancestor_id", descendant: "unit_id" };

/// A statement written with `$1`-style placeholders, rewritten to `?1` for SQLite.
pub(crate) fn raw(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DbBackend::Sqlite => sql.replace('$', "?"),
        _ => sql.to_string(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

impl Closure {
    /// Moves `node` (with its whole subtree) under `new_parent`, or to the root with `None`.
    /// Also used for a new leaf, whose subtree is just itself.
    pub async fn set_parent<C: ConnectionTrait>(&self, c: &C, node: Uuid, new_parent: Option<Uuid>) -> StoreResult<()> {
        let b = c.get_database_backend();
        let Closure { table: t, ancestor: a, descendant: d } = *self;
        // Cut the subtree loose from its old ancestors.
        let cut = format!(
            "DELETE FROM {t} WHERE {d} IN (SELECT {d} FROM {t} WHERE {a} = $1 UNION SELECT $1) \
             AND {a} IN (SELECT {a} FROM {t} WHERE {d} = $1)"
        );
        c.execute_raw(raw(b, &cut, vec![node.into()])).await?;
        if let Some(p) = new_parent {
            // Every ancestor of the new parent (and the parent itself) × every subtree member.
            let join = format!(
                "INSERT INTO {t} ({a}, {d}, depth) \
                 SELECT up.anc, down.des, up.depth + down.depth + 1 FROM \
                 (SELECT {a} AS anc, depth FROM {t} WHERE {d} = $2 UNION ALL SELECT $2, 0) up, \
                 (SELECT {d} AS des, depth FROM {t} WHERE {a} = $1 UNION ALL SELECT $1, 0) down"
            );
            c.execute_raw(raw(b, &join, vec![node.into(), p.into()])).await?;
        }
        Ok(())
    }

    /// Bulk-insert precomputed rows (import and demo generation).
    pub async fn insert_rows<C: ConnectionTrait>(&self, c: &C, rows: &[(Uuid, Uuid, i32)]) -> StoreResult<()> {
        for chunk in rows.chunks(3000) {
            let mut q = sea_orm::sea_query::Query::insert();
            q.into_table(self.table).columns([self.ancestor, self.descendant, "depth"]);
            for (anc, des, depth) in chunk {
                q.values_panic([(*anc).into(), (*des).into(), (*depth).into()]);
            }
            c.execute(&q).await?;
        }
        Ok(())
    }

    /// All descendants of `node` (not `node` itself).
    ///
    /// The ids come back aggregated into one value (an array on PostgreSQL, a hex string on
    /// SQLite): at 100 000 descendants, row-by-row decoding through the driver costs more
    /// than the index scan itself.
    pub async fn descendants<C: ConnectionTrait>(&self, c: &C, node: Uuid) -> StoreResult<Vec<Uuid>> {
        let b = c.get_database_backend();
        let Closure { table: t, ancestor: a, descendant: d } = *self;
        if b == DbBackend::Postgres {
            let sql = format!("SELECT array_agg({d}) FROM {t} WHERE {a} = $1");
            let row = c.query_one_raw(raw(b, &sql, vec![node.into()])).await?;
            let ids: Option<Vec<Uuid>> = row.map(|r| r.try_get_by_index(0)).transpose()?.flatten();
            return Ok(ids.unwrap_or_default());
        }
        let sql = format!("SELECT group_concat(hex({d}), '') FROM {t} WHERE {a} = $1");
        let row = c.query_one_raw(raw(b, &sql, vec![node.into()])).await?;
        let text: Option<String> = row.map(|r| r.try_get_by_index(0)).transpose()?.flatten();
        let text = text.unwrap_or_default();
        let ids = text
            .as_bytes()
            .chunks(32)
            .map(|h| std::str::from_utf8(h).ok().and_then(|h| Uuid::try_parse(h).ok()))
            .collect::<Option<Vec<Uuid>>>();
        ids.ok_or_else(|| sea_orm::DbErr::Type("malformed id in the closure table".into()).into())
    }

    pub async fn count_descendants<C: ConnectionTrait>(&self, c: &C, node: Uuid) -> StoreResult<i64> {
        let sql = format!("SELECT COUNT(*) FROM {t} WHERE {a} = $1", t = self.table, a = self.ancestor);
        let row = c.query_one_raw(raw(c.get_database_backend(), &sql, vec![node.into()])).await?;
        Ok(row.map(|r| r.try_get_by_index::<i64>(0)).transpose()?.unwrap_or(0))
    }

    /// Ancestors of `node`, nearest first.
    pub async fn ancestors<C: ConnectionTrait>(&self, c: &C, node: Uuid) -> StoreResult<Vec<Uuid>> {
        let sql = format!(
            "SELECT {a} FROM {t} WHERE {d} = $1 ORDER BY depth",
            t = self.table,
            a = self.ancestor,
            d = self.descendant
        );
        let rows = c.query_all_raw(raw(c.get_database_backend(), &sql, vec![node.into()])).await?;
        rows.iter().map(|r| r.try_get_by_index::<Uuid>(0).map_err(Into::into)).collect()
    }

    /// Which of `nodes` are strictly below `ancestor`, in one read per 500 nodes.
    pub async fn below_among<C: ConnectionTrait>(
        &self,
        c: &C,
        ancestor: Uuid,
        nodes: &[Uuid],
    ) -> StoreResult<std::collections::HashSet<Uuid>> {
        let mut out = std::collections::HashSet::new();
        for chunk in nodes.chunks(500) {
            let q = sea_orm::sea_query::Query::select()
                .column(self.descendant)
                .from(self.table)
                .and_where(Expr::col(self.ancestor).eq(ancestor))
                .and_where(Expr::col(self.descendant).is_in(chunk.iter().copied()))
                .to_owned();
            for r in c.query_all(&q).await? {
                out.insert(r.try_get_by_index::<Uuid>(0)?);
            }
        }
        Ok(out)
    }

    /// Is `node` strictly below `ancestor`?
    pub async fn is_below<C: ConnectionTrait>(&self, c: &C, ancestor: Uuid, node: Uuid) -> StoreResult<bool> {
        let sql = format!(
            "SELECT 1 FROM {t} WHERE {a} = $1 AND {d} = $2",
            t = self.table,
            a = self.ancestor,
            d = self.descendant
        );
        Ok(c.query_one_raw(raw(c.get_database_backend(), &sql, vec![ancestor.into(), node.into()])).await?.is_some())
    }
}
