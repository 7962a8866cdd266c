package io.rotor.history;

import io.rotor.core.Publication;
import io.rotor.core.StreamPosition;
import java.util.List;

/** Publications read from a stream, and the stream's current top position. */
public record HistoryResult(List<Publication> publications, StreamPosition top) {
}
