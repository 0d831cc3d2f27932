-- Who caused each event (issue 16): player, inject, autopilot, trainer or
-- system, written with the row (`events::Cause`). Rows from before stay NULL
-- (rows are never rewritten) and are read from their actor (`Cause::of_row`).
ALTER TABLE events ADD COLUMN cause TEXT
    CHECK (cause IS NULL OR cause IN ('player', 'inject', 'autopilot', 'trainer', 'system'));
