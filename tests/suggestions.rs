//! Suggestions from draft to registration, through the HTTP API, on both databases.

mod common;

use common::TestApp;
use futures_util::future::join_all;
use serde_json::json;

on_both_databases!(
    a_deputy_drafts_submits_and_staff_register,
    the_period_follows_the_meeting_dates,
    co_signers_see_and_answer,
    withdrawal_and_rejection_end_a_suggestion,
    invalid_transitions_answer_409_with_the_state,
    wrong_callers_are_refused,
    paper_suggestions_are_submitted_at_once,
    input_is_validated,
    lists_filter_and_paginate,
    fifty_parallel_registrations_get_serials_1_to_50,
);

async fn a_deputy_drafts_submits_and_staff_register(app: &TestApp) {
    let (session, category) = app.session().await;
    let (deputy_id, deputy) = app.deputy().await;
    let staff = app.staff().await;

    let r = app
        .post(
            "/api/v1/suggestions",
            &deputy.token,
            json!({"session_id": session, "title": "  关于加快推进老旧小区加装电梯的建议 ", "body": "居民出行困难。", "category_id": category, "time_sensitive": true}),
        )
        .await;
    r.created();
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.header("location"), Some(format!("/api/v1/suggestions/{id}").as_str()));
    assert_eq!(r.body["state"], "draft");
    assert_eq!(r.body["title"], "关于加快推进老旧小区加装电梯的建议", "titles are trimmed");
    assert_eq!(r.body["lead_deputy"]["id"], deputy_id);
    assert_eq!(r.body["time_sensitive"], true);
    assert!(r.body["serial"].is_null() && r.body["code"].is_null() && r.body["submitted_at"].is_null());

    // Staff do not see drafts.
    app.get(&format!("/api/v1/suggestions/{id}"), &staff.token).await.problem(404, "not_found");

    let r = app
        .patch(
            &format!("/api/v1/suggestions/{id}"),
            &deputy.token,
            json!({"body": "居民出行困难，建议财政补贴加装电梯。"}),
        )
        .await;
    assert_eq!(r.ok()["body"], "居民出行困难，建议财政补贴加装电梯。");
    assert_eq!(r.body["version"], 2);

    let r = app.act(&format!("/api/v1/suggestions/{id}/submit"), &deputy.token).await;
    assert_eq!(r.ok()["state"], "submitted");
    assert!(r.body["submitted_at"].is_string());
    assert_eq!(r.body["period"], "recess", "today is not within the session's meeting");

    let r = app.act(&format!("/api/v1/suggestions/{id}/register"), &staff.token).await;
    assert_eq!(r.ok()["state"], "registered");
    assert_eq!(r.body["serial"], 1);
    assert_eq!(r.body["code"], "第0001号");
    assert_eq!(r.body["category"]["id"], category);
    assert!(r.body["registered_at"].is_string());

    let events = app.get(&format!("/api/v1/suggestions/{id}/events"), &deputy.token).await;
    let actions: Vec<&str> = events.ok().as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["create", "edit", "submit", "register"]);
    let register = &events.body[3];
    assert_eq!(register["role"], "staff");
    assert_eq!(register["actor"], staff.username.as_str());
    assert_eq!(register["before_state"], "submitted");
    assert_eq!(register["after_state"], "registered");
    assert_eq!(register["details"]["serial"], 1);
    assert!(register["request_id"].is_string() && register["at"].is_string());

    // The session counts what it registered.
    let s = app.get(&format!("/api/v1/sessions/{session}"), &staff.token).await;
    assert_eq!(s.ok()["registered_count"], 1);
}

async fn the_period_follows_the_meeting_dates(app: &TestApp) {
    let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap()).date_naive();
    let (during, category) = app
        .session_with_meeting(
            &(today - chrono::Duration::days(1)).to_string(),
            &(today + chrono::Duration::days(1)).to_string(),
        )
        .await;
    let (_, deputy) = app.deputy().await;
    let id = app.draft(&deputy, during, category, &[]).await;
    let r = app.act(&format!("/api/v1/suggestions/{id}/submit"), &deputy.token).await;
    assert_eq!(r.ok()["period"], "meeting");

    // Staff date a paper suggestion handed in during the meeting of another session.
    let staff = app.staff().await;
    let (jan, jan_category) = app.session().await;
    let (deputy_id, _) = app.deputy().await;
    let body = |at: &str| json!({"session_id": jan, "title": "关于……的建议", "body": "正文", "category_id": jan_category, "lead_deputy_id": deputy_id, "submitted_at": at});
    let r = app.post("/api/v1/suggestions", &staff.token, body("2026-01-07T10:00:00+08:00")).await;
    assert_eq!(r.ok()["period"], "meeting");
    let r = app.post("/api/v1/suggestions", &staff.token, body("2026-01-05T23:30:00+08:00")).await;
    assert_eq!(r.ok()["period"], "recess");
    // 2026-01-05T16:30Z is 2026-01-06 00:30 in Kunming: the meeting's first day.
    let r = app.post("/api/v1/suggestions", &staff.token, body("2026-01-05T16:30:00Z")).await;
    assert_eq!(r.ok()["period"], "meeting");
    let r = app.post("/api/v1/suggestions", &staff.token, body("2099-01-01T00:00:00Z")).await;
    r.invalid("submitted_at");
}

async fn co_signers_see_and_answer(app: &TestApp) {
    let (session, category) = app.session().await;
    let (_, lead) = app.deputy().await;
    let (co1_id, co1) = app.deputy().await;
    let (co2_id, co2) = app.deputy().await;
    let (_, stranger) = app.deputy().await;
    let id = app.draft(&lead, session, category, &[co1_id, co2_id]).await;

    // Co-signers see the draft; another deputy does not.
    let r = app.get(&format!("/api/v1/suggestions/{id}"), &co1.token).await;
    let signers = r.ok()["co_signers"].as_array().unwrap();
    assert_eq!(signers.len(), 2);
    assert!(signers.iter().all(|s| s["status"] == "pending"));
    app.get(&format!("/api/v1/suggestions/{id}"), &stranger.token).await.problem(404, "not_found");

    let r = app.post(&format!("/api/v1/suggestions/{id}/cosign"), &co1.token, json!({"confirm": true})).await;
    assert_eq!(r.ok()["co_signers"][0]["status"], "confirmed");
    // Answered now, shown as RFC 3339 with its offset like every other time.
    let answered = r.body["co_signers"][0]["answered_at"].as_str().expect("answered_at");
    let answered = chrono::DateTime::parse_from_rfc3339(answered).expect("an RFC 3339 time");
    assert!((chrono::Utc::now() - answered.to_utc()).num_seconds().abs() < 60, "{answered}");
    assert_eq!(answered, chrono::DateTime::parse_from_rfc3339(r.body["updated_at"].as_str().unwrap()).unwrap());
    let r = app.post(&format!("/api/v1/suggestions/{id}/cosign"), &co2.token, json!({"confirm": false})).await;
    assert_eq!(r.ok()["co_signers"][1]["status"], "declined");

    // The lead deputy does not answer for a co-signer; a stranger cannot see it at all.
    app.post(&format!("/api/v1/suggestions/{id}/cosign"), &lead.token, json!({"confirm": true}))
        .await
        .problem(403, "forbidden");
    app.post(&format!("/api/v1/suggestions/{id}/cosign"), &stranger.token, json!({"confirm": true}))
        .await
        .problem(404, "not_found");
    // A co-signer neither edits nor submits nor withdraws.
    app.patch(&format!("/api/v1/suggestions/{id}"), &co1.token, json!({"title": "改"})).await.problem(403, "forbidden");
    app.act(&format!("/api/v1/suggestions/{id}/submit"), &co1.token).await.problem(403, "forbidden");
    app.post(&format!("/api/v1/suggestions/{id}/withdraw"), &co1.token, json!({"reason": "x"}))
        .await
        .problem(403, "forbidden");

    // The co-signer's list holds it.
    let list = app.get("/api/v1/suggestions", &co1.token).await;
    assert_eq!(list.ok()["items"].as_array().unwrap().len(), 1);

    // Answers show on the timeline.
    let events = app.get(&format!("/api/v1/suggestions/{id}/events"), &lead.token).await;
    let cosigns: Vec<_> = events.ok().as_array().unwrap().iter().filter(|e| e["action"] == "cosign").collect();
    assert_eq!(cosigns.len(), 2);
    assert_eq!(cosigns[1]["details"]["status"], "declined");

    // After registration, answers are closed.
    app.act(&format!("/api/v1/suggestions/{id}/submit"), &lead.token).await.ok();
    let staff = app.staff().await;
    app.act(&format!("/api/v1/suggestions/{id}/register"), &staff.token).await.ok();
    let r = app.post(&format!("/api/v1/suggestions/{id}/cosign"), &co1.token, json!({"confirm": false})).await;
    assert_eq!(r.problem(409, "invalid_transition")["state"], "registered");
    // A co-signer who declined is no longer one of its signers: they see it no more.
    app.get(&format!("/api/v1/suggestions/{id}"), &co2.token).await.problem(404, "not_found");
}

async fn withdrawal_and_rejection_end_a_suggestion(app: &TestApp) {
    let (session, category) = app.session().await;
    let (_, deputy) = app.deputy().await;
    let staff = app.staff().await;

    let id = app.draft(&deputy, session, category, &[]).await;
    app.post(&format!("/api/v1/suggestions/{id}/withdraw"), &deputy.token, json!({"reason": "  "}))
        .await
        .invalid("reason");
    app.post(&format!("/api/v1/suggestions/{id}/withdraw"), &deputy.token, json!({})).await.invalid("reason");
    let r = app
        .post(&format!("/api/v1/suggestions/{id}/withdraw"), &deputy.token, json!({"reason": "已通过其他渠道解决"}))
        .await;
    assert_eq!(r.ok()["state"], "withdrawn");
    assert_eq!(r.body["closed_reason"], "已通过其他渠道解决");

    // A registered suggestion may still be withdrawn: no reply has been sent.
    let id = app.draft(&deputy, session, category, &[]).await;
    app.act(&format!("/api/v1/suggestions/{id}/submit"), &deputy.token).await.ok();
    app.act(&format!("/api/v1/suggestions/{id}/register"), &staff.token).await.ok();
    let r = app.post(&format!("/api/v1/suggestions/{id}/withdraw"), &deputy.token, json!({"reason": "撤回"})).await;
    assert_eq!(r.ok()["state"], "withdrawn");
    assert_eq!(r.body["serial"], 1, "the serial stays with the withdrawn suggestion");

    let id = app.draft(&deputy, session, category, &[]).await;
    app.act(&format!("/api/v1/suggestions/{id}/submit"), &deputy.token).await.ok();
    app.post(&format!("/api/v1/suggestions/{id}/reject"), &staff.token, json!({})).await.invalid("reason");
    let r = app
        .post(&format!("/api/v1/suggestions/{id}/reject"), &staff.token, json!({"reason": "属于个人诉求，转信访部门"}))
        .await;
    assert_eq!(r.ok()["state"], "rejected");
    assert_eq!(r.body["closed_reason"], "属于个人诉求，转信访部门");
    assert!(r.body["serial"].is_null(), "rejected suggestions take no serial");
    // The next registration takes serial 2: rejection consumed none.
    let next = app.draft(&deputy, session, category, &[]).await;
    app.act(&format!("/api/v1/suggestions/{next}/submit"), &deputy.token).await.ok();
    let r = app.act(&format!("/api/v1/suggestions/{next}/register"), &staff.token).await;
    assert_eq!(r.ok()["serial"], 2);
    assert_eq!(r.body["code"], "第0002号");
}

async fn invalid_transitions_answer_409_with_the_state(app: &TestApp) {
    let (session, category) = app.session().await;
    let (deputy_id, deputy) = app.deputy().await;
    let staff = app.staff().await;

    // Registering a submitted-then-registered suggestion again, or a rejected one.
    let id = app.paper(&staff, deputy_id, session, category).await;
    app.act(&format!("/api/v1/suggestions/{id}/register"), &staff.token).await.ok();
    let r = app.act(&format!("/api/v1/suggestions/{id}/register"), &staff.token).await;
    let p = r.problem(409, "invalid_transition");
    assert_eq!(p["state"], "registered");
    assert_eq!(p["action"], "register");
    // Registering a draft: the office does not see drafts, so to it the draft does not exist
    // (404, as for everything a caller may not see); the deputy sees it and is refused.
    let draft = app.draft(&deputy, session, category, &[]).await;
    app.act(&format!("/api/v1/suggestions/{draft}/register"), &staff.token).await.problem(404, "not_found");
    app.act(&format!("/api/v1/suggestions/{draft}/register"), &deputy.token).await.problem(403, "forbidden");
    let r = app.get(&format!("/api/v1/suggestions/{draft}"), &deputy.token).await;
    assert_eq!(r.ok()["state"], "draft");
    // Editing a submitted suggestion.
    let r = app.patch(&format!("/api/v1/suggestions/{id}"), &deputy.token, json!({"title": "新标题"})).await;
    assert_eq!(r.problem(409, "invalid_transition")["state"], "registered");
    // Submitting twice.
    let r = app.act(&format!("/api/v1/suggestions/{id}/submit"), &deputy.token).await;
    assert_eq!(r.problem(409, "invalid_transition")["state"], "registered");
    // Withdrawing a rejected one.
    let id = app.paper(&staff, deputy_id, session, category).await;
    app.post(&format!("/api/v1/suggestions/{id}/reject"), &staff.token, json!({"reason": "不予立案"})).await.ok();
    let r = app.post(&format!("/api/v1/suggestions/{id}/withdraw"), &deputy.token, json!({"reason": "撤回"})).await;
    assert_eq!(r.problem(409, "invalid_transition")["state"], "rejected");
    let r = app.act(&format!("/api/v1/suggestions/{id}/register"), &staff.token).await;
    assert_eq!(r.problem(409, "invalid_transition")["state"], "rejected");
    // Nothing changed: the rejected suggestion is as it was, and its timeline has no refused step.
    let events = app.get(&format!("/api/v1/suggestions/{id}/events"), &staff.token).await;
    let actions: Vec<&str> = events.ok().as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["create", "reject"]);
}

async fn wrong_callers_are_refused(app: &TestApp) {
    let (session, category) = app.session().await;
    let (deputy_id, deputy) = app.deputy().await;
    let (_, other_deputy) = app.deputy().await;
    let staff = app.staff().await;
    let unit = app.unit().await;
    let handler = app.account("unit_handler", json!({"unit_id": unit})).await;
    let leader = app.account("unit_leader", json!({"unit_id": unit})).await;
    let committee = app.account("committee", json!({"committee_id": app.committee().await})).await;
    let auditor = app.account("auditor", json!({})).await;
    let council = app.account("council", json!({})).await;
    let supervisor = app.account("supervisor", json!({})).await;

    let draft = app.draft(&deputy, session, category, &[]).await;
    let submitted = app.paper(&staff, deputy_id, session, category).await;

    // Creating: only deputies and staff.
    let body = json!({"session_id": session, "title": "关于……的建议", "body": "正文", "lead_deputy_id": deputy_id});
    for who in [&handler, &leader, &committee, &auditor, &council, &supervisor] {
        app.post("/api/v1/suggestions", &who.token, body.clone()).await.problem(403, "forbidden");
    }
    app.post("/api/v1/suggestions", &app.admin, body.clone()).await.problem(403, "forbidden");
    // Nor an integration client, whatever it may read.
    let client = app
        .post("/api/v1/clients", &app.admin, json!({"name": "履职平台", "scopes": ["suggestions:read", "events:read"]}))
        .await;
    let (client_id, secret) = (
        client.ok()["client_id"].as_str().unwrap().to_owned(),
        client.body["client_secret"].as_str().unwrap().to_owned(),
    );
    let platform =
        app.client_token_response(&client_id, &secret).await.ok()["access_token"].as_str().unwrap().to_owned();
    app.post("/api/v1/suggestions", &platform, body.clone()).await.problem(403, "forbidden");
    app.act(&format!("/api/v1/suggestions/{submitted}/register"), &platform).await.problem(403, "forbidden");
    app.post(&format!("/api/v1/suggestions/{submitted}/reject"), &platform, json!({"reason": "x"}))
        .await
        .problem(403, "forbidden");
    app.post(&format!("/api/v1/suggestions/{submitted}/cosign"), &platform, json!({"confirm": true}))
        .await
        .problem(403, "forbidden");
    // A deputy does not enter suggestions for somebody else.
    app.post("/api/v1/suggestions", &deputy.token, body).await.invalid("lead_deputy_id");

    // A draft is the lead deputy's alone: others do not even see it.
    for who in [&other_deputy, &staff, &handler, &auditor] {
        app.get(&format!("/api/v1/suggestions/{draft}"), &who.token).await.problem(404, "not_found");
        app.get(&format!("/api/v1/suggestions/{draft}/events"), &who.token).await.problem(404, "not_found");
        app.patch(&format!("/api/v1/suggestions/{draft}"), &who.token, json!({"title": "改"}))
            .await
            .problem(404, "not_found");
        app.act(&format!("/api/v1/suggestions/{draft}/submit"), &who.token).await.problem(404, "not_found");
        app.post(&format!("/api/v1/suggestions/{draft}/withdraw"), &who.token, json!({"reason": "x"}))
            .await
            .problem(404, "not_found");
    }
    app.get(&format!("/api/v1/suggestions/{draft}"), &app.admin).await.problem(404, "not_found");

    // Submitted: readers see it; only staff register or reject; units and admin see nothing.
    for who in [&staff, &committee, &auditor, &council, &supervisor] {
        app.get(&format!("/api/v1/suggestions/{submitted}"), &who.token).await.ok();
    }
    for who in [&handler, &leader, &other_deputy] {
        app.get(&format!("/api/v1/suggestions/{submitted}"), &who.token).await.problem(404, "not_found");
        app.act(&format!("/api/v1/suggestions/{submitted}/register"), &who.token).await.problem(404, "not_found");
    }
    app.get(&format!("/api/v1/suggestions/{submitted}"), &app.admin).await.problem(404, "not_found");
    for who in [&committee, &auditor, &council, &supervisor, &deputy] {
        app.act(&format!("/api/v1/suggestions/{submitted}/register"), &who.token).await.problem(403, "forbidden");
        app.post(&format!("/api/v1/suggestions/{submitted}/reject"), &who.token, json!({"reason": "x"}))
            .await
            .problem(403, "forbidden");
    }
    // Nor do they answer for the co-signers.
    app.post(&format!("/api/v1/suggestions/{submitted}/cosign"), &staff.token, json!({"confirm": true}))
        .await
        .problem(403, "forbidden");
    app.post(&format!("/api/v1/suggestions/{submitted}/cosign"), &handler.token, json!({"confirm": true}))
        .await
        .problem(404, "not_found");
    // Staff do not withdraw for the deputy.
    app.post(&format!("/api/v1/suggestions/{submitted}/withdraw"), &staff.token, json!({"reason": "x"}))
        .await
        .problem(403, "forbidden");
    // Units' and admin's lists are empty; a deputy's list holds only their own.
    for who in [&handler, &leader] {
        let r = app.get("/api/v1/suggestions", &who.token).await;
        assert_eq!(r.ok()["items"], json!([]));
    }
    assert_eq!(app.get("/api/v1/suggestions", &app.admin).await.ok()["items"], json!([]));
    assert_eq!(app.get("/api/v1/suggestions", &other_deputy.token).await.ok()["items"], json!([]));
    let mine = app.get("/api/v1/suggestions", &deputy.token).await;
    assert_eq!(mine.ok()["items"].as_array().unwrap().len(), 2);
    // Staff see the submitted one, never the draft.
    let all = app.get("/api/v1/suggestions", &staff.token).await;
    let ids: Vec<i64> = all.ok()["items"].as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [submitted]);
    // Without a token nothing is answered.
    let r = app.request(reqwest::Method::GET, "/api/v1/suggestions", None, None).await;
    r.problem(401, "unauthorized");
}

async fn paper_suggestions_are_submitted_at_once(app: &TestApp) {
    let (session, category) = app.session().await;
    let (deputy_id, deputy) = app.deputy().await;
    let (co_id, _) = app.deputy().await;
    let staff = app.staff().await;
    let r = app
        .post(
            "/api/v1/suggestions",
            &staff.token,
            json!({"session_id": session, "title": "关于……的建议", "body": "正文", "lead_deputy_id": deputy_id, "co_signer_ids": [co_id]}),
        )
        .await;
    r.created();
    assert_eq!(r.body["state"], "submitted");
    assert!(r.body["submitted_at"].is_string() && r.body["period"].is_string());
    let id = r.body["id"].as_i64().unwrap();
    // The deputy sees what was entered for them, and may withdraw it.
    app.get(&format!("/api/v1/suggestions/{id}"), &deputy.token).await.ok();
    // Staff must name the lead deputy; with no category, registration asks for one.
    app.post("/api/v1/suggestions", &staff.token, json!({"session_id": session, "title": "t", "body": "b"}))
        .await
        .invalid("lead_deputy_id");
    app.act(&format!("/api/v1/suggestions/{id}/register"), &staff.token).await.invalid("category_id");
    let r =
        app.post(&format!("/api/v1/suggestions/{id}/register"), &staff.token, json!({"category_id": category})).await;
    assert_eq!(r.ok()["category"]["id"], category);
}

async fn input_is_validated(app: &TestApp) {
    let (session, category) = app.session().await;
    let (other_session, other_category) = app.session().await;
    let (deputy_id, deputy) = app.deputy().await;
    let base = json!({"session_id": session, "title": "关于……的建议", "body": "正文"});
    let with = |k: &str, v: serde_json::Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    let post = |b: serde_json::Value| app.post("/api/v1/suggestions", &deputy.token, b);
    post(with("title", json!("   "))).await.invalid("title");
    post(with("title", json!("长".repeat(201)))).await.invalid("title");
    post(with("body", json!(""))).await.invalid("body");
    post(with("session_id", json!(999_999))).await.invalid("session_id");
    post(with("session_id", json!("one"))).await.invalid("session_id");
    post(with("category_id", json!(other_category))).await.invalid("category_id");
    post(with("co_signer_ids", json!([deputy_id]))).await.invalid("co_signer_ids[0]");
    post(with("co_signer_ids", json!([999_999]))).await.invalid("co_signer_ids[0]");
    let (co, _) = app.deputy().await;
    post(with("co_signer_ids", json!([co, co]))).await.invalid("co_signer_ids[1]");
    post(with("co_signer_ids", json!((0..51).collect::<Vec<i64>>()))).await.invalid("co_signer_ids");
    post(with("time_sensitive", json!("yes"))).await.invalid("time_sensitive");
    post(with("surprise", json!(1))).await.invalid("surprise");
    post(json!({"session_id": session, "body": "正文"})).await.invalid("title");
    post(with("submitted_at", json!("2026-01-07T10:00:00+08:00"))).await.invalid("submitted_at");
    // Several wrong fields are reported together.
    let r = post(json!({"session_id": session, "title": " ", "body": " "})).await;
    r.problem(422, "validation_failed");
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 2, "{}", r.text);
    // Nothing was written by any of these.
    assert_eq!(app.get("/api/v1/suggestions", &deputy.token).await.ok()["items"], json!([]));
    let _ = (other_session, category);
}

async fn lists_filter_and_paginate(app: &TestApp) {
    let (session, category) = app.session().await;
    let (other_session, other_category) = app.session().await;
    let (deputy_id, _) = app.deputy().await;
    let (other_deputy_id, _) = app.deputy().await;
    let staff = app.staff().await;
    let mut ids = vec![];
    for i in 0..7 {
        let (s, c, d) =
            if i < 5 { (session, category, deputy_id) } else { (other_session, other_category, other_deputy_id) };
        ids.push(app.paper(&staff, d, s, c).await);
    }
    for id in &ids[..2] {
        app.act(&format!("/api/v1/suggestions/{id}/register"), &staff.token).await.ok();
    }
    let count = |q: String| {
        let staff = staff.clone();
        let app = &app;
        async move {
            app.get(&format!("/api/v1/suggestions?{q}"), &staff.token).await.ok()["items"].as_array().unwrap().len()
        }
    };
    assert_eq!(count(format!("session_id={session}")).await, 5);
    assert_eq!(count(format!("session_id={session}&state=registered")).await, 2);
    assert_eq!(count("state=submitted".into()).await, 5);
    assert_eq!(count(format!("lead_deputy_id={other_deputy_id}")).await, 2);
    assert_eq!(count(format!("category_id={other_category}")).await, 2);
    assert_eq!(count("period=recess".into()).await, 7);
    assert_eq!(count("period=meeting".into()).await, 0);
    assert_eq!(count("time_sensitive=true".into()).await, 0);

    // Pages of 3 cover all 7 in id order, once each.
    let mut seen = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let q = match &cursor {
            Some(c) => format!("/api/v1/suggestions?limit=3&cursor={c}"),
            None => "/api/v1/suggestions?limit=3".to_owned(),
        };
        let r = app.get(&q, &staff.token).await;
        let page = r.ok();
        seen.extend(page["items"].as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, ids);

    for bad in [
        "limit=0",
        "limit=501",
        "limit=x",
        "state=lost",
        "period=night",
        "cursor=abc",
        "cursor=-5",
        "time_sensitive=maybe",
        "colour=red",
    ] {
        let r = app.get(&format!("/api/v1/suggestions?{bad}"), &staff.token).await;
        let field = bad.split('=').next().unwrap();
        r.invalid(field);
    }
}

async fn fifty_parallel_registrations_get_serials_1_to_50(app: &TestApp) {
    let (session, category) = app.session().await;
    let (deputy_id, _) = app.deputy().await;
    let staff = app.staff().await;
    let staff2 = app.staff().await;
    let mut ids = vec![];
    for _ in 0..50 {
        ids.push(app.paper(&staff, deputy_id, session, category).await);
    }
    // Every suggestion is registered twice at once, by two staff: one wins, one is refused.
    let calls = ids.iter().flat_map(|id| {
        [&staff, &staff2].map(|who| app.act_owned(format!("/api/v1/suggestions/{id}/register"), who.token.clone()))
    });
    let answers = join_all(calls).await;
    let mut serials: Vec<i64> = vec![];
    let mut refused = 0;
    for r in &answers {
        match r.status.as_u16() {
            200 => serials.push(r.body["serial"].as_i64().unwrap()),
            409 => {
                assert_eq!(r.body["code"], "invalid_transition");
                refused += 1;
            }
            other => panic!("unexpected {other}: {}", r.text),
        }
    }
    serials.sort_unstable();
    assert_eq!(serials, (1..=50).collect::<Vec<i64>>());
    assert_eq!(refused, 50);
    let s = app.get(&format!("/api/v1/sessions/{session}"), &staff.token).await;
    assert_eq!(s.ok()["registered_count"], 50);
}
