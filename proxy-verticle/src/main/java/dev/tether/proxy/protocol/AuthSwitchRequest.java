package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * Protocol::AuthSwitchRequest: 0xFE, plugin name, plugin data (for the password plugins, a new
 * 20-byte scramble followed by NUL; for client_ed25519, exactly the 32-byte nonce).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_request.html">AuthSwitchRequest</a>
 */
public record AuthSwitchRequest(String pluginName, byte[] pluginData) {

  public static AuthSwitchRequest decode(Buffer payload) {
    PayloadReader reader = new PayloadReader(payload);
    reader.skip(1);
    String plugin = reader.readStringNul();
    byte[] data = reader.readBytesEof();
    if (!Ed25519Password.PLUGIN.equals(plugin) && data.length > 0 && data[data.length - 1] == 0) {
      data = java.util.Arrays.copyOf(data, data.length - 1);
    }
    return new AuthSwitchRequest(plugin, data);
  }

  public Buffer encode(int sequenceId) {
    PayloadWriter writer = new PayloadWriter(pluginName.length() + pluginData.length + 3)
        .int1(Packets.AUTH_SWITCH)
        .stringNul(pluginName);
    return (Ed25519Password.PLUGIN.equals(pluginName) ? writer.bytes(pluginData) : writer.bytesNul(pluginData))
        .toPacket(sequenceId);
  }
}
