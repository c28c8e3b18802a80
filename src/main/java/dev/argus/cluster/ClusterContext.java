package dev.argus.cluster;

import com.hazelcast.core.HazelcastInstance;

import java.util.Optional;

/**
 * What a node knows about the cluster it runs in, handed to the stages that share state across nodes
 * (the key pool, the admin routes, {@code GET /api/v1/cluster}). A standalone node has no Hazelcast
 * instance: every stage then keeps its state in its own memory, as before cluster mode existed.
 *
 * @param nodeId    this node's id (the Vert.x cluster node id, or a random id when standalone)
 * @param hazelcast the cluster manager's Hazelcast member, present only in cluster mode
 */
public record ClusterContext(String nodeId, Optional<HazelcastInstance> hazelcast) {

  public static ClusterContext standalone() {
    return new ClusterContext(java.util.UUID.randomUUID().toString(), Optional.empty());
  }

  public boolean enabled() {
    return hazelcast.isPresent();
  }
}
