package dev.argus.backbone;

import io.vertx.core.Future;

/** A running consumer; {@link #close()} finishes the batch in hand, commits it and leaves the group. */
public interface Subscription {
  Future<Void> close();
}
