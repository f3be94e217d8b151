#!/bin/sh
# Runs once, when PostgreSQL creates its data directory: the login role Grafana reads with, holding
# lossbench_reader. The role itself is lossbench's (migration V2 creates it NOLOGIN, and grants it the views);
# made here first so that the GRANT works before lossbench has migrated. V2 leaves an existing role alone.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v reader_user="$LOSSBENCH_READER_USER" -v reader_password="$LOSSBENCH_READER_PASSWORD" <<'SQL'
CREATE ROLE lossbench_reader NOLOGIN;
CREATE ROLE :"reader_user" LOGIN PASSWORD :'reader_password';
GRANT lossbench_reader TO :"reader_user";
SQL
