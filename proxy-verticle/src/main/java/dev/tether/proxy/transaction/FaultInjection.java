package dev.tether.proxy.transaction;

import dev.tether.config.TransactionConfig;
import dev.tether.proxy.backend.BackendConnection;
import io.vertx.core.buffer.Buffer;

/**
 * Test only: the fault a node injects when it forwards a COMMIT, to lose the COMMIT's answer on
 * purpose. Off ({@link #NONE}) unless {@code proxy.transactions.faultInjection} or the system
 * property {@code tether.faultInjection} names another (the property wins, for child JVMs). The
 * session writes every COMMIT through {@link #forward} and hands the marker's answer to
 * {@link #afterMarkerAnswer}; with NONE both do exactly what the session would do without them.
 */
public enum FaultInjection {
  /** No fault: the marker and the COMMIT are written, pipelined. */
  NONE("none"),
  /** The marker and the COMMIT are written, then the connection is dropped: the COMMIT commits unseen. */
  DROP_AFTER_COMMIT("drop_after_commit"),
  /**
   * Only the marker is written; once its OK is back the connection is dropped without the COMMIT:
   * the transaction provably did not commit.
   */
  DROP_INSTEAD_OF_COMMIT("drop_instead_of_commit");

  public static final String PROPERTY = "tether.faultInjection";

  private final String configName;

  FaultInjection(String configName) {
    this.configName = configName;
  }

  /** The fault the configuration (or the system property) names. */
  public static FaultInjection configured(TransactionConfig config) {
    String name = System.getProperty(PROPERTY, config.faultInjection());
    for (FaultInjection fault : values()) {
      if (fault.configName.equals(name)) {
        return fault;
      }
    }
    return NONE;
  }

  /** Writes a COMMIT's frames, with the marker's before them when there is one ({@code marker} null: none). */
  public void forward(BackendConnection backend, Buffer marker, Buffer commit) {
    Buffer out = marker == null ? commit : Buffer.buffer(marker.length() + commit.length()).appendBuffer(marker)
        .appendBuffer(commit);
    boolean dropNow = switch (this) {
      case NONE -> {
        backend.write(out);
        yield false;
      }
      case DROP_AFTER_COMMIT -> {
        backend.write(out);
        yield true;
      }
      case DROP_INSTEAD_OF_COMMIT -> {
        if (marker != null) {
          backend.write(marker); // dropped once the marker's answer is back
        }
        yield marker == null;
      }
    };
    if (dropNow) {
      backend.close();
    }
  }

  /** The marker's answer arrived; returns true when the fault dropped the connection now. */
  public boolean afterMarkerAnswer(BackendConnection backend) {
    if (this == DROP_INSTEAD_OF_COMMIT) {
      backend.close();
      return true;
    }
    return false;
  }
}
