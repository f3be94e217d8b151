package dev.lossbench.workers.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lossbench.schema.record.RunStatus;
import dev.lossbench.workflows.run.RunPhase;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The workflows' run statuses and the store's are the same words: the store activity maps one to the other by word. */
class RunStatusWordsTest {
  @Test
  void workflowStatusesAreTheStoresStatuses() {
    assertEquals(Arrays.stream(RunStatus.values()).map(RunStatus::sqlName).toList(),
        Arrays.stream(RunPhase.values()).map(RunPhase::word).toList());
    for (RunPhase s : RunPhase.values()) {
      assertEquals(s.isFinished(), RunStatus.fromSql(s.word()).isFinished(), s.word());
      assertEquals(s, RunPhase.of(s.word()));
    }
  }
}
