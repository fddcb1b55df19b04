package dev.tether.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Loads the YAML configuration file with Vert.x Config, then applies command-line overrides written
 * as dotted keys ({@code proxy.port=6034}).
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static Future<TetherConfig> load(Vertx vertx, String yamlPath, Map<String, String> overrides) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false);
    if (yamlPath != null) {
      options.addStore(new ConfigStoreOptions()
          .setType("file")
          .setFormat("yaml")
          .setConfig(new JsonObject().put("path", yamlPath)));
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig()
        .map(json -> TetherConfig.fromJson(applyOverrides(json, overrides)))
        .andThen(ignored -> retriever.close());
  }

  /** Sets each dotted key in the tree; numbers and booleans are typed, everything else a string. */
  public static JsonObject applyOverrides(JsonObject root, Map<String, String> overrides) {
    overrides.forEach((key, value) -> {
      String[] path = key.split("\\.");
      JsonObject node = root;
      for (int i = 0; i < path.length - 1; i++) {
        JsonObject child = node.getJsonObject(path[i]);
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
