package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * A client command as read once, from its first frame, when it arrives: every later concern
 * (state tracking, retry safety, statement-id translation, the response tracker) reads this
 * instead of the payload. For a COM_QUERY, {@link QueryScan} found the leading keyword and the
 * facts in one allocation-free pass; a command continued in further frames is read from its first.
 *
 * @param command the command byte (see {@link Command})
 * @param statementId the id the client wrote in one of the five id-carrying commands, else -1
 * @param keyword a COM_QUERY's leading keyword, else {@link Keyword#NONE}
 * @param facts {@link QueryScan} bits (0 unless asked for and a COM_QUERY)
 * @param cursorRequested a COM_STMT_EXECUTE that asks for a cursor
 * @param continued the first frame is 16 MiB - 1 long: more frames of the command follow
 */
public record CommandView(int command, long statementId, Keyword keyword, int facts, boolean cursorRequested,
                          boolean continued) {
  private static final int ID_END = 5;

  /** Reads {@code payload}, the first frame of a command; {@code withFacts} runs the SQL scan. */
  public static CommandView read(Buffer payload, boolean withFacts) {
    int command = payload.length() == 0 ? -1 : payload.getUnsignedByte(0);
    boolean continued = payload.length() == Packets.MAX_FRAME_PAYLOAD;
    long id = carriesStatementId(command) && payload.length() >= ID_END ? payload.getUnsignedIntLE(1) : -1;
    if (command != Command.COM_QUERY) {
      boolean cursor = command == Command.COM_STMT_EXECUTE && StmtExecute.cursorRequested(payload);
      return new CommandView(command, id, Keyword.NONE, 0, cursor, continued);
    }
    Keyword keyword = QueryScan.keyword(payload);
    return new CommandView(command, id, keyword, withFacts ? QueryScan.facts(payload, keyword) : 0, false, continued);
  }

  /** The five commands that name a prepared statement, at payload offset 1. */
  public static boolean carriesStatementId(int command) {
    return switch (command) {
      case Command.COM_STMT_EXECUTE, Command.COM_STMT_FETCH, Command.COM_STMT_CLOSE, Command.COM_STMT_RESET,
           Command.COM_STMT_SEND_LONG_DATA -> true;
      default -> false;
    };
  }

  public boolean has(int fact) {
    return (facts & fact) != 0;
  }

  public boolean isQuery(Keyword word) {
    return command == Command.COM_QUERY && keyword == word;
  }

  /** SHOW and GET DIAGNOSTICS read the session's last statement: nothing may run before them. */
  public boolean isDiagnostics() {
    return isQuery(Keyword.SHOW) || isQuery(Keyword.GET);
  }
}
