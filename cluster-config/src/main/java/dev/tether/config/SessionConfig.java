package dev.tether.config;

import java.time.Duration;

/**
 * Persistent sessions: whether the node tracks session state and rebuilds sessions on a new backend
 * connection at all, how long a session whose backend is gone is held while the proxy reconnects,
 * how many state items (variables, prepared statements, ...) and how many bytes of them a
 * session may hold and still be rebuilt, and how many bytes of temporary-table rows a planned switchover copies per session.
 */
public record SessionConfig(boolean persistent, Duration holdWindow, int historyCap, int temporaryTableCopyLimit,
                            long historyBytesCap) {

  /** Copied rows are read as single-frame rows, so the limit stays below one 16 MiB frame. */
  public static final int MAX_TEMPORARY_TABLE_COPY_LIMIT = 15 * 1024 * 1024;

  public SessionConfig {
    if (temporaryTableCopyLimit < 0 || temporaryTableCopyLimit > MAX_TEMPORARY_TABLE_COPY_LIMIT) {
      throw new IllegalArgumentException("session.temporaryTableCopyLimit must be between 0 and "
          + MAX_TEMPORARY_TABLE_COPY_LIMIT + " bytes, not " + temporaryTableCopyLimit);
    }
  }
}
