-- The center's settings (設定): one document, versioned. Every change is a
-- `settings.changed` event carrying the whole document; this row is its projection.
CREATE TABLE center_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL CHECK (version >= 1),
    body TEXT NOT NULL
);
