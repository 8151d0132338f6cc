//! The demo congress (`jianyi demo`): loaded into a fresh database and read back through the API,
//! on both databases.

mod common;

use std::collections::BTreeMap;

use common::TestApp;
use jianyi::demo::{self, DemoError, Report};
use jianyi_domain::Role;

on_both_databases!(the_demo_congress_is_the_seed_year);

/// The seed year's counts per category (DOMAIN.md), in the categories' order.
const PER_CATEGORY: [(&str, usize); 7] = [
    ("经济建设", 28),
    ("城建交通", 85),
    ("监察司法", 12),
    ("社会事业", 22),
    ("教科文卫", 65),
    ("农林水、生态环保", 60),
    ("党群综合及其他", 19),
];

const TITLES: [&str; 4] = [
    "关于加快推进滇池保护治理和流域生态修复的建议",
    "关于推动昆明区域性国际中心城市建设的建议",
    "关于优化营商环境促进民营经济高质量发展的建议",
    "关于加快推进城市更新和城中村改造的建议",
];

/// Runs the demo loader on the app's own database, off the async workers.
async fn load(app: &TestApp) -> Result<Report, DemoError> {
    let url = app.database_url.clone();
    tokio::task::spawn_blocking(move || {
        let pool = jianyi_store::connect(&url, jianyi_store::SqliteSync::Normal, 2).expect("the test database opens");
        let mut conn = pool.get().expect("a connection to the test database");
        demo::load(&mut conn)
    })
    .await
    .expect("the demo loader ran to the end")
}

async fn the_demo_congress_is_the_seed_year(app: &TestApp) {
    let report = load(app).await.unwrap_or_else(|e| panic!("the demo loads into a fresh database: {e}"));
    assert_eq!(report.suggestions, 291);

    let (_, staff_name, staff_password) =
        report.accounts.iter().find(|(role, ..)| *role == Role::Staff).expect("the report lists a staff account");
    let staff = app.login(staff_name, staff_password).await;

    let session = app.get(&format!("/api/v1/sessions/{}", report.session_id), &staff).await;
    assert_eq!(session.ok()["name"], demo::SESSION_NAME);
    assert_eq!(session.body["registered_count"], 291);

    let all = app.list_all(&format!("/api/v1/suggestions?session_id={}", report.session_id), &staff).await;
    assert_eq!(all.len(), 291);
    assert!(all.iter().all(|s| s["session_id"] == report.session_id));
    // The year ended as the seed's did: A 226, B 33, C 32; A and C completed, B continuing.
    let count =
        |class: &str, state: &str| all.iter().filter(|s| s["result_class"] == class && s["state"] == state).count();
    assert_eq!((count("A", "completed"), count("B", "continuing"), count("C", "completed")), (226, 33, 32));
    // The four key suggestions, all A, each with its full checklist.
    let key: Vec<&serde_json::Value> = all.iter().filter(|s| s["key"] == true).collect();
    assert_eq!(key.len(), 4);
    assert!(key.iter().all(|s| s["result_class"] == "A"));
    let checklist = app.get(&format!("/api/v1/suggestions/{}/checklist", key[0]["id"]), &staff).await;
    assert!(checklist.ok().as_array().unwrap().iter().all(|i| i["done_on"].is_string()));
    // Some were reassigned, some rehandled after dissatisfaction, some B items report progress.
    let transferred =
        all.iter().filter(|s| s["assignments"].as_array().unwrap().iter().any(|a| a["state"] == "transferred")).count();
    assert_eq!(transferred, 3);
    assert!(all.iter().filter(|s| s["round"].as_i64() > Some(1)).count() >= 5, "a few were rehandled");
    assert!(all.iter().any(|s| s["assignments"].as_array().unwrap().iter().any(|a| a["role"] == "assist")));
    let b = all.iter().find(|s| s["result_class"] == "B" && s["id"].as_i64().is_some()).unwrap();
    let replies = app.get(&format!("/api/v1/suggestions/{}/replies", b["id"]), &staff).await;
    assert!(replies.ok().as_array().unwrap().iter().all(|r| r["state"] == "sent" && r["signer_name"].is_string()));
    let mut reports = 0;
    for s in all.iter().filter(|s| s["result_class"] == "B") {
        reports += app
            .get(&format!("/api/v1/suggestions/{}/continuation-reports", s["id"]), &staff)
            .await
            .ok()
            .as_array()
            .unwrap()
            .len();
    }
    assert!(reports >= 3, "a few B items report progress: {reports}");

    // Serials 1..=291, each once, printed as 第0001号 … 第0291号.
    let mut serials: Vec<i64> = vec![];
    for s in &all {
        let serial = s["serial"].as_i64().unwrap_or_else(|| panic!("a registered suggestion has a serial: {s}"));
        assert_eq!(s["code"], format!("第{serial:04}号"));
        serials.push(serial);
    }
    serials.sort_unstable();
    assert_eq!(serials, (1..=291).collect::<Vec<i64>>());
    let codes: Vec<&str> = all.iter().filter_map(|s| s["code"].as_str()).collect();
    assert!(codes.contains(&"第0001号") && codes.contains(&"第0291号"), "{codes:?}");

    // 270 handed in during the meeting, 21 in the recess.
    let meeting = all.iter().filter(|s| s["period"] == "meeting").count();
    let recess = all.iter().filter(|s| s["period"] == "recess").count();
    assert_eq!((meeting, recess), (270, 21));

    // The seed year's counts per category.
    let mut per_category: BTreeMap<String, usize> = BTreeMap::new();
    for s in &all {
        let name =
            s["category"]["name"].as_str().unwrap_or_else(|| panic!("a registered suggestion has a category: {s}"));
        *per_category.entry(name.to_owned()).or_default() += 1;
    }
    let expected: BTreeMap<String, usize> = PER_CATEGORY.iter().map(|(n, c)| (n.to_string(), *c)).collect();
    assert_eq!(per_category, expected);

    let titles: Vec<&str> = all.iter().filter_map(|s| s["title"].as_str()).collect();
    for title in TITLES {
        assert!(titles.contains(&title), "the demo has {title}");
    }

    assert_eq!(app.list_all("/api/v1/units", &staff).await.len(), 57);

    // Every account the report lists signs in, as its role.
    let mut roles: Vec<&str> = vec![];
    for (role, name, secret) in &report.accounts {
        let r = if *role == Role::Integration {
            app.client_token_response(name, secret).await
        } else {
            app.token_response(name, secret).await
        };
        assert_eq!(r.status, 200, "{role} {name} signs in: {}", r.text);
        let token = r.body["access_token"].as_str().expect("access_token");
        let me = app.get("/api/v1/me", token).await;
        assert_eq!(me.ok()["role"], role.as_str(), "{name}");
        roles.push(role.as_str());
    }
    roles.sort_unstable();
    assert_eq!(
        roles,
        [
            "auditor",
            "committee",
            "council",
            "deputy",
            "integration",
            "staff",
            "supervisor",
            "unit_handler",
            "unit_leader"
        ]
    );
    let integration = report.accounts.iter().find(|(role, ..)| *role == Role::Integration).expect("an integration");
    assert_eq!((&integration.1, &integration.2), (&report.client.0, &report.client.1));

    // Loading it again is refused, and changes nothing.
    match load(app).await {
        Err(DemoError::AlreadyLoaded) => {}
        Err(other) => panic!("a second load is AlreadyLoaded, not {other:?}"),
        Ok(_) => panic!("a second load is refused"),
    }
    assert_eq!(app.list_all("/api/v1/suggestions", &staff).await.len(), 291);
    assert_eq!(app.list_all("/api/v1/units", &staff).await.len(), 57);
    assert_eq!(app.list_all("/api/v1/sessions", &staff).await.len(), 1);
}
