package dev.tether.proxy.protocol;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a TCP byte stream into MySQL frames (3-byte little-endian length, 1-byte sequence id,
 * payload). Frames are delivered as slices of the received chunks; only a frame split across chunks
 * is assembled, in a buffer that grows as its bytes arrive (never sized by what the header
 * announces), and those bytes are reserved in a {@link PartialFrameBudget} first.
 */
public final class FrameDecoder implements Handler<Buffer> {
  /** First size of the buffer a split frame is assembled in; it grows with what arrives. */
  private static final int FIRST_PARTIAL_CAPACITY = 16 * 1024;

  private final FrameSink sink;
  /** Bytes of an incomplete frame carried over from earlier chunks; null when none. */
  private Buffer pending;
  /** Bytes reserved in the budget for {@link #pending}. */
  private long reserved;
  private PartialFrameBudget budget = PartialFrameBudget.unbounded();
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

  /** Bounds the bytes held in partial frames; going over it is told to {@link FrameSink#onOverBudget}. */
  public void budget(PartialFrameBudget budget) {
    release();
    this.budget = budget;
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
        release();
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
        Buffer rest = position == length ? null : buffer.getBuffer(position, length);
        release();
        to.accept(rest);
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
      int announced = restLength >= Packets.HEADER_SIZE
          ? Packets.HEADER_SIZE + buffer.getUnsignedMediumLE(position) : FIRST_PARTIAL_CAPACITY;
      Buffer rest = Buffer.buffer(Math.max(restLength, Math.min(announced, FIRST_PARTIAL_CAPACITY)));
      rest.appendBuffer(buffer, position, restLength);
      pending = rest;
    }
    if (!account()) {
      return;
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

  /** Brings the reservation in line with what is held; false (and the stream refused) when over a bound. */
  private boolean account() {
    long holding = pending == null ? 0 : pending.length();
    long more = holding - reserved;
    if (more > 0 && !budget.reserve(more, holding)) {
      int sequenceId = pending.length() > 3 ? pending.getUnsignedByte(3) : 0;
      refused = true;
      release();
      sink.onOverBudget(sequenceId);
      return false;
    }
    if (more < 0) {
      budget.release(-more);
    }
    reserved = holding;
    return true;
  }

  /** Forgets any partial frame and gives its bytes back to the budget (the connection closed). */
  public void release() {
    pending = null;
    budget.release(reserved);
    reserved = 0;
  }

  /** Hands over the bytes held for an incomplete frame (null when none) and forgets them. */
  public Buffer takePending() {
    Buffer taken = pending;
    release();
    return taken;
  }

  /** Bytes held for an incomplete frame. */
  public int pendingBytes() {
    return pending == null ? 0 : pending.length();
  }
}
