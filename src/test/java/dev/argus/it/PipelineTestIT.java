package dev.argus.it;

import dev.argus.it.browser.DemoJar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar argus-gateway.jar pipeline-test} as an operator runs it, against the jar in demo mode. */
class PipelineTestIT {
  @TempDir
  static Path dir;
  private static DemoJar gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = DemoJar.start(dir, 2);
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) gateway.close();
  }

  @Test
  void everySyntheticFrameIsAcceptedAndAssessedAndTheRunExitsZero() throws Exception {
    Run run = pipelineTest("--url", gateway.url(""), "--cameras", "2", "--frames", "3");
    assertEquals(0, run.exit, run.output + "\ngateway log:\n" + gateway.tail());
    assertTrue(run.output.contains("accepted   6/6"), run.output);
    assertTrue(run.output.contains("assessed   6/6"), run.output);
    assertTrue(run.output.matches("(?s).*source     (llm|rules)=\\d.*"), run.output);
    assertTrue(run.output.matches("(?s).*latency    p50=\\d+ ms p95=\\d+ ms.*"), run.output);
  }

  @Test
  void aGatewayThatDoesNotAnswerFailsTheRun() throws Exception {
    Run run = pipelineTest("--url", "http://127.0.0.1:" + Ports.free(), "--cameras", "1", "--frames", "1");
    assertTrue(run.exit != 0, run.output);
  }

  private record Run(int exit, String output) {}

  private static Run pipelineTest(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("java", "-jar",
        Path.of(System.getProperty("argus.jar", "target/argus-gateway.jar")).toAbsolutePath().toString(), "pipeline-test"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "pipeline-test did not finish:\n" + output);
    return new Run(p.exitValue(), output);
  }
}
