package dev.tether.proxy.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectionIdsTest {

  @Test
  void idsArePositiveSignedIntsMarkedAsTetherAndCarryTheNodeNumber() {
    for (int node : new int[] {0, 1, 37, 255}) {
      ConnectionIds ids = new ConnectionIds();
      ids.node(node);
      long id = ids.next(x -> false);
      assertTrue(id > 0 && id <= Integer.MAX_VALUE, "fits a signed int: " + id);
      assertEquals(id, (long) (int) id);
      assertTrue(ConnectionIds.isTether(id));
      assertEquals(node, ConnectionIds.nodeOf(id));
    }
  }

  @Test
  void backendThreadIdsAreNeverTakenForTetherIds() {
    assertFalse(ConnectionIds.isTether(1));
    assertFalse(ConnectionIds.isTether((1L << 30) - 1));
    assertFalse(ConnectionIds.isTether(1L << 31));
    assertFalse(ConnectionIds.isTether(0xFFFF_FFFFL));
  }

  @Test
  void anIdStillInUseIsSkippedAndNodesNeverShareOne() {
    ConnectionIds a = new ConnectionIds();
    a.node(1);
    ConnectionIds b = new ConnectionIds();
    b.node(2);
    long first = a.next(x -> false);
    long second = a.next(x -> x == first + 1);
    assertEquals(first + 2, second);
    assertNotEquals(ConnectionIds.nodeOf(a.next(x -> false)), ConnectionIds.nodeOf(b.next(x -> false)));
  }
}
