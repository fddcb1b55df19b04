package dev.tether.proxy.transaction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.protocol.ResponseTracker;
import dev.tether.proxy.protocol.ServerStatus;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a session's journal keeps of a transaction, when it stops, and what a loss means. */
class TransactionJournalTest {
  static final int AUTOCOMMIT = ServerStatus.AUTOCOMMIT;
  static final int IN_TRANS = ServerStatus.AUTOCOMMIT | ServerStatus.IN_TRANS;

  /** A session's state as the journal asks for it: prepared statements by client id. */
  static final class FakeSession implements SessionView {
    final Map<Long, String> sql = new HashMap<>();
    final Map<Long, byte[]> types = new HashMap<>();
    TransactionCharacteristics next;
    int transactionsBegun;

    @Override public boolean backslashEscapes() { return true; }
    @Override public TransactionCharacteristics nextTransaction() { transactionsBegun++; return next; }
    @Override public long lastInsertId() { return 41; }
    @Override public String preparedSql(long id) { return sql.get(id); }
    @Override public int paramCount(long id) { return (int) sql.getOrDefault(id, "").chars().filter(c -> c == '?').count(); }
    @Override public byte[] lastParameterTypes(long id) { return types.get(id); }
  }

  private final FakeSession session = new FakeSession();
  private TransactionJournal journal = new TransactionJournal(session, 1 << 20, 1000, true);

  static Buffer query(String sql) {
    return Buffer.buffer().appendByte((byte) 3).appendString(sql);
  }

  /** Sends a command and answers it with an OK carrying {@code statusAfter}. */
  private void run(Buffer command, int statusBefore, int statusAfter) {
    journal.onCommandSent(command, statusBefore);
    journal.onResponseFrame(ResponseDigestTest.ok(0, 0, statusAfter, 0, null, null), ResponseTracker.OK_PACKET);
    journal.onResponseEnd(statusAfter);
  }

  @Test
  void outsideATransactionNothingIsKeptOrEvenLookedAt() {
    run(query("SELECT 1"), AUTOCOMMIT, AUTOCOMMIT);
    run(query("SHOW TABLES"), AUTOCOMMIT, AUTOCOMMIT);
    run(query("UPDATE t SET v = 1"), AUTOCOMMIT, AUTOCOMMIT);
    run(query("STARTLING"), AUTOCOMMIT, AUTOCOMMIT);
    assertEquals(JournalState.IDLE, journal.state());
    assertEquals(0, journal.bytes());
    assertEquals(0, session.transactionsBegun, "no command was taken for a possible BEGIN");
    run(query("/* app */ begin"), AUTOCOMMIT, IN_TRANS);
    assertEquals(JournalState.RECORDING, journal.state());
  }

  @Test
  void aTransactionIsRecordedFromItsBeginAndForgottenAtCommit() {
    run(query("START TRANSACTION READ WRITE"), AUTOCOMMIT, IN_TRANS);
    Buffer update = query("UPDATE t SET v = v + 1");
    run(update, IN_TRANS, IN_TRANS);
    update.setByte(1, (byte) 'X'); // the session may rewrite its buffer: the journal holds a copy
    run(query("SELECT v FROM t"), IN_TRANS, IN_TRANS);
    assertEquals(JournalState.RECORDING, journal.state());
    assertEquals(3, journal.entries().size());
    assertEquals(query("UPDATE t SET v = v + 1"), journal.entries().get(1).payload());
    journal.onCommandSent(query("COMMIT"), IN_TRANS);
    assertNotNull(journal.pendingMarker(), "the marker goes before a replayable COMMIT");
    journal.onResponseEnd(AUTOCOMMIT);
    assertEquals(JournalState.IDLE, journal.state());
    assertTrue(journal.entries().isEmpty());
  }

  @Test
  void withAutocommitOffTheFirstStatementOpensAndIsKept() {
    run(query("UPDATE t SET v = 2"), 0, ServerStatus.IN_TRANS);
    assertEquals(JournalState.RECORDING, journal.state());
    assertEquals(1, journal.entries().size());
    run(query("SELECT 1"), 0, 0);
    assertEquals(JournalState.IDLE, journal.state(), "a statement that leaves no transaction is dropped");
  }

  @Test
  void aNonDeterministicStatementRefusesUntilTheTransactionEnds() {
    run(query("BEGIN"), AUTOCOMMIT, IN_TRANS);
    run(query("UPDATE t SET at = NOW()"), IN_TRANS, IN_TRANS);
    assertEquals(JournalState.REFUSED, journal.state());
    assertEquals(NotReplayable.NON_DETERMINISTIC, journal.refusal());
    assertTrue(journal.entries().isEmpty(), "what was held is released");
    run(query("UPDATE t SET v = 1"), IN_TRANS, IN_TRANS);
    assertEquals(NotReplayable.NON_DETERMINISTIC, journal.refusal());
    journal.onCommandSent(query("COMMIT"), IN_TRANS);
    assertNull(journal.pendingMarker());
    journal.onResponseEnd(AUTOCOMMIT);
    assertEquals(JournalState.IDLE, journal.state());
  }

  @Test
  void boundsStopRecording() {
    journal = new TransactionJournal(session, 1 << 20, 2, false);
    run(query("BEGIN"), AUTOCOMMIT, IN_TRANS);
    run(query("UPDATE t SET v = 1"), IN_TRANS, IN_TRANS);
    run(query("UPDATE t SET v = 2"), IN_TRANS, IN_TRANS);
    assertEquals(NotReplayable.TOO_MANY_STATEMENTS, journal.refusal());
    journal = new TransactionJournal(session, 40, 1000, false);
    run(query("BEGIN"), AUTOCOMMIT, IN_TRANS);
    run(query("UPDATE t SET v = 1 WHERE a_rather_long_column = 12345"), IN_TRANS, IN_TRANS);
    assertEquals(NotReplayable.TOO_MANY_BYTES, journal.refusal());
  }

  @Test
  void aSessionStateChangeReportedByTheServerRefuses() {
    run(query("BEGIN"), AUTOCOMMIT, IN_TRANS);
    journal.onCommandSent(query("SELECT 1"), IN_TRANS);
    journal.onResponseFrame(ResponseDigestTest.ok(0, 0, IN_TRANS | ServerStatus.SESSION_STATE_CHANGED, 0, "",
        new byte[] {2, 1, 0}), ResponseTracker.OK_PACKET);
    journal.onResponseEnd(IN_TRANS);
    assertEquals(NotReplayable.SESSION_STATE_CHANGED, journal.refusal());
  }

  @Test
  void aTransactionBegunOutOfSightIsRefused() {
    run(query("UPDATE t SET v = 1"), IN_TRANS, IN_TRANS);
    assertEquals(NotReplayable.STARTED_UNSEEN, journal.refusal());
  }

  static Buffer execute(long id, boolean typesBound) {
    Buffer b = Buffer.buffer().appendByte((byte) 0x17).appendUnsignedIntLE(id).appendByte((byte) 0)
        .appendUnsignedIntLE(1).appendByte((byte) 0); // null bitmap of one parameter
    if (typesBound) {
      return b.appendByte((byte) 1).appendByte((byte) 8).appendByte((byte) 0).appendLongLE(5);
    }
    return b.appendByte((byte) 0).appendLongLE(5);
  }

  @Test
  void anExecuteThatOmittedItsTypesKeepsTheTypesSentBeforeTheTransaction() {
    session.sql.put(7L, "UPDATE t SET v = ?");
    session.types.put(7L, new byte[] {8, 0});
    run(query("BEGIN"), AUTOCOMMIT, IN_TRANS);
    run(execute(7, false), IN_TRANS, IN_TRANS);
    run(execute(7, true), IN_TRANS, IN_TRANS);
    run(execute(7, false), IN_TRANS, IN_TRANS);
    assertArrayEquals(new byte[] {8, 0}, journal.entries().get(1).typesToInject());
    assertNull(journal.entries().get(2).typesToInject());
    assertNull(journal.entries().get(3).typesToInject(), "the transaction sent them itself, before");
    assertEquals(7, journal.entries().get(1).clientStatementId());
    run(Buffer.buffer().appendByte((byte) 0x19).appendUnsignedIntLE(7), IN_TRANS, IN_TRANS);
    assertEquals(NotReplayable.STATEMENT_CLOSED, journal.refusal());
  }

  @Test
  void aPreparedStatementIsCheckedByItsSql() {
    session.sql.put(3L, "INSERT INTO t VALUES (UUID(), ?)");
    run(query("BEGIN"), AUTOCOMMIT, IN_TRANS);
    run(execute(3, true), IN_TRANS, IN_TRANS);
    assertEquals(NotReplayable.NON_DETERMINISTIC, journal.refusal());
  }

  @Test
  void aLossSaysWhatToDoWithTheTransaction() {
    run(query("BEGIN"), AUTOCOMMIT, IN_TRANS);
    run(query("UPDATE t SET v = 1"), IN_TRANS, IN_TRANS);
    journal.onCommandSent(query("UPDATE t SET v = 2"), IN_TRANS);
    TransactionLoss loss = journal.onBackendLost();
    assertEquals(TransactionLoss.Kind.REPLAY, loss.kind());
    assertEquals(2, journal.entries().size(), "the statement in flight is not part of what is replayed");

    journal.onCommandSent(query("SELECT * FROM t"), IN_TRANS);
    journal.onResponseFrame(Buffer.buffer(new byte[] {1}), 0);
    assertEquals(TransactionLoss.Kind.REFUSED, journal.onBackendLost().kind());
    assertEquals(NotReplayable.RESPONSE_INTERRUPTED, journal.refusal());
  }

  @Test
  void aCommitInFlightIsResolvedByItsMarker() {
    run(query("BEGIN"), AUTOCOMMIT, IN_TRANS);
    run(query("UPDATE t SET v = 1"), IN_TRANS, IN_TRANS);
    journal.onCommandSent(query("COMMIT"), IN_TRANS);
    Buffer marker = journal.pendingMarker();
    assertTrue(marker.toString().startsWith("\u0003INSERT INTO tether_ha.commit_markers (token) VALUES (X'"));
    journal.onMarkerResponse(ResponseDigestTest.ok(1, 0, IN_TRANS, 0, null, null));
    TransactionLoss loss = journal.onBackendLost();
    assertEquals(TransactionLoss.Kind.COMMIT_IN_FLIGHT, loss.kind());
    assertEquals(CommitMarker.Answer.OK, loss.marker().answer());

    journal = new TransactionJournal(session, 1 << 20, 1000, false);
    run(query("BEGIN"), AUTOCOMMIT, IN_TRANS);
    journal.onCommandSent(query("COMMIT"), IN_TRANS);
    assertNull(journal.pendingMarker());
    loss = journal.onBackendLost();
    assertEquals(TransactionLoss.Kind.COMMIT_IN_FLIGHT, loss.kind());
    assertNull(loss.marker(), "without the marker the outcome is unknown");
  }

  @Test
  void commitAndChainStartsATransactionThatIsNotTheOneRecorded() {
    run(query("BEGIN"), AUTOCOMMIT, IN_TRANS);
    run(query("UPDATE t SET v = 1"), IN_TRANS, IN_TRANS);
    run(query("COMMIT AND CHAIN"), IN_TRANS, IN_TRANS);
    assertEquals(JournalState.REFUSED, journal.state(), "the committed UPDATE must never be replayed");
    assertEquals(NotReplayable.STARTED_UNSEEN, journal.refusal());
    assertTrue(journal.entries().isEmpty());
    run(query("COMMIT"), IN_TRANS, AUTOCOMMIT);
    assertEquals(JournalState.IDLE, journal.state());
  }

  @Test
  void longDataSentBeforeTheTransactionRefusesTheExecuteThatUsesIt() {
    session.sql.put(4L, "UPDATE t SET b = ? WHERE id = 1");
    journal.onCommandSent(Buffer.buffer().appendByte((byte) 0x18).appendUnsignedIntLE(4).appendUnsignedShortLE(0)
        .appendString("blob"), AUTOCOMMIT); // no response
    run(query("BEGIN"), AUTOCOMMIT, IN_TRANS);
    run(execute(4, true), IN_TRANS, IN_TRANS);
    assertEquals(NotReplayable.LONG_DATA_OUTSIDE, journal.refusal());
  }

  @Test
  void aRollbackInFlightNeedsNoReplay() {
    run(query("BEGIN"), AUTOCOMMIT, IN_TRANS);
    journal.onCommandSent(query("ROLLBACK"), IN_TRANS);
    assertEquals(TransactionLoss.Kind.ROLLED_BACK, journal.onBackendLost().kind());
    assertEquals(JournalState.IDLE, journal.state());
  }

  @Test
  void aReadOnlyTransactionCommitsWithoutAMarker() {
    run(query("START TRANSACTION READ ONLY"), AUTOCOMMIT, IN_TRANS | ServerStatus.IN_TRANS_READONLY);
    journal.onCommandSent(query("COMMIT"), IN_TRANS | ServerStatus.IN_TRANS_READONLY);
    assertNull(journal.pendingMarker());
  }

  @Test
  void lastInsertIdAtTheStartIsKeptWhenAStatementReadsIt() {
    run(query("BEGIN"), AUTOCOMMIT, IN_TRANS);
    run(query("INSERT INTO child VALUES (LAST_INSERT_ID())"), IN_TRANS, IN_TRANS);
    assertTrue(journal.readsLastInsertId());
    assertEquals(41, journal.lastInsertIdAtStart());
    assertEquals(java.util.List.of("DO LAST_INSERT_ID(41)"), TransactionReplay.preface(journal));
  }

  @Test
  void theReplayPrefaceSetsTheNextTransactionsCharacteristicsFromTheirParsedValues() {
    session.next = new TransactionCharacteristics(TransactionCharacteristics.Isolation.READ_COMMITTED,
        TransactionCharacteristics.AccessMode.READ_ONLY);
    run(query("BEGIN"), AUTOCOMMIT, IN_TRANS);
    assertEquals(java.util.List.of("SET TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY"),
        TransactionReplay.preface(journal));
  }
}
