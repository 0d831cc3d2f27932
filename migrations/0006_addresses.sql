-- Offline addresses (住所の取り込み). Both tables are replaced whole by an import
-- (event `addresses.imported`); intake reads them to suggest a pin and a zone.

-- 位置参照情報 (街区レベル): one row per block. The same address is kept under
-- three normalised keys so that typing may start at the prefecture, the city or
-- the town: `石川県金沢市広坂1-2`, `金沢市広坂1-2`, `広坂1-2`. Each key has its
-- index: a prefix match is a range scan (`key >= ? AND key < ?`).
CREATE TABLE address_points (
    id       INTEGER PRIMARY KEY,
    key      TEXT NOT NULL,   -- normalised, from the prefecture
    city_key TEXT NOT NULL,   -- normalised, from the city (市区町村名)
    town_key TEXT NOT NULL,   -- normalised, from the town (大字・町丁目名)
    address  TEXT NOT NULL,   -- as the file writes it: 石川県金沢市広坂一丁目2
    lat      REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon      REAL NOT NULL CHECK (lon BETWEEN -180 AND 180)
);
CREATE INDEX address_points_key ON address_points(key);
CREATE INDEX address_points_city_key ON address_points(city_key);
CREATE INDEX address_points_town_key ON address_points(town_key);

-- 町丁目 → zone. `zone` names a zone of the set current at import; no foreign
-- key, because a zone import replaces the `zones` table whole (readers join).
CREATE TABLE address_towns (
    key  TEXT PRIMARY KEY,    -- normalised: 広坂一丁目 → 広坂1
    town TEXT NOT NULL,       -- as written
    zone TEXT NOT NULL
);
