package dev.tether.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A client command read once: every command byte, continued frames, and the SQL scan's quoting and comments. */
class CommandViewTest {
  private static final Set<Integer> WITH_ID = Set.of(Command.COM_STMT_EXECUTE, Command.COM_STMT_FETCH,
      Command.COM_STMT_CLOSE, Command.COM_STMT_RESET, Command.COM_STMT_SEND_LONG_DATA);

  private static Buffer query(String sql) {
    return Buffer.buffer().appendByte((byte) Command.COM_QUERY).appendString(sql);
  }

  private static CommandView read(String sql) {
    return CommandView.read(query(sql), true);
  }

  @Test
  void everyCommandByteIsReadWithItsStatementIdWhereItCarriesOne() {
    for (int command = 0; command <= 0xFF; command++) {
      Buffer payload = Buffer.buffer().appendByte((byte) command).appendUnsignedIntLE(0x01020304L)
          .appendByte((byte) 1).appendIntLE(1);
      CommandView view = CommandView.read(payload, true);
      assertEquals(command, view.command());
      assertEquals(WITH_ID.contains(command) ? 0x01020304L : -1, view.statementId(), "command 0x" + command);
      assertEquals(WITH_ID.contains(command), CommandView.carriesStatementId(command));
      assertEquals(command == Command.COM_STMT_EXECUTE, view.cursorRequested());
      assertEquals(Keyword.NONE, view.keyword(), "no letters follow the command byte");
      assertFalse(view.continued());
    }
  }

  @Test
  void aStatementIdCutShortIsNoIdAndAnExecuteWithoutCursorAsksForNone() {
    assertEquals(-1, CommandView.read(Buffer.buffer(new byte[] {0x17, 1, 0}), true).statementId());
    Buffer execute = Buffer.buffer().appendByte((byte) 0x17).appendUnsignedIntLE(7).appendByte((byte) 0).appendIntLE(1);
    assertFalse(CommandView.read(execute, true).cursorRequested());
    assertEquals(-1, CommandView.read(Buffer.buffer(), true).command(), "an empty payload has no command");
  }

  @Test
  void aFirstFrameOfSixteenMebibytesMinusOneIsContinuedAndReadFromItsOwnBytes() {
    Buffer first = query("SELECT @x := 1 /*");
    first.appendBytes(new byte[Packets.MAX_FRAME_PAYLOAD - first.length()]);
    CommandView view = CommandView.read(first, true);
    assertTrue(view.continued());
    assertEquals(Keyword.SELECT, view.keyword());
    assertTrue(view.has(QueryScan.ASSIGNS_USER_VARIABLE));
    assertFalse(CommandView.read(query("SELECT 1"), true).continued());
    Buffer shorter = query("SELECT 1");
    shorter.appendBytes(new byte[Packets.MAX_FRAME_PAYLOAD - 1 - shorter.length()]);
    assertFalse(CommandView.read(shorter, true).continued(), "16 MiB - 2 ends the command");
  }

  @Test
  void theLeadingKeywordSkipsSpaceCommentsAndParenthesesInAnyCase() {
    assertEquals(Keyword.SELECT, read("  /* hint */ -- note\n (select 1)").keyword());
    assertEquals(Keyword.SELECT, read("# line\nSeLeCt 1").keyword());
    assertEquals(Keyword.ROLLBACK, read("rollback").keyword());
    assertEquals(Keyword.OTHER, read("BEGIN").keyword());
    assertEquals(Keyword.OTHER, read("SELECTED").keyword(), "a longer word is not the keyword");
    assertEquals(Keyword.NONE, read("   ").keyword());
    assertEquals(Keyword.NONE, read("/* never closed SELECT").keyword());
    assertEquals(Keyword.NONE, read("--not a comment").keyword(), "-- needs a space to be a comment");
    assertEquals(Keyword.NONE, CommandView.read(Buffer.buffer().appendByte((byte) 3), true).keyword());
  }

  @Test
  void assignmentsCountOutsideQuotesAndCommentsOnly() {
    assertTrue(read("SELECT @x := 5").has(QueryScan.ASSIGNS_USER_VARIABLE));
    assertTrue(read("SELECT a INTO @a FROM t").has(QueryScan.ASSIGNS_USER_VARIABLE));
    assertTrue(read("SELECT 'it''s' , @y:=1").has(QueryScan.ASSIGNS_USER_VARIABLE), "after a doubled quote");
    assertTrue(read("SELECT 'a\\'b', @y:=1").has(QueryScan.ASSIGNS_USER_VARIABLE), "after an escaped quote");
    assertFalse(read("SELECT 'a := b', \"into @x\", `c:=d` FROM t").has(QueryScan.ASSIGNS_USER_VARIABLE));
    assertFalse(read("SELECT 1 /* @x := 2 */").has(QueryScan.ASSIGNS_USER_VARIABLE));
    assertFalse(read("SELECT 1 # @x := 2").has(QueryScan.ASSIGNS_USER_VARIABLE));
    assertFalse(read("SELECT 1 -- @x := 2").has(QueryScan.ASSIGNS_USER_VARIABLE));
    assertTrue(read("SELECT 1 -- @x\n, @y := 2").has(QueryScan.ASSIGNS_USER_VARIABLE), "a line comment ends");
    assertFalse(read("INSERT INTO t VALUES ('me@example.com')").has(QueryScan.ASSIGNS_USER_VARIABLE));
    assertFalse(read("SELECT @@session.sql_mode INTO OUTFILE '/tmp/x'").has(QueryScan.ASSIGNS_USER_VARIABLE));
    assertFalse(read("SELECT point_into FROM t WHERE v = @a").has(QueryScan.ASSIGNS_USER_VARIABLE));
    assertFalse(read("SELECT 'unterminated := ").has(QueryScan.ASSIGNS_USER_VARIABLE));
  }

  @Test
  void executableCommentsAreCodeAndALiteralWithABackslashIsReadBothWays() {
    assertTrue(read("SELECT 1 /*!, @x := 2 */").has(QueryScan.ASSIGNS_USER_VARIABLE), "the server runs /*! ... */");
    assertTrue(read("SELECT 1 /*M!100000 , @x := 2 */").has(QueryScan.ASSIGNS_USER_VARIABLE), "and /*M! ... */");
    assertEquals(Keyword.SET, read("/*!40101 SET @old = @@character_set_client */").keyword());
    assertTrue(read("SELECT 'a\\', @x := 1").has(QueryScan.ASSIGNS_USER_VARIABLE),
        "under NO_BACKSLASH_ESCAPES the literal ends at its second quote");
    assertTrue(read("SELECT 'a\\' , @x := 1 '").has(QueryScan.ASSIGNS_USER_VARIABLE),
        "one reading sees an assignment, the other a literal: it counts");
    assertFalse(read("SELECT 'a\\\\', 'b := c'").has(QueryScan.ASSIGNS_USER_VARIABLE),
        "an escaped backslash: both readings see only literals");
  }

  @Test
  void lastInsertIdIsSetByACallWithAnArgumentAndTheFirstCallDecides() {
    assertTrue(read("SELECT LAST_INSERT_ID(42)").has(QueryScan.SETS_LAST_INSERT_ID));
    assertTrue(read("update t set id = last_insert_id( id + 1 )").has(QueryScan.SETS_LAST_INSERT_ID));
    assertFalse(read("SELECT LAST_INSERT_ID()").has(QueryScan.SETS_LAST_INSERT_ID));
    assertFalse(read("SELECT LAST_INSERT_ID( )").has(QueryScan.SETS_LAST_INSERT_ID));
    assertFalse(read("SELECT LAST_INSERT_ID(), LAST_INSERT_ID(5)").has(QueryScan.SETS_LAST_INSERT_ID));
    assertTrue(read("SELECT last_insert_id_x, LAST_INSERT_ID(5)").has(QueryScan.SETS_LAST_INSERT_ID));
  }

  @Test
  void setFactsAreLookedForInASetOnly() {
    CommandView set = read("SET SESSION session_track_system_variables = ''");
    assertEquals(Keyword.SET, set.keyword());
    assertTrue(set.has(QueryScan.MENTIONS_SESSION_TRACK));
    assertFalse(set.has(QueryScan.MENTIONS_TRANSACTION));
    assertTrue(read("set Transaction read only").has(QueryScan.MENTIONS_TRANSACTION));
    assertFalse(read("SELECT 'transaction', 'session_track'").has(QueryScan.MENTIONS_TRANSACTION));
    assertFalse(read("SELECT 'transaction', 'session_track'").has(QueryScan.MENTIONS_SESSION_TRACK));
  }

  @Test
  void factsAreNotScannedWhenNotAskedFor() {
    CommandView view = CommandView.read(query("SELECT @x := 1"), false);
    assertEquals(Keyword.SELECT, view.keyword());
    assertEquals(0, view.facts());
  }

  @Test
  void diagnosticsAreShowAndGet() {
    assertTrue(read("SHOW WARNINGS").isDiagnostics());
    assertTrue(read("get diagnostics condition 1 @m = MESSAGE_TEXT").isDiagnostics());
    assertFalse(read("SELECT 1").isDiagnostics());
  }

  @Test
  void theExecuteLayoutPlacesTheBoundFlagAfterTheNullBitmap() {
    StmtExecute two = StmtExecute.of(2);
    assertEquals(11, two.boundFlagAt());
    assertEquals(12, two.typesFrom());
    assertEquals(16, two.typesTo());
    assertEquals(10, StmtExecute.of(0).boundFlagAt());
    assertEquals(12, StmtExecute.of(9).boundFlagAt());
    Buffer omitted = Buffer.buffer().appendByte((byte) 0x17).appendUnsignedIntLE(1).appendByte((byte) 0).appendIntLE(1)
        .appendByte((byte) 0).appendByte((byte) 0).appendIntLE(5).appendIntLE(6);
    assertEquals(0, two.boundFlag(omitted));
    assertFalse(two.sendsTypes(omitted));
    byte[] types = {3, 0, 3, 0};
    Buffer frame = two.withTypes(omitted, types);
    Buffer payload = frame.slice(Packets.HEADER_SIZE, frame.length());
    assertEquals(omitted.length() + 4, frame.getUnsignedMediumLE(0));
    assertEquals(1, two.boundFlag(payload));
    assertTrue(two.sendsTypes(payload));
    assertEquals(5, payload.getIntLE(16));
    assertEquals(6, payload.getIntLE(20));
  }

  @Test
  void theOkHeaderReadsRowsInsertIdStatusAndWarnings() {
    Buffer ok = Buffer.buffer().appendByte((byte) 0).appendByte((byte) 3).appendByte((byte) 0xFC).appendShortLE((short) 300)
        .appendShortLE((short) ServerStatus.AUTOCOMMIT).appendShortLE((short) 2);
    OkHeader header = OkHeader.read(ok);
    assertEquals(3, header.affectedRows());
    assertEquals(300, header.lastInsertId());
    assertEquals(ServerStatus.AUTOCOMMIT, header.statusFlags());
    assertEquals(2, header.warnings());
    assertEquals(ServerStatus.AUTOCOMMIT, OkHeader.statusFlags(ok));
  }
}
