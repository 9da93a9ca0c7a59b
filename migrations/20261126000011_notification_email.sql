-- E-mail copies of notifications (optional, with `SMTP_URL`): which were sent.
ALTER TABLE notifications ADD COLUMN emailed_at timestamptz;
CREATE INDEX notifications_to_email ON notifications (created_at) WHERE emailed_at IS NULL;
