package dev.argus.replay;

import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * {@code java -jar argus-gateway.jar replay --url http://HOST:8080 --from T --to T [--camera ID]
 * [--token ADMIN_TOKEN] [--timeout S]}: starts a replay over HTTP, follows it until it is done and prints
 * its final status as JSON. Exit status 0 when done, 1 when it failed or did not finish in time, 2 when
 * it could not start (bad arguments, refused, gateway unreachable). The token may also come from
 * {@code ARGUS_ADMIN_TOKEN}.
 */
public final class ReplayCommand {
  public static final String USAGE = "usage: replay --url http://HOST:8080 --from <ms|ISO-8601> --to <ms|ISO-8601>"
      + " [--camera ID] [--token ADMIN_TOKEN] [--timeout SECONDS]";
  private static final long POLL_MS = 1000;

  /** The parsed command line. */
  record Options(String url, JsonObject body, String token, Duration timeout) {}

  private ReplayCommand() {}

  static Options parse(List<String> args, String envToken) {
    String url = null;
    String token = envToken;
    long timeout = 600;
    JsonObject body = new JsonObject();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (i + 1 >= args.size()) throw new IllegalArgumentException(a + " needs a value");
      String v = args.get(++i);
      switch (a) {
        case "--url" -> url = v.replaceAll("/+$", "");
        case "--from", "--to" -> body.put(a.substring(2), v.matches("\\d+") ? (Object) Long.parseLong(v) : v);
        case "--camera" -> body.put("camera_id", v);
        case "--token" -> token = v;
        case "--timeout" -> timeout = Long.parseLong(v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (url == null) throw new IllegalArgumentException("--url is required");
    ReplayRequest.parse(body); // the same checks as the gateway's, before anything is sent
    return new Options(url, body, token, Duration.ofSeconds(timeout));
  }

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    Options o;
    try {
      o = parse(args, System.getenv("ARGUS_ADMIN_TOKEN"));
    } catch (IllegalArgumentException e) {
      err.println("replay: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    HttpClient http = HttpClient.newHttpClient();
    try {
      HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(o.url() + "/api/v1/replay"))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(o.body().encode()));
      if (o.token() != null && !o.token().isEmpty()) post.header("Authorization", "Bearer " + o.token());
      HttpResponse<String> started = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
      if (started.statusCode() != 202) {
        err.println("replay: refused (" + started.statusCode() + "): " + started.body());
        return 2;
      }
      String id = new JsonObject(started.body()).getString("replay_id");
      out.println("replay " + id + " started");
      long deadline = System.nanoTime() + o.timeout().toNanos();
      while (true) {
        HttpResponse<String> s = http.send(HttpRequest.newBuilder(URI.create(o.url() + "/api/v1/replay/" + id))
            .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonObject status = s.statusCode() == 200 ? new JsonObject(s.body()) : null;
        String st = status == null ? "unknown" : status.getString("status");
        if (!ReplayRun.RUNNING.equals(st) || System.nanoTime() > deadline) {
          out.println(status == null ? s.body() : status.encodePrettily());
          return ReplayRun.DONE.equals(st) ? 0 : 1;
        }
        Thread.sleep(POLL_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 2;
    } catch (Exception e) {
      err.println("replay: " + e);
      return 2;
    }
  }
}
