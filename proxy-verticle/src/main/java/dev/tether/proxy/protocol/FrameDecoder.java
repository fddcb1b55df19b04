package dev.tether.proxy.protocol;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a TCP byte stream into MySQL frames (3-byte little-endian length, 1-byte sequence id,
 * payload). Frames are delivered as slices of the received chunks; only a frame split across chunks
 * is assembled, so memory is bounded by one frame (16 MiB) plus one chunk.
 */
public final class FrameDecoder implements Handler<Buffer> {
  private final FrameSink sink;
  /** Bytes of an incomplete frame carried over from earlier chunks; null when none. */
  private Buffer pending;
  /** Largest payload a frame may announce before it is refused; 16 MiB - 1 means any. */
  private int maxPayload = Packets.MAX_FRAME_PAYLOAD;
  private boolean refused;
  /** Set while a frame is being delivered: where the bytes behind it go instead of being cut into frames. */
  private java.util.function.Consumer<Buffer> handOff;
  private boolean delivering;

  public FrameDecoder(FrameSink sink) {
    this.sink = sink;
  }

  /**
   * Refuses frames announcing more than {@code maxPayload} bytes: {@link FrameSink#onOversizedFrame}
   * is told at once instead of waiting for megabytes that a garbage header promised.
   */
  public void maxPayload(int maxPayload) {
    this.maxPayload = maxPayload;
  }

  @Override
  public void handle(Buffer chunk) {
    if (refused) {
      return;
    }
    Buffer buffer;
    if (pending == null) {
      buffer = chunk;
    } else {
      pending.appendBuffer(chunk);
      buffer = pending;
    }
    int length = buffer.length();
    int position = 0;
    while (length - position >= Packets.HEADER_SIZE) {
      int payloadLength = buffer.getUnsignedMediumLE(position);
      if (payloadLength > maxPayload) {
        refused = true;
        pending = null;
        sink.onOversizedFrame(payloadLength);
        return;
      }
      int frameEnd = position + Packets.HEADER_SIZE + payloadLength;
      if (frameEnd > length) {
        break;
      }
      int sequenceId = buffer.getUnsignedByte(position + 3);
      delivering = true;
      sink.onFrame(sequenceId, buffer.slice(position + Packets.HEADER_SIZE, frameEnd), buffer.slice(position, frameEnd));
      delivering = false;
      position = frameEnd;
      if (handOff != null) {
        java.util.function.Consumer<Buffer> to = handOff;
        handOff = null;
        pending = null;
        to.accept(position == length ? null : buffer.getBuffer(position, length));
        sink.onChunkEnd();
        return;
      }
    }
    if (position == length) {
      pending = null;
    } else if (position == 0 && buffer == pending) {
      // Still inside one large frame: keep appending to the same buffer, no copy.
    } else {
      int restLength = length - position;
      int capacity = restLength >= Packets.HEADER_SIZE
          ? Packets.HEADER_SIZE + buffer.getUnsignedMediumLE(position)
          : Math.max(restLength, 64);
      Buffer rest = Buffer.buffer(capacity);
      rest.appendBuffer(buffer, position, restLength);
      pending = rest;
    }
    sink.onChunkEnd();
  }

  /**
   * Stops cutting frames after the one being delivered, and gives {@code to} every byte behind it
   * (null when none), already received or held: what follows an SSLRequest is TLS, not frames.
   * Outside a delivery, the bytes held are given at once.
   */
  public void handOffRest(java.util.function.Consumer<Buffer> to) {
    if (delivering) {
      handOff = to;
    } else {
      to.accept(takePending());
    }
  }

  /** Hands over the bytes held for an incomplete frame (null when none) and forgets them. */
  public Buffer takePending() {
    Buffer taken = pending;
    pending = null;
    return taken;
  }

  /** Bytes held for an incomplete frame. */
  public int pendingBytes() {
    return pending == null ? 0 : pending.length();
  }
}
