package dev.tether.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** A reason's metric label is its name in lower case, whatever the JVM's default locale. */
class LabelledTest {
  enum Reason implements Labelled { HISTORY_OVER_CAP, LOGIN_REFUSED }

  @Test
  void aLabelIsTheNameInLowerCaseEvenUnderATurkishDefaultLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR")); // where "I".toLowerCase() is a dotless ı
      assertEquals("history_over_cap", Reason.HISTORY_OVER_CAP.label());
      assertEquals("login_refused", Reason.LOGIN_REFUSED.label());
    } finally {
      Locale.setDefault(before);
    }
  }
}
