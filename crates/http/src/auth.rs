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

/// The accounts behind recent tokens, kept for [`CallerCache::TTL`] so that a burst of requests
/// by one account reads it once rather than on every request. A deactivation made through this
/// process takes effect at once ([`CallerCache::forget`]); one made through another replica
/// takes effect here within the TTL.
pub struct CallerCache {
    ttl: std::time::Duration,
    entries: std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, Caller)>>,
}

impl Default for CallerCache {
    fn default() -> CallerCache {
        CallerCache::with_ttl(Self::TTL)
    }
}

impl CallerCache {
    /// How long an account read from the database stands for its tokens.
    pub const TTL: std::time::Duration = std::time::Duration::from_secs(1);

    pub fn with_ttl(ttl: std::time::Duration) -> CallerCache {
        CallerCache { ttl, entries: Default::default() }
    }
    /// Beyond this many accounts, the expired ones are dropped (and, if all are fresh, all).
    const CAPACITY: usize = 10_000;

    fn entries(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, (std::time::Instant, Caller)>> {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The caller behind a token's subject, if it was read within the TTL.
    pub fn get(&self, sub: &str) -> Option<Caller> {
        let entries = self.entries();
        entries.get(sub).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, caller)| caller.clone())
    }

    pub fn put(&self, sub: &str, caller: &Caller) {
        let mut entries = self.entries();
        if entries.len() >= Self::CAPACITY {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
            if entries.len() >= Self::CAPACITY {
                entries.clear();
            }
        }
        entries.insert(sub.to_owned(), (std::time::Instant::now(), caller.clone()));
    }

    /// Drops an account whose standing changed (deactivated), so that its tokens are refused at once.
    pub fn forget(&self, sub: &str) {
        self.entries().remove(sub);
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

#[cfg(test)]
mod tests {
    use super::*;
    use jianyi_domain::Role;

    fn caller(id: i64, role: Role) -> Caller {
        Caller {
            id,
            username: format!("user{id}"),
            role,
            unit_id: None,
            deputy_id: None,
            committee_id: None,
            scopes: vec![],
        }
    }

    #[test]
    fn a_cached_account_stands_until_forgotten() {
        let cache = CallerCache::default();
        assert_eq!(cache.get("user:1"), None);
        cache.put("user:1", &caller(1, Role::Staff));
        cache.put("client:1", &caller(1, Role::Integration));
        assert_eq!(cache.get("user:1").map(|c| c.role), Some(Role::Staff));
        assert_eq!(cache.get("client:1").map(|c| c.role), Some(Role::Integration));
        // A deactivation forgets the account at once; the other subject is untouched.
        cache.forget("user:1");
        assert_eq!(cache.get("user:1"), None);
        assert!(cache.get("client:1").is_some());
    }

    #[test]
    fn an_expired_reading_is_read_again() {
        let cache = CallerCache::with_ttl(std::time::Duration::ZERO);
        cache.put("user:1", &caller(1, Role::Staff));
        assert_eq!(cache.get("user:1"), None);
    }

    #[test]
    fn a_full_cache_drops_what_expired_and_keeps_its_bound() {
        let cache = CallerCache::with_ttl(std::time::Duration::ZERO);
        for id in 0..CallerCache::CAPACITY as i64 + 10 {
            cache.put(&format!("user:{id}"), &caller(id, Role::Deputy));
        }
        assert!(cache.entries().len() <= CallerCache::CAPACITY);
        let fresh = CallerCache::default();
        for id in 0..CallerCache::CAPACITY as i64 + 10 {
            fresh.put(&format!("user:{id}"), &caller(id, Role::Deputy));
        }
        assert!(fresh.entries().len() <= CallerCache::CAPACITY);
        let last = format!("user:{}", CallerCache::CAPACITY + 9);
        assert_eq!(fresh.get(&last).map(|c| c.id), Some(CallerCache::CAPACITY as i64 + 9));
    }
}
