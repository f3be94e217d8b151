package dev.lossbench.workflows;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskQueuesTest {
  @Test
  void everyQueueIsKnownAndAnOtherNameIsNamed() {
    assertDoesNotThrow(() -> TaskQueues.requireKnown(TaskQueues.ALL));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TaskQueues.requireKnown(List.of(TaskQueues.CPU, "gpus")));
    assertEquals("unknown queue 'gpus': expected some of lossbench-workflows, gpu, cpu", e.getMessage());
  }
}
