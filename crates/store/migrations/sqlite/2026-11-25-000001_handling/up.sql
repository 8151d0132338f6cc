-- The handling lifecycle: assignments, reassignment, key suggestions, consultations, assist
-- opinions, replies, feedback, reviews, continuation, visits.

ALTER TABLE suggestions ADD COLUMN assigned_at TIMESTAMP;
ALTER TABLE suggestions ADD COLUMN reply_due_on DATE;
-- 1 for the first handling; each rehandling adds one. Replies and feedback belong to a round.
ALTER TABLE suggestions ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
ALTER TABLE suggestions ADD COLUMN replied_at TIMESTAMP;
ALTER TABLE suggestions ADD COLUMN result_class TEXT;
ALTER TABLE suggestions ADD COLUMN completed_at TIMESTAMP;
ALTER TABLE suggestions ADD COLUMN is_key BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE suggestions ADD COLUMN key_leader TEXT;
ALTER TABLE suggestions ADD COLUMN key_committee_id BIGINT REFERENCES committees (id);
ALTER TABLE suggestions ADD COLUMN key_note TEXT;
ALTER TABLE suggestions ADD COLUMN key_at TIMESTAMP;
CREATE INDEX suggestions_result_class ON suggestions (result_class, id);

ALTER TABLE audit_log ADD COLUMN unit_id BIGINT;
ALTER TABLE audit_log ADD COLUMN due_on DATE;
ALTER TABLE audit_log ADD COLUMN on_time BOOLEAN;

CREATE TABLE assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    suggestion_id BIGINT NOT NULL REFERENCES suggestions (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    role TEXT NOT NULL,
    state TEXT NOT NULL,
    assigned_at TIMESTAMP,
    acknowledge_due_on DATE,
    reassignment_window_ends_on DATE,
    opinion_due_on DATE,
    reply_due_on DATE,
    acknowledged_at TIMESTAMP,
    objection TEXT,
    objected_at TIMESTAMP,
    opinion_waived_reason TEXT,
    opinion_waived_at TIMESTAMP,
    transferred_from BIGINT,
    ended_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX assignments_suggestion ON assignments (suggestion_id, id);
CREATE INDEX assignments_unit ON assignments (unit_id, state, id);
-- A unit holds a suggestion at most once at a time.
CREATE UNIQUE INDEX assignments_one_active_per_unit ON assignments (suggestion_id, unit_id)
    WHERE state NOT IN ('transferred', 'cancelled');

CREATE TABLE reassignment_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    assignment_id BIGINT NOT NULL REFERENCES assignments (id),
    suggestion_id BIGINT NOT NULL REFERENCES suggestions (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    reason TEXT NOT NULL,
    proposed_unit_id BIGINT REFERENCES units (id),
    state TEXT NOT NULL,
    note TEXT,
    decided_at TIMESTAMP,
    decided_by BIGINT,
    new_assignment_id BIGINT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reassignment_requests_suggestion ON reassignment_requests (suggestion_id, id);

CREATE TABLE key_checklist (
    suggestion_id BIGINT NOT NULL REFERENCES suggestions (id),
    item TEXT NOT NULL,
    done_on DATE NOT NULL,
    document TEXT NOT NULL,
    ticked_by BIGINT NOT NULL,
    ticked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (suggestion_id, item)
);

CREATE TABLE consultations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    suggestion_id BIGINT NOT NULL REFERENCES suggestions (id),
    assignment_id BIGINT NOT NULL REFERENCES assignments (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    form TEXT NOT NULL,
    location TEXT,
    state TEXT NOT NULL,
    proposed_slots TEXT NOT NULL,
    confirmed_slot TIMESTAMP,
    held_at TIMESTAMP,
    participants TEXT,
    summary TEXT,
    deputy_opinion TEXT,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX consultations_suggestion ON consultations (suggestion_id, id);

CREATE TABLE assist_opinions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    suggestion_id BIGINT NOT NULL REFERENCES suggestions (id),
    assignment_id BIGINT NOT NULL REFERENCES assignments (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    round INTEGER NOT NULL,
    body TEXT NOT NULL,
    signer TEXT NOT NULL,
    on_time BOOLEAN NOT NULL,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX assist_opinions_suggestion ON assist_opinions (suggestion_id, id);

CREATE TABLE replies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    suggestion_id BIGINT NOT NULL REFERENCES suggestions (id),
    assignment_id BIGINT NOT NULL REFERENCES assignments (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    round INTEGER NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    title TEXT NOT NULL,
    doc_number TEXT,
    body TEXT NOT NULL,
    result_class TEXT,
    contact_name TEXT,
    contact_phone TEXT,
    copy_to TEXT,
    disclosure TEXT,
    summary_text TEXT,
    withheld_reason TEXT,
    signed_by BIGINT,
    signer_name TEXT,
    sent_at TIMESTAMP,
    due_on DATE,
    on_time BOOLEAN,
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX replies_suggestion ON replies (suggestion_id, id);

CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    suggestion_id BIGINT NOT NULL REFERENCES suggestions (id),
    round INTEGER NOT NULL,
    deputy_id BIGINT NOT NULL REFERENCES deputies (id),
    is_lead BOOLEAN NOT NULL,
    satisfaction TEXT NOT NULL,
    process_satisfaction TEXT,
    comment TEXT,
    on_time BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (suggestion_id, round, deputy_id)
);

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    suggestion_id BIGINT NOT NULL REFERENCES suggestions (id),
    round INTEGER NOT NULL,
    stage TEXT NOT NULL,
    decision TEXT NOT NULL,
    result_class TEXT,
    unit_result_class TEXT,
    reason TEXT,
    committee_id BIGINT REFERENCES committees (id),
    reviewer_id BIGINT NOT NULL,
    reviewer_name TEXT NOT NULL,
    endorsement TEXT,
    endorsed_by BIGINT,
    endorsed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reviews_suggestion ON reviews (suggestion_id, id);

CREATE TABLE continuation_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    suggestion_id BIGINT NOT NULL REFERENCES suggestions (id),
    unit_id BIGINT NOT NULL REFERENCES units (id),
    progress TEXT NOT NULL,
    solved BOOLEAN NOT NULL,
    reply_id BIGINT REFERENCES replies (id),
    created_by BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX continuation_reports_suggestion ON continuation_reports (suggestion_id, id);

CREATE TABLE visits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    suggestion_id BIGINT NOT NULL REFERENCES suggestions (id),
    visited_at TIMESTAMP NOT NULL,
    findings TEXT NOT NULL,
    visitor_id BIGINT NOT NULL,
    visitor_name TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX visits_suggestion ON visits (suggestion_id, id);
