package io.rotor.channel;

import io.rotor.core.StreamPosition;

/**
 * How a subscription behaves, after permissions were applied to what the client asked.
 *
 * @param positioned      track offsets and detect gaps
 * @param recoverable     the client may recover missed publications on resubscribe
 * @param pushJoinLeave   this subscriber receives join/leave pushes
 * @param recoverSince    recover from this position, or null for no recovery
 * @param serverSide      a server-side subscription (gaps disconnect rather than unsubscribe)
 * @param rejectUnrecovered answer a failed recovery with error 112 (SubscribeRequest flag bit 2)
 * @param data            raw JSON returned in the subscribe result, or null
 * @param chanInfo        raw JSON channel info for presence and join/leave, or null
 * @param delta           fossil delta compression was negotiated ({@code SubscribeResult.delta})
 * @param tagsFilter      only publications whose tags match are delivered, or null for all
 */
public record SubscribeOptions(boolean positioned, boolean recoverable, boolean pushJoinLeave,
                               StreamPosition recoverSince, boolean serverSide, boolean rejectUnrecovered,
                               byte[] data, byte[] chanInfo, boolean delta, TagsFilter tagsFilter) {

  public SubscribeOptions(boolean positioned, boolean recoverable, boolean pushJoinLeave, StreamPosition recoverSince,
      boolean serverSide, boolean rejectUnrecovered, byte[] data, byte[] chanInfo) {
    this(positioned, recoverable, pushJoinLeave, recoverSince, serverSide, rejectUnrecovered, data, chanInfo, false,
        null);
  }
}
