package dev.lossbench.workers.stack;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line when an activity starts on this worker and one when it ends: which run (the workflow id: a run's id
 * for training and evaluation, the benchmark's for dataset preparation), which attempt, which queue. It goes where
 * the process's logs go: {@code worker}'s and {@code server}'s stderr, the home's log for an embedded {@code run}.
 */
final class ActivityLog extends WorkerInterceptorBase {
  private static final Logger log = LoggerFactory.getLogger(ActivityLog.class);

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityInfo info;

      @Override
      public void init(ActivityExecutionContext context) {
        info = context.getInfo();
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        String what = info.getActivityType() + " for " + info.getWorkflowId() + " (attempt " + info.getAttempt()
            + ", queue "
            + info.getActivityTaskQueue() + ")";
        log.info("activity start: {}", what);
        long started = System.nanoTime();
        try {
          ActivityOutput output = super.execute(input);
          log.info("activity end: {} succeeded after {}", what, seconds(started));
          return output;
        } catch (RuntimeException | Error e) {
          log.info("activity end: {} failed after {}: {}", what, seconds(started), oneLine(e));
          throw e;
        }
      }
    };
  }

  private static String seconds(long startedNanos) {
    return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startedNanos) / 1e9);
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage();
    String text = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    return text.length() > 300 ? text.substring(0, 300).replace('\n', ' ') + " …" : text.replace('\n', ' ');
  }
}
