package dev.tether.proxy.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Table names as statements write them, resolved to the quoted, schema-qualified form replay uses. */
class TableNameTest {

  @Test
  void unqualifiedNamesTakeTheCurrentSchemaAndKeepTheirCase() {
    assertEquals(List.of(new TableName("app", "Orders")), TableName.parseList("Orders", "app"));
    assertEquals("`app`.`Orders`", new TableName("app", "Orders").quoted());
    assertEquals("`t`", new TableName(null, "t").quoted(), "no schema selected: the name alone");
  }

  @Test
  void backticksAndAnsiDoubleQuotesMayHoldSpacesDotsCommasAndDoubledQuotes() {
    assertEquals(List.of(new TableName("other", "Tëmp `odd`"), new TableName("app", "a.b, c")),
        TableName.parseList("other . \"Tëmp `odd`\", `a.b, c`", "app"));
    assertEquals(List.of(new TableName("s", "x\"y")), TableName.parseList("`s`.\"x\"\"y\"", null));
    assertEquals("`we``ird`", new TableName(null, "we`ird").quoted());
  }

  @Test
  void aListNamesEveryTable() {
    assertEquals(List.of(new TableName("app", "t1"), new TableName("db", "t2"), new TableName("app", "t3")),
        TableName.parseList("t1,db.t2 ,  `t3`", "app"));
  }
}
