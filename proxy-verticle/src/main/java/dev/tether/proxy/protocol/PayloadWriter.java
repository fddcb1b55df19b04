package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Builds a packet: reserves the four header bytes, appends the payload with the protocol's data
 * types, and finishes with the sequence id. Control packets only; data is relayed, never rebuilt.
 */
public final class PayloadWriter {
  private final Buffer buffer;

  public PayloadWriter() {
    this(64);
  }

  public PayloadWriter(int expectedPayload) {
    buffer = Buffer.buffer(Packets.HEADER_SIZE + expectedPayload);
    buffer.appendInt(0);
  }

  public PayloadWriter int1(int value) {
    buffer.appendByte((byte) value);
    return this;
  }

  public PayloadWriter int2(int value) {
    buffer.appendUnsignedShortLE(value);
    return this;
  }

  public PayloadWriter int3(int value) {
    buffer.appendMediumLE(value);
    return this;
  }

  public PayloadWriter int4(long value) {
    buffer.appendUnsignedIntLE(value);
    return this;
  }

  public PayloadWriter int8(long value) {
    buffer.appendLongLE(value);
    return this;
  }

  public PayloadWriter intLenenc(long value) {
    if (value >= 0 && value < 0xFB) {
      return int1((int) value);
    } else if (value >= 0 && value < (1 << 16)) {
      return int1(0xFC).int2((int) value);
    } else if (value >= 0 && value < (1 << 24)) {
      return int1(0xFD).int3((int) value);
    }
    return int1(0xFE).int8(value);
  }

  public PayloadWriter bytes(byte[] value) {
    buffer.appendBytes(value);
    return this;
  }

  public PayloadWriter bytes(Buffer value) {
    buffer.appendBuffer(value);
    return this;
  }

  public PayloadWriter zeros(int count) {
    for (int i = 0; i < count; i++) {
      buffer.appendByte((byte) 0);
    }
    return this;
  }

  public PayloadWriter bytesLenenc(byte[] value) {
    return intLenenc(value.length).bytes(value);
  }

  public PayloadWriter bytesNul(byte[] value) {
    return bytes(value).int1(0);
  }

  public PayloadWriter stringNul(String value) {
    return bytesNul(value.getBytes(StandardCharsets.UTF_8));
  }

  public PayloadWriter stringLenenc(String value) {
    return bytesLenenc(value.getBytes(StandardCharsets.UTF_8));
  }

  public PayloadWriter stringEof(String value) {
    return bytes(value.getBytes(StandardCharsets.UTF_8));
  }

  /** The finished frame. Control packets are far below 16 MiB, so one frame always suffices. */
  public Buffer toPacket(int sequenceId) {
    int payloadLength = buffer.length() - Packets.HEADER_SIZE;
    if (payloadLength >= Packets.MAX_FRAME_PAYLOAD) {
      throw new IllegalStateException("control packet too large: " + payloadLength);
    }
    buffer.setMediumLE(0, payloadLength);
    buffer.setByte(3, (byte) sequenceId);
    return buffer;
  }
}
