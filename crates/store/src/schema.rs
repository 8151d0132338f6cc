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
    }
}

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
);
