package dev.argus.http;

import dev.argus.config.ArgusConfig;
import dev.argus.security.Loopback;

import java.util.ArrayList;
import java.util.List;

/** What the gateway warns about at start: reachable from other machines without the protections that matter there. */
final class StartupWarnings {
  private StartupWarnings() {}

  static List<String> of(ArgusConfig.Http http) {
    List<String> out = new ArrayList<>();
    if (!Loopback.listensBeyondLoopback(http.host())) return out;
    String where = "HTTP listens on " + http.host() + ":" + http.port() + " (beyond loopback)";
    if (http.ingestTokens().isEmpty()) {
      out.add(where + " with no producer tokens: anyone who reaches the port can post frames. "
          + "Set http.ingestTokens (env ARGUS_INGEST_TOKENS) or listen on 127.0.0.1");
    }
    if (http.viewerToken().isEmpty()) {
      out.add(where + " with no viewer token: anyone who reaches the port can read results and watch the bus. "
          + "Set http.viewerToken (env ARGUS_VIEWER_TOKEN)");
    }
    if (http.adminToken().isEmpty()) {
      out.add("no admin token: the admin endpoints answer only clients on this machine. "
          + "Set http.adminToken (env ARGUS_ADMIN_TOKEN) to use them from elsewhere");
    }
    if (http.tls() == null && !http.ingestTokens().isEmpty()) {
      out.add(where + " without TLS: tokens cross the network in clear. Set http.tls.certPath and http.tls.keyPath, "
          + "or terminate TLS in front of the gateway");
    }
    return out;
  }
}
