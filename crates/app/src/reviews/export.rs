//! A cycle's results as a spreadsheet (V-4, issue item 12): every participant with their unit,
//! manager, template, score, the formula's grade and the calibrated grade, and the latest
//! calibration move with its reason, who and when, then the final grade with its release,
//! acknowledgement and appeal (V-6), and what the result led to: the promotion nomination and
//! the incentives granted (V-9) — the record HR files after the cycle.

use std::collections::HashMap;

use uuid::Uuid;
use waymark_store::repo::{
    org as org_repo, recognition as reward_repo, result_application as app_repo, review_release as release_repo,
    reviews as repo,
};

use super::ReviewService;
use super::scoring::final_grade;
use crate::AppResult;
use crate::import::{FileFormat, write_table};
use crate::policy::Actor;

impl ReviewService<'_> {
    /// XLSX of the cycle's results, for HR of the cycle; headers in Chinese or English.
    pub async fn results_xlsx(&self, actor: &Actor, cycle: Uuid, chinese: bool) -> AppResult<Vec<u8>> {
        let cy = self.readable_cycle(actor, cycle).await?;
        let c = self.c();
        let mut participants = repo::participants(c, cy.id).await?;
        participants.retain(|p| super::listable(actor, p.employee_id));
        let people: Vec<Uuid> =
            participants.iter().flat_map(|p| [Some(p.employee_id), p.manager_id]).flatten().collect();
        let employees: HashMap<Uuid, _> =
            org_repo::employees_by_ids(c, &people).await?.into_iter().map(|e| (e.id, e)).collect();
        let units: HashMap<Uuid, String> = org_repo::all_units(c).await?.into_iter().map(|u| (u.id, u.name)).collect();
        let templates: HashMap<Uuid, String> = repo::templates(c).await?.into_iter().map(|t| (t.id, t.name)).collect();
        // The latest move of each person over all the cycle's sessions.
        let mut latest: HashMap<Uuid, waymark_store::entities::calibration_move::Model> = HashMap::new();
        for s in repo::sessions(c, cy.id).await? {
            for m in repo::moves(c, s.id).await? {
                if latest.get(&m.participant_id).is_none_or(|x| x.moved_at < m.moved_at) {
                    latest.insert(m.participant_id, m);
                }
            }
        }
        let ids: Vec<Uuid> = participants.iter().map(|p| p.id).collect();
        // An appeal's state until decided, then its outcome.
        let appeals: HashMap<Uuid, String> = release_repo::appeals_of(c, &ids)
            .await?
            .into_iter()
            .map(|a| (a.participant_id, a.outcome.unwrap_or(a.state)))
            .collect();
        // "technical P5 → P6 approved".
        let nominations: HashMap<Uuid, String> = app_repo::nominations_of_cycle(c, cy.id)
            .await?
            .into_iter()
            .map(|n| {
                let from = n.from_level.unwrap_or_default();
                (n.participant_id, format!("{} {from} → {} {}", n.track, n.to_level, n.state))
            })
            .collect();
        let rewards: HashMap<Uuid, String> =
            reward_repo::rewards(c).await?.into_iter().map(|r| (r.id, r.name)).collect();
        let mut incentives: HashMap<Uuid, Vec<String>> = HashMap::new();
        for i in app_repo::incentives_of_cycle(c, cy.id).await? {
            incentives
                .entry(i.participant_id)
                .or_default()
                .push(rewards.get(&i.reward_id).cloned().unwrap_or_default());
        }
        let header: &[&str] = if chinese {
            &[
                "工号",
                "姓名",
                "部门",
                "上级",
                "模板",
                "评分",
                "公式等级",
                "校准后等级",
                "校准理由",
                "校准人",
                "校准时间",
                "最终等级",
                "发布时间",
                "确认时间",
                "申诉结果",
                "晋升提名",
                "激励",
            ]
        } else {
            &[
                "Employee no.",
                "Name",
                "Unit",
                "Manager",
                "Template",
                "Score",
                "Formula grade",
                "Calibrated grade",
                "Reason",
                "Calibrated by",
                "Calibrated at",
                "Final grade",
                "Released at",
                "Acknowledged at",
                "Appeal outcome",
                "Promotion nomination",
                "Incentives",
            ]
        };
        let mut rows: Vec<Vec<String>> = participants
            .iter()
            .map(|p| {
                let e = employees.get(&p.employee_id);
                let m = latest.get(&p.id);
                vec![
                    e.map(|e| e.employee_no.clone()).unwrap_or_default(),
                    e.map(|e| e.name.clone()).unwrap_or_default(),
                    units.get(&p.unit_id).cloned().unwrap_or_default(),
                    p.manager_id.and_then(|m| employees.get(&m)).map(|e| e.name.clone()).unwrap_or_default(),
                    templates.get(&p.template_id).cloned().unwrap_or_default(),
                    p.score_bp.map(|s| format!("{:.2}", s as f64 / 100.0)).unwrap_or_default(),
                    p.grade.clone().unwrap_or_default(),
                    p.calibrated_grade.clone().or_else(|| p.grade.clone()).unwrap_or_default(),
                    m.map(|m| m.reason.clone()).unwrap_or_default(),
                    m.map(|m| m.moved_by_name.clone()).unwrap_or_default(),
                    m.map(|m| m.moved_at.to_rfc3339()).unwrap_or_default(),
                    final_grade(p).unwrap_or_default(),
                    p.released_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    p.acknowledged_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                    appeals.get(&p.id).cloned().unwrap_or_default(),
                    nominations.get(&p.id).cloned().unwrap_or_default(),
                    incentives.get(&p.id).map(|v| v.join("; ")).unwrap_or_default(),
                ]
            })
            .collect();
        rows.sort();
        let mut table = vec![header.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
        table.extend(rows);
        write_table(&table, FileFormat::Xlsx)
    }
}
