package dev.tether.config;

import org.slf4j.Logger;

/**
 * How a Tether process ends when it cannot start: a configuration error is one line on standard
 * error naming the key, exit code 2; anything else is logged with its cause, exit code 1.
 */
public final class StartupFailure {
  public static final int CONFIGURATION_ERROR = 2;
  public static final int OTHER_ERROR = 1;

  private StartupFailure() {}

  /** The exit code for {@code failure}, after saying what went wrong. */
  public static int report(String process, Throwable failure, Logger log) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConfigException config) {
        System.err.println(process + ": configuration error: " + config.getMessage());
        return CONFIGURATION_ERROR;
      }
    }
    log.error("{} failed to start: {}", process, failure.getMessage(), failure);
    return OTHER_ERROR;
  }

  /** Reports {@code failure} and ends the process. */
  public static void exit(String process, Throwable failure, Logger log) {
    System.exit(report(process, failure, log));
  }
}
