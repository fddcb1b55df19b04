package dev.tether.proxy.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionStateChangeTest {

  private static Buffer entry(int type, Buffer data) {
    return Buffer.buffer().appendByte((byte) type).appendByte((byte) data.length()).appendBuffer(data);
  }

  private static Buffer lenenc(String s) {
    return Buffer.buffer().appendByte((byte) s.length()).appendString(s);
  }

  @Test
  void decodesVariablesSchemaStateFlagAndTransactionInfoAsMariaDbSendsThem() {
    Buffer block = Buffer.buffer()
        .appendBuffer(entry(0, lenenc("sql_mode").appendBuffer(lenenc("ANSI_QUOTES"))))
        .appendBuffer(entry(1, lenenc("mysql")))
        .appendBuffer(entry(2, Buffer.buffer("1"))) // the raw flag, no inner length
        .appendBuffer(entry(4, lenenc("SET TRANSACTION READ ONLY;")))
        .appendBuffer(entry(5, lenenc("T_______")));
    List<SessionStateChange> changes = SessionStateChange.decode(block);
    assertEquals(List.of(
        new SessionStateChange(SessionStateChange.Type.SYSTEM_VARIABLE, "sql_mode", "ANSI_QUOTES"),
        new SessionStateChange(SessionStateChange.Type.SCHEMA, null, "mysql"),
        new SessionStateChange(SessionStateChange.Type.STATE_CHANGE, null, "1"),
        new SessionStateChange(SessionStateChange.Type.TRANSACTION_CHARACTERISTICS, null, "SET TRANSACTION READ ONLY;"),
        new SessionStateChange(SessionStateChange.Type.TRANSACTION_STATE, null, "T_______")), changes);
  }
}
