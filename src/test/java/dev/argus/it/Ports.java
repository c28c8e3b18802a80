package dev.argus.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free loopback ports for the processes and servers a test starts; never the same port twice in one JVM. */
public final class Ports {
  /**
   * Every port handed out in this JVM. The OS may give a port it just released to the next bind(0): ClusterIT
   * once got the same port for two nodes' HTTP servers, the second node failed to start, and the first one
   * answered for it, so the cluster had two members where the test counted three.
   */
  private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

  private Ports() {}

  public static int free() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket s = new ServerSocket(0)) {
        s.setReuseAddress(true);
        if (GIVEN.add(s.getLocalPort())) return s.getLocalPort();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("no port that was not already handed out in 100 attempts");
  }
}
