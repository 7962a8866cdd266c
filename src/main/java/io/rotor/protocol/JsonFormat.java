package io.rotor.protocol;

import io.rotor.core.ClientError;

import com.fasterxml.jackson.databind.JsonNode;
import io.rotor.core.Publication;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The JSON encoding as a {@link Codec}: {@link JsonCodec}'s encoders, messages joined by newlines. */
final class JsonFormat implements Codec {

  @Override
  public String name() {
    return "json";
  }

  @Override
  public boolean binary() {
    return false;
  }

  @Override
  public List<Command> decodeFrame(byte[] frame) {
    return JsonCodec.decodeFrame(new String(frame, StandardCharsets.UTF_8));
  }

  @Override
  public byte[] reply(long id, String key, JsonNode result) {
    return JsonCodec.reply(id, key, result);
  }

  @Override
  public byte[] error(long id, ClientError error) {
    return JsonCodec.error(id, error);
  }

  @Override
  public byte[] push(String channel, String key, JsonNode body) {
    return JsonCodec.push(channel, key, body);
  }

  @Override
  public byte[] publicationPush(String channel, Publication pub, byte[] jsonFrame) {
    return jsonFrame != null ? jsonFrame : JsonCodec.publicationPush(channel, pub);
  }

  @Override
  public byte[] joinLeavePush(byte[] jsonFrame) {
    return jsonFrame;
  }

  @Override
  public byte[] ping() {
    return JsonCodec.PING;
  }

  @Override
  public byte[] frame(List<byte[]> messages, int totalBytes) {
    if (messages.size() == 1) {
      return messages.get(0);
    }
    byte[] frame = new byte[totalBytes + messages.size() - 1];
    int pos = 0;
    for (byte[] m : messages) {
      if (pos > 0) {
        frame[pos++] = '\n';
      }
      System.arraycopy(m, 0, frame, pos, m.length);
      pos += m.length;
    }
    return frame;
  }
}
