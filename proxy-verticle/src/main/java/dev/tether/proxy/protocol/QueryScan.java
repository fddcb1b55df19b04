package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * The little the proxy reads of a COM_QUERY's SQL, in one pass over its bytes and without building
 * a String: the leading keyword, and the facts state tracking needs because the server does not
 * report them (a user variable assigned silently, LAST_INSERT_ID set, a SET naming session tracking
 * or a transaction). Quotes and comments hide an assignment; the other facts are plain substring
 * tests, which may say "maybe" too often but never too rarely (a "maybe" costs one read-back).
 */
public final class QueryScan {
  /** An assignment operator ({@code @x := ...}) or {@code INTO @x}, outside quotes and comments. */
  public static final int ASSIGNS_USER_VARIABLE = 1;
  /** LAST_INSERT_ID called with an argument, which sets it silently. */
  public static final int SETS_LAST_INSERT_ID = 1 << 1;
  /** A SET whose text mentions session_track (the client may narrow what the server reports). */
  public static final int MENTIONS_SESSION_TRACK = 1 << 2;
  /** A SET whose text mentions transaction (characteristics for the next transaction). */
  public static final int MENTIONS_TRANSACTION = 1 << 3;

  private static final String LAST_INSERT_ID = "LAST_INSERT_ID";
  private static final String SESSION_TRACK = "session_track";
  private static final String TRANSACTION = "transaction";
  /** Longer leading words are cut here: no keyword the proxy acts on is this long. */
  private static final int KEYWORD_MAX = 16;

  private QueryScan() {}

  /** Where the leading keyword of a COM_QUERY payload starts (after space, comments and parentheses). */
  public static int keywordStart(Buffer payload) {
    return skipSpaceAndComments(payload, 1);
  }

  /** Where the leading keyword that starts at {@code start} ends: letters only, at most 16. */
  public static int keywordEnd(Buffer payload, int start) {
    int i = start;
    while (i < payload.length() && i - start < KEYWORD_MAX && Character.isLetter(payload.getByte(i))) {
      i++;
    }
    return i;
  }

  /** The leading keyword of a COM_QUERY payload. */
  public static Keyword keyword(Buffer payload) {
    int start = keywordStart(payload);
    return Keyword.of(payload, start, keywordEnd(payload, start));
  }

  /**
   * The facts bits of a COM_QUERY payload whose leading keyword is {@code keyword}, from one pass.
   * The two SET facts are looked for only in a SET.
   */
  public static int facts(Buffer payload, Keyword keyword) {
    int n = payload.length();
    boolean set = keyword == Keyword.SET;
    int facts = 0;
    boolean lastInsertIdDecided = false;
    boolean assignDecided = false;
    boolean sawInto = false;
    int aware = 1; // the next byte the quote- and comment-aware part looks at
    for (int i = 1; i < n; i++) {
      if (!lastInsertIdDecided && i + LAST_INSERT_ID.length() < n && matchesUpper(payload, i, LAST_INSERT_ID)) {
        int k = skipSpace(payload, i + LAST_INSERT_ID.length());
        if (k < n && payload.getByte(k) == '(') { // the first call decides
          lastInsertIdDecided = true;
          k = skipSpace(payload, k + 1);
          if (k < n && payload.getByte(k) != ')') {
            facts |= SETS_LAST_INSERT_ID;
          }
        }
      }
      if (set && (facts & MENTIONS_SESSION_TRACK) == 0 && matchesLower(payload, i, SESSION_TRACK)) {
        facts |= MENTIONS_SESSION_TRACK;
      }
      if (set && (facts & MENTIONS_TRANSACTION) == 0 && matchesLower(payload, i, TRANSACTION)) {
        facts |= MENTIONS_TRANSACTION;
      }
      if (assignDecided || i != aware) {
        continue;
      }
      byte b = payload.getByte(i);
      switch (b) {
        case '\'', '"', '`' -> aware = skipQuoted(payload, i, b) + 1;
        case ':' -> {
          if (i + 1 < n && payload.getByte(i + 1) == '=') {
            facts |= ASSIGNS_USER_VARIABLE;
            assignDecided = true;
          }
          aware = i + 1;
        }
        case '@' -> {
          boolean system = i + 1 < n && payload.getByte(i + 1) == '@';
          if (sawInto && !system) {
            facts |= ASSIGNS_USER_VARIABLE;
            assignDecided = true;
          }
          aware = system ? i + 2 : i + 1;
        }
        case 'i', 'I' -> {
          if (matchesLower(payload, i, "into") && !isIdentifierPart(payload.getByte(i - 1))
              && (i + 4 == n || !isIdentifierPart(payload.getByte(i + 4)))) {
            sawInto = true;
          }
          aware = i + 1;
        }
        case '-', '#', '/' -> aware = Math.max(skipSpaceAndComments(payload, i), i + 1);
        default -> aware = i + 1;
      }
    }
    return facts;
  }

  /** Whether {@code payload} holds {@code upperCase} at {@code at}, compared ASCII case-insensitively. */
  static boolean matchesUpper(Buffer payload, int at, String upperCase) {
    if (at + upperCase.length() > payload.length()) {
      return false;
    }
    for (int j = 0; j < upperCase.length(); j++) {
      int b = payload.getByte(at + j);
      if ((b >= 'a' && b <= 'z' ? b - 32 : b) != upperCase.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  private static boolean matchesLower(Buffer payload, int at, String lowerCase) {
    if (at + lowerCase.length() > payload.length()) {
      return false;
    }
    for (int j = 0; j < lowerCase.length(); j++) {
      int b = payload.getByte(at + j);
      if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != lowerCase.charAt(j)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIdentifierPart(byte b) {
    return Character.isLetterOrDigit(b) || b == '_' || b == '$' || b < 0;
  }

  /** The index of the quote that closes the literal opened at {@code open} (past the end if none). */
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
