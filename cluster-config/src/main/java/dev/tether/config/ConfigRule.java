package dev.tether.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one configuration key may hold. A rule checks a value and returns it normalised (a number
 * given for a text key becomes text, a comma-separated text given for a list becomes a list, as
 * command-line overrides produce them), or throws a {@link ConfigException} naming the key.
 */
@FunctionalInterface
interface ConfigRule {
  Object check(String key, Object value);

  static ConfigRule text() {
    return (key, value) -> {
      if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
        return String.valueOf(value);
      }
      throw new ConfigException(key, "expected a text value, got " + describe(value));
    };
  }

  static ConfigRule bool() {
    return (key, value) -> {
      if (value instanceof Boolean) {
        return value;
      }
      throw new ConfigException(key, "expected true or false, got " + describe(value));
    };
  }

  static ConfigRule integer(long min, long max) {
    return (key, value) -> {
      if (!(value instanceof Integer || value instanceof Long)) {
        throw new ConfigException(key, "expected a whole number, got " + describe(value));
      }
      long n = ((Number) value).longValue();
      if (n < min || n > max) {
        throw new ConfigException(key, n + " is out of range " + min + ".." + max);
      }
      return value;
    };
  }

  /** A TCP port; 0 lets the system pick one. */
  static ConfigRule port() {
    return integer(0, 65_535);
  }

  /** A path to a file that must exist and be readable now, not at the first connection. */
  static ConfigRule file() {
    return (key, value) -> {
      String path = (String) text().check(key, value);
      if (!Files.isRegularFile(Path.of(path))) {
        throw new ConfigException(key, "file not found: " + path);
      }
      if (!Files.isReadable(Path.of(path))) {
        throw new ConfigException(key, "file not readable: " + path);
      }
      return path;
    };
  }

  static ConfigRule oneOf(Set<String> allowed) {
    return (key, value) -> {
      String text = (String) text().check(key, value);
      if (!allowed.contains(text)) {
        throw new ConfigException(key, "'" + text + "' is not one of " + String.join(", ", allowed));
      }
      return text;
    };
  }

  static ConfigRule textList() {
    return (key, value) -> {
      if (value instanceof String text) {
        JsonArray split = new JsonArray();
        for (String item : text.split(",")) {
          if (!item.isBlank()) {
            split.add(item.trim());
          }
        }
        return split;
      }
      if (!(value instanceof JsonArray array)) {
        throw new ConfigException(key, "expected a list, got " + describe(value));
      }
      JsonArray checked = new JsonArray();
      for (int i = 0; i < array.size(); i++) {
        checked.add(text().check(key + "[" + i + "]", array.getValue(i)));
      }
      return checked;
    };
  }

  static ConfigRule listOf(ConfigRule element) {
    return (key, value) -> {
      if (!(value instanceof JsonArray array)) {
        throw new ConfigException(key, "expected a list, got " + describe(value));
      }
      JsonArray checked = new JsonArray();
      for (int i = 0; i < array.size(); i++) {
        checked.add(element.check(key + "[" + i + "]", array.getValue(i)));
      }
      return checked;
    };
  }

  /** A section: every key must be one of {@code keys} (a typo is an error, never ignored). */
  static ConfigRule section(Map<String, ConfigRule> keys) {
    Map<String, ConfigRule> known = new LinkedHashMap<>(keys);
    return (key, value) -> {
      if (!(value instanceof JsonObject object)) {
        throw new ConfigException(key, "expected a section of keys, got " + describe(value));
      }
      JsonObject checked = new JsonObject();
      for (String name : object.fieldNames()) {
        String path = key.isEmpty() ? name : key + "." + name;
        ConfigRule rule = known.get(name);
        if (rule == null) {
          throw new ConfigException(path, "unknown key (" + (key.isEmpty() ? "the top level" : key) + " has: "
              + String.join(", ", new TreeSet<>(known.keySet())) + ")");
        }
        Object item = object.getValue(name);
        if (item != null) { // a key written with no value is as if absent
          checked.put(name, rule.check(path, item));
        }
      }
      return checked;
    };
  }

  private static String describe(Object value) {
    if (value instanceof CharSequence) {
      return "the text \"" + value + "\"";
    }
    if (value instanceof JsonObject) {
      return "a section";
    }
    if (value instanceof JsonArray) {
      return "a list";
    }
    return value instanceof Number ? "the number " + value : String.valueOf(value);
  }

  /** Keys {@code name}, {@code nameEnv} and {@code nameFile}: a secret given inline or by reference. */
  static void secret(Map<String, ConfigRule> keys, String name) {
    keys.put(name, text());
    keys.put(name + SecretReferences.ENV_SUFFIX, text());
    keys.put(name + SecretReferences.FILE_SUFFIX, file());
  }

}
