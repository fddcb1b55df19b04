package dev.tether.proxy.session;

import dev.tether.proxy.protocol.Command;
import dev.tether.proxy.protocol.PayloadWriter;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * A client's {@code KILL [HARD|SOFT] [CONNECTION|QUERY] n} (COM_QUERY text, the id a decimal
 * literal) or COM_PROCESS_KILL, parsed exactly: keywords in any case, whitespace and comments
 * ({@code /* *}{@code /}, {@code # ...}, {@code -- ...}) where the server allows them, one optional
 * trailing {@code ;}. Anything else is not recognised and goes to the server as the client wrote
 * it: {@code KILL QUERY ID} (a query id), {@code KILL USER}, an expression, executable comments
 * ({@code /*!}), several statements.
 *
 * @see <a href="https://mariadb.com/kb/en/kill/">KILL</a>
 */
public record KillStatement(boolean queryOnly, String modifier, long id) {

  /** The statement or command the client sent, or null when it is not a KILL this class recognises. */
  public static KillStatement parse(Buffer payload) {
    if (payload.length() == 5 && payload.getUnsignedByte(0) == Command.COM_PROCESS_KILL) {
      return new KillStatement(false, "", payload.getUnsignedIntLE(1));
    }
    if (payload.length() < 6 || payload.length() > 512 || payload.getUnsignedByte(0) != Command.COM_QUERY
        || !mayStartKill(payload)) {
      return null;
    }
    return parse(payload.getString(1, payload.length(), StandardCharsets.UTF_8.name()));
  }

  /** Cheap test on the bytes, so other statements cost no allocation: a K first, or a comment. */
  private static boolean mayStartKill(Buffer payload) {
    int at = 1;
    while (at < payload.length() && Character.isWhitespace(payload.getUnsignedByte(at))) {
      at++;
    }
    int first = at < payload.length() ? payload.getUnsignedByte(at) : 0;
    return first == 'K' || first == 'k' || first == '/' || first == '#' || first == '-';
  }

  static KillStatement parse(String sql) {
    Scanner s = new Scanner(sql);
    if (!"KILL".equals(s.word())) {
      return null;
    }
    String word = s.word();
    String modifier = "";
    if ("HARD".equals(word) || "SOFT".equals(word)) {
      modifier = word;
      word = s.word();
    }
    boolean query = false;
    if ("QUERY".equals(word)) {
      query = true;
      word = s.word();
    } else if ("CONNECTION".equals(word)) {
      word = s.word();
    }
    if (word != null) {
      return null; // QUERY ID, USER, or a word where the id should be
    }
    long id = s.number();
    if (id < 0 || !s.atEnd()) {
      return null;
    }
    return new KillStatement(query, modifier, id);
  }

  /** The same statement naming the server thread {@code backendThread} instead: SQL built from parsed values. */
  public Buffer forBackend(long backendThread) {
    String sql = "KILL " + (modifier.isEmpty() ? "" : modifier + " ") + (queryOnly ? "QUERY " : "CONNECTION ") + backendThread;
    return new PayloadWriter().int1(Command.COM_QUERY).bytes(sql.getBytes(StandardCharsets.US_ASCII)).toPacket(0);
  }

  /** Tokens of the statement, skipping whitespace and comments; null from {@link #word} when no word is next. */
  private static final class Scanner {
    private final String sql;
    private int at;
    private boolean bad;

    Scanner(String sql) {
      this.sql = sql;
    }

    String word() {
      skip();
      int start = at;
      while (at < sql.length() && Character.isLetter(sql.charAt(at))) {
        at++;
      }
      if (at > start && at < sql.length() && (Character.isDigit(sql.charAt(at)) || sql.charAt(at) == '_' || sql.charAt(at) == '$')) {
        bad = true; // an identifier such as CONNECTION_ID: not a keyword
      }
      return at == start ? null : sql.substring(start, at).toUpperCase(java.util.Locale.ROOT);
    }

    long number() {
      skip();
      int start = at;
      long value = 0;
      while (at < sql.length() && sql.charAt(at) >= '0' && sql.charAt(at) <= '9') {
        value = value * 10 + (sql.charAt(at++) - '0');
        if (value > 0xFFFF_FFFFL) {
          return -1;
        }
      }
      if (at == start || bad || (at < sql.length() && Character.isLetterOrDigit(sql.charAt(at)))) {
        return -1;
      }
      return value;
    }

    boolean atEnd() {
      skip();
      if (at < sql.length() && sql.charAt(at) == ';') {
        at++;
        skip();
      }
      return !bad && at == sql.length();
    }

    private void skip() {
      while (at < sql.length()) {
        char c = sql.charAt(at);
        if (Character.isWhitespace(c)) {
          at++;
        } else if (c == '#') {
          toLineEnd();
        } else if (sql.startsWith("--", at) && (at + 2 == sql.length() || Character.isWhitespace(sql.charAt(at + 2))
            || Character.isISOControl(sql.charAt(at + 2)))) {
          toLineEnd();
        } else if (sql.startsWith("/*", at)) {
          if (sql.startsWith("/*!", at) || sql.startsWith("/*M!", at)) {
            bad = true; // executable comment: the server runs what is inside
            at = sql.length();
            return;
          }
          int end = sql.indexOf("*/", at + 2);
          if (end < 0) {
            bad = true;
            at = sql.length();
            return;
          }
          at = end + 2;
        } else {
          return;
        }
      }
    }

    private void toLineEnd() {
      while (at < sql.length() && sql.charAt(at) != '\n') {
        at++;
      }
    }
  }
}
