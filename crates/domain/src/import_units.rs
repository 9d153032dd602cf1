//! Validation of a unit import (SPEC O-1, O-4): the unit tree as HR keeps it in Excel, one
//! row per unit with its code and its parent's code. Re-import updates by code; parents
//! resolve within the file and against the organization; a unit may not end up under
//! itself. All records or all errors, each naming its row and column.

use std::collections::HashMap;

use serde::Serialize;
use uuid::Uuid;

use crate::hierarchy::find_cycle;
use crate::import::{ImportColumn, ImportError, Problem, RowReader, Sheet, Table, UnitLookup, header_key};
use crate::org::{self, FieldError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitColumn {
    Code,
    Name,
    ParentCode,
    Kind,
    SortOrder,
    /// Written by exports so a person can read the tree; ignored on import.
    Path,
}

impl UnitColumn {
    pub const ALL: [UnitColumn; 6] =
        [Self::Code, Self::Name, Self::ParentCode, Self::Kind, Self::SortOrder, Self::Path];
}

impl ImportColumn for UnitColumn {
    const REQUIRED: &'static [Self] = &[Self::Code, Self::Name];

    fn from_header(cell: &str) -> Option<Self> {
        Some(match header_key(cell).as_str() {
            "部门编码" | "部门代码" | "组织编码" | "编码" | "code" | "unitcode" | "departmentcode" => {
                Self::Code
            }
            "部门名称" | "组织名称" | "名称" | "单元名称" | "name" | "unitname" | "departmentname" | "department" => {
                Self::Name
            }
            "上级部门编码" | "上级编码" | "上级部门" | "parentcode" | "parent" | "parentunit" => {
                Self::ParentCode
            }
            "类型" | "部门类型" | "组织类型" | "kind" | "type" | "unittype" => Self::Kind,
            "排序" | "序号" | "sortorder" | "order" => Self::SortOrder,
            "路径" | "部门路径" | "path" => Self::Path,
            _ => return None,
        })
    }

    fn header(self, chinese: bool) -> &'static str {
        let (zh, en) = match self {
            Self::Code => ("部门编码", "code"),
            Self::Name => ("部门名称", "name"),
            Self::ParentCode => ("上级部门编码", "parent_code"),
            Self::Kind => ("类型", "kind"),
            Self::SortOrder => ("排序", "sort_order"),
            Self::Path => ("路径", "path"),
        };
        if chinese { zh } else { en }
    }
}

/// A unit already in the database, as the validation needs to see it.
#[derive(Debug, Clone)]
pub struct ExistingUnit {
    pub id: Uuid,
    pub code: Option<String>,
    pub parent_id: Option<Uuid>,
}

pub struct UnitImportContext<'a> {
    pub existing: &'a [ExistingUnit],
    /// Every existing unit by code, path and name, for parents named by path.
    pub lookup: &'a UnitLookup,
    pub max_rows: usize,
}

/// Where a unit goes in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParentRef {
    /// A top-level unit.
    Root,
    /// A unit of the same file, by code (it may exist already or be new).
    InFile(String),
    /// A unit of the organization that the file does not list.
    Existing(Uuid),
}

/// A validated row, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRecord {
    pub row: usize,
    pub code: String,
    pub name: String,
    /// `None` when the file has no parent column: an update keeps the unit where it is.
    pub parent: Option<ParentRef>,
    /// `None` when blank: new units become departments, existing ones keep their kind.
    pub kind: Option<&'static str>,
    pub sort_order: Option<i32>,
}

/// Validates a whole table of units; all records or all errors (O-4, Q-2).
pub fn validate_units(table: &Table, ctx: &UnitImportContext) -> Result<Vec<UnitRecord>, Vec<ImportError>> {
    let sheet = Sheet::<UnitColumn>::read(table, ctx.max_rows)?;
    let mut errors = Vec::new();
    let rows: Vec<_> = sheet.rows().collect();
    // Codes first, so parents can refer to rows further down the file.
    let mut first_row: HashMap<String, usize> = HashMap::new();
    for r in &rows {
        let Ok(code) = org::required_text(r.get(UnitColumn::Code), 32) else { continue };
        match first_row.get(&code) {
            Some(&first) => errors.push(r.error(UnitColumn::Code, Problem::DuplicateCode { first_row: first })),
            None => {
                first_row.insert(code, r.row);
            }
        }
    }
    let records: Vec<UnitRecord> = rows
        .iter()
        .filter_map(|r| read_row(r, sheet.has(UnitColumn::ParentCode), &first_row, ctx, &mut errors))
        .collect();
    if errors.is_empty() {
        check_cycles(&records, &sheet, ctx, &mut errors);
    }
    if errors.is_empty() { Ok(records) } else { Err(errors) }
}

fn read_row(
    r: &RowReader<UnitColumn>,
    has_parent_column: bool,
    in_file: &HashMap<String, usize>,
    ctx: &UnitImportContext,
    errors: &mut Vec<ImportError>,
) -> Option<UnitRecord> {
    let before = errors.len();
    let mut field = |col: UnitColumn, e: FieldError| errors.push(r.error(col, Problem::Field { error: e }));
    let code = org::required_text(r.get(UnitColumn::Code), 32).map_err(|e| field(UnitColumn::Code, e)).ok();
    let name =
        org::required_text(r.get(UnitColumn::Name), org::MAX_NAME_LEN).map_err(|e| field(UnitColumn::Name, e)).ok();
    let kind = match r.get(UnitColumn::Kind) {
        "" => None,
        s => org::unit_kind(s).map_err(|e| field(UnitColumn::Kind, e)).ok(),
    };
    let sort_order = match r.get(UnitColumn::SortOrder) {
        "" => None,
        s => s.parse::<i32>().map_err(|_| field(UnitColumn::SortOrder, FieldError::InvalidNumber)).ok(),
    };
    let parent = match r.get(UnitColumn::ParentCode) {
        "" if has_parent_column => Some(ParentRef::Root),
        "" => None,
        p if Some(p) == code.as_deref() => {
            errors.push(r.error(UnitColumn::ParentCode, Problem::UnitCycle { cycle: vec![p.to_string()] }));
            None
        }
        p if in_file.contains_key(p) => Some(ParentRef::InFile(p.to_string())),
        p => match ctx.lookup.resolve(p) {
            Ok(id) => Some(ParentRef::Existing(id)),
            Err(Problem::AmbiguousUnit) => {
                errors.push(r.error(UnitColumn::ParentCode, Problem::AmbiguousUnit));
                None
            }
            Err(_) => {
                errors.push(r.error(UnitColumn::ParentCode, Problem::UnknownParent));
                None
            }
        },
    };
    if errors.len() > before {
        return None;
    }
    Some(UnitRecord { row: r.row, code: code?, name: name?, parent, kind, sort_order })
}

/// A unit of the tree after the import: one already stored, or a new row of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Node {
    Stored(Uuid),
    New(usize),
}

/// The tree after the import (the database overridden by the file) must have no cycle.
fn check_cycles(
    records: &[UnitRecord],
    sheet: &Sheet<UnitColumn>,
    ctx: &UnitImportContext,
    errors: &mut Vec<ImportError>,
) {
    let stored_by_code: HashMap<&str, Uuid> =
        ctx.existing.iter().filter_map(|u| u.code.as_deref().map(|c| (c, u.id))).collect();
    let node_of_code: HashMap<&str, Node> = records
        .iter()
        .map(|r| {
            (r.code.as_str(), stored_by_code.get(r.code.as_str()).map_or(Node::New(r.row), |&id| Node::Stored(id)))
        })
        .collect();
    let mut parents: HashMap<Node, Node> =
        ctx.existing.iter().filter_map(|u| u.parent_id.map(|p| (Node::Stored(u.id), Node::Stored(p)))).collect();
    let mut order = Vec::new();
    for r in records {
        let node = node_of_code[r.code.as_str()];
        order.push(node);
        match &r.parent {
            None => {}
            Some(ParentRef::Root) => {
                parents.remove(&node);
            }
            Some(ParentRef::InFile(code)) => {
                parents.insert(node, node_of_code[code.as_str()]);
            }
            Some(ParentRef::Existing(id)) => {
                parents.insert(node, Node::Stored(*id));
            }
        }
    }
    let Some(cycle) = find_cycle(&parents, &order) else { return };
    let code_of_stored: HashMap<Uuid, &str> =
        ctx.existing.iter().map(|u| (u.id, u.code.as_deref().unwrap_or("?"))).collect();
    let name = |n: &Node| match n {
        Node::Stored(id) => code_of_stored.get(id).copied().unwrap_or("?").to_string(),
        Node::New(row) => records.iter().find(|r| r.row == *row).map(|r| r.code.clone()).unwrap_or_default(),
    };
    let named: Vec<String> = cycle.iter().map(name).collect();
    let first = records.iter().find(|r| named.contains(&r.code)).unwrap_or(&records[0]);
    let value = match &first.parent {
        Some(ParentRef::InFile(c)) => c.clone(),
        _ => String::new(),
    };
    errors.push(sheet.error(first.row, UnitColumn::ParentCode, &value, Problem::UnitCycle { cycle: named }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table { rows: rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect() }
    }

    /// In the database: HQ (公司) ← SALES (销售部).
    fn stored() -> (Vec<ExistingUnit>, UnitLookup) {
        let (hq, sales) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let existing = vec![
            ExistingUnit { id: hq, code: Some("HQ".into()), parent_id: None },
            ExistingUnit { id: sales, code: Some("SALES".into()), parent_id: Some(hq) },
        ];
        let mut lookup = UnitLookup::default();
        lookup.add(hq, Some("HQ"), "公司", "公司");
        lookup.add(sales, Some("SALES"), "公司/销售部", "销售部");
        (existing, lookup)
    }

    fn check(t: &Table) -> Result<Vec<UnitRecord>, Vec<ImportError>> {
        let (existing, lookup) = stored();
        validate_units(t, &UnitImportContext { existing: &existing, lookup: &lookup, max_rows: 100 })
    }

    const HEAD: &[&str] = &["部门编码", "部门名称", "上级部门编码", "类型", "排序"];

    #[test]
    fn o4_units_refer_to_parents_in_the_file_and_the_organization() {
        let recs = check(&table(&[
            HEAD,
            &["T1", "华东一组", "EAST", "团队", ""],
            &["EAST", "华东大区", "SALES", "部门", "2"],
            &["NORTH", "华北大区", "公司/销售部", "", ""],
        ]))
        .unwrap();
        assert_eq!(recs[0].parent, Some(ParentRef::InFile("EAST".into())));
        assert_eq!(recs[0].kind, Some("team"));
        assert_eq!(recs[1].parent, Some(ParentRef::Existing(Uuid::from_u128(2))));
        assert_eq!(recs[1].sort_order, Some(2));
        assert_eq!(recs[2].parent, Some(ParentRef::Existing(Uuid::from_u128(2))));
        assert_eq!(recs[2].kind, None);
    }

    #[test]
    fn o4_units_without_a_parent_column_stay_where_they_are() {
        let recs = check(&table(&[&["code", "name"], &["SALES", "销售中心"]])).unwrap();
        assert_eq!(recs[0].parent, None);
        let recs = check(&table(&[&["code", "name", "parent_code"], &["SALES", "销售中心", ""]])).unwrap();
        assert_eq!(recs[0].parent, Some(ParentRef::Root));
    }

    #[test]
    fn o4_unit_rows_report_every_bad_cell() {
        let errs = check(&table(&[
            HEAD,
            &["A", "", "NOWHERE", "科室", "x"],
            &["A", "甲", "", "", ""],
            &["B", "乙", "B", "", ""],
        ]))
        .unwrap_err();
        let found: Vec<(usize, &str, &str)> =
            errs.iter().map(|e| (e.row, e.column.as_str(), e.problem.code())).collect();
        assert_eq!(
            found,
            vec![
                (3, "部门编码", "duplicate_code"),
                (2, "部门名称", "required"),
                (2, "类型", "invalid_unit_kind"),
                (2, "排序", "invalid_number"),
                (2, "上级部门编码", "unknown_parent"),
                (4, "上级部门编码", "unit_cycle"),
            ]
        );
    }

    #[test]
    fn o4_a_unit_cannot_end_up_under_its_own_sub_unit() {
        // HQ moves under a new unit X, which sits under SALES, which is under HQ.
        let errs = check(&table(&[HEAD, &["HQ", "公司", "X", "", ""], &["X", "新部门", "SALES", "", ""]])).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].row, 2);
        assert_eq!(errs[0].problem, Problem::UnitCycle { cycle: vec!["HQ".into(), "X".into(), "SALES".into()] });
        // Moving SALES to the top and HQ under it is fine once both rows apply.
        assert!(check(&table(&[HEAD, &["SALES", "销售部", "", "", ""], &["HQ", "公司", "SALES", "", ""]])).is_ok());
    }

    #[test]
    fn o4_unit_file_needs_code_and_name_columns() {
        let errs = check(&table(&[&["上级部门编码"]])).unwrap_err();
        let cols: Vec<&str> = errs.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(cols, vec!["部门编码", "部门名称"]);
    }
}
