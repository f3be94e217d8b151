package dev.lossbench.workers.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.workflows.benchmark.RunState;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The workflows' run statuses and the store's are the same words: the store activity maps one to the other by word. */
class RunStatusWordsTest {
  @Test
  void workflowStatusesAreTheStoresStatuses() {
    assertEquals(Arrays.stream(RunStatus.values()).map(RunStatus::sqlName).toList(),
        Arrays.stream(RunState.Status.values()).map(RunState.Status::word).toList());
    for (RunState.Status s : RunState.Status.values()) {
      assertEquals(s.isFinished(), RunStatus.fromSql(s.word()).isFinished(), s.word());
      assertEquals(s, RunState.Status.of(s.word()));
    }
  }
}
