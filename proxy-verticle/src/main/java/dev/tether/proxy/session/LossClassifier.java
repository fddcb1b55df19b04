package dev.tether.proxy.session;

/**
 * What a session does when its backend connection is lost: one pure decision from the facts of
 * the moment, so every outcome is a unit test and a metric label. The session gathers the facts
 * ({@link Facts}) and carries the outcome out; nothing here touches a connection.
 *
 * <p>Issue 11 (transaction replay) adds its outcome here: before {@link Outcome#TRANSACTION_LOST},
 * a transaction the {@link TransactionRecorder} can replay is replayed instead.
 */
final class LossClassifier {
  /** Where the session was when the connection went. */
  enum Where {
    /** Between commands (idle, reading state back, held by a switchover, looking up a KILL). */
    BETWEEN_COMMANDS,
    /** A command was at the backend, its response (maybe partly) relayed. */
    IN_FLIGHT,
    /** A command was still arriving from the client, or uploading a file, or the login was finishing. */
    MID_COMMAND,
    /** The session is not relaying: it is being rebuilt, changing user, or closed. */
    ELSEWHERE
  }

  /** The session's reaction to the loss. */
  enum Outcome {
    /** A KILL ended the backend connection: the session ends, as on the server. */
    SESSION_KILLED("session_killed"),
    /** The client's own wait_timeout passed (the backend timed out with it): closed as its server would. */
    IDLE_EXPIRED("wait_timeout"),
    /** session.persistent is off: nothing to rebuild from, the session ends. */
    UNTRACKED("untracked"),
    /** Between commands: rebuild on a new connection (a transaction open then is reported lost at the next statement). */
    REBUILD("rebuilt"),
    /** The command in flight may be re-sent on the rebuilt connection (see {@link RetryPolicy}). */
    RESEND("resent"),
    /** Part of the result reached the client: the statement failed, the session is rebuilt. */
    RESULT_INTERRUPTED("result_interrupted"),
    /** Inside a transaction, a statement that cannot have committed: the transaction was rolled back. */
    TRANSACTION_LOST("transaction_lost"),
    /** The server answered the statement with a kill error before closing: it was stopped, not applied. */
    STATEMENT_KILLED("killed"),
    /** A statement whose effect nobody can know: the client is told so, the session is rebuilt. */
    OUTCOME_UNKNOWN("outcome_unknown"),
    /** The command was incomplete at the backend: the session ends with an error. */
    MID_COMMAND("mid_command"),
    /** Nothing to do here: whoever owns the session now handles it. */
    IGNORED("ignored");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    /** The metric label (tether.proxy.statements.failed.by.loss where a statement failed). */
    String label() {
      return label;
    }
  }

  /**
   * The facts of one loss. {@code heals}: the connection's end is one to heal (not a KILL, see
   * {@link BackendLoss}); {@code resendable}: the retry rule allows re-sending the command in
   * flight; {@code cannotHaveCommitted}: the command in flight, known, cannot have committed the
   * transaction open before it; {@code serverAnswered}: a connection-ending ERR came for it.
   */
  record Facts(Where where, boolean heals, boolean idleReached, boolean tracked, boolean resendable,
               boolean responseStarted, boolean inTransactionBefore, boolean cannotHaveCommitted,
               boolean serverAnswered) {}

  private LossClassifier() {}

  static Outcome classify(Facts facts) {
    if (!facts.heals()) {
      return Outcome.SESSION_KILLED;
    }
    if (facts.idleReached()) {
      return Outcome.IDLE_EXPIRED;
    }
    if (!facts.tracked()) {
      return Outcome.UNTRACKED;
    }
    return switch (facts.where()) {
      case BETWEEN_COMMANDS -> Outcome.REBUILD;
      case IN_FLIGHT -> inFlight(facts);
      case MID_COMMAND -> Outcome.MID_COMMAND;
      case ELSEWHERE -> Outcome.IGNORED;
    };
  }

  private static Outcome inFlight(Facts facts) {
    if (facts.resendable()) {
      return Outcome.RESEND;
    }
    if (facts.responseStarted()) {
      return Outcome.RESULT_INTERRUPTED;
    }
    if (facts.inTransactionBefore() && facts.cannotHaveCommitted()) {
      return Outcome.TRANSACTION_LOST;
    }
    if (facts.serverAnswered()) {
      return Outcome.STATEMENT_KILLED;
    }
    return Outcome.OUTCOME_UNKNOWN;
  }
}
