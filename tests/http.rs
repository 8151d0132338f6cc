//! How the API behaves as HTTP: problems for everything a client can get wrong, request ids,
//! health, `Location` on creation, the OpenAPI document and the docs page, on both databases.

mod common;

use common::{Resp, TestApp, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

on_both_databases!(
    bad_input_is_answered_with_problems,
    unknown_routes_methods_and_ids_are_problems,
    request_ids_are_echoed_or_made,
    health_needs_no_token,
    creates_answer_201_with_a_location_that_answers,
    the_openapi_document_is_the_code_s,
    the_docs_page_is_served_by_jianyi_itself,
    a_failure_is_a_500_problem_with_its_request_id,
);

/// A request with a raw body and content type, as the administrator.
async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> Resp {
    let mut req = app.http.request(method, format!("{}{}", app.base, path)).bearer_auth(&app.admin);
    if let Some(ct) = content_type {
        req = req.header("Content-Type", ct);
    }
    TestApp::read(req.body(body).send().await.expect("request sent")).await
}

/// A POST whose body is sent in chunks, with no declared length (HTTP/1.1 by hand: reqwest here
/// has no streaming bodies).
async fn chunked(app: &TestApp, path: &str, body: Vec<u8>) -> Resp {
    use std::io::{Read, Write};
    let addr = app.base.trim_start_matches("http://").to_owned();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        app.admin
    );
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
        stream.write_all(head.as_bytes()).expect("send the head");
        // The server may answer and stop reading before the end: later writes may fail.
        for chunk in body.chunks(64 * 1024) {
            let sent = stream
                .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .and_then(|_| stream.write_all(chunk))
                .and_then(|_| stream.write_all(b"\r\n"));
            if sent.is_err() {
                break;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n");
        let mut answer = vec![];
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .expect("the raw request ran");
    let (head, text) = answer.split_once("\r\n\r\n").unwrap_or_else(|| panic!("an HTTP answer, not {answer:?}"));
    let mut lines = head.lines();
    let status: u16 =
        lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).expect("a status line");
    let mut headers = reqwest::header::HeaderMap::new();
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            if let (Ok(k), Ok(v)) = (reqwest::header::HeaderName::from_bytes(k.trim().as_bytes()), v.trim().parse()) {
                headers.insert(k, v);
            }
        }
    }
    let body = serde_json::from_str(text).unwrap_or(Value::Null);
    Resp { status: reqwest::StatusCode::from_u16(status).expect("a status"), headers, body, text: text.to_owned() }
}

/// A request without a token.
async fn anonymous(app: &TestApp, method: Method, path: &str) -> Resp {
    app.request(method, path, None, None).await
}

async fn bad_input_is_answered_with_problems(app: &TestApp) {
    let json_type = Some("application/json");
    // Syntax: 400, whether the JSON is cut short or followed by something else.
    raw(app, Method::POST, "/api/v1/units", json_type, r#"{"name": "市"#).await.problem(400, "malformed_json");
    raw(app, Method::POST, "/api/v1/units", json_type, r#"{"name": "市交通运输局"} trailing"#)
        .await
        .problem(400, "malformed_json");
    raw(app, Method::POST, "/api/v1/units", json_type, "").await.problem(400, "malformed_json");

    // Types, unknown and missing fields: 422 naming the field.
    app.post("/api/v1/units", &app.admin, json!({"name": 5})).await.invalid("name");
    let session = json!({"term": "14", "session": 1, "name": "第一次会议", "meeting_start": "2026-01-06", "meeting_end": "2026-01-09"});
    app.post("/api/v1/sessions", &app.admin, session).await.invalid("term");
    app.post("/api/v1/units", &app.admin, json!({"name": "市交通运输局", "colour": "red"})).await.invalid("colour");
    app.post("/api/v1/units", &app.admin, json!({"kind": "government"})).await.invalid("name");

    // The body must be JSON, and say so.
    let body = r#"{"name": "市交通运输局"}"#;
    raw(app, Method::POST, "/api/v1/units", Some("text/plain"), body).await.problem(415, "unsupported_media_type");
    raw(app, Method::POST, "/api/v1/units", None, body).await.problem(415, "unsupported_media_type");
    raw(app, Method::POST, "/api/v1/units", Some("application/x-www-form-urlencoded"), "name=x")
        .await
        .problem(415, "unsupported_media_type");

    // Over 1 MiB: 413, whether or not the client declared the length.
    let big = format!(r#"{{"name": "{}"}}"#, "x".repeat(1 << 20));
    raw(app, Method::POST, "/api/v1/units", json_type, big.clone()).await.problem(413, "payload_too_large");
    chunked(app, "/api/v1/units", big.into_bytes()).await.problem(413, "payload_too_large");

    // None of these created anything.
    assert_eq!(app.get("/api/v1/units", &app.admin).await.ok()["items"], json!([]));
    assert_eq!(app.get("/api/v1/sessions", &app.admin).await.ok()["items"], json!([]));
}

fn allowed(r: &Resp) -> Vec<String> {
    let allow = r.header("allow").unwrap_or_else(|| panic!("Allow on 405: {:?}", r.headers));
    let mut methods: Vec<String> = allow.split(',').map(|m| m.trim().to_owned()).collect();
    methods.sort();
    methods
}

async fn unknown_routes_methods_and_ids_are_problems(app: &TestApp) {
    anonymous(app, Method::GET, "/api/v1/nothing-here").await.problem(404, "not_found");
    app.get("/api/v1/nothing-here", &app.admin).await.problem(404, "not_found");
    anonymous(app, Method::GET, "/not-the-api").await.problem(404, "not_found");
    app.get("/api/v2/suggestions", &app.admin).await.problem(404, "not_found");

    let r = app.request(Method::DELETE, "/api/v1/suggestions", Some(&app.admin), None).await;
    r.problem(405, "method_not_allowed");
    assert_eq!(allowed(&r), ["GET", "POST"]);
    let r = app.request(Method::PUT, "/api/v1/sessions/1", Some(&app.admin), Some(json!({}))).await;
    r.problem(405, "method_not_allowed");
    assert_eq!(allowed(&r), ["GET"]);
    let r = app.request(Method::DELETE, "/api/v1/units/1", Some(&app.admin), None).await;
    r.problem(405, "method_not_allowed");
    assert_eq!(allowed(&r), ["GET", "PATCH"]);
    let r = anonymous(app, Method::POST, "/api/v1/me").await;
    r.problem(405, "method_not_allowed");
    assert_eq!(allowed(&r), ["GET"]);

    // An id that is not a positive number names nothing.
    for path in [
        "/api/v1/units/abc",
        "/api/v1/sessions/0",
        "/api/v1/deputies/-1",
        "/api/v1/committees/1.5",
        "/api/v1/suggestions/99999999999999999999",
    ] {
        let r = app.get(path, &app.admin).await;
        assert_eq!(r.status, 404, "{path}: {}", r.text);
        r.problem(404, "not_found");
    }
    app.patch("/api/v1/units/abc", &app.admin, json!({"name": "市交通运输局"})).await.problem(404, "not_found");
    // A well-formed id of nothing is 404 as well.
    app.get("/api/v1/units/999999", &app.admin).await.problem(404, "not_found");
}

async fn request_ids_are_echoed_or_made(app: &TestApp) {
    let send = |id: Option<String>, path: &'static str| async move {
        let mut req = app.http.get(format!("{}{}", app.base, path));
        if let Some(id) = id {
            req = req.header("X-Request-Id", id);
        }
        TestApp::read(req.send().await.expect("request sent")).await
    };
    let r = send(Some("trace-2026-0042".into()), "/healthz").await;
    assert_eq!(r.header("x-request-id"), Some("trace-2026-0042"));
    // Problems carry it too.
    let r = send(Some("trace-2026-0043".into()), "/api/v1/nothing-here").await;
    r.problem(404, "not_found");
    assert_eq!(r.header("x-request-id"), Some("trace-2026-0043"));

    let first = send(None, "/healthz").await;
    let second = send(None, "/api/v1/me").await;
    let made = |r: &Resp| {
        let id = r.header("x-request-id").unwrap_or_else(|| panic!("X-Request-Id on {}", r.text)).to_owned();
        uuid::Uuid::parse_str(&id).unwrap_or_else(|e| panic!("a made id is a UUID, not {id:?}: {e}"))
    };
    assert_ne!(made(&first), made(&second));

    // An id that is not sane (too long) is replaced by a fresh one.
    let r = send(Some("x".repeat(200)), "/healthz").await;
    made(&r);
}

async fn health_needs_no_token(app: &TestApp) {
    for path in ["/healthz", "/readyz"] {
        let r = anonymous(app, Method::GET, path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
        assert_eq!(r.body, json!({"status": "ok"}), "{path}");
    }
}

async fn creates_answer_201_with_a_location_that_answers(app: &TestApp) {
    let unit = app.unit().await;
    let creates = [
        (
            "/api/v1/sessions",
            json!({"term": 14, "session": 6, "name": "昆明市第十四届人民代表大会第六次会议", "meeting_start": "2026-01-06", "meeting_end": "2026-01-09"}),
        ),
        (
            "/api/v1/units",
            json!({"name": "市教育体育局", "kind": "government", "contact_name": "办公室", "contact_phone": "0871-63100000"}),
        ),
        ("/api/v1/deputies", json!({"name": "张三", "delegation": "五华区代表团", "phone": "13812345678"})),
        ("/api/v1/committees", json!({"name": "市人大教育科学文化卫生委员会", "categories": ["教科文卫"]})),
        (
            "/api/v1/users",
            json!({"username": "handler-1", "password": PASSWORD, "role": "unit_handler", "display_name": "经办人", "unit_id": unit}),
        ),
        ("/api/v1/clients", json!({"name": "履职服务平台", "scopes": ["suggestions:read"]})),
    ];
    for (path, body) in creates {
        let r = app.post(path, &app.admin, body).await;
        assert_eq!(r.status, 201, "{path}: {}", r.text);
        let id = r.body["id"].as_i64().unwrap_or_else(|| panic!("{path} answers the new id: {}", r.text));
        let location = r.header("location").unwrap_or_else(|| panic!("{path} answers a Location"));
        assert_eq!(location, format!("{path}/{id}"));
        let got = app.get(location, &app.admin).await;
        assert_eq!(got.status, 200, "GET {location}: {}", got.text);
        let mut made = r.body.clone();
        if path == "/api/v1/clients" {
            // The secret is in the creation's answer only.
            assert!(made.as_object_mut().and_then(|o| o.remove("client_secret")).is_some(), "{}", r.text);
        }
        assert_eq!(got.body, made, "GET {location} answers what POST {path} made");
    }

    // A category is added to its session's list, which its Location names.
    let (session, _) = app.session().await;
    let r = app.post(&format!("/api/v1/sessions/{session}/categories"), &app.admin, json!({"name": "民族宗教"})).await;
    r.created();
    let location = r.header("location").expect("Location");
    let list = app.get(location, &app.admin).await;
    assert!(list.ok().as_array().expect("categories").contains(&r.body), "{}", list.text);
}

fn operations(spec: &Value) -> Vec<(String, String, &Value)> {
    let paths = spec["paths"].as_object().expect("paths");
    let mut out = vec![];
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            if let Some(op) = item.get(method) {
                out.push((method.to_uppercase(), path.clone(), op));
            }
        }
    }
    out
}

/// Asserts two OpenAPI documents are equal; when they are not, says where (not the whole documents).
#[track_caller]
fn same_document(actual: &Value, expected: &Value, what: &str) {
    if actual == expected {
        return;
    }
    let mut differences = vec![];
    let keys = |v: &Value| v.as_object().map_or(vec![], |o| o.keys().cloned().collect::<Vec<_>>());
    let mut top = keys(actual);
    top.extend(keys(expected));
    top.sort();
    top.dedup();
    for key in top.iter().filter(|k| *k != "paths") {
        if actual.get(key) != expected.get(key) {
            differences.push(format!("`{key}` differs"));
        }
    }
    let mut paths = keys(&actual["paths"]);
    paths.extend(keys(&expected["paths"]));
    paths.sort();
    paths.dedup();
    for path in paths {
        match (actual["paths"].get(&path), expected["paths"].get(&path)) {
            (Some(_), None) => differences.push(format!("{path} is extra")),
            (None, Some(_)) => differences.push(format!("{path} is missing")),
            (a, b) if a != b => differences.push(format!("{path} differs")),
            _ => {}
        }
    }
    panic!("{what}: {}", differences.join("; "));
}

async fn the_openapi_document_is_the_code_s(app: &TestApp) {
    let generated = serde_json::to_value(jianyi_http::app::spec()).expect("the spec serialises");
    assert!(generated["paths"].get("/api/v1/suggestions/{id}/register").is_some());
    let ops = operations(&generated);
    assert!(ops.len() >= 30, "{} operations", ops.len());
    let mut secured = 0;
    for (method, path, op) in &ops {
        let responses = op["responses"].as_object().unwrap_or_else(|| panic!("{method} {path} has responses"));
        assert!(responses.contains_key("500"), "{method} {path} lists 500");
        if op["security"].as_array().is_some_and(|s| !s.is_empty()) {
            secured += 1;
            assert!(responses.contains_key("401"), "{method} {path} is secured and lists 401");
        }
    }
    assert!(secured >= 25, "{secured} secured operations");
    assert!(generated["paths"]["/api/v1/me"]["get"]["security"].as_array().is_some_and(|s| !s.is_empty()));
    assert!(generated["paths"]["/healthz"]["get"]
        .get("security")
        .is_none_or(|s| s.as_array().is_some_and(|a| a.is_empty())));

    // The server serves exactly that document, to anyone.
    let r = anonymous(app, Method::GET, "/api/v1/openapi.json").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.content_type(), "application/json");
    assert!(r.body["paths"].get("/api/v1/suggestions/{id}/register").is_some(), "{}", r.text);
    same_document(&r.body, &generated, "the served document is not what the code generates");

    // And the committed copy is that document too.
    let committed_path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
    let committed = std::fs::read_to_string(committed_path).expect("openapi/openapi.json is committed");
    let committed: Value = serde_json::from_str(&committed).expect("openapi/openapi.json is JSON");
    same_document(&committed, &generated, "openapi/openapi.json is out of date (regenerate it with `jianyi openapi`)");
}

async fn the_docs_page_is_served_by_jianyi_itself(app: &TestApp) {
    let page = anonymous(app, Method::GET, "/docs/").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.content_type().starts_with("text/html"), "{}", page.content_type());
    assert!(page.text.contains("swagger-ui"), "{}", page.text);

    // Every script and stylesheet it loads is on this server, and answers.
    let base = url::Url::parse(&format!("{}/docs/", app.base)).expect("base URL");
    let mut scripts = 0;
    for attr in ["src=\"", "href=\""] {
        for (i, _) in page.text.match_indices(attr) {
            let rest = &page.text[i + attr.len()..];
            let value = &rest[..rest.find('"').expect("closing quote")];
            let resolved = base.join(value).unwrap_or_else(|e| panic!("{value}: {e}"));
            assert_eq!(resolved.host_str(), base.host_str(), "{value} is loaded from another host");
            assert_eq!(resolved.port(), base.port(), "{value} is loaded from another server");
            let r = anonymous(app, Method::GET, resolved.path()).await;
            assert_eq!(r.status, 200, "{value} is served");
            if attr == "src=\"" {
                scripts += 1;
            }
        }
    }
    assert!(scripts >= 2, "the page loads its scripts: {}", page.text);
    assert_eq!(page.text.matches("src=").count(), scripts, "every src is a quoted address: {}", page.text);
    let init = anonymous(app, Method::GET, "/docs/swagger-initializer.js").await;
    assert!(init.text.contains("/api/v1/openapi.json"), "the page reads this server's document: {}", init.text);

    // /docs redirects to /docs/.
    let http =
        reqwest::Client::builder().no_proxy().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let res = http.get(format!("{}/docs", app.base)).send().await.expect("request sent");
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers().get("location").and_then(|v| v.to_str().ok()), Some("/docs/"));

    let doc = anonymous(app, Method::GET, "/api/v1/openapi.json").await;
    assert_eq!(doc.status, 200, "the document the page reads is served: {}", doc.text);
    assert!(doc.body["openapi"].is_string(), "{}", doc.text);
}

async fn a_failure_is_a_500_problem_with_its_request_id(app: &TestApp) {
    app.unit().await;
    // The database changes under the running service (an operator's mistake): what depends on
    // the missing table fails with a problem naming the request, and nothing else does.
    app.sql("ALTER TABLE units RENAME TO units_away".into()).await;
    let r = app.get("/api/v1/units", &app.admin).await;
    let p = r.problem(500, "internal_error");
    let id = r.header("x-request-id").expect("the request id").to_owned();
    assert_eq!(p["request_id"], id.as_str());
    assert_eq!(p["detail"], "the server failed to handle the request", "no internals are shown");
    assert!(!r.text.contains("units_away") && !r.text.contains("no such table"), "{}", r.text);
    app.get("/api/v1/me", &app.admin).await.ok();
    app.sql("ALTER TABLE units_away RENAME TO units".into()).await;
    assert_eq!(app.get("/api/v1/units", &app.admin).await.ok()["items"].as_array().map(Vec::len), Some(1));
    if app.db == common::Db::Postgres {
        // The database gone altogether: not ready, and said so.
        let url = app.database_url.clone();
        let name = url::Url::parse(&url).expect("a URL").path().trim_start_matches('/').to_owned();
        let admin = std::env::var("JIANYI_TEST_POSTGRES_URL").expect("the server");
        tokio::task::spawn_blocking(move || {
            use diesel::Connection;
            let mut c = diesel::PgConnection::establish(&admin).expect("the server");
            diesel::connection::SimpleConnection::batch_execute(
                &mut c,
                &format!("DROP DATABASE \"{name}\" WITH (FORCE)"),
            )
            .expect("dropped");
        })
        .await
        .expect("the drop");
        // Past the time a connection that answered is trusted without a ping.
        tokio::time::sleep(jianyi_store::db::TRUSTED_FOR + std::time::Duration::from_millis(100)).await;
        let r = anonymous(app, Method::GET, "/readyz").await;
        r.problem(503, "service_unavailable");
    }
}
