-- lossbench_reader: the role dashboards (Grafana) and ad-hoc SQL read the leaderboards with.
-- It may SELECT the views and nothing else; the grants are in R__views.sql, next to the views.
--
-- Roles belong to the whole server, not to one database, so the role may exist already (another lossbench
-- database on the same server, or a DBA made it): then it is left as it is. It is created NOLOGIN; a
-- deployment that wants to log in with it sets a password of its own choosing:
--     ALTER ROLE lossbench_reader LOGIN PASSWORD '...';
-- or, better, grants it to a login role:  GRANT lossbench_reader TO grafana;
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'lossbench_reader') THEN
        CREATE ROLE lossbench_reader NOLOGIN;
    END IF;
EXCEPTION
    -- another process migrating another database on this server created it in the meantime
    WHEN duplicate_object OR unique_violation THEN
        NULL;
    -- a managed server where lossbench's user may not create roles: lossbench still works, dashboards wait
    WHEN insufficient_privilege THEN
        RAISE WARNING 'lossbench: could not create role lossbench_reader (% lacks CREATEROLE); ask an administrator to run CREATE ROLE lossbench_reader NOLOGIN, then the GRANT statements in schema/README.md', current_user;
END
$$;
