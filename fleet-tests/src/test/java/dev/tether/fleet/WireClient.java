package dev.tether.fleet;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A bare MySQL-protocol client on a socket, for sending a node bytes no driver would send: it logs
 * in with mysql_native_password and otherwise writes and reads raw frames.
 */
final class WireClient implements AutoCloseable {
  private static final int CAPABILITIES = 0x0001 | 0x0200 | 0x2000 | 0x8000 | 0x20000 | 0x80000;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private byte[] seed;

  WireClient(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(15_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** One frame as read: its sequence id and payload. */
  record Frame(int sequence, byte[] payload) {
    boolean isOk() {
      return payload.length > 0 && payload[0] == 0;
    }

    boolean isErr() {
      return payload.length > 0 && (payload[0] & 0xff) == 0xff;
    }
  }

  /** Reads the greeting and keeps its 20-byte scramble. */
  byte[] readGreeting() throws IOException {
    byte[] greeting = read().payload();
    int at = 1;
    while (greeting[at] != 0) {
      at++;
    }
    at += 1 + 4;
    byte[] part1 = Arrays.copyOfRange(greeting, at, at + 8);
    at += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10;
    byte[] part2 = Arrays.copyOfRange(greeting, at, at + 12);
    seed = new byte[20];
    System.arraycopy(part1, 0, seed, 0, 8);
    System.arraycopy(part2, 0, seed, 8, 12);
    return greeting;
  }

  /** A protocol-41 handshake response for {@code user}, scrambled with {@code password}. */
  byte[] handshakeResponse(String user, String password) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int4(b, CAPABILITIES);
    int4(b, 1 << 24);
    b.write(33);
    b.writeBytes(new byte[23]);
    b.writeBytes(user.getBytes(StandardCharsets.UTF_8));
    b.write(0);
    byte[] proof = nativeProof(password, seed);
    b.write(proof.length);
    b.writeBytes(proof);
    b.writeBytes("mysql_native_password".getBytes(StandardCharsets.US_ASCII));
    b.write(0);
    return b.toByteArray();
  }

  /** Logs in; returns the server's last answer (OK or ERR). */
  Frame login(String user, String password) throws IOException {
    readGreeting();
    writeFrame(1, handshakeResponse(user, password));
    Frame answer = read();
    if ((answer.payload()[0] & 0xff) == 0xfe) { // an auth switch to mysql_native_password with a new seed
      seed = Arrays.copyOfRange(answer.payload(), answer.payload().length - 21, answer.payload().length - 1);
      writeFrame(answer.sequence() + 1, nativeProof(password, seed));
      answer = read();
    }
    return answer;
  }

  void writeFrame(int sequence, byte[] payload) throws IOException {
    byte[] header = {(byte) payload.length, (byte) (payload.length >> 8), (byte) (payload.length >> 16), (byte) sequence};
    out.write(header);
    out.write(payload);
    out.flush();
  }

  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** A command at sequence 0: the command byte, then the rest. */
  void command(int command, byte[] rest) throws IOException {
    byte[] payload = new byte[rest.length + 1];
    payload[0] = (byte) command;
    System.arraycopy(rest, 0, payload, 1, rest.length);
    writeFrame(0, payload);
  }

  Frame read() throws IOException {
    int b0 = in.readUnsignedByte();
    int length = b0 | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
    int sequence = in.readUnsignedByte();
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame(sequence, payload);
  }

  /**
   * Reads and discards the answer to what was just sent: waits up to {@code millis} for its first
   * byte, then reads on until the peer is quiet for 20 ms. True when the peer closed the connection.
   */
  boolean drain(int millis) throws IOException {
    InputStream raw = socket.getInputStream();
    byte[] sink = new byte[8192];
    try {
      socket.setSoTimeout(millis);
      while (raw.read(sink) >= 0) {
        socket.setSoTimeout(20);
      }
      return true;
    } catch (SocketTimeoutException quiet) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout(15_000);
      }
    }
  }

  /** Closes with a TCP reset rather than a FIN, as a crashed client would. */
  void abort() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  static byte[] nativeProof(String password, byte[] seed) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] stage1 = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
      byte[] stage2 = sha1.digest(stage1);
      sha1.update(seed);
      byte[] mix = sha1.digest(stage2);
      for (int i = 0; i < mix.length; i++) {
        mix[i] ^= stage1[i];
      }
      return mix;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void int4(ByteArrayOutputStream b, int v) {
    b.write(v);
    b.write(v >> 8);
    b.write(v >> 16);
    b.write(v >> 24);
  }
}
