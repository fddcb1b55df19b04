package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * Follows one command's response frame by frame to know where it ends, without parsing rows: only
 * first bytes, lengths and the status flags of terminating packets. Handles result sets with and
 * without CLIENT_DEPRECATE_EOF, multi-results (SERVER_MORE_RESULTS_EXISTS), prepare responses,
 * cursors, LOCAL INFILE uploads and packets continued across 16 MiB frames.
 *
 * <p>Confined to the session's event loop. {@link #onBackendFrame} returns a bit set so the hot path
 * allocates nothing.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response.html">COM_QUERY response</a>
 */
public final class ResponseTracker {
  /** The response is complete: the command is no longer in flight. */
  public static final int COMPLETE = 1;
  /** The frame is an OK packet (0x00, or 0xFE under CLIENT_DEPRECATE_EOF) that may carry session-track data. */
  public static final int OK_PACKET = 1 << 1;
  /** The frame is a LOCAL INFILE request: the client uploads next. */
  public static final int INFILE_REQUEST = 1 << 2;
  /** The frame is an ERR packet. */
  public static final int ERR_PACKET = 1 << 3;
  /** The frame is a COM_STMT_PREPARE_OK. */
  public static final int PREPARE_OK = 1 << 4;
  /** The frame ends a result set or a whole response and its status flags were read. */
  public static final int STATUS = 1 << 5;

  public enum State {
    /** No command in flight. */
    IDLE,
    /** Next: OK, ERR, LOCAL INFILE request, or the column count of a result set. */
    RESULT_START,
    /** Column definitions of a result set still to come. */
    COLUMN_DEFS,
    /** The EOF after column definitions (only without CLIENT_DEPRECATE_EOF). */
    COLUMN_DEFS_EOF,
    /** Rows until an EOF/OK terminator or ERR. */
    ROWS,
    /** Next: COM_STMT_PREPARE_OK or ERR. */
    PREPARE_OK,
    /** Parameter definitions of a prepare response. */
    PREPARE_PARAMS,
    /** The EOF after parameter definitions (only without CLIENT_DEPRECATE_EOF). */
    PREPARE_PARAMS_EOF,
    /** Column definitions of a prepare response. */
    PREPARE_COLUMNS,
    /** The EOF after column definitions of a prepare response (only without CLIENT_DEPRECATE_EOF). */
    PREPARE_COLUMNS_EOF,
    /** COM_FIELD_LIST: column definitions until EOF or ERR. */
    FIELD_LIST,
    /** Exactly one packet of any kind. */
    SINGLE,
    /** The client is uploading a LOCAL INFILE; the backend is silent until the empty packet. */
    INFILE_UPLOAD
  }

  private final boolean deprecateEof;
  private State state = State.IDLE;
  private boolean cursorRequested;
  private long remaining;
  private int columnsAfterParams;
  private int statusFlags = ServerStatus.AUTOCOMMIT;
  /** The last backend frame was exactly 16 MiB - 1 long: the next one continues the same packet. */
  private boolean backendContinuation;
  private boolean clientContinuation;

  public ResponseTracker(boolean deprecateEof) {
    this.deprecateEof = deprecateEof;
  }

  public State state() {
    return state;
  }

  public boolean inFlight() {
    return state != State.IDLE;
  }

  /** Forgets the response in flight (its connection is gone). */
  public void reset() {
    state = State.IDLE;
    backendContinuation = false;
    clientContinuation = false;
  }

  /** Status flags of the last OK or EOF packet seen: transaction and autocommit state. */
  public int statusFlags() {
    return statusFlags;
  }

  public void statusFlags(int flags) {
    statusFlags = flags;
  }

  /**
   * Starts tracking the response to a command whose complete first packet is {@code payload}.
   *
   * @return false when the command has no response (COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA, COM_QUIT)
   */
  public boolean expectResponseTo(Buffer payload) {
    int command = payload.getUnsignedByte(0);
    return expectResponseTo(command, command == Command.COM_STMT_EXECUTE && StmtExecute.cursorRequested(payload));
  }

  /** As {@link #expectResponseTo(Buffer)}, for a command already read into a {@link CommandView}. */
  public boolean expectResponseTo(CommandView command) {
    return expectResponseTo(command.command(), command.cursorRequested());
  }

  private boolean expectResponseTo(int command, boolean cursor) {
    backendContinuation = false;
    cursorRequested = false;
    state = switch (command) {
      case Command.COM_STMT_CLOSE, Command.COM_STMT_SEND_LONG_DATA, Command.COM_QUIT -> State.IDLE;
      case Command.COM_QUERY, Command.COM_PROCESS_INFO -> State.RESULT_START;
      case Command.COM_STMT_EXECUTE -> {
        cursorRequested = cursor;
        yield State.RESULT_START;
      }
      case Command.COM_STMT_PREPARE -> State.PREPARE_OK;
      case Command.COM_STMT_FETCH -> State.ROWS;
      case Command.COM_FIELD_LIST -> State.FIELD_LIST;
      default -> State.SINGLE;
    };
    return state != State.IDLE;
  }

  /** Follows one frame the backend sent; returns a combination of the flag bits above. */
  public int onBackendFrame(Buffer payload) {
    boolean continuation = backendContinuation;
    backendContinuation = payload.length() == Packets.MAX_FRAME_PAYLOAD;
    if (continuation) {
      return 0; // the middle or tail of a large row or column: nothing to interpret
    }
    int first = payload.length() == 0 ? -1 : payload.getUnsignedByte(0);
    return switch (state) {
      case IDLE, INFILE_UPLOAD -> first == Packets.ERR ? finish(ERR_PACKET) : 0;
      case RESULT_START -> resultStart(payload, first);
      case COLUMN_DEFS -> {
        if (first == Packets.ERR) {
          yield finish(ERR_PACKET);
        }
        if (--remaining == 0) {
          state = deprecateEof ? State.ROWS : State.COLUMN_DEFS_EOF;
        }
        yield 0;
      }
      case COLUMN_DEFS_EOF -> {
        if (first == Packets.ERR) {
          yield finish(ERR_PACKET);
        }
        statusFlags = EofPacket.statusFlags(payload);
        // A cursor opened by COM_STMT_EXECUTE sends no rows now; COM_STMT_FETCH brings them later.
        if (cursorRequested && (statusFlags & ServerStatus.CURSOR_EXISTS) != 0) {
          yield finish(STATUS);
        }
        state = State.ROWS;
        yield 0;
      }
      case ROWS -> rows(payload, first);
      case PREPARE_OK -> prepareOk(payload, first);
      case PREPARE_PARAMS -> {
        if (--remaining == 0) {
          state = deprecateEof ? afterParams() : State.PREPARE_PARAMS_EOF;
        }
        yield state == State.IDLE ? COMPLETE : 0;
      }
      case PREPARE_PARAMS_EOF -> {
        state = afterParams();
        yield state == State.IDLE ? COMPLETE : 0;
      }
      case PREPARE_COLUMNS -> {
        if (--remaining == 0) {
          if (deprecateEof) {
            yield finish(0);
          }
          state = State.PREPARE_COLUMNS_EOF;
        }
        yield 0;
      }
      case PREPARE_COLUMNS_EOF -> finish(0);
      case FIELD_LIST -> {
        if (first == Packets.ERR) {
          yield finish(ERR_PACKET);
        }
        yield first == Packets.EOF && payload.length() < Packets.MAX_FRAME_PAYLOAD ? finish(0) : 0;
      }
      case SINGLE -> {
        if (first == Packets.OK) {
          statusFlags = OkHeader.statusFlags(payload);
          yield finish(OK_PACKET | STATUS);
        }
        if (first == Packets.EOF && EofPacket.is(payload)) {
          statusFlags = EofPacket.statusFlags(payload);
          yield finish(STATUS);
        }
        yield finish(first == Packets.ERR ? ERR_PACKET : 0);
      }
    };
  }

  /**
   * Follows one frame the client sent while uploading a LOCAL INFILE.
   *
   * @return true when it was the empty packet that ends the upload
   */
  public boolean onClientUploadFrame(Buffer payload) {
    boolean continuation = clientContinuation;
    clientContinuation = payload.length() == Packets.MAX_FRAME_PAYLOAD;
    if (state == State.INFILE_UPLOAD && payload.length() == 0 && !continuation) {
      state = State.RESULT_START;
      return true;
    }
    return false;
  }

  private int resultStart(Buffer payload, int first) {
    switch (first) {
      case Packets.OK -> {
        statusFlags = OkHeader.statusFlags(payload);
        return moreResultsOrFinish(OK_PACKET);
      }
      case Packets.ERR -> {
        return finish(ERR_PACKET);
      }
      case Packets.LOCAL_INFILE -> {
        state = State.INFILE_UPLOAD;
        clientContinuation = false;
        return INFILE_REQUEST;
      }
      case Packets.EOF -> {
        statusFlags = EofPacket.statusFlags(payload);
        return moreResultsOrFinish(0);
      }
      default -> {
        remaining = new PayloadReader(payload).readIntLenenc();
        state = State.COLUMN_DEFS;
        return 0;
      }
    }
  }

  private int rows(Buffer payload, int first) {
    if (first == Packets.ERR) {
      return finish(ERR_PACKET);
    }
    if (first == Packets.EOF && payload.length() < Packets.MAX_FRAME_PAYLOAD) {
      if (deprecateEof) {
        statusFlags = OkHeader.statusFlags(payload);
        return moreResultsOrFinish(OK_PACKET);
      }
      statusFlags = EofPacket.statusFlags(payload);
      return moreResultsOrFinish(0);
    }
    return 0;
  }

  private int prepareOk(Buffer payload, int first) {
    if (first != Packets.OK) {
      return finish(first == Packets.ERR ? ERR_PACKET : 0);
    }
    StmtPrepareOk ok = StmtPrepareOk.decode(payload);
    columnsAfterParams = ok.columnCount();
    if (ok.paramCount() > 0) {
      remaining = ok.paramCount();
      state = State.PREPARE_PARAMS;
      return PREPARE_OK;
    }
    state = afterParams();
    return state == State.IDLE ? COMPLETE | PREPARE_OK : PREPARE_OK;
  }

  private State afterParams() {
    if (columnsAfterParams > 0) {
      remaining = columnsAfterParams;
      return State.PREPARE_COLUMNS;
    }
    return State.IDLE;
  }

  private int moreResultsOrFinish(int flags) {
    if ((statusFlags & ServerStatus.MORE_RESULTS_EXISTS) != 0) {
      state = State.RESULT_START;
      return flags | STATUS;
    }
    return finish(flags | STATUS);
  }

  private int finish(int flags) {
    state = State.IDLE;
    return flags | COMPLETE;
  }
}
