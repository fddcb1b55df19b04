package dev.tether.proxy.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class SqlTextTest {
  private static Buffer query(String sql) {
    return Buffer.buffer().appendByte((byte) 3).appendString(sql);
  }

  @Test
  void leadingKeywordSkipsSpaceCommentsAndParentheses() {
    assertEquals("SELECT", SqlText.leadingKeyword(query("  /* hint */ -- note\n (select 1)")));
    assertEquals("PREPARE", SqlText.leadingKeyword(query("prepare s from 'select 1'")));
    assertEquals("", SqlText.leadingKeyword(query("   ")));
  }

  @Test
  void silentUserVariableAssignmentsAreSeenOutsideQuotesOnly() {
    assertTrue(SqlText.assignsUserVariableSilently(query("SELECT @x := 5")));
    assertTrue(SqlText.assignsUserVariableSilently(query("SELECT a, b INTO @a, @b FROM t")));
    assertFalse(SqlText.assignsUserVariableSilently(query("SELECT 'a := b', \"into @x\" FROM t")));
    assertFalse(SqlText.assignsUserVariableSilently(query("INSERT INTO t VALUES ('me@example.com')")));
    assertFalse(SqlText.assignsUserVariableSilently(query("SELECT @@session.sql_mode INTO OUTFILE '/tmp/x'")));
    assertFalse(SqlText.assignsUserVariableSilently(query("SELECT point_into FROM t WHERE v = @a")));
  }

  @Test
  void lastInsertIdWithAnArgumentIsSeenButAPlainCallIsNot() {
    assertTrue(SqlText.setsLastInsertId(query("SELECT LAST_INSERT_ID(42)")));
    assertTrue(SqlText.setsLastInsertId(query("update t set id = last_insert_id( id + 1 )")));
    assertFalse(SqlText.setsLastInsertId(query("SELECT LAST_INSERT_ID()")));
    assertFalse(SqlText.setsLastInsertId(query("SELECT LAST_INSERT_ID( )")));
  }

  /** Found by the fuzzer (SessionFuzzTestInputs/sqlText): an unterminated comment ran the scan past the end. */
  @Test
  void anUnterminatedCommentIsNoKeywordAndNoCrash() {
    assertEquals("", SqlText.leadingKeyword(query("/* never closed")));
    assertEquals("", SqlText.leadingKeyword(query("/*")));
  }
}
