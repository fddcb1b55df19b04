package dev.tether.proxy.node;

import dev.tether.config.AuthThrottleConfig;
import dev.tether.proxy.protocol.ErrPacket;
import dev.tether.proxy.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows, then stops, password guessing from one client address, without touching anyone else's
 * logins. Every login attempt counts as a failure from the moment it is admitted until it succeeds
 * or is abandoned unanswered (so guesses sent in parallel count at once); past {@code failuresBeforeDelay} failures
 * within the window an attempt waits on a timer (never blocking the event loop) before it is even
 * verified, so a right and a wrong password are answered equally late; past
 * {@code failuresBeforeRefusal} the address is refused at connect for the cool-down, then starts
 * afresh. Unknown users and wrong passwords are the same kind of failure here. Failures are also
 * counted per user name, for a warning when one account is being guessed from many addresses;
 * that never refuses the account, which would let anyone lock it. Shared by the node's event loops.
 */
public final class AuthThrottle {
  private static final Logger log = LoggerFactory.getLogger(AuthThrottle.class);
  public static final String THROTTLED = "tether.proxy.auth.throttled";
  public static final String REFUSED = "tether.proxy.auth.refused";
  /** Bound on the addresses (and, separately, user names) tracked; expired ones are pruned first. */
  static final int MAX_TRACKED = 100_000;

  /** What happens to one attempt. */
  public enum Verdict {
    /** Verified at once. */
    ALLOW,
    /** Verified after the configured delay. */
    DELAY,
    /** Refused: the address is cooling down. */
    REFUSE
  }

  /** Failures of one address or user within the current window; guarded by itself. */
  private static final class Tally {
    int failures;
    long windowStart;
    long blockedUntil;
    boolean warned;
  }

  private final AuthThrottleConfig config;
  private final LongSupplier clock;
  private final Map<String, Tally> addresses = new ConcurrentHashMap<>();
  private final Map<String, Tally> users = new ConcurrentHashMap<>();
  private final Counter throttled;
  private final Counter refused;

  public AuthThrottle(AuthThrottleConfig config, MeterRegistry registry, LongSupplier clockMillis) {
    this.config = config;
    this.clock = clockMillis;
    this.throttled = Counter.builder(THROTTLED)
        .description("login attempts delayed because their address had failed too often").register(registry);
    this.refused = Counter.builder(REFUSED)
        .description("connections refused because their address is cooling down after failed logins").register(registry);
  }

  /** At connect, before the greeting: the refusal to send when {@code address} is cooling down, else null. */
  public ErrPacket refusalAtConnect(String address) {
    if (!config.enabled()) {
      return null;
    }
    Tally tally = addresses.get(address);
    long now = clock.getAsLong();
    if (tally == null) {
      return null;
    }
    synchronized (tally) {
      if (tally.blockedUntil <= now) {
        return null;
      }
    }
    refused.increment();
    return refusal(address, tally, now);
  }

  /** A login attempt by {@code user} from {@code address}; counted as failed until {@link #forgive}n. */
  public Verdict attempt(String address, String user) {
    if (!config.enabled()) {
      return Verdict.ALLOW;
    }
    long now = clock.getAsLong();
    countUser(user, now);
    Tally tally = tally(addresses, address, now);
    if (tally == null) {
      return Verdict.ALLOW; // the table is full of live entries: see MAX_TRACKED
    }
    Verdict verdict;
    synchronized (tally) {
      if (tally.blockedUntil > now) {
        verdict = Verdict.REFUSE;
      } else {
        restartIfOver(tally, now);
        if (tally.failures >= config.failuresBeforeRefusal()) {
          tally.blockedUntil = now + config.coolDown().toMillis();
          log.warn("client address {} refused for {} s after {} failed logins", address, config.coolDown().toSeconds(),
              tally.failures);
          verdict = Verdict.REFUSE;
        } else {
          verdict = tally.failures >= config.failuresBeforeDelay() ? Verdict.DELAY : Verdict.ALLOW;
          tally.failures++;
        }
      }
    }
    return switch (verdict) {
      case ALLOW -> verdict;
      case DELAY -> {
        throttled.increment();
        yield verdict;
      }
      case REFUSE -> {
        refused.increment();
        yield verdict;
      }
    };
  }

  /** The attempt from {@code address} by {@code user} logged in, or was abandoned unanswered: no failure after all. */
  public void forgive(String address, String user) {
    for (Tally tally : new Tally[] {addresses.get(address), users.get(user)}) {
      if (tally != null) {
        synchronized (tally) {
          tally.failures = Math.max(0, tally.failures - 1);
        }
      }
    }
  }

  /**
   * One admitted login attempt, counted as failed from admission (so parallel guesses count at
   * once) until it is settled: a denial keeps the count, a login or an unanswered close undoes it.
   */
  public final class Attempt {
    private final String address;
    private final String user;
    private boolean settled;

    private Attempt(String address, String user) {
      this.address = address;
      this.user = user;
    }

    /** The first call decides; later ones change nothing. */
    public void settle(boolean failed) {
      if (!settled) {
        settled = true;
        if (!failed) {
          forgive(address, user);
        }
      }
    }
  }

  /** What {@link #admit} decided: the verdict, the attempt to settle, the refusal (REFUSE) and the delay (DELAY). */
  public record Admission(Verdict verdict, Attempt attempt, ErrPacket refusal, long delayMillis) {}

  /** Counts a login attempt of {@code user} from {@code address} and says whether it goes on now, later or not at all. */
  public Admission admit(String address, String user) {
    Verdict verdict = attempt(address, user);
    Attempt attempt = new Attempt(address, user);
    if (!config.enabled()) {
      attempt.settled = true; // nothing was counted
    }
    ErrPacket refusal = verdict == Verdict.REFUSE ? refusal(address, addresses.get(address), clock.getAsLong()) : null;
    return new Admission(verdict, attempt, refusal, Math.max(1, config.delay().toMillis()));
  }

  private ErrPacket refusal(String address, Tally tally, long now) {
    long seconds = 1;
    if (tally != null) {
      synchronized (tally) {
        seconds = Math.max(1, (tally.blockedUntil - now + 999) / 1000);
      }
    }
    return ErrPacket.of(ErrorCode.HOST_IS_BLOCKED, "Host '" + address + "' is blocked for " + seconds
        + " s after too many failed logins; try again later");
  }

  private void countUser(String user, long now) {
    Tally tally = tally(users, user, now);
    if (tally == null) {
      return;
    }
    synchronized (tally) {
      restartIfOver(tally, now);
      tally.failures++;
      if (tally.failures >= config.failuresBeforeRefusal() && !tally.warned) {
        tally.warned = true;
        log.warn("{} failed logins within {} s for user '{}' (from any address)", tally.failures,
            config.window().toSeconds(), printable(user));
      }
    }
  }

  /** A new window after the old one ran out, or after a cool-down ended. */
  private void restartIfOver(Tally tally, long now) {
    boolean cooledDown = tally.blockedUntil != 0 && tally.blockedUntil <= now;
    if (cooledDown || now - tally.windowStart > config.window().toMillis()) {
      tally.failures = 0;
      tally.blockedUntil = 0;
      tally.warned = false;
      tally.windowStart = now;
    }
  }

  private Tally tally(Map<String, Tally> table, String key, long now) {
    Tally tally = table.get(key);
    if (tally != null) {
      return tally;
    }
    if (table.size() >= MAX_TRACKED) {
      prune(table, now);
      if (table.size() >= MAX_TRACKED) {
        return null;
      }
    }
    return table.computeIfAbsent(key, k -> {
      Tally fresh = new Tally();
      fresh.windowStart = now;
      return fresh;
    });
  }

  private void prune(Map<String, Tally> table, long now) {
    table.values().removeIf(tally -> {
      synchronized (tally) {
        return tally.blockedUntil <= now && now - tally.windowStart > config.window().toMillis();
      }
    });
  }

  /** A client-chosen name, safe for one log line. */
  private static String printable(String user) {
    String cut = user.length() > 64 ? user.substring(0, 64) + "…" : user;
    return cut.replaceAll("[^\\x20-\\x7E]", "?");
  }

  int trackedAddresses() {
    return addresses.size();
  }
}
