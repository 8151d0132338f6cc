//! The life of a suggestion (DESIGN.md): its states, the actions on it, and one transition table
//! that says, for each action, from which states it may be taken, by whom, and where it leads.
//! Handlers never decide a transition themselves: they ask [`decide`].

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::caller::Caller;
use crate::error::Refusal;
use crate::role::Role;

/// States of a suggestion, in the order of its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionState {
    Draft,
    Submitted,
    Registered,
    Assigned,
    Handling,
    Replied,
    Continuing,
    Completed,
    Rejected,
    Withdrawn,
}

impl SuggestionState {
    pub const ALL: [SuggestionState; 10] = [
        SuggestionState::Draft,
        SuggestionState::Submitted,
        SuggestionState::Registered,
        SuggestionState::Assigned,
        SuggestionState::Handling,
        SuggestionState::Replied,
        SuggestionState::Continuing,
        SuggestionState::Completed,
        SuggestionState::Rejected,
        SuggestionState::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionState::Draft => "draft",
            SuggestionState::Submitted => "submitted",
            SuggestionState::Registered => "registered",
            SuggestionState::Assigned => "assigned",
            SuggestionState::Handling => "handling",
            SuggestionState::Replied => "replied",
            SuggestionState::Continuing => "continuing",
            SuggestionState::Completed => "completed",
            SuggestionState::Rejected => "rejected",
            SuggestionState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<SuggestionState> {
        SuggestionState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// End states: nothing changes them but an audited administrative correction.
    pub fn is_final(self) -> bool {
        matches!(self, SuggestionState::Completed | SuggestionState::Rejected | SuggestionState::Withdrawn)
    }
}

impl std::fmt::Display for SuggestionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// When a suggestion was handed in: during the congress meeting or in the recess between meetings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Meeting,
    Recess,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Meeting => "meeting",
            Period::Recess => "recess",
        }
    }

    pub fn parse(s: &str) -> Option<Period> {
        [Period::Meeting, Period::Recess].into_iter().find(|p| p.as_str() == s)
    }
}

/// The actions on a suggestion. Each is recorded in the audit log under its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Edit,
    Submit,
    Cosign,
    Withdraw,
    Register,
    Reject,
    /// 预交办: units proposed, to be confirmed.
    Propose,
    /// A proposed unit objects to its proposal.
    Object,
    /// 交办: the formal assignment that starts every clock.
    Assign,
    /// 签收.
    Acknowledge,
    /// 改办: a unit asks to be replaced, within its window.
    RequestReassignment,
    /// The office approves (moving the assignment) or refuses a reassignment request.
    DecideReassignment,
    /// 重点建议: the council chooses it.
    MarkKey,
    /// The lead unit ticks an item of a key suggestion's 五个一 checklist.
    TickChecklist,
    /// A unit arranges or records a consultation with the deputy.
    Consult,
    /// The lead deputy confirms or declines a consultation booking.
    AnswerBooking,
    /// An assisting unit gives its opinion to the lead unit.
    GiveAssistOpinion,
    /// The office waives a missing assist opinion.
    WaiveOpinion,
    /// The lead unit drafts or edits its reply.
    DraftReply,
    /// A leader of the lead unit signs (sends) the reply.
    SignReply,
    /// A deputy rates the reply.
    GiveFeedback,
    /// The office orders rehandling.
    Rehandle,
    /// The committee of the field reviews the result.
    ReviewInitial,
    /// The office confirms the result.
    ReviewFinal,
    /// A supervision office endorses the final review.
    Endorse,
    /// The lead unit reports progress on a B item.
    ReportContinuation,
    /// The office completes a B item once it is solved.
    Complete,
    /// A later check on what was promised.
    Visit,
}

impl Action {
    pub const ALL: [Action; 28] = [
        Action::Edit,
        Action::Submit,
        Action::Cosign,
        Action::Withdraw,
        Action::Register,
        Action::Reject,
        Action::Propose,
        Action::Object,
        Action::Assign,
        Action::Acknowledge,
        Action::RequestReassignment,
        Action::DecideReassignment,
        Action::MarkKey,
        Action::TickChecklist,
        Action::Consult,
        Action::AnswerBooking,
        Action::GiveAssistOpinion,
        Action::WaiveOpinion,
        Action::DraftReply,
        Action::SignReply,
        Action::GiveFeedback,
        Action::Rehandle,
        Action::ReviewInitial,
        Action::ReviewFinal,
        Action::Endorse,
        Action::ReportContinuation,
        Action::Complete,
        Action::Visit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Edit => "edit",
            Action::Submit => "submit",
            Action::Cosign => "cosign",
            Action::Withdraw => "withdraw",
            Action::Register => "register",
            Action::Reject => "reject",
            Action::Propose => "propose",
            Action::Object => "object",
            Action::Assign => "assign",
            Action::Acknowledge => "acknowledge",
            Action::RequestReassignment => "request_reassignment",
            Action::DecideReassignment => "decide_reassignment",
            Action::MarkKey => "mark_key",
            Action::TickChecklist => "tick_checklist",
            Action::Consult => "consult",
            Action::AnswerBooking => "answer_booking",
            Action::GiveAssistOpinion => "give_assist_opinion",
            Action::WaiveOpinion => "waive_opinion",
            Action::DraftReply => "draft_reply",
            Action::SignReply => "sign_reply",
            Action::GiveFeedback => "give_feedback",
            Action::Rehandle => "rehandle",
            Action::ReviewInitial => "review_initial",
            Action::ReviewFinal => "review_final",
            Action::Endorse => "endorse",
            Action::ReportContinuation => "report_continuation",
            Action::Complete => "complete",
            Action::Visit => "visit",
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the caller stands to one suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    LeadDeputy,
    CoSigner,
    /// The caller's unit leads its handling (formally assigned).
    LeadUnit,
    /// The caller's unit assists (formally assigned).
    AssistUnit,
    /// The caller's unit is proposed (预交办), not yet formally assigned.
    ProposedUnit,
    None,
}

/// A unit's active assignment on a suggestion, as the store found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitStanding {
    Lead,
    Assist,
    Proposed,
}

/// A co-signer's answer to the invitation to sign (附议).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CosignStatus {
    Pending,
    Confirmed,
    Declined,
}

impl CosignStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CosignStatus::Pending => "pending",
            CosignStatus::Confirmed => "confirmed",
            CosignStatus::Declined => "declined",
        }
    }

    /// A stored answer; anything unknown reads as not yet answered.
    pub fn parse(s: &str) -> CosignStatus {
        match s {
            "confirmed" => CosignStatus::Confirmed,
            "declined" => CosignStatus::Declined,
            _ => CosignStatus::Pending,
        }
    }

    /// Whether the deputy stands as a co-signer: invited and not declined (an invitation not yet
    /// answered already lets the deputy see and answer the suggestion).
    pub fn signs(self) -> bool {
        self != CosignStatus::Declined
    }
}

impl Relation {
    /// Whether the caller's relation depends on who co-signs: only a deputy's does.
    pub fn depends_on_co_signers(caller: &Caller) -> bool {
        caller.role == Role::Deputy
    }

    /// A deputy's relation from the suggestion's signers.
    pub fn of(caller: &Caller, lead_deputy_id: i64, co_signer_ids: &[i64]) -> Relation {
        match (caller.role, caller.deputy_id) {
            (Role::Deputy, Some(d)) if d == lead_deputy_id => Relation::LeadDeputy,
            (Role::Deputy, Some(d)) if co_signer_ids.contains(&d) => Relation::CoSigner,
            _ => Relation::None,
        }
    }

    /// A unit's relation from its active assignment, if any.
    pub fn of_unit(caller: &Caller, standing: Option<UnitStanding>) -> Relation {
        if !caller.role.is_unit() {
            return Relation::None;
        }
        match standing {
            Some(UnitStanding::Lead) => Relation::LeadUnit,
            Some(UnitStanding::Assist) => Relation::AssistUnit,
            Some(UnitStanding::Proposed) => Relation::ProposedUnit,
            None => Relation::None,
        }
    }

    pub fn is_formal_unit(self) -> bool {
        matches!(self, Relation::LeadUnit | Relation::AssistUnit)
    }
}

/// Who a rule lets act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    LeadDeputy,
    CoSigner,
    Staff,
    Council,
    Supervisor,
    /// A member of a committee whose fields cover the suggestion's category.
    CoveringCommittee,
    /// Any handler or leader of a formally assigned unit, lead or assisting.
    AssignedUnit,
    LeadUnit,
    AssistUnit,
    ProposedUnit,
    /// A leader (签发人) of a lead unit.
    LeadUnitLeader,
}

/// The caller as the table sees them: role, relation, and the committee's coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    pub relation: Relation,
    /// For a committee member: whether their committee covers the suggestion's category.
    pub covers_category: bool,
}

impl Actor {
    pub fn new(role: Role, relation: Relation) -> Actor {
        Actor { role, relation, covers_category: false }
    }
}

impl Who {
    fn admits(self, a: Actor) -> bool {
        let unit = a.role.is_unit();
        match self {
            Who::LeadDeputy => a.role == Role::Deputy && a.relation == Relation::LeadDeputy,
            Who::CoSigner => a.role == Role::Deputy && a.relation == Relation::CoSigner,
            Who::Staff => a.role == Role::Staff,
            Who::Council => a.role == Role::Council,
            Who::Supervisor => a.role == Role::Supervisor,
            Who::CoveringCommittee => a.role == Role::Committee && a.covers_category,
            Who::AssignedUnit => unit && a.relation.is_formal_unit(),
            Who::LeadUnit => unit && a.relation == Relation::LeadUnit,
            Who::AssistUnit => unit && a.relation == Relation::AssistUnit,
            Who::ProposedUnit => unit && a.relation == Relation::ProposedUnit,
            Who::LeadUnitLeader => a.role == Role::UnitLeader && a.relation == Relation::LeadUnit,
        }
    }
}

/// Facts beyond the state that decide where an action leads; the store gathers them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// A reply of this suggestion has been sent (withdrawal is then too late).
    pub reply_sent: bool,
    /// After this action every formal assignment is acknowledged and no reassignment request is open.
    pub handling_ready: bool,
    /// After this signature every lead unit has sent its reply of the current round.
    pub all_leads_replied: bool,
    /// This feedback is the lead deputy's `dissatisfied`.
    pub lead_dissatisfied: bool,
    /// The review approves (otherwise it returns the reply for rehandling).
    pub approve: bool,
    /// The class the final review confirms.
    pub final_class: Option<ResultClass>,
    /// For a final approval: the committee of the field approved this round's result.
    pub initial_approved: bool,
    /// For a final approval: the lead deputy gave feedback on this round, or its window ended.
    pub feedback_settled: bool,
    /// For completing a B item: a continuation report declares the matter solved (gate 5).
    pub solved_report: bool,
}

/// Result classes (办理结果): A solved or partly solved; B measures set or in the work plan; C
/// cannot be solved now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum ResultClass {
    A,
    B,
    C,
}

impl ResultClass {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultClass::A => "A",
            ResultClass::B => "B",
            ResultClass::C => "C",
        }
    }

    pub fn parse(s: &str) -> Option<ResultClass> {
        [ResultClass::A, ResultClass::B, ResultClass::C].into_iter().find(|c| c.as_str() == s)
    }

    /// The class of a suggestion that several lead units handle separately, each replying with
    /// a class for its part. Promised work must be followed up, so one part in B makes it B;
    /// otherwise one part solved makes it A; it is C only when every part is. `None` when no
    /// part has a class.
    pub fn combined(parts: impl IntoIterator<Item = ResultClass>) -> Option<ResultClass> {
        let weight = |c: &ResultClass| match c {
            ResultClass::B => 2,
            ResultClass::A => 1,
            ResultClass::C => 0,
        };
        parts.into_iter().max_by_key(weight)
    }
}

/// Where a rule leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum To {
    /// The state stays as it is (the action is recorded).
    Stay,
    Next(SuggestionState),
    /// Decided by the facts: see [`derive`].
    Derived,
}

/// One row of the table: `action` by one of `who`, from one of `from`, leads to `to`.
struct Rule {
    action: Action,
    who: &'static [Who],
    from: &'static [SuggestionState],
    to: To,
}

use SuggestionState as S;

/// Before a reply has been sent, the lead deputy may take the suggestion back (DOMAIN.md: 撤回).
const BEFORE_REPLY: &[SuggestionState] = &[S::Draft, S::Submitted, S::Registered, S::Assigned, S::Handling];
/// While units hold it.
const IN_HANDS: &[SuggestionState] = &[S::Assigned, S::Handling];
const AFTER_ASSIGNMENT: &[SuggestionState] = &[S::Assigned, S::Handling, S::Replied, S::Continuing, S::Completed];

const TABLE: &[Rule] = &[
    Rule { action: Action::Edit, who: &[Who::LeadDeputy], from: &[S::Draft], to: To::Stay },
    Rule { action: Action::Submit, who: &[Who::LeadDeputy], from: &[S::Draft], to: To::Next(S::Submitted) },
    // Co-signers confirm or decline while the office has not yet registered the suggestion.
    Rule { action: Action::Cosign, who: &[Who::CoSigner], from: &[S::Draft, S::Submitted], to: To::Stay },
    Rule { action: Action::Withdraw, who: &[Who::LeadDeputy], from: BEFORE_REPLY, to: To::Next(S::Withdrawn) },
    Rule { action: Action::Register, who: &[Who::Staff], from: &[S::Submitted], to: To::Next(S::Registered) },
    Rule { action: Action::Reject, who: &[Who::Staff], from: &[S::Submitted], to: To::Next(S::Rejected) },
    Rule { action: Action::Propose, who: &[Who::Staff], from: &[S::Registered], to: To::Stay },
    Rule { action: Action::Object, who: &[Who::ProposedUnit], from: &[S::Registered], to: To::Stay },
    Rule { action: Action::Assign, who: &[Who::Staff], from: &[S::Registered], to: To::Next(S::Assigned) },
    Rule { action: Action::Acknowledge, who: &[Who::AssignedUnit], from: IN_HANDS, to: To::Derived },
    Rule { action: Action::RequestReassignment, who: &[Who::AssignedUnit], from: IN_HANDS, to: To::Next(S::Assigned) },
    Rule { action: Action::DecideReassignment, who: &[Who::Staff], from: IN_HANDS, to: To::Derived },
    Rule {
        action: Action::MarkKey,
        who: &[Who::Council],
        from: &[S::Registered, S::Assigned, S::Handling, S::Replied, S::Continuing],
        to: To::Stay,
    },
    Rule {
        action: Action::TickChecklist,
        who: &[Who::LeadUnit],
        from: &[S::Assigned, S::Handling, S::Replied, S::Continuing],
        to: To::Stay,
    },
    Rule {
        action: Action::Consult,
        who: &[Who::AssignedUnit],
        from: &[S::Assigned, S::Handling, S::Continuing],
        to: To::Stay,
    },
    Rule {
        action: Action::AnswerBooking,
        who: &[Who::LeadDeputy],
        from: &[S::Assigned, S::Handling, S::Continuing],
        to: To::Stay,
    },
    Rule { action: Action::GiveAssistOpinion, who: &[Who::AssistUnit], from: IN_HANDS, to: To::Stay },
    Rule { action: Action::WaiveOpinion, who: &[Who::Staff], from: IN_HANDS, to: To::Stay },
    Rule { action: Action::DraftReply, who: &[Who::LeadUnit], from: &[S::Handling, S::Continuing], to: To::Stay },
    Rule {
        action: Action::SignReply,
        who: &[Who::LeadUnitLeader],
        from: &[S::Handling, S::Continuing],
        to: To::Derived,
    },
    Rule { action: Action::GiveFeedback, who: &[Who::LeadDeputy, Who::CoSigner], from: &[S::Replied], to: To::Derived },
    Rule { action: Action::Rehandle, who: &[Who::Staff], from: &[S::Replied], to: To::Next(S::Handling) },
    Rule { action: Action::ReviewInitial, who: &[Who::CoveringCommittee], from: &[S::Replied], to: To::Derived },
    Rule { action: Action::ReviewFinal, who: &[Who::Staff], from: &[S::Replied], to: To::Derived },
    Rule { action: Action::Endorse, who: &[Who::Supervisor], from: &[S::Continuing, S::Completed], to: To::Stay },
    Rule { action: Action::ReportContinuation, who: &[Who::LeadUnit], from: &[S::Continuing], to: To::Stay },
    Rule { action: Action::Complete, who: &[Who::Staff], from: &[S::Continuing], to: To::Next(S::Completed) },
    Rule {
        action: Action::Visit,
        who: &[Who::Staff, Who::CoveringCommittee, Who::Supervisor],
        from: AFTER_ASSIGNMENT,
        to: To::Stay,
    },
];

/// The states from which the table admits `action` (for a guard on many rows at once).
pub fn from_states(action: Action) -> &'static [SuggestionState] {
    rule(action).from
}

fn rule(action: Action) -> &'static Rule {
    // Every action has exactly one row; the table test below keeps it so.
    TABLE.iter().find(|r| r.action == action).unwrap_or(&TABLE[0])
}

/// Where the actions whose outcome depends on facts lead.
fn derive(state: SuggestionState, action: Action, facts: &Facts) -> SuggestionState {
    match action {
        // Handling starts when every unit has acknowledged and nobody waits for a reassignment.
        Action::Acknowledge | Action::DecideReassignment => {
            if facts.handling_ready {
                S::Handling
            } else {
                S::Assigned
            }
        }
        // Replied once every lead unit has replied; a continuation reply keeps a B item continuing.
        Action::SignReply => match state {
            S::Handling if facts.all_leads_replied => S::Replied,
            other => other,
        },
        // The lead deputy's dissatisfaction sends it back for rehandling.
        Action::GiveFeedback if facts.lead_dissatisfied => S::Handling,
        Action::ReviewInitial | Action::ReviewFinal if !facts.approve => S::Handling,
        Action::ReviewFinal => match facts.final_class {
            Some(ResultClass::B) => S::Continuing,
            Some(_) => S::Completed,
            None => state,
        },
        _ => state,
    }
}

/// The refusal for a caller the table does not admit.
fn forbidden(action: Action) -> Refusal {
    Refusal::Forbidden(match action {
        Action::Register
        | Action::Reject
        | Action::Propose
        | Action::Assign
        | Action::DecideReassignment
        | Action::WaiveOpinion
        | Action::Rehandle
        | Action::ReviewFinal
        | Action::Complete => "only the deputy-affairs office may do this",
        Action::Cosign => "only a co-signer of this suggestion may answer for it",
        Action::Object => "only a unit proposed for this suggestion may object",
        Action::Acknowledge | Action::RequestReassignment | Action::Consult => {
            "only a unit assigned to this suggestion may do this"
        }
        Action::GiveAssistOpinion => "only an assisting unit gives an assist opinion",
        Action::DraftReply | Action::TickChecklist | Action::ReportContinuation => {
            "only the lead unit of this suggestion may do this"
        }
        Action::SignReply => "only a leader (unit_leader) of the lead unit signs its reply",
        Action::GiveFeedback => "only the deputies who signed this suggestion give feedback",
        Action::MarkKey => "only the chairpersons' council chooses key suggestions",
        Action::ReviewInitial => "only a committee covering this suggestion's category reviews it first",
        Action::Endorse => "only a supervision office endorses a final review",
        Action::Visit => "only the office, a committee of the field or a supervision office visits",
        Action::Edit | Action::Submit | Action::Withdraw | Action::AnswerBooking => {
            "only the lead deputy of this suggestion may do this"
        }
    })
}

/// The preconditions beyond the state: the final review's and gate 5.
fn preconditions(action: Action, facts: &Facts) -> Result<(), Refusal> {
    match action {
        Action::ReviewFinal if facts.approve && !facts.initial_approved => Err(Refusal::Rule {
            code: "initial_review_missing",
            detail: "the committee of the field has not approved this round's result yet".into(),
        }),
        Action::ReviewFinal if facts.approve && !facts.feedback_settled => Err(Refusal::Rule {
            code: "feedback_pending",
            detail: "the lead deputy has not given feedback on this round and its window has not ended".into(),
        }),
        Action::Complete if !facts.solved_report => Err(Refusal::Gate {
            code: "gate_continuation_unsolved",
            missing: vec!["a continuation report that declares the matter solved, with its continuation reply".into()],
            other_gates: vec![],
        }),
        _ => Ok(()),
    }
}

/// Decide an action: the new state, or why not. The caller's permission is checked before the
/// state, so that a caller who may not act learns nothing about the state; the state before
/// the preconditions (the final review's, gate 5).
pub fn decide(state: SuggestionState, action: Action, actor: Actor, facts: &Facts) -> Result<SuggestionState, Refusal> {
    let rule = rule(action);
    if !rule.who.iter().any(|w| w.admits(actor)) {
        return Err(forbidden(action));
    }
    if !rule.from.contains(&state) || (action == Action::Withdraw && facts.reply_sent) {
        return Err(Refusal::InvalidTransition { state, action });
    }
    preconditions(action, facts)?;
    Ok(match rule.to {
        To::Stay => state,
        To::Next(next) => next,
        To::Derived => derive(state, action, facts),
    })
}

/// Whether the caller may see a suggestion at all. Those who may not get "not found".
pub fn can_see(caller: &Caller, state: SuggestionState, relation: Relation) -> bool {
    match list_scope(caller) {
        ListScope::OwnAsDeputy(_) | ListScope::AssignedToUnit(_) => relation != Relation::None,
        ListScope::AllSubmitted => state != SuggestionState::Draft,
        ListScope::Nothing => false,
    }
}

/// Which suggestions a caller's lists show: the store turns this into a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListScope {
    /// A deputy: the suggestions they lead or co-sign, drafts included.
    OwnAsDeputy(i64),
    /// A unit's staff: the suggestions their unit is assigned to or proposed for.
    AssignedToUnit(i64),
    /// The office, committees, supervisors, the council and auditors: all but drafts.
    AllSubmitted,
    /// Admin (not the content of suggestions), and clients without the `suggestions:read` scope.
    Nothing,
}

pub fn list_scope(caller: &Caller) -> ListScope {
    match caller.role {
        Role::Deputy => caller.deputy_id.map_or(ListScope::Nothing, ListScope::OwnAsDeputy),
        Role::UnitHandler | Role::UnitLeader => caller.unit_id.map_or(ListScope::Nothing, ListScope::AssignedToUnit),
        Role::Staff | Role::Committee | Role::Supervisor | Role::Council | Role::Auditor => ListScope::AllSubmitted,
        Role::Integration if caller.has_scope(crate::caller::Scope::SuggestionsRead) => ListScope::AllSubmitted,
        _ => ListScope::Nothing,
    }
}

/// How a new suggestion enters the system, by who creates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intake {
    /// A deputy writes a draft; they are its lead deputy.
    Draft { lead_deputy_id: i64 },
    /// The office enters a paper suggestion on a deputy's behalf: submitted at once.
    OnPaper,
}

impl Intake {
    pub fn initial_state(self) -> SuggestionState {
        match self {
            Intake::Draft { .. } => SuggestionState::Draft,
            Intake::OnPaper => SuggestionState::Submitted,
        }
    }
}

pub fn intake(caller: &Caller) -> Result<Intake, Refusal> {
    match (caller.role, caller.deputy_id) {
        (Role::Deputy, Some(lead_deputy_id)) => Ok(Intake::Draft { lead_deputy_id }),
        (Role::Staff, _) => Ok(Intake::OnPaper),
        _ => Err(Refusal::Forbidden("only deputies and the deputy-affairs office enter suggestions")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn deputy(id: i64) -> Caller {
        Caller {
            id: 1,
            username: "d".into(),
            role: Role::Deputy,
            unit_id: None,
            deputy_id: Some(id),
            committee_id: None,
            scopes: vec![],
        }
    }

    fn with_role(role: Role) -> Caller {
        Caller { role, deputy_id: None, ..deputy(0) }
    }

    fn actor(role: Role, relation: Relation) -> Actor {
        Actor::new(role, relation)
    }

    #[test]
    fn separately_handled_parts_combine_into_one_class() {
        use ResultClass::{A, B, C};
        assert_eq!(ResultClass::combined([]), None);
        assert_eq!(ResultClass::combined([C]), Some(C));
        assert_eq!(ResultClass::combined([C, A]), Some(A), "one part solved");
        assert_eq!(ResultClass::combined([A, B, C]), Some(B), "promised work is followed up");
        assert_eq!(ResultClass::combined([B, A]), Some(B));
        assert_eq!(ResultClass::combined([A, A]), Some(A));
    }

    /// The store reads the co-signers only for callers whose relation depends on them: for every
    /// other role, being listed as a co-signer changes nothing.
    #[test]
    fn only_a_deputys_relation_depends_on_the_co_signers() {
        for role in Role::ALL {
            let caller = Caller { role, deputy_id: Some(7), ..deputy(7) };
            let listed = Relation::of(&caller, 1, &[7]);
            if Relation::depends_on_co_signers(&caller) {
                assert_eq!(listed, Relation::CoSigner, "{role:?}");
            } else {
                assert_eq!(listed, Relation::of(&caller, 1, &[]), "{role:?}");
            }
        }
    }

    #[test]
    fn a_co_signer_signs_unless_they_declined() {
        assert!(CosignStatus::Pending.signs() && CosignStatus::Confirmed.signs());
        assert!(!CosignStatus::Declined.signs());
        for status in [CosignStatus::Pending, CosignStatus::Confirmed, CosignStatus::Declined] {
            assert_eq!(CosignStatus::parse(status.as_str()), status);
        }
    }

    const LEAD: Actor = Actor { role: Role::Deputy, relation: Relation::LeadDeputy, covers_category: false };
    const STAFF: Actor = Actor { role: Role::Staff, relation: Relation::None, covers_category: false };
    const NO_FACTS: Facts = Facts {
        reply_sent: false,
        handling_ready: false,
        all_leads_replied: false,
        lead_dissatisfied: false,
        approve: false,
        final_class: None,
        initial_approved: false,
        feedback_settled: false,
        solved_report: false,
    };
    /// Facts under which every precondition holds.
    const SETTLED: Facts = Facts { initial_approved: true, feedback_settled: true, solved_report: true, ..NO_FACTS };

    #[test]
    fn every_action_has_exactly_one_rule() {
        for action in Action::ALL {
            assert_eq!(TABLE.iter().filter(|r| r.action == action).count(), 1, "{action}");
        }
    }

    #[test]
    fn the_intake_path_of_a_suggestion() {
        let s = decide(S::Draft, Action::Edit, LEAD, &NO_FACTS).unwrap();
        assert_eq!(s, S::Draft);
        let s = decide(s, Action::Submit, LEAD, &NO_FACTS).unwrap();
        assert_eq!(s, S::Submitted);
        assert_eq!(decide(s, Action::Register, STAFF, &NO_FACTS), Ok(S::Registered));
        assert_eq!(decide(s, Action::Reject, STAFF, &NO_FACTS), Ok(S::Rejected));
    }

    #[test]
    fn the_handling_path_of_a_suggestion() {
        let lead_unit = actor(Role::UnitHandler, Relation::LeadUnit);
        let leader = actor(Role::UnitLeader, Relation::LeadUnit);
        let committee = Actor { role: Role::Committee, relation: Relation::None, covers_category: true };
        let s = decide(S::Registered, Action::Assign, STAFF, &NO_FACTS).unwrap();
        assert_eq!(s, S::Assigned);
        // One of two units acknowledges: still assigned; the last one: handling.
        assert_eq!(decide(s, Action::Acknowledge, lead_unit, &NO_FACTS), Ok(S::Assigned));
        let ready = Facts { handling_ready: true, ..NO_FACTS };
        let s = decide(s, Action::Acknowledge, lead_unit, &ready).unwrap();
        assert_eq!(s, S::Handling);
        // A handler drafts; only a leader signs.
        assert_eq!(decide(s, Action::DraftReply, lead_unit, &NO_FACTS), Ok(S::Handling));
        assert!(matches!(decide(s, Action::SignReply, lead_unit, &NO_FACTS), Err(Refusal::Forbidden(_))));
        let all = Facts { all_leads_replied: true, ..NO_FACTS };
        assert_eq!(decide(s, Action::SignReply, leader, &NO_FACTS), Ok(S::Handling), "another lead has not replied");
        let s = decide(s, Action::SignReply, leader, &all).unwrap();
        assert_eq!(s, S::Replied);
        // The lead deputy is dissatisfied: back to handling.
        let unhappy = Facts { lead_dissatisfied: true, ..NO_FACTS };
        assert_eq!(decide(s, Action::GiveFeedback, LEAD, &unhappy), Ok(S::Handling));
        assert_eq!(decide(s, Action::GiveFeedback, LEAD, &NO_FACTS), Ok(S::Replied));
        // Reviews.
        let approve = Facts { approve: true, ..NO_FACTS };
        assert_eq!(decide(s, Action::ReviewInitial, committee, &approve), Ok(S::Replied));
        assert_eq!(decide(s, Action::ReviewInitial, committee, &NO_FACTS), Ok(S::Handling));
        let b = Facts { approve: true, final_class: Some(ResultClass::B), ..SETTLED };
        let a = Facts { approve: true, final_class: Some(ResultClass::A), ..SETTLED };
        let c = Facts { approve: true, final_class: Some(ResultClass::C), ..SETTLED };
        // The final approval waits for the committee's and for the lead deputy.
        let early = Facts { initial_approved: false, ..a };
        assert!(matches!(
            decide(s, Action::ReviewFinal, STAFF, &early),
            Err(Refusal::Rule { code: "initial_review_missing", .. })
        ));
        let waiting = Facts { feedback_settled: false, ..a };
        assert!(matches!(
            decide(s, Action::ReviewFinal, STAFF, &waiting),
            Err(Refusal::Rule { code: "feedback_pending", .. })
        ));
        assert_eq!(decide(s, Action::ReviewFinal, STAFF, &a), Ok(S::Completed));
        assert_eq!(decide(s, Action::ReviewFinal, STAFF, &c), Ok(S::Completed));
        let s = decide(s, Action::ReviewFinal, STAFF, &b).unwrap();
        assert_eq!(s, S::Continuing);
        // A continuation reply keeps it continuing; the office completes it.
        assert_eq!(decide(s, Action::SignReply, leader, &all), Ok(S::Continuing));
        // Gate 5: not without a report that declares it solved.
        assert!(matches!(
            decide(s, Action::Complete, STAFF, &NO_FACTS),
            Err(Refusal::Gate { code: "gate_continuation_unsolved", .. })
        ));
        assert_eq!(decide(s, Action::Complete, STAFF, &SETTLED), Ok(S::Completed));
    }

    #[test]
    fn a_committee_reviews_only_its_field() {
        let outside = Actor { role: Role::Committee, relation: Relation::None, covers_category: false };
        assert!(matches!(decide(S::Replied, Action::ReviewInitial, outside, &NO_FACTS), Err(Refusal::Forbidden(_))));
    }

    #[test]
    fn units_act_only_on_their_own_assignments() {
        let stranger = actor(Role::UnitHandler, Relation::None);
        let proposed = actor(Role::UnitHandler, Relation::ProposedUnit);
        let assist = actor(Role::UnitLeader, Relation::AssistUnit);
        for action in [Action::Acknowledge, Action::RequestReassignment, Action::Consult, Action::DraftReply] {
            assert!(matches!(decide(S::Handling, action, stranger, &NO_FACTS), Err(Refusal::Forbidden(_))), "{action}");
        }
        assert_eq!(decide(S::Registered, Action::Object, proposed, &NO_FACTS), Ok(S::Registered));
        assert!(matches!(decide(S::Registered, Action::Acknowledge, proposed, &NO_FACTS), Err(Refusal::Forbidden(_))));
        // An assisting unit never replies to the deputy, even its leader.
        assert!(matches!(decide(S::Handling, Action::DraftReply, assist, &NO_FACTS), Err(Refusal::Forbidden(_))));
        assert!(matches!(decide(S::Handling, Action::SignReply, assist, &NO_FACTS), Err(Refusal::Forbidden(_))));
        assert_eq!(decide(S::Handling, Action::GiveAssistOpinion, assist, &NO_FACTS), Ok(S::Handling));
    }

    #[test]
    fn registering_a_draft_is_an_invalid_transition() {
        assert_eq!(
            decide(S::Draft, Action::Register, STAFF, &NO_FACTS),
            Err(Refusal::InvalidTransition { state: S::Draft, action: Action::Register })
        );
    }

    #[test]
    fn editing_a_submitted_suggestion_is_an_invalid_transition() {
        assert_eq!(
            decide(S::Submitted, Action::Edit, LEAD, &NO_FACTS),
            Err(Refusal::InvalidTransition { state: S::Submitted, action: Action::Edit })
        );
    }

    #[test]
    fn withdrawing_is_possible_until_a_reply_is_sent() {
        for state in [S::Draft, S::Submitted, S::Registered, S::Assigned, S::Handling] {
            assert_eq!(decide(state, Action::Withdraw, LEAD, &NO_FACTS), Ok(S::Withdrawn));
        }
        // Back in handling for rehandling: a reply was sent already.
        let sent = Facts { reply_sent: true, ..NO_FACTS };
        assert_eq!(
            decide(S::Handling, Action::Withdraw, LEAD, &sent),
            Err(Refusal::InvalidTransition { state: S::Handling, action: Action::Withdraw })
        );
        for state in [S::Replied, S::Continuing, S::Completed, S::Rejected, S::Withdrawn] {
            assert_eq!(
                decide(state, Action::Withdraw, LEAD, &NO_FACTS),
                Err(Refusal::InvalidTransition { state, action: Action::Withdraw })
            );
        }
    }

    #[test]
    fn a_co_signer_may_answer_but_not_withdraw_or_submit() {
        let co = actor(Role::Deputy, Relation::CoSigner);
        assert_eq!(decide(S::Draft, Action::Cosign, co, &NO_FACTS), Ok(S::Draft));
        assert!(matches!(decide(S::Draft, Action::Submit, co, &NO_FACTS), Err(Refusal::Forbidden(_))));
        assert!(matches!(decide(S::Draft, Action::Withdraw, co, &NO_FACTS), Err(Refusal::Forbidden(_))));
        assert!(matches!(decide(S::Draft, Action::Cosign, LEAD, &NO_FACTS), Err(Refusal::Forbidden(_))));
    }

    #[test]
    fn drafts_are_seen_by_their_deputies_only() {
        assert!(can_see(&deputy(7), S::Draft, Relation::LeadDeputy));
        assert!(can_see(&deputy(7), S::Draft, Relation::CoSigner));
        assert!(!can_see(&deputy(7), S::Submitted, Relation::None));
        assert!(!can_see(&with_role(Role::Staff), S::Draft, Relation::None));
        assert!(can_see(&with_role(Role::Staff), S::Submitted, Relation::None));
        assert!(can_see(&with_role(Role::Auditor), S::Rejected, Relation::None));
        assert!(!can_see(&with_role(Role::Admin), S::Registered, Relation::None));
        let mut client = with_role(Role::Integration);
        assert!(!can_see(&client, S::Registered, Relation::None));
        client.scopes = vec!["suggestions:read".into()];
        assert!(can_see(&client, S::Registered, Relation::None));
    }

    #[test]
    fn units_see_what_they_are_assigned_or_proposed_for() {
        let unit = Caller { unit_id: Some(3), ..with_role(Role::UnitHandler) };
        assert!(!can_see(&unit, S::Registered, Relation::None));
        assert!(can_see(&unit, S::Registered, Relation::ProposedUnit));
        assert!(can_see(&unit, S::Handling, Relation::AssistUnit));
        assert_eq!(list_scope(&unit), ListScope::AssignedToUnit(3));
    }

    #[test]
    fn only_deputies_and_staff_enter_suggestions() {
        assert_eq!(intake(&deputy(3)), Ok(Intake::Draft { lead_deputy_id: 3 }));
        assert_eq!(intake(&with_role(Role::Staff)), Ok(Intake::OnPaper));
        for role in [Role::Admin, Role::UnitLeader, Role::Auditor, Role::Council, Role::Integration] {
            assert!(intake(&with_role(role)).is_err(), "{role}");
        }
        // A deputy account bound to no deputy record cannot lead anything.
        assert!(intake(&Caller { deputy_id: None, ..deputy(0) }).is_err());
    }

    fn any_actor() -> impl Strategy<Value = Actor> {
        let relations = vec![
            Relation::LeadDeputy,
            Relation::CoSigner,
            Relation::LeadUnit,
            Relation::AssistUnit,
            Relation::ProposedUnit,
            Relation::None,
        ];
        (prop::sample::select(Role::ALL.to_vec()), prop::sample::select(relations), any::<bool>())
            .prop_map(|(role, relation, covers_category)| Actor { role, relation, covers_category })
    }
    fn any_facts() -> impl Strategy<Value = Facts> {
        let classes = vec![None, Some(ResultClass::A), Some(ResultClass::B), Some(ResultClass::C)];
        (any::<[bool; 8]>(), prop::sample::select(classes)).prop_map(|(b, final_class)| Facts {
            reply_sent: b[0],
            handling_ready: b[1],
            all_leads_replied: b[2],
            lead_dissatisfied: b[3],
            approve: b[4],
            final_class,
            initial_approved: b[5],
            feedback_settled: b[6],
            solved_report: b[7],
        })
    }
    fn any_action() -> impl Strategy<Value = Action> {
        prop::sample::select(Action::ALL.to_vec())
    }

    /// Moves the table allows, as (from, to) pairs: the graph of DESIGN.md.
    fn allowed_move(from: SuggestionState, to: SuggestionState) -> bool {
        from == to
            || matches!(
                (from, to),
                (S::Draft, S::Submitted)
                    | (S::Submitted, S::Registered | S::Rejected)
                    | (S::Registered, S::Assigned)
                    | (S::Assigned, S::Handling)
                    | (S::Handling, S::Replied | S::Assigned)
                    | (S::Replied, S::Handling | S::Completed | S::Continuing)
                    | (S::Continuing, S::Completed)
                    | (S::Draft | S::Submitted | S::Registered | S::Assigned | S::Handling, S::Withdrawn)
            )
    }

    proptest! {
        /// Random actions by random callers with random facts: every step that succeeds is a row
        /// of the table and an edge of the lifecycle's graph, end states never change, and the
        /// gatekeeping roles hold.
        #[test]
        fn random_sequences_respect_the_table(
            start_on_paper in any::<bool>(),
            steps in prop::collection::vec((any_action(), any_actor(), any_facts()), 0..80),
        ) {
            let mut state = if start_on_paper { S::Submitted } else { S::Draft };
            for (action, actor, facts) in steps {
                let before = state;
                match decide(state, action, actor, &facts) {
                    Ok(next) => {
                        let rule = rule(action);
                        prop_assert!(rule.from.contains(&before));
                        prop_assert!(rule.who.iter().any(|w| w.admits(actor)));
                        prop_assert!(!before.is_final(), "{before} changed by {action}");
                        prop_assert!(allowed_move(before, next), "{before} -> {next} by {action}");
                        if matches!(next, S::Registered | S::Rejected | S::Assigned) && next != before {
                            prop_assert!(actor.role == Role::Staff || action == Action::RequestReassignment);
                        }
                        if next == S::Withdrawn {
                            prop_assert_eq!(actor.relation, Relation::LeadDeputy);
                            prop_assert!(!facts.reply_sent);
                        }
                        if next == S::Replied && before == S::Handling {
                            prop_assert_eq!(actor.role, Role::UnitLeader);
                            prop_assert_eq!(actor.relation, Relation::LeadUnit);
                        }
                        if next == S::Completed || next == S::Continuing {
                            prop_assert_eq!(actor.role, Role::Staff);
                        }
                        // The gates and preconditions hold on every path.
                        if before == S::Continuing && next == S::Completed {
                            prop_assert!(facts.solved_report, "gate 5");
                        }
                        if action == Action::ReviewFinal && next != S::Handling {
                            prop_assert!(facts.initial_approved && facts.feedback_settled);
                        }
                        state = next;
                    }
                    Err(Refusal::InvalidTransition { state: reported, .. }) => prop_assert_eq!(reported, before),
                    Err(Refusal::Forbidden(_)) => {}
                    Err(Refusal::Rule { .. } | Refusal::Gate { .. }) => {
                        prop_assert!(matches!(action, Action::ReviewFinal | Action::Complete));
                    }
                    Err(other) => prop_assert!(false, "unexpected refusal {other:?}"),
                }
            }
        }
    }

    #[test]
    fn every_state_can_be_reached() {
        // Breadth-first over the table with every actor and fact combination.
        let actors: Vec<Actor> = Role::ALL
            .into_iter()
            .flat_map(|role| {
                [
                    Relation::LeadDeputy,
                    Relation::CoSigner,
                    Relation::LeadUnit,
                    Relation::AssistUnit,
                    Relation::ProposedUnit,
                    Relation::None,
                ]
                .into_iter()
                .flat_map(move |relation| {
                    [false, true].map(|covers_category| Actor { role, relation, covers_category })
                })
            })
            .collect();
        let facts: Vec<Facts> = (0..32u8)
            .flat_map(|bits| {
                [None, Some(ResultClass::A), Some(ResultClass::B)].map(|final_class| Facts {
                    reply_sent: bits & 1 != 0,
                    handling_ready: bits & 2 != 0,
                    all_leads_replied: bits & 4 != 0,
                    lead_dissatisfied: bits & 8 != 0,
                    approve: bits & 16 != 0,
                    final_class,
                    ..SETTLED
                })
            })
            .collect();
        let mut seen = vec![S::Draft];
        let mut frontier = vec![S::Draft];
        while let Some(state) = frontier.pop() {
            for action in Action::ALL {
                for a in &actors {
                    for f in &facts {
                        if let Ok(next) = decide(state, action, *a, f) {
                            if !seen.contains(&next) {
                                seen.push(next);
                                frontier.push(next);
                            }
                        }
                    }
                }
            }
        }
        for state in SuggestionState::ALL {
            assert!(seen.contains(&state), "{state} is unreachable");
        }
    }
}
