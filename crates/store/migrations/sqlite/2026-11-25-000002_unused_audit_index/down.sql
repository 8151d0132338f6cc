CREATE INDEX audit_log_target ON audit_log (target_type, target_id, id);
