//! The OpenAPI document, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    ai, attendance, development, development_report, feedback, flight_model, goal_flow, goals, home, journal, library,
    light360, notify, one_on_ones, org, probation, recognition, result_application, review_release, reviews, security,
    signals, talent, team_signals, tracking, transfer, webhooks, weekly,
};
use crate::error::{FieldProblem, Problem, RowProblem};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal API token (Account → API tokens)"))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Waymark API", description = "Organization, people, import/export, audit, goals, alignment, the goal-setting workflow, goal templates and the key-result library, progress tracking (check-ins, status, alerts, review tasks), weekly reports and the team digest, follow-up, the organization's calendar and reminders, 1:1s with their calendar feeds and the coaching question bank, feedback with its requests, coach and balance, the key-event journal, the anonymous light 360, inbound webhooks with feedback to-dos, recognition (kudos, values, points, badges, rewards), reviews (templates, cycles, review forms with their evidence, explained scores, calibration), notifications and the job queue, the home page's to-dos, and the inbox of Waymark (路标)."),
    paths(
        org::me, org::list_units, org::create_unit, org::get_unit, org::update_unit,
        org::list_employees, org::create_employee, org::get_employee, org::update_employee,
        org::change_status, org::reports,
        transfer::import_employees, transfer::export_employees, transfer::import_units, transfer::export_units, transfer::import_goals,
        transfer::audit_log,
        goals::list_periods, goals::create_period, goals::update_period, goals::my_goals, goals::shared_goals,
        goals::create_goal, goals::get_goal, goals::align, goals::progress,
        goal_flow::submit, goal_flow::decide, goal_flow::queue, goal_flow::rules, goal_flow::set_rule,
        goal_flow::update_goal, goal_flow::archive_goal, goal_flow::add_key_result, goal_flow::edit_key_result,
        goal_flow::archive_key_result, goal_flow::restore_key_result, goal_flow::unalign, goal_flow::reweight, goal_flow::accept_alignment, goal_flow::decline_alignment, goal_flow::withdraw_alignment, goal_flow::history,
        goal_flow::add_commitment, goal_flow::commitment_done, goal_flow::map, goal_flow::break_points,
        goal_flow::team_goals, goal_flow::person_goals, goal_flow::reuse, goal_flow::recommendation, home::home, goal_flow::inbox, goal_flow::mark_read,
        library::library, library::create_template, library::get_template, library::update_template,
        library::archive_template, library::restore_template, library::use_template, library::assign_template,
        library::create_item, library::add_standard, library::update_item, library::archive_item, library::restore_item,
        tracking::tracking, tracking::check_in_goal, tracking::check_in_key_result, tracking::attach, tracking::attachment,
        tracking::push_actual, tracking::dismiss_alert, tracking::open_review_task, tracking::complete_task,
        tracking::settings, tracking::save_settings, tracking::sweep, tracking::hr_board, tracking::hr_board_export, tracking::executive_board,
        notify::prefs, notify::set_prefs, notify::send_test, notify::jobs, notify::retry,
        weekly::my_week, weekly::my_recent, weekly::save_week, weekly::digest, weekly::acknowledge,
        weekly::review_check_in, weekly::follow_up, weekly::follow_up_board,
        weekly::calendar, weekly::save_calendar, weekly::put_day, weekly::delete_day,
        one_on_ones::overview, one_on_ones::create_series, one_on_ones::get_series, one_on_ones::update_series,
        one_on_ones::meeting, one_on_ones::reschedule, one_on_ones::cancel, one_on_ones::held,
        one_on_ones::add_agenda, one_on_ones::set_discussed, one_on_ones::remove_agenda,
        one_on_ones::shared_notes, one_on_ones::private_note, one_on_ones::add_action, one_on_ones::set_action_done,
        one_on_ones::link_goal, one_on_ones::unlink_goal, one_on_ones::meeting_ics,
        one_on_ones::feed, one_on_ones::renew_feed, one_on_ones::revoke_feed,
        one_on_ones::prompts, one_on_ones::add_prompt, one_on_ones::set_prompt,
        feedback::give, feedback::list, feedback::get, feedback::coach, feedback::ai_rewrite, feedback::balance,
        feedback::request, feedback::requests, feedback::get_request, feedback::decline,
        journal::record, journal::list, journal::get, journal::update, journal::delete,
        light360::create, light360::lists, light360::get, light360::answer, light360::close,
        ai::status, ai::test, webhooks::deliver, webhooks::list, webhooks::create, webhooks::get, webhooks::update, webhooks::renew_secret,
        webhooks::identities, webhooks::put_identity, webhooks::delete_identity, webhooks::todos, webhooks::dismiss,
        recognition::give, recognition::feed, recognition::values, recognition::add_value, recognition::save_value,
        recognition::wallet, recognition::rewards, recognition::add_reward, recognition::save_reward,
        recognition::redeem, recognition::redemptions, recognition::decide, recognition::network, recognition::stars,
        reviews::templates, reviews::create_template, reviews::template, reviews::update_template,
        reviews::cycles, reviews::create_cycle, reviews::cycle, reviews::launch, reviews::health, reviews::reschedule, reviews::reschedule_effect,
        reviews::my_tasks, reviews::my_participations, reviews::peers, reviews::nominate, reviews::decide_peers,
        reviews::result, reviews::form, reviews::save,
        reviews::results_xlsx, reviews::sessions, reviews::create_session, reviews::session, reviews::move_grade, reviews::lock, reviews::unlock,
        review_release::release, review_release::appeals, review_release::my_results, review_release::acknowledge,
        review_release::appeal, review_release::appeal_view, review_release::assign, review_release::decide,
        result_application::nominate, result_application::decide, result_application::grant,
        result_application::cycle_application,
        development::conversation, development::save_conversation, development::plans_of, development::create_plan,
        development::plan, development::action_done, development::hold_checkpoint,
        development_report::report, development_report::save, development_report::make_plan, development_report::ai_draft,
        signals::mine, signals::overview, team_signals::teams, signals::look, signals::answer, signals::reply, signals::compute,
        signals::settings, signals::set_settings, signals::preference, flight_model::status, flight_model::fit,
        attendance::record, attendance::import, attendance::of_person,
        talent::assess, talent::ninebox, talent::ninebox_xlsx, talent::names, talent::set_names,
        probation::in_progress, probation::of_person, probation::start, probation::hold, probation::decide,
        security::accounts, security::lock, security::throttles, security::checkpoints,
    ),
    components(schemas(Problem, FieldProblem, RowProblem, transfer::ExportFormat, transfer::HeaderLang)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    /// Every type that derives `ToSchema` in the workspace, by the component name it takes in
    /// the document (its name, or `#[schema(as = …)]`), with where it is written.
    fn schema_types(dir: &Path, out: &mut Vec<(String, PathBuf)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                schema_types(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let mut pending: Option<Option<String>> = None;
                for line in text.lines().map(str::trim) {
                    if line.starts_with("#[derive(") && line.contains("ToSchema") {
                        pending = Some(None);
                    } else if let Some(named) = pending.as_mut() {
                        if let Some(rest) = line.strip_prefix("#[schema(as = ") {
                            *named = rest.split([')', ',']).next().map(|s| s.trim().to_string());
                        } else if let Some(name) = item_name(line) {
                            out.push((named.take().unwrap_or(name), path.clone()));
                            pending = None;
                        }
                    }
                }
            }
        }
    }

    fn item_name(line: &str) -> Option<String> {
        let rest = line.strip_prefix("pub ").or_else(|| line.strip_prefix("pub(crate) ")).unwrap_or(line);
        let rest = rest.strip_prefix("struct ").or_else(|| rest.strip_prefix("enum "))?;
        Some(rest.split(|c: char| !c.is_alphanumeric() && c != '_').next()?.to_string())
    }

    /// Issue 22, item 7: a parameter the document puts in the path must be in the path's
    /// template (a query struct without `parameter_in = Query` is documented as a path part,
    /// and a client following the document cannot call the operation).
    #[test]
    fn every_path_parameter_is_in_its_path() {
        use utoipa::OpenApi;
        let doc = super::ApiDoc::openapi();
        let mut wrong = Vec::new();
        for (path, item) in &doc.paths.paths {
            let ops = [&item.get, &item.put, &item.post, &item.delete, &item.patch, &item.head];
            for op in ops.into_iter().flatten() {
                for p in op.parameters.iter().flatten() {
                    let utoipa::openapi::RefOr::T(p) = p else { continue };
                    let in_path = matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Path);
                    if in_path && !path.contains(&format!("{{{}}}", p.name)) {
                        wrong.push(format!("{path}: {}", p.name));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "path parameters not in their path: {wrong:?}");
    }

    /// Issue 22, item 7: two structs with one component name make the document describe one
    /// of them for both (the goal decision was documented as the redemption decision).
    #[test]
    fn every_schema_has_a_name_of_its_own() {
        let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let mut found = Vec::new();
        schema_types(crates, &mut found);
        assert!(found.len() > 100, "the scan found the schema types ({})", found.len());
        let mut by_name: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (name, path) in &found {
            by_name.entry(name).or_default().push(path.strip_prefix(crates).unwrap().display().to_string());
        }
        let twice: Vec<String> = by_name
            .iter()
            .filter(|(_, paths)| paths.len() > 1)
            .map(|(name, paths)| format!("{name}: {}", paths.join(", ")))
            .collect();
        assert!(twice.is_empty(), "component names used twice: {twice:#?}");
    }
}
