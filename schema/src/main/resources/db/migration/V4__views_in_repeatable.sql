-- Every view now lives in the repeatable migration R__views.sql. V3 created run_progress and benchmark_list as
-- versioned views; drop them here so that R__views.sql (changed in the same release, hence re-applied after this
-- migration) creates them again, with their grants, on stores made by earlier releases as on new ones.
-- This is also the schema version bump that the R__views.sql policy asks for.
DROP VIEW IF EXISTS run_progress;
DROP VIEW IF EXISTS benchmark_list;
