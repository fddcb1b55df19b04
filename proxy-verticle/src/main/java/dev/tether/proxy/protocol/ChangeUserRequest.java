package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * COM_CHANGE_USER: log in as another user on the same connection. The proxy re-authenticates the
 * client itself and opens a backend session for the new user.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_change_user.html">COM_CHANGE_USER</a>
 */
public record ChangeUserRequest(String username, byte[] authResponse, String database, int collation,
                                String authPluginName, Buffer connectAttributes) {

  public static ChangeUserRequest decode(Buffer payload, long capabilities, int currentCollation) {
    PayloadReader reader = new PayloadReader(payload);
    if (reader.readInt1() != Command.COM_CHANGE_USER) {
      throw new ProtocolException("not COM_CHANGE_USER");
    }
    String user = reader.readStringNul();
    byte[] auth = Capabilities.has(capabilities, Capabilities.CLIENT_SECURE_CONNECTION)
        ? reader.readBytes(reader.readInt1())
        : reader.readBytesNul();
    String database = reader.hasRemaining() ? reader.readStringNul() : "";
    int collation = currentCollation;
    if (reader.hasRemaining()) {
      collation = reader.readInt2(); // one byte of it is a truncated packet
    }
    String plugin = null;
    if (Capabilities.has(capabilities, Capabilities.CLIENT_PLUGIN_AUTH) && reader.hasRemaining()) {
      plugin = reader.readStringNul();
    }
    Buffer attributes = null;
    if (Capabilities.has(capabilities, Capabilities.CLIENT_CONNECT_ATTRS) && reader.hasRemaining()) {
      attributes = reader.readSlice(PayloadReader.checkedLength(reader.readIntLenenc()));
    }
    return new ChangeUserRequest(user, auth, database.isEmpty() ? null : database, collation, plugin, attributes);
  }
}
