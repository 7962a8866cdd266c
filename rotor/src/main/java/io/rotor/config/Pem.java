package io.rotor.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** A PEM value of a TLS object, as Centrifugo takes it: PEM text, a file path, or base64 of PEM text. */
public final class Pem {

  private Pem() {
  }

  /** The PEM text; IllegalArgumentException saying what the value is not. */
  public static String read(String value) {
    String v = value.trim();
    if (v.startsWith("-----BEGIN")) {
      return v;
    }
    Path file = Path.of(v);
    if (Files.isRegularFile(file)) {
      try {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        if (text.contains("-----BEGIN")) {
          return text;
        }
        throw new IllegalArgumentException("no PEM block in file \"" + v + "\"");
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read file \"" + v + "\": " + e.getMessage());
      }
    }
    try {
      String text = new String(Base64.getDecoder().decode(v), StandardCharsets.ISO_8859_1);
      if (text.contains("-----BEGIN")) {
        return text;
      }
    } catch (IllegalArgumentException notBase64) {
      // reported below
    }
    throw new IllegalArgumentException("neither PEM text, a readable file, nor base64-encoded PEM");
  }
}
