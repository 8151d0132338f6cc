//! Extractors that turn a request into typed input, answering problems for everything a client
//! can get wrong: content type, size, syntax, types, unknown fields, bounds.

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use jianyi_domain::FieldError;
use serde::de::DeserializeOwned;
use validator::Validate;

use crate::error::ApiError;

/// The largest request body accepted: 1 MiB.
pub const BODY_LIMIT: usize = 1 << 20;
/// The assignment meeting's body: a national session's 10^4 suggestions with their units.
pub const MEETING_BODY_LIMIT: usize = 16 << 20;

/// The request's id: the client's `X-Request-Id` when it is sane, otherwise a new UUID.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

pub fn request_id(req: &HttpRequest) -> Option<String> {
    req.extensions().get::<RequestId>().map(|r| r.0.clone())
}

/// A JSON body of at most `LIMIT` bytes, checked for syntax, types, unknown fields and the
/// input's own bounds.
pub struct ApiJson<T, const LIMIT: usize = BODY_LIMIT>(pub T);

/// Like [`ApiJson`], but an empty body (no content at all) reads as `{}`.
pub struct OptionalJson<T>(pub T);

fn is_json(req: &HttpRequest) -> bool {
    match req.mime_type() {
        Ok(Some(m)) => m.type_() == "application" && (m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json")),
        _ => false,
    }
}

fn content_length(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
}

fn too_large(limit: usize) -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", format!("the body exceeds {limit} bytes"))
}

async fn read_body(mut payload: Payload, limit: usize) -> Result<web::BytesMut, ApiError> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "malformed_body", e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The name a serde message quotes (`missing field `title``), for errors at the top level.
fn quoted_name(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

/// Where a deserialization error points: the path, or the field its message names.
fn error_field(path: &str, message: &str) -> String {
    let path = path.trim_start_matches('.');
    if !path.is_empty() && path != "?" {
        // serde_path_to_error's path already ends with an unknown field's name.
        return path.to_owned();
    }
    quoted_name(message).unwrap_or_default()
}

/// Trims serde's "at line 1 column 5" from messages: the field says where.
fn clean_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

pub fn validation_errors(errors: validator::ValidationErrors) -> ApiError {
    let mut out = vec![];
    for (field, errs) in errors.field_errors() {
        for e in errs {
            let message = e.message.as_ref().map(ToString::to_string).unwrap_or_else(|| match e.code.as_ref() {
                "length" => match (e.params.get("min"), e.params.get("max")) {
                    (Some(min), Some(max)) => format!("length must be between {min} and {max}"),
                    (Some(min), None) => format!("length must be at least {min}"),
                    (None, Some(max)) => format!("length must be at most {max}"),
                    _ => "has the wrong length".to_owned(),
                },
                "range" => match (e.params.get("min"), e.params.get("max")) {
                    (Some(min), Some(max)) => format!("must be between {min} and {max}"),
                    (Some(min), None) => format!("must be at least {min}"),
                    (None, Some(max)) => format!("must be at most {max}"),
                    _ => "is out of range".to_owned(),
                },
                code => format!("is invalid ({code})"),
            });
            out.push(FieldError::new(field.to_string(), message));
        }
    }
    out.sort_by(|a, b| a.field.cmp(&b.field));
    ApiError::validation(out)
}

fn parse_json<T: DeserializeOwned + Validate>(body: &[u8]) -> Result<T, ApiError> {
    // Every body of this API is an object; serde would otherwise read a struct from an array.
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if first.is_some_and(|b| *b != b'{') && serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok() {
        return Err(ApiError::field("", "the body must be a JSON object"));
    }
    // Most bodies are valid: read them straight. Only a body that fails is read again, with the
    // path of the field at fault tracked for the answer (which costs on every field).
    let value: T = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(_) => parse_for_error(body)?,
    };
    value.validate().map_err(validation_errors)?;
    Ok(value)
}

/// Reads a body that serde refused again, to say where it failed (it fails again, but should it
/// not, the value is as good).
fn parse_for_error<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("the body is not valid JSON: {inner}"))
        } else {
            let message = clean_message(&inner.to_string());
            ApiError::field(&error_field(&path, &message), message)
        }
    })?;
    de.end().map_err(|e| {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("the body is not valid JSON: {e}"))
    })?;
    Ok(value)
}

fn json_future<T: DeserializeOwned + Validate + 'static>(
    req: &HttpRequest,
    payload: &mut Payload,
    empty_is_object: bool,
    limit: usize,
) -> LocalBoxFuture<'static, Result<T, ApiError>> {
    let json = is_json(req);
    let declared = content_length(req);
    let has_type = req.headers().contains_key(actix_web::http::header::CONTENT_TYPE);
    let payload = payload.take();
    Box::pin(async move {
        if declared.is_some_and(|n| n > limit) {
            return Err(too_large(limit));
        }
        let body = read_body(payload, limit).await?;
        if body.is_empty() && empty_is_object && (!has_type || json) {
            return parse_json(b"{}");
        }
        if !json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as application/json",
            ));
        }
        parse_json(&body)
    })
}

impl<T: DeserializeOwned + Validate + 'static, const LIMIT: usize> FromRequest for ApiJson<T, LIMIT> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let fut = json_future::<T>(req, payload, false, LIMIT);
        Box::pin(async move { fut.await.map(ApiJson) })
    }
}

impl<T: DeserializeOwned + Validate + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let fut = json_future::<T>(req, payload, true, BODY_LIMIT);
        Box::pin(async move { fut.await.map(OptionalJson) })
    }
}

/// Query parameters, checked like a body: unknown parameters and wrong types are refused.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ApiQuery<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let parse = || -> Result<T, ApiError> {
            let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(req.query_string().as_bytes()));
            let value: T = serde_path_to_error::deserialize(de).map_err(|e| {
                let path = e.path().to_string();
                let message = clean_message(&e.into_inner().to_string());
                ApiError::field(&error_field(&path, &message), message)
            })?;
            value.validate().map_err(validation_errors)?;
            Ok(value)
        };
        std::future::ready(parse().map(ApiQuery))
    }
}

/// A numeric id in the path; anything else names no resource.
pub struct Id(pub i64);

impl FromRequest for Id {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let id = req
            .match_info()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .filter(|n| *n >= 1)
            .map(Id)
            .ok_or_else(ApiError::not_found);
        std::future::ready(id)
    }
}

/// Two numeric ids in the path, in order (`/suggestions/{id}/replies/{reply_id}`).
pub struct Ids(pub i64, pub i64);

impl FromRequest for Ids {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let ids: Vec<i64> =
            req.match_info().iter().filter_map(|(_, v)| v.parse::<i64>().ok().filter(|n| *n >= 1)).collect();
        let count = req.match_info().iter().count();
        std::future::ready(match ids.as_slice() {
            [a, b] if count == 2 => Ok(Ids(*a, *b)),
            _ => Err(ApiError::not_found()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_fields_come_from_the_path_or_the_message() {
        assert_eq!(error_field(".", "missing field `title`"), "title");
        assert_eq!(error_field("", "unknown field `foo`, expected one of `a`"), "foo");
        assert_eq!(error_field("foo", "unknown field `foo`, expected one of `a`"), "foo");
        assert_eq!(error_field("co_signer_ids[1]", "invalid type: string"), "co_signer_ids[1]");
        assert_eq!(
            clean_message("invalid type: string \"x\", expected i64 at line 1 column 9"),
            "invalid type: string \"x\", expected i64"
        );
    }
}
