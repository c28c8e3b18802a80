package dev.argus.llm;

import io.github.bucket4j.BucketConfiguration;

/**
 * What the {@link KeyPool} shares with the other nodes of a cluster. {@link #STANDALONE} shares nothing: a
 * single node decides alone, exactly as before cluster mode. Every method is called on the pool's thread and
 * must return at once (an implementation talks to the cluster asynchronously and answers from what it holds).
 */
public interface ClusterHooks {
  /**
   * A budget the whole cluster spends together: {@code config} is its Bucket4j configuration on the cluster,
   * {@code perSecond} its rate (for lease sizes and the local share when the cluster cannot be reached).
   */
  default void declare(String budget, BucketConfiguration config, double perSecond) {}

  /** This node holds {@code amount} of {@code budget} now (asks the cluster for more when it does not). */
  default boolean holds(String budget, long amount) {
    return true;
  }

  /** Spends what {@link #holds} said was there. */
  default void spend(String budget, long amount) {}

  /** Gives back what a call was charged and did not use (tokens). */
  default void refund(String budget, long amount) {}

  /**
   * This node may send the one call the cluster allows on a key that is not yet proven: it holds the key's
   * probe (asked for when it does not).
   */
  default boolean mayProbe(String keyId) {
    return true;
  }

  /** The probe of {@code keyId} was sent: this node keeps it until the call's answer. */
  default void probeSent(String keyId) {}

  /** How many nodes share the pool now (a learned rate without a declared limit is split among them). */
  default int members() {
    return 1;
  }

  /**
   * This node's part of a count the whole cluster must stay within together (a key's learned concurrency
   * limit): the parts of all members add up to {@code total}, and some are 0 when {@code total} is smaller
   * than the cluster.
   */
  default int share(int total) {
    return total;
  }

  /** Something the pool decided that every node must know. */
  default void publish(SharedChange change) {}

  /**
   * Member {@code rank}'s part of {@code total} among {@code members}: the parts differ by at most one, the
   * lowest ranks get the remainder, and they add up to {@code total}.
   */
  static int split(int total, int members, int rank) {
    return total / members + (rank < total % members ? 1 : 0);
  }

  ClusterHooks STANDALONE = new ClusterHooks() {};
}
