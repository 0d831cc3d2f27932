-- Map zones (地区). Geometry is kept as the GeoJSON geometry object it was imported from.
CREATE TABLE zones (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    code     TEXT,
    color    TEXT,
    geometry TEXT NOT NULL CHECK (json_valid(geometry))
);
