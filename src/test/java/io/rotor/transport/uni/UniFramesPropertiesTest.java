package io.rotor.transport.uni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.protocol.Command;
import io.rotor.core.Disconnect;
import io.rotor.protocol.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * The unidirectional transports' connect on arbitrary input: {@link UniFrames#connectCommand}
 * either refuses (null: the endpoint answers 400 or closes with 3501) or yields exactly one
 * connect command the JSON decoder accepts; {@link UniFrames#translate} never throws on any output.
 */
class UniFramesPropertiesTest {

  private static void connectOrRefuse(String request) {
    String frame = UniFrames.connectCommand(request);
    if (frame == null) {
      return;
    }
    assertTrue(frame.indexOf('\n') < 0, "one command per frame: " + frame);
    try {
      List<Command> commands = JsonCodec.decodeFrame(frame);
      assertEquals(1, commands.size());
    } catch (Disconnect.Exception e) {
      // A connect the decoder refuses (e.g. a field of the wrong type) closes with 3501 later.
      assertEquals(3501, e.disconnect().code());
    }
  }

  @Property(tries = 2000)
  void randomText(@ForAll @StringLength(max = 300) String request) {
    connectOrRefuse(request);
  }

  @Property(tries = 2000)
  void jsonLikeText(@ForAll("jsonish") String request) {
    connectOrRefuse(request);
  }

  @Property(tries = 2000)
  void translateNeverThrows(@ForAll("jsonish") String frame) {
    assertNotNull(UniFrames.translate(frame.getBytes(StandardCharsets.UTF_8)));
  }

  @Provide
  Arbitrary<String> jsonish() {
    Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "\n", "\\", "\"token\"",
        "\"push\":", "{\"push\":", "\"connect\"", "\"error\"", "\"code\"", "\"data\"", "\"subs\"", "null", "true",
        "-1", "0", "109", "4294967296", "1e400", "\"\\ud800\"", " ", "{}", "\"x\"");
    return token.list().ofMaxSize(40).map(l -> String.join("", l));
  }
}
