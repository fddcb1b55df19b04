package dev.tether.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.coordinator.Election.Candidate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one rule that picks the next primary, for planned switchovers and failovers alike. */
class ElectionTest {
  @Test
  void theHighestGtidSequenceWins() {
    assertEquals(Optional.of("c"), Election.best(List.of(new Candidate("b", "0-1-120"), new Candidate("c", "0-1-130"))));
  }

  @Test
  void aReplicaThatDidNotAnswerIsNoCandidate() {
    assertEquals(Optional.of("b"), Election.best(List.of(new Candidate("b", "0-1-5"), new Candidate("c", null))));
  }

  @Test
  void ofEqualsTheFirstInConfigurationOrderWins() {
    assertEquals(Optional.of("b"), Election.best(List.of(new Candidate("b", "0-1-9"), new Candidate("c", "0-2-9"))));
  }

  @Test
  void anEmptyPositionOrNoAnswerAtAllElectsNobody() {
    assertEquals(Optional.empty(), Election.best(List.of(new Candidate("b", ""), new Candidate("c", null))));
  }

  @Test
  void mySqlGtidSetsAreComparedByTheirHighestSequence() {
    assertEquals(Optional.of("b"), Election.best(List.of(
        new Candidate("b", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-77"),
        new Candidate("c", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-76"))));
  }
}
