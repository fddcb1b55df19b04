package dev.tether.proxy.session;

import dev.tether.proxy.session.SqlLexer.Kind;
import dev.tether.proxy.session.SqlLexer.Token;
import java.util.List;

/**
 * The one-shot characteristics {@code SET TRANSACTION ...} (no GLOBAL/SESSION) gives the next
 * transaction, as parsed values. Replay sends {@link #sql()}, which the proxy builds from them:
 * client text is never re-sent, so nothing hidden in a comment or behind a {@code ;} can run again.
 * https://mariadb.com/kb/en/set-transaction/
 */
public record TransactionCharacteristics(Isolation isolation, AccessMode accessMode) {

  public enum Isolation {
    READ_UNCOMMITTED("READ UNCOMMITTED"), READ_COMMITTED("READ COMMITTED"), REPEATABLE_READ("REPEATABLE READ"),
    SERIALIZABLE("SERIALIZABLE");

    final String sql;

    Isolation(String sql) {
      this.sql = sql;
    }
  }

  public enum AccessMode { READ_ONLY, READ_WRITE }

  /**
   * The characteristics a one-shot {@code SET TRANSACTION} statement sets, or null when the first
   * statement of the query is not one (a scoped SET, another statement, or text this parser does
   * not fully understand, such as an executable comment).
   */
  static TransactionCharacteristics parse(io.vertx.core.buffer.Buffer payload, boolean backslashEscapes) {
    SqlLexer lexer = new SqlLexer(payload, backslashEscapes);
    List<Token> tokens = lexer.firstStatement();
    if (lexer.sawExecutableComment() || tokens.size() < 3 || !word(lexer, tokens.get(0), "SET")
        || !word(lexer, tokens.get(1), "TRANSACTION")) {
      return null;
    }
    Isolation isolation = null;
    AccessMode access = null;
    int i = 2;
    while (true) {
      if (i + 2 < tokens.size() && word(lexer, tokens.get(i), "ISOLATION") && word(lexer, tokens.get(i + 1), "LEVEL")) {
        Isolation level = level(lexer, tokens, i + 2);
        if (level == null || isolation != null) {
          return null;
        }
        isolation = level;
        i += level == Isolation.SERIALIZABLE ? 3 : 4;
      } else if (i + 1 < tokens.size() && word(lexer, tokens.get(i), "READ")
          && (word(lexer, tokens.get(i + 1), "ONLY") || word(lexer, tokens.get(i + 1), "WRITE"))) {
        if (access != null) {
          return null;
        }
        access = word(lexer, tokens.get(i + 1), "ONLY") ? AccessMode.READ_ONLY : AccessMode.READ_WRITE;
        i += 2;
      } else {
        return null;
      }
      if (i == tokens.size()) {
        return new TransactionCharacteristics(isolation, access);
      }
      if (!",".equals(lexer.text(tokens.get(i))) || i + 1 == tokens.size()) {
        return null;
      }
      i++;
    }
  }

  private static Isolation level(SqlLexer lexer, List<Token> tokens, int at) {
    if (word(lexer, tokens.get(at), "SERIALIZABLE")) {
      return Isolation.SERIALIZABLE;
    }
    if (at + 1 >= tokens.size()) {
      return null;
    }
    String pair = lexer.text(tokens.get(at)) + " " + lexer.text(tokens.get(at + 1));
    for (Isolation level : Isolation.values()) {
      if (level.sql.equals(pair) && tokens.get(at + 1).kind() == Kind.WORD) {
        return level;
      }
    }
    return null;
  }

  private static boolean word(SqlLexer lexer, Token token, String keyword) {
    return token.kind() == Kind.WORD && keyword.equals(lexer.text(token));
  }

  /** These characteristics with those {@code later} sets replacing them (two SET TRANSACTIONs in a row). */
  TransactionCharacteristics then(TransactionCharacteristics later) {
    return new TransactionCharacteristics(later.isolation != null ? later.isolation : isolation,
        later.accessMode != null ? later.accessMode : accessMode);
  }

  /** The statement replay sends, built from the parsed values only. */
  String sql() {
    StringBuilder sql = new StringBuilder("SET TRANSACTION ");
    if (isolation != null) {
      sql.append("ISOLATION LEVEL ").append(isolation.sql);
    }
    if (accessMode != null) {
      sql.append(isolation != null ? ", " : "").append(accessMode == AccessMode.READ_ONLY ? "READ ONLY" : "READ WRITE");
    }
    return sql.toString();
  }
}
