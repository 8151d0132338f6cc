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

/// Verifies a token, or finds it verified recently; its expiry is checked every time.
fn verify_kept(jwt: &Jwt, tokens: &Recent<Claims>, token: &str) -> Result<Claims, ApiError> {
    if let Some(claims) = tokens.get(token) {
        if Utc::now().timestamp() <= claims.exp + jwt.validation.leeway as i64 {
            return Ok(claims);
        }
        tokens.forget(token);
        return Err(ApiError::unauthorized("the access token is not valid: ExpiredSignature"));
    }
    let claims = jwt.verify(token)?;
    let left = (claims.exp + jwt.validation.leeway as i64 - Utc::now().timestamp()).max(0) as u64;
    let until = std::time::Instant::now() + TOKEN_TTL.min(std::time::Duration::from_secs(left));
    tokens.put(token, claims.clone(), until);
    Ok(claims)
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
            let claims = verify_kept(&state.jwt, &state.tokens, token.trim())?;
            Ok(Auth { claims, request_id: request_id(req) })
        })();
        std::future::ready(result)
    }
}

/// Values kept for a short while by a string key, each until its own deadline: verified tokens
/// and the accounts behind them. Bounded: beyond [`Recent::CAPACITY`] entries the expired ones
/// are dropped, and all of them if none has expired.
pub struct Recent<V> {
    entries: std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, V)>>,
    /// Counts [`Recent::forget`]s, so that a value read before a forget is not kept after it.
    forgotten: std::sync::atomic::AtomicU64,
}

impl<V> Default for Recent<V> {
    fn default() -> Self {
        Recent { entries: Default::default(), forgotten: Default::default() }
    }
}

impl<V: Clone> Recent<V> {
    const CAPACITY: usize = 10_000;

    fn entries(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, (std::time::Instant, V)>> {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The value kept under `key`, if its deadline has not passed.
    pub fn get(&self, key: &str) -> Option<V> {
        let now = std::time::Instant::now();
        self.entries().get(key).filter(|(until, _)| now < *until).map(|(_, v)| v.clone())
    }

    /// Where forgetting stands now: take it before reading a value from its source, and give it to
    /// [`Recent::put_unless_forgotten`].
    pub fn mark(&self) -> u64 {
        self.forgotten.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Keeps `value` like [`Recent::put`], unless something was forgotten since `mark`: the value
    /// may have been read just before the change that made it be forgotten.
    pub fn put_unless_forgotten(&self, key: &str, value: V, until: std::time::Instant, mark: u64) {
        let entries = self.entries();
        if self.forgotten.load(std::sync::atomic::Ordering::SeqCst) == mark {
            self.insert(entries, key, value, until);
        }
    }

    /// Keeps `value` under `key` until `until`.
    pub fn put(&self, key: &str, value: V, until: std::time::Instant) {
        self.insert(self.entries(), key, value, until);
    }

    fn insert(
        &self,
        mut entries: std::sync::MutexGuard<'_, std::collections::HashMap<String, (std::time::Instant, V)>>,
        key: &str,
        value: V,
        until: std::time::Instant,
    ) {
        if entries.len() >= Self::CAPACITY {
            let now = std::time::Instant::now();
            entries.retain(|_, (u, _)| now < *u);
            if entries.len() >= Self::CAPACITY {
                entries.clear();
            }
        }
        entries.insert(key.to_owned(), (until, value));
    }

    pub fn forget(&self, key: &str) {
        let mut entries = self.entries();
        self.forgotten.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        entries.remove(key);
    }
}

/// How long an account read from the database stands for its tokens: a burst of requests by one
/// account reads it once. A deactivation made through this process forgets it at once
/// ([`Recent::forget`]); one made through another replica takes effect here within this time.
pub const ACCOUNT_TTL: std::time::Duration = std::time::Duration::from_secs(1);

/// How long a verified token is kept verified (never past its expiry): verifying is a signature
/// and a parse, the same answer every time until the token expires.
pub const TOKEN_TTL: std::time::Duration = std::time::Duration::from_secs(60);

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
    use std::time::{Duration, Instant};

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
    fn a_kept_value_stands_until_its_deadline_or_until_forgotten() {
        let recent = Recent::default();
        let later = Instant::now() + Duration::from_secs(60);
        assert_eq!(recent.get("user:1"), None);
        recent.put("user:1", caller(1, Role::Staff), later);
        recent.put("client:1", caller(1, Role::Integration), later);
        assert_eq!(recent.get("user:1").map(|c| c.role), Some(Role::Staff));
        assert_eq!(recent.get("client:1").map(|c| c.role), Some(Role::Integration));
        // A deactivation forgets the account at once; the other key is untouched.
        recent.forget("user:1");
        assert_eq!(recent.get("user:1"), None);
        assert!(recent.get("client:1").is_some());
        // Past its deadline a value is read again.
        recent.put("user:2", caller(2, Role::Staff), Instant::now());
        assert_eq!(recent.get("user:2"), None);
    }

    #[test]
    fn a_value_read_before_a_forget_is_not_kept_after_it() {
        let recent = Recent::default();
        let later = Instant::now() + Duration::from_secs(60);
        // A request reads the account (still active) ...
        let mark = recent.mark();
        // ... while the account is deactivated and forgotten ...
        recent.forget("user:1");
        // ... and then offers what it read: refused.
        recent.put_unless_forgotten("user:1", caller(1, Role::Staff), later, mark);
        assert_eq!(recent.get("user:1"), None);
        // Read after the forget, it is kept.
        let mark = recent.mark();
        recent.put_unless_forgotten("user:1", caller(1, Role::Staff), later, mark);
        assert!(recent.get("user:1").is_some());
    }

    #[test]
    fn a_full_cache_drops_what_expired_and_keeps_its_bound() {
        let recent = Recent::default();
        let cap = Recent::<Caller>::CAPACITY as i64;
        for id in 0..cap + 10 {
            recent.put(&format!("user:{id}"), caller(id, Role::Deputy), Instant::now());
        }
        assert!(recent.entries().len() <= Recent::<Caller>::CAPACITY);
        let later = Instant::now() + Duration::from_secs(60);
        for id in 0..cap + 10 {
            recent.put(&format!("user:{id}"), caller(id, Role::Deputy), later);
        }
        assert!(recent.entries().len() <= Recent::<Caller>::CAPACITY);
        assert_eq!(recent.get(&format!("user:{}", cap + 9)).map(|c| c.id), Some(cap + 9));
    }

    #[test]
    fn a_kept_token_is_refused_once_expired() {
        let jwt = Jwt::new(b"a-test-secret-of-enough-length-0123", 3600);
        let token = jwt.issue(&caller(1, Role::Staff), "user:1".into()).expect("a token");
        let tokens = Recent::default();
        let claims = verify_kept(&jwt, &tokens, &token).expect("valid");
        assert_eq!(claims.sub, "user:1");
        assert!(tokens.get(&token).is_some(), "kept after the first verification");
        // A token kept past its expiry (with the leeway) is refused, not served from the cache.
        let mut expired = claims.clone();
        expired.exp = Utc::now().timestamp() - 120;
        tokens.put(&token, expired, Instant::now() + Duration::from_secs(60));
        assert!(verify_kept(&jwt, &tokens, &token).is_err());
        // A forged token is never kept.
        let forged = format!("{token}x");
        assert!(verify_kept(&jwt, &tokens, &forged).is_err());
        assert!(tokens.get(&forged).is_none());
    }
}
