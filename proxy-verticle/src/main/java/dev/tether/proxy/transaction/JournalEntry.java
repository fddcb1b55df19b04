package dev.tether.proxy.transaction;

import io.vertx.core.buffer.Buffer;

/**
 * One recorded statement: the command payload exactly as the client sent it (client statement id
 * included, all frames of a command of 16 MiB or more joined), the client statement id it carries
 * (-1: none), the parameter types replay must put back into an execute that omitted them because
 * they were sent before the transaction (null: none needed), and the digest of its response
 * (0 for commands without one: COM_STMT_SEND_LONG_DATA).
 */
public record JournalEntry(Buffer payload, long clientStatementId, byte[] typesToInject, boolean expectsResponse,
                           long digest) {

  public int command() {
    return payload.getUnsignedByte(0);
  }
}
