package dev.tether.proxy.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.proxy.session.LossClassifier.Outcome;
import dev.tether.proxy.transaction.CommitMarker;
import dev.tether.proxy.transaction.NotReplayable;
import dev.tether.proxy.transaction.TransactionLoss;
import dev.tether.proxy.transaction.TransactionLoss.Kind;
import org.junit.jupiter.api.Test;

/** When a lost connection's open transaction is carried over, and when today's outcome stands. */
class CarryDecisionTest {
  private static final TransactionLoss REPLAY = new TransactionLoss(Kind.REPLAY, null, null);
  private static final TransactionLoss REFUSED = new TransactionLoss(Kind.REFUSED, NotReplayable.NON_DETERMINISTIC, null);
  private static final TransactionLoss NONE = new TransactionLoss(Kind.NO_TRANSACTION, null, null);
  private static final TransactionLoss ROLLBACK = new TransactionLoss(Kind.ROLLED_BACK, null, null);
  private static final TransactionLoss COMMIT_MARKED = new TransactionLoss(Kind.COMMIT_IN_FLIGHT, null,
      new CommitMarker.Token(new byte[16], CommitMarker.Answer.OK));
  private static final TransactionLoss COMMIT_BARE = new TransactionLoss(Kind.COMMIT_IN_FLIGHT, null, null);

  @Test
  void aReplayableTransactionLostBetweenCommandsIsReplayed() {
    assertEquals(CarryDecision.REPLAY_BETWEEN_COMMANDS, CarryDecision.decide(Outcome.REBUILD, REPLAY, false));
  }

  @Test
  void aStatementLostInAReplayableTransactionIsCarriedAndReSentIfKept() {
    assertEquals(CarryDecision.CARRY_IN_FLIGHT, CarryDecision.decide(Outcome.TRANSACTION_LOST, REPLAY, true));
    assertEquals(CarryDecision.CARRY_IN_FLIGHT, CarryDecision.decide(Outcome.OUTCOME_UNKNOWN, REPLAY, true));
    assertEquals(CarryDecision.COMMAND_NOT_KEPT, CarryDecision.decide(Outcome.TRANSACTION_LOST, REPLAY, false));
  }

  @Test
  void aLostCommitIsResolvedOnlyWithItsMarker() {
    assertEquals(CarryDecision.CARRY_IN_FLIGHT, CarryDecision.decide(Outcome.OUTCOME_UNKNOWN, COMMIT_MARKED, true));
    assertEquals(CarryDecision.COMMIT_UNKNOWN, CarryDecision.decide(Outcome.OUTCOME_UNKNOWN, COMMIT_BARE, true));
  }

  @Test
  void theBeginThatWouldOpenATransactionIsReSentWhenKept() {
    TransactionLoss begin = new TransactionLoss(Kind.BEGIN_IN_FLIGHT, null, null);
    assertEquals(CarryDecision.RESEND_BEGIN, CarryDecision.decide(Outcome.OUTCOME_UNKNOWN, begin, true));
    assertEquals(CarryDecision.NONE, CarryDecision.decide(Outcome.OUTCOME_UNKNOWN, begin, false));
  }

  @Test
  void aRollbackInFlightIsAnsweredAndARefusedTransactionFallsBackWithItsReason() {
    assertEquals(CarryDecision.ANSWER_ROLLBACK, CarryDecision.decide(Outcome.TRANSACTION_LOST, ROLLBACK, true));
    assertEquals(CarryDecision.REFUSED, CarryDecision.decide(Outcome.REBUILD, REFUSED, false));
    assertEquals(CarryDecision.REFUSED, CarryDecision.decide(Outcome.TRANSACTION_LOST, REFUSED, true));
    assertEquals(CarryDecision.REFUSED, CarryDecision.decide(Outcome.RESULT_INTERRUPTED, REFUSED, false));
  }

  @Test
  void outsideATransactionOrWhenTheSessionEndsNothingIsCarried() {
    for (Outcome outcome : Outcome.values()) {
      assertEquals(CarryDecision.NONE, CarryDecision.decide(outcome, NONE, true), outcome.name());
    }
    for (Outcome outcome : new Outcome[] {Outcome.SESSION_KILLED, Outcome.IDLE_EXPIRED, Outcome.UNTRACKED,
        Outcome.MID_COMMAND, Outcome.IGNORED, Outcome.STATEMENT_KILLED}) {
      assertEquals(CarryDecision.NONE, CarryDecision.decide(outcome, REPLAY, true), outcome.name());
    }
  }
}
