package dev.tether.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Byte-exact encoding and decoding of the control packets. */
class PacketCodecTest {

  private static Buffer payloadOf(Buffer packet) {
    assertEquals(packet.length() - 4, packet.getUnsignedMediumLE(0), "header length");
    return packet.getBuffer(4, packet.length());
  }

  @Test
  void okPacketLosesOnlyItsSessionStateBlockForClientsWithoutTracking() {
    // header, affected 2, insert id 0, status (autocommit | state changed), warnings 0,
    // info "Records: 2", state block of 5 bytes
    Buffer tracked = Buffer.buffer().appendByte((byte) 0).appendByte((byte) 2).appendByte((byte) 0)
        .appendUnsignedShortLE(ServerStatus.AUTOCOMMIT | ServerStatus.SESSION_STATE_CHANGED).appendUnsignedShortLE(0)
        .appendByte((byte) 10).appendString("Records: 2").appendByte((byte) 5).appendBytes(new byte[] {1, 3, 2, 'd', 'b'});
    Buffer rewritten = OkPacket.withoutSessionTrack(tracked, 1);
    Buffer expected = Buffer.buffer().appendByte((byte) 0).appendByte((byte) 2).appendByte((byte) 0)
        .appendUnsignedShortLE(ServerStatus.AUTOCOMMIT).appendUnsignedShortLE(0)
        .appendByte((byte) 10).appendString("Records: 2");
    assertEquals(expected, payloadOf(rewritten));
    assertEquals(1, rewritten.getUnsignedByte(3), "sequence id kept");
  }

  @Test
  void okPacketWithoutStateChangesIsRelayedAsItIs() {
    Buffer plain = Buffer.buffer().appendByte((byte) 0).appendByte((byte) 1).appendByte((byte) 0)
        .appendUnsignedShortLE(ServerStatus.AUTOCOMMIT).appendUnsignedShortLE(0).appendByte((byte) 2).appendString("hi");
    assertNull(OkPacket.withoutSessionTrack(plain, 1));
  }

  @Test
  void handshakeRoundTripsWithMariaDbExtendedCapabilities() {
    byte[] scramble = AuthScramble.newChallenge();
    long caps = Capabilities.PROXY_SUPPORTED & ~Capabilities.CLIENT_MYSQL | Capabilities.CLIENT_SSL;
    HandshakeV10 greeting = new HandshakeV10("5.5.5-10.11.19-MariaDB", 77, scramble, caps, 45,
        ServerStatus.AUTOCOMMIT, "mysql_native_password");
    HandshakeV10 decoded = HandshakeV10.decode(payloadOf(greeting.encode()));
    assertEquals("5.5.5-10.11.19-MariaDB", decoded.serverVersion());
    assertEquals(77, decoded.connectionId());
    assertArrayEquals(scramble, decoded.scramble());
    assertEquals(caps, decoded.capabilities(), "extended capabilities travel in the filler");
    assertEquals("mysql_native_password", decoded.authPluginName());
  }

  @Test
  void handshakeResponseRoundTripsWithDatabaseAttributesAndLongProof() {
    Buffer attrs = Buffer.buffer().appendByte((byte) 1).appendString("k").appendByte((byte) 1).appendString("v");
    long caps = Capabilities.BACKEND_REQUIRED | Capabilities.CLIENT_CONNECT_WITH_DB | Capabilities.CLIENT_CONNECT_ATTRS
        | Capabilities.CLIENT_MYSQL;
    byte[] proof = new byte[32];
    proof[31] = 7;
    HandshakeResponse41 response = new HandshakeResponse41(caps, 1 << 24, 224, "üser", proof, "db", "caching_sha2_password", attrs);
    HandshakeResponse41 decoded = HandshakeResponse41.decode(payloadOf(response.encode(1)));
    assertEquals("üser", decoded.username());
    assertArrayEquals(proof, decoded.authResponse());
    assertEquals("db", decoded.database());
    assertEquals(224, decoded.collation());
    assertEquals(attrs, decoded.connectAttributes());
  }

  @Test
  void sslRequestIsRecognisedByItsLengthAndFlag() {
    Buffer ssl = Buffer.buffer().appendUnsignedIntLE(Capabilities.CLIENT_SSL | Capabilities.CLIENT_PROTOCOL_41)
        .appendIntLE(1 << 24).appendByte((byte) 45).appendBytes(new byte[23]);
    assertEquals(true, HandshakeResponse41.isSslRequest(ssl));
  }

  @Test
  void errPacketCarriesCodeStateAndMessage() {
    Buffer packet = ErrPacket.of(ErrorCode.ACCESS_DENIED, "Access denied").encode(2);
    assertEquals(Buffer.buffer().appendByte((byte) 0xFF).appendUnsignedShortLE(1045).appendString("#28000Access denied"),
        payloadOf(packet));
    ErrPacket decoded = ErrPacket.decode(payloadOf(packet));
    assertEquals(new ErrPacket(1045, "28000", "Access denied"), decoded);
  }

  @Test
  void lengthEncodedIntegersUseTheShortestForm() {
    long[] values = {0, 250, 251, 65535, 65536, 16777215, 16777216, Long.MAX_VALUE};
    int[] sizes = {1, 1, 3, 3, 4, 4, 9, 9};
    for (int i = 0; i < values.length; i++) {
      Buffer packet = new PayloadWriter().intLenenc(values[i]).toPacket(0);
      assertEquals(sizes[i], packet.length() - 4, "size of " + values[i]);
      assertEquals(values[i], new PayloadReader(payloadOf(packet)).readIntLenenc());
    }
  }

  @Test
  void truncatedPayloadsAreRefusedNotMisread() {
    PayloadReader reader = new PayloadReader(Buffer.buffer(new byte[] {(byte) 0xFD, 1}));
    assertThrows(ProtocolException.class, reader::readIntLenenc);
    assertThrows(ProtocolException.class, () -> new PayloadReader(Buffer.buffer("no-nul")).readStringNul());
  }

  @Test
  void nativePasswordProofMatchesTheFormula() throws Exception {
    byte[] challenge = "abcdefghijklmnopqrst".getBytes(StandardCharsets.US_ASCII);
    java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
    byte[] stage1 = sha1.digest("secret".getBytes(StandardCharsets.UTF_8));
    byte[] stage2 = sha1.digest(stage1);
    sha1.update(challenge);
    byte[] mask = sha1.digest(stage2);
    byte[] expected = new byte[20];
    for (int i = 0; i < 20; i++) {
      expected[i] = (byte) (stage1[i] ^ mask[i]);
    }
    assertArrayEquals(expected, AuthScramble.nativePassword("secret", challenge));
    assertEquals(0, AuthScramble.nativePassword("", challenge).length);
    assertEquals(32, AuthScramble.cachingSha2("secret", challenge).length);
  }
}
