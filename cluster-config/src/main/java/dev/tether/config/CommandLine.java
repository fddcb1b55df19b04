package dev.tether.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line every Tether process takes: {@code [--config FILE] [key=value ...]}, each key a
 * dotted configuration key ({@code proxy.port=6034}).
 */
public record CommandLine(String configPath, Map<String, String> overrides) {

  public static CommandLine parse(String[] args) {
    String configPath = null;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if ("--config".equals(args[i]) && i + 1 < args.length) {
        configPath = args[++i];
      } else if (args[i].contains("=")) {
        String[] kv = args[i].split("=", 2);
        overrides.put(kv[0].replaceFirst("^--", ""), kv[1]);
      } else {
        throw new ConfigException("command line", "usage: [--config FILE] [key=value ...], not '" + args[i] + "'");
      }
    }
    return new CommandLine(configPath, overrides);
  }
}
