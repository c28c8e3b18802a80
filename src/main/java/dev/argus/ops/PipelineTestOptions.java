package dev.argus.ops;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The arguments of {@code pipeline-test}: {@code --url http://HOST:PORT --cameras N --frames M
 * [--timeout SECONDS]}. The timeout is per frame: a frame's assessment not seen by then is missing (it
 * must outlast {@code llm.deadlineMs}, after which the rules answer).
 */
public record PipelineTestOptions(URI url, int cameras, int frames, Duration timeout) {
  public static final String USAGE =
      "usage: java -jar argus-gateway.jar pipeline-test --url http://HOST:8080 --cameras N --frames M [--timeout SECONDS]";

  /** Parses the arguments after {@code pipeline-test}; throws IllegalArgumentException naming the bad one. */
  public static PipelineTestOptions parse(List<String> args) {
    URI url = URI.create("http://127.0.0.1:8080");
    int cameras = 3;
    int frames = 5;
    int timeout = 45;
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      if (i + 1 >= args.size()) throw new IllegalArgumentException(name + " needs a value");
      String value = args.get(++i);
      switch (name) {
        case "--url" -> url = url(value);
        case "--cameras" -> cameras = positive(name, value, 10_000);
        case "--frames" -> frames = positive(name, value, 1_000_000);
        case "--timeout" -> timeout = positive(name, value, 3600);
        default -> throw new IllegalArgumentException("unknown argument '" + name + "'");
      }
    }
    return new PipelineTestOptions(url, cameras, frames, Duration.ofSeconds(timeout));
  }

  private static URI url(String value) {
    URI u;
    try {
      u = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--url: not a URL: " + value);
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
      throw new IllegalArgumentException("--url: expected http://HOST:PORT, got " + value);
    }
    return u;
  }

  private static int positive(String name, String value, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= max) return n;
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw new IllegalArgumentException(name + ": expected an integer from 1 to " + max + ", got '" + value + "'");
  }

  /** The port to connect to, the scheme's default when the URL names none. */
  public int port() {
    return url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
  }

  public boolean ssl() {
    return "https".equals(url.getScheme());
  }
}
