-- A member's last sign-in, as the members page shows it (app::db::invitations::members).
CREATE INDEX audit_log_action_actor_at ON audit_log (action, actor, at DESC);
