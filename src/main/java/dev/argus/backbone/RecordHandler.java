package dev.argus.backbone;

import io.vertx.core.Future;

/**
 * Processes one record. The returned future completes when everything produced for the record was
 * acknowledged, so the record's offset may be committed. Throwing (or failing with)
 * {@link PoisonRecordException} sends the record to the dead-letter topic; any other failure of the
 * future means "try again later" and the batch is redelivered.
 */
@FunctionalInterface
public interface RecordHandler {
  Future<?> handle(InboundRecord record);
}
