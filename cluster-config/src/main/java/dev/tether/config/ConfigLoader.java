package dev.tether.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads the YAML configuration file with Vert.x Config, applies command-line overrides written as
 * dotted keys ({@code proxy.port=6034}), checks the result against {@link ConfigSchema} and resolves
 * secrets given by reference ({@link SecretReferences}). Any problem fails the future with a
 * {@link ConfigException} naming the key.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static Future<TetherConfig> load(Vertx vertx, String yamlPath, Map<String, String> overrides) {
    return load(vertx, yamlPath, overrides, System::getenv);
  }

  /** As {@link #load(Vertx, String, Map)}, reading environment variables through {@code environment}. */
  public static Future<TetherConfig> load(Vertx vertx, String yamlPath, Map<String, String> overrides,
                                          Function<String, String> environment) {
    if (yamlPath != null && !Files.isRegularFile(Path.of(yamlPath))) {
      return Future.failedFuture(new ConfigException("--config", "file not found: " + yamlPath));
    }
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false);
    if (yamlPath != null) {
      options.addStore(new ConfigStoreOptions()
          .setType("file")
          .setFormat("yaml")
          .setConfig(new JsonObject().put("path", yamlPath)));
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
        .recover(e -> Future.failedFuture(e instanceof ConfigException ? e
            : new ConfigException("--config", "cannot read " + yamlPath + ": " + oneLine(e))))
        .map(json -> fromChecked(applyOverrides(json, overrides), environment))
        .andThen(ignored -> retriever.close());
  }

  /** Checks a raw tree, resolves its secret references and reads it. */
  public static TetherConfig fromChecked(JsonObject raw, Function<String, String> environment) {
    JsonObject checked = SecretReferences.resolve(ConfigSchema.check(raw), environment);
    try {
      return TetherConfig.fromJson(checked);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("configuration", oneLine(e));
    }
  }

  private static String oneLine(Throwable e) {
    String message = String.valueOf(e.getCause() != null && e.getCause() != e ? e.getCause().getMessage() : e.getMessage());
    return message.replaceAll("\\s+", " ").trim();
  }

  /** Sets each dotted key in the tree; numbers and booleans are typed, everything else a string. */
  public static JsonObject applyOverrides(JsonObject root, Map<String, String> overrides) {
    overrides.forEach((key, value) -> {
      String[] path = key.split("\\.");
      JsonObject node = root;
      for (int i = 0; i < path.length - 1; i++) {
        Object existing = node.getValue(path[i]);
        if (existing != null && !(existing instanceof JsonObject)) {
          throw new ConfigException(String.join(".", java.util.Arrays.copyOf(path, i + 1)),
              "is a value, not a section, so " + key + " cannot be set");
        }
        JsonObject child = (JsonObject) existing;
        if (child == null) {
          child = new JsonObject();
          node.put(path[i], child);
        }
        node = child;
      }
      node.put(path[path.length - 1], typed(value));
    });
    return root;
  }

  private static Object typed(String value) {
    if ("true".equals(value) || "false".equals(value)) {
      return Boolean.valueOf(value);
    }
    try {
      return Long.valueOf(value);
    } catch (NumberFormatException notANumber) {
      return value;
    }
  }
}
