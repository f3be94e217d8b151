-- Where a run's latest attempt trained, recorded by the training activity when the attempt starts:
-- device is lossbench's name of it, 'cpu' or 'cuda:N', with the GPU's name when CUDA reports one
-- ('cuda:0 (NVIDIA H200)'). peak_device_memory_bytes is the most device memory seen in use on that GPU during the
-- attempt (CUDA's total − free, sampled at the attempt's start, each epoch's end and its end: libtorch's cached
-- blocks and any other process on that GPU included); NULL on the CPU or when CUDA does not say. Both are NULL
-- for runs that never started, and for runs that ran before this migration.
-- This migration also re-creates the views (R__views.sql: run_progress and run_status show the device).
ALTER TABLE run ADD COLUMN device text;
ALTER TABLE run ADD COLUMN peak_device_memory_bytes bigint CHECK (peak_device_memory_bytes >= 0);
