package io.rotor.presence;

/** Counts of a channel's presence: connections and distinct users. */
public record PresenceStats(int numClients, int numUsers) {
}
