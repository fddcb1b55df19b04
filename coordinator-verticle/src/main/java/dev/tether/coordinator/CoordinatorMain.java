package dev.tether.coordinator;

import dev.tether.cluster.HazelcastSetup;
import dev.tether.config.CommandLine;
import dev.tether.config.StartupConfig;
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
    CommandLine command = CommandLine.parse(args);
    TetherConfig config;
    try {
      config = StartupConfig.load(command);
    } catch (Exception e) {
      log.error("coordinator failed to read its configuration: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    HazelcastSetup.clusteredVertx(Vertx.builder(), config.cluster(), new VertxOptions())
        .compose(vertx -> FlavorDetection.detect(vertx, config.coordinator())
            .compose(flavor -> vertx.deployVerticle(new CoordinatorVerticle(config, flavor))))
        .onSuccess(id -> log.info("coordinator started"))
        .onFailure(failure -> {
          log.error("coordinator failed to start: {}", failure.getMessage(), failure);
          System.exit(1);
        });
  }
}
