package dev.tether.proxy.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Event loops' counts add up, the reasons transactions cannot be replayed merged by label. */
class SessionCountsTest {

  @Test
  void replayableTransactionsAndTheReasonsOfTheOthersAddUpAcrossEventLoops() {
    SessionCounts one = new SessionCounts(3, 1, 2, 0, 10, 1, 1, Map.of("non_deterministic", 1));
    SessionCounts two = new SessionCounts(4, 0, 3, 1, 25, 1, 0, Map.of("non_deterministic", 1, "too_large", 1));
    SessionCounts sum = SessionCounts.NONE.plus(one).plus(two);
    assertEquals(new SessionCounts(7, 1, 5, 1, 25, 2, 1, Map.of("non_deterministic", 2, "too_large", 1)), sum);
  }
}
