-- A notification that asks for a decision is found again when the decision is made
-- (app::db::notifications::settle): by its kind and the id of what it is about.
CREATE INDEX notifications_about ON notifications (kind, (coalesce(data->>'subscription', data->>'request')))
    WHERE kind IN ('subscription-pending', 'request-pending');
