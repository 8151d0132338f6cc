//! Reference data the administrator keeps (sessions and categories, units, deputies, committees),
//! what others may do with it, and how its lists page, through the HTTP API, on both databases.

mod common;

use common::{Account, TestApp, PASSWORD};
use serde_json::{json, Value};

on_both_databases!(
    every_write_leaves_its_audit_row,
    a_session_starts_with_the_seven_categories,
    units_are_created_found_and_changed,
    deputies_phones_are_whole_only_for_admin_and_staff,
    committees_cover_categories,
    only_the_administrator_writes_everyone_reads,
    lists_paginate,
);

const DEFAULT_CATEGORIES: [&str; 7] =
    ["经济建设", "城建交通", "监察司法", "社会事业", "教科文卫", "农林水、生态环保", "党群综合及其他"];

fn ids(items: &Value) -> Vec<i64> {
    items.as_array().map_or(vec![], |a| a.iter().filter_map(|i| i["id"].as_i64()).collect())
}

fn names(items: &Value) -> Vec<String> {
    items.as_array().map_or(vec![], |a| a.iter().filter_map(|i| i["name"].as_str().map(str::to_owned)).collect())
}

fn sorted(v: &Value) -> Vec<String> {
    let mut out: Vec<String> =
        v.as_array().map_or(vec![], |a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect());
    out.sort();
    out
}

async fn a_session_starts_with_the_seven_categories(app: &TestApp) {
    let session = |term: i32, n: i32, name: &str, start: &str, end: &str| json!({"term": term, "session": n, "name": name, "meeting_start": start, "meeting_end": end});
    let r = app
        .post(
            "/api/v1/sessions",
            &app.admin,
            session(14, 6, "昆明市第十四届人民代表大会第六次会议", "2026-01-06", "2026-01-09"),
        )
        .await;
    r.created();
    let id = r.body["id"].as_i64().expect("session id");
    assert_eq!(r.body["term"], 14);
    assert_eq!(r.body["session"], 6);
    assert_eq!(r.body["name"], "昆明市第十四届人民代表大会第六次会议");
    assert_eq!(r.body["meeting_start"], "2026-01-06");
    assert_eq!(r.body["meeting_end"], "2026-01-09");
    assert_eq!(r.body["registered_count"], 0);

    let cats = app.get(&format!("/api/v1/sessions/{id}/categories"), &app.admin).await;
    assert_eq!(names(cats.ok()), DEFAULT_CATEGORIES);
    let positions: Vec<i64> =
        cats.body.as_array().expect("categories").iter().filter_map(|c| c["position"].as_i64()).collect();
    assert_eq!(positions, (1..=7).collect::<Vec<i64>>());
    assert!(cats.body.as_array().expect("categories").iter().all(|c| c["session_id"] == id), "{}", cats.text);

    // The administrator adds an eighth; it comes last.
    let r = app.post(&format!("/api/v1/sessions/{id}/categories"), &app.admin, json!({"name": "民族宗教"})).await;
    r.created();
    assert_eq!(r.body["name"], "民族宗教");
    assert_eq!(r.body["position"], 8);
    let cats = app.get(&format!("/api/v1/sessions/{id}/categories"), &app.admin).await;
    let mut expected: Vec<&str> = DEFAULT_CATEGORIES.to_vec();
    expected.push("民族宗教");
    assert_eq!(names(cats.ok()), expected);
    // A name is used once in a session.
    app.post(&format!("/api/v1/sessions/{id}/categories"), &app.admin, json!({"name": "民族宗教"}))
        .await
        .problem(409, "already_exists");
    app.post(&format!("/api/v1/sessions/{id}/categories"), &app.admin, json!({"name": "经济建设"}))
        .await
        .problem(409, "already_exists");
    app.post(&format!("/api/v1/sessions/{id}/categories"), &app.admin, json!({"name": "  "})).await.invalid("name");
    app.post("/api/v1/sessions/999999/categories", &app.admin, json!({"name": "民族宗教"}))
        .await
        .problem(404, "not_found");
    app.get("/api/v1/sessions/999999/categories", &app.admin).await.problem(404, "not_found");

    // Dates, numbers and uniqueness.
    let r = app.post("/api/v1/sessions", &app.admin, session(14, 7, "第七次会议", "2027-01-09", "2027-01-06")).await;
    r.invalid("meeting_end");
    let r = app.post("/api/v1/sessions", &app.admin, session(14, 7, "第七次会议", "2027-01-06", "2027-01-06")).await;
    assert_eq!(r.status, 201, "a one-day meeting is fine: {}", r.text);
    let r = app.post("/api/v1/sessions", &app.admin, session(14, 6, "另一个名字", "2026-01-06", "2026-01-09")).await;
    r.problem(409, "already_exists");
    let r = app
        .post(
            "/api/v1/sessions",
            &app.admin,
            session(14, 8, "昆明市第十四届人民代表大会第六次会议", "2028-01-06", "2028-01-09"),
        )
        .await;
    r.problem(409, "already_exists");
    app.post("/api/v1/sessions", &app.admin, session(0, 8, "第零届", "2028-01-06", "2028-01-09")).await.invalid("term");
    app.post("/api/v1/sessions", &app.admin, session(14, 0, "第零次", "2028-01-06", "2028-01-09"))
        .await
        .invalid("session");
    app.post("/api/v1/sessions", &app.admin, session(14, 8, "第八次会议", "2028-13-01", "2028-01-09"))
        .await
        .invalid("meeting_start");
    app.post("/api/v1/sessions", &app.admin, session(14, 8, "第八次会议", "next monday", "2028-01-09"))
        .await
        .invalid("meeting_start");
    app.post("/api/v1/sessions", &app.admin, session(14, 8, "   ", "2028-01-06", "2028-01-09")).await.invalid("name");

    // Only the two good sessions exist.
    let list = app.get("/api/v1/sessions", &app.admin).await;
    assert_eq!(names(&list.ok()["items"]), ["昆明市第十四届人民代表大会第六次会议", "第七次会议"]);
}

async fn units_are_created_found_and_changed(app: &TestApp) {
    let r = app
        .post("/api/v1/units", &app.admin, json!({"name": "市教育体育局", "kind": "government", "contact_name": "办公室", "contact_phone": "0871-6310 0000"}))
        .await;
    r.created();
    let education = r.body["id"].as_i64().expect("unit id");
    assert_eq!(r.body["name"], "市教育体育局");
    assert_eq!(r.body["kind"], "government");
    assert_eq!(r.body["contact_name"], "办公室");
    assert_eq!(r.body["contact_phone"], "087163100000", "spaces and dashes are dropped");
    let got = app.get(&format!("/api/v1/units/{education}"), &app.admin).await;
    assert_eq!(got.ok(), &r.body);

    let r = app.post("/api/v1/units", &app.admin, json!({"name": "市中级人民法院", "kind": "court"})).await;
    r.created();
    let court = r.body["id"].as_i64().expect("unit id");
    assert!(r.body["contact_name"].is_null() && r.body["contact_phone"].is_null(), "{}", r.text);
    let r = app.post("/api/v1/units", &app.admin, json!({"name": "市住房和城乡建设局"})).await;
    assert_eq!(r.ok()["kind"], "government", "government is the default kind");
    let housing = r.body["id"].as_i64().expect("unit id");

    let list =
        |q: &'static str| async move { ids(&app.get(&format!("/api/v1/units{q}"), &app.admin).await.ok()["items"]) };
    assert_eq!(list("").await, [education, court, housing]);
    assert_eq!(list("?kind=court").await, [court]);
    assert_eq!(list("?kind=government").await, [education, housing]);
    assert_eq!(list("?kind=party").await, Vec::<i64>::new());
    app.get("/api/v1/units?kind=ministry", &app.admin).await.invalid("kind");

    // A change touches only what it names; null clears.
    let r = app.patch(&format!("/api/v1/units/{education}"), &app.admin, json!({"name": "市教育局"})).await;
    assert_eq!(r.ok()["name"], "市教育局");
    assert_eq!(r.body["contact_name"], "办公室");
    assert_eq!(r.body["contact_phone"], "087163100000");
    assert_eq!(r.body["kind"], "government");
    let r = app.patch(&format!("/api/v1/units/{education}"), &app.admin, json!({"contact_phone": null})).await;
    assert!(r.ok()["contact_phone"].is_null(), "{}", r.text);
    assert_eq!(r.body["contact_name"], "办公室");
    assert_eq!(r.body["name"], "市教育局");
    let got = app.get(&format!("/api/v1/units/{education}"), &app.admin).await;
    assert!(got.ok()["contact_phone"].is_null(), "{}", got.text);
    let r = app.patch(&format!("/api/v1/units/{court}"), &app.admin, json!({"kind": "procuratorate"})).await;
    assert_eq!(r.ok()["kind"], "procuratorate");

    // Names are unique, on creation and on change.
    app.post("/api/v1/units", &app.admin, json!({"name": "市教育局"})).await.problem(409, "already_exists");
    app.patch(&format!("/api/v1/units/{housing}"), &app.admin, json!({"name": "市教育局"}))
        .await
        .problem(409, "already_exists");
    assert_eq!(app.get(&format!("/api/v1/units/{housing}"), &app.admin).await.ok()["name"], "市住房和城乡建设局");

    // Kinds and phones are checked.
    app.post("/api/v1/units", &app.admin, json!({"name": "市某局", "kind": "ministry"})).await.invalid("kind");
    app.patch(&format!("/api/v1/units/{court}"), &app.admin, json!({"kind": "ministry"})).await.invalid("kind");
    app.post("/api/v1/units", &app.admin, json!({"name": "市某局", "contact_phone": "call the office"}))
        .await
        .invalid("contact_phone");
    app.patch(&format!("/api/v1/units/{court}"), &app.admin, json!({"contact_phone": "12"}))
        .await
        .invalid("contact_phone");
    app.post("/api/v1/units", &app.admin, json!({"name": " "})).await.invalid("name");
    app.patch("/api/v1/units/999999", &app.admin, json!({"name": "无此单位"})).await.problem(404, "not_found");
    assert_eq!(list("").await, [education, court, housing], "nothing refused was created");
}

async fn deputies_phones_are_whole_only_for_admin_and_staff(app: &TestApp) {
    let staff = app.staff().await;
    let (_, deputy) = app.deputy().await;
    let unit = app.unit().await;
    let handler = app.account("unit_handler", json!({"unit_id": unit})).await;
    let auditor = app.account("auditor", json!({})).await;

    let r = app
        .post(
            "/api/v1/deputies",
            &app.admin,
            json!({"name": "李四", "delegation": "盘龙区代表团", "phone": "138-1234-5678"}),
        )
        .await;
    r.created();
    let id = r.body["id"].as_i64().expect("deputy id");
    assert_eq!(r.body["phone"], "13812345678");
    assert_eq!(r.body["delegation"], "盘龙区代表团");

    let phone_seen = |token: String| async move {
        let one = app.get(&format!("/api/v1/deputies/{id}"), &token).await;
        let list = app.get("/api/v1/deputies?delegation=盘龙区代表团", &token).await;
        let items = list.ok()["items"].as_array().expect("items").clone();
        assert_eq!(ids(&Value::Array(items.clone())), [id], "{}", list.text);
        (one.ok()["phone"].clone(), items[0]["phone"].clone())
    };
    for (who, token) in [("admin", app.admin.clone()), ("staff", staff.token.clone())] {
        assert_eq!(phone_seen(token).await, (json!("13812345678"), json!("13812345678")), "{who}");
    }
    for (who, account) in [("deputy", &deputy), ("unit_handler", &handler), ("auditor", &auditor)] {
        assert_eq!(phone_seen(account.token.clone()).await, (json!("138****5678"), json!("138****5678")), "{who}");
    }

    // Changes.
    let r = app.patch(&format!("/api/v1/deputies/{id}"), &app.admin, json!({"phone": "139 8765 4321"})).await;
    assert_eq!(r.ok()["phone"], "13987654321");
    assert_eq!(r.body["name"], "李四");
    assert_eq!(app.get(&format!("/api/v1/deputies/{id}"), &deputy.token).await.ok()["phone"], "139****4321");
    let r = app.patch(&format!("/api/v1/deputies/{id}"), &app.admin, json!({"name": "李四华"})).await;
    assert_eq!(r.ok()["name"], "李四华");
    assert_eq!(r.body["phone"], "13987654321");
    let r = app.patch(&format!("/api/v1/deputies/{id}"), &app.admin, json!({"phone": null})).await;
    assert!(r.ok()["phone"].is_null(), "{}", r.text);
    app.patch(&format!("/api/v1/deputies/{id}"), &app.admin, json!({"phone": "not a phone"})).await.invalid("phone");
    app.post("/api/v1/deputies", &app.admin, json!({"name": "王五", "delegation": "盘龙区代表团", "phone": "abc"}))
        .await
        .invalid("phone");
    app.post("/api/v1/deputies", &app.admin, json!({"name": "王五"})).await.invalid("delegation");

    // A delegation has one deputy of a name; another delegation may have the same name.
    let r = app.post("/api/v1/deputies", &app.admin, json!({"name": "李四华", "delegation": "盘龙区代表团"})).await;
    r.problem(409, "already_exists");
    let r = app.post("/api/v1/deputies", &app.admin, json!({"name": "李四华", "delegation": "官渡区代表团"})).await;
    r.created();
    let namesake = r.body["id"].as_i64().expect("deputy id");
    let r = app.patch(&format!("/api/v1/deputies/{namesake}"), &app.admin, json!({"delegation": "盘龙区代表团"})).await;
    r.problem(409, "already_exists");
    assert_eq!(app.get(&format!("/api/v1/deputies/{namesake}"), &app.admin).await.ok()["delegation"], "官渡区代表团");
}

async fn committees_cover_categories(app: &TestApp) {
    let r = app
        .post(
            "/api/v1/committees",
            &app.admin,
            json!({"name": "市人大教育科学文化卫生委员会", "categories": ["教科文卫", "社会事业", "教科文卫"]}),
        )
        .await;
    r.created();
    let id = r.body["id"].as_i64().expect("committee id");
    assert_eq!(r.body["name"], "市人大教育科学文化卫生委员会");
    assert_eq!(sorted(&r.body["categories"]), ["教科文卫", "社会事业"], "duplicates are dropped");
    assert_eq!(app.get(&format!("/api/v1/committees/{id}"), &app.admin).await.ok(), &r.body);

    // A change of categories replaces the list; a change of name keeps it.
    let r = app.patch(&format!("/api/v1/committees/{id}"), &app.admin, json!({"categories": ["城建交通"]})).await;
    assert_eq!(r.ok()["categories"], json!(["城建交通"]));
    assert_eq!(r.body["name"], "市人大教育科学文化卫生委员会");
    let r = app.patch(&format!("/api/v1/committees/{id}"), &app.admin, json!({"name": "市人大城建环资委员会"})).await;
    assert_eq!(r.ok()["name"], "市人大城建环资委员会");
    assert_eq!(r.body["categories"], json!(["城建交通"]));
    let r = app.patch(&format!("/api/v1/committees/{id}"), &app.admin, json!({"categories": []})).await;
    assert_eq!(r.ok()["categories"], json!([]));

    let r = app.post("/api/v1/committees", &app.admin, json!({"name": "市人大法制委员会"})).await;
    r.created();
    assert_eq!(r.body["categories"], json!([]));
    let other = r.body["id"].as_i64().expect("committee id");

    // Names are unique.
    app.post("/api/v1/committees", &app.admin, json!({"name": "市人大法制委员会", "categories": []}))
        .await
        .problem(409, "already_exists");
    app.patch(&format!("/api/v1/committees/{id}"), &app.admin, json!({"name": "市人大法制委员会"}))
        .await
        .problem(409, "already_exists");
    assert_eq!(app.get(&format!("/api/v1/committees/{id}"), &app.admin).await.ok()["name"], "市人大城建环资委员会");
    app.post("/api/v1/committees", &app.admin, json!({"name": "市人大某委员会", "categories": [" "]}))
        .await
        .invalid("categories[0]");
    app.patch("/api/v1/committees/999999", &app.admin, json!({"name": "无此委员会"})).await.problem(404, "not_found");

    let list = app.get("/api/v1/committees", &app.admin).await;
    assert_eq!(ids(&list.ok()["items"]), [id, other]);
}

async fn only_the_administrator_writes_everyone_reads(app: &TestApp) {
    let (session, _) = app.session().await;
    let unit = app.unit().await;
    let deputy_id = app.deputy_record().await;
    let committee = app.committee().await;
    let staff = app.staff().await;
    let (_, deputy) = app.deputy().await;
    let handler = app.account("unit_handler", json!({"unit_id": unit})).await;
    let before: Vec<Value> = {
        let mut v = vec![];
        for path in [
            format!("/api/v1/units/{unit}"),
            format!("/api/v1/deputies/{deputy_id}"),
            format!("/api/v1/committees/{committee}"),
        ] {
            v.push(app.get(&path, &app.admin).await.ok().clone());
        }
        v
    };

    let leader = app.account("unit_leader", json!({"unit_id": unit})).await;
    let member = app.account("committee", json!({"committee_id": committee})).await;
    let (supervisor, council, auditor) = (
        app.account("supervisor", json!({})).await,
        app.account("council", json!({})).await,
        app.account("auditor", json!({})).await,
    );
    let who: [(&str, &Account); 8] = [
        ("staff", &staff),
        ("deputy", &deputy),
        ("unit_handler", &handler),
        ("unit_leader", &leader),
        ("committee", &member),
        ("supervisor", &supervisor),
        ("council", &council),
        ("auditor", &auditor),
    ];
    for (role, account) in who {
        let t = account.token.as_str();
        let writes = [
            ("POST /sessions", app.post("/api/v1/sessions", t, json!({"term": 15, "session": 1, "name": "第十五届第一次会议", "meeting_start": "2027-01-06", "meeting_end": "2027-01-09"})).await),
            ("POST /sessions/{id}/categories", app.post(&format!("/api/v1/sessions/{session}/categories"), t, json!({"name": "民族宗教"})).await),
            ("POST /units", app.post("/api/v1/units", t, json!({"name": "市某局"})).await),
            ("PATCH /units/{id}", app.patch(&format!("/api/v1/units/{unit}"), t, json!({"name": "改名局"})).await),
            ("POST /deputies", app.post("/api/v1/deputies", t, json!({"name": "赵六", "delegation": "西山区代表团"})).await),
            ("PATCH /deputies/{id}", app.patch(&format!("/api/v1/deputies/{deputy_id}"), t, json!({"name": "改名"})).await),
            ("POST /committees", app.post("/api/v1/committees", t, json!({"name": "某委员会"})).await),
            ("PATCH /committees/{id}", app.patch(&format!("/api/v1/committees/{committee}"), t, json!({"categories": []})).await),
        ];
        for (what, r) in writes {
            assert_eq!(r.status, 403, "{role} {what}: {}", r.text);
            r.problem(403, "forbidden");
        }
        let reads = [
            "/api/v1/sessions".to_owned(),
            format!("/api/v1/sessions/{session}"),
            format!("/api/v1/sessions/{session}/categories"),
            "/api/v1/units".to_owned(),
            format!("/api/v1/units/{unit}"),
            "/api/v1/deputies".to_owned(),
            format!("/api/v1/deputies/{deputy_id}"),
            "/api/v1/committees".to_owned(),
            format!("/api/v1/committees/{committee}"),
        ];
        for path in &reads {
            let r = app.get(path, t).await;
            assert_eq!(r.status, 200, "{role} GET {path}: {}", r.text);
        }
    }
    // Without a token nothing is read.
    let r = app.request(reqwest::Method::GET, "/api/v1/units", None, None).await;
    r.problem(401, "unauthorized");

    // Nothing changed.
    let after: Vec<Value> = {
        let mut v = vec![];
        for path in [
            format!("/api/v1/units/{unit}"),
            format!("/api/v1/deputies/{deputy_id}"),
            format!("/api/v1/committees/{committee}"),
        ] {
            v.push(app.get(&path, &app.admin).await.ok().clone());
        }
        v
    };
    assert_eq!(before, after);
    assert_eq!(ids(&app.get("/api/v1/sessions", &app.admin).await.ok()["items"]), [session]);
    assert_eq!(
        app.get(&format!("/api/v1/sessions/{session}/categories"), &app.admin).await.ok().as_array().map(Vec::len),
        Some(7)
    );
    assert_eq!(ids(&app.get("/api/v1/units", &app.admin).await.ok()["items"]), [unit]);
    assert_eq!(ids(&app.get("/api/v1/committees", &app.admin).await.ok()["items"]), [committee]);
}

async fn lists_paginate(app: &TestApp) {
    let mut created = vec![];
    for _ in 0..5 {
        created.push(app.unit().await);
    }
    let mut pages: Vec<Vec<i64>> = vec![];
    let mut cursor: Option<String> = None;
    for _ in 0..10 {
        let path = match &cursor {
            Some(c) => format!("/api/v1/units?limit=2&cursor={c}"),
            None => "/api/v1/units?limit=2".to_owned(),
        };
        let r = app.get(&path, &app.admin).await;
        pages.push(ids(&r.ok()["items"]));
        match &r.body["next_cursor"] {
            Value::String(c) => cursor = Some(c.clone()),
            Value::Null => break,
            other => panic!("next_cursor is a string or null, not {other}"),
        }
    }
    assert_eq!(pages, [created[0..2].to_vec(), created[2..4].to_vec(), created[4..5].to_vec()]);

    // A page that takes the rest exactly says there is no more.
    let r = app.get("/api/v1/units?limit=5", &app.admin).await;
    assert_eq!(ids(&r.ok()["items"]), created);
    assert!(r.body["next_cursor"].is_null(), "{}", r.text);
    let r = app.get("/api/v1/units?limit=4", &app.admin).await;
    assert_eq!(ids(&r.ok()["items"]), created[0..4]);
    let cursor = r.body["next_cursor"].as_str().expect("a cursor after 4 of 5");
    let r = app.get(&format!("/api/v1/units?limit=4&cursor={cursor}"), &app.admin).await;
    assert_eq!(ids(&r.ok()["items"]), created[4..5]);
    assert!(r.body["next_cursor"].is_null(), "{}", r.text);

    for bad in ["limit=0", "limit=501", "cursor=abc"] {
        let r = app.get(&format!("/api/v1/units?{bad}"), &app.admin).await;
        r.invalid(bad.split('=').next().unwrap_or(bad));
    }
}

async fn every_write_leaves_its_audit_row(app: &TestApp) {
    use reqwest::Method;
    let t = app.admin.as_str();
    let unit = app.traced(Method::POST, "/api/v1/units", t, json!({"name": "市审计局"}), "audit-1").await;
    let unit = unit.ok()["id"].as_i64().unwrap();
    app.traced(Method::PATCH, &format!("/api/v1/units/{unit}"), t, json!({"name": "昆明市审计局"}), "audit-2")
        .await
        .ok();
    let user = app
        .traced(
            Method::POST,
            "/api/v1/users",
            t,
            json!({"username": "auditor1", "password": PASSWORD, "role": "auditor", "display_name": "审计员"}),
            "audit-3",
        )
        .await;
    let user = user.ok()["id"].as_i64().unwrap();
    app.traced(Method::POST, &format!("/api/v1/users/{user}/deactivate"), t, json!({}), "audit-4").await.ok();
    // A refused write leaves nothing.
    let r = app.traced(Method::POST, "/api/v1/units", t, json!({"name": "昆明市审计局"}), "audit-5").await;
    assert_eq!(r.status, 409, "{}", r.text);
    let rows: Vec<_> = app
        .audit_log()
        .await
        .into_iter()
        .filter(|r| r.request_id.as_deref().is_some_and(|id| id.starts_with("audit-")))
        .collect();
    let seen: Vec<(&str, &str, i64, &str)> = rows
        .iter()
        .map(|r| (r.request_id.as_deref().unwrap(), r.action.as_str(), r.target_id, r.target_type.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("audit-1", "create", unit, "unit"),
            ("audit-2", "update", unit, "unit"),
            ("audit-3", "create", user, "user"),
            ("audit-4", "deactivate", user, "user")
        ]
    );
    assert!(rows.iter().all(|r| r.role == "admin" && r.actor_name == "admin"), "{rows:?}");

    // A suggestion's writes carry their states, from which the timeline reads.
    let (session, category) = app.session().await;
    let (deputy_id, _) = app.deputy().await;
    let staff = app.staff().await;
    let id = app.paper(&staff, deputy_id, session, category).await;
    app.traced(Method::POST, &format!("/api/v1/suggestions/{id}/register"), &staff.token, json!({}), "audit-6")
        .await
        .ok();
    let row = app.audit_log().await.into_iter().find(|r| r.request_id.as_deref() == Some("audit-6")).expect("the row");
    assert_eq!((row.action.as_str(), row.target_type.as_str(), row.target_id), ("register", "suggestion", id));
    assert_eq!((row.before_state.as_deref(), row.after_state.as_deref()), (Some("submitted"), Some("registered")));
    assert_eq!((row.role.as_str(), row.actor_name.as_str()), ("staff", staff.username.as_str()));
    let events = app.get(&format!("/api/v1/suggestions/{id}/events"), &staff.token).await;
    let last = events.ok().as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["request_id"], "audit-6");
    assert_eq!(last["action"], "register");
}
