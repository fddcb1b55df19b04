package dev.tether.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** coordinator.switchoverMode: drain unless configured, either mode read, anything else refused. */
class SwitchoverModeConfigTest {

  private static SwitchoverMode read(Map<String, String> keys) {
    JsonObject json = ConfigSchema.check(ConfigLoader.applyOverrides(new JsonObject(), keys));
    return TetherConfig.fromJson(json).coordinator().switchoverMode();
  }

  @Test
  void plannedSwitchoversDrainUnlessConfiguredToReplay() {
    assertEquals(SwitchoverMode.DRAIN, read(Map.of()));
    assertEquals(SwitchoverMode.REPLAY, read(Map.of("coordinator.switchoverMode", "replay")));
    assertEquals(SwitchoverMode.DRAIN, read(Map.of("coordinator.switchoverMode", "drain")));
  }

  @Test
  void anUnknownModeIsRefusedNamingTheKey() {
    ConfigException refused = assertThrows(ConfigException.class,
        () -> read(Map.of("coordinator.switchoverMode", "teleport")));
    assertTrue(refused.getMessage().contains("coordinator.switchoverMode"), refused.getMessage());
  }
}
