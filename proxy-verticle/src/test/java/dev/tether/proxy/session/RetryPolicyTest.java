package dev.tether.proxy.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.protocol.ServerStatus;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The retry rule, case by case: only an unanswered read outside a transaction is re-sent. */
class RetryPolicyTest {
  private static final SessionState STATE = SessionState.initial("tether")
      .withPrepared(1, new SessionState.PreparedStatement("SELECT * FROM t WHERE id = ?", 1, 2))
      .withPrepared(2, new SessionState.PreparedStatement("UPDATE t SET v = ? WHERE id = 1", 1, 0));

  private static Buffer query(String sql) {
    return Buffer.buffer().appendByte((byte) 3).appendString(sql);
  }

  private static Buffer execute(long id) {
    return Buffer.buffer().appendByte((byte) 0x17).appendUnsignedIntLE(id).appendByte((byte) 0).appendIntLE(1);
  }

  @Test
  void anUnansweredReadOutsideATransactionIsResent() {
    assertTrue(RetryPolicy.mayResend(query("SELECT 1"), false, ServerStatus.AUTOCOMMIT, STATE));
    assertTrue(RetryPolicy.mayResend(query("show tables"), false, ServerStatus.AUTOCOMMIT, STATE));
    assertTrue(RetryPolicy.mayResend(execute(1), false, ServerStatus.AUTOCOMMIT, STATE));
    assertTrue(RetryPolicy.mayResend(Buffer.buffer(new byte[] {0x0E}), false, 0, STATE), "COM_PING");
  }

  @Test
  void aWriteIsNeverResentBecauseItMayHaveBeenApplied() {
    assertFalse(RetryPolicy.mayResend(query("UPDATE t SET v = 1"), false, ServerStatus.AUTOCOMMIT, STATE));
    assertFalse(RetryPolicy.mayResend(query("COMMIT"), false, ServerStatus.AUTOCOMMIT, STATE));
    assertFalse(RetryPolicy.mayResend(execute(2), false, ServerStatus.AUTOCOMMIT, STATE));
  }

  @Test
  void nothingIsResentInsideATransactionOrOnceTheAnswerHasStarted() {
    assertFalse(RetryPolicy.mayResend(query("SELECT 1"), false, ServerStatus.IN_TRANS, STATE));
    assertFalse(RetryPolicy.mayResend(query("SELECT 1"), true, ServerStatus.AUTOCOMMIT, STATE));
  }

  @Test
  void onlyStatementsThatCannotCommitMayBeReportedAsRolledBack() {
    assertTrue(RetryPolicy.cannotHaveCommitted(query("UPDATE t SET v = 1"), STATE));
    assertFalse(RetryPolicy.cannotHaveCommitted(query("COMMIT"), STATE));
    assertFalse(RetryPolicy.cannotHaveCommitted(query("BEGIN"), STATE), "BEGIN commits the open transaction");
    assertFalse(RetryPolicy.cannotHaveCommitted(query("CREATE TABLE x (a INT)"), STATE), "DDL commits implicitly");
  }
}
