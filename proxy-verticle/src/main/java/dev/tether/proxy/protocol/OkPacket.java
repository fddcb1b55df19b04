package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * OK_Packet (also the 0xFE-headed OK that ends a result set under CLIENT_DEPRECATE_EOF). With
 * CLIENT_SESSION_TRACK a session-state block may follow the info string, which is why the proxy,
 * which always negotiates it with backends, rewrites OK packets for clients that did not
 * ({@link #withoutSessionTrack}).
 *
 * <p>Wire quirk: the documentation shows {@code info} as string&lt;EOF&gt; without
 * CLIENT_SESSION_TRACK, but MySQL and MariaDB servers both write it length-encoded either way
 * (net_send_ok uses net_store_data), present only when non-empty, and clients read it so.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html">OK_Packet</a>
 */
public record OkPacket(int header, long affectedRows, long lastInsertId, int statusFlags, int warnings,
                       byte[] info, Buffer sessionStateChanges) {

  /** Decodes an OK packet sent to a connection that negotiated CLIENT_SESSION_TRACK. */
  public static OkPacket decodeTracked(Buffer payload) {
    PayloadReader reader = new PayloadReader(payload);
    int header = reader.readInt1();
    long affected = reader.readIntLenenc();
    long insertId = reader.readIntLenenc();
    int status = reader.readInt2();
    int warnings = reader.readInt2();
    byte[] info = new byte[0];
    Buffer changes = null;
    if (reader.hasRemaining()) {
      info = reader.readBytesLenenc();
      if ((status & ServerStatus.SESSION_STATE_CHANGED) != 0 && reader.hasRemaining()) {
        changes = reader.readSlice((int) reader.readIntLenenc());
      }
    }
    return new OkPacket(header, affected, insertId, status, warnings, info, changes);
  }

  /** Status flags of an OK packet, read without decoding the rest. */
  public static int statusFlags(Buffer payload) {
    return OkHeader.statusFlags(payload);
  }

  public static OkPacket of(int statusFlags) {
    return new OkPacket(Packets.OK, 0, 0, statusFlags, 0, new byte[0], null);
  }

  /** Encodes for a client; session-state data is included only when the client negotiated it. */
  public Buffer encode(int sequenceId, boolean sessionTrack) {
    PayloadWriter writer = new PayloadWriter(16 + info.length)
        .int1(header)
        .intLenenc(affectedRows)
        .intLenenc(lastInsertId);
    if (sessionTrack) {
      writer.int2(statusFlags).int2(warnings);
      if (info.length > 0 || sessionStateChanges != null) {
        writer.bytesLenenc(info);
        if (sessionStateChanges != null) {
          writer.intLenenc(sessionStateChanges.length()).bytes(sessionStateChanges);
        }
      }
    } else {
      writer.int2(statusFlags & ~ServerStatus.SESSION_STATE_CHANGED).int2(warnings);
      if (info.length > 0) {
        writer.bytesLenenc(info);
      }
    }
    return writer.toPacket(sequenceId);
  }

  /**
   * The same packet as a client without CLIENT_SESSION_TRACK expects it, or null when it carries no
   * session-state block (then both layouts are the same bytes).
   */
  public static Buffer withoutSessionTrack(Buffer payload, int sequenceId) {
    if ((OkHeader.statusFlags(payload) & ServerStatus.SESSION_STATE_CHANGED) == 0) {
      return null;
    }
    return decodeTracked(payload).encode(sequenceId, false);
  }
}
