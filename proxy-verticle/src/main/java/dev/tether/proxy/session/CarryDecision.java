package dev.tether.proxy.session;

import dev.tether.proxy.transaction.TransactionLoss;

/**
 * Whether a lost connection's open transaction is carried to the rebuilt connection (issue 11):
 * one pure decision from the loss classifier's outcome and what the journal says of the
 * transaction, so every case is a unit test. Every "no" keeps today's outcome, the fallback.
 */
enum CarryDecision {
  /** Between commands, the transaction replayable: rebuild, then replay it. */
  REPLAY_BETWEEN_COMMANDS,
  /** A command in flight in a replayable transaction, or its COMMIT with a marker: rebuild, carry, re-send it. */
  CARRY_IN_FLIGHT,
  /** The BEGIN opening a transaction was in flight: it changed nothing, so it is re-sent on the rebuilt connection. */
  RESEND_BEGIN,
  /** A ROLLBACK was in flight: answered OK, the server rolled back with the connection. */
  ANSWER_ROLLBACK,
  /** The journal had refused the transaction: reported lost as before, its reason counted and told. */
  REFUSED,
  /** A COMMIT lost without a commit marker: "outcome unknown" as before, counted. */
  COMMIT_UNKNOWN,
  /** The command in flight was too large to keep for a re-send: the transaction is reported lost. */
  COMMAND_NOT_KEPT,
  /** No transaction of the journal's: the classifier's outcome stands. */
  NONE;

  /** {@code commandKept}: the command in flight is kept for a re-send (up to 64 KiB, one frame). */
  static CarryDecision decide(LossClassifier.Outcome outcome, TransactionLoss loss, boolean commandKept) {
    return switch (outcome) {
      case REBUILD -> switch (loss.kind()) {
        case REPLAY -> REPLAY_BETWEEN_COMMANDS;
        case REFUSED -> REFUSED;
        case NO_TRANSACTION, COMMIT_IN_FLIGHT, ROLLED_BACK, BEGIN_IN_FLIGHT -> NONE; // nothing was in flight
      };
      case TRANSACTION_LOST, OUTCOME_UNKNOWN -> switch (loss.kind()) {
        case REPLAY -> commandKept ? CARRY_IN_FLIGHT : COMMAND_NOT_KEPT;
        case COMMIT_IN_FLIGHT -> loss.marker() == null ? COMMIT_UNKNOWN
            : commandKept ? CARRY_IN_FLIGHT : COMMAND_NOT_KEPT;
        case ROLLED_BACK -> ANSWER_ROLLBACK;
        case REFUSED -> REFUSED;
        case BEGIN_IN_FLIGHT -> commandKept ? RESEND_BEGIN : NONE;
        case NO_TRANSACTION -> NONE;
      };
      case RESULT_INTERRUPTED -> loss.kind() == TransactionLoss.Kind.REFUSED ? REFUSED : NONE;
      // the session ends, the command is re-sent outside a transaction, or the server answered it
      case SESSION_KILLED, IDLE_EXPIRED, UNTRACKED, RESEND, STATEMENT_KILLED, MID_COMMAND, IGNORED -> NONE;
    };
  }
}
