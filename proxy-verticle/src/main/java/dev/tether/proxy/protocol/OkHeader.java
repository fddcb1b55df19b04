package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * The fixed head of an OK packet (header byte, affected rows, last insert id, status flags,
 * warnings): what the proxy reads of almost every OK, read in one place without decoding the info
 * string or the session-state block ({@link OkPacket#decodeTracked} does that when needed).
 */
public record OkHeader(long affectedRows, long lastInsertId, int statusFlags, int warnings) {

  public static OkHeader read(Buffer payload) {
    PayloadReader reader = new PayloadReader(payload);
    reader.skip(1);
    long affected = reader.readIntLenenc();
    long insertId = reader.readIntLenenc();
    int status = reader.readInt2();
    return new OkHeader(affected, insertId, status, reader.readInt2());
  }

  /** The status flags alone (the two length-encoded integers skipped). */
  public static int statusFlags(Buffer payload) {
    PayloadReader reader = new PayloadReader(payload);
    reader.skip(1);
    reader.readIntLenenc();
    reader.readIntLenenc();
    return reader.readInt2();
  }
}
