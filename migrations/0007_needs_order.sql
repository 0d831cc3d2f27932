-- The needs list walks this index in its own order (priority, then oldest) and
-- stops at the page size, instead of sorting every open need.
CREATE INDEX needs_order ON needs(priority, received_at, number);
