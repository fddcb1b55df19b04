package dev.tether.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import dev.tether.config.ClusterConfig;
import dev.tether.config.TetherConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterContractTest {

  @Test
  void hazelcastJoinsByTcpIpOnLoopbackNeverByMulticastAndNeverPhonesHome() {
    ClusterConfig cluster = TetherConfig.fromJson(new JsonObject()).cluster();
    assertEquals("127.0.0.1", cluster.host());
    Config config = HazelcastSetup.hazelcastConfig(cluster);
    assertFalse(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled());
    assertFalse(config.getNetworkConfig().getJoin().getAutoDetectionConfig().isEnabled());
    assertTrue(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1"), config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
    assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
    assertTrue(config.getNetworkConfig().getInterfaces().isEnabled());
    assertEquals(List.of("127.0.0.1"), List.copyOf(config.getNetworkConfig().getInterfaces().getInterfaces()));
  }

  @Test
  void phaseCommandsAndAcknowledgementsRoundTripThroughJson() {
    for (PhaseCommand command : List.of(PhaseCommand.block(7, 2000),
        PhaseCommand.block(7, 0, ServerAddress.parse("127.0.0.1:13307"), dev.tether.config.SwitchoverMode.REPLAY),
        PhaseCommand.switchTo(8, "127.0.0.1", 13307),
        PhaseCommand.switchAndHold(8, "127.0.0.1", 13307),
        PhaseCommand.restore(8))) {
      assertEquals(command, PhaseCommand.fromJson(command.toJson()));
    }
    assertEquals(dev.tether.config.SwitchoverMode.DRAIN,
        PhaseCommand.fromJson(withoutMode(PhaseCommand.block(7, 2000).toJson())).mode(),
        "a BLOCK from a coordinator that names no mode drains");
    JsonObject olderSwitch = PhaseCommand.switchAndHold(8, "127.0.0.1", 13307).toJson();
    olderSwitch.remove("holdsUntilRestore");
    assertFalse(PhaseCommand.fromJson(olderSwitch).holdsUntilRestore(),
        "a SWITCH from a coordinator that does not say it will hold lets commands go on");
    PhaseAck ack = new PhaseAck("proxy-6033", PhaseCommand.Phase.SWITCH, 8, true, 32, 32, 0, 0, 41, false, 0);
    assertEquals(ack, PhaseAck.fromJson(ack.toJson()));
  }

  private static JsonObject withoutMode(JsonObject command) {
    command.remove("mode");
    return command;
  }
}
