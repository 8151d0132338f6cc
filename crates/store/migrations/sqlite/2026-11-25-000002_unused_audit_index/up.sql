-- No query reads the audit log by its target (the timeline reads it by suggestion), and every
-- write adds an audit row: the index cost every write an insert for nothing. A report that
-- needs it (the audit of accounts, units) adds it back with the query.
DROP INDEX audit_log_target;
