package dev.tether.proxy.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A BEGIN lost in flight outside a transaction changed nothing: the journal says it may be re-sent. */
class BeginInFlightTest {
  private final TransactionJournal journal = new TransactionJournal(new TransactionJournalTest.FakeSession(),
      1 << 20, 1000, true);

  @Test
  void aBeginOrStartTransactionLostInFlightMayBeReSent() {
    for (String begin : new String[] {"BEGIN", "START TRANSACTION WITH CONSISTENT SNAPSHOT", "start transaction read only"}) {
      journal.onCommandSent(TransactionJournalTest.query(begin), TransactionJournalTest.AUTOCOMMIT);
      assertEquals(TransactionLoss.Kind.BEGIN_IN_FLIGHT, journal.onBackendLost().kind(), begin);
    }
  }

  @Test
  void anythingElseThatWouldOpenOneIsLeftToTheSessionsRetryRule() {
    journal.onCommandSent(TransactionJournalTest.query("START SLAVE"), TransactionJournalTest.AUTOCOMMIT);
    assertEquals(TransactionLoss.Kind.NO_TRANSACTION, journal.onBackendLost().kind());
    journal.onCommandSent(TransactionJournalTest.query("UPDATE t SET v = 1"), 0); // autocommit off
    assertEquals(TransactionLoss.Kind.NO_TRANSACTION, journal.onBackendLost().kind());
  }
}
