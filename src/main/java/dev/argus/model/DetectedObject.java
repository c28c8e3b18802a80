package dev.argus.model;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** One detector box: label, confidence in [0,1], bbox [x1,y1,x2,y2] in frame coordinates. */
public record DetectedObject(String label, double confidence, double[] bbox, String trackId) {

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("label", label).put("confidence", confidence)
        .put("bbox", new JsonArray().add(bbox[0]).add(bbox[1]).add(bbox[2]).add(bbox[3]));
    if (trackId != null) o.put("track_id", trackId);
    return o;
  }

  public double centreX() {
    return (bbox[0] + bbox[2]) / 2;
  }

  public double centreY() {
    return (bbox[1] + bbox[3]) / 2;
  }
}
