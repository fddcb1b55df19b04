package dev.tether.proxy.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.proxy.session.LossClassifier.Facts;
import dev.tether.proxy.session.LossClassifier.Outcome;
import dev.tether.proxy.session.LossClassifier.Where;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every way a session can react to losing its backend, each from the facts that lead to it. */
class LossClassifierTest {
  /** A healed loss of a tracked session with a read in flight that nothing has answered yet. */
  private static Facts inFlight(boolean resendable, boolean responseStarted, boolean inTransaction,
                                boolean cannotHaveCommitted, boolean serverAnswered) {
    return new Facts(Where.IN_FLIGHT, true, false, true, resendable, responseStarted, inTransaction,
        cannotHaveCommitted, serverAnswered);
  }

  private static Facts at(Where where) {
    return new Facts(where, true, false, true, false, false, false, false, false);
  }

  @Test
  void aKillEndsTheSessionWhereverItWas() {
    for (Where where : Where.values()) {
      assertEquals(Outcome.SESSION_KILLED, LossClassifier.classify(new Facts(where, false, true, false, true, false,
          false, false, false)));
    }
  }

  @Test
  void aBackendThatTimedOutWithTheClientsOwnWaitTimeoutClosesTheSessionAsItsServerWould() {
    assertEquals(Outcome.IDLE_EXPIRED, LossClassifier.classify(new Facts(Where.BETWEEN_COMMANDS, true, true, true,
        false, false, false, false, false)));
  }

  @Test
  void anUntrackedSessionHasNothingToRebuildFrom() {
    assertEquals(Outcome.UNTRACKED, LossClassifier.classify(new Facts(Where.BETWEEN_COMMANDS, true, false, false,
        true, false, false, false, false)));
  }

  @Test
  void betweenCommandsTheSessionIsRebuilt() {
    assertEquals(Outcome.REBUILD, LossClassifier.classify(at(Where.BETWEEN_COMMANDS)));
  }

  @Test
  void aCommandStillArrivingEndsTheSessionAndOneRebuildingIsLeftToItsOwner() {
    assertEquals(Outcome.MID_COMMAND, LossClassifier.classify(at(Where.MID_COMMAND)));
    assertEquals(Outcome.IGNORED, LossClassifier.classify(at(Where.ELSEWHERE)));
  }

  @Test
  void anUnansweredReadIsResent() {
    assertEquals(Outcome.RESEND, LossClassifier.classify(inFlight(true, false, false, true, true)));
  }

  @Test
  void aResultPartlyRelayedFailsTheStatement() {
    assertEquals(Outcome.RESULT_INTERRUPTED, LossClassifier.classify(inFlight(false, true, true, true, true)));
  }

  @Test
  void aStatementThatCannotHaveCommittedInsideATransactionReportsItRolledBack() {
    assertEquals(Outcome.TRANSACTION_LOST, LossClassifier.classify(inFlight(false, false, true, true, true)));
  }

  @Test
  void aStatementTheServerKilledBeforeClosingReportsTheKill() {
    assertEquals(Outcome.STATEMENT_KILLED, LossClassifier.classify(inFlight(false, false, true, false, true)));
    assertEquals(Outcome.STATEMENT_KILLED, LossClassifier.classify(inFlight(false, false, false, true, true)));
  }

  @Test
  void aWriteWithNoAnswerHasAnUnknownOutcome() {
    assertEquals(Outcome.OUTCOME_UNKNOWN, LossClassifier.classify(inFlight(false, false, false, false, false)));
    assertEquals(Outcome.OUTCOME_UNKNOWN, LossClassifier.classify(inFlight(false, false, true, false, false)),
        "a COMMIT may have committed");
  }

  @Test
  void everyOutcomeHasItsOwnMetricLabel() {
    Set<String> labels = new java.util.HashSet<>();
    for (Outcome outcome : EnumSet.allOf(Outcome.class)) {
      assertTrue(labels.add(outcome.label()), outcome + " shares a label");
    }
  }

  @Test
  void theConnectionsEndIsAKillOnlyWhenNothingElseExplainsIt() {
    assertEquals(BackendLoss.Outcome.SERVER_GONE, BackendLoss.decide(1053, true, true), "shutdown first");
    assertEquals(BackendLoss.Outcome.SWITCHED, BackendLoss.decide(1927, true, false), "a moved target heals");
    assertEquals(BackendLoss.Outcome.KILLED, BackendLoss.decide(1927, false, true), "the connection killed itself");
    assertEquals(BackendLoss.Outcome.NETWORK, BackendLoss.decide(0, false, true));
    assertNull(BackendLoss.decide(0, false, false), "a bare FIN: only the server can tell");
    assertEquals(BackendLoss.Outcome.KILLED, BackendLoss.answered(true));
    assertEquals(BackendLoss.Outcome.SERVER_GONE, BackendLoss.answered(false));
    assertFalse(BackendLoss.Outcome.KILLED.heals());
    assertTrue(BackendLoss.Outcome.NETWORK.heals());
  }
}
