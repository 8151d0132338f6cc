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

/// The actions that change a suggestion. Each is recorded in the audit log under its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Edit,
    Submit,
    Cosign,
    Withdraw,
    Register,
    Reject,
}

impl Action {
    pub const ALL: [Action; 6] =
        [Action::Edit, Action::Submit, Action::Cosign, Action::Withdraw, Action::Register, Action::Reject];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Edit => "edit",
            Action::Submit => "submit",
            Action::Cosign => "cosign",
            Action::Withdraw => "withdraw",
            Action::Register => "register",
            Action::Reject => "reject",
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
    None,
}

impl Relation {
    pub fn of(caller: &Caller, lead_deputy_id: i64, co_signer_ids: &[i64]) -> Relation {
        match (caller.role, caller.deputy_id) {
            (Role::Deputy, Some(d)) if d == lead_deputy_id => Relation::LeadDeputy,
            (Role::Deputy, Some(d)) if co_signer_ids.contains(&d) => Relation::CoSigner,
            _ => Relation::None,
        }
    }
}

/// Who a rule lets act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    LeadDeputy,
    CoSigner,
    Staff,
}

impl Who {
    fn admits(self, role: Role, relation: Relation) -> bool {
        match self {
            Who::LeadDeputy => role == Role::Deputy && relation == Relation::LeadDeputy,
            Who::CoSigner => role == Role::Deputy && relation == Relation::CoSigner,
            Who::Staff => role == Role::Staff,
        }
    }
}

/// One row of the table: `action` by one of `who`, from one of `from`, leads to `to` (`None`: the
/// state stays as it was).
struct Rule {
    action: Action,
    who: &'static [Who],
    from: &'static [SuggestionState],
    to: Option<SuggestionState>,
}

use SuggestionState as S;

/// Before a reply has been sent, the lead deputy may take the suggestion back (DOMAIN.md: 撤回).
const BEFORE_REPLY: &[SuggestionState] = &[S::Draft, S::Submitted, S::Registered, S::Assigned, S::Handling];

const TABLE: &[Rule] = &[
    Rule { action: Action::Edit, who: &[Who::LeadDeputy], from: &[S::Draft], to: None },
    Rule { action: Action::Submit, who: &[Who::LeadDeputy], from: &[S::Draft], to: Some(S::Submitted) },
    // Co-signers confirm or decline while the office has not yet registered the suggestion.
    Rule { action: Action::Cosign, who: &[Who::CoSigner], from: &[S::Draft, S::Submitted], to: None },
    Rule { action: Action::Withdraw, who: &[Who::LeadDeputy], from: BEFORE_REPLY, to: Some(S::Withdrawn) },
    Rule { action: Action::Register, who: &[Who::Staff], from: &[S::Submitted], to: Some(S::Registered) },
    Rule { action: Action::Reject, who: &[Who::Staff], from: &[S::Submitted], to: Some(S::Rejected) },
];

fn rule(action: Action) -> &'static Rule {
    // Every action has exactly one row; the table test below keeps it so.
    TABLE.iter().find(|r| r.action == action).unwrap_or(&TABLE[0])
}

/// Decide an action: the new state, or why not. The caller's permission is checked before the
/// state, so that a caller who may not act learns nothing about the state.
pub fn decide(
    state: SuggestionState,
    action: Action,
    role: Role,
    relation: Relation,
) -> Result<SuggestionState, Refusal> {
    let rule = rule(action);
    if !rule.who.iter().any(|w| w.admits(role, relation)) {
        return Err(Refusal::Forbidden(match action {
            Action::Register | Action::Reject => "only the deputy-affairs office may do this",
            Action::Cosign => "only a co-signer of this suggestion may answer for it",
            _ => "only the lead deputy of this suggestion may do this",
        }));
    }
    if !rule.from.contains(&state) {
        return Err(Refusal::InvalidTransition { state, action });
    }
    Ok(rule.to.unwrap_or(state))
}

/// Whether the caller may see a suggestion at all. Those who may not get "not found".
pub fn can_see(caller: &Caller, state: SuggestionState, relation: Relation) -> bool {
    match list_scope(caller) {
        ListScope::OwnAsDeputy(_) => relation != Relation::None,
        ListScope::AllSubmitted => state != SuggestionState::Draft,
        ListScope::Nothing => false,
    }
}

/// Which suggestions a caller's lists show: the store turns this into a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListScope {
    /// A deputy: the suggestions they lead or co-sign, drafts included.
    OwnAsDeputy(i64),
    /// The office, committees, supervisors, the council and auditors: all but drafts.
    AllSubmitted,
    /// Units (until they have assignments), admin (not the content of suggestions), and clients
    /// without the `suggestions:read` scope.
    Nothing,
}

pub fn list_scope(caller: &Caller) -> ListScope {
    match caller.role {
        Role::Deputy => caller.deputy_id.map_or(ListScope::Nothing, ListScope::OwnAsDeputy),
        Role::Staff | Role::Committee | Role::Supervisor | Role::Council | Role::Auditor => ListScope::AllSubmitted,
        Role::Integration if caller.has_scope("suggestions:read") => ListScope::AllSubmitted,
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

    #[test]
    fn every_action_has_exactly_one_rule() {
        for action in Action::ALL {
            assert_eq!(TABLE.iter().filter(|r| r.action == action).count(), 1, "{action}");
        }
    }

    #[test]
    fn the_intake_path_of_a_suggestion() {
        let lead = Relation::LeadDeputy;
        let s = decide(S::Draft, Action::Edit, Role::Deputy, lead).unwrap();
        assert_eq!(s, S::Draft);
        let s = decide(s, Action::Submit, Role::Deputy, lead).unwrap();
        assert_eq!(s, S::Submitted);
        assert_eq!(decide(s, Action::Register, Role::Staff, Relation::None), Ok(S::Registered));
        assert_eq!(decide(s, Action::Reject, Role::Staff, Relation::None), Ok(S::Rejected));
    }

    #[test]
    fn registering_a_draft_is_an_invalid_transition() {
        assert_eq!(
            decide(S::Draft, Action::Register, Role::Staff, Relation::None),
            Err(Refusal::InvalidTransition { state: S::Draft, action: Action::Register })
        );
    }

    #[test]
    fn editing_a_submitted_suggestion_is_an_invalid_transition() {
        assert_eq!(
            decide(S::Submitted, Action::Edit, Role::Deputy, Relation::LeadDeputy),
            Err(Refusal::InvalidTransition { state: S::Submitted, action: Action::Edit })
        );
    }

    #[test]
    fn withdrawing_is_possible_until_a_reply_is_sent() {
        for state in [S::Draft, S::Submitted, S::Registered, S::Assigned, S::Handling] {
            assert_eq!(decide(state, Action::Withdraw, Role::Deputy, Relation::LeadDeputy), Ok(S::Withdrawn));
        }
        for state in [S::Replied, S::Continuing, S::Completed, S::Rejected, S::Withdrawn] {
            assert_eq!(
                decide(state, Action::Withdraw, Role::Deputy, Relation::LeadDeputy),
                Err(Refusal::InvalidTransition { state, action: Action::Withdraw })
            );
        }
    }

    #[test]
    fn a_co_signer_may_answer_but_not_withdraw_or_submit() {
        assert_eq!(decide(S::Draft, Action::Cosign, Role::Deputy, Relation::CoSigner), Ok(S::Draft));
        assert!(matches!(
            decide(S::Draft, Action::Submit, Role::Deputy, Relation::CoSigner),
            Err(Refusal::Forbidden(_))
        ));
        assert!(matches!(
            decide(S::Draft, Action::Withdraw, Role::Deputy, Relation::CoSigner),
            Err(Refusal::Forbidden(_))
        ));
        assert!(matches!(
            decide(S::Draft, Action::Cosign, Role::Deputy, Relation::LeadDeputy),
            Err(Refusal::Forbidden(_))
        ));
    }

    #[test]
    fn drafts_are_seen_by_their_deputies_only() {
        assert!(can_see(&deputy(7), S::Draft, Relation::LeadDeputy));
        assert!(can_see(&deputy(7), S::Draft, Relation::CoSigner));
        assert!(!can_see(&deputy(7), S::Submitted, Relation::None));
        assert!(!can_see(&with_role(Role::Staff), S::Draft, Relation::None));
        assert!(can_see(&with_role(Role::Staff), S::Submitted, Relation::None));
        assert!(can_see(&with_role(Role::Auditor), S::Rejected, Relation::None));
        assert!(!can_see(&with_role(Role::UnitHandler), S::Registered, Relation::None));
        assert!(!can_see(&with_role(Role::Admin), S::Registered, Relation::None));
        let mut client = with_role(Role::Integration);
        assert!(!can_see(&client, S::Registered, Relation::None));
        client.scopes = vec!["suggestions:read".into()];
        assert!(can_see(&client, S::Registered, Relation::None));
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

    fn any_role() -> impl Strategy<Value = Role> {
        prop::sample::select(Role::ALL.to_vec())
    }
    fn any_relation() -> impl Strategy<Value = Relation> {
        prop::sample::select(vec![Relation::LeadDeputy, Relation::CoSigner, Relation::None])
    }
    fn any_action() -> impl Strategy<Value = Action> {
        prop::sample::select(Action::ALL.to_vec())
    }

    proptest! {
        /// Random actions by random callers, from a draft or a paper suggestion: every step that
        /// succeeds is a row of the table, end states never change, and only the office registers.
        #[test]
        fn random_sequences_respect_the_table(
            start_on_paper in any::<bool>(),
            steps in prop::collection::vec((any_action(), any_role(), any_relation()), 0..40),
        ) {
            let mut state = if start_on_paper { S::Submitted } else { S::Draft };
            for (action, role, relation) in steps {
                let before = state;
                match decide(state, action, role, relation) {
                    Ok(next) => {
                        let rule = rule(action);
                        prop_assert!(rule.from.contains(&before));
                        prop_assert!(rule.who.iter().any(|w| w.admits(role, relation)));
                        prop_assert!(!before.is_final(), "{before} changed by {action}");
                        if next == S::Registered || next == S::Rejected {
                            prop_assert_eq!(role, Role::Staff);
                            prop_assert_eq!(before, S::Submitted);
                        }
                        if next == S::Withdrawn {
                            prop_assert_eq!(relation, Relation::LeadDeputy);
                        }
                        state = next;
                    }
                    Err(Refusal::InvalidTransition { state: reported, .. }) => {
                        prop_assert_eq!(reported, before);
                    }
                    Err(Refusal::Forbidden(_)) => {}
                    Err(other) => prop_assert!(false, "unexpected refusal {other:?}"),
                }
            }
        }
    }
}
