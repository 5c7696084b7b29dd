-- Entity ids hash the normalised name alone: a coarse kind (person or other) in the
-- id split one name into two entities whenever the model gave it both kinds, which
-- on the corpora happened far more often than two real-world things sharing a bare
-- name. `kind` stays as a column, from the voted label.
--
-- Every entity is marked for re-keying (kind NULL); warehouse.entities.upgrade_entities
-- re-keys them, and finds the short-form definitions again, when a writer opens the database.

ALTER TABLE entity_redirects ADD COLUMN full_name VARCHAR;  -- the full name as the defining article writes it
UPDATE entities SET kind = NULL;
