//! The vocabulary of handling (assignments, consultations, opinions, replies, feedback, reviews)
//! and the gates a reply must pass before a leader's signature sends it (DESIGN.md, gates 1-3).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{FieldError, Refusal};
use crate::text::Phone;
use crate::ResultClass;

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// 主办 or 协办: several leads mean separate handling (分办), each replying for its part.
    AssignmentRole { Lead = "lead", Assist = "assist" }
);

vocabulary!(
    /// An assignment's life: proposed (预交办) and maybe objected to, then assigned (交办),
    /// acknowledged (签收); it ends transferred (改办) or cancelled (the suggestion withdrawn).
    AssignmentState {
        Proposed = "proposed",
        Objected = "objected",
        Assigned = "assigned",
        Acknowledged = "acknowledged",
        Transferred = "transferred",
        Cancelled = "cancelled",
    }
);

impl AssignmentState {
    /// The states in which an assignment still holds its suggestion (proposed or formal).
    pub const ACTIVE: [AssignmentState; 4] = [
        AssignmentState::Proposed,
        AssignmentState::Objected,
        AssignmentState::Assigned,
        AssignmentState::Acknowledged,
    ];

    /// The states in which an assignment no longer holds its suggestion.
    pub const ENDED: [AssignmentState; 2] = [AssignmentState::Transferred, AssignmentState::Cancelled];

    /// Still holding the suggestion (proposed or formal).
    pub fn is_active(self) -> bool {
        Self::ACTIVE.contains(&self)
    }

    pub fn is_formal(self) -> bool {
        matches!(self, AssignmentState::Assigned | AssignmentState::Acknowledged)
    }
}

vocabulary!(
    ReassignmentState { Open = "open", Approved = "approved", Refused = "refused" }
);

vocabulary!(
    /// How a unit talks with the deputy (沟通、面商).
    ConsultationForm {
        FaceToFace = "face_to_face",
        SiteVisit = "site_visit",
        Meeting = "meeting",
        Phone = "phone",
        Video = "video",
    }
);

vocabulary!(
    /// A booking the deputy answers (`proposed` -> `confirmed` or `declined`), then `held` once
    /// recorded; `cancelled` when the suggestion is withdrawn.
    ConsultationState {
        Proposed = "proposed",
        Confirmed = "confirmed",
        Declined = "declined",
        Held = "held",
        Cancelled = "cancelled",
    }
);

vocabulary!(
    /// Which reply this is: the first, after rehandling, or a B item's continuation (续办续复).
    ReplyKind { First = "first", Rehandling = "rehandling", Continuation = "continuation" }
);

vocabulary!(
    ReplyState { Draft = "draft", Sent = "sent" }
);

vocabulary!(
    /// 公开: published in full, as a summary, on request, or withheld (with a reason).
    Disclosure { Public = "public", Summary = "summary", OnRequest = "on_request", Withheld = "withheld" }
);

vocabulary!(
    /// 满意 / 基本满意 / 不满意.
    Satisfaction { Satisfied = "satisfied", BasicallySatisfied = "basically_satisfied", Dissatisfied = "dissatisfied" }
);

vocabulary!(
    /// 初审 by the committee of the field, 复审 by the office.
    ReviewStage { Initial = "initial", Final = "final" }
);

vocabulary!(
    ReviewDecision { Approve = "approve", Return = "return" }
);

vocabulary!(
    /// The 五个一 of a key suggestion.
    ChecklistItem {
        WorkPlan = "work_plan",
        LeadingGroup = "leading_group",
        JointSurvey = "joint_survey",
        ConsultationMeeting = "consultation_meeting",
        FinalReport = "final_report",
    }
);

/// At most this many units are assigned one suggestion (a sanity bound on one request).
pub const MAX_UNITS: usize = 50;

/// A reply letter of substance has at least this many characters (gate 3: no formality replies,
/// the seed's first failure).
pub const REPLY_BODY_MIN_CHARS: usize = 100;

/// A reply letter as the unit wrote it, before signature.
#[derive(Debug, Clone, Default)]
pub struct Letter<'a> {
    pub doc_number: Option<&'a str>,
    pub body: &'a str,
    pub result_class: Option<ResultClass>,
    pub contact_name: Option<&'a str>,
    pub contact_phone: Option<&'a str>,
    pub disclosure: Option<Disclosure>,
    pub summary_text: Option<&'a str>,
    pub withheld_reason: Option<&'a str>,
}

/// Characters of substance: letters and digits, not spaces or punctuation (a letter padded
/// with spaces or 。 is still a formality).
pub fn substance(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphanumeric()).count()
}

fn blank(v: Option<&str>) -> bool {
    v.is_none_or(|s| s.trim().is_empty())
}

impl Letter<'_> {
    /// What the letter lacks (gate 3), by field.
    pub fn missing(&self) -> Vec<String> {
        let mut missing = vec![];
        if blank(self.doc_number) {
            missing.push("doc_number".into());
        }
        if substance(self.body) < REPLY_BODY_MIN_CHARS {
            missing.push(format!("body (at least {REPLY_BODY_MIN_CHARS} characters of substance)"));
        }
        if self.result_class.is_none() {
            missing.push("result_class".into());
        }
        if blank(self.contact_name) {
            missing.push("contact_name".into());
        }
        match self.contact_phone {
            Some(p) if Phone::parse("contact_phone", p).is_ok() => {}
            _ => missing.push("contact_phone".into()),
        }
        match self.disclosure {
            None => missing.push("disclosure".into()),
            Some(Disclosure::Summary) if blank(self.summary_text) => missing.push("summary_text".into()),
            Some(Disclosure::Withheld) if blank(self.withheld_reason) => missing.push("withheld_reason".into()),
            _ => {}
        }
        missing
    }
}

/// What the gates look at when a leader signs.
#[derive(Debug, Clone, Default)]
pub struct SignatureCheck<'a> {
    /// Assisting units whose opinion is neither given nor waived (gate 1).
    pub units_without_opinion: Vec<String>,
    /// Whether the signing unit has recorded a consultation with the lead deputy (gate 2).
    pub consulted_lead_deputy: bool,
    /// Whether gate 2 is in force (policy; on by default).
    pub consultation_required: bool,
    pub letter: Letter<'a>,
}

/// The gates, in order: the first that fails refuses the signature with its code and what is
/// missing; the others that fail are named too.
pub fn check_signature(check: &SignatureCheck<'_>) -> Result<(), Refusal> {
    let mut failed: Vec<(&'static str, Vec<String>)> = vec![];
    if !check.units_without_opinion.is_empty() {
        failed.push(("gate_missing_assist_opinion", check.units_without_opinion.clone()));
    }
    if check.consultation_required && !check.consulted_lead_deputy {
        failed.push(("gate_missing_consultation", vec!["a recorded consultation with the lead deputy".into()]));
    }
    let letter = check.letter.missing();
    if !letter.is_empty() {
        failed.push(("gate_reply_incomplete", letter));
    }
    match failed.first() {
        None => Ok(()),
        Some((code, missing)) => Err(Refusal::Gate {
            code,
            missing: missing.clone(),
            other_gates: failed.iter().skip(1).map(|(c, _)| *c).collect(),
        }),
    }
}

/// Checks the fields a disclosure decision needs, when a reply is drafted.
pub fn check_disclosure(
    d: Disclosure,
    summary_text: Option<&str>,
    withheld_reason: Option<&str>,
) -> Result<(), Refusal> {
    match d {
        Disclosure::Summary if blank(summary_text) => {
            Err(Refusal::Validation(vec![FieldError::new("summary_text", "is required when disclosure is summary")]))
        }
        Disclosure::Withheld if blank(withheld_reason) => Err(Refusal::Validation(vec![FieldError::new(
            "withheld_reason",
            "is required when disclosure is withheld",
        )])),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_assignment_state_is_either_active_or_ended() {
        for state in AssignmentState::ALL {
            assert_ne!(AssignmentState::ACTIVE.contains(state), AssignmentState::ENDED.contains(state), "{state}");
        }
    }

    fn complete<'a>(body: &'a str) -> Letter<'a> {
        Letter {
            doc_number: Some("昆教复〔2026〕12号"),
            body,
            result_class: Some(ResultClass::A),
            contact_name: Some("李明"),
            contact_phone: Some("0871-63123456"),
            disclosure: Some(Disclosure::Public),
            summary_text: None,
            withheld_reason: None,
        }
    }

    #[test]
    fn a_complete_letter_after_consultation_and_opinions_passes() {
        let body = "经研究，".repeat(40);
        let check = SignatureCheck {
            consulted_lead_deputy: true,
            consultation_required: true,
            letter: complete(&body),
            ..Default::default()
        };
        assert_eq!(check_signature(&check), Ok(()));
    }

    #[test]
    fn gates_refuse_in_order_and_name_what_is_missing() {
        let check = SignatureCheck {
            units_without_opinion: vec!["市财政局".into()],
            consulted_lead_deputy: false,
            consultation_required: true,
            letter: Letter { body: "已收悉。", ..Default::default() },
        };
        match check_signature(&check) {
            Err(Refusal::Gate { code, missing, other_gates }) => {
                assert_eq!(code, "gate_missing_assist_opinion");
                assert_eq!(missing, ["市财政局"]);
                assert_eq!(other_gates, ["gate_missing_consultation", "gate_reply_incomplete"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn padding_is_not_substance() {
        let padded = format!("已收悉{}。", " ".repeat(100));
        assert!(complete(&padded).missing()[0].starts_with("body"));
        assert!(complete(&"。".repeat(150)).missing()[0].starts_with("body"));
        assert_eq!(substance("经研究，同意。A1"), 7);
    }

    #[test]
    fn a_formality_reply_is_incomplete() {
        let letter = Letter { body: "已收悉，将认真研究。", ..complete("") };
        let missing = letter.missing();
        assert_eq!(missing.len(), 1);
        assert!(missing[0].starts_with("body"));
        let body = "x".repeat(100);
        let mut no_contact = complete(&body);
        no_contact.contact_phone = Some("call me");
        no_contact.disclosure = Some(Disclosure::Withheld);
        assert_eq!(no_contact.missing(), ["contact_phone", "withheld_reason"]);
    }

    #[test]
    fn consultation_gate_can_be_turned_off() {
        let body = "x".repeat(100);
        let check = SignatureCheck { consultation_required: false, letter: complete(&body), ..Default::default() };
        assert_eq!(check_signature(&check), Ok(()));
    }

    proptest::proptest! {
        /// Whatever the letter and the handling, a signature passes exactly when every gate holds,
        /// and a refusal names the first gate that fails.
        #[test]
        fn a_signature_passes_exactly_when_every_gate_holds(
            lacking in proptest::collection::vec("[a-z]{1,4}", 0..3),
            consulted in proptest::bool::ANY,
            required in proptest::bool::ANY,
            doc in proptest::option::of("[a-z0-9 ]{0,5}"),
            body_len in 0usize..200,
            class in proptest::option::of(proptest::sample::select(vec![ResultClass::A, ResultClass::B, ResultClass::C])),
            contact in proptest::option::of("[a-z ]{0,3}"),
            phone in proptest::option::of(proptest::sample::select(vec!["0871-63123456", "12", "call"])),
            disclosure in proptest::option::of(proptest::sample::select(Disclosure::ALL.to_vec())),
            summary in proptest::option::of("[a-z ]{0,3}"),
            withheld in proptest::option::of("[a-z ]{0,3}"),
        ) {
            let body = "办".repeat(body_len);
            let letter = Letter {
                doc_number: doc.as_deref(),
                body: &body,
                result_class: class,
                contact_name: contact.as_deref(),
                contact_phone: phone,
                disclosure,
                summary_text: summary.as_deref(),
                withheld_reason: withheld.as_deref(),
            };
            let letter_ok = !blank(doc.as_deref())
                && body_len >= REPLY_BODY_MIN_CHARS
                && class.is_some()
                && !blank(contact.as_deref())
                && phone == Some("0871-63123456")
                && match disclosure {
                    None => false,
                    Some(Disclosure::Summary) => !blank(summary.as_deref()),
                    Some(Disclosure::Withheld) => !blank(withheld.as_deref()),
                    Some(_) => true,
                };
            let check = SignatureCheck {
                units_without_opinion: lacking.clone(),
                consulted_lead_deputy: consulted,
                consultation_required: required,
                letter,
            };
            let all_hold = lacking.is_empty() && (consulted || !required) && letter_ok;
            match check_signature(&check) {
                Ok(()) => proptest::prop_assert!(all_hold),
                Err(Refusal::Gate { code, .. }) => {
                    proptest::prop_assert!(!all_hold);
                    let first = if !lacking.is_empty() {
                        "gate_missing_assist_opinion"
                    } else if required && !consulted {
                        "gate_missing_consultation"
                    } else {
                        "gate_reply_incomplete"
                    };
                    proptest::prop_assert_eq!(code, first);
                }
                Err(other) => proptest::prop_assert!(false, "{other:?}"),
            }
        }
    }

    #[test]
    fn vocabularies_round_trip() {
        for v in ConsultationForm::ALL {
            assert_eq!(ConsultationForm::parse(v.as_str()), Some(*v));
        }
        assert_eq!(Satisfaction::parse("basically_satisfied"), Some(Satisfaction::BasicallySatisfied));
        assert!(AssignmentState::Acknowledged.is_formal() && AssignmentState::Proposed.is_active());
        assert!(!AssignmentState::Transferred.is_active());
    }
}
