//! The application: shared state, how a handler reaches the database, and the assembly of
//! routes, spec, docs page and fallbacks in one place.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{web, App, HttpResponse};
use jianyi_store::accounts::Throttle;
use jianyi_store::{Ctx, DbConn, Pool};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::{resolve, Auth, Claims, Jwt, Recent, ACCOUNT_TTL};
use crate::error::{ApiError, ApiResult};
use crate::{middleware, openapi, routes};

/// What every worker shares. Nothing here differs between replicas: sessions are tokens and all
/// state is in the database.
pub struct AppState {
    pub pool: Pool,
    pub jwt: Jwt,
    pub throttle: Throttle,
    /// A hash to verify against when the account does not exist, so that a wrong username takes
    /// as long as a wrong password.
    pub dummy_hash: String,
    /// Local policy: whether a reply needs a recorded consultation (gate 2).
    pub policy: jianyi_store::work::Policy,
    /// The accounts behind recent tokens, as read from the database, by token subject (see
    /// [`ACCOUNT_TTL`]).
    pub callers: std::sync::Arc<Recent<jianyi_domain::Caller>>,
    /// Tokens verified recently (see [`crate::auth::TOKEN_TTL`]).
    pub tokens: Recent<Claims>,
}

impl AppState {
    pub fn new(pool: Pool, jwt: Jwt) -> Result<AppState, ApiError> {
        Ok(AppState {
            pool,
            jwt,
            throttle: Throttle::default(),
            dummy_hash: crate::auth::hash_password("jianyi-dummy-password")?,
            policy: jianyi_store::work::Policy::default(),
            callers: Default::default(),
            tokens: Recent::default(),
        })
    }

    /// Runs `f` on a pooled connection off the async workers, as the caller the token stands for.
    pub async fn call<T, F>(&self, auth: Auth, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn, Ctx) -> Result<T, ApiError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let callers = self.callers.clone();
        web::block(move || {
            let mut conn = jianyi_store::checkout(&pool)?;
            let caller = match callers.get(&auth.claims.sub) {
                Some(caller) => caller,
                None => {
                    let mark = callers.mark();
                    let caller = resolve(&mut conn, &auth.claims)?;
                    let until = std::time::Instant::now() + ACCOUNT_TTL;
                    callers.put_unless_forgotten(&auth.claims.sub, caller.clone(), until, mark);
                    caller
                }
            };
            f(&mut conn, Ctx::new(caller, auth.request_id))
        })
        .await?
    }

    /// Runs `f` on a pooled connection, for the few operations that need no caller.
    pub async fn db<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = jianyi_store::checkout(&pool)?;
            f(&mut conn)
        })
        .await?
    }
}

/// Routes and spec are registered by the same calls, so they cannot drift apart.
fn assemble<T>(app: App<T>) -> (App<T>, utoipa::openapi::OpenApi)
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    let (app, api) = app
        .into_utoipa_app()
        .openapi(openapi::base())
        .service(utoipa_actix_web::scope("/api/v1").configure(routes::configure))
        .configure(routes::health::configure)
        .split_for_parts();
    (app, openapi::finish(api))
}

/// The OpenAPI document, as `jianyi openapi` prints it and `/api/v1/openapi.json` serves it.
pub fn spec() -> utoipa::openapi::OpenApi {
    assemble(App::new()).1
}

pub fn app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let api = spec();
    let routes = web::Data::new(openapi::RouteTable::from_spec(&api));
    let spec_json = web::Data::new(api.to_json().unwrap_or_default());
    // The document's own route comes before the /api/v1 scope, which would otherwise claim it.
    let base = App::new()
        .app_data(state)
        .app_data(routes)
        .app_data(spec_json)
        .route("/api/v1/openapi.json", web::get().to(serve_spec));
    let (app, _) = assemble(base);
    app.route(
        "/docs",
        web::get().to(|| async { HttpResponse::PermanentRedirect().insert_header(("Location", "/docs/")).finish() }),
    )
    .service(SwaggerUi::new("/docs/{_:.*}").config(utoipa_swagger_ui::Config::from("/api/v1/openapi.json")))
    .default_service(web::to(openapi::fallback))
    .wrap(actix_web::middleware::from_fn(middleware::context))
}

async fn serve_spec(spec: web::Data<String>) -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(spec.get_ref().clone())
}
