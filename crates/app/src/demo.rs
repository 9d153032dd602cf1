//! The demo organization (`waymark demo`): a company with a four-level unit tree
//! (公司 → 事业部 → 部门 → 团队), job families, tracks, levels, managers, hire and
//! probation dates and realistic names, generated deterministically from a seed.
//! Everything is written in one transaction, audited like any other change.

use std::collections::HashMap;

use chrono::{Days, Months, NaiveDate};
use uuid::Uuid;
use waymark_domain::hierarchy::closure_rows;
use waymark_domain::org::{CareerTrack, Employee, EmployeeStatus, StatusRecord, Unit};
use waymark_store::repo::org as repo;

use crate::accounts::{GrantedRole, NewUser};
use crate::audit::entry;
use crate::org::{employee_audit_json, unit_audit_json};
use crate::policy::Actor;
use crate::{App, AppResult};

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub employees: usize,
    pub seed: u64,
    pub english: bool,
    /// Create the sign-in accounts (skipped for large benchmark organizations if asked).
    pub accounts: bool,
    /// Personal goals per individual contributor this quarter: none given, an OKR and, for
    /// half of them, a KPI; a number (for benchmarks at scale), that many, OKRs and KPIs in turn.
    pub personal_goals: Option<usize>,
    /// Last quarter, finished: its goals filed and its review cycle written, calibrated and
    /// released (results, appeals, the nine-box and development plans have content). The
    /// command line's demo has it; off by default, so a test about one cycle starts with one.
    pub last_quarter: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            employees: 200,
            seed: 42,
            english: false,
            accounts: true,
            personal_goals: None,
            last_quarter: false,
        }
    }
}

/// A sign-in created for the demo.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub role: &'static str,
    pub username: &'static str,
    pub name: String,
}

pub const DEMO_PASSWORD: &str = "waymark-demo";

#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub created: bool,
    pub employees: usize,
    pub units: usize,
    pub logins: Vec<DemoLogin>,
}

/// SplitMix64: small, fast and deterministic; all the demo needs.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub(crate) fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    /// A v7 UUID whose time part is fixed and random part comes from the seed.
    pub(crate) fn uuid(&mut self) -> Uuid {
        let bytes: [u8; 10] = self.next().to_le_bytes()[..]
            .iter()
            .chain(&self.next().to_le_bytes()[..2])
            .copied()
            .collect::<Vec<_>>()
            .try_into()
            .unwrap_or([0; 10]);
        uuid::Builder::from_unix_timestamp_millis(1_767_225_600_000, &bytes).into_uuid()
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋",
    "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪",
    "范", "金", "石", "廖", "贾", "夏", "韦", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "段", "雷",
    "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "欧阳", "司马", "上官",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞",
    "平", "刚", "桂英", "华", "建华", "玉兰", "文", "辉", "鑫", "宇", "浩", "婷", "雪", "琳", "晨", "欣", "佳", "子涵",
    "梓萱", "思远", "一鸣", "若曦", "俊杰", "晓东", "海燕", "志强", "春梅", "雨桐", "家豪", "嘉怡", "天佑", "博文",
    "诗琪", "明轩", "雅琴", "国栋", "凯", "斌", "晶", "慧", "颖", "波", "鹏", "宁", "琦", "瑶", "昊", "然", "悦", "航",
    "蕾",
];
const FIRST_EN: &[&str] = &[
    "Alice", "Ben", "Chloe", "Daniel", "Emma", "Felix", "Grace", "Henry", "Iris", "Jack", "Kate", "Leo", "Mia", "Noah",
    "Olivia", "Paul", "Quinn", "Ruby", "Sam", "Tara", "Umar", "Vera", "Will", "Xavier", "Yara", "Zoe", "Aaron",
    "Bella", "Carlos", "Diana", "Ethan", "Fiona", "George", "Hannah", "Ivan", "Julia", "Kevin", "Laura", "Mark",
    "Nina",
];
const LAST_EN: &[&str] = &[
    "Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Clark", "Lewis", "Walker", "Hall", "Allen",
    "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Carter", "Mitchell", "Roberts", "Turner",
    "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook", "Rogers",
    "Morgan", "Cooper", "Reed", "Bailey", "Bell",
];
const CITIES_ZH: &[&str] = &["上海", "北京", "深圳", "杭州", "成都", "武汉", "广州", "南京", "西安"];
const CITIES_EN: &[&str] =
    &["Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Chengdu", "Wuhan", "Guangzhou", "Nanjing", "Xi'an"];

/// A business unit template: name, job family, department names, team word.
struct Division {
    zh: (&'static str, &'static str, &'static [&'static str], &'static str),
    en: (&'static str, &'static str, &'static [&'static str], &'static str),
    /// Technical levels P… (true) or service levels S… (false) for individual contributors.
    tech: bool,
}

const DIVISIONS: &[Division] = &[
    Division {
        zh: (
            "销售事业部",
            "销售",
            &["华东销售部", "华南销售部", "华北销售部", "西南销售部", "大客户部", "渠道部"],
            "组",
        ),
        en: (
            "Sales Division",
            "Sales",
            &[
                "East China Sales",
                "South China Sales",
                "North China Sales",
                "Southwest Sales",
                "Key Accounts",
                "Channels",
            ],
            "Sales Team",
        ),
        tech: false,
    },
    Division {
        zh: ("职能中心", "职能支持", &["人力资源部", "财务部", "法务部", "行政部", "IT部"], "组"),
        en: (
            "Corporate Functions",
            "Corporate Functions",
            &["Human Resources", "Finance", "Legal", "Administration", "IT"],
            "Team",
        ),
        tech: false,
    },
    Division {
        zh: (
            "产品研发事业部",
            "产品/研发",
            &["平台研发部", "移动研发部", "数据智能部", "产品设计部", "质量保障部", "基础架构部"],
            "组",
        ),
        en: (
            "Product & Engineering",
            "Product/Engineering",
            &[
                "Platform Engineering",
                "Mobile Engineering",
                "Data Intelligence",
                "Product Design",
                "Quality Assurance",
                "Infrastructure",
            ],
            "Squad",
        ),
        tech: true,
    },
    Division {
        zh: ("客户服务事业部", "客服", &["售后服务部", "客户成功部", "技术支持部", "呼叫中心"], "组"),
        en: (
            "Customer Service",
            "Customer Service",
            &["After-sales Service", "Customer Success", "Technical Support", "Call Center"],
            "Service Team",
        ),
        tech: false,
    },
    Division {
        zh: ("制造事业部", "生产", &["总装车间", "品质部", "供应链部", "设备部"], "班组"),
        en: ("Manufacturing", "Production", &["Assembly", "Quality", "Supply Chain", "Equipment"], "Crew"),
        tech: false,
    },
];

const ORDINALS_ZH: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

struct Gen {
    rng: Rng,
    english: bool,
    today: NaiveDate,
    units: Vec<Unit>,
    people: Vec<Employee>,
    events: Vec<StatusRecord>,
    now: chrono::DateTime<chrono::Utc>,
}

impl Gen {
    fn name(&mut self) -> String {
        if self.english {
            format!("{} {}", self.rng.pick(FIRST_EN), self.rng.pick(LAST_EN))
        } else {
            let s = *self.rng.pick(SURNAMES);
            let g = *self.rng.pick(GIVEN);
            let g2 = if g.chars().count() == 1 && self.rng.below(3) == 0 { *self.rng.pick(GIVEN) } else { "" };
            let g2 = if g2.chars().count() == 1 { g2 } else { "" };
            format!("{s}{g}{g2}")
        }
    }

    fn add_unit(&mut self, name: String, code: String, parent: Option<Uuid>, kind: &str) -> Uuid {
        let id = self.rng.uuid();
        let sort_order = self.units.len() as i32;
        self.units.push(Unit {
            id,
            code: Some(code),
            name,
            parent_id: parent,
            kind: kind.into(),
            sort_order,
            created_at: self.now,
            updated_at: self.now,
        });
        id
    }

    /// One person; `seniority` 0 = CEO … 4 = individual contributor.
    fn add_person(&mut self, unit_id: Uuid, manager: Option<Uuid>, family: &str, tech: bool, seniority: usize) -> Uuid {
        let n = self.people.len() + 1;
        let id = self.rng.uuid();
        let years_back = match seniority {
            0 => 12,
            1 => 10,
            2 => 8,
            3 => 6,
            _ => 5,
        };
        let days = self.rng.below(365 * years_back + 300) as u64;
        let hire_date = self.today - Days::new(days + 20);
        let probation_months = if self.rng.below(3) == 0 { 3 } else { 6 };
        let probation_end = hire_date.checked_add_months(Months::new(probation_months));
        let (track, level) = match seniority {
            0 => (CareerTrack::Management, "M6".to_string()),
            1 => (CareerTrack::Management, "M5".to_string()),
            2 => (CareerTrack::Management, "M4".to_string()),
            3 => (CareerTrack::Management, format!("M{}", 2 + self.rng.below(2))),
            _ if tech => (CareerTrack::Technical, format!("P{}", 3 + self.rng.below(5))),
            _ => (CareerTrack::Technical, format!("S{}", 1 + self.rng.below(5))),
        };
        // A few people are on leave or have left; leaving keeps the record.
        let roll = self.rng.below(100);
        let (status, since) = if seniority >= 4 && roll < 4 && days > 200 {
            (EmployeeStatus::Left, hire_date + Days::new(100 + self.rng.below(days as usize - 150) as u64))
        } else if seniority >= 4 && roll < 7 && days > 200 {
            (EmployeeStatus::OnLeave, self.today - Days::new(self.rng.below(60) as u64 + 1))
        } else {
            (EmployeeStatus::Active, hire_date)
        };
        let name = self.name();
        let location =
            if self.english { self.rng.pick(CITIES_EN).to_string() } else { self.rng.pick(CITIES_ZH).to_string() };
        let email = format!("e{n:06}@demo.waymark.example");
        self.people.push(Employee {
            id,
            employee_no: format!("E{n:06}"),
            name,
            email: Some(email),
            unit_id,
            manager_id: manager,
            job_family: Some(family.to_string()),
            career_track: Some(track),
            level: Some(level),
            location: Some(location),
            hire_date,
            probation_end,
            status,
            status_since: Some(since),
            created_at: self.now,
            updated_at: self.now,
        });
        self.events.push(StatusRecord {
            id: self.rng.uuid(),
            employee_id: id,
            status: EmployeeStatus::Active,
            effective_on: hire_date,
            reason: None,
            recorded_at: self.now,
            recorded_by: None,
        });
        if status != EmployeeStatus::Active {
            self.events.push(StatusRecord {
                id: self.rng.uuid(),
                employee_id: id,
                status,
                effective_on: since,
                reason: None,
                recorded_at: self.now,
                recorded_by: None,
            });
        }
        id
    }
}

/// Shape of the tree for `n` people: (divisions, departments per division, teams per department).
fn shape(n: usize) -> (usize, usize, usize) {
    let divisions = if n < 60 { 2 } else { DIVISIONS.len() };
    let teams_total = (n / 10).max(divisions * 2);
    let depts_per_div = ((teams_total as f64 / divisions as f64 / 4.0).ceil() as usize).max(1);
    let teams_per_dept = (teams_total as f64 / (divisions * depts_per_div) as f64).ceil() as usize;
    (divisions, depts_per_div, teams_per_dept.max(1))
}

fn generate(opts: &DemoOptions, today: NaiveDate, now: chrono::DateTime<chrono::Utc>) -> Gen {
    let mut g = Gen {
        rng: Rng(opts.seed),
        english: opts.english,
        today,
        units: Vec::new(),
        people: Vec::new(),
        events: Vec::new(),
        now,
    };
    let n = opts.employees.max(10);
    let (divs, depts, teams) = shape(n);
    let company = g.add_unit(
        if g.english { "Waymark Technology Group".into() } else { "路标科技集团".into() },
        "HQ".into(),
        None,
        "company",
    );
    let ceo = g.add_person(company, None, if g.english { "Management" } else { "管理" }, false, 0);
    // Leaders first, so that every team gets its lead; then members are dealt round-robin.
    let mut team_slots: Vec<(Uuid, Uuid, &'static str, bool)> = Vec::new();
    for (d, div) in DIVISIONS.iter().take(divs).enumerate() {
        let (dname, family, dept_names, team_word) = if g.english { div.en } else { div.zh };
        let bu = g.add_unit(dname.into(), format!("D{}", d + 1), Some(company), "business_unit");
        let bu_head = g.add_person(bu, Some(ceo), family, div.tech, 1);
        for k in 0..depts {
            let base = dept_names[k % dept_names.len()];
            let round = k / dept_names.len();
            let name = if round == 0 {
                base.to_string()
            } else if g.english {
                format!("{base} {}", round + 1)
            } else {
                format!("{base}{}", round + 1)
            };
            let dept = g.add_unit(name.clone(), format!("D{}-{}", d + 1, k + 1), Some(bu), "department");
            let dept_head = g.add_person(dept, Some(bu_head), family, div.tech, 2);
            for t in 0..teams {
                let tname = if g.english {
                    format!("{name} {team_word} {}", t + 1)
                } else {
                    format!(
                        "{}{}{}",
                        name.trim_end_matches('部'),
                        ORDINALS_ZH.get(t).copied().unwrap_or(&(t + 1).to_string()),
                        team_word
                    )
                };
                let team = g.add_unit(tname, format!("D{}-{}-{}", d + 1, k + 1, t + 1), Some(dept), "team");
                let lead = g.add_person(team, Some(dept_head), family, div.tech, 3);
                team_slots.push((team, lead, family, div.tech));
            }
        }
    }
    let mut i = 0;
    while g.people.len() < n && !team_slots.is_empty() {
        let (team, lead, family, tech) = team_slots[i % team_slots.len()];
        g.add_person(team, Some(lead), family, tech, 4);
        i += 1;
    }
    g
}

/// The sign-ins: an HR admin, an executive, a manager (a team lead) and an employee
/// (reporting to that manager), plus a system administrator.
fn pick_logins(g: &Gen) -> Vec<(&'static str, String, String, Option<GrantedRole>)> {
    let mut used: Vec<Uuid> = Vec::new();
    // Each login is a different person; the first person not yet taken is the fallback.
    let mut take = |pred: &dyn Fn(&Employee) -> bool| -> &Employee {
        let p = g
            .people
            .iter()
            .find(|p| !used.contains(&p.id) && pred(p))
            .or_else(|| g.people.iter().find(|p| !used.contains(&p.id)))
            .unwrap_or(&g.people[0]);
        used.push(p.id);
        p
    };
    let ceo = take(&|p| p.manager_id.is_none());
    let hr = take(&|p| {
        p.job_family.as_deref().is_some_and(|f| f == "职能支持" || f == "Corporate Functions")
            && p.level.as_deref().is_some_and(|l| l.starts_with('M'))
    });
    // A team lead, so the employee's goals go to this login for approval (G-10).
    let manager = take(&|p| matches!(p.level.as_deref(), Some("M2") | Some("M3")));
    let manager_id = manager.id;
    let employee = take(&|p| {
        p.is_active() && p.level.as_deref().is_some_and(|l| !l.starts_with('M')) && p.manager_id == Some(manager_id)
    });
    vec![
        ("hr", hr.employee_no.clone(), hr.name.clone(), Some(GrantedRole::Hr)),
        ("executive", ceo.employee_no.clone(), ceo.name.clone(), Some(GrantedRole::Executive)),
        ("manager", manager.employee_no.clone(), manager.name.clone(), None),
        ("employee", employee.employee_no.clone(), employee.name.clone(), None),
    ]
}

/// Two of the demo manager's other reports joined recently (85 and 140 days ago, six months'
/// probation), so the probation checkpoints have someone to be about.
fn recent_hires(g: &mut Gen, logins: &[(&'static str, String, String, Option<GrantedRole>)]) {
    let no = |role: &str| logins.iter().find(|l| l.0 == role).map(|l| l.1.clone());
    let (Some(manager), Some(employee)) = (no("manager"), no("employee")) else { return };
    let Some(manager_id) = g.people.iter().find(|p| p.employee_no == manager).map(|p| p.id) else { return };
    let today = g.today;
    let joined: HashMap<Uuid, NaiveDate> = g
        .people
        .iter_mut()
        .filter(|p| p.manager_id == Some(manager_id) && p.employee_no != employee && p.is_active())
        .take(2)
        .zip([85u64, 140])
        .map(|(p, days)| {
            p.hire_date = today - Days::new(days);
            p.probation_end = p.hire_date.checked_add_months(Months::new(6));
            p.status_since = Some(p.hire_date);
            (p.id, p.hire_date)
        })
        .collect();
    for e in &mut g.events {
        if let Some(hired) = joined.get(&e.employee_id) {
            e.effective_on = *hired;
        }
    }
}

/// The reason the demo's audit records give, in the demo's language: the change log shows it.
pub(crate) fn demo_reason(english: bool) -> Option<String> {
    Some(if english { "demo data" } else { "演示数据" }.into())
}

impl App {
    /// Creates the demo organization unless people already exist.
    pub async fn create_demo(&self, opts: &DemoOptions) -> AppResult<DemoSummary> {
        let c = &self.db.conn;
        let existing = repo::count_employees(c).await? as usize;
        if existing > 0 {
            return Ok(DemoSummary {
                created: false,
                employees: existing,
                units: 0,
                logins: demo_logins_present(self).await?,
            });
        }
        self.progress.step(crate::progress::Step::Organization, opts.employees);
        let mut g = generate(opts, self.today(), self.clock.now());
        let logins = pick_logins(&g);
        recent_hires(&mut g, &logins);
        let actor = Actor::system("demo");
        let unit_parents: HashMap<Uuid, Uuid> = g.units.iter().filter_map(|u| u.parent_id.map(|p| (u.id, p))).collect();
        let unit_ids: Vec<Uuid> = g.units.iter().map(|u| u.id).collect();
        let mgr: HashMap<Uuid, Uuid> = g.people.iter().filter_map(|p| p.manager_id.map(|m| (p.id, m))).collect();
        let people_ids: Vec<Uuid> = g.people.iter().map(|p| p.id).collect();
        let mut audits = Vec::with_capacity(g.units.len() + g.people.len());
        for u in &g.units {
            audits.push(entry(
                &actor,
                g.now,
                "unit",
                u.id,
                None,
                "create",
                None,
                unit_audit_json(u),
                demo_reason(g.english),
            ));
        }
        for p in &g.people {
            audits.push(entry(
                &actor,
                g.now,
                "employee",
                p.id,
                Some(p.id),
                "create",
                None,
                employee_audit_json(p),
                demo_reason(g.english),
            ));
        }
        let (n_units, n_people) = (g.units.len(), g.people.len());
        let tx = self.db.begin_bulk_write().await?;
        repo::insert_units_bulk(&*tx, g.units).await?;
        repo::insert_unit_tree_rows(&*tx, &closure_rows(&unit_parents, &unit_ids)).await?;
        repo::insert_employees_bulk(&*tx, g.people).await?;
        repo::insert_reporting_rows(&*tx, &closure_rows(&mgr, &people_ids)).await?;
        repo::insert_status_events_bulk(&*tx, g.events).await?;
        tx.audit(audits);
        tx.commit().await?;
        self.progress.advance(opts.employees);

        let mut out = Vec::new();
        if opts.accounts {
            let admin = Actor { admin: true, ..Actor::system("demo") };
            for (username, no, name, role) in &logins {
                self.accounts()
                    .create_user(
                        &admin,
                        NewUser { username, display_name: None, password: DEMO_PASSWORD, employee_no: Some(no) },
                    )
                    .await?;
                if let Some(r) = role {
                    self.accounts().set_role(&admin, username, *r, vec![None]).await?;
                }
                out.push(DemoLogin { role: username, username, name: name.clone() });
            }
            self.accounts()
                .create_user(
                    &admin,
                    NewUser {
                        username: "admin",
                        display_name: Some("System Administrator"),
                        password: DEMO_PASSWORD,
                        employee_no: None,
                    },
                )
                .await?;
            self.accounts().set_role(&admin, "admin", GrantedRole::Admin, vec![None]).await?;
            out.push(DemoLogin { role: "admin", username: "admin", name: "System Administrator".into() });
        }
        Ok(DemoSummary { created: true, employees: n_people, units: n_units, logins: out })
    }
}

async fn demo_logins_present(app: &App) -> AppResult<Vec<DemoLogin>> {
    let mut out = Vec::new();
    for u in ["hr", "executive", "manager", "employee", "admin"] {
        if let Some(acc) = waymark_store::repo::accounts::user_by_username(&app.db.conn, u).await? {
            out.push(DemoLogin { role: u, username: u, name: acc.display_name });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    #[test]
    fn demo_is_deterministic_and_four_levels_deep() {
        let opts = DemoOptions::default();
        let now = chrono::Utc::now();
        let (a, b) = (generate(&opts, today(), now), generate(&opts, today(), now));
        assert_eq!(a.people.len(), 200);
        let names_a: Vec<&str> = a.people.iter().map(|p| p.name.as_str()).collect();
        let names_b: Vec<&str> = b.people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names_a, names_b);
        assert_eq!(a.people[7].id, b.people[7].id);
        let kinds: std::collections::HashSet<&str> = a.units.iter().map(|u| u.kind.as_str()).collect();
        assert_eq!(kinds.len(), 4);
        // Every person but the CEO has a manager, and hire dates are before today.
        assert_eq!(a.people.iter().filter(|p| p.manager_id.is_none()).count(), 1);
        assert!(a.people.iter().all(|p| p.hire_date < today() && p.probation_end.unwrap() > p.hire_date));
        assert!(a.people.iter().all(|p| p.status_since.unwrap() >= p.hire_date));
    }

    #[test]
    fn demo_scales_to_a_large_organization() {
        let opts = DemoOptions { employees: 100_000, english: true, accounts: false, ..Default::default() };
        let g = generate(&opts, today(), chrono::Utc::now());
        assert_eq!(g.people.len(), 100_000);
        let codes: std::collections::HashSet<&str> = g.units.iter().filter_map(|u| u.code.as_deref()).collect();
        assert_eq!(codes.len(), g.units.len(), "unit codes are unique");
        let nos: std::collections::HashSet<&str> = g.people.iter().map(|p| p.employee_no.as_str()).collect();
        assert_eq!(nos.len(), 100_000);
    }
}
