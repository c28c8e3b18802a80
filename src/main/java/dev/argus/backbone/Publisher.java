package dev.argus.backbone;

import io.vertx.core.Future;

import java.util.List;

/** Produces records; one per verticle instance, used from that instance's context only. */
public interface Publisher {
  /** Completes when every record was acknowledged (all or nothing from the caller's view). */
  Future<Void> send(List<OutboundRecord> records);

  default Future<Void> send(OutboundRecord record) {
    return send(List.of(record));
  }

  /** Writes still waiting for an acknowledgement. */
  int pending();

  /** Waits for everything sent so far, then releases the client. */
  Future<Void> close();
}
