package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Between commands, after a statement changed user variables or LAST_INSERT_ID without the server
 * saying how: reads them back on the session's own connection ({@link UserVariableReader}), so a
 * rebuild replays true values. A read-back that fails leaves the session unrebuildable, not wrong.
 */
final class StateReadBack extends SessionRole {
  private static final Logger log = LoggerFactory.getLogger(StateReadBack.class);


  StateReadBack(RelaySession session, SessionContext context, SessionParts parts) {
    super(session, context, parts);
  }

  /** Whether a read-back is due after the response that just ended (not when it has warnings to show). */
  boolean due() {
    return parts.stateTracker().refreshWanted() && parts.command().lastWarnings() == 0;
  }

  void start() {
    session.phase(Phase.REFRESHING);
    session.deadlines().backendActive();
    BackendConnection connection = session.backend();
    StateLearner learner = parts.learner();
    UserVariableReader.refresh(connection, context.deprecateEof(), learner.state(), learner.trackingNarrowed())
        .onComplete(read -> {
          if (session.phase() == Phase.CLOSED || connection != session.backend()) {
            return;
          }
          if (read.succeeded()) {
            learner.refreshed(read.result());
            context.metrics().stateRefreshed();
          } else if (connection.isClosed()) {
            session.recovery().onBackendLost(connection);
            return;
          } else {
            log.info("session {}: user variables not read back, so it cannot be rebuilt: {}", context.id(),
                read.cause().getMessage());
            learner.refreshFailed(read.cause().getMessage());
          }
          session.listen();
          parts.command().clearWarnings();
          session.settle();
        });
  }
}
