package dev.tether.proxy.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class KillStatementTest {

  @Test
  void everyFormTheServerAcceptsIsRecognisedWithItsKindAndId() {
    assertEquals(new KillStatement(false, "", 42), KillStatement.parse("KILL 42"));
    assertEquals(new KillStatement(false, "", 42), KillStatement.parse("kill connection 42"));
    assertEquals(new KillStatement(true, "", 1073741825L), KillStatement.parse("KILL QUERY 1073741825"));
    assertEquals(new KillStatement(true, "HARD", 7), KillStatement.parse("  Kill Hard Query\t7 ;  "));
    assertEquals(new KillStatement(false, "SOFT", 7), KillStatement.parse("KILL SOFT CONNECTION 7"));
    assertEquals(new KillStatement(true, "", 9), KillStatement.parse("/* driver */ KILL /* x */ QUERY # c\n 9 -- end"));
    assertEquals(new KillStatement(false, "", 9), KillStatement.parse("KILL\n9;"));
  }

  @Test
  void whatIsNotAPlainKillOfAnIdGoesToTheServerUnchanged() {
    assertNull(KillStatement.parse("KILL QUERY ID 5"));
    assertNull(KillStatement.parse("KILL USER app"));
    assertNull(KillStatement.parse("KILL CONNECTION_ID()"));
    assertNull(KillStatement.parse("KILL 1+2"));
    assertNull(KillStatement.parse("KILL (5)"));
    assertNull(KillStatement.parse("KILL 5; SELECT 1"));
    assertNull(KillStatement.parse("KILL /*! QUERY */ 5"));
    assertNull(KillStatement.parse("KILL 5 /* unterminated"));
    assertNull(KillStatement.parse("KILL 5x"));
    assertNull(KillStatement.parse("KILL 99999999999"));
    assertNull(KillStatement.parse("KILLQUERY 5"));
    assertNull(KillStatement.parse("KILL --5"));
    assertNull(KillStatement.parse("SELECT 1"));
  }

  @Test
  void queryPayloadsAreRecognisedWithLeadingSpaceAndCommentsAndOthersAreNot() {
    assertEquals(new KillStatement(true, "", 5), KillStatement.parse(query("  KILL QUERY 5")));
    assertEquals(new KillStatement(false, "", 5), KillStatement.parse(query("/* c */ KILL 5")));
    assertEquals(new KillStatement(false, "", 5), KillStatement.parse(query("-- c\nKILL 5")));
    assertNull(KillStatement.parse(query("SELECT 'KILL 5'")));
  }

  private static Buffer query(String sql) {
    return Buffer.buffer().appendByte((byte) 0x03).appendString(sql);
  }

  @Test
  void comProcessKillNamesAConnection() {
    Buffer payload = Buffer.buffer().appendByte((byte) 0x0C).appendIntLE(0x40000005);
    assertEquals(new KillStatement(false, "", 0x40000005L), KillStatement.parse(payload));
  }

  @Test
  void theBackendStatementNamesTheThreadWithTheSameKindAndModifier() {
    Buffer frame = new KillStatement(true, "HARD", 1073741825L).forBackend(17);
    assertEquals("KILL HARD QUERY 17", frame.getString(5, frame.length()));
    frame = new KillStatement(false, "", 1073741825L).forBackend(17);
    assertEquals("KILL CONNECTION 17", frame.getString(5, frame.length()));
  }
}
