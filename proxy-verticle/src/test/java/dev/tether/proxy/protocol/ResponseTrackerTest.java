package dev.tether.proxy.protocol;

import static dev.tether.proxy.protocol.ResponseTracker.COMPLETE;
import static dev.tether.proxy.protocol.ResponseTracker.ERR_PACKET;
import static dev.tether.proxy.protocol.ResponseTracker.INFILE_REQUEST;
import static dev.tether.proxy.protocol.ResponseTracker.OK_PACKET;
import static dev.tether.proxy.protocol.ResponseTracker.PREPARE_OK;
import static dev.tether.proxy.protocol.ResponseTracker.STATUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** Narrated responses, packet by packet, and where the tracker says each one ends. */
class ResponseTrackerTest {
  private static final Buffer QUERY = Buffer.buffer(new byte[] {Command.COM_QUERY, 'S'});

  /** The tracker's verdict without the STATUS and PREPARE_OK bits, which these scenarios do not test. */
  private static int flags(ResponseTracker tracker, Buffer payload) {
    return tracker.onBackendFrame(payload) & ~(STATUS | PREPARE_OK);
  }

  private static Buffer ok(int status) {
    return Buffer.buffer().appendByte((byte) 0).appendByte((byte) 0).appendByte((byte) 0)
        .appendUnsignedShortLE(status).appendUnsignedShortLE(0);
  }

  private static Buffer okAsEof(int status) {
    Buffer b = ok(status);
    b.setByte(0, (byte) 0xFE);
    return b;
  }

  private static Buffer eof(int status) {
    return Buffer.buffer().appendByte((byte) 0xFE).appendUnsignedShortLE(0).appendUnsignedShortLE(status);
  }

  private static Buffer bytes(int... values) {
    Buffer b = Buffer.buffer();
    for (int v : values) {
      b.appendByte((byte) v);
    }
    return b;
  }

  private static final Buffer COLUMN = Buffer.buffer("\3def\0\0\0\1a\0\f?\0\1\0\0\0\3\0\0\0\0\0");
  private static final Buffer ROW = Buffer.buffer("\1x");
  private static final Buffer ERR = bytes(0xFF, 0x28, 0x04, '#', '4', '2', '0', '0', '0', 'e');

  @Test
  void resultSetWithoutDeprecateEofEndsAtTheSecondEof() {
    ResponseTracker t = new ResponseTracker(false);
    assertTrue(t.expectResponseTo(QUERY));
    assertEquals(0, flags(t, bytes(1)));
    assertEquals(0, flags(t, COLUMN));
    assertEquals(0, flags(t, eof(ServerStatus.AUTOCOMMIT)), "EOF after the column definitions");
    assertEquals(0, flags(t, ROW));
    assertEquals(0, flags(t, ROW));
    assertEquals(COMPLETE, flags(t, eof(ServerStatus.AUTOCOMMIT | ServerStatus.IN_TRANS)));
    assertFalse(t.inFlight());
    assertEquals(ServerStatus.AUTOCOMMIT | ServerStatus.IN_TRANS, t.statusFlags());
  }

  @Test
  void resultSetWithDeprecateEofEndsAtTheOkTerminator() {
    ResponseTracker t = new ResponseTracker(true);
    t.expectResponseTo(QUERY);
    flags(t, bytes(1));
    flags(t, COLUMN);
    assertEquals(0, flags(t, ROW));
    assertEquals(COMPLETE | OK_PACKET, flags(t, okAsEof(ServerStatus.AUTOCOMMIT)));
  }

  @Test
  void multiResultsContinueWhileMoreResultsExist() {
    ResponseTracker t = new ResponseTracker(true);
    t.expectResponseTo(QUERY);
    assertEquals(OK_PACKET, flags(t, ok(ServerStatus.MORE_RESULTS_EXISTS)), "first statement: OK, more follow");
    flags(t, bytes(1));
    flags(t, COLUMN);
    flags(t, ROW);
    assertEquals(OK_PACKET, flags(t, okAsEof(ServerStatus.MORE_RESULTS_EXISTS)), "a result set, more follow");
    assertEquals(COMPLETE | OK_PACKET, flags(t, ok(ServerStatus.AUTOCOMMIT)), "the CALL's closing OK");
  }

  @Test
  void anErrorEndsTheResponseEvenInTheMiddleOfRows() {
    ResponseTracker t = new ResponseTracker(true);
    t.expectResponseTo(QUERY);
    flags(t, bytes(1));
    flags(t, COLUMN);
    flags(t, ROW);
    assertEquals(COMPLETE | ERR_PACKET, flags(t, ERR));
  }

  @Test
  void aRowContinuedAcrossFramesIsNeverMistakenForATerminator() {
    ResponseTracker t = new ResponseTracker(true);
    t.expectResponseTo(QUERY);
    flags(t, bytes(1));
    flags(t, COLUMN);
    Buffer full = Buffer.buffer(new byte[Packets.MAX_FRAME_PAYLOAD]);
    full.setByte(0, (byte) 0xFE); // lenenc prefix of a string longer than 16 MiB
    assertEquals(0, flags(t, full));
    assertEquals(0, flags(t, okAsEof(0)), "continuation bytes that look like a terminator");
    assertEquals(COMPLETE | OK_PACKET, flags(t, okAsEof(ServerStatus.AUTOCOMMIT)));
  }

  @Test
  void prepareResponseEndsAfterParameterAndColumnDefinitions() {
    for (boolean deprecateEof : new boolean[] {false, true}) {
      ResponseTracker t = new ResponseTracker(deprecateEof);
      t.expectResponseTo(bytes(Command.COM_STMT_PREPARE, 'S'));
      Buffer prepareOk = bytes(0, 1, 0, 0, 0, 2, 0, 1, 0, 0, 0, 0);
      assertEquals(0, flags(t, prepareOk));
      assertEquals(0, flags(t, COLUMN), "parameter");
      if (!deprecateEof) {
        assertEquals(0, flags(t, eof(0)));
      }
      assertEquals(0, flags(t, COLUMN));
      int last = flags(t, deprecateEof ? COLUMN : COLUMN);
      if (!deprecateEof) {
        assertEquals(0, last);
        last = flags(t, eof(0));
      }
      assertEquals(COMPLETE, last, "deprecateEof=" + deprecateEof);
    }
  }

  @Test
  void prepareWithNoParametersOrColumnsEndsAtTheOk() {
    ResponseTracker t = new ResponseTracker(false);
    t.expectResponseTo(bytes(Command.COM_STMT_PREPARE, 'S'));
    assertEquals(COMPLETE, flags(t, bytes(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
  }

  @Test
  void executeThatOpensACursorEndsAfterTheColumnDefinitions() {
    Buffer executeWithCursor = bytes(Command.COM_STMT_EXECUTE, 1, 0, 0, 0, 1, 1, 0, 0, 0);
    ResponseTracker classic = new ResponseTracker(false);
    classic.expectResponseTo(executeWithCursor);
    flags(classic, bytes(1));
    flags(classic, COLUMN);
    assertEquals(COMPLETE, flags(classic, eof(ServerStatus.CURSOR_EXISTS | ServerStatus.AUTOCOMMIT)));
    ResponseTracker deprecated = new ResponseTracker(true);
    deprecated.expectResponseTo(executeWithCursor);
    flags(deprecated, bytes(1));
    flags(deprecated, COLUMN);
    assertEquals(COMPLETE | OK_PACKET, flags(deprecated, okAsEof(ServerStatus.CURSOR_EXISTS)));
  }

  @Test
  void fetchReturnsRowsUntilTheTerminator() {
    ResponseTracker t = new ResponseTracker(false);
    t.expectResponseTo(bytes(Command.COM_STMT_FETCH, 1, 0, 0, 0, 5, 0, 0, 0));
    assertEquals(0, flags(t, bytes(0, 0, 1)));
    assertEquals(COMPLETE, flags(t, eof(ServerStatus.CURSOR_EXISTS | ServerStatus.LAST_ROW_SENT)));
  }

  @Test
  void localInfileRequestHandsTheTurnToTheClientUntilItsEmptyPacket() {
    ResponseTracker t = new ResponseTracker(true);
    t.expectResponseTo(QUERY);
    assertEquals(INFILE_REQUEST, flags(t, bytes(0xFB).appendString("/tmp/f.csv")));
    assertFalse(t.onClientUploadFrame(Buffer.buffer("1,a\n")));
    assertFalse(t.onClientUploadFrame(Buffer.buffer(new byte[Packets.MAX_FRAME_PAYLOAD])));
    assertFalse(t.onClientUploadFrame(Buffer.buffer()), "the empty frame after a full one continues it");
    assertTrue(t.onClientUploadFrame(Buffer.buffer()), "the next empty packet ends the upload");
    assertEquals(COMPLETE | OK_PACKET, flags(t, ok(ServerStatus.AUTOCOMMIT)));
  }

  @Test
  void commandsWithoutAResponseAreNotInFlight() {
    ResponseTracker t = new ResponseTracker(true);
    assertFalse(t.expectResponseTo(bytes(Command.COM_STMT_CLOSE, 1, 0, 0, 0)));
    assertFalse(t.expectResponseTo(bytes(Command.COM_STMT_SEND_LONG_DATA, 1, 0, 0, 0, 0, 0)));
    assertTrue(t.expectResponseTo(bytes(Command.COM_PING)));
    assertEquals(COMPLETE | OK_PACKET, flags(t, ok(ServerStatus.AUTOCOMMIT)));
  }

  @Test
  void fieldListEndsAtItsEof() {
    ResponseTracker t = new ResponseTracker(false);
    t.expectResponseTo(bytes(Command.COM_FIELD_LIST, 't', 0));
    assertEquals(0, flags(t, COLUMN));
    assertEquals(COMPLETE, flags(t, eof(ServerStatus.AUTOCOMMIT)));
  }
}
