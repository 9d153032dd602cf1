//! HTTP end to end, in process (tower `oneshot`) over real databases: sign-in, CSRF,
//! throttling, API tokens, the API's errors and access rules, pages in both languages.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::TimeZone;
use waymark_app::demo::{DEMO_PASSWORD, DemoOptions};
use waymark_store::{Db, dual_test};

mod common;

use common::*;

dual_test!(sign_in_sets_a_safe_session_and_forms_need_the_csrf_token, |db: Db| async move {
    let (r, _) = setup(db).await;
    // Without a session, pages send you to sign in.
    let resp = send(&r, Request::get("/org").body(Body::empty()).unwrap()).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    assert_eq!(resp.headers[header::LOCATION], "/login?next=/org");
    // The sign-in page hands out the CSRF cookie.
    let resp = send(&r, Request::get("/login").body(Body::empty()).unwrap()).await;
    assert!(resp.cookie("wm_csrf").unwrap().contains("SameSite=Lax"));
    // A form post without the token is refused.
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("username=hr&password={DEMO_PASSWORD}")))
        .unwrap();
    assert_eq!(send(&r, req).await.status, StatusCode::FORBIDDEN);
    // A token made up by the browser, with a cookie to match, is refused (issue 21, item 7).
    let made_up = "0123456789abcdef0123456789abcdef";
    let forged = login_request(&format!("wm_csrf={made_up}"), made_up, "hr", DEMO_PASSWORD);
    assert_eq!(send(&r, forged).await.status, StatusCode::FORBIDDEN);
    // With the form's own token, the session cookie is HttpOnly and SameSite=Lax.
    let (nonce, token) = anonymous(&r).await;
    let resp = send(&r, login_request(&nonce, &token, "hr", DEMO_PASSWORD)).await;
    let session = resp.cookie("wm_session").unwrap();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax") && !session.contains("Secure"),
        "{session}"
    );
    let cookie = sign_in(&r, "hr").await;
    let page = send(&r, get("/org", &cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<html lang=\"zh-CN\">") && page.body.contains("组织架构"));
    // Logging out needs the token too; the sign-in form's token is not this session's.
    let req = Request::post("/logout")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={token}")))
        .unwrap();
    assert_eq!(send(&r, req).await.status, StatusCode::FORBIDDEN);
    // Nor is another session's token, nor one from another site's page.
    let other = sign_in(&r, "employee").await;
    let req = Request::post("/logout")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={}", csrf_of(&other))))
        .unwrap();
    assert_eq!(send(&r, req).await.status, StatusCode::FORBIDDEN);
    let mut cross = post_form("/logout", &cookie, "");
    cross.headers_mut().insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    assert_eq!(send(&r, cross).await.status, StatusCode::FORBIDDEN);
    // A cookie-signed-in API call does not take the token from the query.
    let req = Request::post(format!("/api/v1/me/notification-settings/test?_csrf={}", csrf_of(&cookie)))
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"name\":\"x\"}"))
        .unwrap();
    assert_eq!(send(&r, req).await.status, StatusCode::FORBIDDEN);
    assert_eq!(send(&r, post_form("/logout", &cookie, "")).await.status, StatusCode::SEE_OTHER);
});

// Issue 21, item 3: five wrong passwords guard the account without locking its owner out: a
// browser that signed in to it before still gets in at once, any other browser gets one try a
// minute; forty parallel guesses are not all evaluated; failures are audited and listed for
// the administrator; X-Forwarded-For from a client that is not a trusted proxy is ignored.
dual_test!(sign_in_is_throttled_after_repeated_failures, |db: Db| async move {
    let (r, app, clock) = setup_with_clock(db).await;
    // The manager's own browser signed in before: it holds a known-device proof.
    let (nonce, token) = anonymous(&r).await;
    let first = send(&r, login_request(&nonce, &token, "manager", DEMO_PASSWORD)).await;
    let device = first.cookie("wm_device").expect("known-device cookie");
    assert!(device.contains("HttpOnly"), "{device}");
    let device = device.split(';').next().unwrap().to_string();

    // An attacker elsewhere, forging X-Forwarded-For, guesses in parallel.
    let (anon, anon_token) = anonymous(&r).await;
    let guesses = (0..40).map(|i| {
        let mut req = login_request(&anon, &anon_token, "manager", &format!("guess-{i}"));
        req.headers_mut().insert("x-forwarded-for", format!("10.9.{i}.1").parse().unwrap());
        let r = r.clone();
        async move { send(&r, req).await.status }
    });
    let statuses = futures_join(guesses).await;
    let evaluated = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    assert!(evaluated <= 6, "at most five failures and one guarded try are evaluated, not {evaluated}");
    assert!(statuses.iter().all(|s| *s == StatusCode::UNAUTHORIZED || *s == StatusCode::TOO_MANY_REQUESTS));

    // From a browser that never signed in, even the right password waits a minute…
    let resp = send(&r, login_request(&anon, &anon_token, "manager", DEMO_PASSWORD)).await;
    assert_eq!(resp.status, StatusCode::TOO_MANY_REQUESTS, "an unknown browser is slowed down");
    // …but the owner's own browser signs in at once.
    let resp = send(&r, login_request(&format!("{nonce}; {device}"), &token, "manager", DEMO_PASSWORD)).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "the real user is not locked out: {}", resp.body);
    // A minute later an unknown browser may try again (and with the right password, get in).
    {
        *clock.0.lock().unwrap() += chrono::Duration::seconds(61);
    }
    let resp = send(&r, login_request(&anon, &anon_token, "manager", DEMO_PASSWORD)).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);

    // The failures are in the audit log, and the administrator sees who was throttled.
    let failures = app
        .audit()
        .list(&waymark_app::policy::Actor::system("t"), waymark_app::audit::AuditFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.action == "sign_in_failed")
        .count();
    assert_eq!(failures, evaluated);
    let admin = sign_in(&r, "admin").await;
    let page = send(&r, get("/admin/accounts", &admin)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("已保护（放慢）"), "the guarded account is shown: {}", page.body);
    let admin_token = token_for(&app, "admin").await;
    let list = send(&r, api("GET", "/api/v1/sign-in-throttles", &admin_token, None)).await.json();
    let manager = list["accounts"].as_array().unwrap().iter().find(|a| a["name"] == "manager").cloned();
    assert_eq!(manager.map(|m| m["throttled"].clone()), Some(serde_json::json!(true)), "{list}");
});

/// Runs the futures at once and collects their results in order.
async fn futures_join<F: std::future::Future<Output = StatusCode> + Send + 'static>(
    fs: impl Iterator<Item = F>,
) -> Vec<StatusCode> {
    let handles: Vec<_> = fs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

dual_test!(pages_follow_the_language_choice, |db: Db| async move {
    let (r, _) = setup(db).await;
    let cookie = sign_in(&r, "employee").await;
    let en = send(
        &r,
        Request::get("/org")
            .header(header::COOKIE, &cookie)
            .header(header::ACCEPT_LANGUAGE, "en-US,en;q=0.9")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(en.body.contains("<html lang=\"en\">") && en.body.contains("Organization chart"));
    // Choosing Chinese is remembered in the account and wins over the browser.
    let resp = send(&r, get("/lang/zh-CN?next=/org", &cookie)).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER);
    let zh = send(
        &r,
        Request::get("/org")
            .header(header::COOKIE, &cookie)
            .header(header::ACCEPT_LANGUAGE, "en")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(zh.body.contains("<html lang=\"zh-CN\">"));
});

dual_test!(q1_a_page_url_with_a_bad_id_answers_in_words, |db: Db| async move {
    // Issue 23, item 7: a page address whose id is not an id answered axum's plain English
    // text naming the parser ("Invalid URL: Cannot parse `id` … UUID parsing failed"); a page
    // answers "not found" in the reader's language, and the API keeps its JSON errors.
    let (r, app) = setup(db).await;
    let cookie = sign_in(&r, "employee").await;
    let page = send(&r, get("/goals/map", &cookie)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("<html lang=\"zh-CN\">") && page.body.contains("找不到该页面或记录"), "{}", page.body);
    assert!(!page.body.contains("UUID") && !page.body.contains("Cannot parse"));
    let token = token_for(&app, "employee").await;
    let api_err = send(&r, api("GET", "/api/v1/goals/not-an-id", &token, None)).await;
    assert_eq!(api_err.status, StatusCode::BAD_REQUEST);
    assert!(!api_err.body.contains("<html"));
});

dual_test!(api_tokens_authenticate_and_can_be_revoked, |db: Db| async move {
    let (r, app) = setup(db).await;
    let token = token_for(&app, "manager").await;
    let me = send(&r, api("GET", "/api/v1/me", &token, None)).await;
    assert_eq!(me.status, StatusCode::OK);
    let roles = me.json()["roles"].clone();
    assert_eq!(roles, serde_json::json!(["employee", "manager"]));
    assert_eq!(send(&r, api("GET", "/api/v1/me", "wmk_not-a-token", None)).await.status, StatusCode::UNAUTHORIZED);
    let actor = app.accounts().login("manager", DEMO_PASSWORD, "10.0.0.1").await.unwrap().1;
    let id = app.accounts().tokens(&actor).await.unwrap()[0].id;
    app.accounts().revoke_token(&actor, id).await.unwrap();
    let after = send(&r, api("GET", "/api/v1/me", &token, None)).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.json()["error"], "unauthenticated");
});

dual_test!(api_hides_private_records_and_refuses_changes_by_role, |db: Db| async move {
    let (r, app) = setup(db).await;
    let (emp, hr, admin) =
        (token_for(&app, "employee").await, token_for(&app, "hr").await, token_for(&app, "admin").await);
    let me = send(&r, api("GET", "/api/v1/me", &emp, None)).await.json();
    let my_id = me["employee"]["id"].as_str().unwrap().to_string();
    let my_manager = me["employee"]["manager_id"].as_str().unwrap().to_string();
    let own = send(&r, api("GET", &format!("/api/v1/employees/{my_id}"), &emp, None)).await.json();
    assert!(own["record"]["hire_date"].is_string(), "own record is visible");
    let boss = send(&r, api("GET", &format!("/api/v1/employees/{my_manager}"), &emp, None)).await.json();
    assert!(boss["record"].is_null(), "a manager's HR record is private to the employee");
    let by_admin = send(&r, api("GET", &format!("/api/v1/employees/{my_id}"), &admin, None)).await.json();
    assert!(by_admin["record"].is_null() && by_admin["can_read_performance"] == false);
    let by_hr = send(&r, api("GET", &format!("/api/v1/employees/{my_id}"), &hr, None)).await.json();
    assert!(by_hr["record"]["email"].is_string() && by_hr["can_edit"] == true);

    let change = serde_json::json!({"status": "left", "effective_on": "2026-11-01"});
    let refused = send(&r, api("POST", &format!("/api/v1/employees/{my_id}/status"), &emp, Some(change.clone()))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json()["error"], "forbidden");
    assert_eq!(send(&r, api("GET", "/api/v1/audit", &emp, None)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        send(&r, api("POST", &format!("/api/v1/employees/{my_id}/status"), &hr, Some(change))).await.status,
        StatusCode::OK
    );
    let log = send(&r, api("GET", &format!("/api/v1/audit?subject_employee_id={my_id}"), &hr, None)).await.json();
    assert_eq!(log[0]["action"], "status");
    assert_eq!(log[0]["actor"], "hr");
});

dual_test!(q2_api_errors_are_json_naming_the_field, |db: Db| async move {
    let (r, app) = setup(db).await;
    let hr = token_for(&app, "hr").await;
    let units = send(&r, api("GET", "/api/v1/units", &hr, None)).await.json();
    let unit = units[0]["id"].as_str().unwrap().to_string();
    let bad = serde_json::json!({"employee_no": "N1", "name": "新人", "email": "no-at-sign", "unit_id": unit, "hire_date": "2026-02-30", "manager_no": "NOBODY"});
    let resp = send(&r, api("POST", "/api/v1/employees", &hr, Some(bad))).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> =
        resp.json()["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, vec!["email", "hire_date", "manager_no"]);
    let good = serde_json::json!({"employee_no": "N1", "name": "新人", "unit_id": unit, "hire_date": "2026-11-02"});
    assert_eq!(send(&r, api("POST", "/api/v1/employees", &hr, Some(good))).await.status, StatusCode::CREATED);
    let broken = Request::post("/api/v1/employees")
        .header(header::AUTHORIZATION, format!("Bearer {hr}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{\"employee_no\":"))
        .unwrap();
    let resp = send(&r, broken).await;
    assert_eq!(resp.status, StatusCode::BAD_REQUEST);
    assert_eq!(resp.json()["fields"][0]["field"], "body");
    // A body is an object: an array is refused even where every field is optional.
    let resp = send(&r, api("POST", "/api/v1/inbox/read", &hr, Some(serde_json::json!([])))).await;
    assert_eq!((resp.status, resp.json()["fields"][0]["field"].clone()), (StatusCode::BAD_REQUEST, "body".into()));
    let resp = send(&r, api("POST", "/api/v1/inbox/read", &hr, Some(serde_json::json!({})))).await;
    assert_eq!(resp.status, StatusCode::OK);
    let resp = send(&r, api("GET", "/api/v1/employees/not-a-uuid", &hr, None)).await;
    assert_eq!(
        (resp.status, resp.json()["error"].as_str().unwrap().to_string()),
        (StatusCode::BAD_REQUEST, "bad_request".to_string())
    );
    let csv = "工号,姓名,部门,入职日期\nX1,甲,不存在的部门,2020-01-01\n";
    let req = Request::post("/api/v1/import/employees")
        .header(header::AUTHORIZATION, format!("Bearer {hr}"))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(csv))
        .unwrap();
    let resp = send(&r, req).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(resp.json()["rows"][0]["row"], 2);
    assert_eq!(resp.json()["rows"][0]["column"], "部门");
});

dual_test!(o4_units_import_and_export_through_the_api, |db: Db| async move {
    let (r, app) = setup(db).await;
    let hr = token_for(&app, "hr").await;
    let export = send(&r, api("GET", "/api/v1/export/units?format=csv&headers=zh", &hr, None)).await;
    assert_eq!(export.status, StatusCode::OK);
    let text = export.body.clone();
    let root_code = text.lines().nth(1).unwrap().split(',').next().unwrap().to_string();
    let post = |csv: String| {
        Request::post("/api/v1/import/units?filename=units.csv")
            .header(header::AUTHORIZATION, format!("Bearer {hr}"))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(csv))
            .unwrap()
    };
    let resp = send(&r, post(format!("部门编码,部门名称,上级部门编码,类型\nNEWT,新团队,{root_code},团队\n"))).await;
    assert_eq!(resp.status, StatusCode::OK);
    assert_eq!(resp.json()["created"], 1);
    let resp = send(&r, post("部门编码,部门名称,上级部门编码,类型\nX9,某组,NOPE,科室\n".into())).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    let rows = resp.json()["rows"].clone();
    let cols: Vec<&str> = rows.as_array().unwrap().iter().map(|r| r["column"].as_str().unwrap()).collect();
    assert_eq!(cols, vec!["类型", "上级部门编码"]);
    let employee = token_for(&app, "employee").await;
    let resp = send(&r, api("GET", "/api/v1/export/units", &employee, None)).await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
});

dual_test!(g1_g5_goals_through_the_api, |db: Db| async move {
    let (r, app) = setup(db).await;
    let (hr, employee) = (token_for(&app, "hr").await, token_for(&app, "employee").await);
    let period =
        serde_json::json!({"name": "2026 Q4", "kind": "quarter", "starts_on": "2026-10-01", "ends_on": "2026-12-31"});
    let resp = send(&r, api("POST", "/api/v1/periods", &employee, Some(period.clone()))).await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    let resp = send(&r, api("POST", "/api/v1/periods", &hr, Some(period))).await;
    assert_eq!(resp.status, StatusCode::CREATED);
    let pid = resp.json()["id"].as_str().unwrap().to_string();
    // G-3, T-6: the name and goal-setting deadline change; a deadline after the period is named.
    let path = format!("/api/v1/periods/{pid}");
    let edit = serde_json::json!({"name": "2026 四季度", "setting_due_on": "2026-10-16"});
    assert_eq!(send(&r, api("PUT", &path, &employee, Some(edit.clone()))).await.status, StatusCode::FORBIDDEN);
    let resp = send(&r, api("PUT", &path, &hr, Some(edit))).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    assert_eq!(resp.json()["setting_due_on"], "2026-10-16");
    let late = serde_json::json!({"name": "2026 四季度", "setting_due_on": "2027-01-05"});
    let resp = send(&r, api("PUT", &path, &hr, Some(late))).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(resp.json()["fields"][0]["code"], "after_period_end");
    let gone = send(
        &r,
        api("PUT", "/api/v1/periods/00000000-0000-0000-0000-000000000000", &hr, Some(serde_json::json!({"name": "x"}))),
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let cookie = sign_in(&r, "hr").await;
    let page = send(&r, get("/admin/periods", &cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("2026 四季度") && page.body.contains("2026-10-16"), "{}", page.body);
    let form = format!(
        "_csrf={}&name=2027+Q1&kind=quarter&starts_on=2027-01-01&ends_on=2027-03-31&setting_due_on=2026-01-01",
        csrf_of(&cookie)
    );
    let req = Request::post("/admin/periods")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let refused = send(&r, req).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("目标制定截止日") && refused.body.contains("2027 Q1"), "named, and kept as typed");
    assert_eq!(send(&r, get("/admin/periods", &sign_in(&r, "employee").await)).await.status, StatusCode::FORBIDDEN);
    let goal = serde_json::json!({"period_id": pid, "title": "提升续约率", "framework": "okr", "key_results": [
        {"title": "续约率 %", "kind": "numeric", "start": 60, "target": 80, "weight": 60},
        {"title": "上线客户成功手册", "kind": "done", "weight": 40}]});
    let resp = send(&r, api("POST", "/api/v1/goals", &employee, Some(goal))).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    let g = resp.json();
    let kr = g["key_results"][0]["id"].as_str().unwrap().to_string();
    let resp = send(
        &r,
        api("POST", &format!("/api/v1/key-results/{kr}/progress"), &employee, Some(serde_json::json!({"current": 70}))),
    )
    .await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    // 60 % × (70 − 60) / 20 + 40 % × 0 = 30 %
    assert_eq!(resp.json()["progress_percent"], 30.0);
    let resp = send(
        &r,
        api("POST", &format!("/api/v1/key-results/{kr}/progress"), &employee, Some(serde_json::json!({"done": true}))),
    )
    .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(resp.json()["fields"][0]["field"], "done");
    assert_eq!(resp.json()["fields"][0]["code"], "not_a_deliverable");
    let mine = send(&r, api("GET", &format!("/api/v1/periods/{pid}/my-goals"), &employee, None)).await.json();
    assert_eq!(mine["goals"].as_array().unwrap().len(), 1);
    let bad = serde_json::json!({"period_id": pid, "title": "", "framework": "okr", "key_results": []});
    let resp = send(&r, api("POST", "/api/v1/goals", &employee, Some(bad))).await;
    let fields: Vec<String> =
        resp.json()["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, vec!["title", "key_results"]);
});

dual_test!(t1_t4_tracking_through_the_api, |db: Db| async move {
    let (r, app) = setup(db).await;
    let (hr, employee, admin) =
        (token_for(&app, "hr").await, token_for(&app, "employee").await, token_for(&app, "admin").await);
    let period =
        serde_json::json!({"name": "2026 Q4", "kind": "quarter", "starts_on": "2026-10-01", "ends_on": "2026-12-31"});
    let pid =
        send(&r, api("POST", "/api/v1/periods", &hr, Some(period))).await.json()["id"].as_str().unwrap().to_string();
    let goal = serde_json::json!({"period_id": pid, "title": "回款", "framework": "kpi", "visibility": "private",
        "key_results": [{"title": "回款额", "kind": "kpi", "unit_label": "万元", "start": 0, "target": 500}]});
    let g = send(&r, api("POST", "/api/v1/goals", &employee, Some(goal))).await.json();
    let (gid, kr) = (g["id"].as_str().unwrap().to_string(), g["key_results"][0]["id"].as_str().unwrap().to_string());
    send(&r, api("POST", &format!("/api/v1/goals/{gid}/submit"), &employee, Some(serde_json::json!({})))).await;

    // T-1: a check-in by %, with confidence and note.
    let body = serde_json::json!({"percent": 40, "confidence": "at_risk", "note": "两笔回款延期"});
    let resp = send(&r, api("POST", &format!("/api/v1/key-results/{kr}/check-ins"), &employee, Some(body))).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    let ci = resp.json();
    assert_eq!(
        (ci["value"].as_f64(), ci["unit"].as_str(), ci["goal_progress"].as_f64()),
        (Some(200.0), Some("万元"), Some(40.0))
    );
    // A file as the body; its type from the name, confirmed by the content.
    let cid = ci["id"].as_str().unwrap();
    let upload = |name: &str, bytes: &'static [u8]| {
        Request::post(format!("/api/v1/check-ins/{cid}/attachments?filename={name}"))
            .header(header::AUTHORIZATION, format!("Bearer {employee}"))
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(bytes))
            .unwrap()
    };
    let resp = send(&r, upload("x.pdf", b"<html><script>alert(1)</script>")).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(resp.json()["fields"][0]["code"], "content_mismatch");
    let resp = send(&r, upload("%E5%9B%9E%E6%AC%BE.pdf", b"%PDF-1.7 report")).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    let url = resp.json()["attachments"][0]["url"].as_str().unwrap().to_string();
    let file = send(&r, api("GET", &url, &employee, None)).await;
    assert_eq!((file.status, file.body.as_str()), (StatusCode::OK, "%PDF-1.7 report"));
    assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(file.headers[header::CONTENT_DISPOSITION], "inline; filename*=UTF-8''%E5%9B%9E%E6%AC%BE.pdf");
    // The goal is private: someone who may not read it gets 404.
    assert_eq!(send(&r, api("GET", &url, &admin, None)).await.status, StatusCode::NOT_FOUND);

    // T-4: a KPI actual pushed by another system, twice with one id: recorded once.
    let push = serde_json::json!({"key_result_id": kr, "value": 260, "unit": "万元", "external_id": "erp-1120"});
    let a = send(&r, api("POST", "/api/v1/kpi-actuals", &hr, Some(push.clone()))).await.json();
    let b = send(&r, api("POST", "/api/v1/kpi-actuals", &hr, Some(push))).await.json();
    assert_eq!((a["id"].clone(), a["source"].as_str()), (b["id"].clone(), Some("api")));
    let wrong = serde_json::json!({"key_result_id": kr, "value": 2.6, "unit": "百万元"});
    let resp = send(&r, api("POST", "/api/v1/kpi-actuals", &hr, Some(wrong))).await;
    assert_eq!(
        (resp.status, resp.json()["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unit_mismatch"))
    );
    let t = send(&r, api("GET", &format!("/api/v1/goals/{gid}/tracking"), &employee, None)).await.json();
    assert_eq!(t["check_ins"].as_array().unwrap().len(), 2);
    assert_eq!(t["status"]["status"], "green", "{t}");
    assert_eq!(t["period_start"], "2026-10-01");

    // Thresholds: HR only, checked.
    let s = serde_json::json!({"yellow_behind": 10, "red_behind": 5, "stale_days": 14, "stall_weeks": 2, "pace_window_days": 28});
    assert_eq!(
        send(&r, api("PUT", "/api/v1/tracking-settings", &employee, Some(s.clone()))).await.status,
        StatusCode::FORBIDDEN
    );
    let resp = send(&r, api("PUT", "/api/v1/tracking-settings", &hr, Some(s))).await;
    assert_eq!(resp.json()["fields"][0]["field"], "red_behind");
    let resp = send(&r, api("POST", "/api/v1/tracking/sweep", &hr, None)).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
});

dual_test!(t7_notification_settings_and_jobs_through_the_api_and_pages, |db: Db| async move {
    let (r, app) = setup(db).await;
    let (employee, admin) = (token_for(&app, "employee").await, token_for(&app, "admin").await);
    let path = "/api/v1/me/notification-settings";
    let mine = send(&r, api("GET", path, &employee, None)).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.body);
    let v = mine.json();
    assert_eq!(
        (v["email_enabled"].as_bool(), v["im_enabled"].as_bool(), v["email_available"].as_bool()),
        (Some(true), Some(false), Some(false))
    );
    assert_eq!(v["categories"], serde_json::json!(["workflow", "tracking", "reminders"]));
    // A webhook off the platform's host is refused naming the field; nothing is kept.
    let bad = serde_json::json!({"email_enabled": true, "im_enabled": true, "im_platform": "dingtalk",
        "im_url": "https://10.0.0.8/robot/send?access_token=x", "im_secret": "SEC1"});
    let resp = send(&r, api("PUT", path, &employee, Some(bad))).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
    assert!(resp.body.contains("im_url") && resp.body.contains("host_not_allowed"), "{}", resp.body);
    let good = serde_json::json!({"email_enabled": false, "email_off": ["reminders"], "im_enabled": true, "im_platform": "dingtalk",
        "im_url": "https://oapi.dingtalk.com/robot/send?access_token=x", "im_secret": "SEC1", "im_off": ["workflow"]});
    let v = send(&r, api("PUT", path, &employee, Some(good))).await.json();
    assert_eq!((v["im_has_secret"].as_bool(), v["email_enabled"].as_bool()), (Some(true), Some(false)));
    assert!(!v.to_string().contains("SEC1"), "the secret is never shown again");
    assert_eq!(v["im_off"], serde_json::json!(["workflow"]));
    // No mail server on this instance: a test e-mail is refused with the reason.
    let resp =
        send(&r, api("POST", &format!("{path}/test"), &employee, Some(serde_json::json!({"channel": "email"})))).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.body.contains("unavailable"), "{}", resp.body);
    let resp =
        send(&r, api("POST", &format!("{path}/test"), &employee, Some(serde_json::json!({"channel": "im"})))).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    assert_eq!(resp.json()["state"], "queued");
    // The job queue is the administrator's.
    assert_eq!(send(&r, api("GET", "/api/v1/jobs", &employee, None)).await.status, StatusCode::FORBIDDEN);
    let jobs = send(&r, api("GET", "/api/v1/jobs?state=queued", &admin, None)).await;
    assert_eq!(jobs.status, StatusCode::OK, "{}", jobs.body);
    assert!(jobs.json()["counts"]["queued"].as_i64().unwrap() >= 1);
    assert_eq!(
        send(&r, api("GET", "/api/v1/jobs?state=lost", &admin, None)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        send(&r, api("GET", "/api/v1/jobs?page=0", &admin, None)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // The pages.
    let cookie = sign_in(&r, "employee").await;
    let page = send(&r, get("/account/notifications", &cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("通知设置") && page.body.contains("https://oapi.dingtalk.com/robot/send?access_token=x")
    );
    assert!(!page.body.contains("SEC1"));
    assert_eq!(send(&r, get("/admin/jobs", &cookie)).await.status, StatusCode::FORBIDDEN);
    let cookie = sign_in(&r, "admin").await;
    let page = send(&r, get("/admin/jobs?state=queued", &cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("后台任务") && page.body.contains("测试消息"), "{}", page.body);
});

dual_test!(g8_goal_library_through_the_api, |db: Db| async move {
    let (r, app) = setup(db).await;
    let (hr, employee) = (token_for(&app, "hr").await, token_for(&app, "employee").await);
    let period =
        serde_json::json!({"name": "2026 Q4", "kind": "quarter", "starts_on": "2026-10-01", "ends_on": "2026-12-31"});
    let pid =
        send(&r, api("POST", "/api/v1/periods", &hr, Some(period))).await.json()["id"].as_str().unwrap().to_string();
    let item = serde_json::json!({"key_result": {"title": "回款率", "kind": "kpi", "start": 80, "threshold": 85,
        "target": 95, "stretch": 100, "unit_label": "%"}, "description": "已回款 ÷ 应回款"});
    let resp = send(&r, api("POST", "/api/v1/kr-library", &employee, Some(item.clone()))).await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    let resp = send(&r, api("POST", "/api/v1/kr-library", &hr, Some(item))).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    let item_id = resp.json()["id"].as_str().unwrap().to_string();
    let template = serde_json::json!({"title": "回款达标", "framework": "kpi", "period_id": pid,
        "key_results": [{"library_item_id": item_id, "target": 98}]});
    let resp = send(&r, api("POST", "/api/v1/goal-templates", &hr, Some(template))).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    let t = resp.json();
    assert_eq!(
        (t["key_results"][0]["threshold"].as_f64(), t["key_results"][0]["target"].as_f64()),
        (Some(85.0), Some(98.0))
    );
    let tid = t["id"].as_str().unwrap().to_string();
    let bad = serde_json::json!({"title": "x", "framework": "okr", "key_results": [{"library_item_id": pid}]});
    let resp = send(&r, api("POST", "/api/v1/goal-templates", &hr, Some(bad))).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(resp.json()["fields"][0]["field"], "key_results[0].library_item_id");
    let lib = send(&r, api("GET", "/api/v1/goal-library", &employee, None)).await.json();
    assert_eq!((lib["templates"].as_array().unwrap().len(), lib["can_edit"].as_bool()), (1, Some(false)));
    let resp =
        send(&r, api("POST", &format!("/api/v1/goal-templates/{tid}/use"), &employee, Some(serde_json::json!({}))))
            .await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    assert_eq!(resp.json()["status"], "draft", "{}", resp.body);
    let dry = serde_json::json!({"dry_run": true});
    let resp =
        send(&r, api("POST", &format!("/api/v1/goal-templates/{tid}/assign"), &employee, Some(dry.clone()))).await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    let report = send(&r, api("POST", &format!("/api/v1/goal-templates/{tid}/assign"), &hr, Some(dry))).await.json();
    assert_eq!(report["skipped_duplicates"], 1, "the employee has it already: {report}");
    assert_eq!(report["created"], 0);
});

dual_test!(o3_reports_and_search_through_the_api, |db: Db| async move {
    let (r, app) = setup(db).await;
    let token = token_for(&app, "executive").await;
    let me = send(&r, api("GET", "/api/v1/me", &token, None)).await.json();
    let ceo = me["employee"]["id"].as_str().unwrap().to_string();
    let reports = send(&r, api("GET", &format!("/api/v1/employees/{ceo}/reports"), &token, None)).await.json();
    assert_eq!(reports["total"], 59, "everyone but the CEO");
    let found = send(&r, api("GET", "/api/v1/employees?q=E00000&limit=5", &token, None)).await.json();
    assert_eq!(found["items"].as_array().unwrap().len(), 5);
    assert!(found["total"].as_u64().unwrap() >= 9);
});

#[test]
fn openapi_document_matches_the_committed_copy() {
    use utoipa::OpenApi;
    let doc = serde_json::to_string_pretty(&waymark_web::api::ApiDoc::openapi()).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    if std::env::var("UPDATE_OPENAPI").is_ok() {
        std::fs::write(path, &doc).unwrap();
    }
    let committed = std::fs::read_to_string(path).expect("docs/openapi.json (run with UPDATE_OPENAPI=1 to write it)");
    assert_eq!(committed, doc, "the API changed: review and run with UPDATE_OPENAPI=1");
    for p in [
        "/api/v1/me",
        "/api/v1/units",
        "/api/v1/employees",
        "/api/v1/import/employees",
        "/api/v1/export/employees",
        "/api/v1/import/units",
        "/api/v1/export/units",
        "/api/v1/audit",
        "/api/v1/goals",
        "/api/v1/periods",
    ] {
        assert!(doc.contains(&format!("\"{p}\"")), "{p} is documented");
    }
}

dual_test!(t2_t6_weekly_reports_follow_up_and_calendar_through_the_api_and_pages, |db: Db| async move {
    let (r, app) = setup(db).await;
    let (employee, manager, hr) =
        (token_for(&app, "employee").await, token_for(&app, "manager").await, token_for(&app, "hr").await);
    // Saturday 21 November 2026 in Shanghai: the week of Monday the 16th.
    let draft = send(&r, api("GET", "/api/v1/me/weekly-report", &employee, None)).await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
    assert_eq!(
        (draft.json()["state"].as_str(), draft.json()["week_start"].as_str()),
        (Some("new"), Some("2026-11-16"))
    );
    let body = serde_json::json!({"done": "• 续约两家", "blockers": "• 合同模板等法务", "next_week": "• 拜访", "submit": true});
    let future = send(&r, api("PUT", "/api/v1/me/weekly-reports/2026-11-30", &employee, Some(body.clone()))).await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future.body.contains("future_week"), "{}", future.body);
    let unreadable = send(&r, api("PUT", "/api/v1/me/weekly-reports/friday", &employee, Some(body.clone()))).await;
    assert_eq!(unreadable.status, StatusCode::BAD_REQUEST);
    let sent = send(&r, api("PUT", "/api/v1/me/weekly-reports/2026-11-20", &employee, Some(body))).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let id = sent.json()["id"].as_str().unwrap().to_string();
    assert_eq!(sent.json()["state"], "submitted");

    // The manager's digest, blockers first; acknowledged once.
    let d = send(&r, api("GET", "/api/v1/weekly-digest?week=2026-11-18", &manager, None)).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert_eq!(d.json()["with_blockers"], 1);
    assert_eq!(d.json()["entries"][0]["report"]["id"].as_str(), Some(id.as_str()));
    let manager_id = d.json()["manager_id"].as_str().unwrap().to_string();
    let peek = send(&r, api("GET", &format!("/api/v1/weekly-digest?manager={manager_id}"), &employee, None)).await;
    assert_eq!(peek.status, StatusCode::FORBIDDEN);
    let ack = format!("/api/v1/weekly-reports/{id}/acknowledge");
    let resp = send(&r, api("POST", &ack, &manager, Some(serde_json::json!({"comment": "我来协调法务"})))).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    assert_eq!(resp.json()["comment"], "我来协调法务");
    let resp = send(&r, api("POST", &ack, &manager, Some(serde_json::json!({})))).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(send(&r, api("POST", &ack, &employee, Some(serde_json::json!({})))).await.status, StatusCode::FORBIDDEN);

    // The follow-up rate: the manager's own, HR's list; a month that does not read is named.
    let f = send(&r, api("GET", "/api/v1/follow-up?month=2026-11", &manager, None)).await;
    assert_eq!(f.status, StatusCode::OK, "{}", f.body);
    assert!(f.json()["total"]["acknowledged"].as_u64().unwrap() >= 1, "{}", f.body);
    let bad = send(&r, api("GET", "/api/v1/follow-up?month=2026-13", &manager, None)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("month"), "{}", bad.body);
    assert_eq!(send(&r, api("GET", "/api/v1/follow-up/managers", &hr, None)).await.status, StatusCode::OK);
    let zero = send(&r, api("GET", "/api/v1/follow-up/managers?page=0", &hr, None)).await;
    assert_eq!(zero.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", zero.body);
    let huge = send(&r, api("GET", "/api/v1/follow-up/managers?page=4294967296", &hr, None)).await;
    assert_eq!(huge.status, StatusCode::BAD_REQUEST, "{}", huge.body);
    assert_eq!(send(&r, api("GET", "/api/v1/follow-up/managers", &employee, None)).await.status, StatusCode::FORBIDDEN);

    // The calendar: everyone reads it, org-wide HR changes it.
    let cal = send(&r, api("GET", "/api/v1/calendar", &employee, None)).await;
    assert_eq!(cal.status, StatusCode::OK, "{}", cal.body);
    assert_eq!(cal.json()["settings"]["utc_offset"], "+08:00");
    let mut s = cal.json()["settings"].clone();
    assert_eq!(
        send(&r, api("PUT", "/api/v1/calendar", &employee, Some(s.clone()))).await.status,
        StatusCode::FORBIDDEN
    );
    s["weekly_hour"] = serde_json::json!(2);
    let resp = send(&r, api("PUT", "/api/v1/calendar", &hr, Some(s.clone()))).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.body.contains("weekly_hour") && resp.body.contains("out_of_hours"), "{}", resp.body);
    s["weekly_hour"] = serde_json::json!(17);
    assert_eq!(send(&r, api("PUT", "/api/v1/calendar", &hr, Some(s))).await.status, StatusCode::OK);
    let day = "/api/v1/calendar/days/2026-12-25";
    let put = send(&r, api("PUT", day, &hr, Some(serde_json::json!({"working": false, "name": "公司年会"})))).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    assert_eq!(send(&r, api("DELETE", day, &hr, None)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(send(&r, api("DELETE", day, &hr, None)).await.status, StatusCode::NOT_FOUND);

    // The pages.
    let cookie = sign_in(&r, "employee").await;
    let page = send(&r, get("/tracking/weekly", &cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("我的周报") && page.body.contains("我来协调法务"), "the manager's comment shows");
    assert_eq!(send(&r, get("/admin/calendar", &cookie)).await.status, StatusCode::FORBIDDEN);
    let cookie = sign_in(&r, "manager").await;
    let page = send(&r, get("/tracking/weekly/team?week=2026-11-16", &cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("合同模板等法务") && page.body.contains("团队周报"));
    assert_eq!(send(&r, get("/tracking/follow-up", &cookie)).await.status, StatusCode::OK);
    let cookie = sign_in(&r, "hr").await;
    let page = send(&r, get("/admin/calendar", &cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("17:00"), "the upcoming weekly reminder at the new hour");
});

dual_test!(t5_the_strategy_board_through_the_api_and_the_page, |db: Db| async move {
    let (r, app) = setup(db).await;
    app.create_demo_goals(&DemoOptions { seed: 11, ..Default::default() }).await.unwrap();
    let (ceo, employee) = (token_for(&app, "executive").await, token_for(&app, "employee").await);
    let b = send(&r, api("GET", "/api/v1/boards/executive", &ceo, None)).await;
    assert_eq!(b.status, StatusCode::OK, "{}", b.body);
    assert_eq!(b.json()["period"]["starts_on"], "2026-01-01");
    assert!(!b.json()["goals"].as_array().unwrap().is_empty());
    assert_eq!(send(&r, api("GET", "/api/v1/boards/executive", &employee, None)).await.status, StatusCode::FORBIDDEN);
    let unknown = format!("/api/v1/boards/executive?period={}", uuid::Uuid::nil());
    assert_eq!(send(&r, api("GET", &unknown, &ceo, None)).await.status, StatusCode::NOT_FOUND);
    let cookie = sign_in(&r, "executive").await;
    let page = send(&r, get("/tracking/executive", &cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("战略看板") && page.body.contains("strategy-data"));
    // The employee's own board on the goals page.
    let cookie = sign_in(&r, "employee").await;
    let page = send(&r, get("/goals", &cookie)).await;
    assert!(page.body.contains("我的看板") && page.body.contains("my-goals-data"), "{}", page.body.len());
});

dual_test!(f1_f8_one_on_ones_through_the_api_and_pages, |db: Db| async move {
    let (r, app) = setup(db).await;
    let (employee, manager, hr) =
        (token_for(&app, "employee").await, token_for(&app, "manager").await, token_for(&app, "hr").await);
    let boss =
        send(&r, api("GET", "/api/v1/me", &manager, None)).await.json()["employee"]["id"].as_str().unwrap().to_string();
    // Thursdays 14:00 from 26 November (the clock says Saturday 21 November).
    let input =
        serde_json::json!({"with": boss, "cadence": "weekly", "first_at": "2026-11-26T14:00", "duration_min": 30});
    let resp = send(&r, api("POST", "/api/v1/one-on-one-series", &employee, Some(input.clone()))).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    let series = resp.json()["id"].as_str().unwrap().to_string();
    let again = send(&r, api("POST", "/api/v1/one-on-one-series", &manager, Some(serde_json::json!({"with": resp.json()["report_id"], "cadence": "weekly", "first_at": "2026-11-27T09:00", "duration_min": 30})))).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.json()["fields"][0]["code"], "exists");
    let bad = serde_json::json!({"with": boss, "cadence": "hourly", "first_at": "soon", "duration_min": 500});
    let resp = send(&r, api("POST", "/api/v1/one-on-one-series", &employee, Some(bad))).await;
    let problem = resp.json();
    let codes: Vec<&str> = problem["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(codes, vec!["cadence", "first_at", "duration_min"]);
    let overview = send(&r, api("GET", "/api/v1/one-on-ones", &employee, None)).await.json();
    assert_eq!(overview["upcoming"].as_array().unwrap().len(), 8);
    let meeting = overview["upcoming"][0]["id"].as_str().unwrap().to_string();
    // Someone else's 1:1 does not exist for them, HR included.
    assert_eq!(
        send(&r, api("GET", &format!("/api/v1/one-on-ones/{meeting}"), &hr, None)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&r, api("GET", &format!("/api/v1/one-on-one-series/{series}"), &hr, None)).await.status,
        StatusCode::NOT_FOUND
    );
    // Agenda and private notes through the API.
    let item = send(
        &r,
        api(
            "POST",
            &format!("/api/v1/one-on-ones/{meeting}/agenda"),
            &employee,
            Some(serde_json::json!({"text": "职业发展路径"})),
        ),
    )
    .await;
    assert_eq!(item.status, StatusCode::CREATED, "{}", item.body);
    let note = send(
        &r,
        api(
            "PUT",
            &format!("/api/v1/one-on-ones/{meeting}/private-note"),
            &employee,
            Some(serde_json::json!({"text": "只给自己看"})),
        ),
    )
    .await;
    assert_eq!(note.status, StatusCode::NO_CONTENT);
    let as_manager = send(&r, api("GET", &format!("/api/v1/one-on-ones/{meeting}"), &manager, None)).await;
    assert_eq!(as_manager.json()["private_note"], "");
    assert_eq!(as_manager.json()["agenda"][0]["text"], "职业发展路径");
    assert!(!as_manager.body.contains("只给自己看"));
    let action = send(
        &r,
        api(
            "POST",
            &format!("/api/v1/one-on-ones/{meeting}/actions"),
            &manager,
            Some(serde_json::json!({"text": "报名领导力课程", "due_on": "2026-12-15"})),
        ),
    )
    .await;
    assert_eq!(action.status, StatusCode::CREATED, "{}", action.body);
    let id = action.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        send(
            &r,
            api("PUT", &format!("/api/v1/one-on-one-actions/{id}"), &employee, Some(serde_json::json!({"done": true})))
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    // ICS: the meeting, and the feed behind its secret address (no session needed).
    let ics = send(&r, api("GET", &format!("/api/v1/one-on-ones/{meeting}/ics"), &employee, None)).await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(ics.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/calendar"));
    assert!(
        ics.body.starts_with("BEGIN:VCALENDAR\r\n") && ics.body.contains(&format!("UID:{meeting}@waymark")),
        "{}",
        ics.body
    );
    let feed = send(&r, api("POST", "/api/v1/me/calendar-feed", &employee, None)).await;
    assert_eq!(feed.status, StatusCode::CREATED);
    let url = feed.json()["url"].as_str().unwrap().to_string();
    let path = &url[url.find("/calendar/").unwrap()..];
    let public = send(&r, Request::get(path).body(Body::empty()).unwrap()).await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    assert_eq!(public.body.matches("BEGIN:VEVENT").count(), 8);
    assert_eq!(
        send(&r, api("GET", "/api/v1/me/calendar-feed", &employee, None)).await.json()["url"],
        serde_json::Value::Null,
        "shown once"
    );
    assert_eq!(
        send(&r, Request::get("/calendar/wmcal_nope.ics").body(Body::empty()).unwrap()).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&r, api("DELETE", "/api/v1/me/calendar-feed", &employee, None)).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(send(&r, Request::get(path).body(Body::empty()).unwrap()).await.status, StatusCode::NOT_FOUND);
    // F-8: the question bank in the reader's language; HR adds to it.
    let bank = send(&r, api("GET", "/api/v1/coaching-prompts", &employee, None)).await.json();
    assert_eq!(bank.as_array().unwrap().len(), 20);
    let q = serde_json::json!({"topic": "growth", "text_zh": "你最想从谁身上学东西？"});
    assert_eq!(
        send(&r, api("POST", "/api/v1/coaching-prompts", &employee, Some(q.clone()))).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(send(&r, api("POST", "/api/v1/coaching-prompts", &hr, Some(q))).await.status, StatusCode::CREATED);
    assert_eq!(
        send(&r, api("GET", "/api/v1/coaching-prompts", &employee, None)).await.json().as_array().unwrap().len(),
        21
    );
    // The pages: the participants', in Chinese; nobody else's.
    let cookie = sign_in(&r, "employee").await;
    let page = send(&r, get("/one-on-ones", &cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("一对一沟通") && page.body.contains("日历订阅"));
    let page = send(&r, get(&format!("/one-on-ones/{meeting}"), &cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("职业发展路径") && page.body.contains("只给自己看") && page.body.contains("报名领导力课程")
    );
    let boss_cookie = sign_in(&r, "manager").await;
    let page = send(&r, get(&format!("/one-on-ones/{meeting}"), &boss_cookie)).await;
    assert!(!page.body.contains("只给自己看"), "the report's private note is theirs");
    assert!(page.body.contains("可以问问"), "the manager gets questions to ask");
    let hr_cookie = sign_in(&r, "hr").await;
    assert_eq!(send(&r, get(&format!("/one-on-ones/{meeting}"), &hr_cookie)).await.status, StatusCode::NOT_FOUND);
    // A form without the CSRF token changes nothing.
    let req = Request::post(format!("/one-on-ones/{meeting}/agenda"))
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("text=x"))
        .unwrap();
    assert_eq!(send(&r, req).await.status, StatusCode::FORBIDDEN);
    let form = format!("_csrf={}&text=%E5%91%A8%E6%8A%A5%E5%8F%8D%E9%A6%88", csrf_of(&cookie));
    let req = Request::post(format!("/one-on-ones/{meeting}/agenda"))
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    assert_eq!(send(&r, req).await.status, StatusCode::SEE_OTHER);
    assert!(send(&r, get(&format!("/one-on-ones/{meeting}"), &cookie)).await.body.contains("周报反馈"));
});

dual_test!(f2_f5_f6_feedback_journal_and_light_360_through_the_api_and_pages, |db: Db| async move {
    let (r, app) = setup(db).await;
    let (employee, manager, hr, ceo) = (
        token_for(&app, "employee").await,
        token_for(&app, "manager").await,
        token_for(&app, "hr").await,
        token_for(&app, "executive").await,
    );
    let id_of = |body: serde_json::Value| body["employee"]["id"].as_str().unwrap().to_string();
    let me = id_of(send(&r, api("GET", "/api/v1/me", &employee, None)).await.json());
    let boss = id_of(send(&r, api("GET", "/api/v1/me", &manager, None)).await.json());
    let hr_id = id_of(send(&r, api("GET", "/api/v1/me", &hr, None)).await.json());
    let ceo_id = id_of(send(&r, api("GET", "/api/v1/me", &ceo, None)).await.json());

    // F-2: feedback given through the API, then read by its recipient; to oneself refused.
    let give = serde_json::json!({"recipient_id": boss, "kind": "recognition", "visibility": "recipient",
        "template": "sbi", "parts": ["周二的客户演示中", "你一步步讲清了新方案", "客户当天就确认了"]});
    let resp = send(&r, api("POST", "/api/v1/feedback", &employee, Some(give.clone()))).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    let received = send(&r, api("GET", "/api/v1/feedback?box=received", &manager, None)).await.json();
    assert_eq!(received[0]["parts"][2]["part"], "impact");
    let mut to_self = give.clone();
    to_self["recipient_id"] = serde_json::json!(me);
    let resp = send(&r, api("POST", "/api/v1/feedback", &employee, Some(to_self))).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(resp.json()["fields"][0]["code"], "feedback_to_self");
    let coach =
        send(&r, api("POST", "/api/v1/feedback/coach", &employee, Some(serde_json::json!({"text": "你总是拖延。"}))))
            .await;
    // Harsh, and not also vague (issue 22, item 10): one hint, on its word.
    assert_eq!(coach.json()["hints"][0]["flag"], "harsh");
    assert_eq!(coach.json()["hints"][0]["words"][0], "总是");
    assert_eq!(coach.json()["state"], "hints");
    // In a template's parts, the impact box decides the impact: empty, it is missing.
    let sbi = serde_json::json!({"template": "sbi", "parts": ["昨天的客户会上", "你让客户等了半小时", ""]});
    let coach = send(&r, api("POST", "/api/v1/feedback/coach", &employee, Some(sbi))).await;
    assert_eq!(
        (coach.json()["impact"].clone(), coach.json()["hints"][0]["flag"].clone()),
        (false.into(), "no_impact".into())
    );
    let wrong = serde_json::json!({"template": "sbi", "parts": ["只有一段"]});
    let resp = send(&r, api("POST", "/api/v1/feedback/coach", &employee, Some(wrong))).await;
    assert_eq!(
        (resp.status, resp.json()["fields"][0]["code"].clone()),
        (StatusCode::UNPROCESSABLE_ENTITY, "parts_count".into())
    );

    // F-5: the manager records a key event about the report; a bad link is refused.
    let event = serde_json::json!({"employee_id": me, "kind": "contribution", "occurred_on": "2026-11-20",
        "title": "上线零故障", "evidence": "峰值 12 万 QPS", "links": ["https://git.example.cn/mr/1"]});
    let resp = send(&r, api("POST", "/api/v1/journal", &manager, Some(event.clone()))).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    let entry = resp.json()["id"].as_str().unwrap().to_string();
    let mut bad = event.clone();
    bad["links"] = serde_json::json!(["javascript:alert(1)"]);
    let resp = send(&r, api("POST", "/api/v1/journal", &manager, Some(bad))).await;
    assert_eq!(
        (resp.status, resp.json()["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("links"))
    );
    let mine = send(&r, api("GET", "/api/v1/journal", &employee, None)).await.json();
    assert_eq!(mine[0]["title"], "上线零故障");
    assert_eq!(mine[0]["editable"], false);
    let resp = send(&r, api("DELETE", &format!("/api/v1/journal/{entry}"), &employee, None)).await;
    assert_eq!(resp.status, StatusCode::FORBIDDEN);
    let resp = send(&r, api("GET", &format!("/api/v1/journal?employee={boss}"), &employee, None)).await;
    assert_eq!(resp.status, StatusCode::NOT_FOUND);

    // F-6: a 360 about the employee; three answers; results only after closing.
    let setup360 = serde_json::json!({"project": "支付网关重构", "ended_on": "2026-11-20",
        "questions": ["沟通效率"], "invitee_ids": [boss, hr_id, ceo_id]});
    let resp = send(&r, api("POST", "/api/v1/light360", &employee, Some(setup360))).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    let survey = resp.json()["id"].as_str().unwrap().to_string();
    let answers = format!("/api/v1/light360/{survey}/answers");
    for (who, rating) in [(&manager, 5), (&hr, 3), (&ceo, 4)] {
        let a = serde_json::json!({"answers": [{"rating": rating, "comment": format!("评语{rating}")}]});
        assert_eq!(send(&r, api("POST", &answers, who, Some(a))).await.status, StatusCode::NO_CONTENT);
    }
    let twice = send(&r, api("POST", &answers, &hr, Some(serde_json::json!({"answers": [{"rating": 1}]})))).await;
    assert_eq!(twice.json()["fields"][0]["code"], "already_answered");
    let open = send(&r, api("GET", &format!("/api/v1/light360/{survey}"), &employee, None)).await.json();
    assert_eq!(
        (open["results"].clone(), open["results_withheld"].clone()),
        (serde_json::Value::Null, serde_json::json!("open"))
    );
    let closed = send(&r, api("POST", &format!("/api/v1/light360/{survey}/close"), &employee, None)).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let v = closed.json();
    assert_eq!(v["results"][0]["mean"], 4.0);
    assert_eq!(v["results"][0]["comments"], serde_json::json!(["评语3", "评语4", "评语5"]));
    // The manager's view names no respondent.
    let as_boss = send(&r, api("GET", &format!("/api/v1/light360/{survey}"), &manager, None)).await;
    assert!(as_boss.json()["invitees"].is_null());
    assert!(!as_boss.body.contains(&hr_id) && !as_boss.body.contains(&ceo_id));

    // The pages answer for the employee.
    let cookie = sign_in(&r, "employee").await;
    for path in ["/light360", &format!("/light360/{survey}"), "/light360/new", &format!("/people/{me}/journal")] {
        let resp = send(&r, get(path, &cookie)).await;
        assert_eq!(resp.status, StatusCode::OK, "{path}: {}", resp.body);
    }
    assert!(send(&r, get(&format!("/light360/{survey}"), &cookie)).await.body.contains("评语4"));
});

dual_test!(r1_r3_recognition_network_and_stars_through_the_api_and_pages, |db: Db| async move {
    let (r, app) = setup(db).await;
    let (employee, manager, hr) =
        (token_for(&app, "employee").await, token_for(&app, "manager").await, token_for(&app, "hr").await);
    let boss =
        send(&r, api("GET", "/api/v1/me", &manager, None)).await.json()["employee"]["id"].as_str().unwrap().to_string();
    let values = send(&r, api("GET", "/api/v1/company-values", &employee, None)).await.json();
    let value = values[1]["id"].as_str().unwrap().to_string();
    let kudos = serde_json::json!({"recipient_ids": [boss], "value_ids": [value], "message": "周末帮我排查支付超时", "audience": "organization"});
    let resp = send(&r, api("POST", "/api/v1/kudos", &employee, Some(kudos))).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    assert_eq!(send(&r, api("GET", "/api/v1/me/recognition", &manager, None)).await.json()["balance"], 10);
    // A reward costing more than the manager has: 422 naming the points, nothing held.
    let reward = serde_json::json!({"name": "外部培训名额", "cost": 500});
    let seat =
        send(&r, api("POST", "/api/v1/rewards", &hr, Some(reward))).await.json()["id"].as_str().unwrap().to_string();
    let resp = send(&r, api("POST", &format!("/api/v1/rewards/{seat}/redeem"), &manager, None)).await;
    assert_eq!(
        (resp.status, resp.json()["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_enough_points"))
    );
    assert_eq!(send(&r, api("GET", "/api/v1/me/recognition", &manager, None)).await.json()["balance"], 10);
    // The network for HR (not for an employee), the stars for everyone.
    let n = send(&r, api("GET", "/api/v1/recognition/network", &hr, None)).await;
    assert_eq!(n.status, StatusCode::OK, "{}", n.body);
    assert_eq!(n.json()["kudos"], 1);
    assert_eq!(n.json()["top_receivers"][0]["person"]["id"], boss.as_str());
    assert_eq!(
        send(&r, api("GET", "/api/v1/recognition/network", &employee, None)).await.status,
        StatusCode::FORBIDDEN
    );
    let bad = send(&r, api("GET", "/api/v1/recognition/network?quarter=2026-Q9", &hr, None)).await;
    assert_eq!(bad.status.as_u16() / 100, 4);
    let stars = send(&r, api("GET", "/api/v1/recognition/stars", &employee, None)).await.json();
    assert_eq!(stars[0]["stories"][0], "周末帮我排查支付超时");
    let cookie = sign_in(&r, "hr").await;
    for path in ["/recognition", "/recognition/network", "/recognition/stars", "/admin/recognition"] {
        let resp = send(&r, get(path, &cookie)).await;
        assert_eq!(resp.status, StatusCode::OK, "{path}: {}", resp.body);
    }
});

dual_test!(v1_v3_reviews_through_the_api_and_pages, |db: Db| async move {
    let (r, app) = setup(db).await;
    // The demo's goals bring the starter template and a launched quarterly cycle.
    app.create_demo_goals(&DemoOptions { employees: 60, seed: 11, ..Default::default() }).await.unwrap();
    let (employee, hr) = (token_for(&app, "employee").await, token_for(&app, "hr").await);
    let cycles = send(&r, api("GET", "/api/v1/review-cycles", &hr, None)).await.json();
    assert_eq!(cycles[0]["state"], "launched");
    let cycle = cycles[0]["id"].as_str().unwrap().to_string();
    assert_eq!(send(&r, api("GET", "/api/v1/review-cycles", &employee, None)).await.status, StatusCode::FORBIDDEN);
    // A formula naming something unknown: 422 naming the formula.
    let mut t = send(&r, api("GET", "/api/v1/review-templates", &hr, None)).await.json()[0].clone();
    t["formula"] = serde_json::json!("0.6*goals + 0.4*bonus");
    let resp = send(&r, api("POST", "/api/v1/review-templates", &hr, Some(t))).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", resp.body);
    assert_eq!(resp.json()["fields"][0]["field"], "formula");
    assert_eq!(resp.json()["fields"][0]["code"], "unknown_variable");
    // The employee's self review, with the evidence beside it.
    let tasks = send(&r, api("GET", "/api/v1/me/review-tasks", &employee, None)).await.json();
    let own = tasks.as_array().unwrap().iter().find(|t| t["source"] == "self").unwrap();
    let id = own["review_id"].as_str().unwrap().to_string();
    let form = send(&r, api("GET", &format!("/api/v1/reviews/{id}"), &employee, None)).await.json();
    assert!(!form["evidence"]["goals"].as_array().unwrap().is_empty());
    let item = form["items"].as_array().unwrap().iter().find(|i| i["section"] == "competencies").unwrap()["id"].clone();
    let bad = serde_json::json!({"ratings": [{"item_id": item, "value": 9}], "summary": ""});
    let resp = send(&r, api("PUT", &format!("/api/v1/reviews/{id}"), &employee, Some(bad))).await;
    assert_eq!(
        (resp.status, resp.json()["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_on_scale"))
    );
    let draft = serde_json::json!({"ratings": [{"item_id": item, "value": 4, "comment": "按时交付"}], "summary": ""});
    let resp = send(&r, api("PUT", &format!("/api/v1/reviews/{id}"), &employee, Some(draft))).await;
    assert_eq!((resp.status, resp.json()["state"].as_str()), (StatusCode::OK, Some("draft")));
    // Someone else's review is not there for the employee.
    let hr_cookie = sign_in(&r, "hr").await;
    let health = send(&r, api("GET", &format!("/api/v1/review-cycles/{cycle}/health"), &hr, None)).await.json();
    assert_eq!(health["self_reviews"]["draft"], 1);
    // The pages.
    let cookie = sign_in(&r, "employee").await;
    let page = send(&r, get(&format!("/reviews/{id}"), &cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("本期依据") && page.body.contains("按时交付"));
    let body = format!(
        "_csrf={}&value_{}=9&comment_{}=x&summary=&save=1",
        csrf_of(&cookie),
        item.as_str().unwrap(),
        item.as_str().unwrap()
    );
    let req = Request::post(format!("/reviews/{id}"))
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let resp = send(&r, req).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.body.contains("不是评分标准中的分值"), "{}", resp.body);
    for path in
        ["/reviews".to_string(), format!("/reviews/participants/{}/peers", form["participant_id"].as_str().unwrap())]
    {
        let resp = send(&r, get(&path, &cookie)).await;
        assert_eq!(resp.status, StatusCode::OK, "{path}: {}", resp.body);
    }
    for path in
        ["/admin/reviews".to_string(), format!("/admin/reviews/cycles/{cycle}"), "/admin/reviews/templates/new".into()]
    {
        let resp = send(&r, get(&path, &hr_cookie)).await;
        assert_eq!(resp.status, StatusCode::OK, "{path}: {}", resp.body);
    }
});

dual_test!(v4_calibration_through_the_api_and_pages, |db: Db| async move {
    let (r, app) = setup(db).await;
    app.create_demo_goals(&DemoOptions { employees: 60, seed: 11, ..Default::default() }).await.unwrap();
    let (employee, hr) = (token_for(&app, "employee").await, token_for(&app, "hr").await);
    let cycle =
        send(&r, api("GET", "/api/v1/review-cycles", &hr, None)).await.json()[0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/review-cycles/{cycle}/calibration-sessions");
    let body = serde_json::json!({"name": "全公司校准"});
    assert_eq!(send(&r, api("POST", &path, &employee, Some(body.clone()))).await.status, StatusCode::NOT_FOUND);
    let resp = send(&r, api("POST", &path, &hr, Some(body))).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    let id = resp.json()["id"].as_str().unwrap().to_string();
    assert_eq!(resp.json()["distribution"][0]["guideline"], 10);
    // Nobody is scored yet: nobody to calibrate, and a move is refused, naming why.
    let view = send(&r, api("GET", &format!("/api/v1/calibration-sessions/{id}"), &hr, None)).await.json();
    assert_eq!(view["people"].as_array().unwrap().len(), 0);
    assert!(view["unscored"].as_u64().unwrap() > 0);
    let health = send(&r, api("GET", &format!("/api/v1/review-cycles/{cycle}/health"), &hr, None)).await.json();
    let someone = health["rows"][0]["participant_id"].clone();
    let mv = serde_json::json!({"participant_id": someone, "grade": "A", "reason": "对照目标达成"});
    let resp = send(&r, api("POST", &format!("/api/v1/calibration-sessions/{id}/moves"), &hr, Some(mv))).await;
    assert_eq!(
        (resp.status, resp.json()["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_scored"))
    );
    let resp = send(&r, api("POST", &format!("/api/v1/calibration-sessions/{id}/lock"), &hr, None)).await;
    assert_eq!(resp.json()["state"], "locked");
    let resp = send(
        &r,
        api("POST", &format!("/api/v1/calibration-sessions/{id}/unlock"), &hr, Some(serde_json::json!({"reason": ""}))),
    )
    .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    let cookie = sign_in(&r, "hr").await;
    let file = send(&r, get(&format!("/admin/reviews/cycles/{cycle}/results.xlsx"), &cookie)).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.headers[header::CONTENT_TYPE].to_str().unwrap().contains("spreadsheetml"));
    assert!(file.body.starts_with("PK"), "an XLSX is a zip");
    for path in [format!("/admin/reviews/calibration/{id}"), format!("/admin/reviews/cycles/{cycle}")] {
        let resp = send(&r, get(&path, &cookie)).await;
        assert_eq!(resp.status, StatusCode::OK, "{path}: {}", resp.body);
    }
});

dual_test!(v6_release_acknowledge_and_appeal_through_the_api_and_pages, |db: Db| async move {
    let (r, app, clock) = setup_with_clock(db).await;
    app.create_demo_goals(&DemoOptions { employees: 60, seed: 11, ..Default::default() }).await.unwrap();
    let (employee, hr) = (token_for(&app, "employee").await, token_for(&app, "hr").await);
    let c = &app.db.conn;
    let cycle =
        send(&r, api("GET", "/api/v1/review-cycles", &hr, None)).await.json()[0]["id"].as_str().unwrap().to_string();
    // The employee scores 72 (B); the demo's release opens 15 days after it was made (6 December).
    let me = waymark_store::repo::accounts::user_by_username(c, "employee").await.unwrap().unwrap().employee_id;
    let people = waymark_store::repo::reviews::participants(c, cycle.parse().unwrap()).await.unwrap();
    let pid = people.iter().find(|p| Some(p.employee_id) == me).unwrap().id;
    let now = chrono::Utc.with_ymd_and_hms(2026, 11, 21, 2, 0, 0).unwrap();
    waymark_store::repo::reviews::set_score(c, pid, Some(7200), Some("B".into()), "{}".into(), now).await.unwrap();
    let release = format!("/api/v1/review-cycles/{cycle}/release");
    let resp = send(&r, api("POST", &release, &hr, Some(serde_json::json!({})))).await;
    assert_eq!(
        (resp.status, resp.json()["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("not_yet"))
    );
    *clock.0.lock().unwrap() = chrono::Utc.with_ymd_and_hms(2026, 12, 6, 2, 0, 0).unwrap();
    assert_eq!(
        send(&r, api("POST", &release, &employee, Some(serde_json::json!({})))).await.status,
        StatusCode::NOT_FOUND
    );
    let resp = send(&r, api("POST", &release, &hr, Some(serde_json::json!({})))).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    assert_eq!(resp.json()["released"], 1);
    let mine = send(&r, api("GET", "/api/v1/me/review-results", &employee, None)).await.json();
    assert_eq!(
        (mine[0]["participant_id"].as_str(), mine[0]["grade"].as_str()),
        (Some(pid.to_string().as_str()), Some("B"))
    );
    // The person's pages: the list, the result with both forms.
    let cookie = sign_in(&r, "employee").await;
    let page = send(&r, get("/reviews", &cookie)).await;
    assert!(page.body.contains("我的考核结果") && page.body.contains("待确认"), "{}", page.body);
    let result_path = format!("/reviews/participants/{pid}/result");
    let page = send(&r, get(&result_path, &cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"acknowledge\"") && page.body.contains("id=\"appeal\""));
    let resp = send(&r, post_form(&format!("/reviews/participants/{pid}/acknowledge"), &cookie, "comment=已阅")).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let resp = send(&r, post_form(&format!("/reviews/participants/{pid}/appeal"), &cookie, "reasons=")).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.body.contains("申诉理由: 必填"), "{}", resp.body);
    let resp =
        send(&r, post_form(&format!("/reviews/participants/{pid}/appeal"), &cookie, "reasons=延期是供应商原因")).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let again = serde_json::json!({"reasons": "再次申诉"});
    let resp =
        send(&r, api("POST", &format!("/api/v1/review-participants/{pid}/appeal"), &employee, Some(again))).await;
    assert_eq!(
        (resp.status, resp.json()["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("already_appealed"))
    );
    // HR: the cycle's appeals, the appeal page, assigning and deciding through the forms.
    let appeals = send(&r, api("GET", &format!("/api/v1/review-cycles/{cycle}/appeals"), &hr, None)).await.json();
    let appeal = appeals[0]["id"].as_str().unwrap().to_string();
    assert_eq!(appeals[0]["reasons"], "延期是供应商原因");
    assert_eq!(
        send(&r, api("GET", &format!("/api/v1/review-appeals/{appeal}"), &employee, None)).await.json()["state"],
        "submitted"
    );
    let hr_cookie = sign_in(&r, "hr").await;
    let page = send(&r, get(&format!("/admin/reviews/cycles/{cycle}"), &hr_cookie)).await;
    assert!(page.body.contains("发布结果") && page.body.contains(&format!("/admin/reviews/appeals/{appeal}")));
    let hr_user = waymark_store::repo::accounts::user_by_username(c, "hr").await.unwrap().unwrap().id;
    let appeal_path = format!("/admin/reviews/appeals/{appeal}");
    let resp = send(&r, post_form(&format!("{appeal_path}/assign"), &hr_cookie, &format!("assignee={hr_user}"))).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let resp =
        send(&r, post_form(&format!("{appeal_path}/decide"), &hr_cookie, "outcome=changed&grade=&answer=x")).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    let resp =
        send(&r, post_form(&format!("{appeal_path}/decide"), &hr_cookie, "outcome=upheld&answer=核实后维持原结果"))
            .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let page = send(&r, get(&appeal_path, &hr_cookie)).await;
    assert!(page.body.contains("维持原结果") && page.body.contains("核实后维持原结果"), "{}", page.body);
    let page = send(&r, get(&result_path, &cookie)).await;
    assert!(page.body.contains("核实后维持原结果") && page.body.contains("申诉已处理"), "{}", page.body);
    // The decision over the API: already decided.
    let d = serde_json::json!({"outcome": "upheld", "answer": "再议"});
    let resp = send(&r, api("POST", &format!("/api/v1/review-appeals/{appeal}/decision"), &hr, Some(d))).await;
    assert_eq!(resp.json()["fields"][0]["code"], "appeal_decided");
});

dual_test!(v5_d1_conversation_and_development_plan_through_the_api_and_pages, |db: Db| async move {
    let (r, app) = setup(db).await;
    app.create_demo_goals(&DemoOptions { employees: 60, seed: 11, ..Default::default() }).await.unwrap();
    let (employee, manager, hr) =
        (token_for(&app, "employee").await, token_for(&app, "manager").await, token_for(&app, "hr").await);
    let c = &app.db.conn;
    let cycle = send(&r, api("GET", "/api/v1/review-cycles", &hr, None)).await.json()[0].clone();
    let me =
        waymark_store::repo::accounts::user_by_username(c, "employee").await.unwrap().unwrap().employee_id.unwrap();
    let people = waymark_store::repo::reviews::participants(c, cycle["id"].as_str().unwrap().parse().unwrap()).await;
    let pid = people.unwrap().into_iter().find(|p| p.employee_id == me).unwrap().id;
    let path = format!("/api/v1/review-participants/{pid}/conversation");
    let body = serde_json::json!({
        "held_on": "2026-11-20", "standing": "目标达成 84%", "facts": "两个里程碑按期交付",
        "next_grade": "独立牵头跨团队项目", "conclusion": "B", "capabilities": ["跨团队协作"],
    });
    let resp = send(&r, api("PUT", &path, &manager, Some(body.clone()))).await;
    assert_eq!(
        (resp.status, resp.json()["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("capability_count"))
    );
    let mut ok = body.clone();
    ok["capabilities"] = serde_json::json!(["跨团队协作", "方案表达"]);
    ok["next_period_id"] = cycle["period_id"].clone();
    ok["draft_goals"] = serde_json::json!(["独立负责结算系统重构"]);
    assert_eq!(send(&r, api("PUT", &path, &employee, Some(ok.clone()))).await.status, StatusCode::FORBIDDEN);
    let resp = send(&r, api("PUT", &path, &manager, Some(ok))).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    assert_eq!(resp.json()["goals"][0]["status"], "draft");
    assert_eq!(send(&r, api("GET", &path, &employee, None)).await.json()["capabilities"][1], "方案表达");
    // A plan over the API; the person ticks an action.
    let plan = serde_json::json!({
        "employee_id": me, "participant_id": pid, "title": "牵头跨团队项目", "capabilities": ["跨团队协作"],
        "actions": [{"kind": "course", "title": "《高效协作》内训", "due_on": "2026-12-20"}],
        "checkpoints": ["2026-12-14"],
    });
    let resp = send(&r, api("POST", "/api/v1/development-plans", &manager, Some(plan))).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    let (plan_id, action) = (resp.json()["id"].as_str().unwrap().to_string(), resp.json()["actions"][0]["id"].clone());
    let done = serde_json::json!({"done": true});
    let resp = send(
        &r,
        api("POST", &format!("/api/v1/development-actions/{}/done", action.as_str().unwrap()), &employee, Some(done)),
    )
    .await;
    assert_eq!(resp.json()["state"], "done");
    let mine = send(&r, api("GET", &format!("/api/v1/people/{me}/development-plans"), &employee, None)).await.json();
    assert_eq!(mine[0]["id"], plan_id.as_str());
    // The pages: the conversation (manager's form, the person's reading), the plans, a plan.
    let m = sign_in(&r, "manager").await;
    let page = send(&r, get(&format!("/reviews/participants/{pid}/conversation"), &m)).await;
    assert!(page.status == StatusCode::OK && page.body.contains("id=\"conversation\""), "{}", page.body);
    let resp = send(
        &r,
        post_form(
            &format!("/reviews/participants/{pid}/conversation"),
            &m,
            "held_on=2026-11-20&standing=x&facts=&next_grade=y&conclusion=z&capability=a&capability=b",
        ),
    )
    .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.body.contains("依据哪些事实: 必填"), "{}", resp.body);
    let e = sign_in(&r, "employee").await;
    let page = send(&r, get(&format!("/reviews/participants/{pid}/conversation"), &e)).await;
    assert!(page.body.contains("独立负责结算系统重构") && page.body.contains("牵头跨团队项目"), "{}", page.body);
    let resp = send(&r, get("/development", &e)).await;
    assert_eq!(resp.headers[header::LOCATION], format!("/people/{me}/development"));
    let body = "title=每月分享一次&capabilities=方案表达&action_kind_0=project&action_title_0=组织技术分享&action_capability_0=&action_due_0=&checkpoint=2026-12-31";
    let resp = send(&r, post_form(&format!("/people/{me}/development"), &e, body)).await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let page = send(&r, get(resp.headers[header::LOCATION].to_str().unwrap(), &e)).await;
    assert!(page.body.contains("组织技术分享") && page.body.contains("2026 年 12 月 31 日"), "{}", page.body);
});

dual_test!(v7_ninebox_through_the_api_and_pages, |db: Db| async move {
    let (r, app) = setup(db).await;
    app.create_demo_goals(&DemoOptions { employees: 60, seed: 11, ..Default::default() }).await.unwrap();
    let (manager, hr) = (token_for(&app, "manager").await, token_for(&app, "hr").await);
    let c = &app.db.conn;
    let cycle =
        send(&r, api("GET", "/api/v1/review-cycles", &hr, None)).await.json()[0]["id"].as_str().unwrap().to_string();
    let me =
        waymark_store::repo::accounts::user_by_username(c, "employee").await.unwrap().unwrap().employee_id.unwrap();
    let people = waymark_store::repo::reviews::participants(c, cycle.parse().unwrap()).await.unwrap();
    let pid = people.iter().find(|p| p.employee_id == me).unwrap().id;
    let now = chrono::Utc.with_ymd_and_hms(2026, 11, 21, 2, 0, 0).unwrap();
    waymark_store::repo::reviews::set_score(c, pid, Some(8600), Some("A".into()), "{}".into(), now).await.unwrap();
    let path = format!("/api/v1/review-participants/{pid}/potential");
    let resp = send(&r, api("PUT", &path, &manager, Some(serde_json::json!({"level": "top", "rationale": "x"})))).await;
    assert_eq!(resp.json()["fields"][0]["code"], "invalid");
    let ok = serde_json::json!({"level": "high", "rationale": "学习快"});
    let resp = send(&r, api("PUT", &path, &manager, Some(ok))).await;
    assert_eq!((resp.status, resp.json()["potential"]["level"].as_str()), (StatusCode::OK, Some("high")));
    let grid = send(&r, api("GET", &format!("/api/v1/review-cycles/{cycle}/ninebox"), &hr, None)).await.json();
    assert_eq!(grid["rows"][0][2]["name"], "明星");
    assert_eq!(grid["rows"][0][2]["people"][0]["participant_id"], pid.to_string().as_str());
    assert_eq!(
        send(&r, api("GET", &format!("/api/v1/review-cycles/{cycle}/ninebox"), &manager, None)).await.status,
        StatusCode::NOT_FOUND
    );
    let names = send(&r, api("GET", "/api/v1/ninebox-names", &manager, None)).await.json();
    assert_eq!((names.as_array().unwrap().len(), names[8].as_str()), (9, Some("明星")));
    let resp = send(&r, api("PUT", "/api/v1/ninebox-names", &hr, Some(serde_json::json!({"names": ["x"]})))).await;
    assert_eq!(resp.json()["fields"][0]["code"], "nine_names");
    // The pages: the manager's potential card on the result page, HR's grid and its export.
    let m = sign_in(&r, "manager").await;
    let page = send(&r, get(&format!("/reviews/participants/{pid}/result"), &m)).await;
    assert!(page.body.contains("id=\"potential\"") && page.body.contains("学习快"), "{}", page.body);
    let resp =
        send(&r, post_form(&format!("/reviews/participants/{pid}/potential"), &m, "level=medium&rationale=")).await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    let h = sign_in(&r, "hr").await;
    let page = send(&r, get(&format!("/admin/reviews/cycles/{cycle}/ninebox"), &h)).await;
    assert!(
        page.status == StatusCode::OK && page.body.contains("明星") && page.body.contains("id=\"names\""),
        "{}",
        page.body
    );
    let file = send(&r, get(&format!("/admin/reviews/cycles/{cycle}/ninebox.xlsx"), &h)).await;
    assert!(file.status == StatusCode::OK && file.body.starts_with("PK"));
});

dual_test!(v9_promotion_and_incentives_through_the_api_and_pages, |db: Db| async move {
    let (r, app, clock) = setup_with_clock(db).await;
    app.create_demo_goals(&DemoOptions { employees: 60, seed: 11, ..Default::default() }).await.unwrap();
    let (employee, manager, hr) =
        (token_for(&app, "employee").await, token_for(&app, "manager").await, token_for(&app, "hr").await);
    let c = &app.db.conn;
    let cycle =
        send(&r, api("GET", "/api/v1/review-cycles", &hr, None)).await.json()[0]["id"].as_str().unwrap().to_string();
    let me =
        waymark_store::repo::accounts::user_by_username(c, "employee").await.unwrap().unwrap().employee_id.unwrap();
    let people = waymark_store::repo::reviews::participants(c, cycle.parse().unwrap()).await.unwrap();
    let pid = people.iter().find(|p| p.employee_id == me).unwrap().id;
    let now = chrono::Utc.with_ymd_and_hms(2026, 11, 21, 2, 0, 0).unwrap();
    waymark_store::repo::reviews::set_score(c, pid, Some(8600), Some("A".into()), "{}".into(), now).await.unwrap();
    *clock.0.lock().unwrap() = chrono::Utc.with_ymd_and_hms(2026, 12, 6, 2, 0, 0).unwrap();
    let resp =
        send(&r, api("POST", &format!("/api/v1/review-cycles/{cycle}/release"), &hr, Some(serde_json::json!({}))))
            .await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    let level = waymark_store::repo::org::employee(c, me).await.unwrap().unwrap().level;
    // The API: a bad track, the person themselves, then the manager's nomination.
    let path = format!("/api/v1/review-participants/{pid}/promotion-nomination");
    let bad = serde_json::json!({"track": "sales", "to_level": "P9", "reasons": "x"});
    let resp = send(&r, api("POST", &path, &manager, Some(bad))).await;
    assert_eq!(
        (resp.status, resp.json()["fields"][0]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("track"))
    );
    let ok = serde_json::json!({"track": "management", "to_level": "M1", "reasons": "带领三人小组完成结算迁移"});
    assert_eq!(send(&r, api("POST", &path, &employee, Some(ok.clone()))).await.status, StatusCode::NOT_FOUND);
    let resp = send(&r, api("POST", &path, &manager, Some(ok))).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    assert_eq!(
        (resp.json()["from_level"].as_str(), resp.json()["state"].as_str()),
        (level.as_deref(), Some("nominated"))
    );
    let nomination = resp.json()["id"].as_str().unwrap().to_string();
    let decision = format!("/api/v1/promotion-nominations/{nomination}/decision");
    let no = serde_json::json!({"approve": false});
    let resp = send(&r, api("POST", &decision, &hr, Some(no))).await;
    assert_eq!(resp.json()["fields"][0]["code"], "required");
    // The pages: HR decides on the result page; the cycle's list; the grant by grade.
    let h = sign_in(&r, "hr").await;
    let result_path = format!("/reviews/participants/{pid}/result");
    let page = send(&r, get(&result_path, &h)).await;
    assert!(page.body.contains("id=\"nomination-decide\"") && page.body.contains("管理通道"), "{}", page.body);
    let resp = send(
        &r,
        post_form(&format!("/reviews/participants/{pid}/promotion/{nomination}/decide"), &h, "decision=approve&note="),
    )
    .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    assert_eq!(waymark_store::repo::org::employee(c, me).await.unwrap().unwrap().level.as_deref(), Some("M1"));
    let e = sign_in(&r, "employee").await;
    let page = send(&r, get(&result_path, &e)).await;
    assert!(page.body.contains("id=\"nomination\"") && page.body.contains("已通过"), "{}", page.body);
    let reward = serde_json::json!({"name": "内训师资格", "cost": 300, "stock": 2, "active": true});
    let resp = send(&r, api("POST", "/api/v1/rewards", &hr, Some(reward))).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    let reward = resp.json()["id"].as_str().unwrap().to_string();
    let app_path = format!("/admin/reviews/cycles/{cycle}/application");
    let page = send(&r, get(&app_path, &h)).await;
    assert!(
        page.status == StatusCode::OK && page.body.contains("内训师资格") && page.body.contains("M1"),
        "{}",
        page.body
    );
    let resp = send(
        &r,
        post_form(&format!("/admin/reviews/cycles/{cycle}/incentives"), &h, &format!("reward={reward}&reason=x")),
    )
    .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.body.contains("等级"), "{}", resp.body);
    let resp = send(
        &r,
        post_form(
            &format!("/admin/reviews/cycles/{cycle}/incentives"),
            &h,
            &format!("reward={reward}&grade=S&grade=A&reason=季度优秀"),
        ),
    )
    .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let all = send(&r, api("GET", &format!("/api/v1/review-cycles/{cycle}/application"), &hr, None)).await.json();
    assert_eq!(
        (all["nominations"][0]["state"].as_str(), all["incentives"][0]["reward"].as_str()),
        (Some("approved"), Some("内训师资格"))
    );
    let again = serde_json::json!({"reward_id": reward, "reason": "x", "participant_id": pid});
    let resp = send(&r, api("POST", &format!("/api/v1/review-cycles/{cycle}/incentives"), &hr, Some(again))).await;
    assert_eq!(resp.json()["fields"][0]["code"], "already_granted");
    assert_eq!(
        send(&r, api("GET", &format!("/api/v1/review-cycles/{cycle}/application"), &manager, None)).await.status,
        StatusCode::NOT_FOUND
    );
    let page = send(&r, get(&result_path, &e)).await;
    assert!(page.body.contains("id=\"incentives\"") && page.body.contains("季度优秀"), "{}", page.body);
});

dual_test!(v8_probation_through_the_api_and_pages, |db: Db| async move {
    let (r, app) = setup(db).await;
    let (manager, hr) = (token_for(&app, "manager").await, token_for(&app, "hr").await);
    let c = &app.db.conn;
    let boss =
        waymark_store::repo::accounts::user_by_username(c, "manager").await.unwrap().unwrap().employee_id.unwrap();
    let boss = waymark_store::repo::org::employee(c, boss).await.unwrap().unwrap();
    let hire = serde_json::json!({
        "employee_no": "N2026", "name": "新同事", "unit_id": boss.unit_id, "manager_no": boss.employee_no,
        "hire_date": "2026-11-16",
    });
    let resp = send(&r, api("POST", "/api/v1/employees", &hr, Some(hire))).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    let id = resp.json()["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/people/{id}/probation");
    let long = serde_json::json!({"contract": "fixed", "contract_months": 12, "months": 3});
    let resp = send(&r, api("POST", &path, &hr, Some(long))).await;
    assert_eq!(
        (resp.status, resp.json()["fields"][0]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("probation_too_long"))
    );
    let ok = serde_json::json!({"contract": "open_ended", "months": 6});
    assert_eq!(send(&r, api("POST", &path, &manager, Some(ok.clone()))).await.status, StatusCode::FORBIDDEN);
    let resp = send(&r, api("POST", &path, &hr, Some(ok))).await;
    assert_eq!((resp.status, resp.json()["ends_on"].as_str()), (StatusCode::CREATED, Some("2027-05-16")));
    let month1 = resp.json()["checkpoints"][0]["id"].as_str().unwrap().to_string();
    let probation = resp.json()["id"].as_str().unwrap().to_string();
    let note = serde_json::json!({"note": "适应良好"});
    let resp = send(&r, api("POST", &format!("/api/v1/probation-checkpoints/{month1}"), &manager, Some(note))).await;
    assert_eq!(resp.json()["checkpoints"][0]["note"], "适应良好");
    let list = send(&r, api("GET", "/api/v1/probations", &manager, None)).await.json();
    assert!(list.as_array().unwrap().iter().any(|p| p["id"] == probation.as_str()));
    // The pages: the manager's list, the person's probation with the decision form; a bad decision.
    let m = sign_in(&r, "manager").await;
    let page = send(&r, get("/probation", &m)).await;
    assert!(page.status == StatusCode::OK && page.body.contains("新同事"), "{}", page.body);
    let page = send(&r, get(&format!("/people/{id}/probation"), &m)).await;
    assert!(page.body.contains("id=\"decision\"") && page.body.contains("适应良好"), "{}", page.body);
    let resp = send(
        &r,
        post_form(&format!("/people/{id}/probation/{probation}/decision"), &m, "outcome=extend&months=7&note=x"),
    )
    .await;
    assert_eq!(resp.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.body.contains("超过劳动合同法第十九条允许的试用期上限"), "{}", resp.body);
    let resp = send(
        &r,
        post_form(
            &format!("/people/{id}/probation/{probation}/decision"),
            &m,
            "outcome=convert&note=适应良好，交付稳定",
        ),
    )
    .await;
    assert_eq!(resp.status, StatusCode::SEE_OTHER, "{}", resp.body);
    let page = send(&r, get(&format!("/people/{id}/probation"), &m)).await;
    assert!(page.body.contains("已转正"), "{}", page.body);
});

dual_test!(i4_the_flight_model_through_the_api_and_pages, |db: Db| async move {
    let (r, app) = setup(db).await;
    app.create_demo(&DemoOptions { employees: 60, seed: 7, ..Default::default() }).await.unwrap();
    let (employee, manager, hr) =
        (token_for(&app, "employee").await, token_for(&app, "manager").await, token_for(&app, "hr").await);
    // HR only; the rest are refused, reading and fitting alike.
    for who in [&employee, &manager] {
        assert_eq!(send(&r, api("GET", "/api/v1/signals/model", who, None)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(send(&r, api("POST", "/api/v1/signals/model/fit", who, None)).await.status, StatusCode::FORBIDDEN);
    }
    let before = send(&r, api("GET", "/api/v1/signals/model", &hr, None)).await.json();
    assert_eq!((before["latest"].is_null(), before["can_fit"].as_bool()), (true, Some(true)));
    // The demo's history has too few leavers: said, kept, nothing fitted.
    let run = send(&r, api("POST", "/api/v1/signals/model/fit", &hr, None)).await;
    assert_eq!(run.status, StatusCode::OK);
    let run = run.json();
    assert_eq!((run["fitted"].as_bool(), run["validation"].is_null()), (Some(false), true));
    assert_eq!((run["min_leavers"].as_u64(), run["horizon_months"].as_u64()), (Some(30), Some(12)));
    let after = send(&r, api("GET", "/api/v1/signals/model", &hr, None)).await.json();
    assert_eq!(after["latest"]["id"], run["id"]);
    // The page: HR reads it in words and fits from it; an employee is refused.
    let h = sign_in(&r, "hr").await;
    let list = send(&r, get("/signals", &h)).await;
    assert!(list.body.contains("href=\"/signals/model\""), "{}", list.body);
    let page = send(&r, get("/signals/model", &h)).await;
    assert!(page.status == StatusCode::OK && page.body.contains("离职者或留任者不足 30 人"), "{}", page.body);
    let fitted = send(&r, post_form("/signals/model/fit", &h, "")).await;
    assert_eq!(fitted.status, StatusCode::SEE_OTHER);
    let e = sign_in(&r, "employee").await;
    assert_eq!(send(&r, get("/signals/model", &e)).await.status, StatusCode::FORBIDDEN);
    assert!(!send(&r, get("/signals", &e)).await.body.contains("/signals/model"));
});

dual_test!(i4_working_weeks_through_the_api_and_pages, |db: Db| async move {
    let (r, app) = setup(db).await;
    let (employee, manager, hr) =
        (token_for(&app, "employee").await, token_for(&app, "manager").await, token_for(&app, "hr").await);
    let me = send(&r, api("GET", "/api/v1/me", &employee, None)).await.json();
    let (my_id, my_no) = (me["employee"]["id"].as_str().unwrap(), me["employee"]["employee_no"].as_str().unwrap());
    let weeks = serde_json::json!({ "weeks": [
        { "employee_no": my_no, "week": "2026-W46", "hours": 52.5 },
        { "employee_no": my_no, "week": "2026-11-20", "hours": 48, "leave_days": 0.5 },
    ]});
    // Only HR records weeks, and only for others.
    for who in [&employee, &manager] {
        let refused = send(&r, api("POST", "/api/v1/work-weeks", who, Some(weeks.clone()))).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    }
    let saved = send(&r, api("POST", "/api/v1/work-weeks", &hr, Some(weeks.clone()))).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!((saved.json()["created"].as_u64(), saved.json()["updated"].as_u64()), (Some(2), Some(0)));
    // A bad week: refused, named by row and column, nothing written.
    let bad = serde_json::json!({ "weeks": [{ "employee_no": my_no, "week": "2026-W60", "hours": 40 }] });
    let refused = send(&r, api("POST", "/api/v1/work-weeks", &hr, Some(bad))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("\"week\"") && refused.body.contains("invalid_date"), "{}", refused.body);
    // A file with a bad row: the same.
    let csv = format!("工号,周,工时,休假天数\n{my_no},2026-11-09,41,0\n{my_no},2026-11-02,200,0\n");
    let path = "/api/v1/import/attendance?filename=weeks.csv";
    let mut req = api("POST", path, &hr, None);
    *req.body_mut() = Body::from(csv);
    let refused = send(&r, req).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("invalid_hours"), "{}", refused.body);

    // The person reads their weeks (the leave in days, the hours with their tenth); the manager not.
    let path = format!("/api/v1/employees/{my_id}/work-weeks");
    let mine = send(&r, api("GET", &path, &employee, None)).await.json();
    assert_eq!(
        mine,
        serde_json::json!([
            { "week": "2026-11-09", "hours": 52.5, "leave_days": 0.0 },
            { "week": "2026-11-16", "hours": 48.0, "leave_days": 0.5 },
        ])
    );
    assert_eq!(send(&r, api("GET", &path, &manager, None)).await.status, StatusCode::FORBIDDEN);
    // Their signals page shows them in words; HR's import page offers the weeks.
    let e = sign_in(&r, "employee").await;
    let page = send(&r, get("/signals", &e)).await.body;
    assert!(
        page.contains("我的工时与休假记录") && page.contains("2026 年 11 月 16 日") && page.contains("52.5"),
        "{page}"
    );
    let admin = send(&r, get("/admin", &sign_in(&r, "hr").await)).await.body;
    assert!(admin.contains("value=\"attendance\"") && admin.contains("工时与休假（按周）"), "{admin}");
});

dual_test!(d2_development_report_through_the_api_and_pages, |db: Db| async move {
    let (r, app) = setup(db).await;
    app.create_demo_goals(&DemoOptions { employees: 60, seed: 11, last_quarter: true, ..Default::default() })
        .await
        .unwrap();
    let (employee, manager) = (token_for(&app, "employee").await, token_for(&app, "manager").await);
    let me = send(&r, api("GET", "/api/v1/me", &employee, None)).await.json();
    let my_id = me["employee"]["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/people/{my_id}/development-report");

    // The manager: last quarter's analysis, findings from colleagues' ratings, the rules' draft.
    let v = send(&r, api("GET", &path, &manager, None)).await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    let v = v.json();
    assert!(v["cycle_name"].as_str().unwrap().contains("季度绩效考核"), "{v}");
    assert!(v["can_edit"].as_bool().unwrap());
    let findings = v["analysis"]["findings"].as_array().unwrap();
    assert!(!findings.is_empty(), "{v}");
    assert!(!v["draft"]["strengths"].as_str().unwrap().is_empty());
    let has_area = findings.iter().any(|f| matches!(f["assessment"].as_str(), Some("volatile" | "growth")));
    // AI drafting is off by default: the rules' draft, saying so; the page offers no AI button.
    let off = send(&r, api("POST", &format!("{path}/ai-draft"), &manager, None)).await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    let off = off.json();
    assert_eq!((off["by_ai"].as_bool(), off["fallback"].as_str()), (Some(false), Some("off")));
    assert_eq!(off["strengths"], v["draft"]["strengths"]);
    let not_theirs = send(&r, api("POST", &format!("{path}/ai-draft"), &employee, None)).await;
    assert!(matches!(not_theirs.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{}", not_theirs.body);
    let rewrite = serde_json::json!({ "recipient_id": my_id, "template": "free", "parts": ["你总是拖延交付。"] });
    let off = send(&r, api("POST", "/api/v1/feedback/ai-rewrite", &manager, Some(rewrite))).await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    let off = off.json();
    assert!(
        off["parts"].is_null() && off["fallback"] == "off" && !off["coach"]["hints"].as_array().unwrap().is_empty()
    );
    // The administrator sees that none is connected, and a test says so; others may not ask.
    let admin = token_for(&app, "admin").await;
    let status = send(&r, api("GET", "/api/v1/ai", &admin, None)).await;
    assert_eq!(status.status, StatusCode::OK, "{}", status.body);
    assert_eq!(status.json()["on"], false);
    let test = send(&r, api("POST", "/api/v1/ai/test", &admin, None)).await.json();
    assert_eq!((test["ok"].as_bool(), test["fallback"].as_str()), (Some(false), Some("off")));
    assert_eq!(send(&r, api("GET", "/api/v1/ai", &manager, None)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(send(&r, api("POST", "/api/v1/ai/test", &manager, None)).await.status, StatusCode::FORBIDDEN);
    // The person: nothing yet, and they cannot write their own.
    let mine = send(&r, api("GET", &path, &employee, None)).await.json();
    assert!(
        mine["saved"].is_null()
            && mine["mentors"].as_array().unwrap().is_empty()
            && !mine["can_edit"].as_bool().unwrap()
    );
    let body = serde_json::json!({ "strengths": "稳定", "areas": "", "actions": "", "support": "", "share": true });
    let refused = send(&r, api("PUT", &path, &employee, Some(body.clone()))).await;
    assert!(matches!(refused.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{}", refused.body);
    // Empty: refused by name.
    let empty = serde_json::json!({ "strengths": " ", "areas": "", "actions": "", "support": "" });
    let refused = send(&r, api("PUT", &path, &manager, Some(empty))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("report_empty"), "{}", refused.body);
    // Shared: the person reads it.
    let saved = send(&r, api("PUT", &path, &manager, Some(body))).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json()["state"], "shared");
    let mine = send(&r, api("GET", &path, &employee, None)).await.json();
    assert_eq!(mine["saved"]["strengths"], "稳定");
    // Into a plan, when the analysis names an area to develop.
    let plan = send(&r, api("POST", &format!("{path}/plan"), &manager, None)).await;
    if has_area {
        assert_eq!(plan.status, StatusCode::CREATED, "{}", plan.body);
        assert!(!plan.json()["capabilities"].as_array().unwrap().is_empty());
    } else {
        assert_eq!(plan.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", plan.body);
        assert!(plan.body.contains("no_area"), "{}", plan.body);
    }

    // The pages: the manager's analysis and form; the form saves; the person reads the report.
    let m = sign_in(&r, "manager").await;
    let page = send(&r, get(&format!("/people/{my_id}/development/report"), &m)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("评分分析") && page.body.contains("id=\"report-form\""), "{}", page.body);
    assert!(!page.body.contains("id=\"ai-draft\""), "no AI button while none is connected");
    let sent = send(
        &r,
        post_form(
            &format!("/people/{my_id}/development/report"),
            &m,
            "strengths=%E6%89%A7%E8%A1%8C%E5%8A%9B&areas=&actions=&support=&share=0",
        ),
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let e = sign_in(&r, "employee").await;
    let page = send(&r, get(&format!("/people/{my_id}/development/report"), &e)).await.body;
    assert!(page.contains("执行力") && page.contains("已分享") && !page.contains("report-form"), "{page}");
    let plans = send(&r, get(&format!("/people/{my_id}/development"), &e)).await.body;
    assert!(plans.contains("id=\"report-link\""), "{plans}");
});

dual_test!(i4_team_signals_through_the_api_and_the_page, |db: Db| async move {
    let (r, app) = setup(db).await;
    let (hr, employee) = (token_for(&app, "hr").await, token_for(&app, "employee").await);
    let v = send(&r, api("GET", "/api/v1/signals/teams", &hr, None)).await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    let v = v.json();
    let teams = v["teams"].as_array().unwrap();
    assert!(!teams.is_empty(), "{v}");
    assert!(teams.iter().all(|t| t["people"].as_u64().unwrap() >= 5 && t["name"].is_string()), "{v}");
    // No person's id or name crosses: a team is a unit, its size and its hints.
    let keys: Vec<String> = teams[0].as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["hints", "name", "people", "unit_id"]);
    assert_eq!(send(&r, api("GET", "/api/v1/signals/teams", &employee, None)).await.status, StatusCode::FORBIDDEN);

    let h = sign_in(&r, "hr").await;
    let page = send(&r, get("/signals/teams", &h)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("团队信号") && page.body.contains("id=\"teams\""), "{}", page.body);
    let signals = send(&r, get("/signals", &h)).await;
    assert!(signals.body.contains("href=\"/signals/teams\""));
    let e = sign_in(&r, "employee").await;
    assert!(!send(&r, get("/signals", &e)).await.body.contains("href=\"/signals/teams\""));
    assert_eq!(send(&r, get("/signals/teams", &e)).await.status, StatusCode::FORBIDDEN);
});
