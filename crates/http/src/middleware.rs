//! Around every request: its id (accepted or made, and echoed), one log line, and a problem
//! answer with the request id instead of a bare failure when anything panics or fails inside.

use std::panic::AssertUnwindSafe;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, ResponseError};
use futures_util::FutureExt;

use crate::error::ApiError;
use crate::extract::RequestId;

pub const REQUEST_ID: &str = "x-request-id";

fn incoming_id(req: &ServiceRequest) -> Option<String> {
    let v = req.headers().get(REQUEST_ID)?.to_str().ok()?;
    let ok = !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic());
    ok.then(|| v.to_owned())
}

pub async fn context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let started = Instant::now();
    let id = incoming_id(&req).unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().to_string();
    let path = req.path().to_owned();

    // The request must not be cloned before routing (actix needs it unshared), so a failure
    // without a response is answered as an error that carries the request id in its body.
    let with_id = |mut e: ApiError| {
        e.problem.request_id = Some(id.clone());
        e
    };
    let mut res = match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(Ok(res)) => res.map_into_boxed_body(),
        Ok(Err(e)) => {
            let status = e.as_response_error().status_code();
            tracing::error!(request_id = %id, %method, %path, status = status.as_u16(), error = %e, "request failed");
            if status.is_server_error() {
                return Err(with_id(ApiError::internal(e)).into());
            }
            return Err(e);
        }
        Err(_) => {
            tracing::error!(request_id = %id, %method, %path, "handler panicked");
            return Err(with_id(ApiError::internal(format!("handler panicked on {method} {path}"))).into());
        }
    };
    if res.status().is_server_error() {
        // Every 5xx answer carries the request id, so that a report can be matched to the log.
        let problem = res
            .response()
            .error()
            .and_then(|e| e.as_error::<ApiError>().cloned())
            .unwrap_or_else(|| ApiError::internal(format!("unexpected {} on {method} {path}", res.status())));
        let (http_req, _) = res.into_parts();
        res = ServiceResponse::new(http_req, with_id(problem).error_response());
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(HeaderName::from_static(REQUEST_ID), v);
    }
    let status = res.status().as_u16();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::error!(request_id = %id, %method, %path, status, elapsed_ms, "request");
    } else {
        tracing::info!(request_id = %id, %method, %path, status, elapsed_ms, "request");
    }
    Ok(res)
}
