package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the session-state information an OK packet carries under CLIENT_SESSION_TRACK:
 * what the server says changed in the session, and how.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html">session_state_info</a>
 * @see <a href="https://mariadb.com/kb/en/ok_packet/">MariaDB OK packet</a>
 */
public record SessionStateChange(Type type, String name, String value) {

  public enum Type {
    /** A session system variable and its new value. */
    SYSTEM_VARIABLE,
    /** The new default schema. */
    SCHEMA,
    /** "Something changed" with no detail: user variables, temporary tables, PREPARE, ... */
    STATE_CHANGE,
    /** GTIDs of the transaction (not requested by Tether). */
    GTIDS,
    /** The statement that sets the characteristics of the next transaction ("" when none). */
    TRANSACTION_CHARACTERISTICS,
    /** The transaction state, eight characters like "T___W___". */
    TRANSACTION_STATE,
    /** A type this proxy does not know; skipped. */
    UNKNOWN
  }

  /** Decodes every entry of a state-change block (the bytes after its length prefix). */
  public static List<SessionStateChange> decode(Buffer block) {
    List<SessionStateChange> changes = new ArrayList<>(4);
    PayloadReader reader = new PayloadReader(block);
    while (reader.hasRemaining()) {
      int type = reader.readInt1();
      PayloadReader data = new PayloadReader(reader.readSlice((int) reader.readIntLenenc()));
      switch (type) {
        case 0 -> changes.add(new SessionStateChange(Type.SYSTEM_VARIABLE, data.readStringLenenc(), data.readStringLenenc()));
        case 1 -> changes.add(new SessionStateChange(Type.SCHEMA, null, data.readStringLenenc()));
        // unlike the others, the state-change flag is the raw byte '1', without a length of its own
        case 2 -> changes.add(new SessionStateChange(Type.STATE_CHANGE, null, data.readStringEof()));
        case 3 -> changes.add(new SessionStateChange(Type.GTIDS, null, null));
        case 4 -> changes.add(new SessionStateChange(Type.TRANSACTION_CHARACTERISTICS, null, data.readStringLenenc()));
        case 5 -> changes.add(new SessionStateChange(Type.TRANSACTION_STATE, null, data.readStringLenenc()));
        default -> changes.add(new SessionStateChange(Type.UNKNOWN, null, null));
      }
    }
    return changes;
  }
}
