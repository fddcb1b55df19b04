package dev.tether.proxy.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tether.proxy.protocol.CommandView;
import dev.tether.proxy.protocol.Packets;
import dev.tether.proxy.protocol.PayloadWriter;
import dev.tether.proxy.protocol.StmtPrepareOk;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Statement ids both ways: commands to the backend carry its ids, prepare answers to the client carry the client's. */
class StatementIdsTest {
  private static final SessionState STATE = SessionState.initial("tether")
      .withPrepared(3, new SessionState.PreparedStatement("SELECT ? + ?", 2, 1));

  private static Buffer frame(Buffer payload) {
    return new PayloadWriter(payload.length()).bytes(payload).toPacket(0);
  }

  private static Buffer payloadOf(Buffer frame) {
    return frame.slice(Packets.HEADER_SIZE, frame.length());
  }

  /** COM_STMT_EXECUTE of statement {@code id} with two INT parameters, types omitted (flag 0). */
  private static Buffer executeWithoutTypes(long id) {
    return Buffer.buffer().appendByte((byte) 0x17).appendUnsignedIntLE(id).appendByte((byte) 0).appendIntLE(1)
        .appendByte((byte) 0).appendByte((byte) 0).appendIntLE(5).appendIntLE(6);
  }

  private static Buffer toBackend(StatementIds ids, Buffer payload) {
    Buffer frame = frame(payload);
    return ids.toBackend(CommandView.read(payloadOf(frame), false), payloadOf(frame), frame, STATE);
  }

  @Test
  void withNothingRemappedTheClientsFrameGoesAsItIs() {
    StatementIds ids = new StatementIds(new BackendStatements());
    Buffer frame = frame(executeWithoutTypes(3));
    assertSame(frame, ids.toBackend(CommandView.read(payloadOf(frame), false), payloadOf(frame), frame, STATE));
  }

  @Test
  void afterAReconnectionEveryIdCarryingCommandNamesTheBackendsIdAndTheClientsBytesStay() {
    StatementIds ids = new StatementIds(new BackendStatements());
    ids.remap(Map.of(3L, 9L));
    for (int command : new int[] {0x17, 0x18, 0x19, 0x1A, 0x1C}) {
      Buffer payload = Buffer.buffer().appendByte((byte) command).appendUnsignedIntLE(3).appendBytes(new byte[9]);
      Buffer frame = frame(payload);
      Buffer sent = ids.toBackend(CommandView.read(payloadOf(frame), false), payloadOf(frame), frame, STATE);
      assertNotSame(frame, sent);
      assertEquals(9, payloadOf(sent).getUnsignedIntLE(1), "command 0x" + Integer.toHexString(command));
      assertEquals(3, payloadOf(frame).getUnsignedIntLE(1), "the client's frame is kept for a resend");
    }
  }

  @Test
  void theFirstExecuteAfterAReconnectionGetsTheTypesTheClientSentBeforeAndOnlyOnce() {
    BackendStatements map = new BackendStatements();
    StatementIds ids = new StatementIds(map);
    byte[] types = {3, 0, 3, 0};
    map.rememberTypes(3, types);
    ids.remap(Map.of(3L, 4L));
    Buffer sent = payloadOf(toBackend(ids, executeWithoutTypes(3)));
    assertEquals(4, sent.getUnsignedIntLE(1));
    assertEquals(1, sent.getUnsignedByte(11), "new-params-bound flag");
    assertEquals(3, sent.getUnsignedByte(12));
    assertEquals(5, sent.getIntLE(16));
    assertEquals(6, sent.getIntLE(20));
    Buffer next = payloadOf(toBackend(ids, executeWithoutTypes(3)));
    assertEquals(executeWithoutTypes(3).length(), next.length(), "the backend knows them now");
    assertEquals(4, next.getUnsignedIntLE(1));
  }

  @Test
  void typesOfAnExecuteTheNodeAnsweredItselfAreInjectedIntoTheNextOne() {
    StatementIds ids = new StatementIds(new BackendStatements());
    Buffer answered = Buffer.buffer().appendByte((byte) 0x17).appendUnsignedIntLE(3).appendByte((byte) 0).appendIntLE(1)
        .appendByte((byte) 0).appendByte((byte) 1).appendBytes(new byte[] {8, 0, 3, 0}).appendLongLE(5).appendIntLE(6);
    ids.answeredByNode(CommandView.read(answered, false), answered, STATE);
    Buffer sent = payloadOf(toBackend(ids, executeWithoutTypes(3)));
    assertEquals(1, sent.getUnsignedByte(11), "new-params-bound flag: the backend never saw the types");
    assertEquals(8, sent.getUnsignedByte(12));
    assertEquals(3, sent.getUnsignedByte(14));
    assertEquals(executeWithoutTypes(3).length(), payloadOf(toBackend(ids, executeWithoutTypes(3))).length(),
        "once sent, not again");
  }

  @Test
  void mariaDbsLastPreparedIdNamesTheStatementPreparedLast() {
    StatementIds ids = new StatementIds(new BackendStatements());
    Buffer prepareOk = Buffer.buffer().appendByte((byte) 0).appendUnsignedIntLE(3).appendShortLE((short) 1)
        .appendShortLE((short) 2).appendByte((byte) 0).appendShortLE((short) 0);
    ids.toClient(prepareOk, StmtPrepareOk.decode(prepareOk), Set.of());
    Buffer execute = executeWithoutTypes(BackendStatements.LAST_PREPARED);
    assertEquals(3, ids.clientId(CommandView.read(execute, false)));
  }

  @Test
  void aPrepareAnswerGetsAClientIdNotAlreadyHeldAndTheClientSeesIt() {
    StatementIds ids = new StatementIds(new BackendStatements());
    ids.remap(Map.of(2L, 1L, 3L, 2L));
    Buffer prepareOk = Buffer.buffer().appendByte((byte) 0).appendUnsignedIntLE(3).appendShortLE((short) 1)
        .appendShortLE((short) 0).appendByte((byte) 0).appendShortLE((short) 0);
    long clientId = ids.toClient(prepareOk, StmtPrepareOk.decode(prepareOk), Set.of(2L, 3L));
    assertEquals(4, clientId);
    assertEquals(4, prepareOk.getUnsignedIntLE(1), "rewritten on its way to the client");
    Buffer fetch = Buffer.buffer().appendByte((byte) 0x1C).appendUnsignedIntLE(4).appendIntLE(10);
    assertEquals(3, payloadOf(toBackend(ids, fetch)).getUnsignedIntLE(1), "and back again");
    Buffer unclashed = Buffer.buffer().appendByte((byte) 0).appendUnsignedIntLE(7).appendShortLE((short) 0)
        .appendShortLE((short) 0).appendByte((byte) 0).appendShortLE((short) 0);
    assertEquals(7, new StatementIds(new BackendStatements()).toClient(unclashed, StmtPrepareOk.decode(unclashed), Set.of(1L)));
    assertEquals(7, unclashed.getUnsignedIntLE(1));
  }
}
