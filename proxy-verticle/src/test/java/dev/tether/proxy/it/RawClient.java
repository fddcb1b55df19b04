package dev.tether.proxy.it;

import dev.tether.proxy.protocol.AuthScramble;
import dev.tether.proxy.protocol.AuthSwitchRequest;
import dev.tether.proxy.protocol.Capabilities;
import dev.tether.proxy.protocol.HandshakeResponse41;
import dev.tether.proxy.protocol.HandshakeV10;
import io.vertx.core.buffer.Buffer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * A deliberately minimal MySQL client on a blocking socket, for sending exactly the bytes a test
 * wants (malformed, out of order, oversized) and reading exactly what comes back. Every read is
 * bounded by the socket timeout.
 */
final class RawClient implements AutoCloseable {
  static final long CAPABILITIES = Capabilities.CLIENT_MYSQL | Capabilities.CLIENT_PROTOCOL_41
      | Capabilities.CLIENT_SECURE_CONNECTION | Capabilities.CLIENT_PLUGIN_AUTH | Capabilities.CLIENT_TRANSACTIONS
      | Capabilities.CLIENT_MULTI_RESULTS | Capabilities.CLIENT_CONNECT_WITH_DB
      | Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;

  /** One frame as received. */
  record Packet(int sequenceId, Buffer payload) {
    int first() {
      return payload.length() == 0 ? -1 : payload.getUnsignedByte(0);
    }

    boolean isErr() {
      return first() == 0xFF;
    }

    int errorCode() {
      return payload.getUnsignedShortLE(1);
    }

    String sqlState() {
      return payload.getString(4, 9);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  HandshakeV10 greeting;

  RawClient(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    socket.setTcpNoDelay(true);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** Connects and logs in with mysql_native_password. */
  static RawClient login(int port, String user, String password) throws IOException {
    return login(port, user, password, CAPABILITIES);
  }

  /** Connects and logs in with mysql_native_password, announcing {@code capabilities}. */
  static RawClient login(int port, String user, String password, long capabilities) throws IOException {
    RawClient client = new RawClient(port);
    client.greeting = HandshakeV10.decode(client.read().payload());
    byte[] proof = AuthScramble.nativePassword(password, client.greeting.scramble());
    client.write(new HandshakeResponse41(capabilities, 1 << 24, 45, user, proof, "tether",
        "mysql_native_password", null).encode(1));
    Packet reply = client.read();
    if (reply.first() == 0xFE) {
      AuthSwitchRequest sw = AuthSwitchRequest.decode(reply.payload());
      Buffer answer = Buffer.buffer().appendBytes(AuthScramble.nativePassword(password, sw.pluginData()));
      client.writeFrame(reply.sequenceId() + 1, answer);
      reply = client.read();
    }
    if (reply.first() != 0x00) {
      throw new IOException("login failed: " + reply.payload().toString());
    }
    return client;
  }

  HandshakeV10 readGreeting() throws IOException {
    greeting = HandshakeV10.decode(read().payload());
    return greeting;
  }

  Packet read() throws IOException {
    int length = in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
    int sequence = in.readUnsignedByte();
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Packet(sequence, Buffer.buffer(payload));
  }

  /** The next frame if one arrives within {@code millis}, otherwise null (the socket timeout is restored). */
  Packet readWithin(int millis) throws IOException {
    int before = socket.getSoTimeout();
    socket.setSoTimeout(millis);
    try {
      return read();
    } catch (SocketTimeoutException e) {
      return null;
    } finally {
      socket.setSoTimeout(before);
    }
  }

  /** Reads until the server closes; true if it did within the socket timeout. */
  boolean closedByPeer() throws IOException {
    try {
      while (in.read() >= 0) {
        // drain whatever is still in flight
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by peer
    }
  }

  void write(Buffer bytes) throws IOException {
    out.write(bytes.getBytes());
    out.flush();
  }

  void writeFrame(int sequenceId, Buffer payload) throws IOException {
    Buffer frame = Buffer.buffer().appendMediumLE(payload.length()).appendByte((byte) sequenceId).appendBuffer(payload);
    write(frame);
  }

  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Sends a COM_QUERY with sequence id 0. */
  void query(String sql) throws IOException {
    writeFrame(0, Buffer.buffer().appendByte((byte) 0x03).appendString(sql));
  }

  void command(int command) throws IOException {
    writeFrame(0, Buffer.buffer().appendByte((byte) command));
  }

  /** Sends {@code sql} and fails the test unless the answer is an OK packet. */
  void ok(String sql) throws IOException {
    query(sql);
    Packet answer = read();
    if (answer.first() != 0x00) {
      throw new AssertionError(sql + " answered OK: " + (answer.isErr() ? "ERR " + answer.errorCode() : answer.payload()));
    }
  }

  /** Reads a text result set to its end and returns the string value of the first column of the first row. */
  String readScalar() throws IOException {
    Packet first = read();
    if (first.isErr() || first.first() == 0x00) {
      throw new IOException("not a result set: " + first.payload());
    }
    read(); // column definition
    read(); // EOF (no CLIENT_DEPRECATE_EOF here)
    Packet row = read();
    String value = null;
    if (row.first() != 0xFE) {
      int len = row.first();
      value = len == 0xFB ? null : row.payload().getString(1, 1 + len);
      while (read().first() != 0xFE) {
        // further rows
      }
    }
    return value;
  }

  /** Closes with a TCP reset (SO_LINGER 0), as a crashing client or a firewall does. */
  void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
