package dev.tether.proxy.session;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The little the proxy reads of SQL text: the leading keyword of a COM_QUERY, read from its bytes
 * without decoding the whole statement. Only statements whose effect the server does not report
 * (PREPARE, DEALLOCATE, temporary tables) are decoded further.
 */
final class SqlText {
  private SqlText() {}

  /** The first keyword of the query in a COM_QUERY payload (after the command byte), upper case. */
  static String leadingKeyword(Buffer payload) {
    int i = skipSpaceAndComments(payload, 1);
    int start = i;
    while (i < payload.length() && i - start < 16 && Character.isLetter(payload.getByte(i))) {
      i++;
    }
    return payload.getString(start, i, "US-ASCII").toUpperCase(Locale.ROOT);
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
    String needle = "LAST_INSERT_ID";
    outer:
    for (int i = 1; i + needle.length() < payload.length(); i++) {
      for (int j = 0; j < needle.length(); j++) {
        if (Character.toUpperCase(payload.getByte(i + j)) != needle.charAt(j)) {
          continue outer;
        }
      }
      int k = skipSpace(payload, i + needle.length());
      if (k < payload.length() && payload.getByte(k) == '(') {
        k = skipSpace(payload, k + 1);
        return k < payload.length() && payload.getByte(k) != ')';
      }
    }
    return false;
  }

  /**
   * Whether a query may assign a user variable in a way the server does not flag as a state change:
   * an assignment operator ({@code @x := ...}) or {@code INTO @x}, outside quotes and comments.
   * Only decides when to read the variables back; their values always come from the server.
   */
  static boolean assignsUserVariableSilently(Buffer payload) {
    int n = payload.length();
    boolean sawInto = false;
    for (int i = 1; i < n; i++) {
      byte b = payload.getByte(i);
      switch (b) {
        case '\'', '"', '`' -> i = skipQuoted(payload, i, b);
        case ':' -> {
          if (i + 1 < n && payload.getByte(i + 1) == '=') {
            return true;
          }
        }
        case '@' -> {
          boolean system = i + 1 < n && payload.getByte(i + 1) == '@';
          if (sawInto && !system) {
            return true;
          }
          if (system) {
            i++;
          }
        }
        case 'i', 'I' -> {
          if (i + 4 <= n && payload.getString(i, i + 4, "US-ASCII").equalsIgnoreCase("into")
              && !isIdentifierPart(payload.getByte(i - 1))
              && (i + 4 == n || !isIdentifierPart(payload.getByte(i + 4)))) {
            sawInto = true;
          }
        }
        case '-', '#', '/' -> {
          int end = skipSpaceAndComments(payload, i);
          if (end > i) {
            i = end - 1;
          }
        }
        default -> { }
      }
    }
    return false;
  }

  private static boolean isIdentifierPart(byte b) {
    return Character.isLetterOrDigit(b) || b == '_' || b == '$' || b < 0;
  }

  private static int skipQuoted(Buffer payload, int open, byte quote) {
    int i = open + 1;
    while (i < payload.length()) {
      byte b = payload.getByte(i);
      if (b == '\\' && quote != '`') {
        i += 2;
        continue;
      }
      if (b == quote) {
        if (i + 1 < payload.length() && payload.getByte(i + 1) == quote) {
          i += 2; // doubled quote inside the literal
          continue;
        }
        return i;
      }
      i++;
    }
    return i;
  }

  /** Whether a query mentions the given lower-case word anywhere (an ASCII, case-insensitive scan). */
  static boolean mentions(Buffer payload, String lowerCaseWord) {
    outer:
    for (int i = 1; i + lowerCaseWord.length() <= payload.length(); i++) {
      for (int j = 0; j < lowerCaseWord.length(); j++) {
        if (Character.toLowerCase(payload.getByte(i + j)) != lowerCaseWord.charAt(j)) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static int skipSpace(Buffer payload, int from) {
    int i = from;
    while (i < payload.length() && Character.isWhitespace(payload.getByte(i))) {
      i++;
    }
    return i;
  }

  private static int skipSpaceAndComments(Buffer payload, int from) {
    int i = from;
    int n = payload.length();
    while (i < n) {
      byte b = payload.getByte(i);
      if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '(') {
        i++;
      } else if (b == '/' && i + 1 < n && payload.getByte(i + 1) == '*') {
        int end = i + 2;
        while (end + 1 < n && !(payload.getByte(end) == '*' && payload.getByte(end + 1) == '/')) {
          end++;
        }
        i = Math.min(end + 2, n); // an unterminated comment runs to the end
      } else if ((b == '#') || (b == '-' && i + 2 < n && payload.getByte(i + 1) == '-' && payload.getByte(i + 2) == ' ')) {
        while (i < n && payload.getByte(i) != '\n') {
          i++;
        }
      } else {
        break;
      }
    }
    return i;
  }
}
