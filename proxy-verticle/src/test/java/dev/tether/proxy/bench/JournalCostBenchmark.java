package dev.tether.proxy.bench;

import dev.tether.proxy.protocol.PayloadWriter;
import dev.tether.proxy.protocol.ResponseTracker;
import dev.tether.proxy.protocol.ServerStatus;
import dev.tether.proxy.transaction.SessionView;
import dev.tether.proxy.transaction.TransactionCharacteristics;
import dev.tether.proxy.transaction.TransactionJournal;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What recording a transaction costs a session on its event loop, per command: the journal's calls
 * for an UPDATE (one OK) and a SELECT of 10 rows of 100 bytes, outside a transaction (autocommit)
 * and inside one, against the same loop without a journal. CPU only: no sockets, no database.
 * {@code mvn -o -pl proxy-verticle -Dtether.excludedGroups= -Dtest=JournalCostBenchmark test}.
 */
@Tag("bench")
class JournalCostBenchmark {
  private static final SessionView VIEW = new SessionView() {
    @Override public boolean backslashEscapes() { return true; }
    @Override public TransactionCharacteristics nextTransaction() { return null; }
    @Override public long lastInsertId() { return 0; }
    @Override public String preparedSql(long clientId) { return null; }
    @Override public int paramCount(long clientId) { return 0; }
    @Override public byte[] lastParameterTypes(long clientId) { return null; }
  };

  private static Buffer payload(Buffer frame) {
    return frame.slice(4, frame.length());
  }

  @Test
  void costPerCommandOutsideAndInsideATransaction() {
    Buffer update = Buffer.buffer().appendByte((byte) 3).appendString("UPDATE sbtest1 SET k = k + 1 WHERE id = 5021");
    Buffer select = Buffer.buffer().appendByte((byte) 3).appendString("SELECT c FROM sbtest1 WHERE id BETWEEN 10 AND 19");
    Buffer ok = payload(new PayloadWriter().int1(0).intLenenc(1).intLenenc(0).int2(ServerStatus.IN_TRANS | 2).int2(0)
        .stringLenenc("Rows matched: 1  Changed: 1  Warnings: 0").toPacket(1));
    List<Buffer> result = new ArrayList<>();
    result.add(Buffer.buffer(new byte[] {1}));
    result.add(Buffer.buffer().appendByte((byte) 3).appendString("def").appendBytes(new byte[40]));
    for (int i = 0; i < 10; i++) {
      result.add(Buffer.buffer().appendByte((byte) 99).appendBytes(new byte[99]));
    }
    result.add(payload(new PayloadWriter().int1(0xFE).intLenenc(0).intLenenc(0).int2(ServerStatus.IN_TRANS | 2).int2(0)
        .toPacket(1)));
    int rounds = Integer.getInteger("bench.rounds", 200_000);
    for (int warm = 0; warm < 3; warm++) {
      run(null, update, ok, select, result, rounds / 4, false);
      run(VIEW, update, ok, select, result, rounds / 4, false);
      run(VIEW, update, ok, select, result, rounds / 4, true);
    }
    double none = run(null, update, ok, select, result, rounds, false);
    double outside = run(VIEW, update, ok, select, result, rounds, false);
    double inside = run(VIEW, update, ok, select, result, rounds, true);
    System.out.printf("journal cost benchmark: per command (UPDATE + 10-row SELECT, averaged) no journal %.0f ns,"
        + " outside a transaction %.0f ns (+%.0f), inside %.0f ns (+%.0f)%n", none, outside, outside - none, inside,
        inside - none);
  }

  /** Nanoseconds per command of {@code rounds} UPDATE + SELECT pairs, each transaction 20 statements long. */
  private static double run(SessionView view, Buffer update, Buffer ok, Buffer select, List<Buffer> result, int rounds,
                            boolean inTransaction) {
    TransactionJournal journal = view == null ? null : new TransactionJournal(view, 1 << 20, 1000, false);
    Buffer begin = Buffer.buffer().appendByte((byte) 3).appendString("BEGIN");
    Buffer beginOk = payload(new PayloadWriter().int1(0).intLenenc(0).intLenenc(0).int2(ServerStatus.IN_TRANS | 2).int2(0)
        .toPacket(1));
    int status = ServerStatus.AUTOCOMMIT;
    int inTrans = ServerStatus.AUTOCOMMIT | ServerStatus.IN_TRANS;
    ResponseTracker tracker = new ResponseTracker(true);
    long sink = 0;
    long start = System.nanoTime();
    for (int r = 0; r < rounds; r++) {
      if (journal != null && inTransaction && r % 10 == 0) {
        journal.reset();
        journal.onCommandSent(begin, status);
        journal.onResponseFrame(beginOk, ResponseTracker.OK_PACKET);
        journal.onResponseEnd(inTrans);
      }
      int before = inTransaction ? inTrans : status;
      sink += relay(journal, tracker, update, List.of(ok), before);
      sink += relay(journal, tracker, select, result, before);
    }
    long took = System.nanoTime() - start;
    if (sink == 42) {
      System.out.println();
    }
    return took / (rounds * 2.0);
  }

  private static long relay(TransactionJournal journal, ResponseTracker tracker, Buffer command, List<Buffer> frames,
                            int statusBefore) {
    if (journal != null) {
      journal.onCommandSent(command, statusBefore);
    }
    tracker.expectResponseTo(command);
    long flagsSeen = 0;
    for (Buffer frame : frames) {
      int flags = tracker.onBackendFrame(frame);
      flagsSeen += flags;
      if (journal != null) {
        journal.onResponseFrame(frame, flags);
      }
    }
    if (journal != null) {
      journal.onResponseEnd(statusBefore);
    }
    return flagsSeen;
  }
}
