//! `jianyi demo`: a congress shaped like the seed year of DOMAIN.md (Kunming, 14th congress,
//! 6th session): 57 units, committees, 100 deputies, 291 suggestions (270 in the meeting, 21 in
//! the recess, per category the seed's counts) handled through the year to the seed's outcome
//! (A 226, B 33, C 32), and one account per role.
//! Everything goes through the same store operations as the API, with their audit rows.

mod data;
mod lifecycle;

pub use lifecycle::CLASS_COUNTS;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use jianyi_domain::session::congress_offset;
use jianyi_domain::{Caller, Role};
use jianyi_http::auth::hash_password;
use jianyi_store::accounts::{self, NewUser};
use jianyi_store::reference::{self, CommitteeInput, DeputyInput, NewSession, UnitInput, UnitKind};
use jianyi_store::suggestions::{self, NewSuggestion};
use jianyi_store::{Ctx, DbConn, StoreError};
use rand::distributions::Alphanumeric;
use rand::Rng;

pub use data::{CATEGORIES, CATEGORY_COUNTS};

pub const SESSION_NAME: &str = "昆明市第十四届人民代表大会第六次会议";
const TERM: i32 = 14;
const SESSION: i32 = 6;

/// What the demo made, for printing.
#[derive(Debug)]
pub struct Report {
    pub session_id: i64,
    pub suggestions: usize,
    /// (role, username, password)
    pub accounts: Vec<(Role, String, String)>,
    /// (client_id, client_secret)
    pub client: (String, String),
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the demo congress is already loaded (session {TERM}-{SESSION} exists)")]
    AlreadyLoaded,
    #[error("{}", describe(.0))]
    Store(#[from] StoreError),
    #[error("{0}")]
    Other(String),
}

/// A store error as one line, with the fields a refusal names.
fn describe(e: &StoreError) -> String {
    match e {
        StoreError::Refused(jianyi_domain::Refusal::Validation(errors)) => {
            errors.iter().map(|f| format!("{} {}", f.field, f.message)).collect::<Vec<_>>().join("; ")
        }
        other => other.to_string(),
    }
}

fn password() -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(16).map(char::from).collect()
}

fn caller_of(conn: &mut DbConn, username: &str) -> Result<Caller, DemoError> {
    accounts::user_by_username(conn, username)?
        .and_then(|u| u.caller())
        .ok_or_else(|| DemoError::Other(format!("no account {username}")))
}

/// Whether the database already holds a session (then `serve --demo` leaves it alone).
pub fn has_sessions(conn: &mut DbConn) -> Result<bool, StoreError> {
    let page = jianyi_store::page::PageRequest::parse(Some(1), None)?;
    Ok(!reference::list_sessions(conn, page)?.items.is_empty())
}

fn hash(p: &str) -> Result<String, DemoError> {
    hash_password(p).map_err(|e| DemoError::Other(e.to_string()))
}

/// Loads the demo congress. Needs the `admin` account (start-up makes it).
pub fn load(conn: &mut DbConn) -> Result<Report, DemoError> {
    if has_sessions(conn)? {
        let page = jianyi_store::page::PageRequest::parse(Some(500), None)?;
        if reference::list_sessions(conn, page)?.items.iter().any(|s| s.term == TERM && s.session == SESSION) {
            return Err(DemoError::AlreadyLoaded);
        }
    }
    let admin = Ctx::new(caller_of(conn, "admin")?, Some("demo".into()));

    let meeting_start = NaiveDate::from_ymd_opt(2026, 1, 6).ok_or_else(|| DemoError::Other("date".into()))?;
    let meeting_end = meeting_start + Duration::days(3);
    let session = reference::create_session(
        conn,
        &admin,
        NewSession { term: TERM, session: SESSION, name: SESSION_NAME.into(), meeting_start, meeting_end },
    )?;
    let categories = reference::list_categories(conn, session.id)?;
    let category_id = |name: &str| categories.iter().find(|c| c.name == name).map(|c| c.id);

    let mut unit_ids = vec![];
    for u in data::units() {
        let input = UnitInput {
            name: Some(u.name.into()),
            kind: UnitKind::parse(u.kind),
            contact_name: Some(Some("办公室".into())),
            contact_phone: Some(Some(format!("0871-6{:07}", 3_100_000 + unit_ids.len() * 1013))),
        };
        unit_ids.push(reference::create_unit(conn, &admin, input)?.id);
    }
    let mut committee_ids = vec![];
    for c in data::committees() {
        let input = CommitteeInput {
            name: Some(c.name.into()),
            categories: Some(c.categories.iter().map(|s| s.to_string()).collect()),
        };
        committee_ids.push(reference::create_committee(conn, &admin, input)?.id);
    }
    let mut deputy_ids = vec![];
    for d in data::deputies() {
        let input =
            DeputyInput { name: Some(d.name), delegation: Some(d.delegation.into()), phone: Some(Some(d.phone)) };
        deputy_ids.push(reference::create_deputy(conn, &admin, input)?.id);
    }

    // One account per role. The deputy account belongs to the lead deputy of the first suggestion.
    let all = data::suggestions();
    let first_lead = all.first().map_or(0, |s| s.lead_deputy);
    let education = data::units().iter().position(|u| u.name == "市教育体育局").unwrap_or(1);
    // (role, display name, unit, deputy, committee)
    type Planned<'a> = (Role, &'a str, Option<i64>, Option<i64>, Option<i64>);
    let plan: [Planned; 8] = [
        (Role::Staff, "代表工委 工作人员", None, None, None),
        (Role::Deputy, "代表", None, deputy_ids.get(first_lead).copied(), None),
        (Role::UnitHandler, "市教育体育局 经办人", unit_ids.get(education).copied(), None, None),
        (Role::UnitLeader, "市教育体育局 分管领导", unit_ids.get(education).copied(), None, None),
        (Role::Committee, "专门委员会 委员", None, None, committee_ids.first().copied()),
        (Role::Supervisor, "市政府督查室", None, None, None),
        (Role::Council, "主任会议", None, None, None),
        (Role::Auditor, "审计", None, None, None),
    ];
    let mut report_accounts = vec![];
    for (role, display, unit_id, deputy_id, committee_id) in plan {
        let username = format!("demo-{}", role.as_str().replace('_', "-"));
        let pw = password();
        let new = NewUser {
            username: username.clone(),
            password_hash: hash(&pw)?,
            role,
            display_name: display.into(),
            unit_id,
            deputy_id,
            committee_id,
        };
        accounts::create_user(conn, Some(&admin), new)?;
        report_accounts.push((role, username, pw));
    }
    let secret = password() + &password();
    let client_id = "jy_demo_platform".to_owned();
    accounts::create_client(
        conn,
        &admin,
        "履职服务平台 (demo)",
        &client_id,
        &hash(&secret)?,
        &jianyi_domain::Scope::ALL,
    )?;
    report_accounts.push((Role::Integration, client_id.clone(), secret.clone()));

    let staff = Ctx::new(caller_of(conn, "demo-staff")?, Some("demo".into()));
    let offset = congress_offset();
    let mut recess_day = 0i64;
    let mut ids = vec![];
    for (i, s) in all.iter().enumerate() {
        // Meeting suggestions on the meeting's days; recess ones spread from March to October.
        let day = if s.meeting {
            meeting_start + Duration::days(i as i64 % 4)
        } else {
            recess_day += 1;
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or(meeting_end) + Duration::days(recess_day * 11)
        };
        let local = day.and_hms_opt(9 + (i % 8) as u32, (i * 7 % 60) as u32, 0).unwrap_or_default();
        let submitted_at = offset.from_local_datetime(&local).single().map(|t| t.with_timezone(&Utc));
        let category = category_id(CATEGORIES[s.category]).ok_or_else(|| DemoError::Other("category".into()))?;
        let new = NewSuggestion {
            session_id: session.id,
            title: s.title.clone(),
            body: s.body.clone(),
            category_id: Some(category),
            co_signer_ids: s.co_signers.iter().filter_map(|d| deputy_ids.get(*d).copied()).collect(),
            time_sensitive: s.time_sensitive,
            lead_deputy_id: deputy_ids.get(s.lead_deputy).copied(),
            submitted_at,
        };
        let created = suggestions::create(conn, &staff, new)?;
        for co in &created.co_signers {
            let deputy = Caller {
                id: 0,
                username: format!("demo:{}", co.name),
                role: Role::Deputy,
                unit_id: None,
                deputy_id: Some(co.deputy_id),
                committee_id: None,
                scopes: vec![],
            };
            suggestions::cosign(conn, &Ctx::new(deputy, Some("demo".into())), created.id, true)?;
        }
        ids.push(created.id);
    }
    for id in &ids {
        suggestions::register(conn, &staff, *id, None)?;
    }

    let cast = lifecycle::Cast {
        staff: staff.caller.clone(),
        council: caller_of(conn, "demo-council")?,
        supervisor: caller_of(conn, "demo-supervisor")?,
        unit_accounts: (
            unit_ids.get(education).copied().unwrap_or_default(),
            caller_of(conn, "demo-unit-handler")?,
            caller_of(conn, "demo-unit-leader")?,
        ),
        unit_names: data::units().iter().map(|u| u.name).collect(),
        unit_ids,
        deputy_ids: deputy_ids.clone(),
        committee_for: (0..CATEGORIES.len())
            .map(|c| {
                let covering = data::committees().iter().position(|m| m.categories.contains(&CATEGORIES[c]));
                covering.and_then(|p| committee_ids.get(p).copied()).unwrap_or_default()
            })
            .collect(),
    };
    lifecycle::drive(conn, &cast, session.id, &ids)?;
    Ok(Report {
        session_id: session.id,
        suggestions: ids.len(),
        accounts: report_accounts,
        client: (client_id, secret),
    })
}

/// The report as a newcomer reads it.
pub fn print(report: &Report) {
    println!(
        "Demo congress loaded: {SESSION_NAME} (session id {}), {} registered suggestions.",
        report.session_id, report.suggestions
    );
    println!("Accounts (sign in with POST /api/v1/auth/token); passwords are shown only now:");
    for (role, username, password) in &report.accounts {
        if *role == Role::Integration {
            println!("  {:<13} client_id {username}  client_secret {password}", role.as_str());
        } else {
            println!("  {:<13} {username:<18} {password}", role.as_str());
        }
    }
}
