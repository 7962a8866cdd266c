package io.rotor.transport.uni;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rotor.protocol.Command;
import io.rotor.protocol.CommandType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/**
 * The unidirectional transports' connect on arbitrary input: {@link Command#uniConnect} either
 * refuses (null: the endpoint answers 400 or closes with 3501) or yields one typed connect command
 * with id 1. Nothing else may escape, whatever the text.
 */
class UniConnectPropertiesTest {

  private static void connectOrRefuse(String request) {
    Command command = Command.uniConnect(request);
    if (command == null) {
      return;
    }
    assertEquals(CommandType.CONNECT, command.type());
    assertEquals(1, command.id());
    assertTrue(command.pb().hasConnect());
  }

  @Property(tries = 2000)
  void randomText(@ForAll @StringLength(max = 300) String request) {
    connectOrRefuse(request);
  }

  @Property(tries = 2000)
  void jsonLikeText(@ForAll("jsonish") String request) {
    connectOrRefuse(request);
  }

  @Provide
  Arbitrary<String> jsonish() {
    Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ":", ",", "\"", "\n", "\\", "\"token\"",
        "\"push\":", "{\"push\":", "\"connect\"", "\"error\"", "\"code\"", "\"data\"", "\"subs\"", "null", "true",
        "-1", "0", "109", "4294967296", "1e400", "\"\\ud800\"", " ", "{}", "\"x\"");
    return token.list().ofMaxSize(40).map(l -> String.join("", l));
  }
}
