package dev.tether.proxy.session;

import dev.tether.proxy.protocol.Keyword;
import dev.tether.proxy.protocol.QueryScan;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The SQL text the proxy decodes: only statements whose effect the server does not report
 * (PREPARE, DEALLOCATE, temporary tables) are decoded, once {@link QueryScan} has read their
 * leading keyword from the bytes. The byte-level facts are {@link QueryScan}'s; the helpers here
 * name them for tests and the fuzzer.
 */
final class SqlText {
  private SqlText() {}

  /** The first word of the query in a COM_QUERY payload (after the command byte), upper case. */
  static String leadingKeyword(Buffer payload) {
    int start = QueryScan.keywordStart(payload);
    return payload.getString(start, QueryScan.keywordEnd(payload, start), "US-ASCII").toUpperCase(Locale.ROOT);
  }

  /** The whole statement text of a COM_QUERY payload. */
  static String statement(Buffer payload) {
    return payload.getString(1, payload.length(), StandardCharsets.UTF_8.name()).trim();
  }

  /**
   * The exact text of the first statement of a COM_QUERY payload: the whole text when it holds one
   * statement, otherwise the bytes before the {@code ;} that really ends the first one (one inside a
   * comment or a literal does not).
   */
  static String firstStatement(Buffer payload, boolean backslashEscapes) {
    SqlLexer lexer = new SqlLexer(payload, backslashEscapes);
    lexer.firstStatement();
    int end = lexer.position();
    if (lexer.restIsEmpty() || end <= 1) {
      return statement(payload);
    }
    return payload.getString(1, end - 1, StandardCharsets.UTF_8.name()).trim();
  }

  /** Whether the query text calls LAST_INSERT_ID with an argument, which sets it silently. */
  static boolean setsLastInsertId(Buffer payload) {
    return (QueryScan.facts(payload, Keyword.OTHER) & QueryScan.SETS_LAST_INSERT_ID) != 0;
  }

  /**
   * Whether a query may assign a user variable in a way the server does not flag as a state change:
   * an assignment operator ({@code @x := ...}) or {@code INTO @x}, outside quotes and comments.
   * Only decides when to read the variables back; their values always come from the server.
   */
  static boolean assignsUserVariableSilently(Buffer payload) {
    return (QueryScan.facts(payload, Keyword.OTHER) & QueryScan.ASSIGNS_USER_VARIABLE) != 0;
  }
}
