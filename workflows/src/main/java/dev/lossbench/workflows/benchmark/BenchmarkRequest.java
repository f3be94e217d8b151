package dev.lossbench.workflows.benchmark;

import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.matrix.BenchmarkSpec;

public record BenchmarkRequest(String benchmarkId, BenchmarkSpec spec, OrchestrationSettings settings) {}
