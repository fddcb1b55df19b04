package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * Protocol::HandshakeResponse41, the client's answer to the greeting; a 32-byte prefix of it alone is
 * the SSLRequest. Decoded from clients, encoded towards backends.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html">HandshakeResponse41</a>
 */
public record HandshakeResponse41(long capabilities, long maxPacketSize, int collation, String username,
                                  byte[] authResponse, String database, String authPluginName,
                                  Buffer connectAttributes) {

  /** Length of an SSLRequest: the fixed part of the response and nothing else. */
  public static final int SSL_REQUEST_LENGTH = 32;

  public static boolean isSslRequest(Buffer payload) {
    return payload.length() == SSL_REQUEST_LENGTH
        && Capabilities.has(payload.getUnsignedIntLE(0), Capabilities.CLIENT_SSL);
  }

  /** Whether a handshake response sets CLIENT_SSL, whatever its length. */
  public static boolean asksForTls(Buffer payload) {
    return payload.length() >= 4 && Capabilities.has(payload.getUnsignedIntLE(0), Capabilities.CLIENT_SSL);
  }

  public static HandshakeResponse41 decode(Buffer payload) {
    PayloadReader reader = new PayloadReader(payload);
    long caps = reader.readInt4();
    if (!Capabilities.has(caps, Capabilities.CLIENT_PROTOCOL_41)) {
      throw new ProtocolException("client does not speak protocol 4.1");
    }
    long maxPacket = reader.readInt4();
    int collation = reader.readInt1();
    reader.skip(19);
    long extended = reader.readInt4();
    if (!Capabilities.has(caps, Capabilities.CLIENT_MYSQL)) {
      caps |= extended << 32;
    }
    String user = reader.readStringNul();
    byte[] auth;
    if (Capabilities.has(caps, Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
      auth = reader.readBytesLenenc();
    } else if (Capabilities.has(caps, Capabilities.CLIENT_SECURE_CONNECTION)) {
      auth = reader.readBytes(reader.readInt1());
    } else {
      auth = reader.readBytesNul();
    }
    String database = null;
    if (Capabilities.has(caps, Capabilities.CLIENT_CONNECT_WITH_DB) && reader.hasRemaining()) {
      database = reader.readStringNul();
      if (database.isEmpty()) {
        database = null;
      }
    }
    String plugin = null;
    if (Capabilities.has(caps, Capabilities.CLIENT_PLUGIN_AUTH) && reader.hasRemaining()) {
      plugin = reader.readStringNul();
    }
    Buffer attributes = null;
    if (Capabilities.has(caps, Capabilities.CLIENT_CONNECT_ATTRS) && reader.hasRemaining()) {
      attributes = reader.readSlice((int) reader.readIntLenenc());
    }
    return new HandshakeResponse41(caps, maxPacket, collation, user, auth, database, plugin, attributes);
  }

  public Buffer encode(int sequenceId) {
    boolean mariadb = !Capabilities.has(capabilities, Capabilities.CLIENT_MYSQL);
    PayloadWriter writer = new PayloadWriter(128)
        .int4(capabilities & 0xFFFF_FFFFL)
        .int4(maxPacketSize)
        .int1(collation & 0xFF)
        .zeros(19);
    if (mariadb) {
      writer.int4(capabilities >>> 32);
    } else {
      writer.zeros(4);
    }
    writer.stringNul(username).bytesLenenc(authResponse);
    if (Capabilities.has(capabilities, Capabilities.CLIENT_CONNECT_WITH_DB)) {
      writer.stringNul(database == null ? "" : database);
    }
    if (Capabilities.has(capabilities, Capabilities.CLIENT_PLUGIN_AUTH)) {
      writer.stringNul(authPluginName == null ? "" : authPluginName);
    }
    if (Capabilities.has(capabilities, Capabilities.CLIENT_CONNECT_ATTRS)) {
      Buffer attrs = connectAttributes == null ? Buffer.buffer() : connectAttributes;
      writer.intLenenc(attrs.length()).bytes(attrs);
    }
    return writer.toPacket(sequenceId);
  }
}
