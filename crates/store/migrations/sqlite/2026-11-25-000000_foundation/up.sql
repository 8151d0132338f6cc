-- The foundation: accounts, reference data, suggestions up to registration, and the audit log.
-- Times are UTC; dates are the congress's calendar dates.

CREATE TABLE units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    contact_name TEXT,
    contact_phone TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE deputies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    delegation TEXT NOT NULL,
    phone TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (name, delegation)
);

CREATE TABLE committees (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE committee_categories (
    committee_id BIGINT NOT NULL REFERENCES committees (id) ON DELETE CASCADE,
    category_name TEXT NOT NULL,
    PRIMARY KEY (committee_id, category_name)
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    display_name TEXT NOT NULL,
    unit_id BIGINT REFERENCES units (id),
    deputy_id BIGINT REFERENCES deputies (id),
    committee_id BIGINT REFERENCES committees (id),
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    deactivated_at TIMESTAMP
);

CREATE TABLE clients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Failed sign-ins per username, whether or not the account exists, so that guessing is slowed
-- on every replica alike.
CREATE TABLE login_failures (
    username TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    first_failed_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    term INTEGER NOT NULL,
    session INTEGER NOT NULL,
    name TEXT NOT NULL UNIQUE,
    meeting_start DATE NOT NULL,
    meeting_end DATE NOT NULL,
    -- The last serial given in this session; registration increments it in its own transaction.
    last_serial BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (term, session)
);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id BIGINT NOT NULL REFERENCES sessions (id),
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (session_id, name)
);

CREATE TABLE suggestions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id BIGINT NOT NULL REFERENCES sessions (id),
    serial BIGINT,
    code TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    category_id BIGINT REFERENCES categories (id),
    lead_deputy_id BIGINT NOT NULL REFERENCES deputies (id),
    state TEXT NOT NULL,
    period TEXT,
    time_sensitive BOOLEAN NOT NULL,
    submitted_at TIMESTAMP,
    registered_at TIMESTAMP,
    closed_reason TEXT,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL,
    UNIQUE (session_id, serial)
);
CREATE INDEX suggestions_session ON suggestions (session_id, id);
CREATE INDEX suggestions_state ON suggestions (state, id);
CREATE INDEX suggestions_category ON suggestions (category_id, id);
CREATE INDEX suggestions_lead_deputy ON suggestions (lead_deputy_id, id);

CREATE TABLE suggestion_cosigners (
    suggestion_id BIGINT NOT NULL REFERENCES suggestions (id),
    deputy_id BIGINT NOT NULL REFERENCES deputies (id),
    position INTEGER NOT NULL,
    status TEXT NOT NULL,
    answered_at TIMESTAMP,
    PRIMARY KEY (suggestion_id, deputy_id)
);
CREATE INDEX suggestion_cosigners_deputy ON suggestion_cosigners (deputy_id, suggestion_id);

-- Append-only: every write of the API leaves one row here, in the same transaction.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TIMESTAMP NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    suggestion_id BIGINT,
    request_id TEXT,
    before_state TEXT,
    after_state TEXT,
    details TEXT NOT NULL
);
CREATE INDEX audit_log_suggestion ON audit_log (suggestion_id, id);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id);
