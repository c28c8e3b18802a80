package dev.argus.config;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What this node runs ({@code node.roles}, env {@code ARGUS_ROLES}): a comma list of
 * {@code ingest, bridge, llm, aggregate, dashboard}; default all. Every node serves {@code /health/*} and
 * {@code /metrics}; the rest of the HTTP routes and the verticles follow the roles (see the README).
 */
public record NodeRoles(Set<Role> roles) {
  public enum Role { INGEST, BRIDGE, LLM, AGGREGATE, DASHBOARD }

  public static final String KEY = "node.roles";

  public static NodeRoles all() {
    return new NodeRoles(EnumSet.allOf(Role.class));
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  /** An empty list means all roles (the key left out); an unknown name is a configuration error. */
  static NodeRoles parse(List<String> names) {
    if (names.isEmpty()) return all();
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : names) {
      try {
        roles.add(Role.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(KEY, "unknown role '" + name + "'; expected a comma list of ingest, bridge, llm, aggregate, dashboard");
      }
    }
    return new NodeRoles(Collections.unmodifiableSet(roles));
  }
}
