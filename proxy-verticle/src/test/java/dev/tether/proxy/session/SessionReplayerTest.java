package dev.tether.proxy.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SQL replay sends, exactly. */
class SessionReplayerTest {

  @Test
  void systemVariablesAreSetWithNumbersBareAndEverythingElseQuoted() {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("sql_mode", "ANSI_QUOTES,NO_ZERO_DATE");
    vars.put("group_concat_max_len", "2048");
    vars.put("time_zone", "+05:30");
    vars.put("character_set_results", "");
    vars.put("init_connect", "it's \\ quoted");
    assertEquals("SET SESSION `sql_mode`='ANSI_QUOTES,NO_ZERO_DATE', `group_concat_max_len`=2048,"
        + " `time_zone`='+05:30', `character_set_results`=NULL, `init_connect`='it''s \\\\ quoted'",
        SessionReplayer.setSystemVariables(vars));
  }

  @Test
  void userVariablesKeepExactBytesTypesAndCollations() {
    Map<String, SessionState.UserVariable> vars = new LinkedHashMap<>();
    vars.put("i", new SessionState.UserVariable("INT", "latin1", null, "42".getBytes(StandardCharsets.US_ASCII)));
    vars.put("s", new SessionState.UserVariable("VARCHAR", "utf8mb4", "utf8mb4_unicode_ci",
        "é😀".getBytes(StandardCharsets.UTF_8)));
    vars.put("b", new SessionState.UserVariable("VARCHAR", "binary", "binary", new byte[] {0, (byte) 0xFF}));
    vars.put("n", new SessionState.UserVariable("VARCHAR", "utf8mb4", "utf8mb4_general_ci", null));
    vars.put("we`ird", new SessionState.UserVariable("INT", "latin1", null, null));
    assertEquals("SET @`i`=42, @`s`=_utf8mb4 X'c3a9f09f9880' COLLATE utf8mb4_unicode_ci, @`b`=X'00ff',"
        + " @`n`=CAST(NULL AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_general_ci,"
        + " @`we``ird`=CAST(NULL AS SIGNED)", SessionReplayer.setUserVariables(vars));
  }
}
