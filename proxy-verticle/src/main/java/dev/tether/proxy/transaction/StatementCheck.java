package dev.tether.proxy.transaction;

import dev.tether.proxy.protocol.Command;
import dev.tether.proxy.protocol.SqlScanner;
import io.vertx.core.buffer.Buffer;

/**
 * Whether a statement recorded in a transaction can be replayed faithfully, from one scan of its
 * text that allocates nothing but the verdict: comments are skipped (the code of executable
 * comments is read), quoted strings and identifiers too, so a column named {@code `now`} or a
 * string 'RAND()' is no function call.
 *
 * <p>The rule, in order of preference:
 * <ol>
 *   <li><b>The digest, where it is sound.</b> What a statement returned to the client is checked on
 *   replay byte for byte, so a value that differs shows up by itself: {@code SELECT NOW()} or an
 *   auto-increment id taken by another session would mismatch, and need no keyword.</li>
 *   <li><b>The keyword, where the digest cannot see.</b> {@code UPDATE t SET at = NOW()} returns
 *   "1 row affected" on both runs with different data written; so do RAND(), UUID(),
 *   CONNECTION_ID(), SYSDATE() and the other clocks. SKIP LOCKED / NOWAIT / WAIT depend on other
 *   sessions' locks at that instant; GET_LOCK and sequences live outside the transaction; an
 *   implicit commit made part of the work durable already; LOAD DATA's input was not recorded;
 *   statements that change session state would apply twice on a session already rebuilt with
 *   their effect. Any of these refuses the transaction, with its reason.</li>
 *   <li><b>Only known statement kinds.</b> The leading keyword must be one replay knows
 *   (SELECT, INSERT, UPDATE, DELETE, REPLACE, WITH, VALUES, TABLE, DO, SHOW, DESCRIBE, EXPLAIN,
 *   SAVEPOINT, RELEASE, ROLLBACK TO, and the BEGIN / COMMIT / ROLLBACK that frame the transaction);
 *   anything else refuses it.</li>
 * </ol>
 * LAST_INSERT_ID() is allowed: replay sets the value the session had when the transaction began,
 * and every statement after that is replayed. The rule cannot see inside stored functions and
 * triggers; their visible results are still digested. @see <a href="https://mariadb.com/kb/en/sql-statements-that-cause-an-implicit-commit/">implicit commits</a>
 */
public final class StatementCheck extends SqlScanner {
  /** What frames the transaction: the first statement's leading keyword, as far as replay cares. */
  public enum Leading { BEGIN, COMMIT, ROLLBACK, OTHER }

  /** The verdict: what the first statement is, why replay must refuse (null: it need not), LAST_INSERT_ID read. */
  public record Verdict(Leading leading, NotReplayable refusal, boolean readsLastInsertId) {}

  private final byte[] word = new byte[24];

  private StatementCheck(Buffer text, int start, boolean backslashEscapes) {
    super(text, start, backslashEscapes);
  }

  /** Checks the SQL of a COM_QUERY payload (the command byte is skipped). */
  public static Verdict query(Buffer payload, boolean backslashEscapes) {
    return new StatementCheck(payload, 1, backslashEscapes).scan();
  }

  /** Checks the SQL text of a prepared statement. */
  public static Verdict sql(String sql, boolean backslashEscapes) {
    return new StatementCheck(Buffer.buffer(sql), 0, backslashEscapes).scan();
  }

  private Verdict scan() {
    Leading leading = null;
    NotReplayable refusal = null;
    boolean lastInsertId = false;
    int statement = 0;
    int wordInStatement = 0;
    Keyword firstWord = null;
    Keyword previous = null;
    boolean rollbackTo = false;
    while (true) {
      int kind = nextToken();
      if (kind == END || kind == SEMICOLON) {
        Leading thisOne = leadingOf(firstWord, rollbackTo);
        if (statement == 0) {
          leading = thisOne;
        } else if (thisOne != Leading.OTHER && firstWord != null) {
          refusal = first(refusal, NotReplayable.IMPLICIT_COMMIT); // a transaction boundary inside a multi-statement
        }
        if (kind == END) {
          return new Verdict(leading == null ? Leading.OTHER : leading, refusal, lastInsertId);
        }
        statement++;
        wordInStatement = 0;
        firstWord = null;
        previous = null;
        rollbackTo = false;
        continue;
      }
      if (kind == ASSIGNMENT || kind == USER_VARIABLE_AFTER_INTO) {
        refusal = first(refusal, NotReplayable.SESSION_STATE_CHANGED);
        continue;
      }
      if (kind != WORD) {
        continue;
      }
      Keyword keyword = Keyword.find(word, wordLength);
      if (wordInStatement++ == 0) {
        firstWord = keyword;
        refusal = first(refusal, leadingRefusal(keyword));
      } else if (wordInStatement == 2) {
        refusal = first(refusal, secondWordRefusal(firstWord, keyword));
      }
      if (keyword != null) {
        if (firstWord == Keyword.ROLLBACK && keyword == Keyword.TO) {
          rollbackTo = true;
        }
        if (keyword == Keyword.LAST_INSERT_ID && callFollows()) {
          lastInsertId = true;
        }
        refusal = first(refusal, bodyRefusal(keyword, previous));
      }
      previous = keyword;
      lastWasInto = keyword == Keyword.INTO;
    }
  }

  private static NotReplayable first(NotReplayable kept, NotReplayable next) {
    return kept != null ? kept : next;
  }

  private static Leading leadingOf(Keyword first, boolean rollbackTo) {
    if (first == null) {
      return Leading.OTHER;
    }
    return switch (first) {
      case BEGIN, START -> Leading.BEGIN;
      case COMMIT -> Leading.COMMIT;
      case ROLLBACK -> rollbackTo ? Leading.OTHER : Leading.ROLLBACK;
      default -> Leading.OTHER;
    };
  }

  /** The statement kind, by its first word: known kinds pass, the others refuse with their reason. */
  private static NotReplayable leadingRefusal(Keyword first) {
    if (first == null) {
      return NotReplayable.UNSUPPORTED;
    }
    return switch (first) {
      case SELECT, INSERT, UPDATE, DELETE, REPLACE, WITH, VALUES, TABLE, DO, SHOW, DESCRIBE, DESC, EXPLAIN,
           SAVEPOINT, RELEASE, ROLLBACK, BEGIN, START, COMMIT -> null;
      case ALTER, RENAME, TRUNCATE, GRANT, REVOKE, LOCK, UNLOCK, ANALYZE, OPTIMIZE, REPAIR, CHECK, FLUSH, RESET,
           CACHE, INSTALL, UNINSTALL, CHANGE, STOP, PURGE, XA -> NotReplayable.IMPLICIT_COMMIT;
      case CREATE, DROP -> null; // decided by the second word: TEMPORARY or not
      case LOAD -> NotReplayable.LOAD_DATA;
      case SET, USE, PREPARE, DEALLOCATE, HANDLER -> NotReplayable.SESSION_STATE_CHANGED;
      case CALL -> NotReplayable.OUTSIDE_EFFECT;
      default -> NotReplayable.UNSUPPORTED;
    };
  }

  /** START SLAVE is no BEGIN; CREATE / DROP TEMPORARY TABLE changes session state without committing. */
  private static NotReplayable secondWordRefusal(Keyword first, Keyword second) {
    if (first == Keyword.START && second != Keyword.TRANSACTION) {
      return NotReplayable.IMPLICIT_COMMIT;
    }
    if (first == Keyword.CREATE || first == Keyword.DROP) {
      return second == Keyword.TEMPORARY ? NotReplayable.SESSION_STATE_CHANGED : NotReplayable.IMPLICIT_COMMIT;
    }
    return null;
  }

  /** Words anywhere in the statement that refuse it. */
  private NotReplayable bodyRefusal(Keyword keyword, Keyword previous) {
    return switch (keyword) {
      case NOW, SYSDATE, CURDATE, CURTIME, UTC_DATE, UTC_TIME, UTC_TIMESTAMP, RAND, UUID, UUID_SHORT, SYS_GUID,
           CONNECTION_ID, LOAD_FILE -> callFollows() ? NotReplayable.NON_DETERMINISTIC : null;
      case UNIX_TIMESTAMP -> emptyCallFollows() ? NotReplayable.NON_DETERMINISTIC : null;
      case CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_TIME, LOCALTIME, LOCALTIMESTAMP -> NotReplayable.NON_DETERMINISTIC;
      case GET_LOCK, RELEASE_LOCK, RELEASE_ALL_LOCKS, IS_FREE_LOCK, IS_USED_LOCK ->
          callFollows() ? NotReplayable.USER_LOCK : null;
      case NEXTVAL, LASTVAL, SETVAL -> callFollows() ? NotReplayable.OUTSIDE_EFFECT : null;
      case NOWAIT -> NotReplayable.LOCK_WAIT_OPTION;
      case LOCKED -> previous == Keyword.SKIP ? NotReplayable.LOCK_WAIT_OPTION : null;
      case WAIT -> previous == Keyword.UPDATE || previous == Keyword.MODE ? NotReplayable.LOCK_WAIT_OPTION : null;
      case VALUE -> previous == Keyword.NEXT || previous == Keyword.PREVIOUS ? NotReplayable.OUTSIDE_EFFECT : null;
      case OUTFILE, DUMPFILE -> NotReplayable.OUTSIDE_EFFECT;
      default -> null;
    };
  }

  // ---- the lexer: tokens are reported by kind; a word's upper-case bytes are in `word`

  private static final int END = 0;
  private static final int WORD = 1;
  private static final int SEMICOLON = 2;
  private static final int OTHER = 3;
  /** {@code :=} outside quotes: assigns a user variable the server may not report. */
  private static final int ASSIGNMENT = 4;
  /** {@code INTO @x}: assigns a user variable silently. */
  private static final int USER_VARIABLE_AFTER_INTO = 5;

  private int wordLength;
  private boolean lastWasInto;

  private int nextToken() {
    skipSpaceAndComments();
    if (position >= end) {
      return END;
    }
    byte b = text.getByte(position);
    if (b == ';') {
      position++;
      return SEMICOLON;
    }
    if (b == '\'' || b == '"' || b == '`') {
      position = closingQuote(b) + 1;
      return OTHER;
    }
    if (b == ':' && at(position + 1) == '=') {
      position += 2;
      return ASSIGNMENT;
    }
    if (b == '@') {
      boolean system = at(position + 1) == '@';
      position += system ? 2 : 1;
      if (!system && lastWasInto) {
        return USER_VARIABLE_AFTER_INTO;
      }
      while (position < end && isWordPart(text.getByte(position))) {
        position++; // a variable's name is no keyword
      }
      return OTHER;
    }
    if (isWordPart(b)) {
      wordLength = 0;
      while (position < end && isWordPart(text.getByte(position))) {
        byte c = text.getByte(position++);
        if (wordLength < word.length) {
          word[wordLength] = c >= 'a' && c <= 'z' ? (byte) (c - 32) : c;
        }
        wordLength++;
      }
      return WORD;
    }
    position++;
    return OTHER;
  }

  /** Whether the next token is {@code (}: the word before it is a function call. */
  private boolean callFollows() {
    int i = skipSpace(position);
    return i < end && text.getByte(i) == '(';
  }

  /** Whether {@code ()} follows: a call without arguments. */
  private boolean emptyCallFollows() {
    int i = skipSpace(position);
    return i < end && text.getByte(i) == '(' && skipSpace(i + 1) < end && text.getByte(skipSpace(i + 1)) == ')';
  }

  private int skipSpace(int from) {
    int i = from;
    while (i < end && isSpace(text.getByte(i))) {
      i++;
    }
    return i;
  }

  /** Whether the word at {@code at} is {@code upper} (ASCII, any case), compared in place. */
  static boolean wordAt(Buffer payload, int at, String upper) {
    int end = at + upper.length();
    if (end > payload.length()) {
      return false;
    }
    for (int i = 0; i < upper.length(); i++) {
      if ((payload.getByte(at + i) & ~0x20) != upper.charAt(i)) {
        return false;
      }
    }
    if (end == payload.length()) {
      return true;
    }
    byte next = payload.getByte(end);
    return !((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || (next >= '0' && next <= '9')
        || next == '_' || next == '$' || next < 0);
  }

  /**
   * Whether a command sent in autocommit mode may open a transaction: a COM_QUERY whose first word
   * is BEGIN or START, compared in place. Text that starts with a comment (rare) gets the full scan.
   */
  /** Whether {@code payload} executes a prepared BEGIN / START TRANSACTION (sysbench prepares them). */
  static boolean executesBegin(Buffer payload, SessionView session) {
    if (payload.length() < 5 || payload.getUnsignedByte(0) != Command.COM_STMT_EXECUTE) {
      return false;
    }
    String sql = session.preparedSql(payload.getUnsignedIntLE(1));
    return sql != null && mayBegin(sql);
  }

  /**
   * The same first look for a prepared statement's SQL (an execute of "BEGIN", as sysbench
   * prepares it): its first word is BEGIN or START, or it starts with a comment (then the full
   * classification decides). No allocation.
   */
  static boolean mayBegin(String sql) {
    int i = 0;
    while (i < sql.length() && sql.charAt(i) <= ' ') {
      i++;
    }
    if (i == sql.length()) {
      return false;
    }
    char c = sql.charAt(i);
    if (c == '/' || c == '#' || c == '-' || c == '(') {
      return true;
    }
    return wordAt(sql, i, "BEGIN") || wordAt(sql, i, "START");
  }

  private static boolean wordAt(String sql, int at, String upper) {
    int end = at + upper.length();
    if (end > sql.length() || !sql.regionMatches(true, at, upper, 0, upper.length())) {
      return false;
    }
    return end == sql.length() || !(Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_'
        || sql.charAt(end) == '$');
  }

  static boolean mayBegin(Buffer payload, boolean backslashEscapes) {
    if (payload.length() < 2 || payload.getUnsignedByte(0) != Command.COM_QUERY) {
      return false;
    }
    int i = 1;
    while (i < payload.length() && payload.getByte(i) <= ' ' && payload.getByte(i) >= 0) {
      i++;
    }
    if (i == payload.length()) {
      return false;
    }
    byte b = payload.getByte(i);
    if (b == '/' || b == '#' || b == '-' || b == '(') {
      return query(payload, backslashEscapes).leading() == Leading.BEGIN;
    }
    return wordAt(payload, i, "BEGIN") || wordAt(payload, i, "START");
  }
}
