package dev.tether.config;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * Reads a process's configuration before its real Vert.x exists: on a throwaway Vert.x, waited for
 * on the calling (main) thread, which is then closed before anything else starts. Building the
 * node's own (clustered) Vert.x from a callback of that instance instead would run it on a Vert.x
 * context ("You're already on a Vert.x context") and complete later futures on a closed event loop
 * (RejectedExecutionException: event executor terminated).
 */
public final class StartupConfig {
  private StartupConfig() {}

  public static TetherConfig load(CommandLine command) throws Exception {
    Vertx bootstrap = Vertx.vertx();
    try {
      return ConfigLoader.load(bootstrap, command.configPath(), command.overrides())
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      bootstrap.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
