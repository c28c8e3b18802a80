package dev.argus.ops;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar argus-gateway.jar pipeline-test --url http://HOST:8080 --cameras N --frames M}: the
 * smoke test an operator runs right after a deployment. Prints accepted, assessed, sources and the
 * end-to-end P50/P95; exit status 0 when every frame was assessed, 1 when any is missing, 2 when the
 * run could not start (bad arguments, gateway unreachable).
 */
public final class PipelineTestCommand {
  private PipelineTestCommand() {}

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    PipelineTestOptions options;
    try {
      options = PipelineTestOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("pipeline-test: " + e.getMessage());
      err.println(PipelineTestOptions.USAGE);
      return 2;
    }
    out.printf("pipeline-test: %d camera(s) x %d frame(s) against %s%n", options.cameras(), options.frames(), options.url());
    // A command-line tool on a possibly busy machine: the event loop warnings would only clutter its output.
    Vertx vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(30).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));
    try {
      Promise<PipelineTally> done = Promise.promise();
      vertx.runOnContext(v -> PipelineTest.run(vertx, options).onComplete(done));
      // Every frame is bounded by its own timeout; this only guards against a hang of the tool itself.
      long boundMs = (long) options.frames() * (options.timeout().toMillis() + 15_000) + 30_000;
      PipelineTally tally = done.future().toCompletionStage().toCompletableFuture().get(boundMs, TimeUnit.MILLISECONDS);
      out.print(tally.report());
      return tally.exitCode();
    } catch (ExecutionException e) {
      err.println("pipeline-test: " + e.getCause().getMessage());
      return 2;
    } catch (Exception e) {
      err.println("pipeline-test: " + e);
      return 2;
    } finally {
      vertx.close();
    }
  }
}
