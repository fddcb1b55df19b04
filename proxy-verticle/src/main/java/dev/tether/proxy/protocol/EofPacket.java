package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * EOF_Packet: 0xFE, warnings, status flags; fewer than 9 bytes, which tells it from a row.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_eof_packet.html">EOF_Packet</a>
 */
public final class EofPacket {
  private EofPacket() {}

  public static boolean is(Buffer payload) {
    return payload.length() < Packets.EOF_MAX_LENGTH && payload.length() > 0
        && payload.getUnsignedByte(0) == Packets.EOF;
  }

  public static int statusFlags(Buffer payload) {
    return payload.length() >= 5 ? payload.getUnsignedShortLE(3) : 0;
  }
}
