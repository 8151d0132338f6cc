//! Authentication: passwords (argon2id), signed access tokens (JWT, HS256 fixed by the server),
//! and the `Auth` extractor that every protected handler takes.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::Utc;
use jianyi_domain::Caller;
use jianyi_store::{accounts, DbConn};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::extract::request_id;
use crate::AppState;

pub const ISSUER: &str = "jianyi";
pub const AUDIENCE: &str = "jianyi-api";
/// Minimum and maximum password length (characters).
pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;

/// Hashes a password with argon2id and a fresh salt.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(ApiError::internal)
}

/// Checks a password against a stored hash; an unparsable hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// The claims of an access token. `sub` is `user:<id>` or `client:<id>`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub role: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub unit_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub deputy_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub committee_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scope: Option<String>,
}

/// Issues and verifies access tokens with one secret and one algorithm.
#[derive(Clone)]
pub struct Jwt {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub ttl_seconds: i64,
}

impl Jwt {
    pub fn new(secret: &[u8], ttl_seconds: i64) -> Jwt {
        // The algorithm is the server's choice; the token's `alg` header is never trusted.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 30;
        Jwt {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl_seconds,
        }
    }

    pub fn issue(&self, caller: &Caller, sub: String) -> Result<String, ApiError> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            exp: now + self.ttl_seconds,
            iat: now,
            role: caller.role.as_str().into(),
            unit_id: caller.unit_id,
            deputy_id: caller.deputy_id,
            committee_id: caller.committee_id,
            scope: (!caller.scopes.is_empty()).then(|| caller.scopes.join(" ")),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(ApiError::internal)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|e| ApiError::unauthorized(format!("the access token is not valid: {e}")))
    }
}

/// A verified token, not yet checked against the account: [`resolve`] does that on the same
/// database connection as the request's own work.
#[derive(Debug, Clone)]
pub struct Auth {
    pub claims: Claims,
    pub request_id: Option<String>,
}

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let result = (|| {
            let state = req
                .app_data::<actix_web::web::Data<AppState>>()
                .ok_or_else(|| ApiError::internal("application state missing"))?;
            let header =
                req.headers().get(actix_web::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or_else(
                    || ApiError::unauthorized("send Authorization: Bearer <token> (POST /api/v1/auth/token)"),
                )?;
            let token = header
                .strip_prefix("Bearer ")
                .or_else(|| header.strip_prefix("bearer "))
                .ok_or_else(|| ApiError::unauthorized("the Authorization header must be a Bearer token"))?;
            let claims = state.jwt.verify(token.trim())?;
            Ok(Auth { claims, request_id: request_id(req) })
        })();
        std::future::ready(result)
    }
}

/// The caller a token stands for, as the database knows it now: a deactivated account or client
/// is refused even with an unexpired token, and the role and bindings are the current ones.
pub fn resolve(conn: &mut DbConn, claims: &Claims) -> Result<Caller, ApiError> {
    let refused = || ApiError::unauthorized("the account behind this token is no longer active");
    let (kind, id) = claims.sub.split_once(':').ok_or_else(|| ApiError::unauthorized("malformed subject"))?;
    let id: i64 = id.parse().map_err(|_| ApiError::unauthorized("malformed subject"))?;
    match kind {
        "user" => {
            let row = accounts::user_row(conn, id)?.filter(|r| r.active).ok_or_else(refused)?;
            row.caller().ok_or_else(refused)
        }
        "client" => {
            let row = accounts::client_row(conn, id)?.filter(|r| r.active).ok_or_else(refused)?;
            Ok(row.caller())
        }
        _ => Err(ApiError::unauthorized("malformed subject")),
    }
}
