package dev.argus.llm;

import dev.argus.config.LlmKeySpec;
import dev.argus.config.SelectionStrategy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.*;

class PoolStatusTest {
  private static final List<LlmKeySpec> KEYS = List.of(
      new LlmKeySpec("a", "sk-a-SECRETSECRET1234", 1, 0, 0, 1, null, null),
      new LlmKeySpec("b", "sk-b-SECRETSECRET5678", 1, 0, 0, 1, null, null));
  private final DispatchMeters meters = new DispatchMeters(new SimpleMeterRegistry(), KEYS, "m");
  private final Dispatcher dispatcher = new Dispatcher(
      new KeyPool(KEYS, new KeyPool.Settings(SelectionStrategy.LEAST_LOADED, 1_000, 8_000, 0.0), System::nanoTime, new Random(1)),
      10, new Dispatcher.Settings(10, 3, 50, 250, "m"), Dispatcher.Clock.system(), (ms, action) -> { },
      (task, lease) -> new CompletableFuture<>(), id -> true, meters, new Random(1));

  private static JsonObject key(JsonObject status, String id) {
    return status.getJsonArray("keys").stream().map(JsonObject.class::cast)
        .filter(k -> id.equals(k.getString("id"))).findFirst().orElseThrow();
  }

  @Test
  void aTrippedBreakerShowsAsCircuitOpenUnlessTheKeyIsDisabled() {
    dispatcher.pool().disable("b", "by hand");
    JsonObject status = PoolStatus.keys(dispatcher, id -> true, meters, 0);
    assertEquals("circuit_open", key(status, "a").getString("state"));
    assertEquals("disabled", key(status, "b").getString("state"));
    assertEquals("by hand", key(status, "b").getString("reason"));
  }

  @Test
  void secretsAreMasked() {
    String json = PoolStatus.keys(dispatcher, id -> false, meters, 0).encode();
    assertFalse(json.contains("SECRETSECRET"), json);
  }

  @Test
  void readinessSaysWhetherTasksCanReachAnLlm() {
    assertEquals("llm", PoolStatus.readiness(dispatcher, 2).getString("mode"));
    dispatcher.pool().disable("a", "x");
    dispatcher.pool().disable("b", "x");
    assertEquals("all_keys_disabled", PoolStatus.readiness(dispatcher, 2).getString("mode"));
  }

  @Test
  void capacityCountsAccountsNotKeys() {
    List<LlmKeySpec> shared = List.of(
        new LlmKeySpec("a1", "sk-a1-SECRETSECRET1234", 1, 0, 0, 1, null, null, "org", 0),
        new LlmKeySpec("a2", "sk-a2-SECRETSECRET5678", 1, 0, 0, 1, null, null, "org", 0),
        new LlmKeySpec("c", "sk-c-SECRETSECRET9012", 1, 5, 0, 1, null, null));
    Dispatcher d = new Dispatcher(new KeyPool(shared, new KeyPool.Settings(SelectionStrategy.LEAST_LOADED, 1_000, 8_000,
        0.0, 4.0), System::nanoTime, new Random(1)), 10, new Dispatcher.Settings(10, 3, 50, 250, "m"),
        Dispatcher.Clock.system(), (ms, action) -> { }, (task, lease) -> new CompletableFuture<>(), id -> true,
        new DispatchMeters(new SimpleMeterRegistry(), shared, "m"), new Random(1));
    JsonObject status = PoolStatus.keys(d, id -> false, meters, 0);
    assertEquals("org", key(status, "a2").getString("account"));
    assertEquals(2, status.getJsonArray("accounts").size(), "two keys of one account and a key of its own");
    assertEquals(2, status.getJsonArray("accounts").getJsonObject(0).getInteger("keys"));
    assertEquals(9.0, status.getDouble("capacity_qps"), "the shared account's 4 qps once, plus the other's 5");
  }

  @Test
  void anAccountsDeclaredLimitIsItsCapacityAndShowsInTheAccountsList() {
    var org = new dev.argus.config.LlmAccountSpec("org", 6, 0, 120_000);
    List<LlmKeySpec> shared = List.of(
        new LlmKeySpec("a1", "sk-a1-SECRETSECRET1234", 1, 5, 0, 1, null, null, "org", 0, org),
        new LlmKeySpec("a2", "sk-a2-SECRETSECRET5678", 1, 5, 0, 1, null, null, "org", 0, org),
        new LlmKeySpec("c", "sk-c-SECRETSECRET9012", 1, 5, 0, 1, null, null));
    Dispatcher d = new Dispatcher(new KeyPool(shared, new KeyPool.Settings(SelectionStrategy.LEAST_LOADED, 1_000, 8_000,
        0.0, 4.0), System::nanoTime, new Random(1)), 10, new Dispatcher.Settings(10, 3, 50, 250, "m"),
        Dispatcher.Clock.system(), (ms, action) -> { }, (task, lease) -> new CompletableFuture<>(), id -> true,
        new DispatchMeters(new SimpleMeterRegistry(), shared, "m"), new Random(1));
    JsonObject status = PoolStatus.keys(d, id -> false, meters, 0);
    JsonObject account = status.getJsonArray("accounts").getJsonObject(0);
    assertEquals("org", account.getString("account"));
    assertEquals(6.0, account.getDouble("qps_limit"));
    assertNull(account.getValue("rpm_limit"), "not declared");
    assertEquals(120_000L, account.getLong("tpm_limit"));
    assertEquals(5.0, status.getJsonArray("accounts").getJsonObject(1).getDouble("qps_limit"), "a key of its own: its limit");
    assertEquals(11.0, status.getDouble("capacity_qps"), "the account's 6 qps (not its keys' 5 + 5), plus the other's 5");
  }
}
