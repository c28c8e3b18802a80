package dev.argus.ingest;

import dev.argus.model.FrameReader;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Duplicate keys are refused wherever they sit: a frame, a detection, deep inside an unknown field, inside a
 * value a known field refuses, a CloudEvent envelope; at ingest and in the bridge's reading of a record.
 */
class DuplicateKeysTest {
  private static final String DETECTION = "{\"label\":\"p\",\"confidence\":0.5,\"bbox\":[0,0,1,1]}";

  private static String malformed(String body) {
    return assertThrows(FrameBody.MalformedException.class, () -> FrameBody.json(Buffer.buffer(body))).getMessage();
  }

  @Test
  void aKnownFrameFieldTwiceIsMalformedAndNamed() {
    assertEquals("malformed JSON: Duplicate field 'timestamp'",
        malformed("{\"camera_id\":\"a\",\"timestamp\":1,\"timestamp\":2,\"detections\":[]}"));
  }

  @Test
  void anUnknownFrameFieldTwiceIsMalformed() {
    assertEquals("malformed JSON: Duplicate field 'zone'",
        malformed("{\"camera_id\":\"a\",\"zone\":1,\"detections\":[],\"zone\":{}}"));
  }

  @Test
  void aDetectionFieldTwiceIsMalformedWhicheverItIs() {
    assertEquals("malformed JSON: Duplicate field 'bbox'", malformed(
        "{\"camera_id\":\"a\",\"detections\":[{\"label\":\"p\",\"bbox\":[0,0,1,1],\"confidence\":1,\"bbox\":[0,0,2,2]}]}"));
    assertEquals("malformed JSON: Duplicate field 'x'", malformed(
        "{\"camera_id\":\"a\",\"detections\":[{\"label\":\"p\",\"x\":1,\"confidence\":1,\"x\":2,\"bbox\":[0,0,1,1]}]}"));
  }

  @Test
  void aDuplicateDeepInsideAnUnknownFieldIsMalformed() {
    assertEquals("malformed JSON: Duplicate field 'k'", malformed(
        "{\"camera_id\":\"a\",\"meta\":[1,{\"ok\":[{\"k\":1,\"k\":2}]}],\"detections\":[]}"));
  }

  @Test
  void aDuplicateInsideAnArrayElementThatIsNoFrameIsMalformed() {
    assertTrue(malformed("[[{\"a\":1,\"a\":1}]]").contains("Duplicate field 'a'"));
  }

  @Test
  void aCloudEventAttributeTwiceIsMalformed() {
    String frame = "{\"camera_id\":\"a\",\"detections\":[]}";
    FrameBody.MalformedException e = assertThrows(FrameBody.MalformedException.class, () -> FrameBody.cloudEvent(Buffer.buffer(
        "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/c\",\"type\":\"t\",\"id\":\"2\",\"data\":" + frame + "}")));
    assertEquals("malformed JSON: Duplicate field 'id'", e.getMessage());
  }

  @Test
  void theSameNamesInSiblingObjectsAreNotDuplicates() throws Exception {
    FrameBody.Scan s = FrameBody.json(Buffer.buffer("[{\"camera_id\":\"a\",\"x\":{\"k\":1},\"detections\":[" + DETECTION + ","
        + DETECTION + "],\"y\":{\"k\":2}},{\"camera_id\":\"b\",\"x\":1,\"detections\":[" + DETECTION + "]}]"));
    assertTrue(s.ok(), () -> s.errors().toString());
    assertEquals(2, s.valid().size());
    assertEquals(2, s.valid().get(0).detection().objects().size());
  }

  @Test
  void bboxCornersKeepTheirValueWhateverTheirNumberType() throws Exception {
    FrameBody.Scan s = FrameBody.json(Buffer.buffer("{\"camera_id\":\"a\",\"detections\":[{\"label\":\"p\",\"confidence\":1,"
        + "\"bbox\":[1,2.5,4000000000,99999999999999999999]}]}"));
    assertTrue(s.ok(), () -> s.errors().toString());
    double[] b = s.valid().get(0).detection().objects().get(0).bbox();
    assertEquals(1, b[0]);
    assertEquals(2.5, b[1]);
    assertEquals(4_000_000_000d, b[2]);
    assertEquals(1e20, b[3]);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"camera_id", "frame_id", "timestamp", "model_type", "image_url", "image_width", "image_height",
      "detections"})
  void everyKnownFrameFieldTwiceIsMalformed(String field) {
    assertEquals("malformed JSON: Duplicate field '" + field + "'",
        malformed("{\"camera_id\":\"a\",\"detections\":[],\"" + field + "\":null,\"" + field + "\":null}"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"label", "class", "confidence", "bbox", "track_id"})
  void everyKnownDetectionFieldTwiceIsMalformed(String field) {
    assertEquals("malformed JSON: Duplicate field '" + field + "'", malformed(
        "{\"camera_id\":\"a\",\"detections\":[{\"" + field + "\":null,\"x\":1,\"" + field + "\":null}]}"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "{\"camera_id\":{\"a\":1,\"a\":2},\"detections\":[]}",
      "{\"camera_id\":\"c\",\"frame_id\":[{\"a\":1,\"a\":2}],\"detections\":[]}",
      "{\"camera_id\":\"c\",\"timestamp\":{\"a\":1,\"a\":2},\"detections\":[]}",
      "{\"camera_id\":\"c\",\"model_type\":{\"a\":1,\"a\":2},\"detections\":[]}",
      "{\"camera_id\":\"c\",\"image_width\":{\"a\":1,\"a\":2},\"detections\":[]}",
      "{\"camera_id\":\"c\",\"detections\":{\"a\":1,\"a\":2}}",
      "{\"camera_id\":\"c\",\"detections\":[[{\"a\":1,\"a\":2}]]}",
      "{\"camera_id\":\"c\",\"detections\":[{\"label\":{\"a\":1,\"a\":2},\"confidence\":1,\"bbox\":[0,0,1,1]}]}",
      "{\"camera_id\":\"c\",\"detections\":[{\"label\":\"p\",\"confidence\":1,\"bbox\":[0,{\"a\":1,\"a\":2},1,1]}]}",
      "{\"camera_id\":\"c\",\"detections\":[{\"label\":\"p\",\"confidence\":1,\"bbox\":{\"a\":1,\"a\":2}}]}",
      "{\"camera_id\":\"c\",\"detections\":[{\"label\":\"p\",\"confidence\":1,\"bbox\":[0,0,1,1],\"track_id\":{\"a\":1,\"a\":2}}]}"})
  void aDuplicateInsideAValueAKnownFieldRefusesIsMalformed(String frame) {
    assertEquals("malformed JSON: Duplicate field 'a'", malformed(frame));
  }

  @Test
  void aDuplicateAmongManyUnknownFieldsIsMalformed() {
    String many = IntStream.range(0, 40).mapToObj(i -> "\"z" + i + "\":" + i).collect(Collectors.joining(","));
    assertEquals("malformed JSON: Duplicate field 'z3'",
        malformed("{\"camera_id\":\"a\"," + many + ",\"detections\":[],\"z3\":0}"));
  }

  @Test
  void manyDistinctUnknownFieldsAreNoDuplicates() throws Exception {
    String many = IntStream.range(0, 40).mapToObj(i -> "\"z" + i + "\":{\"k\":" + i + "}").collect(Collectors.joining(","));
    FrameBody.Scan s = FrameBody.json(Buffer.buffer("{\"camera_id\":\"a\"," + many + ",\"detections\":[{\"label\":\"p\","
        + many + ",\"confidence\":1,\"bbox\":[0,0,1,1]}]}"));
    assertTrue(s.ok(), () -> s.errors().toString());
  }

  @Test
  void anUnknownCloudEventAttributeTwiceOrADuplicateInsideItIsMalformed() {
    String frame = "{\"camera_id\":\"a\",\"detections\":[]}";
    for (String ext : new String[] {"\"ext\":1,\"ext\":2", "\"ext\":[{\"a\":1,\"a\":2}]"}) {
      assertThrows(FrameBody.MalformedException.class, () -> FrameBody.cloudEvent(Buffer.buffer(
          "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/c\",\"type\":\"t\"," + ext + ",\"data\":" + frame + "}")), ext);
    }
  }

  @Test
  void theBridgeReadsARecordWithADuplicateKeyAsMalformed() {
    FrameReader.Decoded d = FrameReader.decode(Buffer.buffer(
        "{\"camera_id\":\"a\",\"detections\":[{\"label\":\"p\",\"confidence\":1,\"bbox\":[0,0,1,1],\"n\":{\"a\":1,\"a\":2}}]}"));
    assertTrue(d.malformed());
    assertEquals("malformed JSON: Duplicate field 'a'", d.result().errors().get(0).message());
  }
}
