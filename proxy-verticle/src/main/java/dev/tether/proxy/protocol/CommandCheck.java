package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * Checks the layout of a client command when it is first read, before anything parses it, and says
 * how the server (MariaDB 10.11, measured with the same bytes) answers one that is too short or
 * runs past its end: a prepared-statement command without its statement id or fixed fields gets
 * 1835 or 1243, COM_STMT_CLOSE and COM_STMT_SEND_LONG_DATA get nothing, a COM_CHANGE_USER whose
 * fields run past the end gets 1047. The session lives on; such commands are never relayed.
 */
public final class CommandCheck {
  /** COM_STMT_EXECUTE: command, statement id (4), flags (1), iteration count (4). */
  private static final int EXECUTE_HEADER = 10;
  /** COM_STMT_SEND_LONG_DATA: command, statement id (4), parameter id (2). */
  private static final int LONG_DATA_HEADER = 7;
  private static final int WITH_ID = 5;

  /** How a malformed command is answered; {@code reply} is null when the server sends nothing. */
  public record Malformed(ErrPacket reply) {}

  private static final Malformed NO_REPLY = new Malformed(null);

  private CommandCheck() {}

  /** Null when the command is well-formed enough to relay; otherwise the server's answer to it. */
  public static Malformed check(Buffer payload, long capabilities) {
    int length = payload.length();
    return switch (payload.getUnsignedByte(0)) {
      case Command.COM_STMT_EXECUTE -> length < EXECUTE_HEADER
          ? new Malformed(ErrPacket.of(ErrorCode.MALFORMED_PACKET, "Malformed communication packet")) : null;
      case Command.COM_STMT_FETCH -> length < WITH_ID ? unknownStatement(payload, "mysqld_stmt_fetch") : null;
      case Command.COM_STMT_RESET -> length < WITH_ID ? unknownStatement(payload, "mysqld_stmt_reset") : null;
      case Command.COM_STMT_CLOSE -> length < WITH_ID ? NO_REPLY : null;
      case Command.COM_STMT_SEND_LONG_DATA -> length < LONG_DATA_HEADER ? NO_REPLY : null;
      case Command.COM_CHANGE_USER -> changeUserFits(payload, capabilities)
          ? null : new Malformed(ErrPacket.of(ErrorCode.UNKNOWN_COM_ERROR, "Unknown command"));
      default -> null;
    };
  }

  /** The server reads the id bytes that are there (the rest as zero) and finds no such statement. */
  private static Malformed unknownStatement(Buffer payload, String function) {
    long id = 0;
    for (int i = payload.length() - 1; i >= 1; i--) {
      id = id << 8 | payload.getUnsignedByte(i);
    }
    return new Malformed(ErrPacket.of(ErrorCode.UNKNOWN_STMT_HANDLER,
        "Unknown prepared statement handler (" + id + ") given to " + function));
  }

  private static boolean changeUserFits(Buffer payload, long capabilities) {
    try {
      ChangeUserRequest.decode(payload, capabilities, 0);
      return true;
    } catch (ProtocolException e) {
      return false;
    }
  }
}
