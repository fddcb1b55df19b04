package dev.tether.proxy.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tether.proxy.protocol.CommandCheck;
import dev.tether.proxy.protocol.ProtocolException;
import dev.tether.proxy.protocol.ResponseTracker;
import dev.tether.proxy.transaction.TransactionCharacteristics;
import io.vertx.core.buffer.Buffer;

/**
 * Fuzz targets (Jazzer) for what the session reads of a client's commands: the SQL lexer and the
 * SET TRANSACTION parser (what replay builds must parse back to itself), and the state learner fed
 * any command that passed {@link CommandCheck} and any response frames.
 */
class SessionFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void sqlText(FuzzedDataProvider data) {
    boolean backslashEscapes = data.consumeBoolean();
    Buffer payload = Buffer.buffer().appendByte((byte) 3).appendBytes(data.consumeRemainingAsBytes());
    SqlText.firstStatement(payload, backslashEscapes);
    SqlText.leadingKeyword(payload);
    SqlText.assignsUserVariableSilently(payload);
    SqlText.setsLastInsertId(payload);
    TransactionCharacteristics parsed = SetTransactionStatement.parse(payload, backslashEscapes);
    if (parsed != null && (parsed.isolation() != null || parsed.accessMode() != null)) {
      Buffer rebuilt = Buffer.buffer().appendByte((byte) 3).appendString(parsed.sql());
      assertEquals(parsed, SetTransactionStatement.parse(rebuilt, true), "replay sends what it parsed");
    }
  }

  @FuzzTest(maxDuration = "30s")
  void stateLearner(FuzzedDataProvider data) {
    BackendStatements statements = new BackendStatements();
    StateLearner learner = new StateLearner(SessionState.initial("tether"), statements);
    ResponseTracker tracker = new ResponseTracker(data.consumeBoolean());
    while (data.remainingBytes() > 0) {
      Buffer command = Buffer.buffer(data.consumeBytes(data.consumeInt(1, 64)));
      if (command.length() == 0 || CommandCheck.check(command, data.consumeLong()) != null) {
        continue; // answered where it is first read, never parsed further
      }
      learner.onCommand(command);
      if (tracker.expectResponseTo(command)) {
        int frames = data.consumeInt(0, 6);
        try {
          for (int i = 0; i < frames; i++) {
            Buffer frame = Buffer.buffer(data.consumeBytes(data.consumeInt(0, 48)));
            learner.onResponseFrame(tracker.onBackendFrame(frame), frame, tracker.statusFlags());
          }
        } catch (ProtocolException refused) {
          return; // a malformed response from the server: the session's typed failure ends it
        }
      }
      learner.onComplete();
    }
  }
}
