-- Sign-in throttling counts recent failures per account and per client address.
CREATE INDEX audit_log_action_subject_at ON audit_log (action, subject, at DESC);
CREATE INDEX audit_log_action_client_at ON audit_log (action, client_addr, at DESC);
