package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * ERR_Packet: 0xFF, error code, '#' + SQLSTATE, message. Also the one place an exception becomes
 * wire bytes ({@link #from}).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_err_packet.html">ERR_Packet</a>
 */
public record ErrPacket(int errorCode, String sqlState, String message) {

  public static ErrPacket decode(Buffer payload) {
    PayloadReader reader = new PayloadReader(payload);
    if (reader.readInt1() != Packets.ERR) {
      throw new ProtocolException("not an ERR packet");
    }
    int code = reader.readInt2();
    String state = "HY000";
    if (reader.hasRemaining() && reader.peekInt1() == '#') {
      reader.skip(1);
      state = reader.readStringFix(5);
    }
    return new ErrPacket(code, state, reader.readStringEof());
  }

  /** Maps anything thrown at a session boundary to the ERR a client should see. */
  public static ErrPacket from(Throwable failure) {
    if (failure instanceof MySqlException e) {
      return new ErrPacket(e.errorCode(), e.sqlState(), e.getMessage());
    }
    if (failure instanceof ProtocolException e) {
      return new ErrPacket(ErrorCode.HANDSHAKE_ERROR.code(), ErrorCode.HANDSHAKE_ERROR.sqlState(),
          "Bad packet: " + e.getMessage());
    }
    String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    return new ErrPacket(ErrorCode.BACKEND_UNAVAILABLE.code(), ErrorCode.BACKEND_UNAVAILABLE.sqlState(),
        "Tether: " + reason);
  }

  public static ErrPacket of(ErrorCode code, String message) {
    return new ErrPacket(code.code(), code.sqlState(), message);
  }

  public MySqlException toException() {
    return new MySqlException(errorCode, sqlState, message);
  }

  public Buffer encode(int sequenceId) {
    return new PayloadWriter(message.length() + 9)
        .int1(Packets.ERR)
        .int2(errorCode)
        .int1('#')
        .stringEof(sqlState)
        .stringEof(message)
        .toPacket(sequenceId);
  }
}
