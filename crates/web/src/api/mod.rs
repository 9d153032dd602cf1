//! The JSON REST API under `/api/v1` (SPEC P-4), documented by the OpenAPI document at
//! `/api/v1/openapi.json`. It calls the same services as the pages.

mod development;
mod extract;
mod feedback;
mod goal_flow;
mod goals;
mod journal;
mod library;
mod light360;
mod notify;
mod one_on_ones;
mod openapi;
mod org;
mod probation;
mod recognition;
mod result_application;
mod review_release;
mod reviews;
mod security;
mod talent;
mod tracking;
pub(crate) mod transfer;
mod webhooks;
mod weekly;

use axum::Router;
use axum::routing::{delete, get, post, put};

use crate::AppState;
pub use extract::{ApiJson, ApiJsonList, ApiPath, ApiQuery};
pub use one_on_ones::ics_response;
pub use openapi::ApiDoc;
pub use tracking::board_file;
pub use transfer::file_response as transfer_file_response;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/me", get(org::me))
        .route("/accounts", get(security::accounts))
        .route("/accounts/{username}/lock", put(security::lock))
        .route("/sign-in-throttles", get(security::throttles))
        .route("/audit/checkpoints", get(security::checkpoints))
        .route("/units", get(org::list_units).post(org::create_unit))
        .route("/units/{id}", get(org::get_unit).put(org::update_unit))
        .route("/employees", get(org::list_employees).post(org::create_employee))
        .route("/employees/{id}", get(org::get_employee).put(org::update_employee))
        .route("/employees/{id}/status", post(org::change_status))
        .route("/employees/{id}/reports", get(org::reports))
        .route("/import/employees", post(transfer::import_employees))
        .route("/export/employees", get(transfer::export_employees))
        .route("/import/units", post(transfer::import_units))
        .route("/export/units", get(transfer::export_units))
        .route("/import/goals", post(transfer::import_goals))
        .route("/audit", get(transfer::audit_log))
        .route("/periods", get(goals::list_periods).post(goals::create_period))
        .route("/periods/{id}", put(goals::update_period))
        .route("/periods/{id}/my-goals", get(goals::my_goals))
        .route("/periods/{id}/shared-goals", get(goals::shared_goals))
        .route("/goals", post(goals::create_goal))
        .route("/goals/recommendation", get(goal_flow::recommendation))
        .route("/goals/{id}", get(goals::get_goal).patch(goal_flow::update_goal))
        .route("/goals/{id}/submit", post(goal_flow::submit))
        .route("/goals/{id}/decision", post(goal_flow::decide))
        .route("/goals/{id}/archive", post(goal_flow::archive_goal))
        .route("/goals/{id}/key-results", post(goal_flow::add_key_result))
        .route("/goals/{id}/history", get(goal_flow::history))
        .route("/goals/{id}/map", get(goal_flow::map))
        .route("/goals/{id}/commitments", post(goal_flow::add_commitment))
        .route("/key-results/{id}", put(goal_flow::edit_key_result))
        .route("/key-results/{id}/archive", post(goal_flow::archive_key_result))
        .route("/key-results/{id}/restore", post(goal_flow::restore_key_result))
        .route("/alignments/{id}/remove", post(goal_flow::unalign))
        .route("/alignments/{id}/weight", post(goal_flow::reweight))
        .route("/commitments/{id}/done", post(goal_flow::commitment_done))
        .route("/approvals", get(goal_flow::queue))
        .route("/approval-rules", get(goal_flow::rules).put(goal_flow::set_rule))
        .route("/periods/{id}/break-points", get(goal_flow::break_points))
        .route("/periods/{id}/team-goals", get(goal_flow::team_goals))
        .route("/periods/{id}/reuse", post(goal_flow::reuse))
        .route("/employees/{id}/goals", get(goal_flow::person_goals))
        .route("/inbox", get(goal_flow::inbox))
        .route("/inbox/read", post(goal_flow::mark_read))
        .route("/goals/{id}/alignments", post(goals::align))
        .route("/key-results/{id}/progress", post(goals::progress))
        .route("/goal-library", get(library::library))
        .route("/goal-templates", post(library::create_template))
        .route("/goal-templates/{id}", get(library::get_template).put(library::update_template))
        .route("/goal-templates/{id}/archive", post(library::archive_template))
        .route("/goal-templates/{id}/restore", post(library::restore_template))
        .route("/goal-templates/{id}/use", post(library::use_template))
        .route("/goal-templates/{id}/assign", post(library::assign_template))
        .route("/kr-library", post(library::create_item))
        .route("/kr-library/{id}", put(library::update_item))
        .route("/kr-library/{id}/archive", post(library::archive_item))
        .route("/kr-library/{id}/restore", post(library::restore_item))
        .route("/goals/{id}/tracking", get(tracking::tracking))
        .route("/goals/{id}/check-ins", post(tracking::check_in_goal))
        .route("/key-results/{id}/check-ins", post(tracking::check_in_key_result))
        .route("/check-ins/{id}/attachments", post(tracking::attach))
        .route("/attachments/{id}", get(tracking::attachment))
        .route("/kpi-actuals", post(tracking::push_actual))
        .route("/alerts/{id}/dismiss", post(tracking::dismiss_alert))
        .route("/goals/{id}/review-tasks", post(tracking::open_review_task))
        .route("/review-tasks/{id}/done", post(tracking::complete_task))
        .route("/tracking-settings", get(tracking::settings).put(tracking::save_settings))
        .route("/tracking/sweep", post(tracking::sweep))
        .route("/boards/hr", get(tracking::hr_board))
        .route("/boards/hr/export", get(tracking::hr_board_export))
        .route("/boards/executive", get(tracking::executive_board))
        .route("/me/notification-settings", get(notify::prefs).put(notify::set_prefs))
        .route("/me/notification-settings/test", post(notify::send_test))
        .route("/jobs", get(notify::jobs))
        .route("/jobs/{id}/retry", post(notify::retry))
        .route("/me/weekly-report", get(weekly::my_week))
        .route("/me/weekly-reports", get(weekly::my_recent))
        .route("/me/weekly-reports/{week}", put(weekly::save_week))
        .route("/weekly-digest", get(weekly::digest))
        .route("/weekly-reports/{id}/acknowledge", post(weekly::acknowledge))
        .route("/check-ins/{id}/review", post(weekly::review_check_in))
        .route("/follow-up", get(weekly::follow_up))
        .route("/follow-up/managers", get(weekly::follow_up_board))
        .route("/calendar", get(weekly::calendar).put(weekly::save_calendar))
        .route("/calendar/days/{day}", put(weekly::put_day).delete(weekly::delete_day))
        .route("/feedback", get(feedback::list).post(feedback::give))
        .route("/feedback/coach", post(feedback::coach))
        .route("/feedback/balance", get(feedback::balance))
        .route("/feedback/{id}", get(feedback::get))
        .route("/feedback-requests", get(feedback::requests).post(feedback::request))
        .route("/feedback-requests/{id}", get(feedback::get_request))
        .route("/feedback-requests/{id}/decline", post(feedback::decline))
        .route("/journal", get(journal::list).post(journal::record))
        .route("/journal/{id}", get(journal::get).put(journal::update).delete(journal::delete))
        .route("/light360", get(light360::lists).post(light360::create))
        .route("/light360/{id}", get(light360::get))
        .route("/light360/{id}/answers", post(light360::answer))
        .route("/light360/{id}/close", post(light360::close))
        .route("/hooks/{id}", post(webhooks::deliver))
        .route("/integrations", get(webhooks::list).post(webhooks::create))
        .route("/integrations/{id}", get(webhooks::get).patch(webhooks::update))
        .route("/integrations/{id}/secret", post(webhooks::renew_secret))
        .route("/external-identities", get(webhooks::identities).put(webhooks::put_identity))
        .route("/external-identities/{system}/{external_id}", delete(webhooks::delete_identity))
        .route("/feedback-todos", get(webhooks::todos))
        .route("/kudos", get(recognition::feed).post(recognition::give))
        .route("/company-values", get(recognition::values).post(recognition::add_value))
        .route("/company-values/{id}", put(recognition::save_value))
        .route("/me/recognition", get(recognition::wallet))
        .route("/rewards", get(recognition::rewards).post(recognition::add_reward))
        .route("/rewards/{id}", put(recognition::save_reward))
        .route("/rewards/{id}/redeem", post(recognition::redeem))
        .route("/redemptions", get(recognition::redemptions))
        .route("/redemptions/{id}/decision", post(recognition::decide))
        .route("/recognition/network", get(recognition::network))
        .route("/recognition/stars", get(recognition::stars))
        .route("/review-templates", get(reviews::templates).post(reviews::create_template))
        .route("/review-templates/{id}", get(reviews::template).put(reviews::update_template))
        .route("/review-cycles", get(reviews::cycles).post(reviews::create_cycle))
        .route("/review-cycles/{id}", get(reviews::cycle))
        .route("/review-cycles/{id}/launch", post(reviews::launch))
        .route("/review-cycles/{id}/health", get(reviews::health))
        .route("/review-cycles/{id}/stages", put(reviews::reschedule))
        .route("/review-cycles/{id}/results.xlsx", get(reviews::results_xlsx))
        .route("/me/review-tasks", get(reviews::my_tasks))
        .route("/me/review-participations", get(reviews::my_participations))
        .route("/review-participants/{id}/peers", get(reviews::peers).put(reviews::nominate))
        .route("/review-participants/{id}/peers/decision", post(reviews::decide_peers))
        .route("/review-participants/{id}/result", get(reviews::result))
        .route("/reviews/{id}", get(reviews::form).put(reviews::save))
        .route("/review-cycles/{id}/calibration-sessions", get(reviews::sessions).post(reviews::create_session))
        .route("/calibration-sessions/{id}", get(reviews::session))
        .route("/calibration-sessions/{id}/moves", post(reviews::move_grade))
        .route("/calibration-sessions/{id}/lock", post(reviews::lock))
        .route("/calibration-sessions/{id}/unlock", post(reviews::unlock))
        .route("/review-cycles/{id}/release", post(review_release::release))
        .route("/review-cycles/{id}/appeals", get(review_release::appeals))
        .route("/me/review-results", get(review_release::my_results))
        .route("/review-participants/{id}/acknowledgement", post(review_release::acknowledge))
        .route("/review-participants/{id}/appeal", post(review_release::appeal))
        .route("/review-appeals/{id}", get(review_release::appeal_view))
        .route("/review-appeals/{id}/assignment", post(review_release::assign))
        .route("/review-appeals/{id}/decision", post(review_release::decide))
        .route("/review-participants/{id}/promotion-nomination", post(result_application::nominate))
        .route("/promotion-nominations/{id}/decision", post(result_application::decide))
        .route("/review-cycles/{id}/incentives", post(result_application::grant))
        .route("/review-cycles/{id}/application", get(result_application::cycle_application))
        .route("/review-participants/{id}/potential", put(talent::assess))
        .route("/review-cycles/{id}/ninebox", get(talent::ninebox))
        .route("/review-cycles/{id}/ninebox.xlsx", get(talent::ninebox_xlsx))
        .route("/ninebox-names", get(talent::names).put(talent::set_names))
        .route("/probations", get(probation::in_progress))
        .route("/people/{id}/probation", get(probation::of_person).post(probation::start))
        .route("/probation-checkpoints/{id}", post(probation::hold))
        .route("/probations/{id}/decision", post(probation::decide))
        .route(
            "/review-participants/{id}/conversation",
            get(development::conversation).put(development::save_conversation),
        )
        .route("/people/{id}/development-plans", get(development::plans_of))
        .route("/development-plans", post(development::create_plan))
        .route("/development-plans/{id}", get(development::plan))
        .route("/development-actions/{id}/done", post(development::action_done))
        .route("/development-checkpoints/{id}/held", post(development::hold_checkpoint))
        .route("/feedback-todos/{id}/dismiss", post(webhooks::dismiss))
        .route("/one-on-ones", get(one_on_ones::overview))
        .route("/one-on-one-series", post(one_on_ones::create_series))
        .route("/one-on-one-series/{id}", get(one_on_ones::get_series).put(one_on_ones::update_series))
        .route("/one-on-ones/{id}", get(one_on_ones::meeting))
        .route("/one-on-ones/{id}/reschedule", post(one_on_ones::reschedule))
        .route("/one-on-ones/{id}/cancel", post(one_on_ones::cancel))
        .route("/one-on-ones/{id}/held", post(one_on_ones::held))
        .route("/one-on-ones/{id}/agenda", post(one_on_ones::add_agenda))
        .route("/agenda-items/{id}", put(one_on_ones::set_discussed).delete(one_on_ones::remove_agenda))
        .route("/one-on-ones/{id}/notes", put(one_on_ones::shared_notes))
        .route("/one-on-ones/{id}/private-note", put(one_on_ones::private_note))
        .route("/one-on-ones/{id}/actions", post(one_on_ones::add_action))
        .route("/one-on-one-actions/{id}", put(one_on_ones::set_action_done))
        .route("/one-on-ones/{id}/goals", post(one_on_ones::link_goal))
        .route("/one-on-ones/{id}/goals/{goal_id}", delete(one_on_ones::unlink_goal))
        .route("/one-on-ones/{id}/ics", get(one_on_ones::meeting_ics))
        .route(
            "/me/calendar-feed",
            get(one_on_ones::feed).post(one_on_ones::renew_feed).delete(one_on_ones::revoke_feed),
        )
        .route("/coaching-prompts", get(one_on_ones::prompts).post(one_on_ones::add_prompt))
        .route("/coaching-prompts/{id}", put(one_on_ones::set_prompt))
}
