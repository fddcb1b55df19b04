package dev.tether.proxy.protocol;

/**
 * Server status flags carried by OK and EOF packets.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/mysql__com_8h.html">SERVER_STATUS_*</a>
 */
public final class ServerStatus {
  private ServerStatus() {}

  public static final int IN_TRANS = 0x0001;
  public static final int AUTOCOMMIT = 0x0002;
  public static final int MORE_RESULTS_EXISTS = 0x0008;
  public static final int CURSOR_EXISTS = 0x0040;
  public static final int LAST_ROW_SENT = 0x0080;
  public static final int IN_TRANS_READONLY = 0x2000;
  public static final int SESSION_STATE_CHANGED = 0x4000;
}
