package dev.tether.coordinator;

import dev.tether.cluster.HazelcastSetup;
import dev.tether.config.CommandLine;
import dev.tether.config.ConfigException;
import dev.tether.config.ConfigLoader;
import dev.tether.config.StartupFailure;
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
    try {
      command = CommandLine.parse(args);
    } catch (ConfigException e) {
      StartupFailure.exit("tether coordinator", e, log);
      return;
    }
    Vertx bootstrap = Vertx.vertx();
    ConfigLoader.load(bootstrap, command.configPath(), command.overrides())
        .andThen(loaded -> bootstrap.close())
        .compose(config -> HazelcastSetup.clusteredVertx(Vertx.builder(), config.cluster(), new VertxOptions())
            .compose(vertx -> vertx.deployVerticle(new CoordinatorVerticle(config, new MariaDbFlavor()))))
        .onSuccess(id -> log.info("coordinator started"))
        .onFailure(failure -> StartupFailure.exit("tether coordinator", failure, log));
  }
}
