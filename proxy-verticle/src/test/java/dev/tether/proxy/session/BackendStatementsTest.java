package dev.tether.proxy.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Statement ids across a reconnection: the client's ids never change, the backend's do. */
class BackendStatementsTest {

  @Test
  void afterAReconnectionCommandsAreRewrittenToTheNewBackendIds() {
    BackendStatements map = new BackendStatements();
    map.remap(Map.of(2L, 1L, 3L, 2L)); // statement 1 was closed before the loss
    Buffer execute = Buffer.buffer().appendByte((byte) 0x17).appendUnsignedIntLE(3).appendByte((byte) 0);
    map.rewriteId(execute, 3);
    assertEquals(2, execute.getUnsignedIntLE(1));
    assertEquals(1, map.backendId(2));
  }

  @Test
  void aStatementPreparedAfterTheReconnectionGetsAClientIdNotAlreadyInUse() {
    BackendStatements map = new BackendStatements();
    map.remap(Map.of(2L, 1L, 3L, 2L));
    // the new backend hands out id 3, but the client already knows a statement 3
    long clientId = map.assignClientId(3, Set.of(2L, 3L));
    assertEquals(4, clientId);
    assertEquals(3, map.backendId(4));
    // without a clash the backend's id is the client's
    assertEquals(7, new BackendStatements().assignClientId(7, Set.of(1L)));
  }

  @Test
  void parameterTypesAreInjectedOnceAfterAReconnectionAndLostLongDataIsReportedOnce() {
    BackendStatements map = new BackendStatements();
    byte[] types = {3, 0, (byte) 253, 0};
    map.rememberTypes(5, types);
    assertNull(map.typesToInject(5), "the current backend already knows them");
    map.longDataSent(5);
    map.remap(Map.of(5L, 1L));
    assertArrayEquals(types, map.typesToInject(5));
    map.rememberTypes(5, types);
    assertNull(map.typesToInject(5));
    assertTrue(map.takeLostLongData(5));
    assertFalse(map.takeLostLongData(5));
  }
}
