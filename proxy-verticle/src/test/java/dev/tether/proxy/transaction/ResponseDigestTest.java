package dev.tether.proxy.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.protocol.Packets;
import dev.tether.proxy.protocol.PayloadWriter;
import dev.tether.proxy.protocol.ResponseTracker;
import dev.tether.proxy.protocol.ServerStatus;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** What the digest sees of a response, and what it rightly ignores. */
class ResponseDigestTest {

  static Buffer ok(long affected, long insertId, int status, int warnings, String info, byte[] stateChanges) {
    PayloadWriter w = new PayloadWriter().int1(0).intLenenc(affected).intLenenc(insertId).int2(status).int2(warnings);
    if (info != null || stateChanges != null) {
      w.stringLenenc(info == null ? "" : info);
      if (stateChanges != null) {
        w.bytesLenenc(stateChanges);
      }
    }
    return w.toPacket(1).slice(4, w.toPacket(1).length());
  }

  private static long digest(Buffer... frames) {
    ResponseDigest d = new ResponseDigest();
    for (Buffer frame : frames) {
      boolean isOk = frame.length() > 0 && frame.getUnsignedByte(0) == 0 && frame.length() >= 7;
      d.update(frame, isOk ? ResponseTracker.OK_PACKET : 0);
    }
    return d.value();
  }

  @Test
  void okFieldsThatDescribeTheWorkCount() {
    long base = digest(ok(1, 0, ServerStatus.IN_TRANS, 0, "Rows matched: 1  Changed: 1  Warnings: 0", null));
    assertNotEquals(base, digest(ok(2, 0, ServerStatus.IN_TRANS, 0, "Rows matched: 1  Changed: 1  Warnings: 0", null)));
    assertNotEquals(base, digest(ok(1, 7, ServerStatus.IN_TRANS, 0, "Rows matched: 1  Changed: 1  Warnings: 0", null)));
    assertNotEquals(base, digest(ok(1, 0, ServerStatus.IN_TRANS, 1, "Rows matched: 1  Changed: 1  Warnings: 0", null)));
    assertNotEquals(base, digest(ok(1, 0, 0, 0, "Rows matched: 1  Changed: 1  Warnings: 0", null)));
    assertNotEquals(base, digest(ok(1, 0, ServerStatus.IN_TRANS, 0, "Rows matched: 2  Changed: 1  Warnings: 0", null)));
  }

  @Test
  void planTimingAndTrackingNoiseIsIgnored() {
    long base = digest(ok(1, 0, ServerStatus.IN_TRANS, 0, null, null));
    int noise = 0x0010 | 0x0020 | ServerStatus.LAST_ROW_SENT | 0x0400 | 0x0800;
    assertEquals(base, digest(ok(1, 0, ServerStatus.IN_TRANS | noise, 0, null, null)));
    ResponseDigest tracked = new ResponseDigest();
    tracked.update(ok(1, 0, ServerStatus.IN_TRANS | ServerStatus.SESSION_STATE_CHANGED, 0, "",
        new byte[] {0, 5, 4, 'a', 'b', 'c', 'd'}), ResponseTracker.OK_PACKET);
    assertEquals(digest(ok(1, 0, ServerStatus.IN_TRANS, 0, "", null)), tracked.value(),
        "the session-state block is what tracking reports, not what the statement did");
    assertTrue(tracked.sessionStateChanged());
  }

  @Test
  void rowsAndColumnDefinitionsCountByteForByte() {
    Buffer count = Buffer.buffer(new byte[] {1});
    Buffer column = Buffer.buffer(new byte[] {3, 'd', 'e', 'f', 0, 0, 0, 1, 'v'});
    Buffer eof = Buffer.buffer(new byte[] {(byte) 0xFE, 0, 0, 0x21, 0});
    Buffer row42 = Buffer.buffer(new byte[] {2, '4', '2'});
    Buffer row43 = Buffer.buffer(new byte[] {2, '4', '3'});
    long seen = digest(count, column, eof, row42, eof);
    assertEquals(seen, digest(count, column, eof, row42, eof));
    assertNotEquals(seen, digest(count, column, eof, row43, eof));
    assertNotEquals(seen, digest(count, column, eof, row42, row42, eof));
    Buffer eofNoIndex = Buffer.buffer(new byte[] {(byte) 0xFE, 0, 0, 0x21 | 0x20, 0});
    assertEquals(seen, digest(count, column, eofNoIndex, row42, eofNoIndex), "NO_INDEX_USED in an EOF is plan noise");
  }

  @Test
  void aSliceOfALargerBufferDigestsAsItsOwnBytes() {
    Buffer frame = Buffer.buffer(new byte[] {9, 0, 0, 7, 2, '4', '2', 0x55});
    ResponseDigest sliced = new ResponseDigest();
    sliced.update(frame.slice(4, 7), 0);
    ResponseDigest copied = new ResponseDigest();
    copied.update(Buffer.buffer(new byte[] {2, '4', '2'}), 0);
    assertEquals(copied.value(), sliced.value());
  }

  @Test
  void errorsCountWithTheirCode() {
    Buffer dup = Buffer.buffer().appendByte((byte) 0xFF).appendUnsignedShortLE(1062).appendString("#23000Duplicate");
    ResponseDigest d = new ResponseDigest();
    d.update(dup, ResponseTracker.COMPLETE | ResponseTracker.ERR_PACKET);
    assertEquals(1062, d.errorCode());
    assertNotEquals(d.value(), digest(ok(0, 0, ServerStatus.IN_TRANS, 0, null, null)));
  }

  @Test
  void aRowContinuedPastSixteenMebibytesIsDigestedRaw() {
    Buffer big = Buffer.buffer(new byte[Packets.MAX_FRAME_PAYLOAD]);
    Buffer tailLikeAnError = Buffer.buffer(new byte[] {(byte) 0xFF, 1, 2});
    ResponseDigest d = new ResponseDigest();
    d.update(big, 0);
    d.update(tailLikeAnError, 0);
    assertEquals(0, d.errorCode(), "the tail of a long row is data, not an ERR");
  }
}
