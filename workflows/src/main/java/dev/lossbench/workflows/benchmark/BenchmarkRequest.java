package dev.lossbench.workflows.benchmark;

import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.spec.BenchmarkSpec;

public record BenchmarkRequest(String benchmarkId, BenchmarkSpec spec, OrchestrationSettings settings) {}
