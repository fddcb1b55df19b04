package dev.tether.proxy.protocol;

/**
 * Framing and packet-type constants of the MySQL client/server protocol.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html">Basic packets</a>
 */
public final class Packets {
  private Packets() {}

  public static final int HEADER_SIZE = 4;
  /** A frame whose payload is exactly this long is continued by the next frame. */
  public static final int MAX_FRAME_PAYLOAD = 0xFF_FFFF;

  public static final int OK = 0x00;
  public static final int EOF = 0xFE;
  public static final int ERR = 0xFF;
  public static final int LOCAL_INFILE = 0xFB;
  /** Auth-more-data (caching_sha2_password exchanges). */
  public static final int AUTH_MORE_DATA = 0x01;
  /** Auth-switch request shares the EOF header byte during authentication. */
  public static final int AUTH_SWITCH = 0xFE;

  /** An EOF packet is shorter than this; longer 0xFE packets are rows or OK-as-EOF with CLIENT_DEPRECATE_EOF. */
  public static final int EOF_MAX_LENGTH = 9;

  public static final int SCRAMBLE_LENGTH = 20;
}
