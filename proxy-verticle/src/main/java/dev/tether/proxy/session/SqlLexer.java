package dev.tether.proxy.session;

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
final class SqlLexer {
  /** One token: kind, and where its bytes are in the payload. */
  record Token(Kind kind, int start, int end) {}

  enum Kind { WORD, STRING, QUOTED_IDENTIFIER, NUMBER, PUNCTUATION, SEMICOLON }

  private final Buffer payload;
  private final boolean backslashEscapes;
  private int position;
  private boolean executableComment;

  /** A lexer over a COM_QUERY payload (the command byte is skipped). */
  SqlLexer(Buffer payload, boolean backslashEscapes) {
    this.payload = payload;
    this.backslashEscapes = backslashEscapes;
    this.position = payload.length() > 0 ? 1 : 0;
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

  boolean sawExecutableComment() {
    return executableComment;
  }

  /** Where the lexer stands: after {@link #firstStatement()}, just past the terminating {@code ;}. */
  int position() {
    return position;
  }

  /** The token's text, upper case for words. */
  String text(Token token) {
    String s = payload.getString(token.start(), token.end(), "UTF-8");
    return token.kind() == Kind.WORD ? s.toUpperCase(Locale.ROOT) : s;
  }

  /** The next token, or null at the end of the text. */
  Token next() {
    skipSpaceAndComments();
    int n = payload.length();
    if (position >= n) {
      return null;
    }
    int start = position;
    byte b = payload.getByte(position);
    if (b == ';') {
      position++;
      return new Token(Kind.SEMICOLON, start, position);
    }
    if (b == '\'' || b == '"' || b == '`') {
      position = closingQuote(b) + 1;
      return new Token(b == '`' ? Kind.QUOTED_IDENTIFIER : Kind.STRING, start, Math.min(position, n));
    }
    if (isWordPart(b)) {
      boolean digits = true;
      while (position < n && isWordPart(payload.getByte(position))) {
        digits &= Character.isDigit(payload.getByte(position));
        position++;
      }
      return new Token(digits ? Kind.NUMBER : Kind.WORD, start, position);
    }
    position++;
    return new Token(Kind.PUNCTUATION, start, position);
  }

  private int closingQuote(byte quote) {
    int n = payload.length();
    int i = position + 1;
    while (i < n) {
      byte b = payload.getByte(i);
      if (b == '\\' && quote != '`' && backslashEscapes) {
        i += 2;
      } else if (b == quote && i + 1 < n && payload.getByte(i + 1) == quote) {
        i += 2; // a doubled quote inside the literal
      } else if (b == quote) {
        return i;
      } else {
        i++;
      }
    }
    return n; // unterminated: runs to the end
  }

  private void skipSpaceAndComments() {
    int n = payload.length();
    while (position < n) {
      byte b = payload.getByte(position);
      if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0b) {
        position++;
      } else if (b == '#' || (b == '-' && at(position + 1) == '-' && isSpaceOrControlOrEnd(position + 2))) {
        while (position < n && payload.getByte(position) != '\n') {
          position++;
        }
      } else if (b == '/' && at(position + 1) == '*' && (at(position + 2) == '!'
          || (at(position + 2) == 'M' && at(position + 3) == '!'))) {
        executableComment = true; // its content is code: lexed as such, the markers skipped
        position += at(position + 2) == '!' ? 3 : 4;
        while (position < n && Character.isDigit(payload.getByte(position))) {
          position++;
        }
      } else if (b == '/' && at(position + 1) == '*') {
        int end = position + 2;
        while (end + 1 < n && !(payload.getByte(end) == '*' && payload.getByte(end + 1) == '/')) {
          end++;
        }
        position = Math.min(end + 2, n);
      } else if (b == '*' && at(position + 1) == '/' && executableComment) {
        position += 2; // the end of an executable comment
      } else {
        return;
      }
    }
  }

  private int at(int i) {
    return i < payload.length() ? payload.getByte(i) : -1;
  }

  private boolean isSpaceOrControlOrEnd(int i) {
    return i >= payload.length() || (payload.getByte(i) >= 0 && payload.getByte(i) <= ' ');
  }

  private static boolean isWordPart(byte b) {
    return Character.isLetterOrDigit(b) || b == '_' || b == '$' || b == '@' || b < 0;
  }
}
