//! Sessions and their categories, units, deputies and committees. Everyone signed in reads them;
//! the administrator keeps them.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::NaiveDate;
use jianyi_domain::permissions::{require, Capability};
use jianyi_store::reference::{
    self, Category, Committee, CommitteeInput, Deputy, DeputyInput, NewSession, Session, Unit, UnitInput, UnitKind,
};
use jianyi_store::Page;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::accounts::created;
use super::{nullable, PageParams};
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, ApiQuery, Id};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_session)
        .service(list_sessions)
        .service(get_session)
        .service(list_categories)
        .service(add_category)
        .service(create_unit)
        .service(list_units)
        .service(get_unit)
        .service(update_unit)
        .service(create_deputy)
        .service(list_deputies)
        .service(get_deputy)
        .service(update_deputy)
        .service(create_committee)
        .service(list_committees)
        .service(get_committee)
        .service(update_committee);
}

// ---- sessions ----

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateSession {
    /// The term (届), e.g. 14.
    #[schema(minimum = 1, maximum = 100)]
    #[validate(range(min = 1, max = 100))]
    pub term: i32,
    /// The session within the term (次), e.g. 6.
    #[schema(minimum = 1, maximum = 50)]
    #[validate(range(min = 1, max = 50))]
    pub session: i32,
    /// E.g. 昆明市第十四届人民代表大会第六次会议.
    #[schema(min_length = 1, max_length = 200)]
    #[validate(length(min = 1, max = 200))]
    pub name: String,
    pub meeting_start: NaiveDate,
    pub meeting_end: NaiveDate,
}

/// Create a session with the seven default categories (创建会次).
#[utoipa::path(tag = "sessions", security(("bearer" = [])), request_body = CreateSession, responses(
    (status = 201, description = "Created", body = Session, headers(("Location" = String, description = "The session's address"))),
    (status = 409, description = "The term and session, or the name, exist (`already_exists`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/sessions")]
async fn create_session(
    state: web::Data<AppState>,
    auth: Auth,
    body: ApiJson<CreateSession>,
) -> ApiResult<HttpResponse> {
    let s = body.0;
    let session = state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageReferenceData)?;
            let new = NewSession {
                term: s.term,
                session: s.session,
                name: s.name,
                meeting_start: s.meeting_start,
                meeting_end: s.meeting_end,
            };
            Ok(reference::create_session(conn, &ctx, new)?)
        })
        .await?;
    Ok(created(format!("/api/v1/sessions/{}", session.id), &session))
}

/// List sessions.
#[utoipa::path(tag = "sessions", security(("bearer" = [])), params(PageParams), responses(
    (status = 200, description = "A page of sessions", body = Page<Session>),
))]
#[get("/sessions")]
async fn list_sessions(
    state: web::Data<AppState>,
    auth: Auth,
    q: ApiQuery<PageParams>,
) -> ApiResult<web::Json<Page<Session>>> {
    state.call(auth, move |conn, _| Ok(reference::list_sessions(conn, q.0.request()?)?)).await.map(web::Json)
}

/// One session.
#[utoipa::path(tag = "sessions", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "The session", body = Session),
))]
#[get("/sessions/{id}")]
async fn get_session(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Session>> {
    state.call(auth, move |conn, _| Ok(reference::get_session(conn, id.0)?)).await.map(web::Json)
}

/// A session's categories, in order (分类).
#[utoipa::path(tag = "sessions", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "The categories", body = Vec<Category>),
))]
#[get("/sessions/{id}/categories")]
async fn list_categories(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Vec<Category>>> {
    state.call(auth, move |conn, _| Ok(reference::list_categories(conn, id.0)?)).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateCategory {
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    pub name: String,
}

/// Add a category to a session.
#[utoipa::path(tag = "sessions", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = CreateCategory, responses(
    (status = 201, description = "Added", body = Category, headers(("Location" = String, description = "The session's categories"))),
    (status = 409, description = "The session has a category of that name (`already_exists`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/sessions/{id}/categories")]
async fn add_category(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<CreateCategory>,
) -> ApiResult<HttpResponse> {
    let session_id = id.0;
    let category = state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageReferenceData)?;
            Ok(reference::add_category(conn, &ctx, session_id, &body.0.name)?)
        })
        .await?;
    Ok(created(format!("/api/v1/sessions/{session_id}/categories"), &category))
}

// ---- units ----

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateUnit {
    /// Unique, e.g. 市教育体育局.
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    /// Default `government`.
    pub kind: Option<UnitKind>,
    #[schema(max_length = 50)]
    #[validate(length(max = 50))]
    pub contact_name: Option<String>,
    #[schema(max_length = 30)]
    #[validate(length(max = 30))]
    pub contact_phone: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateUnit {
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    pub name: Option<String>,
    pub kind: Option<UnitKind>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 50, nullable)]
    pub contact_name: Option<Option<String>>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 30, nullable)]
    pub contact_phone: Option<Option<String>>,
}

/// Create a handling unit (创建承办单位).
#[utoipa::path(tag = "units", security(("bearer" = [])), request_body = CreateUnit, responses(
    (status = 201, description = "Created", body = Unit, headers(("Location" = String, description = "The unit's address"))),
    (status = 409, description = "A unit of that name exists (`already_exists`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/units")]
async fn create_unit(state: web::Data<AppState>, auth: Auth, body: ApiJson<CreateUnit>) -> ApiResult<HttpResponse> {
    let u = body.0;
    let unit = state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageReferenceData)?;
            let input = UnitInput {
                name: Some(u.name),
                kind: u.kind,
                contact_name: Some(u.contact_name),
                contact_phone: Some(u.contact_phone),
            };
            Ok(reference::create_unit(conn, &ctx, input)?)
        })
        .await?;
    Ok(created(format!("/api/v1/units/{}", unit.id), &unit))
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UnitQuery {
    /// Only units of this kind.
    pub kind: Option<UnitKind>,
    #[param(minimum = 1, maximum = 500, format = Int64)]
    #[validate(range(min = 1, max = 500))]
    pub limit: Option<i64>,
    #[param(pattern = "^[0-9]{1,19}$", max_length = 19)]
    pub cursor: Option<String>,
}

/// List units.
#[utoipa::path(tag = "units", security(("bearer" = [])), params(UnitQuery), responses(
    (status = 200, description = "A page of units", body = Page<Unit>),
))]
#[get("/units")]
async fn list_units(
    state: web::Data<AppState>,
    auth: Auth,
    q: ApiQuery<UnitQuery>,
) -> ApiResult<web::Json<Page<Unit>>> {
    let q = q.0;
    state
        .call(auth, move |conn, _| {
            let page = jianyi_store::page::PageRequest::parse(q.limit, q.cursor.as_deref())?;
            Ok(reference::list_units(conn, q.kind, page)?)
        })
        .await
        .map(web::Json)
}

/// One unit.
#[utoipa::path(tag = "units", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "The unit", body = Unit),
))]
#[get("/units/{id}")]
async fn get_unit(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Unit>> {
    state.call(auth, move |conn, _| Ok(reference::get_unit(conn, id.0)?)).await.map(web::Json)
}

/// Change a unit; absent fields stay as they are.
#[utoipa::path(tag = "units", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = UpdateUnit, responses(
    (status = 200, description = "Changed", body = Unit),
    (status = 409, description = "Another unit has that name (`already_exists`)", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/units/{id}")]
async fn update_unit(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<UpdateUnit>,
) -> ApiResult<web::Json<Unit>> {
    let u = body.0;
    state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageReferenceData)?;
            let input =
                UnitInput { name: u.name, kind: u.kind, contact_name: u.contact_name, contact_phone: u.contact_phone };
            Ok(reference::update_unit(conn, &ctx, id.0, input)?)
        })
        .await
        .map(web::Json)
}

// ---- deputies ----

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateDeputy {
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    pub name: String,
    /// E.g. 五华区代表团. A delegation has one deputy of a name.
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    pub delegation: String,
    /// Shown whole to admin and staff only.
    #[schema(max_length = 30)]
    #[validate(length(max = 30))]
    pub phone: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateDeputy {
    #[schema(min_length = 1, max_length = 50)]
    #[validate(length(min = 1, max = 50))]
    pub name: Option<String>,
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    pub delegation: Option<String>,
    /// `null` clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(max_length = 30, nullable)]
    pub phone: Option<Option<String>>,
}

/// Create a deputy (创建代表).
#[utoipa::path(tag = "deputies", security(("bearer" = [])), request_body = CreateDeputy, responses(
    (status = 201, description = "Created", body = Deputy, headers(("Location" = String, description = "The deputy's address"))),
    (status = 409, description = "The delegation has a deputy of that name (`already_exists`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/deputies")]
async fn create_deputy(state: web::Data<AppState>, auth: Auth, body: ApiJson<CreateDeputy>) -> ApiResult<HttpResponse> {
    let d = body.0;
    let deputy = state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageReferenceData)?;
            let input = DeputyInput { name: Some(d.name), delegation: Some(d.delegation), phone: Some(d.phone) };
            Ok(reference::create_deputy(conn, &ctx, input)?)
        })
        .await?;
    Ok(created(format!("/api/v1/deputies/{}", deputy.id), &deputy))
}

#[derive(Debug, Deserialize, IntoParams, Validate)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeputyQuery {
    /// Only deputies of this delegation.
    #[param(max_length = 100)]
    #[validate(length(max = 100))]
    pub delegation: Option<String>,
    #[param(minimum = 1, maximum = 500, format = Int64)]
    #[validate(range(min = 1, max = 500))]
    pub limit: Option<i64>,
    #[param(pattern = "^[0-9]{1,19}$", max_length = 19)]
    pub cursor: Option<String>,
}

/// List deputies; phones masked except for admin and staff.
#[utoipa::path(tag = "deputies", security(("bearer" = [])), params(DeputyQuery), responses(
    (status = 200, description = "A page of deputies", body = Page<Deputy>),
))]
#[get("/deputies")]
async fn list_deputies(
    state: web::Data<AppState>,
    auth: Auth,
    q: ApiQuery<DeputyQuery>,
) -> ApiResult<web::Json<Page<Deputy>>> {
    let q = q.0;
    state
        .call(auth, move |conn, ctx| {
            let page = jianyi_store::page::PageRequest::parse(q.limit, q.cursor.as_deref())?;
            Ok(reference::list_deputies(conn, &ctx.caller, q.delegation.as_deref(), page)?)
        })
        .await
        .map(web::Json)
}

/// One deputy; the phone masked except for admin and staff.
#[utoipa::path(tag = "deputies", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "The deputy", body = Deputy),
))]
#[get("/deputies/{id}")]
async fn get_deputy(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Deputy>> {
    state.call(auth, move |conn, ctx| Ok(reference::get_deputy(conn, &ctx.caller, id.0)?)).await.map(web::Json)
}

/// Change a deputy; absent fields stay as they are.
#[utoipa::path(tag = "deputies", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = UpdateDeputy, responses(
    (status = 200, description = "Changed", body = Deputy),
    (status = 409, description = "The delegation has another deputy of that name (`already_exists`)", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/deputies/{id}")]
async fn update_deputy(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<UpdateDeputy>,
) -> ApiResult<web::Json<Deputy>> {
    let d = body.0;
    state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageReferenceData)?;
            let input = DeputyInput { name: d.name, delegation: d.delegation, phone: d.phone };
            Ok(reference::update_deputy(conn, &ctx, id.0, input)?)
        })
        .await
        .map(web::Json)
}

// ---- committees ----

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateCommittee {
    /// Unique, e.g. 市人大教育科学文化卫生委员会.
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    /// Names of the categories it covers, e.g. 教科文卫.
    #[serde(default)]
    #[schema(max_items = 50)]
    #[validate(length(max = 50))]
    pub categories: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateCommittee {
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    pub name: Option<String>,
    /// Replaces the list.
    #[schema(max_items = 50)]
    #[validate(length(max = 50))]
    pub categories: Option<Vec<String>>,
}

/// Create a committee (创建专门委员会).
#[utoipa::path(tag = "committees", security(("bearer" = [])), request_body = CreateCommittee, responses(
    (status = 201, description = "Created", body = Committee, headers(("Location" = String, description = "The committee's address"))),
    (status = 409, description = "A committee of that name exists (`already_exists`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/committees")]
async fn create_committee(
    state: web::Data<AppState>,
    auth: Auth,
    body: ApiJson<CreateCommittee>,
) -> ApiResult<HttpResponse> {
    let c = body.0;
    let committee = state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageReferenceData)?;
            Ok(reference::create_committee(
                conn,
                &ctx,
                CommitteeInput { name: Some(c.name), categories: Some(c.categories) },
            )?)
        })
        .await?;
    Ok(created(format!("/api/v1/committees/{}", committee.id), &committee))
}

/// List committees.
#[utoipa::path(tag = "committees", security(("bearer" = [])), params(PageParams), responses(
    (status = 200, description = "A page of committees", body = Page<Committee>),
))]
#[get("/committees")]
async fn list_committees(
    state: web::Data<AppState>,
    auth: Auth,
    q: ApiQuery<PageParams>,
) -> ApiResult<web::Json<Page<Committee>>> {
    state.call(auth, move |conn, _| Ok(reference::list_committees(conn, q.0.request()?)?)).await.map(web::Json)
}

/// One committee.
#[utoipa::path(tag = "committees", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "The committee", body = Committee),
))]
#[get("/committees/{id}")]
async fn get_committee(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Committee>> {
    state.call(auth, move |conn, _| Ok(reference::get_committee(conn, id.0)?)).await.map(web::Json)
}

/// Change a committee; absent fields stay as they are.
#[utoipa::path(tag = "committees", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = UpdateCommittee, responses(
    (status = 200, description = "Changed", body = Committee),
    (status = 409, description = "Another committee has that name (`already_exists`)", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/committees/{id}")]
async fn update_committee(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<UpdateCommittee>,
) -> ApiResult<web::Json<Committee>> {
    let c = body.0;
    state
        .call(auth, move |conn, ctx| {
            require(&ctx.caller, Capability::ManageReferenceData)?;
            Ok(reference::update_committee(
                conn,
                &ctx,
                id.0,
                CommitteeInput { name: c.name, categories: c.categories },
            )?)
        })
        .await
        .map(web::Json)
}
