//! Accounts of people and integration clients; the administrator's.

use actix_web::{get, post, web, HttpResponse};
use jianyi_domain::permissions::{require, Capability};
use jianyi_domain::{Role, Scope};
use jianyi_store::accounts::{self, Client, NewUser, User};
use jianyi_store::Page;
use rand::distributions::Alphanumeric;
use rand::Rng;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::PageParams;
use crate::auth::{hash_password, Auth};
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Id};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_user)
        .service(list_users)
        .service(get_user)
        .service(deactivate_user)
        .service(create_client)
        .service(list_clients)
        .service(get_client)
        .service(deactivate_client);
}

/// Answers 201 with the new resource's address.
pub fn created<T: Serialize>(location: String, body: &T) -> HttpResponse {
    HttpResponse::Created().insert_header(("Location", location)).json(body)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// 3 to 64 of a-z, 0-9, `.`, `_`, `-`.
    #[schema(min_length = 3, max_length = 64, pattern = "^[a-z0-9._-]{3,64}$")]
    pub username: String,
    #[schema(min_length = 12, max_length = 128)]
    #[validate(length(min = 12, max = 128, message = "must be 12 to 128 characters"))]
    pub password: String,
    /// Any role but `integration` (integrations are clients).
    pub role: Role,
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    pub display_name: String,
    /// Required for `unit_handler` and `unit_leader`.
    #[schema(format = Int64, minimum = 1)]
    pub unit_id: Option<i64>,
    /// Required for `deputy`.
    #[schema(format = Int64, minimum = 1)]
    pub deputy_id: Option<i64>,
    /// Required for `committee`.
    #[schema(format = Int64, minimum = 1)]
    pub committee_id: Option<i64>,
}

/// Create an account (创建账户).
#[utoipa::path(tag = "accounts", security(("bearer" = [])), request_body = CreateUser, responses(
    (status = 201, description = "Created", body = User, headers(("Location" = String, description = "The account's address"))),
    (status = 409, description = "The username is taken (`already_exists`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/users")]
async fn create_user(state: web::Data<AppState>, auth: Auth, body: ApiJson<CreateUser>) -> ApiResult<HttpResponse> {
    let u = body.0;
    let password_hash = web::block(move || hash_password(&u.password)).await??;
    let user = state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageAccounts)?;
            let new = NewUser {
                username: u.username,
                password_hash,
                role: u.role,
                display_name: u.display_name.trim().to_owned(),
                unit_id: u.unit_id,
                deputy_id: u.deputy_id,
                committee_id: u.committee_id,
            };
            Ok(accounts::create_user(conn, Some(&ctx), new)?)
        })
        .await?;
    Ok(created(format!("/api/v1/users/{}", user.id), &user))
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Only accounts of this role.
    pub role: Option<Role>,
    #[param(minimum = 1, maximum = 500, format = Int64)]
    #[validate(range(min = 1, max = 500))]
    pub limit: Option<i64>,
    #[param(pattern = "^[0-9]{1,19}$", max_length = 19)]
    pub cursor: Option<String>,
}

/// List accounts (账户列表).
#[utoipa::path(tag = "accounts", security(("bearer" = [])), params(UserQuery), responses(
    (status = 200, description = "A page of accounts", body = Page<User>),
    (status = 403, description = "Not the administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/users")]
async fn list_users(
    state: web::Data<AppState>,
    auth: Auth,
    q: ApiQuery<UserQuery>,
) -> ApiResult<web::Json<Page<User>>> {
    let q = q.0;
    state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageAccounts)?;
            let page = jianyi_store::page::PageRequest::parse(q.limit, q.cursor.as_deref())?;
            Ok(accounts::list_users(conn, q.role, page)?)
        })
        .await
        .map(web::Json)
}

/// One account.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "The account", body = User),
    (status = 403, description = "Not the administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/users/{id}")]
async fn get_user(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<User>> {
    state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageAccounts)?;
            Ok(accounts::get_user(conn, id.0)?)
        })
        .await
        .map(web::Json)
}

/// Deactivate an account: it can no longer sign in, and its tokens stop working (停用账户).
#[utoipa::path(tag = "accounts", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "Deactivated", body = User),
    (status = 409, description = "An administrator cannot deactivate themselves (`cannot_deactivate_self`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/users/{id}/deactivate")]
async fn deactivate_user(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<User>> {
    let id = id.0;
    let done = state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageAccounts)?;
            Ok(accounts::deactivate_user(conn, &ctx, id)?)
        })
        .await?;
    // Its tokens stop working at once, not when the account's cached reading expires.
    state.callers.forget(&format!("user:{id}"));
    Ok(web::Json(done))
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateClient {
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    #[schema(max_items = 3)]
    #[validate(length(max = 3))]
    pub scopes: Vec<Scope>,
}

/// A new client with its secret, shown this once only.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedClient {
    #[serde(flatten)]
    pub client: Client,
    /// Keep it: it is stored hashed and never shown again.
    pub client_secret: String,
}

fn random_token(len: usize) -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}

/// Register an integration client (注册接入系统).
#[utoipa::path(tag = "accounts", security(("bearer" = [])), request_body = CreateClient, responses(
    (status = 201, description = "Created; the secret is in this answer only", body = CreatedClient, headers(("Location" = String, description = "The client's address"))),
    (status = 409, description = "A client of that name exists (`already_exists`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/clients")]
async fn create_client(state: web::Data<AppState>, auth: Auth, body: ApiJson<CreateClient>) -> ApiResult<HttpResponse> {
    let c = body.0;
    let secret = random_token(40);
    let client_id = format!("jy_{}", random_token(20).to_lowercase());
    let hash = {
        let secret = secret.clone();
        web::block(move || hash_password(&secret)).await??
    };
    let client = state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageAccounts)?;
            Ok(accounts::create_client(conn, &ctx, &c.name, &client_id, &hash, &c.scopes)?)
        })
        .await?;
    Ok(created(format!("/api/v1/clients/{}", client.id), &CreatedClient { client, client_secret: secret }))
}

/// List integration clients.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), params(PageParams), responses(
    (status = 200, description = "A page of clients", body = Page<Client>),
    (status = 403, description = "Not the administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/clients")]
async fn list_clients(
    state: web::Data<AppState>,
    auth: Auth,
    q: ApiQuery<PageParams>,
) -> ApiResult<web::Json<Page<Client>>> {
    state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageAccounts)?;
            Ok(accounts::list_clients(conn, q.0.request()?)?)
        })
        .await
        .map(web::Json)
}

/// One integration client (never its secret).
#[utoipa::path(tag = "accounts", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "The client", body = Client),
    (status = 403, description = "Not the administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/clients/{id}")]
async fn get_client(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Client>> {
    state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageAccounts)?;
            Ok(accounts::get_client(conn, id.0)?)
        })
        .await
        .map(web::Json)
}

/// Deactivate an integration client: its tokens stop working.
#[utoipa::path(tag = "accounts", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "Deactivated", body = Client),
))]
#[post("/clients/{id}/deactivate")]
async fn deactivate_client(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Client>> {
    let id = id.0;
    let done = state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageAccounts)?;
            Ok(accounts::deactivate_client(conn, &ctx, id)?)
        })
        .await?;
    // Its tokens stop working at once, not when the account's cached reading expires.
    state.callers.forget(&format!("client:{id}"));
    Ok(web::Json(done))
}
