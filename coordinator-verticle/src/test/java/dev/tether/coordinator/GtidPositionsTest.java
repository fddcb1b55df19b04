package dev.tether.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GtidPositionsTest {
  @Test
  void theHighestSequenceNumberOfMariaDbAndMySqlPositions() {
    assertEquals(42, GtidPositions.highestSequence("0-1-42"));
    assertEquals(42, GtidPositions.highestSequence("0-1-40,1-2-42"));
    assertEquals(17, GtidPositions.highestSequence("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-17"));
    assertEquals(-1, GtidPositions.highestSequence(""));
    assertEquals(-1, GtidPositions.highestSequence(null));
  }
}
