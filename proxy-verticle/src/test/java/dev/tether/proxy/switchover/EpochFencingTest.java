package dev.tether.proxy.switchover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.config.StaticUserStore;
import dev.tether.config.TetherConfig;
import dev.tether.proxy.NodeServices;
import dev.tether.proxy.backend.BackendTarget;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fencing by epoch, narrated: a node follows only ever-newer epochs. */
class EpochFencingTest {

  @Test
  void aNodeFollowsNewerEpochsAndIgnoresStaleAndRepeatedOnes() {
    NodeServices node = new NodeServices(TetherConfig.fromJson(new JsonObject()), new StaticUserStore(List.of()),
        null, null, null);
    assertEquals(0, node.target().epoch(), "starts on the configured primary at epoch 0");
    assertTrue(node.target(new BackendTarget("127.0.0.1", 13307, 1)), "epoch 1 names a new primary");
    assertFalse(node.target(new BackendTarget("127.0.0.1", 13306, 1)), "the same epoch again is stale");
    assertTrue(node.target(new BackendTarget("127.0.0.1", 13308, 3)), "epochs may skip");
    assertFalse(node.target(new BackendTarget("127.0.0.1", 13306, 2)), "an older coordinator's late message");
    assertEquals(new BackendTarget("127.0.0.1", 13308, 3), node.target());
  }
}
