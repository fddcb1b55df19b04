package dev.tether.proxy.transaction;

import dev.tether.proxy.protocol.Packets;
import dev.tether.proxy.protocol.PayloadReader;
import dev.tether.proxy.protocol.ResponseTracker;
import dev.tether.proxy.protocol.ServerStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * A 64-bit digest of everything a client received for one statement, built frame by frame as the
 * response is relayed: column counts, column definitions and rows byte for byte; of OK, EOF and ERR
 * packets only the fields a faithful replay must reproduce. Left out, because they legitimately
 * differ between two runs of the same work: an OK's session-state-change block (what the tracking
 * variables report, not what the statement did), and the status flags NO_GOOD_INDEX_USED,
 * NO_INDEX_USED, LAST_ROW_SENT, METADATA_CHANGED, QUERY_WAS_SLOW and SESSION_STATE_CHANGED (plan,
 * timing and tracking noise). The journal reads SESSION_STATE_CHANGED on its own.
 *
 * <p>Two CRCs with different polynomials (CRC-32C and CRC-32, both intrinsics of the JVM) over the
 * same bytes: together a difference escapes only if it is a multiple of both polynomials, about one
 * chance in 2^64 for an unrelated result. The digest guards against accident, not an adversary.
 * Confined to the session's event loop; allocates nothing per frame beyond an NIO view.
 */
public final class ResponseDigest {
  /** The status flags that describe what the statement did or left open. */
  static final int STATUS_THAT_MATTERS = ServerStatus.IN_TRANS | ServerStatus.AUTOCOMMIT
      | ServerStatus.MORE_RESULTS_EXISTS | ServerStatus.CURSOR_EXISTS | 0x0100 /* DB_DROPPED */
      | 0x0200 /* NO_BACKSLASH_ESCAPES */ | 0x1000 /* PS_OUT_PARAMS */ | ServerStatus.IN_TRANS_READONLY;

  private static final byte RAW = 1;
  private static final byte OK = 2;
  private static final byte EOF = 3;
  private static final byte ERR = 4;

  private final CRC32C first = new CRC32C();
  private final CRC32 second = new CRC32();
  private final byte[] scratch = new byte[32];
  private boolean continuation;
  private boolean sessionStateChanged;
  private int errorCode;
  private int packets;

  /**
   * Adds one response frame, with the flags {@link ResponseTracker#onBackendFrame} returned for it
   * (only {@link ResponseTracker#OK_PACKET} is read: it tells an OK from a row that starts with 0x00).
   */
  public void update(Buffer payload, int trackerFlags) {
    boolean continued = continuation;
    continuation = payload.length() == Packets.MAX_FRAME_PAYLOAD;
    packets++;
    if (continued || continuation || payload.length() == 0) {
      raw(payload);
      return;
    }
    int header = payload.getUnsignedByte(0);
    if ((trackerFlags & ResponseTracker.OK_PACKET) != 0) {
      ok(payload);
    } else if (header == Packets.ERR) {
      errorCode = payload.length() >= 3 ? payload.getUnsignedShortLE(1) : -1;
      // code, SQLSTATE and message: a replay that fails differently is not the same transaction
      put(ERR);
      feed(payload, 1, payload.length());
    } else if (header == Packets.EOF && payload.length() < Packets.EOF_MAX_LENGTH) {
      put(EOF);
      int warnings = payload.length() >= 3 ? payload.getUnsignedShortLE(1) : 0;
      int status = payload.length() >= 5 ? payload.getUnsignedShortLE(3) : 0;
      putInt(warnings);
      putInt(status & STATUS_THAT_MATTERS);
    } else {
      raw(payload);
    }
  }

  private void ok(Buffer payload) {
    PayloadReader reader = new PayloadReader(payload);
    put(OK);
    putInt(reader.readInt1());
    putLong(reader.readIntLenenc()); // affected rows
    putLong(reader.readIntLenenc()); // last insert id
    int status = reader.readInt2();
    putInt(status & STATUS_THAT_MATTERS);
    putInt(reader.readInt2()); // warnings
    if ((status & ServerStatus.SESSION_STATE_CHANGED) != 0) {
      sessionStateChanged = true;
    }
    if (reader.hasRemaining()) { // info ("Rows matched: 1  Changed: 1  Warnings: 0"); the state block after it is left out
      long infoLength = reader.readIntLenenc();
      putLong(infoLength);
      feed(payload, reader.position(), (int) Math.min(payload.length(), reader.position() + infoLength));
    }
  }

  private void raw(Buffer payload) {
    put(RAW);
    putInt(payload.length());
    feed(payload, 0, payload.length());
  }

  private void put(byte kind) {
    first.update(kind);
    second.update(kind);
  }

  private void putInt(long value) {
    for (int i = 0; i < 4; i++) {
      scratch[i] = (byte) (value >>> (8 * i));
    }
    first.update(scratch, 0, 4);
    second.update(scratch, 0, 4);
  }

  private void putLong(long value) {
    for (int i = 0; i < 8; i++) {
      scratch[i] = (byte) (value >>> (8 * i));
    }
    first.update(scratch, 0, 8);
    second.update(scratch, 0, 8);
  }

  private void feed(Buffer payload, int from, int to) {
    if (to <= from) {
      return;
    }
    if (payload instanceof BufferInternal internal) {
      java.nio.ByteBuffer view = internal.getByteBuf().nioBuffer(from, to - from);
      first.update(view.duplicate());
      second.update(view);
    } else {
      byte[] bytes = payload.getBytes(from, to);
      first.update(bytes);
      second.update(bytes);
    }
  }

  /** The digest so far. */
  public long value() {
    return (first.getValue() << 32) | second.getValue();
  }

  /** Whether an OK packet of the response reported a session-state change. */
  public boolean sessionStateChanged() {
    return sessionStateChanged;
  }

  /** The error code of the response's ERR packet, or 0 when it held none. */
  public int errorCode() {
    return errorCode;
  }

  /** Frames digested so far. */
  public int packets() {
    return packets;
  }

  /** Ready for the next statement's response. */
  public void reset() {
    first.reset();
    second.reset();
    continuation = false;
    sessionStateChanged = false;
    errorCode = 0;
    packets = 0;
  }
}
