package dev.tether.proxy.session;

import io.vertx.core.buffer.Buffer;

/**
 * Gathers the frames one received chunk produces for the other side, so they leave in one write
 * (one syscall) instead of one per frame. A lone frame is passed on as it came, without a copy.
 */
final class Outbox {
  private Buffer single;
  private Buffer batch;

  void add(Buffer frame) {
    if (batch != null) {
      batch.appendBuffer(frame);
    } else if (single == null) {
      single = frame;
    } else {
      batch = Buffer.buffer(single.length() + frame.length() * 4);
      batch.appendBuffer(single).appendBuffer(frame);
      single = null;
    }
  }

  boolean isEmpty() {
    return single == null && batch == null;
  }

  /** Everything gathered so far, or null; the outbox is empty afterwards. */
  Buffer take() {
    Buffer out = batch != null ? batch : single;
    single = null;
    batch = null;
    return out;
  }
}
