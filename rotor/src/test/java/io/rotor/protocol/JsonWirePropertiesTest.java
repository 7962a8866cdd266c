package io.rotor.protocol;

import io.rotor.core.Disconnect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * The JSON wire's command decoder on arbitrary input: it either returns commands or refuses the frame
 * with the protocol's bad-request disconnect. No other exception may escape, whatever the bytes.
 */
class JsonWirePropertiesTest {

  private static void decodesOrRefuses(String frame) {
    try {
      List<Command> commands = Wire.JSON.decode(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertTrue(!commands.isEmpty());
      for (Command c : commands) {
        assertTrue(c.isPong() || c.pb().hasField(c.type().field()), "the typed request is set");
        assertTrue(c.id() >= 0 && c.id() <= 0xFFFFFFFFL);
      }
    } catch (Disconnect.Exception e) {
      assertEquals(3501, e.disconnect().code());
    }
  }

  @Property(tries = 2000)
  void randomText(@ForAll @StringLength(max = 300) String frame) {
    decodesOrRefuses(frame);
  }

  @Property(tries = 2000)
  void jsonLikeText(@ForAll("jsonish") String frame) {
    decodesOrRefuses(frame);
  }

  @Property(tries = 2000)
  void truncatedValidCommands(@ForAll("validFrames") String frame, @ForAll("cut") double cut) {
    decodesOrRefuses(frame.substring(0, (int) (frame.length() * cut)));
  }

  @Property(tries = 1000)
  void deeplyNested(@ForAll("depth") int depth) {
    decodesOrRefuses("{\"id\":1,\"rpc\":{\"data\":" + "[".repeat(depth) + "]".repeat(depth) + "}}");
  }

  @Provide
  Arbitrary<String> jsonish() {
    Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "\n", "\\", "id", "\"id\"",
        "\"connect\"", "\"subscribe\"", "\"send\"", "\"channel\"", "null", "true", "-1", "0", "1",
        "4294967296", "1e400", "1.5", "\"\\u0000\"", "\"\\ud800\"", " ", "{}");
    return token.list().ofMaxSize(40).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> validFrames() {
    Arbitrary<String> one = Combinators.combine(Arbitraries.integers().between(0, 1000),
        Arbitraries.of("connect", "subscribe", "publish", "presence", "history", "rpc", "send", "refresh"),
        Arbitraries.strings().alpha().ofMaxLength(20))
        .as((id, method, ch) -> "{\"id\":" + id + ",\"" + method + "\":{\"channel\":\"" + ch + "\",\"data\":{\"x\":[1,2]}}}");
    return one.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join("\n", l));
  }

  @Provide
  Arbitrary<Double> cut() {
    return Arbitraries.doubles().between(0, 1);
  }

  @Provide
  Arbitrary<Integer> depth() {
    return Arbitraries.integers().between(1, 5000);
  }
}
