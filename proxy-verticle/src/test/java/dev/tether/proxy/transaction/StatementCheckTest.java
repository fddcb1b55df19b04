package dev.tether.proxy.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** Which statements refuse a replay, and why, from one scan of their text. */
class StatementCheckTest {

  private static StatementCheck.Verdict check(String sql) {
    return StatementCheck.query(Buffer.buffer().appendByte((byte) 3).appendString(sql), true);
  }

  private static NotReplayable refusal(String sql) {
    return check(sql).refusal();
  }

  @Test
  void plainReadsAndWritesAreReplayable() {
    assertNull(refusal("UPDATE t SET v = v + 1 WHERE id = 3"));
    assertNull(refusal("select * from t where id in (1,2) for update"));
    assertNull(refusal("(SELECT 1) UNION (SELECT 2)"));
    assertNull(refusal("INSERT INTO t (a) VALUES (1); SELECT ROW_COUNT()"));
    assertNull(refusal("SAVEPOINT s1"));
    assertNull(refusal("ROLLBACK TO SAVEPOINT s1"));
    assertNull(refusal("SELECT * FROM t LOCK IN SHARE MODE"));
  }

  @Test
  void nonDeterministicFunctionsRefuseOnlyWhenCalled() {
    assertEquals(NotReplayable.NON_DETERMINISTIC, refusal("UPDATE t SET at = NOW() WHERE id = 1"));
    assertEquals(NotReplayable.NON_DETERMINISTIC, refusal("insert into t values (rand ())"));
    assertEquals(NotReplayable.NON_DETERMINISTIC, refusal("INSERT INTO t VALUES (UUID())"));
    assertEquals(NotReplayable.NON_DETERMINISTIC, refusal("SELECT CONNECTION_ID()"));
    assertEquals(NotReplayable.NON_DETERMINISTIC, refusal("UPDATE t SET at = CURRENT_TIMESTAMP"));
    assertEquals(NotReplayable.NON_DETERMINISTIC, refusal("UPDATE t SET at = SYSDATE()"));
    assertEquals(NotReplayable.NON_DETERMINISTIC, refusal("UPDATE t SET s = UUID_SHORT()"));
    assertEquals(NotReplayable.NON_DETERMINISTIC, refusal("UPDATE t SET s = UNIX_TIMESTAMP()"));
    assertNull(refusal("UPDATE t SET s = UNIX_TIMESTAMP('2024-01-01')"));
    assertNull(refusal("SELECT uuid, now FROM t WHERE uuid = 'NOW()'"), "columns and strings are no calls");
    assertNull(refusal("SELECT `now`() FROM t"), "a quoted identifier is no keyword");
    assertNull(refusal("SELECT 1 /* NOW() */ -- RAND()\n"), "comments are skipped");
    assertEquals(NotReplayable.NON_DETERMINISTIC, refusal("SELECT /*! NOW() */ 1"), "executable comments are code");
  }

  @Test
  void locksWaitsAndOutsideEffectsRefuse() {
    assertEquals(NotReplayable.LOCK_WAIT_OPTION, refusal("SELECT * FROM q FOR UPDATE SKIP LOCKED"));
    assertEquals(NotReplayable.LOCK_WAIT_OPTION, refusal("SELECT * FROM q FOR UPDATE NOWAIT"));
    assertEquals(NotReplayable.LOCK_WAIT_OPTION, refusal("SELECT * FROM q FOR UPDATE WAIT 3"));
    assertEquals(NotReplayable.USER_LOCK, refusal("SELECT GET_LOCK('x', 1)"));
    assertEquals(NotReplayable.USER_LOCK, refusal("DO RELEASE_LOCK('x')"));
    assertEquals(NotReplayable.OUTSIDE_EFFECT, refusal("SELECT NEXTVAL(s)"));
    assertEquals(NotReplayable.OUTSIDE_EFFECT, refusal("INSERT INTO t VALUES (NEXT VALUE FOR s)"));
    assertEquals(NotReplayable.OUTSIDE_EFFECT, refusal("SELECT * FROM t INTO OUTFILE '/tmp/x'"));
    assertEquals(NotReplayable.OUTSIDE_EFFECT, refusal("CALL p()"));
  }

  @Test
  void implicitCommitsAndSessionChangesRefuse() {
    assertEquals(NotReplayable.IMPLICIT_COMMIT, refusal("CREATE TABLE x (a INT)"));
    assertEquals(NotReplayable.IMPLICIT_COMMIT, refusal("ALTER TABLE x ADD b INT"));
    assertEquals(NotReplayable.IMPLICIT_COMMIT, refusal("TRUNCATE x"));
    assertEquals(NotReplayable.IMPLICIT_COMMIT, refusal("LOCK TABLES x WRITE"));
    assertEquals(NotReplayable.IMPLICIT_COMMIT, refusal("START SLAVE"));
    assertEquals(NotReplayable.IMPLICIT_COMMIT, refusal("UPDATE t SET a = 1; COMMIT"), "a boundary inside a multi-statement");
    assertEquals(NotReplayable.SESSION_STATE_CHANGED, refusal("CREATE TEMPORARY TABLE x (a INT)"));
    assertEquals(NotReplayable.SESSION_STATE_CHANGED, refusal("SET @a = 1"));
    assertEquals(NotReplayable.SESSION_STATE_CHANGED, refusal("USE other"));
    assertEquals(NotReplayable.SESSION_STATE_CHANGED, refusal("SELECT @a := a FROM t"));
    assertEquals(NotReplayable.SESSION_STATE_CHANGED, refusal("SELECT a INTO @a FROM t"));
    assertNull(refusal("SELECT @a, @@sql_mode FROM t"), "reading variables changes nothing");
    assertEquals(NotReplayable.LOAD_DATA, refusal("LOAD DATA LOCAL INFILE 'x' INTO TABLE t"));
    assertEquals(NotReplayable.UNSUPPORTED, refusal("EXECUTE stmt"));
    assertEquals(NotReplayable.UNSUPPORTED, refusal("XYZZY"));
  }

  @Test
  void leadingKeywordFramesTheTransaction() {
    assertEquals(StatementCheck.Leading.BEGIN, check("BEGIN").leading());
    assertEquals(StatementCheck.Leading.BEGIN, check(" /* x */ START TRANSACTION READ ONLY, WITH CONSISTENT SNAPSHOT").leading());
    assertNull(refusal("START TRANSACTION WITH CONSISTENT SNAPSHOT"));
    assertEquals(StatementCheck.Leading.COMMIT, check("commit").leading());
    assertEquals(StatementCheck.Leading.ROLLBACK, check("ROLLBACK").leading());
    assertEquals(StatementCheck.Leading.OTHER, check("ROLLBACK WORK TO SAVEPOINT a").leading());
    assertEquals(StatementCheck.Leading.OTHER, check("SELECT 1").leading());
  }

  @Test
  void lastInsertIdIsAllowedAndNoted() {
    StatementCheck.Verdict verdict = check("INSERT INTO child (parent) VALUES (LAST_INSERT_ID())");
    assertNull(verdict.refusal());
    assertTrue(verdict.readsLastInsertId());
    assertFalse(check("SELECT last_insert_id FROM t").readsLastInsertId());
  }

  @Test
  void preparedSqlIsCheckedTheSameWay() {
    assertEquals(NotReplayable.NON_DETERMINISTIC, StatementCheck.sql("UPDATE t SET at = NOW() WHERE id = ?", true).refusal());
    assertNull(StatementCheck.sql("UPDATE t SET v = ? WHERE id = ?", true).refusal());
  }

  @Test
  void backslashEscapesDecideWhereAStringEnds() {
    // with backslash escapes the string runs to the end; without, NOW() is outside it
    String sql = "SELECT 'a\\' , NOW() -- '";
    assertNull(StatementCheck.query(Buffer.buffer().appendByte((byte) 3).appendString(sql), true).refusal());
    assertEquals(NotReplayable.NON_DETERMINISTIC,
        StatementCheck.query(Buffer.buffer().appendByte((byte) 3).appendString(sql), false).refusal());
  }

  @Test
  void aDoubleDashIsACommentOnlyBeforeSpaceOrAControlByteAsTheServerReadsIt() {
    assertNull(refusal("UPDATE t SET v = 1 -- NOW()\n WHERE id = 1"), "a comment hides the call");
    assertNull(refusal("UPDATE t SET v = 1 --\tNOW()\n WHERE id = 1"));
    assertEquals(NotReplayable.NON_DETERMINISTIC, refusal("UPDATE t SET v = 1 --\u00e9, w = NOW() WHERE id = 1"),
        "before a non-ASCII byte the dashes are code: the call after them is read");
    assertEquals(NotReplayable.NON_DETERMINISTIC, refusal("UPDATE t SET v = 1 --1, w = NOW() WHERE id = 1"));
  }
}
