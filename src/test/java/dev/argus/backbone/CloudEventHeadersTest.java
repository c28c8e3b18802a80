package dev.argus.backbone;

import dev.argus.model.EventTypes;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

class CloudEventHeadersTest {
  private static final long T = 1_700_000_000_123L;
  private final CloudEventHeaders headers = new CloudEventHeaders("node-a", () -> T);
  private final Buffer body = Buffer.buffer("{}");

  @Test
  void everyRecordCarriesTheRequiredBinaryModeAttributes() {
    Map<String, String> h = headers.attributes(new OutboundRecord("assessment-tasks", "cam-1", body, "cam-1:f1"), EventTypes.TASK);
    assertEquals("1.0", h.get("ce_specversion"));
    assertEquals("cam-1:f1", h.get("ce_id"));
    assertEquals(EventTypes.TASK, h.get("ce_type"));
    assertEquals("/argus/node-a/bridge", h.get("ce_source"));
    assertEquals("2023-11-14T22:13:20.123Z", h.get("ce_time"));
    assertEquals("application/json", h.get("content-type"));
  }

  @Test
  void aRecordWithoutADeterministicIdGetsAFreshUuid() {
    OutboundRecord r = new OutboundRecord("detection-results", "cam-1", body);
    String a = headers.attributes(r, EventTypes.DETECTION).get("ce_id");
    String b = headers.attributes(r, EventTypes.DETECTION).get("ce_id");
    assertNotEquals(a, b);
    assertEquals(a, UUID.fromString(a).toString());
  }

  @Test
  void aRecordsOwnTypeAndStageWinOverTheTopics() {
    OutboundRecord r = new OutboundRecord("assessment-tasks", "cam-1", body, "replay:r1:cam-1:f1", null, "replay");
    Map<String, String> h = headers.attributes(r, EventTypes.TASK);
    assertEquals("/argus/node-a/replay", h.get("ce_source"));
    OutboundRecord q = new OutboundRecord("alert-events", "cam-1", body, null, EventTypes.DATA_QUALITY, null);
    assertEquals(EventTypes.DATA_QUALITY, headers.attributes(q, EventTypes.ALERT).get("ce_type"));
    assertEquals("/argus/node-a/quality", headers.attributes(q, EventTypes.ALERT).get("ce_source"));
  }

  @Test
  void theNodeIsTheConfiguredOneOrElseThisHostsName() {
    assertEquals("edge-7", CloudEventHeaders.nodeId(" edge-7 "));
    assertFalse(CloudEventHeaders.nodeId(null).isBlank());
  }

  @Test
  void theKafkaHeadersCarryTheSameAttributesInTheSameOrder() {
    OutboundRecord r = new OutboundRecord("assessment-tasks", "cam-1", body, "cam-1:f1");
    java.util.List<org.apache.kafka.common.header.Header> kafka = headers.kafkaHeaders(r, EventTypes.TASK);
    Map<String, String> expected = headers.attributes(r, EventTypes.TASK);
    assertEquals(java.util.List.copyOf(expected.keySet()), kafka.stream().map(h -> h.key()).toList());
    for (var h : kafka) assertEquals(expected.get(h.key()), new String(h.value(), java.nio.charset.StandardCharsets.UTF_8), h.key());
  }

  @Test
  void freshIdsFromTheKafkaPathAreDistinctVersion4Uuids() {
    OutboundRecord r = new OutboundRecord("detection-results", "cam-1", body);
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = new String(headers.kafkaHeaders(r, EventTypes.DETECTION).get(1).value(), java.nio.charset.StandardCharsets.UTF_8);
      UUID u = UUID.fromString(id);
      assertEquals(4, u.version(), id);
      assertEquals(2, u.variant(), id);
      ids.add(id);
    }
    assertEquals(1000, ids.size());
  }

  @Test
  void theTimeFollowsTheClockFromOneMillisecondToTheNext() {
    long[] now = {T};
    CloudEventHeaders h = new CloudEventHeaders("n", () -> now[0]);
    OutboundRecord r = new OutboundRecord("detection-results", "cam-1", body);
    assertEquals("2023-11-14T22:13:20.123Z", h.attributes(r, EventTypes.DETECTION).get("ce_time"));
    now[0] = T + 1;
    assertEquals("2023-11-14T22:13:20.124Z", new String(h.kafkaHeaders(r, EventTypes.DETECTION).get(4).value(),
        java.nio.charset.StandardCharsets.UTF_8));
  }
}
