-- A draw with `--lottery-weigh-no-shows` (algorithm sha256-rank-noshow-v1)
-- records the no-show count it used for each applicant, in drawn order, so a
-- re-run gives the same order whatever happened since. NULL for sha256-rank-v1.
ALTER TABLE hub_lottery_draws ADD COLUMN no_shows bigint[];
