-- The roads a zone file carries (a drawing aid for a map without tiles), as
-- one GeoJSON document, replaced in the zone import's own transaction.
CREATE TABLE zone_roads (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    body TEXT NOT NULL
);
