package dev.argus.model;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class FrameParserTest {

  private static JsonObject frame(String json) {
    return new JsonObject(json);
  }

  @Test
  void acceptsAFullFrameAndReadsEveryField() {
    FrameParser.Result r = FrameParser.parse(frame("""
        {"camera_id":"cam-1","frame_id":42,"timestamp":"2026-01-02T03:04:05Z","model_type":"yolov8n",
         "image_url":"http://x/y.jpg","detections":[{"label":"person","confidence":0.9,"bbox":[1,2,3,4],"track_id":7}]}"""), 0);
    assertTrue(r.ok(), () -> r.errors().toString());
    Detection d = r.detection();
    assertEquals("cam-1", d.cameraId());
    assertEquals("42", d.frameId());
    assertEquals(1767323045000L, d.timestampMs());
    assertEquals("http://x/y.jpg", d.imageUrl());
    assertEquals("7", d.objects().get(0).trackId());
  }

  @Test
  void classIsAnAliasOfLabel() {
    FrameParser.Result r = FrameParser.parse(frame("""
        {"camera_id":"c","detections":[{"class":"knife","confidence":0.5,"bbox":[0,0,1,1]}]}"""), 0);
    assertTrue(r.ok());
    assertEquals("knife", r.detection().objects().get(0).label());
  }

  @Test
  void epochMillisTimestampAndMissingOptionalsAreFine() {
    FrameParser.Result r = FrameParser.parse(frame("{\"camera_id\":\"c\",\"timestamp\":1700000000000,\"detections\":[]}"), 0);
    assertTrue(r.ok());
    assertEquals(1700000000000L, r.detection().timestampMs());
    assertNull(r.detection().frameId());
  }

  @Test
  void missingCameraAndDetectionsAreNamedWithTheFrameIndex() {
    FrameParser.Result r = FrameParser.parse(frame("{\"frame_id\":1}"), 3);
    assertFalse(r.ok());
    assertEquals(List.of("camera_id", "detections"), r.errors().stream().map(FieldError::field).toList());
    assertTrue(r.errors().stream().allMatch(e -> e.index() == 3));
  }

  @Test
  void mistypedFieldsInsideDetectionsNameTheirPath() {
    FrameParser.Result r = FrameParser.parse(frame("""
        {"camera_id":"c","detections":[{"label":"a","confidence":0.5,"bbox":[0,0,1,1]},
          {"label":"","confidence":1.5,"bbox":[5,5,1,1]}]}"""), 0);
    assertEquals(List.of("detections[1].label", "detections[1].confidence", "detections[1].bbox"),
        r.errors().stream().map(FieldError::field).toList());
  }

  @Test
  void refusesWrongTypesForIdsAndTimestamp() {
    FrameParser.Result r = FrameParser.parse(frame("""
        {"camera_id":5,"frame_id":{"a":1},"timestamp":"yesterday","detections":{}}"""), 0);
    assertEquals(List.of("camera_id", "frame_id", "timestamp", "detections"),
        r.errors().stream().map(FieldError::field).toList());
  }

  @Test
  void aNonObjectIsNotAFrame() {
    assertFalse(FrameParser.parse("hello", 0).ok());
  }
}
