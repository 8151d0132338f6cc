//! `POST /auth/token` (password and client credentials) and `GET /me`.

use actix_web::http::StatusCode;
use actix_web::{get, post, web};
use chrono::Utc;
use jianyi_store::accounts::{self, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::auth::{verify_password, Auth};
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::ApiJson;
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(token).service(me);
}

/// Sign in: a person with `password`, an integration with `client_credentials`.
#[derive(Debug, Deserialize, ToSchema)]
// Unknown fields are tolerated here, as OAuth token endpoints do (e.g. a `scope`).
#[serde(tag = "grant_type", rename_all = "snake_case")]
pub enum TokenRequest {
    Password {
        #[schema(max_length = 64)]
        username: String,
        #[schema(max_length = 128)]
        password: String,
    },
    ClientCredentials {
        #[schema(max_length = 64)]
        client_id: String,
        #[schema(max_length = 128)]
        client_secret: String,
    },
}

impl Validate for TokenRequest {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        Ok(())
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    #[schema(format = Int64, minimum = 1)]
    pub expires_in: i64,
}

fn invalid_credentials() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "the credentials are not valid")
}

fn locked(seconds: i64) -> ApiError {
    let mut e = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        format!("too many failed sign-ins for this name; try again in {seconds} s"),
    );
    e.retry_after = Some(seconds);
    e
}

/// Get an access token (获取令牌).
///
/// Wrong credentials answer 401 `invalid_credentials` alike whether or not the account exists.
/// After 5 failures within 15 minutes a name is locked for 30 s, doubling with each further
/// failure up to 15 minutes: 429 `too_many_attempts` with `Retry-After`.
#[utoipa::path(tag = "auth", request_body = TokenRequest, responses(
    (status = 200, description = "Signed in", body = TokenResponse),
    (status = 401, description = "Wrong credentials (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Locked after repeated failures (`too_many_attempts`), with `Retry-After`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/auth/token")]
async fn token(state: web::Data<AppState>, body: ApiJson<TokenRequest>) -> ApiResult<web::Json<TokenResponse>> {
    let st = state.clone();
    let (caller, sub) = state
        .db(move |conn| {
            let now = Utc::now();
            let (name, secret) = match &body.0 {
                TokenRequest::Password { username, password } => (username.clone(), password.clone()),
                TokenRequest::ClientCredentials { client_id, client_secret } => {
                    (format!("client:{client_id}"), client_secret.clone())
                }
            };
            if let Some(until) = accounts::locked_until(conn, &name, now)? {
                return Err(locked((until - now).num_seconds() + 1));
            }
            // Verify against a real hash whether or not the account exists: the same work either way.
            let found = match &body.0 {
                TokenRequest::Password { username, .. } => accounts::user_by_username(conn, username)?
                    .filter(|u| u.active)
                    .and_then(|u| Some((u.password_hash.clone(), u.caller()?, format!("user:{}", u.id)))),
                TokenRequest::ClientCredentials { client_id, .. } => accounts::client_by_client_id(conn, client_id)?
                    .filter(|c| c.active)
                    .map(|c| (c.secret_hash.clone(), c.caller(), format!("client:{}", c.id))),
            };
            let hash = found.as_ref().map_or(st.dummy_hash.as_str(), |f| f.0.as_str());
            let ok = verify_password(&secret, hash);
            match found {
                Some((_, caller, sub)) if ok => {
                    accounts::clear_failures(conn, &name)?;
                    Ok((caller, sub))
                }
                _ => {
                    accounts::record_failure(conn, &name, now, st.throttle)?;
                    Err(invalid_credentials())
                }
            }
        })
        .await?;
    let access_token = state.jwt.issue(&caller, sub)?;
    tracing::info!(account = %caller.username, role = %caller.role, "signed in");
    Ok(web::Json(TokenResponse { access_token, token_type: "Bearer".into(), expires_in: state.jwt.ttl_seconds }))
}

/// The caller, as the server knows them now.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// The account (for an integration client: the client).
    #[schema(format = Int64)]
    pub id: i64,
    pub username: String,
    pub role: jianyi_domain::Role,
    #[schema(format = Int64)]
    pub unit_id: Option<i64>,
    #[schema(format = Int64)]
    pub deputy_id: Option<i64>,
    #[schema(format = Int64)]
    pub committee_id: Option<i64>,
    /// The display name of a person's account.
    pub display_name: Option<String>,
    /// An integration client's scopes.
    pub scopes: Vec<String>,
}

/// Who am I (当前账户).
#[utoipa::path(tag = "auth", security(("bearer" = [])), responses((status = 200, description = "The caller", body = Me)))]
#[get("/me")]
async fn me(state: web::Data<AppState>, auth: Auth) -> ApiResult<web::Json<Me>> {
    let is_user = auth.claims.sub.starts_with("user:");
    state
        .call(auth, move |conn, ctx| {
            let c = ctx.caller;
            let display_name =
                if is_user { Some(accounts::get_user(conn, c.id).map(|u: User| u.display_name)?) } else { None };
            Ok(Me {
                id: c.id,
                username: c.username,
                role: c.role,
                unit_id: c.unit_id,
                deputy_id: c.deputy_id,
                committee_id: c.committee_id,
                display_name,
                scopes: c.scopes,
            })
        })
        .await
        .map(web::Json)
}
