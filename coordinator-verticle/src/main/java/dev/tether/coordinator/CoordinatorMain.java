package dev.tether.coordinator;

import dev.tether.cluster.HazelcastSetup;
import dev.tether.config.CommandLine;
import dev.tether.config.StartupConfig;
import dev.tether.config.StartupFailure;
import dev.tether.config.TetherConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command line of a coordinator: {@code java -jar coordinator.jar [--config tether.yaml] [key=value ...]}. */
public final class CoordinatorMain {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorMain.class);

  private CoordinatorMain() {}

  public static void main(String[] args) {
    CommandLine command;
    TetherConfig config;
    try {
      command = CommandLine.parse(args);
      config = StartupConfig.load(command);
    } catch (Exception e) {
      StartupFailure.exit("tether coordinator", e, log);
      return;
    }
    HazelcastSetup.clusteredVertx(Vertx.builder(), config.cluster(), new VertxOptions())
        .compose(vertx -> FlavorDetection.detect(vertx, config.coordinator())
            .compose(flavor -> vertx.deployVerticle(new CoordinatorVerticle(config, flavor))))
        .onSuccess(id -> log.info("coordinator started"))
        .onFailure(failure -> StartupFailure.exit("tether coordinator", failure, log));
  }
}
