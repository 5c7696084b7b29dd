-- Who runs a run, so the next run can tell a live run from one whose process died (SIGKILL, OOM, power).
ALTER TABLE runs ADD COLUMN host VARCHAR;            -- hostname of the process that runs it
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN process_token VARCHAR;   -- boot id and process start time: tells a reused pid apart
ALTER TABLE runs ADD COLUMN heartbeat_at TIMESTAMPTZ; -- last batch loaded: the only sign of life from another host
