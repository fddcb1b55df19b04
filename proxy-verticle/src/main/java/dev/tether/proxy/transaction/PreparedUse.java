package dev.tether.proxy.transaction;

import dev.tether.proxy.protocol.Command;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the journal must know of the session's prepared statements to replay their executes: which
 * were executed in the transaction (closing one makes it unreplayable), which sent their parameter
 * types inside it, each one's verdict (its SQL is scanned once), and which had long data sent while
 * no transaction was recorded (an execute using it could not be replayed with it).
 */
final class PreparedUse {
  private final Set<Long> executed = new HashSet<>();
  /** Client ids whose types the transaction itself sent (no injection needed at replay). */
  private final Set<Long> typed = new HashSet<>();
  private final Map<Long, StatementCheck.Verdict> verdicts = new HashMap<>();
  /** Kept across transactions: long data may be sent before the BEGIN and used after it. */
  private final Set<Long> longDataOutside = new HashSet<>();

  void executed(long id) {
    executed.add(id);
  }

  boolean wasExecuted(long id) {
    return executed.contains(id);
  }

  StatementCheck.Verdict verdict(long id, String sql, boolean backslashEscapes) {
    return verdicts.computeIfAbsent(id, k -> StatementCheck.sql(sql, backslashEscapes));
  }

  /** Parameter types an execute omitted because they were sent before the transaction, captured now. */
  byte[] typesToInject(Buffer payload, long id, SessionView session) {
    int params = session.paramCount(id);
    int flagAt = 10 + (params + 7) / 8;
    if (params == 0 || payload.length() <= flagAt) {
      return null;
    }
    if (payload.getUnsignedByte(flagAt) != 0) {
      typed.add(id);
      return null;
    }
    return typed.contains(id) ? null : session.lastParameterTypes(id);
  }

  /**
   * Follows long data for every command (a rare command: the common path pays one byte test);
   * returns the refusal when a recorded transaction executes a statement whose long data came before it.
   */
  NotReplayable noteLongData(Buffer payload, boolean recording) {
    int command = payload.getUnsignedByte(0);
    if (command == Command.COM_STMT_SEND_LONG_DATA && !recording && payload.length() >= 5) {
      longDataOutside.add(payload.getUnsignedIntLE(1));
    } else if (!longDataOutside.isEmpty() && payload.length() >= 5
        && (command == Command.COM_STMT_EXECUTE || command == Command.COM_STMT_RESET)) {
      if (longDataOutside.remove(payload.getUnsignedIntLE(1)) && recording && command == Command.COM_STMT_EXECUTE) {
        return NotReplayable.LONG_DATA_OUTSIDE;
      }
    }
    return null;
  }

  /** The transaction ended: what it executed no longer matters. */
  void endTransaction() {
    executed.clear();
    typed.clear();
    verdicts.clear();
  }
}
