package dev.argus.llm.cluster;

import com.hazelcast.config.Config;

/**
 * The key pool's part of the Hazelcast configuration (maps, serializers for the distributed buckets).
 * Called by the cluster set-up before the Hazelcast member starts, so every member agrees on it.
 */
public final class SharedPoolConfig {
  private SharedPoolConfig() {}

  public static void contribute(Config config) {
    // filled in by the cluster-wide key pool
  }
}
