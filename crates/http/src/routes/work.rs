//! The units' work: consultations with the deputy, assist opinions, reply letters.

use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use jianyi_domain::handling::{ConsultationForm, Disclosure};
use jianyi_domain::ResultClass;
use jianyi_store::work::{self, AssistOpinion, Consultation, ConsultationRecord, NewConsultation, Reply, ReplyInput};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use super::accounts::created;
use crate::auth::Auth;
use crate::error::{ApiResult, Problem};
use crate::extract::{ApiJson, Id, Ids, OptionalJson};
use crate::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(consult)
        .service(list_consultations)
        .service(get_consultation)
        .service(confirm)
        .service(decline)
        .service(record)
        .service(give_opinion)
        .service(list_opinions)
        .service(draft_reply)
        .service(list_replies)
        .service(get_reply)
        .service(edit_reply)
        .service(sign_reply);
}

const TRANSITION: &str = "The suggestion's state does not allow this (`invalid_transition`, with `state` and `action`)";

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateConsultation {
    pub form: ConsultationForm,
    #[schema(max_length = 200)]
    #[validate(length(max = 200))]
    pub location: Option<String>,
    /// A booking: 1 to 5 future times the deputy chooses from.
    #[schema(max_items = 5)]
    #[validate(length(min = 1, max = 5))]
    pub proposed_slots: Option<Vec<DateTime<Utc>>>,
    /// For one already held: when (not in the future)…
    pub held_at: Option<DateTime<Utc>>,
    /// …who took part…
    #[schema(max_length = 2000)]
    #[validate(length(max = 2000))]
    pub participants: Option<String>,
    /// …what was discussed…
    #[schema(max_length = 20000)]
    #[validate(length(max = 20000))]
    pub summary: Option<String>,
    /// …and what the deputy said.
    #[schema(max_length = 20000)]
    #[validate(length(max = 20000))]
    pub deputy_opinion: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RecordConsultation {
    pub held_at: DateTime<Utc>,
    #[schema(min_length = 1, max_length = 2000)]
    #[validate(length(min = 1, max = 2000))]
    pub participants: String,
    #[schema(min_length = 1, max_length = 20000)]
    #[validate(length(min = 1, max = 20000))]
    pub summary: String,
    #[schema(min_length = 1, max_length = 20000)]
    #[validate(length(min = 1, max = 20000))]
    pub deputy_opinion: String,
}

impl From<RecordConsultation> for ConsultationRecord {
    fn from(r: RecordConsultation) -> ConsultationRecord {
        ConsultationRecord {
            held_at: r.held_at,
            participants: r.participants,
            summary: r.summary,
            deputy_opinion: r.deputy_opinion,
        }
    }
}

/// Book a consultation with the deputy (面商预约) or record one already held: an assigned unit.
///
/// Give either `proposed_slots` (a booking the lead deputy answers) or `held_at`,
/// `participants`, `summary` and `deputy_opinion` (a record).
#[utoipa::path(tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = CreateConsultation, responses(
    (status = 201, description = "Booked or recorded", body = Consultation, headers(("Location" = String, description = "The consultation's address"))),
    (status = 409, description = TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/consultations")]
async fn consult(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<CreateConsultation>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let held = match (b.held_at, b.participants, b.summary, b.deputy_opinion) {
        (None, None, None, None) => None,
        (held_at, participants, summary, deputy_opinion) => Some(ConsultationRecord {
            held_at: held_at.ok_or_else(|| crate::ApiError::field("held_at", "is required in a record"))?,
            participants: participants.unwrap_or_default(),
            summary: summary.unwrap_or_default(),
            deputy_opinion: deputy_opinion.unwrap_or_default(),
        }),
    };
    let new = NewConsultation { form: b.form, location: b.location, proposed_slots: b.proposed_slots, record: held };
    let c = state.call(auth, move |conn, ctx| Ok(work::consult(conn, &ctx, id.0, new)?)).await?;
    Ok(created(format!("/api/v1/suggestions/{}/consultations/{}", c.suggestion_id, c.id), &c))
}

/// A suggestion's consultations.
#[utoipa::path(tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "Its consultations, oldest first", body = Vec<Consultation>),
))]
#[get("/suggestions/{id}/consultations")]
async fn list_consultations(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Vec<Consultation>>> {
    state.call(auth, move |conn, ctx| Ok(work::list_consultations(conn, &ctx.caller, id.0)?)).await.map(web::Json)
}

/// One consultation.
#[utoipa::path(tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1), ("cid" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "The consultation", body = Consultation),
))]
#[get("/suggestions/{id}/consultations/{cid}")]
async fn get_consultation(state: web::Data<AppState>, auth: Auth, ids: Ids) -> ApiResult<web::Json<Consultation>> {
    state.call(auth, move |conn, ctx| Ok(work::get_consultation(conn, &ctx.caller, ids.0, ids.1)?)).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Confirm {
    /// One of the `proposed_slots`.
    pub slot: DateTime<Utc>,
}

/// The lead deputy confirms a booking, choosing one of the offered times.
#[utoipa::path(tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1), ("cid" = i64, Path, minimum = 1)), request_body = Confirm, responses(
    (status = 200, description = "Confirmed", body = Consultation),
    (status = 409, description = "The booking is answered already (`booking_closed`), or the state does not allow it", body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/consultations/{cid}/confirm")]
async fn confirm(
    state: web::Data<AppState>,
    auth: Auth,
    ids: Ids,
    body: ApiJson<Confirm>,
) -> ApiResult<web::Json<Consultation>> {
    let slot = body.0.slot;
    state
        .call(auth, move |conn, ctx| Ok(work::answer_booking(conn, &ctx, ids.0, ids.1, Some(slot))?))
        .await
        .map(web::Json)
}

/// The lead deputy declines a booking.
#[utoipa::path(tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1), ("cid" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "Declined", body = Consultation),
    (status = 409, description = "The booking is answered already (`booking_closed`), or the state does not allow it", body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/consultations/{cid}/decline")]
async fn decline(state: web::Data<AppState>, auth: Auth, ids: Ids) -> ApiResult<web::Json<Consultation>> {
    state.call(auth, move |conn, ctx| Ok(work::answer_booking(conn, &ctx, ids.0, ids.1, None)?)).await.map(web::Json)
}

/// The unit records a booked consultation once held.
#[utoipa::path(tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1), ("cid" = i64, Path, minimum = 1)), request_body = RecordConsultation, responses(
    (status = 200, description = "Recorded", body = Consultation),
    (status = 409, description = "Declined or recorded already (`consultation_closed`), or the state does not allow it", body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/consultations/{cid}/record")]
async fn record(
    state: web::Data<AppState>,
    auth: Auth,
    ids: Ids,
    body: ApiJson<RecordConsultation>,
) -> ApiResult<web::Json<Consultation>> {
    let r: ConsultationRecord = body.0.into();
    state.call(auth, move |conn, ctx| Ok(work::record_consultation(conn, &ctx, ids.0, ids.1, &r)?)).await.map(web::Json)
}

#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct GiveOpinion {
    #[schema(min_length = 1, max_length = 20000)]
    #[validate(length(min = 1, max = 20000))]
    pub body: String,
    /// Who signs it for the unit.
    #[schema(min_length = 1, max_length = 100)]
    #[validate(length(min = 1, max = 100))]
    pub signer: String,
}

/// An assisting unit gives its opinion to the lead unit (协办意见).
#[utoipa::path(tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = GiveOpinion, responses(
    (status = 201, description = "Given; `on_time` says whether by its deadline", body = AssistOpinion, headers(("Location" = String, description = "The suggestion's opinions"))),
    (status = 409, description = TRANSITION, body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/assist-opinions")]
async fn give_opinion(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<GiveOpinion>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let o = state.call(auth, move |conn, ctx| Ok(work::give_opinion(conn, &ctx, id.0, &b.body, &b.signer)?)).await?;
    Ok(created(format!("/api/v1/suggestions/{}/assist-opinions", o.suggestion_id), &o))
}

/// A suggestion's assist opinions: to the units and the office, not to deputies.
#[utoipa::path(tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "Its opinions, oldest first", body = Vec<AssistOpinion>),
    (status = 403, description = "Deputies and clients do not read them (`forbidden`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/suggestions/{id}/assist-opinions")]
async fn list_opinions(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Vec<AssistOpinion>>> {
    state.call(auth, move |conn, ctx| Ok(work::list_opinions(conn, &ctx.caller, id.0)?)).await.map(web::Json)
}

#[derive(Debug, Default, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ReplyLetter {
    /// 文号, e.g. 昆教复〔2026〕12号.
    #[schema(max_length = 100)]
    #[validate(length(max = 100))]
    pub doc_number: Option<String>,
    /// Required when drafting; at least 100 characters of substance to be signed.
    #[schema(max_length = 20000)]
    #[validate(length(max = 20000))]
    pub body: Option<String>,
    pub result_class: Option<ResultClass>,
    #[schema(max_length = 50)]
    #[validate(length(max = 50))]
    pub contact_name: Option<String>,
    #[schema(max_length = 30)]
    #[validate(length(max = 30))]
    pub contact_phone: Option<String>,
    /// 抄送.
    #[schema(max_length = 1000)]
    #[validate(length(max = 1000))]
    pub copy_to: Option<String>,
    pub disclosure: Option<Disclosure>,
    /// Required with `disclosure: summary`.
    #[schema(max_length = 20000)]
    #[validate(length(max = 20000))]
    pub summary_text: Option<String>,
    /// Required with `disclosure: withheld`.
    #[schema(max_length = 2000)]
    #[validate(length(max = 2000))]
    pub withheld_reason: Option<String>,
}

impl From<ReplyLetter> for ReplyInput {
    fn from(r: ReplyLetter) -> ReplyInput {
        ReplyInput {
            doc_number: r.doc_number,
            body: r.body,
            result_class: r.result_class,
            contact_name: r.contact_name,
            contact_phone: r.contact_phone,
            copy_to: r.copy_to,
            disclosure: r.disclosure,
            summary_text: r.summary_text,
            withheld_reason: r.withheld_reason,
        }
    }
}

/// The lead unit drafts its reply (答复函); the title is generated from the suggestion. The
/// draft is the first reply, a rehandling's, or in `continuing` a continuation reply.
#[utoipa::path(tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), request_body = ReplyLetter, responses(
    (status = 201, description = "Drafted", body = Reply, headers(("Location" = String, description = "The reply's address"))),
    (status = 409, description = "A draft exists (`reply_draft_exists`), the unit replied in this round (`already_replied`), or the state does not allow it", body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/replies")]
async fn draft_reply(
    state: web::Data<AppState>,
    auth: Auth,
    id: Id,
    body: ApiJson<ReplyLetter>,
) -> ApiResult<HttpResponse> {
    let input: ReplyInput = body.0.into();
    let r = state.call(auth, move |conn, ctx| Ok(work::draft_reply(conn, &ctx, id.0, input)?)).await?;
    Ok(created(format!("/api/v1/suggestions/{}/replies/{}", r.suggestion_id, r.id), &r))
}

/// Every reply version (first, rehandling, continuation) to whoever may see the suggestion;
/// drafts only to their unit.
#[utoipa::path(tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "Its replies, oldest first", body = Vec<Reply>),
))]
#[get("/suggestions/{id}/replies")]
async fn list_replies(state: web::Data<AppState>, auth: Auth, id: Id) -> ApiResult<web::Json<Vec<Reply>>> {
    state.call(auth, move |conn, ctx| Ok(work::list_replies(conn, &ctx.caller, id.0)?)).await.map(web::Json)
}

/// One reply.
#[utoipa::path(tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1), ("reply_id" = i64, Path, minimum = 1)), responses(
    (status = 200, description = "The reply", body = Reply),
))]
#[get("/suggestions/{id}/replies/{reply_id}")]
async fn get_reply(state: web::Data<AppState>, auth: Auth, ids: Ids) -> ApiResult<web::Json<Reply>> {
    state.call(auth, move |conn, ctx| Ok(work::get_reply(conn, &ctx.caller, ids.0, ids.1)?)).await.map(web::Json)
}

/// Change a draft reply; absent fields stay as they are.
#[utoipa::path(tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1), ("reply_id" = i64, Path, minimum = 1)), request_body = ReplyLetter, responses(
    (status = 200, description = "Changed", body = Reply),
    (status = 409, description = "The reply is sent (`reply_sent`), or the state does not allow it", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/suggestions/{id}/replies/{reply_id}")]
async fn edit_reply(
    state: web::Data<AppState>,
    auth: Auth,
    ids: Ids,
    body: ApiJson<ReplyLetter>,
) -> ApiResult<web::Json<Reply>> {
    let input: ReplyInput = body.0.into();
    state.call(auth, move |conn, ctx| Ok(work::edit_reply(conn, &ctx, ids.0, ids.1, input)?)).await.map(web::Json)
}

#[derive(Debug, Default, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Sign {}

/// Sign and send a reply (签发): a leader (`unit_leader`) of the lead unit, after the gates.
///
/// Refused with 422 and the gate's `code` and `missing` list: `gate_missing_assist_opinion`
/// (an assisting unit's opinion neither given nor waived), `gate_missing_consultation` (no
/// recorded consultation with the lead deputy), `gate_reply_incomplete` (document number,
/// contact person and phone, result class, disclosure decision, a body of substance). When
/// every lead unit has replied, the suggestion is `replied`.
#[utoipa::path(tag = "handling", security(("bearer" = [])), params(("id" = i64, Path, minimum = 1), ("reply_id" = i64, Path, minimum = 1)), request_body(content = Option<Sign>, description = "Optional: no body at all, or an empty JSON object"), responses(
    (status = 200, description = "Sent", body = Reply),
    (status = 409, description = "The reply is sent (`reply_sent`), or the state does not allow it", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "A gate refuses: `gate_missing_assist_opinion`, `gate_missing_consultation`, `gate_reply_incomplete`, with `missing`", body = Problem, content_type = "application/problem+json"),
))]
#[post("/suggestions/{id}/replies/{reply_id}/sign")]
async fn sign_reply(
    state: web::Data<AppState>,
    auth: Auth,
    ids: Ids,
    _body: OptionalJson<Sign>,
) -> ApiResult<web::Json<Reply>> {
    let policy = state.policy;
    state.call(auth, move |conn, ctx| Ok(work::sign_reply(conn, &ctx, ids.0, ids.1, policy)?)).await.map(web::Json)
}
