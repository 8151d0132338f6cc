//! The tables, as diesel sees them. One schema for both databases (the migrations differ only in
//! how ids are generated).

diesel::table! {
    units (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        contact_name -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    deputies (id) {
        id -> BigInt,
        name -> Text,
        delegation -> Text,
        phone -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    committees (id) {
        id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    committee_categories (committee_id, category_name) {
        committee_id -> BigInt,
        category_name -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        password_hash -> Text,
        role -> Text,
        display_name -> Text,
        unit_id -> Nullable<BigInt>,
        deputy_id -> Nullable<BigInt>,
        committee_id -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
        deactivated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    clients (id) {
        id -> BigInt,
        client_id -> Text,
        name -> Text,
        secret_hash -> Text,
        scopes -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    login_failures (username) {
        username -> Text,
        failures -> Integer,
        first_failed_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        term -> Integer,
        session -> Integer,
        name -> Text,
        meeting_start -> Date,
        meeting_end -> Date,
        last_serial -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        session_id -> BigInt,
        name -> Text,
        position -> Integer,
    }
}

diesel::table! {
    suggestions (id) {
        id -> BigInt,
        session_id -> BigInt,
        serial -> Nullable<BigInt>,
        code -> Nullable<Text>,
        title -> Text,
        body -> Text,
        category_id -> Nullable<BigInt>,
        lead_deputy_id -> BigInt,
        state -> Text,
        period -> Nullable<Text>,
        time_sensitive -> Bool,
        submitted_at -> Nullable<Timestamp>,
        registered_at -> Nullable<Timestamp>,
        closed_reason -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        assigned_at -> Nullable<Timestamp>,
        reply_due_on -> Nullable<Date>,
        round -> Integer,
        replied_at -> Nullable<Timestamp>,
        result_class -> Nullable<Text>,
        completed_at -> Nullable<Timestamp>,
        is_key -> Bool,
        key_leader -> Nullable<Text>,
        key_committee_id -> Nullable<BigInt>,
        key_note -> Nullable<Text>,
        key_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    suggestion_cosigners (suggestion_id, deputy_id) {
        suggestion_id -> BigInt,
        deputy_id -> BigInt,
        position -> Integer,
        status -> Text,
        answered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        actor_name -> Text,
        role -> Text,
        action -> Text,
        target_type -> Text,
        target_id -> BigInt,
        suggestion_id -> Nullable<BigInt>,
        request_id -> Nullable<Text>,
        before_state -> Nullable<Text>,
        after_state -> Nullable<Text>,
        details -> Text,
        unit_id -> Nullable<BigInt>,
        due_on -> Nullable<Date>,
        on_time -> Nullable<Bool>,
    }
}

diesel::table! {
    assignments (id) {
        id -> BigInt,
        suggestion_id -> BigInt,
        unit_id -> BigInt,
        role -> Text,
        state -> Text,
        assigned_at -> Nullable<Timestamp>,
        acknowledge_due_on -> Nullable<Date>,
        reassignment_window_ends_on -> Nullable<Date>,
        opinion_due_on -> Nullable<Date>,
        reply_due_on -> Nullable<Date>,
        acknowledged_at -> Nullable<Timestamp>,
        objection -> Nullable<Text>,
        objected_at -> Nullable<Timestamp>,
        opinion_waived_reason -> Nullable<Text>,
        opinion_waived_at -> Nullable<Timestamp>,
        transferred_from -> Nullable<BigInt>,
        ended_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    reassignment_requests (id) {
        id -> BigInt,
        assignment_id -> BigInt,
        suggestion_id -> BigInt,
        unit_id -> BigInt,
        reason -> Text,
        proposed_unit_id -> Nullable<BigInt>,
        state -> Text,
        note -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        decided_by -> Nullable<BigInt>,
        new_assignment_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    key_checklist (suggestion_id, item) {
        suggestion_id -> BigInt,
        item -> Text,
        done_on -> Date,
        document -> Text,
        ticked_by -> BigInt,
        ticked_at -> Timestamp,
    }
}

diesel::table! {
    consultations (id) {
        id -> BigInt,
        suggestion_id -> BigInt,
        assignment_id -> BigInt,
        unit_id -> BigInt,
        form -> Text,
        location -> Nullable<Text>,
        state -> Text,
        proposed_slots -> Text,
        confirmed_slot -> Nullable<Timestamp>,
        held_at -> Nullable<Timestamp>,
        participants -> Nullable<Text>,
        summary -> Nullable<Text>,
        deputy_opinion -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    assist_opinions (id) {
        id -> BigInt,
        suggestion_id -> BigInt,
        assignment_id -> BigInt,
        unit_id -> BigInt,
        round -> Integer,
        body -> Text,
        signer -> Text,
        on_time -> Bool,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    replies (id) {
        id -> BigInt,
        suggestion_id -> BigInt,
        assignment_id -> BigInt,
        unit_id -> BigInt,
        round -> Integer,
        kind -> Text,
        state -> Text,
        title -> Text,
        doc_number -> Nullable<Text>,
        body -> Text,
        result_class -> Nullable<Text>,
        contact_name -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        copy_to -> Nullable<Text>,
        disclosure -> Nullable<Text>,
        summary_text -> Nullable<Text>,
        withheld_reason -> Nullable<Text>,
        signed_by -> Nullable<BigInt>,
        signer_name -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        due_on -> Nullable<Date>,
        on_time -> Nullable<Bool>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    feedback (id) {
        id -> BigInt,
        suggestion_id -> BigInt,
        round -> Integer,
        deputy_id -> BigInt,
        is_lead -> Bool,
        satisfaction -> Text,
        process_satisfaction -> Nullable<Text>,
        comment -> Nullable<Text>,
        on_time -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reviews (id) {
        id -> BigInt,
        suggestion_id -> BigInt,
        round -> Integer,
        stage -> Text,
        decision -> Text,
        result_class -> Nullable<Text>,
        unit_result_class -> Nullable<Text>,
        reason -> Nullable<Text>,
        committee_id -> Nullable<BigInt>,
        reviewer_id -> BigInt,
        reviewer_name -> Text,
        endorsement -> Nullable<Text>,
        endorsed_by -> Nullable<BigInt>,
        endorsed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    continuation_reports (id) {
        id -> BigInt,
        suggestion_id -> BigInt,
        unit_id -> BigInt,
        progress -> Text,
        solved -> Bool,
        reply_id -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    visits (id) {
        id -> BigInt,
        suggestion_id -> BigInt,
        visited_at -> Timestamp,
        findings -> Text,
        visitor_id -> BigInt,
        visitor_name -> Text,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(assignments -> units (unit_id));
diesel::joinable!(categories -> sessions (session_id));
diesel::joinable!(suggestions -> sessions (session_id));
diesel::joinable!(suggestions -> categories (category_id));
diesel::joinable!(suggestions -> deputies (lead_deputy_id));
diesel::joinable!(suggestion_cosigners -> suggestions (suggestion_id));
diesel::joinable!(suggestion_cosigners -> deputies (deputy_id));
diesel::joinable!(committee_categories -> committees (committee_id));

diesel::allow_tables_to_appear_in_same_query!(
    units,
    deputies,
    committees,
    committee_categories,
    users,
    clients,
    login_failures,
    sessions,
    categories,
    suggestions,
    suggestion_cosigners,
    audit_log,
    assignments,
    reassignment_requests,
    key_checklist,
    consultations,
    assist_opinions,
    replies,
    feedback,
    reviews,
    continuation_reports,
    visits,
);
