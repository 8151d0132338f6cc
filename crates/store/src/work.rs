//! The units' work on a suggestion: consultations with the deputy (bookings and records), assist
//! opinions to the lead unit, and reply letters, drafted by handlers and sent by a leader's
//! signature once the gates pass.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use jianyi_domain::handling::{
    check_disclosure, check_signature, AssignmentRole, AssignmentState, ConsultationForm, ConsultationState,
    Disclosure, Letter, ReplyKind, ReplyState, SignatureCheck,
};
use jianyi_domain::permissions::may_read_assist_opinions;
use jianyi_domain::text::{optional, required, sane_instant, Phone};
use jianyi_domain::{Action, Caller, Facts, Refusal, ResultClass, SuggestionState};
use serde::Serialize;
use utoipa::ToSchema;

use crate::assignments::{assignment_rows, AssignmentRow};
use crate::error::found;
use crate::reference::session_row;
use crate::schema::{assist_opinions, consultations, replies, suggestions, units};
use crate::suggestions::{commit_change, decide_for, load, load_mut, Loaded, Note};
use crate::time::{naive, utc};
use crate::{write, Ctx, DbConn, StoreError};

const TEXT_MAX: usize = 20_000;

/// The caller's unit's formal assignment, which the table has already required.
fn formal(loaded: &Loaded) -> Result<&AssignmentRow, StoreError> {
    loaded.assignment.as_ref().filter(|a| a.state().is_formal()).ok_or_else(StoreError::not_found)
}

fn unit_names(conn: &mut DbConn, ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(units::table.filter(units::id.eq_any(ids)).select((units::id, units::name)).load(conn)?)
}

fn name_of(names: &[(i64, String)], id: i64) -> String {
    names.iter().find(|n| n.0 == id).map(|n| n.1.clone()).unwrap_or_default()
}

// ---- consultations ----

/// A consultation with the deputy (沟通、面商): a booking the deputy answers, then its record.
#[derive(Debug, Serialize, ToSchema)]
pub struct Consultation {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub suggestion_id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub assignment_id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub unit_id: i64,
    pub unit_name: String,
    pub form: ConsultationForm,
    pub location: Option<String>,
    pub state: ConsultationState,
    /// The times the unit offered (a booking).
    pub proposed_slots: Vec<DateTime<Utc>>,
    /// The time the deputy chose.
    pub confirmed_slot: Option<DateTime<Utc>>,
    pub held_at: Option<DateTime<Utc>>,
    pub participants: Option<String>,
    pub summary: Option<String>,
    /// What the deputy said.
    pub deputy_opinion: Option<String>,
    /// The account that arranged it.
    #[schema(format = Int64)]
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable)]
struct ConsultationRow {
    id: i64,
    suggestion_id: i64,
    assignment_id: i64,
    unit_id: i64,
    form: String,
    location: Option<String>,
    state: String,
    proposed_slots: String,
    confirmed_slot: Option<NaiveDateTime>,
    held_at: Option<NaiveDateTime>,
    participants: Option<String>,
    summary: Option<String>,
    deputy_opinion: Option<String>,
    created_by: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl ConsultationRow {
    fn state(&self) -> ConsultationState {
        ConsultationState::parse(&self.state).unwrap_or(ConsultationState::Cancelled)
    }

    fn slots(&self) -> Vec<DateTime<Utc>> {
        serde_json::from_str(&self.proposed_slots).unwrap_or_default()
    }
}

fn consultation_views(conn: &mut DbConn, rows: Vec<ConsultationRow>) -> Result<Vec<Consultation>, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.unit_id).collect();
    let names = unit_names(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| Consultation {
            unit_name: name_of(&names, r.unit_id),
            form: ConsultationForm::parse(&r.form).unwrap_or(ConsultationForm::Meeting),
            state: r.state(),
            proposed_slots: r.slots(),
            id: r.id,
            suggestion_id: r.suggestion_id,
            unit_id: r.unit_id,
            location: r.location,
            confirmed_slot: r.confirmed_slot.map(utc),
            held_at: r.held_at.map(utc),
            participants: r.participants,
            summary: r.summary,
            deputy_opinion: r.deputy_opinion,
            assignment_id: r.assignment_id,
            created_by: r.created_by,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        })
        .collect())
}

fn consultation(conn: &mut DbConn, suggestion_id: i64, id: i64) -> Result<ConsultationRow, StoreError> {
    found(consultations::table.find(id).filter(consultations::suggestion_id.eq(suggestion_id)).get_result(conn))
}

fn consultation_view(conn: &mut DbConn, suggestion_id: i64, id: i64) -> Result<Consultation, StoreError> {
    let row = consultation(conn, suggestion_id, id)?;
    consultation_views(conn, vec![row])?.pop().ok_or_else(StoreError::not_found)
}

/// What was said at a consultation.
#[derive(Debug, Clone)]
pub struct ConsultationRecord {
    pub held_at: DateTime<Utc>,
    pub participants: String,
    pub summary: String,
    pub deputy_opinion: String,
}

fn check_record(ctx: &Ctx, r: &ConsultationRecord) -> Result<(String, String, String), Refusal> {
    sane_instant("held_at", r.held_at)?;
    if r.held_at > ctx.now {
        return Err(Refusal::field("held_at", "must not be in the future"));
    }
    Ok((
        required("participants", &r.participants, 2_000)?,
        required("summary", &r.summary, TEXT_MAX)?,
        required("deputy_opinion", &r.deputy_opinion, TEXT_MAX)?,
    ))
}

/// A consultation counts for the unit's handling only if held after its assignment.
fn held_after_assignment(a: &AssignmentRow, held_at: DateTime<Utc>) -> Result<(), Refusal> {
    match a.assigned_at {
        Some(assigned) if held_at < utc(assigned) => {
            Err(Refusal::field("held_at", "must not be before the unit's assignment"))
        }
        _ => Ok(()),
    }
}

pub struct NewConsultation {
    pub form: ConsultationForm,
    pub location: Option<String>,
    /// A booking: the times offered to the deputy.
    pub proposed_slots: Option<Vec<DateTime<Utc>>>,
    /// One already held: its record.
    pub record: Option<ConsultationRecord>,
}

/// A unit books a consultation (offering times) or records one already held.
pub fn consult(conn: &mut DbConn, ctx: &Ctx, id: i64, c: NewConsultation) -> Result<Consultation, StoreError> {
    let location = optional("location", c.location.as_deref(), 200)?;
    let (state, slots, record) = match (&c.proposed_slots, &c.record) {
        (Some(slots), None) => {
            if slots.is_empty() || slots.len() > 5 {
                return Err(Refusal::field("proposed_slots", "offer 1 to 5 times").into());
            }
            for slot in slots {
                sane_instant("proposed_slots", *slot)?;
            }
            if slots.iter().any(|s| *s <= ctx.now) {
                return Err(Refusal::field("proposed_slots", "every time offered must be in the future").into());
            }
            (ConsultationState::Proposed, slots.clone(), None)
        }
        (None, Some(r)) => (ConsultationState::Held, vec![], Some((r.held_at, check_record(ctx, r)?))),
        _ => return Err(Refusal::field(
            "proposed_slots",
            "give either proposed_slots (a booking) or held_at, participants, summary and deputy_opinion (a record)",
        )
        .into()),
    };
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::Consult, &Facts::default())?;
        let a = formal(&loaded)?.clone();
        if let Some((held_at, _)) = &record {
            held_after_assignment(&a, *held_at)?;
        }
        let cid: i64 = diesel::insert_into(consultations::table)
            .values((
                consultations::suggestion_id.eq(id),
                consultations::assignment_id.eq(a.id),
                consultations::unit_id.eq(a.unit_id),
                consultations::form.eq(c.form.as_str()),
                consultations::location.eq(location.as_deref()),
                consultations::state.eq(state.as_str()),
                consultations::proposed_slots.eq(serde_json::to_string(&slots).unwrap_or_else(|_| "[]".into())),
                consultations::held_at.eq(record.as_ref().map(|r| naive(r.0))),
                consultations::participants.eq(record.as_ref().map(|r| r.1 .0.clone())),
                consultations::summary.eq(record.as_ref().map(|r| r.1 .1.clone())),
                consultations::deputy_opinion.eq(record.as_ref().map(|r| r.1 .2.clone())),
                consultations::created_by.eq(ctx.caller.id),
                consultations::created_at.eq(naive(ctx.now)),
                consultations::updated_at.eq(naive(ctx.now)),
            ))
            .returning(consultations::id)
            .get_result(conn)?;
        commit_change(
            conn,
            ctx,
            &loaded.row,
            Action::Consult,
            next,
            Note::new(serde_json::json!({
                "consultation_id": cid, "form": c.form.as_str(), "state": state.as_str(), "proposed_slots": slots,
            }))
            .unit(a.unit_id),
        )?;
        consultation_view(conn, id, cid)
    })
}

/// The lead deputy picks one of the offered times, or declines the booking.
pub fn answer_booking(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    cid: i64,
    slot: Option<DateTime<Utc>>,
) -> Result<Consultation, StoreError> {
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::AnswerBooking, &Facts::default())?;
        let c = consultation(conn, id, cid)?;
        if c.state() != ConsultationState::Proposed {
            return Err(Refusal::Rule {
                code: "booking_closed",
                detail: format!("this consultation is {}", c.state()),
            }
            .into());
        }
        let state = match slot {
            Some(s) if c.slots().contains(&s) => ConsultationState::Confirmed,
            Some(_) => return Err(Refusal::field("slot", "must be one of the proposed_slots").into()),
            None => ConsultationState::Declined,
        };
        diesel::update(consultations::table.find(cid))
            .set((
                consultations::state.eq(state.as_str()),
                consultations::confirmed_slot.eq(slot.map(naive)),
                consultations::updated_at.eq(naive(ctx.now)),
            ))
            .execute(conn)?;
        commit_change(
            conn,
            ctx,
            &loaded.row,
            Action::AnswerBooking,
            next,
            Note::new(serde_json::json!({
                "consultation_id": cid, "answer": state.as_str(), "slot": slot,
            }))
            .unit(c.unit_id),
        )?;
        consultation_view(conn, id, cid)
    })
}

/// The unit records a booked consultation once held.
pub fn record_consultation(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    cid: i64,
    r: &ConsultationRecord,
) -> Result<Consultation, StoreError> {
    let (participants, summary, deputy_opinion) = check_record(ctx, r)?;
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::Consult, &Facts::default())?;
        let a = formal(&loaded)?.clone();
        let c = consultation(conn, id, cid)?;
        if c.unit_id != a.unit_id {
            return Err(StoreError::not_found());
        }
        // Only a booking the deputy confirmed is recorded; one held without a booking is
        // recorded at once with POST …/consultations.
        if c.state() != ConsultationState::Confirmed {
            return Err(Refusal::Rule {
                code: "consultation_closed",
                detail: format!("this consultation is {}: only a confirmed booking is recorded", c.state()),
            }
            .into());
        }
        held_after_assignment(&a, r.held_at)?;
        diesel::update(consultations::table.find(cid))
            .set((
                consultations::state.eq(ConsultationState::Held.as_str()),
                consultations::held_at.eq(Some(naive(r.held_at))),
                consultations::participants.eq(Some(participants)),
                consultations::summary.eq(Some(summary)),
                consultations::deputy_opinion.eq(Some(deputy_opinion)),
                consultations::updated_at.eq(naive(ctx.now)),
            ))
            .execute(conn)?;
        commit_change(
            conn,
            ctx,
            &loaded.row,
            Action::Consult,
            next,
            Note::new(serde_json::json!({
                "consultation_id": cid, "state": "held", "held_at": r.held_at,
            }))
            .unit(a.unit_id),
        )?;
        consultation_view(conn, id, cid)
    })
}

pub fn list_consultations(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Vec<Consultation>, StoreError> {
    load(conn, caller, id)?;
    let rows: Vec<ConsultationRow> =
        consultations::table.filter(consultations::suggestion_id.eq(id)).order(consultations::id.asc()).load(conn)?;
    consultation_views(conn, rows)
}

pub fn get_consultation(conn: &mut DbConn, caller: &Caller, id: i64, cid: i64) -> Result<Consultation, StoreError> {
    load(conn, caller, id)?;
    consultation_view(conn, id, cid)
}

// ---- assist opinions ----

/// An assisting unit's written opinion to the lead unit (协办意见).
#[derive(Debug, Serialize, ToSchema)]
pub struct AssistOpinion {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub suggestion_id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub unit_id: i64,
    pub unit_name: String,
    /// The handling round it was given in.
    pub round: i32,
    pub body: String,
    /// Who signed it for the unit.
    pub signer: String,
    /// Whether it came by its deadline (1 month after the assignment).
    pub on_time: bool,
    pub created_at: DateTime<Utc>,
}

type OpinionRow = (i64, i64, i64, i64, i32, String, String, bool, i64, NaiveDateTime);

fn opinion_views(conn: &mut DbConn, rows: Vec<OpinionRow>) -> Result<Vec<AssistOpinion>, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.3).collect();
    let names = unit_names(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|(id, suggestion_id, _, unit_id, round, body, signer, on_time, _, created_at)| AssistOpinion {
            unit_name: name_of(&names, unit_id),
            id,
            suggestion_id,
            unit_id,
            round,
            body,
            signer,
            on_time,
            created_at: utc(created_at),
        })
        .collect())
}

pub fn give_opinion(
    conn: &mut DbConn,
    ctx: &Ctx,
    id: i64,
    body: &str,
    signer: &str,
) -> Result<AssistOpinion, StoreError> {
    let body = required("body", body, TEXT_MAX)?;
    let signer = required("signer", signer, 100)?;
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::GiveAssistOpinion, &Facts::default())?;
        let a = formal(&loaded)?.clone();
        // The opinion's deadline runs from the assignment: it applies to the first round only.
        let due = if loaded.row.round == 1 { a.opinion_due_on } else { None };
        let note = Note::new(serde_json::json!({ "assignment_id": a.id, "signer": signer }))
            .unit(a.unit_id)
            .deadline(ctx, due);
        let oid: i64 = diesel::insert_into(assist_opinions::table)
            .values((
                assist_opinions::suggestion_id.eq(id),
                assist_opinions::assignment_id.eq(a.id),
                assist_opinions::unit_id.eq(a.unit_id),
                assist_opinions::round.eq(loaded.row.round),
                assist_opinions::body.eq(&body),
                assist_opinions::signer.eq(&signer),
                assist_opinions::on_time.eq(note.on_time.unwrap_or(true)),
                assist_opinions::created_by.eq(ctx.caller.id),
                assist_opinions::created_at.eq(naive(ctx.now)),
            ))
            .returning(assist_opinions::id)
            .get_result(conn)?;
        commit_change(conn, ctx, &loaded.row, Action::GiveAssistOpinion, next, note)?;
        let row: OpinionRow = found(assist_opinions::table.find(oid).get_result(conn))?;
        opinion_views(conn, vec![row])?.pop().ok_or_else(StoreError::not_found)
    })
}

pub fn list_opinions(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Vec<AssistOpinion>, StoreError> {
    load(conn, caller, id)?;
    may_read_assist_opinions(caller)?;
    let rows: Vec<OpinionRow> = assist_opinions::table
        .filter(assist_opinions::suggestion_id.eq(id))
        .order(assist_opinions::id.asc())
        .load(conn)?;
    opinion_views(conn, rows)
}

// ---- replies ----

#[derive(Debug, Clone, Queryable)]
pub(crate) struct ReplyRow {
    pub id: i64,
    pub suggestion_id: i64,
    pub assignment_id: i64,
    pub unit_id: i64,
    pub round: i32,
    pub kind: String,
    pub state: String,
    pub title: String,
    pub doc_number: Option<String>,
    pub body: String,
    pub result_class: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub copy_to: Option<String>,
    pub disclosure: Option<String>,
    pub summary_text: Option<String>,
    pub withheld_reason: Option<String>,
    pub signed_by: Option<i64>,
    pub signer_name: Option<String>,
    pub sent_at: Option<NaiveDateTime>,
    pub due_on: Option<NaiveDate>,
    pub on_time: Option<bool>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl ReplyRow {
    pub fn state(&self) -> ReplyState {
        ReplyState::parse(&self.state).unwrap_or(ReplyState::Draft)
    }

    pub fn kind(&self) -> ReplyKind {
        ReplyKind::parse(&self.kind).unwrap_or(ReplyKind::First)
    }

    pub fn class(&self) -> Option<ResultClass> {
        self.result_class.as_deref().and_then(ResultClass::parse)
    }
}

/// A reply letter (答复函). Drafts are seen by their unit only; earlier versions stay readable.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reply {
    #[schema(format = Int64, minimum = 1)]
    pub id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub suggestion_id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub assignment_id: i64,
    #[schema(format = Int64, minimum = 1)]
    pub unit_id: i64,
    pub unit_name: String,
    /// The handling round it answers.
    pub round: i32,
    pub kind: ReplyKind,
    pub state: ReplyState,
    /// Generated: 关于<session>第N号建议的答复.
    pub title: String,
    /// 文号, e.g. 昆教复〔2026〕12号.
    pub doc_number: Option<String>,
    pub body: String,
    /// The unit's class: A, B or C.
    pub result_class: Option<ResultClass>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    /// 抄送.
    pub copy_to: Option<String>,
    pub disclosure: Option<Disclosure>,
    pub summary_text: Option<String>,
    pub withheld_reason: Option<String>,
    /// The leader who signed it (签发人): their account id and name.
    #[schema(format = Int64)]
    pub signer_id: Option<i64>,
    pub signer_name: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    /// When it was due, and whether it was sent on time.
    pub due_on: Option<NaiveDate>,
    pub on_time: Option<bool>,
    /// The account that drafted it.
    #[schema(format = Int64)]
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn reply_views(conn: &mut DbConn, rows: Vec<ReplyRow>) -> Result<Vec<Reply>, StoreError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.unit_id).collect();
    let names = unit_names(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|r| Reply {
            unit_name: name_of(&names, r.unit_id),
            kind: r.kind(),
            state: r.state(),
            result_class: r.class(),
            disclosure: r.disclosure.as_deref().and_then(Disclosure::parse),
            id: r.id,
            suggestion_id: r.suggestion_id,
            unit_id: r.unit_id,
            round: r.round,
            title: r.title,
            doc_number: r.doc_number,
            body: r.body,
            contact_name: r.contact_name,
            contact_phone: r.contact_phone,
            copy_to: r.copy_to,
            summary_text: r.summary_text,
            withheld_reason: r.withheld_reason,
            signer_name: r.signer_name,
            sent_at: r.sent_at.map(utc),
            due_on: r.due_on,
            on_time: r.on_time,
            assignment_id: r.assignment_id,
            signer_id: r.signed_by,
            created_by: r.created_by,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        })
        .collect())
}

pub(crate) fn reply_row(conn: &mut DbConn, suggestion_id: i64, id: i64) -> Result<ReplyRow, StoreError> {
    found(replies::table.find(id).filter(replies::suggestion_id.eq(suggestion_id)).get_result(conn))
}

pub(crate) fn reply_rows(conn: &mut DbConn, suggestion_id: i64) -> Result<Vec<ReplyRow>, StoreError> {
    Ok(replies::table.filter(replies::suggestion_id.eq(suggestion_id)).order(replies::id.asc()).load(conn)?)
}

fn reply_view(conn: &mut DbConn, suggestion_id: i64, id: i64) -> Result<Reply, StoreError> {
    let row = reply_row(conn, suggestion_id, id)?;
    reply_views(conn, vec![row])?.pop().ok_or_else(StoreError::not_found)
}

/// The fields of a reply letter; in a change, `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct ReplyInput {
    pub doc_number: Option<String>,
    pub body: Option<String>,
    pub result_class: Option<ResultClass>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub copy_to: Option<String>,
    pub disclosure: Option<Disclosure>,
    pub summary_text: Option<String>,
    pub withheld_reason: Option<String>,
}

fn check_reply_input(r: &ReplyInput) -> Result<(), Refusal> {
    optional("doc_number", r.doc_number.as_deref(), 100)?;
    if let Some(b) = &r.body {
        required("body", b, TEXT_MAX)?;
    }
    optional("contact_name", r.contact_name.as_deref(), 50)?;
    if let Some(p) = r.contact_phone.as_deref().filter(|p| !p.trim().is_empty()) {
        Phone::parse("contact_phone", p)?;
    }
    optional("copy_to", r.copy_to.as_deref(), 1_000)?;
    optional("summary_text", r.summary_text.as_deref(), TEXT_MAX)?;
    optional("withheld_reason", r.withheld_reason.as_deref(), 2_000)?;
    if let Some(d) = r.disclosure {
        check_disclosure(d, r.summary_text.as_deref(), r.withheld_reason.as_deref())?;
    }
    Ok(())
}

/// Which reply the lead unit writes now: the first, a rehandling's, or a continuation.
fn kind_now(state: SuggestionState, round: i32) -> ReplyKind {
    match (state, round) {
        (SuggestionState::Continuing, _) => ReplyKind::Continuation,
        (_, 1) => ReplyKind::First,
        _ => ReplyKind::Rehandling,
    }
}

/// The lead unit drafts its reply; the title is generated from the suggestion.
pub fn draft_reply(conn: &mut DbConn, ctx: &Ctx, id: i64, r: ReplyInput) -> Result<Reply, StoreError> {
    check_reply_input(&r)?;
    let body = required("body", r.body.as_deref().unwrap_or(""), TEXT_MAX)?;
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::DraftReply, &Facts::default())?;
        let a = formal(&loaded)?.clone();
        let kind = kind_now(loaded.state(), loaded.row.round);
        let mine: Vec<ReplyRow> = reply_rows(conn, id)?
            .into_iter()
            .filter(|x| x.unit_id == a.unit_id && x.round == loaded.row.round && x.kind() == kind)
            .collect();
        if mine.iter().any(|x| x.state() == ReplyState::Draft) {
            return Err(Refusal::Rule {
                code: "reply_draft_exists",
                detail: "this unit has a draft for this round: change it with PATCH".into(),
            }
            .into());
        }
        if kind != ReplyKind::Continuation && mine.iter().any(|x| x.state() == ReplyState::Sent) {
            return Err(Refusal::Rule {
                code: "already_replied",
                detail: "this unit has replied in this round".into(),
            }
            .into());
        }
        let session = session_row(conn, loaded.row.session_id)?;
        let title = format!("关于{}{}建议的答复", session.name, loaded.row.code.clone().unwrap_or_default());
        let rid: i64 = diesel::insert_into(replies::table)
            .values((
                replies::suggestion_id.eq(id),
                replies::assignment_id.eq(a.id),
                replies::unit_id.eq(a.unit_id),
                replies::round.eq(loaded.row.round),
                replies::kind.eq(kind.as_str()),
                replies::state.eq(ReplyState::Draft.as_str()),
                replies::title.eq(&title),
                replies::doc_number.eq(r.doc_number.as_deref()),
                replies::body.eq(&body),
                replies::result_class.eq(r.result_class.map(ResultClass::as_str)),
                replies::contact_name.eq(r.contact_name.as_deref()),
                replies::contact_phone.eq(r.contact_phone.as_deref()),
                replies::copy_to.eq(r.copy_to.as_deref()),
                replies::disclosure.eq(r.disclosure.map(Disclosure::as_str)),
                replies::summary_text.eq(r.summary_text.as_deref()),
                replies::withheld_reason.eq(r.withheld_reason.as_deref()),
                replies::created_by.eq(ctx.caller.id),
                replies::created_at.eq(naive(ctx.now)),
                replies::updated_at.eq(naive(ctx.now)),
            ))
            .returning(replies::id)
            .get_result(conn)?;
        commit_change(
            conn,
            ctx,
            &loaded.row,
            Action::DraftReply,
            next,
            Note::new(serde_json::json!({
                "reply_id": rid, "kind": kind.as_str(), "round": loaded.row.round,
            }))
            .unit(a.unit_id),
        )?;
        reply_view(conn, id, rid)
    })
}

/// The caller's unit's draft named in the path.
fn own_draft(
    conn: &mut DbConn,
    loaded: &Loaded,
    id: i64,
    reply_id: i64,
) -> Result<(AssignmentRow, ReplyRow), StoreError> {
    let a = formal(loaded)?.clone();
    let r = reply_row(conn, id, reply_id)?;
    if r.unit_id != a.unit_id {
        return Err(StoreError::not_found());
    }
    if r.state() != ReplyState::Draft {
        return Err(Refusal::Rule {
            code: "reply_sent",
            detail: "a sent reply does not change; write the next version".into(),
        }
        .into());
    }
    Ok((a, r))
}

pub fn edit_reply(conn: &mut DbConn, ctx: &Ctx, id: i64, reply_id: i64, r: ReplyInput) -> Result<Reply, StoreError> {
    check_reply_input(&r)?;
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        let next = decide_for(conn, ctx, &loaded, Action::DraftReply, &Facts::default())?;
        let (a, old) = own_draft(conn, &loaded, id, reply_id)?;
        let disclosure = r.disclosure.or(old.disclosure.as_deref().and_then(Disclosure::parse));
        let summary_text = r.summary_text.clone().or(old.summary_text.clone());
        let withheld_reason = r.withheld_reason.clone().or(old.withheld_reason.clone());
        if let Some(d) = disclosure {
            check_disclosure(d, summary_text.as_deref(), withheld_reason.as_deref())?;
        }
        diesel::update(replies::table.find(reply_id))
            .set((
                replies::doc_number.eq(r.doc_number.clone().or(old.doc_number.clone())),
                replies::body.eq(r.body.clone().map(|b| b.trim().to_owned()).unwrap_or(old.body.clone())),
                replies::result_class.eq(r.result_class.map(|c| c.as_str().to_owned()).or(old.result_class.clone())),
                replies::contact_name.eq(r.contact_name.clone().or(old.contact_name.clone())),
                replies::contact_phone.eq(r.contact_phone.clone().or(old.contact_phone.clone())),
                replies::copy_to.eq(r.copy_to.clone().or(old.copy_to.clone())),
                replies::disclosure.eq(disclosure.map(Disclosure::as_str)),
                replies::summary_text.eq(summary_text),
                replies::withheld_reason.eq(withheld_reason),
                replies::updated_at.eq(naive(ctx.now)),
            ))
            .execute(conn)?;
        commit_change(
            conn,
            ctx,
            &loaded.row,
            Action::DraftReply,
            next,
            Note::new(serde_json::json!({
                "reply_id": reply_id, "edited": true,
            }))
            .unit(a.unit_id),
        )?;
        reply_view(conn, id, reply_id)
    })
}

/// Whether the consultation policy (gate 2) is in force. On by default.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub consultation_required: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy { consultation_required: true }
    }
}

/// A leader of the lead unit signs its reply, which sends it, once the gates pass.
pub fn sign_reply(conn: &mut DbConn, ctx: &Ctx, id: i64, reply_id: i64, policy: Policy) -> Result<Reply, StoreError> {
    write(conn, |conn| {
        let loaded = load_mut(conn, ctx, id)?;
        // Who and when first: the gates speak only to those who may sign.
        decide_for(conn, ctx, &loaded, Action::SignReply, &Facts::default())?;
        let (a, r) = own_draft(conn, &loaded, id, reply_id)?;
        let all = assignment_rows(conn, id)?;
        let opinions: Vec<i64> = assist_opinions::table
            .filter(assist_opinions::suggestion_id.eq(id))
            .select(assist_opinions::unit_id)
            .load(conn)?;
        let lacking: Vec<i64> = all
            .iter()
            .filter(|x| x.role() == AssignmentRole::Assist && x.state().is_formal())
            .filter(|x| x.opinion_waived_reason.is_none() && !opinions.contains(&x.unit_id))
            .map(|x| x.unit_id)
            .collect();
        let names = unit_names(conn, &lacking)?;
        let held: i64 = consultations::table
            .filter(consultations::suggestion_id.eq(id))
            .filter(consultations::unit_id.eq(a.unit_id))
            .filter(consultations::state.eq(ConsultationState::Held.as_str()))
            .count()
            .get_result(conn)?;
        let check = SignatureCheck {
            units_without_opinion: lacking.iter().map(|u| name_of(&names, *u)).collect(),
            consulted_lead_deputy: held > 0,
            consultation_required: policy.consultation_required,
            letter: Letter {
                doc_number: r.doc_number.as_deref(),
                body: &r.body,
                result_class: r.class(),
                contact_name: r.contact_name.as_deref(),
                contact_phone: r.contact_phone.as_deref(),
                disclosure: r.disclosure.as_deref().and_then(Disclosure::parse),
                summary_text: r.summary_text.as_deref(),
                withheld_reason: r.withheld_reason.as_deref(),
            },
        };
        check_signature(&check)?;
        let due = if r.kind() == ReplyKind::Continuation { None } else { a.reply_due_on.or(loaded.row.reply_due_on) };
        let note = Note::new(serde_json::json!({ "reply_id": reply_id, "kind": r.kind, "round": r.round, "result_class": r.result_class }))
            .unit(a.unit_id)
            .deadline(ctx, due);
        let signer = crate::accounts::display_name(conn, &ctx.caller)?;
        diesel::update(replies::table.find(reply_id))
            .set((
                replies::state.eq(ReplyState::Sent.as_str()),
                replies::signed_by.eq(Some(ctx.caller.id)),
                replies::signer_name.eq(Some(&signer)),
                replies::sent_at.eq(Some(naive(ctx.now))),
                replies::due_on.eq(due),
                replies::on_time.eq(note.on_time),
                replies::updated_at.eq(naive(ctx.now)),
            ))
            .execute(conn)?;
        // Replied once every lead unit holding it has sent its reply of this round.
        let sent: Vec<i64> = replies::table
            .filter(replies::suggestion_id.eq(id))
            .filter(replies::round.eq(loaded.row.round))
            .filter(replies::state.eq(ReplyState::Sent.as_str()))
            .filter(replies::kind.ne(ReplyKind::Continuation.as_str()))
            .select(replies::unit_id)
            .load(conn)?;
        let all_leads_replied = all
            .iter()
            .filter(|x| x.role() == AssignmentRole::Lead && x.state() == AssignmentState::Acknowledged)
            .all(|x| sent.contains(&x.unit_id));
        let next = decide_for(conn, ctx, &loaded, Action::SignReply, &Facts { all_leads_replied, ..Facts::default() })?;
        if next == SuggestionState::Replied {
            diesel::update(suggestions::table.find(id))
                .set(suggestions::replied_at.eq(Some(naive(ctx.now))))
                .execute(conn)?;
        }
        commit_change(conn, ctx, &loaded.row, Action::SignReply, next, note)?;
        reply_view(conn, id, reply_id)
    })
}

/// Every version of every reply, to whoever may see the suggestion; drafts only to their unit.
pub fn list_replies(conn: &mut DbConn, caller: &Caller, id: i64) -> Result<Vec<Reply>, StoreError> {
    let loaded = load(conn, caller, id)?;
    let own_unit = loaded.assignment.as_ref().map(|a| a.unit_id);
    let rows: Vec<ReplyRow> = reply_rows(conn, id)?
        .into_iter()
        .filter(|r| r.state() == ReplyState::Sent || (caller.role.is_unit() && Some(r.unit_id) == own_unit))
        .collect();
    reply_views(conn, rows)
}

pub fn get_reply(conn: &mut DbConn, caller: &Caller, id: i64, reply_id: i64) -> Result<Reply, StoreError> {
    list_replies(conn, caller, id)?.into_iter().find(|r| r.id == reply_id).ok_or_else(StoreError::not_found)
}
