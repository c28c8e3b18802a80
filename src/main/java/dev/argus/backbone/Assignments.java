package dev.argus.backbone;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partitions this node's consumers own right now, per consumer group and topic, as the groups'
 * rebalances hand them out and take them back ({@code GET /api/v1/cluster} shows them). Thread-safe:
 * every consumer reports from its own context.
 */
public final class Assignments {
  private final Map<String, Map<String, Set<Integer>>> owned = new ConcurrentHashMap<>();

  public void assigned(String group, String topic, int partition) {
    owned.computeIfAbsent(group, g -> new ConcurrentHashMap<>())
        .computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(partition);
  }

  public void revoked(String group, String topic, int partition) {
    Map<String, Set<Integer>> topics = owned.get(group);
    if (topics == null) return;
    Set<Integer> parts = topics.get(topic);
    if (parts != null) parts.remove(partition);
  }

  /** group → topic → sorted partitions, a copy. */
  public Map<String, Map<String, List<Integer>>> byGroup() {
    Map<String, Map<String, List<Integer>>> out = new TreeMap<>();
    owned.forEach((group, topics) -> topics.forEach((topic, parts) -> {
      List<Integer> sorted = List.copyOf(new TreeSet<>(parts));
      out.computeIfAbsent(group, g -> new TreeMap<>()).put(topic, sorted);
    }));
    return out;
  }

  /** topic → sorted partitions owned by any of this node's groups, a copy. */
  public Map<String, List<Integer>> byTopic() {
    Map<String, Set<Integer>> union = new TreeMap<>();
    owned.values().forEach(topics -> topics.forEach((topic, parts) ->
        union.computeIfAbsent(topic, t -> new TreeSet<>()).addAll(parts)));
    Map<String, List<Integer>> out = new TreeMap<>();
    union.forEach((t, p) -> out.put(t, List.copyOf(p)));
    return out;
  }
}
