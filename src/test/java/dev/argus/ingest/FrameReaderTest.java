package dev.argus.ingest;

import dev.argus.model.FieldError;
import dev.argus.model.FrameParser;
import dev.argus.model.FrameReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The streaming reader must agree with {@link FrameParser} (the rules the stages behind Kafka apply) on
 * every frame: same detection when valid, same errors (index, field, message, order) when not. Frames
 * are generated from a fixed seed, valid and broken alike, field order shuffled.
 */
class FrameReaderTest {
  private static final String[] GOOD_IDS = {"\"cam-1\"", "\"x\"", "7", "\"" + "c".repeat(256) + "\""};
  private static final String[] BAD_VALUES = {"null", "\"\"", "\"  \"", "5", "-3", "1.5", "true", "{}", "[]", "{\"a\":[1]}",
      "\"" + "c".repeat(257) + "\"", "123456789012345678901234567890", "\"2026-01-02T03:04:05Z\"",
      "\"2026-01-02T03:04:05+02:00\"", "\"yesterday\"", "0", "1", "0.5", "1e400", "[0,0,1,1]", "[1,1,0,0]",
      "[0,0,1]", "[0,0,1,1,1]", "[0,\"a\",1,1]", "[0,0,1e400,1]", "[[0],0,1,1]"};

  private final Random random = new Random(20261130);

  private String pick(String... values) {
    return values[random.nextInt(values.length)];
  }

  private String maybeBad(String good) {
    return random.nextInt(4) == 0 ? pick(BAD_VALUES) : good;
  }

  private String object() {
    List<String> fields = new ArrayList<>();
    String label = random.nextBoolean() ? "label" : "class";
    if (random.nextInt(8) > 0) fields.add("\"" + label + "\":" + maybeBad("\"person\""));
    if (random.nextInt(10) == 0) fields.add("\"" + (label.equals("label") ? "class" : "label") + "\":" + maybeBad("\"knife\""));
    if (random.nextInt(8) > 0) fields.add("\"confidence\":" + maybeBad(pick("0", "1", "0.25", "0.999")));
    if (random.nextInt(8) > 0) fields.add("\"bbox\":" + maybeBad(pick("[0,0,1,1]", "[1.5,2,3.25,4]", "[-5,-5,0,0]")));
    if (random.nextBoolean()) fields.add("\"track_id\":" + maybeBad(pick("7", "\"t-1\"", "null")));
    if (random.nextInt(5) == 0) fields.add("\"extra\":" + pick(BAD_VALUES));
    Collections.shuffle(fields, random);
    return "{" + String.join(",", fields) + "}";
  }

  private String frame() {
    List<String> fields = new ArrayList<>();
    if (random.nextInt(10) > 0) fields.add("\"camera_id\":" + maybeBad(pick(GOOD_IDS[0], GOOD_IDS[1], GOOD_IDS[3])));
    if (random.nextBoolean()) fields.add("\"frame_id\":" + maybeBad(pick(GOOD_IDS)));
    if (random.nextBoolean()) fields.add("\"timestamp\":" + maybeBad(pick("1700000000000", "\"2026-01-02T03:04:05.123Z\"", "null")));
    if (random.nextBoolean()) fields.add("\"model_type\":" + maybeBad("\"yolov8n\""));
    if (random.nextBoolean()) fields.add("\"image_url\":" + maybeBad("\"http://x/y.jpg\""));
    if (random.nextInt(10) > 0) {
      List<String> objects = new ArrayList<>();
      int n = random.nextInt(5);
      for (int i = 0; i < n; i++) objects.add(random.nextInt(12) == 0 ? pick(BAD_VALUES) : object());
      fields.add("\"detections\":" + (random.nextInt(10) == 0 ? pick(BAD_VALUES) : "[" + String.join(",", objects) + "]"));
    }
    if (random.nextInt(4) == 0) fields.add("\"meta\":" + pick(BAD_VALUES));
    Collections.shuffle(fields, random);
    return "{" + String.join(", ", fields) + "}";
  }

  @Test
  void agreesWithFrameParserOnGeneratedFrames() throws Exception {
    int valid = 0;
    for (int i = 0; i < 5000; i++) {
      String json = frame();
      int index = i % 7;
      FrameParser.Result expected = FrameParser.parse(new JsonObject(json), index);
      List<String> lines = new ArrayList<>();
      for (int k = 0; k < index; k++) lines.add("{\"camera_id\":\"ok\",\"detections\":[]}");
      lines.add(json);
      FrameBody.Scan scan = FrameBody.ndjson(Buffer.buffer(String.join("\n", lines)));
      assertEquals(expected.errors(), scan.errors(), json);
      // the bridge's one-pass decode of a record agrees too (its errors are the frame's, at index 0)
      FrameParser.Result decoded = FrameReader.decode(Buffer.buffer(json)).result();
      assertEquals(FrameParser.parse(new JsonObject(json), 0).errors(), decoded.errors(), json);
      assertEquals(expected.ok() ? describe(expected.detection()) : null, decoded.ok() ? describe(decoded.detection()) : null, json);
      if (expected.ok()) {
        valid++;
        var got = scan.valid().get(index);
        assertEquals(json, got.bytes().toString());
        assertEquals(expected.detection().cameraId(), got.detection().cameraId(), json);
        assertEquals(expected.detection().frameId(), got.detection().frameId(), json);
        assertEquals(expected.detection().timestampMs(), got.detection().timestampMs(), json);
        assertEquals(expected.detection().modelType(), got.detection().modelType(), json);
        assertEquals(expected.detection().imageUrl(), got.detection().imageUrl(), json);
        assertEquals(expected.detection().objects().stream().map(o -> o.toJson().encode()).toList(),
            got.detection().objects().stream().map(o -> o.toJson().encode()).toList(), json);
      }
    }
    assertTrue(valid > 500 && valid < 4500, "the generator should mix valid and invalid frames: " + valid);
  }

  private static String describe(dev.argus.model.Detection d) {
    return String.join("|", d.cameraId(), String.valueOf(d.frameId()), String.valueOf(d.timestampMs()),
        String.valueOf(d.modelType()), String.valueOf(d.imageUrl()),
        d.objects().stream().map(o -> o.toJson().encode()).toList().toString());
  }

  @Test
  void aRecordDecodesWithItsImageSizeWhenStatedAsNumbers() {
    FrameReader.Decoded d = FrameReader.decode(Buffer.buffer(
        "{\"camera_id\":\"c\",\"image_width\":1280,\"image_height\":\"tall\",\"detections\":[]}"));
    assertTrue(d.result().ok());
    assertFalse(d.malformed());
    assertEquals(1280.0, d.imageWidth());
    assertTrue(Double.isNaN(d.imageHeight()), "a non-numeric size is not used");
  }

  @Test
  void aRecordThatIsNotOneStrictJsonObjectIsAnError() {
    for (String bad : List.of("[]", "{\"camera_id\":\"c\",\"detections\":[]} {}", "{\"camera_id\":\"c\",\"camera_id\":\"d\",\"detections\":[]}",
        "{\"camera_id\":", "")) {
      FrameReader.Decoded d = FrameReader.decode(Buffer.buffer(bad));
      FrameParser.Result r = d.result();
      assertFalse(r.ok(), bad);
      assertTrue(d.malformed(), bad);
      assertEquals("", r.errors().get(0).field(), bad);
    }
  }

  @Test
  void aFullFrameIsReadField() throws Exception {
    FrameBody.Scan s = FrameBody.json(Buffer.buffer("""
        {"camera_id":"cam-1","frame_id":42,"timestamp":"2026-01-02T03:04:05Z","model_type":"yolov8n",
         "image_url":"http://x/y.jpg","detections":[{"label":"person","confidence":0.9,"bbox":[1,2,3,4],"track_id":7}]}"""));
    assertTrue(s.ok(), () -> s.errors().toString());
    var d = s.valid().get(0).detection();
    assertEquals("42", d.frameId());
    assertEquals(1767323045000L, d.timestampMs());
    assertEquals("7", d.objects().get(0).trackId());
  }

  @Test
  void errorsComeInFrameParsersOrderWhateverTheFieldOrder() throws Exception {
    FrameBody.Scan s = FrameBody.json(Buffer.buffer("""
        {"detections":{},"timestamp":"yesterday","frame_id":{"a":1},"camera_id":5}"""));
    assertEquals(List.of("camera_id", "frame_id", "timestamp", "detections"),
        s.errors().stream().map(FieldError::field).toList());
  }
}
