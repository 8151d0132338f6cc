//! The OpenAPI document's frame (info, security, shared schemas), the error answers every
//! operation shares, and the fallback that answers 404 or 405 from the same list of routes.

use actix_router::ResourceDef;
use actix_web::http::{Method, StatusCode};
use actix_web::HttpRequest;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, OpenApi, Ref};
use utoipa::OpenApi as _;

use crate::error::{ApiError, Problem, ProblemField};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Jianyi (建议) API",
        description = "Handling of people's congress deputies' suggestions (人大代表建议办理): intake, registration, \
                       assignment, consultation, replies, feedback, review, continuation and completion. \
                       Authenticate with `POST /api/v1/auth/token` and send `Authorization: Bearer <access_token>`. \
                       Every error is an RFC 9457 problem (`application/problem+json`) with a stable `code`. \
                       Lists are keyset-paginated: pass `next_cursor` back as `cursor`.",
        license(name = "Apache-2.0"),
    ),
    components(schemas(Problem, ProblemField)),
    tags(
        (name = "auth", description = "Tokens and the current account (认证)"),
        (name = "accounts", description = "Accounts and integration clients (账户), admin only"),
        (name = "sessions", description = "Congress sessions and their categories (届次、会次、分类)"),
        (name = "units", description = "Handling units (承办单位)"),
        (name = "deputies", description = "Deputies (人大代表)"),
        (name = "committees", description = "Committees (专门委员会)"),
        (name = "suggestions", description = "Suggestions from draft to registration (代表建议)"),
        (name = "assignments", description = "Assignment, acknowledgement, reassignment, key suggestions (交办、签收、改办、重点建议)"),
        (name = "handling", description = "Consultations, assist opinions and replies (沟通面商、协办意见、答复)"),
        (name = "review", description = "Feedback, reviews, continuation, completion and visits (征询意见、审查、续办、办结、回访)"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
struct BaseDoc;

pub fn base() -> OpenApi {
    let mut api = BaseDoc::openapi();
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
    );
    api
}

fn problem(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/problem+json", Content::new(Some(Ref::from_schema_name("Problem"))))
        .build()
}

fn operations(item: &mut PathItem) -> Vec<(Method, &mut Operation)> {
    [
        (Method::GET, item.get.as_mut()),
        (Method::POST, item.post.as_mut()),
        (Method::PUT, item.put.as_mut()),
        (Method::PATCH, item.patch.as_mut()),
        (Method::DELETE, item.delete.as_mut()),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.map(|op| (m, op)))
    .collect()
}

/// Adds the error answers every operation can give, so that the document lists every status a
/// client can see: 401 where a token is needed, 404 where the path names a resource, the body
/// errors where there is a body, 422 where there is input, 500 and 503 everywhere.
pub fn finish(mut api: OpenApi) -> OpenApi {
    for (path, item) in api.paths.paths.iter_mut() {
        let names_resource = path.contains('{');
        for (method, op) in operations(item) {
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let has_body = op.request_body.is_some();
            let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
            let mut add = |status: &str, description: &str| {
                op.responses.responses.entry(status.to_owned()).or_insert_with(|| problem(description).into());
            };
            if has_body {
                add("400", "The body is not valid JSON (`malformed_json`).");
                add("413", "The body is larger than its limit, 1 MiB (16 MiB for the assignment meeting) (`payload_too_large`).");
                add("415", "The body is not `application/json` (`unsupported_media_type`).");
            }
            if secured {
                add("401", "No valid access token, or its account is no longer active (`unauthorized`).");
                if method != Method::GET {
                    add("403", "The caller's role may not do this (`forbidden`).");
                }
            }
            if names_resource {
                add("404", "No such resource, or not visible to the caller (`not_found`).");
            }
            if has_body || has_params {
                add("422", "The input is invalid (`validation_failed`, with `errors` naming each field).");
            }
            add("500", "An unexpected failure (`internal_error`), with the request id.");
            add("503", "The database is unavailable (`service_unavailable`); retry later.");
        }
    }
    api
}

/// The routes the API serves, to tell an unknown path (404) from a known path with the wrong
/// method (405).
pub struct RouteTable(Vec<(ResourceDef, Vec<Method>)>);

impl RouteTable {
    pub fn from_spec(api: &OpenApi) -> RouteTable {
        let mut routes: Vec<(ResourceDef, Vec<Method>)> = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let mut item = item.clone();
                let methods = operations(&mut item).into_iter().map(|(m, _)| m).collect();
                (ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        routes.push((ResourceDef::new("/api/v1/openapi.json"), vec![Method::GET]));
        RouteTable(routes)
    }

    fn allowed(&self, path: &str) -> Option<Vec<Method>> {
        let mut found: Option<Vec<Method>> = None;
        for (def, methods) in &self.0 {
            if def.is_match(path) {
                found.get_or_insert_with(Vec::new).extend(methods.iter().cloned());
            }
        }
        found
    }
}

pub async fn fallback(
    req: HttpRequest,
    routes: actix_web::web::Data<RouteTable>,
) -> Result<actix_web::HttpResponse, ApiError> {
    Err(match routes.allowed(req.path()) {
        Some(methods) if !methods.contains(req.method()) => {
            let allow: Vec<&str> = methods.iter().map(Method::as_str).collect();
            let mut e = ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("{} is not allowed here; allowed: {}", req.method(), allow.join(", ")),
            );
            e.allow = Some(allow.join(", "));
            e
        }
        _ => ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("no route {}", req.path())),
    })
}
