-- Retention (the privacy notice: data unused for a year after the last
-- activity day is erased after we tell you; hub::accounts::retention).
-- `last_login_at` is set at each login; `retention_notice_at` when the
-- notice was mailed (it counts only while later than the last activity).
ALTER TABLE hub_accounts ADD COLUMN last_login_at timestamptz;
ALTER TABLE hub_accounts ADD COLUMN retention_notice_at timestamptz;
-- Accounts older than this migration: their last login from the log.
UPDATE hub_accounts a SET last_login_at = l.at
  FROM (SELECT (data->>'account_id')::bigint AS account_id, max(at) AS at FROM hub_events
         WHERE kind = 'account.logged_in' GROUP BY 1) l
 WHERE l.account_id = a.id;
