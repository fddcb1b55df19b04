package dev.tether.proxy.session;

import dev.tether.proxy.backend.BackendTarget;

/**
 * A held session's connection to the next primary, opened and replayed during BLOCK while the
 * coordinator promotes. SWITCH adopts it only if it was built from the session's current state for
 * the server SWITCH names; otherwise, and at RESTORE, it is closed.
 */
record StagedBackend(SessionRebuild.Rebuilt recovered, SessionState state, BackendTarget target) {

  boolean fits(SessionState current, BackendTarget switchingTo) {
    return current == state && target.equals(switchingTo);
  }

  void discard() {
    recovered.backend().closeHandler(null);
    recovered.backend().close();
  }
}
