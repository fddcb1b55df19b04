package dev.tether.coordinator;

import dev.tether.cluster.HazelcastSetup;
import dev.tether.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Command line of a coordinator: {@code java -jar coordinator.jar [--config tether.yaml] [key=value ...]}. */
public final class CoordinatorMain {
  private static final Logger log = LoggerFactory.getLogger(CoordinatorMain.class);

  private CoordinatorMain() {}

  public static void main(String[] args) {
    String configPath = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if ("--config".equals(args[i]) && i + 1 < args.length) {
        configPath = args[++i];
      } else if (args[i].contains("=")) {
        String[] kv = args[i].split("=", 2);
        overrides.put(kv[0].replaceFirst("^--", ""), kv[1]);
      }
    }
    Vertx bootstrap = Vertx.vertx();
    ConfigLoader.load(bootstrap, configPath, overrides)
        .andThen(loaded -> bootstrap.close())
        .compose(config -> HazelcastSetup.clusteredVertx(Vertx.builder(), config.cluster(), new VertxOptions())
            .compose(vertx -> vertx.deployVerticle(new CoordinatorVerticle(config, new MariaDbFlavor()))))
        .onSuccess(id -> log.info("coordinator started"))
        .onFailure(failure -> {
          log.error("coordinator failed to start: {}", failure.getMessage(), failure);
          System.exit(1);
        });
  }
}
