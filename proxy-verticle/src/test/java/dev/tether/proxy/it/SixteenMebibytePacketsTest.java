package dev.tether.proxy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.proxy.it.RawClient.Packet;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Commands and rows of exactly 16 MiB - 1, 16 MiB and 16 MiB + 1 bytes, where the wire splits a
 * packet into frames (and adds an empty frame when a payload fills one exactly), through the proxy.
 */
class SixteenMebibytePacketsTest extends ThroughProxy {
  private static final int FRAME = 0xFF_FFFF;

  /** Sends a payload the way the protocol requires: 16 MiB - 1 frames, then a shorter (maybe empty) one. */
  private static void sendSplit(RawClient client, byte[] payload) throws Exception {
    int sequence = 0;
    int offset = 0;
    while (true) {
      int length = Math.min(FRAME, payload.length - offset);
      byte[] part = java.util.Arrays.copyOfRange(payload, offset, offset + length);
      client.writeFrame(sequence++, Buffer.buffer(part));
      offset += length;
      if (length < FRAME) {
        return;
      }
    }
  }

  /** Reads one logical packet, joining continuation frames. */
  private static byte[] readLogical(RawClient client) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Packet frame;
    do {
      frame = client.read();
      out.write(frame.payload().getBytes());
    } while (frame.payload().length() == FRAME);
    return out.toByteArray();
  }

  private static void queryOfPayloadLength(RawClient client, int payloadLength) throws Exception {
    // COM_QUERY byte + "SELECT LENGTH('" + filler + "')"
    String head = "SELECT LENGTH('";
    String tail = "')";
    int filler = payloadLength - 1 - head.length() - tail.length();
    byte[] payload = new byte[payloadLength];
    payload[0] = 0x03;
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(h, 0, payload, 1, h.length);
    java.util.Arrays.fill(payload, 1 + h.length, 1 + h.length + filler, (byte) 'q');
    byte[] t = tail.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(t, 0, payload, 1 + h.length + filler, t.length);
    sendSplit(client, payload);
    assertEquals(String.valueOf(filler), client.readScalar(), "command of " + payloadLength + " bytes");
  }

  @Test
  void commandsAtTheFrameBoundaryReachTheServerWhole() throws Exception {
    try (RawClient client = RawClient.login(proxy.port(), "app", "app")) {
      for (int length : new int[] {FRAME - 1, FRAME, FRAME + 1, 2 * FRAME + 5}) {
        queryOfPayloadLength(client, length);
      }
    }
  }

  @Test
  void rowsAtTheFrameBoundaryReachTheClientWhole() throws Exception {
    try (RawClient client = RawClient.login(proxy.port(), "app", "app")) {
      // a one-column text row is a 4-byte length prefix (0xFD + 3 bytes: strings under 16 MiB) plus the string
      for (int rowPayload : new int[] {FRAME - 1, FRAME, FRAME + 1}) {
        int stringLength = rowPayload - 4;
        client.query("SELECT REPEAT('r', " + stringLength + ")");
        client.read(); // column count
        client.read(); // column definition
        client.read(); // EOF
        byte[] row = readLogical(client);
        assertEquals(rowPayload, row.length, "row payload");
        assertEquals('r', row[row.length - 1]);
        assertEquals(0xFE, client.read().first(), "terminator after the row");
      }
      client.query("SELECT 'still in step'");
      assertEquals("still in step", client.readScalar());
    }
  }
}
