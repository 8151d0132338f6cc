//! The test harness: the real server on a random port, over a fresh database (a SQLite file,
//! or with JIANYI_TEST_POSTGRES_URL a PostgreSQL database of its own, dropped afterwards), and
//! helpers that make a session, units, deputies and accounts in a line each.
#![allow(dead_code)]

use std::path::PathBuf;

use diesel::connection::SimpleConnection;
use diesel::Connection;
use jianyi::config::{Config, Durability, LogFormat};
use jianyi::startup;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";
pub const PASSWORD: &str = "a-long-enough-password";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

enum DbGuard {
    Sqlite(PathBuf),
    Postgres { admin_url: String, name: String },
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        match self {
            DbGuard::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm", ".jwt-secret"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            DbGuard::Postgres { admin_url, name } => {
                if let Ok(mut c) = diesel::PgConnection::establish(admin_url) {
                    let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
                }
            }
        }
    }
}

/// One answer: status, headers and the body as JSON (`Null` when it is not JSON).
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }

    /// Asserts a problem answer with this status and code, and returns it.
    #[track_caller]
    pub fn problem(&self, status: u16, code: &str) -> &Value {
        assert_eq!(self.status.as_u16(), status, "status of {}", self.text);
        assert_eq!(self.content_type(), "application/problem+json", "content type of {}", self.text);
        assert_eq!(self.body["code"], code, "code of {}", self.text);
        assert_eq!(self.body["status"], status);
        assert!(self.body["title"].is_string() && self.body["detail"].is_string() && self.body["type"].is_string());
        &self.body
    }

    /// Asserts a validation problem naming this field.
    #[track_caller]
    pub fn invalid(&self, field: &str) {
        self.problem(422, "validation_failed");
        let fields: Vec<&str> =
            self.body["errors"].as_array().map_or(vec![], |a| a.iter().filter_map(|e| e["field"].as_str()).collect());
        assert!(fields.contains(&field), "expected field {field} in {}", self.text);
    }

    /// A creation: 201 Created, and the new resource.
    #[track_caller]
    pub fn created(&self) -> &Value {
        assert_eq!(self.status, 201, "expected 201 Created: {}", self.text);
        &self.body
    }

    #[track_caller]
    pub fn ok(&self) -> &Value {
        assert!(self.status.is_success(), "expected success, got {}: {}", self.status, self.text);
        &self.body
    }
}

/// An account made for a test, with its token.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub token: String,
}

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub admin: String,
    pub db: Db,
    pub jwt_secret: String,
    pub database_url: String,
    handle: actix_web::dev::ServerHandle,
    counter: std::sync::atomic::AtomicU32,
    _guard: DbGuard,
}

fn unique_name() -> String {
    format!("jianyi_test_{}", uuid::Uuid::new_v4().simple())
}

fn postgres_database() -> Option<(String, DbGuard)> {
    let required = std::env::var("JIANYI_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    let Ok(admin_url) = std::env::var("JIANYI_TEST_POSTGRES_URL") else {
        assert!(!required, "JIANYI_TEST_REQUIRE_POSTGRES=1 but JIANYI_TEST_POSTGRES_URL is not set");
        eprintln!("skipped: set JIANYI_TEST_POSTGRES_URL to run this test on PostgreSQL");
        return None;
    };
    let name = unique_name();
    let mut admin = match diesel::PgConnection::establish(&admin_url) {
        Ok(c) => c,
        Err(e) => panic!("cannot reach PostgreSQL at JIANYI_TEST_POSTGRES_URL: {e}"),
    };
    admin.batch_execute(&format!("CREATE DATABASE \"{name}\"")).expect("create test database");
    let mut url = url::Url::parse(&admin_url).expect("JIANYI_TEST_POSTGRES_URL is a URL");
    url.set_path(&format!("/{name}"));
    Some((url.to_string(), DbGuard::Postgres { admin_url, name }))
}

impl TestApp {
    /// Starts the server on a fresh database; `None` when PostgreSQL is not configured (and not required).
    pub async fn spawn(db: Db) -> Option<TestApp> {
        let (database_url, guard) = match db {
            Db::Sqlite => {
                let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
                (format!("sqlite://{}", path.display()), DbGuard::Sqlite(path))
            }
            Db::Postgres => postgres_database()?,
        };
        let jwt_secret = format!("test-secret-{}", uuid::Uuid::new_v4().simple());
        let config = Config {
            database_url: database_url.clone(),
            bind: "127.0.0.1:0".into(),
            jwt_secret: Some(jwt_secret.clone()),
            admin_password: Some(ADMIN_PASSWORD.into()),
            log_format: LogFormat::Text,
            token_ttl_seconds: 3600,
            sqlite_sync: Durability::Full,
            db_pool_size: 8,
            workers: Some(2),
        };
        let prepared = tokio::task::spawn_blocking(move || startup::prepare(&config))
            .await
            .expect("prepare")
            .expect("the app starts");
        let listener = startup::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let server = startup::server(prepared.state, listener, Some(2)).expect("server");
        let handle = server.handle();
        tokio::spawn(server);
        let http = reqwest::Client::builder().no_proxy().build().expect("client");
        let mut app = TestApp {
            base: format!("http://127.0.0.1:{port}"),
            http,
            admin: String::new(),
            db,
            jwt_secret,
            database_url,
            handle,
            counter: Default::default(),
            _guard: guard,
        };
        app.admin = app.login("admin", ADMIN_PASSWORD).await;
        Some(app)
    }

    /// Stops the server and waits until its workers, and so its connections, are gone.
    pub async fn stop(self) {
        self.handle.stop(true).await;
        drop(self);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    fn next(&self) -> u32 {
        self.counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
    }

    pub async fn request(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Resp {
        let mut req = self.http.request(method, format!("{}{}", self.base, path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        Self::read(req.send().await.expect("request sent")).await
    }

    pub async fn read(res: reqwest::Response) -> Resp {
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp { status, headers, body, text }
    }

    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.request(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Resp {
        self.request(Method::POST, path, Some(token), Some(body)).await
    }

    /// A POST with no body at all.
    pub async fn act(&self, path: &str, token: &str) -> Resp {
        self.request(Method::POST, path, Some(token), None).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Resp {
        self.request(Method::PATCH, path, Some(token), Some(body)).await
    }

    pub async fn token_response(&self, username: &str, password: &str) -> Resp {
        let body = json!({"grant_type": "password", "username": username, "password": password});
        self.request(Method::POST, "/api/v1/auth/token", None, Some(body)).await
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let r = self.token_response(username, password).await;
        r.ok()["access_token"].as_str().expect("access_token").to_owned()
    }

    /// Creates an account through the API and signs it in.
    pub async fn account(&self, role: &str, binding: Value) -> Account {
        let username = format!("{}-{}", role.replace('_', "-"), self.next());
        let mut body = json!({"username": username, "password": PASSWORD, "role": role, "display_name": username});
        if let (Some(b), Some(o)) = (binding.as_object(), body.as_object_mut()) {
            o.extend(b.clone());
        }
        let r = self.post("/api/v1/users", &self.admin, body).await;
        let id = r.ok()["id"].as_i64().expect("user id");
        let token = self.login(&username, PASSWORD).await;
        Account { id, username, token }
    }

    pub async fn staff(&self) -> Account {
        self.account("staff", json!({})).await
    }

    pub async fn deputy_record(&self) -> i64 {
        let n = self.next();
        let r = self
            .post(
                "/api/v1/deputies",
                &self.admin,
                json!({"name": format!("代表{n}"), "delegation": "五华区代表团", "phone": format!("138{:08}", n)}),
            )
            .await;
        r.ok()["id"].as_i64().expect("deputy id")
    }

    /// A deputy record and an account bound to it: (deputy id, account).
    pub async fn deputy(&self) -> (i64, Account) {
        let id = self.deputy_record().await;
        (id, self.account("deputy", json!({"deputy_id": id})).await)
    }

    pub async fn unit(&self) -> i64 {
        let r = self
            .post(
                "/api/v1/units",
                &self.admin,
                json!({"name": format!("市测试局{}", self.next()), "kind": "government"}),
            )
            .await;
        r.ok()["id"].as_i64().expect("unit id")
    }

    pub async fn committee(&self) -> i64 {
        let r = self
            .post(
                "/api/v1/committees",
                &self.admin,
                json!({"name": format!("测试委员会{}", self.next()), "categories": ["教科文卫"]}),
            )
            .await;
        r.ok()["id"].as_i64().expect("committee id")
    }

    /// A session whose meeting is 2026-01-06..2026-01-09; answers (session id, first category id).
    pub async fn session(&self) -> (i64, i64) {
        self.session_with_meeting("2026-01-06", "2026-01-09").await
    }

    pub async fn session_with_meeting(&self, start: &str, end: &str) -> (i64, i64) {
        let n = self.next() as i32;
        let r = self
            .post(
                "/api/v1/sessions",
                &self.admin,
                json!({"term": 14, "session": n, "name": format!("第十四届人民代表大会第{n}次会议"), "meeting_start": start, "meeting_end": end}),
            )
            .await;
        let id = r.ok()["id"].as_i64().expect("session id");
        let cats = self.get(&format!("/api/v1/sessions/{id}/categories"), &self.admin).await;
        (id, cats.ok()[0]["id"].as_i64().expect("category id"))
    }

    /// A deputy's draft; answers its id.
    pub async fn draft(&self, deputy: &Account, session_id: i64, category_id: i64, co_signers: &[i64]) -> i64 {
        let r = self
            .post(
                "/api/v1/suggestions",
                &deputy.token,
                json!({"session_id": session_id, "title": "关于加快推进老旧小区加装电梯的建议", "body": "老旧小区居民出行困难，建议加快推进加装电梯。", "category_id": category_id, "co_signer_ids": co_signers}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["id"].as_i64().expect("suggestion id")
    }

    /// A paper suggestion entered by staff: submitted at once.
    pub async fn paper(&self, staff: &Account, lead_deputy_id: i64, session_id: i64, category_id: i64) -> i64 {
        let r = self
            .post(
                "/api/v1/suggestions",
                &staff.token,
                json!({"session_id": session_id, "title": format!("关于优化公交线网的建议{}", self.next()), "body": "主城区公交线网与地铁接驳不畅。", "category_id": category_id, "lead_deputy_id": lead_deputy_id}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["id"].as_i64().expect("suggestion id")
    }
}

/// Runs each named scenario `async fn name(app: &TestApp)` on SQLite, and on PostgreSQL when it is configured.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let app = $crate::common::TestApp::spawn($crate::common::Db::Sqlite).await.expect("SQLite app");
                    super::$name(&app).await;
                    app.stop().await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::common::TestApp::spawn($crate::common::Db::Postgres).await {
                        super::$name(&app).await;
                        // Close every connection before the process exits: libpq torn down by
                        // exit handlers under live connections can crash the test process.
                        app.stop().await;
                    }
                }
            }
        )*
    };
}

impl TestApp {
    /// A POST with no body, owning its arguments (for many requests at once).
    pub async fn act_owned(&self, path: String, token: String) -> Resp {
        self.act(&path, &token).await
    }
}

impl TestApp {
    /// Every item of a list, following `next_cursor` with pages of 500.
    pub async fn list_all(&self, path: &str, token: &str) -> Vec<Value> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut items = vec![];
        let mut cursor: Option<String> = None;
        loop {
            let url = match &cursor {
                Some(c) => format!("{path}{sep}limit=500&cursor={c}"),
                None => format!("{path}{sep}limit=500"),
            };
            let r = self.get(&url, token).await;
            let page = r.ok();
            items.extend(page["items"].as_array().unwrap_or_else(|| panic!("items in {}", r.text)).iter().cloned());
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => return items,
            }
        }
    }

    /// A client's token by client credentials.
    pub async fn client_token_response(&self, client_id: &str, client_secret: &str) -> Resp {
        let body = json!({"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret});
        self.request(Method::POST, "/api/v1/auth/token", None, Some(body)).await
    }
}

impl TestApp {
    /// A committee covering one category (by name).
    pub async fn committee_covering(&self, category: &str) -> i64 {
        let r = self
            .post(
                "/api/v1/committees",
                &self.admin,
                json!({"name": format!("委员会{}", self.next()), "categories": [category]}),
            )
            .await;
        r.ok()["id"].as_i64().expect("committee id")
    }

    /// Moves an assignment's reassignment window into the past, as the passing of time would.
    pub async fn backdate_reassignment_window(&self, assignment_id: i64) {
        self.sql(format!(
            "UPDATE assignments SET reassignment_window_ends_on = '2020-01-06' WHERE id = {assignment_id}"
        ))
        .await;
    }

    /// Runs SQL on the test's database beside the app: for what only time would do (a deadline
    /// passing), never for what the API does.
    pub async fn sql(&self, sql: String) {
        let url = self.database_url.clone();
        tokio::task::spawn_blocking(move || {
            let pool = jianyi_store::connect(&url, jianyi_store::SqliteSync::Normal, 1).expect("connect");
            let mut conn = pool.get().expect("connection");
            diesel::connection::SimpleConnection::batch_execute(&mut *conn, &sql).expect("the SQL runs");
        })
        .await
        .expect("the SQL task");
    }
}

/// One row of the audit log, as the tests read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub action: String,
    pub target_type: String,
    pub target_id: i64,
    pub role: String,
    pub actor_name: String,
    pub request_id: Option<String>,
    pub before_state: Option<String>,
    pub after_state: Option<String>,
}

impl TestApp {
    /// The audit log, oldest first (the log has no API: auditors read it through the timeline).
    pub async fn audit_log(&self) -> Vec<AuditRow> {
        use diesel::prelude::*;
        use jianyi_store::schema::audit_log as a;
        let url = self.database_url.clone();
        tokio::task::spawn_blocking(move || {
            let pool = jianyi_store::connect(&url, jianyi_store::SqliteSync::Normal, 1).expect("connect");
            let mut conn = pool.get().expect("connection");
            a::table
                .order(a::id)
                .select((
                    a::action,
                    a::target_type,
                    a::target_id,
                    a::role,
                    a::actor_name,
                    a::request_id,
                    a::before_state,
                    a::after_state,
                ))
                .load::<(String, String, i64, String, String, Option<String>, Option<String>, Option<String>)>(
                    &mut *conn,
                )
                .expect("the audit log")
                .into_iter()
                .map(|(action, target_type, target_id, role, actor_name, request_id, before_state, after_state)| {
                    AuditRow { action, target_type, target_id, role, actor_name, request_id, before_state, after_state }
                })
                .collect()
        })
        .await
        .expect("the audit task")
    }

    /// A request with a body and a request id of the caller's choosing.
    pub async fn traced(&self, method: Method, path: &str, token: &str, body: Value, request_id: &str) -> Resp {
        let req = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .bearer_auth(token)
            .header("X-Request-Id", request_id)
            .json(&body);
        TestApp::read(req.send().await.expect("request sent")).await
    }
}
