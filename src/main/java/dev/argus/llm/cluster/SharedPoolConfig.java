package dev.argus.llm.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.ReplicatedMapConfig;
import io.github.bucket4j.grid.hazelcast.HazelcastProxyManager;

/**
 * The key pool's part of the Hazelcast configuration (maps, serializers for the distributed buckets).
 * Called by the cluster set-up before the Hazelcast member starts, so every member agrees on it.
 */
public final class SharedPoolConfig {
  /** Bucket4j's buckets for the declared limits (one backup: a member's death loses no budget state). */
  public static final String BUCKETS_MAP = "argus.llm.buckets";
  /** Each key's probe register: free, one node's probe, proven or disabled. */
  public static final String PROBES_MAP = "argus.llm.probes";
  /** Decisions every node applies (disabled, cooling, learned rates, open breakers) and each node's counters. */
  public static final String STATE_MAP = "argus.llm.state";
  /** Type ids of Bucket4j's Hazelcast serializers: {@code BASE}..{@code BASE+4}. */
  static final int SERIALIZER_TYPE_ID_BASE = 41_000;

  private SharedPoolConfig() {}

  public static void contribute(Config config) {
    HazelcastProxyManager.addCustomSerializers(config.getSerializationConfig(), SERIALIZER_TYPE_ID_BASE);
    config.addMapConfig(new MapConfig(BUCKETS_MAP).setBackupCount(1));
    config.addMapConfig(new MapConfig(PROBES_MAP).setBackupCount(1));
    config.addReplicatedMapConfig(new ReplicatedMapConfig(STATE_MAP).setAsyncFillup(false));
  }
}
