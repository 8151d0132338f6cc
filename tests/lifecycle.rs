//! The handling lifecycle end to end: assignment, acknowledgement, consultation, opinions,
//! replies and their gates, feedback, reviews, rehandling, reassignment, continuation.

mod common;

use common::{Account, TestApp};
use serde_json::{json, Value};

on_both_databases!(
    a_suggestion_goes_from_registration_to_completed_a,
    every_gate_refuses_a_signature_until_it_holds,
    two_lead_units_reply_separately,
    a_reassignment_moves_the_assignment_with_its_own_clock,
    a_late_reassignment_request_is_refused,
    dissatisfaction_sends_it_back_for_rehandling,
    a_b_item_continues_until_solved,
    wrong_callers_are_refused_at_every_step,
    the_assignment_meeting_assigns_all_or_nothing,
    withdrawal_ends_assignments_and_bookings,
    key_suggestions_carry_their_checklist,
    records_and_dates_must_be_believable,
    bookings_are_answered_by_the_lead_deputy_only,
    units_act_on_their_own_part_only,
    actions_out_of_their_state_are_refused,
    late_steps_are_recorded_as_late,
    what_each_party_reads,
    separately_handled_parts_give_one_class,
);

/// Everyone a handled suggestion involves.
struct Case {
    id: i64,
    category: i64,
    staff: Account,
    deputy: Account,
    co_signer: Account,
    committee: Account,
    lead_unit: i64,
    handler: Account,
    leader: Account,
    assist_unit: i64,
    assist: Account,
}

const LETTER_BODY: &str = "经认真研究，我局高度重视该建议。一是已将老旧小区加装电梯纳入年度民生实事，安排专项补助资金；二是简化审批流程，实行一窗受理、并联审批；三是会同街道社区做好群众工作，协调低层住户意见；四是加强施工安全监管和后期维保。下一步我们将继续加大推进力度，确保年内完成既定目标，并及时向代表反馈进展情况。";

fn letter(class: &str) -> Value {
    json!({
        "doc_number": "昆建复〔2026〕15号",
        "body": LETTER_BODY,
        "result_class": class,
        "contact_name": "王敏",
        "contact_phone": "0871-63191234",
        "copy_to": "市人大常委会人事代表工委",
        "disclosure": "public",
    })
}

/// A registered suggestion with a co-signer, a lead unit (handler and leader), an assisting
/// unit, and a committee covering its category.
async fn case(app: &TestApp) -> Case {
    let (session, category) = app.session().await;
    let (deputy_id, deputy) = app.deputy().await;
    let (co_id, co_signer) = app.deputy().await;
    let staff = app.staff().await;
    let committee_id = app.committee_covering("经济建设").await;
    let committee = app.account("committee", json!({"committee_id": committee_id})).await;
    let lead_unit = app.unit().await;
    let assist_unit = app.unit().await;
    let handler = app.account("unit_handler", json!({"unit_id": lead_unit})).await;
    let leader = app.account("unit_leader", json!({"unit_id": lead_unit})).await;
    let assist = app.account("unit_handler", json!({"unit_id": assist_unit})).await;
    let r = app
        .post(
            "/api/v1/suggestions",
            &staff.token,
            json!({"session_id": session, "title": "关于加快推进老旧小区加装电梯的建议", "body": "居民出行难。", "category_id": category, "lead_deputy_id": deputy_id, "co_signer_ids": [co_id]}),
        )
        .await;
    let id = r.ok()["id"].as_i64().unwrap();
    app.act(&format!("/api/v1/suggestions/{id}/register"), &staff.token).await.ok();
    Case { id, category, staff, deputy, co_signer, committee, lead_unit, handler, leader, assist_unit, assist }
}

impl Case {
    fn at(&self, part: &str) -> String {
        format!("/api/v1/suggestions/{}{part}", self.id)
    }

    async fn assignment_of(&self, app: &TestApp, unit: i64) -> i64 {
        let r = app.get(&self.at("/assignments"), &self.staff.token).await;
        r.ok()
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["unit_id"] == unit && a["state"] != "transferred" && a["state"] != "cancelled")
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    /// Assigns the lead and assisting units formally and has both acknowledge: `handling`.
    async fn in_handling(&self, app: &TestApp) {
        let units = json!({"units": [{"unit_id": self.lead_unit, "role": "lead"}, {"unit_id": self.assist_unit, "role": "assist"}]});
        app.post(&self.at("/assignments"), &self.staff.token, units).await.ok();
        let lead = self.assignment_of(app, self.lead_unit).await;
        let assist = self.assignment_of(app, self.assist_unit).await;
        app.act(&self.at(&format!("/assignments/{lead}/acknowledge")), &self.handler.token).await.ok();
        let r = app.act(&self.at(&format!("/assignments/{assist}/acknowledge")), &self.assist.token).await;
        assert_eq!(r.ok()["state"], "acknowledged");
        let s = app.get(&self.at(""), &self.staff.token).await;
        assert_eq!(s.ok()["state"], "handling");
    }

    /// A second lead unit beside the first (separate handling): both assigned, both
    /// acknowledged, each has consulted the deputy. Answers the second unit's handler and leader.
    async fn with_two_leads(&self, app: &TestApp) -> (Account, Account) {
        let second = app.unit().await;
        let handler2 = app.account("unit_handler", json!({"unit_id": second})).await;
        let leader2 = app.account("unit_leader", json!({"unit_id": second})).await;
        let units =
            json!({"units": [{"unit_id": self.lead_unit, "role": "lead"}, {"unit_id": second, "role": "lead"}]});
        app.post(&self.at("/assignments"), &self.staff.token, units).await.ok();
        for (unit, who) in [(self.lead_unit, &self.handler), (second, &handler2)] {
            let a = self.assignment_of(app, unit).await;
            app.act(&self.at(&format!("/assignments/{a}/acknowledge")), &who.token).await.ok();
            let r = app
                .post(&self.at("/consultations"), &who.token, json!({"form": "phone", "held_at": chrono::Utc::now().to_rfc3339(), "participants": "代表", "summary": "电话沟通", "deputy_opinion": "同意"}))
                .await;
            r.created();
        }
        (handler2, leader2)
    }

    async fn consult(&self, app: &TestApp) {
        let r = app
            .post(
                &self.at("/consultations"),
                &self.handler.token,
                json!({"form": "face_to_face", "location": "市住建局会议室", "held_at": chrono::Utc::now().to_rfc3339(), "participants": "代表、局领导、业务处室", "summary": "面商加装电梯补助政策", "deputy_opinion": "希望加快进度"}),
            )
            .await;
        r.created();
    }

    async fn opinion(&self, app: &TestApp) {
        let r = app
            .post(
                &self.at("/assist-opinions"),
                &self.assist.token,
                json!({"body": "同意主办单位意见，财政资金予以保障。", "signer": "张华"}),
            )
            .await;
        r.created();
    }

    /// Drafts and signs a reply of the given class: answers the reply.
    async fn reply(&self, app: &TestApp, class: &str) -> Value {
        let r = app.post(&self.at("/replies"), &self.handler.token, letter(class)).await;
        r.created();
        let rid = r.body["id"].as_i64().unwrap();
        let r = app.act(&self.at(&format!("/replies/{rid}/sign")), &self.leader.token).await;
        r.ok().clone()
    }

    async fn state(&self, app: &TestApp) -> Value {
        app.get(&self.at(""), &self.staff.token).await.ok().clone()
    }

    async fn actions(&self, app: &TestApp) -> Vec<String> {
        let r = app.get(&self.at("/events"), &self.staff.token).await;
        r.ok().as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect()
    }
}

async fn a_suggestion_goes_from_registration_to_completed_a(app: &TestApp) {
    let c = case(app).await;
    // A proposal the assisting unit objects to; the office proposes again, then assigns.
    let units = json!({"units": [{"unit_id": c.lead_unit, "role": "lead"}, {"unit_id": c.assist_unit, "role": "assist"}], "proposed": true});
    let r = app.post(&c.at("/assignments"), &c.staff.token, units.clone()).await;
    assert_eq!(r.ok()["state"], "registered");
    assert!(r.body["assigned_at"].is_null());
    let proposed = c.assignment_of(app, c.assist_unit).await;
    // Proposed units see the suggestion; they cannot acknowledge a proposal.
    app.get(&c.at(""), &c.assist.token).await.ok();
    app.act(&c.at(&format!("/assignments/{proposed}/acknowledge")), &c.assist.token).await.problem(403, "forbidden");
    let r = app
        .post(&c.at(&format!("/assignments/{proposed}/object")), &c.assist.token, json!({"reason": "职能不符"}))
        .await;
    assert_eq!(r.ok()["state"], "objected");
    assert_eq!(r.body["objection"], "职能不符");
    app.post(&c.at("/assignments"), &c.staff.token, units).await.ok();
    let r = app.act(&c.at("/assign"), &c.staff.token).await;
    assert_eq!(r.ok()["state"], "assigned");
    assert!(r.body["assigned_at"].is_string());
    assert!(r.body["reply_due_on"].is_string());
    // The suggestion shows its current assignments, stamped with the same instant to the digit
    // (they are read in the suggestion's own statement, as the database aggregated them).
    let shown: Vec<&Value> =
        r.body["assignments"].as_array().unwrap().iter().filter(|x| x["state"] == "assigned").collect();
    assert_eq!(shown.len(), 2, "{}", r.text);
    assert!(shown.iter().all(|x| x["assigned_at"] == r.body["assigned_at"]), "{}", r.text);
    assert_eq!(shown[0]["unit_id"], c.lead_unit);
    assert_eq!(shown[0]["role"], "lead");
    assert_eq!(shown[1]["unit_id"], c.assist_unit);
    assert!(shown[0]["unit_name"].is_string() && shown[0]["acknowledged_at"].is_null());
    let a = app.get(&c.at("/assignments"), &c.staff.token).await;
    let current: Vec<&Value> = a.ok().as_array().unwrap().iter().filter(|x| x["state"] == "assigned").collect();
    assert_eq!(current.len(), 2);
    assert!(current
        .iter()
        .all(|x| x["acknowledge_due_on"].is_string() && x["reassignment_window_ends_on"].is_string()));
    let lead = c.assignment_of(app, c.lead_unit).await;
    let assist = c.assignment_of(app, c.assist_unit).await;

    // One acknowledgement: still assigned; both: handling.
    let r = app.act(&c.at(&format!("/assignments/{lead}/acknowledge")), &c.handler.token).await;
    assert_eq!(r.ok()["state"], "acknowledged");
    assert_eq!(c.state(app).await["state"], "assigned");
    app.act(&c.at(&format!("/assignments/{lead}/acknowledge")), &c.handler.token)
        .await
        .problem(409, "already_acknowledged");
    app.act(&c.at(&format!("/assignments/{assist}/acknowledge")), &c.assist.token).await.ok();
    assert_eq!(c.state(app).await["state"], "handling");

    // A booking the deputy confirms, then its record.
    let slot = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    let r = app
        .post(
            &c.at("/consultations"),
            &c.handler.token,
            json!({"form": "site_visit", "location": "五华区某小区", "proposed_slots": [slot]}),
        )
        .await;
    r.created();
    assert_eq!(r.body["state"], "proposed");
    let cid = r.body["id"].as_i64().unwrap();
    app.post(&c.at(&format!("/consultations/{cid}/confirm")), &c.deputy.token, json!({"slot": "2020-01-01T00:00:00Z"}))
        .await
        .invalid("slot");
    let r = app.post(&c.at(&format!("/consultations/{cid}/confirm")), &c.deputy.token, json!({"slot": slot})).await;
    assert_eq!(r.ok()["state"], "confirmed");
    let r = app
        .post(
            &c.at(&format!("/consultations/{cid}/record")),
            &c.handler.token,
            json!({"held_at": chrono::Utc::now().to_rfc3339(), "participants": "代表、局领导", "summary": "现场查看", "deputy_opinion": "满意安排"}),
        )
        .await;
    assert_eq!(r.ok()["state"], "held");

    c.opinion(app).await;
    let reply = c.reply(app, "A").await;
    assert_eq!(reply["state"], "sent");
    assert_eq!(reply["kind"], "first");
    assert_eq!(reply["on_time"], true);
    assert!(
        reply["title"].as_str().unwrap().starts_with("关于")
            && reply["title"].as_str().unwrap().ends_with("第0001号建议的答复")
    );
    assert_eq!(c.state(app).await["state"], "replied");

    // Feedback: the co-signer and the lead deputy, once each.
    let r = app.post(&c.at("/feedback"), &c.co_signer.token, json!({"satisfaction": "basically_satisfied"})).await;
    r.created();
    assert_eq!(r.body["lead_deputy"], false);
    let r = app
        .post(
            &c.at("/feedback"),
            &c.deputy.token,
            json!({"satisfaction": "satisfied", "process_satisfaction": "satisfied", "comment": "办理认真"}),
        )
        .await;
    r.created();
    assert_eq!(r.body["on_time"], true);
    app.post(&c.at("/feedback"), &c.deputy.token, json!({"satisfaction": "dissatisfied"}))
        .await
        .problem(409, "feedback_given");
    assert_eq!(c.state(app).await["state"], "replied");

    // The final review waits for the committee's.
    app.post(&c.at("/reviews"), &c.staff.token, json!({"stage": "final", "decision": "approve"}))
        .await
        .problem(422, "initial_review_missing");
    let r = app.post(&c.at("/reviews"), &c.committee.token, json!({"stage": "initial", "decision": "approve"})).await;
    r.created();
    assert_eq!(r.body["unit_result_class"], "A");
    let r = app.post(&c.at("/reviews"), &c.staff.token, json!({"stage": "final", "decision": "approve"})).await;
    r.created();
    assert_eq!(r.body["result_class"], "A");
    let review = r.body["id"].as_i64().unwrap();
    let s = c.state(app).await;
    assert_eq!(s["state"], "completed");
    assert_eq!(s["result_class"], "A");
    let supervisor = app.account("supervisor", json!({})).await;
    let r = app
        .post(&c.at(&format!("/reviews/{review}/endorsement")), &supervisor.token, json!({"endorsement": "同意"}))
        .await;
    assert_eq!(r.ok()["endorsement"], "同意");
    let r = app
        .post(
            &c.at("/visits"),
            &supervisor.token,
            json!({"visited_at": chrono::Utc::now().to_rfc3339(), "findings": "电梯已投入使用"}),
        )
        .await;
    r.created();

    // The timeline holds every step, with the unit and whether it was on time.
    let events = app.get(&c.at("/events"), &c.staff.token).await;
    let events = events.ok().as_array().unwrap().clone();
    let ack = events.iter().find(|e| e["action"] == "acknowledge").unwrap();
    assert_eq!(ack["unit_id"], c.lead_unit);
    assert_eq!(ack["on_time"], true);
    assert!(ack["due_on"].is_string());
    let signed = events.iter().find(|e| e["action"] == "sign_reply").unwrap();
    assert_eq!(signed["role"], "unit_leader");
    assert_eq!(signed["before_state"], "handling");
    assert_eq!(signed["after_state"], "replied");
    let actions: Vec<&str> = events.iter().map(|e| e["action"].as_str().unwrap()).collect();
    for step in [
        "register",
        "propose",
        "object",
        "assign",
        "acknowledge",
        "consult",
        "answer_booking",
        "give_assist_opinion",
        "draft_reply",
        "sign_reply",
        "give_feedback",
        "review_initial",
        "review_final",
        "endorse",
        "visit",
    ] {
        assert!(actions.contains(&step), "{step} missing from {actions:?}");
    }

    // Lists filter by class, unit and key.
    let r = app.get(&format!("/api/v1/suggestions?result_class=A&unit_id={}", c.lead_unit), &c.staff.token).await;
    assert_eq!(r.ok()["items"].as_array().unwrap().len(), 1);
    let r = app.get("/api/v1/suggestions?result_class=B", &c.staff.token).await;
    assert_eq!(r.ok()["items"], json!([]));
    let r = app.get("/api/v1/suggestions?key=true", &c.staff.token).await;
    assert_eq!(r.ok()["items"], json!([]));
    // A unit's own list and ledger hold it.
    let r = app.get("/api/v1/suggestions", &c.handler.token).await;
    assert_eq!(r.ok()["items"].as_array().unwrap().len(), 1);
    let r = app.get(&format!("/api/v1/units/{}/assignments", c.lead_unit), &c.handler.token).await;
    assert_eq!(r.ok()["items"].as_array().unwrap().len(), 1);
    let _ = c.category;
}

async fn every_gate_refuses_a_signature_until_it_holds(app: &TestApp) {
    let c = case(app).await;
    c.in_handling(app).await;
    let r = app.post(&c.at("/replies"), &c.handler.token, json!({"body": "已收悉。"})).await;
    r.created();
    let rid = r.body["id"].as_i64().unwrap();
    let sign = c.at(&format!("/replies/{rid}/sign"));
    // A handler may draft but not sign.
    app.act(&sign, &c.handler.token).await.problem(403, "forbidden");
    // Gate 1: the assisting unit's opinion.
    let r = app.act(&sign, &c.leader.token).await;
    let p = r.problem(422, "gate_missing_assist_opinion");
    assert_eq!(p["missing"].as_array().unwrap().len(), 1);
    assert_eq!(p["other_gates"], json!(["gate_missing_consultation", "gate_reply_incomplete"]));
    // The office waives it.
    let assist = c.assignment_of(app, c.assist_unit).await;
    app.post(&c.at(&format!("/assignments/{assist}/waive-opinion")), &c.handler.token, json!({"reason": "x"}))
        .await
        .problem(403, "forbidden");
    let r = app
        .post(
            &c.at(&format!("/assignments/{assist}/waive-opinion")),
            &c.staff.token,
            json!({"reason": "协办单位职能已调整"}),
        )
        .await;
    assert_eq!(r.ok()["opinion_waived_reason"], "协办单位职能已调整");
    // Gate 2: a recorded consultation with the lead deputy.
    let r = app.act(&sign, &c.leader.token).await;
    r.problem(422, "gate_missing_consultation");
    c.consult(app).await;
    // Gate 3: the letter.
    let r = app.act(&sign, &c.leader.token).await;
    let p = r.problem(422, "gate_reply_incomplete");
    let missing: Vec<&str> = p["missing"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    assert_eq!(missing.len(), 6, "{missing:?}");
    for field in ["doc_number", "result_class", "contact_name", "contact_phone", "disclosure"] {
        assert!(missing.contains(&field), "{field} in {missing:?}");
    }
    assert!(missing.iter().any(|m| m.starts_with("body")));
    // Nothing was sent by the refusals.
    assert_eq!(c.state(app).await["state"], "handling");
    let r = app.patch(&c.at(&format!("/replies/{rid}")), &c.handler.token, json!({"disclosure": "summary"})).await;
    r.invalid("summary_text");
    let r = app.patch(&c.at(&format!("/replies/{rid}")), &c.handler.token, letter("C")).await;
    assert_eq!(r.ok()["result_class"], "C");
    let r = app.act(&sign, &c.leader.token).await;
    assert_eq!(r.ok()["state"], "sent");
    assert_eq!(c.state(app).await["state"], "replied");
    // A sent reply no longer changes: here the suggestion itself has moved on.
    let r = app.patch(&c.at(&format!("/replies/{rid}")), &c.handler.token, json!({"body": "改"})).await;
    assert_eq!(r.problem(409, "invalid_transition")["state"], "replied");
}

async fn two_lead_units_reply_separately(app: &TestApp) {
    let c = case(app).await;
    let (handler2, leader2) = c.with_two_leads(app).await;
    c.reply(app, "A").await;
    assert_eq!(c.state(app).await["state"], "handling", "the second lead unit has not replied");
    // The second unit's draft is its own: the first unit cannot see or sign it.
    let r = app.post(&c.at("/replies"), &handler2.token, letter("B")).await;
    let rid = r.body["id"].as_i64().unwrap();
    let mine = app.get(&c.at("/replies"), &c.handler.token).await;
    assert!(mine.ok().as_array().unwrap().iter().all(|r| r["id"] != rid), "another unit's draft is hidden");
    app.act(&c.at(&format!("/replies/{rid}/sign")), &c.leader.token).await.problem(404, "not_found");
    let first = app.get(&c.at("/replies"), &c.handler.token).await;
    let first_id = first.ok().as_array().unwrap()[0]["id"].as_i64().unwrap();
    // While the other lead unit still works, the first unit's sent reply does not change.
    let r = app.patch(&c.at(&format!("/replies/{first_id}")), &c.handler.token, json!({"body": "改"})).await;
    r.problem(409, "reply_sent");
    let r = app.act(&c.at(&format!("/replies/{rid}/sign")), &leader2.token).await;
    assert_eq!(r.ok()["state"], "sent");
    assert_eq!(c.state(app).await["state"], "replied");
    let all = app.get(&c.at("/replies"), &c.deputy.token).await;
    assert_eq!(all.ok().as_array().unwrap().len(), 2);
}

async fn a_reassignment_moves_the_assignment_with_its_own_clock(app: &TestApp) {
    let c = case(app).await;
    let other = app.unit().await;
    let other_handler = app.account("unit_handler", json!({"unit_id": other})).await;
    app.post(&c.at("/assignments"), &c.staff.token, json!({"units": [{"unit_id": c.lead_unit, "role": "lead"}]}))
        .await
        .ok();
    let a = c.assignment_of(app, c.lead_unit).await;
    app.act(&c.at(&format!("/assignments/{a}/acknowledge")), &c.handler.token).await.ok();
    assert_eq!(c.state(app).await["state"], "handling");
    // The other unit sees nothing yet.
    app.get(&c.at(""), &other_handler.token).await.problem(404, "not_found");
    let r = app
        .post(
            &c.at(&format!("/assignments/{a}/reassignment-requests")),
            &c.handler.token,
            json!({"reason": "不属于我局职能", "proposed_unit_id": other}),
        )
        .await;
    r.created();
    let rid = r.body["id"].as_i64().unwrap();
    assert_eq!(r.header("location"), Some(format!("/api/v1/reassignment-requests/{rid}").as_str()));
    // The request is read by whoever may see the suggestion, and by nobody else.
    let r = app.get(&format!("/api/v1/reassignment-requests/{rid}"), &c.staff.token).await;
    assert_eq!(r.ok()["reason"], "不属于我局职能");
    app.get(&format!("/api/v1/reassignment-requests/{rid}"), &other_handler.token).await.problem(404, "not_found");
    let (_, stranger) = app.deputy().await;
    app.get(&format!("/api/v1/reassignment-requests/{rid}"), &stranger.token).await.problem(404, "not_found");
    app.get(&c.at("/reassignment-requests"), &stranger.token).await.problem(404, "not_found");
    // Staff cannot decide a request that does not exist.
    app.post(
        "/api/v1/reassignment-requests/999999/decision",
        &c.staff.token,
        json!({"decision": "refuse", "note": "x"}),
    )
    .await
    .problem(404, "not_found");
    assert_eq!(c.state(app).await["state"], "assigned", "an open request holds the handling");
    app.post(&c.at(&format!("/assignments/{a}/reassignment-requests")), &c.handler.token, json!({"reason": "again"}))
        .await
        .problem(409, "reassignment_pending");
    // Only the office decides; approval needs the new unit.
    app.post(
        &format!("/api/v1/reassignment-requests/{rid}/decision"),
        &c.handler.token,
        json!({"decision": "approve", "new_unit_id": other}),
    )
    .await
    .problem(403, "forbidden");
    app.post(&format!("/api/v1/reassignment-requests/{rid}/decision"), &c.staff.token, json!({"decision": "approve"}))
        .await
        .invalid("new_unit_id");
    let r = app
        .post(
            &format!("/api/v1/reassignment-requests/{rid}/decision"),
            &c.staff.token,
            json!({"decision": "approve", "new_unit_id": other, "note": "同意改办"}),
        )
        .await;
    assert_eq!(r.ok()["state"], "approved");
    let new_id = r.body["new_assignment_id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/reassignment-requests/{rid}/decision"),
        &c.staff.token,
        json!({"decision": "refuse", "note": "x"}),
    )
    .await
    .problem(409, "already_decided");
    let all = app.get(&c.at("/assignments"), &c.staff.token).await;
    let all = all.ok().as_array().unwrap().clone();
    let old = all.iter().find(|x| x["id"] == a).unwrap();
    let new = all.iter().find(|x| x["id"] == new_id).unwrap();
    assert_eq!(old["state"], "transferred");
    assert_eq!(new["state"], "assigned");
    assert_eq!(new["unit_id"], other);
    assert_eq!(new["role"], "lead");
    assert_eq!(new["transferred_from"], a);
    assert!(
        new["assigned_at"].as_str() > old["assigned_at"].as_str(),
        "the new unit's clock starts at its own assignment"
    );
    // The old unit no longer holds it; the new one does.
    app.get(&c.at(""), &c.handler.token).await.problem(404, "not_found");
    app.get(&c.at(""), &other_handler.token).await.ok();
    let r = app.act(&c.at(&format!("/assignments/{new_id}/acknowledge")), &other_handler.token).await;
    assert_eq!(r.ok()["state"], "acknowledged");
    assert_eq!(c.state(app).await["state"], "handling");
    // A refused request leaves the unit in place.
    let r = app
        .post(
            &c.at(&format!("/assignments/{new_id}/reassignment-requests")),
            &other_handler.token,
            json!({"reason": "也不属于"}),
        )
        .await;
    let rid = r.body["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/reassignment-requests/{rid}/decision"), &c.staff.token, json!({"decision": "refuse"}))
        .await
        .invalid("note");
    let r = app
        .post(
            &format!("/api/v1/reassignment-requests/{rid}/decision"),
            &c.staff.token,
            json!({"decision": "refuse", "note": "属于贵单位职能"}),
        )
        .await;
    assert_eq!(r.ok()["state"], "refused");
    assert_eq!(c.state(app).await["state"], "handling");
}

async fn a_late_reassignment_request_is_refused(app: &TestApp) {
    let c = case(app).await;
    app.post(&c.at("/assignments"), &c.staff.token, json!({"units": [{"unit_id": c.lead_unit, "role": "lead"}]}))
        .await
        .ok();
    let a = c.assignment_of(app, c.lead_unit).await;
    // The window closed yesterday: move it back in the database, as time would.
    app.backdate_reassignment_window(a).await;
    let r = app
        .post(
            &c.at(&format!("/assignments/{a}/reassignment-requests")),
            &c.handler.token,
            json!({"reason": "不属于我局职能"}),
        )
        .await;
    r.problem(422, "reassignment_window_closed");
    assert_eq!(c.actions(app).await.last().map(String::as_str), Some("assign"), "nothing was recorded");
}

async fn dissatisfaction_sends_it_back_for_rehandling(app: &TestApp) {
    let c = case(app).await;
    c.in_handling(app).await;
    c.consult(app).await;
    c.opinion(app).await;
    let first = c.reply(app, "C").await;
    // A co-signer's dissatisfaction is recorded; it does not send the suggestion back.
    app.post(&c.at("/feedback"), &c.co_signer.token, json!({"satisfaction": "dissatisfied"})).await;
    assert_eq!(c.state(app).await["state"], "replied");
    let r = app
        .post(&c.at("/feedback"), &c.deputy.token, json!({"satisfaction": "dissatisfied", "comment": "答复空泛"}))
        .await;
    r.created();
    let s = c.state(app).await;
    assert_eq!(s["state"], "handling");
    assert_eq!(s["round"], 2);
    assert!(s["reply_due_on"].as_str().unwrap() > first["sent_at"].as_str().unwrap()[..10].to_string().as_str());
    // The deputy may not withdraw now: a reply has been sent.
    let r = app.post(&c.at("/withdraw"), &c.deputy.token, json!({"reason": "撤回"})).await;
    assert_eq!(r.problem(409, "invalid_transition")["state"], "handling");
    let second = c.reply(app, "A").await;
    assert_eq!(second["kind"], "rehandling");
    assert_eq!(second["round"], 2);
    assert_eq!(c.state(app).await["state"], "replied");
    // Both versions stay readable; feedback is once per deputy per version.
    let all = app.get(&c.at("/replies"), &c.deputy.token).await;
    let kinds: Vec<&str> = all.ok().as_array().unwrap().iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["first", "rehandling"]);
    let r = app.post(&c.at("/feedback"), &c.deputy.token, json!({"satisfaction": "satisfied"})).await;
    r.created();
    assert_eq!(r.body["round"], 2);
    // A committee return also sends it back.
    let r = app.post(&c.at("/reviews"), &c.committee.token, json!({"stage": "initial", "decision": "return"})).await;
    r.invalid("reason");
    let r = app
        .post(
            &c.at("/reviews"),
            &c.committee.token,
            json!({"stage": "initial", "decision": "return", "reason": "措施不具体"}),
        )
        .await;
    r.created();
    let s = c.state(app).await;
    assert_eq!(s["state"], "handling");
    assert_eq!(s["round"], 3);
    // The office may order rehandling after a reply too.
    c.reply(app, "A").await;
    let r = app.post(&c.at("/rehandle"), &c.staff.token, json!({"reason": "联名代表不满意"})).await;
    assert_eq!(r.ok()["state"], "handling");
    assert_eq!(r.body["round"], 4);
}

async fn a_b_item_continues_until_solved(app: &TestApp) {
    let c = case(app).await;
    c.in_handling(app).await;
    c.consult(app).await;
    c.opinion(app).await;
    c.reply(app, "B").await;
    app.post(&c.at("/feedback"), &c.deputy.token, json!({"satisfaction": "basically_satisfied"})).await.ok();
    app.post(
        &c.at("/reviews"),
        &c.committee.token,
        json!({"stage": "initial", "decision": "approve", "result_class": "B"}),
    )
    .await
    .ok();
    app.post(&c.at("/reviews"), &c.staff.token, json!({"stage": "final", "decision": "approve"})).await.ok();
    let s = c.state(app).await;
    assert_eq!(s["state"], "continuing");
    assert_eq!(s["result_class"], "B");
    // Completing without a solved report is refused (gate 5).
    let r = app.post(&c.at("/complete"), &c.staff.token, json!({"result_class": "A"})).await;
    r.problem(422, "gate_continuation_unsolved");
    let r =
        app.post(&c.at("/continuation-reports"), &c.handler.token, json!({"progress": "项目已立项，正在施工"})).await;
    r.created();
    let r =
        app.post(&c.at("/continuation-reports"), &c.handler.token, json!({"progress": "已完工", "solved": true})).await;
    r.problem(422, "continuation_reply_missing");
    let continuation = c.reply(app, "A").await;
    assert_eq!(continuation["kind"], "continuation");
    assert_eq!(c.state(app).await["state"], "continuing");
    let r = app
        .post(
            &c.at("/continuation-reports"),
            &c.handler.token,
            json!({"progress": "已完工并投入使用", "solved": true, "reply_id": continuation["id"]}),
        )
        .await;
    r.created();
    app.post(&c.at("/complete"), &c.handler.token, json!({"result_class": "A"})).await.problem(403, "forbidden");
    let r = app.post(&c.at("/complete"), &c.staff.token, json!({"result_class": "A"})).await;
    assert_eq!(r.ok()["state"], "completed");
    assert_eq!(r.body["result_class"], "A");
    let reports = app.get(&c.at("/continuation-reports"), &c.deputy.token).await;
    assert_eq!(reports.ok().as_array().unwrap().len(), 2);
}

async fn wrong_callers_are_refused_at_every_step(app: &TestApp) {
    let c = case(app).await;
    let stranger_unit = app.unit().await;
    let stranger = app.account("unit_handler", json!({"unit_id": stranger_unit})).await;
    let (_, other_deputy) = app.deputy().await;
    let outside_committee =
        app.account("committee", json!({"committee_id": app.committee_covering("监察司法").await})).await;
    // Only staff assign.
    for who in [&c.handler, &c.deputy, &c.committee] {
        let units = json!({"units": [{"unit_id": c.lead_unit, "role": "lead"}]});
        let r = app.post(&c.at("/assignments"), &who.token, units).await;
        assert!(matches!(r.status.as_u16(), 403 | 404), "{}", r.text);
    }
    app.post(&c.at("/assignments"), &c.staff.token, json!({"units": [{"unit_id": c.lead_unit, "role": "assist"}]}))
        .await
        .invalid("units");
    app.post(
        &c.at("/assignments"),
        &c.staff.token,
        json!({"units": [{"unit_id": c.lead_unit, "role": "lead"}, {"unit_id": c.lead_unit, "role": "assist"}]}),
    )
    .await
    .invalid("units[1].unit_id");
    c.in_handling(app).await;
    let lead = c.assignment_of(app, c.lead_unit).await;
    // A unit that is not assigned sees nothing and does nothing.
    app.get(&c.at(""), &stranger.token).await.problem(404, "not_found");
    app.get(&c.at("/replies"), &stranger.token).await.problem(404, "not_found");
    app.act(&c.at(&format!("/assignments/{lead}/acknowledge")), &stranger.token).await.problem(404, "not_found");
    app.post(&c.at("/replies"), &stranger.token, letter("A")).await.problem(404, "not_found");
    // Another unit's assignment is not yours to acknowledge.
    app.act(&c.at(&format!("/assignments/{lead}/acknowledge")), &c.assist.token).await.problem(404, "not_found");
    // An assisting unit never replies; the lead unit gives no assist opinion.
    app.post(&c.at("/replies"), &c.assist.token, letter("A")).await.problem(403, "forbidden");
    app.post(&c.at("/assist-opinions"), &c.handler.token, json!({"body": "x", "signer": "y"}))
        .await
        .problem(403, "forbidden");
    // Deputies read replies but not the units' opinions (nor a waiver's reason); another deputy
    // sees nothing.
    app.get(&c.at("/assist-opinions"), &c.deputy.token).await.problem(403, "forbidden");
    let assist = c.assignment_of(app, c.assist_unit).await;
    app.post(&c.at(&format!("/assignments/{assist}/waive-opinion")), &c.staff.token, json!({"reason": "内部原因"}))
        .await
        .ok();
    let seen = app.get(&c.at("/assignments"), &c.deputy.token).await;
    assert!(seen.ok().as_array().unwrap().iter().all(|a| a["opinion_waived_reason"].is_null()));
    let staff_seen = app.get(&c.at("/assignments"), &c.staff.token).await;
    assert!(staff_seen.ok().as_array().unwrap().iter().any(|a| a["opinion_waived_reason"] == "内部原因"));
    let events = app.get(&c.at("/events"), &c.deputy.token).await;
    let waived = events.ok().as_array().unwrap().iter().find(|e| e["action"] == "waive_opinion").unwrap().clone();
    assert_eq!(waived["details"], json!({}));
    app.get(&c.at("/replies"), &other_deputy.token).await.problem(404, "not_found");
    // A unit's ledger is its own.
    app.get(&format!("/api/v1/units/{}/assignments", c.lead_unit), &stranger.token).await.problem(404, "not_found");
    app.get(&format!("/api/v1/units/{}/assignments", c.lead_unit), &c.deputy.token).await.problem(404, "not_found");
    c.consult(app).await;
    c.opinion(app).await;
    // Feedback before the reply is too early.
    let r = app.post(&c.at("/feedback"), &c.deputy.token, json!({"satisfaction": "satisfied"})).await;
    assert_eq!(r.problem(409, "invalid_transition")["state"], "handling");
    c.reply(app, "A").await;
    // Feedback from a deputy who did not sign it; reviews by the wrong committee or role.
    app.post(&c.at("/feedback"), &other_deputy.token, json!({"satisfaction": "satisfied"}))
        .await
        .problem(404, "not_found");
    app.post(&c.at("/feedback"), &c.handler.token, json!({"satisfaction": "satisfied"}))
        .await
        .problem(403, "forbidden");
    app.post(&c.at("/reviews"), &outside_committee.token, json!({"stage": "initial", "decision": "approve"}))
        .await
        .problem(403, "forbidden");
    app.post(&c.at("/reviews"), &c.committee.token, json!({"stage": "final", "decision": "approve"}))
        .await
        .problem(403, "forbidden");
    app.post(&c.at("/reviews"), &c.staff.token, json!({"stage": "initial", "decision": "approve"}))
        .await
        .problem(403, "forbidden");
    app.post(&c.at("/key"), &c.staff.token, json!({"leader": "市长"})).await.problem(403, "forbidden");
    app.post(&c.at("/visits"), &c.handler.token, json!({"visited_at": "2026-01-01T00:00:00Z", "findings": "x"}))
        .await
        .problem(403, "forbidden");
    app.post(&c.at("/rehandle"), &c.deputy.token, json!({"reason": "x"})).await.problem(403, "forbidden");
    // Final review before the lead deputy's feedback (within its window).
    app.post(&c.at("/reviews"), &c.committee.token, json!({"stage": "initial", "decision": "approve"})).await.ok();
    app.post(&c.at("/reviews"), &c.staff.token, json!({"stage": "final", "decision": "approve"}))
        .await
        .problem(422, "feedback_pending");
}

async fn the_assignment_meeting_assigns_all_or_nothing(app: &TestApp) {
    let (session, category) = app.session().await;
    let (deputy_id, _) = app.deputy().await;
    let staff = app.staff().await;
    let (u1, u2) = (app.unit().await, app.unit().await);
    let mut ids = vec![];
    for _ in 0..5 {
        let id = app.paper(&staff, deputy_id, session, category).await;
        app.act(&format!("/api/v1/suggestions/{id}/register"), &staff.token).await.ok();
        ids.push(id);
    }
    let submitted = app.paper(&staff, deputy_id, session, category).await;
    let item = |id: i64| json!({"suggestion_id": id, "units": [{"unit_id": u1, "role": "lead"}, {"unit_id": u2, "role": "assist"}]});
    let mut items: Vec<Value> = ids.iter().map(|id| item(*id)).collect();
    items.push(item(submitted));
    items.push(json!({"suggestion_id": ids[0] + 1000, "units": [{"unit_id": 999_999, "role": "lead"}]}));
    // More units than one suggestion takes (and no lead among them): refused on the count alone.
    items[1]["units"] = json!(vec![json!({"unit_id": u1, "role": "assist"}); 51]);
    let r = app.post(&format!("/api/v1/sessions/{session}/assignments"), &staff.token, json!({"items": items})).await;
    r.problem(422, "validation_failed");
    let errors = r.body["errors"].as_array().unwrap();
    let fields: Vec<&str> = errors.iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(
        fields,
        ["items[1].units", "items[5].suggestion_id", "items[6].suggestion_id", "items[6].units[0].unit_id"]
    );
    assert_eq!(errors[0]["message"], "at most 50 units");
    assert_eq!(errors[1]["message"], "cannot assign a suggestion that is submitted");
    for id in &ids {
        assert_eq!(
            app.get(&format!("/api/v1/suggestions/{id}"), &staff.token).await.ok()["state"],
            "registered",
            "nothing was assigned"
        );
    }
    let handler = app.account("unit_handler", json!({"unit_id": u1})).await;
    let items: Vec<Value> = ids.iter().map(|id| item(*id)).collect();
    app.post(&format!("/api/v1/sessions/{session}/assignments"), &handler.token, json!({"items": items.clone()}))
        .await
        .problem(403, "forbidden");
    let r = app.post(&format!("/api/v1/sessions/{session}/assignments"), &staff.token, json!({"items": items})).await;
    assert_eq!(r.ok()["assigned"], 5);
    assert_eq!(r.body["assignments"], 10);
    for id in &ids {
        let s = app.get(&format!("/api/v1/suggestions/{id}"), &staff.token).await;
        assert_eq!(s.ok()["state"], "assigned");
        assert_eq!(s.body["assignments"].as_array().unwrap().len(), 2);
    }
    let ledger = app.get(&format!("/api/v1/units/{u1}/assignments"), &handler.token).await;
    assert_eq!(ledger.ok()["items"].as_array().unwrap().len(), 5);
    let events = app.get(&format!("/api/v1/suggestions/{}/events", ids[0]), &staff.token).await;
    let assigned = events.ok().as_array().unwrap().last().unwrap().clone();
    assert_eq!(assigned["action"], "assign");
    assert_eq!(
        (assigned["before_state"].as_str(), assigned["after_state"].as_str()),
        (Some("registered"), Some("assigned"))
    );
    assert_eq!(assigned["details"]["assignment_meeting"], session);
    assert_eq!(
        assigned["details"]["units"],
        json!([{"unit_id": u1, "role": "lead"}, {"unit_id": u2, "role": "assist"}])
    );
    let view = app.get(&format!("/api/v1/suggestions/{}", ids[0]), &staff.token).await;
    assert!(view.ok()["reply_due_on"].is_string());
    assert_eq!(assigned["details"]["reply_due_on"], view.body["reply_due_on"]);
}

async fn withdrawal_ends_assignments_and_bookings(app: &TestApp) {
    let c = case(app).await;
    c.in_handling(app).await;
    let slot = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let r =
        app.post(&c.at("/consultations"), &c.handler.token, json!({"form": "meeting", "proposed_slots": [slot]})).await;
    let cid = r.body["id"].as_i64().unwrap();
    let r = app.post(&c.at("/withdraw"), &c.deputy.token, json!({"reason": "问题已解决"})).await;
    assert_eq!(r.ok()["state"], "withdrawn");
    let a = app.get(&c.at("/assignments"), &c.staff.token).await;
    assert!(a.ok().as_array().unwrap().iter().all(|x| x["state"] == "cancelled"));
    let b = app.get(&c.at(&format!("/consultations/{cid}")), &c.staff.token).await;
    assert_eq!(b.ok()["state"], "cancelled");
    // The units no longer hold it.
    app.get(&c.at(""), &c.handler.token).await.problem(404, "not_found");
}

async fn key_suggestions_carry_their_checklist(app: &TestApp) {
    let c = case(app).await;
    let council = app.account("council", json!({})).await;
    app.get(&c.at("/checklist"), &c.staff.token).await.problem(422, "not_key");
    app.post(&c.at("/key"), &council.token, json!({"leader": " "})).await.invalid("leader");
    let committee_id = app.committee().await;
    let r = app
        .post(
            &c.at("/key"),
            &council.token,
            json!({"leader": "市政府分管副市长", "committee_id": committee_id, "note": "主任会议确定"}),
        )
        .await;
    assert_eq!(r.ok()["key"], true);
    assert_eq!(r.body["key_supervision"]["leader"], "市政府分管副市长");
    assert_eq!(r.body["key_supervision"]["committee_id"], committee_id);
    let r = app.get("/api/v1/suggestions?key=true", &c.staff.token).await;
    assert_eq!(r.ok()["items"].as_array().unwrap().len(), 1);
    c.in_handling(app).await;
    let r = app
        .post(
            &c.at("/checklist"),
            &c.handler.token,
            json!({"item": "work_plan", "done_on": "2026-03-01", "document": "工作方案（昆建〔2026〕3号）"}),
        )
        .await;
    let list = r.ok().as_array().unwrap();
    assert_eq!(list.len(), 5);
    assert_eq!(list[0]["item"], "work_plan");
    assert_eq!(list[0]["done_on"], "2026-03-01");
    assert!(list[1]["done_on"].is_null());
    app.post(
        &c.at("/checklist"),
        &c.assist.token,
        json!({"item": "joint_survey", "done_on": "2026-03-01", "document": "x"}),
    )
    .await
    .problem(403, "forbidden");
    app.post(
        &c.at("/checklist"),
        &c.handler.token,
        json!({"item": "final_report", "done_on": "2099-01-01", "document": "x"}),
    )
    .await
    .invalid("done_on");
}

async fn records_and_dates_must_be_believable(app: &TestApp) {
    let c = case(app).await;
    // A co-signer who declined does not rate the reply.
    let declined = app.post(&c.at("/cosign"), &c.co_signer.token, json!({"confirm": false})).await;
    assert_eq!(declined.problem(409, "invalid_transition")["state"], "registered", "answers close at registration");
    c.in_handling(app).await;
    // Dates outside 1900-9999, or before the unit's assignment, are refused, never a 500.
    let record = |held_at: &str| json!({"form": "phone", "held_at": held_at, "participants": "代表", "summary": "沟通", "deputy_opinion": "同意"});
    app.post(&c.at("/consultations"), &c.handler.token, record("-5000-01-01T00:00:00Z")).await.invalid("held_at");
    app.post(&c.at("/consultations"), &c.handler.token, record("2020-01-01T00:00:00Z")).await.invalid("held_at");
    let r = app
        .post(&c.at("/visits"), &c.staff.token, json!({"visited_at": "0100-01-01T00:00:00Z", "findings": "x"}))
        .await;
    r.invalid("visited_at");
    // A booking the deputy has not answered is not recorded as held.
    let slot = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let r =
        app.post(&c.at("/consultations"), &c.handler.token, json!({"form": "meeting", "proposed_slots": [slot]})).await;
    let cid = r.body["id"].as_i64().unwrap();
    let now = chrono::Utc::now().to_rfc3339();
    let held = json!({"held_at": now, "participants": "代表", "summary": "沟通", "deputy_opinion": "同意"});
    app.post(&c.at(&format!("/consultations/{cid}/record")), &c.handler.token, held.clone())
        .await
        .problem(409, "consultation_closed");
    // A padded letter is not one of substance.
    let mut padded = letter("A");
    padded["body"] = json!(format!("已收悉{}。", " ".repeat(150)));
    let r = app.post(&c.at("/replies"), &c.handler.token, padded).await;
    let rid = r.body["id"].as_i64().unwrap();
    c.consult(app).await;
    c.opinion(app).await;
    let r = app.act(&c.at(&format!("/replies/{rid}/sign")), &c.leader.token).await;
    let p = r.problem(422, "gate_reply_incomplete");
    assert!(p["missing"][0].as_str().unwrap().starts_with("body"), "{p}");
    // The signer is the leader's display name, not the login.
    app.patch(&c.at(&format!("/replies/{rid}")), &c.handler.token, letter("A")).await.ok();
    let r = app.act(&c.at(&format!("/replies/{rid}/sign")), &c.leader.token).await;
    assert_eq!(r.ok()["signer_name"], c.leader.username.as_str(), "test accounts' display name is their username");
    let r = app.post(&c.at("/feedback"), &c.co_signer.token, json!({"satisfaction": "satisfied"})).await;
    assert_eq!(r.status, 201, "a co-signer who confirmed (or never answered) rates it: {}", r.text);
}

async fn bookings_are_answered_by_the_lead_deputy_only(app: &TestApp) {
    let c = case(app).await;
    c.in_handling(app).await;
    let stranger_unit = app.unit().await;
    let stranger = app.account("unit_handler", json!({"unit_id": stranger_unit})).await;
    let (_, other_deputy) = app.deputy().await;
    let slot = (chrono::Utc::now() + chrono::Duration::days(4)).to_rfc3339();
    let booking = json!({"form": "video", "location": "线上", "proposed_slots": [slot]});
    // A unit that holds no part of it books nothing.
    app.post(&c.at("/consultations"), &stranger.token, booking.clone()).await.problem(404, "not_found");
    let r = app.post(&c.at("/consultations"), &c.handler.token, booking).await;
    r.created();
    let cid = r.body["id"].as_i64().unwrap();
    let confirm = c.at(&format!("/consultations/{cid}/confirm"));
    let decline = c.at(&format!("/consultations/{cid}/decline"));
    // The co-signer sees the booking but does not answer it; another deputy sees nothing; nor
    // does a unit answer for the deputy.
    let seen = app.get(&c.at("/consultations"), &c.co_signer.token).await;
    assert_eq!(seen.ok().as_array().unwrap().len(), 1);
    app.post(&confirm, &c.co_signer.token, json!({"slot": slot})).await.problem(403, "forbidden");
    app.act(&decline, &c.co_signer.token).await.problem(403, "forbidden");
    app.post(&confirm, &other_deputy.token, json!({"slot": slot})).await.problem(404, "not_found");
    app.act(&decline, &other_deputy.token).await.problem(404, "not_found");
    app.post(&confirm, &c.handler.token, json!({"slot": slot})).await.problem(403, "forbidden");
    // The assisting unit does not record the lead unit's consultation.
    let held = json!({"held_at": chrono::Utc::now().to_rfc3339(), "participants": "代表", "summary": "沟通", "deputy_opinion": "同意"});
    app.post(&c.at(&format!("/consultations/{cid}/record")), &c.assist.token, held).await.problem(404, "not_found");
    // The lead deputy declines; the booking is then closed to every answer.
    let r = app.act(&decline, &c.deputy.token).await;
    assert_eq!(r.ok()["state"], "declined");
    assert_eq!(
        app.post(&confirm, &c.deputy.token, json!({"slot": slot})).await.problem(409, "booking_closed")["code"],
        "booking_closed"
    );
    app.act(&decline, &c.deputy.token).await.problem(409, "booking_closed");
    let one = app.get(&c.at(&format!("/consultations/{cid}")), &c.deputy.token).await;
    assert_eq!(one.ok()["state"], "declined");
    // A declined booking is no consultation: the reply's gate still asks for one.
    c.opinion(app).await;
    let r = app.post(&c.at("/replies"), &c.handler.token, letter("A")).await;
    let rid = r.body["id"].as_i64().unwrap();
    app.act(&c.at(&format!("/replies/{rid}/sign")), &c.leader.token).await.problem(422, "gate_missing_consultation");
}

async fn units_act_on_their_own_part_only(app: &TestApp) {
    let c = case(app).await;
    let stranger_unit = app.unit().await;
    let stranger = app.account("unit_handler", json!({"unit_id": stranger_unit})).await;
    // Nothing proposed yet: there is nothing to make formal.
    app.act(&c.at("/assign"), &c.staff.token).await.problem(422, "no_proposed_lead");
    let units = json!({"units": [{"unit_id": c.lead_unit, "role": "lead"}, {"unit_id": c.assist_unit, "role": "assist"}], "proposed": true});
    app.post(&c.at("/assignments"), &c.staff.token, units).await.ok();
    let proposed_lead = c.assignment_of(app, c.lead_unit).await;
    // A unit objects to its own proposal only; units and deputies do not assign.
    let object = c.at(&format!("/assignments/{proposed_lead}/object"));
    app.post(&object, &stranger.token, json!({"reason": "x"})).await.problem(404, "not_found");
    app.post(&object, &c.assist.token, json!({"reason": "x"})).await.problem(404, "not_found");
    app.act(&c.at("/assign"), &c.handler.token).await.problem(403, "forbidden");
    app.act(&c.at("/assign"), &c.deputy.token).await.problem(403, "forbidden");
    app.act(&c.at("/assign"), &stranger.token).await.problem(404, "not_found");
    assert_eq!(c.state(app).await["state"], "registered");
    app.act(&c.at("/assign"), &c.staff.token).await.ok();
    // Assigned: not again, neither formally nor as a proposal.
    let again = json!({"units": [{"unit_id": stranger_unit, "role": "lead"}]});
    let r = app.post(&c.at("/assignments"), &c.staff.token, again.clone()).await;
    assert_eq!(r.problem(409, "invalid_transition")["state"], "assigned");
    app.act(&c.at("/assign"), &c.staff.token).await.problem(409, "invalid_transition");
    let lead = c.assignment_of(app, c.lead_unit).await;
    let assist = c.assignment_of(app, c.assist_unit).await;
    app.act(&c.at(&format!("/assignments/{lead}/acknowledge")), &c.handler.token).await.ok();
    app.act(&c.at(&format!("/assignments/{assist}/acknowledge")), &c.assist.token).await.ok();
    // Another unit's assignment is not yours to hand back.
    app.post(&c.at(&format!("/assignments/{lead}/reassignment-requests")), &c.assist.token, json!({"reason": "x"}))
        .await
        .problem(404, "not_found");
    app.post(&c.at(&format!("/assignments/{lead}/reassignment-requests")), &stranger.token, json!({"reason": "x"}))
        .await
        .problem(404, "not_found");
    // Waiving is the office's, for an assisting unit's opinion only.
    app.post(&c.at(&format!("/assignments/{lead}/waive-opinion")), &c.staff.token, json!({"reason": "x"}))
        .await
        .invalid("assignment_id");
    // One draft per unit and round: the second is refused; the other unit's draft is not yours.
    let r = app.post(&c.at("/replies"), &c.handler.token, letter("A")).await;
    r.created();
    let rid = r.body["id"].as_i64().unwrap();
    app.post(&c.at("/replies"), &c.handler.token, letter("A")).await.problem(409, "reply_draft_exists");
    app.patch(&c.at(&format!("/replies/{rid}")), &c.assist.token, json!({"body": "改"}))
        .await
        .problem(403, "forbidden");
    app.patch(&c.at(&format!("/replies/{rid}")), &stranger.token, json!({"body": "改"}))
        .await
        .problem(404, "not_found");
    app.get(&c.at(&format!("/replies/{rid}")), &c.assist.token).await.problem(404, "not_found");
    app.get(&c.at(&format!("/replies/{rid}")), &c.deputy.token).await.problem(404, "not_found");
    let mine = app.get(&c.at(&format!("/replies/{rid}")), &c.handler.token).await;
    assert_eq!(mine.ok()["state"], "draft");
    // The unit's ledger filters by state.
    let path = format!("/api/v1/units/{}/assignments", c.lead_unit);
    let acknowledged = app.get(&format!("{path}?state=acknowledged"), &c.handler.token).await;
    let items = acknowledged.ok()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], lead);
    let waiting = app.get(&format!("{path}?state=assigned"), &c.handler.token).await;
    assert_eq!(waiting.ok()["items"], json!([]));
    app.get(&format!("{path}?state=lost"), &c.handler.token).await.invalid("state");
}

async fn actions_out_of_their_state_are_refused(app: &TestApp) {
    let c = case(app).await;
    let supervisor = app.account("supervisor", json!({})).await;
    // Not yet in handling: nothing of the handling is done.
    app.post(&c.at("/continuation-reports"), &c.handler.token, json!({"progress": "x"}))
        .await
        .problem(404, "not_found");
    app.post(&c.at("/rehandle"), &c.staff.token, json!({"reason": "x"})).await.problem(409, "invalid_transition");
    app.post(&c.at("/complete"), &c.staff.token, json!({"result_class": "A"})).await.problem(409, "invalid_transition");
    c.in_handling(app).await;
    c.consult(app).await;
    c.opinion(app).await;
    let r = app.post(&c.at("/rehandle"), &c.staff.token, json!({"reason": "x"})).await;
    assert_eq!(r.problem(409, "invalid_transition")["state"], "handling");
    app.post(&c.at("/continuation-reports"), &c.handler.token, json!({"progress": "x"}))
        .await
        .problem(409, "invalid_transition");
    app.post(&c.at("/reviews"), &c.committee.token, json!({"stage": "initial", "decision": "approve"}))
        .await
        .problem(409, "invalid_transition");
    // The unit says A; the committee finds the measures only planned: B. Both are kept.
    c.reply(app, "A").await;
    app.post(&c.at("/complete"), &c.staff.token, json!({"result_class": "A"})).await.problem(409, "invalid_transition");
    app.post(&c.at("/replies"), &c.handler.token, letter("A")).await.problem(409, "invalid_transition");
    let r = app
        .post(
            &c.at("/reviews"),
            &c.committee.token,
            json!({"stage": "initial", "decision": "approve", "result_class": "B"}),
        )
        .await;
    r.created();
    assert_eq!((r.body["result_class"].as_str(), r.body["unit_result_class"].as_str()), (Some("B"), Some("A")));
    let initial = r.body["id"].as_i64().unwrap();
    // The lead deputy has not answered and the window is open: the final review waits; once
    // the window has passed, it goes on without the answer.
    app.post(&c.at("/reviews"), &c.staff.token, json!({"stage": "final", "decision": "approve"}))
        .await
        .problem(422, "feedback_pending");
    app.sql(format!("UPDATE suggestions SET replied_at = '2020-01-06 09:00:00' WHERE id = {}", c.id)).await;
    let r = app.post(&c.at("/reviews"), &c.staff.token, json!({"stage": "final", "decision": "approve"})).await;
    r.created();
    assert_eq!((r.body["result_class"].as_str(), r.body["unit_result_class"].as_str()), (Some("B"), Some("A")));
    let last = r.body["id"].as_i64().unwrap();
    let s = c.state(app).await;
    assert_eq!((s["state"].as_str(), s["result_class"].as_str()), (Some("continuing"), Some("B")));
    let reviews = app.get(&c.at("/reviews"), &c.deputy.token).await;
    let stages: Vec<&str> = reviews.ok().as_array().unwrap().iter().map(|r| r["stage"].as_str().unwrap()).collect();
    assert_eq!(stages, ["initial", "final"]);
    // Only a supervisor endorses, and only an approving final review.
    let endorse = |review: i64| c.at(&format!("/reviews/{review}/endorsement"));
    app.post(&endorse(last), &c.staff.token, json!({"endorsement": "同意"})).await.problem(403, "forbidden");
    app.post(&endorse(initial), &supervisor.token, json!({"endorsement": "同意"}))
        .await
        .problem(409, "not_final_review");
    // Continuation: the lead unit's, not the assisting unit's.
    app.post(&c.at("/continuation-reports"), &c.assist.token, json!({"progress": "x"})).await.problem(403, "forbidden");
    let events = app.get(&c.at("/events"), &c.staff.token).await;
    let final_review = events.ok().as_array().unwrap().iter().find(|e| e["action"] == "review_final").unwrap().clone();
    assert_eq!(final_review["details"]["result_class"], "B");
}

async fn late_steps_are_recorded_as_late(app: &TestApp) {
    let c = case(app).await;
    app.post(&c.at("/assignments"), &c.staff.token, json!({"units": [{"unit_id": c.lead_unit, "role": "lead"}]}))
        .await
        .ok();
    let a = c.assignment_of(app, c.lead_unit).await;
    app.sql(format!("UPDATE assignments SET acknowledge_due_on = '2020-01-06' WHERE id = {a}")).await;
    let r = app.act(&c.at(&format!("/assignments/{a}/acknowledge")), &c.handler.token).await;
    assert_eq!(r.ok()["state"], "acknowledged");
    let events = app.get(&c.at("/events"), &c.staff.token).await;
    let ack = events.ok().as_array().unwrap().iter().find(|e| e["action"] == "acknowledge").unwrap().clone();
    assert_eq!(ack["on_time"], false);
    assert_eq!(ack["due_on"], "2020-01-06");
    // The reply is late too when its due date has passed.
    app.sql(format!("UPDATE suggestions SET reply_due_on = '2020-01-06' WHERE id = {}", c.id)).await;
    app.sql(format!("UPDATE assignments SET reply_due_on = '2020-01-06' WHERE id = {a}")).await;
    c.consult(app).await;
    let reply = c.reply(app, "A").await;
    assert_eq!(reply["on_time"], false, "{reply}");
}

async fn what_each_party_reads(app: &TestApp) {
    let c = case(app).await;
    let supervisor = app.account("supervisor", json!({})).await;
    let outside_committee =
        app.account("committee", json!({"committee_id": app.committee_covering("监察司法").await})).await;
    c.in_handling(app).await;
    // Every link of the suggestion answers (the checklist: only a key suggestion has one).
    let s = c.state(app).await;
    let links = s["links"].as_object().unwrap();
    assert_eq!(links.len(), 10);
    for (name, path) in links {
        let path = path.as_str().unwrap();
        assert!(path.starts_with(&c.at("/")), "{name}: {path}");
        let r = app.get(path, &c.staff.token).await;
        if name == "checklist" {
            r.problem(422, "not_key");
        } else {
            assert_eq!(r.status, 200, "{name}: {}", r.text);
        }
    }
    c.consult(app).await;
    c.opinion(app).await;
    // The lead unit reads the assisting unit's opinion.
    let opinions = app.get(&c.at("/assist-opinions"), &c.handler.token).await;
    let opinions = opinions.ok().as_array().unwrap().clone();
    assert_eq!(opinions.len(), 1);
    assert_eq!(opinions[0]["signer"], "张华");
    assert_eq!(opinions[0]["unit_id"], c.assist_unit);
    let consultations = app.get(&c.at("/consultations"), &c.deputy.token).await;
    let consultations = consultations.ok().as_array().unwrap().clone();
    assert_eq!(consultations.len(), 1);
    assert_eq!(consultations[0]["state"], "held");
    let reply = c.reply(app, "A").await;
    let one = app.get(&c.at(&format!("/replies/{}", reply["id"])), &c.co_signer.token).await;
    assert_eq!(one.ok()["doc_number"], "昆建复〔2026〕15号");
    // A co-signer's dissatisfaction reaches the office; the lead deputy's answer is marked.
    app.post(&c.at("/feedback"), &c.co_signer.token, json!({"satisfaction": "dissatisfied", "comment": "不具体"}))
        .await;
    app.post(&c.at("/feedback"), &c.deputy.token, json!({"satisfaction": "satisfied"})).await;
    let feedback = app.get(&c.at("/feedback"), &c.staff.token).await;
    let feedback = feedback.ok().as_array().unwrap().clone();
    assert_eq!(feedback.len(), 2);
    let co = feedback.iter().find(|f| f["lead_deputy"] == false).unwrap();
    assert_eq!((co["satisfaction"].as_str(), co["comment"].as_str()), (Some("dissatisfied"), Some("不具体")));
    assert!(feedback.iter().any(|f| f["lead_deputy"] == true && f["satisfaction"] == "satisfied"));
    assert_eq!(c.state(app).await["state"], "replied");
    // Visits: a committee covering the field, not another.
    let visit = json!({"visited_at": chrono::Utc::now().to_rfc3339(), "findings": "现场已开工"});
    app.post(&c.at("/visits"), &outside_committee.token, visit.clone()).await.problem(403, "forbidden");
    let r = app.post(&c.at("/visits"), &c.committee.token, visit.clone()).await;
    r.created();
    let r = app.post(&c.at("/visits"), &supervisor.token, visit).await;
    r.created();
    let visits = app.get(&c.at("/visits"), &c.staff.token).await;
    assert_eq!(visits.ok().as_array().unwrap().len(), 2);
}

async fn separately_handled_parts_give_one_class(app: &TestApp) {
    let c = case(app).await;
    let (handler2, leader2) = c.with_two_leads(app).await;
    // The first part is solved; the second is only planned.
    c.reply(app, "A").await;
    let r = app.post(&c.at("/replies"), &handler2.token, letter("B")).await;
    let rid = r.body["id"].as_i64().unwrap();
    app.act(&c.at(&format!("/replies/{rid}/sign")), &leader2.token).await.ok();
    let r = app.post(&c.at("/feedback"), &c.deputy.token, json!({"satisfaction": "satisfied"})).await;
    r.created();
    let r = app.post(&c.at("/reviews"), &c.committee.token, json!({"stage": "initial", "decision": "approve"})).await;
    r.created();
    assert_eq!(r.body["unit_result_class"], "B", "promised work is followed up: {}", r.text);
    let r = app.post(&c.at("/reviews"), &c.staff.token, json!({"stage": "final", "decision": "approve"})).await;
    assert_eq!((r.status.as_u16(), r.body["result_class"].as_str()), (201, Some("B")), "{}", r.text);
    assert_eq!(c.state(app).await["state"], "continuing");
}
