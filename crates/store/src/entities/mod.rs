//! Hand-written SeaORM entities, one module per table.

pub mod api_token;
pub mod audit_head;
pub mod audit_log;
pub mod employee;
pub mod employee_status_event;
pub mod goal;
pub mod goal_approval;
pub mod goal_approval_rule;
pub mod goal_commitment;
pub mod goal_link;
pub mod goal_owner;
pub mod goal_period;
pub mod goal_template;
pub mod key_result;
pub mod kr_library_item;
pub mod login_failure;
pub mod notification;
pub mod role_grant;
pub mod session;
pub mod unit;
pub mod user_account;
