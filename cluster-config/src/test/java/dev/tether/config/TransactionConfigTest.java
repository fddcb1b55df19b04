package dev.tether.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The proxy.transactions keys: their defaults, and the values the schema refuses. */
class TransactionConfigTest {

  private static TransactionConfig read(Map<String, String> keys) {
    JsonObject json = ConfigSchema.check(ConfigLoader.applyOverrides(new JsonObject(), keys));
    return TetherConfig.fromJson(json).proxy().transactions();
  }

  @Test
  void defaultsBoundRecordingAtOneMebibyteAndAThousandStatementsWithTheMarkerOff() {
    TransactionConfig config = read(Map.of());
    assertEquals(1024 * 1024, config.maxBytes());
    assertEquals(1000, config.maxStatements());
    assertEquals(Duration.ofSeconds(5), config.replayTimeout());
    assertFalse(config.commitMarker());
    assertEquals(Duration.ofMinutes(10), config.markerRetention());
    assertEquals("none", config.faultInjection());
  }

  @Test
  void everyKeyIsRead() {
    TransactionConfig config = read(Map.of("proxy.transactions.maxBytes", "4096",
        "proxy.transactions.maxStatements", "10", "proxy.transactions.replayTimeoutMs", "250",
        "proxy.transactions.commitMarker", "true", "proxy.transactions.markerRetentionMinutes", "3",
        "proxy.transactions.faultInjection", "drop_after_commit"));
    assertEquals(new TransactionConfig(4096, 10, Duration.ofMillis(250), true, Duration.ofMinutes(3),
        "drop_after_commit"), config);
  }

  @Test
  void anUnknownFaultOrANegativeBoundIsRefused() {
    ConfigException fault = assertThrows(ConfigException.class,
        () -> read(Map.of("proxy.transactions.faultInjection", "drop_everything")));
    assertTrue(fault.getMessage().contains("proxy.transactions.faultInjection"), fault.getMessage());
    assertThrows(ConfigException.class, () -> read(Map.of("proxy.transactions.maxStatements", "-1")));
    assertThrows(ConfigException.class, () -> read(Map.of("proxy.transactions.replayTimeoutMs", "0")));
  }
}
