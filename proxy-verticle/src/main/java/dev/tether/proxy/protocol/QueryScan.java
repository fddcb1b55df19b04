package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * The little the proxy reads of a COM_QUERY's SQL, without building a String: the leading keyword,
 * and the facts state tracking needs because the server does not report them (a user variable
 * assigned silently, LAST_INSERT_ID set, a SET naming session tracking or a transaction). Quotes
 * and comments hide an assignment, read by the lexer rules of {@link SqlScanner} (an executable
 * comment is code); the other facts are plain substring tests. Every fact may say "maybe" too
 * often but never too rarely (a "maybe" costs one read-back).
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

  /**
   * Where the leading keyword of a COM_QUERY payload starts: after space, comments and
   * parentheses, inside an executable comment ({@code /*!40101 SET ...}), as the server reads it.
   */
  public static int keywordStart(Buffer payload) {
    return new Scan(payload, true).keywordStart();
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
   * The facts bits of a COM_QUERY payload whose leading keyword is {@code keyword}. The two SET
   * facts are looked for only in a SET. Whether a backslash escapes in a string literal depends on
   * the session's sql_mode (NO_BACKSLASH_ESCAPES), which the command does not carry: a literal
   * with a backslash in it is read both ways, and an assignment either way counts.
   */
  public static int facts(Buffer payload, Keyword keyword) {
    int facts = textFacts(payload, keyword == Keyword.SET);
    int assignments = new Scan(payload, true).assignments();
    if ((assignments & ASSIGNS_USER_VARIABLE) == 0 && (assignments & Scan.BACKSLASH_IN_LITERAL) != 0) {
      assignments = new Scan(payload, false).assignments();
    }
    return facts | (assignments & ASSIGNS_USER_VARIABLE);
  }

  /** The facts that are plain substring tests, quotes and comments regardless: one pass. */
  private static int textFacts(Buffer payload, boolean set) {
    int n = payload.length();
    int facts = 0;
    boolean lastInsertIdDecided = false;
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

  private static int skipSpace(Buffer payload, int from) {
    int i = from;
    while (i < payload.length() && Character.isWhitespace(payload.getByte(i))) {
      i++;
    }
    return i;
  }

  /**
   * The two scans that must read quotes and comments as the server does, on the rules of
   * {@link SqlScanner}: where the leading keyword starts, and whether a user variable is assigned.
   */
  private static final class Scan extends SqlScanner {
    /** A string literal held a backslash: where it ends depends on NO_BACKSLASH_ESCAPES. */
    static final int BACKSLASH_IN_LITERAL = 1 << 8;

    Scan(Buffer payload, boolean backslashEscapes) {
      super(payload, 1, backslashEscapes);
    }

    int keywordStart() {
      skipSpaceAndComments();
      while (at(position) == '(') {
        position++;
        skipSpaceAndComments();
      }
      return position;
    }

    /** {@link #ASSIGNS_USER_VARIABLE} for {@code @x := ...} or {@code INTO @x}, with {@link #BACKSLASH_IN_LITERAL}. */
    int assignments() {
      int found = 0;
      boolean sawInto = false;
      while (true) {
        skipSpaceAndComments();
        if (position >= end) {
          return found;
        }
        byte b = text.getByte(position);
        if (b == '\'' || b == '"' || b == '`') {
          position = closingQuote(b) + 1;
          if (backslashInLastLiteral()) {
            found |= BACKSLASH_IN_LITERAL;
          }
        } else if (b == ':' && at(position + 1) == '=') {
          return found | ASSIGNS_USER_VARIABLE;
        } else if (b == '@') {
          boolean system = at(position + 1) == '@';
          if (sawInto && !system) {
            return found | ASSIGNS_USER_VARIABLE;
          }
          position += system ? 2 : 1;
        } else if (isWordPart(b)) {
          int start = position;
          while (position < end && isWordPart(text.getByte(position))) {
            position++;
          }
          sawInto |= position - start == 4 && matchesLower(text, start, "into");
        } else {
          position++;
        }
      }
    }

  }
}
