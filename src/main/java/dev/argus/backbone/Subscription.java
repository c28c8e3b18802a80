package dev.argus.backbone;

import io.vertx.core.Future;

/** A running consumer; {@link #close()} finishes the batch in hand, commits it and leaves the group. */
public interface Subscription {
  Future<Void> close();

  /**
   * Whether records keyed {@code key} come to this subscription now (its partition is assigned here), so a
   * stage can take side information about a key (sent to every node) only where the key's records go.
   * Without partitions (direct mode, one process) every key is its own.
   */
  default boolean owns(String key) {
    return true;
  }
}
