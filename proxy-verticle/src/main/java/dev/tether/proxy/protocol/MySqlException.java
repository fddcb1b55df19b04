package dev.tether.proxy.protocol;

/**
 * An error that travels to a client as an ERR packet: the one typed error of the proxy. Anything
 * else that reaches a session boundary is mapped to one of these by {@link ErrPacket#from}.
 */
public final class MySqlException extends RuntimeException {
  private final int errorCode;
  private final String sqlState;

  public MySqlException(int errorCode, String sqlState, String message) {
    super(message, null, false, false);
    this.errorCode = errorCode;
    this.sqlState = sqlState;
  }

  public int errorCode() {
    return errorCode;
  }

  public String sqlState() {
    return sqlState;
  }
}
