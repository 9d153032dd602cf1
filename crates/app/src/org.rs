//! Organization and people (SPEC O-1, O-2, O-3, O-5): units, employees, status changes,
//! the org chart and profiles. Every change is audited in its own transaction.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::hierarchy;
use waymark_domain::org::{self as rules, CareerTrack, EmployeeStatus, EmploymentDates, FieldError, Unit};
use waymark_domain::org::{Employee, StatusRecord};
use waymark_store::repo::org::{self as repo, EmployeeFilter};

use crate::audit::{entry, json};
use crate::policy::{Action, Actor, Facts, Resource, Scope, allowed};
use crate::{App, AppError, AppResult, FieldIssue};

pub struct OrgService<'a> {
    pub(crate) app: &'a App,
}

/// The largest page of people one request may ask for.
pub const MAX_PAGE: u64 = 200;

/// Paging deeper than this is refused (the databases take signed 64-bit offsets).
pub const MAX_OFFSET: u64 = 1 << 40;

pub use waymark_domain::org::UNIT_KINDS;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitView {
    pub id: Uuid,
    pub code: Option<String>,
    pub name: String,
    pub parent_id: Option<Uuid>,
    pub kind: String,
    /// People directly in this unit (not counting those who left).
    pub member_count: i64,
}

/// A person named in a view: a 1:1's other side, a feedback's giver or recipient.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
}

/// The names of `ids` (those that exist), in one read.
pub(crate) async fn employee_names<C: waymark_store::sea_orm::ConnectionTrait>(
    c: &C,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, String>> {
    Ok(repo::employees_by_ids(c, ids).await?.into_iter().map(|e| (e.id, e.name)).collect())
}

/// How a set of people relate to an actor, read in two queries whatever their number: whom the
/// actor manages (at any depth) and, for HR, each person's unit. Services turn it into `Facts`.
pub(crate) struct Relations {
    managed: HashSet<Uuid>,
    unit_of: HashMap<Uuid, Uuid>,
}

impl Relations {
    pub(crate) fn manages(&self, person: Uuid) -> bool {
        self.managed.contains(&person)
    }

    /// The person's current unit, known only when the actor is HR (the only use of it).
    pub(crate) fn unit_of(&self, person: Uuid) -> Option<Uuid> {
        self.unit_of.get(&person).copied()
    }

    /// Whether the person's unit is in the actor's HR scope.
    pub(crate) fn in_hr_scope(&self, actor: &Actor, person: Uuid) -> bool {
        actor.hr.as_ref().zip(self.unit_of(person)).is_some_and(|(s, u)| s.covers(u))
    }
}

/// What everyone in the organization may see of a person.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmployeeCard {
    pub id: Uuid,
    pub employee_no: String,
    pub name: String,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub manager_id: Option<Uuid>,
    pub job_family: Option<String>,
    pub level: Option<String>,
    pub location: Option<String>,
    /// active, on_leave or left.
    #[schema(value_type = String)]
    pub status: EmployeeStatus,
}

/// HR data of a person: self, their managers and HR in scope only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonalRecord {
    pub email: Option<String>,
    /// technical or management.
    #[schema(value_type = Option<String>)]
    pub career_track: Option<CareerTrack>,
    pub hire_date: NaiveDate,
    pub probation_end: Option<NaiveDate>,
    pub status_since: Option<NaiveDate>,
    pub status_history: Vec<StatusEvent>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusEvent {
    #[schema(value_type = String)]
    pub status: EmployeeStatus,
    pub effective_on: NaiveDate,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Profile {
    pub card: EmployeeCard,
    /// Present only when the viewer may read the person's HR record.
    pub record: Option<PersonalRecord>,
    /// Managers above, nearest first.
    pub chain: Vec<EmployeeCard>,
    pub direct_reports: Vec<EmployeeCard>,
    /// Everyone below in the reporting line, at any depth.
    pub report_count: i64,
    pub can_edit: bool,
    pub can_read_performance: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitDetail {
    pub unit: UnitView,
    /// From the top of the tree down to the parent.
    pub path: Vec<UnitView>,
    pub children: Vec<UnitView>,
    pub members: Vec<EmployeeCard>,
    pub can_edit: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmployeePage {
    pub items: Vec<EmployeeCard>,
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
}

/// A unit as HR enters it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UnitInput {
    pub name: String,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub parent_id: Option<Uuid>,
    /// company, business_unit, department, team or other.
    #[schema(pattern = "^(company|business_unit|department|team|other)$")]
    pub kind: String,
}

/// An employee as HR enters it; dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct EmployeeInput {
    #[schema(pattern = "^[A-Za-z0-9_-]{1,32}$")]
    pub employee_no: String,
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
    pub unit_id: Uuid,
    /// The manager's employee number.
    #[serde(default)]
    pub manager_no: Option<String>,
    #[serde(default)]
    pub job_family: Option<String>,
    /// technical or management.
    #[serde(default)]
    pub career_track: Option<String>,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[schema(format = Date)]
    pub hire_date: String,
    #[serde(default)]
    #[schema(format = Date)]
    pub probation_end: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StatusChange {
    /// active, on_leave or left.
    #[schema(pattern = "^(active|on_leave|left)$")]
    pub status: String,
    /// `YYYY-MM-DD`
    #[schema(format = Date)]
    pub effective_on: String,
    #[serde(default)]
    pub reason: Option<String>,
}

fn employee_json(e: &Employee) -> Option<String> {
    json(&serde_json::json!({
        "employee_no": e.employee_no, "name": e.name, "email": e.email, "unit_id": e.unit_id,
        "manager_id": e.manager_id, "job_family": e.job_family, "career_track": e.career_track,
        "level": e.level, "location": e.location, "hire_date": e.hire_date,
        "probation_end": e.probation_end, "status": e.status, "status_since": e.status_since,
    }))
}

fn unit_json(u: &Unit) -> Option<String> {
    json(&serde_json::json!({ "code": u.code, "name": u.name, "parent_id": u.parent_id, "kind": u.kind }))
}

/// The audit entry of a change to one employee (who is also the entry's subject).
pub(crate) fn employee_entry(
    actor: &Actor,
    now: chrono::DateTime<chrono::Utc>,
    action: &str,
    before: Option<&Employee>,
    after: &Employee,
    reason: Option<String>,
) -> waymark_store::repo::audit::NewAudit {
    entry(
        actor,
        now,
        "employee",
        after.id,
        Some(after.id),
        action,
        before.and_then(employee_json),
        employee_json(after),
        reason,
    )
}

pub(crate) fn employee_audit_json(e: &Employee) -> Option<String> {
    employee_json(e)
}
pub(crate) fn unit_audit_json(u: &Unit) -> Option<String> {
    unit_json(u)
}

fn issue(field: &str, e: FieldError) -> FieldIssue {
    FieldIssue::new(field, e.code(), e.message())
}

impl OrgService<'_> {
    fn c(&self) -> &waymark_store::sea_orm::DatabaseConnection {
        &self.app.db.conn
    }

    /// The HR (and executive) scopes of an actor with sub-units expanded.
    pub async fn expand_scope(&self, granted: &[Option<Uuid>]) -> AppResult<Scope> {
        if granted.iter().any(Option::is_none) {
            return Ok(Scope::Organization);
        }
        let mut set = HashSet::new();
        for u in granted.iter().flatten() {
            set.extend(repo::unit_subtree(self.c(), *u).await?);
        }
        Ok(Scope::Units(set))
    }

    /// How `target` relates to `actor`.
    pub async fn facts_for_employee(&self, actor: &Actor, target: &Employee) -> AppResult<Facts> {
        let is_self = actor.employee_id == Some(target.id);
        let manages = match actor.employee_id {
            Some(me) if actor.is_manager && !is_self => repo::manages(self.c(), me, target.id).await?,
            _ => false,
        };
        Ok(Facts {
            is_self,
            manages,
            in_hr_scope: actor.hr.as_ref().is_some_and(|s| s.covers(target.unit_id)),
            in_exec_scope: actor.executive.as_ref().is_some_and(|s| s.covers(target.unit_id)),
            ..Facts::default()
        })
    }

    /// How each of `people` relates to `actor` (see `Relations`).
    pub(crate) async fn relations(&self, actor: &Actor, people: &[Uuid]) -> AppResult<Relations> {
        let managed = match actor.employee_id {
            Some(me) if actor.is_manager => repo::managed_among(self.c(), me, people).await?,
            _ => HashSet::new(),
        };
        let unit_of = match actor.hr {
            Some(_) => repo::employees_by_ids(self.c(), people).await?.into_iter().map(|e| (e.id, e.unit_id)).collect(),
            None => HashMap::new(),
        };
        Ok(Relations { managed, unit_of })
    }

    pub(crate) fn facts_for_unit(actor: &Actor, unit: Option<Uuid>) -> Facts {
        let covers = |s: &Option<Scope>| match (s, unit) {
            (Some(Scope::Organization), _) => true,
            (Some(s), Some(u)) => s.covers(u),
            _ => false,
        };
        Facts { in_hr_scope: covers(&actor.hr), in_exec_scope: covers(&actor.executive), ..Facts::default() }
    }

    fn require(actor: &Actor, action: Action, resource: Resource, facts: Facts) -> AppResult<()> {
        if allowed(actor, action, resource, facts) { Ok(()) } else { Err(AppError::Forbidden) }
    }

    // ---- reading -----------------------------------------------------------------------------

    pub async fn units(&self, actor: &Actor) -> AppResult<Vec<UnitView>> {
        Self::require(actor, Action::Read, Resource::OrgStructure, Facts::default())?;
        let counts: HashMap<Uuid, i64> = repo::unit_member_counts(self.c(), None).await?.into_iter().collect();
        Ok(repo::all_units(self.c()).await?.into_iter().map(|u| view(u, &counts)).collect())
    }

    /// Sub-units of `parent` (top-level units for `None`), for the collapsible org chart.
    pub async fn child_units(&self, actor: &Actor, parent: Option<Uuid>) -> AppResult<Vec<UnitView>> {
        Self::require(actor, Action::Read, Resource::OrgStructure, Facts::default())?;
        let units = repo::child_units(self.c(), parent).await?;
        let ids: Vec<Uuid> = units.iter().map(|u| u.id).collect();
        let counts: HashMap<Uuid, i64> = repo::unit_member_counts(self.c(), Some(&ids)).await?.into_iter().collect();
        Ok(units.into_iter().map(|u| view(u, &counts)).collect())
    }

    pub async fn unit_detail(&self, actor: &Actor, id: Uuid) -> AppResult<UnitDetail> {
        Self::require(actor, Action::Read, Resource::OrgStructure, Facts::default())?;
        let c = self.c();
        let u = repo::unit(c, id).await?.ok_or(AppError::NotFound("unit"))?;
        // Ancestors come nearest first; the breadcrumb reads from the top.
        let ancestors = repo::unit_ancestors(c, id).await?;
        let mut path_units = repo::units_by_ids(c, &ancestors).await?;
        path_units.sort_by_key(|u| std::cmp::Reverse(ancestors.iter().position(|a| *a == u.id)));
        let children = repo::child_units(c, Some(id)).await?;
        let ids: Vec<Uuid> = path_units.iter().chain(&children).map(|x| x.id).chain([id]).collect();
        let counts: HashMap<Uuid, i64> = repo::unit_member_counts(c, Some(&ids)).await?.into_iter().collect();
        let path = path_units.into_iter().map(|x| view(x, &counts)).collect();
        let children = children.into_iter().map(|x| view(x, &counts)).collect();
        let members = repo::unit_members(c, id, false).await?;
        let names = HashMap::from([(u.id, u.name.clone())]);
        let members = members.iter().map(|e| card(e, &names)).collect();
        let can_edit = allowed(actor, Action::Write, Resource::OrgStructure, Self::facts_for_unit(actor, Some(id)));
        Ok(UnitDetail { unit: view(u, &counts), path, children, members, can_edit })
    }

    async fn unit_names(&self, ids: impl IntoIterator<Item = Uuid>) -> AppResult<HashMap<Uuid, String>> {
        let ids: Vec<Uuid> = ids.into_iter().collect::<HashSet<_>>().into_iter().collect();
        Ok(repo::units_by_ids(self.c(), &ids).await?.into_iter().map(|u| (u.id, u.name)).collect())
    }

    pub async fn cards(&self, rows: &[Employee]) -> AppResult<Vec<EmployeeCard>> {
        let names = self.unit_names(rows.iter().map(|e| e.unit_id)).await?;
        Ok(rows.iter().map(|e| card(e, &names)).collect())
    }

    /// Directory search by name or employee number (the org chart's search box).
    pub async fn search(
        &self,
        actor: &Actor,
        query: Option<String>,
        unit: Option<Uuid>,
        include_left: bool,
        offset: u64,
        limit: u64,
    ) -> AppResult<EmployeePage> {
        Self::require(actor, Action::Read, Resource::Directory, Facts::default())?;
        let units = match unit {
            Some(u) => Some(repo::unit_subtree(self.c(), u).await?),
            None => None,
        };
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(AppError::field("limit", "out_of_range", format!("must be between 1 and {MAX_PAGE}")));
        }
        if offset > MAX_OFFSET {
            return Err(AppError::field("offset", "too_large", format!("must be at most {MAX_OFFSET}")));
        }
        let (rows, total) =
            repo::search_employees(self.c(), &EmployeeFilter { query, units, include_left, offset, limit }).await?;
        Ok(EmployeePage { items: self.cards(&rows).await?, total, offset, limit })
    }

    /// How many people are currently employed (the org chart's headline).
    pub async fn headcount(&self, actor: &Actor) -> AppResult<u64> {
        Self::require(actor, Action::Read, Resource::Directory, Facts::default())?;
        Ok(repo::count_current_employees(self.c()).await?)
    }

    pub async fn employee(&self, actor: &Actor, id: Uuid) -> AppResult<EmployeeCard> {
        Self::require(actor, Action::Read, Resource::Directory, Facts::default())?;
        let e = repo::employee(self.c(), id).await?.ok_or(AppError::NotFound("employee"))?;
        Ok(self.cards(std::slice::from_ref(&e)).await?.remove(0))
    }

    pub async fn unit_id_by_code(&self, actor: &Actor, code: &str) -> AppResult<Uuid> {
        Self::require(actor, Action::Read, Resource::OrgStructure, Facts::default())?;
        Ok(repo::unit_by_code(self.c(), code.trim()).await?.ok_or(AppError::NotFound("unit"))?.id)
    }

    pub async fn employee_id_by_no(&self, actor: &Actor, no: &str) -> AppResult<Uuid> {
        Self::require(actor, Action::Read, Resource::Directory, Facts::default())?;
        Ok(repo::employee_by_no(self.c(), no.trim()).await?.ok_or(AppError::NotFound("employee"))?.id)
    }

    /// The profile page's data (O-5); private parts only where the policy allows.
    pub async fn profile(&self, actor: &Actor, id: Uuid) -> AppResult<Profile> {
        Self::require(actor, Action::Read, Resource::Directory, Facts::default())?;
        let c = self.c();
        let e = repo::employee(c, id).await?.ok_or(AppError::NotFound("employee"))?;
        let facts = self.facts_for_employee(actor, &e).await?;
        let record = if allowed(actor, Action::Read, Resource::PersonalRecord, facts) {
            let history = repo::status_history(c, id).await?;
            Some(PersonalRecord {
                email: e.email.clone(),
                career_track: e.career_track,
                hire_date: e.hire_date,
                probation_end: e.probation_end,
                status_since: e.status_since,
                status_history: history
                    .into_iter()
                    .map(|h| StatusEvent { status: h.status, effective_on: h.effective_on, reason: h.reason })
                    .collect(),
            })
        } else {
            None
        };
        let chain_ids = repo::chain_of_command(c, id).await?;
        let mut chain_rows = repo::employees_by_ids(c, &chain_ids).await?;
        chain_rows.sort_by_key(|r| chain_ids.iter().position(|x| *x == r.id));
        let reports = repo::direct_reports(c, id).await?;
        let mut all = vec![e.clone()];
        all.extend(chain_rows.iter().cloned());
        all.extend(reports.iter().cloned());
        let names = self.unit_names(all.iter().map(|r| r.unit_id)).await?;
        Ok(Profile {
            card: card(&e, &names),
            record,
            chain: chain_rows.iter().map(|r| card(r, &names)).collect(),
            direct_reports: reports.iter().map(|r| card(r, &names)).collect(),
            report_count: repo::count_all_reports(c, id).await?,
            can_edit: allowed(actor, Action::Write, Resource::PersonalRecord, facts),
            can_read_performance: allowed(actor, Action::Read, Resource::PerformanceContent, facts),
        })
    }

    /// Everyone in `manager`'s reporting line, at any depth (O-3).
    pub async fn all_reports(&self, actor: &Actor, manager: Uuid) -> AppResult<Vec<Uuid>> {
        Self::require(actor, Action::Read, Resource::Directory, Facts::default())?;
        repo::employee(self.c(), manager).await?.ok_or(AppError::NotFound("employee"))?;
        Ok(repo::all_reports(self.c(), manager).await?)
    }

    // ---- units: changes ----------------------------------------------------------------------

    fn check_unit_input(input: &UnitInput) -> Result<(String, Option<String>), Vec<FieldIssue>> {
        let mut issues = Vec::new();
        let name =
            rules::required_text(&input.name, rules::MAX_NAME_LEN).map_err(|e| issues.push(issue("name", e))).ok();
        let code = rules::optional_text(input.code.as_deref().unwrap_or(""), 32)
            .map_err(|e| issues.push(issue("code", e)))
            .ok()
            .flatten();
        if !UNIT_KINDS.contains(&input.kind.as_str()) {
            issues.push(issue("kind", FieldError::InvalidUnitKind));
        }
        if issues.is_empty() { Ok((name.unwrap_or_default(), code)) } else { Err(issues) }
    }

    async fn check_code_free(&self, code: &Option<String>, except: Option<Uuid>) -> AppResult<()> {
        if let Some(code) = code
            && let Some(other) = repo::unit_by_code(self.c(), code).await?
            && Some(other.id) != except
        {
            return Err(AppError::field("code", "duplicate_code", "another unit already has this code"));
        }
        Ok(())
    }

    pub async fn create_unit(&self, actor: &Actor, input: UnitInput) -> AppResult<UnitView> {
        let (name, code) = Self::check_unit_input(&input).map_err(AppError::Invalid)?;
        if let Some(p) = input.parent_id {
            repo::unit(self.c(), p)
                .await?
                .ok_or_else(|| AppError::field("parent_id", "unknown_unit", "no such unit"))?;
        }
        Self::require(actor, Action::Write, Resource::OrgStructure, Self::facts_for_unit(actor, input.parent_id))?;
        self.check_code_free(&code, None).await?;
        let now = self.app.clock.now();
        let u = Unit {
            id: Uuid::now_v7(),
            code,
            name,
            parent_id: input.parent_id,
            kind: input.kind,
            sort_order: 0,
            created_at: now,
            updated_at: now,
        };
        let tx = self.app.db.begin_write().await?;
        let u = repo::insert_unit(&*tx, u).await?;
        let a = entry(actor, now, "unit", u.id, None, "create", None, unit_json(&u), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(view(u, &HashMap::new()))
    }

    pub async fn update_unit(
        &self,
        actor: &Actor,
        id: Uuid,
        input: UnitInput,
        reason: Option<String>,
    ) -> AppResult<UnitView> {
        let (name, code) = Self::check_unit_input(&input).map_err(AppError::Invalid)?;
        let c = self.c();
        let before = repo::unit(c, id).await?.ok_or(AppError::NotFound("unit"))?;
        Self::require(actor, Action::Write, Resource::OrgStructure, Self::facts_for_unit(actor, Some(id)))?;
        if let Some(p) = input.parent_id {
            repo::unit(c, p).await?.ok_or_else(|| AppError::field("parent_id", "unknown_unit", "no such unit"))?;
            if p == id || repo::unit_is_below(c, id, p).await? {
                return Err(AppError::field(
                    "parent_id",
                    "unit_cycle",
                    "a unit cannot move under itself or its own sub-unit",
                ));
            }
            Self::require(actor, Action::Write, Resource::OrgStructure, Self::facts_for_unit(actor, Some(p)))?;
        } else if before.parent_id.is_some() {
            Self::require(actor, Action::Write, Resource::OrgStructure, Self::facts_for_unit(actor, None))?;
        }
        self.check_code_free(&code, Some(id)).await?;
        let now = self.app.clock.now();
        let after =
            Unit { code, name, parent_id: input.parent_id, kind: input.kind, updated_at: now, ..before.clone() };
        let tx = self.app.db.begin_write().await?;
        repo::update_unit(&*tx, &before, after.clone()).await?;
        let a = entry(actor, now, "unit", id, None, "update", unit_json(&before), unit_json(&after), reason);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(view(after, &HashMap::new()))
    }

    // ---- employees: changes ------------------------------------------------------------------

    /// Validates the fields of an employee form; resolves the manager by number.
    async fn check_employee_input(&self, input: &EmployeeInput, id: Option<Uuid>) -> AppResult<Employee> {
        let mut issues = Vec::new();
        let mut take = |field: &str, r: Result<Option<String>, FieldError>| {
            r.map_err(|e| issues.push(issue(field, e))).ok().flatten()
        };
        let employee_no = take("employee_no", rules::employee_no(&input.employee_no).map(Some));
        let name = take("name", rules::required_text(&input.name, rules::MAX_NAME_LEN).map(Some));
        let email = take("email", rules::email(input.email.as_deref().unwrap_or("")));
        let text = |v: &Option<String>| rules::optional_text(v.as_deref().unwrap_or(""), rules::MAX_TEXT_LEN);
        let job_family = take("job_family", text(&input.job_family));
        let level = take("level", text(&input.level));
        let location = take("location", text(&input.location));
        let career_track = match input.career_track.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match CareerTrack::parse(s) {
                Some(t) => Some(t),
                None => {
                    issues.push(issue("career_track", FieldError::InvalidCareerTrack));
                    None
                }
            },
        };
        let hire = rules::parse_date(&input.hire_date).and_then(|d| d.ok_or(FieldError::Required));
        let probation = rules::parse_date(input.probation_end.as_deref().unwrap_or(""));
        if let Err(e) = hire {
            issues.push(issue("hire_date", e));
        }
        if let Err(e) = probation {
            issues.push(issue("probation_end", e));
        }
        if let (Ok(hire_date), Ok(probation_end)) = (hire, probation)
            && let Err((field, e)) =
                rules::check_dates(&EmploymentDates { hire_date, probation_end, status_since: None }, self.app.today())
        {
            issues.push(issue(field, e));
        }
        let c = self.c();
        if repo::unit(c, input.unit_id).await?.is_none() {
            issues.push(FieldIssue::new("unit_id", "unknown_unit", "no such unit"));
        }
        let mut manager_id = None;
        if let Some(no) = input.manager_no.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            match repo::employee_by_no(c, no).await? {
                None => issues.push(FieldIssue::new("manager_no", "unknown_manager", "no employee has this number")),
                Some(m) if Some(m.id) == id => {
                    issues.push(FieldIssue::new("manager_no", "own_manager", "an employee cannot be their own manager"))
                }
                Some(m) => {
                    if let Some(me) = id
                        && repo::manages(c, me, m.id).await?
                    {
                        issues.push(FieldIssue::new(
                            "manager_no",
                            "manager_cycle",
                            "this person reports to the employee: that would make a cycle",
                        ));
                    }
                    manager_id = Some(m.id);
                }
            }
        }
        if let Some(no) = &employee_no
            && let Some(other) = repo::employee_by_no(c, no).await?
            && Some(other.id) != id
        {
            issues.push(FieldIssue::new("employee_no", "duplicate_employee_no", "another employee has this number"));
        }
        if let Some(m) = &email
            && let Some(other) = repo::employee_by_email(c, m).await?
            && Some(other.id) != id
        {
            issues.push(FieldIssue::new("email", "duplicate_email", "another employee has this e-mail"));
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let now = self.app.clock.now();
        Ok(Employee {
            id: id.unwrap_or_else(Uuid::now_v7),
            employee_no: employee_no.unwrap_or_default(),
            name: name.unwrap_or_default(),
            email,
            unit_id: input.unit_id,
            manager_id,
            job_family,
            career_track,
            level,
            location,
            hire_date: hire.unwrap_or_default(),
            probation_end: probation.unwrap_or_default(),
            status: EmployeeStatus::Active,
            status_since: None,
            created_at: now,
            updated_at: now,
        })
    }

    pub async fn create_employee(&self, actor: &Actor, input: EmployeeInput) -> AppResult<EmployeeCard> {
        let mut e = self.check_employee_input(&input, None).await?;
        Self::require(actor, Action::Write, Resource::PersonalRecord, Self::facts_for_unit(actor, Some(e.unit_id)))?;
        let now = self.app.clock.now();
        e.status_since = Some(e.hire_date);
        let event = StatusRecord {
            id: Uuid::now_v7(),
            employee_id: e.id,
            status: e.status,
            effective_on: e.hire_date,
            reason: None,
            recorded_at: now,
            recorded_by: actor.user_id,
        };
        let tx = self.app.db.begin_write().await?;
        repo::insert_employee(&*tx, e.clone()).await?;
        repo::insert_status_event(&*tx, event).await?;
        let a = employee_entry(actor, now, "create", None, &e, None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(self.cards(&[e]).await?.remove(0))
    }

    pub async fn update_employee(
        &self,
        actor: &Actor,
        id: Uuid,
        input: EmployeeInput,
        reason: Option<String>,
    ) -> AppResult<EmployeeCard> {
        let before = repo::employee(self.c(), id).await?.ok_or(AppError::NotFound("employee"))?;
        // Both the current and the new unit must be in the actor's scope.
        Self::require(actor, Action::Write, Resource::PersonalRecord, self.facts_for_employee(actor, &before).await?)?;
        let fresh = self.check_employee_input(&input, Some(id)).await?;
        Self::require(
            actor,
            Action::Write,
            Resource::PersonalRecord,
            Self::facts_for_unit(actor, Some(fresh.unit_id)),
        )?;
        let now = self.app.clock.now();
        let after = Employee {
            status: before.status,
            status_since: before.status_since,
            created_at: before.created_at,
            updated_at: now,
            ..fresh
        };
        let tx = self.app.db.begin_write().await?;
        repo::update_employee(&*tx, &before, after.clone()).await?;
        let a = employee_entry(actor, now, "update", Some(&before), &after, reason);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(self.cards(&[after]).await?.remove(0))
    }

    /// Active ↔ on leave ↔ left, with the date it takes effect; history is kept.
    pub async fn change_status(&self, actor: &Actor, id: Uuid, change: StatusChange) -> AppResult<EmployeeCard> {
        let before = repo::employee(self.c(), id).await?.ok_or(AppError::NotFound("employee"))?;
        Self::require(actor, Action::Write, Resource::PersonalRecord, self.facts_for_employee(actor, &before).await?)?;
        let mut issues = Vec::new();
        let status = EmployeeStatus::parse(&change.status);
        if status.is_none() {
            issues.push(issue("status", FieldError::InvalidStatus));
        }
        let effective = rules::parse_date(&change.effective_on).and_then(|d| d.ok_or(FieldError::Required));
        match effective {
            Err(e) => issues.push(issue("effective_on", e)),
            Ok(d) if d < before.hire_date => issues.push(issue("effective_on", FieldError::StatusBeforeHire)),
            Ok(_) => {}
        }
        let reason = rules::optional_text(change.reason.as_deref().unwrap_or(""), 500)
            .map_err(|e| issues.push(issue("reason", e)))
            .ok()
            .flatten();
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let (status, effective) = (status.unwrap_or(EmployeeStatus::Active), effective.unwrap_or_default());
        let now = self.app.clock.now();
        let after = Employee { status, status_since: Some(effective), updated_at: now, ..before.clone() };
        let event = StatusRecord {
            id: Uuid::now_v7(),
            employee_id: id,
            status,
            effective_on: effective,
            reason: reason.clone(),
            recorded_at: now,
            recorded_by: actor.user_id,
        };
        let tx = self.app.db.begin_write().await?;
        repo::update_employee(&*tx, &before, after.clone()).await?;
        repo::insert_status_event(&*tx, event).await?;
        if status == EmployeeStatus::Left {
            crate::accounts::AccountService::end_access_of_employees(&*tx, &[id], now).await?;
        }
        let a = employee_entry(actor, now, "status", Some(&before), &after, reason);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(self.cards(&[after]).await?.remove(0))
    }

    /// Units the actor may place people in, as full paths, sorted; refused when none.
    pub async fn assignable_units(&self, actor: &Actor) -> AppResult<Vec<(Uuid, String)>> {
        let mut units: Vec<(Uuid, String)> = self
            .unit_paths()
            .await?
            .into_iter()
            .filter(|(u, _)| {
                allowed(actor, Action::Write, Resource::PersonalRecord, Self::facts_for_unit(actor, Some(*u)))
            })
            .map(|(u, (_, path))| (u, path))
            .collect();
        if units.is_empty() {
            return Err(AppError::Forbidden);
        }
        units.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(units)
    }

    /// Ancestor lists of every unit (for imports and exports that name units by path).
    pub async fn unit_paths(&self) -> AppResult<HashMap<Uuid, (Unit, String)>> {
        let units = repo::all_units(self.c()).await?;
        let parents: HashMap<Uuid, Uuid> = units.iter().filter_map(|u| u.parent_id.map(|p| (u.id, p))).collect();
        let names: HashMap<Uuid, String> = units.iter().map(|u| (u.id, u.name.clone())).collect();
        Ok(units
            .into_iter()
            .map(|u| {
                let mut chain: Vec<&str> = hierarchy::ancestors(&parents, u.id)
                    .iter()
                    .rev()
                    .filter_map(|a| names.get(a).map(String::as_str))
                    .collect();
                chain.push(&u.name);
                let path = chain.join("/");
                (u.id, (u, path))
            })
            .collect())
    }
}

fn view(u: Unit, counts: &HashMap<Uuid, i64>) -> UnitView {
    UnitView {
        member_count: counts.get(&u.id).copied().unwrap_or(0),
        id: u.id,
        code: u.code,
        name: u.name,
        parent_id: u.parent_id,
        kind: u.kind,
    }
}

pub(crate) fn card(e: &Employee, unit_names: &HashMap<Uuid, String>) -> EmployeeCard {
    EmployeeCard {
        id: e.id,
        employee_no: e.employee_no.clone(),
        name: e.name.clone(),
        unit_id: e.unit_id,
        unit_name: unit_names.get(&e.unit_id).cloned().unwrap_or_default(),
        manager_id: e.manager_id,
        job_family: e.job_family.clone(),
        level: e.level.clone(),
        location: e.location.clone(),
        status: e.status,
    }
}
