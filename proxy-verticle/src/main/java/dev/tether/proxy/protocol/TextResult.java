package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The complete response to a query the proxy runs itself on a backend connection: an OK, an ERR, or
 * a text result set with its rows decoded (values as raw bytes, null for SQL NULL). Built from the
 * frames a {@link ResponseTracker} delimited; proxy-internal queries are small, single-frame rows.
 */
public record TextResult(OkPacket ok, ErrPacket error, List<List<byte[]>> rows, StmtPrepareOk prepareOk) {

  public boolean isError() {
    return error != null;
  }

  /** Decodes the response frames of one COM_QUERY, or of a COM_STMT_PREPARE when {@code prepare}. */
  public static TextResult decode(List<Buffer> payloads, boolean deprecateEof, boolean prepare) {
    Buffer first = payloads.get(0);
    int header = first.getUnsignedByte(0);
    if (header == Packets.ERR) {
      return new TextResult(null, ErrPacket.decode(first), List.of(), null);
    }
    if (header == Packets.OK) {
      return prepare
          ? new TextResult(null, null, List.of(), StmtPrepareOk.decode(first))
          : new TextResult(OkPacket.decodeTracked(first), null, List.of(), null);
    }
    int columns = (int) new PayloadReader(first).readIntLenenc();
    int index = 1 + columns + (deprecateEof ? 0 : 1);
    List<List<byte[]>> rows = new ArrayList<>();
    for (; index < payloads.size(); index++) {
      Buffer row = payloads.get(index);
      int lead = row.getUnsignedByte(0);
      if (lead == Packets.ERR) {
        return new TextResult(null, ErrPacket.decode(row), rows, null);
      }
      if (lead == Packets.EOF && row.length() < Packets.MAX_FRAME_PAYLOAD) {
        break;
      }
      PayloadReader reader = new PayloadReader(row);
      List<byte[]> values = new ArrayList<>(columns);
      for (int c = 0; c < columns; c++) {
        if (reader.peekInt1() == 0xFB) {
          reader.skip(1);
          values.add(null);
        } else {
          values.add(reader.readBytesLenenc());
        }
      }
      rows.add(values);
    }
    return new TextResult(null, null, rows, null);
  }
}
