package dev.tether.proxy.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tether.proxy.transaction.TransactionCharacteristics;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** SET TRANSACTION is read as the server's lexer reads it, and replayed as SQL built from the parsed values. */
class SetTransactionStatementTest {
  private static TransactionCharacteristics parse(String sql) {
    return SetTransactionStatement.parse(Buffer.buffer().appendByte((byte) 3).appendString(sql), true);
  }

  @Test
  void aHashCommentHidesTheRestOfTheLine() {
    assertEquals("SET TRANSACTION ISOLATION LEVEL READ COMMITTED",
        parse("SET TRANSACTION ISOLATION LEVEL READ COMMITTED #;SET @injected:=42").sql());
  }

  @Test
  void aBlockCommentWithSemicolonsIsSkipped() {
    assertEquals("SET TRANSACTION READ ONLY", parse("SET TRANSACTION READ ONLY /* app='shop';DO SLEEP(2);x='y' */").sql());
    assertEquals("SET TRANSACTION READ ONLY", parse("/* tag; */ set -- x;\n transaction read only;").sql());
  }

  @Test
  void bothCharacteristicsInEitherOrder() {
    assertEquals("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE",
        parse("SET TRANSACTION READ WRITE, ISOLATION LEVEL SERIALIZABLE").sql());
  }

  @Test
  void aLaterSetTransactionKeepsWhatItDoesNotName() {
    TransactionCharacteristics first = parse("SET TRANSACTION READ ONLY");
    assertEquals("SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED, READ ONLY",
        first.then(parse("SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED")).sql());
  }

  @Test
  void scopedOrUnknownOrExecutableCommentTextIsNotLearnedAsOneShot() {
    assertNull(parse("SET SESSION TRANSACTION READ ONLY"));
    assertNull(parse("SET TRANSACTION READ ONLY, DO SLEEP(2)"));
    assertNull(parse("SET TRANSACTION /*!READ ONLY*/"));
    assertNull(parse("SET TRANSACTION ISOLATION LEVEL READ"));
    assertNull(parse("SET TRANSACTION"));
  }

  @Test
  void firstStatementStopsAtTheRealSemicolonOnly() {
    Buffer payload = Buffer.buffer().appendByte((byte) 3).appendString("PREPARE s FROM 'a;b' /* ; */; INSERT INTO t VALUES (1)");
    assertEquals("PREPARE s FROM 'a;b' /* ; */", SqlText.firstStatement(payload, true));
    Buffer single = Buffer.buffer().appendByte((byte) 3).appendString("PREPARE s FROM 'it\\'s;' ;");
    assertEquals("PREPARE s FROM 'it\\'s;' ;", SqlText.firstStatement(single, true));
  }
}
