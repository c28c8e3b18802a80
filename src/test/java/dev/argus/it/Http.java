package dev.argus.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Requests with headers (tokens, request ids), which {@link Gateway}'s helpers do not send. */
final class Http {
  private Http() {}

  static HttpResponse<String> send(HttpClient client, String method, String url, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Gateway.REQUEST_TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
    return send(Gateway.HTTP, "GET", "http://127.0.0.1:" + port + path, null, headers);
  }

  static HttpResponse<String> post(int port, String path, String body, String... headers) throws Exception {
    return send(Gateway.HTTP, "POST", "http://127.0.0.1:" + port + path, body, headers);
  }

  /** The status of a GET, or -1 when there was no answer (for polling until a route answers). */
  static int statusOf(int port, String path) {
    try {
      return get(port, path).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  /** {@code checks.<name>.status} of {@code /health/ready}, or "NO ANSWER" when it did not answer. */
  static String readyCheck(int port, String name) {
    try {
      return new io.vertx.core.json.JsonObject(get(port, "/health/ready").body()).getJsonObject("checks")
          .getJsonObject(name).getString("status");
    } catch (Exception e) {
      return "NO ANSWER";
    }
  }

  static String frame(String camera) {
    return "{\"camera_id\":\"" + camera + "\",\"detections\":[]}";
  }
}
