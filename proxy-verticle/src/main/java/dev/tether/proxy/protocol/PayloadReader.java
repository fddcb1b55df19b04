package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Reads one packet payload with the protocol's basic data types, bounds-checked: running off the end
 * throws {@link ProtocolException} instead of reading garbage.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_data_types.html">Basic data types</a>
 */
public final class PayloadReader {
  private final Buffer payload;
  private int position;

  public PayloadReader(Buffer payload) {
    this.payload = payload;
  }

  public int position() {
    return position;
  }

  public int remaining() {
    return payload.length() - position;
  }

  public boolean hasRemaining() {
    return position < payload.length();
  }

  public int peekInt1() {
    need(1);
    return payload.getUnsignedByte(position);
  }

  public int readInt1() {
    return payload.getUnsignedByte(take(1));
  }

  public int readInt2() {
    return payload.getUnsignedShortLE(take(2));
  }

  public int readInt3() {
    return payload.getUnsignedMediumLE(take(3));
  }

  public long readInt4() {
    return payload.getUnsignedIntLE(take(4));
  }

  public long readInt8() {
    return payload.getLongLE(take(8));
  }

  /** A length-encoded integer; 0xFB (NULL) and 0xFF are not integers and are refused. */
  public long readIntLenenc() {
    int first = readInt1();
    if (first < 0xFB) {
      return first;
    }
    return switch (first) {
      case 0xFC -> readInt2();
      case 0xFD -> readInt3();
      case 0xFE -> readInt8();
      default -> throw new ProtocolException("invalid length-encoded integer prefix 0x" + Integer.toHexString(first));
    };
  }

  public void skip(int length) {
    take(length);
  }

  public byte[] readBytes(int length) {
    int start = take(length);
    return payload.getBytes(start, start + length);
  }

  /** A slice sharing the payload's memory. */
  public Buffer readSlice(int length) {
    int start = take(length);
    return payload.slice(start, start + length);
  }

  public byte[] readBytesLenenc() {
    return readBytes(checkedLength(readIntLenenc()));
  }

  public byte[] readBytesNul() {
    int end = position;
    while (end < payload.length() && payload.getByte(end) != 0) {
      end++;
    }
    if (end == payload.length()) {
      throw new ProtocolException("unterminated string at offset " + position);
    }
    byte[] bytes = payload.getBytes(position, end);
    position = end + 1;
    return bytes;
  }

  public byte[] readBytesEof() {
    return readBytes(remaining());
  }

  public String readStringNul() {
    return new String(readBytesNul(), StandardCharsets.UTF_8);
  }

  public String readStringNul(Charset charset) {
    return new String(readBytesNul(), charset);
  }

  public String readStringLenenc() {
    return new String(readBytesLenenc(), StandardCharsets.UTF_8);
  }

  public String readStringFix(int length) {
    return new String(readBytes(length), StandardCharsets.UTF_8);
  }

  public String readStringEof() {
    return new String(readBytesEof(), StandardCharsets.UTF_8);
  }

  static int checkedLength(long length) {
    if (length < 0 || length > Integer.MAX_VALUE) {
      throw new ProtocolException("length out of range: " + length);
    }
    return (int) length;
  }

  /** Moves past {@code length} bytes that must be there; returns where they start. */
  private int take(int length) {
    need(length);
    int start = position;
    position += length;
    return start;
  }

  private void need(int length) {
    if (length < 0 || payload.length() - position < length) {
      throw new ProtocolException("packet truncated: need " + length + " bytes at offset " + position
          + " of " + payload.length());
    }
  }
}
