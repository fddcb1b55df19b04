package dev.tether.proxy.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tether.proxy.protocol.ResponseTracker;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** BEGIN and COMMIT executed as prepared statements (as sysbench runs them) frame a transaction like their text. */
class PreparedBeginAndCommitTest {
  private final TransactionJournalTest.FakeSession session = new TransactionJournalTest.FakeSession();
  private final TransactionJournal journal = new TransactionJournal(session, 1 << 20, 1000, true);

  private static Buffer execute(long id) {
    return Buffer.buffer().appendByte((byte) 0x17).appendUnsignedIntLE(id).appendByte((byte) 0).appendUnsignedIntLE(1);
  }

  private void run(Buffer command, int statusBefore, int statusAfter) {
    journal.onCommandSent(command, statusBefore);
    journal.onResponseFrame(ResponseDigestTest.ok(0, 0, statusAfter, 0, null, null), ResponseTracker.OK_PACKET);
    journal.onResponseEnd(statusAfter);
  }

  @Test
  void aPreparedBeginOpensTheRecordingAndAPreparedCommitCarriesTheMarker() {
    session.sql.put(1L, "  begin");
    session.sql.put(2L, "UPDATE t SET v = v + 1 WHERE id = 1");
    session.sql.put(3L, "COMMIT");
    run(execute(1), TransactionJournalTest.AUTOCOMMIT, TransactionJournalTest.IN_TRANS);
    assertEquals(JournalState.RECORDING, journal.state());
    run(execute(2), TransactionJournalTest.IN_TRANS, TransactionJournalTest.IN_TRANS);
    assertEquals(2, journal.entries().size());
    journal.onCommandSent(execute(3), TransactionJournalTest.IN_TRANS);
    assertNotNull(journal.pendingMarker(), "the prepared COMMIT gets its marker");
    assertEquals(TransactionLoss.Kind.COMMIT_IN_FLIGHT, journal.onBackendLost().kind());
  }

  @Test
  void otherPreparedStatementsInAutocommitModeAreNotLookedAt() {
    session.sql.put(5L, "SELECT 'BEGIN'");
    run(execute(5), TransactionJournalTest.AUTOCOMMIT, TransactionJournalTest.AUTOCOMMIT);
    assertEquals(JournalState.IDLE, journal.state());
    assertEquals(true, StatementCheck.mayBegin("START TRANSACTION READ ONLY"));
    assertEquals(false, StatementCheck.mayBegin("STARTED"));
  }
}
