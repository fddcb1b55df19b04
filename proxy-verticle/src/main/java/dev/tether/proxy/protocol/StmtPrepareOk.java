package dev.tether.proxy.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * COM_STMT_PREPARE_OK: the statement id and how many parameter and column definitions follow, which
 * is what tells the proxy where the prepare response ends.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html">COM_STMT_PREPARE</a>
 */
public record StmtPrepareOk(long statementId, int columnCount, int paramCount, int warnings) {

  public static StmtPrepareOk decode(Buffer payload) {
    PayloadReader reader = new PayloadReader(payload);
    if (reader.readInt1() != Packets.OK) {
      throw new ProtocolException("not a COM_STMT_PREPARE_OK");
    }
    long id = reader.readInt4();
    int columns = reader.readInt2();
    int params = reader.readInt2();
    reader.skip(1);
    int warnings = reader.remaining() >= 2 ? reader.readInt2() : 0;
    return new StmtPrepareOk(id, columns, params, warnings);
  }
}
