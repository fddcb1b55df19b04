package dev.tether.proxy.switchover;

import dev.tether.proxy.node.SessionCounts;
import dev.tether.proxy.session.RelaySession;
import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * The sessions of one event loop, as a switchover reaches them: what {@link NodeSwitchover} needs
 * of the node, and no more (the node's verticles implement it).
 */
public interface SessionGroup {
  /** Applies {@code action} to every session, on the sessions' loop, and counts where they stand afterwards. */
  Future<SessionCounts> eachSession(Consumer<RelaySession> action);

  /** Whether the node's current target answers with a greeting now. */
  Future<Boolean> probeBackend();
}
