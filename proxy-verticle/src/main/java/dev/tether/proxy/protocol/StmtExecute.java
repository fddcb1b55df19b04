package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * The layout of a COM_STMT_EXECUTE payload, in one place: command (1), statement id (4), flags (1,
 * any cursor type asks for a cursor), iteration count (4), then, for a statement with parameters,
 * the NULL bitmap, new-params-bound flag, the parameter types (2 bytes each) when that flag is 1,
 * and the values. Offsets depend on the parameter count, which only the statement's prepare told.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html">COM_STMT_EXECUTE</a>
 */
public record StmtExecute(int paramCount, int boundFlagAt, int typesFrom, int typesTo) {
  /** Command byte, statement id, flags, iteration count. */
  public static final int HEADER = 10;
  private static final int FLAGS_AT = 5;

  /** The layout for a statement of {@code paramCount} parameters. */
  public static StmtExecute of(int paramCount) {
    int flagAt = HEADER + (paramCount + 7) / 8;
    return new StmtExecute(paramCount, flagAt, flagAt + 1, flagAt + 1 + 2 * paramCount);
  }

  /** Whether the execute asks for a cursor (its flags byte is not CURSOR_TYPE_NO_CURSOR). */
  public static boolean cursorRequested(Buffer payload) {
    return payload.length() > FLAGS_AT && payload.getUnsignedByte(FLAGS_AT) != 0;
  }

  /** The new-params-bound flag, or -1 when the payload ends before it. */
  public int boundFlag(Buffer payload) {
    return payload.length() > boundFlagAt ? payload.getUnsignedByte(boundFlagAt) : -1;
  }

  /** Whether the payload sends parameter types (flag 1, and the types are all there). */
  public boolean sendsTypes(Buffer payload) {
    return paramCount > 0 && payload.length() >= typesTo && payload.getUnsignedByte(boundFlagAt) == 1;
  }

  /**
   * The frame (header included) of an execute that omitted its types (flag 0), with {@code types}
   * put in and the flag set to 1: what a server that never saw the types needs.
   */
  public Buffer withTypes(Buffer payload, byte[] types) {
    return Buffer.buffer(payload.length() + types.length + Packets.HEADER_SIZE + 1)
        .appendMediumLE(payload.length() + types.length)
        .appendByte((byte) 0)
        .appendBuffer(payload, 0, boundFlagAt)
        .appendByte((byte) 1)
        .appendBytes(types)
        .appendBuffer(payload, boundFlagAt + 1, payload.length() - boundFlagAt - 1);
  }
}
