-- Test-only: stands for a migration that a newer lossbench applied, which this code does not know.
CREATE TABLE from_the_future (id integer PRIMARY KEY);
