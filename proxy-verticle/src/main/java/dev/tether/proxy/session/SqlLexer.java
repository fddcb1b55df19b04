package dev.tether.proxy.session;

import dev.tether.proxy.protocol.SqlScanner;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits the SQL of a COM_QUERY into tokens as the MariaDB/MySQL lexer would: comments
 * ({@code #}, {@code -- }, {@code /* *}{@code /}) are skipped, quoted strings and identifiers are one
 * token each, and a {@code ;} outside them ends a statement. The proxy never re-sends client text it
 * cut itself; this tells it where the first statement really ends and what its words are, so state
 * replay can send SQL it builds from parsed values. Executable comments ({@code /*!}, {@code /*M!})
 * are reported as {@link #sawExecutableComment()}: their content is code, and callers that must not
 * guess refuse such text.
 */
final class SqlLexer extends SqlScanner {
  /** One token: kind, and where its bytes are in the payload. */
  record Token(Kind kind, int start, int end) {}

  enum Kind { WORD, STRING, QUOTED_IDENTIFIER, NUMBER, PUNCTUATION, SEMICOLON }

  /** A lexer over a COM_QUERY payload (the command byte is skipped). */
  SqlLexer(Buffer payload, boolean backslashEscapes) {
    super(payload, payload.length() > 0 ? 1 : 0, backslashEscapes);
  }

  /** The tokens of the first statement, up to (not including) its terminating {@code ;}. */
  List<Token> firstStatement() {
    List<Token> tokens = new ArrayList<>();
    for (Token t = next(); t != null && t.kind() != Kind.SEMICOLON; t = next()) {
      tokens.add(t);
    }
    return tokens;
  }

  /** True when, after the first statement's {@code ;}, only whitespace and comments follow. */
  boolean restIsEmpty() {
    return next() == null;
  }

  /** Where the lexer stands: after {@link #firstStatement()}, just past the terminating {@code ;}. */
  int position() {
    return position;
  }

  /** The token's text, upper case for words. */
  String text(Token token) {
    String s = text.getString(token.start(), token.end(), "UTF-8");
    return token.kind() == Kind.WORD ? s.toUpperCase(Locale.ROOT) : s;
  }

  /** The next token, or null at the end of the text. */
  Token next() {
    skipSpaceAndComments();
    if (position >= end) {
      return null;
    }
    int start = position;
    byte b = text.getByte(position);
    if (b == ';') {
      position++;
      return new Token(Kind.SEMICOLON, start, position);
    }
    if (b == '\'' || b == '"' || b == '`') {
      position = closingQuote(b) + 1;
      return new Token(b == '`' ? Kind.QUOTED_IDENTIFIER : Kind.STRING, start, Math.min(position, end));
    }
    if (isTokenPart(b)) {
      boolean digits = true;
      while (position < end && isTokenPart(text.getByte(position))) {
        digits &= Character.isDigit(text.getByte(position));
        position++;
      }
      return new Token(digits ? Kind.NUMBER : Kind.WORD, start, position);
    }
    position++;
    return new Token(Kind.PUNCTUATION, start, position);
  }

  /** A word's byte, or @ (a user variable's name is one token with it). */
  private static boolean isTokenPart(byte b) {
    return isWordPart(b) || b == '@';
  }
}
