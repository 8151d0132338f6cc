//! The demo's handling year: the seed year's 291 suggestions driven through the lifecycle by the
//! roles that own each step, ending as the seed ended: A 226, B 33, C 32, the four key
//! suggestions A. Units without a demo account act through stand-in callers named after them.

use chrono::{Duration, NaiveDate, Utc};
use jianyi_domain::handling::{
    AssignmentRole, ChecklistItem, ConsultationForm, Disclosure, ReviewDecision, ReviewStage, Satisfaction,
};
use jianyi_domain::session::congress_date;
use jianyi_domain::{Caller, ResultClass, Role};
use jianyi_store::assignments::{self, Decision, MeetingItem, UnitChoice};
use jianyi_store::outcome::{self, NewFeedback, NewReview};
use jianyi_store::work::{self, ConsultationRecord, NewConsultation, Policy, ReplyInput};
use jianyi_store::{Ctx, DbConn};

use super::data::{self, DemoSuggestion};
use super::DemoError;

/// The seed year's outcome (DOMAIN.md).
pub const CLASS_COUNTS: [(ResultClass, usize); 3] = [(ResultClass::A, 226), (ResultClass::B, 33), (ResultClass::C, 32)];

/// Which class each suggestion ends with: B and C spread over the year, never a key suggestion.
pub fn planned_classes(all: &[DemoSuggestion]) -> Vec<ResultClass> {
    let mut classes = vec![ResultClass::A; all.len()];
    let (mut b, mut c) = (0, 0);
    for (i, s) in all.iter().enumerate() {
        if s.key {
            continue;
        }
        if i % 9 == 2 && b < CLASS_COUNTS[1].1 {
            classes[i] = ResultClass::B;
            b += 1;
        } else if i % 9 == 5 && c < CLASS_COUNTS[2].1 {
            classes[i] = ResultClass::C;
            c += 1;
        }
    }
    // Fill any shortfall from the last ordinary suggestions.
    for (i, s) in all.iter().enumerate().rev() {
        if s.key || classes[i] != ResultClass::A {
            continue;
        }
        if b < CLASS_COUNTS[1].1 {
            classes[i] = ResultClass::B;
            b += 1;
        } else if c < CLASS_COUNTS[2].1 {
            classes[i] = ResultClass::C;
            c += 1;
        }
    }
    classes
}

/// Suggestions first assigned to the wrong unit, which asks to be replaced.
fn reassigned(i: usize) -> bool {
    matches!(i, 17 | 103 | 211)
}

/// Suggestions whose lead deputy is dissatisfied with the first reply.
fn rehandled(i: usize, class: ResultClass) -> bool {
    class == ResultClass::A && i % 37 == 3
}

fn stand_in(
    role: Role,
    unit_id: Option<i64>,
    committee_id: Option<i64>,
    deputy_id: Option<i64>,
    name: String,
) -> Caller {
    Caller { id: 0, username: name, role, unit_id, deputy_id, committee_id, scopes: vec![] }
}

fn ctx(caller: Caller) -> Ctx {
    Ctx::new(caller, Some("demo".into()))
}

/// The people of the demo year: the office, the council, a supervisor, and per unit a handler
/// and a leader (the demo accounts where there are some).
pub struct Cast {
    pub staff: Caller,
    pub council: Caller,
    pub supervisor: Caller,
    /// The demo accounts of one unit: (unit id, handler, leader).
    pub unit_accounts: (i64, Caller, Caller),
    pub unit_ids: Vec<i64>,
    pub unit_names: Vec<&'static str>,
    pub deputy_ids: Vec<i64>,
    /// Per category index, a committee covering it.
    pub committee_for: Vec<i64>,
}

impl Cast {
    fn handler(&self, unit: usize) -> Ctx {
        let id = self.unit_ids[unit];
        if id == self.unit_accounts.0 {
            return ctx(self.unit_accounts.1.clone());
        }
        ctx(stand_in(Role::UnitHandler, Some(id), None, None, format!("demo:{}经办人", self.unit_names[unit])))
    }

    fn leader(&self, unit: usize) -> Ctx {
        let id = self.unit_ids[unit];
        if id == self.unit_accounts.0 {
            return ctx(self.unit_accounts.2.clone());
        }
        ctx(stand_in(Role::UnitLeader, Some(id), None, None, format!("demo:{}分管领导", self.unit_names[unit])))
    }

    fn deputy(&self, index: usize) -> Ctx {
        ctx(stand_in(Role::Deputy, None, None, self.deputy_ids.get(index).copied(), format!("demo:代表{index}")))
    }

    fn committee(&self, category: usize) -> Ctx {
        let id = self.committee_for.get(category).copied();
        ctx(stand_in(Role::Committee, None, id, None, "demo:专门委员会".into()))
    }
}

fn letter(s: &DemoSuggestion, class: ResultClass, unit: &str, serial: usize) -> ReplyInput {
    let outcome = match class {
        ResultClass::A => "所提问题已经解决或基本解决，相关措施已落实到位",
        ResultClass::B => "所提问题已列入年度工作计划，正在逐步推进解决",
        ResultClass::C => "受政策和财力等条件限制，所提问题目前暂时难以解决，我们将作为今后工作参考",
    };
    let body = format!(
        "代表您好！您提出的《{}》收悉。我单位高度重视，由主要领导牵头研究，与您进行了沟通面商，并征求了协办单位意见。\
         经认真研究办理，{}。一是细化工作方案，明确责任分工和时间节点；二是加强部门协同，形成工作合力；\
         三是建立跟踪问效机制，定期向代表反馈办理进展。感谢您对我市工作的关心和支持，欢迎继续提出宝贵意见。",
        s.title, outcome
    );
    ReplyInput {
        doc_number: Some(format!(
            "{}复〔2026〕{}号",
            unit.trim_start_matches('市').chars().take(2).collect::<String>(),
            serial
        )),
        body: Some(body),
        result_class: Some(class),
        contact_name: Some("办公室".into()),
        contact_phone: Some(format!("0871-6{:07}", 3_200_000 + serial)),
        copy_to: Some("市人大常委会人事代表工委".into()),
        disclosure: Some(if class == ResultClass::C { Disclosure::Summary } else { Disclosure::Public }),
        summary_text: (class == ResultClass::C).then(|| "暂时难以解决，作为今后工作参考".into()),
        withheld_reason: None,
    }
}

fn reply(
    conn: &mut DbConn,
    cast: &Cast,
    id: i64,
    s: &DemoSuggestion,
    class: ResultClass,
    n: usize,
) -> Result<i64, DemoError> {
    let unit = s.lead_unit;
    let draft = work::draft_reply(conn, &cast.handler(unit), id, letter(s, class, cast.unit_names[unit], n))?;
    work::sign_reply(conn, &cast.leader(unit), id, draft.id, Policy::default())?;
    Ok(draft.id)
}

/// Drives every suggestion from `registered` to its end, as the seed year ended.
pub fn drive(conn: &mut DbConn, cast: &Cast, session_id: i64, ids: &[i64]) -> Result<(), DemoError> {
    let all = data::suggestions();
    let classes = planned_classes(&all);
    let staff = ctx(cast.staff.clone());
    let unit_count = cast.unit_ids.len();

    // The council chooses the key suggestions, each supervised by a leader and a committee.
    for (i, s) in all.iter().enumerate().filter(|(_, s)| s.key) {
        let committee = cast.committee_for.get(s.category).copied();
        assignments::mark_key(
            conn,
            &ctx(cast.council.clone()),
            ids[i],
            "市政府分管副市长",
            committee,
            Some("主任会议确定的重点督办建议"),
        )?;
    }

    // The assignment meeting: every suggestion at once; three go to the wrong unit first.
    let wrong = |s: &DemoSuggestion| {
        (1..unit_count)
            .map(|k| (s.lead_unit + k) % unit_count)
            .find(|u| !s.assist_units.contains(u))
            .unwrap_or(s.lead_unit)
    };
    let items: Vec<MeetingItem> = all
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let lead = if reassigned(i) { wrong(s) } else { s.lead_unit };
            let mut units = vec![UnitChoice { unit_id: cast.unit_ids[lead], role: AssignmentRole::Lead }];
            units.extend(
                s.assist_units.iter().map(|u| UnitChoice { unit_id: cast.unit_ids[*u], role: AssignmentRole::Assist }),
            );
            MeetingItem { suggestion_id: ids[i], units }
        })
        .collect();
    assignments::assign_session(conn, &staff, session_id, &items)?;

    let today = congress_date(Utc::now());
    for (i, s) in all.iter().enumerate() {
        let id = ids[i];
        let class = classes[i];
        // Reassignment: the wrong unit asks within its window; the office moves it.
        if reassigned(i) {
            let w = wrong(s);
            let held = assignments::active_assignment(conn, id, cast.unit_ids[w])?
                .ok_or_else(|| DemoError::Other("assignment".into()))?;
            let request = assignments::request_reassignment(
                conn,
                &cast.handler(w),
                id,
                held.id,
                "该事项不属于我单位职责范围",
                Some(cast.unit_ids[s.lead_unit]),
            )?;
            let decision = Decision {
                approve: true,
                new_unit_id: Some(cast.unit_ids[s.lead_unit]),
                note: Some("同意改办".into()),
            };
            assignments::decide_reassignment(conn, &staff, request.id, decision)?;
        }
        // Every unit acknowledges.
        for unit in std::iter::once(s.lead_unit).chain(s.assist_units.iter().copied()) {
            let held = assignments::active_assignment(conn, id, cast.unit_ids[unit])?
                .ok_or_else(|| DemoError::Other("assignment".into()))?;
            assignments::acknowledge(conn, &cast.handler(unit), id, held.id)?;
        }
        // The lead unit consults the lead deputy: every tenth by a booking the deputy confirms.
        let lead = cast.handler(s.lead_unit);
        let record = ConsultationRecord {
            held_at: lead.now,
            participants: format!("领衔代表、{}分管领导及业务处室负责人", cast.unit_names[s.lead_unit]),
            summary: "通报办理思路和措施，听取代表意见建议".into(),
            deputy_opinion: "认可办理思路，希望尽快落实".into(),
        };
        if i % 10 == 0 {
            let slot = Utc::now() + Duration::days(2);
            let booked = work::consult(
                conn,
                &lead,
                id,
                NewConsultation {
                    form: ConsultationForm::FaceToFace,
                    location: Some("承办单位会议室".into()),
                    proposed_slots: Some(vec![slot]),
                    record: None,
                },
            )?;
            work::answer_booking(conn, &cast.deputy(s.lead_deputy), id, booked.id, Some(slot))?;
            work::record_consultation(conn, &lead, id, booked.id, &record)?;
        } else {
            let form = if i % 3 == 0 { ConsultationForm::Phone } else { ConsultationForm::SiteVisit };
            work::consult(
                conn,
                &lead,
                id,
                NewConsultation { form, location: None, proposed_slots: None, record: Some(record) },
            )?;
        }
        for unit in &s.assist_units {
            work::give_opinion(
                conn,
                &cast.handler(*unit),
                id,
                "经研究，同意主办单位的办理意见，我单位将积极配合做好相关工作。",
                "分管领导",
            )?;
        }
        // Key suggestions: the 五个一.
        if s.key {
            for (k, item) in ChecklistItem::ALL.iter().enumerate() {
                let done: NaiveDate = today - Duration::days(30 - 5 * k as i64);
                assignments::tick(
                    conn,
                    &lead,
                    id,
                    *item,
                    done,
                    &format!("{}（重点建议办理材料之{}）", item.as_str(), k + 1),
                )?;
            }
        }
        // The reply; a few deputies are dissatisfied with the first and the unit handles it again.
        if rehandled(i, class) {
            reply(conn, cast, id, s, ResultClass::C, i + 1)?;
            outcome::give_feedback(
                conn,
                &cast.deputy(s.lead_deputy),
                id,
                NewFeedback {
                    satisfaction: Satisfaction::Dissatisfied,
                    process_satisfaction: Some(Satisfaction::BasicallySatisfied),
                    comment: Some("答复措施不够具体，请重新办理".into()),
                },
            )?;
        }
        reply(conn, cast, id, s, class, i + 1)?;
        let satisfaction = if i % 6 == 1 { Satisfaction::BasicallySatisfied } else { Satisfaction::Satisfied };
        for co in s.co_signers.iter().take(1) {
            outcome::give_feedback(
                conn,
                &cast.deputy(*co),
                id,
                NewFeedback { satisfaction: Satisfaction::Satisfied, process_satisfaction: None, comment: None },
            )?;
        }
        outcome::give_feedback(
            conn,
            &cast.deputy(s.lead_deputy),
            id,
            NewFeedback { satisfaction, process_satisfaction: Some(Satisfaction::Satisfied), comment: None },
        )?;
        // The committee of the field, then the office.
        outcome::review(
            conn,
            &cast.committee(s.category),
            id,
            NewReview {
                stage: ReviewStage::Initial,
                decision: ReviewDecision::Approve,
                result_class: Some(class),
                reason: None,
            },
        )?;
        outcome::review(
            conn,
            &staff,
            id,
            NewReview {
                stage: ReviewStage::Final,
                decision: ReviewDecision::Approve,
                result_class: Some(class),
                reason: None,
            },
        )?;
        // A few B items report progress; the supervisor visits some.
        if class == ResultClass::B && i % 4 == 0 {
            outcome::report_continuation(conn, &lead, id, "项目已列入年度计划，前期工作正在推进。", false, None)?;
        }
        if i % 25 == 0 {
            let supervisor = ctx(cast.supervisor.clone());
            let at = supervisor.now;
            outcome::visit(conn, &supervisor, id, at, "回访了解办理落实情况，代表对进展表示认可。")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_planned_classes_are_the_seed_years() {
        let all = data::suggestions();
        let classes = planned_classes(&all);
        for (class, count) in CLASS_COUNTS {
            assert_eq!(classes.iter().filter(|c| **c == class).count(), count, "{class:?}");
        }
        for (s, c) in all.iter().zip(&classes) {
            if s.key {
                assert_eq!(*c, ResultClass::A);
            }
        }
        assert!((0..all.len()).filter(|i| rehandled(*i, classes[*i])).count() >= 5);
    }
}
