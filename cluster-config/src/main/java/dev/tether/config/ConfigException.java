package dev.tether.config;

/** A configuration the process must refuse to start with; the message names the key and the problem in one line. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
  }
}
