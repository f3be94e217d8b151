package dev.lossbench.workflows.run;

import dev.lossbench.workflows.OrchestrationSettings;
import dev.lossbench.workflows.activities.RunPlan;

public record RunRequest(RunPlan plan, OrchestrationSettings settings) {}
