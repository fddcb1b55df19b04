package dev.tether.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.testcontainers.DockerClientFactory;

/** Testcontainers tests need a Docker engine; where there is none they are skipped, saying why. */
public final class DockerEngine {
  private DockerEngine() {}

  /** Skips the calling test, naming {@code what} needed the engine, when no Docker engine answers. */
  public static void assumeAvailable(String what) {
    boolean available;
    try {
      available = DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable e) {
      available = false;
    }
    assumeTrue(available, "no Docker engine on this machine: " + what + " needs Testcontainers");
  }
}
