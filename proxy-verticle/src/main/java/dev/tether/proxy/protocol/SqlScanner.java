package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * What lies between the tokens of client SQL, read the way the MariaDB/MySQL lexer reads it, for
 * every scanner of statement text to share: white space, {@code #} and {@code -- } comments,
 * {@code /* *}{@code /} comments skipped, executable comments ({@code /*!}, {@code /*M!}) entered as
 * code, and where a quoted literal ends. A scanner extends this and reads the tokens it cares
 * about from {@link #position}. One instance per scan, confined to the thread that scans.
 */
public abstract class SqlScanner {
  /** The SQL, read from {@link #position} up to {@link #end}. */
  protected final Buffer text;
  protected final int end;
  /** Where the scan stands. */
  protected int position;
  private final boolean backslashEscapes;
  private boolean executableComment;
  private boolean backslashInLiteral;

  /** A scan of {@code text} from {@code start}; {@code backslashEscapes} unless NO_BACKSLASH_ESCAPES. */
  protected SqlScanner(Buffer text, int start, boolean backslashEscapes) {
    this.text = text;
    this.end = text.length();
    this.position = start;
    this.backslashEscapes = backslashEscapes;
  }

  /** Whether the scan entered an executable comment, whose content it read as code. */
  public final boolean sawExecutableComment() {
    return executableComment;
  }

  /** Moves {@link #position} past white space and comments, to the next token or the end. */
  protected final void skipSpaceAndComments() {
    while (position < end) {
      byte b = text.getByte(position);
      if (isSpace(b)) {
        position++;
      } else if (b == '#' || (b == '-' && at(position + 1) == '-' && isSpaceOrControlOrEnd(position + 2))) {
        while (position < end && text.getByte(position) != '\n') {
          position++;
        }
      } else if (b == '/' && at(position + 1) == '*' && (at(position + 2) == '!'
          || (at(position + 2) == 'M' && at(position + 3) == '!'))) {
        executableComment = true; // its content is code: scanned as such, the markers skipped
        position += at(position + 2) == '!' ? 3 : 4;
        while (position < end && Character.isDigit(text.getByte(position))) {
          position++; // the version number
        }
      } else if (b == '/' && at(position + 1) == '*') {
        int close = position + 2;
        while (close + 1 < end && !(text.getByte(close) == '*' && text.getByte(close + 1) == '/')) {
          close++;
        }
        position = Math.min(close + 2, end); // an unterminated comment runs to the end
      } else if (b == '*' && at(position + 1) == '/' && executableComment) {
        position += 2; // the end of an executable comment
      } else {
        return;
      }
    }
  }

  /**
   * The index of the quote that closes the literal opened at {@link #position}; {@link #end} if none.
   * Notes whether a string literal held a backslash ({@link #backslashInLastLiteral}).
   */
  protected final int closingQuote(byte quote) {
    backslashInLiteral = false;
    int i = position + 1;
    while (i < end) {
      byte b = text.getByte(i);
      if (b == '\\' && quote != '`') {
        backslashInLiteral = true;
        i += backslashEscapes ? 2 : 1;
      } else if (b == quote && i + 1 < end && text.getByte(i + 1) == quote) {
        i += 2; // a doubled quote inside the literal
      } else if (b == quote) {
        return i;
      } else {
        i++;
      }
    }
    return end;
  }

  /**
   * Whether the string literal {@link #closingQuote} last read held a backslash: where such a
   * literal ends depends on NO_BACKSLASH_ESCAPES.
   */
  protected final boolean backslashInLastLiteral() {
    return backslashInLiteral;
  }

  /** Whether {@code b} can be part of an unquoted word: ASCII letters and digits, _ and $, or any non-ASCII byte. */
  protected static boolean isWordPart(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_' || b == '$' || b < 0;
  }

  /** The byte at {@code i}, or -1 past the end. */
  protected final int at(int i) {
    return i < end ? text.getByte(i) : -1;
  }

  protected static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0b;
  }

  private boolean isSpaceOrControlOrEnd(int i) {
    return i >= end || (text.getByte(i) >= 0 && text.getByte(i) <= ' ');
  }
}
