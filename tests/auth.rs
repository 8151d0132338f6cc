//! Signing in (passwords and client credentials), tokens and their forgeries, deactivation, and
//! who manages accounts, through the HTTP API, on both databases.

mod common;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use common::{Resp, TestApp, PASSWORD};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use reqwest::Method;
use serde_json::{json, Value};

on_both_databases!(
    a_password_signs_in_and_me_shows_the_account,
    wrong_credentials_look_alike,
    repeated_failures_lock_the_name,
    integration_clients_sign_in_with_their_scopes,
    forged_tokens_are_refused,
    deactivated_accounts_lose_access,
    only_the_administrator_manages_accounts,
    accounts_are_validated,
);

fn sign(secret: &str, algorithm: Algorithm, claims: &Value) -> String {
    encode(&Header::new(algorithm), claims, &EncodingKey::from_secret(secret.as_bytes()))
        .expect("the test signs its token")
}

/// The claims the server issues, for the account `sub`, valid for ten minutes.
fn claims_for(sub: &str, role: &str) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"sub": sub, "iss": "jianyi", "aud": "jianyi-api", "exp": now + 600, "iat": now, "role": role})
}

async fn me(app: &TestApp, token: &str) -> Resp {
    app.get("/api/v1/me", token).await
}

/// A request with a raw `Authorization` header.
async fn me_with_authorization(app: &TestApp, authorization: &str) -> Resp {
    let res = app.http.get(format!("{}/api/v1/me", app.base)).header("Authorization", authorization).send().await;
    TestApp::read(res.expect("request sent")).await
}

/// Registers a client; answers (id, client_id, client_secret).
async fn client(app: &TestApp, name: &str, scopes: &[&str]) -> (i64, String, String) {
    let r = app.post("/api/v1/clients", &app.admin, json!({"name": name, "scopes": scopes})).await;
    r.created();
    let id = r.body["id"].as_i64().expect("client id");
    let client_id = r.body["client_id"].as_str().expect("client_id").to_owned();
    let secret = r.body["client_secret"].as_str().expect("client_secret").to_owned();
    (id, client_id, secret)
}

async fn client_token(app: &TestApp, client_id: &str, secret: &str) -> String {
    let r = app.client_token_response(client_id, secret).await;
    r.ok()["access_token"].as_str().expect("access_token").to_owned()
}

async fn a_password_signs_in_and_me_shows_the_account(app: &TestApp) {
    let unit = app.unit().await;
    let (deputy_id, deputy) = app.deputy().await;
    let handler = app.account("unit_handler", json!({"unit_id": unit})).await;

    let r = app.token_response(&deputy.username, PASSWORD).await;
    let body = r.ok();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let token = body["access_token"].as_str().expect("access_token");

    // The token is an HS256 JWT for this account, valid for an hour.
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&["jianyi"]);
    validation.set_audience(&["jianyi-api"]);
    let claims = decode::<Value>(token, &DecodingKey::from_secret(app.jwt_secret.as_bytes()), &validation)
        .expect("the server's token verifies with its secret")
        .claims;
    assert_eq!(claims["sub"], format!("user:{}", deputy.id));
    assert_eq!(claims["role"], "deputy");
    assert_eq!(claims["deputy_id"], deputy_id);
    assert_eq!(claims["exp"].as_i64().expect("exp") - claims["iat"].as_i64().expect("iat"), 3600);

    let r = me(app, token).await;
    let m = r.ok();
    assert_eq!(m["id"], deputy.id);
    assert_eq!(m["username"], deputy.username.as_str());
    assert_eq!(m["role"], "deputy");
    assert_eq!(m["deputy_id"], deputy_id);
    assert!(m["unit_id"].is_null() && m["committee_id"].is_null(), "{}", r.text);
    assert_eq!(m["display_name"], deputy.username.as_str());
    assert_eq!(m["scopes"], json!([]));

    let r = me(app, &handler.token).await;
    assert_eq!(r.ok()["role"], "unit_handler");
    assert_eq!(r.body["unit_id"], unit);
    assert!(r.body["deputy_id"].is_null() && r.body["committee_id"].is_null(), "{}", r.text);

    let r = me(app, &app.admin).await;
    assert_eq!(r.ok()["role"], "admin");
    assert_eq!(r.body["username"], "admin");

    // A sign-in names its grant; an unknown one is refused as input.
    let r = app
        .request(Method::POST, "/api/v1/auth/token", None, Some(json!({"grant_type": "implicit", "username": "admin"})))
        .await;
    r.invalid("grant_type");
    let r = app
        .request(Method::POST, "/api/v1/auth/token", None, Some(json!({"username": "admin", "password": "x"})))
        .await;
    r.invalid("grant_type");
}

async fn wrong_credentials_look_alike(app: &TestApp) {
    let staff = app.staff().await;
    let wrong_password = app.token_response(&staff.username, "not-the-password-at-all").await;
    wrong_password.problem(401, "invalid_credentials");
    let unknown_user = app.token_response("nobody-by-this-name", PASSWORD).await;
    unknown_user.problem(401, "invalid_credentials");
    // Nothing tells an existing name from an unknown one.
    assert_eq!(wrong_password.text, unknown_user.text);
    assert_eq!(wrong_password.header("www-authenticate"), unknown_user.header("www-authenticate"));
    // A failure or two lock nothing: the right password still works.
    app.token_response(&staff.username, PASSWORD).await.ok();
}

async fn repeated_failures_lock_the_name(app: &TestApp) {
    let staff = app.staff().await;
    let other = app.staff().await;
    for attempt in 1..=5 {
        let r = app.token_response(&staff.username, "guessing-the-password").await;
        assert_eq!(r.status, 401, "attempt {attempt}: {}", r.text);
        r.problem(401, "invalid_credentials");
    }
    // The sixth attempt is refused even with the right password.
    let r = app.token_response(&staff.username, PASSWORD).await;
    r.problem(429, "too_many_attempts");
    let retry = r.header("retry-after").expect("Retry-After on 429");
    let seconds: u64 = retry.parse().unwrap_or_else(|_| panic!("Retry-After is a number of seconds, not {retry:?}"));
    assert!((1..=31).contains(&seconds), "a first lock lasts 30 s, Retry-After {seconds}");

    // Another name is not affected.
    let r = app.token_response(&other.username, PASSWORD).await;
    assert_eq!(r.ok()["token_type"], "Bearer");

    // A name with no account locks alike, so that the lock does not tell which names exist.
    for _ in 1..=5 {
        app.token_response("no-such-account", "guessing-the-password").await.problem(401, "invalid_credentials");
    }
    app.token_response("no-such-account", "guessing-the-password").await.problem(429, "too_many_attempts");
}

async fn integration_clients_sign_in_with_their_scopes(app: &TestApp) {
    let r =
        app.post("/api/v1/clients", &app.admin, json!({"name": "履职服务平台", "scopes": ["suggestions:read"]})).await;
    r.created();
    let id = r.body["id"].as_i64().expect("client id");
    assert_eq!(r.header("location"), Some(format!("/api/v1/clients/{id}").as_str()));
    assert_eq!(r.body["name"], "履职服务平台");
    assert_eq!(r.body["scopes"], json!(["suggestions:read"]));
    assert_eq!(r.body["active"], true);
    let client_id = r.body["client_id"].as_str().expect("client_id").to_owned();
    let secret = r.body["client_secret"].as_str().expect("the secret is shown once").to_owned();
    assert!(secret.len() >= 20, "a secret worth its name: {secret:?}");

    // The list shows the client, never its secret.
    let list = app.get("/api/v1/clients", &app.admin).await;
    let items = list.ok()["items"].as_array().expect("items");
    let listed = items.iter().find(|c| c["id"] == id).expect("the client is listed");
    assert_eq!(listed["client_id"], client_id.as_str());
    assert!(listed.get("client_secret").is_none(), "{}", list.text);
    assert!(!list.text.contains(&secret), "the secret leaks in {}", list.text);

    let r = app.client_token_response(&client_id, &secret).await;
    assert_eq!(r.ok()["token_type"], "Bearer");
    assert_eq!(r.body["expires_in"], 3600);
    let reader = r.body["access_token"].as_str().expect("access_token").to_owned();
    let r = me(app, &reader).await;
    assert_eq!(r.ok()["role"], "integration");
    assert_eq!(r.body["id"], id);
    assert_eq!(r.body["username"], client_id.as_str());
    assert_eq!(r.body["scopes"], json!(["suggestions:read"]));
    assert!(r.body["display_name"].is_null(), "{}", r.text);

    // A client with suggestions:read sees submitted suggestions, never drafts; one without sees none.
    let (_, blind_id, blind_secret) = client(app, "公众号后台", &["events:read"]).await;
    let blind = client_token(app, &blind_id, &blind_secret).await;
    let (session, category) = app.session().await;
    let (deputy_id, deputy) = app.deputy().await;
    let staff = app.staff().await;
    let submitted = app.paper(&staff, deputy_id, session, category).await;
    let draft = app.draft(&deputy, session, category, &[]).await;
    let r = app.get("/api/v1/suggestions", &reader).await;
    let ids: Vec<i64> = r.ok()["items"].as_array().expect("items").iter().filter_map(|s| s["id"].as_i64()).collect();
    assert_eq!(ids, [submitted]);
    app.get(&format!("/api/v1/suggestions/{draft}"), &reader).await.problem(404, "not_found");
    let r = app.get("/api/v1/suggestions", &blind).await;
    assert_eq!(r.ok()["items"], json!([]));
    app.get(&format!("/api/v1/suggestions/{submitted}"), &blind).await.problem(404, "not_found");

    // Scopes are from a fixed list.
    let r = app.post("/api/v1/clients", &app.admin, json!({"name": "其他系统", "scopes": ["everything"]})).await;
    r.invalid("scopes[0]");
    let r =
        app.post("/api/v1/clients", &app.admin, json!({"name": "其他系统", "scopes": ["public:read", "admin"]})).await;
    r.invalid("scopes[1]");

    // Wrong secrets and unknown clients are refused alike.
    let wrong = app.client_token_response(&client_id, "not-the-secret").await;
    wrong.problem(401, "invalid_credentials");
    let unknown = app.client_token_response("jy_nosuchclient", &secret).await;
    unknown.problem(401, "invalid_credentials");
    assert_eq!(wrong.text, unknown.text);
    // A client is not a person: its id and secret do not sign in with the password grant.
    app.token_response(&client_id, &secret).await.problem(401, "invalid_credentials");
}

async fn forged_tokens_are_refused(app: &TestApp) {
    let admin_id = me(app, &app.admin).await.ok()["id"].as_i64().expect("admin id");
    let sub = format!("user:{admin_id}");
    let good = claims_for(&sub, "admin");

    // The control: a token signed with the server's secret and the right claims is accepted.
    let r = me(app, &sign(&app.jwt_secret, Algorithm::HS256, &good)).await;
    assert_eq!(r.ok()["role"], "admin");
    assert_eq!(r.body["id"], admin_id);

    let with = |key: &str, value: Value| {
        let mut c = good.clone();
        c[key] = value;
        c
    };
    let now = chrono::Utc::now().timestamp();
    let b64 = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
    let mut without_sub = good.clone();
    without_sub.as_object_mut().expect("claims object").remove("sub");

    let forgeries: Vec<(&str, String)> = vec![
        ("alg none", format!("{}.{}.", b64(&json!({"alg": "none", "typ": "JWT"})), b64(&good))),
        ("another key", sign("somebody-elses-secret", Algorithm::HS256, &good)),
        ("another algorithm with the right key", sign(&app.jwt_secret, Algorithm::HS512, &good)),
        ("expired an hour ago", sign(&app.jwt_secret, Algorithm::HS256, &with("exp", json!(now - 3600)))),
        ("wrong audience", sign(&app.jwt_secret, Algorithm::HS256, &with("aud", json!("another-api")))),
        ("wrong issuer", sign(&app.jwt_secret, Algorithm::HS256, &with("iss", json!("someone-else")))),
        ("no subject", sign(&app.jwt_secret, Algorithm::HS256, &without_sub)),
        ("no such user", sign(&app.jwt_secret, Algorithm::HS256, &with("sub", json!("user:999999")))),
        ("no such client", sign(&app.jwt_secret, Algorithm::HS256, &with("sub", json!("client:999999")))),
        ("malformed subject", sign(&app.jwt_secret, Algorithm::HS256, &with("sub", json!("admin")))),
        ("garbage", "this-is-not.a.token".to_owned()),
    ];
    for (what, token) in &forgeries {
        let r = me(app, token).await;
        assert_eq!(r.status, 401, "{what}: {}", r.text);
        r.problem(401, "unauthorized");
        assert_eq!(r.header("www-authenticate"), Some("Bearer"), "{what}");
    }

    // No header at all, or another scheme.
    app.request(Method::GET, "/api/v1/me", None, None).await.problem(401, "unauthorized");
    let basic = format!("Basic {}", STANDARD.encode(format!("admin:{}", common::ADMIN_PASSWORD)));
    me_with_authorization(app, &basic).await.problem(401, "unauthorized");
    me_with_authorization(app, "Bearer").await.problem(401, "unauthorized");

    // The role in a token is not trusted: the account's own role applies.
    let (_, deputy) = app.deputy().await;
    let promoted = sign(&app.jwt_secret, Algorithm::HS256, &claims_for(&format!("user:{}", deputy.id), "admin"));
    assert_eq!(me(app, &promoted).await.ok()["role"], "deputy");
    app.get("/api/v1/users", &promoted).await.problem(403, "forbidden");
}

async fn deactivated_accounts_lose_access(app: &TestApp) {
    let staff = app.staff().await;
    me(app, &staff.token).await.ok();
    let r = app.act(&format!("/api/v1/users/{}/deactivate", staff.id), &app.admin).await;
    assert_eq!(r.ok()["active"], false);
    assert!(r.body["deactivated_at"].is_string(), "{}", r.text);

    // The token issued before is refused now, and the password no longer signs in.
    me(app, &staff.token).await.problem(401, "unauthorized");
    app.get("/api/v1/units", &staff.token).await.problem(401, "unauthorized");
    app.token_response(&staff.username, PASSWORD).await.problem(401, "invalid_credentials");
    let r = app.get(&format!("/api/v1/users/{}", staff.id), &app.admin).await;
    assert_eq!(r.ok()["active"], false);
    // Deactivating again changes nothing.
    assert_eq!(app.act(&format!("/api/v1/users/{}/deactivate", staff.id), &app.admin).await.ok()["active"], false);
    app.act("/api/v1/users/999999/deactivate", &app.admin).await.problem(404, "not_found");

    // The administrator cannot lock themselves out.
    let admin_id = me(app, &app.admin).await.ok()["id"].as_i64().expect("admin id");
    app.act(&format!("/api/v1/users/{admin_id}/deactivate"), &app.admin).await.problem(409, "cannot_deactivate_self");
    assert_eq!(me(app, &app.admin).await.ok()["role"], "admin");

    // A deactivated client loses its token and its sign-in alike.
    let (id, client_id, secret) = client(app, "履职服务平台", &["suggestions:read"]).await;
    let token = client_token(app, &client_id, &secret).await;
    me(app, &token).await.ok();
    let r = app.act(&format!("/api/v1/clients/{id}/deactivate"), &app.admin).await;
    assert_eq!(r.ok()["active"], false);
    assert_eq!(app.get(&format!("/api/v1/clients/{id}"), &app.admin).await.ok()["active"], false);
    me(app, &token).await.problem(401, "unauthorized");
    app.client_token_response(&client_id, &secret).await.problem(401, "invalid_credentials");
}

async fn only_the_administrator_manages_accounts(app: &TestApp) {
    let staff = app.staff().await;
    let (_, deputy) = app.deputy().await;
    let unit = app.unit().await;
    let handler = app.account("unit_handler", json!({"unit_id": unit})).await;
    let auditor = app.account("auditor", json!({})).await;
    let target = app.staff().await;
    let (client_pk, client_id, secret) =
        client(app, "履职服务平台", &["suggestions:read", "events:read", "public:read"]).await;
    let integration = client_token(app, &client_id, &secret).await;

    let callers = [
        ("staff", staff.token.as_str()),
        ("deputy", deputy.token.as_str()),
        ("unit_handler", handler.token.as_str()),
        ("auditor", auditor.token.as_str()),
        ("integration", integration.as_str()),
    ];
    let new_user = json!({"username": "intruder", "password": PASSWORD, "role": "admin", "display_name": "入侵者"});
    for (who, token) in callers {
        let answers = [
            ("POST /users", app.post("/api/v1/users", token, new_user.clone()).await),
            ("GET /users", app.get("/api/v1/users", token).await),
            ("GET /users/{id}", app.get(&format!("/api/v1/users/{}", target.id), token).await),
            ("POST /users/{id}/deactivate", app.act(&format!("/api/v1/users/{}/deactivate", target.id), token).await),
            ("POST /clients", app.post("/api/v1/clients", token, json!({"name": "影子系统", "scopes": []})).await),
            ("GET /clients", app.get("/api/v1/clients", token).await),
            ("GET /clients/{id}", app.get(&format!("/api/v1/clients/{client_pk}"), token).await),
            ("POST /clients/{id}/deactivate", app.act(&format!("/api/v1/clients/{client_pk}/deactivate"), token).await),
        ];
        for (what, r) in answers {
            assert_eq!(r.status, 403, "{who} {what}: {}", r.text);
            r.problem(403, "forbidden");
        }
    }

    // Nothing changed.
    let r = app.get(&format!("/api/v1/users/{}", target.id), &app.admin).await;
    assert_eq!(r.ok()["active"], true);
    me(app, &target.token).await.ok();
    me(app, &integration).await.ok();
    let users = app.list_all("/api/v1/users", &app.admin).await;
    assert!(users.iter().all(|u| u["username"] != "intruder"));
    let clients = app.list_all("/api/v1/clients", &app.admin).await;
    let names: Vec<&str> = clients.iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(names, ["履职服务平台"]);
}

async fn accounts_are_validated(app: &TestApp) {
    let unit = app.unit().await;
    let deputy_id = app.deputy_record().await;
    let user = |username: &str, role: &str, extra: Value| {
        let mut b = json!({"username": username, "password": PASSWORD, "role": role, "display_name": "测试账户"});
        if let (Some(o), Some(e)) = (b.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        b
    };
    let post = |body: Value| app.post("/api/v1/users", &app.admin, body);

    post(user("short-password", "staff", json!({"password": "elevenchars"}))).await.invalid("password");
    let r = post(user("twelve-chars", "staff", json!({"password": "twelve-chars"}))).await;
    assert_eq!(r.status, 201, "12 characters are enough: {}", r.text);
    post(user("a-robot", "integration", json!({}))).await.invalid("role");
    post(user("a-root", "root", json!({}))).await.invalid("role");
    post(user("unbound-deputy", "deputy", json!({}))).await.invalid("deputy_id");
    post(user("handler-of-nothing", "unit_handler", json!({"unit_id": 999_999}))).await.invalid("unit_id");
    post(user("staff-with-unit", "staff", json!({"unit_id": unit}))).await.invalid("unit_id");
    post(user("UpperCase", "staff", json!({}))).await.invalid("username");
    post(user("ab", "staff", json!({}))).await.invalid("username");

    // Bound roles with their records are fine.
    let r = post(user("bound-deputy", "deputy", json!({"deputy_id": deputy_id}))).await;
    r.created();
    assert_eq!(r.body["deputy_id"], deputy_id);
    let r = post(user("bound-handler", "unit_handler", json!({"unit_id": unit}))).await;
    r.created();
    assert_eq!(r.body["unit_id"], unit);
    assert!(r.body.get("password_hash").is_none() && r.body.get("password").is_none(), "{}", r.text);

    // A username is taken once.
    let r = post(user("bound-handler", "auditor", json!({}))).await;
    r.problem(409, "already_exists");

    // None of the refused accounts exists.
    let users = app.list_all("/api/v1/users", &app.admin).await;
    let mut names: Vec<&str> = users.iter().filter_map(|u| u["username"].as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["admin", "bound-deputy", "bound-handler", "twelve-chars"]);
}
