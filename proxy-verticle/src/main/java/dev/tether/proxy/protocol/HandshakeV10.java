package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;

/**
 * Protocol::HandshakeV10, the server's greeting. Tether decodes the backend's (to learn its identity)
 * and encodes its own for clients, presenting the backend's version string and flavor.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html">HandshakeV10</a>
 * @see <a href="https://mariadb.com/kb/en/connection/#initial-handshake-packet">MariaDB initial handshake</a>
 */
public record HandshakeV10(String serverVersion, long connectionId, byte[] scramble, long capabilities,
                           int collation, int statusFlags, String authPluginName) {

  public static HandshakeV10 decode(Buffer payload) {
    PayloadReader reader = new PayloadReader(payload);
    int protocol = reader.readInt1();
    if (protocol == Packets.ERR) {
      throw ErrPacket.decode(payload).toException();
    }
    if (protocol != 10) {
      throw new ProtocolException("unsupported protocol version " + protocol);
    }
    String version = reader.readStringNul();
    long connectionId = reader.readInt4();
    byte[] part1 = reader.readBytes(8);
    reader.skip(1);
    long caps = reader.readInt2();
    int collation = reader.readInt1();
    int status = reader.readInt2();
    caps |= (long) reader.readInt2() << 16;
    int authDataLength = reader.readInt1();
    reader.skip(6);
    long extended = reader.readInt4();
    if (!Capabilities.has(caps, Capabilities.CLIENT_MYSQL)) {
      caps |= extended << 32;
    }
    byte[] scramble = part1;
    if (Capabilities.has(caps, Capabilities.CLIENT_SECURE_CONNECTION)) {
      int part2Length = Math.max(13, authDataLength - 8);
      byte[] part2 = reader.readBytes(Math.min(part2Length, reader.remaining()));
      int meaningful = part2.length > 0 && part2[part2.length - 1] == 0 ? part2.length - 1 : part2.length;
      scramble = Arrays.copyOf(part1, 8 + meaningful);
      System.arraycopy(part2, 0, scramble, 8, meaningful);
    }
    String plugin = null;
    if (Capabilities.has(caps, Capabilities.CLIENT_PLUGIN_AUTH) && reader.hasRemaining()) {
      plugin = reader.readStringNul();
    }
    return new HandshakeV10(version, connectionId, scramble, caps, collation, status, plugin);
  }

  public Buffer encode() {
    boolean mariadb = !Capabilities.has(capabilities, Capabilities.CLIENT_MYSQL);
    PayloadWriter writer = new PayloadWriter(96)
        .int1(10)
        .stringNul(serverVersion)
        .int4(connectionId)
        .bytes(Arrays.copyOf(scramble, 8))
        .int1(0)
        .int2((int) (capabilities & 0xFFFF))
        .int1(collation)
        .int2(statusFlags)
        .int2((int) ((capabilities >>> 16) & 0xFFFF))
        .int1(scramble.length + 1)
        .zeros(6);
    if (mariadb) {
      writer.int4(capabilities >>> 32);
    } else {
      writer.zeros(4);
    }
    writer.bytes(Arrays.copyOfRange(scramble, 8, scramble.length)).int1(0);
    writer.stringNul(authPluginName);
    return writer.toPacket(0);
  }
}
