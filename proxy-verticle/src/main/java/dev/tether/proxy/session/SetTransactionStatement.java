package dev.tether.proxy.session;

import dev.tether.proxy.session.SqlLexer.Kind;
import dev.tether.proxy.session.SqlLexer.Token;
import dev.tether.proxy.transaction.TransactionCharacteristics;
import dev.tether.proxy.transaction.TransactionCharacteristics.AccessMode;
import dev.tether.proxy.transaction.TransactionCharacteristics.Isolation;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Reads a one-shot {@code SET TRANSACTION} with the session's SQL lexer, as the server's lexer reads
 * it; the values it yields belong to the transaction package, which replays them.
 * https://mariadb.com/kb/en/set-transaction/
 */
final class SetTransactionStatement {
  private SetTransactionStatement() {}

  /**
   * The characteristics a one-shot {@code SET TRANSACTION} statement sets, or null when the first
   * statement of the query is not one (a scoped SET, another statement, or text this parser does
   * not fully understand, such as an executable comment).
   */
  static TransactionCharacteristics parse(Buffer payload, boolean backslashEscapes) {
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
      if (level.sql().equals(pair) && tokens.get(at + 1).kind() == Kind.WORD) {
        return level;
      }
    }
    return null;
  }

  private static boolean word(SqlLexer lexer, Token token, String keyword) {
    return token.kind() == Kind.WORD && keyword.equals(lexer.text(token));
  }
}
