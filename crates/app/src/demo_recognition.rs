//! The demo's recognition (R-1 … R-3): over the last eleven weeks colleagues thanked each
//! other — mostly inside their team, some across to nearby teams — tagged with the company
//! values, each kudos carrying its points; the demo employee has been thanked by their manager;
//! HR's reward menu has four non-monetary rewards. Large benchmark organizations (over 5 000
//! people) get none: their kudos are written by benches/recognition/seed_kudos.py.

use std::collections::HashMap;

use chrono::Duration;
use uuid::Uuid;
use waymark_domain::calendar::month_of;
use waymark_store::entities::{kudos, points_entry, reward};
use waymark_store::repo::{org as org_repo, recognition as repo};

use crate::demo::Rng;
use crate::{App, AppResult};

const MOST_PEOPLE: usize = 5_000;

const MESSAGES_ZH: [&str; 6] = [
    "周末主动帮忙排查线上问题，周一早上前就恢复了服务。",
    "把新人带得很用心，入职第一周就能独立处理工单。",
    "客户评审会上讲得清楚又耐心，客户当场确认了方案。",
    "主动补上了跨部门接口的文档，大家少走了很多弯路。",
    "复盘会上坦诚说明了自己的失误，还给出了改进办法。",
    "在项目最紧张的两周里一直稳定输出，按时交付。",
];
const MESSAGES_EN: [&str; 6] = [
    "Came in over the weekend to trace the outage; service was back before Monday morning.",
    "Took great care onboarding the new hire, who handled tickets alone within a week.",
    "Explained the design clearly and patiently at the client review; the client signed off there.",
    "Wrote the missing docs for the cross-team API and saved everyone a lot of detours.",
    "Owned the mistake openly at the retrospective and brought a fix for the process.",
    "Delivered steadily through the two hardest weeks of the project, on time.",
];

impl App {
    pub(crate) async fn create_demo_recognition(&self, seed: u64, english: bool) -> AppResult<usize> {
        let c = &self.db.conn;
        let people: Vec<_> = org_repo::all_employees(c).await?.into_iter().filter(|e| e.is_current()).collect();
        if people.len() > MOST_PEOPLE || people.len() < 2 || !repo::recent_kudos(c, None, 1).await?.is_empty() {
            return Ok(0);
        }
        let values: Vec<Uuid> = repo::values(c).await?.into_iter().filter(|v| v.active).map(|v| v.id).collect();
        let mut by_unit: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for p in &people {
            by_unit.entry(p.unit_id).or_default().push(p.id);
        }
        let mut units: Vec<Uuid> = by_unit.keys().copied().collect();
        units.sort();
        let unit_at: HashMap<Uuid, usize> = units.iter().enumerate().map(|(i, u)| (*u, i)).collect();
        let messages = if english { MESSAGES_EN } else { MESSAGES_ZH };
        let mut rng = Rng(seed ^ 0x4b75);
        let now = self.clock.now();
        let mut rows: Vec<(kudos::Model, Uuid, Uuid)> = Vec::new();
        // About one kudos per person over the period.
        for _ in 0..people.len() {
            let giver = rng.pick(&people);
            let team = if rng.below(10) < 8 {
                &by_unit[&giver.unit_id]
            } else {
                &by_unit[&units[(unit_at[&giver.unit_id] + 1 + rng.below(2)) % units.len()]]
            };
            let to = *rng.pick(team);
            if to == giver.id {
                continue;
            }
            let at = now - Duration::minutes(rng.below(77 * 24 * 60) as i64 + 60);
            let k = kudos::Model {
                id: Uuid::now_v7(),
                giver_id: giver.id,
                audience: if rng.below(4) == 0 { "team" } else { "organization" }.into(),
                message: rng.pick(&messages).to_string(),
                created_at: at,
            };
            rows.push((k, to, *rng.pick(&values)));
        }
        if let Some((manager, employee)) = self.demo_pair().await? {
            let k = kudos::Model {
                id: Uuid::now_v7(),
                giver_id: manager,
                audience: "organization".into(),
                message: messages[0].to_string(),
                created_at: now - Duration::days(3),
            };
            rows.push((k, employee, values[0]));
        }
        let (cal, _) = self.calendar().current().await?;
        let tx = self.db.begin_write().await?;
        for (k, to, value) in &rows {
            repo::insert_kudos(&*tx, k.clone(), month_of(cal.local_date(k.created_at)).0, &[*to], &[*value]).await?;
            let e = points_entry::Model {
                id: Uuid::now_v7(),
                employee_id: *to,
                delta: waymark_domain::recognition::POINTS_PER_KUDOS,
                reason: "kudos".into(),
                ref_id: k.id,
                created_at: k.created_at,
            };
            repo::add_points(&*tx, e).await?;
        }
        let menu: [(&str, &str, i64, Option<i32>); 4] = if english {
            [
                ("Half a day of flexible leave", "Agreed with your manager", 30, None),
                ("A seat on a key project", "Join the next strategic project's kick-off", 80, Some(5)),
                ("Internal trainer qualification", "Run a session for the academy", 60, Some(10)),
                ("An external training seat", "A course of your choice up to one day", 120, Some(3)),
            ]
        } else {
            [
                ("弹性休假半天", "与主管商定时间", 30, None),
                ("参与重点项目", "加入下一个战略项目的启动会", 80, Some(5)),
                ("内训师资格", "在企业学院开一次分享课", 60, Some(10)),
                ("外部培训名额", "自选一天以内的课程", 120, Some(3)),
            ]
        };
        for (name, description, cost, stock) in menu {
            let r = reward::Model {
                id: Uuid::now_v7(),
                name: name.into(),
                description: description.into(),
                cost,
                stock,
                active: true,
                created_at: now,
            };
            repo::save_reward(&*tx, r, true).await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }
}
