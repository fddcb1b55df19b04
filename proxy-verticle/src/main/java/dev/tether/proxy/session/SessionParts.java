package dev.tether.proxy.session;

import dev.tether.proxy.protocol.ResponseTracker;

/**
 * The parts of one session that its collaborators share: each part is mutable and confined to the
 * session's event loop, but which part is which never changes after construction.
 */
record SessionParts(CommandInFlight command, CommandQueue queue, ResponseTracker tracker, StateLearner learner,
                    StateTracker stateTracker, JournalRecorder recorder, StatementIds statementIds,
                    IdleLimit idleLimit) {}
