package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/** Receives the frames a {@link FrameDecoder} cuts from a byte stream. */
public interface FrameSink {
  /**
   * One frame. {@code frame} is the whole frame including its header, {@code payload} a slice of it;
   * both share memory with the stream and stay valid after the call.
   */
  void onFrame(int sequenceId, Buffer payload, Buffer frame);

  /** All complete frames of the chunk just received have been delivered. */
  default void onChunkEnd() {}

  /** A frame announced more than the decoder's limit; nothing more is decoded. */
  default void onOversizedFrame(int payloadLength) {}

  /**
   * Holding the partial frame that began with sequence id {@code sequenceId} would exceed the
   * connection's or the node's {@link PartialFrameBudget}; nothing more is decoded.
   */
  default void onOverBudget(int sequenceId) {}
}
