//! Issue 3's measures: the assignment meeting of a national session against the raw bulk-insert
//! rate, and a whole lifecycle (register to completed) against the raw single-row commit rate.
//! Both drive the real service over HTTP, as its users do.

use std::time::Instant;

use diesel::prelude::*;
use jianyi_store::{connect, on_backend, write, SqliteSync};
use serde_json::{json, Value};

/// Inserts, straight into jianyi's own `assignments` table, the rows the assignment meeting of
/// suggestions `first..=last` makes (two units each, every column the service writes), 500 to a
/// statement in one transaction at the service's durability, and prints
/// `BULK_INSERT_RATE=<rows per second>`. The same table means the same indexes and foreign keys:
/// the ratio then measures what the service adds, not what the schema costs. The rows and their
/// two units are deleted afterwards, so run it before the meeting.
pub fn bulk_insert_rate(database_url: &str, first: i64, last: i64, sync: SqliteSync) -> crate::Result<()> {
    use jianyi_store::schema::{assignments, units};
    let pool = connect(database_url, sync, 1)?;
    let mut conn = pool.get()?;
    let now = chrono::Utc::now().naive_utc();
    let today = now.date();
    let mut unit_ids = vec![];
    for name in ["基准批量插入主办单位", "基准批量插入协办单位"] {
        let values =
            (units::name.eq(name), units::kind.eq("government"), units::created_at.eq(now), units::updated_at.eq(now));
        unit_ids.push(on_backend!(&mut *conn, c => diesel::insert_into(units::table).values(values).returning(units::id).get_result::<i64>(c))?);
    }
    let rows: Vec<_> = (first..=last)
        .flat_map(|s| [(s, unit_ids[0], "lead"), (s, unit_ids[1], "assist")])
        .map(|(suggestion_id, unit_id, role)| {
            (
                assignments::suggestion_id.eq(suggestion_id),
                assignments::unit_id.eq(unit_id),
                assignments::role.eq(role),
                assignments::state.eq("assigned"),
                assignments::assigned_at.eq(Some(now)),
                assignments::acknowledge_due_on.eq(Some(today)),
                assignments::reassignment_window_ends_on.eq(Some(today)),
                assignments::opinion_due_on.eq((role == "assist").then_some(today)),
                assignments::reply_due_on.eq((role == "lead").then_some(today)),
                assignments::transferred_from.eq(None::<i64>),
                assignments::created_at.eq(now),
                assignments::updated_at.eq(now),
            )
        })
        .collect();
    let started = Instant::now();
    write(&mut conn, |c| -> diesel::QueryResult<()> {
        for chunk in rows.chunks(500) {
            on_backend!(&mut *c, b => diesel::insert_into(assignments::table).values(chunk).execute(b))?;
        }
        Ok(())
    })?;
    let rate = rows.len() as f64 / started.elapsed().as_secs_f64();
    write(&mut conn, |c| -> diesel::QueryResult<()> {
        diesel::delete(assignments::table.filter(assignments::unit_id.eq_any(&unit_ids))).execute(c)?;
        diesel::delete(units::table.filter(units::id.eq_any(&unit_ids))).execute(c)?;
        Ok(())
    })?;
    println!("BULK_INSERT_RATE={rate:.1}");
    Ok(())
}

/// A small HTTP client for the service's API.
struct Api {
    base: String,
    agent: ureq::Agent,
}

impl Api {
    fn new(base: &str) -> Api {
        Api { base: base.trim_end_matches('/').to_owned(), agent: ureq::AgentBuilder::new().build() }
    }

    fn send(&self, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> crate::Result<Value> {
        let mut req = self.agent.request(method, &format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.set("Authorization", &format!("Bearer {t}"));
        }
        let res = match body {
            Some(b) => req.send_json(b.clone()),
            None => req.call(),
        };
        match res {
            Ok(r) => Ok(r.into_json()?),
            Err(ureq::Error::Status(code, r)) => {
                Err(format!("{method} {path}: {code} {}", r.into_string().unwrap_or_default()).into())
            }
            Err(e) => Err(e.into()),
        }
    }

    fn post(&self, path: &str, token: &str, body: Value) -> crate::Result<Value> {
        self.send("POST", path, Some(token), Some(&body))
    }

    fn token(&self, username: &str, password: &str) -> crate::Result<String> {
        let body = json!({"grant_type": "password", "username": username, "password": password});
        let r = self.send("POST", "/api/v1/auth/token", None, Some(&body))?;
        Ok(r["access_token"].as_str().ok_or("no access_token")?.to_owned())
    }

    fn id(v: &Value) -> crate::Result<i64> {
        v["id"].as_i64().ok_or_else(|| format!("no id in {v}").into())
    }
}

const PASSWORD: &str = "bench-account-password";

/// Creates an account of a role (with its binding) as admin and signs it in.
fn account(api: &Api, admin: &str, name: &str, role: &str, binding: Value) -> crate::Result<String> {
    let mut body = json!({"username": name, "password": PASSWORD, "role": role, "display_name": name});
    if let (Some(o), Some(b)) = (body.as_object_mut(), binding.as_object()) {
        o.extend(b.clone());
    }
    api.post("/api/v1/users", admin, body)?;
    api.token(name, PASSWORD)
}

fn unit(api: &Api, admin: &str, name: &str) -> crate::Result<i64> {
    Api::id(&api.post("/api/v1/units", admin, json!({"name": name, "kind": "government"}))?)
}

/// The assignment meeting: every registered suggestion of session 1 in the id range, two units
/// each, in one call. Prints `MEETING_SECONDS=…` and `MEETING_ASSIGNMENTS_PER_S=…`.
pub fn meeting(base: &str, admin_password: &str, first: i64, last: i64) -> crate::Result<()> {
    let api = Api::new(base);
    let admin = api.token("admin", admin_password)?;
    let staff = account(&api, &admin, "bench-meeting-staff", "staff", json!({}))?;
    let lead = unit(&api, &admin, "市会议测试主办局")?;
    let assist = unit(&api, &admin, "市会议测试协办局")?;
    let items: Vec<Value> = (first..=last)
        .map(|id| json!({"suggestion_id": id, "units": [{"unit_id": lead, "role": "lead"}, {"unit_id": assist, "role": "assist"}]}))
        .collect();
    let n = items.len();
    let body = json!({ "items": items });
    let started = Instant::now();
    let r = api.post("/api/v1/sessions/1/assignments", &staff, body)?;
    let seconds = started.elapsed().as_secs_f64();
    let made = r["assignments"].as_u64().ok_or("no assignments count")? as f64;
    println!("MEETING_SUGGESTIONS={n} MEETING_SECONDS={seconds:.3} MEETING_ASSIGNMENTS_PER_S={:.1}", made / seconds);
    Ok(())
}

/// The accounts and references a lifecycle needs, shared by its clients.
struct Cast {
    lead: i64,
    staff: String,
    handler: String,
    leader: String,
    member: String,
    signer: String,
    letter: Value,
}

/// Takes one suggestion from register to completed: 10 actions by five roles.
fn one_lifecycle(api: &Api, cast: &Cast, id: i64) -> crate::Result<()> {
    let at = |part: &str| format!("/api/v1/suggestions/{id}{part}");
    api.post(&at("/register"), &cast.staff, json!({}))?;
    let s = api.post(&at("/assignments"), &cast.staff, json!({"units": [{"unit_id": cast.lead, "role": "lead"}]}))?;
    let assignment = s["assignments"][0]["id"].as_i64().ok_or("no assignment")?;
    api.post(&at(&format!("/assignments/{assignment}/acknowledge")), &cast.handler, json!({}))?;
    let held = json!({"form": "phone", "held_at": chrono::Utc::now().to_rfc3339(), "participants": "代表", "summary": "电话沟通", "deputy_opinion": "同意"});
    api.post(&at("/consultations"), &cast.handler, held)?;
    let reply = Api::id(&api.post(&at("/replies"), &cast.handler, cast.letter.clone())?)?;
    api.post(&at(&format!("/replies/{reply}/sign")), &cast.leader, json!({}))?;
    api.post(&at("/feedback"), &cast.signer, json!({"satisfaction": "satisfied"}))?;
    api.post(&at("/reviews"), &cast.member, json!({"stage": "initial", "decision": "approve"}))?;
    let r = api.post(&at("/reviews"), &cast.staff, json!({"stage": "final", "decision": "approve"}))?;
    if r["decision"] != "approve" {
        return Err(format!("suggestion {id} was not completed: {r}").into());
    }
    Ok(())
}

/// Whole lifecycles, from register to completed (10 actions by 5 roles each), for `count` paper
/// suggestions, driven by `clients` concurrent clients (each its own suggestions, one after
/// another). Prints `LIFECYCLE_ACTIONS_PER_S=…` and the mean time of one lifecycle.
pub fn lifecycle(base: &str, admin_password: &str, count: usize, clients: usize) -> crate::Result<()> {
    let clients = clients.max(1);
    let api = Api::new(base);
    let admin = api.token("admin", admin_password)?;
    let categories = api.send("GET", "/api/v1/sessions/1/categories", Some(&admin), None)?;
    let category = categories[0]["id"].as_i64().ok_or("no category")?;
    let category_name = categories[0]["name"].clone();
    // Names of their own, so that the command can run again on the same database.
    let tag = format!("{}", std::process::id());
    let deputy = Api::id(&api.post(
        "/api/v1/deputies",
        &admin,
        json!({"name": format!("测试代表{tag}"), "delegation": "测试代表团"}),
    )?)?;
    let committee = Api::id(&api.post(
        "/api/v1/committees",
        &admin,
        json!({"name": format!("测试委员会{tag}"), "categories": [category_name]}),
    )?)?;
    let lead = unit(&api, &admin, &format!("市生命周期测试局{tag}"))?;
    let cast = Cast {
        lead,
        staff: account(&api, &admin, &format!("bench-life-staff-{tag}"), "staff", json!({}))?,
        handler: account(&api, &admin, &format!("bench-life-handler-{tag}"), "unit_handler", json!({"unit_id": lead}))?,
        leader: account(&api, &admin, &format!("bench-life-leader-{tag}"), "unit_leader", json!({"unit_id": lead}))?,
        member: account(
            &api,
            &admin,
            &format!("bench-life-committee-{tag}"),
            "committee",
            json!({"committee_id": committee}),
        )?,
        signer: account(&api, &admin, &format!("bench-life-deputy-{tag}"), "deputy", json!({"deputy_id": deputy}))?,
        letter: json!({
            "doc_number": "测复〔2026〕1号", "result_class": "A", "contact_name": "王敏", "contact_phone": "0871-63191234",
            "disclosure": "public",
            "body": "经认真研究，我局高度重视该建议。一是已纳入年度民生实事，安排专项资金；二是简化审批流程，实行一窗受理、并联审批；三是会同街道社区做好群众工作；四是加强施工安全监管和后期维保。下一步将继续加大推进力度，确保年内完成既定目标，并及时向代表反馈进展情况。",
        }),
    };
    let mut ids = Vec::with_capacity(count);
    for i in 0..count {
        let body = json!({"session_id": 1, "title": format!("关于生命周期测试的建议{tag}-{i}"), "body": "正文", "category_id": category, "lead_deputy_id": deputy});
        ids.push(Api::id(&api.post("/api/v1/suggestions", &cast.staff, body)?)?);
    }
    let started = Instant::now();
    std::thread::scope(|s| -> crate::Result<()> {
        let workers: Vec<_> = (0..clients)
            .map(|k| {
                let (cast, ids) = (&cast, &ids);
                s.spawn(move || -> crate::Result<()> {
                    let api = Api::new(base);
                    for id in ids.iter().skip(k).step_by(clients) {
                        one_lifecycle(&api, cast, *id)?;
                    }
                    Ok(())
                })
            })
            .collect();
        for w in workers {
            w.join().map_err(|_| "a client panicked")??;
        }
        Ok(())
    })?;
    let seconds = started.elapsed().as_secs_f64();
    let last = ids.last().ok_or("no suggestion")?;
    let done = api.send("GET", &format!("/api/v1/suggestions/{last}"), Some(&cast.staff), None)?;
    if done["state"] != "completed" {
        return Err(format!("the last suggestion is {}, not completed", done["state"]).into());
    }
    println!(
        "LIFECYCLE_SUGGESTIONS={count} LIFECYCLE_CLIENTS={clients} LIFECYCLE_ACTIONS_PER_S={:.1} LIFECYCLE_MS_PER_SUGGESTION={:.2}",
        (count * 10) as f64 / seconds,
        seconds * 1000.0 * clients as f64 / count as f64
    );
    Ok(())
}
