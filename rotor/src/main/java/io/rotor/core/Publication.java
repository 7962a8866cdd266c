package io.rotor.core;

import java.util.Map;

/**
 * One message on a channel. {@code data} is raw JSON (UTF-8, no newlines). {@code offset} is 0 for
 * channels without history; {@code epoch} travels with it so subscribers can check stream identity.
 * {@code time} is the unix-ms time of publication, used for history TTL. {@code delta} marks a
 * publication its publisher allowed to be sent as a delta against the previous one of the channel
 * (publish {@code delta} or the namespace's {@code delta_publish}).
 */
public record Publication(long offset, String epoch, byte[] data, ClientInfo info, Map<String, String> tags, long time,
                          boolean delta) {

  public Publication(long offset, String epoch, byte[] data, ClientInfo info, Map<String, String> tags, long time) {
    this(offset, epoch, data, info, tags, time, false);
  }

  public Publication withPosition(long offset, String epoch) {
    return new Publication(offset, epoch, data, info, tags, time, delta);
  }

  public Publication withDelta(boolean delta) {
    return delta == this.delta ? this : new Publication(offset, epoch, data, info, tags, time, delta);
  }
}
