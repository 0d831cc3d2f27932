-- A notice a coordinator marks for the lobby screen (heat, safety) as well as the board.
ALTER TABLE board_notices ADD COLUMN lobby INTEGER NOT NULL DEFAULT 0;
